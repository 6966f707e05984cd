"""State roots: closed-form roots against real-chain vectors and an independent naive
construction, and the incremental TrieDB against the closed form."""

from __future__ import annotations

import time
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from storage.trie._compact import encode_compact
from storage.trie.codec import EMPTY_ROOT, Branch, HashedValue, Leaf, blake2_256, encode_node, key_to_nibbles
from storage.trie.errors import MissingNode
from storage.trie.root import (
    genesis_state_root,
    ordered_trie_root,
    prefixed_child_key,
    trie_root,
    trie_root_and_nodes,
)
from storage.trie.triedb import MemoryNodeStore, TrieDB

KUSAMA_GENESIS_STATE_ROOT = "b0006203c3a6e6bd2c6a17b1d4ae8ca49a31da0f4579da950b127774b44aef6b"

# Small alphabets make shared prefixes, prefix keys and deep branches likely.
keys = st.one_of(
    st.binary(max_size=5),
    st.lists(st.sampled_from([0x00, 0x01, 0x10, 0x11, 0xFF]), max_size=5).map(bytes),
)
values = st.one_of(st.binary(max_size=40), st.binary(min_size=30, max_size=100))
mappings = st.dictionaries(keys, values, max_size=30)


def _hex_map(raw: dict[str, str]) -> dict[bytes, bytes]:
    return {bytes.fromhex(k.removeprefix("0x")): bytes.fromhex(v.removeprefix("0x")) for k, v in raw.items()}


# -- an independent, deliberately naive construction ------------------------------------


def _naive_node(items: dict[bytes, bytes], version: int) -> bytes:
    """Encode the node for nibble-path -> value ``items`` (paths relative to the node)."""

    def value_of(value: bytes) -> bytes | HashedValue:
        return HashedValue(blake2_256(value)) if version == 1 and len(value) >= 33 else value

    if len(items) == 1:
        (path, value), = items.items()
        return encode_node(Leaf(path, value_of(value)))
    prefix = b""
    while all(len(p) > len(prefix) for p in items) and len({p[len(prefix)] for p in items}) == 1:
        prefix += bytes([next(iter(items))[len(prefix)]])
    own = items.get(prefix)
    children: list[bytes | None] = []
    for nibble in range(16):
        group = {p[len(prefix) + 1 :]: v for p, v in items.items() if len(p) > len(prefix) and p[len(prefix)] == nibble}
        if not group:
            children.append(None)
            continue
        encoded = _naive_node(group, version)
        children.append(encoded if len(encoded) < 32 else blake2_256(encoded))
    return encode_node(Branch(prefix, tuple(children), None if own is None else value_of(own)))


def _naive_root(mapping: dict[bytes, bytes], version: int) -> bytes:
    if not mapping:
        return EMPTY_ROOT
    return blake2_256(_naive_node({key_to_nibbles(k): v for k, v in mapping.items()}, version))


# -- closed form --------------------------------------------------------------------------


def test_empty_roots() -> None:
    for version in (0, 1):
        assert trie_root({}, version) == EMPTY_ROOT
        assert ordered_trie_root([], version) == EMPTY_ROOT
        assert trie_root_and_nodes({}, version) == (EMPTY_ROOT, {})
    assert EMPTY_ROOT.hex() == "03170a2e7597b7b7e3d84c05391d139a62b157e78786d8c082f29dcf4c111314"


def test_sp_trie_root_node_vectors() -> None:
    root, nodes = trie_root_and_nodes({b"\xaa": b"\xbb"})
    assert nodes[root].hex() == "42aa04bb"
    root, nodes = trie_root_and_nodes({bytes.fromhex("4819"): b"\xfe", bytes.fromhex("1314"): b"\xff"})
    assert nodes[root].hex() == "80120014430314" "04ff" "1443081904fe"
    assert root == blake2_256(nodes[root])


def test_kusama_genesis_root(kusama_spec: Any) -> None:
    raw = kusama_spec["genesis"]["raw"]
    top = _hex_map(raw["top"])
    assert len(top) == 3419
    assert not raw.get("childrenDefault")
    start = time.perf_counter()
    root = trie_root(top, 0)
    elapsed = time.perf_counter() - start
    assert root.hex() == KUSAMA_GENESIS_STATE_ROOT
    assert elapsed < 1.0
    assert genesis_state_root(top, {}, 0).hex() == KUSAMA_GENESIS_STATE_ROOT
    # Kusama has values over 32 bytes (the runtime code), so version 1 differs.
    assert trie_root(top, 1) != root


