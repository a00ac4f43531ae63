"""The shareable report as one self-contained HTML page: inline CSS, no scripts, no external
assets, prints well. Every datum passes through html.escape."""

from __future__ import annotations

import html
from collections.abc import Iterable
from typing import Any

from stancecli.model import ABSENT, CSS_CLASSES, STANCES, SYMBOLS

STANCE_CLASS = CSS_CLASSES

CSS = """
:root { --ink: #1d2329; --muted: #5b6670; --line: #d5dbe1; --bg: #fff; }
* { box-sizing: border-box; }
body { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink);
       background: var(--bg); margin: 0 auto; padding: 1.5rem; max-width: 72rem; }
h1 { font-size: 1.7rem; margin: 0 0 .3rem; } h2 { margin-top: 2.5rem; border-bottom: 2px solid var(--line); }
h3 { margin: 1.6rem 0 .3rem; } .meta, .note, .silent, .legend { color: var(--muted); font-size: .9rem; }
nav ul { list-style: none; padding: 0; display: flex; flex-wrap: wrap; gap: .4rem 1.2rem; }
a { color: #1b5fa8; }
table { border-collapse: collapse; margin: .8rem 0; font-size: .9rem; }
th, td { border: 1px solid var(--line); padding: .25rem .5rem; vertical-align: top; text-align: left; }
th { background: #f1f4f7; }
table.grid td.cell { text-align: center; font-weight: 700; min-width: 3.2rem; font-family: ui-monospace, monospace; }
table.grid th.side { writing-mode: horizontal-tb; text-align: center; }
table.changes { width: 100%; } table.changes td.words { width: 55%; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
.s2 { background: #1e7b34; color: #fff; } .s1 { background: #a6d9b0; color: #10361a; }
.s0 { background: #f3e08a; color: #4a3d00; } .sm1 { background: #f4a9a0; color: #5a130b; }
.sm2 { background: #b3261e; color: #fff; } .na { background: #f4f5f6; color: #9aa3ab; font-weight: 400; }
.badge { display: inline-block; padding: 0 .45rem; border-radius: .3rem; font-weight: 700; white-space: nowrap; }
.heat { text-align: right; font-variant-numeric: tabular-nums; }
.heat small { color: inherit; opacity: .75; }
.diag { background: #e9edf1; color: #9aa3ab; text-align: center; }
article.issue { border-top: 1px solid var(--line); }
ul.positions { list-style: none; padding-left: 0; }
ul.positions > li { margin: .7rem 0; padding-left: .8rem; border-left: 4px solid var(--line); }
ul.positions > li.b-s2 { border-left-color: #1e7b34; } ul.positions > li.b-s1 { border-left-color: #6cbf7d; }
ul.positions > li.b-s0 { border-left-color: #d9b92c; } ul.positions > li.b-sm1 { border-left-color: #e67d70; }
ul.positions > li.b-sm2 { border-left-color: #b3261e; }
blockquote { margin: .35rem 0 .35rem .5rem; font-style: italic; }
blockquote cite { display: block; font-style: normal; font-size: .82rem; color: var(--muted); }
.proposal { font-style: italic; }
.reported { color: #7a3e9d; font-size: .85rem; }
@media print {
  @page { margin: 14mm; }
  body { font-size: 10pt; max-width: none; padding: 0; }
  nav { display: none; }
  a { color: inherit; text-decoration: none; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  h2 { break-after: avoid; } h3 { break-after: avoid; }
  tr, blockquote, ul.positions > li { break-inside: avoid; }
  #issues { break-before: page; }
}
"""


def e(value: Any) -> str:
    """Escape any datum for HTML text and attribute values."""
    return html.escape("" if value is None else str(value), quote=True)


def _stance_badge(stance: str) -> str:
    label = "not addressed" if stance == ABSENT else stance
    return f'<span class="badge {STANCE_CLASS.get(stance, "na")}">{e(SYMBOLS.get(stance, "·"))} {e(label)}</span>'


def heat_style(value: float) -> str:
    """A red (0) to green (1) background; only numbers reach the style attribute."""
    hue = int(round(max(0.0, min(1.0, value)) * 120))
    return f"background: hsl({hue}, 65%, 72%);"


def _fraction(value: float | None) -> str:
    return "n/a" if value is None or value != value else f"{value:.2f}"


# ---------------------------------------------------------------- sections

