"""How divided the sides are on one issue."""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

from stancecli.analysis.metric import _is_nan, division
from stancecli.analysis.sides import Profile
from stancecli.model import Dataset
from stancecli.queries import issue_order


@dataclass
class IssueSpread:
    """How the sides stand on one issue."""

    key: str
    scores: dict[str, float]  # side key -> score, sides that addressed it

    @property
    def positions(self) -> int:
        return len(self.scores)

    @property
    def division(self) -> float:
        return division(list(self.scores.values()))

    @property
    def agreement(self) -> float:
        d = self.division
        return math.nan if _is_nan(d) else 1 - d

    @property
    def counts(self) -> tuple[int, int, int]:
        vals = self.scores.values()
        return sum(v > 0 for v in vals), sum(v == 0 for v in vals), sum(v < 0 for v in vals)

    @property
    def mean(self) -> float:
        return sum(self.scores.values()) / len(self.scores) if self.scores else math.nan

    @property
    def verdict(self) -> str:
        """split (some for, some against), consensus (all alike), same side (all for or all
        against, in different strengths), leaning (one side alongside mixed), one voice."""
        pro, mixed, con = self.counts
        if self.positions < 2:
            return "one voice" if self.positions else "not addressed"
        if pro and con:
            return "split"
        if self.division == 0:
            return "consensus"
        return "leaning" if mixed else "same side"


def spreads(sides: list[Profile], issue_keys: Iterable[str]) -> list[IssueSpread]:
    return [IssueSpread(k, {s.key: s.scores[k] for s in sides if k in s.scores}) for k in issue_keys]


def by_division(items: list[IssueSpread], ds: Dataset) -> list[IssueSpread]:
    """Most divided first, then most positions; issues with fewer than two positions last."""
    order = issue_order(ds)
    return sorted(items, key=lambda s: (_is_nan(s.division), -(0 if _is_nan(s.division) else s.division),
                                        -s.positions, order.get(s.key, 0)))
