"""Query planning and ranking over an index snapshot; hits as named tuples.

A query word matches, best first: the same folded word (100), an inflection of
it (95), a compound that holds it (76-90), a word one or two edits away (about
70-85). A query of several words scores each sentence by the best chain of
matched words in query order, where every word the sentence puts in between
costs a little: words that stand close score higher.
"""

from __future__ import annotations

import bisect
import heapq
import itertools
import os
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from itertools import combinations
from operator import itemgetter
from pathlib import Path

from stancecli.errors import CacheUnavailable, SearchProblem
from stancecli.search import memo, text
from stancecli.search.index import (
    DAMAGE,
    IndexFormatError,
    IndexStore,
    Manifest,
    Progress,
    Segment,
    Snapshot,
    Vocab,
    memory_snapshot,
)
from stancecli.search.listing import PendingSources, Sources, collect, start_collect
from stancecli.typed import NamedTuple

try:  # the typo scan in C (search/_grams.c); rapidfuzz otherwise
    from stancecli.search import _grams
except ImportError:  # pragma: no cover - built without a C compiler
    _grams = None  # type: ignore[assignment]
try:  # phrase scoring in C (search/_score.c); rapidfuzz otherwise
    from stancecli.search import _score
except ImportError:  # pragma: no cover - built without a C compiler
    _score = None  # type: ignore[assignment]
MAX_C_TYPO_WORD = _grams.MAX_TYPO_WORD if _grams is not None else 0  # longer words: rapidfuzz
# The longest phrase _score.partial_ratios scores: rapidfuzz scores a longer needle another way.
MAX_C_NEEDLE = _score.MAX_NEEDLE if _score is not None else 0

# Below this much text, searching without an on-disk index is quick enough
# (measured: see docs/benchmarks.md, "Brute force or index").
BRUTE_FORCE_BYTES = 256 * 1024
GAP_COST = 2.0  # characters of credit lost per extra word between two matched words
LOOSE_SHARE = 0.25  # credit for a matched word that stands outside the best chain
MAX_EXPANSIONS = 300
# Terms holding a word, past which they are walked shortest first (and the walk may stop early).
WALK_ALL_BELOW = 2500
MAX_ENDING = max(map(len, text.INFLECTIONS))
SAME_STEM = 0.95  # the quality of an inflection
COMPOUND_PREFIX = 0.80  # a word that begins a compound: anbud -> anbudsutsetting
COMPOUND_PART = 0.76  # a word inside a compound: konkurranse -> anbudskonkurranse
COMPOUND_SHARE = 0.10  # plus up to this much, as the word's share of the compound grows
MIN_COMPOUND_PART = 5  # a shorter word inside a compound is too often a chance match
EXACT_POOL, EXACT_EXTRA = 3, 20  # --exact drops differently spelt hits: ask for 3 * limit + 20
RERANK_POOL = 4  # a phrase's best `limit` come from the word-level best 4 * limit + 40
# Distinct sentences a phrase query scores at most; past it, weaker groups are left out.
MAX_SCORED = 50_000
MAX_GROUPED = 10  # content words of a phrase that form groups; the rest only add to scores
ROUNDING_SLACK = 1e-9  # a bound summed in another order than a score may differ in its last bits


class SearchError(SearchProblem):
    """A search that cannot run: an empty query, missing sources."""


# The classes a search makes are named tuples and __slots__ classes, not dataclasses: a dataclass
# costs 0.2-1 ms to define (it compiles its methods), paid by every `stancecli search`.


class Hit(NamedTuple):
    """One matching sentence.

    `line`/`col` point at the first matched character, `end_line`/`end_col` at
    the last one (1-based, columns in characters). `match_spans` are
    [start, end) offsets into `sentence`, the sentence on one line.
    """

    score: float
    path: Path
    doc_id: str | None
    line: int
    col: int
    end_line: int
    end_col: int
    sentence: str
    match_spans: tuple[tuple[int, int], ...]
    context_before: tuple[tuple[int, str], ...] = ()  # (line number, source line)
    context_after: tuple[tuple[int, str], ...] = ()

    def to_dict(self) -> dict:
        return {
            "score": round(self.score, 1),
            "path": str(self.path),
            "doc": self.doc_id,
            "line": self.line,
            "col": self.col,
            "end_line": self.end_line,
            "end_col": self.end_col,
            "sentence": self.sentence,
            "matches": [
                {"start": a, "end": b, "text": self.sentence[a:b]} for a, b in self.match_spans
            ],
            "context_before": [{"line": n, "text": t} for n, t in self.context_before],
            "context_after": [{"line": n, "text": t} for n, t in self.context_after],
        }


class SearchResult(NamedTuple):
    hits: list[Hit]
    mode: str  # "index" or "memory"
    documents: int
    errors: dict[str, str]  # unreadable source -> why
    indexed: int  # documents (re)indexed by this search
    notes: list[str]  # warnings and repairs, one line each
    truncated: bool  # the limit left out further hits


class Term(NamedTuple):
    text: str
    weight: float
    stop: bool
    expansions: list[tuple[int, float]]  # (term id, quality), best first

    @property
    def best(self) -> float:
        return self.expansions[0][1] if self.expansions else 0.0


class _Ranked(NamedTuple):
    score: float
    order: tuple[int, int]  # (segment, sentence)
    positions: tuple[int, ...] = ()  # the matched words' places in the sentence


# ------------------------------------------------------------------------- API


