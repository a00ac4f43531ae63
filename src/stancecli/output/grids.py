"""Grids for people: the agreement matrix as a heatmap and the position map, in a terminal
(Rich, imported inside functions) and as markdown. Pipes get the long form from the Listing."""

from __future__ import annotations

from collections.abc import Iterable

from stancecli.model import SYMBOLS, UNDECIDED
from stancecli.output.safe import clean
from stancecli.output.stances import UNDECIDED_SYMBOL, UNDECIDED_WORDS, stance_symbol
from stancecli.output.text import CENTER, LEFT, RIGHT, md_table
from stancecli.output.text import md as _md

STANCE_LEGEND = "++ strongly for, + for, ± mixed, - against, -- strongly against, \u00b7 not addressed"
UNDECIDED_LEGEND = f", {UNDECIDED_SYMBOL} {UNDECIDED_WORDS}"
MATRIX_LEGEND = ("proximity (shared issues): 1 = the same stance on every shared issue, "
                 "0 = opposite ends of the scale on each; n/a = no issue in common")


# ---------------------------------------------------------------- cells as plain text

def proximity_cell(prox, diagonal: bool = False) -> str:
    """'0.88 (7)'; 'n/a' with nothing shared; '—' on the diagonal."""
    if diagonal:
        return "\u2014"
    return f"{prox.value:.2f} ({prox.shared})" if prox.defined else "n/a"


def map_stance(spread, side, undecided: set[tuple[str, str]]) -> str:
    """The stance in a cell of the map; 'undecided' where nobody has coded the pair yet."""
    stance = side.stance(spread.key)
    if stance not in SYMBOLS and (spread.key, side.key) in undecided:
        return UNDECIDED
    return stance


def fraction(value: float | None) -> str:
    """'0.71'; 'n/a' where there is nothing to measure (None or nan)."""
    return "n/a" if value is None or value != value else f"{value:.2f}"


# ---------------------------------------------------------------- the matrix

def _grid_tables(title: str | None, label_header: str, labels: list, columns: list[tuple[str, list]],
                 width: int, caption: str | None, center: bool = False) -> list | None:
    """One table, or several splitting the columns, each with the row labels, none wider than `width`;
    None when the row labels and a single column do not fit side by side.

    columns: (header, cells) with one rich Text per row; no cell is ever cut or wrapped."""
    from rich.text import Text

    from stancecli.output.table import longest_line, table_overhead

    label_w = max([longest_line(label_header)] + [longest_line(x) for x in labels])
    col_w = [max([longest_line(h)] + [longest_line(c) for c in cells]) for h, cells in columns]
    if any(label_w + w + table_overhead(2) > width for w in col_w):
        return None
    groups: list[list[int]] = []
    current: list[int] = []
    for i, w in enumerate(col_w):
        used = label_w + sum(col_w[j] for j in current) + w + table_overhead(len(current) + 2)
        if current and used > width:
            groups.append(current)
            current = []
        current.append(i)
    groups.append(current)
    tables: list = []
    for n, group in enumerate(groups):
        part = f" (part {n + 1} of {len(groups)})" if len(groups) > 1 else ""
        heading = f"{clean(title)}{part}" if title else part.strip()
        widths = [label_w] + [col_w[i] for i in group]
        if heading:
            tables.append(Text(heading))
        tables.append(Text(""))
        head = [Text(label_header, style="bold")] + [Text(columns[i][0], style="bold") for i in group]
        tables.append(_grid_line(head, widths, center))
        tables.append(Text(" " + "\u2500" * (sum(w + 2 for w in widths) + len(widths) - 1)))
        for r, label in enumerate(labels):
            tables.append(_grid_line([label] + [columns[i][1][r] for i in group], widths, center))
        if caption and n == len(groups) - 1:
            tables.append(Text(caption))
        if n < len(groups) - 1:
            tables.append(Text(""))
    return tables


def _grid_line(cells: list, widths: list[int], center: bool):
    """One row of a grid: cells padded to their column's width (no cell ever wider), one space
    either side and between columns, as a SIMPLE_HEAD table draws them; drawn by hand for speed."""
    from rich.cells import cell_len
    from rich.text import Text

    line = Text(" ")
    for i, (text, width) in enumerate(zip(cells, widths)):
        spare = width - cell_len(text.plain)
        left = 0 if i == 0 else spare // 2 if center else spare
        line.append(" " * (left + 1))
        line.append_text(text)
        line.append(" " * (spare - left + 1) + " ")
    line.rstrip()
    return line


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
        return _grid_tables(title, "", labels, full, width, MATRIX_LEGEND) or []
    tags = codes(len(m.profiles))
    labels = [Text(f"{tag} {clean(s.label)}", style="bold") for tag, s in zip(tags, m.profiles)]
    compact = [(tag, [styled(m.get(a.key, b.key), a.key == b.key,
                             compact_proximity(m.get(a.key, b.key), a.key == b.key)) for a in m.profiles])
               for tag, b in zip(tags, m.profiles)]
    return _grid_tables(title, "", labels, compact, width, COMPACT_NOTE) or _matrix_blocks(m, title)


