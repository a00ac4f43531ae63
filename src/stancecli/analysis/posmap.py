"""The position map: every issue against every side, most divided first."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from stancecli.analysis.metric import _is_nan
from stancecli.analysis.pairwise import proximity_cells, similarity_order
from stancecli.analysis.sides import Profile, profiles
from stancecli.analysis.spread import IssueSpread, by_division, spreads
from stancecli.model import ABSENT, UNDECIDED, Dataset, Position
from stancecli.queries import issue_title
from stancecli.records import Column, Listing


@dataclass
class PositionMap:
    by: str
    profiles: list[Profile]  # ordered by similarity
    issues: list[IssueSpread]  # ordered by division
    unaddressed: list[str]  # issues no side addressed (left out of the grid)

    def cell(self, issue: str, side: Profile) -> Position | None:
        found = side.positions.get(issue)
        return found[0] if found and len(found) == 1 else None


def position_map(ds: Dataset, by: str = "organisation", reported: bool = True,
                 issues: Iterable[str] | None = None) -> PositionMap:
    """Sides × issues: sides ordered by similarity, issues by how divided they are."""
    chosen = list(issues) if issues is not None else None
    sides = profiles(ds, by, reported, chosen)
    ordered = similarity_order(sides, proximity_cells(sides))
    keys = chosen if chosen is not None else list(ds.issues)
    all_spreads = spreads(ordered, keys)
    kept = [s for s in all_spreads if s.positions or chosen is not None]
    gone = [s.key for s in all_spreads if not s.positions and chosen is None]
    return PositionMap(by, ordered, by_division(kept, ds), gone)


def undecided_cells(ds: Dataset, pm: PositionMap) -> set[tuple[str, str]]:
    """(issue, side) cells without a position where some document of the side is not yet coded
    for the issue: unknown, not "not addressed". Sides by kind are never undecided."""
    docs_of: dict[str, list[str]] = {}
    if pm.by == "organisation":
        docs_of = {side.key: [d.id for d in ds.documents_of(side.key)] for side in pm.profiles}
    elif pm.by == "document":
        docs_of = {side.key: [side.key] for side in pm.profiles if side.key in ds.documents}
    open_pairs = {(doc, issue) for docs in docs_of.values() for doc in docs
                  for issue in ds.undecided_issues(doc)}
    return {(spread.key, side.key) for spread in pm.issues for side in pm.profiles
            if spread.key not in side.scores
            and any((doc, spread.key) in open_pairs for doc in docs_of.get(side.key, ()))}


def map_listing(pm: PositionMap, ds: Dataset, lang: str = "nb", absent: bool = False) -> Listing:
    """One row per position (issue, side) for pipes, and with `absent` one per empty cell too
    (stance not-addressed or undecided, no score); JSON gets one record per issue."""
    cols = [Column("issue", "Issue"), Column("organisation", "Organisation"),
            Column("stance", "Stance", "stance"), Column("score", "Score", "score")]
    unknown = undecided_cells(ds, pm)
    rows = [{"issue": spread.key, "organisation": side.key,
             "stance": _cell_status(pm, spread.key, side, unknown),
             "score": _plain_score(side.scores.get(spread.key))}
            for spread in pm.issues for side in pm.profiles if absent or spread.key in side.scores]
    records = [_map_record(ds, pm, spread, lang, unknown, absent) for spread in pm.issues]
    title = f"Position map by {pm.by}: issues most divided first"
    notes = [f"No one addressed: {', '.join(pm.unaddressed)}"] if pm.unaddressed else []
    return Listing(cols, rows, records, title=title, notes=notes,
                   result_count=sum(s.positions for s in pm.issues))


def _cell_status(pm: PositionMap, issue: str, side: Profile, unknown: set[tuple[str, str]]) -> str:
    stance = side.stance(issue)
    return UNDECIDED if stance == ABSENT and (issue, side.key) in unknown else stance


def _map_record(ds: Dataset, pm: PositionMap, spread: IssueSpread, lang: str,
                unknown: set[tuple[str, str]], absent: bool) -> dict[str, Any]:
    """Cells are positions only, unless `absent`: then empty cells carry a status and no score."""
    cells = [_cell_record(ds, pm, spread.key, side, unknown) for side in pm.profiles
             if absent or spread.key in side.scores]
    return {"issue": spread.key, "title": issue_title(ds, spread.key, lang),
            "positions": spread.positions, "division": _round(spread.division), "verdict": spread.verdict,
            "cells": cells}


def _cell_record(ds: Dataset, pm: PositionMap, issue: str, side: Profile,
                 unknown: set[tuple[str, str]]) -> dict[str, Any]:
    if issue not in side.scores:
        return {"organisation": side.key, "status": _cell_status(pm, issue, side, unknown)}
    p = pm.cell(issue, side)
    return {"organisation": side.key, "status": "position", "stance": side.stance(issue),
            "score": _plain_score(side.scores.get(issue)), "document": p.source_document if p else None,
            "year": ds.document_year(p.source_document) if p else None,
            "reported_by": p.reported_by if p else None}


def _plain_score(score: float | None) -> int | float | None:
    if score is None:
        return None
    return int(score) if float(score).is_integer() else round(score, 3)


def _round(value: float) -> float | None:
    return None if _is_nan(value) else round(value, 4)
