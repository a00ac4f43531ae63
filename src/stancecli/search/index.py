"""The persistent search index: vocabulary, immutable segments, a manifest.

Layout of an index folder:

    manifest.marshal   a head (segments, vocabulary size, the stamp and CRC-32 of every other
                       index file, and the listing: every source's path and stamps as one byte
                       string), then the files (size, mtime, ctime, inode, digest, segment, slot),
                       parsed only when the listing differs
    manifest.stamp     a large manifest's own stamp, recorded once it was written and read back:
                       while it holds, the manifest's CRC-32 need not be checked
    folders.memo       what each source folder held when last read (search/memo.py): an
                       unchanged folder's names are not read again
    vocab-G.txt/.off   folded terms, one per line, with byte offsets (append-only)
    stems-G.txt/.off   the Snowball stem of each term, same order
    typo-G.txt/.off    every distinct term and stem twice, grouped by length and first letter,
                       then by length and last letter, with each group's place, and per line
                       the ids of the terms it is or is the stem of: a typo scan reads only
                       the groups within reach
    gram-G.bin         the terms the typo table covers, by trigram, shortest first (GramTable): a
                       word's compounds are found without scanning every term
    seg-N.bin          one segment: sentences, token ids, postings (memory-mapped)
    lock               held while the index is being changed

A changed file is indexed into a new segment and its old slot marked dead;
small segments are merged (re-read from their sources) when there are too many.
Segment files never change once written, so a reader needs no lock.

Nothing in the folder is trusted blindly: the manifest carries a CRC-32 of itself (or, when
large, its stamp vouches for it) and is plain marshal data (no code), and each file it names
is opened only while its size, mtime, ctime and inode are those recorded (else its CRC-32
must match). Segment headers are
bounds-checked on open. Anything else is damage: the caller rebuilds from the sources.
Files are created 0600 in a folder that must be the user's own and closed to others.
"""

from __future__ import annotations

import bisect
import contextlib
import itertools
import marshal
import mmap
import os
import stat
import struct
import sys
import time
import zlib
from array import array
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path

from stancecli.corpus import Source, SourceError, read_source
from stancecli.search import memo, text
from stancecli.search.listing import PDF_SUFFIX, SourceFile, Sources, _listing_key, listing_key
from stancecli.typed import NamedTuple, overload

TYPE_CHECKING = False  # typing is not imported at run time (see stancecli/typed.py)
if TYPE_CHECKING:
    from typing import BinaryIO

FORMAT = 11  # 9: postings by distinct sentence text; 10: texts told apart by a 64-bit BLAKE2 hash; 11: gram-G.bin
MAGIC = b"STCSEG05"
MANIFEST_MAGIC = b"STCMAN09"
STAMP_MAGIC = b"STCSTP01"
# A manifest this large is trusted by its stamp (recorded in manifest.stamp) instead of its CRC-32,
# as the other index files are: checking 8 MB costs a few ms of every search of 30,000 files.
STAMP_MIN = 1 << 20
FILE_MODE = 0o600
# After writing, wait until the file clock has surely ticked past the files' stamps, so any
# later change (damage included) gives them a different ctime (git's "racy" problem).
CLOCK_TICK_NS = 20_000_000
CRC_CHUNK = 1 << 20
MAX_SEGMENTS = 6
Progress = Callable[[int, int], None]

# The classes here are __slots__ classes with their own __init__, not dataclasses: importing
# dataclasses (with inspect, ast, dis, tokenize) would cost every `stancecli search` some 10 ms.


class IndexFormatError(Exception):
    """An index folder that cannot be used: damaged, truncated, or from another version."""


# --------------------------------------------------------------------- vocabulary


