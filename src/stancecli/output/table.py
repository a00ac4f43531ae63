"""Tables for a terminal, and the block layout they fall back to when a table cannot fit.

Data never passes through Rich markup: cells are Text objects. No word is ever cut: every column
is at least as wide as its longest word (a key, id, number or citation is one word); when those
widths do not fit the terminal, each row becomes a block instead.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from stancecli.model import LABEL_OF_SCORE, STYLES, UNDECIDED
from stancecli.output.env import MIN_WIDTH, Environment
from stancecli.output.safe import clean
from stancecli.output.stances import stance_label
from stancecli.records import NUMERIC_KINDS, Column, Listing, named

STANCE_STYLES = {**STYLES, UNDECIDED: "magenta"}
WIDE_KEYS = ("summary", "title", "proposal", "name", "stances", "members", "silent", "undecided")
# Long fields a block shows under their header's name (the others speak for themselves).
LABELLED_KEYS = ("stances", "members", "silent", "undecided", "proposal")
PADDING = 2  # one space either side of a cell
BLOCK_INDENT = 2


def stance_text(stance: str):
    from rich.text import Text

    return Text(stance_label(stance), style=STANCE_STYLES.get(stance, ""))


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


def short_citation(location: Any) -> list[str]:
    """A terminal has no room for paths: file name and lines (pipes and JSON keep the path)."""
    return [part.rsplit("/", 1)[-1] for part in clean(location).split(" | ") if part]


def cell(kind: str, value: Any, labels: dict[str, str] | None = None):
    from rich.text import Text

    if kind in ("org", "orgs") and labels:
        return Text(clean(named(kind, value, labels)))
    if kind == "stance" and isinstance(value, str):
        return stance_text(value)
    if kind == "quote" and value:
        return Text(f"\u00ab{clean(value)}\u00bb", style="italic")
    if kind == "location":
        return Text("\n".join(short_citation(value)), style="cyan")
    if kind == "score" and isinstance(value, int):
        return Text(f"{value:+d}", style=STANCE_STYLES.get(LABEL_OF_SCORE.get(value, ""), ""))
    if kind == "percent" and isinstance(value, (int, float)):
        return Text(f"{value:.0%}", style="green" if value >= 0.75 else "yellow")
    if kind == "proximity":
        if isinstance(value, (int, float)) and value == value:
            return Text(f"{value:.2f}", style=proximity_style(float(value)))
        return Text("n/a", style="dim")
    return Text(clean(value))


def _evidence_cell(row: dict[str, Any]):
    """Summary, quote and citation stacked in one cell: the reading order of a position."""
    from rich.text import Text

    out = Text()
    if row.get("summary"):
        out.append(clean(row["summary"]))
    quotes = row.get("quotes") or ([{"text": row["quote"]}] if row.get("quote") else [])
    locations = short_citation(row.get("location"))
    for i, quote in enumerate(quotes):
        out.append(("\n" if len(out) else "") + "\u00ab" + clean(quote["text"]) + "\u00bb", style="italic")
        if i < len(locations):
            # On a line of its own, so a citation is never broken in the middle.
            out.append("\n" + locations[i], style="cyan")
    return out


def _organisation_cell(row: dict[str, Any], labels: dict[str, str]):
    from rich.text import Text

    out = Text(clean(labels.get(row.get("organisation") or "", row.get("organisation"))))
    if row.get("reported_by"):
        out.append(f"\nreported by\n{clean(row['reported_by'])}", style="magenta")
    return out


# ---------------------------------------------------------------- layout

@dataclass
class Laid:
    """A listing's columns and cells as the terminal shows them."""

    columns: list[Column]
    headers: list[str]
    cells: list[list[Any]]  # rich Text per row and column


def lay_out(listing: Listing, hide: Iterable[str] = ()) -> Laid:
    hidden = set(hide)
    # Columns hidden on request or empty in every row (e.g. "reported by") only take room.
    columns = [c for c in listing.columns if c.key not in hidden
               and any(row.get(c.key) not in (None, "", []) for row in listing.rows)]
    keys = {c.key for c in columns}
    stacked = {"summary", "quote", "location"} <= keys
    if stacked:
        columns = [c for c in columns if c.key not in ("quote", "location")]
    # "reported by" goes under the organisation it concerns: one column less to share the width.
    merged = {"organisation", "reported_by"} <= keys
    if merged:
        columns = [c for c in columns if c.key != "reported_by"]
    headers = ["Position and evidence" if stacked and c.key == "summary" else c.header for c in columns]
    cells = [[_evidence_cell(row) if stacked and c.key == "summary"
              else _organisation_cell(row, listing.labels) if merged and c.key == "organisation"
              else cell(c.kind, row.get(c.key), listing.labels) for c in columns] for row in listing.rows]
    return Laid(columns, headers, cells)


