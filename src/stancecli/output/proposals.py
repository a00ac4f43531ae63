"""Proposed stances (suggest): blocks for a terminal, a listing for pipes, position stubs as YAML.

Quotes, reasons, speakers and titles come from documents: they pass through the one cleaner.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from stancecli.output.env import Environment
from stancecli.output.safe import clean, escape
from stancecli.records import Column, Listing
from stancecli.results import ProposalsResult

STUBS = "yaml"  # position stubs to paste: chosen by --yaml, not by --format
NOTICE = "Proposals for a person to confirm against the codebook; nothing has been written to the dataset."
COLUMNS = ("issue", "stance", "confidence", "role", "rank", "speaker", "score", "location", "quote", "matched",
           "reasons")
MATCHED_SHOWN = 4  # matched terms in a stub's comment
CLIP_WIDTH = 40


def render_proposals(result: ProposalsResult, fmt: str, env: Environment) -> Iterable[str]:
    """Blocks for 'table', stubs for STUBS, else the listing in a plain format."""
    if fmt == STUBS:
        return stub_lines(result)
    if fmt == "table":
        from stancecli.output.table import draw

        return draw(env.wide(), list(proposal_renderables(result)))
    from stancecli.output.text import render

    return render(proposal_listing(result), fmt, bom=env.csv_bom)


# ---------------------------------------------------------------- pipe formats

def proposal_listing(result: ProposalsResult) -> Listing:
    """One row per offered passage (or per proposal without one); one JSON record per proposal."""
    rows: list[dict[str, Any]] = []
    records: list[dict[str, Any]] = []
    for p in result.proposals:
        base = {"issue": p.issue, "stance": p.stance, "confidence": f"{p.confidence:.2f}",
                "reasons": "; ".join(p.reasons)}
        offered = [("quote", c) for c in p.quotes] + [("reported", c) for c in p.reported]
        for rank, (role, cand) in enumerate(offered, 1):
            rows.append({**base, "role": role, "rank": rank, "speaker": cand.speaker or "",
                         "score": f"{cand.score:.2f}", "location": f"{result.source}:{_lines(cand)}",
                         "quote": cand.quote, "matched": "; ".join(cand.matched)})
        if not offered:
            rows.append({**base, "role": "none", "rank": "", "speaker": "", "score": "", "location": "",
                         "quote": "", "matched": ""})
        records.append({
            "issue": p.issue, "document": result.doc_id, "stance": p.stance, "confidence": p.confidence,
            "confirmed": False, "reasons": p.reasons,
            "quotes": [_record(c, result.source) for c in p.quotes],
            "reported": [{**_record(c, result.source), "speaker": c.speaker,
                          "speaker_organisations": c.speaker_ids, "stance": c.stance} for c in p.reported],
        })
    return Listing([Column(k, k) for k in COLUMNS], rows, records, title=f"Proposed stances for {result.doc_id}",
                   notes=[NOTICE])


def _record(cand: Any, source: str) -> dict[str, Any]:
    return {"text": cand.quote, "file": source, "line_start": cand.line, "line_end": cand.end_line,
            "score": cand.score, "matched": cand.matched}


def _lines(cand: Any) -> str:
    return f"{cand.line}" if cand.line == cand.end_line else f"{cand.line}-{cand.end_line}"


# ---------------------------------------------------------------- terminal

def proposal_renderables(result: ProposalsResult) -> Iterable[Any]:
    """A heading and the notice; per issue the proposal, why, and the passages offered."""
    from rich.text import Text

    from stancecli.model import ABSENT, ABSENT_SYMBOL, SYMBOLS

    yield Text(f"Proposed stances for {clean(result.doc_id)} ({clean(result.source)})", style="bold")
    yield Text(NOTICE, style="yellow")
    for p in result.proposals:
        head = Text(f"\n{p.issue}", style="bold")
        head.append(f"  {clean(result.issue_titles.get(p.issue, ''))}\n", style="dim")
        label = "not addressed" if p.stance == ABSENT else p.stance
        head.append(f"  proposed: {SYMBOLS.get(p.stance, ABSENT_SYMBOL)} {label}", style=_style(p.stance))
        head.append(f"   confidence {p.confidence:.2f}")
        yield head
        if p.reasons:
            yield Text("  why: " + clean("; ".join(p.reasons)), style="dim")
        if p.stance == ABSENT and p.quotes:
            yield Text("  weak candidates, in case the document does address it:", style="dim")
        for cand in p.quotes:
            yield from _candidate(cand, result.source)
        for cand in p.reported:
            yield from _candidate(cand, result.source, reported=True)


def _candidate(cand: Any, source: str, reported: bool = False) -> Iterable[Any]:
    from rich.text import Text

    line = Text("  ")
    if reported:
        line.append(f"reported, {clean(cand.speaker)} says", style="magenta")
        if cand.stance:
            line.append(f" (reads as {cand.stance})", style="magenta")
        line.append(": ")
    line.append(f"«{clean(cand.quote)}»")
    yield line
    yield Text(f"    {clean(source)}:{_lines(cand)}  score {cand.score:.2f}", style="cyan")


def _style(stance: str) -> str:
    if stance.endswith("for"):
        return "green"
    if stance.endswith("against"):
        return "red"
    return "yellow" if stance == "mixed" else "dim"


# ---------------------------------------------------------------- stubs

def stub_lines(result: ProposalsResult) -> Iterable[str]:
    """One stub per quote offered, stance left as TODO; issues with no quote listed at the end."""
    from stancecli.suggest import stub

    yield f"# Position stubs for {result.doc_id} ({escape(result.publisher)}), best quote first."
    yield f"# {NOTICE}"
    yield "# Paste one under positions:, decide the stance by the codebook and write the summary."
    for p in result.proposals:
        for n, cand in enumerate(p.quotes, 1):
            matched = escape(", ".join(_clip(m) for m in cand.matched[:MATCHED_SHOWN]))
            yield (f"\n# {p.issue} {n}. proposed {p.stance} (confidence {p.confidence:.2f}); line {_lines(cand)}, "
                   f"score {cand.score:.2f}; matched: {matched}")
            yield stub(cand, p.issue, result.doc_id, p)
    empty = [p.issue for p in result.proposals if not p.quotes]
    if empty:
        yield f"\n# No passage names: {', '.join(empty)} (proposed not addressed)"


def _clip(text: str, width: int = CLIP_WIDTH) -> str:
    return text if len(text) <= width else text[: width - 1] + "\u2026"
