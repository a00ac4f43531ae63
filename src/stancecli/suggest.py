"""Candidate quotes for an issue in a document, as ready-to-paste position stubs.

Passages are ranked by the issue's names (key, aliases, titles) and, with less
weight, its proposal, through the search engine (stancecli.search) where it is
installed, else by fuzzy matching over the document's sentences. Every quote
offered is checked with Source.find, so it is verbatim from the source.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from stancecli.corpus import Source
from stancecli.model import STANCES, Dataset, Document, Issue

NAME_WEIGHT = 1.0
PROPOSAL_WEIGHT = 0.6
BREADTH_BONUS = 3.0  # per further query that also finds the passage
MIN_SCORE = 40.0
MIN_WORDS = 5


@dataclass
class Candidate:
    """One passage: the quote as it will be pasted, where it stands, why it was chosen."""

    quote: str
    line: int
    end_line: int
    score: float
    matched: list[str] = field(default_factory=list)


@dataclass
class Suggestions:
    issue: Issue
    document: Document
    candidates: list[Candidate]
    already_quoted: int = 0
    engine: str = "search"


# ---------------------------------------------------------------- queries

def queries(issue: Issue) -> list[tuple[str, float]]:
    """What to look for, with weights: names count fully, the proposal less."""
    names = [issue.key.replace("-", " "), *issue.aliases, issue.title.nb, issue.title.en]
    out: dict[str, float] = {}
    for name in names:
        if name.strip():
            out.setdefault(name.strip(), NAME_WEIGHT)
    for text in (issue.proposal.nb, issue.proposal.en):
        if text.strip():
            out.setdefault(text.strip(), PROPOSAL_WEIGHT)
    return list(out.items())


# ---------------------------------------------------------------- ranking

def suggest(ds: Dataset, issue_key: str, doc_id: str, source: Source, limit: int = 5) -> Suggestions:
    """The best `limit` passages of the document's source for the issue, quoted verbatim."""
    issue, doc = ds.issues[issue_key], ds.documents[doc_id]
    found, engine = _ranked(source, queries(issue))
    taken = _quoted_spans(ds, issue_key, doc_id, source)
    out: list[Candidate] = []
    skipped = 0
    for cand in sorted(found.values(), key=lambda c: (-c.score, c.line)):
        if cand.score < MIN_SCORE or len(cand.quote.split()) < MIN_WORDS:
            continue
        span = source.find(cand.quote)
        if span is None:
            continue  # never offer a quote that validate would reject
        if any(span.start < end and start < span.end for start, end in taken):
            skipped += 1
            continue
        cand.line, cand.end_line = span.line_start, span.line_end
        out.append(cand)
        if len(out) >= limit:
            break
    return Suggestions(issue, doc, out, skipped, engine)


def _ranked(source: Source, wanted: list[tuple[str, float]]) -> tuple[dict[str, Candidate], str]:
    spans = sentence_spans(source)
    try:
        from stancecli.search.engine import search  # noqa: F401
    except ImportError:
        return _fuzzy(source, spans, wanted), "rapidfuzz"
    return _searched(source, spans, wanted), "search"


def _add(found: dict[str, Candidate], quote: str, line: int, score: float, query: str) -> None:
    cand = found.get(quote)
    if cand is None:
        found[quote] = Candidate(quote, line, line, score, [query])
        return
    if query not in cand.matched:
        cand.matched.append(query)
        cand.score = max(cand.score, score) + BREADTH_BONUS


def _searched(source: Source, spans: list[tuple[int, int]], wanted: list[tuple[str, float]]) -> dict[str, Candidate]:
    """Each query through the search engine; each hit quoted from the source sentence it stands in."""
    from stancecli.search.engine import SearchError, search

    path = source.path
    found: dict[str, Candidate] = {}
    for query, weight in wanted:
        try:
            result = search(query, [path], limit=30, use_index=False, only=[path])
        except SearchError:
            continue
        for hit in result.hits:
            if not 1 <= hit.line <= len(source.line_starts):
                continue
            offset = source.line_starts[hit.line - 1] + max(hit.col - 1, 0)
            quote = _quote_at(source, spans, offset, hit.sentence)
            if quote:
                _add(found, quote, hit.line, hit.score * weight, query)
    return found


