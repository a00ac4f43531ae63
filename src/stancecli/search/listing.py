"""The source listing: which .txt files a search covers, and their stamps.

`collect` walks the folders (in C, search/_scan.c, when it is built; else in Python, the
reference) and returns `Sources`: the files in walk order with their listing key, the paths and
stamps as one byte string that the index compares with the one it was built for.

`start_collect` does the same walk on a thread while the caller goes on (the C walk releases the
GIL): a search opens its index and plans its query while the files are listed and stat-ed.

Given the folder memo of the index (search/memo.py), the C walk reads again only the folders
that changed since; the listing carries the memo its walks leave, for the index to keep.

This module imports little, so a command can start the walk before importing the engine.
"""

from __future__ import annotations

import errno
import os
import stat
import struct
import sys
import threading
from array import array
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path

from stancecli.search import memo as folder_memo
from stancecli.typed import NamedTuple, overload

TYPE_CHECKING = False  # typing is not imported at run time (see stancecli/typed.py)
if TYPE_CHECKING:
    from stancecli.search.prewalk import Walk, Walked

TEXT_SUFFIX = ".txt"
PDF_SUFFIX = ".pdf"
LISTING_HEAD = struct.Struct("<QQ")  # how many files, bytes of their joined paths
STAMP_COLUMNS = 4  # size, mtime, ctime, inode


def _listing_key(keys: Sequence[str], sizes: Sequence[int], mtimes: Sequence[int], ctimes: Sequence[int],
                 inos: Sequence[int]) -> bytes:
    """The paths and stamps of a source listing as one byte string (built in C, compared at once)."""
    names = "\0".join(keys).encode("utf-8", "surrogateescape")
    parts = [LISTING_HEAD.pack(len(keys), len(names)), names]
    parts += [array("q", column).tobytes() for column in (sizes, mtimes, ctimes, inos)]
    return b"".join(parts)


def listing_key(files: Sequence[SourceFile]) -> bytes:
    if isinstance(files, Sources):
        return files.key
    if not files:
        return b""
    _shown, keys, sizes, mtimes, ctimes, inos = zip(*files)
    return _listing_key(keys, sizes, mtimes, ctimes, inos)


class SourceFile(NamedTuple):
    """A source as found on disk: the path to show and the one to key on."""

    shown: str
    key: str
    size: int
    mtime_ns: int
    ctime_ns: int = 0
    ino: int = 0


class Sources(Sequence[SourceFile]):
    """The sources `collect` found, in order, with their listing key and total size.

    A folder walked in C arrives as its listing key alone (the paths and stamps as one byte
    string); SourceFile objects are made from it only when asked for, which a search whose
    index is fresh never does: at 30,000 files they would cost more than the walk.
    """

    def __init__(self, files: list[SourceFile] | None = None, *, key: bytes | None = None,
                 total_size: int | None = None, prefixes: tuple[str, str] = ("", ""), records: bytes | None = None):
        self._files = files
        self._key = key
        self.records = records  # the folder records the walks left (search/memo.py); None when a folder was walked in Python
        self.total_size = sum(f.size for f in files or ()) if total_size is None else total_size
        self._shown, self._base = prefixes  # a walked folder's shown path and key, each with a separator

    @property
    def memo(self) -> bytes | None:
        """The folder memo of this listing, for the index to keep (search/memo.py)."""
        return folder_memo.assemble([self.records]) if self.records is not None else None

    @property
    def key(self) -> bytes:
        """`listing_key` of these files."""
        if self._key is None:
            self._key = listing_key(self.files)
        return self._key

    @property
    def files(self) -> list[SourceFile]:
        if self._files is None:
            self._files = self._unpack(self.key)
        return self._files

    def _unpack(self, key: bytes) -> list[SourceFile]:
        if not key:
            return []
        n, size = LISTING_HEAD.unpack_from(key)
        start = LISTING_HEAD.size
        keys = key[start:start + size].decode("utf-8", "surrogateescape").split("\0")
        cols = array("q")
        cols.frombytes(memoryview(key)[start + size:])
        if len(keys) != n or len(cols) != STAMP_COLUMNS * n:
            raise ValueError("a source listing whose parts do not fit together")
        cut, shown = len(self._base), self._shown
        rows = zip([shown + k[cut:] for k in keys], keys, *(cols[i * n:(i + 1) * n] for i in range(STAMP_COLUMNS)))
        return list(map(tuple.__new__, [SourceFile] * n, rows))  # a NamedTuple's own __new__ is Python code

    def shown_paths(self) -> Mapping[str, str]:
        """Key -> the path to show, without a SourceFile per file when the listing was walked in C."""
        if self._files is not None or not self._base:
            return {f.key: f.shown for f in self.files}
        return _ShownPaths(self._shown, self._base, self)

    def __len__(self) -> int:
        if self._files is not None or not self._key:
            return len(self.files)
        return LISTING_HEAD.unpack_from(self._key)[0]

    @overload
    def __getitem__(self, i: int) -> SourceFile: ...

    @overload
    def __getitem__(self, i: slice) -> list[SourceFile]: ...

    def __getitem__(self, i: int | slice) -> SourceFile | list[SourceFile]:
        return self.files[i]

    def __iter__(self) -> Iterator[SourceFile]:
        return iter(self.files)


