from __future__ import annotations

from typing import Annotated

import typer

from stancecli.cli.common import Color, ColorOpt, DataOpt, FormatOpt, Lang, LangOpt, emit, load
from stancecli.cli.overview import summary

ISSUES_HELP = summary("issues") + """

Examples:

  stancecli issues

  stancecli issues --format tsv | cut -f1
"""
ORGS_HELP = summary("orgs") + """

Example:

  stancecli orgs --format json
"""
DOCS_HELP = summary("docs") + """

--coverage adds the share of each document's substantive paragraphs that some quote touches.

Examples:

  stancecli docs

  stancecli docs --coverage
"""


def issues(data: DataOpt = None, fmt: FormatOpt = None, color: ColorOpt = Color.auto,
           lang: LangOpt = Lang.nb) -> None:
    from stancecli.queries import list_issues

    emit(list_issues(load(data), lang.value), fmt, color, hide=("proposal",))


def orgs(data: DataOpt = None, fmt: FormatOpt = None, color: ColorOpt = Color.auto) -> None:
    from stancecli.queries import list_orgs

    emit(list_orgs(load(data)), fmt, color)


def docs(
    coverage: Annotated[bool, typer.Option("--coverage", help="Share of substantive paragraphs quoted.")] = False,
    data: DataOpt = None, fmt: FormatOpt = None, color: ColorOpt = Color.auto,
) -> None:
    from stancecli.queries import coverage as measure
    from stancecli.queries import list_docs

    ds = load(data)
    emit(list_docs(ds, measure(ds) if coverage else None), fmt, color, hide=("source",) if coverage else ())


def register(app: typer.Typer) -> None:
    app.command("issues", help=ISSUES_HELP)(issues)
    app.command("orgs", help=ORGS_HELP)(orgs)
    app.command("docs", help=DOCS_HELP)(docs)
