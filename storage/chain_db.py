"""The chain database: blocks and their states, written together, one batch per operation.

:class:`ChainDatabase` combines :class:`~storage.block_db.BlockDatabase` and
:class:`~storage.state_db.StateDatabase` over one key-value store.  Every operation that
changes the database is a single atomic write batch:

* :meth:`ChainDatabase.import_block` - header, body, justification, block-tree bookkeeping,
  trie nodes and reference counts, the block's journal, the canonical index and best/
  finalized meta keys (and, with ``finalize=``, everything finality does);
* :meth:`ChainDatabase.finalize` - the finalized meta key, the flat index moved up to the new
  finalized state, and pruning: canonical states that fall out of the window and every state
  on a fork the new finality abandons.

Pruning (``pruning=N``): the states of the canonical blocks at heights ``> finalized - N``
stay readable, as do all blocks above finality on forks still descending from it.
Headers, bodies and justifications are never pruned.  ``pruning=None`` is an archive.

Reads: :meth:`ChainDatabase.state_at_block` returns a flat view (flat index + diff) for the
finalized block and blocks a short way above it on its chain, and a trie view otherwise;
a block whose state was pruned gives :class:`~storage.errors.StateDiscarded`.

Opening: an existing database resumes from its stored best and finalized blocks; an empty
one is initialised with the genesis block and state.  A database for another genesis, with
another schema version or pruning mode, or inconsistent, raises an error that names the
problem and suggests ``subtensor purge-chain``; nothing is ever reset silently.

Nothing here decodes headers: the caller passes encoded header bytes plus the parsed hash,
parent hash, number (in a :class:`~storage.block_db.BlockRecord`) and state roots.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass

from storage import schema
from storage.block_db import BlockDatabase, BlockRecord, BlockRef, TreeRoute
from storage.errors import (
    DatabaseCorrupted,
    EmptyDatabase,
    FinalityViolation,
    ForeignDatabase,
    IncompatibleDatabase,
    StateDiscarded,
    StateRootMismatch,
    UnknownBlock,
    purge_hint,
)
from storage.gcpause import gc_paused
from storage.journal import Journal
from storage.kv import KeyValueStore, WriteBatch
from storage.leveldb import LevelDBKV
from storage.state_db import FlatView, NodeChanges, StateDatabase, StateView

__all__ = ["ChainDatabase", "ImportResult"]

# Views of blocks at most this far above the finalized block are served from the flat index.
MAX_DIFF_BLOCKS = 64
_ARCHIVE = b"archive"
_PRUNED = b"pruned"


@dataclass(frozen=True, slots=True)
class ImportResult:
    """What an import wrote: the block's state root and, if it became best, the route."""

    state_root: bytes
    route: TreeRoute | None


@dataclass(frozen=True, slots=True)
class _Pending:
    """The block being imported in the current batch (not readable from the store yet)."""

    record: BlockRecord
    journal: Journal
    best: bool


