"""The dataset as flat tables: what the SQLite and XLSX exports write.

Plain rows (dicts) with declared primary and foreign keys; computed tables (agreement, map,
spread) come from `stancecli.analysis`, so an export says what `matrix` and `map` say.
No local path goes into a row: a document is cited by its id, title and line span, and its
source by the path written in the dataset (relative to the dataset file).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from stancecli.model import Dataset, Position

if TYPE_CHECKING:
    from stancecli.corpus import Sources


@dataclass
class Table:
    name: str
    rows: list[dict[str, Any]]
    pk: str | tuple[str, ...]
    # (column, other table, other column)
    foreign_keys: list[tuple[str, str, str]] = field(default_factory=list)
    # Declared column types: for columns that may hold only NULLs, or every column where a table may be empty.
    types: dict[str, type] = field(default_factory=dict)
    full_text: tuple[str, ...] = ()


@dataclass
class Export:
    tables: list[Table]  # parents before children
    warnings: list[str]


def line_span(start: int | None, end: int | None) -> str:
    """'line 3', 'lines 12-14', or 'line not found'."""
    if start is None:
        return "line not found"
    return f"line {start}" if start == end or end is None else f"lines {start}-{end}"


def citation(doc_id: str, title: str, start: int | None, end: int | None) -> str:
    """How a quote is cited wherever it travels: document id, title and line span."""
    return f"{doc_id}, «{title}», {line_span(start, end)}"


def _organisations(ds: Dataset) -> Table:
    rows = [{"id": o.id, "name": o.name, "short": o.short, "kind": o.kind, "members": o.members,
             "description": o.description} for o in ds.organisations.values()]
    return Table("organisations", rows, "id", types={"members": str, "description": str})


def _documents(ds: Dataset, line_counts: dict[str, int | None]) -> Table:
    rows = []
    for d in ds.documents.values():
        rows.append({
            "id": d.id, "organisation": d.organisation, "title": d.title, "hearing": d.hearing,
            "year": d.year, "date": d.date, "reference": d.reference,
            "url": getattr(d, "url", None), "published": _text(getattr(d, "published", None)),
            "kind": getattr(d, "kind", None), "source": d.source, "lines": line_counts.get(d.id),
            "signatories": json.dumps([s.name + (f" ({s.role})" if s.role else "") for s in d.signatories],
                                      ensure_ascii=False),
        })
    types: dict[str, type] = {k: str for k in ("date", "reference", "url", "published", "kind")}
    types["lines"] = int
    return Table("documents", rows, "id", [("organisation", "organisations", "id")], types)


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


def _issues(ds: Dataset) -> Table:
    rows = [{"key": i.key, "codebook": int(i.codebook), "title_nb": i.title.nb, "title_en": i.title.en,
             "proposal_nb": i.proposal.nb, "proposal_en": i.proposal.en,
             "aliases": json.dumps(i.aliases, ensure_ascii=False)} for i in ds.issues.values()]
    return Table("issues", rows, "key")


POSITION_COLUMNS = "id:int issue organisation document reported_by stance score:int confidence note summary_nb " \
                   "summary_en quotes:int"
QUOTE_COLUMNS = "id:int position:int rank:int document organisation issue stance text speaker line_start:int " \
                "line_end:int citation"
AGREEMENT_COLUMNS = "a b proximity:float shared:int issues"
SPREAD_COLUMNS = "issue rank:int positions:int for:int mixed:int against:int agreement:float verdict"
MAP_COLUMNS = "issue organisation stance score:float document reported_by"
TYPES = {"int": int, "float": float, "str": str}


def _declared(spec: str) -> dict[str, type]:
    """'id:int name' -> {'id': int, 'name': str}: every column, in order, so an empty table has them too."""
    return {name: TYPES[kind or "str"] for name, _, kind in (word.partition(":") for word in spec.split())}


def _positions(ds: Dataset) -> tuple[Table, Table]:
    positions: list[dict[str, Any]] = []
    quotes: list[dict[str, Any]] = []
    for pid, p in enumerate(ds.positions, 1):
        positions.append({
            "id": pid, "issue": p.issue, "organisation": p.organisation, "document": p.source_document,
            "reported_by": p.reported_by, "stance": p.stance, "score": p.score,
            "confidence": p.confidence, "note": p.note, "summary_nb": p.summary.nb,
            "summary_en": p.summary.en or None,  # a Norwegian-only summary has no English: NULL, not ""
            "quotes": len(p.quotes),
        })
        quotes.extend(_quote_rows(ds, p, pid, len(quotes)))
    pos_table = Table("positions", positions, "id", [
        ("issue", "issues", "key"), ("organisation", "organisations", "id"),
        ("document", "documents", "id"), ("reported_by", "documents", "id")],
        _declared(POSITION_COLUMNS), ("summary_nb", "summary_en"))
    quote_table = Table("quotes", quotes, "id", [("position", "positions", "id"), ("document", "documents", "id")],
                        _declared(QUOTE_COLUMNS), ("text",))
    return pos_table, quote_table


def _quote_rows(ds: Dataset, p: Position, pid: int, before: int) -> Iterator[dict[str, Any]]:
    doc = ds.documents.get(p.source_document)
    title = doc.title if doc else ""
    for rank, q in enumerate(p.quotes, 1):
        start, end = (q.span.line_start, q.span.line_end) if q.span else (None, None)
        yield {"id": before + rank, "position": pid, "rank": rank, "document": p.source_document,
               "organisation": p.organisation, "issue": p.issue, "stance": p.stance, "text": q.text,
               "speaker": getattr(q, "speaker", None), "line_start": start, "line_end": end,
               "citation": citation(p.source_document, title, start, end)}


def _not_addressed(ds: Dataset) -> Table:
    rows = [{"document": doc, "issue": issue} for doc, issues in ds.not_addressed.items() for issue in issues]
    return Table("not_addressed", rows, ("document", "issue"),
                 [("document", "documents", "id"), ("issue", "issues", "key")], _declared("document issue"))


def _source_lines(ds: Dataset, sources: Sources) -> tuple[Table, dict[str, int | None], list[str]]:
    from stancecli.corpus import SourceError

    rows: list[dict[str, Any]] = []
    counts: dict[str, int | None] = {}
    warnings = []
    for d in ds.documents.values():
        try:
            src = sources.get(d.path)
        except SourceError as exc:
            counts[d.id] = None
            warnings.append(f"the source of {d.id} is left out: {exc}")
            continue
        counts[d.id] = src.line_count
        rows.extend({"document": d.id, "line": n, "text": src.line(n)} for n in range(1, src.line_count + 1))
    return (Table("source_lines", rows, ("document", "line"), [("document", "documents", "id")],
                  _declared("document line:int text"), ("text",)), counts, warnings)


def _computed(ds: Dataset) -> list[Table]:
    from stancecli.analysis import matrix, position_map

    m = matrix(ds, "organisation")
    agreement = [{"a": a.key, "b": b.key, "proximity": _number(m.get(a.key, b.key).json_value),
                  "shared": m.get(a.key, b.key).shared, "issues": json.dumps(list(m.get(a.key, b.key).issues))}
                 for a in m.profiles for b in m.profiles if a.key != b.key]
    pm = position_map(ds, "organisation")
    spread = [{"issue": s.key, "rank": rank, "positions": s.positions, "for": s.counts[0],
               "mixed": s.counts[1], "against": s.counts[2], "agreement": _number(s.agreement),
               "verdict": s.verdict} for rank, s in enumerate(pm.issues, 1)]
    cells = []
    for s in pm.issues:
        for side in pm.profiles:
            p = pm.cell(s.key, side)
            cells.append({"issue": s.key, "organisation": side.key, "stance": side.stance(s.key),
                          "score": side.scores.get(s.key), "document": p.source_document if p else None,
                          "reported_by": p.reported_by if p else None})
    org = ("organisations", "id")
    return [
        Table("agreement", agreement, ("a", "b"), [("a", *org), ("b", *org)], _declared(AGREEMENT_COLUMNS)),
        Table("spread", spread, "issue", [("issue", "issues", "key")], _declared(SPREAD_COLUMNS)),
        Table("map", cells, ("issue", "organisation"), [
            ("issue", "issues", "key"), ("organisation", *org), ("document", "documents", "id"),
            ("reported_by", "documents", "id")], _declared(MAP_COLUMNS)),
    ]


def _number(value: float | None) -> float | None:
    return None if value is None or value != value else round(value, 4)


def build(ds: Dataset, sources: Sources | None = None) -> Export:
    """Every table of the export, parents first."""
    from stancecli.corpus import Sources
    from stancecli.queries import locate

    sources = sources or Sources()
    for p in ds.positions:
        locate(ds, p, sources)
    lines, counts, warnings = _source_lines(ds, sources)
    positions, quotes = _positions(ds)
    tables = [_organisations(ds), _documents(ds, counts), _issues(ds), positions, quotes,
              _not_addressed(ds), lines, *_computed(ds)]
    return Export(tables, warnings)


def about(ds: Dataset, generated: str) -> list[dict[str, Any]]:
    """What the export is, for the reader of the file."""
    from stancecli import __version__

    return [
        {"key": "generator", "value": f"stancecli {__version__}"},
        {"key": "generated", "value": generated},
        {"key": "dataset", "value": ds.path.name},
        {"key": "organisations", "value": str(len(ds.organisations))},
        {"key": "documents", "value": str(len(ds.documents))},
        {"key": "issues", "value": str(len(ds.issues))},
        {"key": "positions", "value": str(len(ds.positions))},
        {"key": "quotes", "value": str(sum(len(p.quotes) for p in ds.positions))},
        {"key": "proximity", "value": "1 - mean |score difference| / 4 over the issues both addressed "
                                      "(stance scores: strongly-for 2 ... strongly-against -2); null when none"},
    ]
