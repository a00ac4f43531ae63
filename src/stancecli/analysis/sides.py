"""Profiles: the sides being compared (organisations, documents, kinds) and their scores."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from stancecli.analysis.metric import BY_CHOICES, AnalysisError, stance_of
from stancecli.model import ABSENT, ORG_KINDS, Dataset, Position
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
    order = issue_order(ds)
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
    if not p.is_reported:
        return document_label(ds, p.source_document)
    return f"{org_label(ds, p.organisation)} via {document_label(ds, p.source_document)}"


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
