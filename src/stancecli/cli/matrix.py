from __future__ import annotations

import typer

from stancecli.cli.analysis_opts import By, ByOpt, IssuesOpt, ReportedOpt, no_results, resolve_issues
from stancecli.cli.common import (
    Color,
    ColorOpt,
    DataOpt,
    FormatOpt,
    emit,
    load,
    resolve_format,
)
from stancecli.cli.overview import summary

HELP = summary("matrix") + """

proximity = 1 - mean |score difference| / 4 over the issues both addressed
(strongly-for +2 ... strongly-against -2), with the number of shared issues beside
it: 1 = the same stance on every shared issue, 0 = opposite ends of the scale on
each. A pair with no issue in common is n/a, never 0 or 1.

By default each organisation counts with its latest document per issue; --by
document makes every document (and every reported view) its own row; --by kind
compares unions, municipalities and employer organisations (their members' mean).

A terminal shows a heatmap; markdown the same grid; tsv, csv, json and jsonl one
row per pair (a, b, proximity, shared), closest first, n/a pairs last.

Examples:

  stancecli matrix

  stancecli matrix --by document --no-reported

  stancecli matrix --issues anbud,egenregi,kommersielle-aktorer

  stancecli matrix --by kind --format markdown

  stancecli matrix | grep -w ntl
"""


JSON_FORMATS = ("json", "jsonl")


def _title(m, ds) -> str:
    scope = f"{len(m.issues)} issues" if len(m.issues) != len(ds.issues) else f"all {len(ds.issues)} issues"
    return f"Agreement by {m.by} over {scope}"


def matrix(
    issues: IssuesOpt = None,
    by: ByOpt = By.organisation,
    reported: ReportedOpt = True,
    data: DataOpt = None,
    fmt: FormatOpt = None,
    color: ColorOpt = Color.auto,
) -> None:
    from stancecli import analysis

    ds = load(data)
    keys = resolve_issues(ds, issues)
    m = analysis.matrix(ds, by.value, reported, keys)
    if len(m.profiles) < 2:
        no_results(f"fewer than two {by.value}s took a position on the chosen issues; nothing to compare")
    from stancecli.results import MatrixResult

    for_json = resolve_format(fmt) in JSON_FORMATS  # only JSON shows the records, with each pair's issues
    emit(MatrixResult(analysis.matrix_listing(m, for_json), m, _title(m, ds)), fmt, color)


def register(app: typer.Typer) -> None:
    app.command("matrix", help=HELP)(matrix)
