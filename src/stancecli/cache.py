"""A snapshot of a loaded dataset with its quotes located, so read commands skip YAML and sources.

The snapshot lives in the user's cache directory, never beside the data. It is plain data
(JSON of the model's fields, tagged with an allow-list of class names, behind a checksum):
loading it runs nothing and builds only the model's own classes. It is used only while the
dataset file and every source it names have the size, mtime, ctime and inode they had when
it was written (as git checks its index); a file changed within moments of the snapshot
being written is also compared by content. Anything wrong with it (missing, stale, damaged,
from another version) means it is ignored and rebuilt; a cache directory that cannot be
written is simply not used, and one that other users could tamper with is refused.
"""

from __future__ import annotations

import os
import sys
import zlib
from pathlib import Path
from typing import Any

from stancecli import __version__
from stancecli.model import Dataset

ENV_CACHE = "STANCECLI_CACHE_DIR"
ENV_NO_CACHE = "STANCECLI_NO_CACHE"
MAGIC = b"STANCECLI-SNAPSHOT 2\n"
DIR_MODE = 0o700
FILE_MODE = 0o600
# File clocks tick coarsely: a file stamped this close to the snapshot's writing may have
# changed again within the same tick, so its stamp cannot vouch for it (git's "racy" case).
RACY_NS = 50_000_000


class CacheUnavailable(OSError):
    """No safe cache directory: none can be derived, or it is open to other users."""


# ------------------------------------------------------------------ where the cache lives

def cache_dir() -> Path:
    """$STANCECLI_CACHE_DIR, else $XDG_CACHE_HOME/stancecli, else ~/.cache/stancecli.

    A relative XDG_CACHE_HOME is ignored (the XDG spec says so), and an empty or relative
    HOME falls back to the account's home folder; with no usable home there is no cache.
    """
    chosen = os.environ.get(ENV_CACHE)
    if chosen:
        return Path(os.path.abspath(chosen))
    xdg = os.environ.get("XDG_CACHE_HOME", "")
    if os.path.isabs(xdg):
        return Path(xdg) / "stancecli"
    home = _home()
    if home is None:
        raise CacheUnavailable("no home folder to keep a cache in")
    return home / ".cache" / "stancecli"


def _home() -> Path | None:
    home = os.environ.get("HOME", "")
    if not os.path.isabs(home):
        try:
            import pwd

            home = pwd.getpwuid(os.getuid()).pw_dir
        except (ImportError, KeyError, AttributeError):
            return None
    if not os.path.isabs(home) or home == os.sep:
        return None
    return Path(home)


def private_dir(path: Path) -> Path:
    """`path` created (0700, and so are missing folders above it) if missing; refused unless
    it is ours and closed to others."""
    missing = []
    here = path
    while not here.exists() and here != here.parent:
        missing.append(here)
        here = here.parent
    for folder in reversed(missing):
        folder.mkdir(mode=DIR_MODE, exist_ok=True)  # makedirs would give the upper ones the umask's mode
    check_private(path)
    return path


def check_private(path: Path) -> None:
    """Raise CacheUnavailable when another user owns `path` or may write into it."""
    st = path.stat()
    getuid = getattr(os, "getuid", None)
    if getuid is None:  # pragma: no cover - Windows: no owners or mode bits to check
        return
    if st.st_uid != getuid():
        raise CacheUnavailable(f"{path} belongs to another user; not using it as a cache")
    if st.st_mode & 0o022:
        raise CacheUnavailable(f"{path} can be written by other users; not using it as a cache")


def write_private(target: Path, data: bytes) -> None:
    """Write `data` to `target` atomically, readable by the owner only."""
    import tempfile

    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".", suffix=".tmp")  # mkstemp: 0600
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


_WARNED: set[str] = set()


def _warn(message: str) -> None:
    """Once per run: load and store would otherwise say the same thing twice."""
    if message not in _WARNED:
        _WARNED.add(message)
        sys.stderr.write(f"stancecli: warning: {message}\n")


# ------------------------------------------------------------------ freshness

def stamp(path: Path | str) -> list[int] | None:
    """Size, mtime, ctime and inode: what a rewrite, even with its mtime restored, changes."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return [st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino]


def _content(path: Path | str) -> int | None:
    try:
        with open(path, "rb") as fh:
            return zlib.crc32(fh.read())
    except OSError:
        return None


def _schema() -> list:
    """The model's classes and fields: a snapshot of another edition of them is stale."""
    import dataclasses

    return [[name, [[f.name, str(f.type)] for f in dataclasses.fields(cls)]]
            for name, cls in sorted(_classes().items())]


def _files(data: Path, dataset: Dataset) -> list[str]:
    return [str(data.resolve())] + [str(d.path) for d in dataset.documents.values()]


def _key(data: Path, files: list[str]) -> list:
    return [__version__, _schema(), str(data.resolve()), [[f, stamp(f)] for f in files]]


