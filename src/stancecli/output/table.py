"""Rich tables for a terminal. Data never passes through Rich markup: cells are Text objects."""

from __future__ import annotations

from typing import Any

from stancecli.model import ABSENT, ABSENT_SYMBOL, SYMBOLS
from stancecli.output.text import clean
from stancecli.records import Listing

STANCE_STYLES = {
    "strongly-for": "bold green",
    "for": "green",
    "mixed": "yellow",
    "against": "red",
    "strongly-against": "bold red",
    ABSENT: "dim",
}


def stance_text(stance: str):
    from rich.text import Text

    symbol = SYMBOLS.get(stance, ABSENT_SYMBOL)
    label = "not addressed" if stance == ABSENT else stance
    return Text(f"{symbol} {label}", style=STANCE_STYLES.get(stance, ""))


def proximity_style(value: float) -> str:
    """Heat from red (far apart) through yellow to green (close)."""
    if value >= 0.85:
        return "bold black on green"
    if value >= 0.7:
        return "black on dark_sea_green"
    if value >= 0.5:
        return "black on yellow"
    if value >= 0.3:
        return "black on dark_orange"
    return "white on red"


def cell(kind: str, value: Any):
    from rich.text import Text

    if kind == "stance" and isinstance(value, str):
        return stance_text(value)
    if kind == "quote" and value:
        return Text(f"\u00ab{clean(value)}\u00bb", style="italic")
    if kind == "location":
        # A terminal has no room for full paths: file name and lines (pipes and JSON keep the path).
        parts = [part.rsplit("/", 1)[-1] for part in clean(value).split(" | ")]
        return Text("\n".join(parts), style="cyan")
    if kind == "score" and isinstance(value, int):
        return Text(f"{value:+d}", style=STANCE_STYLES.get(_label(value), ""))
    if kind == "percent" and isinstance(value, (int, float)):
        return Text(f"{value:.0%}", style="green" if value >= 0.75 else "yellow")
    if kind == "proximity":
        if isinstance(value, (int, float)) and value == value:
            return Text(f"{value:.2f}", style=proximity_style(float(value)))
        return Text("n/a", style="dim")
    return Text(clean(value))


def _label(score: int) -> str:
    return {2: "strongly-for", 1: "for", 0: "mixed", -1: "against", -2: "strongly-against"}[score]


def _evidence_cell(row: dict[str, Any]):
    """Summary, quote and citation stacked in one cell: the reading order of a position."""
    from rich.text import Text

    out = Text()
    if row.get("summary"):
        out.append(clean(row["summary"]))
    quotes = row.get("quotes") or ([{"text": row["quote"]}] if row.get("quote") else [])
    locations = [part.rsplit("/", 1)[-1] for part in clean(row.get("location")).split(" | ") if part]
    for i, quote in enumerate(quotes):
        out.append("\n\u00ab" + clean(quote["text"]) + "\u00bb", style="italic")
        if i < len(locations):
            # On a line of its own, so a citation is never broken in the middle.
            out.append("\n" + locations[i], style="cyan")
    return out


def _organisation_cell(row: dict[str, Any]):
    from rich.text import Text

    out = Text(clean(row.get("organisation")))
    if row.get("reported_by"):
        out.append(f"\nreported by\n{clean(row['reported_by'])}", style="magenta")
    return out


def build_table(listing: Listing, hide: tuple[str, ...] = ()):
    from rich import box
    from rich.table import Table
    from rich.text import Text

    # Columns hidden on request or empty in every row (e.g. "reported by") only take room.
    columns = [c for c in listing.columns if c.key not in hide
               and any(row.get(c.key) not in (None, "", []) for row in listing.rows)]
    keys = {c.key for c in columns}
    stacked = {"summary", "quote", "location"} <= keys
    if stacked:
        columns = [c for c in columns if c.key not in ("quote", "location")]
    # "reported by" goes under the organisation it concerns: one column less to share the width.
    merged = {"organisation", "reported_by"} <= keys
    if merged:
        columns = [c for c in columns if c.key != "reported_by"]
    table = Table(title=Text(clean(listing.title)) if listing.title else None, box=box.SIMPLE_HEAD,
                  show_lines=stacked, header_style="bold", title_justify="left", expand=False)
    for col in columns:
        numeric = col.kind in ("number", "score", "percent", "proximity")
        wide = col.kind in ("quote",) or col.key in ("summary", "title", "proposal", "name")
        header = "Position and evidence" if stacked and col.key == "summary" else col.header
        fixed = col.kind in ("stance", "score", "number", "percent", "proximity", "location")
        table.add_column(header, justify="right" if numeric else "left", overflow="fold",
                         no_wrap=fixed, ratio=1 if wide else None, min_width=20 if wide else None)
    for row in listing.rows:
        table.add_row(*(_evidence_cell(row) if stacked and c.key == "summary"
                        else _organisation_cell(row) if merged and c.key == "organisation"
                        else cell(c.kind, row.get(c.key)) for c in columns))
    return table
