"""The in-memory node of the incremental trie (private to :mod:`.triedb`).

A :class:`TrieDB <storage.trie.triedb.TrieDB>` keeps the part of the trie it has touched as
``Node`` objects: mutable, slotted, and carrying the caches that make commits cheap - the
node's encoding and hash (dropped when the node changes) and whether the store holds it.
Nodes are built from their encodings lazily; inline children (< 32 bytes) come with their
parent's bytes, so they are decoded eagerly.
"""

from __future__ import annotations

from .codec import HASH_LENGTH, V1_VALUE_HASH_THRESHOLD, HashedValue, blake2_256, decode_parts
from .errors import NodeDecodeError


class Node:
    """A loaded or new trie node (mutable; internal to :class:`TrieDB`).

    ``children`` is ``None`` for a leaf, else 16 slots each holding ``None``, a 32-byte
    hash (not yet loaded) or a ``Node``. ``enc`` caches the encoding and is ``None`` while
    the node is dirty; ``hash`` caches blake2_256(enc). ``stored`` records that the node is
    in the store under ``hash``, so dirtying it releases that entry. ``value`` is the value
    bytes, a :class:`HashedValue` not yet fetched, or ``None``; ``vstored`` is the hash of
    an out-of-line copy of the value that the current encoding references.
    """

    __slots__ = ("partial", "value", "vstored", "children", "enc", "hash", "stored")

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


# A child slot: absent, a hash still in the store, or a node in memory.
Handle = bytes | Node | None


def same_value(old: bytes | HashedValue | None, new: bytes) -> bool:
    """Whether setting ``new`` over ``old`` changes nothing (so the node can stay clean)."""
    if old is None:
        return False
    if type(old) is HashedValue:
        return len(new) >= V1_VALUE_HASH_THRESHOLD and blake2_256(new) == old.hash
    return old == new


def node_from_encoding(encoding: bytes) -> Node | None:
    """Build a clean node from its encoding; inline children are decoded eagerly."""
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
    return node
