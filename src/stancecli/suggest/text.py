"""A source prepared once for proposals: sentences, their words, the vocabulary's stems.

Everything per document is done here, once: the sentence split, lower-casing,
tokens, the Snowball stems of the vocabulary; word -> sentences postings on demand.
Proposals for twenty issues then only look words up. Identical sentences (a
letterhead on every page, a paragraph quoted twice) are tokenised once, at their
first occurrence.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from stancecli.corpus import Source

# Past this size the search library's careful splitter (abbreviations, headings, double
# spacing) costs seconds; a plain splitter on punctuation and blank lines takes its place.
CAREFUL_SPLIT_MAX_CHARS = 4 * 1024 * 1024
MAX_SENTENCE_CHARS = 1200

# A word, joined across a line-end hyphen ("anbuds-\nutsetting").
_WORD = re.compile(r"[^\W\d_]+(?:-[ \t]*\n[ \t\n]*[^\W\d_]+)*|\d+")
_NOT_FINAL = "bl.a f.eks jf jfr kap nr pkt ca dvs evt mht iht vedr ang inkl st meld prop".split()
# The mark comes first so that the regex engine skips ahead fast; abbreviations and initials
# ("kap. 17", "A. Hansen") are excluded by look-behinds that end in the full stop.
_FAST_END = re.compile(
    r"[.!?](?<!\b[^\W\d_]\.)" + "".join(rf"(?<!\b{re.escape(a)}\.)" for a in _NOT_FINAL)
    + r"[.!?]*[»\")”]*(?=\s+[«\"(“]?[A-ZÆØÅ0-9])|:[ \t]*(?=\n)|\n[ \t]*\n"
)
_HYPHEN_BREAK = re.compile(r"-[ \t]*\n")
_BULLET_LINE = re.compile(r"[ \t]*(?:[-–—•▪◦●■*·\uf0b7\uf0a7]|\d{1,2}[.)])[ \t]")


@dataclass
class Prepared:
    """A source split into sentences, the distinct ones tokenised."""

    source: Source
    starts: list[int]
    ends: list[int]
    first: list[int]                     # sentence -> the first sentence with the same text
    words_of: dict[int, list[str]]       # first sentence -> its words, lower case (ascending)
    vocabulary: list[str]                # sorted
    stem_of: dict[str, str]
    _blob: str = field(default="", repr=False)
    _postings: dict[str, list[int]] = field(default_factory=dict, repr=False)

    def __contains__(self, word: str) -> bool:
        return word in self.stem_of

    def postings(self, words: Iterable[str]) -> dict[str, list[int]]:
        """word -> the first sentences holding it, ascending. Built for the words asked, in one
        pass over the sentences for all of them: a large source has a large vocabulary, and
        proposals need few of its words."""
        words = set(words)
        missing = words - self._postings.keys()
        if missing:
            found: dict[str, list[int]] = {w: [] for w in missing}
            for k, sentence in self.words_of.items():
                for w in missing.intersection(sentence):
                    found[w].append(k)
            self._postings.update(found)
        return {w: self._postings[w] for w in words}

    def __len__(self) -> int:
        return len(self.starts)

    def words(self, k: int) -> list[str]:
        return self.words_of[self.first[k]]

    def span(self, k: int) -> tuple[int, int]:
        """Where sentence k stands, without surrounding layout or a bullet mark."""
        text = self.source.text
        s, e = self.starts[k], self.ends[k]
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        bullet = _BULLET_LINE.match(text, s, e)
        return (bullet.end(), e) if bullet and bullet.end() < e else (s, e)

    def text_of(self, k: int) -> str:
        s, e = self.span(k)
        return self.source.text[s:e]

    def is_item(self, k: int) -> bool:
        """Whether sentence k opens a bullet or numbered item, or goes on inside a line."""
        text = self.source.text
        s = self.starts[k]
        while s < self.ends[k] and text[s].isspace() and text[s] != "\n":
            s += 1
        line_begin = text.rfind("\n", 0, s) + 1
        before = text[line_begin:s]
        if before.strip():
            return True  # the sentence starts inside a line
        return _BULLET_LINE.match(text, s) is not None

    def words_with_prefix(self, prefix: str) -> list[str]:
        i = bisect.bisect_left(self.vocabulary, prefix)
        out = []
        while i < len(self.vocabulary) and self.vocabulary[i].startswith(prefix):
            out.append(self.vocabulary[i])
            i += 1
        return out

    def words_containing(self, part: str) -> list[str]:
        if not self._blob:
            self._blob = "\n".join(self.vocabulary)
        blob, out = self._blob, []
        for m in re.finditer(re.escape(part), blob):
            start = blob.rfind("\n", 0, m.start()) + 1
            end = blob.find("\n", m.end())
            out.append(blob[start:end if end >= 0 else len(blob)])
        return list(dict.fromkeys(out))


def sentence_spans(source: Source) -> list[tuple[int, int]]:
    """(start, end) offsets of the source's sentences."""
    if len(source.text) <= CAREFUL_SPLIT_MAX_CHARS:
        from stancecli.search.sentences import split

        return sorted(split(source.text))
    return _fast_spans(source.text)


