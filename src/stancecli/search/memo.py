"""The folder memo: what each folder held when the listing last read it.

A folder's names change only with its mtime and ctime (on the local file systems _scan.c names),
so the C walk (search/_scan.c) need not read the names of a folder whose stamp (device, inode,
mtime, ctime) is what it was: it walks the folder from its record and stats every file as ever.
The memo lives in the index folder it was made for (MEMO_NAME) and is rewritten by the search
that keeps that index when it changes: the walk's head, a CRC-32 of the records, the records.
A memo that is not the user's own, can be written by others (it, its folder, or the cache's
search folder above an index kept there), is not a plain file, or does not check out is not
used: the walk then reads every folder, as it does without one. The records are made by the
walk alone; here they are only read, checked, put together and kept.

Also the home of the racy rule: when a stamp is too recent to vouch for what it stands for.

Imports nothing heavy: the console script reads the memo before it starts its walks
(search/prewalk.py).
"""

from __future__ import annotations

import _thread
import os
import stat
import struct

TYPE_CHECKING = False  # typing is not imported at run time (see stancecli/typed.py)
if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Sequence

MEMO_NAME = "folders.memo"
MAX_MEMO_BYTES = 1 << 30  # a memo this large is not read
CRC = struct.Struct("<I")
# A stamp this close to the moment it was taken cannot vouch for what it stands for: file
# clocks tick coarsely, and a change in the same tick leaves the same time. A time in whole
# seconds may come from a clock that ticks in seconds (in two, on FAT): it must be older still.
RACY_NS = 50_000_000
COARSE_NS = 2_000_000_000 + RACY_NS
SECOND_NS = 1_000_000_000
_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)


def racy(taken_ns: int, mtime_ns: int, ctime_ns: int) -> bool:
    """Whether a stamp (`mtime_ns`, `ctime_ns`) taken at `taken_ns` is too recent to vouch."""
    coarse = mtime_ns % SECOND_NS == 0 or ctime_ns % SECOND_NS == 0
    return taken_ns - max(mtime_ns, ctime_ns) < (COARSE_NS if coarse else RACY_NS)


def walk(scan: object, key: bytes, dev: int, ino: int, kept: bytes | None) -> tuple:
    """`scan.walk` (search/_scan.c) of the folder `key` with the memo `kept` and the racy rule."""
    return scan.walk(key, dev, ino, 0, kept, RACY_NS, COARSE_NS)  # type: ignore[attr-defined]


def assemble(records: Iterable[bytes]) -> bytes:
    """The memo of one listing: the walk's head, a CRC-32 of the records, the records."""
    body = b"".join(records)
    return _head() + CRC.pack(_crc32(body)) + body


def _crc32(data: bytes | memoryview) -> int:
    import zlib

    return zlib.crc32(data)


def of_index(sources: Sequence[str], index_dir: str | os.PathLike[str] | None = None) -> bytes | None:
    """The memo of the index a search over `sources` keeps (in `index_dir`, else in the cache)."""
    from stancecli.cachedir import index_path
    from stancecli.errors import CacheUnavailable

    try:
        return read(index_path(sources, index_dir), in_cache=index_dir is None)
    except CacheUnavailable:
        return None


def read(index_root: str, in_cache: bool = False) -> bytes | None:
    """The memo kept in an index folder; None when there is none or it is not safe to use. An
    index in the cache needs the folder above it private too, as the index itself does."""
    from stancecli.cachedir import not_private

    try:
        folders = [index_root, os.path.dirname(os.path.abspath(index_root))] if in_cache else [index_root]
        if any(not_private(os.stat(f)) for f in folders):
            return None
    except (OSError, ValueError):
        return None
    data = _plain_file(os.path.join(index_root, MEMO_NAME),
                       lambda st: not not_private(st) and st.st_size <= MAX_MEMO_BYTES)
    return data if data is not None and _checks_out(data) else None


def _plain_file(path: str, wanted: Callable[[os.stat_result], bool]) -> bytes | None:
    """What the plain file at `path` holds, if its stat is `wanted`; None for anything else (a
    link, a FIFO, which is not waited for, a file that is missing or cannot be read)."""
    try:
        fd = os.open(path, _OPEN_FLAGS)
    except (OSError, ValueError):
        return None
    try:
        st = os.fstat(fd)
        if not (stat.S_ISREG(st.st_mode) and wanted(st)):
            return None
        with open(fd, "rb", closefd=False) as f:
            return f.read()
    except OSError:
        return None
    finally:
        os.close(fd)


def _checks_out(data: bytes) -> bool:
    try:
        head = _head()
    except ImportError:  # no C walk: no memo to use
        return False
    start = len(head) + CRC.size
    return (len(data) >= start and data.startswith(head)
            and CRC.unpack_from(data, len(head))[0] == _crc32(memoryview(data)[start:]))


def _head() -> bytes:
    from stancecli.search import _scan

    return _scan.MEMO_HEAD


def keep(index_root: str, data: bytes) -> None:
    """Write `data` as the index folder's memo unless it holds that already. The memo is a
    cache that vouches for nothing by itself (every record is checked against its folder),
    so a failed write is let go, and the last of two writers wins with a memo as good."""
    path = os.path.join(index_root, MEMO_NAME)
    if _plain_file(path, lambda st: st.st_size == len(data)) == data:
        return
    tmp = f"{path}.{os.getpid()}.{_thread.get_ident()}.tmp"
    kept = False
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_NOFOLLOW", 0), 0o600)
        try:
            with open(fd, "wb", closefd=False) as f:
                f.write(data)
        finally:
            os.close(fd)
        os.replace(tmp, path)
        kept = True
    except OSError:
        pass
    finally:
        if not kept:
            try:
                os.unlink(tmp)
            except OSError:
                pass
