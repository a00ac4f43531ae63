"""The shareable report as markdown: the same sections as the HTML page.

Markdown passes raw HTML through, so every datum has &, < and > escaped (a markdown
viewer shows them as typed) and table cells have | escaped.
"""

from __future__ import annotations

import html
from collections.abc import Iterable
from typing import Any

from stancecli.model import ABSENT, SYMBOLS
from stancecli.output.grids import STANCE_LEGEND, fraction, map_markdown, matrix_markdown
from stancecli.output.text import clean


def t(value: Any) -> str:
    """One datum as safe markdown text on one line."""
    return html.escape(clean(value), quote=False)


def c(value: Any) -> str:
    """One datum as a safe markdown table cell."""
    return t(value).replace("|", "\\|")


def _stance(stance: str) -> str:
    label = "not addressed" if stance == ABSENT else stance
    return f"{SYMBOLS.get(stance, '·')} {label}"


def _header(r) -> Iterable[str]:
    n = r.counts
    yield f"# {t(r.title)}"
    yield ""
    yield (f"Dataset `{t(r.dataset)}`: {n['organisations']} organisations, {n['documents']} documents, "
           f"{n['issues']} issues, {n['positions']} positions, {n['quotes']} verbatim quotes.")
    yield ""
    yield ("Contents: [Position map](#position-map) · [Agreement matrix](#agreement-matrix) · "
           "[Lines of conflict](#lines-of-conflict) · [Change over time](#change-over-time) · "
           "[Issues and quotes](#issues-and-quotes) · [Sources](#sources)")


def _map(r) -> Iterable[str]:
    yield "## Position map"
    yield ""
    yield from map_markdown(r.map)
    if r.map.unaddressed:
        yield ""
        yield f"No one addressed: {t(', '.join(r.map.unaddressed))}"


def _matrix(r) -> Iterable[str]:
    yield "## Agreement matrix"
    yield ""
    yield from matrix_markdown(r.matrix)


def _conflicts(r) -> Iterable[str]:
    yield "## Lines of conflict"
    yield ""
    yield "| Issue | Positions | For | Mixed | Against | Agreement | Verdict | Stances |"
    yield "|---|---:|---:|---:|---:|---:|---|---|"
    for row in r.conflicts.rows:
        yield (f"| {c(row['title'])} (`{c(row['issue'])}`) | {row['positions']} | {row['for']} | {row['mixed']} | "
               f"{row['against']} | {fraction(row['agreement'])} | {c(row['verdict'])} | {c(row['stances'])} |")


def _changes(r) -> Iterable[str]:
    yield "## Change over time"
    if not r.timelines:
        yield ""
        yield "No organisation has more than one document."
    for _org, listing in r.timelines:
        yield ""
        yield f"### {t(listing.title)}"
        yield ""
        yield "| Change | Issue | Before | After | Direction |"
        yield "|---|---|---|---|---|"
        for row in listing.rows:
            yield (f"| {c(row['change'])} | {c(row['issue'])} | {c(_stance(row['before']))} | "
                   f"{c(_stance(row['after']))} | {c(row['direction'])} |")


def _issues(r) -> Iterable[str]:
    yield "## Issues and quotes"
    for sec in r.issues:
        yield ""
        yield f"### {t(sec.title)} (`{t(sec.key)}`)"
        yield ""
        yield f"_Proposal: {t(sec.proposal)}_"
        for rec in sec.positions:
            yield from _position(rec)
        if sec.silent:
            yield ""
            yield f"Not addressed in: {t(', '.join(sec.silent))}"


def _position(rec: dict) -> Iterable[str]:
    reported = f", reported by {t(rec['reported_by'])}" if rec["reported_by"] else ""
    yield ""
    yield (f"- **{t(rec['organisation_label'])}** ({t(rec['document'])}, {rec['year']}{reported}): "
           f"**{t(_stance(rec['stance']))}**. {t(rec['summary'])}")
    for q in rec["quotes"]:
        start, end = q["line_start"], q["line_end"]
        lines = "?" if start is None else (f"{start}" if start == end else f"{start}-{end}")
        yield f"  > «{t(q['text'])}» — `{t(q['file'])}:{lines}`"


def _sources(r) -> Iterable[str]:
    yield "## Sources"
    yield ""
    yield "| Document | Organisation | Title | Year | Hearing | Signed by | File |"
    yield "|---|---|---|---|---|---|---|"
    for d in r.documents:
        yield (f"| `{c(d['id'])}` | {c(d['organisation'])} | {c(d['title'])} | {c(d['date'] or d['year'])} | "
               f"{c(d['hearing'])} | {c('; '.join(d['signatories']))} | `{c(d['source'])}` |")


def render_markdown(r) -> Iterable[str]:
    for i, section in enumerate((_header, _map, _matrix, _conflicts, _changes, _issues, _sources)):
        if i:
            yield ""
        yield from section(r)
    yield ""
    yield f"_{t(STANCE_LEGEND)}_"
