"""Every check of a dataset: references, sources, verbatim quotes and codebook coverage."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from stancecli.corpus import SourceError, Sources, nearest_passage
from stancecli.loading import Problem, did_you_mean, display_path, load_dataset, source_allowed
from stancecli.model import Dataset, Position, Quote
from stancecli.names import fold

TYPE_CHECKING = False  # typing is not imported at run time (see stancecli/typed.py)
if TYPE_CHECKING:
    from collections.abc import Mapping

    from stancecli.cache import Stamps
    from stancecli.span import Span

# Openings by which a response reports what someone else says or proposes: a quote that opens
# with one of them is the committee's, the government's or the local representatives' speech,
# so it needs a `speaker`. Matched case-insensitively on whole words at the start of the quote.
REPORTING_FORMULAS = (
    "Utvalget", "Ekspertgruppen", "Ekspertgruppa", "Regjeringen", "Regjeringa",
    "Departementet", "Ifølge", "Lokale tillitsvalgte",
)
# "<organisation> mener …": another organisation named as the subject of one of these verbs.
REPORTING_VERBS = ("mener", "anbefaler", "påpeker", "foreslår", "ønsker", "peker på", "viser til")
# At most this many words of subject before the verb ("Næringslivets Hovedorganisasjon (NHO) mener").
MAX_SUBJECT_WORDS = 6
_FORMULA = re.compile("(?:" + "|".join(map(re.escape, REPORTING_FORMULAS)) + r")\b", re.IGNORECASE)
_SUBJECT_VERB = re.compile(rf"(\S+(?:\s+\S+){{0,{MAX_SUBJECT_WORDS - 1}}}?)\s+("
                           + "|".join(map(re.escape, REPORTING_VERBS)) + r")\b", re.IGNORECASE)


@dataclass
class Report:
    """What `validate` found, with the counts it summarises."""

    dataset: Dataset | None
    problems: list[Problem] = field(default_factory=list)
    quotes: int = 0
    quotes_located: int = 0
    pairs_total: int = 0
    pairs_decided: int = 0

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]

    @property
    def ok(self) -> bool:
        return not self.errors


def validate_path(path, stamps: Stamps | None = None) -> Report:
    """Every check of the dataset at `path`. A quote its snapshot found in a source unchanged
    since is not looked for again (cache.located_before); `stamps` (taken before the dataset was
    loaded) takes the sources' stamps before any source is read."""
    dataset, problems = load_dataset(path)
    if stamps is not None and dataset is not None:
        stamps.add_sources(dataset)
    report = Report(dataset, list(problems))
    check(dataset, report, snapshot_of=Path(path))
    report.problems.sort(key=lambda p: (p.severity != "error", p.file, p.line))
    return report


def check(dataset: Dataset, report: Report, sources: Sources | None = None,
          snapshot_of: Path | None = None) -> None:
    """Every check of `dataset`. With `snapshot_of` (the dataset file), a quote its snapshot found
    in a source that has not changed since is not looked for again: it stands where it stood."""
    file = display_path(dataset.path)
    add = lambda line, where, msg, sev="error": report.problems.append(Problem(file, line, where, msg, sev))  # noqa: E731
    sources = sources or Sources()
    _check_references(dataset, add)
    _check_sources(dataset, add, sources)
    known: Mapping[str, Mapping[str, Span]] = {}
    if snapshot_of is not None:
        from stancecli.cache import located_before

        # Only now that the sources have been read: the stamps it compares vouch for the texts read.
        known = located_before(snapshot_of)
    _check_quotes(dataset, add, sources, report, known)
    _check_speakers(dataset, add)
    _check_duplicates(dataset, add)
    _check_names(dataset, add)
    _check_coverage(dataset, add, report)
    _check_unused(dataset, add)


