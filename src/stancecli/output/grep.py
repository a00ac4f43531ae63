"""grep's line format, for search hits and evidence with context: one place for both."""

from __future__ import annotations

from stancecli.output.safe import clean

TYPE_CHECKING = False  # typing is not imported at run time (see stancecli/typed.py)
if TYPE_CHECKING:
    from typing import Any

SEPARATOR = "--"  # between groups of lines, as grep -C writes it


def grep_line(path: Any, number: Any, text: Any, match: bool = True, col: int | None = None) -> str:
    """'path:12:text' for a matching line ('path:12:3:text' with its column), 'path-11-text' for context."""
    sep = ":" if match else "-"
    where = f"{number}{sep}{col}" if col is not None else f"{number}"
    return f"{clean(path)}{sep}{where}{sep}{clean(text)}"
