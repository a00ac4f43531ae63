"""The agreement matrix: proximity of every pair of sides."""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import combinations, compress

from stancecli.analysis.metric import SCALE_WIDTH, Proximity, proximity
from stancecli.analysis.sides import Profile, score_profiles
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
        folded = {id(side): side.label.casefold() for side in self.profiles}  # once per side, not per pair
        out = [(a, b, self.get(a.key, b.key)) for a, b in combinations(self.profiles, 2)]

        def order(t: tuple[Profile, Profile, Proximity]) -> tuple:
            defined = t[2].shared > 0
            return (not defined, -(t[2].value if defined else 0), -t[2].shared, folded[id(t[0])], folded[id(t[1])])

        return sorted(out, key=order)


def proximity_cells(sides: list[Profile]) -> dict[tuple[str, str], Proximity]:
    """Every ordered pair, each unordered pair computed once (proximity is symmetric)."""
    masks = _stance_masks(sides)
    if masks is None:  # scores that are not steps of the scale (means of a kind): one by one
        cells = {(a.key, a.key): proximity(a.scores, a.scores) for a in sides}
        for a, b in combinations(sides, 2):
            cells[(a.key, b.key)] = cells[(b.key, a.key)] = proximity(a.scores, b.scores)
        return cells
    keys, rows = masks
    cells = {}
    for i, a in enumerate(sides):
        row = rows[i]
        cells[(a.key, a.key)] = _proximity_of_masks(row, row, keys)
        for j in range(i + 1, len(sides)):
            cells[(a.key, sides[j].key)] = cells[(sides[j].key, a.key)] = _proximity_of_masks(row, rows[j], keys)
    return cells


# Each side as three bit masks over the issues in sorted order: one bit per issue it scores; four
# bits per issue it scores; and per issue its score in those four bits as a thermometer code
# (-2 none set, -1 one, ... +2 all four). Two codes differ in |a - b| bits, so the sum of the gaps
# over the shared issues is one XOR, one AND and one bit count instead of a loop over the issues.
STEP_BITS = 4  # SCALE_WIDTH steps from one end of the scale to the other
_THERMOMETER = {float(score): (1 << (score + 2)) - 1 for score in range(-2, 3)}
_BIT_BYTES = bytes.maketrans(b"01", b"\x00\x01")


def _stance_masks(sides: list[Profile]) -> tuple[list[str], list[tuple[int, int, int]]] | None:
    """The sorted issue keys and each side's (issues, issues x 4, thermometer codes); None unless
    every score is a step of the scale."""
    keys = sorted({k for side in sides for k in side.scores})
    place = {k: i for i, k in enumerate(keys)}
    every = (1 << STEP_BITS) - 1
    rows = []
    for side in sides:
        issues = wide = codes = 0
        for key, score in side.scores.items():
            code = _THERMOMETER.get(score)
            if code is None:
                return None
            issues |= 1 << place[key]
            wide |= every << (STEP_BITS * place[key])
            codes |= code << (STEP_BITS * place[key])
        rows.append((issues, wide, codes))
    return keys, rows


def _proximity_of_masks(a: tuple[int, int, int], b: tuple[int, int, int], keys: list[str]) -> Proximity:
    """What proximity() gives for the two sides' scores: the same sum of gaps, the same division."""
    shared = a[1] & b[1]
    if not shared:
        return Proximity(math.nan, 0, ())
    count = shared.bit_count() // STEP_BITS
    gaps = ((a[2] ^ b[2]) & shared).bit_count()
    made = _new(_NamedWhenAsked)
    fields = made.__dict__  # frozen: set straight into its fields
    fields["value"] = 1 - gaps / count / SCALE_WIDTH
    fields["shared"] = count
    fields["_mask"] = a[0] & b[0]
    fields["_keys"] = keys
    return made


_new = object.__new__


