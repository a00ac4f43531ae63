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
# Section numbers after these stay in the sentence: "kap. 17.2.1. og 17.3".
_SECTION_WORDS = frozenset({"kap", "pkt", "§", "avsnitt", "punkt", "kapittel"})

_BULLET = re.compile(
    r"[ \t]*(?:[-–—•▪◦●■*·\uf0b7\uf0a7]|o(?=[ \t])|\(?\d{1,2}[.)]?(?=[ \t]+[«\"(]?[A-ZÆØÅ])"
    r"|\(?[a-z][.)](?=[ \t]))[ \t]+"
)
_END = re.compile(r"[.!?…]+[)\"»”’'\]]*(?=\s|$)|:(?=[ \t]*\n)")
_WORD_BEFORE = re.compile(r"(?:[^\W_]+\.)*[^\W_]+$|§$")
_NEXT = re.compile(r"\s*(\S?)")
_HAS_LETTER = re.compile(r"[^\W\d_]")
MAX_SENTENCE = 1200


def split(text: str) -> list[tuple[int, int]]:
    """(start, end) offsets of the sentences of `text`, bullets and layout trimmed."""
    out: list[tuple[int, int]] = []
    for start, end in _blocks(text):
        for s, e in _sentences_in(text, start, end):
            s, e = _trim(text, s, e)
            if e > s and _HAS_LETTER.search(text, s, e):
                out.extend(_cap_length(text, s, e))
    return out


def _lines(text: str) -> list[tuple[int, int]]:
    spans, pos = [], 0
    for line in text.split("\n"):
        spans.append((pos, pos + len(line)))
        pos += len(line) + 1
    return spans


def _double_spaced(text: str, lines: list[tuple[int, int]]) -> bool:
    """Whether the file puts a blank line after (nearly) every line of text."""
    filled = followed = 0
    for i, (s, e) in enumerate(lines[:-1]):
        if text[s:e].strip():
            filled += 1
            ns, ne = lines[i + 1]
            followed += not text[ns:ne].strip()
    return filled >= 4 and followed >= 0.8 * filled


def _blocks(text: str):
    """Paragraphs, bullet items and headings as (start, end) offsets."""
    lines = _lines(text)
    blank_gap = 2 if _double_spaced(text, lines) else 1
    widths = sorted(len(text[s:e].rstrip()) for s, e in lines if text[s:e].strip())
    wide = widths[int(len(widths) * 0.75)] if widths else 0
    start = None
    blanks = 0
    prev_line = ""
    for s, e in lines:
        line = text[s:e]
        if not line.strip():
            blanks += 1
            continue
        bullet = _BULLET.match(line)
        if start is None or bullet is not None:
            new_block = True
        elif blanks >= blank_gap:
            new_block = not _continues(prev_line, line, wide)
        else:
            new_block = _looks_like_heading(prev_line, line, wide)
        if new_block:
            if start is not None:
                yield start, prev_end
            start = s + (bullet.end() if bullet else 0)
        prev_end, prev_line, blanks = e, line, 0
    if start is not None:
        yield start, prev_end


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


def _sentences_in(text: str, start: int, end: int):
    s = start
    for m in _END.finditer(text, start, end):
        if _is_boundary(text, s, m):
            yield s, m.end()
            s = m.end()
    yield s, end


def _is_boundary(text: str, sent_start: int, m: re.Match[str]) -> bool:
    nxt = _NEXT.match(text, m.end())
    following = nxt.group(1) if nxt else ""
    if m.group().startswith(":"):
        return True
    if following and not (following.isupper() or following.isdigit() or following in "«\"“(-–•"):
        return False
    if m.group()[0] != ".":
        return True
    before = _WORD_BEFORE.search(text, sent_start, m.start())
    if before is None:
        return True
    word = before.group().lower()
    last = word.rsplit(".", 1)[-1]
    if word in NEVER_FINAL or last in NEVER_FINAL or (len(word) == 1 and word.isalpha()):
        return False
    if word in MAYBE_FINAL:
        return True
    if word[0].isdigit():
        return _number_ends_sentence(text, sent_start, before.start(), word)
    return True


def _number_ends_sentence(text: str, sent_start: int, at: int, word: str) -> bool:
    """'i 2014. Det' ends a sentence; 'kap. 17.2.1. Det' and a list '1. Et' do not."""
    prefix = text[sent_start:at].split()
    if not prefix:
        return False
    previous = prefix[-1].lower().rstrip(".")
    return previous not in _SECTION_WORDS


def _trim(text: str, s: int, e: int) -> tuple[int, int]:
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    return s, e


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
