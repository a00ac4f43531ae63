"""Sentence splitting for PDF-extracted Norwegian text.

Lines wrap mid-sentence, some files put a blank line after every line, lists
come as bullets or numbers, and abbreviations such as `bl.a.`, `f.eks.`,
`jfr.`, `mv.` or `kap. 17.2.1.` end in a full stop without ending a sentence.
"""

from __future__ import annotations

import re

# Abbreviations that never end a sentence, even before a capital ("jfr. NOU 2012:6").
NEVER_FINAL = frozenset(
    """bl.a f.eks eks jfr jf kap nr pkt ca dvs evt mht iht ifm vedr ang ref inkl ekskl
    mill mrd kr pr tlf st meld prop innst ot s d f.o.m t.o.m o.a bl.annet avd adr
    dept hhv vha iflg ifølge mnd kl ibid vs bla""".split()
)
# Abbreviations that end a sentence only before a capital ("tiltak mv. Dette ...").
MAYBE_FINAL = frozenset("mv m.m osv etc m.fl e.l o.l mfl".split())
_LONGEST = 16  # characters: no abbreviation or section number (17.2.1.4) is longer
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
_HAS_LETTER = re.compile(r"[^\W\d_]")
_BULLET_MARKS = frozenset("-–—•▪◦●■*·(\uf0b7\uf0a7")
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
    piece = text[s:e]
    body = piece.strip()
    if not body or not _HAS_LETTER.search(body):
        return
    s += len(piece) - len(piece.lstrip())
    e = s + len(body)
    if e - s <= MAX_SENTENCE:
        out.append((s, e))
    else:
        out.extend(_cap_length(text, s, e))


def _block_starts(text: str) -> list[tuple[int, int]]:
    """Where paragraphs, bullet items and headings begin: (line start, text start)."""
    lines = text.split("\n")
    widths = [len(line.rstrip()) for line in lines]  # 0 for a blank line
    filled = [w for w in widths if w]
    if not filled:
        return []
    wide = sorted(filled)[int(len(filled) * 0.75)]
    followed = sum(1 for a, b in zip(widths, widths[1:]) if a and not b)
    # Double-spaced text puts a blank line after every line: there a paragraph takes two.
    blank_gap = 2 if len(filled) >= 4 and followed >= 0.8 * len(filled) else 1
    short = 0.6 * wide
    starts: dict[int, int] = {}
    pos, prev, blanks = 0, -1, 0
    for i, line in enumerate(lines):
        if not widths[i]:
            blanks += 1
        else:
            if prev < 0:
                starts[pos] = pos
            elif blanks >= blank_gap:
                if not _continues(lines[prev], line, wide):
                    starts[pos] = pos
            elif widths[prev] < short and _looks_like_heading(lines[prev], line, wide):
                starts[pos] = pos
            if _maybe_bullet(line.lstrip()):
                m = _BULLET.match(text, pos)
                if m:
                    starts[pos] = m.end()
            prev, blanks = i, 0
        pos += len(line) + 1
    return sorted(starts.items())


def _maybe_bullet(body: str) -> bool:
    """A cheap test before the bullet regex: most lines start with a word."""
    first = body[:1]
    if first in _BULLET_MARKS or first.isdigit():
        return True
    return first == "o" or (first.islower() and body[1:2] in ".)")


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
    lo = max(sent_start, at - _LONGEST)
    cut = max(text.rfind(" ", lo, at), text.rfind("\n", lo, at))
    if cut < 0 and lo > sent_start:
        return True  # a word longer than any abbreviation or section number
    cut = max(cut, lo - 1)
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
