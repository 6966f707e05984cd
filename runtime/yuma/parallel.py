"""Worker threads for the epoch's passes over large blocks: row slices of the dense block (weights,
clipping, liquid alpha, the bonds' EMA and dividends, the stored u16 rows) and column slices of the
weighted median.

numpy releases the GIL inside its loops, so slices of one computation run in parallel threads.
Determinism does not depend on the threads: every slice is a pure function of its own inputs and
writes only its own part of the output (column sums add the slices' integer sums, which any order
gives alike), so the result is the same for any number of workers and any scheduling. Small inputs
stay on the calling thread (handing work to a thread costs more than it saves there).

``WORKERS`` is read at each call; a caller (the node's CLI, a test) may lower it, 1 disables threads.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

__all__ = ["WORKERS", "MIN_PARALLEL", "SLICE_CELLS", "map_slices", "rows_per_slice", "run_slices"]

T = TypeVar("T")


def _available_cpus() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


# more than four threads stop paying: the passes are bound by memory bandwidth by then
WORKERS = max(1, min(4, _available_cpus()))
# below this many elements one thread is faster (measured by `python -m bench epoch`)
MIN_PARALLEL = 1 << 17
# cells per slice of a pass over a block (measured on the liquid-alpha pass: smaller slices spend
# more of their time holding the GIL between numpy calls, larger ones leave the cache)
SLICE_CELLS = 1 << 16

_lock = threading.Lock()
_pool: ThreadPoolExecutor | None = None
_pool_size = 0


def _executor(size: int) -> ThreadPoolExecutor:
    global _pool, _pool_size
    with _lock:
        if _pool is None or _pool_size != size:
            if _pool is not None:
                _pool.shutdown(wait=False)
            _pool = ThreadPoolExecutor(max_workers=size, thread_name_prefix="yuma")
            _pool_size = size
        return _pool


def rows_per_slice(width: int) -> int:
    """Rows of a block ``width`` cells wide that make a slice of about ``SLICE_CELLS`` cells."""
    return max(1, SLICE_CELLS // max(width, 1))


def run_slices(work: Callable[[slice], None], total: int, chunk: int, cells_per_item: int = 1) -> None:
    """Call ``work`` on consecutive slices of ``range(total)``, ``chunk`` long (the last shorter).

    With ``total * cells_per_item >= MIN_PARALLEL`` elements and more than one worker, the slices
    are handed out in order to the calling thread and ``WORKERS - 1`` pool threads, each taking the
    next one when it is done; an exception in any of them is raised here after all have finished.
    """
    starts = list(range(0, total, chunk))
    workers = min(WORKERS, len(starts))
    if workers <= 1 or total * cells_per_item < MIN_PARALLEL:
        for start in starts:
            work(slice(start, start + chunk))
        return

    queue = iter(starts)
    lock = threading.Lock()

    def run() -> None:
        # slices are handed out one at a time, so a thread that finishes early takes more
        while True:
            with lock:
                start = next(queue, None)
            if start is None:
                return
            work(slice(start, start + chunk))

    pool = _executor(workers - 1)
    futures = [pool.submit(run) for _ in range(workers - 1)]
    try:
        run()  # the calling thread works too instead of waiting idle
    finally:
        errors = [f.exception() for f in futures]
    for error in errors:
        if error is not None:
            raise error


def map_slices(work: Callable[[slice], T], total: int, chunk: int, cells_per_item: int = 1) -> list[T]:
    """``run_slices``, keeping what ``work`` returns for each slice, in slice order (not the order
    the threads finished in)."""
    results: dict[int, T] = {}

    def keep(part: slice) -> None:
        results[part.start] = work(part)  # distinct keys: safe from any thread

    run_slices(keep, total, chunk, cells_per_item)
    return [results[start] for start in range(0, total, chunk)]
