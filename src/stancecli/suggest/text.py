"""A source prepared once for proposals: sentences, their words, the vocabulary's stems.

Everything per document is done here, once: the sentence split, lower-casing,
tokens, the Snowball stems of the vocabulary, and the word -> sentences index.
Proposals for twenty issues then only look words up.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from stancecli.corpus import Source

# Past this size the search library's careful splitter (abbreviations, headings, double
# spacing) costs seconds; a plain splitter on punctuation and blank lines takes its place.
CAREFUL_SPLIT_MAX_CHARS = 4 * 1024 * 1024
MAX_SENTENCE_CHARS = 1200

# A word, joined across a line-end hyphen ("anbuds-\nutsetting").
_WORD = re.compile(r"[^\W\d_]+(?:-[ \t]*\n[ \t\n]*[^\W\d_]+)*|\d+")
_LAYOUT = re.compile(r"[-\u00ad]?\s+")
_FAST_END = re.compile(r"[.!?]+[»\")”]*(?=\s+[«\"(“]?[A-ZÆØÅ0-9])|:[ \t]*(?=\n)|\n[ \t]*\n(?=\s*\S)")
_FAST_NOT_FINAL = frozenset("bl.a f.eks jf jfr kap nr pkt ca dvs evt mht iht vedr ang inkl st meld prop".split())
_BULLET_LINE = re.compile(r"[ \t]*(?:[-–—•▪◦●■*·\uf0b7\uf0a7]|\d{1,2}[.)])[ \t]")


@dataclass
class Sentence:
    start: int
    end: int
    words: list[str]          # lower case, hyphenation joined (shared by repeated sentences)
    bullet: bool              # starts a bullet or numbered item
    line_start: bool          # starts at the beginning of a line
    first: int                # the first sentence with the same words and layout-free text


@dataclass
class Prepared:
    """A source split and indexed. Only the first of identical sentences is indexed: a
    sentence repeated across a large source is scored once."""

    source: Source
    sentences: list[Sentence]
    index: dict[str, list[int]]      # word -> first sentences holding it (ascending)
    vocabulary: list[str]            # sorted words
    stem_of: dict[str, str]

    def words_with_prefix(self, prefix: str) -> list[str]:
        import bisect

        i = bisect.bisect_left(self.vocabulary, prefix)
        out = []
        while i < len(self.vocabulary) and self.vocabulary[i].startswith(prefix):
            out.append(self.vocabulary[i])
            i += 1
        return out

    def words_containing(self, part: str) -> list[str]:
        blob = self._blob
        out = []
        for m in re.finditer(re.escape(part), blob):
            start = blob.rfind("\n", 0, m.start()) + 1
            end = blob.find("\n", m.end())
            out.append(blob[start:end if end >= 0 else len(blob)])
        return list(dict.fromkeys(out))

    @property
    def _blob(self) -> str:
        blob = getattr(self, "_blob_cache", None)
        if blob is None:
            blob = "\n".join(self.vocabulary)
            self._blob_cache = blob
        return blob

    def text_of(self, k: int) -> str:
        s = self.sentences[k]
        return self.source.text[s.start:s.end]


def sentence_spans(source: Source) -> list[tuple[int, int]]:
    """(start, end) offsets of the source's sentences."""
    if len(source.text) <= CAREFUL_SPLIT_MAX_CHARS:
        from stancecli.search.sentences import split

        return sorted(split(source.text))
    return _fast_spans(source.text)


def _fast_spans(text: str) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    cur = 0
    for m in _FAST_END.finditer(text):
        if text[m.start()] == "." and _abbreviation_before(text, m.start()):
            continue
        _emit(text, cur, m.end(), out)
        cur = m.end()
    _emit(text, cur, len(text), out)
    return out


def _abbreviation_before(text: str, at: int) -> bool:
    cut = max(text.rfind(" ", at - 12, at), text.rfind("\n", at - 12, at))
    word = text[cut + 1:at].lower()
    return word in _FAST_NOT_FINAL or (len(word) == 1 and word.isalpha())


def _emit(text: str, s: int, e: int, out: list[tuple[int, int]]) -> None:
    piece = text[s:e]
    body = piece.strip()
    if not body:
        return
    s += len(piece) - len(piece.lstrip())
    bullet = _BULLET_LINE.match(text, s)
    if bullet and bullet.end() < s + len(body):
        s = bullet.end()
        body = text[s:e].strip()
    e = s + len(body)
    while e - s > MAX_SENTENCE_CHARS:
        cut = text.rfind("\n", s + MAX_SENTENCE_CHARS // 3, s + MAX_SENTENCE_CHARS)
        cut = cut if cut > s else s + MAX_SENTENCE_CHARS
        out.append((s, cut))
        s = cut
        while s < e and text[s].isspace():
            s += 1
    if e > s:
        out.append((s, e))


def prepare(source: Source) -> Prepared:
    """Split, tokenise and stem a source once; index its distinct sentences by word."""
    from stancecli.search.text import stem_all

    text = source.text
    low = text.lower()
    first_of: dict[str, int] = {}
    sentences: list[Sentence] = []
    index: dict[str, list[int]] = {}
    for k, (s, e) in enumerate(sentence_spans(source)):
        line_begin = text.rfind("\n", 0, s) + 1
        prefix = text[line_begin:s]
        bullet = bool(prefix.strip()) and _BULLET_LINE.match(prefix + " ") is not None
        chunk = low[s:e]
        first = first_of.setdefault(_LAYOUT.sub("", chunk), k)
        if first == k:
            words = [_clean(w) for w in _WORD.findall(chunk)]
            for w in set(words):
                index.setdefault(w, []).append(k)
        else:
            words = sentences[first].words
        sentences.append(Sentence(s, e, words, bullet, not prefix.strip(), first))
    vocabulary = sorted(index)
    stem_of = dict(zip(vocabulary, stem_all(vocabulary)))
    return Prepared(source, sentences, index, vocabulary, stem_of)


def _clean(word: str) -> str:
    return re.sub(r"[-\s]", "", word) if "\n" in word else word


def quote_of(prepared: Prepared, k: int) -> str | None:
    """The sentence as a quote that stands verbatim at its place: layout tidied, hyphenation joined."""
    from stancecli.corpus import _match_from  # the check Source.find makes, at a known offset
    from stancecli.search.text import one_line
    from stancecli.search.text import prepare as join_hyphens

    s = prepared.sentences[k]
    chunk = prepared.source.text[s.start:s.end]
    for form in (one_line(join_hyphens(chunk))[0], " ".join(chunk.split())):
        form = form.strip()
        if form and _match_from(prepared.source.text, s.start, form) is not None:
            return form
    return None
