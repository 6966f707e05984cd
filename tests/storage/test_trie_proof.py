"""Read proofs: generated proofs verify for present and absent keys, in both state versions,
and damaged proofs are rejected with InvalidProof rather than crashing or lying."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from storage.trie.codec import EMPTY_ROOT, blake2_256
from storage.trie.errors import InvalidProof, MissingNode
from storage.trie.proof import generate_proof, read_proof_check, verify_proof
from storage.trie.root import trie_root_and_nodes
from storage.trie.triedb import MemoryNodeStore, TrieDB

keys = st.one_of(
    st.binary(max_size=5),
    st.lists(st.sampled_from([0x00, 0x01, 0x10, 0x11, 0xFF]), max_size=5).map(bytes),
)
values = st.one_of(st.binary(max_size=40), st.binary(min_size=30, max_size=100))
mappings = st.dictionaries(keys, values, min_size=1, max_size=30)


@settings(max_examples=120, deadline=None)
@given(mappings, st.lists(keys, max_size=6), st.sampled_from([0, 1]))
def test_generated_proofs_verify(mapping: dict[bytes, bytes], others: list[bytes], version: int) -> None:
    root, nodes = trie_root_and_nodes(mapping, version)
    store = MemoryNodeStore(nodes)
    queried = list(mapping)[:8] + others
    proof = generate_proof(store, root, queried)
    assert len(proof) == len(set(proof))
    expected = {key: mapping.get(key) for key in queried}
    assert read_proof_check(root, proof, queried) == expected
    for key in queried:
        single = generate_proof(store, root, [key])
        assert set(single) <= set(proof)
        assert verify_proof(root, single, key) == mapping.get(key)
    # A committed TrieDB at that root produces the same proof from its loaded nodes.
    trie = TrieDB(store, root, version=version)
    assert set(generate_proof(trie, root, queried)) == set(proof)


@settings(max_examples=120, deadline=None)
@given(mappings, keys, st.sampled_from([0, 1]), st.data())
def test_tampered_proofs_are_rejected(
    mapping: dict[bytes, bytes], extra: bytes, version: int, data: st.DataObject
) -> None:
    root, nodes = trie_root_and_nodes(mapping, version)
    key = data.draw(st.sampled_from(sorted(mapping) + [extra]))
    proof = generate_proof(MemoryNodeStore(nodes), root, [key])
    assert proof, "a non-empty trie's proof holds at least the root node"
    # Every entry of a single-key proof is needed, so any damage must be caught.
    victim = data.draw(st.integers(0, len(proof) - 1))
    dropped = proof[:victim] + proof[victim + 1 :]
    with pytest.raises(InvalidProof):
        verify_proof(root, dropped, key)
    damaged = bytearray(proof[victim])
    if damaged:
        position = data.draw(st.integers(0, len(damaged) - 1))
        damaged[position] ^= data.draw(st.integers(1, 255))
    else:
        damaged.append(0)  # an empty out-of-line value: change it by extension
    flipped = proof[:victim] + [bytes(damaged)] + proof[victim + 1 :]
    with pytest.raises(InvalidProof):
        verify_proof(root, flipped, key)


@settings(max_examples=60, deadline=None)
@given(mappings, st.lists(st.binary(max_size=60), max_size=5))
def test_unrelated_garbage_in_proof_is_ignored(mapping: dict[bytes, bytes], junk: list[bytes]) -> None:
    root, nodes = trie_root_and_nodes(mapping, 1)
    queried = sorted(mapping)[:5]
    proof = generate_proof(MemoryNodeStore(nodes), root, queried) + junk
    assert read_proof_check(root, proof, queried) == {key: mapping[key] for key in queried}


def test_wrong_root_is_rejected() -> None:
    root, nodes = trie_root_and_nodes({b"a": b"1", b"b": b"2"}, 1)
    proof = generate_proof(MemoryNodeStore(nodes), root, [b"a"])
    with pytest.raises(InvalidProof):
        verify_proof(b"\x42" * 32, proof, b"a")
    with pytest.raises(InvalidProof):
        verify_proof(root, [], b"a")


def test_undecodable_node_is_invalid_proof() -> None:
    garbage = b"\x01garbage"
    with pytest.raises(InvalidProof):
        verify_proof(blake2_256(garbage), [garbage], b"k")


def test_empty_trie_proves_absence() -> None:
    assert generate_proof(MemoryNodeStore(), EMPTY_ROOT, [b"k"]) == []
    assert verify_proof(EMPTY_ROOT, [], b"k") is None


def test_v1_proof_carries_out_of_line_value() -> None:
    long_value = b"L" * 64
    mapping = {b"long": long_value, b"short": b"s", b"other": b"o" * 10}
    root, nodes = trie_root_and_nodes(mapping, 1)
    proof = generate_proof(MemoryNodeStore(nodes), root, [b"long"])
    assert long_value in proof
    assert verify_proof(root, proof, b"long") == long_value
    # The short key's proof does not need the long value.
    assert long_value not in generate_proof(MemoryNodeStore(nodes), root, [b"short"])
    with pytest.raises(InvalidProof):
        verify_proof(root, [p for p in proof if p != long_value], b"long")


def test_generate_from_incomplete_store_raises_missing_node() -> None:
    mapping = {bytes([i]) * 3: bytes([i]) * 40 for i in range(20)}
    root, nodes = trie_root_and_nodes(mapping, 0)
    with pytest.raises(MissingNode):
        generate_proof(MemoryNodeStore({root: nodes[root]}), root, [b"\x01\x01\x01"])


def test_proof_after_incremental_commit() -> None:
    store = MemoryNodeStore()
    trie = TrieDB(store, version=1)
    for i in range(50):
        trie.insert(i.to_bytes(2, "big"), bytes([i]) * (i + 1))
    result = trie.commit()
    proof = generate_proof(trie, result.root, [b"\x00\x07", b"\x00\x30", b"\xff\xff"])
    assert read_proof_check(result.root, proof, [b"\x00\x07", b"\x00\x30", b"\xff\xff"]) == {
        b"\x00\x07": bytes([7]) * 8,
        b"\x00\x30": bytes([48]) * 49,
        b"\xff\xff": None,
    }
    trie.insert(b"new", b"v")
    with pytest.raises(ValueError):
        trie.record_path(b"new", {})
    # With uncommitted changes the proof comes from the store, which was never written to.
    with pytest.raises(MissingNode):
        generate_proof(trie, result.root, [b"new"])


def test_kusama_code_proof(kusama_spec: Any) -> None:
    top = {
        bytes.fromhex(k.removeprefix("0x")): bytes.fromhex(v.removeprefix("0x"))
        for k, v in kusama_spec["genesis"]["raw"]["top"].items()
    }
    root, nodes = trie_root_and_nodes(top, 0)
    code_key = b":code"
    proof = generate_proof(MemoryNodeStore(nodes), root, [code_key, b":absent"])
    assert verify_proof(root, proof, code_key) == top[code_key]
    assert verify_proof(root, proof, b":absent") is None
