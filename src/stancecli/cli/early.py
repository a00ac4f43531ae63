"""Work a command starts before it has imported what it runs on.

`stancecli search QUERY PATH...` starts listing and stat-ing the PATHs on a thread (the C walk
releases the interpreter lock) while the engine is imported: at 30,000 files the walk takes about
as long as the imports. The line is read by the direct path's parser (a line it leaves to Typer
is not listed early); the command uses the listing only when its paths are exactly the ones it
parsed, so a listing started for other paths costs time, never a wrong answer. The console
script started walking every folder on the line even before this parser was imported
(search/prewalk.py); the listing takes over those walks for its own folders. Imported by the
console script for `search` alone; imports nothing heavy.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from pathlib import Path

TYPE_CHECKING = False  # typing is not imported at run time (see stancecli/typed.py)
if TYPE_CHECKING:
    from stancecli.search.listing import PendingSources
    from stancecli.search.prewalk import Walk

_started: tuple[list[str], PendingSources] | None = None


def search_paths(args: Sequence[str]) -> list[Path]:
    """The folders and files a `search` line (the arguments after `search`) lists on its own:
    none when it reads standard input or the dataset's documents, or is not a line the direct
    path parses."""
    return _search_line(args)[0]


def _search_line(args: Sequence[str]) -> tuple[list[Path], Path | None]:
    """search_paths(args), and the index folder the line names."""
    from stancecli.cli.direct import Refused, parse
    from stancecli.cli.direct.search import PARAMS, STDIN

    try:
        line = parse(args, PARAMS)
    except Refused:
        return [], None
    paths: list[Path] = line["paths"] or []
    if line["org"] or line["doc"] or any(str(p) == STDIN for p in paths):
        return [], None
    return paths, line["index_dir"]


def start(argv: Sequence[str]) -> None:
    """Start listing the paths of a `search` command line, with the folder walks the console
    script started for it (search/prewalk.py); anything else starts nothing."""
    global _started
    from stancecli.search import prewalk

    walked = prewalk.claim()
    paths, index_dir = _search_line(argv[1:]) if argv[:1] == ["search"] else ([], None)
    if not paths:
        return
    _started = [str(p) for p in paths], listing(paths, index_dir, walked)


def listing(paths: Sequence[Path], index_dir: Path | None,
            walked: Mapping[str, Walk] | None = None) -> PendingSources:
    """The listing of a search over `paths`, started now with the folder memo of its index (not
    read again when every path was walked early: those walks took it)."""
    from stancecli.search import memo
    from stancecli.search.listing import start_collect

    keys = [str(p) for p in paths]
    taken = walked and all(os.path.abspath(k) in walked for k in keys)
    return start_collect(paths, walked, None if taken else memo.of_index(keys, index_dir))


def take(paths: Sequence[Path]) -> PendingSources | None:
    """The listing started for exactly these paths, once; None if none was."""
    global _started
    started, _started = _started, None
    if started is None or started[0] != [str(p) for p in paths]:
        return None
    return started[1]
