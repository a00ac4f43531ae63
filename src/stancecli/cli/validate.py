from __future__ import annotations

from typing import Annotated

import typer

from stancecli.cli.common import DataOpt
from stancecli.cli.direct import validate as body
from stancecli.cli.overview import summary

HELP = summary("validate") + """

Checks: YAML structure and keys, references between organisations, documents,
issues and positions, that every source is readable UTF-8, that every quote is
verbatim in its source (whitespace, line breaks and line-end hyphens aside),
duplicates, ambiguous aliases, and that every document decides every codebook
issue (a position or not_addressed).

Examples:

  stancecli validate

  stancecli validate --data my-hearing/stances.yaml --warnings
"""


def validate(
    data: DataOpt = None,
    warnings: Annotated[bool, typer.Option("--warnings/--no-warnings", help="List warnings too.")] = True,
) -> None:
    body.validate(data=data, warnings=warnings)


def register(app: typer.Typer) -> None:
    app.command("validate", help=HELP)(validate)
