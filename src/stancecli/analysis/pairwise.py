"""The agreement matrix: proximity of every pair of sides."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from itertools import combinations

from stancecli.analysis.metric import Proximity, proximity
from stancecli.analysis.sides import Profile, profiles
from stancecli.model import Dataset
from stancecli.records import Column, Listing


@dataclass
class Matrix:
    by: str
    profiles: list[Profile]  # ordered so that similar sides stand together
    cells: dict[tuple[str, str], Proximity]
    issues: list[str]

    def get(self, a: str, b: str) -> Proximity:
        return self.cells[(a, b)]

    def pairs(self) -> list[tuple[Profile, Profile, Proximity]]:
        """Every unordered pair once, closest first, pairs with nothing shared last."""
        out = [(a, b, self.get(a.key, b.key)) for a, b in combinations(self.profiles, 2)]
        return sorted(out, key=lambda t: (not t[2].defined, -(t[2].value if t[2].defined else 0),
                                          -t[2].shared, t[0].label.casefold(), t[1].label.casefold()))


def proximity_cells(sides: list[Profile]) -> dict[tuple[str, str], Proximity]:
    """Every ordered pair, each unordered pair computed once (proximity is symmetric)."""
    cells = {(a.key, a.key): proximity(a.scores, a.scores) for a in sides}
    for a, b in combinations(sides, 2):
        cells[(a.key, b.key)] = cells[(b.key, a.key)] = proximity(a.scores, b.scores)
    return cells


def _evidence_weighted(p: Proximity, weight: float = 1.0) -> float:
    """Proximity pulled towards 0.5 when few issues are shared: for ordering only, never shown."""
    return (p.value * p.shared + 0.5 * weight) / (p.shared + weight) if p.defined else -1.0


def similarity_order(sides: list[Profile], cells: dict[tuple[str, str], Proximity]) -> list[Profile]:
    """A chain from the most peripheral side, each next the closest to the last placed.

    Closeness is the proximity weighted by the number of shared issues, so that agreeing on
    one issue does not outrank agreeing on ten. Sides sharing no issue with any other go last.
    """
    def close(a: Profile, b: Profile) -> float:
        return _evidence_weighted(cells[(a.key, b.key)])

    def others(a: Profile) -> list[float]:
        return [close(a, b) for b in sides if b is not a and cells[(a.key, b.key)].defined]

    index = {s.key: i for i, s in enumerate(sides)}
    linked = [s for s in sides if others(s)]
    alone = [s for s in sides if not others(s)]
    if not linked:
        return alone
    start = min(linked, key=lambda s: (sum(others(s)) / len(others(s)), -len(s.scores), index[s.key]))
    order, rest = [start], [s for s in linked if s is not start]
    while rest:
        nxt = max(rest, key=lambda s: (close(order[-1], s), len(s.scores), -index[s.key]))
        order.append(nxt)
        rest.remove(nxt)
    return order + alone


def matrix(ds: Dataset, by: str = "organisation", reported: bool = True,
           issues: Iterable[str] | None = None) -> Matrix:
    """Proximity of every pair of sides (organisations by default)."""
    chosen = list(issues) if issues is not None else None
    sides = profiles(ds, by, reported, chosen)
    cells = proximity_cells(sides)
    return Matrix(by, similarity_order(sides, cells), cells, chosen if chosen is not None else list(ds.issues))


PAIR_COLUMNS = [
    Column("a", "A"), Column("b", "B"),
    Column("proximity", "Proximity", "proximity"), Column("shared", "Shared issues", "number"),
]


def matrix_listing(m: Matrix) -> Listing:
    """The matrix as one row per pair (a, b, proximity, shared): what pipes and JSON get."""
    rows, records = [], []
    for a, b, prox in m.pairs():
        rows.append({"a": a.key, "b": b.key, "proximity": prox.value, "shared": prox.shared})
        records.append({"a": a.key, "a_label": a.label, "b": b.key, "b_label": b.label,
                        "proximity": prox.json_value, "shared": prox.shared, "issues": list(prox.issues)})
    title = f"Agreement by {m.by}: 1 - mean |score gap| / 4 over the issues both addressed"
    return Listing(PAIR_COLUMNS, rows, records, title=title)
