"""Benchmark: closed-form root rebuild versus incremental TrieDB update.

A block import changes a small part of a large state. This measures, on a 100,000-key state
(random 32-byte keys, 32..64-byte values, state version 1, fixed seed), what it costs to
obtain the new root after changing 1,000 existing keys:

(a) recomputing the root from scratch over the whole updated mapping (``trie_root``);
(b) opening a :class:`~storage.trie.triedb.TrieDB` at the old root over a node store, applying
    the 1,000 updates and committing (nodes are loaded cold from the store each run).

Each is timed with ``time.perf_counter``, best of 3. ``main()`` returns a markdown table and
prints nothing; running the file prints it.
"""

from __future__ import annotations

import random
import sys
import time
from pathlib import Path
from typing import Callable

if __package__ in (None, ""):
    # Allow ``python bench/bench_trie.py`` from a checkout without installing.
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from storage.trie.root import trie_root, trie_root_and_nodes  # noqa: E402
from storage.trie.triedb import MemoryNodeStore, TrieDB  # noqa: E402

STATE_KEYS = 100_000
CHANGED_KEYS = 1_000
SEED = 0x5EED_7217
VERSION = 1
REPEATS = 3


def _best_of(repeats: int, run: Callable[[], bytes]) -> tuple[float, bytes]:
    best = float("inf")
    result = b""
    for _ in range(repeats):
        start = time.perf_counter()
        result = run()
        best = min(best, time.perf_counter() - start)
    return best, result


def main() -> str:
    """Run the benchmark and return the results as a markdown table."""
    rng = random.Random(SEED)
    state = {rng.randbytes(32): rng.randbytes(rng.randint(32, 64)) for _ in range(STATE_KEYS)}
    changes = {key: rng.randbytes(rng.randint(32, 64)) for key in rng.sample(sorted(state), CHANGED_KEYS)}

    start = time.perf_counter()
    old_root, nodes = trie_root_and_nodes(state, VERSION)
    build_seconds = time.perf_counter() - start
    store = MemoryNodeStore(nodes)

    updated = dict(state)
    updated.update(changes)

    def rebuild() -> bytes:
        return trie_root(updated, VERSION)

    def incremental() -> bytes:
        trie = TrieDB(store, old_root, version=VERSION)
        for key, value in changes.items():
            trie.insert(key, value)
        return trie.commit().root

    full_seconds, full_root = _best_of(REPEATS, rebuild)
    incr_seconds, incr_root = _best_of(REPEATS, incremental)
    if full_root != incr_root:
        raise AssertionError("closed-form and incremental roots disagree")

    rows = [
        "| operation (state v1, 100k keys) | best of 3 |",
        "|---|---:|",
        f"| initial build: root + {len(nodes):,} stored nodes | {build_seconds * 1000:.0f} ms |",
        f"| (a) closed-form root rebuild after {CHANGED_KEYS:,} changes | {full_seconds * 1000:.0f} ms |",
        f"| (b) TrieDB: open cold, {CHANGED_KEYS:,} inserts, commit | {incr_seconds * 1000:.0f} ms |",
        f"| speed-up (a)/(b) | {full_seconds / incr_seconds:.1f}x |",
    ]
    return "\n".join(rows)


if __name__ == "__main__":
    print(main())
