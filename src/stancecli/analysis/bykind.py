"""Aggregates by kind of organisation (--by kind on compare, who-supports, who-opposes)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from stancecli.analysis.metric import stance_of
from stancecli.analysis.sides import _kinds_in_order, latest_positions
from stancecli.model import ABSENT, SYMBOLS, UNDECIDED, Dataset, Position
from stancecli.queries import AGAINST, FOR, issue_title, org_labels, pair_status, position_order
from stancecli.records import Column, Listing

KIND_COLUMNS = [
    Column("issue", "Issue"), Column("kind", "Kind"),
    Column("organisations", "Orgs", "number"), Column("of", "Of", "number"),
    Column("stance", "Mean stance", "stance"), Column("mean", "Score", "number"),
    Column("members", "Positions", "orgs"), Column("silent", "Not addressed", "orgs"),
    Column("undecided", "Undecided", "orgs"),
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
    return {o for o in orgs if any(pair_status(ds, d.id, issue) == UNDECIDED for d in ds.documents_of(o))}


def _member_text(ds: Dataset, p: Position) -> str:
    year = ds.document_year(p.source_document)
    via = ", reported" if p.is_reported else ""
    return f"{p.organisation} {SYMBOLS[p.stance]} ({year}{via})"


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
    title = "By kind of organisation: " + ", ".join(f"{issue_title(ds, i, lang)} ({i})" for i in issue_keys)
    return Listing(KIND_COLUMNS, rows, records, title=title, result_count=found, labels=org_labels(ds))


def _kind_row(ds: Dataset, issue: str, kind: str, orgs: list[str], taken: list[Position],
              silent: list[str], unknown: list[str]) -> tuple[dict[str, Any], dict[str, Any]]:
    scores = [p.score for p in taken]
    mean = sum(scores) / len(scores) if scores else None
    # Without a position, the kind did not address the issue only if no member is still uncoded.
    stance = stance_of(mean) if mean is not None else UNDECIDED if unknown else ABSENT
    row = {"issue": issue, "kind": kind, "organisations": len(taken), "of": len(orgs), "stance": stance,
           "mean": round(mean, 2) if mean is not None else "",
           "members": ", ".join(_member_text(ds, p) for p in sorted(taken, key=lambda p: -p.score)),
           "silent": ", ".join(silent), "undecided": ", ".join(unknown)}
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
    Column("members", "Who", "orgs"),
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
        hits.sort(key=position_order(ds, by_strength=True))
        found += len(hits)
        rows.append({"kind": kind, "count": len(hits), "of": len(orgs),
                     "members": ", ".join(_member_text(ds, p) for p in hits)})
        records.append({"kind": kind, "count": len(hits), "of": len(orgs),
                        "positions": [_kind_position(ds, p) for p in hits]})
    verb = "oppose" if against else "support"
    strongly = " strongly" if strong else ""
    title = f"Who {verb}s{strongly}, by kind: {issue_title(ds, issue_key, lang)} ({issue_key})"
    return Listing(SIDE_KIND_COLUMNS, rows, records, title=title, result_count=found, labels=org_labels(ds))