class _ShownPaths(Mapping[str, str]):
    """The shown path of each file under one walked folder: its key with the folder's shown path in front."""

    def __init__(self, shown: str, base: str, sources: Sources):
        self.shown, self.base, self.sources = shown, base, sources

    def __getitem__(self, key: str) -> str:
        if not key.startswith(self.base):
            raise KeyError(key)
        return self.shown + key[len(self.base):]

    def __iter__(self) -> Iterator[str]:
        return (f.key for f in self.sources)

    def __len__(self) -> int:
        return len(self.sources)


def collect(paths: Sequence[Path], warnings: list[str] | None = None,
            walked: Mapping[str, Walk] | None = None, memo: bytes | None = None) -> Sources:
    """The .txt files under `paths`: files as given (a .pdf too), folders searched (hidden ones
    skipped). Links are followed; a loop, a dangling link or a file that vanishes while the
    folder is read is skipped, with a line in `warnings`, as ripgrep does. `walked`: walks of
    folders already under way (search/prewalk.py), by folder key; `memo`: the folder memo of
    the index the files are listed for (search/memo.py)."""
    out: list[SourceFile] = []
    records: list[bytes] | None = []
    warn = warnings if warnings is not None else []
    for p in paths:
        shown = str(p)
        key = os.path.abspath(shown)
        try:
            st = os.stat(key)
        except OSError as exc:
            why = "symbolic link loop" if exc.errno == errno.ELOOP else "no such file or folder"
            raise FileNotFoundError(f"{shown}: {why}") from None
        if stat.S_ISDIR(st.st_mode) and _scan is not None and _FS_UTF8:
            early = walked.get(key) if walked else None
            found = _walk_in_c(shown, key, st, warn, early.result(st.st_dev, st.st_ino) if early else None, memo)
            if len(paths) == 1:
                return found
            out += found.files
            if records is not None and found.records is not None:
                records.append(found.records)
        elif stat.S_ISDIR(st.st_mode):
            records = None
            pdfs: list[str] = []
            _walk(shown, key, out, warn, frozenset({(st.st_dev, st.st_ino)}), pdfs)
            _warn_pdfs(pdfs, warn)
        else:
            out.append(SourceFile(shown, key, st.st_size, _ns(st.st_mtime_ns), _ns(st.st_ctime_ns), st.st_ino))
    if len(paths) > 1:  # overlapping paths name some files twice
        out = list({f.key: f for f in reversed(out)}.values())[::-1]
    return Sources(out, records=b"".join(records) if records else None)


def _ns(t: int) -> int:
    """A time in ns as the listing holds it: clamped to int64 (before 1678, after 2262), as in C."""
    return t if _NS_MIN <= t <= _NS_MAX else max(_NS_MIN, min(t, _NS_MAX))


_NS_MIN, _NS_MAX = -(1 << 63), (1 << 63) - 1


def _warn_pdfs(pdfs: list[str], warn: list[str]) -> None:
    if pdfs:
        warn.append(f"{pdfs[0]}: skipped {len(pdfs)} .pdf file(s) found in folders; name a PDF to search it")


try:  # the walk below, in C (search/_scan.c), with the stat-ing spread over a few threads
    from stancecli.search import _scan
except ImportError:  # built without a C compiler: the Python walk does the same
    _scan = None  # type: ignore[assignment]
# The C walk hands over the paths' bytes; the listing key holds them as UTF-8 with escapes.
_FS_UTF8 = (sys.getfilesystemencoding(), sys.getfilesystemencodeerrors()) == ("utf-8", "surrogateescape")
# What _scan.walk reports, in the order met: a stat that failed, a folder that could not be read,
# a link back to a folder above, a .pdf found.
_EV_STAT, _EV_DIR, _EV_LOOP, _EV_PDF = range(4)


