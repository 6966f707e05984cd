"""Small timing helper shared by the benchmarks."""

from __future__ import annotations

import time
from collections.abc import Callable


def per_call(fn: Callable[[], object], min_time: float = 0.3, repeat: int = 5) -> float:
    """Best-of-``repeat`` seconds per call of ``fn``, each round lasting at least ``min_time``."""
    loops = 1
    while True:
        start = time.perf_counter()
        for _ in range(loops):
            fn()
        if time.perf_counter() - start >= min_time / 10 or loops >= 1 << 20:
            break
        loops *= 2
    loops = max(1, int(loops * (min_time / max(time.perf_counter() - start, 1e-9)) / 10))
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        for _ in range(loops):
            fn()
        best = min(best, (time.perf_counter() - start) / loops)
    return best