class ChainDatabase:
    """Blocks plus states with atomic imports, finality and pruning (module docstring)."""

    def __init__(self, kv: KeyValueStore, blocks: BlockDatabase, state: StateDatabase, path: str | None) -> None:
        # Private: use open().
        self.kv = kv
        self.blocks = blocks
        self.state = state
        self.path = path

    # --- opening -------------------------------------------------------------------------------

    @classmethod
    def open(
        cls,
        source: str | os.PathLike[str] | KeyValueStore,
        genesis_header_hash: bytes,
        genesis_storage: Mapping[bytes, bytes],
        state_version: int = 1,
        pruning: int | None = 256,
        *,
        genesis_header: bytes = b"",
        genesis_body: bytes = b"",
        sync: bool = True,
    ) -> ChainDatabase:
        """Open (or create) the chain database at a LevelDB path or over a given store."""
        if isinstance(source, (str, os.PathLike)):
            path: str | None = os.fspath(source)
            kv: KeyValueStore = LevelDBKV(source, sync=sync)
        else:
            path, kv = getattr(source, "path", None), source
        try:
            return cls._open(kv, path, genesis_header_hash, genesis_storage, state_version, pruning,
                             genesis_header, genesis_body)
        except BaseException:
            if path is not None and not isinstance(source, KeyValueStore):
                kv.close()
            raise

    @classmethod
    def _open(
        cls,
        kv: KeyValueStore,
        path: str | None,
        genesis_hash: bytes,
        genesis_storage: Mapping[bytes, bytes],
        state_version: int,
        pruning: int | None,
        genesis_header: bytes,
        genesis_body: bytes,
    ) -> ChainDatabase:
        state = StateDatabase(kv, state_version, pruning)
        where = f"database at {path}" if path else "database"
        raw_version = kv.get(schema.META_VERSION)
        if raw_version is not None and raw_version != schema.encode_version(schema.SCHEMA_VERSION):
            raise IncompatibleDatabase(
                f"{where} uses schema version {raw_version.hex()}, this node writes version "
                f"{schema.SCHEMA_VERSION}; {purge_hint(path)}"
            )
        try:
            blocks = BlockDatabase.open(kv, expected_genesis=genesis_hash)
        except EmptyDatabase:
            return cls._initialize(kv, state, path, genesis_hash, genesis_storage, genesis_header, genesis_body)
        except ForeignDatabase as exc:
            raise ForeignDatabase(exc.expected, exc.found, hint=purge_hint(path)) from exc
        except DatabaseCorrupted as exc:
            raise DatabaseCorrupted(f"{where} is corrupted: {exc}; {purge_hint(path)}") from exc
        db = cls(kv, blocks, state, path)
        db._check_state_meta(where)
        return db

    @classmethod
    def _initialize(
        cls,
        kv: KeyValueStore,
        state: StateDatabase,
        path: str | None,
        genesis_hash: bytes,
        genesis_storage: Mapping[bytes, bytes],
        genesis_header: bytes,
        genesis_body: bytes,
    ) -> ChainDatabase:
        if next(iter(kv.iterate()), None) is not None:
            raise DatabaseCorrupted(
                f"database at {path} holds data but no genesis block; {purge_hint(path)}"
            )
        parent = bytes(32) if genesis_hash != bytes(32) else b"\xff" * 32
        record = BlockRecord(genesis_hash, parent, 0, genesis_header, genesis_body)
        with kv.write_batch() as batch:
            blocks = BlockDatabase.initialize(kv, record, batch)
            acc = NodeChanges()
            commit = state.genesis(genesis_storage, acc, batch)
            state.flush(acc, batch)
            batch.put(schema.journal_key(0, genesis_hash), commit.journal.encode())
            batch.put(schema.META_PRUNING, _ARCHIVE if state.pruning is None else _PRUNED)
            batch.put(schema.META_STATE_VERSION, schema.encode_version(state.version))
            batch.put(schema.META_FLAT, genesis_hash)
        return cls(kv, blocks, state, path)

    def _check_state_meta(self, where: str) -> None:
        kv, hint = self.kv, purge_hint(self.path)
        mode = kv.get(schema.META_PRUNING)
        wanted = _ARCHIVE if self.state.pruning is None else _PRUNED
        if mode not in (_ARCHIVE, _PRUNED):
            raise DatabaseCorrupted(f"{where} has no valid pruning mode record; {hint}")
        if mode != wanted:
            raise IncompatibleDatabase(
                f"{where} was created with pruning mode {mode.decode()!r} and cannot be opened "
                f"as {wanted.decode()!r}; restart with the original --pruning setting, or {hint}"
            )
        version = kv.get(schema.META_STATE_VERSION)
        if version != schema.encode_version(self.state.version):
            raise IncompatibleDatabase(
                f"{where} stores state version {version!r}, not {self.state.version}; {hint}"
            )
        finalized, best = self.blocks.finalized(), self.blocks.best()
        if kv.get(schema.META_FLAT) != finalized.hash:
            raise DatabaseCorrupted(f"{where}: the flat state index is not at the finalized block; {hint}")
        for label, ref in (("finalized", finalized), ("best", best)):
            raw = kv.get(schema.journal_key(ref.number, ref.hash))
            if raw is None or not self.state.has_state(Journal.decode_root(raw)):
                raise DatabaseCorrupted(f"{where}: the state of the {label} block is missing; {hint}")

    def close(self) -> None:
        self.kv.close()

    # --- reads ---------------------------------------------------------------------------------

    def best(self) -> BlockRef:
        return self.blocks.best()

    def finalized(self) -> BlockRef:
        return self.blocks.finalized()

    def _journal_raw(self, block_hash: bytes) -> tuple[int, bytes]:
        number = self.blocks.number(block_hash)
        if number is None:
            raise UnknownBlock(block_hash)
        raw = self.kv.get(schema.journal_key(number, block_hash))
        if raw is None:
            window = "archive" if self.state.pruning is None else f"the last {self.state.pruning}"
            raise StateDiscarded(
                f"state discarded: the state of block #{number} 0x{block_hash.hex()} was pruned "
                f"(this node keeps {window} finalized states and drops abandoned forks; "
                "use --pruning archive for historical state)"
            )
        return number, raw

    def state_root(self, block_hash: bytes) -> bytes:
        """The state root of a block whose state is retained."""
        return Journal.decode_root(self._journal_raw(block_hash)[1])

    def has_state(self, block_hash: bytes) -> bool:
        number = self.blocks.number(block_hash)
        return number is not None and self.kv.get(schema.journal_key(number, block_hash)) is not None

    def trie_state_at_block(self, block_hash: bytes) -> StateView:
        """The block's state read through its trie (always from stored nodes)."""
        return self.state.state_at(self.state_root(block_hash))

    def state_at_block(self, block_hash: bytes) -> StateView | FlatView:
        """A read-only view of a block's state (RPC ``at``); StateDiscarded if pruned."""
        number, raw = self._journal_raw(block_hash)
        root = Journal.decode_root(raw)
        flat = self.kv.get(schema.META_FLAT)
        fin = self.blocks.finalized()
        if flat != fin.hash or number < fin.number or number - fin.number > MAX_DIFF_BLOCKS:
            return self.state.state_at(root)
        chain: list[bytes] = []
        current, height = block_hash, number
        while height > fin.number:
            chain.append(current)
            parent = self.blocks.parent_hash(current)
            assert parent is not None
            current, height = parent, height - 1
        if current != fin.hash:
            return self.state.state_at(root)  # a fork below finality that is still retained
        diff: dict[bytes, bytes | None] = {}
        for height, block in enumerate(reversed(chain), start=fin.number + 1):
            raw_journal = self.kv.get(schema.journal_key(height, block))
            if raw_journal is None:
                raise DatabaseCorrupted(f"journal of block 0x{block.hex()} missing above finality")
            diff.update(Journal.decode(raw_journal).changes)
        return self.state.flat_view(root, diff)

    def read_proof(self, block_hash: bytes, keys: list[bytes]) -> list[bytes]:
        """Trie nodes proving ``keys`` against the block's state root."""
        return self.state.read_proof(self.state_root(block_hash), keys)

    def retained_states(self) -> Iterator[tuple[int, bytes, bytes]]:
        """``(number, block hash, state root)`` of every block whose state is retained."""
        width = schema.NUMBER_WIDTH
        for key, value in self.kv.iterate(schema.JOURNAL):
            yield schema.decode_number(key[1 : 1 + width]), key[1 + width :], Journal.decode_root(value)

    # --- writes --------------------------------------------------------------------------------

    def import_block(
        self,
        record: BlockRecord,
        parent_state_root: bytes,
        changes: Mapping[bytes, bytes | None],
        *,
        state_root: bytes | None = None,
        make_best: bool = False,
        finalize: bytes | None = None,
        justification: bytes | None = None,
    ) -> ImportResult:
        """Store a block and its state in one batch; optionally make it best and finalize.

        ``parent_state_root`` must be the parent's stored root; ``state_root`` (if given) is
        checked against the computed one (:class:`StateRootMismatch`).  ``finalize`` names a
        block on the new block's chain (it may be the new block if ``make_best``) to finalize
        in the same batch, with an optional ``justification`` for it.
        """
        parent_raw = self._journal_raw(record.parent_hash)[1]
        if Journal.decode_root(parent_raw) != parent_state_root:
            raise ValueError("parent_state_root is not the stored state root of the parent block")
        try:
            with gc_paused():
                return self._import(record, parent_state_root, changes, state_root, make_best,
                                    finalize, justification)
        except BaseException:
            # The batch was discarded: the warm trie may already stand on the unwritten state.
            self.state.drop_warm()
            raise

    def _import(
        self,
        record: BlockRecord,
        parent_state_root: bytes,
        changes: Mapping[bytes, bytes | None],
        state_root: bytes | None,
        make_best: bool,
        finalize: bytes | None,
        justification: bytes | None,
    ) -> ImportResult:
        with self.kv.write_batch() as batch:
            route = self.blocks.import_block(record, batch, make_best=make_best)
            acc = NodeChanges()
            commit = self.state.commit_block(parent_state_root, changes, acc)
            if state_root is not None and commit.root != state_root:
                raise StateRootMismatch(
                    f"block 0x{record.hash.hex()}: computed state root 0x{commit.root.hex()}, "
                    f"header says 0x{state_root.hex()}"
                )
            batch.put(schema.journal_key(record.number, record.hash), commit.journal.encode())
            if finalize is not None:
                pending = _Pending(record, commit.journal, make_best)
                self._finalize_into(batch, acc, finalize, justification, pending)
            self.state.flush(acc, batch)
        return ImportResult(commit.root, route)

    def warm_up(self) -> int:
        """Load the best block's trie top and shelf level in batches (optional, at start-up):
        the first imports on top of it then run as fast as later ones.  Returns nodes read."""
        return self.state.warm_up(self.state_root(self.blocks.best().hash))

    def set_best(self, block_hash: bytes) -> TreeRoute:
        """Make a stored block best (a reorg if it is on another fork)."""
        if not self.has_state(block_hash):
            raise StateDiscarded(f"block 0x{block_hash.hex()} has no retained state")
        return self.blocks.set_best(block_hash)

    def finalize(self, block_hash: bytes, justification: bytes | None = None) -> None:
        """Finalize a canonical block; prune in the same batch."""
        try:
            with gc_paused(), self.kv.write_batch() as batch:
                acc = NodeChanges()
                self._finalize_into(batch, acc, block_hash, justification, None)
                self.state.flush(acc, batch)
        except BaseException:
            self.state.drop_warm()  # flush may have dropped it already; never keep a stale one
            raise

    # --- finality internals --------------------------------------------------------------------

    def _info(self, block_hash: bytes, pending: _Pending | None) -> tuple[int, bytes]:
        if pending is not None and block_hash == pending.record.hash:
            return pending.record.number, pending.record.parent_hash
        number, parent = self.blocks.number(block_hash), self.blocks.parent_hash(block_hash)
        if number is None or parent is None:
            raise UnknownBlock(block_hash)
        return number, parent

    def _journal(self, number: int, block_hash: bytes, pending: _Pending | None) -> Journal:
        if pending is not None and block_hash == pending.record.hash:
            return pending.journal
        raw = self.kv.get(schema.journal_key(number, block_hash))
        if raw is None:
            raise DatabaseCorrupted(f"journal of block #{number} 0x{block_hash.hex()} is missing")
        return Journal.decode(raw)

    def _finalize_into(
        self,
        batch: WriteBatch,
        acc: NodeChanges,
        target: bytes,
        justification: bytes | None,
        pending: _Pending | None,
    ) -> None:
        old = self.blocks.finalized()
        number = self._info(target, pending)[0]
        if number < old.number:
            raise FinalityViolation("finality cannot move backwards")
        if justification is not None:
            batch.put(schema.justification_key(target), justification)
        if target == old.hash:
            return
        best = pending.record.hash if pending is not None and pending.best else self.blocks.best().hash
        # The chain from the best block after this batch down to the old finalized block.
        chain: dict[int, bytes] = {}
        current = best
        height, parent = self._info(current, pending)
        while height >= old.number:
            chain[height] = current
            if height == old.number:
                break
            current = parent
            height, parent = self._info(current, pending)
        if chain.get(number) != target or chain.get(old.number) != old.hash:
            raise FinalityViolation("only blocks on the best chain above the finalized block can be finalized")

        def canonical(h: int) -> bytes | None:
            return chain[h] if h >= old.number else self.blocks.hash_at(h)

        batch.put(schema.META_FINALIZED, target)
        # The flat index follows finality: replay the newly finalized blocks' changes.
        for h in range(old.number + 1, number + 1):
            self.state.apply_to_flat(self._journal(h, chain[h], pending).changes, batch)
        batch.put(schema.META_FLAT, target)
        if self.state.pruning is not None:
            dropped = self._drop_dead_forks(batch, acc, number, canonical, pending)
            self._prune_window(batch, acc, number - self.state.pruning, canonical, dropped, pending)

    def _drop_dead_forks(
        self,
        batch: WriteBatch,
        acc: NodeChanges,
        fin_number: int,
        canonical: Callable[[int], bytes | None],
        pending: _Pending | None,
    ) -> set[bytes]:
        """Discard the states of all blocks that no longer descend from the new finality."""
        leaves = [ref.hash for ref in self.blocks.leaves()]
        if pending is not None:
            leaves = [h for h in leaves if h != pending.record.parent_hash] + [pending.record.hash]
        dropped: set[bytes] = set()
        for leaf in leaves:
            path: list[tuple[int, bytes]] = []
            current = leaf
            height, parent = self._info(current, pending)
            while not (height <= fin_number and canonical(height) == current):
                path.append((height, current))
                current = parent
                height, parent = self._info(current, pending)
            if height == fin_number:
                continue  # the leaf descends from the new finalized block
            if pending is not None and leaf == pending.record.hash:
                raise FinalityViolation("this finality would abandon the block being imported")
            for block_number, block in path:
                if block in dropped:
                    continue
                dropped.add(block)
                key = schema.journal_key(block_number, block)
                raw = self.kv.get(key)
                if raw is not None:
                    self.state.release_inserted(Journal.decode(raw), acc)
                    batch.delete(key)
            batch.delete(schema.leaf_key(leaf))
        return dropped

    def _prune_window(
        self,
        batch: WriteBatch,
        acc: NodeChanges,
        limit: int,
        canonical: Callable[[int], bytes | None],
        dropped: set[bytes],
        pending: _Pending | None,
    ) -> None:
        """Discard canonical states at heights ``<= limit``."""
        if limit < 0:
            return
        width = schema.NUMBER_WIDTH
        for key, value in self.kv.iterate(schema.JOURNAL):
            height = schema.decode_number(key[1 : 1 + width])
            if height > limit:
                break
            block = key[1 + width :]
            if block in dropped:
                continue
            if canonical(height) == block:
                child = canonical(height + 1)
                if child is None:
                    raise DatabaseCorrupted(f"canonical block #{height + 1} missing while pruning")
                self.state.release_removed(self._journal(height + 1, child, pending), acc)
            else:
                self.state.release_inserted(Journal.decode(value), acc)
            batch.delete(key)
