"""Grids for people: the agreement matrix as a heatmap and the position map, in a terminal
(Rich, imported inside functions) and as markdown. Pipes get the long form from the Listing."""

from __future__ import annotations

from collections.abc import Iterable

from stancecli.model import ABSENT_SYMBOL, SYMBOLS
from stancecli.output.text import clean

STANCE_LEGEND = "++ strongly for, + for, ± mixed, - against, -- strongly against, \u00b7 not addressed"
MATRIX_LEGEND = ("proximity (shared issues): 1 = the same stance on every shared issue, "
                 "0 = opposite ends of the scale on each; n/a = no issue in common")


# ---------------------------------------------------------------- cells as plain text

def proximity_cell(prox, diagonal: bool = False) -> str:
    """'0.88 (7)'; 'n/a' with nothing shared; '—' on the diagonal."""
    if diagonal:
        return "\u2014"
    return f"{prox.value:.2f} ({prox.shared})" if prox.defined else "n/a"


def symbol(stance: str) -> str:
    return SYMBOLS.get(stance, ABSENT_SYMBOL)


def fraction(value: float) -> str:
    return "n/a" if value != value else f"{value:.2f}"


def _md(value) -> str:
    """A markdown table cell: one line, raw HTML neutralised (&, <, >), | escaped."""
    import html

    return html.escape(clean(value), quote=False).replace("|", "\\|")


# ---------------------------------------------------------------- the matrix

def matrix_table(m, title: str | None = None):
    from rich import box
    from rich.table import Table
    from rich.text import Text

    from stancecli.output.table import proximity_style

    table = Table(title=Text(clean(title)) if title else None, box=box.SIMPLE_HEAD, header_style="bold",
                  title_justify="left", caption=MATRIX_LEGEND, caption_justify="left")
    table.add_column("")
    for side in m.profiles:
        table.add_column(clean(side.label), justify="right", no_wrap=True)
    for a in m.profiles:
        cells = [Text(clean(a.label), style="bold")]
        for b in m.profiles:
            prox = m.get(a.key, b.key)
            text = proximity_cell(prox, a.key == b.key)
            style = proximity_style(prox.value) if prox.defined and a.key != b.key else "dim"
            cells.append(Text(text, style=style))
        table.add_row(*cells)
    return table


def matrix_markdown(m, title: str | None = None) -> Iterable[str]:
    if title:
        yield f"### {_md(title)}"
        yield ""
    yield "| | " + " | ".join(_md(s.label) for s in m.profiles) + " |"
    yield "|---|" + "|".join("---:" for _ in m.profiles) + "|"
    for a in m.profiles:
        cells = [proximity_cell(m.get(a.key, b.key), a.key == b.key) for b in m.profiles]
        yield f"| **{_md(a.label)}** | " + " | ".join(cells) + " |"
    yield ""
    yield f"_{MATRIX_LEGEND}_"


# ---------------------------------------------------------------- the position map

def map_table(pm, title: str | None = None):
    from rich import box
    from rich.table import Table
    from rich.text import Text

    from stancecli.output.table import STANCE_STYLES, proximity_style

    table = Table(title=Text(clean(title)) if title else None, box=box.SIMPLE_HEAD, header_style="bold",
                  title_justify="left", caption=STANCE_LEGEND, caption_justify="left")
    table.add_column("Issue", overflow="fold")
    for side in pm.profiles:
        table.add_column(clean(side.label), justify="center", no_wrap=True)
    table.add_column("Agreement", justify="right", no_wrap=True)
    table.add_column("Verdict", no_wrap=True)
    for spread in pm.issues:
        cells = [Text(clean(spread.key))]
        for side in pm.profiles:
            stance = side.stance(spread.key)
            cells.append(Text(symbol(stance), style=STANCE_STYLES.get(stance, "")))
        agreement = spread.agreement
        cells.append(Text(fraction(agreement), style=proximity_style(agreement) if agreement == agreement else "dim"))
        cells.append(Text(spread.verdict, style="bold" if spread.verdict == "split" else ""))
        table.add_row(*cells)
    return table


def map_markdown(pm, title: str | None = None) -> Iterable[str]:
    if title:
        yield f"### {_md(title)}"
        yield ""
    yield "| Issue | " + " | ".join(_md(s.label) for s in pm.profiles) + " | Agreement | Verdict |"
    yield "|---|" + "|".join(":---:" for _ in pm.profiles) + "|---:|---|"
    for spread in pm.issues:
        cells = [_md(symbol(side.stance(spread.key))) for side in pm.profiles]
        yield (f"| {_md(spread.key)} | " + " | ".join(cells)
               + f" | {fraction(spread.agreement)} | {spread.verdict} |")
    yield ""
    yield f"_{_md(STANCE_LEGEND)}_"
