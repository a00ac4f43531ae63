from __future__ import annotations

from typing import Annotated

import typer

from stancecli.cli.common import (
    Color,
    ColorOpt,
    DataOpt,
    FormatOpt,
    IssueArg,
    Lang,
    LangOpt,
    _complete_org,
    emit,
    load,
)
from stancecli.cli.overview import summary

HELP = summary("evidence") + """

With -C N, N lines of source context around each quote, as grep -C does: in a
pipe, 'file:line:text' for quoted lines and 'file-line-text' for context.

Examples:

  stancecli evidence anbud

  stancecli evidence anbud ntl -C 2

  stancecli evidence egenregi --format jsonl | jq -r '.source + ":" + (.line_start|tostring)'
"""


def evidence(
    issue: IssueArg,
    org: Annotated[str | None, typer.Argument(help="Only this organisation.", autocompletion=_complete_org,
                                                 show_default=False)] = None,
    context: Annotated[int, typer.Option("-C", "--context", min=0, max=50,
                                         help="Lines of source context around each quote.")] = 0,
    data: DataOpt = None,
    fmt: FormatOpt = None,
    color: ColorOpt = Color.auto,
    lang: LangOpt = Lang.nb,
) -> None:
    from stancecli.names import resolve_issue, resolve_org
    from stancecli.queries import evidence as run

    ds = load(data)
    key = resolve_issue(ds, issue)
    org_id = resolve_org(ds, org) if org else None
    listing = run(ds, key, org_id, context, lang.value)
    from stancecli.results import EvidenceResult

    # emit exits 1 with this message when there is no quote at all.
    emit(EvidenceResult(listing, context), fmt, color,
         empty_message=f"no quotes on '{key}'" + (f" from {org_id}" if org_id else ""))


def register(app: typer.Typer) -> None:
    app.command("evidence", help=HELP)(evidence)
