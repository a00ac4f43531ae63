from __future__ import annotations

import sys
from typing import Annotated

import typer

from stancecli.cli.common import DataOpt
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
    from stancecli.datapath import display_path, resolve_data_path
    from stancecli.opening import validate_dataset

    path = resolve_data_path(data)
    report = validate_dataset(path)
    shown = report.problems if warnings else report.errors
    for problem in shown:
        sys.stderr.write(f"{problem}\n")
    ds = report.dataset
    assert ds is not None  # validate_path raises DataError when the file cannot be read at all
    summary = (
        f"{display_path(path)}: {len(ds.organisations)} organisations, {len(ds.documents)} documents, "
        f"{len(ds.issues)} issues ({sum(i.codebook for i in ds.issues.values())} codebook), "
        f"{len(ds.positions)} positions ({sum(p.is_reported for p in ds.positions)} reported); "
        f"quotes located {report.quotes_located}/{report.quotes}; "
        f"codebook pairs decided {report.pairs_decided}/{report.pairs_total}; "
        f"{len(report.errors)} errors, {len(report.warnings)} warnings"
    )
    print(summary)
    if not report.ok:
        from stancecli.errors import DatasetInvalid

        raise DatasetInvalid()


def register(app: typer.Typer) -> None:
    app.command("validate", help=HELP)(validate)