def _check_references(ds: Dataset, add) -> None:
    for doc in ds.documents.values():
        if doc.organisation not in ds.organisations:
            add(doc.line, f"documents[{doc.id}].organisation",
                f"unknown organisation '{doc.organisation}'{did_you_mean(doc.organisation, ds.organisations)}")
    for p in ds.positions:
        where = f"positions[{p.index}]"
        if p.issue not in ds.issues:
            add(p.line, where + ".issue", f"unknown issue '{p.issue}'{did_you_mean(p.issue, ds.issues)}")
        if p.document and p.document not in ds.documents:
            add(p.line, where + ".document",
                f"unknown document '{p.document}'{did_you_mean(p.document, ds.documents)}")
        if p.reported_by:
            if p.reported_by not in ds.documents:
                add(p.line, where + ".reported_by",
                    f"unknown document '{p.reported_by}'{did_you_mean(p.reported_by, ds.documents)}")
            elif ds.documents[p.reported_by].organisation == p.organisation:
                add(p.line, where, f"'{p.reported_by}' is {p.organisation}'s own document: "
                                   "record it with 'document', not as a reported position")
        if p.organisation and p.organisation not in ds.organisations:
            add(p.line, where + ".organisation",
                f"unknown organisation '{p.organisation}'{did_you_mean(p.organisation, ds.organisations)}")
    for doc_id, keys in ds.not_addressed.items():
        line = ds.not_addressed_lines.get(doc_id, 0)
        if doc_id not in ds.documents:
            add(line, f"not_addressed.{doc_id}", f"unknown document '{doc_id}'{did_you_mean(doc_id, ds.documents)}")
        for key in keys:
            if key not in ds.issues:
                add(line, f"not_addressed.{doc_id}", f"unknown issue '{key}'{did_you_mean(key, ds.issues)}")


def _readable_documents(ds: Dataset):
    """Documents whose source may be read: never one that leaves the dataset's folder."""
    from stancecli.datapath import source_root

    base = ds.path.parent
    root = source_root(base)  # once: finding it reads every home folder
    return [doc for doc in ds.documents.values() if source_allowed(base, doc.path, root)]


def _check_sources(ds: Dataset, add, sources: Sources) -> None:
    for doc in _readable_documents(ds):
        try:
            sources.get(doc.path)
        except SourceError as exc:
            add(doc.line, f"documents[{doc.id}].source", str(exc))


# Looking for the passage nearest a quote that is not found costs an alignment over the whole
# source (about 80 ms for 4 MB): hints for this many quotes, so that a dataset whose quotes are
# all broken is still checked in bounded time.
MAX_NEAREST_HINTS = 25


def _check_quotes(ds: Dataset, add, sources: Sources, report: Report,
                  known: Mapping[str, Mapping[str, Span]]) -> None:
    """Every quote looked for in its source, unless `known` (source path -> quote text -> span)
    says where it stands."""
    readable = {doc.id for doc in _readable_documents(ds)}
    nothing: Mapping[str, Span] = {}
    hints_left = MAX_NEAREST_HINTS
    for p in ds.positions:
        doc = ds.documents.get(p.source_document)
        if doc is None or doc.id not in readable:
            continue
        try:
            source = sources.get(doc.path)
        except SourceError:
            continue  # reported once, by _check_sources
        found = known.get(str(doc.path), nothing)
        for i, quote in enumerate(p.quotes):
            report.quotes += 1
            span = found.get(quote.text)
            quote.span = span if span is not None else source.find(quote.text)
            quote.resolved = True
            if quote.span:
                report.quotes_located += 1
                continue
            hint, near = "", None
            if hints_left:
                hints_left -= 1
                near = nearest_passage(source, quote.text)
            if near and near[2] >= 60:
                hint = f"; did you mean line {near[0]}: \u201c{_clip(near[1])}\u201d"
            add(quote.line, f"positions[{p.index}].quotes[{i}]",
                f"quote not found in {doc.source}: \u201c{_clip(quote.text)}\u201d{hint}")
    if not hints_left and report.quotes - report.quotes_located > MAX_NEAREST_HINTS:
        add(0, "quotes", f"{report.quotes - report.quotes_located} quotes not found; the nearest passage is "
                         f"suggested for the first {MAX_NEAREST_HINTS} only", "warning")


def reporting_formula(text: str, names: dict[str, str], own: str) -> str | None:
    """The reporting formula a quote opens with ("Utvalget", "NHO mener"), or None.

    `names` maps the folded names of the dataset's organisations to their ids (`organisation_names`);
    "<name> <verb>" at the start counts when the name is another organisation than `own`, the one
    whose document gives the words.
    """
    m = _FORMULA.match(text)
    if m:
        return m.group(0)
    m = _SUBJECT_VERB.match(text)
    if m and names.get(_folded(m.group(1)), own) != own:
        return f"{m.group(1)} {m.group(2)}"
    return None


# Most quotes open with one of a few subjects ("Vi mener"): each is folded once.
_folded = lru_cache(maxsize=4096)(fold)


def is_own_words(quote: Quote, organisation: str) -> bool:
    """Whether a quote is in the organisation's own words: no other speaker is named."""
    return quote.speaker is None or quote.speaker == organisation