def _header(r) -> Iterable[str]:
    from stancecli import __version__

    c = r.counts
    yield f"<header><h1>{e(r.title)}</h1>"
    yield (f'<p class="meta">Dataset <code>{e(r.dataset)}</code>: {c["organisations"]} organisations, '
           f'{c["documents"]} documents, {c["issues"]} issues, {c["positions"]} positions, {c["quotes"]} '
           f'verbatim quotes. Made with stancecli {e(__version__)}.</p>')
    yield '<nav><ul>' + "".join(f'<li><a href="#{k}">{e(v)}</a></li>' for k, v in (
        ("map", "Position map"), ("matrix", "Agreement matrix"), ("conflicts", "Lines of conflict"),
        ("changes", "Change over time"), ("issues", "Issues and quotes"), ("sources", "Sources"))) + '</ul></nav>'
    yield "</header>"


def _map(r) -> Iterable[str]:
    pm = r.map
    yield '<section id="map"><h2>Position map</h2>'
    yield ('<p class="note">Each cell is an organisation\'s stance on an issue in its latest document that '
           'addresses it. Organisations stand next to those they agree with most; issues come most divided first.</p>')
    yield '<table class="grid map"><thead><tr><th>Issue</th>'
    yield "".join(f'<th class="side" scope="col">{e(s.label)}</th>' for s in pm.profiles)
    yield "<th>Agreement</th><th>Verdict</th></tr></thead><tbody>"
    for spread in pm.issues:
        title = r.issue_titles.get(spread.key, spread.key)
        cells = "".join(_map_cell(pm, spread.key, s) for s in pm.profiles)
        agreement = spread.agreement
        style = f' style="{heat_style(agreement)}"' if agreement == agreement else ""
        yield (f'<tr><th scope="row"><a href="#issue-{e(spread.key)}">{e(title)}</a></th>{cells}'
               f'<td class="heat"{style}>{_fraction(agreement)}</td><td>{e(spread.verdict)}</td></tr>')
    yield "</tbody></table>"
    yield f'<p class="legend">{_legend()}</p>'
    if pm.unaddressed:
        yield f'<p class="note">No one addressed: {e(", ".join(pm.unaddressed))}</p>'
    yield "</section>"


def _map_cell(pm, issue: str, side) -> str:
    stance = side.stance(issue)
    p = pm.cell(issue, side)
    where = f" ({p.source_document})" if p else ""
    label = "not addressed" if stance == ABSENT else stance
    tip = f"{side.label}: {label}{where}"
    return f'<td class="cell {STANCE_CLASS.get(stance, "na")}" title="{e(tip)}">{e(SYMBOLS.get(stance, "·"))}</td>'


def _legend() -> str:
    items = [(s, SYMBOLS[s]) for s in STANCES]
    parts = [f'<span class="badge {STANCE_CLASS[s]}">{e(sym)}</span> {e(s)}' for s, sym in items]
    parts.append('<span class="badge na">·</span> not addressed')
    return " &nbsp; ".join(parts)


def _matrix(r) -> Iterable[str]:
    m = r.matrix
    yield '<section id="matrix"><h2>Agreement matrix</h2>'
    yield ('<p class="note">Proximity = 1 − mean |score difference| / 4 over the issues both addressed '
           '(in brackets: how many). 1 = the same stance on every shared issue; 0 = opposite ends of the '
           'scale on each; n/a = no issue in common.</p>')
    yield '<table class="grid heatmap"><thead><tr><th></th>'
    yield "".join(f'<th class="side" scope="col">{e(s.label)}</th>' for s in m.profiles) + "</tr></thead><tbody>"
    for a in m.profiles:
        yield f'<tr><th scope="row">{e(a.label)}</th>' + "".join(_heat_cell(m, a, b) for b in m.profiles) + "</tr>"
    yield "</tbody></table></section>"


def _heat_cell(m, a, b) -> str:
    if a.key == b.key:
        return '<td class="diag">—</td>'
    prox = m.get(a.key, b.key)
    if not prox.defined:
        return '<td class="heat na" title="no issue in common">n/a</td>'
    tip = f"{a.label} and {b.label}: {', '.join(prox.issues)}"
    return (f'<td class="heat" style="{heat_style(prox.value)}" title="{e(tip)}">{prox.value:.2f} '
            f'<small>({prox.shared})</small></td>')


def _conflicts(r) -> Iterable[str]:
    yield '<section id="conflicts"><h2>Lines of conflict</h2>'
    yield ('<p class="note">Issues on which at least two organisations took a position, most divided first. '
           'Agreement = 1 − the mean gap between every two positions / 4.</p>')
    yield ("<table><thead><tr><th>Issue</th><th>Positions</th><th>For</th><th>Mixed</th><th>Against</th>"
           "<th>Agreement</th><th>Verdict</th><th>Stances</th></tr></thead><tbody>")
    for row in r.conflicts.rows:
        a = row["agreement"]
        style = f' style="{heat_style(a)}"' if a == a else ""
        yield (f'<tr><th scope="row"><a href="#issue-{e(row["issue"])}">{e(row["title"])}</a></th>'
               f'<td class="num">{row["positions"]}</td><td class="num">{row["for"]}</td>'
               f'<td class="num">{row["mixed"]}</td><td class="num">{row["against"]}</td>'
               f'<td class="heat"{style}>{_fraction(a)}</td><td>{e(row["verdict"])}</td>'
               f'<td>{e(row["stances"])}</td></tr>')
    yield "</tbody></table></section>"


