"""What commands return: plain rows and records that renderers turn into text."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any


@dataclass(frozen=True)
class Column:
    """A column of a listing: its record key, its header and how a terminal shows it."""

    key: str
    header: str
    # How a terminal shows it: text | org | orgs | stance | score | quote | location | number | percent
    # | proximity. "orgs" is a list "id detail, id detail": records keep the ids, tables show names.
    kind: str = "text"


NUMERIC_KINDS = ("number", "score", "percent", "proximity")  # right-aligned in tables


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
    # id -> display name for columns of kind "org": records carry ids, tables show names.
    labels: dict[str, str] = field(default_factory=dict)

    @property
    def json_records(self) -> list[dict[str, Any]]:
        return self.records if self.records is not None else self.rows

    @property
    def found(self) -> int:
        return len(self.rows) if self.result_count is None else self.result_count


# Search hits have a layout of their own too, but live in stancecli.output.hits: a search answers
# from its index in milliseconds, and imports no dataclasses. The other results with a terminal
# layout of their own (evidence, agreement, matrix, map, report,
# proposals) live in stancecli.results, imported only by the commands that make them and by their
# renderers: a listing command, or a search, creates none of their classes.
if TYPE_CHECKING:
    from stancecli.results import Result


def named(kind: str, value: Any, labels: dict[str, str]) -> Any:
    """A cell as people read it: organisation ids (kind org, or each item of kind orgs) as names."""
    if kind == "org" and isinstance(value, str):
        return labels.get(value, value)
    if kind == "orgs" and isinstance(value, str) and value:
        items = [item.split(" ", 1) for item in value.split(", ")]
        return ", ".join(" ".join([labels.get(item[0], item[0]), *item[1:]]) for item in items)
    return value


def listing_of(result: Result) -> Listing:
    return result if isinstance(result, Listing) else result.listing
