"""The block-import fast paths of the trie must not change any result.

* :meth:`TrieDB.update` (sorted changes applied in one descent) against key-by-key
  :meth:`~TrieDB.insert` / :meth:`~TrieDB.remove` and the closed-form root: same root, same
  new nodes, same reference counts, same released references - for both state versions,
  with deletions that collapse branches, keys that are prefixes of other keys, and commits
  that keep only a few levels decoded (with and without a shelf);
* patched branch encodings (a dirty branch whose children changed only by hash is spliced,
  not re-encoded): every patch is checked against a full re-encoding here;
* :meth:`TrieDB.warm` and the shelf, :meth:`StateDatabase.warm_up`, ``KVNodeStore.get_many``;
* the fast decoder on partial keys long enough to need a second length byte.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Iterator

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from storage.kv import MemoryKV
from storage.state_db import NodeChanges, StateDatabase
from storage.trie import MemoryNodeStore, TrieDB, trie_root, trie_root_nodes_and_refs
from storage.trie import triedb as triedb_module
from storage.trie._node import Node, _fast_node
from storage.trie.codec import HashedValue, Leaf, encode_node


@pytest.fixture(autouse=True)
def check_patches(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Every patched encoding is compared with a full re-encoding (an assertion in _encode)."""
    monkeypatch.setattr(triedb_module, "_CHECK_PATCHES", True)
    yield


def _apply_model(model: dict[bytes, bytes], changes: dict[bytes, bytes | None]) -> None:
    for key, value in changes.items():
        if value is None:
            model.pop(key, None)
        else:
            model[key] = value


def _per_key(trie: TrieDB, changes: dict[bytes, bytes | None]) -> None:
    for key, value in changes.items():
        if value is None:
            trie.remove(key)
        else:
            trie.insert(key, value)


keys = st.one_of(st.binary(min_size=0, max_size=3), st.binary(min_size=32, max_size=32))
values = st.sampled_from([b"", b"a", b"b" * 31, b"c" * 33, b"d" * 40])
change_sets = st.dictionaries(keys, st.one_of(st.none(), values), max_size=40)


@settings(max_examples=200, deadline=None)
@given(st.lists(change_sets, min_size=1, max_size=5), st.sampled_from([0, 1]), st.integers(1, 3))
def test_update_matches_per_key_and_closed_form(
    blocks: list[dict[bytes, bytes | None]], version: int, levels: int
) -> None:
    store_a, store_b = MemoryNodeStore(), MemoryNodeStore()
    bulk, single = TrieDB(store_a, version=version), TrieDB(store_b, version=version)
    model: dict[bytes, bytes] = {}
    counts: Counter[bytes] = Counter()
    for changes in blocks:
        bulk.update(changes)
        _per_key(single, changes)
        _apply_model(model, changes)
        a = bulk.commit(keep_levels=levels)
        b = single.commit()
        store_a.apply(a)
        store_b.apply(b)
        assert a.root == b.root == trie_root(model, version)
        assert a.inserted == b.inserted
        assert a.inserted_refs == b.inserted_refs
        assert Counter(a.removed) == Counter(b.removed)
        # The store, reference-counted, holds exactly the closed-form nodes.
        counts.update(a.inserted_refs)
        counts.subtract(Counter(a.removed))
        counts = +counts
        _, nodes, refs = trie_root_nodes_and_refs(model, version)
        assert counts == refs
        assert {h: store_a.data[h] for h in counts} == nodes


def test_update_accepts_pairs_last_wins_and_empty() -> None:
    trie = TrieDB(MemoryNodeStore())
    trie.update({})
    assert not trie.is_dirty
    trie.update([(b"k", b"1"), (b"k", b"2"), (b"j", b"x"), (b"j", None)])
    assert trie.commit().root == trie_root({b"k": b"2"}, 1)


