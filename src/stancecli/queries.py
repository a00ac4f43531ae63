"""The everyday questions: who stands where on an issue, and in which words."""

from __future__ import annotations

import functools
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from stancecli.model import ABSENT, SCALE, UNDECIDED, Dataset, Document, Position, Quote
from stancecli.records import Column, Listing

if TYPE_CHECKING:
    from stancecli.corpus import Sources

FOR = tuple(s.label for s in SCALE if s.score > 0)  # strongest first
AGAINST = tuple(s.label for s in reversed(SCALE) if s.score < 0)
POSITION = "position"


def pair_status(ds: Dataset, doc_id: str, issue: str) -> str:
    """'position', 'not-addressed' or 'undecided' for a document's own words on an issue.

    Only codebook issues are coded for every document, so only they can be undecided; a further
    issue a document has no position on counts as not addressed."""
    if any(p.document == doc_id and p.issue == issue for p in ds.positions):
        return POSITION
    known = ds.issues.get(issue)
    if known is not None and known.codebook and not ds.is_decided(doc_id, issue):
        return UNDECIDED
    return ABSENT


# ---------------------------------------------------------------- quotes and citations

def _sources() -> Sources:
    from stancecli.corpus import Sources

    return Sources()


def locate(ds: Dataset, position: Position, sources: Sources) -> None:
    """Resolve the line span of each quote of a position (once)."""
    doc = ds.documents.get(position.source_document)
    for quote in position.quotes:
        if quote.resolved or doc is None:
            continue
        quote.resolved = True
        from stancecli.corpus import SourceError

        try:
            quote.span = sources.get(doc.path).find(quote.text)
        except SourceError:
            quote.span = None


_ROOTS: dict[int, tuple[Dataset, Path]] = {}


def dataset_root(ds: Dataset) -> Path:
    """The folder holding the dataset file and all its sources (what a citation is relative to)."""
    known = _ROOTS.get(id(ds))
    if known is None or known[0] is not ds:
        parents = dict.fromkeys([ds.path.parent] + [d.path.parent for d in ds.documents.values()])
        folders = [str(folder.resolve()) for folder in parents]  # each folder once: resolve stats
        known = _ROOTS[id(ds)] = (ds, Path(os.path.commonpath(folders)))
    return known[1]


def cited_path(ds: Dataset, path: Path) -> str:
    """A path as output shows it: relative to the working folder when inside it (the user can open
    it as written), else relative to the dataset's own folder, so no output leaks where the tool is
    installed, a home folder or a temporary folder."""
    return _cited(path, os.getcwd(), dataset_root(ds))


@functools.lru_cache(maxsize=4096)
def _cited(path: Path, cwd: str, root: Path) -> str:
    # Cached: a listing cites the same few sources hundreds of times, and resolving is a stat a part.
    resolved = path.resolve()
    for base in (Path(cwd).resolve(), root):
        try:
            return str(resolved.relative_to(base))
        except ValueError:
            continue
    return path.name


def quote_record(ds: Dataset, position: Position, quote: Quote) -> dict[str, Any]:
    doc = ds.documents.get(position.source_document)
    path = doc.path if doc else Path("")
    span = quote.span
    return {
        "text": quote.text,
        "speaker": quote.speaker,
        "source": cited_path(ds, path),
        "file": path.name,
        "url": doc.url if doc else None,
        "line_start": span.line_start if span else None,
        "line_end": span.line_end if span else None,
    }


def citation(record: dict[str, Any], short: bool = False) -> str:
    """'file:12' or 'file:12-14'; '?' where the quote was not found."""
    name = record["file"] if short else record["source"]
    start, end = record["line_start"], record["line_end"]
    if start is None:
        return f"{name}:?"
    return f"{name}:{start}" if start == end else f"{name}:{start}-{end}"


# ---------------------------------------------------------------- position records