def search(
    query: str,
    paths: Sequence[Path],
    *,
    limit: int = 20,
    min_score: float = 0.0,
    exact: bool = False,
    context: int = 0,
    index_dir: Path | None = None,
    use_index: bool | None = None,
    only: Collection[Path] | None = None,
    doc_ids: Mapping[Path, str] | None = None,
    progress: Progress | None = None,
    index_key: Sequence[str] | None = None,
    listing: PendingSources | None = None,
) -> SearchResult:
    """Rank the sentences of the sources under `paths` against `query`.

    `limit` 0 means no limit. `only` keeps hits in those files. An index is
    used (and kept fresh) when `index_dir` is given, when `use_index` is True,
    or when the sources hold more than BRUTE_FORCE_BYTES of text; without
    `index_dir` it lives in the user's cache, one per `index_key` (default:
    the paths searched). `progress(done, total)` is called while indexing. `listing` is
    `start_collect(paths)` when the caller started listing the files already.

    While the files are listed and stat-ed (on a thread), the index as it stands is opened and
    the query planned and ranked on it; once the listing shows the index fresh, those hits stand.
    """
    words = text.query_terms(query)
    if not words:
        raise SearchError("the query has no words to search for")
    key = list(index_key) if index_key else [str(p) for p in paths]
    typed = text.typed_words(query) if exact else []
    repairs: list[str] = []
    listing = listing or start_collect(paths, memo=memo.of_index(key, index_dir) if use_index is not False else None)
    for attempt in range(ATTEMPTS):
        last = attempt == ATTEMPTS - 1
        notes: list[str] = []
        early = _Early.open(key, index_dir, use_index) if attempt == 0 else None
        if early is not None:
            early.prepare(words, exact, only, limit, min_score)
        files = _collect(paths, notes, listing if attempt == 0 else None)
        if early is not None and early.fresh_for(files, index_dir, use_index):
            snap, mode, indexed, store = early.opened()
        else:
            early = None
            snap, mode, indexed, store = _snapshot(files, key, index_dir, use_index, progress, notes)
        keep = _allowed_slots(snap, only) if only is not None else None
        try:
            hits, stale, truncated = _ranked_hits(words, typed, snap, files, limit, min_score, exact, context,
                                                  keep, doc_ids, early.planned if early is not None else None)
        except DAMAGE as exc:
            if store is None or last:
                raise
            store.rebuild(files, progress, exc)
            repairs += store.notes
            continue
        if store is not None:
            repairs += store.notes
        if not stale or last:
            break
        # Files changed since they were indexed and some hits were dropped: index them again.
    return SearchResult(hits, mode, len(files), dict(snap.errors), indexed, repairs + notes, truncated)


ATTEMPTS = 2  # a second pass after a repair, or after files changed under the search


def _collect(paths: Sequence[Path], notes: list[str], listing: PendingSources | None = None) -> Sources:
    try:
        files = listing.result(notes) if listing is not None else collect(paths, notes)
    except FileNotFoundError as exc:
        raise SearchError(str(exc)) from None
    if not files:
        raise SearchError("no .txt sources to search in " + ", ".join(map(str, paths)))
    return files


def _uses_index(files: Sources, index_dir: Path | None, use_index: bool | None) -> bool:
    big = files.total_size > BRUTE_FORCE_BYTES
    return index_dir is not None or bool(use_index) or (use_index is None and big)


class _Early:
    """The index as it stands, opened, and the query planned and ranked on it, while the
    files are still being listed: used once the listing shows the index fresh."""

    def __init__(self, store: IndexStore, man: Manifest, snap: Snapshot):
        self.store, self.man, self.snap = store, man, snap
        self.planned: tuple[list[Term], list[_Ranked], int] | None = None

    @classmethod
    def open(cls, key: list[str], index_dir: Path | None, use_index: bool | None) -> _Early | None:
        if use_index is False:
            return None
        try:
            store = _store(key, index_dir)
        except OSError:
            return None
        opened = store.open_as_is()
        return cls(store, *opened) if opened is not None else None

    def prepare(self, words: list[str], exact: bool, only: Collection[Path] | None, limit: int,
                min_score: float) -> None:
        """Plan and rank as _ranked_hits would first; damage found here is left for the real pass."""
        try:
            snap = self.snap
            keep = _allowed_slots(snap, only) if only is not None else None
            terms = plan(words, snap.vocab, exact)
            want = _first_want(limit, exact)
            self.planned = terms, rank(terms, snap.segments, want, min_score, exact, keep, snap.vocab), want
        except DAMAGE:
            self.planned = None

    def fresh_for(self, files: Sources, index_dir: Path | None, use_index: bool | None) -> bool:
        if not (_uses_index(files, index_dir, use_index) and self.store.is_fresh(self.man, files)):
            return False
        self.store.keep_memo(files)
        return True

    def opened(self) -> tuple[Snapshot, str, int, IndexStore | None]:
        """As _snapshot gives it: the snapshot, "index", none indexed, the store."""
        return self.snap, "index", 0, self.store


def _store(key: list[str], index_dir: Path | None) -> IndexStore:
    from stancecli.cachedir import index_path

    return IndexStore(Path(index_path(key, index_dir)), in_cache=index_dir is None)


def _first_want(limit: int, exact: bool) -> int:
    """How many ranked candidates to ask for first (see _ranked_hits)."""
    return 0 if not limit else (limit + 1 if not exact else limit * EXACT_POOL + EXACT_EXTRA)


def _snapshot(files, key, index_dir, use_index, progress, notes
              ) -> tuple[Snapshot, str, int, IndexStore | None]:
    if not _uses_index(files, index_dir, use_index):
        return memory_snapshot(files), "memory", len(files), None
    try:
        store = _store(key, index_dir)
        snap = store.sync(files, progress)
    except OSError as exc:  # no safe cache, a read-only or full disk: search without keeping an index
        where = index_dir or "the cache"
        why = str(exc) if isinstance(exc, CacheUnavailable) else (exc.strerror or str(exc))
        notes.append(f"could not keep the search index in {where} ({why}); searched without it")
        return memory_snapshot(files), "memory", len(files), None
    return snap, "index", store.last_sync.indexed, store


def _allowed_slots(snap: Snapshot, only: Collection[Path]) -> dict[int, set[int]]:
    wanted = {os.path.abspath(p) for p in only}
    return {
        id(seg): {slot for slot, p in enumerate(seg.paths) if p in wanted} for seg in snap.segments
    }


