"""Everything the shareable report shows, gathered for its renderers."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from stancecli.analysis.change import timeline, timeline_documents
from stancecli.analysis.conflict import conflicts
from stancecli.analysis.metric import _sources
from stancecli.analysis.pairwise import Matrix, matrix
from stancecli.analysis.posmap import PositionMap, position_map
from stancecli.model import UNDECIDED, Dataset
from stancecli.queries import (
    cited_path,
    documents_in_order,
    org_label,
    pair_status,
    position_order,
    position_record,
)
from stancecli.records import Listing

if TYPE_CHECKING:
    from stancecli.corpus import Sources


@dataclass
class IssueSection:
    key: str
    title: str
    proposal: str
    positions: list[dict[str, Any]]  # position records, with quotes and citations
    silent: list[str]  # document ids that did not address it
    undecided: list[str] = field(default_factory=list)  # document ids nobody has coded for it yet


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
        documents=[_document_record(ds, d) for d in documents_in_order(ds)],
        issue_titles={k: i.title.get(lang) for k, i in ds.issues.items()},
        counts={"organisations": len(ds.organisations), "documents": len(ds.documents),
                "issues": len(ds.issues), "positions": len(ds.positions),
                "quotes": sum(len(p.quotes) for p in ds.positions)},
    )


def _issue_section(ds: Dataset, key: str, lang: str, reported: bool, sources: Sources) -> IssueSection:
    issue = ds.issues[key]
    ps = [p for p in ds.positions_on(key) if reported or not p.is_reported]
    ps.sort(key=position_order(ds))
    spoken = {p.document for p in ps if p.document}
    quiet = [d.id for d in documents_in_order(ds) if d.id not in spoken]
    undecided = [d for d in quiet if pair_status(ds, d, key) == UNDECIDED]
    silent = [d for d in quiet if d not in undecided]
    recs = [position_record(ds, p, lang, sources) for p in ps]
    for rec in recs:
        rec["organisation_label"] = org_label(ds, rec["organisation"])
    return IssueSection(key, issue.title.get(lang), issue.proposal.get(lang), recs, silent, undecided)


def _document_record(ds: Dataset, d) -> dict[str, Any]:
    # url, published and kind let a reader elsewhere find and check the document.
    return {"id": d.id, "organisation": org_label(ds, d.organisation), "title": d.title,
            "hearing": d.hearing, "year": d.year, "date": d.date, "reference": d.reference,
            "url": d.url, "published": d.published, "kind": d.kind,
            "source": cited_path(ds, d.path), "file": d.path.name,
            "signatories": [s.name + (f" ({s.role})" if s.role else "") for s in d.signatories]}
