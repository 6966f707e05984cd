"""The in-memory node of the incremental trie (private to :mod:`.triedb`).

A :class:`TrieDB <storage.trie.triedb.TrieDB>` keeps the part of the trie it has touched as
``Node`` objects: mutable, slotted, and carrying the caches that make commits cheap - the
node's encoding and hash (dropped when the node changes) and whether the store holds it.
Nodes are built from their encodings lazily; inline children (< 32 bytes) come with their
parent's bytes, so they are decoded eagerly.
"""

from __future__ import annotations

import struct
from collections.abc import Callable
from operator import itemgetter

from .codec import (
    HASH_LENGTH,
    V1_VALUE_HASH_THRESHOLD,
    HashedValue,
    blake2_256,
    decode_parts,
    hex_to_nibbles_table,
)
from .errors import NodeDecodeError

_HEX_TO_NIBBLE = hex_to_nibbles_table()
# A hash child reference is the compact length 32 (one byte, 0x80) and the 32-byte hash.
_HASH_REF = 1 + HASH_LENGTH
_HASH_REF_PREFIX = b"\x80"
# Per child bitmap of an all-hash branch, computed on first use: the number of children, a
# struct reading their hashes in one call, and an itemgetter spreading them over 16 slots.
_SPREAD: dict[int, tuple[int, Callable[[bytes, int], tuple[bytes, ...]], Callable[[tuple], tuple]]] = {}
_NO_CHILD = (None,)


class Node:
    """A loaded or new trie node (mutable; internal to :class:`TrieDB`).

    ``children`` is ``None`` for a leaf, else 16 slots each holding ``None``, a 32-byte
    hash (not yet loaded) or a ``Node``. ``enc`` caches the encoding and is ``None`` while
    the node is dirty; ``hash`` caches blake2_256(enc). ``stored`` records that the node is
    in the store under ``hash``, so dirtying it releases that entry. ``value`` is the value
    bytes, a :class:`HashedValue` not yet fetched, or ``None``; ``vstored`` is the hash of
    an out-of-line copy of the value that the current encoding references.

    Two fields let a commit *patch* a dirty branch instead of re-encoding it: ``base`` is
    the encoding the node had when it was last clean, and ``touched`` a bit mask of the
    child slots assigned since then, or -1 once anything else changed (partial key, value,
    the set of present children) - then the node is encoded from scratch.
    """

    __slots__ = ("partial", "value", "vstored", "children", "enc", "hash", "stored", "base", "touched")

    def __init__(
        self,
        partial: bytes,
        value: bytes | HashedValue | None,
        children: list[Handle] | None,
    ) -> None:
        self.partial = partial
        self.value = value
        self.vstored: bytes | None = None
        self.children = children
        self.enc: bytes | None = None
        self.hash: bytes | None = None
        self.stored = False
        self.base: bytes | None = None
        self.touched = -1


# A child slot: absent, a hash still in the store, or a node in memory.
Handle = bytes | Node | None


def same_value(old: bytes | HashedValue | None, new: bytes) -> bool:
    """Whether setting ``new`` over ``old`` changes nothing (so the node can stay clean)."""
    if old is None:
        return False
    if type(old) is HashedValue:
        return len(new) >= V1_VALUE_HASH_THRESHOLD and blake2_256(new) == old.hash
    return old == new


def _spread(bitmap: int) -> tuple[int, Callable[[bytes, int], tuple[bytes, ...]], Callable[[tuple], tuple]]:
    """``(count, read hashes, spread them)`` for a non-zero child bitmap."""
    entry = _SPREAD.get(bitmap)
    if entry is None:
        slots = [i for i in range(16) if bitmap >> i & 1]
        n = len(slots)
        # Absent slots pick the ``None`` appended after the n hashes.
        getter = itemgetter(*(slots.index(i) if i in slots else n for i in range(16)))
        entry = _SPREAD[bitmap] = (n, struct.Struct("x32s" * n).unpack_from, getter)
    return entry


def _fast_node(data: bytes) -> Node | None:
    """The common shapes, decoded with a few C-level operations; ``None`` if not one of them.

    Handled: a leaf with an inline value (< 64 bytes) or a V1 hashed value, and a branch
    without a value whose children are all 32-byte hashes, each with a short partial key.
    Everything is validated exactly as :func:`decode_parts` would; anything else (or
    anything malformed) returns ``None`` so that the strict general decoder decides.
    """
    end = len(data)
    if end < 2:
        return None
    first = data[0]
    kind = first >> 6
    if kind == 2 or kind == 1:
        ones = 0x3F
    elif first >> 5 == 1:  # leaf with a hashed value (V1)
        ones = 0x1F
    else:
        return None
    count = first & ones
    start = 1
    if count == ones:
        # A longer partial key: one more length byte (below 255; longer runs are rare).
        extra = data[1]
        if extra == 255:
            return None
        count += extra
        start = 2
    pos = start + ((count + 1) >> 1)
    if pos > end:
        return None
    nibbles = data[start:pos].hex().encode("ascii").translate(_HEX_TO_NIBBLE)
    if count & 1:
        if nibbles[0]:
            return None  # non-zero padding: let the strict decoder report it
        partial = nibbles[1:]
    else:
        partial = nibbles
    if kind == 2:
        if pos + 2 > end:
            return None
        bitmap = data[pos] | data[pos + 1] << 8
        pos += 2
        if not bitmap:
            return None
        n, read, spread = _spread(bitmap)
        if end - pos != n * _HASH_REF or data[pos::_HASH_REF] != _HASH_REF_PREFIX * n:
            return None
        node = Node(partial, None, list(spread(read(data, pos) + _NO_CHILD)))
    elif kind == 1:
        if pos >= end:
            return None
        length_byte = data[pos]
        if length_byte & 3:
            return None  # a multi-byte compact length
        if pos + 1 + (length_byte >> 2) != end:
            return None
        node = Node(partial, data[pos + 1 :], None)
    else:
        if end - pos != HASH_LENGTH:
            return None
        raw = data[pos:]
        node = Node(partial, HashedValue(raw), None)
        node.vstored = raw
    node.enc = data
    node.touched = 0
    return node


def node_from_encoding(encoding: bytes) -> Node | None:
    """Build a clean node from its encoding; inline children are decoded eagerly."""
    fast = _fast_node(encoding)
    if fast is not None:
        return fast
    parts = decode_parts(encoding)
    if parts is None:
        return None
    partial, raw, hashed, refs = parts
    value: bytes | HashedValue | None
    vstored: bytes | None = None
    if raw is None:
        value = None
    elif hashed:
        value = HashedValue(raw)
        vstored = raw
    else:
        value = raw
    children: list[Handle] | None = None
    if refs is not None:
        children = [None] * 16
        for index, ref in enumerate(refs):
            if ref is None:
                continue
            if len(ref) == HASH_LENGTH:
                children[index] = ref
            else:
                inline = node_from_encoding(ref)
                if inline is None:
                    raise NodeDecodeError("the empty node cannot be a child")
                children[index] = inline
    node = Node(partial, value, children)
    node.vstored = vstored
    node.enc = encoding
    node.touched = 0
    return node
