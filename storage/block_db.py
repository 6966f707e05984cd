"""The block database: headers, bodies and justifications, plus the shape of the block tree.

Blocks are stored as opaque bytes.  The caller (the importer, which already decoded and
verified the block) hands over the SCALE header, the body blob in its own encoding, an
optional justification, and the three parsed fields this module needs to maintain the tree:
hash, parent hash and number.  Nothing here decodes SCALE or hashes anything, which keeps
the storage layer independent of the runtime's types.

What the database tracks, all under the keys of :mod:`storage.schema`:

* **block info** - ``hash → (number, parent)``, used for every walk through the tree.
* **leaves** - blocks without children.  Importing a block adds it and removes its parent,
  one key each, so several imports can share a batch without read-modify-write races.
* **best block** and the **canonical index** ``number → hash`` covering exactly the chain
  from genesis to best.  The caller chooses the best block (fork choice is consensus'
  business); when it moves to another fork the index is rewritten from the common ancestor
  and the :class:`TreeRoute` (retracted and enacted hashes) is returned, which is what the
  transaction pool and the state database need to follow a reorg.
* **finalized block** - always a canonical ancestor-or-self of best.  Finality only moves
  forward; the best block may never move to a chain that does not contain it; and blocks
  that do not descend from it can no longer be imported.  Finalizing deletes nothing: leaves
  of the forks it abandoned are reported by :meth:`BlockDatabase.stale_leaves` so a later
  pruning pass (with the state database) can decide what to drop.

Atomicity: every writer takes an optional :class:`~storage.kv.WriteBatch`.  Given one, it
only adds operations and the caller commits - this is how a block and its state changes land
together.  Without one, the method makes its own batch and commits it.  Reads always see
committed data only, so checks made by a writer (parent known, block not yet imported, the
current best) are against the committed database: a block's parent must be committed before
the block is imported, and a batch should carry at most one best/finality change.

Missing data: content getters (:meth:`~BlockDatabase.header`, ``body``, ``justification``,
``number``, ``parent_hash``, ``hash_at``) return ``None``; operations that need the block to
exist (``tree_route``, ``is_descendant``, ``set_best``, ``finalize``, ``set_justification``)
raise :class:`~storage.errors.UnknownBlock`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from storage import schema
from storage.errors import (
    BlockExists,
    DatabaseCorrupted,
    EmptyDatabase,
    FinalityViolation,
    ForeignDatabase,
    StorageError,
    UnknownBlock,
)
from storage.kv import KeyValueStore, WriteBatch

__all__ = ["BlockDatabase", "BlockRecord", "BlockRef", "TreeRoute"]


@dataclass(frozen=True, slots=True)
class BlockRecord:
    """A block as handed to the database: parsed tree fields plus opaque encodings."""

    hash: bytes
    parent_hash: bytes
    number: int
    header: bytes
    body: bytes
    justification: bytes | None = None

    def __post_init__(self) -> None:
        for name in ("hash", "parent_hash", "header", "body"):
            if not isinstance(getattr(self, name), bytes):
                raise TypeError(f"BlockRecord.{name} must be bytes")
        if not self.hash or not self.parent_hash:
            raise ValueError("block and parent hashes must be non-empty")
        if self.hash == self.parent_hash:
            raise ValueError("a block cannot be its own parent")
        if not isinstance(self.number, int) or isinstance(self.number, bool) or self.number < 0:
            raise ValueError(f"invalid block number {self.number!r}")
        if self.justification is not None and not isinstance(self.justification, bytes):
            raise TypeError("BlockRecord.justification must be bytes or None")


@dataclass(frozen=True, slots=True)
class BlockRef:
    """A block identified by hash and number."""

    hash: bytes
    number: int


@dataclass(frozen=True, slots=True)
class TreeRoute:
    """The path between two blocks through their latest common ancestor.

    ``retracted`` runs from the start block down to (excluding) ``common``; ``enacted`` runs
    from just after ``common`` up to the target block.  Either may be empty.
    """

    retracted: tuple[bytes, ...]
    common: BlockRef
    enacted: tuple[bytes, ...]


class BlockDatabase:
    """Block storage and block-tree bookkeeping over any :class:`KeyValueStore`.

    Construct with :meth:`initialize` (fresh store), :meth:`open` (existing store) or
    :meth:`open_or_initialize`.
    """

    __slots__ = ("_kv", "_genesis")

    def __init__(self, kv: KeyValueStore, genesis_hash: bytes) -> None:
        # Private: use the classmethods, which validate the store first.
        self._kv = kv
        self._genesis = genesis_hash

    # --- construction ------------------------------------------------------------------------

    @classmethod
    def initialize(
        cls, kv: KeyValueStore, genesis: BlockRecord, batch: WriteBatch | None = None
    ) -> BlockDatabase:
        """Write the genesis block into an empty store; best = finalized = genesis.

        With a caller batch the returned database is usable once that batch is committed.
        """
        if genesis.number != 0:
            raise ValueError("genesis block must have number 0")
        if kv.get(schema.META_GENESIS) is not None or kv.get(schema.META_VERSION) is not None:
            raise StorageError("store is already initialised; use BlockDatabase.open")

        def write(b: WriteBatch) -> None:
            cls._write_block(b, genesis)
            b.put(schema.canonical_key(0), genesis.hash)
            b.put(schema.META_GENESIS, genesis.hash)
            b.put(schema.META_BEST, genesis.hash)
            b.put(schema.META_FINALIZED, genesis.hash)
            b.put(schema.META_VERSION, schema.encode_version(schema.SCHEMA_VERSION))

        _run(kv, batch, write)
        return cls(kv, genesis.hash)

    @classmethod
    def open(cls, kv: KeyValueStore, expected_genesis: bytes | None = None) -> BlockDatabase:
        """Open an initialised store, checking its version, genesis and meta keys.

        Raises :class:`EmptyDatabase` if the store was never initialised,
        :class:`ForeignDatabase` if ``expected_genesis`` is given and differs, and
        :class:`DatabaseCorrupted` if the meta keys contradict the stored blocks.
        """
        raw_version = kv.get(schema.META_VERSION)
        genesis = kv.get(schema.META_GENESIS)
        if raw_version is None and genesis is None:
            raise EmptyDatabase("store has no genesis block")
        if raw_version is None or genesis is None:
            raise DatabaseCorrupted("schema version and genesis meta keys must both exist")
        try:
            version = schema.decode_version(raw_version)
        except ValueError as exc:
            raise DatabaseCorrupted(f"bad schema version record: {exc}") from exc
        if version != schema.SCHEMA_VERSION:
            raise DatabaseCorrupted(
                f"schema version {version}, this node supports {schema.SCHEMA_VERSION}"
            )
        if expected_genesis is not None and genesis != expected_genesis:
            raise ForeignDatabase(expected_genesis, genesis)
        db = cls(kv, genesis)
        db._check_consistency()
        return db

    @classmethod
    def open_or_initialize(cls, kv: KeyValueStore, genesis: BlockRecord) -> BlockDatabase:
        """Open the store expecting ``genesis``, initialising it first if it is empty."""
        try:
            return cls.open(kv, expected_genesis=genesis.hash)
        except EmptyDatabase:
            return cls.initialize(kv, genesis)

    def _check_consistency(self) -> None:
        """Cheap O(1) checks that the meta keys agree with the stored chain."""
        genesis_info = self._kv.get(schema.block_info_key(self._genesis))
        if genesis_info is None or self._kv.get(schema.header_key(self._genesis)) is None:
            raise DatabaseCorrupted("genesis block is not stored")
        if self._decode_info(self._genesis, genesis_info)[0] != 0:
            raise DatabaseCorrupted("genesis block does not have number 0")
        if self.hash_at(0) != self._genesis:
            raise DatabaseCorrupted("canonical index does not start at genesis")
        best, finalized = self.best(), self.finalized()
        for label, ref in (("best", best), ("finalized", finalized)):
            if self._kv.get(schema.header_key(ref.hash)) is None:
                raise DatabaseCorrupted(f"{label} block 0x{ref.hash.hex()} has no header")
            if self.hash_at(ref.number) != ref.hash:
                raise DatabaseCorrupted(f"{label} block is not in the canonical index")
        if self.hash_at(best.number + 1) is not None:
            raise DatabaseCorrupted("canonical index extends past the best block")
        if finalized.number > best.number:
            raise DatabaseCorrupted("finalized block is above the best block")

    # --- reads -------------------------------------------------------------------------------

    @property
    def kv(self) -> KeyValueStore:
        """The underlying store, for components that share its batches (the state DB)."""
        return self._kv

    def write_batch(self) -> WriteBatch:
        return self._kv.write_batch()

    def genesis_hash(self) -> bytes:
        return self._genesis

    def best(self) -> BlockRef:
        return self._meta_ref(schema.META_BEST, "best")

    def finalized(self) -> BlockRef:
        return self._meta_ref(schema.META_FINALIZED, "finalized")

    def contains(self, block_hash: bytes) -> bool:
        return self._kv.get(schema.block_info_key(block_hash)) is not None

    __contains__ = contains

    def header(self, block_hash: bytes) -> bytes | None:
        return self._kv.get(schema.header_key(block_hash))

    def body(self, block_hash: bytes) -> bytes | None:
        return self._kv.get(schema.body_key(block_hash))

    def justification(self, block_hash: bytes) -> bytes | None:
        """The stored justification; ``None`` if the block is unknown or has none."""
        return self._kv.get(schema.justification_key(block_hash))

    def number(self, block_hash: bytes) -> int | None:
        info = self._maybe_info(block_hash)
        return None if info is None else info[0]

    def parent_hash(self, block_hash: bytes) -> bytes | None:
        info = self._maybe_info(block_hash)
        return None if info is None else info[1]

    def hash_at(self, number: int) -> bytes | None:
        """The canonical block at ``number``; ``None`` above the best block."""
        if number < 0:
            return None
        return self._kv.get(schema.canonical_key(number))

    def leaves(self) -> tuple[BlockRef, ...]:
        """Blocks without children, highest first (ties by hash)."""
        refs = []
        for key, value in self._kv.iterate(schema.LEAF):
            try:
                number = schema.decode_number(value)
            except ValueError as exc:
                raise DatabaseCorrupted(f"bad leaf record {key.hex()}: {exc}") from exc
            refs.append(BlockRef(key[len(schema.LEAF) :], number))
        refs.sort(key=lambda r: (-r.number, r.hash))
        return tuple(refs)

    def stale_leaves(self) -> tuple[BlockRef, ...]:
        """Leaves whose chain does not contain the finalized block (prunable forks)."""
        fin = self.finalized().hash
        return tuple(
            leaf
            for leaf in self.leaves()
            if leaf.hash != fin and not self.is_descendant(fin, leaf.hash)
        )

    def is_descendant(self, ancestor: bytes, descendant: bytes) -> bool:
        """True if ``ancestor`` is a strict ancestor of ``descendant``."""
        anc_number = self._info(ancestor)[0]
        number, parent = self._info(descendant)
        if number <= anc_number:
            return False
        # Shortcut: if both sit on the canonical chain the answer is immediate, which keeps
        # the common case (best-chain blocks) O(fork length) instead of O(height).
        anc_canonical = self.hash_at(anc_number) == ancestor
        current = descendant
        while number > anc_number:
            if anc_canonical and self.hash_at(number) == current:
                return True
            current = parent
            number, parent = self._walk_info(current)
        return current == ancestor

    def tree_route(self, from_hash: bytes, to_hash: bytes) -> TreeRoute:
        """Route from ``from_hash`` to ``to_hash`` through their latest common ancestor."""
        f_num, f_parent = self._info(from_hash)
        t_num, t_parent = self._info(to_hash)
        retracted: list[bytes] = []
        enacted: list[bytes] = []
        f, t = from_hash, to_hash
        while f_num > t_num:
            retracted.append(f)
            f = f_parent
            f_num, f_parent = self._walk_info(f)
        while t_num > f_num:
            enacted.append(t)
            t = t_parent
            t_num, t_parent = self._walk_info(t)
        while f != t:
            if f_num == 0:
                raise DatabaseCorrupted("two chains with different genesis blocks")
            retracted.append(f)
            enacted.append(t)
            f, t = f_parent, t_parent
            f_num, f_parent = self._walk_info(f)
            t_num, t_parent = self._walk_info(t)
        enacted.reverse()
        return TreeRoute(tuple(retracted), BlockRef(f, f_num), tuple(enacted))

    # --- writes ------------------------------------------------------------------------------

    def import_block(
        self, record: BlockRecord, batch: WriteBatch | None = None, *, make_best: bool = False
    ) -> TreeRoute | None:
        """Store a block whose parent is already committed; optionally make it best.

        Raises :class:`BlockExists` for a duplicate, :class:`UnknownBlock` for an unknown
        parent, :class:`FinalityViolation` if the block does not descend from the finalized
        block, and ``ValueError`` if its number is not its parent's plus one.  Returns the
        reorg route when ``make_best`` is set, else ``None``.
        """
        if self.contains(record.hash):
            raise BlockExists(record.hash)
        parent_info = self._maybe_info(record.parent_hash)
        if parent_info is None:
            raise UnknownBlock(record.parent_hash)
        if record.number != parent_info[0] + 1:
            raise ValueError(
                f"block number {record.number} does not follow parent number {parent_info[0]}"
            )
        fin = self.finalized()
        if record.parent_hash != fin.hash and not self.is_descendant(
            fin.hash, record.parent_hash
        ):
            raise FinalityViolation("block does not descend from the finalized block")

        route: TreeRoute | None = None
        if make_best:
            # The new block is not committed yet, so route to its parent and extend.
            to_parent = self.tree_route(self.best().hash, record.parent_hash)
            route = TreeRoute(
                to_parent.retracted, to_parent.common, to_parent.enacted + (record.hash,)
            )
            self._check_route_keeps_finality(route, fin)

        def write(b: WriteBatch) -> None:
            self._write_block(b, record)
            b.delete(schema.leaf_key(record.parent_hash))
            if route is not None:
                self._write_best(b, route, record.hash)

        _run(self._kv, batch, write)
        return route

    def set_best(self, block_hash: bytes, batch: WriteBatch | None = None) -> TreeRoute:
        """Make ``block_hash`` the best block, rewriting the canonical index on a reorg.

        Raises :class:`FinalityViolation` if the new best does not contain the finalized
        block.  Returns the route from the old best to the new one.
        """
        route = self.tree_route(self.best().hash, block_hash)
        self._check_route_keeps_finality(route, self.finalized())
        _run(self._kv, batch, lambda b: self._write_best(b, route, block_hash))
        return route

    def finalize(
        self,
        block_hash: bytes,
        justification: bytes | None = None,
        batch: WriteBatch | None = None,
    ) -> None:
        """Mark a canonical block (ancestor-or-self of best) final; store its justification.

        Finality never moves backwards and never leaves the canonical chain
        (:class:`FinalityViolation`).  Re-finalizing the current finalized block is allowed
        (e.g. to attach a justification).  Nothing is pruned.
        """
        number = self._info(block_hash)[0]
        if self.hash_at(number) != block_hash:
            raise FinalityViolation("only canonical blocks can be finalized")
        if number < self.finalized().number:
            raise FinalityViolation("finality cannot move backwards")

        def write(b: WriteBatch) -> None:
            b.put(schema.META_FINALIZED, block_hash)
            if justification is not None:
                b.put(schema.justification_key(block_hash), justification)

        _run(self._kv, batch, write)

    def set_justification(
        self, block_hash: bytes, justification: bytes, batch: WriteBatch | None = None
    ) -> None:
        """Store (or replace) the justification of a known block."""
        self._info(block_hash)
        _run(
            self._kv,
            batch,
            lambda b: b.put(schema.justification_key(block_hash), justification),
        )

    # --- internals ---------------------------------------------------------------------------

    @staticmethod
    def _write_block(b: WriteBatch, record: BlockRecord) -> None:
        b.put(schema.header_key(record.hash), record.header)
        b.put(schema.body_key(record.hash), record.body)
        if record.justification is not None:
            b.put(schema.justification_key(record.hash), record.justification)
        b.put(
            schema.block_info_key(record.hash),
            schema.encode_block_info(record.number, record.parent_hash),
        )
        b.put(schema.leaf_key(record.hash), schema.encode_number(record.number))

    @staticmethod
    def _check_route_keeps_finality(route: TreeRoute, fin: BlockRef) -> None:
        # Finalized is canonical, i.e. an ancestor-or-self of the old best; it survives the
        # reorg exactly when it is not strictly above the common ancestor.
        if route.common.number < fin.number:
            raise FinalityViolation("new best block does not contain the finalized block")

    @staticmethod
    def _write_best(b: WriteBatch, route: TreeRoute, new_best: bytes) -> None:
        # Retracted blocks occupy consecutive heights going down from the old best, enacted
        # ones consecutive heights going up from the common ancestor.  Deletes come first so
        # that, in batch order, the enacted entries win at shared heights.
        old_top = route.common.number + len(route.retracted)
        for i in range(len(route.retracted)):
            b.delete(schema.canonical_key(old_top - i))
        for i, block_hash in enumerate(route.enacted):
            b.put(schema.canonical_key(route.common.number + 1 + i), block_hash)
        b.put(schema.META_BEST, new_best)

    def _meta_ref(self, key: bytes, label: str) -> BlockRef:
        block_hash = self._kv.get(key)
        if block_hash is None:
            raise DatabaseCorrupted(f"{label} block meta key missing")
        info = self._maybe_info(block_hash)
        if info is None:
            raise DatabaseCorrupted(f"{label} block 0x{block_hash.hex()} is not stored")
        return BlockRef(block_hash, info[0])

    @staticmethod
    def _decode_info(block_hash: bytes, raw: bytes) -> tuple[int, bytes]:
        try:
            return schema.decode_block_info(raw)
        except ValueError as exc:
            raise DatabaseCorrupted(f"bad info for block 0x{block_hash.hex()}: {exc}") from exc

    def _maybe_info(self, block_hash: bytes) -> tuple[int, bytes] | None:
        raw = self._kv.get(schema.block_info_key(block_hash))
        return None if raw is None else self._decode_info(block_hash, raw)

    def _info(self, block_hash: bytes) -> tuple[int, bytes]:
        """(number, parent) of a block the caller named; unknown -> UnknownBlock."""
        info = self._maybe_info(block_hash)
        if info is None:
            raise UnknownBlock(block_hash)
        return info

    def _walk_info(self, block_hash: bytes) -> tuple[int, bytes]:
        """(number, parent) of an ancestor reached by walking; missing means corruption."""
        info = self._maybe_info(block_hash)
        if info is None:
            raise DatabaseCorrupted(f"ancestor 0x{block_hash.hex()} is missing")
        return info


def _run(kv: KeyValueStore, batch: WriteBatch | None, write: Callable[[WriteBatch], None]) -> None:
    """Apply ``write`` to the caller's batch, or to a fresh one committed right away."""
    if batch is not None:
        write(batch)
        return
    with kv.write_batch() as own:
        write(own)
