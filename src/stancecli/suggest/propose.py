"""Stance proposals: for each issue, a stance or not-addressed, with the quotes that carry it.

How a proposal is made (docs/benchmarks.md, "Stance proposals", has what it scores):

1. The source is prepared once (stancecli.suggest.text): sentences, words, stems.
2. Each issue's names (aliases, Norwegian title) and, with less weight, its proposal's
   content words are looked up: Norwegian words by stem and as parts of compounds
   ("anbud" finds "anbudsutsetting"); English names only as whole words, never
   fuzzily ("tendering" must not find "endringer").
3. A sentence is relevant by the weight of the names it holds; a short verdict right
   after a sentence that names the issue ("Dette støttes fullt ut.") and the items of
   a list under "FO er imot:" inherit from their neighbour.
4. Sentences that report another actor go to `reported`; the document's own
   sentences are read for cues (stancecli.suggest.cues), and the strongest carry the
   proposal.
"""

from __future__ import annotations

import dataclasses
import heapq
import math
import re
from dataclasses import dataclass, field

from stancecli.corpus import Source
from stancecli.model import ABSENT, Dataset, Issue
from stancecli.suggest import cues as cue_module
from stancecli.suggest.speakers import Speaker, SpeakerFinder
from stancecli.suggest.text import Prepared, prepare, quote_of

NAME_WEIGHT = 1.0
TITLE_WORD_WEIGHT = 0.6
PROPOSAL_WEIGHT = 0.25
EXTRA_TERM_FACTOR = 0.35     # each further distinct term adds this share of its weight
MIN_PREFIX_STEM = 4          # "anbud" -> "anbudsutsetting"
COMPOUND_STRENGTH = 0.8      # a compound holding a name counts this much of the name
MIN_DERIVED_STEM = 11        # ... and words this long match their derivations
DERIVED_ENDING = 3
MIN_INFIX_STEM = 6           # "kompetanse" inside "sosialfagligkompetanse"
ADDRESSED_AT = 0.9           # relevance a sentence with a stance cue needs for the issue to count as addressed
NAMED_WITHOUT_CUE_AT = 1.5   # ... or any sentence of the document's own
CANDIDATE_AT = 0.3
VERDICT_AFTER_AT = 0.6       # relevance of a sentence whose short successor may carry its verdict
VERDICT_SHARE = 0.9          # what a short verdict inherits from the sentence before it
VERDICT_MAX_WORDS = 14
CUE_BONUS = 0.2
EXPLICIT_CUE_BONUS = 0.5
MIN_QUOTE_WORDS = 3
MAX_READ = 60                # sentences read for cues per issue, most relevant first
CEILING_POOL = 10 * MAX_READ  # sentences scored exactly per issue, by the most they could score
MAX_LIST_ITEMS = 40
RANK_WEIGHTS = (1.0, 0.5, 0.25)  # the best sentence with a cue counts most
NO_CUE_CONFIDENCE = 0.3
# Not addressed: from 0.55 (a sentence almost names it with a stance) to 0.85 (nothing names it).
ABSENT_CONFIDENCE_FLOOR = 0.55
ABSENT_CONFIDENCE_SPAN = 0.3
DISAGREEMENT_FACTOR = 0.7
LABELS = ((1.5, "strongly-for"), (0.25, "for"), (-0.25, "mixed"), (-1.5, "against"))

# Words too general to tell issues apart, though issue titles and proposals use them.
GENERIC = frozenset(
    """nav tiltak tiltakene tiltaket tiltaksarrangører tiltaksarrangør arbeidsmarkedstiltak
    bruker brukere brukerne skal være ikke kontor kontorene nav-kontorene nav-kontor
    arbeid arbeidet arbeidsmarkedstjenester tjenester stedet framfor fremfor selv dem
    gjennom også eller uten bare alle andre slik""".split()
)
_WORD = re.compile(r"[^\W\d_]+|\d+")
_NORWEGIAN_LETTERS = re.compile("[æøå]")


@dataclass
class Candidate:
    """A passage offered for a proposal, verbatim from the source (Source.find finds it)."""

    quote: str
    line: int
    end_line: int
    score: float
    matched: list[str] = field(default_factory=list)
    speaker: str | None = None           # None: the document's own words; else who speaks
    speaker_ids: list[str] = field(default_factory=list)   # the dataset's organisations among them
    stance: str | None = None            # for a reported sentence: the stance its cues suggest


