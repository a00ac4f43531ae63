"""What `stancecli search` presents: its hits, apart from stancecli.records and its dataclasses.

A plain __slots__ class, not a dataclass: importing dataclasses (with inspect, ast, dis,
tokenize) would cost every search some 10 ms, more than the query itself.
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing is not imported at run time (see stancecli/typed.py)
if TYPE_CHECKING:
    from typing import Any


class SearchResult:
    """Matching sentences (stancecli.search.engine.Hit), best first: a terminal layout, grep lines
    or JSON, not a listing."""

    __slots__ = ("hits", "context")

    def __init__(self, hits: list[Any], context: bool = False):
        self.hits = hits
        self.context = context  # source lines shown around each hit: grep lines part hits with '--'

    @property
    def records(self) -> list[dict[str, Any]]:
        return [hit.to_dict() for hit in self.hits]
