"""The one cleaner for untrusted text (quotes, names, titles, file names) in every output format.

One character set: C0 and C1 controls (ESC starts terminal escape sequences), line and paragraph
separators, and the bidirectional controls that reorder what a reader sees (U+202E and kin).
"""

from __future__ import annotations

import re
from functools import cache

TYPE_CHECKING = False  # typing is not imported at run time (see stancecli/typed.py)
if TYPE_CHECKING:
    from typing import Any

# Every one of these is a character str.isprintable() refuses, so printable text needs no search:
# the pattern is compiled only when some text is not printable (most runs never compile it).
UNSAFE_CHARS = "[\x00-\x1f\x7f-\x9f\u2028\u2029\u200e\u200f\u061c\u202a-\u202e\u2066-\u2069]"
REPLACEMENT = "\ufffd"
# Breaks and terminal sequences are all unsafe characters: these two are only needed, and compiled
# (by re, which keeps them), when there is something unsafe.
_BREAKS = r"[\t\n\r\u2028\u2029]+"
# A whole terminal sequence (CSI "ESC [ ... m", OSC "ESC ] ... BEL"), not only its ESC.
_SEQUENCE = r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?"


@cache
def _unsafe() -> re.Pattern[str]:
    return re.compile(UNSAFE_CHARS)


def has_unsafe(text: str) -> bool:
    """Whether the text holds an unsafe character (one of UNSAFE_CHARS)."""
    return not text.isprintable() and _unsafe().search(text) is not None


def _text(value: Any) -> str:
    """A value as the text clean() starts from (lists already cleaned)."""
    if value is None:
        return ""
    if isinstance(value, float):
        return _float_text(value)
    if isinstance(value, (list, tuple)):
        return " | ".join(clean(v) for v in value)
    return str(value)


def _float_text(value: float) -> str:
    return f"{value:.3f}".rstrip("0").rstrip(".") if value == value else "n/a"


def clean_column(values: list[Any]) -> list[str]:
    """Each value as clean() gives it: a column of a listing at once, one search over all of it
    when nothing in it is unsafe (a pipe of thousands of rows pays per column, not per value)."""
    kinds = set(map(type, values))
    if kinds <= {str}:
        texts = values
    elif kinds <= {str, int}:
        texts = list(map(str, values))
    elif kinds <= {float}:
        texts = list(map(_float_text, values))
    else:
        texts = [_text(v) for v in values]
    if not has_unsafe("".join(texts)):  # most columns
        return texts
    return [clean(text) for text in texts]


def clean(value: Any) -> str:
    """One value as a single safe line: breaks and tabs become a space, other unsafe characters go."""
    text = _text(value)
    if not has_unsafe(text):  # most text
        return text
    if "\x1b" in text:
        text = re.sub(_SEQUENCE, "", text)
    if re.search(_BREAKS, text):
        text = " ".join(re.sub(_BREAKS, " ", text).split())
    return _unsafe().sub("", text)


def mask(text: str) -> str:
    """Text of the same length, safe on one line: breaks and tabs become spaces, other unsafe
    characters U+FFFD. For text with highlight spans (offsets) that must still fit."""
    return _unsafe().sub(lambda m: " " if re.fullmatch(_BREAKS, m.group()) else REPLACEMENT, text)


def keep_lines(text: str) -> str:
    """Text with its line breaks and tabs kept but terminal sequences and other unsafe characters
    removed: for cells that hold several lines (a spreadsheet, an HTML page)."""
    if "\x1b" in text:
        text = re.sub(_SEQUENCE, "", text)
    return _unsafe().sub(lambda m: m.group() if m.group() in "\n\t" else "", text)


def escape(text: str) -> str:
    """Unsafe characters shown as escapes (ESC as \\x1b): for messages about bad data."""
    return _unsafe().sub(lambda m: f"\\x{ord(m.group()):02x}" if ord(m.group()) < 256
                      else f"\\u{ord(m.group()):04x}", text)
