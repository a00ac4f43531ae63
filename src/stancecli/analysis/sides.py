"""Profiles: the sides being compared (organisations, documents, kinds) and their scores.

Sides are found from the positions' stance columns (Dataset.stance_columns: issue, organisation,
source document, reported, score, index), so that a side's scores need no Position object: a
snapshot gives the columns without building the positions. The profiles that carry their
positions (`profiles`) are made by the same code, with the positions laid beside the columns.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from stancecli.analysis.metric import BY_CHOICES, AnalysisError, stance_of
from stancecli.model import ABSENT, ORG_KINDS, Dataset, Position, StanceColumns
from stancecli.queries import document_label, issue_order, org_label


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


class _Stances:
    """The stance columns of a dataset, with the positions they describe when those are built."""

    def __init__(self, ds: Dataset, columns: StanceColumns, positions: list[Position] | None = None):
        self.ds = ds
        self.columns = columns
        self.positions = positions

    @classmethod
    def of(cls, ds: Dataset, with_positions: bool) -> _Stances:
        if not with_positions:
            return cls(ds, ds.stance_columns())
        # From the positions themselves, so that column i is positions[i] whatever the dataset.
        return cls(ds, Dataset.stance_columns(ds), ds.positions)

    def wanted(self, reported: bool, issues: Iterable[str] | None) -> list[int]:
        """The rows counted: without reported views unless `reported`, only `issues` when given."""
        issue, _, _, is_reported, _, _ = self.columns
        keep = set(issues) if issues is not None else None
        return [i for i in range(len(issue))
                if (reported or not is_reported[i]) and (keep is None or issue[i] in keep)]

    def latest(self, reported: bool, issues: Iterable[str] | None) -> dict[str, dict[str, int]]:
        """organisation -> issue -> the row of its position in the latest document on the issue."""
        issue, org, doc, is_reported, _, index = self.columns
        years: dict[str, int] = {}

        def recency(i: int) -> tuple:
            # Latest document first; at the same year the organisation's own words beat a report of them.
            year = years.get(doc[i])
            if year is None:
                year = years[doc[i]] = self.ds.document_year(doc[i]) or 0
            return (year, not is_reported[i], index[i])

        out: dict[str, dict[str, int]] = {}
        for i in self.wanted(reported, issues):
            mine = out.setdefault(org[i], {})
            j = mine.get(issue[i])
            if j is None or recency(i) > recency(j):
                mine[issue[i]] = i
        return out

    def profile(self, key: str, label: str, kind: str | None, rows: dict[str, int]) -> Profile:
        score = self.columns[4]
        made = Profile(key, label, kind, {k: float(score[i]) for k, i in rows.items()})
        if self.positions is not None:
            made.positions = {k: [self.positions[i]] for k, i in rows.items()}
        return made


def latest_positions(ds: Dataset, reported: bool = True,
                     issues: Iterable[str] | None = None) -> dict[str, dict[str, Position]]:
    """organisation -> issue -> its position in the latest document that addressed the issue."""
    stances = _Stances.of(ds, True)
    positions = ds.positions
    return {org: {k: positions[i] for k, i in mine.items()}
            for org, mine in stances.latest(reported, issues).items()}


def _ordered_issues(ds: Dataset, keys: Iterable[str]) -> list[str]:
    order = issue_order(ds)
    return sorted(set(keys), key=lambda k: (order.get(k, len(order)), k))


def org_profiles(ds: Dataset, reported: bool = True, issues: Iterable[str] | None = None) -> list[Profile]:
    return _org_profiles(_Stances.of(ds, True), reported, issues)


def _org_profiles(stances: _Stances, reported: bool, issues: Iterable[str] | None) -> list[Profile]:
    latest = stances.latest(reported, issues)
    return [stances.profile(org_id, org.label, org.kind, latest[org_id])
            for org_id, org in stances.ds.organisations.items() if latest.get(org_id)]


def document_profiles(ds: Dataset, reported: bool = True,
                      issues: Iterable[str] | None = None) -> list[Profile]:
    """Every document its own side; a reported view is a side of its own (e.g. 'lo@bergen-2014')."""
    return _document_profiles(_Stances.of(ds, True), reported, issues)


def _document_profiles(stances: _Stances, reported: bool, issues: Iterable[str] | None) -> list[Profile]:
    ds = stances.ds
    issue, org, doc, is_reported, _, _ = stances.columns
    rows: dict[str, dict[str, int]] = {}
    made: dict[str, tuple[str, str | None, int]] = {}  # key -> label, kind, year
    for i in stances.wanted(reported, issues):
        key = doc[i] if not is_reported[i] else f"{org[i]}@{doc[i]}"
        if key not in rows:
            rows[key] = {}
            made[key] = (_document_label(ds, org[i], doc[i], is_reported[i]), _kind_of(ds, org[i]),
                         ds.document_year(doc[i]) or 0)
        rows[key][issue[i]] = i
    keys = sorted(rows, key=lambda k: (made[k][2], "@" in k, k))
    return [stances.profile(k, made[k][0], made[k][1], rows[k]) for k in keys]


def _document_label(ds: Dataset, org: str, doc: str, reported: bool) -> str:
    """'NTL 2012' for a document's own positions, 'LO via Bergen 2014' for a reported view."""
    if not reported:
        return document_label(ds, doc)
    return f"{org_label(ds, org)} via {document_label(ds, doc)}"


