"""The colours of the report and the spreadsheet: one scale for stances, another for agreement.

Green and red mean for and against; agreement has its own blue scale, so that an issue on
which everyone is against is not shown in the green of "for".
"""

from __future__ import annotations

from stancecli.model import ABSENT

# stance -> (background, text)
STANCE_COLOURS: dict[str, tuple[str, str]] = {
    "strongly-for": ("#1e7b34", "#ffffff"),
    "for": ("#a6d9b0", "#10361a"),
    "mixed": ("#f3e08a", "#4a3d00"),
    "against": ("#f4a9a0", "#5a130b"),
    "strongly-against": ("#b3261e", "#ffffff"),
    ABSENT: ("#f4f5f6", "#69737c"),
}

# Agreement 0 .. 1: from a pale to a middle blue (ColorBrewer "Blues", sequential), light enough
# for dark text everywhere (contrast at least 6.5:1).
AGREEMENT_STOPS: tuple[tuple[float, tuple[int, int, int]], ...] = (
    (0.0, (0xf7, 0xfb, 0xff)),
    (0.5, (0xc6, 0xdb, 0xef)),
    (1.0, (0x6b, 0xae, 0xd6)),
)
TEXT = "#0b1f33"


def _mix(a: tuple[int, int, int], b: tuple[int, int, int], t: float) -> str:
    return "#" + "".join(f"{round(x + (y - x) * t):02x}" for x, y in zip(a, b))


def agreement_colours(value: float) -> tuple[str, str]:
    """(background, text) for an agreement or proximity between 0 and 1."""
    v = max(0.0, min(1.0, value))
    for (lo, ca), (hi, cb) in zip(AGREEMENT_STOPS, AGREEMENT_STOPS[1:]):
        if v <= hi:
            return _mix(ca, cb, (v - lo) / (hi - lo)), TEXT
    last = AGREEMENT_STOPS[-1][1]
    return _mix(last, last, 0.0), TEXT
