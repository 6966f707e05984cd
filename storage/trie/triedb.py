"""An incremental state trie over a content-addressed node store.

Block import changes a few thousand keys of a state with millions of entries, so rebuilding
the root in closed form each block is out of the question. :class:`TrieDB` opens the trie at
a root hash and loads nodes from a :class:`NodeStore` only when a lookup or an update walks
through them. Updates mutate the loaded nodes in place and mark them *dirty* (their cached
encoding is dropped); :meth:`TrieDB.commit` then re-encodes exactly the dirty nodes,
bottom-up, and reports what a database has to write and may release:

* ``inserted`` - hash -> encoding of every new node that is referenced by hash (nodes of
  32 bytes or more, and the root node whatever its size) and, under state version 1, every
  new out-of-line value (33 bytes or more) under its blake2_256 hash;
* ``inserted_refs`` - how many new references each inserted hash received (identical
  nodes created at two positions are one ``inserted`` entry with a count of 2);
* ``removed`` - one entry per reference the old root had and the new root no longer has,
  for reference-counting stores. References dropped and re-created in one commit (for
  example a key set and then removed again) cancel out one for one.

The trie never writes to the store itself: the storage layer decides when and how to
persist a :class:`CommitResult` (see :meth:`MemoryNodeStore.apply`).

Nodes stay cached after a commit, so a long-lived ``TrieDB`` keeps answering from memory.
Nodes that were encoded under state version 0 keep their encoding until they are modified;
a modified node is re-encoded under this trie's version (the lazy migration Substrate does).

Keys are arbitrary bytes. Internally a key is a nibble path (see :mod:`.codec`); the
recursion depth is bounded by the number of branch levels, which for real storage keys is
small (a few dozen at most).
"""

from __future__ import annotations

from collections import Counter
from typing import Iterator

from ._compact import encode_compact
from ._node import Handle, Node, node_from_encoding, same_value
from .codec import (
    EMPTY_ROOT,
    HASH_LENGTH,
    NIBBLE,
    V1_VALUE_HASH_THRESHOLD,
    HashedValue,
    blake2_256,
    common_prefix_length,
    encode_branch_header,
    encode_leaf,
    key_to_nibbles,
    nibbles_to_key,
    pack_partial,
)
from .errors import MissingNode, NodeDecodeError
from .store import CommitResult, MemoryNodeStore, NodeStore

__all__ = ["CommitResult", "MemoryNodeStore", "NodeStore", "TrieDB", "TrieMut"]

_KEEP_ALL = 1 << 30
_HASH_REF_PREFIX = encode_compact(HASH_LENGTH)
_SINGLE_COMPACT = tuple(encode_compact(n) for n in range(HASH_LENGTH))
_BRANCH_HEADS = tuple(encode_branch_header(n, False, False) for n in range(63))


