"""Crash safety: SIGKILL a block-importing process 20 times; the database must stay whole.

After every kill the test reopens the LevelDB chain database and checks: it opens (no
corruption, no reset); best and finalized are consistent (finalized canonical and not above
best); every retained block's state, read from its stored trie nodes, recomputes in closed
form to the root in its header; the stored nodes are exactly those reachable from retained
roots; and finality never moves backwards nor loses a block across rounds.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from storage import schema
from storage.trie import trie_root

from .chain_sim import header_state_root, open_db, reachable_nodes, stored_nodes
from .crash_worker import PRUNING

ROUNDS = 20
PROJECT_ROOT = Path(__file__).resolve().parents[2]


def _check(path: Path, history: list[tuple[int, bytes]]) -> tuple[int, bytes]:
    db = open_db(path, PRUNING)
    try:
        best, fin = db.best(), db.finalized()
        assert fin.number <= best.number
        assert db.blocks.hash_at(fin.number) == fin.hash
        assert db.blocks.hash_at(best.number) == best.hash
        for number, block in history:  # every earlier finalized block is still final
            assert number <= fin.number and db.blocks.hash_at(number) == block
            assert db.blocks.header(block) is not None and db.blocks.body(block) is not None
        roots = set()
        for _number, block, root in db.retained_states():
            header = db.blocks.header(block)
            assert header is not None and header_state_root(header) == root
            items = dict(db.trie_state_at_block(block).items())
            assert trie_root(items, 1) == root
            roots.add(root)
        assert db.has_state(best.hash) and db.has_state(fin.hash)
        assert stored_nodes(db.kv) == reachable_nodes(db.kv, roots)
        assert {k[1:] for k, _ in db.kv.iterate(schema.REFCOUNT)} == stored_nodes(db.kv)
        return fin.number, fin.hash
    finally:
        db.close()


@pytest.mark.slow
def test_sigkill_during_imports(tmp_path: Path) -> None:
    path = tmp_path / "chain"
    rng = random.Random(0xC0FFEE)
    env = dict(os.environ, PYTHONPATH=str(PROJECT_ROOT))
    history: list[tuple[int, bytes]] = []
    imported_rounds = 0
    for round_number in range(ROUNDS):
        child = subprocess.Popen(
            [sys.executable, "-m", "tests.storage.crash_worker", str(path), str(round_number)],
            cwd=PROJECT_ROOT,
            env=env,
            stderr=subprocess.PIPE,
        )
        time.sleep(rng.uniform(0.6, 2.0))
        if child.poll() is not None:
            _out, err = child.communicate()
            pytest.fail(f"worker exited on its own (code {child.returncode}):\n{err.decode()}")
        child.send_signal(signal.SIGKILL)
        child.wait()
        fin = _check(path, history)
        if history and fin[0] > history[-1][0]:
            imported_rounds += 1
        history.append(fin)
    assert history[-1][0] > 0, "the worker never finalized anything"
    assert imported_rounds >= ROUNDS // 2, "too few rounds made progress to test anything"
