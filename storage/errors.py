"""Typed failures of the storage layer (key-value backends, schema, block database).

Everything here derives from :class:`StorageError`, so the node can catch one type at the
boundary and still react differently to the cases that matter operationally:

* :class:`DatabaseCorrupted` - the on-disk data contradicts itself (a meta key points at a
  block that is not stored, the canonical index disagrees with best/finalized, an
  unsupported schema version, or the backend itself reports corruption).  Not recoverable
  without a resync.
* :class:`ForeignDatabase` - the database is well formed but belongs to another chain: its
  genesis hash is not the one the node was started with.
* :class:`UnknownBlock` - a block the caller named (or the parent of one being imported) is
  not in the database.
* :class:`StateDiscarded` - the state of a block existed once but has been pruned.
* :class:`IncompatibleDatabase` - a schema version, pruning mode or state version that this
  node cannot use on the existing database.
* :class:`StateRootMismatch` - an imported block's changes do not produce its state root.
* :class:`FinalityViolation` - a request would undo or skip finality (reorganise below the
  finalized block, finalize a non-canonical block or go backwards).
* :class:`BlockExists` - a block is imported a second time.
* :class:`EmptyDatabase` - opening a store that was never initialised with a genesis block.
* :class:`StoreClosed` - using a key-value store or write batch that is closed/spent.

Caller mistakes that are not about stored data (wrong types, a block number that does not
follow its parent's) stay ordinary ``TypeError``/``ValueError``.
"""

from __future__ import annotations


class StorageError(Exception):
    """Base class of all storage failures."""


class DatabaseCorrupted(StorageError):
    """Stored data is internally inconsistent or unreadable."""


def purge_hint(path: str | None) -> str:
    """The operator advice attached to errors that only a resync can fix."""
    where = f" --base-path {path}" if path else ""
    return (
        "the node will not reset it on its own; to start over, delete it with "
        f"`subtensor purge-chain{where}` and resync"
    )


class ForeignDatabase(StorageError):
    """The database was created for a different genesis block."""

    def __init__(self, expected: bytes, found: bytes, hint: str = "") -> None:
        message = f"database genesis 0x{found.hex()} differs from expected 0x{expected.hex()}"
        super().__init__(f"{message}: it belongs to another chain; {hint}" if hint else message)
        self.expected = expected
        self.found = found


class UnknownBlock(StorageError):
    """A block hash that the database does not hold."""

    def __init__(self, block_hash: bytes) -> None:
        super().__init__(f"unknown block 0x{block_hash.hex()}")
        self.block_hash = block_hash


class StateDiscarded(StorageError):
    """The state of a block has been pruned (or was never stored)."""


class IncompatibleDatabase(StorageError):
    """The database was written with another schema version, pruning mode or state version."""


class StateRootMismatch(StorageError):
    """The state root computed on import differs from the one the header claims."""


class FinalityViolation(StorageError):
    """An operation would revert, skip or contradict finality."""


class BlockExists(StorageError):
    """The block is already stored; importing it again would corrupt the leaf set."""

    def __init__(self, block_hash: bytes) -> None:
        super().__init__(f"block 0x{block_hash.hex()} already imported")
        self.block_hash = block_hash


class EmptyDatabase(StorageError):
    """The store holds no genesis block; initialise it before opening."""


class StoreClosed(StorageError):
    """The key-value store was closed, or the write batch was already committed/discarded."""