def position_record(ds: Dataset, p: Position, lang: str, sources: Sources) -> dict[str, Any]:
    """The documented JSON record of one position."""
    locate(ds, p, sources)
    org = ds.organisations.get(p.organisation)
    doc = ds.documents.get(p.source_document)
    return {
        "issue": p.issue,
        "organisation": p.organisation,
        "organisation_name": org.name if org else p.organisation,
        "kind": org.kind if org else None,
        "document": p.source_document,
        "year": doc.year if doc else None,
        "reported_by": p.reported_by,
        "status": POSITION,
        "stance": p.stance,
        "score": p.score,
        "confidence": p.confidence,
        "note": p.note,
        "summary": p.summary.get(lang),
        "quotes": [quote_record(ds, p, q) for q in p.quotes],
    }


# ---------------------------------------------------------------- names as people read them

def org_labels(ds: Dataset) -> dict[str, str]:
    """Organisation id -> the short name a table shows (records keep the id)."""
    return {org.id: org.label for org in ds.organisations.values()}


def org_label(ds: Dataset, org_id: str) -> str:
    """The short name of an organisation ('NTL'); the id when it is unknown."""
    org = ds.organisations.get(org_id)
    return org.label if org else org_id


def document_label(ds: Dataset, doc_id: str) -> str:
    """A document as people name it: its organisation and year ('NTL 2012'); the id when unknown."""
    doc = ds.documents.get(doc_id)
    return f"{org_label(ds, doc.organisation)} {doc.year}" if doc else doc_id


def issue_title(ds: Dataset, key: str, lang: str) -> str:
    issue = ds.issues.get(key)
    return issue.title.get(lang) if issue else key


def documents_in_order(ds: Dataset) -> list[Document]:
    """Documents oldest first, then by id: the order of every listing of documents."""
    return sorted(ds.documents.values(), key=lambda d: (d.year, d.id))


def issue_order(ds: Dataset) -> dict[str, int]:
    """Issue key -> its place in the dataset (the codebook's order first)."""
    return {k: i for i, k in enumerate(ds.issues)}


def position_order(ds: Dataset, by_strength: bool = False):
    """The one sort key of positions: most for first (or, by_strength, strongest either way first),
    then by organisation name, then oldest document first."""
    def key(p: Position) -> tuple[int, str, int]:
        return (-abs(p.score) if by_strength else -p.score, org_label(ds, p.organisation).casefold(),
                ds.document_year(p.source_document) or 0)
    return key


def _flat(ds: Dataset, rec: dict[str, Any], all_quotes: bool) -> dict[str, Any]:
    quotes = rec["quotes"] if all_quotes else rec["quotes"][:1]
    return {
        "issue": rec["issue"],
        "organisation": rec["organisation"],
        "document": rec["document"],
        "year": rec["year"],
        "stance": rec["stance"],
        "score": rec["score"],
        "reported_by": rec["reported_by"] or "",
        "summary": rec["summary"],
        "quote": " | ".join(q["text"] for q in quotes),
        "location": " | ".join(citation(q) for q in quotes),
        "quotes": quotes,
    }


# ---------------------------------------------------------------- compare

# The columns of position rows, defined once; each command lists its own order.
POSITION_COLUMNS = {c.key: c for c in (
    Column("issue", "Issue"),
    Column("organisation", "Organisation", "org"),
    Column("document", "Document"),
    Column("year", "Year", "number"),
    Column("stance", "Stance", "stance"),
    Column("score", "Score", "score"),
    Column("reported_by", "Reported by"),
    Column("summary", "Summary"),
    Column("quote", "Quote", "quote"),
    Column("location", "Location", "location"),
    Column("title", "Title"),
)}


def position_columns(*keys: str) -> list[Column]:
    return [POSITION_COLUMNS[k] for k in keys]


COMPARE_COLUMNS = position_columns("issue", "organisation", "document", "year", "stance", "score", "reported_by",
                                   "summary", "quote", "location")


