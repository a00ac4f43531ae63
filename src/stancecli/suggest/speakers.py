"""Who speaks in a sentence: the document itself, or an actor it reports.

A sentence whose main clause opens with another actor and a verb of saying or
thinking ("NHO mener", "Ekspertgruppen foreslår", "Regjeringen vil", "Både LO og
NHO anbefaler"), that opens "Ifølge X", ends ", mener X." or points to an actor
("vise til NHO, som ...") reports that actor's view: context, never the
document's own words. "Vi støtter Ekspertgruppens forslag" and "som Ekspertgruppen
påpeker" inside a sentence of one's own stay the document's own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from stancecli.model import Dataset

# Actors that consultation responses report, besides the dataset's organisations.
GENERIC_ACTORS = (
    "Regjeringen", "Regjeringa", "Departementet", "Arbeids- og sosialdepartementet",
    "Arbeid og sosialdepartementet", "Arbeidsdepartementet", "ASD", "Utvalget", "Ekspertgruppen",
    "Ekspertgruppa", "Ekspertutvalget", "Stortinget", "Høringsnotatet", "Høringsforslaget",
    "Meldingen", "Stortingsmeldingen", "Rapporten", "Utredningen", "Direktoratet",
    "Arbeids- og velferdsdirektoratet", "KS", "LO", "NHO", "YS", "Unio", "Akademikerne", "Virke",
    "Spekter", "Fagforbundet", "Attføringsbedriftene", "ASVL", "Riksrevisjonen", "Statsråden",
    "Kommisjonen", "Arbeidsgiverne", "Fagbevegelsen",
)
REPORTING_VERBS = (
    "mener", "meiner", "foreslår", "foreslo", "har foreslått", "påpeker", "anbefaler", "viser til",
    "skriver", "hevder", "peker på", "argumenterer", "legger opp til", "vil", "ønsker", "går inn for",
    "støtter", "konkluderer", "tar til orde for", "uttaler", "sier", "understreker", "fremhever",
    "framhever", "er opptatt av", "vurderer", "advarer", "frykter", "beskriver", "signaliserer",
    "varsler", "tilrår", "går imot", "er imot", "er for", "er enig", "er uenig", "er skeptisk",
    "utelukker", "har sendt", "ser", "slår fast", "drøfter", "omtaler", "nevner", "trekker fram",
    "legger vekt på", "tar sikte på", "planlegger", "har varslet", "anser",
)
PAST_SAYING = ("sagt", "skrevet", "uttalt", "foreslått", "varslet", "signalisert", "anbefalt", "konkludert")
VIEWS = ("forslag", "forslaget", "forslagene", "vurdering", "vurderingen", "vurderinger", "innstilling",
         "innstillingen", "innspill", "innspillet", "argumentasjon", "argumentasjonen", "konklusjon",
         "konklusjonen", "konklusjoner", "hovedkonklusjoner", "ambisjon", "ambisjonen", "anbefaling",
         "anbefalingen", "anbefalinger", "syn", "standpunkt", "tilrådning")
MIN_HEAD_WORD = 6
# The document under consultation, when a response describes what it says.
DOCUMENTS = ("høringsforslaget|høringsnotatet|forslaget|utkastet|meldingen|stortingsmeldingen|rapporten"
             "|utredningen|NOU-en|lovforslaget")
IMPERSONAL = ("understrekes", "foreslås", "framgår", "fremgår", "heter", "legges opp til", "står", "sies",
              "skrives", "beskrives", "varsles", "påpekes")
# Words that may stand between the actor and its verb ("Regjeringen har også foreslått").
MAX_GAP_WORDS = 2
_OPENERS = r"(?:(?:Både|Også|Men|Og|Da|Her|Derfor|Samtidig|Dessuten|Videre|I tillegg)\s+)?"
_PRONOUN_CONTINUATION = re.compile(r"^(?:De|Disse|Disse organisasjonene|Organisasjonene|Begge)\s+"
                                   r"(?:\w+\s+){0,2}?(?:mener|viser|peker|anbefaler|foreslår|påpeker)\b")


@dataclass
class Speaker:
    name: str            # as the text names it, e.g. "NHO" or "LO og NHO"
    ids: list[str]       # the dataset's organisation ids among them


class SpeakerFinder:
    """Finds reported speakers, knowing the document's own names."""

    def __init__(self, ds: Dataset, own_org: str | None) -> None:
        own = ds.organisations.get(own_org) if own_org else None
        self._own = {_norm(n) for n in ((own.name, own.short, own.id) if own else ()) if n}
        self._ids: dict[str, str] = {}
        self._short = {org.id: org.label for org in ds.organisations.values()}
        names: set[str] = set(GENERIC_ACTORS)
        for org in ds.organisations.values():
            for n in (org.name, org.short):
                if n and len(n) > 1:
                    names.add(n)
                    self._ids[_norm(n)] = org.id
        names = {n for n in names if _norm(n) not in self._own}
        alternatives = "|".join(re.escape(n).replace(r"\ ", r"\s+") for n in sorted(names, key=len, reverse=True))
        actor = rf"(?:{alternatives})(?:\s*\([^)]{{1,40}}\))?"
        self._actor = re.compile(rf"\b(?:{alternatives})\b", re.IGNORECASE)
        actors = rf"{actor}(?:\s*(?:,|og|samt)\s*{actor})*"
        verbs = "|".join(re.escape(v).replace(r"\ ", r"\s+") for v in REPORTING_VERBS)
        gap = rf"(?:[\wæøåÆØÅ-]+\s+){{0,{MAX_GAP_WORDS}}}?"
        self._opening = re.compile(rf"^{_OPENERS}({actors})\s+{gap}(?:{verbs})\b")
        self._according = re.compile(rf"^(?:Ifølge|I\s+følge|Etter\s+(?:hva|det)\s+)\s*({actors})")
        self._closing = re.compile(rf",\s*(?:{verbs})\s+({actors})\s*[.!]?\s*$")
        self._pointing = re.compile(rf"\b(?:vise|viser|vist)\s+til\s+({actors}),?\s+som\b")
        self._described = re.compile(rf"^(?:I|Ifølge|Etter|Med)\s+({DOCUMENTS})\b|^Intensjonen\s+bak\s+({DOCUMENTS})\b"
                                     rf"|\b(?:{'|'.join(IMPERSONAL)})\s+(?:det\s+)?i\s+({DOCUMENTS})\b",
                                     re.IGNORECASE)
        self._has_said = re.compile(rf"\b({actors})\s+har\s+(?:\w+\s+)?(?:{'|'.join(PAST_SAYING)})\b")
        # Mentions inside a sentence of one's own: "Ekspertgruppens forslag", "som utvalget påpeker".
        self._genitive = re.compile(rf"\b((?:{alternatives}))s\s+(?:\w+\s+){{0,2}}?(?:{'|'.join(VIEWS)})",
                                    re.IGNORECASE)
        self._aside = re.compile(rf"\bsom\s+({actors})\s+{gap}(?:{verbs})\b", re.IGNORECASE)
        self._orgs = [(org.id, [_key(w) for n in (org.name, org.short) for w in n.split()])
                      for org in ds.organisations.values() if org.id != own_org]

    def find(self, sentence: str) -> Speaker | None:
        """The reported speaker of a one-line sentence, or None for the document's own words."""
        for pattern in (self._opening, self._according, self._closing, self._pointing, self._has_said):
            m = pattern.search(sentence)
            if m:
                return self._speaker(m.group(1))
        m = self._described.search(sentence)
        if m:
            name = next(g for g in m.groups() if g)
            return Speaker(name[:1].upper() + name[1:].lower(), [])
        return None

    def mentions(self, sentence: str) -> Speaker | None:
        """Another actor whose view a sentence of the document's own refers to ("Vi støtter
        Ekspertgruppens forslag"): the sentence stays the document's, and is also that actor's
        view as the document reports it."""
        for pattern in (self._genitive, self._aside):
            m = pattern.search(sentence)
            if m:
                return self._speaker(m.group(1))
        return None

    @staticmethod
    def continues(sentence: str) -> bool:
        """Whether a sentence goes on with the speaker of the one before ("De mener ...")."""
        return _PRONOUN_CONTINUATION.match(sentence) is not None

    def _speaker(self, text: str) -> Speaker | None:
        found = [m.group()[:1].upper() + m.group()[1:] for m in self._actor.finditer(text)]
        found = [n for n in dict.fromkeys(" ".join(f.split()) for f in found) if _norm(n) not in self._own]
        if not found:
            return None
        ids = list(dict.fromkeys(i for n in found if (i := self._id_of(n))))
        # "Landsorganisasjonen i Norge (LO)": one actor named twice.
        names: list[str] = []
        seen_ids: set[str] = set()
        for n in found:
            org = self._id_of(n)
            if org and org in seen_ids:
                continue
            if org:
                seen_ids.add(org)
            names.append(self._short[org] if org else n)
        return Speaker(" og ".join(names), ids)

    def _id_of(self, name: str) -> str | None:
        """The dataset's organisation for a name: exactly, or by its head word
        ("utvalget" for "NOU 2012:6-utvalget", "Arbeid og sosialdepartementet")."""
        exact = self._ids.get(_norm(name))
        if exact:
            return exact
        head = _key(name.split()[-1])
        if len(head) < MIN_HEAD_WORD:
            return None
        found = {org for org, words in self._orgs
                 if any(_stem(w).endswith(_stem(head)) or (_stem(head).endswith(_stem(w)) and len(w) >= MIN_HEAD_WORD)
                        for w in words)}
        return found.pop() if len(found) == 1 else None


def _key(word: str) -> str:
    """A name word compared loosely: lower case, without punctuation or a genitive -s."""
    word = re.sub(r"[^\w]", "", word.lower())
    return word[:-1] if word.endswith(("ets", "ens", "as")) else word


def _stem(word: str) -> str:
    """'ekspertgruppen', 'ekspertgruppa' -> 'ekspertgrupp': definite endings off."""
    for ending in ("ene", "en", "et", "a", "e"):
        if word.endswith(ending) and len(word) - len(ending) >= MIN_HEAD_WORD:
            return word[: -len(ending)]
    return word


def _norm(name: str) -> str:
    return " ".join(name.lower().split())
