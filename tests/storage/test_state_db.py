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
from storage.journal import Journal
from storage.kv import KeyValueStore, MemoryKV
from storage.leveldb import LevelDBKV
from storage.state_db import NodeChanges, StateDatabase
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


def _genesis(db: StateDatabase, batch: object, state: dict[bytes, bytes]) -> bytes:
    acc = NodeChanges()
    root = db.genesis(state, acc, batch).root  # type: ignore[arg-type]
    db.flush(acc, batch)  # type: ignore[arg-type]
    return root


def _commit(db: StateDatabase, batch: object, root: bytes, changes: dict[bytes, bytes | None]) -> bytes:
    acc = NodeChanges()
    commit = db.commit_block(root, changes, acc)
    db.flush(acc, batch)  # type: ignore[arg-type]
    return commit.root


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
        root = _genesis(db, batch, state)
    history = [(root, state)]
    for _number in range(1, blocks + 1):
        changes = _random_changes(rng, state, rng.randint(1, 25))
        with kv.write_batch() as batch:
            root = _commit(db, batch, root, changes)
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
    """Two blocks built in one batch: the child continues the parent's (warm) trie."""
    kv = make_kv()
    db = StateDatabase(kv, pruning=None)
    rng = random.Random(5)
    state = {rng.randbytes(2): _random_value(rng) for _ in range(30)}
    with kv.write_batch() as batch:
        root = _genesis(db, batch, state)
    with kv.write_batch() as batch:
        for _ in range(2):
            changes = _random_changes(rng, state, 10)
            root = _commit(db, batch, root, changes)
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
    for _fork in (1, 2):
        changes = _random_changes(rng, parent_state, 8)
        with kv.write_batch() as batch:
            root = _commit(db, batch, parent_root, changes)
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


def test_journal_round_trip() -> None:
    journal = Journal(
        b"\x01" * 32,
        ((b"\x02" * 32, 1), (b"\x03" * 32, 7)),
        (b"\x04" * 32, b"\x04" * 32),
        ((b"a", b""), (b"b", None), (b"c" * 40, b"v" * 300)),
    )
    assert Journal.decode(journal.encode()) == journal
    assert Journal.decode(Journal(EMPTY_ROOT).encode()) == Journal(EMPTY_ROOT)
    assert Journal.decode_root(journal.encode()) == journal.root


def test_uncommitted_commit_changes_nothing(make_kv: Factory) -> None:
    """Computing a commit and discarding its batch leaves the database as it was."""
    kv = make_kv()
    db = StateDatabase(kv, pruning=4)
    history = _build_chain(db, kv, seed=2, blocks=2)
    before = list(kv.iterate())
    batch = kv.write_batch()
    root = _commit(db, batch, history[-1][0], {b"new": b"value" * 10})
    batch.discard()
    assert list(kv.iterate()) == before
    assert not db.has_state(root)
    with pytest.raises(StateDiscarded):
        db.state_at(root)
    # Building on the committed parent again works (the warm trie is keyed by root).
    with kv.write_batch() as batch:
        again = _commit(db, batch, history[-1][0], {b"new": b"value" * 10})
    assert again == root and db.has_state(root)


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
    finally:
        reopened.close()
