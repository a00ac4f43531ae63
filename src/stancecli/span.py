"""Span: where a quote stands in its source.

Apart from stancecli.corpus, which a search imports for reading its sources: Span is a dataclass
(the dataset cache stores it field by field), and importing dataclasses (with inspect, ast, dis,
tokenize) would cost every search some 10 ms.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Span:
    """Where a quote stands in its source: 1-based lines, 0-based offsets."""

    start: int
    end: int
    line_start: int
    line_end: int
    col: int