def test_localnet_extrinsics_root(golden: Any) -> None:
    block = golden["block"]
    extrinsics = [bytes.fromhex(x.removeprefix("0x")) for x in block["raw"]["block"]["extrinsics"]]
    expected = block["decoded_header"]["extrinsicsRoot"].removeprefix("0x")
    assert ordered_trie_root(extrinsics, 0).hex() == expected


def test_ordered_root_keys_are_compact_indices() -> None:
    items = [bytes([i]) * (i % 50) for i in range(70)]
    expected = trie_root({encode_compact(i): v for i, v in enumerate(items)}, 1)
    assert ordered_trie_root(items, 1) == expected


def test_genesis_with_child_tries() -> None:
    top = {b"top": b"value"}
    child = {b"a": b"1", b"b": b"2" * 40}
    for version in (0, 1):
        expected = trie_root({**top, b":child_storage:default:kid": trie_root(child, version)}, version)
        assert prefixed_child_key(b"kid") == b":child_storage:default:kid"
        assert genesis_state_root(top, {b"kid": child, b"empty": {}}, version) == expected


def test_v1_stores_long_values_by_hash() -> None:
    long_value = b"v" * 33
    root, nodes = trie_root_and_nodes({b"k": long_value, b"s": b"x" * 32}, 1)
    assert nodes[blake2_256(long_value)] == long_value
    assert b"x" * 32 not in nodes.values()
    _, nodes_v0 = trie_root_and_nodes({b"k": long_value}, 0)
    assert long_value not in nodes_v0.values()


@settings(max_examples=120, deadline=None)
@given(mappings)
def test_closed_form_matches_naive(mapping: dict[bytes, bytes]) -> None:
    for version in (0, 1):
        assert trie_root(mapping, version) == _naive_root(mapping, version)


@settings(max_examples=120, deadline=None)
@given(mappings)
def test_versions_differ_exactly_when_a_value_is_long(mapping: dict[bytes, bytes]) -> None:
    has_long = any(len(v) >= 33 for v in mapping.values())
    assert (trie_root(mapping, 0) != trie_root(mapping, 1)) == has_long


def test_rejects_unknown_version() -> None:
    with pytest.raises(ValueError):
        trie_root({}, 2)
    with pytest.raises(ValueError):
        TrieDB(MemoryNodeStore(), version=3)


# -- incremental TrieDB -----------------------------------------------------------------

operations = st.lists(
    st.one_of(st.tuples(st.just("set"), keys, values), st.tuples(st.just("del"), keys, st.none()),
              st.tuples(st.just("commit"), st.booleans(), st.none())),
    max_size=60,
)


def _run(ops: list[tuple[str, Any, Any]], version: int, initial: dict[bytes, bytes]) -> None:
    root, nodes = trie_root_and_nodes(initial, version)
    store = MemoryNodeStore(dict(nodes))
    trie = TrieDB(store, root, version=version)
    model = dict(initial)
    for op, key, value in ops:
        if op == "set":
            trie.insert(key, value)
            model[key] = value
        elif op == "del":
            trie.remove(key)
            model.pop(key, None)
        else:
            result = trie.commit()
            assert result.root == trie_root(model, version)
            store.apply(result)
            if key:  # reopen from the store and continue there
                trie = TrieDB(store, result.root, version=version)
    result = trie.commit()
    assert result.root == trie.root == trie_root(model, version)
    assert not trie.is_dirty
    store.apply(result)
    for key in list(model) + [b"\x00\x00\x00", b"\x10"]:
        assert trie.get(key) == model.get(key)
    reopened = TrieDB(store, result.root, version=version)
    assert list(reopened.items()) == sorted(model.items())
    assert list(trie.items()) == sorted(model.items())


@settings(max_examples=150, deadline=None)
@given(operations, st.dictionaries(keys, values, max_size=15))
def test_triedb_matches_closed_form_v0(ops: list[tuple[str, Any, Any]], initial: dict[bytes, bytes]) -> None:
    _run(ops, 0, initial)


@settings(max_examples=150, deadline=None)
@given(operations, st.dictionaries(keys, values, max_size=15))
def test_triedb_matches_closed_form_v1(ops: list[tuple[str, Any, Any]], initial: dict[bytes, bytes]) -> None:
    _run(ops, 1, initial)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(keys, st.booleans()), max_size=50), st.sampled_from([0, 1]))
