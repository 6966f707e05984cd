"""The state database: block states as tries whose nodes live in the key-value store.

Every block's state is a Substrate trie (see :mod:`storage.trie`).  Tries of consecutive
blocks share almost all of their nodes, so nodes are stored once, content-addressed, under
``trie_node_key(hash)`` (the ``t`` column of :mod:`storage.schema`).  A state is then named
by nothing more than its root hash.

Writing a block (:meth:`StateDatabase.commit_block`) opens the parent's trie, applies the
block's storage changes, commits, and adds the new nodes to the *caller's* write batch, so
block data and state land in the same atomic LevelDB write.  It also writes a journal under
``journal_key(number, block_hash)`` (the ``u`` column)::

    root (32) ‖ u32 BE n ‖ n inserted hashes (32 each) ‖ u32 BE m ‖ m removed hashes

The journals are what a node-level garbage collector needs (which nodes a block created
and which references it dropped).

Pruning status - read this before relying on ``pruning=N``:

* archive mode (``pruning=None``) is complete: nothing is ever deleted and every committed
  state stays readable.
* with ``pruning=N`` the database enforces the *visibility* contract only:
  :meth:`StateDatabase.prune` retires the journals of blocks at heights
  ``<= finalized - N`` and :meth:`StateDatabase.state_at` refuses their roots with
  :class:`~storage.errors.StateDiscarded` (unless a still-live block has the same root).
  Trie nodes themselves are **not yet deleted** (no reference counting), so disk usage
  grows as in archive mode.  The retired journals' contents are the input a future
  reference-counting collector would use.

Reads of a state go through :class:`StateView`, a read-only :class:`StateReader`
(``get``/``next_key``) backed by a :class:`TrieDB` over :class:`KVNodeStore`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping

from storage.errors import DatabaseCorrupted, StateDiscarded
from storage.kv import KeyValueStore, WriteBatch
from storage.schema import JOURNAL, NUMBER_WIDTH, decode_number, journal_key, trie_node_key
from storage.trie import EMPTY_ROOT, MissingNode, TrieDB, generate_proof

__all__ = ["KVNodeStore", "StateView", "StateDatabase", "encode_journal", "decode_journal"]

_HASH = 32
# Recently written nodes are kept in memory so that a child block can be built on a parent
# whose batch is not committed yet (reads never see uncommitted batch contents).
_CACHE_LIMIT = 200_000


def encode_journal(root: bytes, inserted: Iterable[bytes], removed: Iterable[bytes]) -> bytes:
    """Serialise a block journal (layout in the module docstring)."""
    ins = list(inserted)
    rem = list(removed)
    return b"".join(
        [root, len(ins).to_bytes(4, "big"), *ins, len(rem).to_bytes(4, "big"), *rem]
    )


def decode_journal(data: bytes) -> tuple[bytes, list[bytes], list[bytes]]:
    """Inverse of :func:`encode_journal`: ``(root, inserted hashes, removed hashes)``."""
    try:
        root = data[:_HASH]
        pos = _HASH
        lists: list[list[bytes]] = []
        for _ in range(2):
            count = int.from_bytes(data[pos : pos + 4], "big")
            pos += 4
            lists.append([data[pos + i * _HASH : pos + (i + 1) * _HASH] for i in range(count)])
            pos += count * _HASH
        if len(root) != _HASH or pos != len(data):
            raise ValueError("length mismatch")
    except ValueError as exc:
        raise DatabaseCorrupted(f"malformed state journal: {exc}") from exc
    return root, lists[0], lists[1]


class KVNodeStore:
    """A trie :class:`~storage.trie.NodeStore` reading nodes from the ``t`` column.

    Nodes written through :meth:`put` go into a caller batch and into a bounded in-process
    cache, so they can be read back before that batch is committed.
    """

    __slots__ = ("kv", "_cache")

    def __init__(self, kv: KeyValueStore) -> None:
        self.kv = kv
        self._cache: dict[bytes, bytes] = {}

    def get(self, key: bytes, /) -> bytes | None:
        """The node (or V1 out-of-line value) with hash ``key``, or ``None``."""
        data = self._cache.get(key)
        if data is not None:
            return data
        return self.kv.get(trie_node_key(key))

    def put(self, node_hash: bytes, encoding: bytes, batch: WriteBatch) -> None:
        """Queue a node write in ``batch`` and remember it until the cache fills."""
        batch.put(trie_node_key(node_hash), encoding)
        if len(self._cache) >= _CACHE_LIMIT:
            # Dicts keep insertion order: drop the oldest entry (likely already committed).
            del self._cache[next(iter(self._cache))]
        self._cache[node_hash] = encoding


class StateView:
    """Read-only access to one state (a :class:`~storage.overlay.StateReader`)."""

    __slots__ = ("_trie",)

    def __init__(self, store: KVNodeStore, root: bytes, version: int) -> None:
        self._trie = TrieDB(store, root, version=version)

    @property
    def root(self) -> bytes:
        """The state root this view reads."""
        return self._trie.root

    def get(self, key: bytes) -> bytes | None:
        """The value stored under ``key``, or ``None``."""
        return self._trie.get(key)

    def next_key(self, key: bytes) -> bytes | None:
        """The smallest key strictly greater than ``key``, or ``None``."""
        return self._trie.next_key(key)

    def items(self, prefix: bytes = b"", start: bytes | None = None) -> Iterator[tuple[bytes, bytes]]:
        """``(key, value)`` pairs in key order under ``prefix`` from ``start``."""
        return self._trie.items(prefix, start)


class StateDatabase:
    """Block states over a :class:`KeyValueStore` (see the module docstring).

    ``version`` is the trie state version (0 or 1) used for new nodes; ``pruning`` is the
    number of finalized blocks whose states stay readable, or ``None`` for an archive.
    """

    def __init__(self, kv: KeyValueStore, version: int = 1, pruning: int | None = 256) -> None:
        if version not in (0, 1):
            raise ValueError(f"unsupported state version {version!r}")
        if pruning is not None and pruning < 0:
            raise ValueError("pruning window must be >= 0 or None")
        self.kv = kv
        self.version = version
        self.pruning = pruning
        self.nodes = KVNodeStore(kv)
        # Roots of blocks whose journals are still live (a multiset: blocks may share a
        # root).  Rebuilt from the journals on open so a restart keeps the same answers.
        self._live: Counter[bytes] = Counter()
        for _key, value in kv.iterate(JOURNAL):
            self._live[value[:_HASH]] += 1

    # -- reads ------------------------------------------------------------------------

    def has_state(self, state_root: bytes) -> bool:
        """Whether ``state_root`` can be read."""
        if state_root == EMPTY_ROOT:
            return True  # the empty trie has no stored node but is always readable
        if self.pruning is not None and self._live[state_root] <= 0:
            return False
        return self.nodes.get(state_root) is not None

    def state_at(self, state_root: bytes) -> StateView:
        """A read-only view of the state with root ``state_root``.

        Raises :class:`StateDiscarded` when that state was pruned (or never stored).
        """
        if not self.has_state(state_root):
            raise StateDiscarded(f"state {state_root.hex()} is not available")
        return StateView(self.nodes, state_root, self.version)

    def read_proof(self, state_root: bytes, keys: Iterable[bytes]) -> list[bytes]:
        """The trie nodes proving the values (or absence) of ``keys`` under ``state_root``."""
        if not self.has_state(state_root):
            raise StateDiscarded(f"state {state_root.hex()} is not available")
        try:
            return generate_proof(self.nodes, state_root, keys)
        except MissingNode as exc:
            raise StateDiscarded(f"state {state_root.hex()} is incomplete: {exc}") from exc

    # -- writes -----------------------------------------------------------------------

    def genesis(self, items: Mapping[bytes, bytes], batch: WriteBatch, block_hash: bytes | None = None) -> bytes:
        """Store the genesis state ``items`` and return its root.

        With ``block_hash`` the genesis block also gets a journal (height 0), which in
        pruning mode is what keeps its state visible.  Without it, genesis is journaled
        under an all-zero hash.
        """
        changes: dict[bytes, bytes | None] = dict(items)
        return self.commit_block(EMPTY_ROOT, changes, block_hash or bytes(_HASH), 0, batch)

    def commit_block(
        self,
        parent_root: bytes,
        changes: Mapping[bytes, bytes | None],
        block_hash: bytes,
        number: int,
        batch: WriteBatch,
    ) -> bytes:
        """Apply ``changes`` (``None`` deletes) on top of ``parent_root``; return the new root.

        New nodes and the block's journal are added to ``batch``; nothing is written until
        the caller commits it.
        """
        if not self.has_state(parent_root):
            raise StateDiscarded(f"parent state {parent_root.hex()} is not available")
        trie = TrieDB(self.nodes, parent_root, version=self.version)
        # Sorted application makes the trie's work (and node cache order) deterministic.
        for key in sorted(changes):
            value = changes[key]
            if value is None:
                trie.remove(key)
            else:
                trie.insert(key, value)
        result = trie.commit()
        for node_hash, encoding in result.inserted.items():
            self.nodes.put(node_hash, encoding, batch)
        batch.put(
            journal_key(number, block_hash),
            encode_journal(result.root, result.inserted.keys(), result.removed),
        )
        self._live[result.root] += 1
        return result.root

    # -- pruning ----------------------------------------------------------------------

    def prune(
        self,
        finalized_number: int,
        canonical_hashes: Callable[[int], bytes | None],
        batch: WriteBatch | None = None,
    ) -> int:
        """Retire the states of all blocks at heights ``<= finalized_number - pruning``.

        Returns how many block journals were retired.  A no-op in archive mode.  Journals
        go into ``batch`` when given, else into a batch committed here.  Only journal
        visibility is handled for now: ``canonical_hashes`` (number -> canonical hash) is
        accepted for the node collector that is still pending, which will need it to tell
        canonical removals from abandoned forks; nodes are not deleted yet.
        """
        del canonical_hashes  # reserved for node garbage collection (see module docs)
        if self.pruning is None:
            return 0
        limit = finalized_number - self.pruning
        if limit < 0:
            return 0
        retired: list[tuple[bytes, bytes]] = []
        for key, value in self.kv.iterate(JOURNAL):
            # Keys are ``u ‖ number ‖ hash`` with a big-endian number: sorted by height.
            if decode_number(key[1 : 1 + NUMBER_WIDTH]) > limit:
                break
            retired.append((key, value[:_HASH]))
        own = batch is None
        target = self.kv.write_batch() if batch is None else batch
        for key, _root in retired:
            target.delete(key)
        if own:
            target.commit()
        for _key, root in retired:
            self._live[root] -= 1
            if self._live[root] <= 0:
                del self._live[root]
        return len(retired)
