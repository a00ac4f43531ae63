"""Plain renderers for pipes and files: tsv, csv, json, jsonl, markdown."""

from __future__ import annotations

import io
import json
import re
from collections.abc import Iterable
from typing import Any

from stancecli.records import Listing

# C0/C1 control characters (ESC among them) would drive a terminal: never let data through as such.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def clean(value: Any) -> str:
    """One value as a single safe line: no tabs, newlines or control characters."""
    if value is None:
        return ""
    if isinstance(value, float):
        value = f"{value:.3f}".rstrip("0").rstrip(".") if value == value else "n/a"
    if isinstance(value, (list, tuple)):
        value = " | ".join(clean(v) for v in value)
    text = _CONTROL.sub("", str(value))
    return " ".join(text.split()) if ("\t" in text or "\n" in text or "\r" in text) else text


def tsv(listing: Listing, header: bool = False) -> Iterable[str]:
    keys = [c.key for c in listing.columns]
    if header:
        yield "\t".join(keys)
    for row in listing.rows:
        yield "\t".join(clean(row.get(k)) for k in keys)


def csv_lines(listing: Listing) -> Iterable[str]:
    import csv

    keys = [c.key for c in listing.columns]
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(keys)
    for row in listing.rows:
        writer.writerow([clean(row.get(k)) for k in keys])
    yield from buf.getvalue().splitlines()


def _json_safe(value: Any) -> Any:
    if isinstance(value, float) and value != value:
        return None
    if isinstance(value, dict):
        return {k: _json_safe(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_json_safe(v) for v in value]
    return value


def json_lines(listing: Listing) -> Iterable[str]:
    yield json.dumps(_json_safe(listing.json_records), ensure_ascii=False, indent=2)


def jsonl(listing: Listing) -> Iterable[str]:
    for rec in listing.json_records:
        yield json.dumps(_json_safe(rec), ensure_ascii=False)


def markdown(listing: Listing) -> Iterable[str]:
    def cell(value: Any) -> str:
        return clean(value).replace("|", "\\|")

    if listing.title:
        yield f"### {clean(listing.title)}"
        yield ""
    yield "| " + " | ".join(c.header for c in listing.columns) + " |"
    yield "|" + "|".join("---:" if c.kind in ("number", "score", "percent", "proximity") else "---"
                         for c in listing.columns) + "|"
    for row in listing.rows:
        yield "| " + " | ".join(cell(row.get(c.key)) for c in listing.columns) + " |"


RENDERERS = {"tsv": tsv, "csv": csv_lines, "json": json_lines, "jsonl": jsonl, "markdown": markdown}


def render(listing: Listing, fmt: str) -> Iterable[str]:
    return RENDERERS[fmt](listing)
