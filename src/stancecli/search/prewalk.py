"""Folders walked in C from the first moments of a `search` process.

At 30,000 files the walk (a readdir and a stat per file) takes longer than the imports a search
makes. The console script starts a walk for every folder named on a `search` line after its
first argument (the query, as a line is usually written) before it imports the line's parser:
the C walk releases the interpreter lock, so it runs beside the imports. Without the parser,
an option's value that names a folder (`--index-dir`) is walked too. `claim` then hands the
walks to that line's listing and forgets them, so no later listing in the same process can take
one. The listing uses a walk only for a folder it lists itself and only if the folder is still
the same (device and inode); any other walk started here costs time, never a wrong answer.
Imports nothing but the C walk.
"""

from __future__ import annotations

import _thread
import os

_DIR, _FORMAT = 0o040000, 0o170000  # stat.S_IFDIR and stat.S_IFMT, without importing stat
MAX_WALKS = 4  # folders walked early for one line; the line's listing walks any others itself

Walked = tuple[bytes, int, list[tuple[int, bytes, int]]]  # what _scan.walk returns


class Walk:
    """One folder's walk, running on a thread of its own."""

    __slots__ = ("dev", "ino", "_done", "_out")

    def __init__(self, dev: int, ino: int):
        self.dev, self.ino = dev, ino
        self._done = _thread.allocate_lock()
        self._done.acquire()  # released when the walk ends
        self._out: Walked | None = None

    def run(self, scan: object, base: bytes) -> None:
        try:
            self._out = scan.walk(base, self.dev, self.ino)  # type: ignore[attr-defined]
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
    operands = [arg for arg in args if arg and not arg.startswith("-")]
    for arg in operands[1:]:
        if len(_walks) >= MAX_WALKS:
            break
        try:
            key = os.path.abspath(arg)  # asks for the working folder, which may have been removed
            st = os.stat(key)
        except (OSError, ValueError):
            continue
        if st.st_mode & _FORMAT == _DIR and key not in _walks:
            _start(_scan, key, st)


def _start(scan: object, key: str, st: os.stat_result) -> None:
    walk = Walk(st.st_dev, st.st_ino)
    base = key if key.endswith(os.sep) else key + os.sep
    try:
        _thread.start_new_thread(walk.run, (scan, os.fsencode(base)))
    except RuntimeError:  # no thread to be had: the listing walks the folder itself
        return
    _walks[key] = walk


def claim() -> dict[str, Walk]:
    """The walks started so far, by folder key; the next claim returns none of them."""
    walks = dict(_walks)
    _walks.clear()
    return walks