def _kind_of(ds: Dataset, org_id: str) -> str | None:
    org = ds.organisations.get(org_id)
    return org.kind if org else None


def kind_profiles(ds: Dataset, reported: bool = True, issues: Iterable[str] | None = None) -> list[Profile]:
    """Each kind of organisation: per issue the mean of its members' latest scores."""
    return _kind_profiles(_Stances.of(ds, True), reported, issues)


def _kind_profiles(stances: _Stances, reported: bool, issues: Iterable[str] | None) -> list[Profile]:
    members: dict[str, list[Profile]] = {}
    for prof in _org_profiles(stances, reported, issues):
        members.setdefault(prof.kind or "other", []).append(prof)
    out = []
    for kind in _kinds_in_order(members):
        group = members[kind]
        prof = Profile(kind, kind, kind)
        for issue in _ordered_issues(stances.ds, {k for m in group for k in m.scores}):
            scores = [m.scores[issue] for m in group if issue in m.scores]
            prof.scores[issue] = sum(scores) / len(scores)
            if stances.positions is not None:
                prof.positions[issue] = [m.positions[issue][0] for m in group if issue in m.scores]
        out.append(prof)
    return out


def _kinds_in_order(kinds: Iterable[str]) -> list[str]:
    rank = {k: i for i, k in enumerate(ORG_KINDS)}
    return sorted(set(kinds), key=lambda k: (rank.get(k, len(rank)), k))


_BUILDERS = {"organisation": _org_profiles, "document": _document_profiles, "kind": _kind_profiles}


def profiles(ds: Dataset, by: str = "organisation", reported: bool = True,
             issues: Iterable[str] | None = None) -> list[Profile]:
    """The sides, each with its scores and the positions behind them."""
    return _profiles(ds, by, reported, issues, with_positions=True)


def score_profiles(ds: Dataset, by: str = "organisation", reported: bool = True,
                   issues: Iterable[str] | None = None) -> list[Profile]:
    """The same sides with their scores only (`positions` left empty): no position is built."""
    return _profiles(ds, by, reported, issues, with_positions=False)


def _profiles(ds: Dataset, by: str, reported: bool, issues: Iterable[str] | None,
              with_positions: bool) -> list[Profile]:
    if by not in BY_CHOICES:
        raise AnalysisError(f"a grouping must be one of {', '.join(BY_CHOICES)}, not '{by}'")
    chosen = list(issues) if issues is not None else None
    return _BUILDERS[by](_Stances.of(ds, with_positions), reported, chosen)
