"""The dataset as a spreadsheet (openpyxl): one sheet per view, in the colours of the report."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from stancecli.export import need
from stancecli.export.atomic import dataset_files, replace_atomically
from stancecli.model import ABSENT, STANCES, UNDECIDED, Dataset
from stancecli.output.palette import STANCE_COLOURS, agreement_colours
from stancecli.output.safe import keep_lines
from stancecli.output.stances import stance_symbol, stance_words

if TYPE_CHECKING:
    from stancecli.corpus import Sources

SHEETS = ("Positions", "Matrix", "Map", "About")
POSITION_HEADERS = ("Issue", "Issue title", "Organisation", "Organisation name", "Document", "Year",
                    "Reported by", "Stance", "Score", "Summary", "Quotes", "Citations")
POSITION_WIDTHS = (22, 34, 14, 28, 14, 7, 14, 17, 7, 60, 80, 50)
PROXIMITY_FORMAT = "0.00"
QUOTE_GAP = "\n\n"


class Sheet:
    """A thin writer over one openpyxl worksheet: values, fills and fonts by (row, column)."""

    def __init__(self, ws, styles) -> None:
        self.ws, self.styles = ws, styles

    def put(self, row: int, col: int, value: Any, fill: tuple[str, str] | None = None, bold: bool = False,
            wrap: bool = False, number_format: str | None = None):
        if isinstance(value, str):
            value = keep_lines(value)  # a control character would make openpyxl refuse the workbook
        cell = self.ws.cell(row=row, column=col, value=value)
        if isinstance(value, str) and value.startswith("="):
            cell.data_type = "s"  # text that begins like a formula stays text
        if fill:
            background, text = fill
            cell.fill = self.styles.PatternFill("solid", fgColor=background.lstrip("#"))
            cell.font = self.styles.Font(color=text.lstrip("#"), bold=bold)
        elif bold:
            cell.font = self.styles.Font(bold=True)
        if wrap:
            cell.alignment = self.styles.Alignment(wrap_text=True, vertical="top")
        if number_format:
            cell.number_format = number_format
        return cell

    def header(self, row: int, labels: tuple[str, ...] | list[str], start: int = 1) -> None:
        for col, label in enumerate(labels, start):
            self.put(row, col, label, bold=True)

    def widths(self, widths: tuple[int, ...] | list[int]) -> None:
        from openpyxl.utils import get_column_letter

        for col, width in enumerate(widths, 1):
            self.ws.column_dimensions[get_column_letter(col)].width = width


def _agreement_fill(value: float | None) -> tuple[str, str] | None:
    return None if value is None or value != value else agreement_colours(value)


def _positions(sheet: Sheet, ds: Dataset, lang: str, sources: Sources) -> None:
    from stancecli.export.tables import citation
    from stancecli.queries import locate

    sheet.header(1, POSITION_HEADERS)
    order = {k: i for i, k in enumerate(ds.issues)}
    ordered = sorted(ds.positions, key=lambda p: (order.get(p.issue, 0), -p.score, p.organisation))
    for row, p in enumerate(ordered, 2):
        locate(ds, p, sources)
        org, doc, issue = ds.organisations.get(p.organisation), ds.documents.get(p.source_document), ds.issues[p.issue]
        title = doc.title if doc else ""
        spans = [(q.span.line_start, q.span.line_end) if q.span else (None, None) for q in p.quotes]
        values = (p.issue, issue.title.get(lang), p.organisation, org.name if org else p.organisation,
                  p.source_document, doc.year if doc else None, p.reported_by, p.stance, p.score,
                  p.summary.get(lang), QUOTE_GAP.join(f"«{q.text}»" for q in p.quotes),
                  "\n".join(citation(p.source_document, title, a, b) for a, b in spans))
        for col, value in enumerate(values, 1):
            fill = STANCE_COLOURS[p.stance] if POSITION_HEADERS[col - 1] == "Stance" else None
            sheet.put(row, col, value, fill=fill, wrap=col >= POSITION_HEADERS.index("Summary") + 1)
    sheet.widths(POSITION_WIDTHS)
    sheet.ws.freeze_panes = "C2"
    sheet.ws.auto_filter.ref = sheet.ws.dimensions


def _matrix(sheet: Sheet, ds: Dataset) -> None:
    from stancecli.analysis import matrix

    m = matrix(ds, "organisation")
    labels = [p.label for p in m.profiles]
    sheet.put(1, 1, "Proximity: 1 − mean |score difference| / 4 over the issues both addressed; "
                    "empty = no issue in common", bold=True)
    shared_top = len(labels) + 4
    sheet.put(shared_top - 1, 1, "Shared issues: how many issues both addressed", bold=True)
    for top in (2, shared_top):
        sheet.header(top, labels, start=2)
        for i, a in enumerate(m.profiles):
            sheet.put(top + 1 + i, 1, a.label, bold=True)
    for i, a in enumerate(m.profiles):
        for j, b in enumerate(m.profiles):
            if a.key == b.key:
                sheet.put(3 + i, 2 + j, "—")
                continue
            prox = m.get(a.key, b.key)
            value = round(prox.value, 4) if prox.defined else None
            sheet.put(3 + i, 2 + j, value, fill=_agreement_fill(value), number_format=PROXIMITY_FORMAT)
            sheet.put(shared_top + 1 + i, 2 + j, prox.shared)
    sheet.widths([14] + [12] * len(labels))
    sheet.ws.freeze_panes = "B3"


def _map(sheet: Sheet, ds: Dataset, lang: str) -> None:
    from stancecli.analysis import position_map
    from stancecli.analysis.posmap import undecided_cells

    pm = position_map(ds, "organisation")
    open_cells = undecided_cells(ds, pm)
    sheet.header(1, ["Issue", "Title", *(p.label for p in pm.profiles), "Agreement", "Verdict"])
    for row, spread in enumerate(pm.issues, 2):
        sheet.put(row, 1, spread.key)
        sheet.put(row, 2, ds.issues[spread.key].title.get(lang) if spread.key in ds.issues else spread.key)
        for col, side in enumerate(pm.profiles, 3):
            stance = UNDECIDED if (spread.key, side.key) in open_cells else side.stance(spread.key)
            sheet.put(row, col, stance_symbol(stance), fill=STANCE_COLOURS.get(stance, STANCE_COLOURS[ABSENT]),
                      bold=stance in STANCES)
        agreement = spread.agreement if spread.agreement == spread.agreement else None
        end = 3 + len(pm.profiles)
        sheet.put(row, end, agreement, fill=_agreement_fill(agreement), number_format=PROXIMITY_FORMAT)
        sheet.put(row, end + 1, spread.verdict)
    sheet.widths([24, 40] + [10] * len(pm.profiles) + [11, 11])
    sheet.ws.freeze_panes = "C2"


def _about(sheet: Sheet, ds: Dataset, generated: str) -> None:
    from stancecli.export.tables import about

    for row, item in enumerate(about(ds, generated), 1):
        sheet.put(row, 1, item["key"], bold=True)
        sheet.put(row, 2, item["value"])
    start = sheet.ws.max_row + 2
    sheet.put(start, 1, "Stance", bold=True)
    sheet.put(start, 2, "Symbol and score", bold=True)
    for row, stance in enumerate([*STANCES, ABSENT, UNDECIDED], start + 1):
        symbol = stance_symbol(stance)
        score = f" ({STANCES[stance]:+d})" if stance in STANCES else ""
        sheet.put(row, 1, stance_words(stance), fill=STANCE_COLOURS.get(stance, STANCE_COLOURS[ABSENT]))
        sheet.put(row, 2, f"{symbol}{score}")
    sheet.widths([16, 100])


def write_workbook(path: Path, ds: Dataset, lang: str, generated: str, sources: Sources) -> None:
    openpyxl = need("openpyxl", "export xlsx")
    from openpyxl import styles

    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    sheets = {name: Sheet(wb.create_sheet(name), styles) for name in SHEETS}
    _positions(sheets["Positions"], ds, lang, sources)
    _matrix(sheets["Matrix"], ds)
    _map(sheets["Map"], ds, lang)
    _about(sheets["About"], ds, generated)
    _save(wb, path)


def _save(wb, path: Path) -> None:
    """wb.save, with a failed write (disk full, file too large) as the OSError it is: lxml's
    serialiser reports it as its own error ('IO_ENOSPC'), and the writers it abandons report it
    again on stderr when they are collected."""
    import errno
    import gc
    import os
    import sys

    failure: OSError | None = None
    hook = sys.unraisablehook
    sys.unraisablehook = lambda _: None
    try:
        wb.save(path)
    except Exception as exc:
        if isinstance(exc, OSError) or not type(exc).__module__.startswith("lxml"):
            raise
        code = getattr(errno, str(exc).removeprefix("IO_"), None)
        failure = OSError(os.strerror(code) if code else str(exc))
    finally:
        if sys.exc_info()[1] is None:
            gc.collect()  # outside the handler, so that the abandoned writers are unreachable
        sys.unraisablehook = hook
    if failure is not None:
        raise failure


def export_xlsx(ds: Dataset, path: Path, lang: str, generated: str, sources: Sources | None = None) -> None:
    """Write the spreadsheet to `path`, replacing it atomically."""
    from stancecli.corpus import Sources

    chosen = sources or Sources()
    replace_atomically(path, lambda tmp: write_workbook(tmp, ds, lang, generated, chosen), dataset_files(ds))