def _matrix_blocks(m, title: str | None) -> list:
    """Narrower than a label and one cell: per organisation, its proximity to each other one."""
    from rich.padding import Padding
    from rich.text import Text

    out: list = [Text(clean(title), style="bold")] if title else []
    for a in m.profiles:
        out += [Text(""), Text(clean(a.label), style="bold")]
        pairs = "   ".join(f"{clean(b.label)} {proximity_cell(m.get(a.key, b.key))}"
                           for b in m.profiles if b.key != a.key)
        out.append(Padding(Text(pairs), (0, 0, 0, 2), expand=False))
    return out + [Text(""), Text(MATRIX_LEGEND, style="dim")]


def matrix_markdown(m, title: str | None = None) -> Iterable[str]:
    if title:
        yield f"### {_md(title)}"
        yield ""
    yield from md_table([""] + [_md(s.label) for s in m.profiles],
                        ([f"**{_md(a.label)}**"] + [proximity_cell(m.get(a.key, b.key), a.key == b.key)
                                                     for b in m.profiles] for a in m.profiles),
                        [LEFT] + [RIGHT] * len(m.profiles))
    yield ""
    yield f"_{MATRIX_LEGEND}_"


# ---------------------------------------------------------------- the position map

def map_renderables(pm, title: str | None, width: int, undecided: set[tuple[str, str]] | None = None) -> list:
    """The position map; too wide for the terminal, numbered columns with a legend, in parts."""
    from rich.text import Text

    from stancecli.output.table import STANCE_STYLES, longest_line, proximity_style

    undecided = undecided or set()

    def stance_cell(spread, side):
        stance = map_stance(spread, side, undecided)
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
        return _grid_tables(title, "Issue", labels, full, width, caption, center=True) or []
    tags = codes(len(pm.profiles))
    legend = Text("Columns: " + "   ".join(f"{tag}={clean(side.label)}" for tag, side in zip(tags, pm.profiles)),
                  style="dim")
    short = tail + [(tag, cells) for tag, cells in zip(tags, sides)]
    tables = _grid_tables(title, "Issue", labels, short, width, caption, center=True)
    if tables is None:
        return _map_blocks(pm, title, sides, caption)
    return [legend] + tables


def _map_blocks(pm, title: str | None, sides: list[list], caption: str) -> list:
    """Narrower than an issue key and one column: per issue, a line of 'organisation symbol'."""
    from rich.padding import Padding
    from rich.text import Text

    out: list = [Text(clean(title), style="bold")] if title else []
    for r, spread in enumerate(pm.issues):
        head = Text(clean(spread.key), style="bold")
        head.append(f"  agreement={fraction(spread.agreement)}  {spread.verdict}")
        line = Text()
        for side, cells in zip(pm.profiles, sides):
            if len(line):
                line.append("   ")
            line.append(f"{clean(side.label)} ")
            line.append_text(cells[r])
        out += [Text(""), head, Padding(line, (0, 0, 0, 2), expand=False)]
    return out + [Text(""), Text(caption, style="dim")]


def map_markdown(pm, title: str | None = None, undecided: set[tuple[str, str]] | None = None) -> Iterable[str]:
    """The map as a markdown table; a pair nobody has coded yet is '?', never '·' (not addressed)."""
    undecided = undecided or set()
    if title:
        yield f"### {_md(title)}"
        yield ""
    yield from md_table(["Issue"] + [_md(s.label) for s in pm.profiles] + ["Agreement", "Verdict"],
                        ([_md(spread.key)]
                         + [_md(stance_symbol(map_stance(spread, side, undecided))) for side in pm.profiles]
                         + [fraction(spread.agreement), _md(spread.verdict)] for spread in pm.issues),
                        [LEFT] + [CENTER] * len(pm.profiles) + [RIGHT, LEFT])
    yield ""
    yield f"_{_md(STANCE_LEGEND + (UNDECIDED_LEGEND if undecided else ''))}_"
