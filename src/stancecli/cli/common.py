"""What every command shares: options, loading, errors, exit codes and output."""

from __future__ import annotations

import os
import sys
from enum import Enum, IntEnum
from pathlib import Path
from typing import Annotated, NoReturn

import typer

from stancecli.errors import EXIT_ERROR, EXIT_INTERRUPTED, EXIT_NO_RESULTS, EXIT_OK, NoResults, StanceError


class ExitStatus(IntEnum):
    OK = EXIT_OK  # results printed
    NO_RESULTS = EXIT_NO_RESULTS  # nothing matched, like grep
    ERROR = EXIT_ERROR  # bad usage or bad data
    INTERRUPTED = EXIT_INTERRUPTED


class Format(str, Enum):
    table = "table"
    tsv = "tsv"
    csv = "csv"
    json = "json"
    jsonl = "jsonl"
    markdown = "markdown"


class Color(str, Enum):
    auto = "auto"
    always = "always"
    never = "never"


class Lang(str, Enum):
    nb = "nb"
    en = "en"


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
    Lang, typer.Option("--lang", envvar="STANCECLI_LANG", help="Language of titles and summaries.",
                       case_sensitive=False),
]
IssueArg = Annotated[str, typer.Argument(help="Issue key, alias or title.", autocompletion=_complete_issue,
                                         show_default=False)]
OrgArg = Annotated[str, typer.Argument(help="Organisation id or name.", autocompletion=_complete_org,
                                       show_default=False)]
DocArg = Annotated[str, typer.Argument(help="Document id.", autocompletion=_complete_doc, show_default=False)]


# ---------------------------------------------------------------- errors

class UsageProblem(StanceError):
    """A command was asked something it cannot do (a CLI-level message, exit 2)."""


class NoResultsMessage(NoResults):
    """No results, with a message saying why (exit 1)."""


def fail(message: str, status: ExitStatus = ExitStatus.ERROR) -> NoReturn:
    """End the command with a one-line message; printed and turned into `status` in cli.failure."""
    if status == ExitStatus.NO_RESULTS:
        raise NoResultsMessage(message)
    raise UsageProblem(message)


# ---------------------------------------------------------------- loading

def load(data: Path | None):
    """The dataset for a read command; a warning on stderr for each source whose quotes are missing."""
    from stancecli import names
    from stancecli.datapath import resolve_data_path
    from stancecli.opening import open_dataset
    from stancecli.output.safe import escape

    def tell(message: str) -> None:
        sys.stderr.write(f"stancecli: note: {escape(message)}\n")

    names.inexact_hook = tell
    opened = open_dataset(resolve_data_path(data))
    for warning in opened.warnings:
        sys.stderr.write(f"stancecli: warning: {escape(str(warning))} (shown with ':?')\n")
    return opened.dataset


# ---------------------------------------------------------------- output

def stdout_is_terminal() -> bool:
    try:
        return sys.stdout.isatty()
    except (AttributeError, ValueError):
        return False


def resolve_format(fmt: Format | None) -> str:
    if fmt is not None:
        return fmt.value
    return "table" if stdout_is_terminal() else "tsv"


def progress_console():
    """A Rich console on stderr, for progress that must never mix with the data on stdout."""
    from rich.console import Console

    return Console(stderr=True, no_color=bool(os.environ.get("NO_COLOR")), highlight=False, emoji=False,
                   markup=False)


def environment(color: Color = Color.auto):
    """Where output goes (terminal or pipe, width, colour, environment), built once per run."""
    from stancecli.output.env import Environment

    return Environment.from_system(color.value, is_terminal=stdout_is_terminal())


def emit(result, fmt: Format | None, color: Color = Color.auto,
         hide: tuple[str, ...] = (), empty_message: str | None = None) -> None:
    """Print a result (a Listing or a typed result of stancecli.records) through the one output
    path; exit 1 when it holds no result."""
    from stancecli.output.present import present
    from stancecli.records import listing_of

    present(result, resolve_format(fmt), environment(color), hide)
    if not listing_of(result).found:
        raise NoResultsMessage(empty_message or "")
