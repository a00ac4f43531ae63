"""The metric: proximity of two sides, division of an issue, and what every part shares."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from itertools import combinations
from typing import TYPE_CHECKING, Any

from stancecli.errors import AnalysisProblem
from stancecli.model import NOT_RAISED, STANCES, UNDECIDED

if TYPE_CHECKING:
    from stancecli.corpus import Sources


SCALE_WIDTH = 4  # from strongly-against (-2) to strongly-for (+2)
LABELS = {score: label for label, score in STANCES.items()}
BY_CHOICES = ("organisation", "document", "kind")
# not-raised: the later document answered another hearing, which did not raise the issue;
# undecided: nobody has coded the later document for the issue yet. Neither is a change of mind.
CHANGES = ("changed", "new", "dropped", "kept", NOT_RAISED, UNDECIDED)


class AnalysisError(AnalysisProblem, ValueError):
    """Input the analysis cannot work with; the message is meant for the user."""


def _sources() -> Sources:
    from stancecli.corpus import Sources

    return Sources()


@dataclass(frozen=True)
class Proximity:
    """Agreement of two sides over the issues both addressed."""

    value: float  # nan when nothing is shared
    shared: int
    issues: tuple[str, ...] = ()

    @property
    def defined(self) -> bool:
        return self.shared > 0

    @property
    def json_value(self) -> float | None:
        return round(self.value, 4) if self.defined else None


def proximity(a: Mapping[str, float], b: Mapping[str, float]) -> Proximity:
    """1 - mean |score difference| / 4 over the issues in both; n/a (nan) with none shared."""
    shared = sorted(a.keys() & b.keys())
    if not shared:
        return Proximity(math.nan, 0, ())
    gap = sum(abs(a[k] - b[k]) for k in shared) / len(shared)
    return Proximity(1 - gap / SCALE_WIDTH, len(shared), tuple(shared))


def division(scores: Sequence[float]) -> float:
    """How divided the positions on one issue are: mean pairwise gap / 4, nan below two positions."""
    pairs = list(combinations(scores, 2))
    if not pairs:
        return math.nan
    return sum(abs(x - y) for x, y in pairs) / len(pairs) / SCALE_WIDTH


def stance_of(score: float) -> str:
    """The label nearest to a (possibly averaged) score; halves round towards 'for'."""
    return LABELS[max(-2, min(2, math.floor(score + 0.5)))]


def _is_nan(value: Any) -> bool:
    return isinstance(value, float) and value != value
