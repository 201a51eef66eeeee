"""The router's arithmetic: a softmax over raw team scores, a cap on the top share, distinct phrase sums."""

from __future__ import annotations

import math
from collections.abc import Sequence

from agents.routing.lexicon import LexiconHit

TEMPERATURE = 1.6


def softmax(raw: dict[str, float]) -> dict[str, float]:
    peak = max(raw.values())
    exps = {team: math.exp((score - peak) / TEMPERATURE) for team, score in raw.items()}
    total = sum(exps.values())
    return {team: value / total for team, value in exps.items()}


def cap_top(distribution: dict[str, float], cap: float) -> dict[str, float]:
    """Mix with the uniform distribution so the top share is at most cap (order is kept)."""
    uniform = 1.0 / len(distribution)
    top = max(distribution.values())
    if top <= cap or top <= uniform:
        return distribution
    mix = (cap - uniform) / (top - uniform)
    return {team: mix * p + (1.0 - mix) * uniform for team, p in distribution.items()}


def distinct_sum(hits: Sequence[LexiconHit]) -> float:
    """Each distinct phrase counts once (its strongest occurrence), so repetition adds nothing."""
    best: dict[str, float] = {}
    for hit in hits:
        best[hit.phrase] = max(best.get(hit.phrase, 0.0), hit.weight)
    return sum(best.values())
