# Annotations are evaluated when the module is imported (no `from __future__ import annotations`):
# Typer reads the command's signature on every run, and would compile each annotation kept as text.
from typing import Annotated

import typer

from stancecli.cli.analysis_opts import SideBy, SideByOpt
from stancecli.cli.common import Color, ColorOpt, DataOpt, FormatOpt, IssueArg, Lang, LangOpt, emit, load
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


def _run(issue: str, against: bool, strong: bool, by: SideBy, data, fmt, color, lang) -> None:
    from stancecli.names import resolve_issue
    from stancecli.queries import side

    ds = load(data)
    key = resolve_issue(ds, issue)
    if by == SideBy.kind:
        from stancecli.analysis import side_by_kind

        emit(side_by_kind(ds, key, against, strong, lang.value), fmt, color)
        return
    listing = side(ds, key, against=against, strong=strong, lang=lang.value)
    who = "opposes" if against else "supports"
    emit(listing, fmt, color, hide=("score", "year"),
         empty_message=f"no organisation {who} '{key}'{' strongly' if strong else ''}")


def who_supports(issue: IssueArg, strong: StrongOpt = False, by: SideByOpt = SideBy.organisation, data: DataOpt = None,
                 fmt: FormatOpt = None, color: ColorOpt = Color.auto, lang: LangOpt = Lang.nb) -> None:
    _run(issue, False, strong, by, data, fmt, color, lang)


def who_opposes(issue: IssueArg, strong: StrongOpt = False, by: SideByOpt = SideBy.organisation, data: DataOpt = None,
                fmt: FormatOpt = None, color: ColorOpt = Color.auto, lang: LangOpt = Lang.nb) -> None:
    _run(issue, True, strong, by, data, fmt, color, lang)


def register(app: typer.Typer) -> None:
    app.command("who-supports", help=SUPPORTS_HELP)(who_supports)
    app.command("who-opposes", help=OPPOSES_HELP)(who_opposes)
