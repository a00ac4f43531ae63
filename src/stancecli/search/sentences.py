"""Sentence splitting for PDF-extracted Norwegian text.

Lines wrap mid-sentence, some files put a blank line after every line, lists
come as bullets or numbers, and abbreviations such as `bl.a.`, `f.eks.`,
`jfr.`, `mv.` or `kap. 17.2.1.` end in a full stop without ending a sentence.
"""

from __future__ import annotations

import re
from functools import lru_cache
from itertools import accumulate, compress, count

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

# A list item's mark and the blanks after it, at the start of a line. Each branch starts with a
# plain character or a class, so the regex engine rejects a line's first character quickly.
_BULLET_MARK = (
    r"[ \t]*(?:[-–—•▪◦●■*·\uf0b7\uf0a7]|o(?=[ \t])"
    r"|\d{1,2}[.)]?(?=[ \t]+[«\"(]?[A-ZÆØÅ])|\(\d{1,2}[.)]?(?=[ \t]+[«\"(]?[A-ZÆØÅ])"
    r"|[a-z][.)](?=[ \t])|\([a-z][.)](?=[ \t]))[ \t]+"
)
_FIRST_BULLET = re.compile(_BULLET_MARK)  # matched at the start of the text
# The other lines' bullets in one pass: a pattern starting with a plain character is searched for fast.
_LINE_BULLET = re.compile("\n" + _BULLET_MARK)
# What may end a sentence: a run of . ! ? … (and closing quotes or brackets) before whitespace, or a
# colon ending a line. Then, looking ahead: group 1 the blanks before the next sentence; group 2 a
# capital or digit, the usual next character; else group 3 the next character, if any.
_RUN = r"[.!?…]*[)\"»”’'\]]*(?=\s|$)"
_NEXT = r"(?=(\s*)(?:([A-ZÆØÅ0-9])|(\S?)))"
_OTHER_NEXT = 3
# Most full stops come after a plain word longer than any abbreviation, before a capital: a sentence
# ends there for sure, and the pattern says so with an empty group 4, sparing _is_boundary the word
# lookup. The word ends in _PLAIN_WORD letters, and the characters before them as far as _is_boundary
# looks hold no digit (a number could begin the word there) and no other odd character.
_PLAIN_END = 4
_PLAIN_WORD = 1 + max(len(word) for word in NEVER_FINAL if "." not in word)
_LETTER = "[a-zA-ZæøåÆØÅ]"
_NO_DIGIT = r"[ \n\ta-zA-ZæøåÆØÅ.,;:()«»\"'/\-]"  # Latin-1 only: a bitmap, tested fast
_PLAIN = rf"(?(2)(?:(?<={_NO_DIGIT}{{{_LONGEST - _PLAIN_WORD}}}{_LETTER}{{{_PLAIN_WORD}}}\.)()|))"
# One pattern per mark, each found only where a run begins, so that the matches never overlap: a
# pattern that starts with a plain character is searched for several times faster than one that
# starts with a character class, and a text holds only some of the marks.
_FULL_STOP = re.compile(rf"\.(?<![.!?…]\.){_RUN}{_NEXT}{_PLAIN}")
_OTHER_STOPS = [(mark, re.compile(rf"{re.escape(mark)}(?<![.!?…]{re.escape(mark)}){_RUN}{_NEXT}")) for mark in "!?…"]
_OTHER_STOPS.append((":", re.compile(rf":(?=[ \t]*\n){_NEXT}")))
_HAS_LETTER = re.compile(r"[^\W\d_]")
_SPACES = re.compile(r"\s*")  # \s is str.isspace(), as str.strip() trims
_OPENERS = "(«\"'[“-–"  # stripped from the front of the word before a full stop
_WORDS_CACHED = 4096
MAX_SENTENCE = 1200


def split(text: str) -> list[tuple[int, int]]:
    """(start, end) offsets of the sentences of `text`, bullets and layout trimmed."""
    out: list[tuple[int, int]] = []
    starts = _block_starts(text)
    block_ends = [line for line, _ in starts[1:]]
    block_ends.append(len(text))
    ends = iter(_stops(text))
    m = next(ends, None)
    for (_, cur), block_end in zip(starts, block_ends):
        first = _skip_blanks(text, cur, block_end)  # where the sentence from `cur` begins
        while m is not None and (at := m.start()) < block_end:
            if at >= cur and (m.lastindex == _PLAIN_END or _is_boundary(text, cur, at, m)):
                cur = m.end()
                if text[first].isalpha() and cur - first <= MAX_SENTENCE:  # most sentences: no need to look
                    out.append((first, cur))
                else:
                    _add(text, first, cur, out)
                first = m.end(1)
            m = next(ends, None)
        if first < block_end:
            _add(text, first, first + len(text[first:block_end].rstrip()), out)
    return out


