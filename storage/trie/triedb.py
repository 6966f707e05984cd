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

import hashlib
from bisect import bisect_left
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, MutableMapping
from operator import itemgetter

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
    encode_leaf_header,
    key_to_nibbles,
    nibbles_to_key,
    pack_partial,
)
from .errors import MissingNode, NodeDecodeError
from .store import CommitResult, MemoryNodeStore, NodeStore

__all__ = ["CommitResult", "MemoryNodeStore", "NodeStore", "TrieDB", "TrieMut"]

_KEEP_ALL = 1 << 30
_first = itemgetter(0)
_blake2b = hashlib.blake2b
# Encoding tables for the hot paths of commit: compact lengths below 64 (one byte; 32 is the
# prefix of a hash reference), child bits, and header bytes by partial length.
_COMPACT = tuple(encode_compact(n) for n in range(64))
_BIT = tuple(1 << i for i in range(16))
_HEADS = 128
# A child referenced by hash takes 33 bytes: the compact length 32 (0x80), then the hash.
_HASH_REF = 1 + HASH_LENGTH
# Tests set this to check every patched encoding against a full re-encoding.
_CHECK_PATCHES = False
_BRANCH_HEADS = tuple(encode_branch_header(n, False, False) for n in range(_HEADS))
_BRANCH_VALUE_HEADS = tuple(encode_branch_header(n, True, False) for n in range(_HEADS))
_BRANCH_HASHED_HEADS = tuple(encode_branch_header(n, True, True) for n in range(_HEADS))
_LEAF_HEADS = tuple(encode_leaf_header(n, False) for n in range(_HEADS))
_LEAF_HASHED_HEADS = tuple(encode_leaf_header(n, True) for n in range(_HEADS))