def _ranked_hits(words, typed, snap, files, limit, min_score, exact, context, keep, doc_ids, planned=None
                 ) -> tuple[list[Hit], int, bool]:
    """The hits, how many candidates were dropped as stale, and whether the limit cut some off.

    One more than `limit` is asked for, to know whether the limit cut anything; candidates
    dropped (a file changed since indexing, an --exact spelling that differs) are replaced
    by asking for more.
    """
    shown = files.shown_paths()  # no object per file while the index is fresh
    ids = {os.path.abspath(p): d for p, d in (doc_ids or {}).items()}
    if planned is not None:  # planned and ranked while the files were listed
        terms, first, want = planned
    else:
        terms, first, want = plan(words, snap.vocab, exact), None, _first_want(limit, exact)
    while True:
        ranked = first if first is not None else rank(terms, snap.segments, want, min_score, exact, keep, snap.vocab)
        first = None
        hits, stale = _materialise(ranked, terms, snap, shown, ids, context, typed)
        if not limit:
            return hits, stale, False
        if len(hits) > limit or len(ranked) < want:
            return hits[:limit], stale, len(hits) > limit
        want *= 4


# ---------------------------------------------------------------- query planning


def plan(words: list[str], vocab: Vocab, exact: bool = False) -> list[Term]:
    """Each query word with the vocabulary terms it matches and how well."""
    all_stop = all(w in text.STOPWORDS for w in words)
    terms = []
    for w in words:
        stop = w in text.STOPWORDS and not all_stop
        exps = _exact(w, vocab) if exact or stop else expand(w, vocab)
        terms.append(Term(w, float(len(w)), stop, exps))
    return terms


def _exact(word: str, vocab: Vocab) -> list[tuple[int, float]]:
    tid = vocab.lookup(word)
    return [] if tid is None else [(tid, 1.0)]


def expand(word: str, vocab: Vocab) -> list[tuple[int, float]]:
    """Vocabulary terms matching `word`: itself, inflections, compounds, typos."""
    found: dict[int, float] = dict(_exact(word, vocab))
    own = next(iter(found), None)
    root = vocab.stem_of(own) if own is not None else _root(word, vocab)
    if len(root) >= 3:
        _compounds(word, root, vocab, found)
    if len(word) >= 5 and not any(q >= 0.93 for q in found.values()):
        for tid, quality in _typos(word, root, vocab):
            if quality > found.get(tid, 0.0):
                found[tid] = quality
    best = sorted(found.items(), key=itemgetter(0))
    best.sort(key=itemgetter(1), reverse=True)  # stable: ties stay in id order
    return best[:MAX_EXPANSIONS]


def _compounds(word: str, root: str, vocab: Vocab, found: dict[int, float]) -> None:
    """Add the terms holding `root`: inflections (one stem), compounds.

    Shortest terms first: past the lengths an inflection can have, a longer compound has a lower
    quality, so once MAX_EXPANSIONS terms are better than any longer one could be, the rest
    (thousands, for a common word in a large vocabulary) cannot enter the expansions.
    """
    listed = vocab.with_stem(root)
    same_stem = set(listed) if listed is not None else None
    if same_stem is not None:  # inflections of any length, before the walk by length
        for tid in same_stem:
            term = vocab.term(tid)
            if root in term:
                _keep(found, tid, _relation(word, root, term, True))
    longest_inflection = max(len(root), len(word)) + MAX_ENDING
    # One pass over the terms costs least when few match, unless a trigram table lists them by length.
    few = None if vocab.walks_by_length else vocab.containing(root, WALK_ALL_BELOW)
    walk = [(0, few)] if few is not None else vocab.containing_by_length(root)
    tally: Counter[float] | None = None  # found's qualities, counted once the inflections are past
    prefixed: int | None = None  # the longest term that begins with root, looked up once it can matter
    looked_up = False
    for length, terms in walk:
        if same_stem is not None and length > longest_inflection:
            tally = tally if tally is not None else Counter(found.values())
            if not looked_up and len(found) >= MAX_EXPANSIONS:
                prefixed, looked_up = vocab.longest_starting(root), True
            if _settled(tally, root, word, length, prefixed):
                return
            _keep_compounds(found, tally, word, root, terms, same_stem)
            continue
        for tid, term in terms:
            if same_stem is not None and tid in same_stem:
                continue
            same = same_stem is None and vocab.stem_of(tid) == root
            _keep(found, tid, _relation(word, root, term, same))


def _keep(found: dict[int, float], tid: int, quality: float) -> None:
    if quality > found.get(tid, 0.0):
        found[tid] = quality


def _keep_compounds(found: dict[int, float], tally: Counter[float], word: str, root: str,
                    terms: list[tuple[int, str]], skip: Collection[int]) -> None:
    """_relation() of terms too long to be the word or an inflection of it, those of one stem
    left out: compounds, whose quality hangs only on their length and on where `root` stands
    (worked out as _compound_quality() does, in bulk)."""
    if len(word) < 4:
        return
    share = COMPOUND_SHARE * len(root)
    if len(root) >= MIN_COMPOUND_PART:
        fresh = {tid: (COMPOUND_PREFIX if term.startswith(root) else COMPOUND_PART) + share / len(term)
                 for tid, term in terms if tid not in skip}
    else:  # only a compound that begins with a short word counts
        fresh = {tid: COMPOUND_PREFIX + share / len(term) for tid, term in terms
                 if tid not in skip and term.startswith(root)}
    for tid in fresh.keys() & found.keys():  # none when each term is walked once: kept for safety
        quality, before = fresh.pop(tid), found[tid]
        if quality > before:
            found[tid] = quality
            tally[quality] += 1
            tally[before] -= 1
    found.update(fresh)
    tally.update(fresh.values())


