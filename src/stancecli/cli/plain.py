"""What the commands share that needs no CLI framework: choices, failing, loading and output.

The direct path (`stancecli.cli.direct`) runs common command lines without importing Typer, so
this module, the command bodies and everything they import stay free of it; `cli.common` adds
the Typer options on top.
"""

from __future__ import annotations

import os
import sys
from enum import Enum, IntEnum
from pathlib import Path

from stancecli.errors import EXIT_ERROR, EXIT_INTERRUPTED, EXIT_NO_RESULTS, EXIT_OK, NoResults, StanceError

TYPE_CHECKING = False  # typing is not imported at run time (see stancecli/typed.py)
if TYPE_CHECKING:
    from typing import NoReturn


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


LANG_ENV = "STANCECLI_LANG"  # the default of --lang


class Lang(str, Enum):
    nb = "nb"
    en = "en"


# Every --by of every command is parsed here, as a choice Typer checks and --help lists.
class By(str, Enum):
    """Sides of matrix and map."""

    organisation = "organisation"
    document = "document"
    kind = "kind"


class CompareBy(str, Enum):
    position = "position"
    kind = "kind"


class SideBy(str, Enum):
    """Rows of who-supports and who-opposes."""

    organisation = "organisation"
    kind = "kind"


class ChangeKind(str, Enum):
    changed = "changed"
    new = "new"
    dropped = "dropped"
    kept = "kept"
    not_raised = "not-raised"
    undecided = "undecided"


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


# ---------------------------------------------------------------- issues

def resolve_issues(ds, names: list[str] | None) -> list[str] | None:
    """--issues a,b --issues c -> the issue keys, in the order given; None when not given."""
    if not names:
        return None
    from stancecli.names import resolve_issue

    parts = [part.strip() for name in names for part in name.split(",")]
    if not any(parts):
        fail("--issues needs at least one issue key")
    return list(dict.fromkeys(resolve_issue(ds, part) for part in parts if part))


def no_results(message: str) -> None:
    """A clear message on stderr and exit 1, like grep finding nothing."""
    fail(message, ExitStatus.NO_RESULTS)
