"""The console script: quiet from its first line on Ctrl-C, a closed pipe or a narrow encoding.

Until `main` has its own handlers in place, Ctrl-C ends the process at once with status 130
(nothing has been written yet, so there is nothing to clean up). Inside `main` a Ctrl-C is a
KeyboardInterrupt again, so that writers can remove their temporary files on the way out.
"""

from __future__ import annotations

import _signal  # signal without its enum classes (about 1 ms): this module only sets a handler
import gc
import os
import sys

READY_FD_ENV = "STANCECLI_READY_FD"  # a file descriptor told "ready" once the handlers are in place
# Start-up (Typer, Rich, the command, the dataset) allocates some 20,000-60,000 objects that live as
# long as the process. With the default threshold (700) the collector walks them 30-90 times before
# the first line of output and frees nothing; with this one it does not run during start-up, while a
# long run (indexing, the coding loop) still has its cycles collected.
FIRST_GENERATION_THRESHOLD = 100_000

gc.set_threshold(FIRST_GENERATION_THRESHOLD)


def _quiet_exit(signum: int, frame: object) -> None:
    os._exit(130)


_signal.signal(_signal.SIGINT, _quiet_exit)


def _announce_ready() -> None:
    """For supervisors and tests: say on the given descriptor that Ctrl-C is now handled."""
    fd = os.environ.get(READY_FD_ENV, "")
    if fd.isdigit():
        try:
            os.write(int(fd), b"ready\n")
            os.close(int(fd))
        except OSError:
            pass


def _lossless_streams() -> None:
    """On a non-UTF-8 stream, show what it cannot encode as \\u escapes instead of failing."""
    for stream in (sys.stdout, sys.stderr):
        encoding = (getattr(stream, "encoding", None) or "").lower().replace("-", "")
        if encoding not in ("utf8", "utf_8") and hasattr(stream, "reconfigure"):
            try:
                stream.reconfigure(errors="backslashreplace")
            except (OSError, ValueError):
                pass


def _version_or_help(flag: str) -> None:
    if flag == "--version":
        from stancecli import __version__

        print(f"stancecli {__version__}")
    else:
        from stancecli.cli.overview import top_help

        print(top_help())


def _command(argv: list[str]) -> None:
    """A command line the direct path understands runs without Typer; any other goes to Typer."""
    if argv[:1] == ["search"]:
        from stancecli.search import prewalk

        prewalk.start(argv[1:])  # every folder on the line is walked in C while the parser loads
        from stancecli.cli import early

        early.start(argv)  # the line's own folders are listed while the engine loads
    from stancecli.cli.direct import run

    status = run(argv)
    if status is not None:
        sys.exit(status)
    _typer(argv)


def _typer(argv: list[str]) -> None:
    from stancecli.cli.app import app_for

    app_for(argv)()


def main() -> None:
    try:
        _signal.signal(_signal.SIGINT, _signal.default_int_handler)
        _announce_ready()
        _lossless_streams()
        from stancecli.cli import completing

        argv = sys.argv[1:]
        if completing():
            _typer(argv)
        elif argv in (["--version"], ["--help"], ["-h"]):
            _version_or_help(argv[0])  # answers that need no CLI framework, printed without one
        else:
            _command(argv)
    except BrokenPipeError:
        from stancecli.cli.failure import silence_stdout

        silence_stdout()
        sys.exit(0)
    except KeyboardInterrupt:
        sys.exit(130)
    finally:
        # The interpreter's last collection at exit would walk every object still alive only to
        # find it alive: move them out of its reach.
        gc.freeze()