def _settled(tally: Counter[float], root: str, word: str, length: int, prefixed: int | None) -> bool:
    """Whether MAX_EXPANSIONS terms (their qualities counted in `tally`) already beat every
    compound of `length` letters or more; none of those begins with `root` when `length` is
    past `prefixed`, the longest term that does (None: unknown)."""
    begins = prefixed is None or length <= prefixed
    best_longer = _compound_quality(root, length, prefix=begins) if len(word) >= 4 else 0.0
    return sum(n for quality, n in tally.items() if quality > best_longer) >= MAX_EXPANSIONS


def _compound_quality(root: str, length: int, prefix: bool) -> float:
    share = COMPOUND_SHARE * len(root) / length
    if prefix:
        return COMPOUND_PREFIX + share
    return COMPOUND_PART + share if len(root) >= MIN_COMPOUND_PART else 0.0


def _root(word: str, vocab: Vocab) -> str:
    """The stem of a word the sources do not hold, from the stems they do hold.

    `tiltakenes` has the stem of `tiltak` when stripping an ending leaves a stem
    of the vocabulary; otherwise (most likely a typo) the word stands for itself.
    This keeps the Snowball stemmer, and its import, off the query path.
    """
    for cut in range(min(5, len(word) - 3), 0, -1):
        if word[-cut:] in text.INFLECTIONS and vocab.has_stem(word[:-cut]):
            return word[:-cut]
    return word


def _relation(word: str, root: str, term: str, same_stem: bool) -> float:
    if term == word:
        return 1.0
    if same_stem or term == root:
        return SAME_STEM
    # An inflection adds an ending of a few letters: longer compounds skip the checks.
    if len(term) <= max(len(root), len(word)) + MAX_ENDING and (
            text.is_inflection(term, root) or text.is_inflection(term, word) or text.is_inflection(word, term)):
        return SAME_STEM
    if len(word) < 4:
        return 0.0
    return _compound_quality(root, len(term), prefix=term.startswith(root))


def _typos(word: str, root: str, vocab: Vocab) -> list[tuple[int, float]]:
    """Terms a few edits from `word`, or whose stem is: 1 edit below 8 letters, else 2."""
    allowed = 1 if len(word) < 8 else 2
    near = vocab.near(word, allowed) if root == word else None
    if near is None:
        return _typos_everywhere(word, root, vocab, allowed)
    if len(word) < 5:
        return []
    words, ids_of = near
    out: dict[int, float] = {}
    for k, dist in _within(word, words, allowed):
        quality = 0.9 * (1 - (0.5 if dist == 0 else dist) / len(word))
        for tid in ids_of(k):
            if quality > out.get(tid, 0.0):
                out[tid] = quality
    return list(out.items())


def _within(word: str, words: list[str], reach: int) -> list[tuple[int, int]]:
    """(k, edits) for each of `words` at most `reach` edits (Levenshtein) from `word`: in C when
    built (importing rapidfuzz would cost a typo query more than the scan), else by rapidfuzz."""
    if _grams is not None and len(word) <= MAX_C_TYPO_WORD and reach <= MAX_C_TYPO_WORD:
        return _grams.within(word, words, reach)
    from rapidfuzz import process
    from rapidfuzz.distance import Levenshtein

    return [(k, dist) for _, dist, k in
            process.extract(word, words, scorer=Levenshtein.distance, score_cutoff=reach, limit=None)]


def _typos_everywhere(word: str, root: str, vocab: Vocab, allowed: int) -> list[tuple[int, float]]:
    """The same over every term and stem: an in-memory vocabulary has no length table."""
    out: dict[int, float] = {}
    for probe, choices in ((word, vocab.all_terms()), (root, vocab.all_stems())):
        if len(probe) < 5:
            continue
        for tid, dist in _within(probe, choices, allowed):
            # Same stem as a misspelling's stem: still not the word typed.
            edits = 0.5 if dist == 0 and probe is root else float(dist)
            quality = 0.9 * (1 - edits / max(len(probe), 1))
            out[tid] = max(out.get(tid, 0.0), quality)
    return list(out.items())


# ----------------------------------------------------------------------- ranking


def rank(
    terms: list[Term],
    segments: list[Segment],
    limit: int,
    min_score: float = 0.0,
    exact: bool = False,
    keep: Mapping[int, set[int]] | None = None,
    vocab: Vocab | None = None,
) -> list[_Ranked]:
    """The best sentences, highest score first (ties in index order)."""
    if len(terms) == 1 and not exact:
        return _rank_word(terms[0], segments, limit, min_score, keep)
    if exact or vocab is None:
        return _places(_rank_phrase(terms, segments, limit, min_score, exact, keep), limit, segments)
    pool = _rank_phrase(terms, segments, limit and limit * RERANK_POOL + 40, 0.0, False, keep)
    return _places(_rerank(pool, terms, segments, vocab, min_score), limit, segments)


class _Run:
    """Where one sentence text stands in one segment: its live sentences, listed only when
    asked for, so a sentence repeated in thousands of documents costs nothing until its
    places are shown."""

    __slots__ = ("si", "first", "live", "uid")

    def __init__(self, si: int, first: int, live: _Live, uid: int):
        self.si = si
        self.first = first  # its first live sentence id in the segment
        self.live = live
        self.uid = uid  # its distinct text id in the segment

    def __iter__(self):
        return zip(itertools.repeat(self.si), self.live.occurrences(self.uid))


