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