class Vocab:
    """Folded terms with ids; looked up in a memory-mapped or in-memory blob."""

    def __init__(self, blob: bytes | mmap.mmap, offsets: Sequence[int],
                 stem_blob: bytes | mmap.mmap | None = None, stem_offsets: Sequence[int] | None = None,
                 by_length: LengthTable | None = None, grams: GramTable | None = None):
        self._blob = blob
        self._off = offsets
        self._stem_blob = stem_blob
        self._stem_off = stem_offsets
        self._by_length = by_length
        self._grams = grams if by_length is not None else None  # both cover the same terms
        self._stem_cache: dict[int, str] = {}
        self._stem_set: set[str] | None = None

    def __len__(self) -> int:
        return len(self._off) - 1

    def term(self, tid: int) -> str:
        return self._blob[self._off[tid]:self._off[tid + 1] - 1].decode()

    def term_store(self) -> tuple[bytes | mmap.mmap, Sequence[int]]:
        """Where `term` reads: term i is blob[offsets[i]:offsets[i + 1] - 1], UTF-8 (for C)."""
        return self._blob, self._off

    def lookup(self, term: str) -> int | None:
        listed = self._listed(term)
        if listed is not None:
            own = [i & ID_MASK for i in listed[0] if i & TERM_BIT]
            if own:
                return own[0]
        start = self._off[self._by_length.covered] - 1 if self._by_length is not None else 0
        at = self._blob.find(b"\n" + term.encode() + b"\n", start, self._off[-1])
        if at < 0:
            return None
        return bisect.bisect_left(self._off, at + 1)

    def _listed(self, word: str) -> tuple[Sequence[int], int] | None:
        """The typo table's ids for `word` (terms flagged with TERM_BIT), and how many terms the
        table covers; None without a table or when the word is not in it."""
        table = self._by_length
        if table is None or not word:
            return None
        key = typo_key(0, len(word), word[0])
        i = bisect.bisect_left(table.keys, key)
        if i == len(table.keys) or table.keys[i] != key:
            return None
        words = table.blob[table.byte_at[i]:table.byte_at[i + 1]].decode().split("\n")[:-1]
        k = bisect.bisect_left(words, word)
        if k == len(words) or words[k] != word:
            return None
        line = table.line_at[i] + k
        return table.ids[table.ptr[line]:table.ptr[line + 1]], table.covered

    @overload
    def containing(self, part: str) -> list[tuple[int, str]]: ...

    @overload
    def containing(self, part: str, at_most: int) -> list[tuple[int, str]] | None: ...

    def containing(self, part: str, at_most: int | None = None) -> list[tuple[int, str]] | None:
        """Ids and terms of every term with `part` inside it; None when there are more than
        `at_most` (given) of them."""
        grams, needle = self._grams, part.encode()
        lists = grams.lists(needle) if grams is not None else None
        if grams is None or lists is None:
            return self._containing_from(part, 0, at_most)
        ranks = gram_intersect(lists, 0, len(grams.line_at) - 1)
        found = grams.terms_holding(ranks, 0, len(ranks), needle)
        if at_most is not None and len(found) > at_most:
            return None
        tail = self._containing_from(part, grams.table.covered, None if at_most is None else at_most - len(found))
        if tail is None:
            return None
        found.sort()
        return found + tail

    def longest_starting(self, prefix: str) -> int | None:
        """The length of the longest term (or stem) that starts with `prefix` (MAX_TYPO_LENGTH
        for any longer), 0 for none; None without a trigram table, where only a walk over the
        terms could tell."""
        grams, table = self._grams, self._by_length
        if grams is None or table is None or not prefix:
            return None
        longest = max((min(len(t), MAX_TYPO_LENGTH) for _, t in self._containing_from(prefix, table.covered) or []
                       if t.startswith(prefix)), default=0)
        needle = prefix.encode()
        for length in reversed(grams.lengths()):
            if length <= max(longest, len(prefix) - 1):
                break
            g = bisect.bisect_left(table.keys, typo_key(0, length, prefix[0]))
            if g == len(table.keys) or table.keys[g] != typo_key(0, length, prefix[0]):
                continue
            lo, hi = table.line_at[g], table.line_at[g + 1]  # the group's words, sorted
            at = bisect.bisect_left(range(hi), needle, lo, hi, key=grams.word)
            if at < hi and grams.word(at).startswith(needle):
                return length
        return longest

    @property
    def walks_by_length(self) -> bool:
        """Whether containing_by_length() costs no more than containing(): a trigram table
        lists the terms holding a word shortest first."""
        return self._grams is not None

    def _containing_from(self, part: str, first: int, at_most: int | None = None) -> list[tuple[int, str]] | None:
        """containing(), among the terms from id `first` on."""
        if first >= len(self):
            return []
        needle, blob, end = part.encode(), self._blob, self._off[-1]
        found: dict[int, str] = {}
        at = blob.find(needle, self._off[first], end)
        while at >= 0:
            tid = bisect.bisect_right(self._off, at) - 1
            if tid not in found:
                if at_most is not None and len(found) == at_most:
                    return None
                found[tid] = self.term(tid)
            at = blob.find(needle, self._off[tid + 1], end) if tid + 1 < len(self._off) else -1
        return list(found.items())

    def containing_by_length(self, part: str) -> Iterator[tuple[int, list[tuple[int, str]]]]:
        """The terms of containing(part), shortest first: (length, its terms), ascending; the
        last length of the table (MAX_TYPO_LENGTH) also holds every longer term. Each length is
        searched only when the caller gets to it (in the trigram table's words that share `part`'s
        rarest trigrams, else in the typo table's groups), so a caller that needs only the shortest
        terms can stop early instead of walking every term that holds `part`."""
        table = self._by_length
        if table is None:
            by_length: dict[int, list[tuple[int, str]]] = {}
            for tid, term in self.containing(part):
                by_length.setdefault(min(len(term), MAX_TYPO_LENGTH), []).append((tid, term))
            yield from sorted(by_length.items())
            return
        tail: dict[int, list[tuple[int, str]]] = {}  # terms added since the table was written
        for tid, term in self._containing_from(part, table.covered) or []:
            tail.setdefault(min(len(term), MAX_TYPO_LENGTH), []).append((tid, term))
        lists = self._grams.lists(part.encode()) if self._grams is not None else None
        if lists is not None:
            yield from self._ranked_by_length(part, lists, tail)
            return
        in_first_section = bisect.bisect_left(table.keys, 1 << 30)  # groups by first letter
        longest = (table.keys[in_first_section - 1] >> 21) & MAX_TYPO_LENGTH if in_first_section else 0
        for length in range(max(1, len(part)), max([longest, *tail]) + 1):
            found = self._table_containing(table, part, length) + tail.get(length, [])
            if found:
                yield length, found

    def _ranked_by_length(self, part: str, lists: list[Sequence[int]], tail: Mapping[int, list[tuple[int, str]]]
                          ) -> Iterator[tuple[int, list[tuple[int, str]]]]:
        """containing_by_length() from the trigram table: each length's words common to the
        `lists` of `part`'s trigrams, looked for only when the caller gets that far."""
        grams = self._grams
        assert grams is not None
        needle, at = part.encode(), grams.length_at
        for length in sorted({n for n in grams.lengths() if n >= len(part)} | tail.keys()):
            ranks = gram_intersect(lists, at[length], at[length + 1])
            found = grams.terms_holding(ranks, 0, len(ranks), needle) + tail.get(length, [])
            if found:
                yield length, found

    @staticmethod
    def _table_containing(table: LengthTable, part: str, length: int) -> list[tuple[int, str]]:
        """The terms of one length in the table (its first-letter groups) that hold `part`."""
        needle, blob = part.encode(), table.blob
        out: list[tuple[int, str]] = []
        first = bisect.bisect_left(table.keys, typo_key(0, length, "\0"))
        last = bisect.bisect_left(table.keys, typo_key(0, length + 1, "\0")) if length < MAX_TYPO_LENGTH \
            else bisect.bisect_left(table.keys, 1 << 30)
        for g in range(first, last):
            start, end = table.byte_at[g], table.byte_at[g + 1]
            if blob.find(needle, start, end) < 0:
                continue
            chunk = blob[start:end]  # the group's words, each ended by a newline
            at, pos, line = chunk.find(needle), 0, table.line_at[g]
            while at >= 0:
                word_start = chunk.rfind(b"\n", 0, at) + 1
                word_end = chunk.find(b"\n", at)
                line += chunk.count(b"\n", pos, word_start)
                pos = word_start
                word = chunk[word_start:word_end].decode()
                out.extend((i & ID_MASK, word) for i in table.ids[table.ptr[line]:table.ptr[line + 1]] if i & TERM_BIT)
                at = chunk.find(needle, word_end + 1)
        return out

    def stem_of(self, tid: int) -> str:
        if self._stem_off is not None and tid < len(self._stem_off) - 1:
            assert self._stem_blob is not None
            return self._stem_blob[self._stem_off[tid]:self._stem_off[tid + 1] - 1].decode()
        got = self._stem_cache.get(tid)
        if got is None:
            got = self._stem_cache[tid] = text.stem(self.term(tid))
        return got

    def has_stem(self, stem: str) -> bool:
        """Whether some term of the vocabulary has this stem."""
        if self._by_length is not None:
            return bool(self.with_stem(stem))
        if self._stem_off is not None and self._stem_blob is not None and len(self._stem_off) - 1 == len(self):
            return self._stem_blob.find(b"\n" + stem.encode() + b"\n", 0, self._stem_off[-1]) >= 0
        if self._stem_set is None:
            self._stem_set = set(self.all_stems())
        return stem in self._stem_set

    def near(self, word: str, reach: int) -> tuple[list[str], Callable[[int], Iterable[int]]] | None:
        """Distinct terms and stems that may lie within `reach` edits of `word`: of a length
        within reach, and sharing its first or its last letter. With one edit nothing is
        missed; with two, only a word that differs in both its first and its last letter.
        Also, for the k-th of them, the ids of the terms it is or is the stem of. None
        without a length table (an in-memory vocabulary)."""
        table = self._by_length
        if table is None or not word:
            return None
        words: list[str] = []
        starts: list[int] = []  # where each group begins in `words`
        lines: list[int] = []  # and its first line in the table
        shared = self._sharing(word, reach)
        if shared is not None:  # only the words sharing enough trigrams, each a group of one
            first, last, grams = word[0], word[-1], self._grams
            assert grams is not None
            for rank in shared:
                w = grams.word(rank).decode()
                if w[0] == first or w[-1] == last:
                    starts.append(len(words))
                    lines.append(rank)
                    words.append(w)
        for section, letter in ((0, word[0]), (1, word[-1])) if shared is None else ():
            for length in range(max(1, len(word) - reach), len(word) + reach + 1):
                key = typo_key(section, length, letter)
                i = bisect.bisect_left(table.keys, key)
                if i < len(table.keys) and table.keys[i] == key:
                    chunk = table.blob[table.byte_at[i]:table.byte_at[i + 1]]
                    starts.append(len(words))
                    lines.append(table.line_at[i])
                    words.extend(chunk.decode().split("\n")[:-1])

        # Terms added since the table was written, and their stems: few, scanned as they are.
        tail = len(words)
        covered = table.covered
        words.extend(self.term(t) for t in range(covered, len(self)))
        words.extend(self.stem_of(t) for t in range(covered, len(self)))
        n_tail = len(self) - covered

        def ids(k: int) -> Iterable[int]:
            if k >= tail:
                return (covered + (k - tail) % n_tail,)
            g = bisect.bisect_right(starts, k) - 1
            line = lines[g] + k - starts[g]
            return {i & ID_MASK for i in table.ids[table.ptr[line]:table.ptr[line + 1]]}

        return words, ids

    def _sharing(self, word: str, reach: int) -> Sequence[int] | None:
        """Ranks of the typo table's words, of a length within `reach` of the word's, that share
        enough of its trigrams to lie within `reach` edits of it: an edit breaks at most two
        trigrams more than the bytes of the letter it changes. None without a trigram table or
        when so few must be shared that the groups by letter are scanned at less cost."""
        grams = self._grams
        if grams is None or len(word) + reach >= MAX_TYPO_LENGTH:
            return None
        buckets = grams.buckets(word.encode())
        need = len(buckets) - reach * (2 + max(len(c.encode()) for c in word))
        if need < GRAM_TYPO_MIN_SHARED:
            return None
        return grams.sharing(buckets, range(max(1, len(word) - reach), len(word) + reach + 1), need)

    def with_stem(self, stem: str) -> list[int] | None:
        """Ids of the terms whose stem is `stem`; None without a stem table (an in-memory
        vocabulary, where stems are made one by one as asked)."""
        if self._stem_blob is None or self._stem_off is None or len(self._stem_off) - 1 != len(self):
            return None
        out: list[int] = []
        first = 0
        if self._by_length is not None:  # the table answers for the terms it covers; the rest are scanned
            listed = self._listed(stem)
            out = [i for i in listed[0] if not i & TERM_BIT] if listed is not None else []
            first = self._by_length.covered
        needle, blob, off = b"\n" + stem.encode() + b"\n", self._stem_blob, self._stem_off
        at = blob.find(needle, off[first] - 1, off[-1])
        while at >= 0:
            out.append(bisect.bisect_left(off, at + 1))
            at = blob.find(needle, at + 1, off[-1])
        return out

    def all_terms(self) -> list[str]:
        return self._blob[1:self._off[-1] - 1].decode().split("\n") if len(self) else []

    def all_stems(self) -> list[str]:
        if self._stem_off is not None and self._stem_blob is not None and len(self._stem_off) - 1 == len(self):
            return self._stem_blob[1:self._stem_off[-1] - 1].decode().split("\n") if len(self) else []
        return text.stem_all(self.all_terms())


class LengthTable:
    """typo-G: words in groups (see the module docstring), arrays as memoryviews of the file."""

    __slots__ = ("blob", "keys", "byte_at", "line_at", "ptr", "ids", "covered")

    def __init__(self, blob: bytes | mmap.mmap, keys: Sequence[int], byte_at: Sequence[int],
                 line_at: Sequence[int], ptr: Sequence[int], ids: Sequence[int], covered: int):
        self.blob = blob
        self.keys = keys  # per group, its typo_key, ascending
        self.byte_at = byte_at  # per group, where its words start in `blob` (+ end)
        self.line_at = line_at  # per group, the number of its first word (+ end)
        self.ptr = ptr  # per word, where its term ids start in `ids` (+ end)
        self.ids = ids
        self.covered = covered  # the table holds terms 0 .. covered - 1 and their stems; later ones are scanned


TYPO_TAIL_SHARE = 0.05  # rewrite the typo table when the terms it misses pass 5 % of those it holds
TYPO_TAIL_MIN = 2000
TERM_BIT = 1 << 31  # in the typo table's id lists: this id is the word itself, not a word of this stem
ID_MASK = TERM_BIT - 1
MAX_TYPO_LENGTH = 511  # longer words share the last group: the key has nine bits for it


def typo_key(section: int, length: int, letter: str) -> int:
    """A group of the typo table: by first (section 0) or last (1) letter, and length."""
    return (section << 30) | (min(length, MAX_TYPO_LENGTH) << 21) | ord(letter)


