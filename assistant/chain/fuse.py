"""Reciprocal rank fusion: merge rankings without comparing their incomparable scores.

>>> [i for i, _ in reciprocal_rank_fusion([["a", "b"], ["b", "c"]])]
['b', 'a', 'c']
"""

from __future__ import annotations

from collections.abc import Sequence


def reciprocal_rank_fusion(
    rankings: Sequence[Sequence[str]], k: int = 60, weights: Sequence[float] | None = None
) -> list[tuple[str, float]]:
    """Score each id by Σ w/(k + rank) over the rankings it appears in; best first, ties by first seen."""
    scores: dict[str, float] = {}
    for ranking, w in zip(rankings, weights or [1.0] * len(rankings), strict=True):
        for rank, item in enumerate(ranking, start=1):
            scores[item] = scores.get(item, 0.0) + w / (k + rank)
    return sorted(scores.items(), key=lambda kv: -kv[1])
