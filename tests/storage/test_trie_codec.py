"""Node codec of the state trie: sp-trie vectors, headers, nibbles, compact integers, and a
strict decoder that fails only with NodeDecodeError."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from storage.trie._compact import decode_compact, encode_compact
from storage.trie.codec import (
    EMPTY_NODE,
    EMPTY_ROOT,
    Branch,
    Empty,
    HashedValue,
    Leaf,
    blake2_256,
    common_prefix_length,
    decode_node,
    encode_node,
    key_to_nibbles,
    nibbles_to_key,
    pack_partial,
    unpack_partial,
)
from storage.trie.errors import NodeDecodeError, TrieError

nibble_paths = st.lists(st.integers(0, 15), max_size=80).map(bytes)
inline_values = st.binary(max_size=70)
hashed_values = st.binary(min_size=32, max_size=32).map(HashedValue)
node_values = st.one_of(inline_values, hashed_values)
child_refs = st.one_of(st.none(), st.binary(min_size=1, max_size=32))


@st.composite
def branches(draw: st.DrawFn) -> Branch:
    children = draw(st.lists(child_refs, min_size=16, max_size=16))
    if all(child is None for child in children):
        children[draw(st.integers(0, 15))] = draw(st.binary(min_size=1, max_size=32))
    return Branch(draw(nibble_paths), tuple(children), draw(st.one_of(st.none(), node_values)))


nodes = st.one_of(st.just(Empty()), st.builds(Leaf, nibble_paths, node_values), branches())


def test_empty_root_constant() -> None:
    assert EMPTY_NODE == b"\x00"
    assert EMPTY_ROOT.hex() == "03170a2e7597b7b7e3d84c05391d139a62b157e78786d8c082f29dcf4c111314"
    assert blake2_256(b"\x00") == EMPTY_ROOT
    assert decode_node(b"\x00") == Empty()


def test_sp_trie_leaf_vector() -> None:
    leaf = Leaf(key_to_nibbles(b"\xaa"), b"\xbb")
    assert encode_node(leaf).hex() == "42aa04bb"
    assert decode_node(bytes.fromhex("42aa04bb")) == leaf


def test_sp_trie_branch_vector() -> None:
    data = bytes.fromhex("80120014430314" "04ff" "1443081904fe")
    node = decode_node(data)
    assert isinstance(node, Branch)
    assert node.partial == b"" and node.value is None
    present = {i: ref for i, ref in enumerate(node.children) if ref is not None}
    assert set(present) == {1, 4}
    # Both children are inlined leaves: nibble 1 then "3 1 4", nibble 4 then "8 1 9".
    assert decode_node(present[1]) == Leaf(bytes([3, 1, 4]), b"\xff")
    assert decode_node(present[4]) == Leaf(bytes([8, 1, 9]), b"\xfe")
    assert encode_node(node) == data


@pytest.mark.parametrize(
    ("count", "header"),
    [
        (0, "40"),
        (62, "7e"),
        (63, "7f00"),
        (64, "7f01"),
        (63 + 254, "7ffe"),
        (63 + 255, "7fff00"),
        (63 + 255 + 3, "7fff03"),
        (63 + 510, "7fffff00"),
    ],
)
def test_leaf_partial_length_header(count: int, header: str) -> None:
    encoded = encode_node(Leaf(bytes(count), b""))
    assert encoded.hex().startswith(header)
    assert decode_node(encoded) == Leaf(bytes(count), b"")


def test_v1_hashed_headers() -> None:
    value_hash = HashedValue(blake2_256(b"x" * 40))
    leaf = Leaf(bytes([1, 2, 3]), value_hash)
    encoded = encode_node(leaf)
    assert encoded[0] == 0b0010_0000 | 3
    assert encoded[1:3] == b"\x01\x23" and encoded[3:] == value_hash.hash
    assert decode_node(encoded) == leaf
    # 31 nibbles overflow the five free bits of a hashed leaf.
    assert encode_node(Leaf(bytes(31), value_hash))[:2] == b"\x3f\x00"
    branch = Branch(b"", (b"\x40\x00",) + (None,) * 15, value_hash)
    encoded = encode_node(branch)
    assert encoded[0] == 0b0001_0000
    assert decode_node(encoded) == branch
    # 15 nibbles overflow the four free bits of a hashed branch.
    assert encode_node(Branch(bytes(15), branch.children, value_hash))[:2] == b"\x1f\x00"


def test_odd_partial_packs_low_nibble_first() -> None:
    assert pack_partial(bytes([1, 2, 3])) == b"\x01\x23"
    assert pack_partial(bytes([0xA, 0xB])) == b"\xab"
    assert unpack_partial(b"\x01\x23", 3) == bytes([1, 2, 3])
    assert encode_node(Leaf(bytes([0xA]), b"")) == b"\x41\x0a\x00"


@given(st.binary(max_size=64))
def test_nibble_round_trip(key: bytes) -> None:
    nibbles = key_to_nibbles(key)
    assert len(nibbles) == 2 * len(key) and max(nibbles, default=0) < 16
    assert nibbles_to_key(nibbles) == key


@given(nibble_paths)
def test_partial_round_trip(path: bytes) -> None:
    assert unpack_partial(pack_partial(path), len(path)) == path


@given(st.binary(max_size=40), st.binary(max_size=40))
def test_common_prefix_length(a: bytes, b: bytes) -> None:
    expected = 0
    while expected < min(len(a), len(b)) and a[expected] == b[expected]:
        expected += 1
    assert common_prefix_length(a, b) == expected


@pytest.mark.parametrize(
    ("value", "encoded"),
    [
        (0, "00"),
        (1, "04"),
        (63, "fc"),
        (64, "0101"),
        (16383, "fdff"),
        (16384, "02000100"),
        (2**30 - 1, "feffffff"),
        (2**30, "0300000040"),
        (2**32 - 1, "03ffffffff"),
        (2**32, "070000000001"),
    ],
)
def test_compact_vectors(value: int, encoded: str) -> None:
    assert encode_compact(value).hex() == encoded
    assert decode_compact(bytes.fromhex(encoded), 0) == (value, len(encoded) // 2)


@given(st.integers(0, 2**128))
def test_compact_round_trip(value: int) -> None:
    data = encode_compact(value) + b"\xaa"
    assert decode_compact(data, 0) == (value, len(data) - 1)


@pytest.mark.parametrize("data", ["0100", "02000000", "0300000000", "07ffffffff00", "01", "020000", "03ffffff"])
def test_compact_rejects_non_canonical_and_truncated(data: str) -> None:
    with pytest.raises(NodeDecodeError):
        decode_compact(bytes.fromhex(data), 0)


@settings(max_examples=150, deadline=None)
@given(nodes)
def test_encode_decode_round_trip(node: Empty | Leaf | Branch) -> None:
    encoded = encode_node(node)
    assert decode_node(encoded) == node
    # No proper prefix of a node is itself a node: truncation is always detected.
    for cut in range(len(encoded)):
        with pytest.raises(NodeDecodeError):
            decode_node(encoded[:cut])


@pytest.mark.parametrize(
    "data",
    [
        "",  # nothing at all
        "01",  # 0000_0001: reserved (compact-proof escape)
        "0f",  # 0000_xxxx with no defined meaning
        "0000",  # empty node followed by garbage
        "42aa04bbcc",  # trailing byte after a leaf
        "42aa05bb",  # value length runs past the end
        "43a304bb",  # odd partial with non-zero padding nibble
        "800000",  # branch with an empty bitmap
        "800100",  # bitmap announces a child that is missing
        "80010000",  # zero-length child reference
        "800100" "84" + "00" * 33,  # child reference longer than a hash
        "7f",  # extended length without its continuation byte
        "7fffffff",  # extended length never terminates
        "4001",  # leaf without a complete value length
        "40fdffffff",  # value length far beyond the input
        "20aa",  # hashed-value leaf with a truncated hash
        "7fff" + "ff" * 300 + "00",  # partial longer than sp-trie allows
    ],
)
def test_decoder_rejects_malformed(data: str) -> None:
    with pytest.raises(NodeDecodeError):
        decode_node(bytes.fromhex(data))


@settings(max_examples=400, deadline=None)
@given(st.binary(max_size=80))
def test_decoder_total_on_random_bytes(data: bytes) -> None:
    try:
        node = decode_node(data)
    except NodeDecodeError:
        return
    # Anything accepted is canonical: it re-encodes to exactly the same bytes.
    assert encode_node(node) == data


def test_error_hierarchy() -> None:
    assert issubclass(NodeDecodeError, TrieError)
    with pytest.raises(ValueError):
        Leaf(bytes([16]), b"")
    with pytest.raises(ValueError):
        Branch(b"", (None,) * 16)
    with pytest.raises(ValueError):
        HashedValue(b"short")


@settings(max_examples=200, deadline=None)
@given(nodes, st.data())
def test_decoder_total_on_mutated_nodes(node: Empty | Leaf | Branch, data: st.DataObject) -> None:
    encoded = bytearray(encode_node(node))
    position = data.draw(st.integers(0, len(encoded)))
    action = data.draw(st.sampled_from(["flip", "insert", "delete"]))
    if action == "insert" or position == len(encoded):
        encoded.insert(position, data.draw(st.integers(0, 255)))
    elif action == "delete":
        del encoded[position]
    else:
        encoded[position] ^= data.draw(st.integers(1, 255))
    try:
        decoded = decode_node(bytes(encoded))
    except NodeDecodeError:
        return
    assert encode_node(decoded) == bytes(encoded)
