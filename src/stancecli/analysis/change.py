"""Change over time: diff of two documents, and an organisation's timeline."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from stancecli.analysis.metric import CHANGES, NOT_RAISED, AnalysisError, _sources
from stancecli.analysis.sides import _ordered_issues
from stancecli.model import ABSENT, UNDECIDED, Dataset, Position
from stancecli.queries import citation, document_label, org_label, pair_status, position_record
from stancecli.records import Column, Listing

if TYPE_CHECKING:
    from stancecli.corpus import Sources


@dataclass
class Change:
    issue: str
    change: str  # one of CHANGES
    before: Position | None
    after: Position | None
    # What the side without a position is: not-addressed, undecided or not-raised.
    before_status: str = "position"
    after_status: str = "position"

    @property
    def delta(self) -> int | None:
        if self.before is None or self.after is None:
            return None
        return self.after.score - self.before.score

    @property
    def direction(self) -> str:
        d = self.delta
        return "" if not d else ("toward-for" if d > 0 else "toward-against")

    @property
    def reversed(self) -> bool:
        return bool(self.before and self.after and self.before.score * self.after.score < 0)


def own_positions(ds: Dataset, doc_id: str) -> dict[str, Position]:
    """A document's own positions (not the views it reports of others), by issue."""
    return {p.issue: p for p in ds.positions if p.document == doc_id}


def changes(ds: Dataset, doc_a: str, doc_b: str) -> list[Change]:
    """What happened to each issue from document A to document B: changed, new, dropped, kept."""
    before, after = own_positions(ds, doc_a), own_positions(ds, doc_b)
    out = []
    for issue in _ordered_issues(ds, before.keys() | after.keys()):
        p, q = before.get(issue), after.get(issue)
        kind = "new" if p is None else "dropped" if q is None else "kept" if p.stance == q.stance else "changed"
        was = "position" if p else _silence(ds, doc_a, doc_b, issue)
        now = "position" if q else _silence(ds, doc_b, doc_a, issue)
        if kind == "dropped" and now != ABSENT:
            kind = now
        out.append(Change(issue, kind, p, q, was, now))
    rank = {c: i for i, c in enumerate(CHANGES)}
    return sorted(out, key=lambda c: (rank[c.change], -abs(c.delta or 0)))


def _silence(ds: Dataset, doc: str, other: str, issue: str) -> str:
    """Why a document has no position of its own on an issue the other document took one on."""
    if pair_status(ds, doc, issue) == UNDECIDED:
        return UNDECIDED
    return NOT_RAISED if _hearings_differ(ds, doc, other) else ABSENT


def _hearings_differ(ds: Dataset, doc_a: str, doc_b: str) -> bool:
    return ds.documents[doc_a].hearing.strip().casefold() != ds.documents[doc_b].hearing.strip().casefold()


def diff_title(ds: Dataset, doc_a: str, doc_b: str, found: list[Change]) -> str:
    counts = ", ".join(f"{sum(c.change == k for c in found)} {k}" for k in CHANGES
                       if k in CHANGES[:4] or any(c.change == k for c in found))
    title = f"{_doc_label(ds, doc_a)} → {_doc_label(ds, doc_b)}: {counts}"
    if _hearings_differ(ds, doc_a, doc_b):
        a, b = ds.documents[doc_a], ds.documents[doc_b]
        title += f" (different hearings: {doc_a} answered «{a.hearing}», {doc_b} «{b.hearing}»)"
    return title


def _doc_label(ds: Dataset, doc_id: str) -> str:
    return f"{document_label(ds, doc_id)} ({doc_id})"


def diff(ds: Dataset, doc_a: str, doc_b: str, only: Iterable[str] | None = None, lang: str = "nb",
         sources: Sources | None = None) -> Listing:
    """How positions moved from one document to another, with the quotes on each side."""
    for d in (doc_a, doc_b):
        if d not in ds.documents:
            raise AnalysisError(f"unknown document '{d}'")
    if doc_a == doc_b:
        raise AnalysisError(f"give two different documents (both are '{doc_a}')")
    sources = sources or _sources()
    found = changes(ds, doc_a, doc_b)
    shown = [c for c in found if only is None or c.change in set(only)]
    rows = [_change_row(ds, doc_a, doc_b, c, lang, sources) for c in shown]
    listing = Listing(DIFF_COLUMNS, [r for r, _ in rows], [rec for _, rec in rows],
                      title=diff_title(ds, doc_a, doc_b, found))
    a_org, b_org = ds.documents[doc_a].organisation, ds.documents[doc_b].organisation
    if a_org != b_org:
        listing.notes.append(f"These documents are by different organisations ({a_org}, {b_org}): "
                             "a difference between them is not a change of mind.")
    return listing


DIFF_COLUMNS = [
    Column("change", "Change"), Column("issue", "Issue"),
    Column("before", "Before", "stance"), Column("after", "After", "stance"),
    Column("direction", "Direction"), Column("delta", "Delta", "score"),
    Column("quote_before", "Before, in its words", "quote"), Column("location_before", "Source before", "location"),
    Column("quote_after", "After, in its words", "quote"), Column("location_after", "Source after", "location"),
]


def _change_row(ds: Dataset, doc_a: str, doc_b: str, c: Change, lang: str,
                sources: Sources) -> tuple[dict[str, Any], dict[str, Any]]:
    ra = position_record(ds, c.before, lang, sources) if c.before else None
    rb = position_record(ds, c.after, lang, sources) if c.after else None
    row = {"change": c.change, "issue": c.issue, "from": doc_a, "to": doc_b,
           "before": ra["stance"] if ra else c.before_status, "after": rb["stance"] if rb else c.after_status,
           "direction": c.direction + (" (reversed)" if c.reversed else ""),
           "delta": c.delta if c.delta is not None else "",
           **_quote_cells(ra, "before"), **_quote_cells(rb, "after")}
    record = {"change": c.change, "issue": c.issue, "from": doc_a, "to": doc_b, "delta": c.delta,
              "direction": c.direction or None, "reversed": c.reversed, "before": ra, "after": rb,
              "before_status": c.before_status, "after_status": c.after_status}
    return row, record


def _quote_cells(rec: dict | None, side: str) -> dict[str, str]:
    quotes = rec["quotes"] if rec else []
    return {f"quote_{side}": " | ".join(q["text"] for q in quotes),
            f"location_{side}": " | ".join(citation(q) for q in quotes)}


def timeline_documents(ds: Dataset, org: str) -> list[str]:
    return [d.id for d in sorted(ds.documents_of(org), key=lambda d: (d.year, d.date or "", d.id))]


def timeline(ds: Dataset, org: str, only: Iterable[str] | None = None, lang: str = "nb",
             sources: Sources | None = None) -> Listing:
    """An organisation's documents in time order, each step as a diff from the one before."""
    if org not in ds.organisations:
        raise AnalysisError(f"unknown organisation '{org}'")
    sources = sources or _sources()
    docs = timeline_documents(ds, org)
    rows, records, steps = [], [], []
    for a, b in zip(docs, docs[1:]):
        step = diff(ds, a, b, only, lang, sources)
        rows += step.rows
        records += step.records or []
        steps.append(step.title or "")
    label = org_label(ds, org)
    years = ", ".join(f"{d} ({ds.documents[d].year})" for d in docs) or "none"
    title = f"{label} over time — documents: {years}" + (f"; {'; '.join(steps)}" if steps else "")
    cols = [Column("from", "From"), Column("to", "To")] + DIFF_COLUMNS
    return Listing(cols, rows, records, title=title)
