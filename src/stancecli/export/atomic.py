"""Replace a file all at once: write a temporary file beside it, then rename it into place.

A reader (Datasette, a spreadsheet) sees the old file or the new one, never half of one; a
failed export leaves the old file as it was and no temporary file behind.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from stancecli.export import ExportProblem

if TYPE_CHECKING:
    from stancecli.model import Dataset

FILE_MODE = 0o666  # before the umask, as open() creates files
ORIGINAL_SUFFIXES = (".pdf", ".docx", ".html", ".htm")  # originals add-document keeps beside a source text


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def target_of(path: Path) -> Path:
    """Where the file really goes: through a symbolic link to its target."""
    return Path(os.path.realpath(path)) if path.is_symlink() else path


def dataset_files(ds: Dataset) -> list[Path]:
    """The files an output must never replace: the dataset itself, its sources and their originals."""
    files = [ds.path]
    for doc in ds.documents.values():
        files += [doc.path, *(doc.path.with_suffix(suffix) for suffix in ORIGINAL_SUFFIXES)]
    return files


def _is_one_of(target: Path, keep: Iterable[Path]) -> bool:
    if not target.is_file():
        return False
    for kept in keep:
        try:
            if os.path.samefile(target, kept):
                return True
        except OSError:
            continue  # a source that is not there (validate says so) is not this file
    return False


def replace_atomically(path: Path, write: Callable[[Path], object], keep: Iterable[Path] = ()) -> Path:
    """Call write(temporary path) and rename the result over `path`; return the path written.
    A `path` that is one of the files in `keep` (the dataset's own) is refused."""
    target = target_of(path)
    folder = target.parent
    if target.is_dir():
        raise ExportProblem(f"{path} is a folder; give a file name")
    if _is_one_of(target, keep):
        raise ExportProblem(f"{path} is a file of the dataset itself; give another file name")
    if not folder.is_dir():
        raise ExportProblem(f"cannot write {path}: the folder {folder} does not exist")
    try:
        fd, name = tempfile.mkstemp(dir=folder, prefix=f".{target.name}.", suffix=".tmp")
    except OSError as exc:
        raise ExportProblem(f"cannot write {path}: {exc.strerror or exc}") from None
    os.close(fd)
    tmp = Path(name)
    try:
        write(tmp)
        os.chmod(tmp, FILE_MODE & ~_umask())
        with open(tmp, "rb") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except OSError as exc:
        raise ExportProblem(f"cannot write {path}: {exc.strerror or exc}; nothing was changed") from None
    finally:
        tmp.unlink(missing_ok=True)
    return target
