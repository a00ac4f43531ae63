"""Grids for people: the agreement matrix as a heatmap and the position map, in a terminal
(Rich, imported inside functions) and as markdown. Pipes get the long form from the Listing."""

from __future__ import annotations

from collections.abc import Iterable

from stancecli.model import SYMBOLS
from stancecli.output.safe import clean
from stancecli.output.table import stance_symbol
from stancecli.output.text import md as _md

STANCE_LEGEND = "++ strongly for, + for, ± mixed, - against, -- strongly against, \u00b7 not addressed"
UNDECIDED_LEGEND = ", ? undecided (not yet coded)"
MATRIX_LEGEND = ("proximity (shared issues): 1 = the same stance on every shared issue, "
                 "0 = opposite ends of the scale on each; n/a = no issue in common")


# ---------------------------------------------------------------- cells as plain text

def proximity_cell(prox, diagonal: bool = False) -> str:
    """'0.88 (7)'; 'n/a' with nothing shared; '—' on the diagonal."""
    if diagonal:
        return "\u2014"
    return f"{prox.value:.2f} ({prox.shared})" if prox.defined else "n/a"


def symbol(stance: str) -> str:
    return stance_symbol(stance)


def fraction(value: float) -> str:
    return "n/a" if value != value else f"{value:.2f}"


# ---------------------------------------------------------------- the matrix

def _grid_tables(title: str | None, label_header: str, labels: list[str], columns: list[tuple[str, list]],
                 width: int, caption: str | None, center: bool = False) -> list:
    """One table, or several side by side columns-wise, each with the row labels, none wider than `width`.

    columns: (header, cells) with one rich Text per row; no cell is ever cut or wrapped."""
    from rich import box
    from rich.table import Table
    from rich.text import Text

    from stancecli.output.table import longest_line, table_overhead

    label_w = max([longest_line(label_header)] + [longest_line(x) for x in labels])
    col_w = [max([longest_line(h)] + [longest_line(c) for c in cells]) for h, cells in columns]
    groups: list[list[int]] = []
    current: list[int] = []
    for i, w in enumerate(col_w):
        used = label_w + sum(col_w[j] for j in current) + w + table_overhead(len(current) + 2)
        if current and used > width:
            groups.append(current)
            current = []
        current.append(i)
    groups.append(current)
    tables = []
    for n, group in enumerate(groups):
        part = f" (part {n + 1} of {len(groups)})" if len(groups) > 1 else ""
        heading = f"{clean(title)}{part}" if title else part.strip() or None
        table = Table(title=Text(heading) if heading else None, box=box.SIMPLE_HEAD, header_style="bold",
                      title_justify="left", expand=False,
                      caption=caption if n == len(groups) - 1 else None, caption_justify="left")
        table.add_column(label_header, width=label_w, no_wrap=True)
        for i in group:
            table.add_column(columns[i][0], justify="center" if center else "right", width=col_w[i], no_wrap=True)
        for r, label in enumerate(labels):
            table.add_row(label, *(columns[i][1][r] for i in group))
        tables.append(table)
    return tables


def _fits(label_w: int, col_w: list[int], width: int) -> bool:
    from stancecli.output.table import table_overhead

    return label_w + sum(col_w) + table_overhead(len(col_w) + 1) <= width


def codes(count: int) -> list[str]:
    """Short column labels for a grid too wide for names: 1, 2, 3, ..."""
    return [str(i + 1) for i in range(count)]


def compact_proximity(prox, diagonal: bool) -> str:
    """Two characters: proximity x 100 ('88'), '··' for n/a, '—' on the diagonal; 1.00 is '**'."""
    if diagonal:
        return "\u2014"
    if not prox.defined:
        return "\u00b7\u00b7"
    return "**" if prox.value >= 0.995 else f"{round(prox.value * 100):02d}"


COMPACT_NOTE = ("cells: proximity x 100 (** = 1.00, \u00b7\u00b7 = no issue in common); the number of shared "
                "issues is in --format tsv")


def matrix_renderables(m, title: str | None, width: int) -> list:
    """The heatmap; too wide for the terminal, numbered columns with two-character cells, in parts."""
    from rich.text import Text

    from stancecli.output.table import longest_line, proximity_style

    def styled(prox, diagonal: bool, text: str):
        return Text(text, style=proximity_style(prox.value) if prox.defined and not diagonal else "dim")

    labels = [Text(clean(s.label), style="bold") for s in m.profiles]
    full = [(clean(b.label), [styled(m.get(a.key, b.key), a.key == b.key,
                                      proximity_cell(m.get(a.key, b.key), a.key == b.key)) for a in m.profiles])
            for b in m.profiles]
    label_w = max(longest_line(x) for x in labels)
    widths = [max([longest_line(h)] + [longest_line(c) for c in cells]) for h, cells in full]
    if _fits(label_w, widths, width):
        return _grid_tables(title, "", labels, full, width, MATRIX_LEGEND)
    tags = codes(len(m.profiles))
    labels = [Text(f"{tag} {clean(s.label)}", style="bold") for tag, s in zip(tags, m.profiles)]
    compact = [(tag, [styled(m.get(a.key, b.key), a.key == b.key,
                             compact_proximity(m.get(a.key, b.key), a.key == b.key)) for a in m.profiles])
               for tag, b in zip(tags, m.profiles)]
    return _grid_tables(title, "", labels, compact, width, COMPACT_NOTE)


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

def map_renderables(pm, title: str | None, width: int, undecided: dict | None = None) -> list:
    """The position map; too wide for the terminal, numbered columns with a legend, in parts."""
    from rich.text import Text

    from stancecli.output.table import STANCE_STYLES, UNDECIDED, longest_line, proximity_style

    undecided = undecided or {}

    def stance_cell(spread, side):
        stance = side.stance(spread.key)
        if stance not in SYMBOLS and (spread.key, side.key) in undecided:
            stance = UNDECIDED
        return Text(stance_symbol(stance), style=STANCE_STYLES.get(stance, ""))

    labels = [Text(clean(s.key)) for s in pm.issues]
    tail = [("Agreement", [Text(fraction(s.agreement), style=proximity_style(s.agreement)
                                if s.agreement == s.agreement else "dim") for s in pm.issues]),
            ("Verdict", [Text(s.verdict, style="bold" if s.verdict == "split" else "") for s in pm.issues])]
    sides = [[stance_cell(spread, side) for spread in pm.issues] for side in pm.profiles]
    full = [(clean(side.label), cells) for side, cells in zip(pm.profiles, sides)] + tail
    label_w = max([5] + [longest_line(x) for x in labels])
    widths = [max([longest_line(h)] + [longest_line(c) for c in cells]) for h, cells in full]
    caption = STANCE_LEGEND + (UNDECIDED_LEGEND if undecided else "")
    if _fits(label_w, widths, width):
        return _grid_tables(title, "Issue", labels, full, width, caption, center=True)
    tags = codes(len(pm.profiles))
    legend = Text("Columns: " + "   ".join(f"{tag} {clean(side.label)}" for tag, side in zip(tags, pm.profiles)),
                  style="dim")
    short = tail + [(tag, cells) for tag, cells in zip(tags, sides)]
    return [legend] + _grid_tables(title, "Issue", labels, short, width, caption, center=True)


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
