"""Which organisation wrote a response: proposed from its text, for a person to confirm.

Known organisations of the dataset come first: their name or short name in the letterhead (the
first lines), in a "Høringssvar fra …" line, or in the signature (the last lines). Failing that,
the name after "Høringssvar fra" / "Uttalelse fra" / "Innspill fra", or an organisation-like line
after "Med vennlig hilsen" or at the very top, is proposed as a new organisation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from stancecli.model import Dataset

HEAD_LINES = 12
TAIL_LINES = 15
MAX_NAME_WORDS = 7
SHORT_NAME_CASE_SENSITIVE = 4  # "FO", "NTL", "LO": matched in capitals only, never as a word like "lo"
SCORE_FROM_LINE = 3
SCORE_HEAD = 2
SCORE_SUBJECT = 1  # named as the subject of a sentence in the first lines: the author, or a view reported
SCORE_TAIL = 2

_FROM = re.compile(r"\b(?:høringssvar|høringsuttalelse|høringsuttale|høringsinnspill|høringsnotat|uttalelse|"
                   r"innspill|merknader|kommentarer|svar)\s+fra\s+(?P<name>.+)", re.IGNORECASE)
_NAME_END = re.compile(r"\s+[–—-]\s+|[:;,(«\"]|\.\s|\s+(?:til|om|på|vedrørende|vedr\.|angående|i forbindelse)\s")
_GREETING = re.compile(r"^\s*(?:med\s+)?(?:vennlig|venleg|beste)\s+hilsen?\b", re.IGNORECASE)
_ORGANISATION_WORDS = re.compile(r"(?:forbund|forbundet|kommune|fylkeskommune|fagforening|foreningen|forening|"
                                 r"organisasjon|organisasjonen|tjenestemannslag|direktorat|direktoratet|etaten|"
                                 r"tilsynet|rådet|råd|forum|forumet|senter|senteret|\bnav|\bas|\basa|stiftelse|stiftelsen|sammenslutning|"
                                 r"arbeidsgiverforening|\blo|\bnho|\bks)\b", re.IGNORECASE)
# Lower-case words a name may hold between its capitalised ones ("Landsorganisasjonen i Norge").
_CONNECTORS = frozenset({"i", "for", "og", "av", "på", "&"})
_KINDS = (("municipality", re.compile(r"kommune\b", re.IGNORECASE)),
          ("employer-organisation", re.compile(r"arbeidsgiver|\bnho\b|næringsliv|næringsforening|\bvirke\b|spekter",
                                               re.IGNORECASE)),
          ("union", re.compile(r"forbund|fagforening|tjenestemannslag|\blo\b|landsorganisasjon", re.IGNORECASE)),
          ("state-agency", re.compile(r"direktorat|tilsyn|etaten|departement", re.IGNORECASE)),
          ("ngo", re.compile(r"forening|stiftelse|bymisjon|organisasjon", re.IGNORECASE)))


@dataclass
class OrgProposal:
    """An organisation proposed from the text: an existing one (new=False) or a new entry."""

    org_id: str
    name: str
    new: bool
    kind: str
    line: int  # 1-based line of the text it was read from
    evidence: str  # that line
    score: int = 0  # how strongly a known organisation is named: the weights of the places it stands

    def describe(self) -> str:
        what = f"'{self.org_id}' ({self.name})" if not self.new else \
            f"new organisation '{self.org_id}' (name {self.name}, kind {self.kind})"
        return f"{what}, from line {self.line}: «{self.evidence}»"


def propose(ds: Dataset, text: str) -> OrgProposal | None:
    """The most likely author of `text`, or None when the text names none."""
    lines = [(n, " ".join(line.split())) for n, line in enumerate(text.split("\n"), start=1)]
    lines = [(n, line) for n, line in lines if line]
    if not lines:
        return None
    head, tail = lines[:HEAD_LINES], lines[-TAIL_LINES:]
    from_lines = [(n, line) for n, line in head if _FROM.search(line)]
    signature = _after_greeting(tail) + [(n, line) for n, line in tail if len(line.split()) <= MAX_NAME_WORDS]
    known = _known(ds, head, signature, from_lines)
    if known is not None and known.score > SCORE_SUBJECT:
        return known
    # Named only as the subject of a sentence in the first lines ("NHO mener …" is a reported view):
    # an author the letterhead, a "fra" line or the greeting names comes first.
    return _new(ds, head, tail, from_lines) or known


def _known(ds: Dataset, head, signature, from_lines) -> OrgProposal | None:
    scores: dict[str, tuple[int, int, str]] = {}
    for org_id, org in ds.organisations.items():
        patterns = _name_patterns(org.name, org.short)
        score, first = 0, None
        for zone, weight, how in ((from_lines, SCORE_FROM_LINE, "any"), (head, SCORE_HEAD, "subject"),
                                  (signature, SCORE_TAIL, "alone")):
            hit = next(((n, line) for n, line in zone if _names(patterns, line, how)), None)
            if hit:
                # In the first lines, a name alone (a letterhead) weighs more than one that opens a sentence.
                alone = how != "subject" or _names(patterns, hit[1], "alone")
                score += weight if alone else SCORE_SUBJECT
                first = first or hit
        if first:
            scores[org_id] = (score, -first[0], first[1])
    if not scores:
        return None
    org_id = max(scores, key=lambda k: scores[k][:2])
    score, line, evidence = scores[org_id]
    org = ds.organisations[org_id]
    return OrgProposal(org_id, org.name, False, org.kind, -line, evidence, score)


def _names(patterns: list[re.Pattern[str]], line: str, how: str) -> bool:
    """Whether the line names the organisation: anywhere ("any", a "fra" line), as the subject that
    opens a sentence or alone ("subject", the first lines), or alone on its line ("alone", the
    signature: the rest capitalised, like a person's name, never a sentence such as "mener NHO.")."""
    for pattern in patterns:
        for match in pattern.finditer(line):
            before = line[:match.start()].rstrip()
            rest = [w.strip(".,;:()") for w in (before + " " + line[match.end():]).split()]
            alone = all(w[:1].isupper() or not w for w in rest)
            opens = not before or before.endswith((".", "!", "?", ":"))
            if how == "any" or alone or (how == "subject" and opens):
                return True
    return False


def _name_patterns(name: str, short: str | None) -> list[re.Pattern[str]]:
    out = [re.compile(rf"(?<!\w){re.escape(name)}(?!\w)", re.IGNORECASE)]
    if short and short != name:
        flags = 0 if len(short) <= SHORT_NAME_CASE_SENSITIVE else re.IGNORECASE
        out.append(re.compile(rf"(?<!\w){re.escape(short)}(?!\w)", flags))
    return out


def _new(ds: Dataset, head, tail, from_lines) -> OrgProposal | None:
    for n, line in from_lines:
        name = _name_after_from(line)
        if name:
            return _new_proposal(ds, name, n, line)
    for n, line in _after_greeting(tail):
        if _looks_like_organisation(line):
            return _new_proposal(ds, line, n, line)
    n, line = head[0]
    if _looks_like_organisation(line):
        return _new_proposal(ds, line, n, line)
    return None


def _name_after_from(line: str) -> str | None:
    match = _FROM.search(line)
    if not match:
        return None
    words = _NAME_END.split(match.group("name"), maxsplit=1)[0].strip(" .").split()
    kept = _name_words(words)
    if kept and len(words) <= MAX_NAME_WORDS and words[len(kept):len(kept) + 1] == ["for"]:
        kept = words  # a name runs on after "for": "Rådet for personer med funksjonsnedsettelse"
    return " ".join(kept) if kept and len(kept) <= MAX_NAME_WORDS else None


def _name_words(words: list[str]) -> list[str]:
    """The words that begin a name: capitalised ones, organisation words ("kommune"), and the
    small words between them ("Landsorganisasjonen i Norge")."""
    kept: list[str] = []
    for word in words:
        if word[:1].isupper() or _ORGANISATION_WORDS.fullmatch(word):
            kept.append(word)
        elif word in _CONNECTORS and kept:
            kept.append(word)
        else:
            break
    while kept and kept[-1] in _CONNECTORS:
        kept.pop()
    return kept


def _after_greeting(tail) -> list[tuple[int, str]]:
    for i, (_n, line) in enumerate(tail):
        if _GREETING.match(line):
            return tail[i + 1:i + 4]
    return []


def _looks_like_organisation(line: str) -> bool:
    """A line that is a name and nothing else ("Norsk Sykepleierforbund", "Bergen kommune")."""
    words = line.split()
    return (len(words) <= MAX_NAME_WORDS and _name_words(words) == words and not line.endswith(".")
            and bool(_ORGANISATION_WORDS.search(line)))


def _new_proposal(ds: Dataset, name: str, n: int, line: str) -> OrgProposal | None:
    from stancecli.names import fold, usable_new_id

    org_id = fold(name)
    if not usable_new_id(org_id):
        return None
    if org_id in ds.organisations:
        org = ds.organisations[org_id]
        return OrgProposal(org_id, org.name, False, org.kind, n, line)
    kind = next((k for k, pattern in _KINDS if pattern.search(name)), "other")
    return OrgProposal(org_id, name, True, kind, n, line)
