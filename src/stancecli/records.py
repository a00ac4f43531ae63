"""What commands return: plain rows and records that renderers turn into text."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class Column:
    key: str
    header: str
    # How a terminal shows it: text | stance | score | quote | location | number | percent | proximity
    kind: str = "text"


@dataclass
class Listing:
    """A command's answer.

    `rows` are flat (one value per column) for table, tsv, csv and markdown;
    `records` are the JSON records, which may nest (quotes as a list). When a
    command has no separate JSON shape, the rows are the records.
    """

    columns: list[Column]
    rows: list[dict[str, Any]]
    records: list[dict[str, Any]] | None = None
    title: str | None = None
    notes: list[str] = field(default_factory=list)
    # Rows that are context, not results (e.g. "not addressed"): they do not make the exit code 0.
    result_count: int | None = None

    @property
    def json_records(self) -> list[dict[str, Any]]:
        return self.records if self.records is not None else self.rows

    @property
    def found(self) -> int:
        return len(self.rows) if self.result_count is None else self.result_count
