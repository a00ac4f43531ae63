"""Who stands with whom: proximity, the agreement matrix, the position map, change over time,
lines of conflict and aggregates by kind of organisation.

A library: it returns data (dataclasses and `Listing`s); the renderers under
`stancecli.output` make the text. No typer or rich here.

The metric. Stances are scored on the codebook's five-point scale (strongly-for +2 ...
strongly-against -2), so two stances are at most 4 apart. The proximity of two
organisations is

    1 - mean(|score_a - score_b|) / 4      over the issues both addressed,

1 when they agree on every shared issue, 0 when every shared issue sees them at opposite
ends of the scale. It always comes with the number of shared issues; with none it is
undefined (`nan`, shown as n/a), never 0 or 1.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import combinations
from typing import TYPE_CHECKING, Any

from stancecli.errors import AnalysisProblem
from stancecli.model import ABSENT, ORG_KINDS, STANCES, SYMBOLS, Dataset, Position
from stancecli.queries import AGAINST, FOR, citation, cited_path, position_record
from stancecli.records import Column, Listing

if TYPE_CHECKING:
    from stancecli.corpus import Sources

SCALE_WIDTH = 4  # from strongly-against (-2) to strongly-for (+2)
LABELS = {score: label for label, score in STANCES.items()}
BY_CHOICES = ("organisation", "document", "kind")
# not-raised: the later document answered another hearing, which did not raise the issue;
# undecided: nobody has coded the later document for the issue yet. Neither is a change of mind.
CHANGES = ("changed", "new", "dropped", "kept", "not-raised", "undecided")
NOT_RAISED = "not-raised"


class AnalysisError(AnalysisProblem, ValueError):
    """Input the analysis cannot work with; the message is meant for the user."""


def _sources() -> Sources:
    from stancecli.corpus import Sources

    return Sources()


# ---------------------------------------------------------------- the metric

@dataclass(frozen=True)
class Proximity:
    """Agreement of two sides over the issues both addressed."""

    value: float  # nan when nothing is shared
    shared: int
    issues: tuple[str, ...] = ()

    @property
    def defined(self) -> bool:
        return self.shared > 0

    @property
    def json_value(self) -> float | None:
        return round(self.value, 4) if self.defined else None


def proximity(a: Mapping[str, float], b: Mapping[str, float]) -> Proximity:
    """1 - mean |score difference| / 4 over the issues in both; n/a (nan) with none shared."""
    shared = sorted(a.keys() & b.keys())
    if not shared:
        return Proximity(math.nan, 0, ())
    gap = sum(abs(a[k] - b[k]) for k in shared) / len(shared)
    return Proximity(1 - gap / SCALE_WIDTH, len(shared), tuple(shared))


def division(scores: Sequence[float]) -> float:
    """How divided the positions on one issue are: mean pairwise gap / 4, nan below two positions."""
    pairs = list(combinations(scores, 2))
    if not pairs:
        return math.nan
    return sum(abs(x - y) for x, y in pairs) / len(pairs) / SCALE_WIDTH


def stance_of(score: float) -> str:
    """The label nearest to a (possibly averaged) score; halves round towards 'for'."""
    return LABELS[max(-2, min(2, math.floor(score + 0.5)))]


def _issue_title(ds: Dataset, key: str, lang: str) -> str:
    issue = ds.issues.get(key)
    return issue.title.get(lang) if issue else key


def _is_nan(value: Any) -> bool:
    return isinstance(value, float) and value != value


# ---------------------------------------------------------------- profiles

@dataclass
class Profile:
    """One side being compared: an organisation, a document, or a kind of organisation."""

    key: str
    label: str
    kind: str | None
    scores: dict[str, float] = field(default_factory=dict)
    positions: dict[str, list[Position]] = field(default_factory=dict)

    def stance(self, issue: str) -> str:
        return stance_of(self.scores[issue]) if issue in self.scores else ABSENT


def _org_label(ds: Dataset, org_id: str) -> str:
    org = ds.organisations.get(org_id)
    return org.label if org else org_id


def _wanted(ds: Dataset, reported: bool, issues: Iterable[str] | None) -> list[Position]:
    keep = set(issues) if issues is not None else None
    return [p for p in ds.positions
            if (reported or not p.is_reported) and (keep is None or p.issue in keep)]


def _recency(ds: Dataset, p: Position) -> tuple:
    # Latest document first; at the same year the organisation's own words beat a report of them.
    return (ds.document_year(p.source_document) or 0, not p.is_reported, p.index)


def latest_positions(ds: Dataset, reported: bool = True,
                     issues: Iterable[str] | None = None) -> dict[str, dict[str, Position]]:
    """organisation -> issue -> its position in the latest document that addressed the issue."""
    out: dict[str, dict[str, Position]] = {}
    for p in _wanted(ds, reported, issues):
        mine = out.setdefault(p.organisation, {})
        if p.issue not in mine or _recency(ds, p) > _recency(ds, mine[p.issue]):
            mine[p.issue] = p
    return out


def _ordered_issues(ds: Dataset, keys: Iterable[str]) -> list[str]:
    order = {k: i for i, k in enumerate(ds.issues)}
    return sorted(set(keys), key=lambda k: (order.get(k, len(order)), k))


def org_profiles(ds: Dataset, reported: bool = True, issues: Iterable[str] | None = None) -> list[Profile]:
    latest = latest_positions(ds, reported, issues)
    out = []
    for org_id, org in ds.organisations.items():
        mine = latest.get(org_id)
        if not mine:
            continue
        out.append(Profile(org_id, org.label, org.kind,
                           {k: float(p.score) for k, p in mine.items()},
                           {k: [p] for k, p in mine.items()}))
    return out


def document_profiles(ds: Dataset, reported: bool = True,
                      issues: Iterable[str] | None = None) -> list[Profile]:
    """Every document its own side; a reported view is a side of its own (e.g. 'lo@bergen-2014')."""
    groups: dict[str, Profile] = {}
    years: dict[str, int] = {}
    for p in _wanted(ds, reported, issues):
        key = p.source_document if not p.is_reported else f"{p.organisation}@{p.source_document}"
        if key not in groups:
            groups[key] = Profile(key, _document_label(ds, p), _kind_of(ds, p.organisation))
            years[key] = ds.document_year(p.source_document) or 0
        groups[key].scores[p.issue] = float(p.score)
        groups[key].positions[p.issue] = [p]
    return sorted(groups.values(), key=lambda g: (years[g.key], "@" in g.key, g.key))


def _document_label(ds: Dataset, p: Position) -> str:
    """'NTL 2012' for a document's own positions, 'LO via Bergen 2014' for a reported view."""
    doc = ds.documents.get(p.source_document)
    year = f" {doc.year}" if doc else ""
    if not p.is_reported:
        return f"{_org_label(ds, p.organisation)}{year}"
    source = _org_label(ds, doc.organisation) if doc else p.source_document
    return f"{_org_label(ds, p.organisation)} via {source}{year}"