def _fuzzy(source: Source, spans: list[tuple[int, int]], wanted: list[tuple[str, float]]) -> dict[str, Candidate]:
    """Without the search engine: rapidfuzz over the source's sentences."""
    from rapidfuzz import fuzz

    from stancecli.names import fold

    found: dict[str, Candidate] = {}
    for start, end in spans:
        sentence = _quote_at(source, spans, start)
        if not sentence:
            continue
        folded = fold(sentence)
        for query, weight in wanted:
            score = fuzz.partial_ratio(fold(query), folded) if len(query) < len(sentence) else 0
            if score >= 80:
                _add(found, sentence, source.line_of(start), score * weight, query)
    return found


def _quote_at(source: Source, spans: list[tuple[int, int]], offset: int, shown: str = "") -> str | None:
    """The sentence holding offset, in the tidiest form that Source.find locates (so: verbatim)."""
    import bisect

    i = bisect.bisect_right(spans, (offset, len(source.text) + 1)) - 1
    if i < 0 or not spans[i][0] <= offset < spans[i][1]:
        return None
    chunk = source.text[spans[i][0]:spans[i][1]]
    for form in (" ".join(shown.split()), " ".join(_LINE_HYPHEN.sub("-", chunk).split()), " ".join(chunk.split())):
        if form and source.find(form):
            return form
    return None


_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[«\"(]?[A-ZÆØÅ0-9])")
_LINE_HYPHEN = re.compile(r"(?<=\w)-[ \t]*\n[ \t]*(?=[a-zæøå])")
_BULLET = re.compile(r"[-–•▪*]\s+")


def sentence_spans(source: Source) -> list[tuple[int, int]]:
    """(start, end) offsets of the source's sentences: the search library's splitter where it is installed."""
    try:
        from stancecli.search.sentences import split
    except ImportError:
        return _simple_spans(source)
    return sorted(split(source.text))


def _simple_spans(source: Source) -> list[tuple[int, int]]:
    """Sentences within paragraphs, split after . ! ? before a capital; bullets left out."""
    from stancecli.corpus import paragraphs

    out = []
    for first, last in paragraphs(source):
        start = source.line_starts[first - 1]
        end = source.line_starts[last] - 1 if last < len(source.line_starts) else len(source.text)
        cuts = [start] + [m.end() for m in _SENTENCE_END.finditer(source.text, start, end)] + [end]
        for a, b in zip(cuts, cuts[1:]):
            bullet = _BULLET.match(source.text, a, b)
            a = bullet.end() if bullet else a
            text = source.text[a:b]
            if text.strip():
                out.append((a + len(text) - len(text.lstrip()), b - (len(text) - len(text.rstrip()))))
    return out


def _quoted_spans(ds: Dataset, issue_key: str, doc_id: str, source: Source) -> list[tuple[int, int]]:
    """Where the positions on this issue from this document already quote the source."""
    spans = []
    for p in ds.positions:
        if p.issue == issue_key and p.source_document == doc_id:
            for quote in p.quotes:
                span = source.find(quote.text)
                if span:
                    spans.append((span.start, span.end))
    return spans


# ---------------------------------------------------------------- stubs

def stub(cand: Candidate, issue_key: str, doc_id: str) -> str:
    """A position ready to paste under `positions:`; stance and summary are left to decide."""
    return "\n".join([
        f"- issue: {issue_key}",
        f"  document: {doc_id}",
        f"  stance: TODO  # {' | '.join(STANCES)}",
        "  summary:",
        '    nb: ""',
        '    en: ""',
        "  quotes:",
        f"  - {yaml_quote(cand.quote)}",
    ])


_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\t": "\\t", "\r": "\\r"}
# Backslash, double quote, C0/C1 controls, line separators, BOM and bidi controls.
_NEEDS_ESCAPE = re.compile("[\\\\\"\\x00-\\x1f\\x7f-\\x9f\\u2028\\u2029\\ufeff"
                           "\\u200e\\u200f\\u202a-\\u202e\\u2066-\\u2069]")


def yaml_quote(text: str) -> str:
    """A double-quoted YAML scalar: control and bidi characters escaped, never raw."""
    def escape(m: re.Match[str]) -> str:
        ch = m.group()
        if ch in _ESCAPES:
            return _ESCAPES[ch]
        return f"\\x{ord(ch):02x}" if ord(ch) < 256 else f"\\u{ord(ch):04x}"

    return '"' + _NEEDS_ESCAPE.sub(escape, text) + '"'