@pytest.mark.parametrize("version", [0, 1])
@pytest.mark.parametrize("shelf", [False, True])
def test_random_blocks_on_a_larger_trie(version: int, shelf: bool) -> None:
    """Thousands of 32-byte keys (branches deep enough for patches, collapses and the shelf),
    blocks of rewrites, inserts and deletes that empty whole subtrees."""
    rng = random.Random(31 + version)
    model = {rng.randbytes(32): rng.randbytes(rng.choice([1, 20, 40])) for _ in range(3000)}
    # A dense cluster under one prefix, deleted later so that branches collapse.
    cluster = {b"\x42\x42" + rng.randbytes(30): b"v" for _ in range(60)}
    model.update(cluster)
    store = MemoryNodeStore()
    root, nodes, _ = trie_root_nodes_and_refs(model, version)
    store.data.update(nodes)
    shelf_map: dict[bytes, bytes] | None = {} if shelf else None
    trie = TrieDB(store, root, version=version, shelf=shelf_map)
    if shelf:
        assert trie.warm(2, 1) > 0
        assert shelf_map
    reference = TrieDB(store, root, version=version)
    ordered = sorted(model)
    for block in range(6):
        changes: dict[bytes, bytes | None] = {}
        for key in rng.sample(ordered, 150):
            changes[key] = None if rng.random() < 0.3 else rng.randbytes(rng.choice([1, 20, 40]))
        for _ in range(50):
            changes[rng.randbytes(32)] = rng.randbytes(8)
        if block == 2:
            changes.update(dict.fromkeys(cluster))
        if block == 3:
            changes.update(cluster)  # and back
        trie.update(changes)
        _per_key(reference, changes)
        _apply_model(model, changes)
        ordered = sorted(model)
        result = trie.commit(keep_levels=2, shelf_levels=1 if shelf else 0)
        expected = reference.commit()
        store.apply(result)
        assert result.root == expected.root == trie_root(model, version)
        assert result.inserted == expected.inserted
        assert Counter(result.removed) == Counter(expected.removed)
    if shelf:
        assert shelf_map is not None
        for node_hash, encoding in shelf_map.items():
            assert store.data[node_hash] == encoding
    assert dict(TrieDB(store, trie.root, version=version).items()) == model


def test_warm_loads_levels_and_fills_the_shelf() -> None:
    rng = random.Random(32)
    model = {rng.randbytes(32): rng.randbytes(10) for _ in range(2000)}
    root, nodes, _ = trie_root_nodes_and_refs(model, 1)
    store = MemoryNodeStore(dict(nodes))
    shelf: dict[bytes, bytes] = {}
    trie = TrieDB(store, root, shelf=shelf)
    read = trie.warm(2, 1)
    assert trie._root is not None and isinstance(trie._root, Node)
    level1 = [c for c in trie._root.children or () if c is not None]
    assert level1 and all(isinstance(c, Node) for c in level1)
    assert all(type(c) is bytes for n in level1 for c in (n.children or ()) if c is not None)
    assert len(shelf) == sum(1 for n in level1 for c in (n.children or ()) if c is not None)
    assert read == len(level1) + len(shelf)
    assert all(store.data[h] == e for h, e in shelf.items())
    assert trie.warm(2, 1) == 0  # everything already in memory
    assert dict(trie.items()) == model
    with pytest.raises(ValueError):
        TrieDB(store, root).warm(1, 1)  # no shelf
    with pytest.raises(ValueError):
        trie.commit(shelf_levels=1)  # needs keep_levels


def test_state_database_warm_up_and_levels() -> None:
    rng = random.Random(33)
    kv = MemoryKV()
    state = {rng.randbytes(32): rng.randbytes(rng.choice([4, 40])) for _ in range(1500)}
    db = StateDatabase(kv, pruning=None, warm_levels=2, shelf_levels=1)
    assert (db.warm_levels, db.shelf_levels) == (2, 1)
    with kv.write_batch() as batch:
        acc = NodeChanges()
        root = db.genesis(state, acc, batch).root
        db.flush(acc, batch)
    assert db.warm_up(root) > 0
    assert db.shelf
    for _ in range(3):
        changes: dict[bytes, bytes | None] = {k: None for k in rng.sample(sorted(state), 40)}
        changes.update({rng.randbytes(32): b"n" for _ in range(40)})
        with kv.write_batch() as batch:
            acc = NodeChanges()
            root = db.commit_block(root, changes, acc).root
            db.flush(acc, batch)
        _apply_model(state, changes)
        assert root == trie_root(state, 1)
    assert dict(db.state_at(root).items()) == state
    with pytest.raises(ValueError):
        StateDatabase(kv, warm_levels=0)
    with pytest.raises(ValueError):
        StateDatabase(kv, shelf_levels=-1)


def test_node_store_get_many() -> None:
    kv = MemoryKV()
    db = StateDatabase(kv, pruning=None)
    with kv.write_batch() as batch:
        acc = NodeChanges()
        root = db.genesis({b"a" * 32: b"x" * 40, b"b" * 32: b"y"}, acc, batch).root
        db.flush(acc, batch)
    db.nodes.remember({b"\x01" * 32: b"pending"})
    found = db.nodes.get_many([b"\x01" * 32, root, b"\x02" * 32])
    assert found == [b"pending", db.nodes.get(root), None]


def test_fast_decoder_long_partials() -> None:
    for partial_len in (31, 40, 59, 62, 63, 64, 100):
        partial = bytes(i % 16 for i in range(partial_len))
        for value in (b"v" * 10, HashedValue(b"\x07" * 32)):
            encoding = encode_node(Leaf(partial, value))
            node = _fast_node(encoding)
            assert node is not None and node.partial == partial and node.enc == encoding


def test_chain_database_warm_up() -> None:
    from .chain_sim import GENESIS_HASH, open_db

    db = open_db(MemoryKV(), 2)
    assert db.warm_up() >= 0
    assert db.state._warm is not None and db.state._warm.root == db.state_root(GENESIS_HASH)
