from __future__ import annotations

from typing import Annotated

import typer

from stancecli.cli.analysis_opts import ReportedOpt
from stancecli.cli.common import (
    Color,
    ColorOpt,
    DataOpt,
    FormatOpt,
    Lang,
    LangOpt,
    _complete_org,
    emit,
    load,
)
from stancecli.cli.overview import summary

HELP = summary("agree") + """

Each row: the gap between the two stances (0-4), both stances, and the first quote
from each side with its file:line. The title gives their proximity (1 - mean gap / 4)
and the number of shared issues; the issues only one of them addressed follow.
Each organisation counts with its latest document per issue. Exit 1 when the two
share no issue.

Examples:

  stancecli agree ntl fo

  stancecli agree ntl bergen --format markdown

  stancecli agree parat bergen --format json | jq -r '.[] | select(.gap >= 2) | .issue'
"""

OrgA = Annotated[str, typer.Argument(help="First organisation (id or name).", autocompletion=_complete_org,
                                     show_default=False)]
OrgB = Annotated[str, typer.Argument(help="Second organisation (id or name).", autocompletion=_complete_org,
                                     show_default=False)]


def agree(
    a: OrgA,
    b: OrgB,
    reported: ReportedOpt = True,
    data: DataOpt = None,
    fmt: FormatOpt = None,
    color: ColorOpt = Color.auto,
    lang: LangOpt = Lang.nb,
) -> None:
    from stancecli.analysis import agree as run
    from stancecli.names import resolve_org

    ds = load(data)
    org_a, org_b = resolve_org(ds, a), resolve_org(ds, b)
    listing = run(ds, org_a, org_b, reported, lang.value)
    from stancecli.results import AgreeResult

    emit(AgreeResult(listing), fmt, color, empty_message=f"{org_a} and {org_b} addressed no issue in common")


def register(app: typer.Typer) -> None:
    app.command("agree", help=HELP)(agree)
