"""The dataset for other tools: SQLite (Datasette, sqlite-utils) and XLSX spreadsheets.

The writers import their library (sqlite-utils, openpyxl) only when they run; the rows they
write come from `stancecli.export.tables`, which is plain Python over the dataset.
"""

from __future__ import annotations

from stancecli.errors import StanceError


class ExportProblem(StanceError):
    """An export that cannot be written (missing library, unwritable file); nothing was changed."""


INSTALL_HINT = "pip install 'stancecli[export]'"


def need(module: str, what: str):
    """Import an optional library, or say how to install it."""
    import importlib

    try:
        return importlib.import_module(module)
    except ImportError:
        raise ExportProblem(f"{what} needs the {module} library: {INSTALL_HINT}") from None
