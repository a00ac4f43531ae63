"""Lines of conflict: issues ranked by how divided the organisations are."""

from __future__ import annotations

from typing import Any

from stancecli.analysis.metric import AnalysisError, stance_of
from stancecli.analysis.posmap import _round
from stancecli.analysis.sides import org_profiles
from stancecli.analysis.spread import IssueSpread, by_division, spreads
from stancecli.model import SYMBOLS, Dataset
from stancecli.queries import issue_title
from stancecli.records import Column, Listing

CONFLICT_COLUMNS = [
    Column("issue", "Issue"), Column("title", "Title"),
    Column("positions", "Positions", "number"), Column("for", "For", "number"),
    Column("mixed", "Mixed", "number"), Column("against", "Against", "number"),
    Column("mean", "Mean", "number"), Column("division", "Division", "number"),
    Column("agreement", "Agreement", "proximity"), Column("verdict", "Verdict"),
    Column("stances", "Stances", "orgs"),
]


def conflicts(ds: Dataset, reported: bool = True, min_positions: int = 2, sort: str = "division",
              lang: str = "nb") -> Listing:
    """Issues ranked by how divided the organisations are, then by how many took a position."""
    if sort not in ("division", "positions"):
        raise AnalysisError(f"conflicts sort by 'division' or 'positions', not '{sort}'")
    sides = org_profiles(ds, reported)
    items = [s for s in spreads(sides, ds.issues) if s.positions >= max(1, min_positions)]
    items = by_division(items, ds)
    if sort == "positions":
        items = sorted(items, key=lambda s: -s.positions)  # stable: division breaks ties
    labels = {s.key: s.label for s in sides}
    rows = [_conflict_row(ds, s, labels, lang) for s in items]
    title = (f"Lines of conflict: {len(rows)} issues on which at least {max(1, min_positions)} "
             "organisations took a position, most divided first")
    return Listing(CONFLICT_COLUMNS, rows, [_conflict_record(r, s) for r, s in zip(rows, items)],
                   title=title, labels=labels)


def _conflict_row(ds: Dataset, s: IssueSpread, labels: dict[str, str], lang: str) -> dict[str, Any]:
    pro, mixed, con = s.counts
    ordered = sorted(s.scores.items(), key=lambda kv: (-kv[1], labels[kv[0]].casefold()))
    return {"issue": s.key, "title": issue_title(ds, s.key, lang), "positions": s.positions,
            "for": pro, "mixed": mixed, "against": con, "mean": round(s.mean, 2),
            "division": s.division,
            "agreement": s.agreement, "verdict": s.verdict,
            "stances": ", ".join(f"{k} {SYMBOLS[stance_of(v)]}" for k, v in ordered)}


def _conflict_record(row: dict[str, Any], s: IssueSpread) -> dict[str, Any]:
    rec = {k: v for k, v in row.items() if k != "stances"}
    rec.update({"division": _round(s.division), "agreement": _round(s.agreement),
                "stances": {k: stance_of(v) for k, v in s.scores.items()}})
    return rec