class _NamedWhenAsked(Proximity):
    """A proximity whose shared issues are named from their bit mask when first asked for: naming
    them for every pair of a hundred sides costs more than computing the matrix, and only JSON
    and the report show them. Equal to the Proximity with the same value, count and issues."""

    _mask: int
    _keys: list[str]

    @property
    def issues(self) -> tuple[str, ...]:
        named = self.__dict__.get("_named")
        if named is None:
            bits = bin(self._mask)[:1:-1].encode().translate(_BIT_BYTES)  # lowest bit (first key) first
            named = self.__dict__["_named"] = tuple(compress(self._keys, bits))
        return named

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Proximity):
            return NotImplemented
        return (self.value, self.shared, self.issues) == (other.value, other.shared, other.issues)

    def __hash__(self) -> int:
        return hash((self.value, self.shared, self.issues))

    def __repr__(self) -> str:
        return f"Proximity(value={self.value!r}, shared={self.shared!r}, issues={self.issues!r})"


def _evidence_weighted(p: Proximity, weight: float = 1.0) -> float:
    """Proximity pulled towards 0.5 when few issues are shared: for ordering only, never shown."""
    return (p.value * p.shared + 0.5 * weight) / (p.shared + weight) if p.defined else -1.0


def similarity_order(sides: list[Profile], cells: dict[tuple[str, str], Proximity]) -> list[Profile]:
    """A chain from the most peripheral side, each next the closest to the last placed.

    Closeness is the proximity weighted by the number of shared issues, so that agreeing on
    one issue does not outrank agreeing on ten. Sides sharing no issue with any other go last.
    """
    count = len(sides)
    close = [[-1.0] * count for _ in range(count)]  # as _evidence_weighted gives a pair sharing nothing
    others: list[list[float]] = [[] for _ in range(count)]  # each side's closeness to the others it shares with
    for i, j in combinations(range(count), 2):  # each pair once: closeness is symmetric
        p = cells[(sides[i].key, sides[j].key)]
        if p.shared > 0:
            close[i][j] = close[j][i] = weighted = _evidence_weighted(p)
            others[i].append(weighted)  # in the order of j, for every i: the same sums as a row at a time
            others[j].append(weighted)
    sizes = [len(s.scores) for s in sides]
    linked = [i for i in range(count) if others[i]]
    alone = [sides[i] for i in range(count) if not others[i]]
    if not linked:
        return alone
    start = min(linked, key=lambda i: (sum(others[i]) / len(others[i]), -sizes[i], i))
    order, rest = [start], [i for i in linked if i != start]
    while rest:
        last = close[order[-1]]
        nxt = max(rest, key=lambda j: (last[j], sizes[j], -j))
        order.append(nxt)
        rest.remove(nxt)
    return [sides[i] for i in order] + alone


def matrix(ds: Dataset, by: str = "organisation", reported: bool = True,
           issues: Iterable[str] | None = None) -> Matrix:
    """Proximity of every pair of sides (organisations by default). The sides carry their scores,
    not the positions behind them (`profiles` gives those)."""
    chosen = list(issues) if issues is not None else None
    sides = score_profiles(ds, by, reported, chosen)
    cells = proximity_cells(sides)
    return Matrix(by, similarity_order(sides, cells), cells, chosen if chosen is not None else list(ds.issues))


PAIR_COLUMNS = [
    Column("a", "A"), Column("b", "B"),
    Column("proximity", "Proximity", "proximity"), Column("shared", "Shared issues", "number"),
]


def matrix_listing(m: Matrix, for_json: bool = True) -> Listing:
    """The matrix as one row per pair (a, b, proximity, shared): what pipes get; and, `for_json`,
    the JSON records, which also name each pair's shared issues (most of the cost of a large
    matrix, for the formats that show records only)."""
    rows, records = [], []
    for a, b, prox in m.pairs():
        rows.append({"a": a.key, "b": b.key, "proximity": prox.value, "shared": prox.shared})
        if for_json:
            records.append({"a": a.key, "a_label": a.label, "b": b.key, "b_label": b.label,
                            "proximity": prox.json_value, "shared": prox.shared, "issues": list(prox.issues)})
    title = f"Agreement by {m.by}: 1 - mean |score gap| / 4 over the issues both addressed"
    return Listing(PAIR_COLUMNS, rows, records if for_json else None, title=title)
