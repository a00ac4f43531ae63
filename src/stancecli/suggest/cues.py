"""Norwegian stance cues in one sentence: polarity, negation, hedges, conditions.

Cues are matched on the sentence's lower-case words joined by single spaces. A
cue's score is from the codebook's scale (+2 .. -2); a negation just before (or
shortly after) a cue turns it round; a hedge ("kan", "i utgangspunktet") or a
condition ("dersom", "forutsetter") weakens it; a call to investigate further
before deciding ("utredes bedre", "prøves ut først") makes the sentence mixed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

STRONG = 2.0
PLAIN = 1.0
MODAL_MUST = 1.2      # "må": a demand
MODAL_SHOULD = 0.8    # "bør": a recommendation
NEGATED_TERM = -1.5   # "ingen anbudsutsetting", "uten anbud"
BARE_NEGATION = -0.5  # "ikke" near the issue, no other cue
HEDGE_FACTOR = 0.6
CONDITION_FACTOR = 0.7
NEGATION_BEFORE = 3   # words
NEGATION_AFTER = 4

NEGATIONS = frozenset({"ikke", "ingen", "aldri", "neppe", "verken", "ikkje", "intet"})

# (regex over the joined words, score, label). Longer, more specific cues first:
# a cue's words are taken and cannot feed a later, shorter cue.
# (regex over the joined words, score, explicit). Explicit cues state a stance in so many
# words ("støtter", "er skeptisk til"); the others only lean ("viktig", "risiko").
CUES: list[tuple[str, float, bool]] = [
    (r"støtte[rs]? (?:\w+ )?fullt ut|støttes (?:\w+ )?fullt ut", STRONG, True),
    (r"(?:særdeles|svært|meget|klart|veldig) positiv\w*", STRONG, True),
    (r"sterkt (?:for|enig)", STRONG, True),
    (r"helt (?:nødvendig|avgjørende|sentral\w*)", STRONG, False),
    (r"(?:er|går) imot|sterkt imot|imot", -STRONG, True),
    (r"ønsker (?:\w+ )?ikke|ikke (?:er )?ønskelig", -STRONG, True),
    (r"tar avstand|avvise[rs]?|uakseptab\w+|advare[rs]?|frarå\w*", -STRONG, True),
    (r"må avvikles|bør avvikles|avvikles|avskaffe\w*", -STRONG, True),
    (r"skulle gjerne (?:sett|hatt)", PLAIN, True),
    (r"går inn for|gå inn for|støtte[rs]?|støttes|positiv\w*|enig\w*|er for", PLAIN, True),
    (r"(?:mer )?tro på|anbefale[rs]?|ønske[rs]?|ønskelig|foreslå[rs]?", PLAIN, True),
    (r"viktig\w*|behov for|fordel\w*|hensiktsmessig|nødvendig[et]?|riktig|fornuftig|gunstig|nyttig"
     r"|bra|avgjørende|sentralt|bedre", PLAIN, False),
    (r"skeptisk\w*|bekymre\w*|bekymring\w*|uheldig\w*|negativ\w*|tviler|tvil|ikke sikre?|undergrave\w*"
     r"|betenkelig\w*|frykte\w*|stille\w* spørsmål", -PLAIN, True),
    (r"hinder|ulempe\w*|usikker\w*|svekke\w*|dårlig\w*|risiko\w*|problem\w*|kritisk\w*|feil|mindre", -PLAIN, False),
    (r"tones? ned|reduser\w*|fjerne\w*|kutte\w*|bygges ned|nedbygging|begrense\w*|skrinlegge\w*", -PLAIN, False),
]
MODALS: list[tuple[str, float, bool]] = [(r"må", MODAL_MUST, False), (r"bør", MODAL_SHOULD, False)]
HEDGES = r"\bkan\b|\bi utgangspunktet\b|\beventuelt\b|\bmuligens\b|\bkanskje\b|\btrolig\b|\bdelvis\b|\bneppe\b"
CONDITIONS = r"\bdersom\b|\bhvis\b|\bforutsatt\b|\bforutsetter\b|\bforutsetning\w*\b|\bpå vilkår\b|\bmed mindre\b"
INVESTIGATE = (r"\butred\w* (?:bedre|grundigere|nærmere|mer)\b|\b(?:bedre|grundigere|nærmere) utred\w*"
               r"|\bprøve[st]? ut (?:først|før)\b|\bprøves ut\b|\butprøv\w*|\bavvente\w*|\bvente med\b"
               r"|\bhelhetlig (?:gjennomgang|vurdering|stortingsbehandling)\b|\bforsiktighet\b")
CONTRAST = r"\bmen\b|\bimidlertid\b|\blikevel\b"


def compile_cues(entries: list[tuple[str, float, bool]]) -> list[tuple[re.Pattern[str], float, bool]]:
    return [(re.compile(rf"\b(?:{p})\b"), score, explicit) for p, score, explicit in entries]


_CUES = compile_cues(CUES + MODALS)
_HEDGES = re.compile(HEDGES)
_CONDITIONS = re.compile(CONDITIONS)
INVESTIGATE_RE = re.compile(INVESTIGATE)
_CONTRAST = re.compile(CONTRAST)


@dataclass
class Reading:
    """What the cues of one sentence say."""

    score: float = 0.0               # -2 .. +2; 0 with no cue
    cues: list[tuple[str, float]] = field(default_factory=list)
    hedges: list[str] = field(default_factory=list)
    condition: str | None = None
    investigate: str | None = None
    contrast: bool = False
    explicit: bool = False           # a cue that states a stance in so many words
    negated: list[str] = field(default_factory=list)

    @property
    def has_cue(self) -> bool:
        return bool(self.cues) or self.investigate is not None

    @property
    def mixed(self) -> bool:
        signs = {c > 0 for _, c in self.cues if c}
        return len(signs) == 2 or (self.investigate is not None and self.score <= 1.5)

    def reasons(self) -> list[str]:
        out = [f"'{cue}' → {'for' if score > 0 else 'against'}" for cue, score in self.cues]
        out += [f"negated by '{n}'" for n in self.negated]
        out += [f"hedge '{h}'" for h in self.hedges]
        if self.condition:
            out.append(f"condition '{self.condition}'")
        if self.investigate:
            out.append(f"'{self.investigate}' → wait or investigate first")
        return out


def read(words: list[str], term_positions: set[int] | None = None, investigate_is_for: bool = False) -> Reading:
    """The stance cues of a sentence given as lower-case words; term_positions are where the issue is named."""
    joined = " ".join(words)
    reading = Reading()
    total, explicit_total = _match_cues(words, joined, reading)
    explicit_total += _negated_terms(words, term_positions or set(), reading)
    if reading.explicit:
        total = explicit_total  # words that state a stance outweigh words that only lean
    elif not reading.cues and any(w in NEGATIONS for w in words):
        total = BARE_NEGATION
    total = _qualify(joined, total, reading, investigate_is_for)
    reading.score = max(-STRONG, min(STRONG, total))
    return reading


def _match_cues(words: list[str], joined: str, reading: Reading) -> tuple[float, float]:
    """Each cue once (a longer cue takes its words first), turned round by a negation near it.
    Returns the sum of all cues and of the explicit ones."""
    starts = _word_starts(words)
    taken = bytearray(len(joined))
    total = explicit_total = 0.0
    for pattern, score, explicit in _CUES:
        for m in pattern.finditer(joined):
            if any(taken[m.start():m.end()]):
                continue
            taken[m.start():m.end()] = b"\x01" * (m.end() - m.start())
            negation = _negation_near(words, _word_at(starts, m.start()), _word_at(starts, m.end() - 1), score)
            value = -score if negation else score
            if negation:
                reading.negated.append(negation)
            reading.cues.append((m.group(), value))
            total += value
            if explicit:
                reading.explicit = True
                explicit_total += value
    return total, explicit_total


def _negated_terms(words: list[str], term_positions: set[int], reading: Reading) -> float:
    """The issue named right after a negation ("ingen anbudsutsetting", "uten anbud"): against."""
    total = 0.0
    for i in sorted(term_positions):
        if i > 0 and words[i - 1] in NEGATIONS | {"uten"}:
            # "Ingen anbudsutsetting ..." opening a sentence is a demand: strongly against.
            value = -STRONG if i == 1 and words[0] == "ingen" else NEGATED_TERM
            reading.cues.append((f"{words[i - 1]} {words[i]}", value))
            reading.explicit = True
            total += value
    return total


def _qualify(joined: str, total: float, reading: Reading, investigate_is_for: bool) -> float:
    """Hedges and conditions weaken a sentence; a call to investigate first makes it mixed,
    unless waiting or trying out first is what the issue proposes."""
    hedge = _HEDGES.search(joined)
    if hedge:
        reading.hedges.append(hedge.group())
        total *= HEDGE_FACTOR
    condition = _CONDITIONS.search(joined)
    if condition:
        reading.condition = condition.group()
        total *= CONDITION_FACTOR
    investigate = INVESTIGATE_RE.search(joined)
    if investigate and investigate_is_for:
        reading.cues.append((investigate.group(), PLAIN))
        total += PLAIN
    elif investigate:
        reading.investigate = investigate.group()
    reading.contrast = bool(_CONTRAST.search(joined))
    return total


def _word_starts(words: list[str]) -> list[int]:
    out, pos = [], 0
    for w in words:
        out.append(pos)
        pos += len(w) + 1
    return out


def _word_at(starts: list[int], offset: int) -> int:
    import bisect

    return max(0, bisect.bisect_right(starts, offset) - 1)


def _negation_near(words: list[str], first: int, last: int, score: float) -> str | None:
    """A negation that turns the cue round: just before it, or (for a 'for' cue) shortly after."""
    inside = words[first:last + 1]
    if any(w in NEGATIONS for w in inside):
        return None  # the cue carries its own negation ("ønsker ikke")
    for w in words[max(0, first - NEGATION_BEFORE):first]:
        if w in NEGATIONS:
            return w
    if score > 0:
        for w in words[last + 1:last + 1 + NEGATION_AFTER]:
            if w in NEGATIONS:
                return w
    return None