class TrieDB:
    """A mutable Substrate trie opened at ``root`` over ``store`` (state version 0 or 1)."""

    def __init__(self, store: NodeStore, root: bytes = EMPTY_ROOT, *, version: int = 1) -> None:
        if version not in (0, 1):
            raise ValueError(f"unsupported state version {version!r} (expected 0 or 1)")
        if len(root) != HASH_LENGTH:
            raise ValueError("a trie root is a 32-byte hash")
        self.store = store
        self.version = version
        self._threshold = V1_VALUE_HASH_THRESHOLD if version == 1 else None
        self._root: Handle = None if root == EMPTY_ROOT else root
        self._committed_root = root
        self._removed: list[bytes] = []
        self._keep_levels = _KEEP_ALL

    # -- properties -------------------------------------------------------------------

    @property
    def root(self) -> bytes:
        """The root as of the last commit (or the opening root)."""
        return self._committed_root

    @property
    def is_dirty(self) -> bool:
        """True when there are changes not yet committed."""
        root = self._root
        if root is None:
            return self._committed_root != EMPTY_ROOT
        return type(root) is Node and root.enc is None

    # -- loading ----------------------------------------------------------------------

    def _load(self, handle: bytes | Node) -> Node:
        if type(handle) is Node:
            return handle
        assert isinstance(handle, bytes)
        encoding = self.store.get(handle)
        if encoding is None:
            raise MissingNode(handle)
        node = node_from_encoding(encoding)
        if node is None:
            raise NodeDecodeError("the empty node cannot appear inside a trie")
        node.hash = handle
        node.stored = True
        return node

    def _load_root(self) -> Node | None:
        root = self._root
        if root is None or type(root) is Node:
            return root
        node = self._root = self._load(root)
        return node

    def _resolve(self, value: bytes | HashedValue) -> bytes:
        if type(value) is HashedValue:
            data = self.store.get(value.hash)
            if data is None:
                raise MissingNode(value.hash, "value")
            return data
        assert isinstance(value, bytes)
        return value

    # -- reads ------------------------------------------------------------------------

    def _find(self, key: bytes) -> Node | None:
        """The node holding ``key``'s value position, or ``None`` if the path leaves the trie."""
        path = key_to_nibbles(key)
        node = self._load_root()
        depth = 0
        while node is not None:
            if not path.startswith(node.partial, depth):
                return None
            depth += len(node.partial)
            if depth == len(path):
                return node
            children = node.children
            if children is None:
                return None
            index = path[depth]
            child = children[index]
            if child is None:
                return None
            if type(child) is not Node:
                child = children[index] = self._load(child)
            node = child
            depth += 1
        return None

    def get(self, key: bytes) -> bytes | None:
        """The value stored under ``key``, or ``None``."""
        node = self._find(key)
        if node is None or node.value is None:
            return None
        return self._resolve(node.value)

    def __contains__(self, key: bytes) -> bool:
        node = self._find(key)
        return node is not None and node.value is not None

    # -- updates ----------------------------------------------------------------------

    def _touch(self, node: Node) -> None:
        """Mark a node dirty, releasing its stored copy (idempotent)."""
        if node.enc is not None:
            if node.stored:
                assert node.hash is not None
                self._removed.append(node.hash)
                node.stored = False
            node.enc = None
            node.hash = None

    def _drop_value(self, node: Node) -> None:
        if node.vstored is not None:
            self._removed.append(node.vstored)
            node.vstored = None

    def insert(self, key: bytes, value: bytes) -> None:
        """Set ``key`` to ``value`` (an empty value is a value, not a deletion)."""
        self._root = self._insert(self._root, key_to_nibbles(key), 0, bytes(value))

    def _insert(self, handle: Handle, path: bytes, depth: int, value: bytes) -> Node:
        if handle is None:
            return Node(path[depth:], value, None)
        node = handle if type(handle) is Node else self._load(handle)
        partial = node.partial
        if path.startswith(partial, depth):
            depth += len(partial)
            if depth == len(path):
                if not same_value(node.value, value):
                    self._touch(node)
                    self._drop_value(node)
                    node.value = value
                return node
            index = path[depth]
            children = node.children
            if children is None:
                # A leaf that gains a descendant turns into a branch keeping its value.
                self._touch(node)
                children = node.children = [None] * 16
                children[index] = Node(path[depth + 1 :], value, None)
                return node
            child = children[index] = self._insert(children[index], path, depth + 1, value)
            if child.enc is None:
                self._touch(node)
            return node

        # The key leaves this node's partial key: split it under a new branch.
        shared = common_prefix_length(partial, path[depth : depth + len(partial)])
        self._touch(node)
        branch = Node(partial[:shared], None, [None] * 16)
        assert branch.children is not None
        branch.children[partial[shared]] = node
        node.partial = partial[shared + 1 :]
        split = depth + shared
        if split == len(path):
            branch.value = value
        else:
            branch.children[path[split]] = Node(path[split + 1 :], value, None)
        return branch

    def remove(self, key: bytes) -> None:
        """Delete ``key`` (no effect if absent)."""
        if self._root is not None:
            self._root = self._remove(self._root, key_to_nibbles(key), 0)

    def _remove(self, handle: bytes | Node, path: bytes, depth: int) -> Node | None:
        node = handle if type(handle) is Node else self._load(handle)
        partial = node.partial
        if not path.startswith(partial, depth):
            return node
        depth += len(partial)
        children = node.children
        if depth == len(path):
            if node.value is None:
                return node
            self._touch(node)
            self._drop_value(node)
            node.value = None
            return None if children is None else self._normalise(node)
        if children is None:
            return node
        index = path[depth]
        child = children[index]
        if child is None:
            return node
        new_child = children[index] = self._remove(child, path, depth + 1)
        if new_child is not None and new_child.enc is not None:
            return node  # nothing changed below
        self._touch(node)
        return self._normalise(node)

    def _normalise(self, node: Node) -> Node | None:
        """Restore the no-redundant-branch invariant after a removal below ``node``."""
        children = node.children
        assert children is not None
        present = 16 - children.count(None)
        if present == 0:
            if node.value is None:
                return None
            node.children = None  # a branch with a value and no children is a leaf
            return node
        if present == 1 and node.value is None:
            # A value-less branch with one child merges into that child.
            index = next(i for i, child in enumerate(children) if child is not None)
            only = children[index]
            assert only is not None
            child = self._load(only)
            self._touch(child)
            child.partial = node.partial + NIBBLE[index] + child.partial
            return child
        return node

    # -- iteration --------------------------------------------------------------------

    def items(self, prefix: bytes = b"", start: bytes | None = None) -> Iterator[tuple[bytes, bytes]]:
        """``(key, value)`` pairs in key order, limited to ``prefix`` and keys ``>= start``.

        The trie must not be modified while the iterator is in use.
        """
        for key, value in self._iterate(prefix, start):
            yield key, self._resolve(value)

    def keys(self, prefix: bytes = b"", start: bytes | None = None) -> Iterator[bytes]:
        """Keys in order, like :meth:`items` but without fetching out-of-line values."""
        for key, _value in self._iterate(prefix, start):
            yield key

    def __iter__(self) -> Iterator[bytes]:
        return self.keys()

    def next_key(self, key: bytes) -> bytes | None:
        """The smallest key strictly greater than ``key``, or ``None``."""
        for candidate in self.keys(start=key):
            if candidate != key:
                return candidate
        return None

    def _iterate(self, prefix: bytes, start: bytes | None) -> Iterator[tuple[bytes, bytes | HashedValue]]:
        root = self._load_root()
        if root is None:
            return
        seek = prefix if start is None or start < prefix else start
        want = key_to_nibbles(prefix)
        for path, value in self._walk(root, b"", key_to_nibbles(seek)):
            if not path.startswith(want):
                return
            yield nibbles_to_key(path), value

    def _walk(
        self, node: Node, above: bytes, seek: bytes | None
    ) -> Iterator[tuple[bytes, bytes | HashedValue]]:
        """Depth-first, in order; ``seek`` skips everything before that nibble path."""
        path = above + node.partial
        first_child = 0
        if seek is not None:
            head = seek[: len(path)]
            if path < head:
                return  # the whole subtree sorts before the seek target
            if path > head:
                seek = None  # the whole subtree sorts after it
            elif len(seek) > len(path):
                first_child = seek[len(path)]  # own value is before the target; skip it
            else:
                seek = None  # the target is this node's own key
        if node.value is not None and seek is None:
            yield path, node.value
        children = node.children
        if children is None:
            return
        for index in range(first_child, 16):
            child = children[index]
            if child is None:
                continue
            if type(child) is not Node:
                child = children[index] = self._load(child)
            yield from self._walk(child, path + NIBBLE[index], seek if index == first_child else None)

    # -- commit -----------------------------------------------------------------------

    def commit(self, *, keep_levels: int | None = None) -> CommitResult:
        """Encode the dirty nodes and return the new root with the store changes.

        With ``keep_levels`` the re-encoded nodes that many branch levels below the root (and
        deeper) are dropped from memory, their parents keeping only their hashes: a long-lived
        trie then holds a bounded top of the trie instead of every node it ever loaded.  The
        dropped nodes are read back from the store when needed, so the caller must make this
        commit's ``inserted`` nodes readable through the store before touching them again.
        """
        if keep_levels is not None and keep_levels < 1:
            raise ValueError("keep_levels must be at least 1 (the root stays loaded)")
        self._keep_levels = _KEEP_ALL if keep_levels is None else keep_levels
        inserted: dict[bytes, bytes] = {}
        refs: Counter[bytes] = Counter()
        root = self._root
        if root is None:
            new_root = EMPTY_ROOT
        elif type(root) is Node:
            encoding = self._encode(root, inserted, refs, 0)
            if root.hash is None:
                root.hash = blake2_256(encoding)
            if not root.stored:
                # The root is stored under its hash even when it is small.
                inserted[root.hash] = encoding
                refs[root.hash] += 1
                root.stored = True
            new_root = root.hash
        else:
            assert isinstance(root, bytes)
            new_root = root
        removed: list[bytes] = []
        for node_hash in self._removed:
            # Dropped and re-created in the same commit: the two references cancel.
            if refs[node_hash] > 0:
                refs[node_hash] -= 1
                if refs[node_hash] == 0:
                    del refs[node_hash]
                    del inserted[node_hash]
            else:
                removed.append(node_hash)
        self._removed = []
        self._committed_root = new_root
        return CommitResult(new_root, inserted, removed, refs)

    def _encode(self, node: Node, inserted: dict[bytes, bytes], counts: Counter[bytes], level: int) -> bytes:
        encoding = node.enc
        if encoding is not None:
            return encoding
        value = node.value
        hashed = False
        raw: bytes | None
        if value is None:
            raw = None
        elif type(value) is HashedValue:
            raw, hashed = value.hash, True
        else:
            assert isinstance(value, bytes)
            if self._threshold is not None and len(value) >= self._threshold:
                if node.vstored is None:
                    node.vstored = blake2_256(value)
                    inserted[node.vstored] = value
                    counts[node.vstored] += 1
                raw, hashed = node.vstored, True
            else:
                self._drop_value(node)
                raw = value
        children = node.children
        if children is None:
            assert raw is not None
            encoding = node.enc = encode_leaf(node.partial, raw, hashed)
            return encoding
        # A branch, encoded inline here (see codec.encode_branch for the layout): this is the
        # hot loop of every block import, so it appends the child references directly.
        partial = node.partial
        if raw is None:
            parts = [_BRANCH_HEADS[len(partial)] if len(partial) < 63 else b"", pack_partial(partial), b""]
        elif hashed:
            parts = [b"", pack_partial(partial), b"", raw]
        else:
            parts = [b"", pack_partial(partial), b"", encode_compact(len(raw)), raw]
        collapse = level + 1 >= self._keep_levels
        bitmap = 0
        for index in range(16):
            child = children[index]
            if child is None:
                continue
            bitmap |= 1 << index
            if type(child) is bytes:
                # An untouched subtree, still only a hash.
                parts.append(_HASH_REF_PREFIX)
                parts.append(child)
                continue
            assert isinstance(child, Node)
            child_encoding = child.enc
            if child_encoding is None:
                child_encoding = self._encode(child, inserted, counts, level + 1)
            size = len(child_encoding)
            if size < HASH_LENGTH:
                if child.stored:
                    # A former root that is now small enough to be inlined.
                    assert child.hash is not None
                    self._removed.append(child.hash)
                    child.stored = False
                parts.append(_SINGLE_COMPACT[size])
                parts.append(child_encoding)
                continue
            child_hash = child.hash
            if child_hash is None:
                child_hash = child.hash = blake2_256(child_encoding)
            if not child.stored:
                inserted[child_hash] = child_encoding
                counts[child_hash] += 1
                child.stored = True
            parts.append(_HASH_REF_PREFIX)
            parts.append(child_hash)
            if collapse:
                # Below the retained levels the clean child goes back to being a hash; the
                # store (or its cache) has it.
                children[index] = child_hash
        if not parts[0]:
            parts[0] = encode_branch_header(len(partial), raw is not None, hashed)
        parts[2] = bitmap.to_bytes(2, "little")
        encoding = node.enc = b"".join(parts)
        return encoding

    # -- proofs -----------------------------------------------------------------------

    def record_path(self, key: bytes, into: dict[bytes, bytes]) -> None:
        """Add to ``into`` (hash -> data) every stored node a lookup of ``key`` reads.

        That is the root node, each hash-referenced node on the path and, if the key's value
        is stored out of line, the value itself. Requires a committed trie.
        """
        if self.is_dirty:
            raise ValueError("commit the trie before generating proofs")
        node = self._load_root()
        path = key_to_nibbles(key)
        depth = 0
        while node is not None:
            encoding, node_hash = node.enc, node.hash
            assert encoding is not None
            if node_hash is not None and (node.stored or len(encoding) >= HASH_LENGTH):
                into[node_hash] = encoding
            if not path.startswith(node.partial, depth):
                return
            depth += len(node.partial)
            if depth == len(path):
                value = node.value
                if type(value) is HashedValue:
                    into[value.hash] = self._resolve(value)
                elif value is not None and node.vstored is not None:
                    assert isinstance(value, bytes)
                    into[node.vstored] = value
                return
            children = node.children
            if children is None:
                return
            index = path[depth]
            child = children[index]
            if child is None:
                return
            if type(child) is not Node:
                child = children[index] = self._load(child)
            node = child
            depth += 1


#: Another name for the same class, after trie-db's read-only/mutable pair.
TrieMut = TrieDB

