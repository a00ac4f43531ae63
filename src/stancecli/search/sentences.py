"""Sentence splitting for PDF-extracted Norwegian text.

Lines wrap mid-sentence, some files put a blank line after every line, lists
come as bullets or numbers, and abbreviations such as `bl.a.`, `f.eks.`,
`jfr.`, `mv.` or `kap. 17.2.1.` end in a full stop without ending a sentence.
"""

from __future__ import annotations

import re
from functools import lru_cache

# Abbreviations that never end a sentence, even before a capital ("jfr. NOU 2012:6").
NEVER_FINAL = frozenset(
    """bl.a f.eks eks jfr jf kap nr pkt ca dvs evt mht iht ifm vedr ang ref inkl ekskl
    mill mrd kr pr tlf st meld prop innst ot s d f.o.m t.o.m o.a bl.annet avd adr
    dept hhv vha iflg ifølge mnd kl ibid vs bla""".split()
)
# Abbreviations that end a sentence only before a capital ("tiltak mv. Dette ...").
MAYBE_FINAL = frozenset("mv m.m osv etc m.fl e.l o.l mfl".split())
# Section numbers after these stay in the sentence: "kap. 17.2.1. og 17.3".
_SECTION_WORDS = frozenset({"kap", "pkt", "§", "avsnitt", "punkt", "kapittel"})

_BULLET = re.compile(
    r"^[ \t]*(?:[-–—•▪◦●■*·\uf0b7\uf0a7]|o(?=[ \t])|\(?\d{1,2}[.)]?(?=[ \t]+[«\"(]?[A-ZÆØÅ])"
    r"|\(?[a-z][.)](?=[ \t]))[ \t]+",
    re.M,
)
# Starts with a bare character class so that the regex engine can skip ahead fast.
_END = re.compile(
    r"[.!?…:](?:(?<=:)(?=[ \t]*\n)|(?<!:)[.!?…]*[)\"»”’'\]]*(?=\s|$))(?=\s*(\S?))"
)
_GAP = re.compile(r"\n(?:[ \t]*\n)+")
_FILLED = re.compile(r"^[ \t]*\S", re.M)
_FILLED_THEN_BLANK = re.compile(r"^[ \t]*\S[^\n]*\n[ \t]*\n", re.M)
_HAS_LETTER = re.compile(r"[^\W\d_]")
MAX_SENTENCE = 1200


def split(text: str) -> list[tuple[int, int]]:
    """(start, end) offsets of the sentences of `text`, bullets and layout trimmed."""
    out: list[tuple[int, int]] = []
    starts = _block_starts(text)
    ends = _END.finditer(text)
    m = next(ends, None)
    for k, (_, cur) in enumerate(starts):
        block_end = starts[k + 1][0] if k + 1 < len(starts) else len(text)
        while m is not None and m.start() < block_end:
            if m.start() >= cur and _is_boundary(text, cur, m):
                _emit(text, cur, m.end(), out)
                cur = m.end()
            m = next(ends, None)
        _emit(text, cur, block_end, out)
    return out


def _emit(text: str, s: int, e: int, out: list[tuple[int, int]]) -> None:
    s, e = _trim(text, s, e)
    if e > s and _HAS_LETTER.search(text, s, e):
        out.extend(_cap_length(text, s, e))


def _block_starts(text: str) -> list[tuple[int, int]]:
    """Where paragraphs, bullet items and headings begin: (line start, text start)."""
    lengths = sorted(len(line.rstrip()) for line in text.split("\n") if line.strip())
    if not lengths:
        return []
    wide = lengths[int(len(lengths) * 0.75)]
    filled = len(_FILLED.findall(text))
    double = filled >= 4 and len(_FILLED_THEN_BLANK.findall(text)) >= 0.8 * filled
    blank_gap = 2 if double else 1
    first = _FILLED.search(text)
    assert first is not None
    starts: dict[int, int] = {first.start(): first.start()}
    for m in _GAP.finditer(text):
        if m.end() >= len(text):
            continue
        prev, line = _line_before(text, m.start()), _line_at(text, m.end())
        if m.group().count("\n") - 1 >= blank_gap:
            new = not _continues(prev, line, wide)
        else:
            new = _looks_like_heading(prev, line, wide)
        if new:
            starts[m.end()] = m.end()
    for m in _BULLET.finditer(text):
        starts[m.start()] = m.end()
    for line_start in _headings(text, wide, blank_gap):
        starts.setdefault(line_start, line_start)
    return sorted(starts.items())


