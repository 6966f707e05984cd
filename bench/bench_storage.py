"""Benchmark: the chain database on LevelDB with a 1,000,000-key state.

Setup: 1M random 32-byte keys with 8..40-byte values (state version 1, fixed seed) become the
genesis state of a :class:`~storage.chain_db.ChainDatabase` in a temporary directory
(pruning mode, the default 256 window; the closed-form builder writes all nodes, reference
counts and the flat index in one batch, whose memtable is then flushed to a LevelDB table -
counted in the build time - so that the first block does not pay for it).  Then:

(a) blocks changing 2,000 keys each (1,800 existing keys rewritten, 200 new), imported on
    top of each other.  *Root update* is ``StateDatabase.commit_block`` on a second state
    database over the same store: apply the changes to the trie, encode and hash the dirty
    nodes, build the journal - everything needed to know the new root, nothing written.
    *Import* is the whole ``ChainDatabase.import_block`` call, which does that same trie work
    again on its own warm trie and then writes block, nodes, reference counts (read-modify-
    write), journal and meta keys in one LevelDB batch (``sync=False``: the fsync is the
    disk's cost, not ours).  *Commit* is import minus root update of the same block: the
    batch-building and writing part.  The first block starts from a cold trie; later ones
    continue the warm trie.  Before the blocks, both state databases are warmed up
    (``warm_up``: the top 4 branch levels decoded, level 4 kept as encodings on the shelf,
    one sorted batch read per level); its time and the memory it retains (tracemalloc) are
    reported.
(b) 100,000 random reads of existing keys through an :class:`~storage.overlay.Overlay` over
    the best block's state view, against raw ``plyvel.DB.get`` of the same keys' flat-index
    entries in the same database, and for reference through the trie view.
"""

from __future__ import annotations

import random
import statistics
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from storage.block_db import BlockRecord  # noqa: E402
from storage.chain_db import ChainDatabase  # noqa: E402
from storage.overlay import Overlay  # noqa: E402
from storage.schema import flat_state_key  # noqa: E402
from storage.state_db import NodeChanges, StateDatabase  # noqa: E402
from storage.trie import blake2_256  # noqa: E402

STATE_KEYS = 1_000_000
CHANGED_KEYS = 2_000
BLOCKS = 6
READS = 100_000
SEED = 0x5707_A6E


def _value(rng: random.Random) -> bytes:
    return rng.randbytes(rng.randint(8, 40))


def main() -> str:
    rng = random.Random(SEED)
    state = {rng.randbytes(32): _value(rng) for _ in range(STATE_KEYS)}
    keys = list(state)
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        genesis_hash = blake2_256(b"bench genesis")
        db = ChainDatabase.open(Path(tmp) / "db", genesis_hash, state, 1, 256, sync=False)
        # The genesis is one ~300 MB batch still sitting in LevelDB's memtable; the first write
        # after it would stall for seconds while that is flushed to a table.  A compaction of
        # a tiny key range flushes the memtable now, so the blocks measure steady state.
        db.kv._db.compact_range(start=b"m", stop=b"m\xff")  # type: ignore[attr-defined]
        build = time.perf_counter() - start
        try:
            roots, imports = [], []
            parent = genesis_hash
            # A second state database over the same store, so timing the root update on its
            # own does not disturb the chain database's warm trie.
            dry = StateDatabase(db.kv, 1, 256)
            tracemalloc.start()
            start = time.perf_counter()
            warmed = dry.warm_up(db.state_root(genesis_hash))
            warm_time = time.perf_counter() - start
            warm_memory = tracemalloc.get_traced_memory()[0]
            tracemalloc.stop()
            shelf_size = len(dry.shelf)
            db.warm_up()
            for number in range(1, BLOCKS + 1):
                changes: dict[bytes, bytes | None] = {k: _value(rng) for k in rng.sample(keys, CHANGED_KEYS - 200)}
                changes.update({rng.randbytes(32): _value(rng) for _ in range(200)})
                parent_root = db.state_root(parent)
                start = time.perf_counter()
                root = dry.commit_block(parent_root, changes, NodeChanges()).root
                roots.append(time.perf_counter() - start)
                header = number.to_bytes(8, "big") + parent + root
                record = BlockRecord(blake2_256(header), parent, number, header, b"")
                start = time.perf_counter()
                db.import_block(record, parent_root, changes, state_root=root, make_best=True)
                imports.append(time.perf_counter() - start)
                parent = record.hash

            sample = [rng.choice(keys) for _ in range(READS)]
            raw = db.kv._db  # type: ignore[attr-defined]
            flat_keys = [flat_state_key(k) for k in sample]
            start = time.perf_counter()
            for key in flat_keys:
                raw.get(key)
            raw_rate = READS / (time.perf_counter() - start)
            overlay = Overlay(db.state_at_block(parent))
            start = time.perf_counter()
            for key in sample:
                overlay.get(key)
            overlay_rate = READS / (time.perf_counter() - start)
            trie_view = Overlay(db.trie_state_at_block(parent))
            start = time.perf_counter()
            for key in sample[: READS // 10]:
                trie_view.get(key)
            trie_rate = (READS // 10) / (time.perf_counter() - start)
        finally:
            db.close()

    warm_roots, warm_imports = roots[1:], imports[1:]
    commits = [i - r for i, r in zip(imports, roots)]
    rows = [
        f"| 1M-key state, {CHANGED_KEYS:,}-key blocks, LevelDB | result |",
        "|---|---:|",
        f"| build: genesis of {STATE_KEYS:,} keys (nodes, refcounts, flat index, one batch) | {build:.0f} s |",
        f"| warm-up: {warmed:,} nodes read, {shelf_size:,} on the shelf | {warm_time * 1000:.0f} ms, {warm_memory / 1e6:.0f} MB retained |",
        f"| (a) root update, first block | {roots[0] * 1000:.0f} ms |",
        f"| (a) root update, next {len(warm_roots)} blocks (warm trie), median | {statistics.median(warm_roots) * 1000:.0f} ms |",
        f"| (a) commit (import minus root update), next {len(warm_roots)} blocks, median | {statistics.median(commits[1:]) * 1000:.0f} ms |",
        f"| (a) full import_block, first block | {imports[0] * 1000:.0f} ms |",
        f"| (a) full import_block, next {len(warm_imports)} blocks, median | {statistics.median(warm_imports) * 1000:.0f} ms |",
        f"| (a) full import_block, next {len(warm_imports)} blocks, max | {max(warm_imports) * 1000:.0f} ms |",
        f"| (b) raw plyvel get | {raw_rate:,.0f} reads/s |",
        f"| (b) Overlay over flat state view | {overlay_rate:,.0f} reads/s ({overlay_rate / raw_rate:.0%} of raw) |",
        f"| (b) Overlay over trie view (for reference) | {trie_rate:,.0f} reads/s ({trie_rate / raw_rate:.0%} of raw) |",
    ]
    return "\n".join(rows)


if __name__ == "__main__":
    print(main())