def _kind_of(ds: Dataset, org_id: str) -> str | None:
    org = ds.organisations.get(org_id)
    return org.kind if org else None


def kind_profiles(ds: Dataset, reported: bool = True, issues: Iterable[str] | None = None) -> list[Profile]:
    """Each kind of organisation: per issue the mean of its members' latest scores."""
    members: dict[str, list[Profile]] = {}
    for prof in org_profiles(ds, reported, issues):
        members.setdefault(prof.kind or "other", []).append(prof)
    out = []
    for kind in _kinds_in_order(members):
        group = members[kind]
        prof = Profile(kind, kind, kind)
        for issue in _ordered_issues(ds, {k for m in group for k in m.scores}):
            scores = [m.scores[issue] for m in group if issue in m.scores]
            prof.scores[issue] = sum(scores) / len(scores)
            prof.positions[issue] = [m.positions[issue][0] for m in group if issue in m.scores]
        out.append(prof)
    return out


def _kinds_in_order(kinds: Iterable[str]) -> list[str]:
    rank = {k: i for i, k in enumerate(ORG_KINDS)}
    return sorted(set(kinds), key=lambda k: (rank.get(k, len(rank)), k))


def profiles(ds: Dataset, by: str = "organisation", reported: bool = True,
             issues: Iterable[str] | None = None) -> list[Profile]:
    if by not in BY_CHOICES:
        raise AnalysisError(f"a grouping must be one of {', '.join(BY_CHOICES)}, not '{by}'")
    build = {"organisation": org_profiles, "document": document_profiles, "kind": kind_profiles}[by]
    return build(ds, reported, list(issues) if issues is not None else None)


# ---------------------------------------------------------------- the matrix