def _walk_in_c(shown: str, key: str, st: os.stat_result, warn: list[str], walked: Walked | None,
               memo: bytes | None) -> Sources:
    prefix = shown if shown.endswith(os.sep) else shown + os.sep
    base = key if key.endswith(os.sep) else key + os.sep
    listing, total, events, records = walked or folder_memo.walk(_scan, os.fsencode(base), st.st_dev, st.st_ino, memo)
    pdfs: list[str] = []
    for kind, rel, err in events:
        where = prefix + os.fsdecode(rel) if rel else shown
        if kind == _EV_STAT:
            _warn_unreadable(where, OSError(err, os.strerror(err)), warn)
        elif kind == _EV_DIR:
            warn.append(f"{where}: {os.strerror(err)}; skipped")
        elif kind == _EV_LOOP:
            warn.append(_LOOP.format(where))
        else:
            pdfs.append(where)
    _warn_pdfs(pdfs, warn)
    return Sources(key=listing, total_size=total, prefixes=(prefix, base), records=records)


_SCANDIR_FD = os.scandir in os.supports_fd


def _walk(shown: str, key: str, out: list[SourceFile], warn: list[str],
          ancestors: frozenset[tuple[int, int]], pdfs: list[str]) -> None:
    prefix = shown if shown.endswith(os.sep) else shown + os.sep
    base = key if key.endswith(os.sep) else key + os.sep
    subdirs = []
    add, new = out.append, tuple.__new__  # tuple.__new__: a NamedTuple's own __new__ is Python code
    # Through a folder descriptor each stat resolves one name, not a whole path: 20% faster.
    try:
        fd = os.open(key, os.O_RDONLY) if _SCANDIR_FD else None
    except OSError as exc:
        warn.append(f"{shown}: {exc.strerror}; skipped")
        return
    try:
        with os.scandir(key if fd is None else fd) as it:
            for e in it:
                name = e.name
                suffix = name[-4:].lower()
                if name[0] == "." or not (suffix == TEXT_SUFFIX or e.is_dir(follow_symlinks=False)
                                          or e.is_symlink() or suffix == PDF_SUFFIX):
                    continue  # decided from the folder listing alone: no stat
                try:
                    st = e.stat()
                except OSError as exc:
                    _warn_unreadable(prefix + name, exc, warn)
                    continue
                if stat.S_ISDIR(st.st_mode):
                    subdirs.append((name, st))
                elif suffix == TEXT_SUFFIX:
                    add(new(SourceFile, (prefix + name, base + name, st.st_size, _ns(st.st_mtime_ns),
                                         _ns(st.st_ctime_ns), st.st_ino)))
                elif suffix == PDF_SUFFIX:
                    pdfs.append(prefix + name)
    except OSError as exc:  # the folder itself went away while being read
        warn.append(f"{shown}: {exc.strerror}; skipped")
    finally:
        if fd is not None:
            os.close(fd)
    for name, st in sorted(subdirs, key=lambda d: d[0]):
        here = (st.st_dev, st.st_ino)
        if here in ancestors:
            warn.append(_LOOP.format(prefix + name))
            continue
        _walk(prefix + name, base + name, out, warn, ancestors | {here}, pdfs)


_LOOP = "{}: file system loop (a link to a folder that holds it); skipped"


def _warn_unreadable(shown: str, exc: OSError, warn: list[str]) -> None:
    if exc.errno == errno.ELOOP:
        warn.append(f"{shown}: symbolic link loop; skipped")
    elif exc.errno == errno.ENOENT and os.path.islink(shown):
        warn.append(f"{shown}: link to a missing file; skipped")
    elif exc.errno == errno.ENOENT:
        warn.append(f"{shown}: vanished while the folder was read; skipped")
    else:
        warn.append(f"{shown}: {exc.strerror}; skipped")


class PendingSources:
    """A `collect` running on a thread: `result()` waits for it and returns (or raises) what
    `collect` would have, with its warnings added to the list given."""

    def __init__(self, paths: Sequence[Path], walked: Mapping[str, Walk] | None = None, memo: bytes | None = None):
        self._paths = list(paths)
        self._walked = walked
        self._memo = memo
        self._warnings: list[str] = []
        self._files: Sources | None = None
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="stancecli-listing", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        try:
            self._files = collect(self._paths, self._warnings, self._walked, self._memo)
        except BaseException as exc:  # handed to the caller by result()
            self._error = exc

    def result(self, warnings: list[str] | None = None) -> Sources:
        self._thread.join()
        if warnings is not None:
            warnings += self._warnings
        if self._error is not None:
            raise self._error
        assert self._files is not None
        return self._files


def start_collect(paths: Sequence[Path], walked: Mapping[str, Walk] | None = None,
                  memo: bytes | None = None) -> PendingSources:
    """`collect(paths, walked=walked, memo=memo)` on a thread, started now."""
    return PendingSources(paths, walked, memo)
