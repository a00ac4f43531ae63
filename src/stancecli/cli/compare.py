# Annotations are evaluated when the module is imported (no `from __future__ import annotations`):
# Typer reads the command's signature on every run, and would compile each annotation kept as text.
from typing import Annotated

import typer

from stancecli.cli.analysis_opts import CompareBy, CompareByOpt
from stancecli.cli.common import (
    Color,
    ColorOpt,
    DataOpt,
    FormatOpt,
    Lang,
    LangOpt,
    _complete_issue,
)
from stancecli.cli.direct import compare as body
from stancecli.cli.overview import summary

HELP = summary("compare") + """

One row per position: organisation, document (year), stance, summary and the
first quote with file:line. In a table the documents without a position follow,
as 'not addressed' or, when nobody has coded the pair yet, 'undecided' (also said
on stderr); pipe formats give positions only unless --absent is given.

Examples:

  stancecli compare anbud

  stancecli compare anbud egenregi --quotes

  stancecli compare anbud --format json | jq -r '.[] | select(.score < 0) | .organisation'

  stancecli compare anbud --absent --format jsonl | jq -r 'select(.status != "position") | .document'
"""


def compare(
    issues: Annotated[list[str], typer.Argument(help="Issue keys, aliases or titles.",
                                                autocompletion=_complete_issue, show_default=False)],
    quotes: Annotated[bool, typer.Option("--quotes", help="Show every quote, not only the first.")] = False,
    absent: Annotated[bool, typer.Option(
        "--absent", help="In pipe formats, also the documents without a position (status not-addressed or "
                         "undecided, no score). Tables always show them.")] = False,
    by: CompareByOpt = CompareBy.position,
    data: DataOpt = None,
    fmt: FormatOpt = None,
    color: ColorOpt = Color.auto,
    lang: LangOpt = Lang.nb,
) -> None:
    body.compare(issues=issues, quotes=quotes, absent=absent, by=by, data=data, fmt=fmt, color=color, lang=lang)


def register(app: typer.Typer) -> None:
    app.command("compare", help=HELP)(compare)