def test_commit_store_bookkeeping_is_exact(ops: list[tuple[bytes, bool]], version: int) -> None:
    """Applying inserted/removed to a pruning store leaves exactly the live trie's nodes.

    Values are made unique so no two live nodes share a hash (this store does no refcounting).
    """
    store = MemoryNodeStore()
    trie = TrieDB(store, version=version)
    model: dict[bytes, bytes] = {}
    for counter, (key, keep) in enumerate(ops):
        if keep:
            model[key] = counter.to_bytes(4, "big") * (1 + counter % 12)
            trie.insert(key, model[key])
        else:
            model.pop(key, None)
            trie.remove(key)
        if counter % 3 == 0:
            store.apply(trie.commit(), prune=True)
            assert store.data == trie_root_and_nodes(model, version)[1]
    store.apply(trie.commit(), prune=True)
    assert store.data == trie_root_and_nodes(model, version)[1]


@settings(max_examples=100, deadline=None)
@given(st.dictionaries(keys, values, max_size=25), keys, keys)
def test_iteration_prefix_start_and_next_key(mapping: dict[bytes, bytes], prefix: bytes, start: bytes) -> None:
    root, nodes = trie_root_and_nodes(mapping, 1)
    trie = TrieDB(MemoryNodeStore(nodes), root, version=1)
    ordered = sorted(mapping.items())
    prefix = prefix[:1]
    assert list(trie.items(prefix=prefix)) == [(k, v) for k, v in ordered if k.startswith(prefix)]
    assert list(trie.keys(start=start)) == [k for k, _ in ordered if k >= start]
    assert list(trie.items(prefix=prefix, start=start)) == [
        (k, v) for k, v in ordered if k.startswith(prefix) and k >= start
    ]
    assert trie.next_key(start) == next((k for k, _ in ordered if k > start), None)
    assert list(trie) == [k for k, _ in ordered]


def test_unchanged_value_leaves_trie_clean() -> None:
    root, nodes = trie_root_and_nodes({b"a": b"1", b"b": b"2" * 50}, 1)
    trie = TrieDB(MemoryNodeStore(nodes), root, version=1)
    trie.insert(b"a", b"1")
    trie.insert(b"b", b"2" * 50)
    trie.remove(b"zz")
    assert not trie.is_dirty
    result = trie.commit()
    assert result.root == root and not result.inserted and not result.removed


def test_set_then_revert_cancels_out() -> None:
    state = {bytes([i]) * 4: bytes([i]) * 40 for i in range(40)}
    root, nodes = trie_root_and_nodes(state, 1)
    trie = TrieDB(MemoryNodeStore(nodes), root, version=1)
    trie.insert(b"\x05" * 4, b"new" * 20)
    trie.insert(b"\x05" * 4, b"\x05" * 40)
    result = trie.commit()
    assert result.root == root and not result.inserted and not result.removed


def test_small_root_becoming_inline_child_is_released() -> None:
    store = MemoryNodeStore()
    trie = TrieDB(store, version=0)
    trie.insert(b"\x01", b"x")
    first = trie.commit()
    assert first.root in first.inserted and len(first.inserted[first.root]) < 32
    store.apply(first)
    trie.insert(b"\x02", b"y" * 40)
    second = trie.commit()
    assert second.root == trie_root({b"\x01": b"x", b"\x02": b"y" * 40}, 0)
    assert first.root in second.removed


def test_missing_node_raises() -> None:
    state = {bytes([i, j]): bytes(40) for i in range(16) for j in range(4)}
    root, nodes = trie_root_and_nodes(state, 1)
    value_hash = blake2_256(bytes(40))
    trie = TrieDB(MemoryNodeStore({root: nodes[root]}), root, version=1)
    with pytest.raises(MissingNode):
        trie.get(b"\x00\x00")
    trie = TrieDB(MemoryNodeStore({h: n for h, n in nodes.items() if h != value_hash}), root, version=1)
    assert b"\x00\x00" in trie
    with pytest.raises(MissingNode):
        trie.get(b"\x00\x00")
    with pytest.raises(MissingNode):
        TrieDB(MemoryNodeStore(), b"\x11" * 32).get(b"k")


def test_kusama_incremental_matches(kusama_spec: Any) -> None:
    top = _hex_map(kusama_spec["genesis"]["raw"]["top"])
    trie = TrieDB(MemoryNodeStore(), version=0)
    for key, value in top.items():
        trie.insert(key, value)
    assert trie.commit().root.hex() == KUSAMA_GENESIS_STATE_ROOT