class _Live:
    """The live, wanted sentences of a segment: `ranges` of sentence ids, None for all."""

    def __init__(self, seg: Segment, ranges: list[tuple[int, int]] | None):
        self.seg = seg
        self.ranges = ranges
        self.starts = [a for a, _ in ranges or ()]
        self.ends = [b for _, b in ranges or ()]

    def occurrences(self, uid: int) -> Iterable[int]:
        """The live sentences holding text `uid`, ascending: by slicing per range, or by a test
        per sentence, whichever takes fewer steps."""
        occ = self.seg.occurrences(uid)
        ranges = self.ranges
        if ranges is None:
            return occ
        if len(ranges) <= len(occ):
            return itertools.chain.from_iterable(
                occ[bisect.bisect_left(occ, a):bisect.bisect_left(occ, b)] for a, b in ranges)
        return filter(self._inside, occ)

    def _inside(self, sid: int) -> bool:
        k = bisect.bisect_right(self.starts, sid) - 1
        return k >= 0 and sid < self.ends[k]

    def first(self, uid: int) -> int | None:
        if self.ranges is None:
            return self.seg.first_of(uid)
        return next(iter(self.occurrences(uid)), None)


class _Sentence:
    """One sentence text, scored once, and every place it stands."""

    __slots__ = ("score", "runs", "positions", "tie")

    def __init__(self, score: float, runs: list[_Run], positions: tuple[int, ...]):
        self.score = score
        self.runs = runs  # one per segment it stands in, in segment order
        self.positions = positions
        self.tie = 0.0  # the word-level score, once reranked


def _place_key(segments: Sequence[Segment], place: tuple[int, int]) -> tuple[str, int]:
    """Where a sentence stands as (file, sentence number in it): the same in a fresh index
    and in one updated file by file, so ties are ordered the same way in both."""
    seg = segments[place[0]]
    slot = seg.slot_of(place[1])
    return seg.paths[slot], place[1] - seg.docs[slot]


class _Later:
    """A place that sorts backwards: in a min-heap of the best, ties evict the later place.

    Its (file, sentence) key is worked out only when a tie needs it.
    """

    __slots__ = ("segments", "place", "_key")

    def __init__(self, segments: Sequence[Segment], place: tuple[int, int]):
        self.segments = segments
        self.place = place
        self._key: tuple[str, int] | None = None

    @property
    def key(self) -> tuple[str, int]:
        if self._key is None:
            self._key = _place_key(self.segments, self.place)
        return self._key

    def __lt__(self, other: _Later) -> bool:
        return self.key > other.key

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Later) and self.key == other.key


def _places(found: list[_Sentence], limit: int, segments: Sequence[Segment]) -> list[_Ranked]:
    """Every place of each sentence, best sentence first (equals by where they first stand),
    until `limit` are taken: where a sentence stands is looked up only for the scores reached."""
    out: list[_Ranked] = []

    def key(place: tuple[int, int]) -> tuple[str, int]:
        return _place_key(segments, place)

    def first(f: _Sentence) -> tuple[str, int]:
        return min((key((r.si, r.first)) for r in f.runs), default=("", 0))

    for _, group in itertools.groupby(sorted(found, key=lambda f: (-f.score, -f.tie)), lambda f: (f.score, f.tie)):
        equals = list(group)
        for f in sorted(equals, key=first) if len(equals) > 1 else equals:
            # Each segment's places are in file order already: merge them, keys only for those taken.
            places = iter(f.runs[0]) if len(f.runs) == 1 else heapq.merge(*f.runs, key=key)
            for place in places:
                if limit and len(out) >= limit:
                    return out
                out.append(_Ranked(f.score, place, f.positions))
    return out


def _rerank(pool: list[_Sentence], terms, segments, vocab: Vocab, min_score: float) -> list[_Sentence]:
    """Order a phrase's candidates by how closely a stretch of each sentence spells the phrase.

    rapidfuzz's partial_ratio compares the query with the best-matching window of the
    sentence, letter by letter: words standing together, in order and in the typed form
    score highest; an inflection or a typo costs a letter or two; words apart do not fit
    one window. The word-level score breaks ties.
    """
    query = " ".join(t.text for t in terms)
    sentences = [segments[f.runs[0].si].tokens(f.runs[0].first) for f in pool]
    out = []
    for f, ratio in zip(pool, _ratios(query, sentences, vocab)):
        score = round(ratio, 1) if ratio is not None else f.score
        if score >= min_score:
            f.tie, f.score = f.score, score
            out.append(f)
    return out


def _ratios(query: str, sentences: list[Sequence[int]], vocab: Vocab) -> list[float | None]:
    """rapidfuzz's partial_ratio of the query against each sentence's words joined by spaces; None
    for a sentence shorter than the query. In C for a query of up to 64 characters when built
    (importing rapidfuzz would cost a phrase search more than the scoring)."""
    if _score is not None and 0 < len(query) <= MAX_C_NEEDLE:
        return _score.partial_ratios(query, *vocab.term_store(), sentences, IndexFormatError)
    from rapidfuzz.fuzz import partial_ratio

    names: dict[int, str] = {}  # a pool's sentences share most of their words
    out: list[float | None] = []
    for toks in sentences:
        for tid in set(toks).difference(names):
            names[tid] = vocab.term(tid)
        body = " ".join(map(names.__getitem__, toks))
        out.append(partial_ratio(query, body) if len(body) >= len(query) else None)
    return out


def _filter(seg: Segment, keep: Mapping[int, set[int]] | None) -> Callable[[int], bool] | None:
    """A test for sentences in live, wanted documents; None when all are."""
    wanted = keep.get(id(seg)) if keep is not None else None
    if not seg.dead and wanted is None:
        return None
    slots = set(wanted if wanted is not None else range(len(seg.paths))) - seg.dead
    ranges = sorted(seg.slot_range(s) for s in slots)
    starts = [a for a, _ in ranges]

    def ok(sid: int) -> bool:
        k = bisect.bisect_right(starts, sid) - 1
        return k >= 0 and sid < ranges[k][1]

    return ok


