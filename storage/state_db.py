"""The state database: block states as tries in the key-value store, plus a flat index.

Every block's state is a Substrate trie (see :mod:`storage.trie`).  Tries of consecutive
blocks share almost all of their nodes, so nodes are stored once, content-addressed, under
``trie_node_key(hash)``; a state is named by its root hash.  Node storage is what makes
every header's state root verifiable and read proofs servable.

Writing a block (:meth:`StateDatabase.commit_block`) applies the block's changes to its
parent's trie and returns a :class:`StateCommit` (the new root and the block's
:class:`~storage.journal.Journal`).  Node writes go into a :class:`NodeChanges`
accumulator that the caller flushes into its write batch with :meth:`StateDatabase.flush`
once every change of that batch is known - a block import that also finalizes (and so
prunes) touches the same reference counts twice, and they must be combined before the
read-modify-write.  Nothing in this object changes when a commit is computed: whether a
state exists is always read from the committed store, so a discarded batch leaves no trace.
(Two caches are kept: recently written node bytes, and the last committed trie so the next
block on top of it starts warm.  Both are keyed by content hash, hence never wrong.)

Reference counting (pruning mode only; layout in :mod:`storage.schema`): a block's
``inserted`` references are counted at import; its ``removed`` references are released
when its parent's state is discarded (:meth:`StateDatabase.release_removed`), and a block on
an abandoned fork has its insertions undone (:meth:`StateDatabase.release_inserted`).
Nodes whose count reaches zero are deleted in the same batch.  The caller must commit each
batch before computing the next one's counts (reads see committed data only);
:class:`storage.chain_db.ChainDatabase` does.

Reads: a trie walk costs several node fetches and decodes per key, measured at a few per
cent of a raw LevelDB get.  So the database also keeps a flat ``storage key -> value`` index
(``s`` column) of the finalized block's state; :class:`FlatView` answers for a block close
above it as that index plus the merged change sets of the blocks in between.  Other
retained states are read through :class:`StateView`, the trie.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from itertools import islice

from storage.errors import DatabaseCorrupted, StateDiscarded
from storage.gcpause import gc_paused
from storage.journal import Journal
from storage.kv import KeyValueStore, WriteBatch
from storage.schema import FLAT_STATE, REFCOUNT, TRIE_NODE, flat_state_key, trie_node_key
from storage.trie import EMPTY_ROOT, MissingNode, TrieDB, generate_proof, trie_root_nodes_and_refs

__all__ = [
    "FlatView",
    "KVNodeStore",
    "NodeChanges",
    "StateCommit",
    "StateDatabase",
    "StateView",
]

_HASH = 32
_COUNT_BYTES = tuple(n.to_bytes(4, "big") for n in range(256))
# Recently written nodes are kept in memory so that a child block can be built on a parent
# whose batch is not committed yet (reads never see uncommitted batch contents).
_CACHE_LIMIT = 200_000
# The warm trie keeps the decoded nodes of its top branch levels (at most 1 + 16 + 256 +
# 4096 nodes, a few MB); deeper nodes go back to hash references at each commit and are
# re-read (from the shelf, the node store's pending set, its cache, or LevelDB) when touched
# again.
_WARM_LEVELS = 4
# The next level (at most 65,536 branches, ~45 MB for a 1M-key state) is kept as encodings
# on a shelf: a touched node then costs a dict lookup and a decode instead of a LevelDB read.
_SHELF_LEVELS = 1
# Bound on the shelf (entries); past it the oldest half is dropped.  Entries of abandoned
# forks are the only ones that linger (changed nodes leave the shelf).
_SHELF_LIMIT = 150_000
# Backstop: nodes loaded by paths that changed nothing are not re-encoded, so they are not
# dropped by the level limit; the warm trie is discarded after this many node loads.
_WARM_LOAD_LIMIT = 1_000_000


class KVNodeStore:
    """A trie :class:`~storage.trie.NodeStore` reading nodes from the ``t`` column.

    Two in-memory layers sit in front of the store: ``pending`` holds every node inserted
    since the warm trie last stood on a committed state (the warm trie may refer to them by
    hash before their batch is written, so they are never evicted), and ``cache`` is a
    bounded FIFO of recently written nodes that speeds up re-reads.
    """

    __slots__ = ("kv", "_cache", "_pending", "loads")

    def __init__(self, kv: KeyValueStore) -> None:
        self.kv = kv
        self._cache: dict[bytes, bytes] = {}
        self._pending: dict[bytes, bytes] = {}
        self.loads = 0

    def get(self, key: bytes, /) -> bytes | None:
        """The node (or V1 out-of-line value) with hash ``key``, or ``None``."""
        self.loads += 1
        data = self._pending.get(key)
        if data is None:
            data = self._cache.get(key)
            if data is None:
                return self.kv.get(TRIE_NODE + key)
        return data

    def get_many(self, keys: list[bytes], /) -> list[bytes | None]:
        """``[get(k) for k in keys]``, with the store misses read in one sorted batch."""
        pending, cache = self._pending, self._cache
        found: list[bytes | None] = [pending.get(key) or cache.get(key) for key in keys]
        missing = sorted(key for key, data in zip(keys, found) if data is None)
        if missing:
            read = dict(zip(missing, self.kv.get_many([TRIE_NODE + key for key in missing])))
            found = [read[key] if data is None else data for key, data in zip(keys, found)]
        return found

    def remember(self, nodes: Mapping[bytes, bytes]) -> None:
        """Keep a commit's nodes until :meth:`settle` says their state is committed."""
        self._pending.update(nodes)

    def settle(self) -> None:
        """Everything pending is committed (or unreferenced): move it to the bounded cache.

        Eviction only ever drops older entries (dicts keep insertion order; re-cached nodes
        move to the young end).
        """
        nodes, cache = self._pending, self._cache
        if not nodes:
            return
        for node_hash in nodes.keys() & cache.keys():
            del cache[node_hash]
        excess = len(cache) + len(nodes) - _CACHE_LIMIT
        if excess >= len(cache):
            cache.clear()
        elif excess > 0:
            for node_hash in list(islice(cache, excess)):
                del cache[node_hash]
        cache.update(nodes)
        self._pending = {}

    def forget(self, node_hash: bytes) -> None:
        self._cache.pop(node_hash, None)
        self._pending.pop(node_hash, None)


