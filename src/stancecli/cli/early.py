"""Work a command starts before its CLI framework is imported.

`stancecli search QUERY PATH...` starts listing and stat-ing the PATHs on a thread (the C walk
releases the interpreter lock) while Typer and the engine are imported: at 30,000 files the walk
takes about as long as that import. The paths are guessed from the raw arguments; the command
uses the listing only when they are exactly the paths Typer parsed, so a wrong guess costs time,
never a wrong answer. Imported by the console script for `search` alone; imports nothing heavy.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from stancecli.search.listing import PendingSources

# The options of `search` that take a value (tests/test_cli_early.py holds this to the command).
SEARCH_VALUE_OPTIONS = frozenset(
    {"-C", "--context", "--limit", "-n", "--min-score", "--org", "--doc", "--index-dir", "--data", "--format", "-f",
     "--color"})
# With these the command searches the dataset's documents or standard input, not the paths alone.
_NOT_PATHS_ALONE = ("--org", "--doc", "-")

_started: tuple[list[str], PendingSources] | None = None


def search_paths(args: Sequence[str]) -> list[str]:
    """The PATH arguments of `search` as Typer will parse them (the first positional argument is
    the query), from the arguments after `search`."""
    positional: list[str] = []
    skip = False
    for i, arg in enumerate(args):
        if skip:
            skip = False
        elif arg == "--":
            positional += args[i + 1:]
            break
        elif arg.startswith("-") and arg != "-":
            skip = arg in SEARCH_VALUE_OPTIONS  # its value follows ("--limit=5" and "-n5" hold it)
        else:
            positional.append(arg)
    return positional[1:]


def start(argv: Sequence[str]) -> None:
    """Start listing the paths of a `search` command line; anything else starts nothing."""
    global _started
    if argv[:1] != ["search"]:
        return
    paths = search_paths(argv[1:])
    if not paths or any(arg in _NOT_PATHS_ALONE or arg.startswith(("--org=", "--doc=")) for arg in argv[1:]):
        return
    from stancecli.search.listing import start_collect

    as_parsed = [Path(p) for p in paths]  # as Typer gives them: "sources/" is Path("sources")
    _started = [str(p) for p in as_parsed], start_collect(as_parsed)


def take(paths: Sequence[Path]) -> PendingSources | None:
    """The listing started for exactly these paths, once; None if none was."""
    global _started
    started, _started = _started, None
    if started is None or started[0] != [str(p) for p in paths]:
        return None
    return started[1]