def _rank_word(term: Term, segments, limit, min_score, keep) -> list[_Ranked]:
    """One word: walk the postings best match first; stop once `limit` are found."""
    out: list[_Ranked] = []
    tiers: dict[float, list[int]] = {}
    for tid, quality in term.expansions:
        tiers.setdefault(quality, []).append(tid)
    filters = [_filter(seg, keep) for seg in segments]
    seen: set[tuple[int, int]] = set()
    for quality in sorted(tiers, reverse=True):
        score = round(100 * quality, 1)
        if score < min_score or (limit and len(out) >= limit):
            break
        streams = []
        for si, seg in enumerate(segments):
            lists = [seg.postings(tid) for tid in tiers[quality]]
            uids = iter(lists[0]) if len(lists) == 1 else _merge_unique(lists)
            streams.append(zip(itertools.repeat(si), _sentences_of(seg, uids)))
        # Ties in file order across segments, as a fresh index would list them.
        merged = streams[0] if len(streams) == 1 else heapq.merge(
            *streams, key=lambda place: _place_key(segments, place))
        for si, sid in merged:
            ok = filters[si]
            if (ok is None or ok(sid)) and (si, sid) not in seen:
                seen.add((si, sid))
                out.append(_Ranked(score, (si, sid)))
                if limit and len(out) >= limit:
                    break
    return out


def _merge_unique(lists):
    last = -1
    for sid in heapq.merge(*lists):
        if sid != last:
            yield sid
            last = sid


def _sentences_of(seg: Segment, uids: Iterator[int]) -> Iterator[int]:
    """The sentences holding any of the texts `uids` (ascending), in order, lazily.

    Texts are numbered in the order they first occur, so the next text's first sentence
    comes after those of every text before it: a text's sentences join the merge only once
    the merge reaches its first one, and a word held by many texts costs little per hit.
    """
    occ, ooff = seg.occ, seg.ooff
    heap: list[tuple[int, int, int]] = []
    nxt = next(uids, None)
    while True:
        while nxt is not None and (not heap or occ[ooff[nxt]] < heap[0][0]):
            a, b = ooff[nxt], ooff[nxt + 1]
            heapq.heappush(heap, (occ[a], a, b))
            nxt = next(uids, None)
        if not heap:
            return
        sid, a, b = heap[0]
        if nxt is None and len(heap) == 1:
            yield from occ[a:b]
            return
        yield sid
        if a + 1 < b:
            heapq.heapreplace(heap, (occ[a + 1], a + 1, b))
        else:
            heapq.heappop(heap)


def _phrase_plan(terms, exact: bool) -> tuple[float, list[tuple[float, tuple[int, ...]]], float]:
    """What ranking a phrase needs besides the index: the phrase's worth, its groups, and what
    words outside every group could add to a text's score (groups take the first ten)."""
    total = sum(t.weight for t in terms)
    content = [i for i, t in enumerate(terms) if not t.stop]
    stop_weight = sum(t.weight for t in terms if t.stop)
    groups = _groups(terms, content, stop_weight, total, exact)
    return total, groups, stop_weight + sum(terms[i].weight * terms[i].best for i in content[MAX_GROUPED:])


def _rank_phrase(terms, segments, limit, min_score, exact, keep) -> list[_Sentence]:
    """Several words: score candidate sentences, most promising groups first.

    Sentences are grouped by which content words they hold; a group's best
    possible score bounds every sentence in it, so the search stops as soon as
    the best sentences found so far beat the next group's bound. Postings list
    distinct sentence texts, so the work grows with the distinct texts holding the
    words, not with the documents repeating them; a text is scored once.

    In C when built (_score.rank_phrase, step for step _rank_phrase_py).
    """
    if exact and any(not t.expansions for t in terms):
        return []
    if _score is None:
        return _rank_phrase_py(terms, segments, limit, min_score, exact, keep)
    total, groups, extra = _phrase_plan(terms, exact)
    lives = [_Live(seg, _live_ranges(seg, keep)) for seg in segments]
    specs = [(seg.dir, seg.post, seg.toff, seg.fwd, seg.ooff, seg.occ, seg.docs, seg.uhash, seg.paths, live.ranges)
             for seg, live in zip(segments, lives)]
    found = _score.rank_phrase(
        specs, [list(t.expansions) for t in terms], [t.weight for t in terms], groups, extra, total, limit,
        min_score, exact, MAX_SCORED, GAP_COST, LOOSE_SHARE, ROUNDING_SLACK, IndexFormatError)
    return [_Sentence(score, [_Run(si, sid, lives[si], uid) for si, sid, uid in runs], positions)
            for score, _key, positions, runs in found]