@dataclass
class Proposal:
    """A proposed coding of one issue in one document, for a person to confirm.

    `quotes` are the document's own sentences that carry the stance, best first; for a
    not-addressed proposal they are the best weak candidates (often none), in case the
    person overrules it. `reported` are other actors' views on the issue in the document,
    context only: sentences that report another actor, and sentences of the document's own
    that refer to another's view ("Vi støtter Ekspertgruppens forslag", also in `quotes`).
    """

    issue: str
    stance: str                          # a key of STANCES, or ABSENT
    confidence: float                    # 0..1
    quotes: list[Candidate]
    reported: list[Candidate]
    reasons: list[str]


@dataclass(frozen=True)
class Term:
    words: tuple[str, ...]
    weight: float
    exact: bool                          # English or unknown: whole words only
    label: str


# ---------------------------------------------------------------- terms

def issue_terms(issue: Issue, specificity: dict[str, float] | None = None) -> list[Term]:
    """What names an issue, with weights: aliases and title fully, the proposal's words less."""
    nb_words = {w for t in (issue.title.nb, issue.proposal.nb) for w in _words(t)}
    out: dict[tuple[str, ...], Term] = {}

    def add(text: str, weight: float) -> None:
        words = tuple(w for w in _words(text))
        if not words:
            return
        exact = not _is_norwegian(text, words, nb_words)
        if len(words) == 1 and words[0] in GENERIC:
            return
        spec = min((specificity or {}).get(w, 1.0) for w in words)
        term = Term(words, weight * spec, exact, " ".join(text.split()))
        if words not in out or out[words].weight < term.weight:
            out[words] = term

    for alias in issue.aliases:
        add(alias, NAME_WEIGHT)
    add(issue.title.nb, NAME_WEIGHT)
    key_words = {w for w in issue.key.split("-") if len(w) > 3}
    for word in _words(issue.title.nb):
        if len(word) > 3:
            # A title word that heads an alias ("anbud" in "anbudsutsetting") names the issue.
            heads = word in key_words or (len(word) >= 5 and any(
                len(a.split()) == 1 and a != word and a.startswith(word) for a in issue.aliases))
            add(word, NAME_WEIGHT if heads else TITLE_WORD_WEIGHT)
    from stancecli.search.text import STOPWORDS

    for word in _words(issue.proposal.nb):
        if len(word) > 3 and word not in STOPWORDS:
            add(word, PROPOSAL_WEIGHT)
    return list(out.values())


def _words(text: str) -> list[str]:
    return _WORD.findall(text.lower())


def _is_norwegian(text: str, words: tuple[str, ...], nb_words: set[str]) -> bool:
    if _NORWEGIAN_LETTERS.search(text.lower()):
        return True
    return all(any(w[:5] == n[:5] for n in nb_words) for w in words if len(w) > 2)


def specificity(ds: Dataset) -> dict[str, float]:
    """1 for a word only one codebook issue uses, less the more issues share it."""
    counts: dict[str, int] = {}
    for issue in ds.issues.values():
        if not issue.codebook:
            continue
        names = " ".join([*issue.aliases, issue.title.nb, issue.proposal.nb])
        for w in set(_words(names)):
            counts[w] = counts.get(w, 0) + 1
    return {w: 1.0 / math.sqrt(n) for w, n in counts.items()}


# ---------------------------------------------------------------- matching

class Matcher:
    """Which sentences hold a term; word lookups cached across issues."""

    def __init__(self, doc: Prepared) -> None:
        self.doc = doc
        self._words: dict[tuple[str, bool], dict[str, float]] = {}
        self._sets: dict[int, frozenset[str]] = {}

    def words_for(self, word: str, exact: bool) -> dict[str, float]:
        """The source's words that name a term's word, each with how fully it does: the word or
        an inflection fully, a compound holding it ("bemanningsbransjen" for "bemanning") less."""
        key = (word, exact)
        found = self._words.get(key)
        if found is None:
            found = self._lookup(word, exact)
            self._words[key] = found
        return found

    def _lookup(self, word: str, exact: bool) -> dict[str, float]:
        doc = self.doc
        if exact:
            return {word: 1.0} if word in doc else {}
        from stancecli.search.text import stem_all

        stem = doc.stem_of.get(word) or stem_all([word])[0]
        found = dict.fromkeys(doc.words_with_prefix(stem) if len(stem) >= MIN_PREFIX_STEM else (), COMPOUND_STRENGTH)
        if len(stem) >= MIN_INFIX_STEM:
            found.update(dict.fromkeys(doc.words_containing(stem), COMPOUND_STRENGTH))
        if len(stem) >= MIN_DERIVED_STEM:
            # A long word's derivations share all but its ending ("forhåndsgodkjenning",
            # "forhåndsgodkjennes", "forhåndsgodkjent"), which the stemmer leaves apart.
            found.update(dict.fromkeys(doc.words_with_prefix(stem[:-DERIVED_ENDING]), COMPOUND_STRENGTH))
        found.update((w, 1.0) for w in doc.words_with_prefix(stem[:MIN_PREFIX_STEM]) if doc.stem_of[w] == stem)
        if word in doc:
            found[word] = 1.0
        return found

    def word_set(self, k: int) -> frozenset[str]:
        found = self._sets.get(k)
        if found is None:
            found = self._sets[k] = frozenset(self.doc.words(k))
        return found

    def sentences_with(self, term: Term) -> set[int]:
        """The (first occurrences of) sentences that hold all of the term's words; whether they
        stand together is checked later, for the sentences that could count (phrase_in)."""
        per_word = [self.words_for(w, term.exact) for w in term.words]
        if not all(per_word):
            return set()
        postings = self.doc.postings(w for words in per_word for w in words)
        hits: set[int] | None = None
        for words in per_word:
            ks: set[int] = set()
            for w in words:
                ks.update(postings[w])
            hits = ks if hits is None else hits & ks
        return hits or set()

    def phrase_in(self, k: int, term: Term) -> bool:
        if len(term.words) == 1:
            return True
        return _phrase_at(self.doc.words(k), [self.words_for(w, term.exact) for w in term.words])


def _phrase_at(words: list[str], per_word: list[dict[str, float]]) -> bool:
    n = len(per_word)
    return any(all(words[i + j] in per_word[j] for j in range(n)) for i in range(len(words) - n + 1))


# ---------------------------------------------------------------- proposing

@dataclass
class _Scored:
    k: int
    relevance: float
    matched: list[str]
    reading: cue_module.Reading = field(default_factory=cue_module.Reading)
    speaker: Speaker | None = None
    mentioned: Speaker | None = None     # another actor whose view an own sentence refers to
    referred: bool = False               # offered as that actor's view: its cues are the document's

    @property
    def rank(self) -> float:
        bonus = EXPLICIT_CUE_BONUS if self.reading.explicit else CUE_BONUS if self.reading.has_cue else 0.0
        return self.relevance * (1 + bonus)


class Proposer:
    """Proposals for one document: the source prepared once, any number of issues."""

    def __init__(self, ds: Dataset, doc_id: str, source: Source) -> None:
        self.ds = ds
        self.doc = prepare(source)
        self.matcher = Matcher(self.doc)
        self.specificity = specificity(ds)
        document = ds.documents.get(doc_id)
        self.finder = SpeakerFinder(ds, document.organisation if document else None)
        self._speakers: dict[int, Speaker | None] = {}
        self._headers: dict[int, tuple[str, float] | None] = {}

    def prefetch(self, issue_keys: list[str]) -> None:
        """Look up the words of all these issues in one pass over the source, not one per issue."""
        words: set[str] = set()
        for key in issue_keys:
            for term in issue_terms(self.ds.issues[key], self.specificity):
                for part in term.words:
                    words.update(self.matcher.words_for(part, term.exact))
        self.doc.postings(words)

    def propose(self, issue_key: str, limit: int = 3) -> Proposal:
        terms = issue_terms(self.ds.issues[issue_key], self.specificity)
        scored = self._read(self._relevant(terms), terms)
        own = sorted((s for s in scored if s.speaker is None), key=lambda s: (-s.rank, s.k))
        referred = [dataclasses.replace(s, speaker=s.mentioned, referred=True,
                                        matched=[*s.matched, "refers to another's view"])
                    for s in own if s.mentioned]
        reported = sorted([s for s in scored if s.speaker is not None] + referred, key=lambda s: (-s.rank, s.k))
        return _decide(issue_key, own, self._candidates(own, limit), self._candidates(reported, limit, True))

    # -------- relevance

    def _relevant(self, terms: list[Term]) -> list[_Scored]:
        """Sentences naming the issue, most relevant first (at most MAX_READ)."""
        hits: dict[int, list[Term]] = {}
        for term in terms:
            for k in self.matcher.sentences_with(term):
                hits.setdefault(k, []).append(term)
        # What each sentence could score if every term found a word of its own; the exact
        # score (each word counted once) is computed for the most promising only.
        ceilings = []
        for k, found in hits.items():
            ceiling = sorted((t.weight for t in found), reverse=True)
            bound = ceiling[0] + EXTRA_TERM_FACTOR * sum(ceiling[1:])
            if bound >= CANDIDATE_AT:
                ceilings.append((bound, -k))
        scored = []
        for _, minus_k in heapq.nlargest(CEILING_POOL, ceilings):
            k, found = -minus_k, hits[-minus_k]
            weights, labels = self._distinct_weights(k, found)
            relevance = weights[0] + EXTRA_TERM_FACTOR * sum(weights[1:]) if weights else 0.0
            if relevance >= CANDIDATE_AT:
                scored.append(_Scored(k, relevance, labels))
        scored.sort(key=lambda s: (-s.relevance, s.k))
        return scored[:MAX_READ]

    def _distinct_weights(self, k: int, found: list[Term]) -> tuple[list[float], list[str]]:
        """The weights of the terms found in sentence k, each word counted once: 'anbudskonkurranse'
        matches both the alias and the title word 'anbud', but names the issue once."""
        matcher = self.matcher
        words = matcher.word_set(k)
        covered: set[str] = set()
        weights: list[float] = []
        labels: list[str] = []
        for term in sorted(found, key=lambda t: -t.weight):
            if not matcher.phrase_in(k, term):
                continue
            strength = 1.0
            mine: set[str] = set()
            for part in term.words:
                vocab = matcher.words_for(part, term.exact)
                hits = words & vocab.keys()
                mine |= hits
                strength = min(strength, max((vocab[w] for w in hits), default=1.0))
            if mine <= covered:
                continue
            covered |= mine
            weights.append(term.weight * strength)
            labels.append(term.label)
        order = sorted(range(len(weights)), key=lambda i: -weights[i])
        return [weights[i] for i in order], [labels[i] for i in order]

    def _read(self, scored: list[_Scored], terms: list[Term]) -> list[_Scored]:
        """Speaker and cues of each sentence, and the short verdicts that follow them."""
        names = self._term_words(terms)
        investigate_is_for = any(cue_module.INVESTIGATE_RE.search(" ".join(t.words)) for t in terms)
        taken = {s.k for s in scored}
        verdicts = []
        for s in scored:
            words = self.doc.words(s.k)
            s.speaker = self.speaker_of(s.k)
            if s.speaker is None:
                s.mentioned = self.finder.mentions(" ".join(self.doc.text_of(s.k).split()))
            positions = {i for i, w in enumerate(words) if w in names}
            s.reading = cue_module.read(words, positions, investigate_is_for)
            header = self.header_of(s.k)
            if header and not s.reading.explicit:
                s.reading.cues.insert(0, header)
                s.reading.score = header[1]
                s.reading.explicit = True
            verdict = self._verdict_after(s, taken)
            if verdict:
                taken.add(verdict.k)
                verdicts.append(verdict)
        return scored + verdicts

    def _term_words(self, terms: list[Term]) -> set[str]:
        out: set[str] = set()
        for term in terms:
            for w in term.words:
                out.update(self.matcher.words_for(w, term.exact))
        return out

    def _verdict_after(self, s: _Scored, taken: set[int]) -> _Scored | None:
        """A short sentence with a cue right after one that names the issue ("Dette støttes fullt ut.")."""
        nxt = s.k + 1
        if s.relevance < VERDICT_AFTER_AT or nxt >= len(self.doc) or nxt in taken:
            return None
        words = self.doc.words(nxt)
        if len(words) > VERDICT_MAX_WORDS or self.speaker_of(nxt) is not None:
            return None
        reading = cue_module.read(words)
        if not reading.cues:
            return None
        return _Scored(nxt, VERDICT_SHARE * s.relevance, ["follows a sentence naming the issue", *s.matched[:1]],
                       reading)

    # -------- who speaks, and list headers

    def speaker_of(self, k: int) -> Speaker | None:
        """The reported speaker of sentence k; a pronoun opening ("De mener") continues the one before."""
        if k in self._speakers:
            return self._speakers[k]
        text = " ".join(self.doc.text_of(k).split())
        found = self.finder.find(text)
        if found is None and k > 0 and self.finder.continues(text):
            found = self.finder.find(" ".join(self.doc.text_of(k - 1).split()))
        self._speakers[k] = found
        return found

    def header_of(self, k: int) -> tuple[str, float] | None:
        """The cue of the list header ("FO er imot:") whose items include sentence k, if any."""
        if k not in self._headers:
            self._headers[k] = self._find_header(k)
        return self._headers[k]

    def _find_header(self, k: int) -> tuple[str, float] | None:
        doc, j = self.doc, k
        for _ in range(MAX_LIST_ITEMS):
            if j <= 0 or not doc.is_item(j):
                return None
            j -= 1
            words = doc.words(j)
            if doc.text_of(j).endswith(":") and len(words) <= VERDICT_MAX_WORDS:
                reading = cue_module.read(words)
                if reading.cues and self.speaker_of(j) is None:
                    return f"listed under '{' '.join(words)}:'", reading.score
                return None
        return None

    # -------- output

    def _candidates(self, ranked: list[_Scored], limit: int, reported: bool = False) -> list[Candidate]:
        out: list[Candidate] = []
        seen: set[str] = set()
        src = self.doc.source
        for s in ranked:
            found = quote_of(self.doc, s.k) if len(self.doc.words(s.k)) >= MIN_QUOTE_WORDS else None
            if not found or found[0] in seen:
                continue
            quote, start, end = found
            seen.add(quote)
            out.append(Candidate(
                quote=quote, line=src.line_of(start), end_line=src.line_of(end - 1),
                score=round(s.rank, 3), matched=[*s.matched, *s.reading.reasons()],
                speaker=s.speaker.name if s.speaker else None,
                speaker_ids=list(s.speaker.ids) if s.speaker else [],
                stance=_label(s.reading.score, s.reading.mixed) if reported and not s.referred else None,
            ))
            if len(out) >= limit:
                break
        return out


def _label(score: float, mixed: bool) -> str:
    if mixed:
        return "mixed"
    for threshold, stance in LABELS:
        if score >= threshold:
            return stance
    return "strongly-against"


def _decide(issue_key: str, own: list[_Scored], quotes: list[Candidate], reported: list[Candidate]) -> Proposal:
    best = max((s.relevance for s in own), default=0.0)
    best_cued = max((s.relevance for s in own if s.reading.has_cue), default=0.0)
    if (best_cued < ADDRESSED_AT and best < NAMED_WITHOUT_CUE_AT) or not quotes:
        return _absent(issue_key, own, best_cued, quotes, reported)
    carrying = [s for s in own if s.reading.has_cue][:len(RANK_WEIGHTS)]
    if not carrying:
        why = ["no stance cue: 'for' is the commonest stance when an issue is named"]
        return Proposal(issue_key, "for", NO_CUE_CONFIDENCE, quotes, reported, why)
    weights = [w * s.relevance for w, s in zip(RANK_WEIGHTS, carrying)]
    scores = [s.reading.score for s in carrying]
    score = sum(w * x for w, x in zip(weights, scores)) / sum(weights)
    first = carrying[0].reading
    signs = {x > 0 for x in scores if abs(x) >= 0.5}
    mixed = bool(first.investigate) or (first.mixed and abs(first.score) < 0.5) or (
        len(signs) == 2 and abs(score) < 0.25)
    reasons = [reason for s in carrying[:2] for reason in s.reading.reasons()]
    agreement = 1.0 if len(signs) <= 1 else DISAGREEMENT_FACTOR
    confidence = min(0.95, 0.35 + 0.2 * min(abs(score), 2) + 0.075 * min(best, 2)) * agreement
    return Proposal(issue_key, _label(score, mixed), round(confidence, 2), quotes, reported,
                    list(dict.fromkeys(reasons)))


def _absent(issue_key: str, own: list[_Scored], best: float, quotes: list[Candidate],
            reported: list[Candidate]) -> Proposal:
    confidence = ABSENT_CONFIDENCE_FLOOR + ABSENT_CONFIDENCE_SPAN * (1 - min(best, ADDRESSED_AT) / ADDRESSED_AT)
    why = ["no sentence of the document's own names the issue"] if not own else [
        f"no sentence of its own names the issue and takes a stance (best {best:.2f} < {ADDRESSED_AT})"]
    # The quotes of a not-addressed proposal are the best weak candidates, for a person to overrule it.
    return Proposal(issue_key, ABSENT, round(confidence, 2), quotes, reported, why)


def propose(ds: Dataset, doc_id: str, source: Source, issues: list[str] | None = None,
            limit: int = 3) -> list[Proposal]:
    """One proposal per issue (all codebook issues when issues is None), in codebook order."""
    keys = issues if issues is not None else [k for k, i in ds.issues.items() if i.codebook]
    proposer = Proposer(ds, doc_id, source)
    proposer.prefetch(keys)
    return [proposer.propose(key, limit) for key in keys]



