"""The dataset's model: organisations, documents, issues and positions."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from stancecli.span import Span

@dataclass(frozen=True)
class StanceLabel:
    """One step of the codebook's scale, with everything a renderer needs to show it."""

    label: str
    score: int
    symbol: str
    style: str  # terminal colour (a Rich style name)
    css: str  # the report's CSS class
    description: str


# The codebook's five-point scale, strongest "for" first: the one home of the stance vocabulary.
SCALE: tuple[StanceLabel, ...] = (
    StanceLabel("strongly-for", 2, "++", "bold green", "s2", "clearly and explicitly in favour"),
    StanceLabel("for", 1, "+", "green", "s1", "in favour, with reservations or less emphasis"),
    StanceLabel("mixed", 0, "±", "yellow", "s0", "both for and against, or conditional"),
    StanceLabel("against", -1, "-", "red", "sm1", "against, with reservations or less emphasis"),
    StanceLabel("strongly-against", -2, "--", "bold red", "sm2", "clearly and explicitly against"),
)
STANCES: dict[str, int] = {s.label: s.score for s in SCALE}
SYMBOLS: dict[str, str] = {s.label: s.symbol for s in SCALE}
LABEL_OF_SCORE: dict[int, str] = {s.score: s.label for s in SCALE}
ABSENT = "not-addressed"
ABSENT_SYMBOL = "·"
ABSENT_STYLE = "dim"
ABSENT_CSS = "na"
# A (document, codebook issue) pair nobody has coded yet: not known to be "not addressed".
UNDECIDED = "undecided"
# An issue the later of two documents never faced: it answered another hearing.
NOT_RAISED = "not-raised"
STYLES: dict[str, str] = {**{s.label: s.style for s in SCALE}, ABSENT: ABSENT_STYLE}
CSS_CLASSES: dict[str, str] = {**{s.label: s.css for s in SCALE}, ABSENT: ABSENT_CSS}
CONFIDENCES = ("high", "medium", "low")
DOC_KINDS = ("høringssvar", "letter", "press-release", "blog")
ORG_KINDS = ("union", "municipality", "employer-organisation", "state-agency", "ngo", "other")
LANGS = ("nb", "en")
UNTRANSLATED = "[nb]"  # marks Norwegian text shown where English was asked for


@dataclass
class Text:
    """A text in Norwegian bokmål and English."""

    nb: str
    en: str

    def get(self, lang: str) -> str:
        if lang != "en":
            return self.nb
        # A summary may be Norwegian only (documents a user adds): shown as such, marked.
        return self.en or (f"{UNTRANSLATED} {self.nb}" if self.nb else "")


@dataclass
class Organisation:
    """An organisation whose positions the dataset records."""

    id: str
    name: str
    short: str
    kind: str
    members: str | None = None
    description: str | None = None
    line: int = 0

    @property
    def label(self) -> str:
        return self.short or self.name


@dataclass
class Signatory:
    """A person who signed a document."""

    name: str
    role: str | None = None


@dataclass
class Document:
    """A response (or other document) of an organisation, with its source file."""

    id: str
    organisation: str
    title: str
    hearing: str
    year: int
    source: str
    path: Path
    date: str | None = None
    reference: str | None = None
    signatories: list[Signatory] = field(default_factory=list)
    line: int = 0
    url: str | None = None  # where a reader elsewhere can check the quotes
    published: str | None = None  # date the document was made public (YYYY-MM-DD)
    kind: str | None = None  # one of DOC_KINDS


@dataclass
class Issue:
    """A policy issue organisations take positions on."""

    key: str
    title: Text
    proposal: Text
    aliases: list[str] = field(default_factory=list)
    codebook: bool = False
    line: int = 0


@dataclass
class Quote:
    """Words copied verbatim from a source, with where they were found."""

    text: str
    line: int = 0
    # Who speaks when it is not the document's own organisation (a committee, the government,
    # another organisation quoted in the response); None for the organisation's own words.
    speaker: str | None = None
    span: Span | None = None
    resolved: bool = False


@dataclass
class Position:
    """An organisation's stance on an issue in one document, with its quotes."""

    issue: str
    organisation: str
    stance: str
    summary: Text
    quotes: list[Quote]
    document: str | None = None
    reported_by: str | None = None
    confidence: str | None = None
    note: str | None = None
    line: int = 0
    index: int = 0

    @property
    def score(self) -> int:
        return STANCES[self.stance]

    @property
    def source_document(self) -> str:
        """The document the position's words come from."""
        return self.document or self.reported_by or ""

    @property
    def is_reported(self) -> bool:
        return self.reported_by is not None


@dataclass
class Dataset:
    """Everything in a dataset file."""

    path: Path
    organisations: dict[str, Organisation]
    documents: dict[str, Document]
    issues: dict[str, Issue]
    positions: list[Position]
    not_addressed: dict[str, list[str]]
    not_addressed_lines: dict[str, int] = field(default_factory=dict)
    # (document, issue) of positions too broken to load: decided, but not usable.
    broken_pairs: set[tuple[str, str]] = field(default_factory=set)

    def positions_on(self, issue: str) -> list[Position]:
        return [p for p in self.positions if p.issue == issue]

    def positions_of(self, org: str) -> list[Position]:
        return [p for p in self.positions if p.organisation == org]

    def documents_of(self, org: str) -> list[Document]:
        return [d for d in self.documents.values() if d.organisation == org]

    def is_decided(self, doc_id: str, issue: str) -> bool:
        """Whether someone has coded the pair: a position of the document, or a not-addressed entry.

        A pair that is neither is *undecided* (nobody has read for it yet), which is not the same
        as the document not addressing the issue.
        """
        if issue in self.not_addressed.get(doc_id, ()) or (doc_id, issue) in self.broken_pairs:
            return True
        return any(p.document == doc_id and p.issue == issue for p in self.positions)

    def undecided_issues(self, doc_id: str) -> list[str]:
        """The codebook issues not yet coded for a document, in codebook order."""
        decided = {p.issue for p in self.positions if p.document == doc_id}
        decided.update(self.not_addressed.get(doc_id, ()))
        decided.update(issue for doc, issue in self.broken_pairs if doc == doc_id)
        return [k for k, i in self.issues.items() if i.codebook and k not in decided]

    def document_year(self, doc_id: str) -> int | None:
        doc = self.documents.get(doc_id)
        return doc.year if doc else None

    def stance_columns(self) -> StanceColumns:
        """Every position's issue, organisation, source document, whether it is reported, score and
        index, as columns: what the agreement matrix needs (a snapshot has them without building
        a position)."""
        ps = self.positions
        return ([p.issue for p in ps], [p.organisation for p in ps], [p.source_document for p in ps],
                [p.is_reported for p in ps], [p.score for p in ps], [p.index for p in ps])


StanceColumns = tuple[list[str], list[str], list[str], list[bool], list[int], list[int]]