class NodeChanges:
    """Node writes and signed reference-count changes collected for one write batch."""

    __slots__ = ("nodes", "delta")

    def __init__(self) -> None:
        self.nodes: dict[bytes, bytes] = {}
        self.delta: Counter[bytes] = Counter()

    def add(self, nodes: Mapping[bytes, bytes], refs: Mapping[bytes, int]) -> None:
        self.nodes.update(nodes)
        delta = self.delta
        if not delta:
            dict.update(delta, refs)  # the common case (one commit per batch), at C speed
            return
        for node_hash, count in refs.items():
            delta[node_hash] = delta.get(node_hash, 0) + count


@dataclass(frozen=True, slots=True)
class StateCommit:
    """A computed (not yet written) block state: its root and journal."""

    root: bytes
    journal: Journal


class StateView:
    """Read-only access to one state through its trie (a ``StateReader``)."""

    __slots__ = ("_trie",)

    def __init__(self, store: KVNodeStore, root: bytes, version: int) -> None:
        self._trie = TrieDB(store, root, version=version)

    @property
    def root(self) -> bytes:
        """The state root this view reads."""
        return self._trie.root

    def get(self, key: bytes) -> bytes | None:
        return self._trie.get(key)

    def next_key(self, key: bytes) -> bytes | None:
        return self._trie.next_key(key)

    def items(self, prefix: bytes = b"", start: bytes | None = None) -> Iterator[tuple[bytes, bytes]]:
        """``(key, value)`` pairs in key order under ``prefix`` from ``start``."""
        return self._trie.items(prefix, start)