class GramTable:
    """gram-G.bin: the trigrams of the typo table's words (arrays as memoryviews of the file).

    A word's rank is its line in the typo table's first section, where the words stand by
    length, then by first letter. Each trigram of a word's bytes falls in one of 2**bits
    buckets; a bucket lists the ranks of its words, ascending. The ranks common to a needle's
    buckets are every word that holds it (and a few that do not: checked one by one), shortest
    first; a word a few edits from another shares most of its buckets.
    """

    __slots__ = ("table", "line_at", "length_at", "bucket_at", "ranks", "bits", "_lengths")

    def __init__(self, table: LengthTable, line_at: Sequence[int], length_at: Sequence[int],
                 bucket_at: Sequence[int], ranks: Sequence[int], bits: int, _lengths: list[int] | None = None):
        self.table = table
        self.line_at = line_at  # per rank, where its word starts in the table's blob (+ end)
        self.length_at = length_at  # per length 0 .. MAX_TYPO_LENGTH + 1, its first rank
        self.bucket_at = bucket_at  # per bucket, where its ranks start in `ranks` (+ end)
        self.ranks = ranks
        self.bits = bits
        self._lengths = _lengths

    def buckets(self, needle: bytes) -> set[int]:
        return {gram_bucket(needle, i, self.bits) for i in range(len(needle) - GRAM + 1)}

    def _lists(self, buckets: Iterable[int]) -> list[Sequence[int]]:
        at, ranks = self.bucket_at, self.ranks
        return [ranks[at[b]:at[b + 1]] for b in buckets]

    def lists(self, needle: bytes) -> list[Sequence[int]] | None:
        """The ranks of the rarest buckets of `needle`'s trigrams; None below three bytes."""
        if len(needle) < GRAM:
            return None
        return sorted(self._lists(self.buckets(needle)), key=len)[:GRAM_LISTS]

    def lengths(self) -> list[int]:
        """The lengths the table has words of, ascending."""
        if self._lengths is None:
            at = self.length_at
            self._lengths = [n for n in range(MAX_TYPO_LENGTH + 1) if at[n] < at[n + 1]]
        return self._lengths

    def sharing(self, buckets: set[int], lengths: range, at_least: int) -> Sequence[int]:
        """Ranks of the words of `lengths` in at least `at_least` of `buckets`, ascending."""
        lo, hi = self.length_at[lengths.start], self.length_at[lengths.stop]
        return gram_at_least(self._lists(buckets), lo, hi, at_least)

    def word(self, rank: int) -> bytes:
        return self.table.blob[self.line_at[rank]:self.line_at[rank + 1] - 1]

    def term_ids(self, rank: int) -> list[int]:
        """The ids of the terms a word is (one at most)."""
        ids, ptr = self.table.ids, self.table.ptr
        return [i & ID_MASK for i in ids[ptr[rank]:ptr[rank + 1]] if i & TERM_BIT]

    def terms_holding(self, ranks: array, lo: int, hi: int, needle: bytes) -> list[tuple[int, str]]:
        """(term id, word) of the words of ranks[lo:hi] that hold `needle` and are terms (in C
        when built, else the same in Python)."""
        if _grams is not None:
            t = self.table
            return _grams.terms_holding(t.blob, self.line_at, ranks, lo, hi, t.ptr, t.ids, needle)
        return self._terms_holding_py(ranks, lo, hi, needle)

    def _terms_holding_py(self, ranks: Sequence[int], lo: int, hi: int, needle: bytes) -> list[tuple[int, str]]:
        return [(tid, word.decode()) for rank, word in ((r, self.word(r)) for r in ranks[lo:hi])
                if needle in word for tid in self.term_ids(rank)]


GRAM = 3
GRAM_HEAD = 3  # gram-G.bin starts with: words, bits, ranks listed
GRAM_MIN_BITS, GRAM_MAX_BITS = 10, 20  # about one bucket per word, within these
GRAM_HASH = 2654435761  # Knuth's multiplicative hash: a trigram's 24 bits spread over the bucket bits
# A typo scan by shared trigrams pays when a word must share this many: fewer let too many through.
GRAM_TYPO_MIN_SHARED = 2
# The rarest trigrams of a word narrow its candidates most; a few more cost more than the words they rule out.
GRAM_LISTS = 2


def gram_bits(n_words: int) -> int:
    return max(GRAM_MIN_BITS, min(GRAM_MAX_BITS, n_words.bit_length()))


def gram_bucket(word: bytes, i: int, bits: int) -> int:
    key = word[i] | word[i + 1] << 8 | word[i + 2] << 16
    return ((key * GRAM_HASH) & 0xFFFFFFFF) >> (32 - bits)


def gram_build(blob: bytes | mmap.mmap, n: int, bits: int) -> tuple[bytes, ...]:
    """A GramTable's line_at, bucket_at and ranks over the first `n` lines of `blob`, as native
    uint32 bytes (in C when built, else the same in Python)."""
    if _grams is not None:
        return _grams.build(blob, n, bits)
    return _gram_build_py(blob, n, bits)


def _gram_build_py(blob: bytes | mmap.mmap, n: int, bits: int) -> tuple[bytes, ...]:
    line_at, pos = array("I"), 0
    words = []
    for _ in range(n):
        end = blob.find(b"\n", pos)
        if end < 0:
            raise ValueError("_gram_build_py: fewer lines than words")
        line_at.append(pos)
        words.append(bytes(blob[pos:end]))
        pos = end + 1
    line_at.append(pos)
    buckets: dict[int, list[int]] = {}
    for rank, word in enumerate(words):
        for b in {gram_bucket(word, i, bits) for i in range(len(word) - GRAM + 1)}:
            buckets.setdefault(b, []).append(rank)
    bucket_at, ranks = array("I", [0]), array("I")
    for b in range(1 << bits):
        ranks.extend(buckets.get(b, ()))
        bucket_at.append(len(ranks))
    return tuple(a.tobytes() for a in (line_at, bucket_at, ranks))


def gram_at_least(lists: Sequence[Sequence[int]], lo: int, hi: int, t: int) -> array:
    """The entries in [lo, hi) found in `t` or more of the lists (each ascending), ascending."""
    if _grams is not None:
        out = array("I")
        out.frombytes(_grams.at_least(lists, lo, hi, t))
        return out
    return _gram_at_least_py(lists, lo, hi, t)


def _gram_at_least_py(lists: Sequence[Sequence[int]], lo: int, hi: int, t: int) -> array:
    counts: dict[int, int] = {}
    for entries in lists:
        for r in entries[bisect.bisect_left(entries, lo):bisect.bisect_left(entries, hi)]:
            counts[r] = counts.get(r, 0) + 1
    return array("I", sorted(r for r in range(lo, hi) if counts.get(r, 0) >= t) if t <= 0
                 else sorted(r for r, c in counts.items() if c >= t))


def gram_intersect(lists: Sequence[Sequence[int]], lo: int, hi: int) -> array:
    """The entries in [lo, hi) common to every list (each ascending), ascending."""
    if _grams is not None:
        out = array("I")
        out.frombytes(_grams.intersect(lists, lo, hi))
        return out
    return _gram_intersect_py(lists, lo, hi)


def _gram_intersect_py(lists: Sequence[Sequence[int]], lo: int, hi: int) -> array:
    if not lists:
        return array("I")
    cut = [entries[bisect.bisect_left(entries, lo):bisect.bisect_left(entries, hi)] for entries in lists]
    first, *rest = sorted(cut, key=len)
    common = set(first)
    for other in rest:
        common.intersection_update(other)
    return array("I", sorted(common))


def write_typo_table(blob: bytes | mmap.mmap, off: Sequence[int], stem_blob: bytes | mmap.mmap,
                     stem_off: Sequence[int], n: int, words: BinaryIO, table: BinaryIO) -> None:
    """typo-G.txt and typo-G.off of the first `n` terms and their stems, given as blobs and
    offsets like the vocabulary's files, written to `words` and `table` (in C when built, else
    the same in Python)."""
    if _grams is not None:
        words.flush()
        table.flush()
        _grams.typo_table(blob, off, stem_blob, stem_off, n, words.fileno(), table.fileno())
        return
    terms = Vocab(blob, off[:n + 1]).all_terms()
    for f, data in zip((words, table), _typo_table_py(terms, Vocab(stem_blob, stem_off[:n + 1]).all_terms())):
        f.write(data)


def _typo_table_py(terms: list[str], stems: list[str]) -> tuple[bytes, bytes]:
    # A word's ids: one int for most words (a list each would cost tens of MB on a large
    # vocabulary), a list only for a word that is a term and a stem, or the stem of several.
    related: dict[str, int | list[int]] = {t: i | TERM_BIT for i, t in enumerate(terms)}
    for tid, stem in enumerate(stems):
        known = related.get(stem)
        if known is None:
            related[stem] = tid
        elif isinstance(known, int):
            related[stem] = [known, tid]
        else:
            known.append(tid)
    related.pop("", None)
    groups: dict[int, list[str]] = {}
    for w in related:
        n = min(len(w), MAX_TYPO_LENGTH) << 21
        groups.setdefault(n | ord(w[0]), []).append(w)
        groups.setdefault((1 << 30) | n | ord(w[-1]), []).append(w)
    keys = array("I", sorted(groups))
    byte_at, line_at, ptr, ids = array("I"), array("I"), array("I", [0]), array("I")
    parts, pos, line = [], 0, 0
    for key in keys:
        words = sorted(groups[key])  # sorted: a word is found by bisection within its group
        chunk = "".join(w + "\n" for w in words).encode()
        byte_at.append(pos)
        line_at.append(line)
        parts.append(chunk)
        pos += len(chunk)
        line += len(words)
        for w in words:
            got = related[w]
            if isinstance(got, int):
                ids.append(got)
            else:
                ids.extend(got)
            ptr.append(len(ids))
    byte_at.append(pos)
    line_at.append(line)
    head = array("I", [len(keys), line, len(ids), len(terms)])
    return b"".join(parts), b"".join(a.tobytes() for a in (head, keys, byte_at, line_at, ptr, ids))


try:  # building and searching the trigram index in C (search/_grams.c)
    from stancecli.search import _grams
except ImportError:  # pragma: no cover - built without a compiler: the same in Python
    _grams = None  # type: ignore[assignment]


def _first_section(table: LengthTable) -> tuple[int, int]:
    """The typo table's words by first letter: how many, in how many groups."""
    groups = bisect.bisect_left(table.keys, 1 << 30)
    return table.line_at[groups], groups


class VocabBuilder:
    """Assigns ids to new terms while documents are indexed."""

    def __init__(self, terms: list[str] | None = None):
        self.terms: list[str] = terms or []
        self.ids: dict[str, int] = {t: i for i, t in enumerate(self.terms)}
        self.base = len(self.terms)

    def add(self, term: str) -> int:
        tid = self.ids.get(term)
        if tid is None:
            tid = self.ids[term] = len(self.terms)
            self.terms.append(term)
        return tid

    def frozen(self) -> Vocab:
        blob, offsets = _blob(self.terms)
        return Vocab(blob, offsets)


def _blob(words: list[str]) -> tuple[bytes, array]:
    data, off = _encoded(words, 1)
    return b"\n" + data, array("I", [1]) + off


WORDS_CHUNK = 50_000  # words encoded (and stemmed) at a time while the vocabulary's files are written


