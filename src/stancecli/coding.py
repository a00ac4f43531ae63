"""The coding loop's core: one document's undecided codebook issues, decided one at a time.

A proposal from stancecli.suggest is a candidate only: nothing reaches the dataset until a
person confirms a stance (the proposed one or another) with a verbatim quote, or marks the
issue not addressed. Each decision is written at once, as text inserted into stances.yaml
(comments, order and formatting kept), under the dataset lock and atomically. The file is
read again under the lock, so another writer's work is kept; a pair that someone else
decided in the meantime is refused, not written twice.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from stancecli.errors import CurationProblem
from stancecli.model import ABSENT, STANCES, Dataset

if TYPE_CHECKING:
    from stancecli.corpus import Source
    from stancecli.suggest import Candidate, Proposal

CANDIDATES = 3  # candidate quotes asked of the proposer per issue
MAX_QUOTES = 3  # a position holds one to three quotes
CONTEXT_LINES = 2  # source lines shown before and after a quote


class CodingError(CurationProblem):
    """A decision that cannot be written as made; the dataset was left as it was."""


class AlreadyDecided(CodingError):
    """Someone else decided the pair while it was on screen."""


Proposer = Callable[..., "list[Proposal]"]


@dataclass
class Decision:
    """What a person decided for one issue of the document."""

    issue: str
    stance: str  # a key of STANCES, or ABSENT
    quotes: list[str] = field(default_factory=list)
    summary: str = ""  # one line of Norwegian
    # A view the document reports of another organisation: that organisation's id, and who speaks
    # in the quotes (as the document names them). None: the document's own position.
    holder: str | None = None
    speaker: str | None = None

    @property
    def addressed(self) -> bool:
        return self.stance != ABSENT


@dataclass
class TypedQuote:
    """A quote the person typed or pasted, found verbatim in the source (shaped like a proposer's candidate)."""

    quote: str
    line: int
    end_line: int
    speaker: str | None = None


def typed_quote(source: Source, text: str) -> TypedQuote | None:
    """`text` as a quote of the source, with its lines; None when the source does not hold it verbatim."""
    quote = one_line(text)
    span = source.find(quote) if quote else None
    return TypedQuote(quote, span.line_start, span.line_end) if span else None


@dataclass
class Step:
    """One undecided issue: the proposal, and what the person has chosen so far."""

    issue: str
    proposal: Proposal | None
    stance: str | None = None  # None: no stance chosen or proposed yet
    cited: list[int] = field(default_factory=lambda: [0])  # candidate indices to quote, in order
    typed: list[TypedQuote] = field(default_factory=list)  # quotes the person typed, after the proposer's

    @property
    def candidates(self) -> list[Candidate | TypedQuote]:
        return [*(self.proposal.quotes if self.proposal else []), *self.typed]

    @property
    def reported(self) -> list[Candidate]:
        return list(self.proposal.reported) if self.proposal else []

    @property
    def chosen(self) -> int:
        """The candidate chosen last (its context is the one shown)."""
        return self.cited[-1]

    @property
    def quote(self) -> Candidate | TypedQuote | None:
        found = self.candidates
        return found[self.chosen] if 0 <= self.chosen < len(found) else None

    @property
    def quotes(self) -> list[str]:
        found = self.candidates
        return [found[i].quote for i in self.cited if 0 <= i < len(found)]

    @property
    def changed(self) -> bool:
        """Whether the person changed the proposed stance."""
        return self.proposal is not None and self.stance != self.proposal.stance

    def choose(self, number: int) -> bool:
        """Quote candidate `number` (1-based) alone; False when there is no such candidate."""
        if not 1 <= number <= len(self.candidates):
            return False
        self.cited = [number - 1]
        return True

    def add_typed(self, quote: TypedQuote) -> None:
        """Quote what the person typed, alone (a known candidate is chosen rather than added twice)."""
        known = [c.quote for c in self.candidates]
        if quote.quote not in known:
            self.typed.append(quote)
            known.append(quote.quote)
        self.cited = [known.index(quote.quote)]

    def next_quote(self) -> bool:
        """Quote the next candidate alone, cycling; False when there is no other."""
        if len(self.candidates) < 2:
            return False
        self.cited = [(self.chosen + 1) % len(self.candidates)]
        return True

    def cite_another(self) -> bool:
        """Also quote the next candidate not yet quoted; False at three quotes or when none is left."""
        count = len(self.candidates)
        if len(self.cited) >= min(MAX_QUOTES, count):
            return False
        following = ((self.chosen + k) % count for k in range(1, count))
        self.cited.append(next(i for i in following if i not in self.cited))
        return True


def steps(ds: Dataset, doc_id: str, source: Source, proposer: Proposer | None = None) -> list[Step]:
    """The document's undecided codebook issues, in codebook order, each with its proposal."""
    undecided = ds.undecided_issues(doc_id)
    if not undecided:
        return []
    if proposer is None:
        from stancecli.suggest import propose

        proposer = propose
    proposals = {p.issue: p for p in proposer(ds, doc_id, source, issues=undecided, limit=CANDIDATES)}
    out = []
    for issue in undecided:
        proposal = proposals.get(issue)
        out.append(Step(issue, proposal, proposal.stance if proposal else None))
    return out


def decision_for(step: Step, summary: str = "") -> Decision:
    """The decision the person confirmed on a step: its stance with the chosen quote."""
    if step.stance is None:
        raise CodingError(f"no stance chosen for '{step.issue}'")
    if step.stance == ABSENT:
        return Decision(step.issue, ABSENT)
    if step.quote is None:
        raise CodingError(f"no candidate quote for '{step.issue}' to back a position; "
                          "mark it not addressed or leave it for later")
    return Decision(step.issue, step.stance, step.quotes, summary)


def default_summary(org_label: str, quote: str) -> str:
    """A summary that says no more than the quote: the organisation, then its words."""
    return f"{org_label}: «{' '.join(quote.split())}»"


def one_line(text: str) -> str:
    return " ".join(text.split())


def summary_line(text: str) -> str:
    """A typed summary as it is written: one line, without the control and bidi characters that
    would make it show differently from what it says (ESC sequences, U+202E)."""
    from stancecli.output.safe import clean

    return one_line(clean(text))


def context(source: Source, first: int, last: int, around: int = CONTEXT_LINES) -> list[tuple[int, str, bool]]:
    """(line number, text, inside the quote) for the quote's lines and `around` lines either side.

    Blank lines are left out: PDF-extracted text often has one after every line.
    """
    before = _filled(source, range(first - 1, 0, -1), around)[::-1]
    after = _filled(source, range(last + 1, source.line_count + 1), around)
    inside = [n for n in range(first, last + 1) if source.line(n).strip()]
    return [(n, source.line(n), first <= n <= last) for n in before + inside + after]


def _filled(source: Source, numbers: range, wanted: int) -> list[int]:
    """The first `wanted` non-blank lines among `numbers`, in that order."""
    out: list[int] = []
    for n in numbers:
        if len(out) == wanted:
            break
        if source.line(n).strip():
            out.append(n)
    return out


# ---------------------------------------------------------------- writing a decision

def record(path: Path, doc_id: str, decision: Decision, source: Source,
           on_wait: Callable[[str], None] | None = None) -> int:
    """Write one decision into the dataset at `path`; return the line of the new entry."""
    from stancecli.editing import dataset_lock, write_dataset

    _check(decision, source)
    with dataset_lock(path, on_wait):
        old = _read(path)
        new, line = edited(old, doc_id, decision)
        write_dataset(path, old, new)
    return line


def edited(text: str, doc_id: str, decision: Decision) -> tuple[str, int]:
    """The dataset text with the decision added, and the 1-based line of what was added."""
    from stancecli.loading import DataError, parse_yaml

    try:
        data = parse_yaml(text, "dataset").data
    except DataError as exc:
        raise CodingError(f"the dataset cannot be edited: {exc}") from None
    if not isinstance(data, dict):
        raise CodingError("the dataset's top level is not a mapping, so it cannot be edited")
    org = _organisation_of(data, doc_id)
    if decision.holder is not None:
        if decision.holder == org:
            raise CodingError(f"'{org}' wrote {doc_id}: its view is the document's own position, not a reported one")
        return _reported(text, data, doc_id, decision)
    if _decided(data, doc_id, decision.issue):
        raise AlreadyDecided(f"'{decision.issue}' was decided for {doc_id} by another writer meanwhile; "
                             "nothing was written for it")
    if not decision.addressed:
        from stancecli.editing import add_not_addressed

        return add_not_addressed(text, doc_id, decision.issue)
    from stancecli.editing import Addition, insert

    result = insert(text, [Addition("positions", position_entry(org, doc_id, decision))])
    return result.text, result.lines[0]


def _reported(text: str, data: dict, doc_id: str, decision: Decision) -> tuple[str, int]:
    from stancecli.editing import Addition, insert

    if decision.holder not in {o.get("id") for o in data.get("organisations") or [] if isinstance(o, dict)}:
        raise CodingError(f"'{decision.holder}' is not an organisation of the dataset; add it under "
                          "organisations first; nothing was written")
    if any(isinstance(p, dict) and (p.get("issue"), p.get("organisation"), p.get("reported_by"))
           == (decision.issue, decision.holder, doc_id) for p in data.get("positions") or []):
        raise AlreadyDecided(f"{decision.holder}'s view on '{decision.issue}' as {doc_id} reports it is already "
                             "recorded; nothing was written")
    result = insert(text, [Addition("positions", reported_entry(doc_id, decision))])
    return result.text, result.lines[0]


def reported_entry(doc_id: str, decision: Decision) -> dict[str, Any]:
    """Another organisation's view as the document reports it: its quotes name who speaks."""
    from ruamel.yaml.scalarstring import DoubleQuotedScalarString

    quotes: list[Any] = [one_line(q) for q in decision.quotes]
    if decision.speaker:
        quotes = [{"text": q, "speaker": decision.speaker} for q in quotes]
    return {
        "issue": decision.issue,
        "organisation": decision.holder,
        "reported_by": doc_id,
        "stance": decision.stance,
        "summary": {"nb": DoubleQuotedScalarString(summary_line(decision.summary))},
        "quotes": quotes,
    }


def position_entry(org: str, doc_id: str, decision: Decision) -> dict[str, Any]:
    """A position as it is written: the summary in Norwegian only, double-quoted like the bundled file."""
    from ruamel.yaml.scalarstring import DoubleQuotedScalarString

    return {
        "issue": decision.issue,
        "organisation": org,
        "document": doc_id,
        "stance": decision.stance,
        "summary": {"nb": DoubleQuotedScalarString(summary_line(decision.summary))},
        "quotes": [one_line(q) for q in decision.quotes],
    }


def _check(decision: Decision, source: Source) -> None:
    if decision.stance != ABSENT and decision.stance not in STANCES:
        raise CodingError(f"'{decision.stance}' is not a stance of the codebook")
    if not decision.addressed:
        return
    if not 1 <= len(decision.quotes) <= MAX_QUOTES:
        raise CodingError("a position needs one to three quotes from its source")
    if not summary_line(decision.summary):
        raise CodingError(f"the position on '{decision.issue}' needs a summary")
    for quote in decision.quotes:
        if source.find(quote) is None:
            raise CodingError(f"quote not found verbatim in {source.path.name}: «{quote}»")


def _read(path: Path) -> str:
    """The file as write_dataset will compare it: raw UTF-8, through a symlink."""
    try:
        return Path(os.path.realpath(path)).read_bytes().decode("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise CodingError(f"{path}: cannot be read ({exc}); nothing was written") from None


def _organisation_of(data: dict, doc_id: str) -> str:
    for doc in data.get("documents") or []:
        if isinstance(doc, dict) and doc.get("id") == doc_id and isinstance(doc.get("organisation"), str):
            return doc["organisation"]
    raise CodingError(f"document '{doc_id}' is no longer in the dataset; nothing was written")


def _decided(data: dict, doc_id: str, issue: str) -> bool:
    listed = (data.get("not_addressed") or {}).get(doc_id) or []
    if isinstance(listed, list) and issue in listed:
        return True
    return any(isinstance(p, dict) and p.get("document") == doc_id and p.get("issue") == issue
               for p in data.get("positions") or [])