class TrieDB:
    """A mutable Substrate trie opened at ``root`` over ``store`` (state version 0 or 1)."""

    def __init__(
        self,
        store: NodeStore,
        root: bytes = EMPTY_ROOT,
        *,
        version: int = 1,
        shelf: MutableMapping[bytes, bytes] | None = None,
    ) -> None:
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
        self._shelve_below = _KEEP_ALL
        #: Optional hash -> encoding cache of nodes just below the decoded levels, read
        #: before the store (see :meth:`commit`'s ``shelf_levels``); may be shared by tries.
        self.shelf = shelf

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
        shelf = self.shelf
        encoding = None if shelf is None else shelf.get(handle)
        if encoding is None:
            encoding = self.store.get(handle)
            if encoding is None:
                raise MissingNode(handle)
        return self._decode(handle, encoding)

    @staticmethod
    def _decode(handle: bytes, encoding: bytes) -> Node:
        node = node_from_encoding(encoding)
        if node is None:
            raise NodeDecodeError("the empty node cannot appear inside a trie")
        node.hash = handle
        node.stored = True
        return node

    def _fetch(self, hashes: list[bytes]) -> list[bytes]:
        """The encodings of ``hashes`` (sorted for the store's locality), in one batch."""
        get_many = getattr(self.store, "get_many", None)
        found = get_many(hashes) if get_many is not None else [self.store.get(h) for h in hashes]
        for node_hash, encoding in zip(hashes, found):
            if encoding is None:
                raise MissingNode(node_hash)
        return found

    def warm(self, levels: int, shelf_levels: int = 0) -> int:
        """Load the top ``levels`` branch levels (the root is level 0) in one batched read per
        level, and put the encodings of the ``shelf_levels`` levels below them on the shelf.

        A node does this once at start-up so that its first blocks run as fast as later ones.
        Returns the number of nodes read from the store below the root.  Nothing changes in
        the trie's contents.
        """
        if levels < 1 or shelf_levels < 0:
            raise ValueError("warm needs levels >= 1 and shelf_levels >= 0")
        if shelf_levels and self.shelf is None:
            raise ValueError("this trie has no shelf")
        root = self._load_root()
        if root is None:
            return 0
        read = 0
        frontier = [root]
        for level in range(1, levels + shelf_levels):
            wanted: list[tuple[bytes, list[Handle], int]] = []
            below: list[Node] = []
            for node in frontier:
                children = node.children
                if children is None:
                    continue
                for index, child in enumerate(children):
                    if type(child) is bytes:
                        wanted.append((child, children, index))
                    elif child is not None:
                        assert isinstance(child, Node)
                        below.append(child)
            wanted.sort(key=_first)
            shelf_hashes = [node_hash for node_hash, _, _ in wanted if self.shelf is None or node_hash not in self.shelf]
            encodings = dict(zip(shelf_hashes, self._fetch(shelf_hashes)))
            read += len(shelf_hashes)
            shelf = self.shelf
            last = level == levels + shelf_levels - 1
            for node_hash, children, index in wanted:
                encoding = encodings.get(node_hash)
                if encoding is None:
                    assert shelf is not None
                    encoding = shelf[node_hash]
                if level >= levels:
                    assert shelf is not None
                    shelf[node_hash] = encoding
                    if last:
                        continue  # only shelved; nothing below is needed
                node = self._decode(node_hash, encoding)
                if level < levels:
                    children[index] = node
                below.append(node)
            frontier = below
        return read

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
        """Mark a node dirty, releasing its stored copy (idempotent).

        The clean encoding is kept as ``base``: if only child references change from here
        on (see ``Node.touched``), the commit patches it instead of re-encoding the node.
        Every caller that changes anything else about the node sets ``touched = -1``.
        """
        encoding = node.enc
        if encoding is not None:
            if node.stored:
                assert node.hash is not None
                self._removed.append(node.hash)
                node.stored = False
                if self.shelf is not None:
                    self.shelf.pop(node.hash, None)
            node.base = encoding
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
                    node.touched = -1
                return node
            index = path[depth]
            children = node.children
            if children is None:
                # A leaf that gains a descendant turns into a branch keeping its value.
                self._touch(node)
                children = node.children = [None] * 16
                children[index] = Node(path[depth + 1 :], value, None)
                node.touched = -1
                return node
            old = children[index]
            child = children[index] = self._insert(old, path, depth + 1, value)
            node.touched |= _BIT[index] if old is not None else -1
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
        node.touched = -1
        split = depth + shared
        if split == len(path):
            branch.value = value
        else:
            branch.children[path[split]] = Node(path[split + 1 :], value, None)
        return branch

    def update(self, changes: Mapping[bytes, bytes | None] | Iterable[tuple[bytes, bytes | None]]) -> None:
        """Apply many changes at once (``None`` deletes); the same result as calling
        :meth:`insert` / :meth:`remove` for each, in any order (for pairs, a later pair for
        the same key wins).

        The keys are sorted and applied in one descent: at each branch they are grouped by
        their next nibble, so every node on the touched paths is visited (and loaded) once
        instead of once per key below it.
        """
        table = changes if isinstance(changes, Mapping) else dict(changes)
        if not table:
            return
        ordered = sorted(table)
        paths = [key_to_nibbles(key) for key in ordered]
        values = [None if (value := table[key]) is None else bytes(value) for key in ordered]
        self._root = self._bulk(self._root, paths, values, 0, len(paths), 0)

    def _bulk(
        self, handle: Handle, paths: list[bytes], values: list[bytes | None], lo: int, hi: int, depth: int
    ) -> Node | None:
        """Apply ``paths[lo:hi]`` (sorted, all below this position) to the subtree at ``handle``."""
        if handle is not None and hi - lo > 1:
            node = handle if type(handle) is Node else self._load(handle)
            children = node.children
            partial = node.partial
            # Sorted paths: if the first and the last continue with this node's partial key,
            # every path between them does too.
            if (
                children is not None
                and paths[lo].startswith(partial, depth)
                and paths[hi - 1].startswith(partial, depth)
            ):
                return self._bulk_branch(node, children, paths, values, lo, hi, depth + len(partial))
            handle = node
        # One key, a leaf, an empty position or keys that split this node: key by key.
        for at in range(lo, hi):
            value = values[at]
            if value is None:
                if handle is not None:
                    handle = self._remove(handle, paths[at], depth)
            else:
                handle = self._insert(handle, paths[at], depth, value)
        assert handle is None or type(handle) is Node
        return handle

    def _bulk_branch(
        self,
        node: Node,
        children: list[Handle],
        paths: list[bytes],
        values: list[bytes | None],
        lo: int,
        hi: int,
        end: int,
    ) -> Node | None:
        changed = shrunk = False
        if len(paths[lo]) == end:
            # The first key ends here (sorting puts it before every key below it).
            value = values[lo]
            lo += 1
            if value is None:
                if node.value is not None:
                    self._touch(node)
                    self._drop_value(node)
                    node.value = None
                    node.touched = -1
                    changed = shrunk = True
            elif not same_value(node.value, value):
                self._touch(node)
                self._drop_value(node)
                node.value = value
                node.touched = -1
                changed = True
        touched = 0
        bulk = self._bulk
        while lo < hi:
            first = paths[lo]
            index = first[end]
            # The group of keys under child ``index`` ends before the next nibble's range.
            stop = bisect_left(paths, first[:end] + NIBBLE[index + 1], lo + 1, hi) if hi - lo > 1 else hi
            child = children[index]
            new_child = children[index] = bulk(child, paths, values, lo, stop, end + 1)
            if new_child is None:
                if child is not None:
                    changed = shrunk = True
                    touched = -1
            else:
                touched |= _BIT[index] if child is not None else -1
                if new_child.enc is None:
                    changed = True
            lo = stop
        node.touched |= touched
        if not changed:
            return node
        self._touch(node)
        return self._normalise(node) if shrunk else node

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
            node.touched = -1
            return None if children is None else self._normalise(node)
        if children is None:
            return node
        index = path[depth]
        child = children[index]
        if child is None:
            return node
        new_child = children[index] = self._remove(child, path, depth + 1)
        node.touched |= _BIT[index] if new_child is not None else -1
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
            node.touched = -1
            return node
        if present == 1 and node.value is None:
            # A value-less branch with one child merges into that child.
            index = next(i for i, child in enumerate(children) if child is not None)
            only = children[index]
            assert only is not None
            child = self._load(only)
            self._touch(child)
            child.partial = node.partial + NIBBLE[index] + child.partial
            child.touched = -1
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

    def commit(self, *, keep_levels: int | None = None, shelf_levels: int = 0) -> CommitResult:
        """Encode the dirty nodes and return the new root with the store changes.

        With ``keep_levels`` the re-encoded nodes that many branch levels below the root (and
        deeper) are dropped from memory, their parents keeping only their hashes: a long-lived
        trie then holds a bounded top of the trie instead of every node it ever loaded.  The
        dropped nodes are read back from the store when needed, so the caller must make this
        commit's ``inserted`` nodes readable through the store before touching them again.

        With ``shelf_levels`` (and a shelf) the encodings of the re-encoded nodes in that many
        levels below the kept ones go on the shelf, so re-reading them costs a dict lookup
        and a decode instead of a store read.  Nodes leave the shelf when they are changed.
        """
        if keep_levels is not None and keep_levels < 1:
            raise ValueError("keep_levels must be at least 1 (the root stays loaded)")
        if shelf_levels and (self.shelf is None or keep_levels is None):
            raise ValueError("shelf_levels needs a shelf and keep_levels")
        self._keep_levels = _KEEP_ALL if keep_levels is None else keep_levels
        self._shelve_below = self._keep_levels + shelf_levels
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
                refs[root.hash] = refs.get(root.hash, 0) + 1
                root.stored = True
            new_root = root.hash
        else:
            assert isinstance(root, bytes)
            new_root = root
        removed: list[bytes] = []
        for node_hash in self._removed:
            # Dropped and re-created in the same commit: the two references cancel.
            count = refs.get(node_hash, 0)
            if count > 0:
                if count == 1:
                    del refs[node_hash]
                    del inserted[node_hash]
                else:
                    refs[node_hash] = count - 1
            else:
                removed.append(node_hash)
        self._removed = []
        self._committed_root = new_root
        return CommitResult(new_root, inserted, removed, refs)

    def _encode(self, node: Node, inserted: dict[bytes, bytes], counts: Counter[bytes], level: int) -> bytes:
        """Encode a dirty node (and its dirty descendants), registering new hashed children.

        This is the hot loop of every block import, so the codec's layout (see
        :func:`codec.encode_leaf` / :func:`codec.encode_branch`) is inlined: header bytes
        come from tables, hashes of child references are computed here, and when every
        child is referenced by hash the children section is one ``join`` (each reference is
        the compact length 32, ``0x80``, followed by the hash).
        """
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
                raw = node.vstored
                if raw is None:
                    raw = node.vstored = _blake2b(value, digest_size=HASH_LENGTH).digest()
                    inserted[raw] = value
                    counts[raw] = counts.get(raw, 0) + 1
                hashed = True
            else:
                if node.vstored is not None:
                    self._drop_value(node)
                raw = value
        partial = node.partial
        size = len(partial)
        packed = pack_partial(partial) if size else b""
        children = node.children
        node.base, base = None, node.base
        touched, node.touched = node.touched, 0
        if children is None:
            assert raw is not None
            if hashed:
                head = _LEAF_HASHED_HEADS[size] if size < _HEADS else encode_leaf_header(size, True)
                encoding = node.enc = head + packed + raw
            else:
                head = _LEAF_HEADS[size] if size < _HEADS else encode_leaf_header(size, False)
                length = len(raw)
                encoding = node.enc = head + packed + (
                    _COMPACT[length] if length < 64 else encode_compact(length)
                ) + raw
            return encoding
        if raw is None and base is not None and touched >= 0 and size < 63:
            encoding = self._patch(base, touched, children, packed, size, inserted, counts, level)
            if encoding is not None:
                if _CHECK_PATCHES:
                    node.base, node.touched = base, -1
                    assert self._encode(node, inserted, counts, level) == encoding
                node.enc = encoding
                return encoding
        collapse = level + 1 >= self._keep_levels
        shelve = collapse and level + 1 < self._shelve_below
        shelf = self.shelf
        refs: list[bytes] = []
        append = refs.append
        bitmap = 0
        inline = False
        for index, child in enumerate(children):
            if child is None:
                continue
            bitmap |= _BIT[index]
            if type(child) is bytes:
                append(child)  # an untouched subtree, still only a hash
                continue
            assert isinstance(child, Node)
            child_encoding = child.enc
            if child_encoding is None:
                child_encoding = self._encode(child, inserted, counts, level + 1)
            if len(child_encoding) < HASH_LENGTH:
                if child.stored:
                    # A former root that is now small enough to be inlined.
                    assert child.hash is not None
                    self._removed.append(child.hash)
                    child.stored = False
                append(child_encoding)
                inline = True
                continue
            child_hash = child.hash
            if child_hash is None:
                child_hash = child.hash = _blake2b(child_encoding, digest_size=HASH_LENGTH).digest()
            if not child.stored:
                inserted[child_hash] = child_encoding
                counts[child_hash] = counts.get(child_hash, 0) + 1
                child.stored = True
            append(child_hash)
            if collapse:
                # Below the retained levels the clean child goes back to being a hash; the
                # store (or its cache) has it.
                children[index] = child_hash
                if shelve:
                    shelf[child_hash] = child_encoding  # type: ignore[index]
        if inline:
            body = b"".join([_COMPACT[len(ref)] + ref for ref in refs])
        else:
            body = b"\x80" + b"\x80".join(refs)
        if raw is None:
            head = _BRANCH_HEADS[size] if size < _HEADS else encode_branch_header(size, False, False)
            encoding = node.enc = head + packed + bitmap.to_bytes(2, "little") + body
        elif hashed:
            head = _BRANCH_HASHED_HEADS[size] if size < _HEADS else encode_branch_header(size, True, True)
            encoding = node.enc = head + packed + bitmap.to_bytes(2, "little") + raw + body
        else:
            head = _BRANCH_VALUE_HEADS[size] if size < _HEADS else encode_branch_header(size, True, False)
            length = len(raw)
            encoding = node.enc = b"".join(
                (head, packed, bitmap.to_bytes(2, "little"), _COMPACT[length] if length < 64 else encode_compact(length), raw, body)
            )
        return encoding

    def _patch(
        self,
        base: bytes,
        touched: int,
        children: list[Handle],
        packed: bytes,
        size: int,
        inserted: dict[bytes, bytes],
        counts: Counter[bytes],
        level: int,
    ) -> bytes | None:
        """The new encoding of a value-less branch whose clean encoding ``base`` referenced
        every child by hash and of which only the children in ``touched`` were reassigned:
        their hashes are spliced into ``base``.  ``None`` when that does not apply (then the
        caller encodes the node in full; work done here for children is not repeated)."""
        head = 1 + len(packed)
        if base[0] != _BRANCH_HEADS[size][0] or base[1:head] != packed or len(base) < head + 2:
            return None
        bitmap = base[head] | base[head + 1] << 8
        if touched & ~bitmap or len(base) != head + 2 + _HASH_REF * bitmap.bit_count():
            return None  # a slot that was empty, or an inline child in the base encoding
        first = head + 3  # the first hash, after the bitmap and its 0x80 length byte
        collapse = level + 1 >= self._keep_levels
        shelve = collapse and level + 1 < self._shelve_below
        shelf = self.shelf
        parts: list[bytes] = []
        at = 0
        while touched:
            low = touched & -touched
            touched ^= low
            index = low.bit_length() - 1
            child = children[index]
            if child is None:
                return None
            if type(child) is bytes:
                child_hash = child
            else:
                assert isinstance(child, Node)
                child_encoding = child.enc
                if child_encoding is None:
                    child_encoding = self._encode(child, inserted, counts, level + 1)
                if len(child_encoding) < HASH_LENGTH:
                    return None  # now inline: the layout changes
                child_hash = child.hash
                if child_hash is None:
                    child_hash = child.hash = _blake2b(child_encoding, digest_size=HASH_LENGTH).digest()
                if not child.stored:
                    inserted[child_hash] = child_encoding
                    counts[child_hash] = counts.get(child_hash, 0) + 1
                    child.stored = True
                if collapse:
                    children[index] = child_hash
                    if shelve:
                        shelf[child_hash] = child_encoding  # type: ignore[index]
            pos = first + _HASH_REF * (bitmap & (low - 1)).bit_count()
            parts.append(base[at:pos])
            parts.append(child_hash)
            at = pos + HASH_LENGTH
        parts.append(base[at:])
        return b"".join(parts)

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

