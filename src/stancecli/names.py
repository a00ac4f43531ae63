"""Forgiving name resolution: keys, ids, aliases and titles, any case, æøå typed as ae/o/aa."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

from stancecli.errors import NameError_
from stancecli.folding import FOLD_TABLE
from stancecli.model import Dataset

_FOLD = FOLD_TABLE
# Told, in one line, when a name resolves only as the prefix of one entry: a guess the user should
# see ('arbeidsliv' taken as 'arbeidslivssentre'). The CLI points it at stderr; the library is silent.
inexact_hook: Callable[[str], None] | None = None
_SEPARATORS = re.compile(r"[\s_\-–—./]+")


NAME_SHOWN_MAX = 80  # an unknown name is quoted this far in the message, not in full
MAX_NEW_ID = 64  # a new id names files (ID.txt): far below any file system's limit on a name


def usable_new_id(text: str) -> bool:
    """Whether `text` may be the id of a new organisation or document."""
    from stancecli.loading import ID_PATTERN

    return len(text) <= MAX_NEW_ID and ID_PATTERN.match(text) is not None


def fold(name: str) -> str:
    """The form names are compared in: 'Ordinært arbeidsliv' -> 'ordinaert-arbeidsliv'."""
    name = unicodedata.normalize("NFC", name).casefold().translate(_FOLD)
    name = "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c))
    # Stripping accents can uncover an æ/ø (from Ǽ, ǿ): fold again so fold(fold(x)) == fold(x).
    name = name.casefold().translate(_FOLD)
    return _SEPARATORS.sub("-", name).strip("-")


@dataclass
class UnknownName(NameError_):
    """A name that resolves to nothing; carries the closest candidates."""

    kind: str
    name: str
    suggestions: list[str]

    def __str__(self) -> str:
        shown = self.name if len(self.name) <= NAME_SHOWN_MAX else self.name[:NAME_SHOWN_MAX - 1] + "…"
        msg = f"unknown {self.kind} '{shown}'"
        if self.suggestions:
            msg += f"; did you mean {', '.join(self.suggestions)}?"
        return msg


def _table(entries: dict[str, list[str]]) -> dict[str, str]:
    """folded name -> id; ids win over aliases and titles."""
    out: dict[str, str] = {}
    for ident in entries:
        out[fold(ident)] = ident
    for ident, names in entries.items():
        for name in names:
            out.setdefault(fold(name), ident)
    return out


def resolve(kind: str, name: str, entries: dict[str, list[str]]) -> str:
    if name in entries:  # the common case, typed exactly: no folding needed
        return name
    table = _table(entries)
    key = fold(name)
    if key in table:
        return table[key]
    prefixed = {ident for folded, ident in table.items() if key and folded.startswith(key)}
    if len(prefixed) == 1:
        found = prefixed.pop()
        if inexact_hook is not None:
            inexact_hook(f"'{name}' taken as {kind} '{found}' (the only {kind} it begins)")
        return found
    raise UnknownName(kind, name, suggest(name, entries))


def suggest(name: str, entries: dict[str, list[str]], limit: int = 3) -> list[str]:
    from rapidfuzz import fuzz, process

    table = _table(entries)
    found = process.extract(fold(name), list(table), scorer=fuzz.WRatio, limit=limit * 4, score_cutoff=60)
    out: list[str] = []
    for folded, _score, _i in found:
        ident = table[folded]
        if ident not in out:
            out.append(ident)
    return out[:limit]


def issue_names(ds: Dataset) -> dict[str, list[str]]:
    return {k: [*i.aliases, i.title.nb, i.title.en] for k, i in ds.issues.items()}


def org_names(ds: Dataset) -> dict[str, list[str]]:
    return {k: [o.name, o.short] for k, o in ds.organisations.items()}


def doc_names(ds: Dataset) -> dict[str, list[str]]:
    return {k: [d.title] for k, d in ds.documents.items()}


def resolve_issue(ds: Dataset, name: str) -> str:
    return resolve("issue", name, issue_names(ds))


def resolve_org(ds: Dataset, name: str) -> str:
    return resolve("organisation", name, org_names(ds))


def resolve_doc(ds: Dataset, name: str) -> str:
    return resolve("document", name, doc_names(ds))
