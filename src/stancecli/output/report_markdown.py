"""The shareable report as markdown: the same sections as the HTML page.

Markdown passes raw HTML through, so every datum has &, < and > escaped (a markdown
viewer shows them as typed) and table cells have | escaped. The source texts go in indented
code blocks, which show every character as it is; each line carries its number, so that a
citation (document, title, lines) can be followed.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from stancecli.output.grids import STANCE_LEGEND, fraction, map_markdown, matrix_markdown
from stancecli.output.stances import UNDECIDED_WORDS, stance_label
from stancecli.output.text import LEFT, RIGHT, md, md_table
from stancecli.records import named


def t(value: Any) -> str:
    """One datum as safe markdown text on one line: the shared cleaner and escaper (raw HTML,
    link and image syntax shown as typed, so no remote image loads), | escaped for table cells."""
    return md(value)


def c(value: Any) -> str:
    """One datum as a safe markdown table cell."""
    return t(value)


def _header(r, x) -> Iterable[str]:
    from stancecli import __version__

    n = r.counts
    yield f"# {t(r.title)}"
    yield ""
    yield (f"{n['organisations']} organisations, {n['documents']} documents, "
           f"{n['issues']} issues, {n['positions']} positions, {n['quotes']} verbatim quotes. "
           f"Made on {t(x.generated)} with stancecli {t(__version__)}.")
    yield ""
    yield ("Contents: [Findings](#findings) · [Position map](#position-map) · [Agreement matrix](#agreement-matrix) · "
           "[Lines of conflict](#lines-of-conflict) · [Change over time](#change-over-time) · "
           "[Issues and quotes](#issues-and-quotes) · [Sources](#sources) · [Source texts](#source-texts)")


def _findings(r, x) -> Iterable[str]:
    f = x.findings
    yield "## Findings"
    yield ""
    if f.divided:
        yield "- **Most divided:** " + "; ".join(
            f"{t(row['title'])} (`{t(row['issue'])}`: {t(named('orgs', row['stances'], r.conflicts.labels))}; agreement "
            f"{fraction(row['agreement'])}, {t(row['verdict'])})" for row in f.divided) + "."
    basis = f" (pairs sharing at least {f.min_shared} issues)" if f.min_shared > 1 else ""
    for label, pairs in (("Closest", f.closest), ("Most distant", f.distant)):
        if pairs:
            yield f"- **{label}{basis}:** " + "; ".join(t(pair) for pair in pairs) + "."
    for move in f.moves:
        changed = "; ".join(f"{t(row['issue'])} {t(row['before'])} → {t(row['after'])}" for row in move.changed)
        yield (f"- **{t(move.organisation)} over time** ({t(move.before)}, answering «{t(move.hearings[0])}» → "
               f"{t(move.after)}, answering «{t(move.hearings[1])}»): "
               + (changed or "no stance changed on the issues both documents address") + ".")
    if not (f.divided or f.closest or f.moves):
        yield "- Too few positions for findings."


def _map(r, x) -> Iterable[str]:
    yield "## Position map"
    yield ""
    yield from map_markdown(r.map, None, x.undecided)
    if r.map.unaddressed:
        yield ""
        yield f"No one addressed: {t(', '.join(r.map.unaddressed))}"


def _matrix(r, x) -> Iterable[str]:
    yield "## Agreement matrix"
    yield ""
    yield from matrix_markdown(r.matrix)


def _conflicts(r, x) -> Iterable[str]:
    yield "## Lines of conflict"
    yield ""
    yield from md_table(
        ["Issue", "Positions", "For", "Mixed", "Against", "Agreement", "Verdict", "Stances"],
        ([f"{c(row['title'])} (`{c(row['issue'])}`)", *(str(row[k]) for k in ("positions", "for", "mixed", "against")),
          fraction(row["agreement"]), c(row["verdict"]), c(named("orgs", row["stances"], r.conflicts.labels))]
         for row in r.conflicts.rows),
        [LEFT] + [RIGHT] * 5 + [LEFT, LEFT])


def _changes(r, x) -> Iterable[str]:
    yield "## Change over time"
    if not r.timelines:
        yield ""
        yield "No organisation has more than one document."
    for _org, listing in r.timelines:
        yield ""
        yield f"### {t(listing.title)}"
        yield ""
        yield from md_table(["Change", "Issue", "Before", "After", "Direction"],
                            ([c(row["change"]), c(row["issue"]), c(stance_label(row["before"])),
                              c(stance_label(row["after"])), c(row["direction"])] for row in listing.rows))


def _issues(r, x) -> Iterable[str]:
    yield "## Issues and quotes"
    for sec in r.issues:
        yield ""
        yield f"### {t(sec.title)} (`{t(sec.key)}`)"
        yield ""
        yield f"_Proposal: {t(sec.proposal)}_"
        for rec in sec.positions:
            yield from _position(rec, x)
        if sec.silent:
            yield ""
            yield f"Not addressed in: {t(', '.join(sec.silent))}"
        if sec.undecided:
            yield ""
            yield f"{t(UNDECIDED_WORDS.capitalize())}: {t(', '.join(sec.undecided))}"


def _position(rec: dict, x) -> Iterable[str]:
    reported = f", reported by {t(rec['reported_by'])}" if rec["reported_by"] else ""
    yield ""
    yield (f"- **{t(rec['organisation_label'])}** ({t(rec['document'])}, {rec['year']}{reported}): "
           f"**{t(stance_label(rec['stance']))}**. {t(rec['summary'])}")
    from stancecli.export.tables import citation

    titles = {s.id: s.title for s in x.sources}
    for i, q in enumerate(rec["quotes"]):
        if i:
            yield "  >"  # a paragraph of its own for each quote
        said = f" (words of {t(q['speaker'])})" if q.get("speaker") else ""
        cited = citation(rec["document"], titles.get(rec["document"], ""), q["line_start"], q["line_end"])
        yield f"  > «{t(q['text'])}»{said} — {t(cited)}"


def _sources(r, x) -> Iterable[str]:
    yield "## Sources"
    yield ""
    yield from md_table(["Document", "Organisation", "Title", "Year", "Hearing", "Signed by", "File"],
                        ([f"`{c(d['id'])}`", c(d["organisation"]), c(d["title"]), c(d["date"] or d["year"]),
                          c(d["hearing"]), c("; ".join(d["signatories"])), f"`{c(d['file'])}`"]
                         for d in r.documents))


def _source_texts(r, x) -> Iterable[str]:
    yield "## Source texts"
    for src in x.sources:
        yield ""
        yield f"### {t(src.id)}: {t(src.title)}"
        yield ""
        if src.problem:
            yield t(src.problem)
            continue
        width = len(str(len(src.lines)))
        # An indented code block: shown as typed, and no line of the source can end it.
        yield from (f"    {n:>{width}}  {text}".rstrip() for n, text in enumerate(src.lines, 1))


def render_markdown(r, extras) -> Iterable[str]:
    sections = (_header, _findings, _map, _matrix, _conflicts, _changes, _issues, _sources, _source_texts)
    for i, section in enumerate(sections):
        if i:
            yield ""
        yield from section(r, extras)
    yield ""
    yield f"_{t(STANCE_LEGEND)}_"
