"""The `stancecli` command: a thin Typer layer over the library."""

from __future__ import annotations

from typing import Annotated

import typer

from stancecli import __version__
from stancecli.cli import add_document, search, suggest
from stancecli.cli import (agree, compare, conflicts, evidence, listings, matrix, posmap, report, show, sides,
                           timeline, validate)

app = typer.Typer(
    name="stancecli",
    help="Where organisations stand on NAV labour-market policy, proved with their own words.\n\n"
         "Exit codes: 0 results, 1 no results (like grep), 2 usage or data error.",
    no_args_is_help=True,
    add_completion=True,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        print(f"stancecli {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                          help="Show the version and exit.")] = False,
) -> None:
    pass


for module in (compare, sides, evidence, listings, show, validate, matrix, agree, posmap, timeline, conflicts, report,
               add_document, suggest, search):
    module.register(app)


def main() -> None:
    from stancecli.entry import main as run

    run()
