"""Closed-form trie roots: hash a whole key/value mapping without a node store.

This is what genesis construction and extrinsics roots need, and what the incremental
:class:`~storage.trie.triedb.TrieDB` is checked against. The algorithm follows the shape of
the trie directly:

1. sort the keys (the nibble order of keys equals their byte order, prefixes first);
2. a range of one key is a leaf holding the rest of its path;
3. a larger range becomes a branch whose partial key is the longest common prefix of the
   range - which for a sorted range is the common prefix of its first and last keys - and
   whose value is the key equal to that prefix, if any; the remaining keys split into
   contiguous child ranges by their next nibble, found by bisection.

Every step is a slice, a ``bisect`` or a ``bytes.join``, so there is no per-nibble Python
work. Children shorter than 32 bytes are inlined into their parent; the root node is
always hashed.

State version 0 stores every value inline; version 1 stores values of 33 bytes or more by
their blake2_256 hash (the value then lives in the node store under that hash).

Default child tries are committed into the top trie under
``:child_storage:default:`` + child key, with the child trie's root as the value; empty
child tries are left out, as Substrate does.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import Counter
from typing import Final, Iterable, Mapping

from ._compact import encode_compact
from .codec import (
    EMPTY_ROOT,
    HASH_LENGTH,
    NIBBLE,
    V1_VALUE_HASH_THRESHOLD,
    blake2_256,
    common_prefix_length,
    encode_branch,
    encode_leaf,
    key_to_nibbles,
)

#: Storage-key prefix under which default child tries are committed to the top trie.
CHILD_STORAGE_DEFAULT_PREFIX: Final = b":child_storage:default:"

Items = Mapping[bytes, bytes] | Iterable[tuple[bytes, bytes]]


def _check_version(version: int) -> int:
    if version not in (0, 1):
        raise ValueError(f"unsupported state version {version!r} (expected 0 or 1)")
    return version


class _Builder:
    """One closed-form construction over a sorted key list (keeps arguments off the stack)."""

    __slots__ = ("keys", "values", "threshold", "nodes", "refs")

    def __init__(
        self,
        keys: list[bytes],
        values: list[bytes],
        version: int,
        nodes: dict[bytes, bytes] | None,
    ) -> None:
        self.keys = keys
        self.values = values
        # Version 0 never hashes values; an unreachable threshold expresses that.
        self.threshold = V1_VALUE_HASH_THRESHOLD if version == 1 else -1
        self.nodes = nodes
        self.refs: Counter[bytes] | None = None

    def _value(self, value: bytes) -> tuple[bytes, bool]:
        if 0 <= self.threshold <= len(value):
            value_hash = blake2_256(value)
            if self.nodes is not None:
                self.nodes[value_hash] = value
                if self.refs is not None:
                    self.refs[value_hash] += 1
            return value_hash, True
        return value, False

    def _reference(self, encoding: bytes) -> bytes:
        if len(encoding) < HASH_LENGTH:
            return encoding
        node_hash = blake2_256(encoding)
        if self.nodes is not None:
            self.nodes[node_hash] = encoding
            if self.refs is not None:
                self.refs[node_hash] += 1
        return node_hash

    def build(self, lo: int, hi: int, depth: int) -> bytes:
        """Encode the node covering ``keys[lo:hi]``, which all share ``depth`` nibbles."""
        keys = self.keys
        first = keys[lo]
        if hi - lo == 1:
            leaf_value, leaf_hashed = self._value(self.values[lo])
            return encode_leaf(first[depth:], leaf_value, leaf_hashed)

        shared = common_prefix_length(first, keys[hi - 1])
        value: bytes | None = None
        hashed = False
        start = lo
        if len(first) == shared:
            # The first key ends exactly at the branch: it is the branch's own value.
            value, hashed = self._value(self.values[lo])
            start += 1

        prefix = first[:shared]
        children: list[bytes | None] = [None] * 16
        while start < hi:
            nibble = keys[start][shared]
            stop = hi if nibble == 15 else bisect_left(keys, prefix + NIBBLE[nibble + 1], start, hi)
            children[nibble] = self._reference(self.build(start, stop, shared + 1))
            start = stop
        return encode_branch(first[depth:shared], value, hashed, children)


def _sorted_items(items: Items) -> tuple[list[bytes], list[bytes]]:
    mapping = items if isinstance(items, Mapping) else dict(items)
    ordered = sorted(mapping)
    return [key_to_nibbles(key) for key in ordered], [mapping[key] for key in ordered]


def trie_root_and_nodes(items: Items, version: int = 0) -> tuple[bytes, dict[bytes, bytes]]:
    """Build the trie of ``items`` and return its root and every stored node by hash.

    The node map holds what a node store needs to open the trie at that root: the root node,
    every node of 32 bytes or more, and (V1) each out-of-line value. The empty trie stores
    nothing.
    """
    _check_version(version)
    keys, values = _sorted_items(items)
    if not keys:
        return EMPTY_ROOT, {}
    nodes: dict[bytes, bytes] = {}
    encoding = _Builder(keys, values, version, nodes).build(0, len(keys), 0)
    root = blake2_256(encoding)
    nodes[root] = encoding
    return root, nodes


def trie_root_nodes_and_refs(
    items: Items, version: int = 0
) -> tuple[bytes, dict[bytes, bytes], Counter[bytes]]:
    """Like :func:`trie_root_and_nodes`, plus how many references each stored hash has.

    The counts are what a reference-counting store needs (identical subtrees at different
    positions share one entry but count once per position; the root counts once).
    """
    _check_version(version)
    keys, values = _sorted_items(items)
    if not keys:
        return EMPTY_ROOT, {}, Counter()
    nodes: dict[bytes, bytes] = {}
    builder = _Builder(keys, values, version, nodes)
    builder.refs = refs = Counter()
    encoding = builder.build(0, len(keys), 0)
    root = blake2_256(encoding)
    nodes[root] = encoding
    refs[root] += 1
    return root, nodes, refs


def trie_root(items: Items, version: int = 0) -> bytes:
    """The state root of a key -> value mapping under state version 0 or 1."""
    _check_version(version)
    keys, values = _sorted_items(items)
    if not keys:
        return EMPTY_ROOT
    return blake2_256(_Builder(keys, values, version, None).build(0, len(keys), 0))


def ordered_trie_root(values: Iterable[bytes], version: int = 0) -> bytes:
    """Root of a list trie: entry ``i`` is stored under ``Compact<u32>(i)``.

    Used for extrinsics roots, where each value is an encoded extrinsic.
    """
    return trie_root({encode_compact(index): value for index, value in enumerate(values)}, version)


def child_trie_root(items: Items, version: int = 0) -> bytes:
    """Root of a default child trie (the same layout as the top trie)."""
    return trie_root(items, version)


def prefixed_child_key(child_key: bytes) -> bytes:
    """The top-trie key under which a default child trie's root is stored."""
    return CHILD_STORAGE_DEFAULT_PREFIX + child_key


def genesis_storage(
    top: Mapping[bytes, bytes],
    children_default: Mapping[bytes, Mapping[bytes, bytes]],
    version: int = 0,
) -> dict[bytes, bytes]:
    """Top-trie contents of a genesis: ``top`` plus one root entry per non-empty child trie."""
    merged = dict(top)
    for child_key, child_items in children_default.items():
        key = prefixed_child_key(child_key)
        if child_items:
            merged[key] = child_trie_root(child_items, version)
        else:
            # An empty child trie has no root entry (Substrate deletes it).
            merged.pop(key, None)
    return merged


def genesis_state_root(
    top: Mapping[bytes, bytes],
    children_default: Mapping[bytes, Mapping[bytes, bytes]] | None = None,
    version: int = 0,
) -> bytes:
    """The genesis state root from raw top storage and default child tries."""
    return trie_root(genesis_storage(top, children_default or {}, version), version)
