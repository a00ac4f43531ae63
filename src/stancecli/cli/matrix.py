from __future__ import annotations

import typer

from stancecli.cli.analysis_opts import By, ByOpt, IssuesOpt, ReportedOpt
from stancecli.cli.common import Color, ColorOpt, DataOpt, FormatOpt
from stancecli.cli.direct import matrix as body
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


def matrix(
    issues: IssuesOpt = None,
    by: ByOpt = By.organisation,
    reported: ReportedOpt = True,
    data: DataOpt = None,
    fmt: FormatOpt = None,
    color: ColorOpt = Color.auto,
) -> None:
    body.matrix(issues=issues, by=by, reported=reported, data=data, fmt=fmt, color=color)


def register(app: typer.Typer) -> None:
    app.command("matrix", help=HELP)(matrix)