@dataclass
class Matrix:
    by: str
    profiles: list[Profile]  # ordered so that similar sides stand together
    cells: dict[tuple[str, str], Proximity]
    issues: list[str]

    def get(self, a: str, b: str) -> Proximity:
        return self.cells[(a, b)]

    def pairs(self) -> list[tuple[Profile, Profile, Proximity]]:
        """Every unordered pair once, closest first, pairs with nothing shared last."""
        out = [(a, b, self.get(a.key, b.key)) for a, b in combinations(self.profiles, 2)]
        return sorted(out, key=lambda t: (not t[2].defined, -(t[2].value if t[2].defined else 0),
                                          -t[2].shared, t[0].label.casefold(), t[1].label.casefold()))


def proximity_cells(sides: list[Profile]) -> dict[tuple[str, str], Proximity]:
    return {(a.key, b.key): proximity(a.scores, b.scores) for a in sides for b in sides}


def _evidence_weighted(p: Proximity, weight: float = 1.0) -> float:
    """Proximity pulled towards 0.5 when few issues are shared: for ordering only, never shown."""
    return (p.value * p.shared + 0.5 * weight) / (p.shared + weight) if p.defined else -1.0


def similarity_order(sides: list[Profile], cells: dict[tuple[str, str], Proximity]) -> list[Profile]:
    """A chain from the most peripheral side, each next the closest to the last placed.

    Closeness is the proximity weighted by the number of shared issues, so that agreeing on
    one issue does not outrank agreeing on ten. Sides sharing no issue with any other go last.
    """
    def close(a: Profile, b: Profile) -> float:
        return _evidence_weighted(cells[(a.key, b.key)])

    def others(a: Profile) -> list[float]:
        return [close(a, b) for b in sides if b is not a and cells[(a.key, b.key)].defined]

    index = {s.key: i for i, s in enumerate(sides)}
    linked = [s for s in sides if others(s)]
    alone = [s for s in sides if not others(s)]
    if not linked:
        return alone
    start = min(linked, key=lambda s: (sum(others(s)) / len(others(s)), -len(s.scores), index[s.key]))
    order, rest = [start], [s for s in linked if s is not start]
    while rest:
        nxt = max(rest, key=lambda s: (close(order[-1], s), len(s.scores), -index[s.key]))
        order.append(nxt)
        rest.remove(nxt)
    return order + alone


def matrix(ds: Dataset, by: str = "organisation", reported: bool = True,
           issues: Iterable[str] | None = None) -> Matrix:
    """Proximity of every pair of sides (organisations by default)."""
    chosen = list(issues) if issues is not None else None
    sides = profiles(ds, by, reported, chosen)
    cells = proximity_cells(sides)
    return Matrix(by, similarity_order(sides, cells), cells, chosen if chosen is not None else list(ds.issues))


PAIR_COLUMNS = [
    Column("a", "A"), Column("b", "B"),
    Column("proximity", "Proximity", "proximity"), Column("shared", "Shared issues", "number"),
]


def matrix_listing(m: Matrix) -> Listing:
    """The matrix as one row per pair (a, b, proximity, shared): what pipes and JSON get."""
    rows, records = [], []
    for a, b, prox in m.pairs():
        rows.append({"a": a.key, "b": b.key, "proximity": prox.value, "shared": prox.shared})
        records.append({"a": a.key, "a_label": a.label, "b": b.key, "b_label": b.label,
                        "proximity": prox.json_value, "shared": prox.shared, "issues": list(prox.issues)})
    title = f"Agreement by {m.by}: 1 - mean |score gap| / 4 over the issues both addressed"
    return Listing(PAIR_COLUMNS, rows, records, title=title)


# ---------------------------------------------------------------- division of one issue

@dataclass
class IssueSpread:
    """How the sides stand on one issue."""

    key: str
    scores: dict[str, float]  # side key -> score, sides that addressed it

    @property
    def positions(self) -> int:
        return len(self.scores)

    @property
    def division(self) -> float:
        return division(list(self.scores.values()))

    @property
    def agreement(self) -> float:
        d = self.division
        return math.nan if _is_nan(d) else 1 - d

    @property
    def counts(self) -> tuple[int, int, int]:
        vals = self.scores.values()
        return sum(v > 0 for v in vals), sum(v == 0 for v in vals), sum(v < 0 for v in vals)

    @property
    def mean(self) -> float:
        return sum(self.scores.values()) / len(self.scores) if self.scores else math.nan

    @property
    def verdict(self) -> str:
        """split (some for, some against), consensus (all alike), same side (all for or all
        against, in different strengths), leaning (one side alongside mixed), one voice."""
        pro, mixed, con = self.counts
        if self.positions < 2:
            return "one voice" if self.positions else "not addressed"
        if pro and con:
            return "split"
        if self.division == 0:
            return "consensus"
        return "leaning" if mixed else "same side"