def _encoded(words: list[str], pos: int) -> tuple[bytes, array]:
    """`words`, each ended by a newline, as UTF-8; and the offset (from `pos`) where each ends."""
    if not words:
        return b"", array("I")
    joined = "\n".join(words) + "\n"
    data = joined.encode()
    lengths = map(len, words) if len(data) == len(joined) else (len(w.encode()) for w in words)
    off = array("I", itertools.accumulate((n + 1 for n in lengths), initial=pos))
    return data, off[1:]


# ----------------------------------------------------------------------- segments


class Segment:
    """Sentences of a set of documents; each distinct sentence text with its token ids and postings.

    A sentence repeated across documents (boilerplate; the synthetic corpora repeat every seed
    sentence) is stored, posted and scored once: postings list distinct texts, not sentences,
    so a phrase query's work grows with the distinct texts holding its words.

    Arrays are array('I') while building and memoryviews of a mapped file once written: per
    sentence, `sents` its start/end offsets and `text` its distinct text's id; `docs` the
    first sentence id per slot (+ end). Per distinct text, in order of first occurrence:
    `uhash` a 64-bit hash of its words (the same text in another segment is scored once per
    query), `toff` offsets into `fwd`, its token ids (+ end), and `ooff` offsets into `occ`,
    the sentence ids holding it, ascending (+ end). `dir` is the offset/count of each term's
    postings (distinct text ids, ascending) in `post`.
    """

    __slots__ = ("docs", "sents", "text", "uhash", "toff", "fwd", "ooff", "occ", "dir", "post", "paths", "dead")

    def __init__(self, docs: Sequence[int], sents: Sequence[int], text: Sequence[int], uhash: Sequence[int],
                 toff: Sequence[int], fwd: Sequence[int], ooff: Sequence[int], occ: Sequence[int],
                 dir: Sequence[int], post: Sequence[int], paths: Sequence[str], dead: frozenset[int] = frozenset()):
        self.docs = docs
        self.sents = sents
        self.text = text
        self.uhash = uhash
        self.toff = toff
        self.fwd = fwd
        self.ooff = ooff
        self.occ = occ
        self.dir = dir
        self.post = post
        self.paths = paths
        self.dead = dead

    @property
    def sentence_count(self) -> int:
        return len(self.text)

    @property
    def text_count(self) -> int:
        return len(self.uhash)

    def postings(self, tid: int) -> Sequence[int]:
        """The distinct texts holding term `tid`, ascending."""
        if 2 * tid + 1 >= len(self.dir):
            return ()
        off, n = self.dir[2 * tid], self.dir[2 * tid + 1]
        if off + n > len(self.post):
            raise IndexFormatError("a posting list runs past the end of its segment")
        return self.post[off:off + n]

    def posting_count(self, tid: int) -> int:
        """How many distinct texts hold term `tid`: len(postings(tid)) without the slice, and
        the same check of its bounds."""
        if 2 * tid + 1 >= len(self.dir):
            return 0
        off, n = self.dir[2 * tid], self.dir[2 * tid + 1]
        if off + n > len(self.post):
            raise IndexFormatError("a posting list runs past the end of its segment")
        return n

    def tokens(self, sid: int) -> Sequence[int]:
        return self.text_tokens(self.text[sid])

    def text_tokens(self, uid: int) -> Sequence[int]:
        return self.fwd[self.toff[uid]:self.toff[uid + 1]]

    def occurrences(self, uid: int) -> Sequence[int]:
        """The sentence ids holding distinct text `uid`, ascending."""
        return self.occ[self.ooff[uid]:self.ooff[uid + 1]]

    def first_of(self, uid: int) -> int:
        return self.occ[self.ooff[uid]]

    def span(self, sid: int) -> tuple[int, int]:
        return self.sents[2 * sid], self.sents[2 * sid + 1]

    def slot_of(self, sid: int) -> int:
        return bisect.bisect_right(self.docs, sid) - 1

    def slot_range(self, slot: int) -> tuple[int, int]:
        return self.docs[slot], self.docs[slot + 1]

    def live_slots(self) -> list[int]:
        return [s for s in range(len(self.paths)) if s not in self.dead]


class SegmentBuilder:
    """Collects documents into one segment."""

    def __init__(self, vocab: VocabBuilder):
        self.vocab = vocab
        self.docs = array("I", [0])
        self.sents = array("I")
        self.text = array("I")
        self.uhash = array("Q")
        self.toff = array("I", [0])
        self.fwd = array("I")
        self.uids: dict[int, int] = {}  # uhash -> distinct text id
        self.hash = text_hasher()
        self.paths: list[str] = []
        # Imported by the builder alone: its patterns take some 15 ms to compile, which a search
        # of a fresh index would otherwise pay at start-up.
        from stancecli.search.sentences import split

        self._split = split

    def add(self, path: str, body: str) -> None:
        spans = self._split(body)
        found = text.sentence_tokens(text.prepare(body), spans)
        uids, sents, texts = self.uids, self.sents, self.text
        for (start, end), toks in zip(spans, found):
            if not toks:
                continue
            # Hashed from the words, not their ids: ids differ between parallel builders.
            key = self.hash("\n".join(toks).encode())
            uid = uids.get(key)
            if uid is None:
                uid = uids[key] = self._new_text(key, toks)
            sents.append(start)
            sents.append(end)
            texts.append(uid)
        self.docs.append(len(texts))
        self.paths.append(path)

    def _new_text(self, key: int, toks: list[str]) -> int:
        ids_of = self.vocab.ids
        uid = len(self.uhash)
        try:
            ids = [ids_of[t] for t in toks]
        except KeyError:
            ids = [self.vocab.add(t) for t in toks]
        self.uhash.append(key)
        self.fwd.extend(ids)
        self.toff.append(len(self.fwd))
        return uid

    def finish(self) -> Segment:
        directory, post = self._postings()
        ooff, occ = _occurrences(self.text, len(self.uhash))
        return Segment(self.docs, self.sents, self.text, self.uhash, self.toff, self.fwd, ooff, occ,
                       directory, post, self.paths)

    def _postings(self) -> tuple[array, array]:
        """Per term id, the distinct texts holding it, ascending: (start, count) pairs and the
        ids, by a counting sort over the texts' tokens. Postings gathered while adding, an array
        per term, would cost about 100 bytes for each of the hundreds of thousands of terms a
        large vocabulary has, most of them in one text."""
        fwd, toff, n_terms = self.fwd, self.toff, len(self.vocab.terms)
        texts = range(len(toff) - 1)
        counts = array("I", bytes(4 * n_terms))
        for uid in texts:
            for tid in set(fwd[toff[uid]:toff[uid + 1]]):
                counts[tid] += 1
        directory, at, pos = array("I", bytes(8 * n_terms)), counts, 0
        for tid, n in enumerate(counts):
            if n:
                directory[2 * tid], directory[2 * tid + 1] = pos, n
            at[tid] = pos  # counts become each term's next slot in `post`
            pos += n
        post = array("I", bytes(4 * pos))
        for uid in texts:
            for tid in set(fwd[toff[uid]:toff[uid + 1]]):
                post[at[tid]] = uid
                at[tid] += 1
        return directory, post


def _occurrences(texts: Sequence[int], n_texts: int) -> tuple[array, array]:
    """Per distinct text, the sentences holding it: offsets (+ end), and the ids grouped by text."""
    from collections import Counter
    from itertools import accumulate

    counts = Counter(texts)
    ooff = array("I", [0])
    ooff.extend(accumulate(counts[u] for u in range(n_texts)))
    # A counting sort: each text's sentence ids stay ascending, and no list of them all is made.
    at = ooff.tolist()
    occ = array("I", bytes(4 * len(texts)))
    for sid, uid in enumerate(texts):
        occ[at[uid]] = sid
        at[uid] += 1
    return ooff, occ


_ARRAYS = ("uhash", "docs", "sents", "text", "toff", "fwd", "ooff", "occ", "dir", "post")  # 8-byte items first


def text_hasher() -> Callable[[bytes], int]:
    """The hash that tells distinct sentence texts apart, in every builder alike.

    Two texts with one hash would be indexed and scored as one: a 64-bit BLAKE2 digest makes that
    about 1 in 10^12 for 5 million distinct sentences (CRC-32 beside Adler-32, weak on short texts,
    was used before format 10). hashlib is imported here: it costs milliseconds, and queries never hash.
    """
    from hashlib import blake2b

    def digest(data: bytes) -> int:
        return int.from_bytes(blake2b(data, digest_size=8).digest(), "little")

    return digest


def write_segment(seg: Segment, path: Path) -> None:
    arrays = [getattr(seg, name) for name in _ARRAYS]
    header = len(MAGIC) + 16 * len(arrays)
    offsets, pos = [], header
    for arr in arrays:
        offsets.append((pos, len(arr)))
        pos += arr.itemsize * len(arr)
    tmp = path.with_suffix(".tmp")
    with _private(tmp, "wb") as f:
        f.write(MAGIC)
        for off, n in offsets:
            f.write(struct.pack("<QQ", off, n))
        for arr in arrays:
            f.write(arr)  # an array or a memoryview of a mapped segment alike
    os.replace(tmp, path)


def read_segment(path: Path, paths: Sequence[str], dead: Iterable[int], stamp: list) -> Segment:
    return _parse_segment(_open_checked(path, stamp), path, paths, dead)


def _parse_segment(mm: mmap.mmap, path: Path, paths: Sequence[str], dead: Iterable[int]) -> Segment:
    if len(mm) < len(MAGIC) + 16 * len(_ARRAYS) or mm[: len(MAGIC)] != MAGIC:
        raise IndexFormatError(f"{path.name}: not a stancecli index segment")
    view = memoryview(mm)
    arrays = []
    for k in range(len(_ARRAYS)):
        off, n = struct.unpack_from("<QQ", mm, len(MAGIC) + 16 * k)
        code = "Q" if _ARRAYS[k] == "uhash" else "I"
        size = struct.calcsize(code)
        if off % size or off + size * n > len(mm):
            raise IndexFormatError(f"{path.name}: an array runs past the end of the file")
        arrays.append(view[off:off + size * n].cast(code))  # type: ignore[call-overload]
    seg = Segment(**dict(zip(_ARRAYS, arrays)), paths=paths, dead=frozenset(dead))
    _check_bounds(seg, path.name)
    return seg


