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


def generated_at() -> str:
    """When an export or report is made (UTC, to the second); SOURCE_DATE_EPOCH pins it for
    reproducible builds, as the reproducible-builds.org convention says."""
    import os
    from datetime import UTC, datetime

    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    try:
        when = datetime.fromtimestamp(int(epoch), UTC) if epoch.isdigit() else datetime.now(UTC)
    except (OverflowError, ValueError, OSError):
        raise ExportProblem(f"SOURCE_DATE_EPOCH={epoch} is past any date this system can write") from None
    return when.strftime("%Y-%m-%d %H:%M UTC")