def speaking_organisation(ds: Dataset, p: Position) -> str:
    """The organisation whose document gives the position's words (the reporter's, if reported)."""
    doc = ds.documents.get(p.source_document)
    return doc.organisation if doc else p.organisation


def organisation_names(ds: Dataset) -> dict[str, str]:
    """Folded id, name and short name of every organisation -> its id."""
    return {fold(n): o.id for o in ds.organisations.values() for n in (o.id, o.name, o.short) if n}


def _check_speakers(ds: Dataset, add) -> None:
    names = organisation_names(ds)
    for p in ds.positions:
        own = speaking_organisation(ds, p)
        for i, quote in enumerate(p.quotes):
            formula = reporting_formula(quote.text, names, own) if quote.speaker is None else None
            if formula:
                add(quote.line, f"positions[{p.index}].quotes[{i}]",
                    f"the quote opens with a reporting formula (\u201c{formula} \u2026\u201d) but has no "
                    f"speaker: say whose words they are, or keep only {own}'s own words", "warning")
        if p.quotes and not p.is_reported and not any(is_own_words(q, p.organisation) for q in p.quotes):
            add(p.line, f"positions[{p.index}]",
                f"no quote in {p.organisation}'s own words: every quote names another speaker; record "
                "the view as that speaker's (a reported position) or drop the position")


def _check_duplicates(ds: Dataset, add) -> None:
    seen: dict[tuple, Position] = {}
    for p in ds.positions:
        key = (p.issue, p.document) if p.document else (p.issue, p.organisation, p.reported_by)
        if key in seen:
            add(p.line, f"positions[{p.index}]",
                f"duplicate position on '{p.issue}' for {p.document or p.organisation} "
                f"(first at line {seen[key].line})")
        else:
            seen[key] = p
    decided = {(p.document, p.issue) for p in ds.positions if p.document}
    for doc_id, keys in ds.not_addressed.items():
        for issue_key, n in Counter(keys).items():
            if n > 1:
                add(ds.not_addressed_lines.get(doc_id, 0), f"not_addressed.{doc_id}",
                    f"'{issue_key}' is listed {n} times")
            if (doc_id, issue_key) in decided:
                add(ds.not_addressed_lines.get(doc_id, 0), f"not_addressed.{doc_id}",
                    f"'{issue_key}' is listed as not addressed, but {doc_id} has a position on it")


def _check_names(ds: Dataset, add) -> None:
    """Every key and alias must name one issue only, or name resolution is a lottery."""
    owner: dict[str, str] = {}
    for issue in ds.issues.values():
        for name in [issue.key, *issue.aliases]:
            folded = fold(name)
            other = owner.setdefault(folded, issue.key)
            if other != issue.key:
                add(issue.line, f"issues[{issue.key}].aliases",
                    f"'{name}' also names issue '{other}'; an alias must name one issue")


def _check_coverage(ds: Dataset, add, report: Report) -> None:
    codebook = [k for k, i in ds.issues.items() if i.codebook]
    decided = {(p.document, p.issue) for p in ds.positions if p.document} | ds.broken_pairs
    for doc_id, keys in ds.not_addressed.items():
        decided.update((doc_id, k) for k in keys)
    for doc_id, doc in ds.documents.items():
        missing = [k for k in codebook if (doc_id, k) not in decided]
        report.pairs_total += len(codebook)
        report.pairs_decided += len(codebook) - len(missing)
        if missing:
            add(doc.line, f"documents[{doc_id}]",
                f"codebook issues not decided (give a position or list them under "
                f"not_addressed.{doc_id}): {', '.join(missing)}")


def _check_unused(ds: Dataset, add) -> None:
    cited = {p.source_document for p in ds.positions}
    for doc in ds.documents.values():
        if doc.id not in cited:
            add(doc.line, f"documents[{doc.id}]", "no position cites this document", "warning")
    used = {p.organisation for p in ds.positions} | {d.organisation for d in ds.documents.values()}
    for org in ds.organisations.values():
        if org.id not in used:
            add(org.line, f"organisations[{org.id}]", "no document or position names this organisation",
                "warning")
    with_positions = {p.issue for p in ds.positions}
    for issue in ds.issues.values():
        if issue.key not in with_positions:
            add(issue.line, f"issues[{issue.key}]", "no position on this issue", "warning")


def _clip(text: str, width: int = 90) -> str:
    return text if len(text) <= width else text[: width - 1] + "\u2026"