def _line_before(text: str, end: int) -> str:
    return text[text.rfind("\n", 0, end) + 1:end]


def _line_at(text: str, start: int) -> str:
    end = text.find("\n", start)
    return text[start:end if end >= 0 else len(text)]


def _headings(text: str, wide: int, blank_gap: int):
    """Line starts that follow a heading-like line directly (no paragraph gap)."""
    limit = int(0.6 * wide)
    if limit < 2:
        return
    for m in _short_lines(limit).finditer(text):
        nxt = m.end() + 1
        if nxt < len(text) and _looks_like_heading(m.group(), _line_at(text, nxt), wide):
            yield nxt


@lru_cache(maxsize=256)
def _short_lines(limit: int) -> re.Pattern[str]:
    return re.compile(r"^[ \t]*\S[^\n]{0,%d}(?=\n)" % max(limit - 1, 0), re.M)


def _continues(prev: str, line: str, wide: int) -> bool:
    """Whether a line after a blank line goes on with the sentence before it."""
    if line.lstrip()[:1].islower():
        return True
    body = prev.rstrip()
    if not body or body[-1] in ".!?:;":
        return False
    return len(body) >= 0.75 * wide


def _looks_like_heading(prev: str, line: str, wide: int) -> bool:
    """A short line without closing punctuation before a capitalised line."""
    body = prev.strip()
    if not body or body[-1] in ".,;:!?-–" or not line.lstrip()[:1].isupper():
        return False
    return len(prev.rstrip()) < 0.6 * wide


def _is_boundary(text: str, sent_start: int, m: re.Match[str]) -> bool:
    following = m.group(1)
    if text[m.start()] == ":":
        return True
    if following and not (following.isupper() or following.isdigit() or following in "«\"“(-–•"):
        return False
    if text[m.start()] != ".":
        return True
    at = m.start()
    lo = max(sent_start, at - 40)
    cut = max(text.rfind(" ", lo, at), text.rfind("\n", lo, at), lo - 1)
    word = text[cut + 1:at].lstrip("(«\"'[“-–").lower()
    if not word:
        return True
    last = word.rsplit(".", 1)[-1]
    if word in NEVER_FINAL or last in NEVER_FINAL or (len(word) == 1 and word.isalpha()):
        return False
    if word in MAYBE_FINAL:
        return True
    if word[0].isdigit():
        return _number_ends_sentence(text, sent_start, at - len(word), word)
    return True


def _number_ends_sentence(text: str, sent_start: int, at: int, word: str) -> bool:
    """'i 2014. Det' ends a sentence; 'kap. 17.2.1. Det' and a list '1. Et' do not."""
    prefix = text[max(sent_start, at - 40):at].split()
    if not prefix:
        return False
    previous = prefix[-1].lower().rstrip(".")
    return previous not in _SECTION_WORDS


def _trim(text: str, s: int, e: int) -> tuple[int, int]:
    piece = text[s:e]
    body = piece.lstrip()
    s += len(piece) - len(body)
    return s, s + len(body.rstrip())


def _cap_length(text: str, s: int, e: int) -> list[tuple[int, int]]:
    """Cut a run-on 'sentence' (a table, a list without stops) at line breaks."""
    if e - s <= MAX_SENTENCE:
        return [(s, e)]
    out, piece = [], s
    while e - piece > MAX_SENTENCE:
        cut = text.rfind("\n", piece + MAX_SENTENCE // 3, piece + MAX_SENTENCE)
        if cut == -1:
            cut = text.rfind(" ", piece + 1, piece + MAX_SENTENCE)
        if cut <= piece:
            cut = piece + MAX_SENTENCE
        a, b = _trim(text, piece, cut)
        if b > a:
            out.append((a, b))
        piece = cut
    a, b = _trim(text, piece, e)
    if b > a:
        out.append((a, b))
    return out
