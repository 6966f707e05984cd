"""Tests for :mod:`storage.state_db` over both key-value backends.

The oracle is closed form: after every block the expected full state is a plain dict, and
its :func:`trie_root` must equal the root the incremental path produced.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from storage.errors import StateDiscarded
from storage.kv import KeyValueStore, MemoryKV
from storage.leveldb import LevelDBKV
from storage.schema import JOURNAL, journal_key
from storage.state_db import StateDatabase, decode_journal, encode_journal
from storage.trie import EMPTY_ROOT, trie_root, verify_proof

Factory = Callable[[], KeyValueStore]


@pytest.fixture(params=["memory", "leveldb"])
def make_kv(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Factory]:
    """Fresh stores of the parametrized backend, closed at teardown."""
    opened: list[KeyValueStore] = []

    def factory() -> KeyValueStore:
        kv: KeyValueStore
        if request.param == "memory":
            kv = MemoryKV()
        else:
            kv = LevelDBKV(tmp_path / f"db{len(opened)}", sync=False)
        opened.append(kv)
        return kv

    yield factory
    for kv in opened:
        kv.close()


def _random_value(rng: random.Random) -> bytes:
    # Mix short inline values and long ones (>= 33 bytes go out of line under V1).
    return rng.randbytes(rng.choice([0, 1, 5, 31, 32, 33, 40, 100]))


def _random_changes(rng: random.Random, state: dict[bytes, bytes], count: int) -> dict[bytes, bytes | None]:
    changes: dict[bytes, bytes | None] = {}
    existing = sorted(state)
    for _ in range(count):
        roll = rng.random()
        if existing and roll < 0.3:
            changes[rng.choice(existing)] = None
        elif existing and roll < 0.6:
            changes[rng.choice(existing)] = _random_value(rng)
        else:
            # Short keys collide on prefixes often, exercising branch/extension handling.
            changes[rng.randbytes(rng.choice([1, 2, 3, 32]))] = _random_value(rng)
    return changes


def _apply(state: dict[bytes, bytes], changes: dict[bytes, bytes | None]) -> dict[bytes, bytes]:
    new = dict(state)
    for key, value in changes.items():
        if value is None:
            new.pop(key, None)
        else:
            new[key] = value
    return new


def _block_hash(number: int, fork: int = 0) -> bytes:
    return number.to_bytes(4, "big") + bytes([fork]) * 28


def _check_view(db: StateDatabase, root: bytes, expected: dict[bytes, bytes]) -> None:
    view = db.state_at(root)
    ordered = sorted(expected)
    for key in ordered:
        assert view.get(key) == expected[key]
    assert view.get(b"\xff" * 40) is None
    # next_key walks the whole state in order, starting before the first key.
    walked: list[bytes] = []
    if b"\x00" in expected:
        walked.append(b"\x00")
    cursor = view.next_key(b"\x00")
    while cursor is not None:
        walked.append(cursor)
        cursor = view.next_key(cursor)
    assert walked == [k for k in ordered if k >= b"\x00"]
    assert dict(view.items()) == expected


def _build_chain(
    db: StateDatabase, kv: KeyValueStore, seed: int, blocks: int
) -> list[tuple[bytes, dict[bytes, bytes]]]:
    """Genesis plus ``blocks`` blocks, each in its own batch; returns (root, state) per height."""
    rng = random.Random(seed)
    state = {rng.randbytes(rng.choice([1, 2, 32])): _random_value(rng) for _ in range(40)}
    with kv.write_batch() as batch:
        root = db.genesis(state, batch, _block_hash(0))
    history = [(root, state)]
    for number in range(1, blocks + 1):
        changes = _random_changes(rng, state, rng.randint(1, 25))
        with kv.write_batch() as batch:
            root = db.commit_block(root, changes, _block_hash(number), number, batch)
        state = _apply(state, changes)
        history.append((root, state))
    return history


@pytest.mark.parametrize("version", [0, 1])
def test_roots_match_closed_form_and_reads(make_kv: Factory, version: int) -> None:
    kv = make_kv()
    db = StateDatabase(kv, version=version, pruning=None)
    history = _build_chain(db, kv, seed=7 + version, blocks=12)
    for root, state in history:
        assert root == trie_root(state, version)
        _check_view(db, root, state)


def test_read_proofs_verify(make_kv: Factory) -> None:
    kv = make_kv()
    db = StateDatabase(kv, pruning=None)
    history = _build_chain(db, kv, seed=3, blocks=6)
    rng = random.Random(99)
    for root, state in history:
        present = rng.sample(sorted(state), min(5, len(state)))
        absent = [b"\xfe" * 33, b"\x00\x01\x02\x03\x04"]
        absent = [k for k in absent if k not in state]
        proof = db.read_proof(root, present + absent)
        for key in present:
            assert verify_proof(root, proof, key) == state[key]
        for key in absent:
            assert verify_proof(root, proof, key) is None


def test_uncommitted_parent_batch_is_readable(make_kv: Factory) -> None:
    """Two blocks built in one batch: the child reads the parent's nodes from the cache."""
    kv = make_kv()
    db = StateDatabase(kv, pruning=None)
    rng = random.Random(5)
    state = {rng.randbytes(2): _random_value(rng) for _ in range(30)}
    with kv.write_batch() as batch:
        root = db.genesis(state, batch)
        changes = _random_changes(rng, state, 10)
        root = db.commit_block(root, changes, _block_hash(1), 1, batch)
    state = _apply(state, changes)
    assert root == trie_root(state, 1)
    # A fresh database (no cache) reads it all back from the store.
    _check_view(StateDatabase(kv, pruning=None), root, state)