def spreads(sides: list[Profile], issue_keys: Iterable[str]) -> list[IssueSpread]:
    return [IssueSpread(k, {s.key: s.scores[k] for s in sides if k in s.scores}) for k in issue_keys]


def by_division(items: list[IssueSpread], ds: Dataset) -> list[IssueSpread]:
    """Most divided first, then most positions; issues with fewer than two positions last."""
    order = {k: i for i, k in enumerate(ds.issues)}
    return sorted(items, key=lambda s: (_is_nan(s.division), -(0 if _is_nan(s.division) else s.division),
                                        -s.positions, order.get(s.key, 0)))


# ---------------------------------------------------------------- the position map

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
    return "undecided" if stance == ABSENT and (issue, side.key) in unknown else stance


def _map_record(ds: Dataset, pm: PositionMap, spread: IssueSpread, lang: str,
                unknown: set[tuple[str, str]], absent: bool) -> dict[str, Any]:
    """Cells are positions only, unless `absent`: then empty cells carry a status and no score."""
    cells = [_cell_record(ds, pm, spread.key, side, unknown) for side in pm.profiles
             if absent or spread.key in side.scores]
    return {"issue": spread.key, "title": _issue_title(ds, spread.key, lang),
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


# ---------------------------------------------------------------- conflicts

CONFLICT_COLUMNS = [
    Column("issue", "Issue"), Column("title", "Title"),
    Column("positions", "Positions", "number"), Column("for", "For", "number"),
    Column("mixed", "Mixed", "number"), Column("against", "Against", "number"),
    Column("mean", "Mean", "number"), Column("division", "Division", "number"),
    Column("agreement", "Agreement", "proximity"), Column("verdict", "Verdict"),
    Column("stances", "Stances"),
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
                   title=title)


def _conflict_row(ds: Dataset, s: IssueSpread, labels: dict[str, str], lang: str) -> dict[str, Any]:
    pro, mixed, con = s.counts
    ordered = sorted(s.scores.items(), key=lambda kv: (-kv[1], labels[kv[0]].casefold()))
    return {"issue": s.key, "title": _issue_title(ds, s.key, lang), "positions": s.positions,
            "for": pro, "mixed": mixed, "against": con, "mean": round(s.mean, 2),
            "division": s.division,
            "agreement": s.agreement, "verdict": s.verdict,
            "stances": ", ".join(f"{labels[k]} {SYMBOLS[stance_of(v)]}" for k, v in ordered)}


def _conflict_record(row: dict[str, Any], s: IssueSpread) -> dict[str, Any]:
    rec = {k: v for k, v in row.items() if k != "stances"}
    rec.update({"division": _round(s.division), "agreement": _round(s.agreement),
                "stances": {k: stance_of(v) for k, v in s.scores.items()}})
    return rec


# ---------------------------------------------------------------- agree

def agree(ds: Dataset, a: str, b: str, reported: bool = True, lang: str = "nb",
          sources: Sources | None = None) -> Listing:
    """The issues two organisations both addressed, widest gap first, with a quote from each."""
    if a == b:
        raise AnalysisError(f"give two different organisations (both are '{a}')")
    sources = sources or _sources()
    latest = latest_positions(ds, reported)
    mine, theirs = latest.get(a, {}), latest.get(b, {})
    order = {k: i for i, k in enumerate(ds.issues)}
    shared = sorted(mine.keys() & theirs.keys(),
                    key=lambda k: (-abs(mine[k].score - theirs[k].score), order.get(k, 0)))
    la, lb = _org_label(ds, a), _org_label(ds, b)
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
    return {"issue": issue, "title": _issue_title(ds, issue, lang), "gap": gap,
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


# ---------------------------------------------------------------- diff and timeline

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
    from stancecli.queries import UNDECIDED, pair_status

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
    doc = ds.documents[doc_id]
    return f"{_org_label(ds, doc.organisation)} {doc.year} ({doc_id})"


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
    label = _org_label(ds, org)
    years = ", ".join(f"{d} ({ds.documents[d].year})" for d in docs) or "none"
    title = f"{label} over time — documents: {years}" + (f"; {'; '.join(steps)}" if steps else "")
    cols = [Column("from", "From"), Column("to", "To")] + DIFF_COLUMNS
    return Listing(cols, rows, records, title=title)


# ---------------------------------------------------------------- --by kind

KIND_COLUMNS = [
    Column("issue", "Issue"), Column("kind", "Kind"),
    Column("organisations", "Orgs", "number"), Column("of", "Of", "number"),
    Column("stance", "Mean stance", "stance"), Column("mean", "Score", "number"),
    Column("members", "Positions"), Column("silent", "Not addressed"), Column("undecided", "Undecided"),
]


def _kind_members(ds: Dataset, latest: Mapping[str, Mapping[str, Position]],
                  issue: str | None = None) -> dict[str, list[str]]:
    """Per kind, the organisations that count: those with a document of their own (they could
    address the issue) and those with a (reported) position on it; an organisation known only
    from another's report on other issues is not "not addressing" this one."""
    out: dict[str, list[str]] = {}
    with_documents = {d.organisation for d in ds.documents.values()}
    for org in ds.organisations.values():
        spoke = issue in latest.get(org.id, {}) if issue is not None else bool(latest.get(org.id))
        if org.id in with_documents or spoke:
            out.setdefault(org.kind, []).append(org.id)
    return {k: out[k] for k in _kinds_in_order(out)}


def _undecided_orgs(ds: Dataset, issue: str, orgs: list[str]) -> set[str]:
    """Organisations with a document nobody has coded for the issue yet."""
    from stancecli.queries import UNDECIDED, pair_status

    return {o for o in orgs if any(pair_status(ds, d.id, issue) == UNDECIDED for d in ds.documents_of(o))}


def _member_text(ds: Dataset, p: Position) -> str:
    year = ds.document_year(p.source_document)
    via = ", reported" if p.is_reported else ""
    return f"{_org_label(ds, p.organisation)} {SYMBOLS[p.stance]} ({year}{via})"


def by_kind(ds: Dataset, issue_keys: list[str], lang: str) -> Listing:
    """Per issue and kind of organisation: how many took a position, their mean and range.

    Each organisation counts once, with its position in its latest document on the issue.
    """
    latest = latest_positions(ds, True, issue_keys)
    rows, records, found = [], [], 0
    for issue in issue_keys:
        for kind, orgs in _kind_members(ds, latest, issue).items():
            taken = [latest[o][issue] for o in orgs if issue in latest.get(o, {})]
            unknown = _undecided_orgs(ds, issue, [o for o in orgs if issue not in latest.get(o, {})])
            silent = [o for o in orgs if issue not in latest.get(o, {}) and o not in unknown]
            found += bool(taken)
            row, rec = _kind_row(ds, issue, kind, orgs, taken, silent, sorted(unknown))
            rows.append(row)
            records.append(rec)
    title = "By kind of organisation: " + ", ".join(f"{_issue_title(ds, i, lang)} ({i})" for i in issue_keys)
    return Listing(KIND_COLUMNS, rows, records, title=title, result_count=found)


def _kind_row(ds: Dataset, issue: str, kind: str, orgs: list[str], taken: list[Position],
              silent: list[str], unknown: list[str]) -> tuple[dict[str, Any], dict[str, Any]]:
    scores = [p.score for p in taken]
    mean = sum(scores) / len(scores) if scores else None
    row = {"issue": issue, "kind": kind, "organisations": len(taken), "of": len(orgs),
           "stance": stance_of(mean) if mean is not None else ABSENT,
           "mean": round(mean, 2) if mean is not None else "",
           "members": ", ".join(_member_text(ds, p) for p in sorted(taken, key=lambda p: -p.score)),
           "silent": ", ".join(_org_label(ds, o) for o in silent),
           "undecided": ", ".join(_org_label(ds, o) for o in unknown)}
    rec = {"issue": issue, "kind": kind, "organisations": len(taken), "of": len(orgs),
           "stance": row["stance"], "mean_score": round(mean, 4) if mean is not None else None,
           "min_score": min(scores) if scores else None, "max_score": max(scores) if scores else None,
           "positions": [_kind_position(ds, p) for p in taken], "not_addressed": silent,
           "undecided": unknown}
    return row, rec


def _kind_position(ds: Dataset, p: Position) -> dict[str, Any]:
    return {"organisation": p.organisation, "document": p.source_document,
            "year": ds.document_year(p.source_document), "stance": p.stance, "score": p.score,
            "reported_by": p.reported_by}


SIDE_KIND_COLUMNS = [
    Column("kind", "Kind"), Column("count", "Organisations", "number"), Column("of", "Of", "number"),
    Column("members", "Who"),
]


def side_by_kind(ds: Dataset, issue_key: str, against: bool, strong: bool, lang: str) -> Listing:
    """who-supports / who-opposes per kind of organisation, each organisation by its latest position."""
    wanted = AGAINST if against else FOR
    if strong:
        wanted = wanted[:1]
    latest = latest_positions(ds, True, [issue_key])
    rows, records, found = [], [], 0
    for kind, orgs in _kind_members(ds, latest, issue_key).items():
        hits = [latest[o][issue_key] for o in orgs
                if issue_key in latest.get(o, {}) and latest[o][issue_key].stance in wanted]
        hits.sort(key=lambda p: (-abs(p.score), _org_label(ds, p.organisation).casefold()))
        found += len(hits)
        rows.append({"kind": kind, "count": len(hits), "of": len(orgs),
                     "members": ", ".join(_member_text(ds, p) for p in hits)})
        records.append({"kind": kind, "count": len(hits), "of": len(orgs),
                        "positions": [_kind_position(ds, p) for p in hits]})
    verb = "oppose" if against else "support"
    strongly = " strongly" if strong else ""
    title = f"Who {verb}s{strongly}, by kind: {_issue_title(ds, issue_key, lang)} ({issue_key})"
    return Listing(SIDE_KIND_COLUMNS, rows, records, title=title, result_count=found)


# ---------------------------------------------------------------- the report

@dataclass
class IssueSection:
    key: str
    title: str
    proposal: str
    positions: list[dict[str, Any]]  # position records, with quotes and citations
    silent: list[str]  # document ids that did not address it


@dataclass
class Report:
    """Everything the shareable report shows; renderers (HTML, markdown) make the page."""

    title: str
    dataset: str
    lang: str
    map: PositionMap
    matrix: Matrix
    conflicts: Listing
    timelines: list[tuple[str, Listing]]  # one per organisation with two or more documents
    issues: list[IssueSection]
    documents: list[dict[str, Any]]
    issue_titles: dict[str, str]
    counts: dict[str, int]


def report(ds: Dataset, lang: str = "nb", reported: bool = True, sources: Sources | None = None) -> Report:

    sources = sources or _sources()
    pm = position_map(ds, "organisation", reported)
    return Report(
        title="Where organisations stand on NAV labour-market policy",
        dataset=cited_path(ds, ds.path), lang=lang, map=pm, matrix=matrix(ds, "organisation", reported),
        conflicts=conflicts(ds, reported, 2, "division", lang),
        timelines=[(o, timeline(ds, o, None, lang, sources)) for o in ds.organisations
                   if len(timeline_documents(ds, o)) > 1],
        issues=[_issue_section(ds, s.key, lang, reported, sources) for s in pm.issues],
        documents=[_document_record(ds, d) for d in sorted(ds.documents.values(), key=lambda d: (d.year, d.id))],
        issue_titles={k: i.title.get(lang) for k, i in ds.issues.items()},
        counts={"organisations": len(ds.organisations), "documents": len(ds.documents),
                "issues": len(ds.issues), "positions": len(ds.positions),
                "quotes": sum(len(p.quotes) for p in ds.positions)},
    )


def _issue_section(ds: Dataset, key: str, lang: str, reported: bool, sources: Sources) -> IssueSection:
    issue = ds.issues[key]
    ps = [p for p in ds.positions_on(key) if reported or not p.is_reported]
    ps.sort(key=lambda p: (-p.score, _org_label(ds, p.organisation).casefold(),
                           ds.document_year(p.source_document) or 0))
    spoken = {p.document for p in ps if p.document}
    silent = [d.id for d in sorted(ds.documents.values(), key=lambda d: (d.year, d.id)) if d.id not in spoken]
    recs = [position_record(ds, p, lang, sources) for p in ps]
    for rec in recs:
        rec["organisation_label"] = _org_label(ds, rec["organisation"])
    return IssueSection(key, issue.title.get(lang), issue.proposal.get(lang), recs, silent)


def _document_record(ds: Dataset, d) -> dict[str, Any]:

    return {"id": d.id, "organisation": _org_label(ds, d.organisation), "title": d.title,
            "hearing": d.hearing, "year": d.year, "date": d.date, "reference": d.reference,
            "source": cited_path(ds, d.path), "file": d.path.name,
            "signatories": [s.name + (f" ({s.role})" if s.role else "") for s in d.signatories]}
