"""Norwegian-aware text handling for search: folding, tokens, stems, display.

Every function here keeps character offsets meaningful: `prepare` returns a
string as long as its input, so a token found in the prepared text stands at
the same offsets in the source.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Callable
from functools import cache, lru_cache

from stancecli.folding import FOLD_TABLE

# Letters a user may type in ASCII: æ as ae, ø as o, å as aa; other accents drop.
_FOLD = FOLD_TABLE

# Compiled on first use: text with no letters beyond æ, ø and å never needs it.
_ACCENTED = "[" + "".join(k for k in map(chr, _FOLD) if k not in "æøå") + "]"


@cache
def _accented() -> re.Pattern[str]:
    return re.compile(_ACCENTED)

JOINER = "\x01"
# A word, possibly broken by a joiner that `prepare` put where a line-end hyphen was.
TOKEN_RE = re.compile(r"[^\W_]+(?:\x01+[^\W_]+)*")

# "anbuds-\nutsetting", also with a blank line between (double-spaced PDF text).
_LINE_HYPHEN = re.compile(r"[-\u00ad][ \t]*\n(?:[ \t]*\n)?[ \t]*(?=[^\W\d_])")
# The same without soft hyphens: a pattern that starts with a plain character is searched for faster.
_LINE_DASH = re.compile(r"-[ \t]*\n(?:[ \t]*\n)?[ \t]*(?=[^\W\d_])")
_SOFT_HYPHEN = re.compile(r"(?<=[^\W_])\u00ad+(?=[^\W_])")
_WORD_AFTER = re.compile(r"[^\W_]+")
WORD_REACH = 64  # characters looked back for the word a line-end hyphen ends
# "sosial-\nog helse": a suspended compound, not a word split by the layout.
_CONJUNCTIONS = frozenset({"og", "eller", "samt", "enn", "til", "som"})

STOPWORDS = frozenset(
    "og i av for til som paa er det en et at aa med de den har ikke om vi kan skal "
    "ved fra eller men seg sin sitt sine ogsaa ble blir vil vaere var hva her der da "
    "saa mot inn ut etter under over mer enn noe nok bare alle andre disse dette denne".split()
)

# Endings that leave a word's meaning intact: bruker+e, bruker+ne, tiltak+ene.
INFLECTIONS = frozenset(
    "e en et ene er erne eren erens ers es ets ens enes ne ns s t te ede ende a ar "
    "ere est este ast".split()
)


def fold(text: str) -> str:
    """Lower case with æ/ø/å and accents spelt as a user types them in ASCII."""
    text = text.lower()
    if text.isascii():
        return text
    text = _spelt(text)
    if text.isascii():
        return text
    return text.translate(_FOLD) if _accented().search(text) else text


def _spelt(low: str) -> str:
    """Lower-case text with æ, ø and å as a user types them in ASCII: ae, o, aa."""
    # str.replace is many times faster than translate with a dict; most text needs only these.
    return low.replace("ø", "o").replace("å", "aa").replace("æ", "ae")


def prepare(text: str) -> str:
    """The text with line-end hyphenation marked as joiners, offsets unchanged."""
    if "-" not in text and "\u00ad" not in text:
        return text
    if "\u00ad" not in text:
        return _LINE_DASH.sub(lambda m: _join_or_keep(text, m), text)
    text = _SOFT_HYPHEN.sub(lambda m: JOINER * len(m.group()), text)
    return _LINE_HYPHEN.sub(lambda m: _join_or_keep(text, m), text)


def _join_or_keep(text: str, m: re.Match[str]) -> str:
    end = m.start()
    if not (end and text[end - 1].isalpha()):
        return m.group()
    after = _WORD_AFTER.match(text, m.end())
    tail = after.group() if after else ""
    # NAV-kontoret keeps its hyphen; so do "mål- og" and "Arbeids-\nDepartementet".
    if not tail[:1].islower() or tail in _CONJUNCTIONS or _in_capitals(text, end):
        return m.group()
    return JOINER * len(m.group())


def _in_capitals(text: str, end: int) -> bool:
    """Whether the word ending at `end` is longer than a letter and all in capitals (NAV-)."""
    if text[end - 1].islower():  # most words: no need to find where the word starts
        return False
    start, reach = end, max(0, end - WORD_REACH)
    while start > reach and text[start - 1].isalnum():  # [^\W_]: a word character, not "_"
        start -= 1
    head = text[start:end]
    return len(head) > 1 and head.isupper()


def tokens(prepared: str) -> list[str]:
    """Folded word tokens of a prepared text."""
    found = TOKEN_RE.findall(fold(prepared))
    if JOINER in prepared:
        found = [t.replace(JOINER, "") if JOINER in t else t for t in found]
    return found


def sentence_tokens(prepared: str, spans: list[tuple[int, int]]) -> list[list[str]]:
    """tokens(prepared[s:e]) for each span, folding all spans in one pass."""
    if not spans:
        return []
    if _SEPARATOR in prepared:  # not a word character: a blank keeps the spans and the parts aligned
        prepared = prepared.replace(_SEPARATOR, " ")
    # One string with a separator folds and splits in C; per-sentence calls cost more.
    joined = _SEPARATOR.join([prepared[s:e] for s, e in spans])
    data = _latin1(joined)
    if data is not None:
        # Lower case, one-letter spellings (ø, é) and blanks for non-word characters in one C pass.
        data = data.translate(_LATIN1_WORD_BYTES)
        if _JOINER_BYTE in data:  # joins the halves of a hyphenated word, as TOKEN_RE does
            data = data.replace(JOINER.encode(), b"")
        for byte, spelling in _TWO_LETTER_SPELLINGS:
            if byte in data:
                data = data.replace(bytes([byte]), spelling)
        if data.isascii():  # else a letter that does not fold (ð, þ): TOKEN_RE decides
            return list(map(str.split, data.decode("ascii").split(_SEPARATOR)))
    return _general_tokens(joined)


_SEPARATOR = "\x02"  # between sentences in sentence_tokens


def _latin1(joined: str) -> bytes | None:
    """The text in Latin-1, punctuation beyond it (– “ ” …) blanked; None if it holds other letters."""
    try:
        return joined.encode("latin-1", _BLANK_WIDE_PUNCTUATION)
    except UnicodeEncodeError:
        return None


def _blank_wide_punctuation(error: UnicodeError) -> tuple[str, int]:
    """A codec error handler: a blank for each character beyond Latin-1 that tokens() would blank."""
    if not isinstance(error, UnicodeEncodeError):
        raise error
    wide = error.object[error.start:error.end]
    if not all(map(_blanked, wide)):
        raise error
    return " " * len(wide), error.end


@lru_cache(maxsize=1024)
def _blanked(ch: str) -> bool:
    """Whether folding leaves `ch` as it is and TOKEN_RE skips it: punctuation such as – “ ” … •."""
    return not ch.isalnum() and ch.lower() == ch and ch.translate(_FOLD) == ch


# Encoding with this error handler calls it once per run of characters beyond Latin-1, in C.
_BLANK_WIDE_PUNCTUATION = "stancecli.search.blank-wide-punctuation"
codecs.register_error(_BLANK_WIDE_PUNCTUATION, _blank_wide_punctuation)


def _general_tokens(joined: str) -> list[list[str]]:
    """sentence_tokens of the joined sentences for any text: TOKEN_RE where letters do not fold to ASCII."""
    folded, plain = _fold_for_tokens(joined.lower())
    split: Callable[[str], list[str]]
    if plain:  # every character that is not part of a word becomes a space, in C; then split
        parts = folded.encode("ascii").translate(_ASCII_WORD_BYTES).decode("ascii").split(_SEPARATOR)
        split = str.split
    else:
        parts = folded.split(_SEPARATOR)
        split = TOKEN_RE.findall
    if JOINER not in folded:
        return [split(part) for part in parts]
    return [split(part.replace(JOINER, "")) if JOINER in part else split(part) for part in parts]


# What TOKEN_RE keeps of ASCII text (and the sentence separator): anything else becomes a space.
_ASCII_WORD_BYTES = bytes(c if chr(c) in "abcdefghijklmnopqrstuvwxyz0123456789\x01\x02" else 0x20
                          for c in range(256))
_JOINER_BYTE = ord(JOINER)
_NON_ASCII = re.compile(r"[^\x00-\x7f]")


def _latin1_folding() -> tuple[bytes, list[tuple[int, bytes]]]:
    """A bytes.translate table doing lower() and fold() of Latin-1 text, non-word characters blanked.

    Letters spelt with two (å, Æ, ß) map to their lower-case byte, replaced after; letters that
    do not fold to ASCII (ð, µ) stay as they are.
    """
    table, two = bytearray(_ASCII_WORD_BYTES), []
    for byte in range(128):
        table[byte] = _ASCII_WORD_BYTES[ord(chr(byte).lower())]
    for byte in range(128, 256):
        low = chr(byte).lower()
        spelt = _spelt(low).translate(_FOLD)
        if spelt == low:
            table[byte] = ord(low) if low.isalnum() else 0x20
        elif len(spelt) == 1:
            table[byte] = ord(spelt)
        else:
            table[byte] = ord(low)
            two.append((ord(low), spelt.encode("ascii")))
    return bytes(table), sorted(set(two))


_LATIN1_WORD_BYTES, _TWO_LETTER_SPELLINGS = _latin1_folding()


def _fold_for_tokens(low: str) -> tuple[str, bool]:
    """fold() of lower-case text, non-ASCII punctuation blanked; and whether it is ASCII."""
    folded = _spelt(low)
    if folded.isascii():
        return folded, True
    for ch in set(_NON_ASCII.findall(folded)):
        mapped = ch.translate(_FOLD)
        folded = folded.replace(ch, " " if mapped == ch and not ch.isalnum() else mapped)
    return folded, folded.isascii()


def token_bounds(prepared: str) -> list[tuple[int, int]]:
    """(start, end) of each word of a prepared text: the words `tokens` gives, in order (each
    folds to its token)."""
    return [m.span() for m in TOKEN_RE.finditer(prepared)]


def query_terms(query: str) -> list[str]:
    """The folded words of a query as typed."""
    return tokens(prepare(query.replace("-", " ")))


@lru_cache(maxsize=1)
def _stemmer():
    import snowballstemmer

    return snowballstemmer.stemmer("norwegian")


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """Snowball Norwegian stem of a folded word; always a prefix of the word."""
    return stem_all([word])[0]


def stem_all(words: list[str]) -> list[str]:
    """stem() of each word; numbers and words of three letters or fewer stay as they are."""
    todo = [w for w in words if len(w) > 3 and w.isalpha()]
    if not todo:
        return list(words)
    stems = dict(zip(todo, _stemmer().stemWords(todo)))
    out = []
    for w in words:
        s = stems.get(w, w)
        out.append(s if w.startswith(s) else w)
    return out


def is_inflection(term: str, base: str) -> bool:
    """Whether `term` is `base` plus an inflectional ending."""
    return term.startswith(base) and term[len(base):] in INFLECTIONS


# Layout: a run of whitespace, or one joiner or soft hyphen (these vanish).
_LAYOUT = re.compile("(\\s+)|[" + JOINER + "\u00ad]")
# The same but for a lone space, which stays as it is anywhere but at either end of a text: most of
# a sentence's layout, copied with its words instead of matched one space at a time.
_ODD_LAYOUT = re.compile("(\\s{2,}|[^\\S ])|[" + JOINER + "\u00ad]")


def one_line(text: str) -> tuple[str, list[int]]:
    """Text with layout removed, and where each input offset lands in it.

    Whitespace runs become one space, joiners (hyphenation) vanish and a kept
    line-end hyphen loses the break after it ("NAV-\\nkontoret" -> "NAV-kontoret").
    Returns the new text and a list of len(text)+1 positions into it.
    """
    out: list[str] = []
    where: list[int] = []
    pos = i = 0
    n = len(text)
    last: str | None = None  # the last piece put out (a letter, or the glue of a whitespace run)
    at_ends = text.lstrip(JOINER + "\u00ad")[:1].isspace() or text[-1:].isspace()
    for m in (_LAYOUT if at_ends else _ODD_LAYOUT).finditer(text):
        a, b = m.span()
        if a > i:  # the words between, copied as they are
            out.append(text[i:a])
            where.extend(range(pos, pos + a - i))
            pos += a - i
            last = text[a - 1]
        if m.group(1) is None:  # a joiner or soft hyphen
            where.append(pos)
        else:
            glue = "" if (last == "-" and "\n" in m.group(1) and b < n) or last is None or b == n else " "
            where.extend([pos] * (b - a))
            out.append(glue)
            pos += len(glue)
            last = glue
        i = b
    if i < n:
        out.append(text[i:])
        where.extend(range(pos, pos + n - i))
        pos += n - i
    where.append(pos)
    return "".join(out), where


def typed_words(query: str) -> list[str]:
    """The words of a query in lower case but not folded: for --exact."""
    return [w.lower() for w in TOKEN_RE.findall(query.replace("-", " "))]