def test_forks_share_parent(make_kv: Factory) -> None:
    kv = make_kv()
    db = StateDatabase(kv, pruning=None)
    history = _build_chain(db, kv, seed=11, blocks=3)
    parent_root, parent_state = history[-1]
    rng = random.Random(12)
    forks = []
    for fork in (1, 2):
        changes = _random_changes(rng, parent_state, 8)
        with kv.write_batch() as batch:
            root = db.commit_block(parent_root, changes, _block_hash(4, fork), 4, batch)
        forks.append((root, _apply(parent_state, changes)))
    for root, state in [*forks, *history]:
        assert root == trie_root(state, 1)
        _check_view(db, root, state)


def test_empty_state_and_unknown_root(make_kv: Factory) -> None:
    kv = make_kv()
    db = StateDatabase(kv, pruning=None)
    view = db.state_at(EMPTY_ROOT)
    assert view.get(b"a") is None and view.next_key(b"") is None
    with pytest.raises(StateDiscarded):
        db.state_at(b"\x42" * 32)
    with pytest.raises(StateDiscarded):
        db.read_proof(b"\x42" * 32, [b"a"])


def test_pruning_discards_old_states(make_kv: Factory) -> None:
    kv = make_kv()
    db = StateDatabase(kv, pruning=3)
    history = _build_chain(db, kv, seed=21, blocks=10)
    canonical = {n: _block_hash(n) for n in range(11)}
    # Nothing is old enough yet.
    assert db.prune(2, canonical.get) == 0
    retired = db.prune(8, canonical.get)  # heights 0..5 leave the window
    assert retired == 6
    live_roots = {root for root, _ in history[6:]}
    for number, (root, state) in enumerate(history):
        if number <= 5 and root not in live_roots:
            with pytest.raises(StateDiscarded):
                db.state_at(root)
            with pytest.raises(StateDiscarded), kv.write_batch() as batch:
                db.commit_block(root, {}, _block_hash(99), 99, batch)
        else:
            _check_view(db, root, state)
    assert all(int.from_bytes(k[1:9], "big") >= 6 for k, _ in kv.iterate(JOURNAL))
    # Pruning again to the same height is a no-op; a fresh instance sees the same thing.
    assert db.prune(8, canonical.get) == 0
    again = StateDatabase(kv, pruning=3)
    with pytest.raises(StateDiscarded):
        again.state_at(history[0][0])
    _check_view(again, history[-1][0], history[-1][1])


def test_archive_never_discards(make_kv: Factory) -> None:
    kv = make_kv()
    db = StateDatabase(kv, pruning=None)
    history = _build_chain(db, kv, seed=4, blocks=5)
    assert db.prune(100, lambda n: None) == 0
    for root, state in history:
        _check_view(db, root, state)


def test_journal_contents(make_kv: Factory) -> None:
    kv = make_kv()
    db = StateDatabase(kv, pruning=None)
    history = _build_chain(db, kv, seed=8, blocks=2)
    raw = kv.get(journal_key(2, _block_hash(2)))
    assert raw is not None
    root, inserted, removed = decode_journal(raw)
    assert root == history[2][0]
    assert all(db.nodes.get(h) is not None for h in inserted)
    assert encode_journal(root, inserted, removed) == raw


def test_leveldb_reopen_keeps_states(tmp_path: Path) -> None:
    path = tmp_path / "state"
    kv = LevelDBKV(path, sync=False)
    history = _build_chain(StateDatabase(kv, pruning=None), kv, seed=17, blocks=8)
    kv.close()
    reopened = LevelDBKV(path, create_if_missing=False)
    try:
        db = StateDatabase(reopened, pruning=None)
        for root, state in history:
            _check_view(db, root, state)
            proof = db.read_proof(root, sorted(state)[:3])
            for key in sorted(state)[:3]:
                assert verify_proof(root, proof, key) == state[key]
        # Pruning-mode reopen rebuilds the live root set from the journals.
        pruned = StateDatabase(reopened, pruning=2)
        _check_view(pruned, history[-1][0], history[-1][1])
    finally:
        reopened.close()