def _fresh(stored: dict, data: Path, written_ns: int) -> bool:
    files = [f for f, _ in stored["key"][3]]
    if not files or files[0] != str(data.resolve()) or stored["key"] != _key(data, files):
        return False
    for (name, st), crc in zip(stored["key"][3], stored["crc"]):
        if st is not None and max(st[1], st[2]) >= written_ns - RACY_NS and _content(name) != crc:
            return False
    return True


# ------------------------------------------------------------------ the snapshot

def _snapshot_path(data: Path) -> Path:
    # A cheap name; the key stored inside the snapshot decides whether it is the right one.
    digest = zlib.crc32(str(data.resolve()).encode("utf-8"))
    return cache_dir() / "datasets" / f"{digest:08x}.json"


def load(data: Path) -> Dataset | None:
    """The snapshot of `data` if it is intact and still fresh, else None."""
    if os.environ.get(ENV_NO_CACHE):
        return None
    try:
        target = _snapshot_path(data)
        check_private(target.parent.parent)
        check_private(target.parent)
        raw = target.read_bytes()
    except CacheUnavailable as exc:
        _warn(str(exc))
        return None
    except OSError:
        return None
    stored = _decode_file(raw)
    if stored is None or not _fresh(stored, data, stored["written_ns"]):
        return None
    dataset = stored["dataset"]
    return dataset if isinstance(dataset, Dataset) else None


def store(data: Path, dataset: Dataset) -> None:
    """Write the snapshot atomically; skip it when the cache cannot (or must not) be written."""
    if os.environ.get(ENV_NO_CACHE):
        return
    try:
        target = _snapshot_path(data)
        private_dir(target.parent.parent)
        private_dir(target.parent)
        files = _files(data, dataset)
        written_ns = _now_ns()
        stored = {"written_ns": written_ns, "key": _key(data, files), "crc": [_content(f) for f in files],
                  "dataset": dataset}
        write_private(target, _encode_file(stored))
    except CacheUnavailable as exc:
        _warn(str(exc))
    except OSError:
        return


def _now_ns() -> int:
    import time

    return time.time_ns()


def _encode_file(stored: dict) -> bytes:
    import json

    payload = json.dumps(_encode(stored), ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return MAGIC + b"%08x\n" % zlib.crc32(payload) + payload


def _decode_file(raw: bytes) -> dict | None:
    """The stored record, or None for anything damaged or foreign."""
    import json

    if not _CLASSES:
        _CLASSES.update(_classes())
    head = len(MAGIC) + 9
    if not raw.startswith(MAGIC) or len(raw) < head or raw[head - 1:head] != b"\n":
        return None
    payload = raw[head:]
    try:
        if int(raw[len(MAGIC):head - 1], 16) != zlib.crc32(payload):
            return None
        stored = json.loads(payload, object_hook=_decode_object)
    except (ValueError, TypeError, KeyError, RecursionError):
        return None
    if not isinstance(stored, dict) or not {"written_ns", "key", "crc", "dataset"} <= stored.keys():
        return None
    return stored


# A dataclass is {"$": class name, "f": [field values in order]}; a Path {"$p": str},
# a set {"$s": [...]}, a tuple {"$t": [...]}. Only the classes listed here can come back.
def _classes() -> dict[str, type]:
    from stancecli import corpus, model

    return {
        "Dataset": model.Dataset, "Organisation": model.Organisation, "Document": model.Document,
        "Issue": model.Issue, "Position": model.Position, "Quote": model.Quote, "Text": model.Text,
        "Signatory": model.Signatory, "Span": corpus.Span,
    }


def _encode(value):
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    if isinstance(value, dict):
        return {str(k): _encode(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_encode(v) for v in value]
    if isinstance(value, tuple):
        return {"$t": [_encode(v) for v in value]}
    if isinstance(value, (set, frozenset)):
        return {"$s": sorted((_encode(v) for v in value), key=repr)}
    if isinstance(value, Path):
        return {"$p": str(value)}
    name = type(value).__name__
    if _classes().get(name) is type(value):
        return {"$": name, "f": [_encode(getattr(value, f)) for f in type(value).__dataclass_fields__]}
    raise TypeError(f"cannot store a {name} in the snapshot")


def _decode_object(obj: dict):
    if "$" in obj:
        cls = _CLASSES.get(obj["$"])
        if cls is None:
            raise ValueError("unknown class in snapshot")
        names = _field_names(cls)
        values = obj["f"]
        if len(values) != len(names):
            raise ValueError("snapshot fields do not match the model")
        made: Any = object.__new__(cls)
        # Straight into __dict__: no __init__ per object, and frozen classes load the same way.
        made.__dict__.update(zip(names, values))
        return made
    if "$p" in obj:
        return Path(obj["$p"])
    if "$s" in obj:
        return set(obj["$s"])
    if "$t" in obj:
        return tuple(obj["$t"])
    return obj


_CLASSES: dict[str, type] = {}


_NAMES: dict[type, list[str]] = {}


def _field_names(cls: type) -> list[str]:
    names = _NAMES.get(cls)
    if names is None:
        import dataclasses

        names = _NAMES[cls] = [f.name for f in dataclasses.fields(cls)]
    return names
