"""What every command shares: options, loading, errors, exit codes and output."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from stancecli.cli.plain import (  # noqa: F401 - the commands import these from here
    LANG_ENV,
    Color,
    Format,
    Lang,
    emit,
    environment,
    fail,
    load,
    resolve_format,
    stdout_is_terminal,
)


def _complete_issue(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
    ds = _dataset_for_completion(ctx)
    if ds is None:
        return []
    from stancecli.names import fold

    want = fold(incomplete)
    return [(k, i.title.en) for k, i in ds.issues.items() if fold(k).startswith(want)]


def _complete_org(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
    ds = _dataset_for_completion(ctx)
    if ds is None:
        return []
    from stancecli.names import fold

    want = fold(incomplete)
    return [(k, o.name) for k, o in ds.organisations.items() if fold(k).startswith(want)]


def _complete_doc(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
    ds = _dataset_for_completion(ctx)
    if ds is None:
        return []
    return [(k, d.title) for k, d in ds.documents.items() if k.startswith(incomplete.lower())]


def _dataset_for_completion(ctx: typer.Context):
    from stancecli.loading import DataError, load_dataset, resolve_data_path

    try:
        return load_dataset(resolve_data_path((ctx.params or {}).get("data")))[0]
    except (DataError, OSError):
        return None


DataOpt = Annotated[
    Path | None,
    typer.Option("--data", help="Dataset file (or its folder). Default: $STANCECLI_DATA, else the bundled dataset.",
                 show_default=False),
]
FormatOpt = Annotated[
    Format | None,
    typer.Option("--format", "-f", help="Output format. Default: table in a terminal, tsv in a pipe.",
                 show_default=False, case_sensitive=False),
]
ColorOpt = Annotated[
    Color, typer.Option("--color", help="Colour in the terminal table (NO_COLOR is honoured).",
                        case_sensitive=False),
]
LangOpt = Annotated[
    Lang, typer.Option("--lang", envvar=LANG_ENV, help="Language of titles and summaries.",
                       case_sensitive=False),
]
IssueArg = Annotated[str, typer.Argument(help="Issue key, alias or title.", autocompletion=_complete_issue,
                                         show_default=False)]
OrgArg = Annotated[str, typer.Argument(help="Organisation id or name.", autocompletion=_complete_org,
                                       show_default=False)]
DocArg = Annotated[str, typer.Argument(help="Document id.", autocompletion=_complete_doc, show_default=False)]