def _lines(text) -> list[str]:
    return str(text.plain if hasattr(text, "plain") else text).split("\n")


def longest_word(text) -> int:
    from rich.cells import cell_len

    return max((cell_len(w) for line in _lines(text) for w in line.split()), default=0)


def longest_line(text) -> int:
    from rich.cells import cell_len

    return max((cell_len(line) for line in _lines(text)), default=0)


def _is_wide(col: Column) -> bool:
    return col.kind == "quote" or col.key in WIDE_KEYS


def table_overhead(columns: int) -> int:
    """What a SIMPLE_HEAD table adds to its column widths: padding, gaps and edges."""
    return PADDING * columns + columns + 1


def column_widths(laid: Laid, width: int) -> list[int] | None:
    """Widths that cut no word and fit `width`, or None when no such widths exist."""
    least, most = [], []
    for i, col in enumerate(laid.columns):
        texts = [row[i] for row in laid.cells]
        head = longest_word(laid.headers[i])
        if _is_wide(col):
            least.append(max([head] + [longest_word(t) for t in texts]))
        else:
            least.append(max([head] + [longest_line(t) for t in texts]))
        most.append(max([least[-1], longest_line(laid.headers[i])] + [longest_line(t) for t in texts]))
    room = width - table_overhead(len(least))
    if sum(least) > room:
        return None
    widths = list(least)
    # Short columns first get their whole header on one line; the long texts share what is left.
    for narrow_first in (True, False):
        spare = room - sum(widths)
        take = [i for i, col in enumerate(laid.columns) if _is_wide(col) != narrow_first]
        wants = {i: most[i] - widths[i] for i in take}
        total = sum(wants.values())
        for i in take:
            widths[i] += wants[i] if total <= spare else spare * wants[i] // total
    return widths


def build_table(laid: Laid, widths: list[int], title: str | None):
    from rich import box
    from rich.table import Table
    from rich.text import Text

    stacked = "Position and evidence" in laid.headers
    table = Table(title=Text(clean(title)) if title else None, box=box.SIMPLE_HEAD, show_lines=stacked,
                  header_style="bold", title_justify="left", expand=False)
    for col, header, w in zip(laid.columns, laid.headers, widths):
        table.add_column(header, justify="right" if col.kind in NUMERIC_KINDS else "left", width=w,
                         overflow="fold")
    for row in laid.cells:
        table.add_row(*row)
    return table


def blocks(laid: Laid, title: str | None) -> Iterable[Any]:
    """One block per row: the short fields on a heading line, the long ones below, indented."""
    from rich.padding import Padding
    from rich.text import Text

    if title:
        yield Text(clean(title), style="bold")
    for row in laid.cells:
        head = Text()
        body = []
        for col, header, text in zip(laid.columns, laid.headers, row):
            if _is_wide(col) or col.kind == "location":
                if col.key in LABELLED_KEYS and text.plain:
                    text = Text(f"{header}: ", style="dim") + text
                if text.plain:
                    body.append(text)
                continue
            if len(head):
                head.append("  ")
            if col.kind in NUMERIC_KINDS:
                # name=value: a wrapped line never parts a number from what it counts
                head.append("-".join(header.lower().split()) + "=", style="dim")
            flat = text.copy()
            flat.plain = flat.plain.replace("\n", " ")
            head.append_text(flat)
        yield Text("")
        yield head
        for text in body:
            yield Padding(text, (0, 0, 0, BLOCK_INDENT), expand=False)


def listing_renderables(listing: Listing, env: Environment, hide: Iterable[str] = ()) -> list[Any]:
    """A table when one fits the width without cutting a word; otherwise blocks."""
    from rich.text import Text

    out: list[Any] = []
    if listing.rows:
        laid = lay_out(listing, hide)
        widths = column_widths(laid, max(env.width, MIN_WIDTH))
        if widths is None:
            out.extend(blocks(laid, listing.title))
        else:
            out.append(build_table(laid, widths, listing.title))
    out.extend(Text(clean(note), style="dim") for note in listing.notes)
    return out


def draw(env: Environment, renderables: Iterable[Any] | Callable[[Any], None]) -> list[str]:
    """Render to lines of text at the environment's width, in colour only where it asks for it."""
    import io

    from rich.console import Console

    buf = io.StringIO()
    console = Console(file=buf, width=max(env.width, MIN_WIDTH), force_terminal=env.color,
                      color_system="auto" if env.color else None, no_color=not env.color,
                      highlight=False, emoji=False, markup=False, legacy_windows=False,
                      force_jupyter=False, soft_wrap=False)
    if callable(renderables):
        renderables(console)
    else:
        from rich.console import Group

        console.print(Group(*renderables))
    lines = buf.getvalue().split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    # No trailing padding: a table in a pipe or a file ends each line where its text ends.
    return lines if env.color else [line.rstrip(" ") for line in lines]
