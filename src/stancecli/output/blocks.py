"""Terminal blocks for answers that carry quotes from two sides (agree, diff, timeline):
a table with two quote columns cannot fit a terminal, so each item gets a short block.
Data never passes through Rich markup: everything is a Text object."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from stancecli.output.safe import clean

ARROWS = {"toward-for": "\u2191 toward for", "toward-against": "\u2193 toward against"}


def _quote_lines(quotes: list[dict[str, Any]], indent: int = 4):
    """Each quote in «», then its file:line; wrapped lines keep the indent."""
    from rich.padding import Padding
    from rich.text import Text

    from stancecli.queries import citation

    for q in quotes:
        line = Text()
        line.append(f"\u00ab{clean(q['text'])}\u00bb", style="italic")
        line.append(f"  {citation(q, short=True)}", style="cyan")
        yield Padding(line, (0, 0, 0, indent), expand=False)


def agree_renderables(listing) -> Iterable[Any]:
    from rich.text import Text

    from stancecli.output.table import proximity_style, stance_text

    if listing.title:
        yield Text(clean(listing.title), style="bold")
    headers = {c.key: c.header for c in listing.columns}
    for row, rec in zip(listing.rows, listing.json_records):
        head = Text()
        head.append(clean(row["issue"]), style="bold")
        head.append(f"  {clean(row['title'])}  ")
        head.append(f" gap {row['gap']} ", style=proximity_style(row["agreement"]))
        yield Text("")
        yield head
        for side, label in (("a", headers["stance_a"]), ("b", headers["stance_b"])):
            who = Text("  ")
            who.append(clean(label), style="bold")
            who.append(f"  {clean(rec[side]['document'])}  ")
            who.append_text(stance_text(rec[side]["stance"]))
            yield who
            yield from _quote_lines(rec[side]["quotes"][:1])
    for note in listing.notes:
        yield Text("")
        yield Text(clean(note), style="dim")


def changes_renderables(listing, steps: bool = False) -> Iterable[Any]:
    """diff and timeline: per item the change, both stances, and the quotes from each document.

    With steps (timeline), a heading before each pair of documents."""
    from rich.text import Text

    if listing.title:
        yield Text(clean(listing.title), style="bold")
    step = None
    for rec in listing.json_records:
        if steps and (rec["from"], rec["to"]) != step:
            step = (rec["from"], rec["to"])
            yield Text("")
            yield Text(f"{step[0]} \u2192 {step[1]}", style="bold underline")
        yield Text("")
        yield _change_head(rec)
        for side in ("before", "after"):
            if rec[side]:
                yield Text(f"  {rec[side]['document']} ({rec[side]['year']})", style="dim")
                yield from _quote_lines(rec[side]["quotes"])
    for note in listing.notes:
        yield Text("")
        yield Text(clean(note), style="dim")


CHANGE_STYLES = {"changed": "bold yellow", "new": "bold green", "dropped": "bold red", "kept": "bold",
                 "not-raised": "dim", "undecided": "magenta"}


def _side_text(rec: dict[str, Any], side: str, doc: str):
    """A stance, or why there is none: not addressed, not raised in <doc>, undecided."""
    from rich.text import Text

    from stancecli.model import ABSENT
    from stancecli.output.table import stance_text

    if rec[side]:
        return stance_text(rec[side]["stance"])
    status = rec.get(f"{side}_status", ABSENT)
    if status == "not-raised":
        return Text(f"not raised in {doc}", style="dim")
    return stance_text(status)


def _change_head(rec: dict[str, Any]):
    from rich.text import Text

    head = Text()
    head.append(f"{rec['change']:<10}", style=CHANGE_STYLES.get(rec["change"], ""))
    head.append(f" {clean(rec['issue'])}  ", style="bold")
    head.append_text(_side_text(rec, "before", rec["from"]))
    head.append(" \u2192 ")
    head.append_text(_side_text(rec, "after", rec["to"]))
    if rec["direction"]:
        head.append(f"  {ARROWS[rec['direction']]}")
        if rec["reversed"]:
            head.append(" (reversed)", style="bold")
    return head
