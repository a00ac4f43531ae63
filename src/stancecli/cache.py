"""A snapshot of a loaded dataset with its quotes located, so read commands skip YAML and sources.

The snapshot lives in the user's cache directory, never beside the data, and is used only
while the dataset file and every source it names have the size and mtime they had when it was
written. Anything wrong with it (missing, stale, unreadable, from another version) means it is
ignored and rebuilt; a cache directory that cannot be written is simply not used.
"""

from __future__ import annotations

import os
import pickle
import zlib
from pathlib import Path

from stancecli import __version__
from stancecli.model import Dataset

ENV_CACHE = "STANCECLI_CACHE_DIR"
ENV_NO_CACHE = "STANCECLI_NO_CACHE"


def cache_dir() -> Path:
    """$STANCECLI_CACHE_DIR, else $XDG_CACHE_HOME/stancecli, else ~/.cache/stancecli."""
    if os.environ.get(ENV_CACHE):
        return Path(os.environ[ENV_CACHE])
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "stancecli"


def _snapshot_path(data: Path) -> Path:
    # A cheap name; the key stored inside the snapshot decides whether it is the right one.
    digest = zlib.crc32(str(data.resolve()).encode("utf-8"))
    return cache_dir() / "datasets" / f"{digest:08x}.pickle"


def _stamp(path: Path) -> tuple[int, int] | None:
    try:
        st = path.stat()
    except OSError:
        return None
    return st.st_size, st.st_mtime_ns


_HERE = Path(__file__).resolve().parent
# The pickled classes live here: a snapshot from another edition of them is stale.
_CODE = (_HERE / "model.py", _HERE / "corpus.py")


def _key(data: Path, sources: list[Path]) -> tuple:
    return (__version__, tuple(_stamp(c) for c in _CODE), str(data.resolve()), _stamp(data),
            tuple((str(s), _stamp(s)) for s in sources))


def load(data: Path) -> Dataset | None:
    """The snapshot of `data` if it is still fresh, else None."""
    if os.environ.get(ENV_NO_CACHE):
        return None
    try:
        with open(_snapshot_path(data), "rb") as fh:
            key, dataset = pickle.load(fh)
    except Exception:  # a missing, truncated or foreign file is just a cache miss
        return None
    if not isinstance(dataset, Dataset) or key != _key(data, [d.path for d in dataset.documents.values()]):
        return None
    return dataset


def store(data: Path, dataset: Dataset) -> None:
    """Write the snapshot atomically; silently skip when the cache cannot be written."""
    if os.environ.get(ENV_NO_CACHE):
        return
    import tempfile

    target = _snapshot_path(data)
    key = _key(data, [d.path for d in dataset.documents.values()])
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, suffix=".tmp")
        with os.fdopen(fd, "wb") as fh:
            pickle.dump((key, dataset), fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, target)
    except OSError:
        return
