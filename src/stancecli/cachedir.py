"""Where the user's cache lives, and the checks that keep it private. Apart from the dataset
snapshot (stancecli.cache), so that a search, which keeps its index there, needs no model.
Imports no pathlib: the console script asks where a search's index is before it loads anything
(search/prewalk.py)."""

from __future__ import annotations

import os

from stancecli.errors import CacheUnavailable

TYPE_CHECKING = False  # typing is not imported at run time (see stancecli/typed.py)
if TYPE_CHECKING:
    from collections.abc import Sequence
    from pathlib import Path

ENV_CACHE = "STANCECLI_CACHE_DIR"
DIR_MODE = 0o700
OTHERS_WRITE = 0o022  # the mode bits that let others write
DATASET_KEY = "dataset:"  # an index key that names a dataset file, not a folder searched


def cache_dir() -> Path:
    """$STANCECLI_CACHE_DIR, else $XDG_CACHE_HOME/stancecli, else ~/.cache/stancecli.

    A relative XDG_CACHE_HOME is ignored (the XDG spec says so), and an empty or relative
    HOME falls back to the account's home folder; with no usable home there is no cache.
    """
    from pathlib import Path

    return Path(cache_path())


def cache_path() -> str:
    """`cache_dir()` as a string."""
    chosen = os.environ.get(ENV_CACHE)
    if chosen:
        return os.path.abspath(chosen)
    xdg = os.environ.get("XDG_CACHE_HOME", "")
    if os.path.isabs(xdg):
        return os.path.join(xdg, "stancecli")
    home = _home()
    if home is None:
        raise CacheUnavailable("no home folder to keep a cache in")
    return os.path.join(home, ".cache", "stancecli")


def index_path(roots: Sequence[str], chosen: str | os.PathLike[str] | None = None) -> str:
    """The folder a search over `roots` keeps its index in: `chosen` when one was, else one in
    the cache per set of roots."""
    if chosen is not None:
        return os.fspath(chosen)
    import zlib  # lighter than hashlib, which costs 4 ms to import

    keys = (r if r.startswith(DATASET_KEY) else os.path.abspath(r) for r in roots)
    data = "\0".join(sorted(keys)).encode("utf-8", "surrogateescape")
    key = f"{zlib.crc32(data):08x}{zlib.adler32(data[::-1]):08x}"
    return os.path.join(cache_path(), "search", key)


def _home() -> str | None:
    home = os.environ.get("HOME", "")
    if not os.path.isabs(home):
        try:
            import pwd

            home = pwd.getpwuid(os.getuid()).pw_dir
        except (ImportError, KeyError, AttributeError):
            return None
    if not os.path.isabs(home) or home == os.sep:
        return None
    return home


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
    why = not_private(path.stat())
    if why:
        raise CacheUnavailable(f"{path} {why}; not using it as a cache")


def not_private(st: os.stat_result) -> str | None:
    """Why a file or folder with this stat is not the user's alone ("belongs to another user",
    "can be written by other users"), or None when it is."""
    getuid = getattr(os, "getuid", None)
    if getuid is None:  # pragma: no cover - Windows: no owners or mode bits to check
        return None
    if st.st_uid != getuid():
        return "belongs to another user"
    if st.st_mode & OTHERS_WRITE:
        return "can be written by other users"
    return None