def compare(ds: Dataset, issues: list[str], lang: str = "nb", all_quotes: bool = False,
            sources: Sources | None = None, absent: bool = False) -> Listing:
    """One row per position on each issue; with `absent`, then the documents without a position,
    each 'not-addressed' or 'undecided'. A note names the undecided documents either way."""
    sources = sources or _sources()
    rows: list[dict[str, Any]] = []
    records: list[dict[str, Any]] = []
    notes: list[str] = []
    found = 0
    for issue in issues:
        positions = sorted(ds.positions_on(issue), key=position_order(ds))
        for p in positions:
            rec = position_record(ds, p, lang, sources)
            records.append(rec)
            rows.append(_flat(ds, rec, all_quotes))
        found += len(positions)
        silent = _silent_documents(ds, issue, positions)
        if absent:
            for doc, status in silent:
                rows.append(_absent_row(ds, issue, doc, status))
                records.append(_absent_record(ds, issue, doc, status))
        open_docs = [doc.id for doc, status in silent if status == UNDECIDED]
        if open_docs:
            notes.append(f"not yet coded for {issue} (undecided, not 'not addressed'): {', '.join(open_docs)}")
    title = ", ".join(f"{issue_title(ds, i, lang)} ({i})" for i in issues)
    return Listing(COMPARE_COLUMNS, rows, records, title=title, notes=notes, result_count=found,
                   labels=org_labels(ds))


def _silent_documents(ds: Dataset, issue: str, positions: list[Position]) -> list[tuple[Document, str]]:
    """The documents with no position of their own on the issue, each with its status."""
    spoken = {p.source_document for p in positions if not p.is_reported}
    own = {p.document for p in positions}
    # pair_status without scanning every position once per document: `positions` are the issue's.
    return [(d, POSITION if d.id in own else _status_without_position(ds, d.id, issue))
            for d in documents_in_order(ds) if d.id not in spoken]


def _status_without_position(ds: Dataset, doc_id: str, issue: str) -> str:
    known = ds.issues.get(issue)
    decided = issue in ds.not_addressed.get(doc_id, ()) or (doc_id, issue) in ds.broken_pairs
    return UNDECIDED if known is not None and known.codebook and not decided else ABSENT


def _absent_row(ds: Dataset, issue: str, doc: Document, status: str) -> dict[str, Any]:
    return {
        "issue": issue, "organisation": doc.organisation, "document": doc.id,
        "year": doc.year, "stance": status, "score": "", "reported_by": "",
        "summary": "", "quote": "", "location": "", "quotes": [],
    }


def _absent_record(ds: Dataset, issue: str, doc: Document, status: str) -> dict[str, Any]:
    """No stance and no score: a document without a position is not a position."""
    org = ds.organisations.get(doc.organisation)
    return {
        "issue": issue, "organisation": doc.organisation,
        "organisation_name": org.name if org else doc.organisation,
        "kind": org.kind if org else None, "document": doc.id, "year": doc.year, "status": status,
    }


# ---------------------------------------------------------------- who supports / opposes

SIDE_COLUMNS = position_columns("organisation", "stance", "score", "document", "year", "reported_by", "summary",
                                "quote", "location")


def side(ds: Dataset, issue: str, against: bool = False, strong: bool = False,
         lang: str = "nb", sources: Sources | None = None) -> Listing:
    """Organisations for (or against) an issue; --strong keeps only the strong label."""
    sources = sources or _sources()
    wanted = AGAINST if against else FOR
    if strong:
        wanted = wanted[:1]
    positions = [p for p in ds.positions_on(issue) if p.stance in wanted]
    positions = sorted(positions, key=position_order(ds, by_strength=True))
    records = [position_record(ds, p, lang, sources) for p in positions]
    rows = [_flat(ds, r, False) for r in records]
    verb = "oppose" if against else "support"
    title = f"Who {verb}s: {issue_title(ds, issue, lang)} ({issue})"
    return Listing(SIDE_COLUMNS, rows, records, title=title, labels=org_labels(ds))


