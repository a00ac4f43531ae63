"""Where the dataset is, and how paths are shown: small and import-light, for start-up."""

from __future__ import annotations

import os
from pathlib import Path

ENV_DATA = "STANCECLI_DATA"


def default_data_path() -> Path:
    """The bundled dataset: inside the installed package, or in a source checkout."""
    here = Path(__file__).resolve().parent
    bundled = here / "bundled" / "data" / "stances.yaml"
    if bundled.is_file():
        return bundled
    return here.parents[1] / "data" / "stances.yaml"


def resolve_data_path(option: str | os.PathLike | None) -> Path:
    """--data wins over STANCECLI_DATA, which wins over the bundled dataset."""
    chosen = option or os.environ.get(ENV_DATA)
    if chosen:
        path = Path(chosen).expanduser()
        return path / "stances.yaml" if path.is_dir() else path
    return default_data_path()


def display_path(path: Path) -> str:
    """A path as the user would type it: relative to the working folder when inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


ENV_SOURCE_ROOT = "STANCECLI_SOURCE_ROOT"


def source_root(base: Path) -> Path:
    """The folder a dataset's sources must lie in.

    `base` is the dataset's folder. Its parent, so that data/ and seeds/ may stand side by
    side, unless that parent is `/`, a home folder or a folder of home folders: then the
    dataset's own folder. STANCECLI_SOURCE_ROOT names another root explicitly. A root that
    would still be `/` or a home folder is replaced by a path no source can lie under.
    """
    chosen = os.environ.get(ENV_SOURCE_ROOT)
    if chosen:
        root = Path(chosen).expanduser().resolve()
    else:
        folder = base.resolve()
        root = folder.parent if folder.parent not in _too_wide() else folder
    return _NOWHERE if root in _too_wide() else root


_NOWHERE = Path("/\0no-source-root")  # a NUL cannot occur in a real path


def root_problem(base: Path) -> str:
    """Why sources cannot be read for a dataset in `base`, or '' when they can."""
    root = source_root(base)
    if root != _NOWHERE:
        return ""
    return (f"a dataset directly in {base.resolve()} may not name sources (the root folder or a home "
            f"folder is too wide a root); move it into a folder of its own, or set {ENV_SOURCE_ROOT}")


REGULAR_UID = 1000  # below this, accounts are system services whose "home" may be /usr/sbin or /bin


def _too_wide() -> set[Path]:
    """`/`, every home folder, and the folders holding people's home folders (such as /home)."""
    homes = {(Path(os.path.expanduser("~")), True)}
    try:
        import pwd

        homes.update((Path(p.pw_dir), p.pw_uid >= REGULAR_UID or p.pw_uid == os.getuid())
                     for p in pwd.getpwall() if p.pw_dir)
    except ImportError:  # pragma: no cover - Windows
        pass
    wide = {Path("/")}
    for home, a_person in homes:
        if home.is_absolute():
            home = home.resolve()
            wide.add(home)
            if a_person:
                wide.add(home.parent)
    return wide
