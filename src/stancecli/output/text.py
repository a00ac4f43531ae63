"""Plain renderers for pipes and files: tsv, csv, json, jsonl, markdown."""

from __future__ import annotations

import re
from collections.abc import Iterable

from stancecli.output.safe import clean, clean_column

TYPE_CHECKING = False  # typing is not imported at run time (see stancecli/typed.py)
# stancecli.records (and its dataclasses) only where markdown needs it: a search's JSON comes here
# and imports no dataclasses (some 10 ms).
if TYPE_CHECKING:
    from typing import Any

    from stancecli.records import Listing

__all__ = ["clean", "render", "RENDERERS"]

# Patterns are compiled by re on first use (and kept), not when every pipe imports this module.
# A spreadsheet runs a cell starting with one of these as a formula (CSV injection).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = r"^[+-]?\d+(\.\d+)?$"
BOM = "\ufeff"
# Markdown syntax a quote could use to link, embed a (remote) image or format: shown as written.
_MARKDOWN_SPECIAL = r"([\\`*_\[\]!|~])"


def tsv(listing: Listing, header: bool = False) -> Iterable[str]:
    keys = [c.key for c in listing.columns]
    if header:
        yield "\t".join(keys)
    rows = listing.rows
    yield from map("\t".join, zip(*[clean_column([row.get(k) for row in rows]) for k in keys]))


def spreadsheet_safe(text: str) -> str:
    """A cell a spreadsheet would run as a formula gets a leading apostrophe; numbers stay numbers."""
    if text.startswith(_FORMULA_START) and not re.match(_NUMBER, text):
        return "'" + text
    return text


def csv_lines(listing: Listing, bom: bool = False) -> Iterable[str]:
    import csv

    keys = [c.key for c in listing.columns]
    import io

    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(keys)
    for row in listing.rows:
        writer.writerow([spreadsheet_safe(clean(row.get(k))) for k in keys])
    lines = buf.getvalue().splitlines()
    if bom and lines:
        lines[0] = BOM + lines[0]
    yield from lines


def _json_safe(value: Any) -> Any:
    if isinstance(value, float) and value != value:
        return None
    if isinstance(value, dict):
        return {k: _json_safe(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_json_safe(v) for v in value]
    return value


def json_lines(listing: Listing) -> Iterable[str]:
    return json_document(listing.json_records)


def json_document(records: list[dict[str, Any]]) -> Iterable[str]:
    """`records` as one JSON array."""
    import json  # here, not at import: a pipe's tsv is the common case

    yield _escape_invisible(json.dumps(_json_safe(records), ensure_ascii=False, indent=2))


def jsonl(listing: Listing) -> Iterable[str]:
    return json_objects(listing.json_records)


def json_objects(records: list[dict[str, Any]]) -> Iterable[str]:
    """`records` as JSON Lines, one object a line."""
    from json import dumps

    for rec in records:
        yield _escape_invisible(dumps(_json_safe(rec), ensure_ascii=False))


# Characters json.dumps leaves raw (with ensure_ascii=False) that reorder or break what a reader of
# the JSON sees in a terminal or editor; they can only stand inside strings, where \uXXXX is the same.
_INVISIBLE = "[\u2028\u2029\u200e\u200f\u061c\u202a-\u202e\u2066-\u2069\x7f-\x9f]"


def _escape_invisible(text: str) -> str:
    return re.sub(_INVISIBLE, lambda m: f"\\u{ord(m.group()):04x}", text)


def md(value: Any) -> str:
    """One datum as markdown text: one line, raw HTML escaped, link and image syntax inert."""
    import html

    return re.sub(_MARKDOWN_SPECIAL, r"\\\1", html.escape(clean(value), quote=False))


LEFT, RIGHT, CENTER = "---", "---:", ":---:"


def md_table(headers: list[str], rows: Iterable[list[str]], align: list[str] | None = None) -> Iterable[str]:
    """The one markdown table: cells already made safe with md(); align per column LEFT, RIGHT or CENTER."""
    def line(cells: list[str]) -> str:
        return "|" + "|".join(f" {cell} " if cell else " " for cell in cells) + "|"

    yield line(headers)
    yield "|" + "|".join(align or [LEFT] * len(headers)) + "|"
    yield from (line(row) for row in rows)


def markdown(listing: Listing) -> Iterable[str]:
    from stancecli.records import NUMERIC_KINDS, named

    if listing.title:
        yield f"### {md(listing.title)}"
        yield ""
    # Markdown is read by people: names where records carry ids.
    yield from md_table([md(c.header) for c in listing.columns],
                        ([md(named(c.kind, row.get(c.key), listing.labels)) for c in listing.columns]
                         for row in listing.rows),
                        [RIGHT if c.kind in NUMERIC_KINDS else LEFT for c in listing.columns])
    for note in listing.notes:
        yield ""
        yield f"_{md(note)}_"


RENDERERS = {"tsv": tsv, "csv": csv_lines, "json": json_lines, "jsonl": jsonl, "markdown": markdown}


def render(listing: Listing, fmt: str, bom: bool = False) -> Iterable[str]:
    if fmt == "csv":
        return csv_lines(listing, bom)
    return RENDERERS[fmt](listing)
