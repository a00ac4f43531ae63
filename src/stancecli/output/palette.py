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

# Agreement 0 .. 1: from a pale to a deep blue (ColorBrewer "Blues", sequential).
AGREEMENT_STOPS: tuple[tuple[float, tuple[int, int, int]], ...] = (
    (0.0, (0xef, 0xf3, 0xff)),
    (0.5, (0x6b, 0xae, 0xd6)),
    (1.0, (0x08, 0x45, 0x94)),
)
DARK_FROM = 0.62  # from here on the background is dark enough for white text
DARK_TEXT, LIGHT_TEXT = "#0b1f33", "#ffffff"


def _mix(a: tuple[int, int, int], b: tuple[int, int, int], t: float) -> str:
    return "#" + "".join(f"{round(x + (y - x) * t):02x}" for x, y in zip(a, b))


def agreement_colours(value: float) -> tuple[str, str]:
    """(background, text) for an agreement or proximity between 0 and 1."""
    v = max(0.0, min(1.0, value))
    for (lo, ca), (hi, cb) in zip(AGREEMENT_STOPS, AGREEMENT_STOPS[1:]):
        if v <= hi:
            background = _mix(ca, cb, (v - lo) / (hi - lo))
            break
    return background, LIGHT_TEXT if v >= DARK_FROM else DARK_TEXT
