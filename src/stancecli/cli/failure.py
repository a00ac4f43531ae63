"""The one place where a failure becomes a message on stderr and an exit status.

Every command runs inside `settle`'s reach: Typer's through `StanceGroup.invoke` (cli.app), the
direct path's through `cli.direct.run`. The library's `StanceError`s, a closed pipe, Ctrl-C and
unexpected bugs all end here, in the CLI's test runner as in the console script. Imports no
CLI framework.
"""

from __future__ import annotations

import os
import sys

from stancecli.errors import EXIT_ERROR, EXIT_INTERRUPTED, EXIT_OK, StanceError

TYPE_CHECKING = False  # typing is not imported at run time (see stancecli/typed.py)
if TYPE_CHECKING:
    from typing import Any

DEBUG_ENV = "STANCECLI_DEBUG"
TRACEBACK_META = "stancecli.traceback"
MAX_PROBLEMS = 50


def settle(exc: BaseException, command: str | None, asked_traceback: bool = False) -> int:
    """The exit status for a command's failure, after telling the user (and the traceback when
    asked for with --traceback or STANCECLI_DEBUG)."""
    wanted = asked_traceback or os.environ.get(DEBUG_ENV, "") not in ("", "0")
    if wanted and not isinstance(exc, (KeyboardInterrupt, BrokenPipeError)):
        import traceback

        traceback.print_exception(exc)
    return status_for(exc, command)


def _say(message: str) -> None:
    from stancecli.loading import printable

    sys.stderr.write(f"stancecli: {printable(message)}\n")


def _problems(problems: list[Any], command: str | None) -> None:
    for problem in problems[:MAX_PROBLEMS]:
        sys.stderr.write(f"{problem}\n")
    if len(problems) > MAX_PROBLEMS:
        sys.stderr.write(f"... and {len(problems) - MAX_PROBLEMS} more\n")
    if command == "validate":
        _say("the dataset cannot be read; fix this first, then validate again")
    else:
        _say("the dataset has errors; run 'stancecli validate' for all of them")


def status_for(exc: BaseException, command: str | None) -> int:
    """Print what the user needs to know about `exc`; return the exit status."""
    if isinstance(exc, StanceError):
        from stancecli.loading import DatasetNotFound

        if isinstance(exc, DatasetNotFound):
            _say(f"{exc} (name one with --data PATH or STANCECLI_DATA)")
            return exc.exit_status
        problems = getattr(exc, "problems", None)
        if problems:
            _problems(problems, command)
        elif str(exc):
            _say(str(exc))
        return exc.exit_status
    if isinstance(exc, BrokenPipeError):
        # The reader (head, less) went away: end quietly, like grep, and always with the same status.
        silence_stdout()
        return EXIT_OK
    if isinstance(exc, KeyboardInterrupt):
        return EXIT_INTERRUPTED
    if isinstance(exc, MemoryError):
        _say("out of memory")
        return EXIT_ERROR
    if isinstance(exc, UnicodeEncodeError):
        _say(f"this terminal's encoding ({exc.encoding}) cannot show the text; use a UTF-8 locale "
             "or set PYTHONIOENCODING=utf-8")
        return EXIT_ERROR
    _say(f"internal error: {type(exc).__name__}: {exc} (run again with --traceback and report it)")
    return EXIT_ERROR


def silence_stdout() -> None:
    """Point stdout at /dev/null so the interpreter's final flush cannot fail on a closed pipe."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass
