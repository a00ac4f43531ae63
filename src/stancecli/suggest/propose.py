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

import math
import re
from dataclasses import dataclass, field

from stancecli.corpus import Source
from stancecli.model import ABSENT, Dataset, Issue
from stancecli.suggest import cues as cue_module
from stancecli.suggest.speakers import SpeakerFinder
from stancecli.suggest.text import Prepared, prepare, quote_of

NAME_WEIGHT = 1.0
TITLE_WORD_WEIGHT = 0.6
PROPOSAL_WEIGHT = 0.25
EXTRA_TERM_FACTOR = 0.35     # each further distinct term adds this share of its weight
MIN_PREFIX_STEM = 4          # "anbud" -> "anbudsutsetting"
MIN_INFIX_STEM = 6           # "kompetanse" inside "sosialfagligkompetanse"
ADDRESSED_AT = 0.75          # relevance a sentence needs for the issue to count as addressed
CANDIDATE_AT = 0.3
VERDICT_SHARE = 0.8          # what a short verdict inherits from the sentence before it
VERDICT_MAX_WORDS = 14
HEADER_SHARE = 1.0
CUE_BONUS = 0.5
TOP_FOR_STANCE = 3
MIN_QUOTE_WORDS = 3

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
    stance: str | None = None            # for a reported view: the stance its cues suggest


@dataclass
class Proposal:
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
        self._words: dict[tuple[str, bool], set[str]] = {}

    def words_for(self, word: str, exact: bool) -> set[str]:
        key = (word, exact)
        found = self._words.get(key)
        if found is None:
            found = self._lookup(word, exact)
            self._words[key] = found
        return found

    def _lookup(self, word: str, exact: bool) -> set[str]:
        doc = self.doc
        if exact:
            return {word} if word in doc.index else set()
        from stancecli.search.text import stem_all

        stem = stem_all([word])[0]
        found = {w for w in doc.words_with_prefix(stem[:MIN_PREFIX_STEM]) if doc.stem_of[w] == stem}
        if word in doc.index:
            found.add(word)
        if len(stem) >= MIN_PREFIX_STEM:
            found.update(doc.words_with_prefix(stem))
        if len(stem) >= MIN_INFIX_STEM:
            found.update(doc.words_containing(stem))
        return found

    def sentences_with(self, term: Term) -> dict[int, set[int]]:
        """sentence -> positions of the term's first word there."""
        per_word = [self.words_for(w, term.exact) for w in term.words]
        if not all(per_word):
            return {}
        hits: set[int] | None = None
        for words in per_word:
            ks: set[int] = set()
            for w in words:
                ks.update(self.doc.index[w])
            hits = ks if hits is None else hits & ks
        out: dict[int, set[int]] = {}
        for k in hits or ():
            positions = _phrase_positions(self.doc.sentences[k].words, per_word)
            if positions:
                out[k] = positions
        return out


def _phrase_positions(words: list[str], per_word: list[set[str]]) -> set[int]:
    n = len(per_word)
    return {i for i in range(len(words) - n + 1) if all(words[i + j] in per_word[j] for j in range(n))}


# ---------------------------------------------------------------- proposing

@dataclass
class _Scored:
    k: int
    relevance: float
    matched: list[str]
    term_positions: set[int]
    inherited: str | None = None
    inherited_score: float = 0.0


_Pair = tuple[_Scored, cue_module.Reading]


class Proposer:
    """Proposals for one document: the source prepared once, any number of issues."""

    def __init__(self, ds: Dataset, doc_id: str, source: Source) -> None:
        self.ds = ds
        self.doc = prepare(source)
        self.matcher = Matcher(self.doc)
        self.specificity = specificity(ds)
        document = ds.documents.get(doc_id)
        self.finder = SpeakerFinder(ds, document.organisation if document else None)
        self._speakers()
        self._headers = self._list_headers()

    def _speakers(self) -> None:
        from stancecli.search.text import one_line

        previous = None
        for k, sent in enumerate(self.doc.sentences):
            text = one_line(self.doc.text_of(k))[0]
            found = self.finder.find(text, previous)
            if found:
                sent.speaker, sent.speaker_ids = found.name, found.ids
            previous = found

    def _list_headers(self) -> dict[int, tuple[int, float]]:
        """Sentences in a list under a header with a cue ("FO er imot:"): item -> (header, score)."""
        out: dict[int, tuple[int, float]] = {}
        sentences = self.doc.sentences
        for k, sent in enumerate(sentences):
            if not self.doc.source.text[sent.end - 1:sent.end] == ":" or sent.speaker:
                continue
            reading = cue_module.read(sent.words)
            if not reading.cues or len(sent.words) > VERDICT_MAX_WORDS:
                continue
            j = k + 1
            while j < len(sentences) and (sentences[j].bullet or not sentences[j].line_start):
                out[j] = (k, reading.score)
                j += 1
        return out

    def propose(self, issue_key: str, limit: int = 3) -> Proposal:
        issue = self.ds.issues[issue_key]
        terms = issue_terms(issue, self.specificity)
        scored = self._relevant(terms)
        investigate_is_for = any(cue_module._INVESTIGATE.search(" ".join(t.words)) for t in terms)
        own: list[_Pair] = []
        reported: list[_Pair] = []
        for s in scored.values():
            sent = self.doc.sentences[s.k]
            if s.relevance < CANDIDATE_AT:
                continue
            reading = cue_module.read(sent.words, s.term_positions, investigate_is_for)
            if s.inherited:
                reading.cues.insert(0, (s.inherited, s.inherited_score))
                reading.score = s.inherited_score
            (reported if sent.speaker else own).append((s, reading))
        own.sort(key=lambda p: (-_rank(p[0], p[1]), p[0].k))
        reported.sort(key=lambda p: (-_rank(p[0], p[1]), p[0].k))
        quotes = self._candidates(own, limit)
        reported_out = self._candidates(reported, limit, with_stance=True)
        return _decide(issue_key, own, quotes, reported_out)

    def _relevant(self, terms: list[Term]) -> dict[int, _Scored]:
        weights: dict[int, list[tuple[float, str]]] = {}
        positions: dict[int, set[int]] = {}
        for term in terms:
            for k, pos in self.matcher.sentences_with(term).items():
                weights.setdefault(k, []).append((term.weight, term.label))
                positions.setdefault(k, set()).update(pos)
        scored: dict[int, _Scored] = {}
        for k, found in weights.items():
            found.sort(reverse=True)
            labels = list(dict.fromkeys(label for _, label in found))
            relevance = found[0][0] + EXTRA_TERM_FACTOR * sum(w for w, _ in found[1:])
            scored[k] = _Scored(k, relevance, labels, positions[k])
        self._inherit(scored)
        return scored

    def _inherit(self, scored: dict[int, _Scored]) -> None:
        sentences = self.doc.sentences
        for k, s in list(scored.items()):
            nxt = k + 1
            if nxt < len(sentences) and nxt not in scored and s.relevance >= ADDRESSED_AT:
                after = sentences[nxt]
                reading = cue_module.read(after.words)
                if reading.cues and len(after.words) <= VERDICT_MAX_WORDS and after.speaker == sentences[k].speaker:
                    scored[nxt] = _Scored(nxt, VERDICT_SHARE * s.relevance,
                                          ["follows a sentence naming the issue", *s.matched[:1]], set())
        for item, (header, score) in self._headers.items():
            if item in scored:
                words = " ".join(sentences[header].words)
                scored[item].inherited = f"listed under '{words}'"
                scored[item].inherited_score = score

    def _candidates(self, ranked, limit: int, with_stance: bool = False) -> list[Candidate]:
        out: list[Candidate] = []
        seen: set[str] = set()
        for s, reading in ranked:
            sent = self.doc.sentences[s.k]
            if len(sent.words) < MIN_QUOTE_WORDS:
                continue
            quote = quote_of(self.doc, s.k)
            if not quote or quote in seen:
                continue
            seen.add(quote)
            src = self.doc.source
            out.append(Candidate(
                quote=quote, line=src.line_of(sent.start), end_line=src.line_of(sent.end - 1),
                score=round(_rank(s, reading), 3), matched=[*s.matched, *reading.reasons()],
                speaker=sent.speaker, speaker_ids=list(sent.speaker_ids),
                stance=_label(reading.score, reading.mixed) if with_stance else None,
            ))
            if len(out) >= limit:
                break
        return out


def _rank(s: _Scored, reading: cue_module.Reading) -> float:
    return s.relevance * (1 + (CUE_BONUS if reading.has_cue else 0.0))


def _label(score: float, mixed: bool) -> str:
    if mixed:
        return "mixed"
    if score >= 1.5:
        return "strongly-for"
    if score > 0.25:
        return "for"
    if score > -0.25:
        return "mixed"
    if score > -1.5:
        return "against"
    return "strongly-against"


RANK_WEIGHTS = (1.0, 0.5, 0.25)


def _decide(issue_key: str, own, quotes: list[Candidate], reported: list[Candidate]) -> Proposal:
    best = max((s.relevance for s, _ in own), default=0.0)
    if best < ADDRESSED_AT or not quotes:
        confidence = 0.5 + 0.5 * (1 - best / ADDRESSED_AT)
        why = ["no sentence of the document's own names the issue"] if not own else [
            f"the issue is named only in passing (relevance {best:.2f} < {ADDRESSED_AT})"]
        # The quotes of a not-addressed proposal are the best weak candidates, for a person to overrule it.
        return Proposal(issue_key, ABSENT, round(min(confidence, 0.95), 2), quotes, reported, why)
    carrying = [(s, r) for s, r in own if s.relevance >= CANDIDATE_AT and r.has_cue][:len(RANK_WEIGHTS)]
    if not carrying:
        default = ["no stance cue: 'for' is the commonest stance when an issue is named"]
        return Proposal(issue_key, "for", 0.3, quotes, reported, default)
    weights = [w * s.relevance for w, (s, _) in zip(RANK_WEIGHTS, carrying)]
    scores = [r.score for _, r in carrying]
    score = sum(w * x for w, x in zip(weights, scores)) / sum(weights)
    first = carrying[0][1]
    signs = {x > 0 for x in scores if abs(x) >= 0.5}
    mixed = bool(first.investigate) or (first.mixed and abs(first.score) < 0.5) or (
        len(signs) == 2 and abs(score) < 0.25)
    stance = _label(score, mixed)
    reasons: list[str] = []
    for _, r in carrying[:2]:
        reasons += r.reasons()
    agreement = 1.0 if len(signs) <= 1 else 0.7
    confidence = min(0.95, 0.35 + 0.2 * min(abs(score), 2) + 0.15 * min(best, 2) / 2) * agreement
    return Proposal(issue_key, stance, round(confidence, 2), quotes, reported, list(dict.fromkeys(reasons)))


def propose(ds: Dataset, doc_id: str, source: Source, issues: list[str] | None = None,
            limit: int = 3) -> list[Proposal]:
    """One proposal per issue (all codebook issues when issues is None), in codebook order."""
    keys = issues if issues is not None else [k for k, i in ds.issues.items() if i.codebook]
    proposer = Proposer(ds, doc_id, source)
    return [proposer.propose(key, limit) for key in keys]