def _changes(r) -> Iterable[str]:
    yield '<section id="changes"><h2>Change over time</h2>'
    if not r.timelines:
        yield '<p class="note">No organisation has more than one document.</p>'
    for _org, listing in r.timelines:
        yield f"<h3>{e(listing.title)}</h3>"
        yield ('<table class="changes"><thead><tr><th>Change</th><th>Issue</th><th>Before</th><th>After</th>'
               "<th>Direction</th><th>In their words</th></tr></thead><tbody>")
        for row in listing.rows:
            yield (f'<tr><td>{e(row["change"])}</td><td><a href="#issue-{e(row["issue"])}">{e(row["issue"])}</a></td>'
                   f'<td>{_stance_badge(row["before"])}</td><td>{_stance_badge(row["after"])}</td>'
                   f'<td>{e(row["direction"])}</td><td class="words">{_change_quotes(row)}</td></tr>')
        yield "</tbody></table>"
    yield "</section>"


def _change_quotes(row: dict) -> str:
    out = []
    for side in ("before", "after"):
        if row[f"quote_{side}"]:
            first = row[f"quote_{side}"].split(" | ")[0]
            cite = row[f"location_{side}"].split(" | ")[0].rsplit("/", 1)[-1]
            out.append(f'<blockquote lang="nb">«{e(first)}»<cite>{e(side)}: {e(cite)}</cite></blockquote>')
    return "".join(out)


def _issues(r) -> Iterable[str]:
    yield '<section id="issues"><h2>Issues and quotes</h2>'
    for sec in r.issues:
        yield f'<article class="issue" id="issue-{e(sec.key)}"><h3>{e(sec.title)} <code>{e(sec.key)}</code></h3>'
        yield f'<p class="proposal">Proposal: {e(sec.proposal)}</p><ul class="positions">'
        for rec in sec.positions:
            yield _position(rec)
        yield "</ul>"
        if sec.silent:
            yield f'<p class="silent">Not addressed in: {e(", ".join(sec.silent))}</p>'
        yield "</article>"
    yield "</section>"


def _position(rec: dict) -> str:
    reported = (f' <span class="reported">reported by {e(rec["reported_by"])}</span>'
                if rec["reported_by"] else "")
    quotes = "".join(
        f'<blockquote lang="nb">«{e(q["text"])}»<cite>{e(_cite(q))}</cite></blockquote>' for q in rec["quotes"])
    return (f'<li class="b-{STANCE_CLASS.get(rec["stance"], "na")}">{_stance_badge(rec["stance"])} '
            f'<strong>{e(rec["organisation_label"])}</strong>, {e(rec["document"])} ({e(rec["year"])}){reported}'
            f'<p>{e(rec["summary"])}</p>{quotes}</li>')


def _cite(q: dict) -> str:
    start, end = q["line_start"], q["line_end"]
    lines = "?" if start is None else (f"{start}" if start == end else f"{start}-{end}")
    return f"{q['file']}:{lines}"


def _sources(r) -> Iterable[str]:
    yield '<section id="sources"><h2>Sources</h2>'
    yield ("<table><thead><tr><th>Document</th><th>Organisation</th><th>Title</th><th>Year</th>"
           "<th>Hearing</th><th>Signed by</th><th>File</th></tr></thead><tbody>")
    for d in r.documents:
        when = d["date"] or d["year"]
        ref = f'<br><small>{e(d["reference"])}</small>' if d["reference"] else ""
        yield (f'<tr><td><code>{e(d["id"])}</code></td><td>{e(d["organisation"])}</td><td>{e(d["title"])}</td>'
               f'<td>{e(when)}</td><td>{e(d["hearing"])}{ref}</td><td>{e("; ".join(d["signatories"]))}</td>'
               f'<td><code>{e(d["source"])}</code></td></tr>')
    yield "</tbody></table></section>"


def render_html(r) -> str:
    """The whole report as one HTML document."""
    parts = ['<!DOCTYPE html>', '<html lang="en">', '<head><meta charset="utf-8">',
             '<meta name="viewport" content="width=device-width, initial-scale=1">',
             f'<title>{e(r.title)}</title>', f"<style>{CSS}</style></head>", "<body>"]
    for section in (_header, _map, _matrix, _conflicts, _changes, _issues, _sources):
        parts.extend(section(r))
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"