class FlatView:
    """A state read as the flat index plus a diff (``None`` = deleted); a ``StateReader``."""

    __slots__ = ("_kv", "_diff", "_sorted", "root")

    def __init__(self, kv: KeyValueStore, root: bytes, diff: Mapping[bytes, bytes | None]) -> None:
        self._kv = kv
        self._diff = dict(diff)
        self._sorted = sorted(self._diff)
        self.root = root

    def get(self, key: bytes) -> bytes | None:
        diff = self._diff
        if key in diff:
            return diff[key]
        return self._kv.get(FLAT_STATE + key)

    def next_key(self, key: bytes) -> bytes | None:
        diff = self._diff
        flat_next: bytes | None = None
        for stored, _value in self._kv.iterate(FLAT_STATE, FLAT_STATE + key):
            candidate = stored[1:]
            if candidate != key and diff.get(candidate, b"") is not None:
                flat_next = candidate
                break
        ordered = self._sorted
        i = bisect_right(ordered, key)
        while i < len(ordered) and diff[ordered[i]] is None:
            i += 1
        diff_next = ordered[i] if i < len(ordered) else None
        if flat_next is None or (diff_next is not None and diff_next < flat_next):
            return diff_next
        return flat_next

    def items(self, prefix: bytes = b"", start: bytes | None = None) -> Iterator[tuple[bytes, bytes]]:
        key = start if start is not None and start > prefix else prefix
        value = self.get(key) if key else None
        if value is not None and key.startswith(prefix):
            yield key, value
        while True:
            nxt = self.next_key(key)
            if nxt is None or not nxt.startswith(prefix):
                return
            found = self.get(nxt)
            assert found is not None
            yield nxt, found
            key = nxt


