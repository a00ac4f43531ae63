"""The folder memo: what each folder held when the listing last read it.

A folder's names change only with its mtime and ctime (on the local file systems _scan.c names),
so the C walk (search/_scan.c) need not read the names of a folder whose stamp (device, inode,
mtime, ctime) is what it was: it walks the folder from its record and stats every file as ever.
The memo lives in the index folder it was made for (MEMO_NAME) and is rewritten by the search
that keeps that index when it changes. A memo that is not the user's own, can be written by
others, or does not parse is not used: the walk then reads every folder, as it does without
one. The records are written by the walk alone; here they are only read and kept.

Also the home of the racy rule: when a stamp is too recent to vouch for what it stands for.

Imports nothing heavy: the console script reads the memo before it starts its walks
(search/prewalk.py).
"""

from __future__ import annotations

import _thread
import os
import stat

TYPE_CHECKING = False  # typing is not imported at run time (see stancecli/typed.py)
if TYPE_CHECKING:
    from collections.abc import Sequence

MEMO_NAME = "folders.memo"
MAX_MEMO_BYTES = 1 << 30  # a memo this large is not read
# A stamp this close to the moment it was taken cannot vouch for what it stands for: file
# clocks tick coarsely, and a change in the same tick leaves the same time. A time in whole
# seconds may come from a clock that ticks in seconds (in two, on FAT): it must be older still.
RACY_NS = 50_000_000
COARSE_NS = 2_000_000_000 + RACY_NS
SECOND_NS = 1_000_000_000
_PRIVATE = 0o022  # the bits that let others write


def racy(taken_ns: int, mtime_ns: int, ctime_ns: int) -> bool:
    """Whether a stamp (`mtime_ns`, `ctime_ns`) taken at `taken_ns` is too recent to vouch."""
    coarse = mtime_ns % SECOND_NS == 0 or ctime_ns % SECOND_NS == 0
    return taken_ns - max(mtime_ns, ctime_ns) < (COARSE_NS if coarse else RACY_NS)


def of_index(sources: Sequence[str], index_dir: str | os.PathLike[str] | None = None) -> bytes | None:
    """The memo of the index a search over `sources` keeps (in `index_dir`, else in the cache)."""
    from stancecli.cachedir import index_path
    from stancecli.errors import CacheUnavailable

    try:
        return read(index_path(sources, index_dir))
    except CacheUnavailable:
        return None


def read(index_root: str) -> bytes | None:
    """The memo kept in an index folder; None when there is none or it is not safe to use."""
    try:
        if not _private(os.stat(index_root)):
            return None
        fd = os.open(os.path.join(index_root, MEMO_NAME), os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    except (OSError, ValueError):
        return None
    try:
        st = os.fstat(fd)
        if not (stat.S_ISREG(st.st_mode) and _private(st)) or st.st_size > MAX_MEMO_BYTES:
            return None
        with open(fd, "rb", closefd=False) as f:
            return f.read()
    except OSError:
        return None
    finally:
        os.close(fd)


def _private(st: os.stat_result) -> bool:
    getuid = getattr(os, "getuid", None)
    return getuid is not None and st.st_uid == getuid() and not st.st_mode & _PRIVATE


def keep(index_root: str, data: bytes) -> None:
    """Write `data` as the index folder's memo unless it holds that already. The memo is a
    cache that vouches for nothing by itself (every record is checked against its folder),
    so a failed write is let go, and the last of two writers wins with a memo as good."""
    path = os.path.join(index_root, MEMO_NAME)
    try:
        if os.stat(path).st_size == len(data) and read(index_root) == data:
            return
    except OSError:
        pass
    tmp = f"{path}.{os.getpid()}.{_thread.get_ident()}.tmp"
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_NOFOLLOW", 0), 0o600)
        try:
            with open(fd, "wb", closefd=False) as f:
                f.write(data)
        finally:
            os.close(fd)
        os.replace(tmp, path)
    except OSError:
        try:
            os.unlink(tmp)
        except OSError:
            pass

