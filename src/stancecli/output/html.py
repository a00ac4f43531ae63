"""The shareable report as one self-contained HTML page: inline CSS, no scripts, no external
assets, prints well and reads on a phone. Every datum passes through html.escape.

A content security policy allows nothing but the page's own style sheet (by its hash): no
scripts, no style attributes, no requests. Wide tables sit in horizontal scroll boxes; each
source is an appendix with an anchor per line, which every citation links to.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from typing import Any

from stancecli.model import ABSENT, SCALE, UNDECIDED
from stancecli.output.grids import fraction
from stancecli.output.palette import STANCE_COLOURS, agreement_colours
from stancecli.output.stances import UNDECIDED_WORDS, stance_css, stance_label, stance_symbol, stance_words
from stancecli.records import named

AGREEMENT_STEPS = 20  # agreement cells take one of 21 classes (no style attributes under the CSP)

BASE_CSS = """
:root { --ink: #1d2329; --muted: #5b6670; --line: #d5dbe1; --bg: #fff; }
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; text-size-adjust: 100%; }
body { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink);
       background: var(--bg); margin: 0 auto; padding: 1.5rem; max-width: 72rem; overflow-wrap: break-word; }
h1 { font-size: 1.7rem; margin: 0 0 .3rem; line-height: 1.25; }
h2 { margin-top: 2.5rem; border-bottom: 2px solid var(--line); }
h3 { margin: 1.6rem 0 .3rem; } .meta, .note, .silent, .legend { color: var(--muted); font-size: .9rem; }
code, cite, .cite { overflow-wrap: anywhere; }
nav ul { list-style: none; padding: 0; display: flex; flex-wrap: wrap; gap: .4rem 1.2rem; }
a { color: #1b5fa8; }
.scroll { overflow-x: auto; max-width: 100%; margin: .8rem 0; border-right: 1px solid transparent; }
table { border-collapse: collapse; font-size: .9rem; }
th, td { border: 1px solid var(--line); padding: .25rem .5rem; vertical-align: top; text-align: left; }
th { background: #f1f4f7; }
table.grid th[scope=row] { position: sticky; left: 0; z-index: 1; min-width: 9rem; }
table.grid td.cell { text-align: center; font-weight: 700; min-width: 3.2rem; font-family: ui-monospace, monospace; }
table.grid th.side { text-align: center; }
table.changes td.words { min-width: 20rem; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
.badge { display: inline-block; padding: 0 .45rem; border-radius: .3rem; font-weight: 700; white-space: nowrap; }
.heat { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.heat small { color: inherit; opacity: .8; }
td.heat.na { background: #fff; color: var(--muted); }
.diag { background: #e9edf1; color: #69737c; text-align: center; }
.findings { background: #f6f8fa; border: 1px solid var(--line); border-radius: .4rem; padding: .2rem 1.2rem; }
.findings h2 { margin-top: .8rem; border: 0; }
.findings li { margin: .35rem 0; }
article.issue { border-top: 1px solid var(--line); }
ul.positions { list-style: none; padding-left: 0; }
ul.positions > li { margin: .7rem 0; padding-left: .8rem; border-left: 4px solid var(--line); }
ul.positions > li.b-s2 { border-left-color: #1e7b34; } ul.positions > li.b-s1 { border-left-color: #6cbf7d; }
ul.positions > li.b-s0 { border-left-color: #d9b92c; } ul.positions > li.b-sm1 { border-left-color: #e67d70; }
ul.positions > li.b-sm2 { border-left-color: #b3261e; }
blockquote { margin: .35rem 0 .35rem .5rem; font-style: italic; }
blockquote cite { display: block; font-style: normal; font-size: .82rem; color: var(--muted); }
.speaker { font-style: normal; font-size: .82rem; color: #7a3e9d; }
.proposal { font-style: italic; }
.reported { color: #7a3e9d; font-size: .85rem; }
.source { font: .82rem/1.45 ui-monospace, SFMono-Regular, Menlo, monospace; border: 1px solid var(--line);
          border-radius: .3rem; padding: .3rem 0; }
.source .l { display: flex; gap: .6rem; padding: 0 .5rem; scroll-margin-top: 2rem; }
.source .l > a { flex: 0 0 3.2em; text-align: right; color: var(--muted); text-decoration: none; user-select: none; }
.source .l > span { white-space: pre-wrap; overflow-wrap: anywhere; min-width: 0; }
.source .l.q { background: #fffbe8; box-shadow: inset 3px 0 #e6c34d; }
.source .l:target { background: #ffe066; outline: 2px solid #b08900; }
@media (max-width: 40rem) {
  body { padding: .8rem; font-size: 14px; }
  h1 { font-size: 1.35rem; }
  table { font-size: .8rem; }
  th, td { padding: .2rem .35rem; }
  table.grid th[scope=row] { min-width: 6.5rem; max-width: 8.5rem; font-size: .75rem; }
  table.grid td.cell { min-width: 2.2rem; }
  table.grid th.side { font-size: .75rem; }
  table.cards, table.cards tbody, table.cards tr, table.cards th, table.cards td { display: block; }
  table.cards thead { display: none; }
  table.cards tr { border: 1px solid var(--line); border-radius: .3rem; margin: .6rem 0; padding: .35rem .55rem; }
  table.cards th, table.cards td { border: 0; padding: .1rem 0; text-align: left; }
  table.cards th, table.cards td:not(.heat) { background: none; }
  table.cards td.num, table.cards td.heat { display: inline-block; margin-right: .9rem; }
  table.cards td.heat { padding: 0 .35rem; border-radius: .25rem; }
  table.cards td[data-label]::before { content: attr(data-label) ": "; color: var(--muted); font-size: .8rem; }
  table.cards td.words { min-width: 0; }
  table.cards td:empty { display: none; }
  table.changes td.words { min-width: 14rem; }
  .source .l > a { flex-basis: 2.4em; }
}
@media print {
  @page { margin: 14mm; }
  body { font-size: 10pt; max-width: none; padding: 0; }
  nav { display: none; }
  a { color: inherit; text-decoration: none; }
  .scroll { overflow: visible; }
  table.grid th[scope=row] { position: static; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  h2 { break-after: avoid; } h3 { break-after: avoid; }
  tr, blockquote, ul.positions > li { break-inside: avoid; }
  #issues, #appendix { break-before: page; }
}
"""


def _colour_css() -> str:
    rules = [f".{stance_css(s)} {{ background: {bg}; color: {fg}; }}" for s, (bg, fg) in STANCE_COLOURS.items()]
    rules.append(f".{stance_css(UNDECIDED)} {{ background: #fff; color: #69737c; border: 1px dashed #69737c; }}")
    rules.append(".na, .ud { font-weight: 400; }")
    for step in range(AGREEMENT_STEPS + 1):
        bg, fg = agreement_colours(step / AGREEMENT_STEPS)
        rules.append(f".ag{step} {{ background: {bg}; color: {fg}; }}")
    return "\n".join(rules) + "\n"


CSS = BASE_CSS + _colour_css()


def csp(css: str = CSS) -> str:
    """Nothing may load or run; only this page's style sheet applies (allowed by its hash)."""
    import base64
    import hashlib

    digest = base64.b64encode(hashlib.sha256(css.encode("utf-8")).digest()).decode("ascii")
    return (f"default-src 'none'; style-src 'sha256-{digest}'; img-src 'none'; script-src 'none'; "
            "base-uri 'none'; form-action 'none'")


def e(value: Any) -> str:
    """Escape any datum for HTML text and attribute values."""
    from stancecli.output.safe import keep_lines

    # Line breaks stay (the report keeps paragraphs); terminal sequences and the other unsafe
    # characters of the one cleaner go, as in every other format.
    return html.escape(keep_lines("" if value is None else str(value)), quote=True)


def anchor(*parts: Any) -> str:
    """An id made of safe characters only, so that href and id always match."""
    return "-".join(re.sub(r"[^\w.-]", "_", str(p)) for p in parts)


def line_anchor(doc: str, line: int) -> str:
    return anchor("src", doc, f"L{line}")


def agreement_class(value: float) -> str:
    """'ag0' .. 'ag20': the agreement colour of a value between 0 and 1."""
    return f"ag{round(max(0.0, min(1.0, value)) * AGREEMENT_STEPS)}"


def _stance_badge(stance: str) -> str:
    return f'<span class="badge {stance_css(stance)}">{e(stance_label(stance))}</span>'


def _scroll(table: str, label: str) -> str:
    """A box that scrolls sideways when the table is wider than the screen; focusable, so that the
    keyboard can scroll it too."""
    return f'<div class="scroll" tabindex="0" role="region" aria-label="{e(label)}">{table}</div>'


def _td(label: str, content: str, cls: str = "") -> str:
    """A cell that names its column: on a phone, a card table shows 'Label: content' per line."""
    klass = f' class="{cls}"' if cls else ""
    return f'<td{klass} data-label="{e(label)}">{content}</td>'


class Page:
    """What the sections share: the report, the extras, and the language of the chrome."""

    def __init__(self, r, extras) -> None:
        self.r, self.x = r, extras
        self.titles = {d["id"]: d["title"] for d in r.documents}
        self.en = "" if r.lang == "en" else ' lang="en"'  # the page's own words are English

    def cite(self, doc: str, start: int | None, end: int | None) -> str:
        from stancecli.export.tables import citation

        text = e(citation(doc, self.titles.get(doc, ""), start, end))
        if start is None:
            return text
        return f'<a href="#{line_anchor(doc, start)}">{text}</a>'


# ---------------------------------------------------------------- sections

def _header(p: Page) -> Iterable[str]:
    from stancecli import __version__

    c = p.r.counts
    yield f"<header><h1{p.en}>{e(p.r.title)}</h1>"
    yield (f'<p class="meta"{p.en}>{c["organisations"]} organisations, {c["documents"]} documents, {c["issues"]} '
           f'issues, {c["positions"]} positions, {c["quotes"]} verbatim quotes. Made on {e(p.x.generated)} '
           f'with stancecli {e(__version__)}.</p>')
    yield f'<nav{p.en}><ul>' + "".join(f'<li><a href="#{k}">{e(v)}</a></li>' for k, v in (
        ("findings", "Findings"), ("map", "Position map"), ("matrix", "Agreement matrix"),
        ("conflicts", "Lines of conflict"), ("changes", "Change over time"), ("issues", "Issues and quotes"),
        ("sources", "Sources"), ("appendix", "Source texts"))) + '</ul></nav>'
    yield "</header>"


def _issue_link(p: Page, key: str, title: str) -> str:
    return f'<a href="#{anchor("issue", key)}"><span lang="{e(p.r.lang)}">{e(title)}</span></a>'


def _findings(p: Page) -> Iterable[str]:
    f = p.x.findings
    yield f'<section id="findings" class="findings"{p.en}><h2>Findings</h2><ul>'
    if f.divided:
        items = "; ".join(f'{_issue_link(p, row["issue"], row["title"])} ({e(named("orgs", row["stances"], p.r.conflicts.labels))}; agreement '
                          f'{fraction(row["agreement"])}, {e(row["verdict"])})' for row in f.divided)
        yield f"<li><strong>Most divided:</strong> {items}.</li>"
    basis = f" (pairs sharing at least {f.min_shared} issues)" if f.min_shared > 1 else ""
    for label, pairs in (("Closest", f.closest), ("Most distant", f.distant)):
        if pairs:
            items = "; ".join(e(pair) for pair in pairs)
            yield f"<li><strong>{label}{basis}:</strong> {items}.</li>"
    for move in f.moves:
        yield (f"<li><strong>{e(move.organisation)} over time</strong> ({e(move.before)}, answering "
               f"{_hearing(p, move.hearings[0])} → {e(move.after)}, answering {_hearing(p, move.hearings[1])}): ")
        if move.changed:
            yield "; ".join(f'{_issue_link(p, row["issue"], p.r.issue_titles.get(row["issue"], row["issue"]))} '
                            f'{e(row["before"])} → {e(row["after"])}' for row in move.changed) + ".</li>"
        else:
            yield "no stance changed on the issues both documents address.</li>"
    if not (f.divided or f.closest or f.moves):
        yield "<li>Too few positions for findings.</li>"
    yield "</ul></section>"


def _hearing(p: Page, hearing: str) -> str:
    return f'<span lang="nb">«{e(hearing)}»</span>'


def _map(p: Page) -> Iterable[str]:
    pm = p.r.map
    yield f'<section id="map"><h2{p.en}>Position map</h2>'
    yield (f'<p class="note"{p.en}>Each cell is an organisation\'s stance on an issue in its latest document that '
           'addresses it. Organisations stand next to those they agree with most; issues come most divided first. '
           'Agreement uses its own blue scale, darker where the positions lie closer together.</p>')
    out = [f'<table class="grid map"><thead{p.en}><tr><th>Issue</th>']
    out.append("".join(f'<th class="side" scope="col">{e(s.label)}</th>' for s in pm.profiles))
    out.append("<th>Agreement</th><th>Verdict</th></tr></thead><tbody>")
    for spread in pm.issues:
        title = p.r.issue_titles.get(spread.key, spread.key)
        cells = "".join(_map_cell(pm, spread.key, s, (spread.key, s.key) in p.x.undecided) for s in pm.profiles)
        out.append(f'<tr><th scope="row">{_issue_link(p, spread.key, title)}</th>{cells}'
                   f'{_agreement_cell(spread.agreement)}<td{p.en}>{e(spread.verdict)}</td></tr>')
    out.append("</tbody></table>")
    yield _scroll("".join(out), "Position map")
    yield f'<p class="legend"{p.en}>{_legend(bool(p.x.undecided))}</p>'
    if pm.unaddressed:
        yield f'<p class="note"{p.en}>No one addressed: {e(", ".join(pm.unaddressed))}</p>'
    yield "</section>"


def _agreement_cell(value: float) -> str:
    if value != value:
        return '<td class="heat na" data-label="Agreement">n/a</td>'
    return f'<td class="heat {agreement_class(value)}" data-label="Agreement">{fraction(value)}</td>'


def _map_cell(pm, issue: str, side, undecided: bool = False) -> str:
    stance = UNDECIDED if undecided else side.stance(issue)
    p = pm.cell(issue, side)
    where = f" ({p.source_document})" if p else ""
    words = UNDECIDED_WORDS if undecided else stance_words(stance)
    tip = f"{side.label}: {words}{where}"
    return f'<td class="cell {stance_css(stance)}" title="{e(tip)}">{e(stance_symbol(stance))}</td>'


def _legend(undecided: bool = False) -> str:
    shown = [s.label for s in SCALE] + [ABSENT] + ([UNDECIDED] if undecided else [])
    parts = [f'<span class="badge {stance_css(s)}">{e(stance_symbol(s))}</span> '
             f'{e(UNDECIDED_WORDS if s == UNDECIDED else stance_words(s))}' for s in shown]
    scale = "".join(f'<span class="badge {agreement_class(v)}">{v:.2f}</span>' for v in (0.0, 0.25, 0.5, 0.75, 1.0))
    return " &nbsp; ".join(parts) + f" &nbsp;&nbsp; Agreement: {scale}"


def _matrix(p: Page) -> Iterable[str]:
    m = p.r.matrix
    yield f'<section id="matrix"><h2{p.en}>Agreement matrix</h2>'
    yield (f'<p class="note"{p.en}>Proximity = 1 − mean |score difference| / 4 over the issues both addressed '
           '(in brackets: how many). 1 = the same stance on every shared issue; 0 = opposite ends of the '
           'scale on each; n/a = no issue in common.</p>')
    out = [f'<table class="grid heatmap"><thead{p.en}><tr><th></th>']
    out.append("".join(f'<th class="side" scope="col">{e(s.label)}</th>' for s in m.profiles) + "</tr></thead><tbody>")
    for a in m.profiles:
        out.append(f'<tr><th scope="row">{e(a.label)}</th>' + "".join(_heat_cell(m, a, b) for b in m.profiles) + "</tr>")
    out.append("</tbody></table>")
    yield _scroll("".join(out), "Agreement matrix")
    yield "</section>"


def _heat_cell(m, a, b) -> str:
    if a.key == b.key:
        return '<td class="diag">—</td>'
    prox = m.get(a.key, b.key)
    if not prox.defined:
        return '<td class="heat na" title="no issue in common">n/a</td>'
    tip = f"{a.label} and {b.label}: {', '.join(prox.issues)}"
    return (f'<td class="heat {agreement_class(prox.value)}" title="{e(tip)}">{prox.value:.2f} '
            f'<small>({prox.shared})</small></td>')


def _conflicts(p: Page) -> Iterable[str]:
    yield f'<section id="conflicts"><h2{p.en}>Lines of conflict</h2>'
    yield (f'<p class="note"{p.en}>Issues on which at least two organisations took a position, most divided '
           'first. Agreement = 1 − the mean gap between every two positions / 4.</p>')
    out = [f'<table class="cards conflicts"><thead{p.en}><tr><th>Issue</th><th>Positions</th><th>For</th><th>Mixed</th>'
           "<th>Against</th>"
           "<th>Agreement</th><th>Verdict</th><th>Stances</th></tr></thead><tbody>"]
    for row in p.r.conflicts.rows:
        out.append(f'<tr><th scope="row">{_issue_link(p, row["issue"], row["title"])}</th>'
                   + "".join(_td(k.title(), str(row[k]), "num") for k in ("positions", "for", "mixed", "against"))
                   + f'{_agreement_cell(row["agreement"])}{_td("Verdict", e(row["verdict"]))}'
                   f'{_td("Stances", e(named("orgs", row["stances"], p.r.conflicts.labels)))}</tr>')
    out.append("</tbody></table>")
    yield _scroll("".join(out), "Lines of conflict")
    yield "</section>"


def _changes(p: Page) -> Iterable[str]:
    yield f'<section id="changes"><h2{p.en}>Change over time</h2>'
    if not p.r.timelines:
        yield f'<p class="note"{p.en}>No organisation has more than one document.</p>'
    for _org, listing in p.r.timelines:
        yield f"<h3{p.en}>{e(listing.title)}</h3>"
        out = [f'<table class="cards changes"><thead{p.en}><tr><th>Change</th><th>Issue</th><th>Before</th><th>After</th>'
               "<th>Direction</th><th>In their words</th></tr></thead><tbody>"]
        for row in listing.rows:
            issue = f'<a href="#{anchor("issue", row["issue"])}">{e(row["issue"])}</a>'
            out.append(f'<tr>{_td("Change", e(row["change"]))}{_td("Issue", issue)}'
                       f'{_td("Before", _stance_badge(row["before"]))}{_td("After", _stance_badge(row["after"]))}'
                       f'{_td("Direction", e(row["direction"]))}{_td("In their words", _change_quotes(p, row), "words")}'
                       "</tr>")
        out.append("</tbody></table>")
        yield _scroll("".join(out), "Change over time")
    yield "</section>"


def _span_of(location: str) -> tuple[int | None, int | None]:
    """'seeds/x.txt:12-14' -> (12, 14); '...:?' -> (None, None)."""
    tail = location.rsplit(":", 1)[-1]
    first, _, last = tail.partition("-")
    if not first.isdigit():
        return None, None
    return int(first), int(last) if last.isdigit() else int(first)


def _change_quotes(p: Page, row: dict) -> str:
    out = []
    for side, doc_key in (("before", "from"), ("after", "to")):
        if row[f"quote_{side}"]:
            first = row[f"quote_{side}"].split(" | ")[0]
            start, end = _span_of(row[f"location_{side}"].split(" | ")[0])
            out.append(f'<blockquote lang="nb">«{e(first)}»<cite>{e(side)}: {p.cite(row[doc_key], start, end)}'
                       "</cite></blockquote>")
    return "".join(out)


def _issues(p: Page) -> Iterable[str]:
    yield f'<section id="issues"><h2{p.en}>Issues and quotes</h2>'
    for sec in p.r.issues:
        yield (f'<article class="issue" id="{anchor("issue", sec.key)}"><h3>{e(sec.title)} <code>{e(sec.key)}</code>'
               "</h3>")
        yield f'<p class="proposal"><span{p.en}>Proposal:</span> {e(sec.proposal)}</p><ul class="positions">'
        for rec in sec.positions:
            yield _position(p, rec)
        yield "</ul>"
        if sec.silent:
            yield f'<p class="silent"{p.en}>Not addressed in: {e(", ".join(sec.silent))}</p>'
        if sec.undecided:
            yield f'<p class="silent"{p.en}>{e(UNDECIDED_WORDS.capitalize())}: {e(", ".join(sec.undecided))}</p>'
        yield "</article>"
    yield "</section>"


def _position(p: Page, rec: dict) -> str:
    reported = (f' <span class="reported"{p.en}>reported by {e(rec["reported_by"])}</span>'
                if rec["reported_by"] else "")
    quotes = "".join(_quote(p, rec["document"], q) for q in rec["quotes"])
    return (f'<li class="b-{stance_css(rec["stance"])}">{_stance_badge(rec["stance"])} '
            f'<strong>{e(rec["organisation_label"])}</strong>, {e(rec["document"])} ({e(rec["year"])}){reported}'
            f'<p>{e(rec["summary"])}</p>{quotes}</li>')


def _quote(p: Page, doc: str, q: dict) -> str:
    speaker = q.get("speaker")
    said = f' <span class="speaker" lang="en">(words of {e(speaker)})</span>' if speaker else ""
    return (f'<blockquote lang="nb">«{e(q["text"])}»{said}<cite>{p.cite(doc, q["line_start"], q["line_end"])}'
            "</cite></blockquote>")


def _sources(p: Page) -> Iterable[str]:
    yield f'<section id="sources"><h2{p.en}>Sources</h2>'
    out = [f'<table class="cards sources"><thead{p.en}><tr><th>Document</th><th>Organisation</th><th>Title</th>'
           "<th>Year</th>"
           "<th>Hearing</th><th>Signed by</th><th>Text</th></tr></thead><tbody>"]
    for d in p.r.documents:
        when = d["date"] or d["year"]
        ref = f'<br><small>{e(d["reference"])}</small>' if d["reference"] else ""
        url = d.get("url")
        title = e(d["title"]) + (f'<br><small class="cite">{e(url)}</small>' if url else "")
        text = f'<a href="#{anchor("src", d["id"])}"><code>{e(d["file"])}</code></a>'
        doc_id = f'<code>{e(d["id"])}</code>'
        out.append(f'<tr>{_td("Document", doc_id)}'
                   f'{_td("Organisation", e(d["organisation"]))}{_td("Title", title)}{_td("Year", e(when))}'
                   f'{_td("Hearing", e(d["hearing"]) + ref)}{_td("Signed by", e("; ".join(d["signatories"])))}'
                   f'{_td("Text", text)}</tr>')
    out.append("</tbody></table>")
    yield _scroll("".join(out), "Sources")
    yield "</section>"


def _quoted_lines(r) -> dict[str, set[int]]:
    """Per document, the lines some quote of the report stands on (marked in the appendix)."""
    marked: dict[str, set[int]] = {}
    for sec in r.issues:
        for rec in sec.positions:
            for q in rec["quotes"]:
                if q["line_start"] is not None:
                    marked.setdefault(rec["document"], set()).update(range(q["line_start"], q["line_end"] + 1))
    return marked


def _appendix(p: Page) -> Iterable[str]:
    yield f'<section id="appendix"><h2{p.en}>Source texts</h2>'
    yield (f'<p class="note"{p.en}>Each response as the dataset holds it, line by line: every citation above '
           'links to its first line here; quoted lines are marked.</p>')
    marked = _quoted_lines(p.r)
    for src in p.x.sources:
        yield (f'<article id="{anchor("src", src.id)}"><h3><code>{e(src.id)}</code> {e(src.title)}</h3>'
               f'<p class="note"><code>{e(src.file)}</code></p>')
        if src.problem:
            yield f'<p class="note"{p.en}>{e(src.problem)}</p></article>'
            continue
        quoted = marked.get(src.id, set())
        lines = (f'<div class="l{" q" if n in quoted else ""}" id="{line_anchor(src.id, n)}">'
                 f'<a href="#{line_anchor(src.id, n)}">{n}</a><span>{e(text)}</span></div>'
                 for n, text in enumerate(src.lines, 1))
        yield '<div class="source" lang="nb">' + "\n".join(lines) + "</div></article>"
    yield "</section>"


def render_html(r, extras) -> Iterable[str]:
    """The whole report as one HTML document, in lines; `extras` (findings, date, source texts)
    from stancecli.export.findings."""
    page = Page(r, extras)
    yield from ("<!DOCTYPE html>", f'<html lang="{e(r.lang)}">', '<head><meta charset="utf-8">',
                f'<meta http-equiv="Content-Security-Policy" content="{e(csp())}">',
                '<meta name="viewport" content="width=device-width, initial-scale=1">',
                '<meta name="generator" content="stancecli">', f"<title>{e(r.title)}</title>",
                f"<style>{CSS}</style></head>", "<body>")
    for section in (_header, _findings, _map, _matrix, _conflicts, _changes, _issues, _sources, _appendix):
        yield from section(page)
    yield "</body></html>"
