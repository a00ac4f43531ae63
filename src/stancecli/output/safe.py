"""The one cleaner for untrusted text (quotes, names, titles, file names) in every output format.

One character set: C0 and C1 controls (ESC starts terminal escape sequences), line and paragraph
separators, and the bidirectional controls that reorder what a reader sees (U+202E and kin).
"""

from __future__ import annotations

import re
from typing import Any

UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u200e\u200f\u061c\u202a-\u202e\u2066-\u2069]")
REPLACEMENT = "\ufffd"
_BREAKS = re.compile(r"[\t\n\r\u2028\u2029]+")
# A whole terminal sequence (CSI "ESC [ ... m", OSC "ESC ] ... BEL"), not only its ESC.
_SEQUENCE = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?")


def clean(value: Any) -> str:
    """One value as a single safe line: breaks and tabs become a space, other unsafe characters go."""
    if value is None:
        return ""
    if isinstance(value, float):
        value = f"{value:.3f}".rstrip("0").rstrip(".") if value == value else "n/a"
    if isinstance(value, (list, tuple)):
        return " | ".join(clean(v) for v in value)
    text = str(value)
    if "\x1b" in text:
        text = _SEQUENCE.sub("", text)
    if _BREAKS.search(text):
        text = " ".join(_BREAKS.sub(" ", text).split())
    return UNSAFE.sub("", text)


def mask(text: str) -> str:
    """Text of the same length, safe on one line: breaks and tabs become spaces, other unsafe
    characters U+FFFD. For text with highlight spans (offsets) that must still fit."""
    return UNSAFE.sub(lambda m: " " if _BREAKS.fullmatch(m.group()) else REPLACEMENT, text)


def keep_lines(text: str) -> str:
    """Text with its line breaks and tabs kept but terminal sequences and other unsafe characters
    removed: for cells that hold several lines (a spreadsheet, an HTML page)."""
    if "\x1b" in text:
        text = _SEQUENCE.sub("", text)
    return UNSAFE.sub(lambda m: m.group() if m.group() in "\n\t" else "", text)


def escape(text: str) -> str:
    """Unsafe characters shown as escapes (ESC as \\x1b): for messages about bad data."""
    return UNSAFE.sub(lambda m: f"\\x{ord(m.group()):02x}" if ord(m.group()) < 256
                      else f"\\u{ord(m.group()):04x}", text)
