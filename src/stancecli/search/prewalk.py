"""Folders walked in C from the first moments of a `search` process.

At 30,000 files the walk (a readdir and a stat per file) takes longer than the imports a search
makes. The console script starts a walk for every folder named on a `search` line after its
first argument (the query, as a line is usually written) before it imports the line's parser:
the C walk releases the interpreter lock, so it runs beside the imports. Without the parser,
the one option read here is `--index-dir`, whose folder is not walked; any other option's value
that names a folder is walked too. `claim` then hands the walks to that line's listing and
forgets them, so no later listing in the same process can take one. The listing uses a walk only
for a folder it lists itself and only if the folder is still the same (device and inode); any
other walk started here costs time, never a wrong answer.

The walks take the folder memo (search/memo.py) of the index the line names, or else of the one
in the cache for the existing paths after the query, as most lines are written; on other lines
that memo is another index's or none, and the walk reads the folders it cannot vouch for.
Imports nothing but the C walk, the memo and where the cache is.
"""

from __future__ import annotations

import _thread
import os

from stancecli.search import memo

_DIR, _FORMAT = 0o040000, 0o170000  # stat.S_IFDIR and stat.S_IFMT, without importing stat
MAX_WALKS = 4  # folders walked early for one line; the line's listing walks any others itself
INDEX_DIR = "--index-dir"  # as cli/direct/search.py spells it (a test holds the two together)

Walked = tuple[bytes, int, list[tuple[int, bytes, int]], bytes]  # what _scan.walk returns


class Walk:
    """One folder's walk, running on a thread of its own."""

    __slots__ = ("dev", "ino", "_done", "_out")

    def __init__(self, dev: int, ino: int):
        self.dev, self.ino = dev, ino
        self._done = _thread.allocate_lock()
        self._done.acquire()  # released when the walk ends
        self._out: Walked | None = None

    def run(self, scan: object, base: bytes, sources: list[str], index_dir: str | None) -> None:
        try:
            # Asked here, not before the thread starts: the parser starts loading at once.
            kept = memo.of_index(sources, index_dir) if sources or index_dir else None
            self._out = memo.walk(scan, base, self.dev, self.ino, kept)
        except BaseException:  # MemoryError and the like: the listing walks again
            self._out = None
        finally:
            self._done.release()

    def result(self, dev: int, ino: int) -> Walked | None:
        """The walk's result once it ends; None if it failed or walked another folder than (dev, ino)."""
        if (dev, ino) != (self.dev, self.ino):
            return None
        with self._done:
            return self._out


_walks: dict[str, Walk] = {}  # folder key (absolute path) -> its walk


def start(args: list[str]) -> None:
    """Start walking each existing folder among the arguments of a `search` line (the arguments
    after `search`), except the first that is not an option (the query, as lines are written)."""
    try:
        from stancecli.search import _scan
    except ImportError:
        return
    index_dir = _index_dir(args)
    operands = [arg for arg in args if arg and not arg.startswith("-") and arg != index_dir]
    found = []
    for arg in operands[1:]:
        try:
            key = os.path.abspath(arg)  # asks for the working folder, which may have been removed
            found.append((key, os.stat(key)))
        except (OSError, ValueError):
            continue
    sources = [key for key, _st in found]
    for key, st in found:
        if len(_walks) >= MAX_WALKS:
            break
        if st.st_mode & _FORMAT == _DIR and key not in _walks:
            _start(_scan, key, st, sources, index_dir)


def _index_dir(args: list[str]) -> str | None:
    """The value of the line's last --index-dir option, if any."""
    found = None
    for i, arg in enumerate(args):
        if arg == INDEX_DIR and i + 1 < len(args):
            found = args[i + 1]
        elif arg.startswith(INDEX_DIR + "="):
            found = arg[len(INDEX_DIR) + 1:]
    return found


def _start(scan: object, key: str, st: os.stat_result, sources: list[str], index_dir: str | None) -> None:
    walk = Walk(st.st_dev, st.st_ino)
    base = key if key.endswith(os.sep) else key + os.sep
    try:
        _thread.start_new_thread(walk.run, (scan, os.fsencode(base), sources, index_dir))
    except RuntimeError:  # no thread to be had: the listing walks the folder itself
        return
    _walks[key] = walk


def claim() -> dict[str, Walk]:
    """The walks started so far, by folder key; the next claim returns none of them."""
    walks = dict(_walks)
    _walks.clear()
    return walks
