# Annotations are evaluated when the module is imported (no `from __future__ import annotations`):
# Typer reads the command's signature on every run, and would compile each annotation kept as text.
from typing import Annotated

import typer

from stancecli.cli.analysis_opts import SideBy, SideByOpt
from stancecli.cli.common import Color, ColorOpt, DataOpt, FormatOpt, IssueArg, Lang, LangOpt
from stancecli.cli.direct import sides as body
from stancecli.cli.overview import summary

StrongOpt = Annotated[bool, typer.Option("--strong", help="Only the strong label (strongly-for / strongly-against).")]

SUPPORTS_HELP = summary("who-supports") + """

Reported positions (one organisation's view as another document reports it) are
marked in the 'reported_by' column. Exit 1 when nobody supports it.

Examples:

  stancecli who-supports egenregi

  stancecli who-supports egenregi | sort

  stancecli who-supports "overslagsbevilgning" --strong --format json
"""

OPPOSES_HELP = summary("who-opposes") + """

Examples:

  stancecli who-opposes anbud

  stancecli who-opposes anbud --strong | cut -f1
"""


def who_supports(issue: IssueArg, strong: StrongOpt = False, by: SideByOpt = SideBy.organisation, data: DataOpt = None,
                 fmt: FormatOpt = None, color: ColorOpt = Color.auto, lang: LangOpt = Lang.nb) -> None:
    body.who_supports(issue=issue, strong=strong, by=by, data=data, fmt=fmt, color=color, lang=lang)


def who_opposes(issue: IssueArg, strong: StrongOpt = False, by: SideByOpt = SideBy.organisation, data: DataOpt = None,
                fmt: FormatOpt = None, color: ColorOpt = Color.auto, lang: LangOpt = Lang.nb) -> None:
    body.who_opposes(issue=issue, strong=strong, by=by, data=data, fmt=fmt, color=color, lang=lang)


def register(app: typer.Typer) -> None:
    app.command("who-supports", help=SUPPORTS_HELP)(who_supports)
    app.command("who-opposes", help=OPPOSES_HELP)(who_opposes)
