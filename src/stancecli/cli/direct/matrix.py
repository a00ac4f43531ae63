"""`stancecli matrix`: agreement between every pair of sides."""

from __future__ import annotations

from pathlib import Path

from stancecli.cli.direct import CHOICE, COLOR, DATA, FLAG, FORMAT, Param
from stancecli.cli.plain import By, Color, Format, emit, load, no_results, resolve_format, resolve_issues

PARAMS = (
    Param("issues", "--issues", "-i", many=True),
    Param("by", "--by", kind=CHOICE, choices=By, default=By.organisation),
    Param("reported", "--reported", kind=FLAG, off=("--no-reported",), default=True),
    DATA, FORMAT, COLOR,
)
JSON_FORMATS = ("json", "jsonl")


def _title(m, ds) -> str:
    scope = f"{len(m.issues)} issues" if len(m.issues) != len(ds.issues) else f"all {len(ds.issues)} issues"
    return f"Agreement by {m.by} over {scope}"


def matrix(issues: list[str] | None, by: By, reported: bool, data: Path | None, fmt: Format | None,
           color: Color) -> None:
    from stancecli import analysis

    ds = load(data)
    keys = resolve_issues(ds, issues)
    m = analysis.matrix(ds, by.value, reported, keys)
    if len(m.profiles) < 2:
        no_results(f"fewer than two {by.value}s took a position on the chosen issues; nothing to compare")
    from stancecli.results import MatrixResult

    for_json = resolve_format(fmt) in JSON_FORMATS  # only JSON shows the records, with each pair's issues
    emit(MatrixResult(analysis.matrix_listing(m, for_json), m, _title(m, ds)), fmt, color)
