"""Why two organisations agree or differ, issue by issue."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from stancecli.analysis.metric import SCALE_WIDTH, AnalysisError, _sources, proximity
from stancecli.analysis.sides import _ordered_issues, latest_positions
from stancecli.model import Dataset
from stancecli.queries import citation, issue_order, issue_title, org_label, position_record
from stancecli.records import Column, Listing

if TYPE_CHECKING:
    from stancecli.corpus import Sources


def agree(ds: Dataset, a: str, b: str, reported: bool = True, lang: str = "nb",
          sources: Sources | None = None) -> Listing:
    """The issues two organisations both addressed, widest gap first, with a quote from each."""
    if a == b:
        raise AnalysisError(f"give two different organisations (both are '{a}')")
    sources = sources or _sources()
    latest = latest_positions(ds, reported)
    mine, theirs = latest.get(a, {}), latest.get(b, {})
    order = issue_order(ds)
    shared = sorted(mine.keys() & theirs.keys(),
                    key=lambda k: (-abs(mine[k].score - theirs[k].score), order.get(k, 0)))
    la, lb = org_label(ds, a), org_label(ds, b)
    rows, records = [], []
    for issue in shared:
        ra = position_record(ds, mine[issue], lang, sources)
        rb = position_record(ds, theirs[issue], lang, sources)
        row = _agree_row(ds, issue, ra, rb, lang)
        rows.append(row)
        records.append({"issue": issue, "gap": row["gap"], "agreement": row["agreement"], "a": ra, "b": rb})
    prox = proximity({k: float(p.score) for k, p in mine.items()}, {k: float(p.score) for k, p in theirs.items()})
    summary = f"{prox.value:.2f}" if prox.defined else "n/a"
    title = f"{la} and {lb}: proximity {summary} over {prox.shared} shared issues (widest gap first)"
    return Listing(_agree_columns(la, lb), rows, records, title=title,
                   notes=_agree_notes(ds, la, lb, mine, theirs))


def _agree_columns(la: str, lb: str) -> list[Column]:
    return [Column("issue", "Issue"), Column("gap", "Gap", "number"),
            Column("agreement", "Agreement", "proximity"),
            Column("stance_a", la, "stance"), Column("stance_b", lb, "stance"),
            Column("quote_a", f"{la} says", "quote"), Column("location_a", f"{la} source", "location"),
            Column("quote_b", f"{lb} says", "quote"), Column("location_b", f"{lb} source", "location")]


def _agree_row(ds: Dataset, issue: str, ra: dict, rb: dict, lang: str) -> dict[str, Any]:
    gap = abs(ra["score"] - rb["score"])
    qa, qb = (ra["quotes"][:1] or [None])[0], (rb["quotes"][:1] or [None])[0]
    return {"issue": issue, "title": issue_title(ds, issue, lang), "gap": gap,
            "agreement": 1 - gap / SCALE_WIDTH, "stance_a": ra["stance"], "stance_b": rb["stance"],
            "document_a": ra["document"], "document_b": rb["document"],
            "quote_a": qa["text"] if qa else "", "location_a": citation(qa) if qa else "",
            "quote_b": qb["text"] if qb else "", "location_b": citation(qb) if qb else ""}


def _agree_notes(ds: Dataset, la: str, lb: str, mine: dict, theirs: dict) -> list[str]:
    notes = []
    for label, own, other in ((la, mine, theirs), (lb, theirs, mine)):
        only = _ordered_issues(ds, own.keys() - other.keys())
        if only:
            notes.append(f"Only {label}: {', '.join(only)}")
    return notes
