from __future__ import annotations

import typer

from stancecli.cli.common import Color, ColorOpt, DataOpt, FormatOpt, Lang, LangOpt, OrgArg, emit, load
from stancecli.cli.overview import summary

HELP = summary("show") + """

Examples:

  stancecli show ntl

  stancecli show "Fellesorganisasjonen" --lang en
"""


def show(org: OrgArg, data: DataOpt = None, fmt: FormatOpt = None, color: ColorOpt = Color.auto,
         lang: LangOpt = Lang.nb) -> None:
    from stancecli.names import resolve_org
    from stancecli.queries import show_org

    ds = load(data)
    org_id = resolve_org(ds, org)
    emit(show_org(ds, org_id, lang.value), fmt, color, hide=("score", "year"),
         empty_message=f"no positions recorded for '{org_id}'")


def register(app: typer.Typer) -> None:
    app.command("show", help=HELP)(show)
