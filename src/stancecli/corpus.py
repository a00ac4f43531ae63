"""Source texts: decoding, line bookkeeping and locating verbatim quotes.

Sources are PDF-extracted text: lines wrap mid-sentence and words are hyphenated
at line ends. A quote matches its source when the two differ only in whitespace
(including line breaks) and in a hyphen that ends a source line.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from functools import cached_property
from pathlib import Path

from stancecli.errors import SourceProblem

TYPE_CHECKING = False  # typing is not imported at run time (see stancecli/typed.py)
if TYPE_CHECKING:
    from array import array
    from collections.abc import Iterator

    from stancecli.span import Span

MAX_SOURCE_BYTES = 64 * 1024 * 1024
NEAREST_MAX_CHARS = 4 * 1024 * 1024

_HYPHENS = "-\u00ad"
# Patterns are compiled on first use (re keeps them compiled), not when the module is imported:
# a search imports this module to read its hits' sources and matches no quote.
_NOT_CHUNK = r"[\s\-\u00ad]+"
_LAYOUT = r"[\s\-\u00ad]*"
_LINE_END_HYPHEN = r"[\-\u00ad][^\S\n]*\n"


UTF16_SNIFF_BYTES = 4096
# A quote is found in the source's layout-free copy (str.find, in C), then walked letter by letter
# from each place found. A huge source gets no copy (its chunk tables would cost hundreds of MB):
# there a regex over the quote's first letters, any layout between them, anchors the walk. Enough
# letters that a repetitive text offers few false starts; compiling it costs milliseconds a quote.
SKELETON_MAX_CHARS = 4 * 1024 * 1024
ANCHOR_CHARS = 64


class SourceError(SourceProblem):
    """A source file that cannot be read as text."""


class Source:
    """A source's text with the offsets where its lines start.

    A plain class: a dataclass would cost every search half a millisecond to define.
    """

    def __init__(self, path: Path, text: str):
        self.path = path
        self.text = text

    @classmethod
    def from_text(cls, path: Path, text: str) -> Source:
        return cls(path=path, text=normalise_text(text))

    @cached_property
    def line_starts(self) -> list[int]:
        """Where each line starts; found when first asked for (indexing a source never asks)."""
        return [0] + [m.end() for m in re.finditer("\n", self.text)]

    @property
    def line_count(self) -> int:
        return len(self.line_starts) - (1 if self.text.endswith("\n") else 0)

    def line_of(self, offset: int) -> int:
        """1-based line number of a character offset."""
        return bisect.bisect_right(self.line_starts, offset)

    def line_col(self, offset: int) -> tuple[int, int]:
        """1-based line and column (in characters) of a character offset. For a few offsets in a
        source: counted in C, without listing where every line starts, as line_of does once."""
        start = self.text.rfind("\n", 0, offset) + 1
        return self.text.count("\n", 0, start) + 1, offset - start + 1

    def line(self, number: int) -> str:
        start = self.line_starts[number - 1]
        end = self.line_starts[number] - 1 if number < len(self.line_starts) else len(self.text)
        return self.text[start:end]

    @cached_property
    def _skeleton(self) -> tuple[str, array, array]:
        """The text without layout, and for each of its chunks where it starts in both."""
        from array import array
        from itertools import accumulate

        # split/findall/map/accumulate all loop in C: a 50 MB source has millions of chunks.
        not_chunk = re.compile(_NOT_CHUNK)
        chunks = not_chunk.split(self.text)
        layout = not_chunk.findall(self.text)
        skel_starts = array("q", accumulate(map(len, chunks), initial=0))
        skipped = array("q", accumulate(map(len, layout), initial=0))
        orig_starts = array("q", map(int.__add__, skel_starts[: len(chunks)], skipped))
        del skel_starts[len(chunks):]
        return "".join(chunks), skel_starts, orig_starts

    def _orig_offset(self, skel_index: int) -> int:
        _, skel_starts, orig_starts = self._skeleton
        k = bisect.bisect_right(skel_starts, skel_index) - 1
        return orig_starts[k] + (skel_index - skel_starts[k])

    def find(self, quote: str) -> Span | None:
        """The first place where `quote` stands, or None.

        Candidates are where the quote's letters stand in the layout-free copy of the text
        (or, in a huge source, where a regex over its first letters matches); each is then
        walked letter by letter.
        """
        # A leading bullet dash or a trailing hyphen is layout, not content.
        quote = unicodedata.normalize("NFC", quote).strip(" \t\n-\u00ad")
        key = skeleton(quote)
        if not key:
            return None
        if len(self.text) <= SKELETON_MAX_CHARS:
            places = self._places_in_skeleton(key)
        else:
            places = ((start, None) for start in self._starts_by_regex(key))
        words = quote.split() if quote == quote.strip() else None
        for start, last in places:
            end = self._end_of(quote, words, start, last)
            if end is not None:
                from stancecli.span import Span

                line_start = self.line_of(start)
                return Span(
                    start=start,
                    end=end,
                    line_start=line_start,
                    line_end=self.line_of(end - 1),
                    col=start - self.line_starts[line_start - 1] + 1,
                )
        return None

    def _end_of(self, quote: str, words: list[str] | None, start: int, last: int | None) -> int | None:
        """Where `quote` ends if it stands at `start` (its last letter at `last`, when known)."""
        if words is not None and last is not None:
            region = self.text[start:last + 1]
            if not re.search(_LINE_END_HYPHEN, region):
                # Every hyphen here is content: a match is the same words, whitespace between them.
                return last + 1 if region.split() == words else None
        return _match_from(self.text, start, quote)

    def _places_in_skeleton(self, key: str) -> Iterator[tuple[int, int | None]]:
        """Where, in order, the letters of `key` stand with any layout between them: the offsets
        of the first and the last letter."""
        skel = self._skeleton[0]
        at = skel.find(key)
        while at >= 0:
            yield self._orig_offset(at), self._orig_offset(at + len(key) - 1)
            at = skel.find(key, at + 1)

    def _starts_by_regex(self, key: str) -> Iterator[int]:
        """The same for a huge source, without a layout-free copy of it (slower per quote)."""
        anchor = re.compile(_LAYOUT.join(map(re.escape, key[:ANCHOR_CHARS])))
        found = anchor.search(self.text)
        while found:
            yield found.start()
            found = anchor.search(self.text, found.start() + 1)


def skeleton(text: str) -> str:
    """The text without whitespace and hyphens: what must match exactly."""
    # str.split() and the regex class \s agree on what whitespace is (both str.isspace).
    return "".join(text.split()).replace("-", "").replace("\u00ad", "")


def normalise_text(text: str) -> str:
    """BOM, CRLF/CR line ends and NFD-composed letters made uniform."""
    if text.startswith("\ufeff"):
        text = text[1:]
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return unicodedata.normalize("NFC", text)


def _match_from(text: str, f: int, quote: str) -> int | None:
    """Where `quote` ends when it stands at text[f], or None.

    Quote and text may differ only in whitespace and line-end hyphens: a whitespace
    run must face a whitespace run, except where the source hyphenates a word at a
    line end ("anbuds-\\nutsetting"): there the quote may keep the hyphen, drop it,
    or keep it followed by a space.
    """
    q, nq, nf = 0, len(quote), len(text)
    while q < nq:
        if f >= nf:
            return None
        qc, fc = quote[q], text[f]
        if qc.isspace() and fc.isspace():
            q, f = _skip_space(quote, q), _skip_space(text, f)
        elif fc in _HYPHENS and _breaks_line(text, f + 1):
            f = _skip_space(text, f + 1)
            if qc == fc:
                q = _skip_space(quote, q + 1)
        elif qc == fc:
            q, f = q + 1, f + 1
        else:
            return None
    return f


def _skip_space(s: str, i: int) -> int:
    while i < len(s) and s[i].isspace():
        i += 1
    return i


def _breaks_line(s: str, i: int) -> bool:
    """Whether the whitespace starting at s[i] holds a line break."""
    j = i
    while j < len(s) and s[j].isspace():
        if s[j] == "\n":
            return True
        j += 1
    return False


def read_source(path: Path) -> Source:
    """Read a UTF-8 source; a clear SourceError for anything else."""
    import stat

    try:
        st = path.stat()
    except FileNotFoundError:
        raise _unreadable(path, "source file not found") from None
    except OSError as exc:
        raise _unreadable(path, f"cannot read source: {exc.strerror}") from None
    if stat.S_ISDIR(st.st_mode):
        raise _unreadable(path, "is a folder, not a text file")
    if not stat.S_ISREG(st.st_mode):
        # A FIFO or a device would block or never end.
        raise _unreadable(path, "not a regular file")
    size = st.st_size
    if size > MAX_SOURCE_BYTES:
        raise _unreadable(path, f"source is {size // (1024 * 1024)} MiB, over the limit of "
                                f"{MAX_SOURCE_BYTES // (1024 * 1024)} MiB")
    data = path.read_bytes()
    utf16 = _utf16_hint(data)
    if utf16:
        raise _unreadable(path, f"UTF-16 text, not UTF-8; convert it, e.g. iconv -f {utf16} -t utf-8")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise _unreadable(path, f"not UTF-8 text (byte 0x{data[exc.start]:02x} at offset {exc.start}); "
                                "convert it, e.g. iconv -f latin1 -t utf-8") from None
    if b"\x00" in data:  # the same test as on the text (UTF-8 has no other zero byte), faster
        raise _unreadable(path, "contains NUL bytes; is it a binary file?")
    return Source.from_text(path, text)


def _unreadable(path: Path, why: str) -> SourceError:
    """The error for a source, named as the user would type it: worked out only on failure, since
    resolving a path costs a system call per folder in it and a search reads up to 20 sources."""
    from stancecli.datapath import display_path

    return SourceError(f"{display_path(path)}: {why}")


def _utf16_hint(data: bytes) -> str | None:
    """'utf-16le'/'utf-16be' (or 'utf-16' with a byte-order mark) when data looks like UTF-16 text."""
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return "utf-16"
    head = data[:UTF16_SNIFF_BYTES]
    if len(head) < 4:
        return None
    # Latin text in UTF-16 has a NUL in every other byte: the odd ones (LE) or the even ones (BE).
    even, odd = head[0::2], head[1::2]
    if odd.count(0) > 0.9 * len(odd) and even.count(0) < 0.1 * len(even):
        return "utf-16le"
    if even.count(0) > 0.9 * len(even) and odd.count(0) < 0.1 * len(odd):
        return "utf-16be"
    return None


class Sources:
    """Sources read once per run, by resolved path."""

    def __init__(self) -> None:
        self._cache: dict[Path, Source | SourceError] = {}

    def get(self, path: Path) -> Source:
        found = self._cache.get(path)
        if found is None:
            try:
                found = read_source(path)
            except SourceError as exc:
                found = exc
            self._cache[path] = found
        if isinstance(found, SourceError):
            raise found
        return found


def nearest_passage(source: Source, quote: str) -> tuple[int, str, float] | None:
    """The line, text and similarity (0-100) of the passage most like `quote`."""
    from rapidfuzz import fuzz

    if len(source.text) > NEAREST_MAX_CHARS:
        return None  # an alignment over the whole of a huge source would take minutes
    key = skeleton(unicodedata.normalize("NFC", quote))
    skel = source._skeleton[0]
    if not key or not skel:
        return None
    found = fuzz.partial_ratio_alignment(key, skel)
    if found is None:
        return None
    start = source._orig_offset(found.dest_start)
    end = source._orig_offset(max(found.dest_start, found.dest_end - 1)) + 1
    passage = " ".join(source.text[start:end].split())
    return source.line_of(start), passage, found.score


# ---------------------------------------------------------------- paragraphs

_BULLET = r"^\s*(?:[-–•*▪]\s|\d{1,2}[.)]?\s+\S)"
_CLOSING = r"(?i)^\s*(?:med\s+(?:vennlig\s+)?hilsen|vennlig\s+hilsen)\b"
_PAGE_NUMBER = r"^\s*\d{1,3}\s*$"
_SENTENCE_END = r"[.!?:»\"]\s*$|[.!?]\s"


def paragraphs(source: Source) -> list[tuple[int, int]]:
    """Paragraphs as (first line, last line), 1-based.

    PDF text comes single- or double-spaced: in a document where most lines are
    followed by a blank line, one blank line is only line spacing and a paragraph
    ends at two or more. Bullets and numbered items start paragraphs of their own;
    stray page numbers count as blank, and a sentence that goes on in lower case
    after a blank line stays in its paragraph.
    """
    page_number, bullet = re.compile(_PAGE_NUMBER), re.compile(_BULLET)
    texts = [source.line(n) for n in range(1, source.line_count + 1)]
    filled = [n for n, t in enumerate(texts, 1) if t.strip() and not page_number.match(t)]
    if not filled:
        return []
    gaps = [b - a - 1 for a, b in zip(filled, filled[1:])]
    double_spaced = sum(g >= 1 for g in gaps) > len(gaps) / 2
    threshold = 2 if double_spaced else 1
    out, start = [], filled[0]
    for prev, n, gap in zip(filled, filled[1:], gaps):
        # A sentence cut by a blank line (a PDF page or column break) goes on in lower case.
        continues = not texts[prev - 1].rstrip().endswith((".", "!", "?", ":")) and texts[n - 1].lstrip()[:1].islower()
        if (gap >= threshold and not continues) or bullet.match(texts[n - 1]):
            out.append((start, prev))
            start = n
    out.append((start, filled[-1]))
    return out


def substantive_paragraphs(source: Source) -> list[tuple[int, int]]:
    """Paragraphs that argue something: six words or more, a sentence (or twelve
    words), not shouted headings, and nothing from the closing formula on."""
    closing, sentence_end = re.compile(_CLOSING), re.compile(_SENTENCE_END)
    out = []
    for first, last in paragraphs(source):
        text = " ".join(source.line(n).strip() for n in range(first, last + 1))
        if closing.match(text):
            break
        words = text.split()
        letters = [c for c in text if c.isalpha()]
        shouted = letters and sum(c.isupper() for c in letters) > 0.6 * len(letters)
        if len(words) >= 6 and not shouted and (sentence_end.search(text) or len(words) >= 12):
            out.append((first, last))
    return out
