"""`stancecli map` (the module is not named map.py so as not to shadow the builtin)."""

from __future__ import annotations

from typing import Annotated

import typer

from stancecli.cli.analysis_opts import By, ByOpt, IssuesOpt, ReportedOpt, no_results, resolve_issues
from stancecli.cli.common import (
    Color,
    ColorOpt,
    DataOpt,
    FormatOpt,
    Lang,
    LangOpt,
    emit,
    load,
)
from stancecli.cli.overview import summary

HELP = summary("map") + """

++ strongly for, + for, ± mixed, - against, -- strongly against, · not addressed.
Organisations stand next to those they agree with most (by proximity, weighted by
how many issues they share); issues come most divided first, so blocs and lines
of conflict stand out. Agreement is 1 - the mean gap between the positions on
that issue / 4 (n/a with a single position); 'split' means some are for and some
against.

A terminal shows the coloured grid (? marks a pair nobody has coded yet:
undecided); markdown the same grid; tsv and csv give one row per position
(issue, organisation, stance, score), json and jsonl one record per issue with
its positions as cells. --absent adds the empty cells, with their status
(not-addressed or undecided) and no score.

Examples:

  stancecli map

  stancecli map --by document

  stancecli map --issues anbud,egenregi,utbytteforbud --format markdown

  stancecli map --format tsv | awk -F'\\t' '$3 == "strongly-against"'
"""


def _title(pm) -> str:
    return f"Position map by {pm.by}: {len(pm.issues)} issues, most divided first"


def position_map(
    issues: IssuesOpt = None,
    by: ByOpt = By.organisation,
    reported: ReportedOpt = True,
    data: DataOpt = None,
    fmt: FormatOpt = None,
    color: ColorOpt = Color.auto,
    lang: LangOpt = Lang.nb,
    absent: Annotated[bool, typer.Option(
        "--absent", help="In pipe formats, also the empty cells (status not-addressed or undecided, no score).")] = False,
) -> None:
    from stancecli import analysis

    ds = load(data)
    keys = resolve_issues(ds, issues)
    pm = analysis.position_map(ds, by.value, reported, keys)
    if not pm.profiles or not any(s.positions for s in pm.issues):
        no_results("no positions on the chosen issues")
    from stancecli.results import MapResult

    listing = analysis.map_listing(pm, ds, lang.value, absent)
    emit(MapResult(listing, pm, _title(pm), analysis.undecided_cells(ds, pm)), fmt, color)


def register(app: typer.Typer) -> None:
    app.command("map", help=HELP)(position_map)