# ---------------------------------------------------------------- evidence

EVIDENCE_COLUMNS = position_columns("organisation", "document", "stance", "quote", "location", "title")


def evidence(ds: Dataset, issue: str, org: str | None = None, context: int = 0, lang: str = "nb",
             sources: Sources | None = None) -> Listing:
    """Every quote on an issue with its citation and, with context > 0, source lines around it."""
    sources = sources or _sources()
    positions = sorted([p for p in ds.positions_on(issue) if org in (None, p.organisation)], key=position_order(ds))
    rows, records = [], []
    for p in positions:
        rec = position_record(ds, p, lang, sources)
        doc = ds.documents[p.source_document]
        for q in rec["quotes"]:
            lines = _context_lines(ds, p, q, context, sources)
            row = {
                "issue": issue, "organisation": p.organisation, "document": doc.id,
                "year": doc.year, "stance": p.stance, "reported_by": p.reported_by or "",
                "quote": q["text"], "location": citation(q), "title": doc.title,
                "source": q["source"], "line_start": q["line_start"], "line_end": q["line_end"], "url": q["url"],
                "context": lines,
            }
            rows.append(row)
            records.append({**{k: rec[k] for k in ("issue", "organisation", "document", "year",
                                                    "reported_by", "stance", "score")},
                            "title": doc.title, **q, "context": lines})
    title = f"Evidence: {issue_title(ds, issue, lang)} ({issue})"
    return Listing(EVIDENCE_COLUMNS, rows, records, title=title, labels=org_labels(ds))


def _context_lines(ds: Dataset, p: Position, q: dict, context: int, sources: Sources) -> list[dict]:
    """grep -C style: the quote's lines and `context` lines either side, each marked."""
    if q["line_start"] is None:
        return []
    from stancecli.corpus import SourceError

    try:
        source = sources.get(ds.documents[p.source_document].path)
    except SourceError:
        return []
    first = max(1, q["line_start"] - context)
    last = min(source.line_count, q["line_end"] + context)
    return [{"line": n, "text": source.line(n), "match": q["line_start"] <= n <= q["line_end"]}
            for n in range(first, last + 1)]


# ---------------------------------------------------------------- listings

def list_issues(ds: Dataset, lang: str = "nb") -> Listing:
    cols = [Column("key", "Key"), Column("title", "Title"), Column("codebook", "Codebook"),
            Column("positions", "Positions", "number"), Column("for", "For", "number"),
            Column("mixed", "Mixed", "number"), Column("against", "Against", "number"),
            Column("not_addressed", "Not addressed", "number"), Column("undecided", "Undecided", "number"),
            Column("proposal", "Proposal")]
    rows = []
    for issue in ds.issues.values():
        ps = ds.positions_on(issue.key)
        rows.append({
            "key": issue.key, "title": issue.title.get(lang), "codebook": "yes" if issue.codebook else "",
            "positions": len(ps), "for": sum(p.score > 0 for p in ps),
            "mixed": sum(p.score == 0 for p in ps), "against": sum(p.score < 0 for p in ps),
            "not_addressed": sum(issue.key in keys for keys in ds.not_addressed.values()),
            "undecided": sum(pair_status(ds, d, issue.key) == UNDECIDED for d in ds.documents),
            "proposal": issue.proposal.get(lang),
        })
    # Records say codebook as true/false; the columns as 'yes' or nothing, for people and cut.
    records = [{**row, "codebook": row["codebook"] == "yes"} for row in rows]
    return Listing(cols, rows, records, title="Issues")


