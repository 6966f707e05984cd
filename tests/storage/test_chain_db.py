"""Tests for :mod:`storage.chain_db` on both backends: forks, reorgs, finality, pruning.

A model keeps every block's full state as a dict.  After each step every retained block's
state is compared with it (flat and trie views), read proofs are checked against the root in
the block's header, pruned blocks must refuse with "state discarded", and in pruning mode
the stored nodes must be exactly those reachable from the retained state roots.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from storage import schema
from storage.chain_db import ChainDatabase
from storage.errors import (
    DatabaseCorrupted,
    FinalityViolation,
    ForeignDatabase,
    IncompatibleDatabase,
    StateDiscarded,
    StateRootMismatch,
)
from storage.block_db import BlockRecord
from storage.leveldb import LevelDBKV
from storage.trie import read_proof_check, trie_root

from .chain_sim import (
    GENESIS_HASH,
    GENESIS_STORAGE,
    build_block,
    header_state_root,
    open_db,
    random_changes,
    reachable_nodes,
    stored_nodes,
)

from .conftest import Factory  # noqa: E402 - the make_kv fixture lives in conftest.py


class Model:
    """Expected states by block hash, with helpers that import into the database too."""

    def __init__(self, db: ChainDatabase, seed: int) -> None:
        self.db = db
        self.rng = random.Random(seed)
        self.states: dict[bytes, dict[bytes, bytes]] = {GENESIS_HASH: dict(GENESIS_STORAGE)}

    def child(self, parent: bytes, salt: bytes = b"", **kwargs: object) -> bytes:
        changes = random_changes(self.rng, self.rng.randint(1, 12))
        block = build_block(self.db, parent, changes, salt=salt, **kwargs)  # type: ignore[arg-type]
        state = dict(self.states[parent])
        for key, value in changes.items():
            if value is None:
                state.pop(key, None)
            else:
                state[key] = value
        self.states[block] = state
        return block

    def check(self) -> None:
        db = self.db
        retained = {block for _n, block, _r in db.retained_states()}
        for block, state in self.states.items():
            header = db.blocks.header(block)
            assert header is not None  # headers are never pruned
            if block not in retained:
                with pytest.raises(StateDiscarded, match="state discarded"):
                    db.state_at_block(block)
                with pytest.raises(StateDiscarded):
                    db.read_proof(block, [b"k"])
                continue
            root = header_state_root(header)
            assert db.state_root(block) == root == trie_root(state, 1)
            for view in (db.state_at_block(block), db.trie_state_at_block(block)):
                assert dict(view.items()) == state
                assert view.get(b"\xff\xfe") is None
            keys = sorted(state)[:4] + [b"absent-key"]
            proven = read_proof_check(root, db.read_proof(block, keys), keys)
            assert proven == {key: state.get(key) for key in keys}
        if db.state.pruning is not None:
            roots = {root for _n, _b, root in db.retained_states()}
            assert stored_nodes(db.kv) == reachable_nodes(db.kv, roots)
            assert {k[1:] for k, _ in db.kv.iterate(schema.REFCOUNT)} == stored_nodes(db.kv)


@pytest.mark.parametrize("pruning", [2, None])
def test_forks_reorg_finality_and_pruning(make_kv: Factory, pruning: int | None) -> None:
    db = open_db(make_kv(), pruning)
    m = Model(db, seed=1)
    m.check()
    a1 = m.child(GENESIS_HASH, make_best=True)
    a2 = m.child(a1, make_best=True)
    a3 = m.child(a2, make_best=True)
    # A competing branch from a1, not best yet.
    b2 = m.child(a1, salt=b"b")
    b3 = m.child(b2, salt=b"b")
    b4 = m.child(b3, salt=b"b")
    c3 = m.child(b2, salt=b"c")  # a third fork, off the b branch
    m.check()
    assert db.best().hash == a3
    route = db.set_best(b4)  # reorg: the flat diff views must follow the new chain
    assert route.retracted == (a3, a2) and route.enacted == (b2, b3, b4)
    m.check()
    db.finalize(b2)
    m.check()
    if pruning is not None:
        # The a-fork is abandoned by finality: its states are gone, c3 (off b2) survives.
        for block in (a2, a3):
            assert not db.has_state(block)
        assert db.has_state(c3)
    with pytest.raises(FinalityViolation):
        db.finalize(a1)
    tip = b4
    for i in range(6):
        tip = m.child(tip, make_best=True, finalize=tip if i % 2 else None)
        m.check()
    db.finalize(tip)
    m.check()
    if pruning is not None:
        assert not db.has_state(c3) and not db.has_state(GENESIS_HASH)
        assert sorted(n for n, _b, _r in db.retained_states()) == [9, 10]
    else:
        assert len(list(db.retained_states())) == len(m.states)


def test_import_and_finalize_in_one_batch(make_kv: Factory) -> None:
    db = open_db(make_kv(), 1)
    m = Model(db, seed=2)
    tip = GENESIS_HASH
    side = m.child(tip, salt=b"side")
    for _ in range(5):
        tip = m.child(tip, make_best=True, finalize=m.db.best().hash)
        m.check()
    tip = m.child(tip, make_best=True)
    tip = m.child(tip, make_best=True, finalize_self=True)  # finalize the block being imported
    assert db.finalized().hash == tip
    assert not db.has_state(side)
    m.check()
    with pytest.raises(FinalityViolation):
        m.child(tip, salt=b"x", finalize_self=True)  # not made best: cannot be finalized


def test_state_root_mismatch_writes_nothing(make_kv: Factory) -> None:
    kv = make_kv()
    db = open_db(kv, 4)
    before = list(kv.iterate())
    record = BlockRecord(b"\x07" * 32, GENESIS_HASH, 1, b"header", b"body")
    with pytest.raises(StateRootMismatch):
        db.import_block(record, db.state_root(GENESIS_HASH), {b"a": b"b"}, state_root=b"\x00" * 32)
    assert list(kv.iterate()) == before
    with pytest.raises(ValueError):
        db.import_block(record, b"\x01" * 32, {b"a": b"b"})


def test_reopen_resumes(tmp_path: Path) -> None:
    path = tmp_path / "chain"
    db = open_db(path, 3, sync=False)
    m = Model(db, seed=3)
    tip = GENESIS_HASH
    for _ in range(6):
        tip = m.child(tip, make_best=True)
    db.finalize(db.blocks.hash_at(4))  # type: ignore[arg-type]
    best, fin = db.best(), db.finalized()
    db.close()
    again = open_db(path, 3)
    try:
        assert again.best() == best and again.finalized() == fin
        m.db = again
        m.check()
        m.child(tip, make_best=True)
        m.check()
    finally:
        again.close()


def test_foreign_and_incompatible_databases(tmp_path: Path) -> None:
    path = tmp_path / "chain"
    open_db(path, 3, sync=False).close()
    with pytest.raises(ForeignDatabase, match="purge-chain --base-path"):
        ChainDatabase.open(path, b"\x99" * 32, GENESIS_STORAGE)
    with pytest.raises(IncompatibleDatabase, match="pruning mode 'pruned'.*purge-chain"):
        open_db(path, None)
    kv = LevelDBKV(path)
    kv.put(schema.META_VERSION, schema.encode_version(1))
    kv.close()
    with pytest.raises(IncompatibleDatabase, match="schema version.*purge-chain"):
        open_db(path, 3)
    kv = LevelDBKV(path)
    kv.put(schema.META_VERSION, schema.encode_version(schema.SCHEMA_VERSION))
    kv.put(schema.META_BEST, b"\x42" * 32)
    kv.close()
    with pytest.raises(DatabaseCorrupted, match="corrupted.*purge-chain"):
        open_db(path, 3)


def test_data_without_genesis_is_not_reset(tmp_path: Path) -> None:
    kv = LevelDBKV(tmp_path / "junk")
    kv.put(b"zzz", b"not a chain")
    with pytest.raises(DatabaseCorrupted, match="no genesis"):
        open_db(kv, 3)
    assert kv.get(b"zzz") == b"not a chain"
    kv.close()