def _fast_spans(text: str) -> list[tuple[int, int]]:
    """Sentences cut after . ! ? before a capital, after a colon ending a line, at blank lines."""
    ends = [m.end() for m in _FAST_END.finditer(text)]
    ends.append(len(text))
    spans = [(s, e) for s, e in zip([0, *ends], ends) if e > s]
    if any(e - s > MAX_SENTENCE_CHARS for s, e in spans):
        spans = [piece for s, e in spans for piece in _cap(text, s, e)]
    return spans


def _cap(text: str, s: int, e: int) -> list[tuple[int, int]]:
    """A run-on 'sentence' (a table, a list without stops) cut at line breaks."""
    out = []
    while e - s > MAX_SENTENCE_CHARS:
        cut = text.rfind("\n", s + MAX_SENTENCE_CHARS // 3, s + MAX_SENTENCE_CHARS)
        cut = cut if cut > s else s + MAX_SENTENCE_CHARS
        out.append((s, cut))
        s = cut
    out.append((s, e))
    return out


def prepare(source: Source) -> Prepared:
    """Split, tokenise and stem a source once; identical sentences once."""
    from stancecli.search.text import stem_all

    spans = sentence_spans(source)
    starts = [s for s, _ in spans]
    ends = [e for _, e in spans]
    text = source.text
    # A sentence's text without its layout, so that re-wrapped copies are the same sentence.
    keys = [" ".join(text[s:e].split()) for s, e in spans]
    first_of: dict[str, int] = {}
    first = [first_of.setdefault(key, k) for k, key in enumerate(keys)]
    words_of: dict[int, list[str]] = {}
    vocabulary: set[str] = set()
    for k in first_of.values():
        chunk = text[starts[k]:ends[k]].lower()
        words = _WORD.findall(chunk)
        if _HYPHEN_BREAK.search(chunk):
            words = [_clean(w) for w in words]
        words_of[k] = words
        vocabulary.update(words)
    ordered = sorted(vocabulary)
    stem_of = dict(zip(ordered, stem_all(ordered)))
    return Prepared(source, starts, ends, first, words_of, ordered, stem_of)


def _clean(word: str) -> str:
    return re.sub(r"[-\s]", "", word) if "\n" in word else word


def quote_of(prepared: Prepared, k: int) -> tuple[str, int, int] | None:
    """Sentence k as a quote that stands verbatim at its place (layout tidied, hyphenation
    joined), with its start and end offsets."""
    from stancecli.corpus import _match_from  # the check Source.find makes, at a known offset
    from stancecli.search.text import one_line
    from stancecli.search.text import prepare as join_hyphens

    s, e = prepared.span(k)
    chunk = prepared.source.text[s:e]
    for form in (one_line(join_hyphens(chunk))[0], " ".join(chunk.split())):
        form = form.strip()
        if form and _match_from(prepared.source.text, s, form) is not None:
            return form, s, e
    return None