def _rank_phrase_py(terms, segments, limit, min_score, exact, keep) -> list[_Sentence]:
    """_rank_phrase in Python."""
    total, groups, extra = _phrase_plan(terms, exact)
    matching: dict[int, list[tuple[int, float]]] = {}
    for i, t in enumerate(terms):
        for tid, q in t.expansions:
            matching.setdefault(tid, []).append((i, q))
    emap = {tid: tuple(pairs) for tid, pairs in matching.items()}  # _score.chain takes tuples as they are
    # The best `limit` distinct sentence texts so far, worst on top, and where each stands:
    # a sentence repeated in many documents is scored once and takes one place.
    heap: list[tuple[float, _Later, int]] = []
    where: dict[int, list[_Run]] = {}
    memo: dict[int, tuple[float, tuple[int, ...]]] = {}
    scorer = _exact_chain if exact else _chain
    weights = [t.weight for t in terms]
    for si, seg in enumerate(segments):
        live = _Live(seg, _live_ranges(seg, keep))
        sets: dict[int, set[int]] = {}
        seen: set[int] = set()
        uhash = seg.uhash
        held = _held(seg, terms)
        for bound, members in groups:
            floor = max(min_score, heap[0][0] if limit and len(heap) >= limit else 0.0)
            if bound < floor or bound <= 0 or len(memo) >= MAX_SCORED:
                break
            found = _members(seg, held, members, sets, seen)
            if live.ranges is None:  # texts are numbered in order of first occurrence
                firsts = [(seg.first_of(uid), uid) for uid in found]
            else:
                firsts = sorted((sid, uid) for uid in found if (sid := live.first(uid)) is not None)
            tops = None
            if limit and not exact and len(firsts) > limit:
                tops = _text_bounds(seg, terms, held, members, [uid for _, uid in firsts], extra, total)
                firsts.sort(key=lambda place: -tops[place[1]])  # stable: ties stay in file order
            for sid, uid in firsts:
                key = uhash[uid]
                run = _Run(si, sid, live, uid)
                runs = where.get(key)
                if runs is not None:
                    runs.append(run)
                    continue
                if tops is not None:
                    full = len(heap) >= limit
                    if tops[uid] < min_score or (full and tops[uid] < heap[0][0]):
                        break  # this text and every one after it score below the best found so far
                    if full and tops[uid] == heap[0][0] and heap[0][1].key <= _place_key(segments, (si, sid)):
                        continue  # at best a tie with the last of the best, and it stands later
                got = memo.get(key)
                if got is None:
                    if len(memo) >= MAX_SCORED:
                        break
                    got = memo[key] = scorer(seg.text_tokens(uid), emap, weights, total)
                if got[0] <= 0 or got[0] < min_score or (limit and len(heap) >= limit and got[0] < heap[0][0]):
                    continue
                item = (got[0], _Later(segments, (si, sid)), key)
                if not limit or len(heap) < limit:
                    heapq.heappush(heap, item)
                elif item > heap[0]:
                    del where[heapq.heapreplace(heap, item)[2]]
                else:
                    continue
                where[key] = [run]
    return [_Sentence(score, where[key], memo[key][1]) for score, _, key in heap]


def _live_ranges(seg: Segment, keep: Mapping[int, set[int]] | None) -> list[tuple[int, int]] | None:
    """The sentence id ranges of live, wanted documents, contiguous ones joined; None when all are."""
    wanted = keep.get(id(seg)) if keep is not None else None
    if not seg.dead and wanted is None:
        return None
    slots = sorted(set(wanted if wanted is not None else range(len(seg.paths))) - seg.dead)
    out: list[tuple[int, int]] = []
    for s in slots:
        a, b = seg.slot_range(s)
        if out and out[-1][1] == a:
            out[-1] = (out[-1][0], b)
        else:
            out.append((a, b))
    return out


def _groups(terms, content, stop_weight, total, exact) -> list[tuple[float, tuple[int, ...]]]:
    """Subsets of content words, by the best score a sentence holding them could get."""
    if exact:
        return [(100.0, tuple(content) or tuple(range(len(terms))))]
    k = min(len(content), MAX_GROUPED)
    out = []
    for size in range(k, 0, -1):
        for members in combinations(content[:k], size):
            bound = sum(terms[i].weight * terms[i].best for i in members) + stop_weight
            out.append((round(100 * min(1.0, bound / total), 1), members))
    out.sort(key=lambda g: -g[0])
    return out


class _Held:
    """Per query word, the forms of it that texts of one segment hold (best first, as the
    word's expansions are), and how many texts hold them: a word of a large vocabulary has
    hundreds of forms, and most are absent from any one segment."""

    __slots__ = ("forms", "sizes")

    def __init__(self, forms: list[list[tuple[int, float]]], sizes: list[int]):
        self.forms, self.sizes = forms, sizes


def _held(seg: Segment, terms) -> _Held:
    forms, sizes = [], []
    for t in terms:
        counts = [(tid, quality, seg.posting_count(tid)) for tid, quality in t.expansions]
        forms.append([(tid, quality) for tid, quality, n in counts if n])
        sizes.append(sum(n for _, _, n in counts))
    return _Held(forms, sizes)


def _text_bounds(seg: Segment, terms, held: _Held, members, uids: list[int], extra: float,
                 total: float) -> dict[int, float]:
    """The most each text could score, from the best-matching form of each word it holds,
    rounded as scores are: a text whose bound is below the worst of the best found so far
    (or equal to it, standing later) is passed over unscored."""
    value = dict.fromkeys(uids, extra)
    for i in members:
        weight, left = terms[i].weight, set(uids)
        for tid, quality in held.forms[i]:  # best first: a text takes its best form's quality
            hit = left.intersection(seg.postings(tid))
            if hit:
                left -= hit
                for uid in hit:
                    value[uid] += weight * quality
                if not left:
                    break
    return {uid: round(100 * min(1.0, v / total) + ROUNDING_SLACK, 1) for uid, v in value.items()}


def _members(seg: Segment, held: _Held, members, sets, seen) -> list[int]:
    """Distinct texts of `seg` holding every word in `members` not already scored, ascending.

    The rarest word's sentences become a set; a common word's postings are only
    streamed through it (in C), never made into a set of their own.
    """
    order = sorted(members, key=held.sizes.__getitem__)
    found = sets.get(order[0])
    if found is None:
        found = sets[order[0]] = set[int]()
        for tid, _ in held.forms[order[0]]:
            found.update(seg.postings(tid))
    found = found - seen
    for i in order[1:]:
        if not found:
            break
        if i in sets:
            found &= sets[i]
            continue
        kept: set[int] = set()
        for tid, _ in held.forms[i]:
            kept |= found.intersection(seg.postings(tid))
        found = kept
    seen |= found
    return sorted(found)


def _chain(toks, emap, weights, total) -> tuple[float, tuple[int, ...]]:
    """Score of the best in-order chain of matched words (the terms' `weights`), and its
    positions (in C when built: the chain is most of a phrase's ranking)."""
    if _score is None:
        return _chain_py(toks, emap, weights, total)
    got = _score.chain(toks, emap, weights, GAP_COST)
    if got is None:
        return 0.0, ()
    value, positions, loose = got
    return _chain_score(value + LOOSE_SHARE * loose, total), positions