class StateDatabase:
    """Block states over a :class:`KeyValueStore` (see the module docstring).

    ``version`` is the trie state version (0 or 1) used for new nodes; ``pruning`` is the
    number of finalized blocks whose states stay readable, or ``None`` for an archive.

    ``warm_levels`` and ``shelf_levels`` size the memory kept between blocks (defaults: the
    module's ``_WARM_LEVELS`` / ``_SHELF_LEVELS``): the top ``warm_levels`` branch levels of
    the last committed trie stay decoded, the ``shelf_levels`` levels below them are kept as
    encodings.  :meth:`warm_up` fills both for a state in one batched read per level.
    """

    def __init__(
        self,
        kv: KeyValueStore,
        version: int = 1,
        pruning: int | None = 256,
        *,
        warm_levels: int | None = None,
        shelf_levels: int | None = None,
    ) -> None:
        if version not in (0, 1):
            raise ValueError(f"unsupported state version {version!r}")
        if pruning is not None and pruning < 1:
            raise ValueError("pruning window must be >= 1 block, or None for an archive")
        if warm_levels is not None and warm_levels < 1:
            raise ValueError("warm_levels must be at least 1")
        if shelf_levels is not None and shelf_levels < 0:
            raise ValueError("shelf_levels must not be negative")
        self.kv = kv
        self.version = version
        self.pruning = pruning
        self.nodes = KVNodeStore(kv)
        self._warm: TrieDB | None = None
        self._warm_levels = warm_levels
        self._shelf_levels = shelf_levels
        # hash -> encoding of nodes just below the warm levels (content-addressed: never wrong).
        self.shelf: dict[bytes, bytes] = {}

    @property
    def warm_levels(self) -> int:
        return _WARM_LEVELS if self._warm_levels is None else self._warm_levels

    @property
    def shelf_levels(self) -> int:
        return _SHELF_LEVELS if self._shelf_levels is None else self._shelf_levels

    # -- reads ------------------------------------------------------------------------

    def has_state(self, state_root: bytes) -> bool:
        """Whether the root node of ``state_root`` is committed (or the trie is empty).

        With exact reference counts a stored node implies its whole subtree is stored.
        """
        return state_root == EMPTY_ROOT or self.kv.get(trie_node_key(state_root)) is not None

    def state_at(self, state_root: bytes) -> StateView:
        """A trie view of ``state_root``; :class:`StateDiscarded` if it is not stored."""
        if not self.has_state(state_root):
            raise StateDiscarded(f"state 0x{state_root.hex()} has been discarded or was never stored")
        return StateView(self.nodes, state_root, self.version)

    def flat_view(self, root: bytes, diff: Mapping[bytes, bytes | None]) -> FlatView:
        """A view of the flat index plus ``diff``; the caller vouches that its root is ``root``."""
        return FlatView(self.kv, root, diff)

    def read_proof(self, state_root: bytes, keys: Iterable[bytes]) -> list[bytes]:
        """The trie nodes proving the values (or absence) of ``keys`` under ``state_root``."""
        if not self.has_state(state_root):
            raise StateDiscarded(f"state 0x{state_root.hex()} has been discarded or was never stored")
        try:
            return generate_proof(self.nodes, state_root, keys)
        except MissingNode as exc:
            raise DatabaseCorrupted(f"state 0x{state_root.hex()} is incomplete: {exc}") from exc

    # -- writes -----------------------------------------------------------------------

    def genesis(self, items: Mapping[bytes, bytes], acc: NodeChanges, batch: WriteBatch) -> StateCommit:
        """The genesis state: nodes into ``acc``, the flat index into ``batch``.

        Built in closed form (fast for large genesis states).  Its journal lists no
        insertions: genesis is never on an abandoned fork.
        """
        root, nodes, refs = trie_root_nodes_and_refs(items, self.version)
        acc.add(nodes, refs)
        for key, value in items.items():
            batch.put(flat_state_key(key), value)
        return StateCommit(root, Journal(root))

    def warm_up(self, state_root: bytes) -> int:
        """Make ``state_root`` (a committed state) the warm trie, with its warm levels decoded
        and the shelf levels read, one sorted batch per level; returns the nodes read.

        Optional: without it the levels fill as blocks touch them (the shelf level only
        slowly - a 2,000-key block touches ~3% of it).  Call it at start-up on the best
        block's state (:meth:`ChainDatabase.warm_up <storage.chain_db.ChainDatabase.warm_up>`).
        """
        with gc_paused():
            if not self.has_state(state_root):
                raise StateDiscarded(f"state 0x{state_root.hex()} is not available")
            trie = self._warm
            if trie is None or trie.root != state_root or trie.is_dirty:
                self.nodes.settle()
                trie = TrieDB(self.nodes, state_root, version=self.version, shelf=self.shelf)
            self._warm = None
            read = trie.warm(self.warm_levels, self.shelf_levels)
            self._warm = trie
            self._bound_shelf()
            return read

    def _bound_shelf(self) -> None:
        shelf = self.shelf
        if len(shelf) > _SHELF_LIMIT:
            for node_hash in list(islice(shelf, len(shelf) - _SHELF_LIMIT // 2)):
                del shelf[node_hash]

    def drop_warm(self) -> None:
        """Forget the warm trie (after a discarded batch, so nothing builds on its state)."""
        self._warm = None
        self.nodes.settle()

    def commit_block(
        self, parent_root: bytes, changes: Mapping[bytes, bytes | None], acc: NodeChanges
    ) -> StateCommit:
        """Apply ``changes`` (``None`` deletes) on ``parent_root``; nodes go into ``acc``."""
        with gc_paused():
            return self._commit_block(parent_root, changes, acc)

    def _commit_block(
        self, parent_root: bytes, changes: Mapping[bytes, bytes | None], acc: NodeChanges
    ) -> StateCommit:
        trie = self._warm
        self._warm = None  # a failure below must not leave a half-updated warm trie
        if trie is None or trie.root != parent_root or trie.is_dirty:
            # The warm trie (the last commit's result) may continue from a parent whose
            # batch is still open; any other parent must be committed.
            if not self.has_state(parent_root):
                raise StateDiscarded(f"parent state 0x{parent_root.hex()} is not available")
            self.nodes.settle()
            trie = TrieDB(self.nodes, parent_root, version=self.version, shelf=self.shelf)
        elif self.has_state(parent_root):
            # Every node the warm trie refers to is now in the store.
            self.nodes.settle()
        ordered = sorted(changes)
        trie.update(changes)
        result = trie.commit(keep_levels=self.warm_levels, shelf_levels=self.shelf_levels)
        self._bound_shelf()
        self.nodes.remember(result.inserted)
        acc.add(result.inserted, result.inserted_refs)
        if self.nodes.loads < _WARM_LOAD_LIMIT:
            self._warm = trie
        else:
            self.nodes.loads = 0
        journal = Journal(
            result.root,
            tuple(result.inserted_refs.items()),
            tuple(result.removed),
            tuple((key, changes[key]) for key in ordered),
        )
        return StateCommit(result.root, journal)

    def release_removed(self, journal: Journal, acc: NodeChanges) -> None:
        """The parent of ``journal``'s block is discarded: its dropped references die."""
        for node_hash in journal.removed:
            acc.delta[node_hash] -= 1

    def release_inserted(self, journal: Journal, acc: NodeChanges) -> None:
        """``journal``'s block is on an abandoned fork: undo its references."""
        for node_hash, count in journal.inserted:
            acc.delta[node_hash] -= count

    def flush(self, acc: NodeChanges, batch: WriteBatch) -> None:
        """Write ``acc`` into ``batch``: new nodes, and in pruning mode counts and deletions."""
        with gc_paused():
            self._flush(acc, batch)

    def _flush(self, acc: NodeChanges, batch: WriteBatch) -> None:
        put = batch.put
        if self.pruning is None:
            for node_hash, encoding in acc.nodes.items():
                put(TRIE_NODE + node_hash, encoding)
            return
        # The counts are read in key order: neighbouring keys share LevelDB blocks.
        hashes = sorted(node_hash for node_hash, delta in acc.delta.items() if delta)
        counts = self.kv.get_many([REFCOUNT + node_hash for node_hash in hashes])
        delta, nodes, warm = acc.delta, acc.nodes, self._warm
        for node_hash, raw in zip(hashes, counts):
            current = 0 if raw is None else int.from_bytes(raw, "big")
            count = current + delta[node_hash]
            if count < 0:
                raise DatabaseCorrupted(f"reference count of node 0x{node_hash.hex()} below zero")
            if count == 0:
                batch.delete(REFCOUNT + node_hash)
                batch.delete(TRIE_NODE + node_hash)
                self.nodes.forget(node_hash)
                self.shelf.pop(node_hash, None)
                if warm is not None and node_hash == warm.root:
                    self._warm = warm = None  # its state is being discarded
                continue
            put(REFCOUNT + node_hash, _COUNT_BYTES[count] if count < 256 else count.to_bytes(4, "big"))
            if current == 0:
                encoding = nodes.get(node_hash)
                if encoding is None:
                    raise DatabaseCorrupted(f"node 0x{node_hash.hex()} gained references but is unknown")
                put(TRIE_NODE + node_hash, encoding)

    def apply_to_flat(self, changes: Iterable[tuple[bytes, bytes | None]], batch: WriteBatch) -> None:
        """Write a change set (in order; later wins) into the flat index."""
        for key, value in changes:
            if value is None:
                batch.delete(flat_state_key(key))
            else:
                batch.put(flat_state_key(key), value)
