"""Results with a terminal layout of their own (evidence, agreement, changes, matrix, map, report,
proposals): each command that makes one imports this module; listings and search hits need only
stancecli.records."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from stancecli.output.hits import SearchResult
from stancecli.records import Listing

# Each carries the Listing that pipes and JSON get; the renderers in stancecli.output.present pick
# the layout per (result type, format).


@dataclass
class EvidenceResult:
    """Quotes with their source context (`context` lines around each)."""

    listing: Listing
    context: int = 0


@dataclass
class AgreeResult:
    """Where two organisations agree and differ."""

    listing: Listing


@dataclass
class ChangesResult:
    """How positions changed between documents."""

    listing: Listing
    steps: bool = False  # timeline: a heading before each pair of documents


@dataclass
class MatrixResult:
    """The agreement matrix."""

    listing: Listing
    matrix: Any
    title: str


@dataclass
class MapResult:
    """The map of positions by issue and side."""

    listing: Listing
    position_map: Any
    title: str
    # (issue, side key) pairs no one has coded yet: shown as undecided, not as not addressed.
    undecided: set[tuple[str, str]] = field(default_factory=set)


@dataclass
class ReportResult:
    """The shareable report (stancecli.analysis.Report) and its extras (findings, date, source
    texts): a page in 'html' or 'markdown', not a listing."""

    report: Any
    extras: Any


@dataclass
class ProposalsResult:
    """Proposed stances for one document (stancecli.suggest.Proposal), for a person to confirm."""

    doc_id: str
    source: str  # the source file as shown to people
    publisher: str  # the document's `source` field: who published it
    proposals: list[Any]
    issue_titles: dict[str, str] = field(default_factory=dict)  # issue key -> Norwegian title


Result = Listing | EvidenceResult | AgreeResult | ChangesResult | MatrixResult | MapResult
# Everything present() shows: results with a listing, and those with layouts of their own only.
Presentable = Result | ReportResult | SearchResult | ProposalsResult