def _chain_py(toks, emap, weights, total) -> tuple[float, tuple[int, ...]]:
    """_chain in Python: each matched word, the best chain ending there, then the best of those."""
    matches = []
    for p, tid in enumerate(toks):
        for i, q in emap.get(tid, ()):
            matches.append((p, i, weights[i] * q))
    if not matches:
        return 0.0, ()
    best: list[float] = []
    back: list[int] = []
    for k, (p, i, v) in enumerate(matches):
        b, bj = v, -1
        for j in range(k):
            pj, ij, _ = matches[j]
            if pj < p and ij < i:
                extra = (p - pj) - (i - ij)
                cand = best[j] + v - GAP_COST * max(0, extra)
                if cand > b:
                    b, bj = cand, j
        best.append(b)
        back.append(bj)
    k = max(range(len(matches)), key=lambda x: (best[x], -x))
    chain, used = [], set()
    value = best[k]
    while k >= 0:
        chain.append(matches[k][0])
        used.add(matches[k][1])
        k = back[k]
    loose: dict[int, float] = {}
    for _p, i, v in matches:
        if i not in used and v > loose.get(i, 0.0):
            loose[i] = v
    loose_sum = 0.0
    for v in loose.values():  # as _score.chain adds them (sum() compensates from Python 3.12 on)
        loose_sum += v
    return _chain_score(value + LOOSE_SHARE * loose_sum, total), tuple(sorted(chain))


def _chain_score(value: float, total: float) -> float:
    """A chain's value as the score shown: its share of the phrase's worth, 0-100, one decimal."""
    return round(100 * min(1.0, value / total), 1)


def _exact_chain(toks, emap, weights, total) -> tuple[float, tuple[int, ...]]:
    """100 when the words stand side by side in query order, else 0."""
    n = len(weights)
    first = [p for p, tid in enumerate(toks) if any(i == 0 for i, _ in emap.get(tid, ()))]
    for p in first:
        if p + n <= len(toks) and all(
            any(i == k for i, _ in emap.get(toks[p + k], ())) for k in range(n)
        ):
            return 100.0, tuple(range(p, p + n))
    return 0.0, ()


# ----------------------------------------------------------------- hits to show


class _Stale(Exception):
    """A sentence whose file changed after it was indexed."""


def _materialise(ranked, terms, snap, shown, ids, context, typed) -> tuple[list[Hit], int]:
    from stancecli.corpus import Source, SourceError
    from stancecli.search.index import read_text

    cache: dict[str, Source | None] = {}
    emap = {tid for t in terms for tid, _ in t.expansions}
    hits = []
    stale = 0
    for r in ranked:
        si, sid = r.order
        seg = snap.segments[si]
        key = seg.paths[seg.slot_of(sid)]
        if key not in cache:
            try:
                cache[key] = read_text(Path(key))
            except SourceError:
                cache[key] = None
        src = cache[key]
        if src is None:
            stale += 1
            continue
        try:
            hit = _hit(r, seg, sid, src, emap, key, shown, ids, context, typed)
        except _Stale:
            stale += 1
            continue
        if hit is not None:
            hits.append(hit)
    return hits, stale


PREPARE_MARGIN = 128  # characters around a sentence that decide its line-end hyphens (text.prepare)


def _prepared(body: str, start: int, end: int) -> str:
    """body[start:end] as text.prepare marks it, preparing only a window around it."""
    a = max(0, start - PREPARE_MARGIN)
    return text.prepare(body[a:end + PREPARE_MARGIN])[start - a:end - a]


def _hit(r, seg, sid, src, emap, key, shown, ids, context, typed) -> Hit | None:
    start, end = seg.span(sid)
    if end > len(src.text):
        raise _Stale
    chunk = _prepared(src.text, start, end)
    spans = text.token_bounds(chunk)
    toks = seg.tokens(sid)
    if len(spans) != len(toks):
        raise _Stale
    positions = r.positions or tuple(p for p, tid in enumerate(toks) if tid in emap)
    if typed and not _same_words(chunk, spans, positions, typed):
        return None
    marks = _merge(chunk, [(spans[p][0], spans[p][1]) for p in positions])
    sentence, where = text.one_line(chunk)
    first, last = start + marks[0][0], start + marks[-1][1] - 1
    (line, col), (end_line, end_col) = src.line_col(first), src.line_col(last)
    return Hit(
        score=r.score,
        path=Path(shown.get(key, key)),
        doc_id=ids.get(key),
        line=line,
        col=col,
        end_line=end_line,
        end_col=end_col,
        sentence=sentence,
        match_spans=tuple((where[a], where[b]) for a, b in marks),
        context_before=_context(src, start, -1, context),
        context_after=_context(src, end - 1, 1, context),
    )


def _same_words(chunk: str, spans, positions, typed: list[str]) -> bool:
    """--exact: the words as typed, save case and layout (no æ/ø/å folding)."""
    found = [chunk[spans[p][0]:spans[p][1]].replace(text.JOINER, "").lower() for p in positions]
    return found == typed


def _merge(chunk: str, marks: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Join marks that only layout separates, so a phrase lights up as one."""
    out: list[tuple[int, int]] = []
    for a, b in sorted(marks):
        if out and (not chunk[out[-1][1]:a].strip(" \t\n-" + text.JOINER)):
            out[-1] = (out[-1][0], b)
        else:
            out.append((a, b))
    return out


def _context(src, offset: int, step: int, n: int) -> tuple[tuple[int, str], ...]:
    """Up to n non-blank source lines before (step -1) or after (step 1) the line of `offset`.

    Blank lines are skipped: some PDF extractions put one after every line.
    """
    if n <= 0:
        return ()  # without listing the source's line starts
    out: list[tuple[int, str]] = []
    k = src.line_of(offset) + step
    while len(out) < n and 1 <= k <= src.line_count:
        body = src.line(k).rstrip()
        if body.strip():
            out.append((k, body))
        k += step
    return tuple(reversed(out)) if step < 0 else tuple(out)
