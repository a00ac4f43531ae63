from collections.abc import Sequence

MAX_NEEDLE: int
def partial_ratio(s1: str, s2: str, /) -> float: ...
def chain(tokens: object, emap: dict[int, tuple[tuple[int, float], ...]], weights: list[float], gap_cost: float, /
          ) -> tuple[float, tuple[int, ...], float] | None: ...
def rank_phrase(segments: Sequence[tuple[object, ...]], expansions: list[list[tuple[int, float]]], weights: list[float],
                groups: list[tuple[float, tuple[int, ...]]], extra: float, total: float, limit: int, min_score: float,
                exact: bool, max_scored: int, gap_cost: float, loose_share: float, slack: float,
                damage: type[Exception], /) -> list[tuple[float, int, tuple[int, ...], list[tuple[int, int, int]]]]: ...
