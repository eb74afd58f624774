"""The one way the benchmarks time a piece of work: the best of a few runs, which is the least disturbed by
whatever else the machine is doing."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any


def best_of(work: Callable[[], Any], repeat: int = 3) -> tuple[float, Any]:
    """Seconds of the fastest of `repeat` runs of `work`, and what the last run returned."""
    best, result = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        result = work()
        best = min(best, time.perf_counter() - start)
    return best, result


def once(work: Callable[[], Any]) -> float:
    """Seconds of a single run of `work`: for work that fills a cache, whose second run would time the
    cache instead."""
    start = time.perf_counter()
    work()
    return time.perf_counter() - start
