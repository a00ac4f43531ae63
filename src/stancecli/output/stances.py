"""How every renderer shows a stance or the status of a pair without one: symbol and words.

The codebook's labels come from the one scale in stancecli.model; here are the three states of a
pair that has no position, each distinct in every format: not addressed (·), undecided (?: nobody
has coded the pair yet) and not raised (·, the document answered another hearing).
"""

from __future__ import annotations

from stancecli.model import ABSENT, ABSENT_SYMBOL, CSS_CLASSES, NOT_RAISED, SYMBOLS, UNDECIDED

UNDECIDED_SYMBOL = "?"
WORDS = {ABSENT: "not addressed", UNDECIDED: "undecided", NOT_RAISED: "not raised"}
UNDECIDED_WORDS = "undecided (not yet coded)"
UNDECIDED_CSS = "ud"


def stance_symbol(stance: str) -> str:
    """'++' ... '--' for a stance, '?' for undecided, '·' for not addressed or not raised."""
    return UNDECIDED_SYMBOL if stance == UNDECIDED else SYMBOLS.get(stance, ABSENT_SYMBOL)


def stance_words(stance: str) -> str:
    """The label as people read it: 'for', 'not addressed', 'undecided'."""
    return WORDS.get(stance, stance)


def stance_label(stance: str) -> str:
    """Symbol and words: '+ for', '· not addressed', '? undecided'."""
    return f"{stance_symbol(stance)} {stance_words(stance)}"


def stance_css(stance: str) -> str:
    """The report's CSS class: one per stance, 'na' without a position, 'ud' when undecided."""
    return UNDECIDED_CSS if stance == UNDECIDED else CSS_CLASSES.get(stance, CSS_CLASSES[ABSENT])