def _check_bounds(seg: Segment, name: str) -> None:
    """The header's promises, checked in O(1): lengths that fit one another and the manifest."""
    n, m = seg.sentence_count, seg.text_count
    ok = (
        len(seg.docs) == len(seg.paths) + 1 and len(seg.sents) == 2 * n and len(seg.occ) == n
        and len(seg.toff) == m + 1 and len(seg.ooff) == m + 1 and len(seg.dir) % 2 == 0
        and seg.toff[0] == 0 and seg.toff[-1] == len(seg.fwd) and seg.ooff[0] == 0 and seg.ooff[-1] == n
        and (n == 0 or (seg.docs[0] == 0 and seg.docs[-1] == n))
    )
    if not ok:
        raise IndexFormatError(f"{name}: its parts do not fit together")


# ----------------------------------------------------------------------- manifest


class FileEntry(NamedTuple):
    size: int
    mtime_ns: int
    digest: bytes
    segment: int  # -1 when the file could not be read
    slot: int
    indexed_ns: int
    error: str = ""
    ctime_ns: int = 0
    ino: int = 0


# Field positions in the plain tuples the manifest keeps per file (FileEntry's order): the
# manifest stores columns, and a fresh index is checked without building a FileEntry per file.
F_SIZE, F_MTIME, F_SEGMENT, F_INDEXED, F_ERROR, F_CTIME, F_INO = (
    FileEntry._fields.index(name) for name in ("size", "mtime_ns", "segment", "indexed_ns", "error", "ctime_ns", "ino"))
COL_SIZE, COL_MTIME, COL_INDEXED, COL_CTIME, COL_INO = (  # in the manifest's columns, paths come first
    1 + i for i in (F_SIZE, F_MTIME, F_INDEXED, F_CTIME, F_INO))

class PackedPaths(Sequence[str]):
    """A segment's paths as the manifest keeps them: one byte string and the offsets into it,
    decoded one at a time as asked (a search shows 20 of 30,000)."""

    def __init__(self, blob: bytes, offsets: bytes):
        self._blob = blob
        self._decoded: dict[int, str] = {}  # ranking compares a hit's path many times
        self._off = array("I")
        self._off.frombytes(offsets)
        if not self._off or self._off[0] != 0 or self._off[-1] != len(blob):
            raise IndexFormatError("manifest.marshal: a segment's paths do not fit their offsets")

    @staticmethod
    def pack(paths: Sequence[str]) -> tuple[bytes, bytes]:
        encoded = [p.encode("utf-8", "surrogatepass") for p in paths]
        off = array("I", [0])
        for e in encoded:
            off.append(off[-1] + len(e))
        return b"".join(encoded), off.tobytes()

    def __len__(self) -> int:
        return len(self._off) - 1

    @overload
    def __getitem__(self, i: int) -> str: ...

    @overload
    def __getitem__(self, i: slice) -> list[str]: ...

    def __getitem__(self, i: int | slice) -> str | list[str]:
        if isinstance(i, slice):
            return [self[k] for k in range(*i.indices(len(self)))]
        if i < 0:
            i += len(self)
        path = self._decoded.get(i)
        if path is None:
            if not 0 <= i < len(self):
                raise IndexError(i)
            path = self._decoded[i] = self._blob[self._off[i]:self._off[i + 1]].decode("utf-8", "surrogatepass")
        return path

    def decoded(self) -> list[str]:
        return [self[k] for k in range(len(self))]


class Manifest:
    __slots__ = ("generation", "vocab_size", "next_segment", "_segments", "_packed", "dead", "stamps", "listing",
                 "errors", "_columns", "_raw", "_files")

    def __init__(self, generation: int = 0, vocab_size: int = 0, next_segment: int = 0,
                 _segments: dict[int, list[str]] | None = None, _packed: dict[int, tuple[bytes, bytes]] | None = None,
                 dead: dict[int, set[int]] | None = None, stamps: dict[str, list[int]] | None = None,
                 listing: bytes = b"", errors: dict[str, str] | None = None, _columns: list[list] | None = None,
                 _raw: bytes | memoryview | None = None, _files: dict[str, tuple] | None = None):
        self.generation = generation
        self.vocab_size = vocab_size
        self.next_segment = next_segment
        # Segment id -> its paths by slot: decoded on first use of `segments`, or one by one
        # through `paths_of` (`_packed` holds them as written until then).
        self._segments = _segments
        self._packed = _packed
        self.dead: dict[int, set[int]] = {} if dead is None else dead
        # Index file name -> [size, mtime, ctime, inode, CRC-32] when it was written.
        self.stamps: dict[str, list[int]] = {} if stamps is None else stamps
        # The stamps of the source listing it was written for (`listing_key`), or b"" when some
        # file was written too close to indexing to be trusted by its stamp: an equal listing
        # means fresh, without reading the per-file columns.
        self.listing = listing
        self.errors: dict[str, str] = {} if errors is None else errors  # unreadable sources and why
        # The files, one column per FileEntry field plus the paths first, parsed only when a
        # listing differs (`_raw` holds them as written until then).
        self._columns = _columns
        self._raw = _raw
        self._files = _files

    @property
    def segments(self) -> dict[int, list[str]]:
        if self._segments is None:
            self._segments = {sid: PackedPaths(*packed).decoded() for sid, packed in (self._packed or {}).items()}
            self._packed = None
        return self._segments

    def segment_ids(self) -> list[int]:
        return sorted(self._segments if self._segments is not None else self._packed or {})

    def paths_of(self, sid: int) -> Sequence[str]:
        if self._segments is None and self._packed is not None:
            return PackedPaths(*self._packed[sid])
        return self.segments[sid]

    @property
    def columns(self) -> list[list]:
        if self._columns is None:
            self._columns = (marshal.loads(self._raw) if self._raw is not None
                             else [[] for _ in range(1 + len(FileEntry._fields))])
            self._raw = None
        return self._columns

    @property
    def files(self) -> dict[str, tuple]:
        """Path -> FileEntry fields, built on first use (a search that finds the index fresh never does)."""
        if self._files is None:
            self._files = dict(zip(self.columns[0], zip(*self.columns[1:])))
        return self._files

    @files.setter
    def files(self, value: dict[str, tuple]) -> None:
        self._files = value

    def dump(self) -> bytes:
        files = self.files
        keys = list(files)
        cols = [list(c) for c in zip(*files.values())] if keys else [[] for _ in FileEntry._fields]
        racy = any(memo.racy(e[F_INDEXED], e[F_MTIME], e[F_CTIME]) for e in files.values())
        head = marshal.dumps(
            {
                "format": FORMAT,
                "byteorder": sys.byteorder,
                "generation": self.generation,
                "vocab_size": self.vocab_size,
                "next_segment": self.next_segment,
                "segments": {sid: PackedPaths.pack(paths) for sid, paths in self.segments.items()},
                "dead": {k: sorted(v) for k, v in self.dead.items()},
                "stamps": self.stamps,
                "listing": b"" if racy else _listing_key(keys, *(cols[i] for i in (F_SIZE, F_MTIME, F_CTIME, F_INO))),
                "errors": {k: e[F_ERROR] for k, e in files.items() if e[F_SEGMENT] < 0},
            }
        )
        payload = struct.pack("<I", len(head)) + head + marshal.dumps([keys] + cols)
        return MANIFEST_MAGIC + struct.pack("<I", zlib.crc32(payload)) + payload

    @classmethod
    def load(cls, data: bytes | mmap.mmap, trusted: bool = False) -> Manifest:
        """The manifest in `data`; its CRC-32 is checked unless its stamp vouches for it."""
        head = len(MANIFEST_MAGIC) + 8
        if data[:len(MANIFEST_MAGIC)] != MANIFEST_MAGIC:
            raise IndexFormatError("manifest.marshal: not a manifest of this version")
        if len(data) < head or (not trusted and struct.unpack_from("<I", data, len(MANIFEST_MAGIC))[0] != zlib.crc32(
                memoryview(data)[len(MANIFEST_MAGIC) + 4:])):
            raise IndexFormatError("manifest.marshal: checksum mismatch")
        n = struct.unpack_from("<I", data, head - 4)[0]
        raw = marshal.loads(memoryview(data)[head:head + n])  # values only: marshal never runs what it loads
        if not isinstance(raw, dict) or raw.get("format") != FORMAT or raw.get("byteorder") != sys.byteorder:
            raise IndexFormatError("manifest.marshal: written by another version")
        return cls(
            generation=raw["generation"],
            vocab_size=raw["vocab_size"],
            next_segment=raw["next_segment"],
            _packed=raw["segments"],
            dead={k: set(v) for k, v in raw["dead"].items()},
            stamps=raw["stamps"],
            listing=raw["listing"],
            errors=raw["errors"],
            _raw=memoryview(data)[head + n:],  # parsed (copied) only if needed
        )


class Snapshot:
    """What a query reads: the vocabulary and live segments."""

    __slots__ = ("vocab", "segments", "errors")

    def __init__(self, vocab: Vocab, segments: list[Segment], errors: dict[str, str]):
        self.vocab = vocab
        self.segments = segments
        self.errors = errors


class SyncReport:
    __slots__ = ("indexed", "removed", "merged_segments", "seconds")

    def __init__(self, indexed: int = 0, removed: int = 0, merged_segments: int = 0, seconds: float = 0.0):
        self.indexed = indexed
        self.removed = removed
        self.merged_segments = merged_segments
        self.seconds = seconds


# -------------------------------------------------------------------- the store