def list_orgs(ds: Dataset) -> Listing:
    cols = [Column("id", "Id"), Column("short", "Short"), Column("name", "Name"), Column("kind", "Kind"),
            Column("documents", "Documents", "number"), Column("positions", "Positions", "number"),
            Column("reported", "Reported", "number")]
    rows = []
    for org in ds.organisations.values():
        ps = ds.positions_of(org.id)
        rows.append({"id": org.id, "short": org.short, "name": org.name, "kind": org.kind,
                     "documents": len(ds.documents_of(org.id)), "positions": len(ps),
                     "reported": sum(p.is_reported for p in ps)})
    return Listing(cols, rows, title="Organisations")


def list_docs(ds: Dataset, coverage: dict[str, Coverage] | None = None) -> Listing:
    cols = [Column("id", "Id"), Column("organisation", "Organisation", "org"), Column("year", "Year", "number"),
            Column("title", "Title"), Column("positions", "Positions", "number"),
            Column("quotes", "Quotes", "number"), Column("undecided", "Undecided", "number"),
            Column("source", "Source", "location")]
    if coverage is not None:
        cols += [Column("paragraphs", "Paras", "number"), Column("cited", "Cited", "number"),
                 Column("coverage", "Coverage", "percent")]
    rows = []
    for doc in documents_in_order(ds):
        ps = [p for p in ds.positions if p.source_document == doc.id]
        row = {"id": doc.id, "organisation": doc.organisation, "year": doc.year,
               "title": doc.title, "positions": len(ps), "quotes": sum(len(p.quotes) for p in ps),
               # codebook issues nobody has coded for the document yet (not the same as not addressed)
               "undecided": len(ds.undecided_issues(doc.id)),
               "source": cited_path(ds, doc.path)}
        if coverage is not None:
            c = coverage[doc.id]
            row.update({"paragraphs": c.paragraphs, "cited": c.cited, "coverage": round(c.share, 3)})
        rows.append(row)
    return Listing(cols, rows, title="Documents", labels=org_labels(ds))


# ---------------------------------------------------------------- one organisation

SHOW_COLUMNS = [c for c in COMPARE_COLUMNS if c.key != "organisation"]


def show_org(ds: Dataset, org: str, lang: str = "nb", sources: Sources | None = None) -> Listing:
    sources = sources or _sources()
    order = issue_order(ds)
    positions = sorted(ds.positions_of(org), key=lambda p: (order.get(p.issue, 0),
                                                            ds.document_year(p.source_document) or 0))
    records = [position_record(ds, p, lang, sources) for p in positions]
    rows = [_flat(ds, r, False) for r in records]
    o = ds.organisations[org]
    docs = ", ".join(f"{d.id} ({d.year})" for d in ds.documents_of(org)) or "none"
    title = f"{o.name} ({o.short}, {o.kind}) — documents: {docs}"
    return Listing(SHOW_COLUMNS, rows, records, title=title)


# ---------------------------------------------------------------- paragraph coverage

class Coverage:
    def __init__(self, paragraphs: int, cited: int, uncited: list[tuple[int, int]]):
        self.paragraphs = paragraphs
        self.cited = cited
        self.uncited = uncited

    @property
    def share(self) -> float:
        return self.cited / self.paragraphs if self.paragraphs else 0.0


def coverage(ds: Dataset, sources: Sources | None = None) -> dict[str, Coverage]:
    """Per document: how many substantive paragraphs some quote touches."""
    from stancecli.corpus import substantive_paragraphs

    sources = sources or _sources()
    out = {}
    for doc in ds.documents.values():
        spans = []
        for p in ds.positions:
            if p.source_document == doc.id:
                locate(ds, p, sources)
                spans += [(q.span.line_start, q.span.line_end) for q in p.quotes if q.span]
        from stancecli.corpus import SourceError

        try:
            paras = substantive_paragraphs(sources.get(doc.path))
        except SourceError:
            paras = []
        touched = [any(s <= b and e >= a for s, e in spans) for a, b in paras]
        out[doc.id] = Coverage(len(paras), sum(touched),
                               [para for para, t in zip(paras, touched) if not t])
    return out