def _stops(text: str) -> list[re.Match[str]]:
    """Where sentences may end, in order."""
    found = list(_FULL_STOP.finditer(text))
    full_stops = len(found)
    for mark, pattern in _OTHER_STOPS:
        if mark in text:  # a quick scan spares the rarer marks' patterns most texts
            found.extend(pattern.finditer(text))
    if len(found) > full_stops:
        found.sort(key=re.Match.start)
    return found


def _skip_blanks(text: str, at: int, end: int) -> int:
    """The first position from `at` that holds no whitespace, or `end`."""
    blanks = _SPACES.match(text, at, end)
    return blanks.end() if blanks else at


def _add(text: str, s: int, e: int, out: list[tuple[int, int]]) -> None:
    """Add the sentence text[s:e], without blanks around it, unless it holds no letter."""
    if s >= e or not (text[s].isalpha() or _HAS_LETTER.search(text, s, e)):
        return
    if e - s <= MAX_SENTENCE:
        out.append((s, e))
    else:
        out.extend(_cap_length(text, s, e))


def _block_starts(text: str) -> list[tuple[int, int]]:
    """Where paragraphs, bullet items and headings begin: (line start, text start)."""
    lines = text.split("\n")
    widths = list(map(len, map(str.rstrip, lines)))  # 0 for a blank line
    n_blank = widths.count(0)
    n_filled = len(widths) - n_blank
    if not n_filled:
        return []
    wide = sorted(widths)[n_blank + int(n_filled * 0.75)]
    short = 0.6 * wide
    new = [next(compress(count(), widths))]  # the first line that is not blank
    after_blank: list[tuple[int, int]] = []  # (line, the last line before it that is not blank)
    # Only a line after a short or a blank (0 wide) one can begin a block: compress skips the others in C.
    for i in compress(range(1, len(widths)), map(short.__gt__, widths)):
        if not widths[i]:
            continue
        prev = i - 1
        if widths[prev]:
            if _looks_like_heading(lines[prev], lines[i], wide):
                new.append(i)
            continue
        while prev >= 0 and not widths[prev]:
            prev -= 1
        if prev >= 0:
            after_blank.append((i, prev))
    followed = len(after_blank) + (not widths[-1])  # lines with a blank line after them
    # Double-spaced text puts a blank line after every line: there a paragraph takes two.
    blank_gap = 2 if n_filled >= 4 and followed >= 0.8 * n_filled else 1
    for i, prev in after_blank:
        if i - prev - 1 >= blank_gap:
            if not _continues(lines[prev], lines[i], wide):
                new.append(i)
        elif widths[prev] < short and _looks_like_heading(lines[prev], lines[i], wide):
            new.append(i)
    before = list(accumulate(map(len, lines), initial=0))  # line i starts at before[i] + i
    starts = {before[i] + i: before[i] + i for i in new}
    bullet = _FIRST_BULLET.match(text)
    if bullet:
        starts[0] = bullet.end()
    for bullet in _LINE_BULLET.finditer(text):
        starts[bullet.start() + 1] = bullet.end()
    return sorted(starts.items())


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


def _is_boundary(text: str, sent_start: int, at: int, m: re.Match[str]) -> bool:
    mark = text[at]
    if mark == ":":
        return True
    if m.lastindex == _OTHER_NEXT:
        following = m.group(_OTHER_NEXT)
        if following and not (following.isupper() or following.isdigit() or following in "«\"“(-–•"):
            return False
    if mark != ".":
        return True
    lo = at - _LONGEST
    if lo < sent_start:
        lo = sent_start
    # The word before the stop: after the last space or line break (one slice costs less than two rfinds).
    _, blank, before = text[lo:at].replace("\n", " ").rpartition(" ")
    if not blank and lo > sent_start:
        return True  # a word longer than any abbreviation or section number
    verdict = _stop_after(before)
    if verdict is None:
        return _number_ends_sentence(text, sent_start, at - len(_word(before)))
    return verdict


def _word(before_stop: str) -> str:
    return before_stop.lstrip(_OPENERS).lower()


@lru_cache(maxsize=_WORDS_CACHED)  # sentences end in the same words again and again
def _stop_after(before_stop: str) -> bool | None:
    """Whether a full stop after this word ends a sentence; None for a number: it depends on the words before."""
    word = _word(before_stop)
    if not word:
        return True
    last = word.rsplit(".", 1)[-1]
    if word in NEVER_FINAL or last in NEVER_FINAL or (len(word) == 1 and word.isalpha()):
        return False
    if word in MAYBE_FINAL:
        return True
    if word[0].isdigit():
        return None
    return True


def _number_ends_sentence(text: str, sent_start: int, at: int) -> bool:
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