class IndexStore:
    """An index folder kept in step with a set of source files."""

    def __init__(self, root: Path, in_cache: bool = False):
        self.root = root
        self.in_cache = in_cache  # in the user's cache: the folder above must be private too
        self.last_sync = SyncReport()
        self.notes: list[str] = []  # one line per repair, for the user

    # reading ---------------------------------------------------------------

    def _manifest(self) -> Manifest:
        try:
            fd = os.open(self.root / "manifest.marshal", os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        except FileNotFoundError:
            return Manifest()
        try:
            before = os.fstat(fd)
            if not stat.S_ISREG(before.st_mode):
                raise IndexFormatError("manifest.marshal: not a file")
            # Mapped, not read: while its stamp vouches for it, only the head is looked at.
            data = mmap.mmap(fd, 0, access=mmap.ACCESS_READ) if before.st_size else b""
            trusted = _stamp_of(before) == _stamp_of(os.fstat(fd)) == self._recorded_stamp()
            return Manifest.load(data, trusted)
        except (ValueError, EOFError, TypeError, KeyError, struct.error) as exc:
            raise IndexFormatError(f"manifest.marshal: unreadable ({exc})") from None
        finally:
            os.close(fd)

    def snapshot(self, man: Manifest) -> Snapshot:
        vocab = self._vocab(man)
        segs = [
            read_segment(self._seg_path(sid), man.paths_of(sid), man.dead.get(sid, ()),
                         self._recorded(man, f"seg-{sid}.bin"))
            for sid in man.segment_ids()
        ]
        if man._files is None:
            errors = dict(man.errors)
        else:
            errors = {p: e[F_ERROR] for p, e in man.files.items() if e[F_SEGMENT] < 0}
        return Snapshot(vocab, [s for s in segs if len(s.dead) < len(s.paths)], errors)

    def _recorded_stamp(self) -> list[int] | None:
        """The manifest's stamp as recorded once it was written and checked (manifest.stamp)."""
        try:
            data = (self.root / "manifest.stamp").read_bytes()
        except OSError:
            return None
        fields = data[len(STAMP_MAGIC):len(STAMP_MAGIC) + _MANIFEST_STAMP.size]
        if (data[:len(STAMP_MAGIC)] != STAMP_MAGIC or len(data) != len(STAMP_MAGIC) + _MANIFEST_STAMP.size + 4
                or struct.unpack_from("<I", data, len(data) - 4)[0] != zlib.crc32(fields)):
            return None
        return list(_MANIFEST_STAMP.unpack(fields))

    @staticmethod
    def _recorded(man: Manifest, name: str) -> list:
        stamp = man.stamps.get(name)
        if not isinstance(stamp, list) or len(stamp) != len(_STAMP_FIELDS) + 1:
            raise IndexFormatError(f"{name}: not recorded in the manifest")
        return stamp

    def _vocab(self, man: Manifest) -> Vocab:
        n = man.vocab_size
        if n == 0:
            return Vocab(b"\n", array("I", [1]), b"\n", array("I", [1]))
        blob, off = self._mapped(man, "vocab", n)
        sblob, soff = self._mapped(man, "stems", n)
        table = self._lengths(man)
        return Vocab(blob, off, sblob, soff, table, self._grams(man, table))

    def _lengths(self, man: Manifest) -> LengthTable | None:
        txt_name, off_name = f"typo-{man.generation}.txt", f"typo-{man.generation}.off"
        if txt_name not in man.stamps:
            return None
        raw = _open_checked(self.root / off_name, self._recorded(man, off_name))
        blob = _open_checked(self.root / txt_name, self._recorded(man, txt_name))
        view = memoryview(raw)
        if len(raw) < 16 or len(raw) % 4:
            raise IndexFormatError(f"{off_name}: too short")
        arr = view.cast("I")
        n_keys, n_lines, n_ids, covered = arr[0], arr[1], arr[2], arr[3]
        if len(arr) != 4 + n_keys + 2 * (n_keys + 1) + n_lines + 1 + n_ids or covered > man.vocab_size:
            raise IndexFormatError(f"{off_name}: its parts do not fit together")
        a = 4
        keys = arr[a:a + n_keys]
        a += n_keys
        byte_at, line_at = arr[a:a + n_keys + 1], arr[a + n_keys + 1:a + 2 * (n_keys + 1)]
        a += 2 * (n_keys + 1)
        ptr, ids = arr[a:a + n_lines + 1], arr[a + n_lines + 1:]
        if byte_at[-1] != len(blob) or line_at[-1] != n_lines or ptr[-1] != n_ids:
            raise IndexFormatError(f"{off_name}: offsets do not fit {txt_name}")
        return LengthTable(blob, keys, byte_at, line_at, ptr, ids, covered)

    def _grams(self, man: Manifest, table: LengthTable | None) -> GramTable | None:
        name = f"gram-{man.generation}.bin"
        if table is None or name not in man.stamps:
            return None
        raw = _open_checked(self.root / name, self._recorded(man, name))
        if len(raw) < 4 * GRAM_HEAD or len(raw) % 4:
            raise IndexFormatError(f"{name}: too short")
        arr = memoryview(raw).cast("I")
        n, bits, n_ranks = arr[0], arr[1], arr[2]
        n_lengths, n_buckets = MAX_TYPO_LENGTH + 2, 1 << min(bits, GRAM_MAX_BITS)
        if (n != _first_section(table)[0] or not GRAM_MIN_BITS <= bits <= GRAM_MAX_BITS
                or len(arr) != GRAM_HEAD + n + 1 + n_lengths + n_buckets + 1 + n_ranks):
            raise IndexFormatError(f"{name}: its parts do not fit together")
        a = GRAM_HEAD
        line_at, length_at = arr[a:a + n + 1], arr[a + n + 1:a + n + 1 + n_lengths]
        a += n + 1 + n_lengths
        bucket_at, ranks = arr[a:a + n_buckets + 1], arr[a + n_buckets + 1:]
        if length_at[-1] != n or bucket_at[-1] != n_ranks or line_at[-1] > len(table.blob):
            raise IndexFormatError(f"{name}: its parts do not fit together")
        return GramTable(table, line_at, length_at, bucket_at, ranks, bits)

    def _mapped(self, man: Manifest, kind: str, n: int):
        off_name, txt_name = f"{kind}-{man.generation}.off", f"{kind}-{man.generation}.txt"
        mapped = memoryview(_open_checked(self.root / off_name, self._recorded(man, off_name)))
        if len(mapped) < 4 * (n + 1):
            raise IndexFormatError(f"{off_name}: too short")
        off = mapped[:4 * (n + 1)].cast("I")  # in place: 3 MB of offsets at 739,000 terms are not copied
        blob = _open_checked(self.root / txt_name, self._recorded(man, txt_name))
        if len(off) != n + 1 or off[0] != 1 or off[-1] > len(blob) or blob[:1] != b"\n":
            raise IndexFormatError(f"{off_name}: offsets do not fit {txt_name}")
        return blob, off

    def _seg_path(self, seg_id: int) -> Path:
        return self.root / f"seg-{seg_id}.bin"

    # keeping fresh -----------------------------------------------------------

    def open_as_is(self) -> tuple[Manifest, Snapshot] | None:
        """The index as it stands, not yet checked against the sources (`is_fresh` does that,
        once they are listed); None when there is none, or it is damaged or not private."""
        try:
            if not self.root.exists():
                return None
            self._check_private()
            man = self._manifest()
            return man, self.snapshot(man)
        except (OSError, *DAMAGE):
            return None

    @staticmethod
    def is_fresh(man: Manifest, files: Sequence[SourceFile]) -> bool:
        """Whether an index opened with `open_as_is` is in step with `files`."""
        return not _stale(man, files)

    def sync(self, files: Sequence[SourceFile], progress: Progress | None = None) -> Snapshot:
        """Bring the index in step with `files` and return what to query.

        Damage found on the way (another process may just be changing the index: then it
        is looked at again under the lock) means one note and a rebuild from the sources.
        """
        snap = self._synced(files, progress)
        self.keep_memo(files)
        return snap

    def _synced(self, files: Sequence[SourceFile], progress: Progress | None) -> Snapshot:
        try:
            return self._sync(files, progress)
        except DAMAGE:
            pass
        self._ensure_root()
        with _Lock(self.root / "lock"):
            try:
                return self._sync(files, progress, locked=True)
            except DAMAGE as exc:
                return self._rebuild(files, progress, exc)

    def keep_memo(self, files: Sequence[SourceFile]) -> None:
        """Keep the folder memo the listing of `files` left (search/memo.py) with the index."""
        data = files.memo if isinstance(files, Sources) else None
        if data is not None and self.root.is_dir():
            memo.keep(str(self.root), data)

    def rebuild(self, files: Sequence[SourceFile], progress: Progress | None, why: BaseException) -> Snapshot:
        """Start again from the sources: damage turned up while querying."""
        self._ensure_root()
        with _Lock(self.root / "lock"):
            return self._rebuild(files, progress, why)

    def _rebuild(self, files: Sequence[SourceFile], progress: Progress | None, why: BaseException) -> Snapshot:
        self.notes.append(f"the search index in {self.root} is damaged or from another version ({why}); "
                          "rebuilt it from the sources")
        for pattern in ("manifest.marshal", "manifest.stamp", "seg-*.bin", "vocab-*", "stems-*", "typo-*", "gram-*", "part-*.seg", "*.tmp"):
            for p in self.root.glob(pattern):
                p.unlink(missing_ok=True)
        return self._sync(files, progress, locked=True)

    def _ensure_root(self) -> None:
        from stancecli.cachedir import private_dir

        private_dir(self.root)
        self._check_private()

    def _check_private(self) -> None:
        from stancecli.cachedir import check_private

        check_private(self.root)
        if self.in_cache:
            check_private(self.root.parent)

    def _sync(self, files: Sequence[SourceFile], progress: Progress | None, locked: bool = False) -> Snapshot:
        if self.root.exists():
            self._check_private()
        man = self._manifest()
        if not _stale(man, files):
            self.last_sync = SyncReport()
            return self.snapshot(man)
        self._ensure_root()
        if locked:
            return self._sync_locked(files, progress)
        with _Lock(self.root / "lock"):
            return self._sync_locked(files, progress)

    def _sync_locked(self, files: Sequence[SourceFile], progress: Progress | None) -> Snapshot:
        man = self._manifest()
        started = time.perf_counter()
        if _stale(man, files):
            man, report = self._update(man, files, progress)
        else:
            report = SyncReport()
        report.seconds = time.perf_counter() - started
        self.last_sync = report
        return self.snapshot(man)

    def _update(
        self, man: Manifest, files: Sequence[SourceFile], progress: Progress | None
    ) -> tuple[Manifest, SyncReport]:
        report = SyncReport()
        wanted = {f.key: f for f in files}
        fresh = man.generation < 0
        if fresh:
            man = Manifest()
        changed = [f for f in files if _differs(man.files.get(f.key), f)]
        gone = [k for k in man.files if k not in wanted]
        for key in gone:
            self._forget(man, key)
        report.removed = len(gone)
        to_read = [f for f in changed if not self._same_content(man, f)]
        for f in to_read:
            self._forget(man, f.key)
        victims = self._merge_victims(man, extra=bool(to_read))
        if victims == set(man.segments) and victims:
            fresh = True
        for seg_id in victims:
            for slot, key in enumerate(man.segments[seg_id]):
                if slot not in man.dead.get(seg_id, set()) and key in wanted:
                    to_read.append(wanted[key])
        report.merged_segments = len(victims)
        old_files = [self._seg_path(s) for s in victims]
        for seg_id in victims:
            del man.segments[seg_id]
            man.dead.pop(seg_id, None)
        if fresh:
            old_files += [self._seg_path(s) for s in man.segments]
            man.segments.clear()
            man.dead.clear()
            man.generation = max(man.generation, 0) + 1
            man.vocab_size = 0
            to_read = [wanted[k] for k in sorted({f.key for f in files})]
            man.files = {}
        to_read.sort(key=lambda f: f.key)
        if to_read:
            self._index(man, to_read, progress)
        report.indexed = len(to_read)
        # In the order the folders list them, so the next freshness check compares columns.
        man.files = {f.key: man.files[f.key] for f in files if f.key in man.files}
        self._write_manifest(man)
        self._remove(old_files, man.generation)
        return man, report

    def _same_content(self, man: Manifest, f: SourceFile) -> bool:
        """A file touched but not changed keeps its place in the index."""
        raw = man.files.get(f.key)
        entry = FileEntry._make(raw) if raw is not None else None
        if entry is None or entry.segment < 0 or entry.size != f.size:
            return False
        try:
            digest = _digest(read_text(Path(f.key)).text)
        except SourceError:
            return False
        if digest != entry.digest:
            return False
        man.files[f.key] = entry._replace(mtime_ns=f.mtime_ns, ctime_ns=f.ctime_ns, ino=f.ino,
                                          indexed_ns=time.time_ns())
        return True

    def _forget(self, man: Manifest, key: str) -> None:
        entry = man.files.pop(key, None)
        if entry is not None and entry[3] >= 0:
            man.dead.setdefault(entry[3], set()).add(entry[4])

    def _merge_victims(self, man: Manifest, extra: bool) -> set[int]:
        """Segments to re-read from their sources: the smallest when there are too
        many, and any that is mostly dead."""
        live = {s: len(paths) - len(man.dead.get(s, ())) for s, paths in man.segments.items()}
        victims = {s for s, n in live.items() if n == 0 or n < len(man.segments[s]) // 2}
        rest = sorted((n, s) for s, n in live.items() if s not in victims)
        if len(rest) + extra > MAX_SEGMENTS:
            # Merge the small ones; a fresh build's few large segments stay as they are.
            victims |= {s for _, s in rest[: len(rest) + extra - MAX_SEGMENTS // 2]}
        return victims

    def _index(self, man: Manifest, files: list[SourceFile], progress: Progress | None) -> None:
        vocab = VocabBuilder(self._vocab(man).all_terms() if man.vocab_size else [])
        workers = _workers(len(files))
        if workers > 1:
            parts: Iterable = _build_parallel(files, workers, progress, self.root)
        else:
            parts = [_build_chunk(files, progress, vocab)]
        # One part at a time, as each worker finishes: never every segment in memory at once.
        for local_terms, seg, entries in parts:
            seg_id = man.next_segment
            if isinstance(seg, tuple):  # written by a worker, with its own term ids: map it back in
                words = local_terms.split("\n") if local_terms else []  # a worker sends them as one string
                seg = _remap(_read_part(*seg), [vocab.add(t) for t in words])
                del words
            elif local_terms is not None:
                seg = _remap(seg, [vocab.add(t) for t in local_terms])
            for key, entry in entries.items():
                man.files[key] = entry._replace(segment=seg_id) if entry.segment >= 0 else entry
            if seg.paths:
                write_segment(seg, self._seg_path(seg_id))
                self._record(man, self._seg_path(seg_id))
                man.segments[seg_id] = seg.paths
                man.next_segment = seg_id + 1
            # Not kept while the next part is mapped, nor the last one while the tables are built.
            del local_terms, seg, entries
        del parts
        vocab.ids.clear()  # every part is mapped: the vocabulary's files and typo table need the memory
        self._append_vocab(man, vocab)

    def _append_vocab(self, man: Manifest, vocab: VocabBuilder) -> None:
        start = man.vocab_size
        if start == len(vocab.terms) and start:
            return
        for kind in ("vocab", "stems"):
            self._write_words(man, kind, vocab.terms, start, stem=kind == "stems")
        man.vocab_size = len(vocab.terms)
        vocab.terms.clear()  # the tables are built from the files just written: the strings would only cost memory
        if self._write_lengths(man):
            self._write_grams(man)

    def _write_words(self, man: Manifest, kind: str, terms: list[str], start: int, stem: bool) -> None:
        """terms[start:] (or their stems) appended to the vocabulary's or the stems' files, a
        chunk at a time: a large vocabulary is never whole in memory as bytes."""
        blob_path = self.root / f"{kind}-{man.generation}.txt"
        off_path = self.root / f"{kind}-{man.generation}.off"
        with contextlib.ExitStack() as files:
            if start == 0:  # new files, put in place once written whole
                blob_f, off_f = (files.enter_context(_replacing(p)) for p in (blob_path, off_path))
                pos = 1
                blob_f.write(b"\n")
                off_f.write(array("I", [pos]).tobytes())
            else:  # appended to, past the terms the manifest counts
                pos = _valid_length(off_path, start)
                blob_f, off_f = (files.enter_context(open(p, "r+b")) for p in (blob_path, off_path))
                blob_f.truncate(pos)
                blob_f.seek(pos)
                off_f.truncate(4 * (start + 1))
                off_f.seek(4 * (start + 1))
            for i in range(start, len(terms), WORDS_CHUNK):
                words = terms[i:min(i + WORDS_CHUNK, len(terms))]
                data, off = _encoded(text.stem_all(words) if stem else words, pos)
                blob_f.write(data)
                off_f.write(off.tobytes())
                pos = off[-1]
        self._record(man, blob_path)
        self._record(man, off_path)

    def _write_lengths(self, man: Manifest) -> bool:
        """The typo scan's table, rewritten whole when the terms it does not cover (scanned
        one by one at query time) pass TYPO_TAIL_SHARE of those it does."""
        n = man.vocab_size
        old = self._lengths(man) if f"typo-{man.generation}.txt" in man.stamps else None
        if old is not None and n - old.covered <= max(TYPO_TAIL_MIN, int(old.covered * TYPO_TAIL_SHARE)):
            return False
        del old
        # From the vocabulary's and the stems' files just written, not from Python strings.
        blob, off = self._mapped(man, "vocab", n)
        stem_blob, stem_off = self._mapped(man, "stems", n)
        paths = [self.root / f"typo-{man.generation}.{ext}" for ext in ("txt", "off")]
        with _replacing(paths[0]) as words, _replacing(paths[1]) as table:
            write_typo_table(blob, off, stem_blob, stem_off, n, words, table)
        for p in paths:
            self._record(man, p)
        return True

    def _write_grams(self, man: Manifest) -> None:
        """The trigram table of the typo table's words: rewritten with it, so both cover the
        same terms."""
        table = self._lengths(man)
        assert table is not None
        n, groups = _first_section(table)
        lengths = [(table.keys[g] >> 21) & MAX_TYPO_LENGTH for g in range(groups)]
        length_at = array("I", (table.line_at[bisect.bisect_left(lengths, k)] for k in range(MAX_TYPO_LENGTH + 2)))
        bits = gram_bits(n)
        line_at, bucket_at, ranks = gram_build(table.blob, n, bits)
        head = array("I", [n, bits, len(ranks) // 4])
        path = self.root / f"gram-{man.generation}.bin"
        with _replacing(path) as f:  # part by part: the ranks are tens of MB on a large vocabulary
            for part in (head.tobytes(), line_at, length_at.tobytes(), bucket_at, ranks):
                f.write(part)
        self._record(man, path)

    def _record(self, man: Manifest, path: Path) -> None:
        with open(path, "rb") as f:
            st = os.fstat(f.fileno())
            crc = _crc_of(f)
        man.stamps[path.name] = _stamp_of(st) + [crc]

    def _write_manifest(self, man: Manifest) -> None:
        names = {f"seg-{s}.bin" for s in man.segments}
        names |= {f"{k}-{man.generation}.{e}" for k in ("vocab", "stems", "typo") for e in ("txt", "off")}
        names.add(f"gram-{man.generation}.bin")
        man.stamps = {k: v for k, v in man.stamps.items() if k in names}
        _wait_for_clock(max((v[2] for v in man.stamps.values()), default=0))
        data = man.dump()
        path, stamp = self.root / "manifest.marshal", self.root / "manifest.stamp"
        stamp.unlink(missing_ok=True)
        _write_private(path, data)
        if len(data) >= STAMP_MIN:
            self._record_manifest(path, zlib.crc32(data))

    def _record_manifest(self, path: Path, crc: int) -> None:
        """Write manifest.stamp: the manifest's stamp, once the file clock has passed it (so
        any later change shows in the stamp) and its content is read back as written."""
        st = os.stat(path)
        _wait_for_clock(max(st.st_mtime_ns, st.st_ctime_ns))
        with open(path, "rb") as f:
            before = os.fstat(f.fileno())
            crc_now = _crc_of(f)
            after = os.fstat(f.fileno())
        if crc_now == crc and _stamp_of(before) == _stamp_of(after):
            fields = _MANIFEST_STAMP.pack(*_stamp_of(after))
            _write_private(self.root / "manifest.stamp", STAMP_MAGIC + fields + struct.pack("<I", zlib.crc32(fields)))

    def _remove(self, paths: list[Path], generation: int) -> None:
        for p in paths:
            p.unlink(missing_ok=True)
        for p in self.root.glob("*-*.txt"):
            stem = p.stem.rsplit("-", 1)
            if len(stem) == 2 and stem[1].isdigit() and int(stem[1]) != generation:
                p.unlink(missing_ok=True)
                p.with_suffix(".off").unlink(missing_ok=True)
                (self.root / f"gram-{stem[1]}.bin").unlink(missing_ok=True)


PARALLEL_MIN = 300  # documents; below this, starting worker processes costs more than it saves


def _workers(n_files: int) -> int:
    if n_files < PARALLEL_MIN or os.environ.get("STANCECLI_INDEX_WORKERS") == "1":
        return 1
    return max(1, min(os.cpu_count() or 1, 4, n_files // (PARALLEL_MIN // 2)))


def _build_chunk(
    files: list[SourceFile], progress: Progress | None, vocab: VocabBuilder | None = None,
    counter=None,
) -> tuple[list[str] | None, Segment, dict[str, FileEntry]]:
    """Index `files` into one segment. With no `vocab`, term ids are local to
    the chunk and the terms come back for the caller to map."""
    local = vocab is None
    builder = SegmentBuilder(vocab or VocabBuilder())
    entries: dict[str, FileEntry] = {}
    for n, f in enumerate(files, 1):
        now = time.time_ns()
        try:
            src = read_text(Path(f.key))
        except SourceError as exc:
            entries[f.key] = FileEntry(f.size, f.mtime_ns, b"", -1, -1, now, str(exc), f.ctime_ns, f.ino)
        else:
            entries[f.key] = FileEntry(f.size, f.mtime_ns, _digest(src.text), 0, len(builder.paths), now, "",
                                       f.ctime_ns, f.ino)
            builder.add(f.key, src.text)
        if counter is not None:
            with counter.get_lock():
                counter.value += 1
        elif progress is not None:
            progress(n, len(files))
    if local:
        builder.vocab.ids.clear()  # the terms go back in order: finishing the segment can use the memory
    return (builder.vocab.terms if local else None), builder.finish(), entries


_COUNTER = None


def _init_worker(counter) -> None:
    global _COUNTER
    _COUNTER = counter


def _chunk_in_worker(job: tuple[list[SourceFile], Path]):
    """A chunk built in a worker and written to a file of its own: only the terms and the
    file entries travel back, not the segment (pickling it would double its memory twice)."""
    files, out = job
    local_terms, seg, entries = _build_chunk(files, None, None, _COUNTER)
    write_segment(seg, out)
    # The terms as one string: pickling hundreds of thousands of strings builds a memo of each.
    return "\n".join(local_terms or ()), (out, seg.paths), entries


def _build_parallel(files: list[SourceFile], workers: int, progress: Progress | None, root: Path) -> Iterator:
    """Contiguous chunks of the sorted files, one per process, one segment each."""
    import multiprocessing

    methods = multiprocessing.get_all_start_methods()
    ctx = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
    counter = ctx.Value("i", 0)
    bounds = [len(files) * k // workers for k in range(workers + 1)]
    chunks = [(files[bounds[k]:bounds[k + 1]], root / f"part-{k}.seg") for k in range(workers)]
    # One chunk per process, which then exits: a finished worker would otherwise keep its memory
    # (a large vocabulary's strings) while the main process maps the parts back in.
    with ctx.Pool(workers, initializer=_init_worker, initargs=(counter,), maxtasksperchild=1) as pool:
        results = pool.imap(_chunk_in_worker, chunks)
        for _ in chunks:
            while True:
                try:
                    part = results.next(timeout=0.1)
                    break
                except multiprocessing.TimeoutError:
                    if progress is not None:
                        progress(counter.value, len(files))
            yield part
            del part
    if progress is not None:
        progress(len(files), len(files))


def _read_part(path: Path, paths: list[str]) -> Segment:
    """A worker's segment, mapped from its file (which is then removed: the mapping stays)."""
    with open(path, "rb") as f:
        mm = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
    path.unlink()
    return _parse_segment(mm, path, paths, ())


def _remap(seg: Segment, ids: list[int]) -> Segment:
    """A segment built with chunk-local term ids, moved onto the global ids."""
    fwd = array("I", map(ids.__getitem__, seg.fwd))
    directory = array("I", bytes(8 * (max(ids) + 1 if ids else 0)))
    old = seg.dir
    for local, glob in enumerate(ids):
        directory[2 * glob] = old[2 * local]
        directory[2 * glob + 1] = old[2 * local + 1]
    return Segment(seg.docs, seg.sents, seg.text, seg.uhash, seg.toff, fwd, seg.ooff, seg.occ, directory, seg.post,
                   seg.paths, seg.dead)


def _valid_length(off_path: Path, n: int) -> int:
    """Byte length of the first n terms, read from the offsets file."""
    with open(off_path, "rb") as f:
        f.seek(4 * n)
        return array("I", f.read(4))[0]


def _stale(man: Manifest, files: Sequence[SourceFile]) -> bool:
    if man.generation < 0:
        return True
    if man.listing and man.listing == listing_key(files):
        return False  # the same paths with the same stamps, in the same order: nothing to read
    if len(man.columns[0]) != len(files):
        return True
    keys, sizes, mtimes, indexed = man.columns[0], man.columns[COL_SIZE], man.columns[COL_MTIME], man.columns[COL_INDEXED]
    ctimes, inos = man.columns[COL_CTIME], man.columns[COL_INO]
    # A folder lists its files in the same order while it is unchanged: compare whole columns.
    if keys == [f.key for f in files]:
        if (sizes != [f.size for f in files] or mtimes != [f.mtime_ns for f in files]
                or ctimes != [f.ctime_ns for f in files] or inos != [f.ino for f in files]):
            return True
        return any(map(memo.racy, indexed, mtimes, ctimes))
    entries = man.files
    for f in files:
        if _differs(entries.get(f.key), f):
            return True
    return False


def _differs(entry: tuple | None, f: SourceFile) -> bool:
    """Whether a file may have changed since it was indexed (its hash then decides)."""
    if entry is None or (entry[F_SIZE], entry[F_MTIME], entry[F_CTIME], entry[F_INO]) != (
            f.size, f.mtime_ns, f.ctime_ns, f.ino):
        return True
    # Written in the same instant it was indexed: its stamp cannot vouch for it.
    return memo.racy(entry[F_INDEXED], entry[F_MTIME], entry[F_CTIME])


_MANIFEST_STAMP = struct.Struct("<qqqq")  # size, mtime, ctime, inode


DAMAGE = (IndexFormatError, FileNotFoundError, ValueError, struct.error, IndexError, OverflowError)
_STAMP_FIELDS = ("st_size", "st_mtime_ns", "st_ctime_ns", "st_ino")


def _stamp_of(st: os.stat_result) -> list[int]:
    return [getattr(st, k) for k in _STAMP_FIELDS]


def _crc_of(f: BinaryIO) -> int:
    """The CRC-32 of the rest of an open file, read a chunk at a time (a segment can be hundreds of MB)."""
    crc = 0
    while chunk := f.read(CRC_CHUNK):
        crc = zlib.crc32(chunk, crc)
    return crc


def _private(path: Path, mode: str):
    """A new file open for writing, readable by its owner only."""
    path.unlink(missing_ok=True)  # a leftover of another mode keeps its mode bits
    return os.fdopen(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE), mode)


@contextlib.contextmanager
def _replacing(path: Path) -> Iterator[BinaryIO]:
    """A private file written beside `path` (as path.tmp) that replaces it once written whole."""
    tmp = path.with_name(path.name + ".tmp")
    with _private(tmp, "wb") as f:
        yield f
    os.replace(tmp, path)


def _write_private(path: Path, data: bytes) -> None:
    with _replacing(path) as f:
        f.write(data)


def _open_checked(path: Path, stamp: list) -> mmap.mmap:
    """The file mapped, if it is as recorded: same stamp, or else the same CRC-32."""
    with open(path, "rb") as f:
        st = os.fstat(f.fileno())
        if st.st_size == 0:
            raise IndexFormatError(f"{path.name}: empty")
        mm = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
    if _stamp_of(st) != stamp[:-1] and zlib.crc32(mm) != stamp[-1]:
        mm.close()
        raise IndexFormatError(f"{path.name}: changed since it was written")
    return mm


def _wait_for_clock(stamp_ns: int) -> None:
    """Return once the file clock is surely past `stamp_ns`, so a later change shows in a stamp."""
    wait = stamp_ns + CLOCK_TICK_NS - time.time_ns()
    if wait > 0:
        time.sleep(wait / 1e9)


def _digest(body: str) -> bytes:
    import hashlib  # not on the query path: 4 ms of start-up

    return hashlib.blake2b(body.encode(), digest_size=16).digest()


class _Lock:
    def __init__(self, path: Path):
        self.path = path

    def __enter__(self):
        self.f = os.fdopen(os.open(self.path, os.O_RDWR | os.O_CREAT, FILE_MODE), "r+b")
        try:
            import fcntl

            fcntl.flock(self.f.fileno(), fcntl.LOCK_EX)
        except ImportError:  # pragma: no cover - Windows: single user, no lock
            pass
        return self

    def __exit__(self, *exc):
        self.f.close()


# ----------------------------------------------------------------- source files


def read_text(path: Path) -> Source:
    """A source to search: a text file, or a PDF's text (as add-document extracts it)."""
    if path.suffix.lower() != PDF_SUFFIX:
        return read_source(path)
    from stancecli import pdftext

    try:
        return Source.from_text(path, pdftext.extract_text(path))
    except pdftext.PdfError as exc:
        raise SourceError(str(exc)) from None
    except OSError as exc:
        raise SourceError(f"{path}: cannot read: {exc.strerror}") from None


def memory_snapshot(files: Sequence[SourceFile]) -> Snapshot:
    """Everything indexed in memory, nothing written: the brute-force path."""
    vocab = VocabBuilder()
    builder = SegmentBuilder(vocab)
    errors: dict[str, str] = {}
    for f in sorted(files, key=lambda f: f.key):
        try:
            builder.add(f.key, read_text(Path(f.key)).text)
        except SourceError as exc:
            errors[f.key] = str(exc)
    segs = [builder.finish()] if builder.paths else []
    return Snapshot(vocab.frozen(), segs, errors)

