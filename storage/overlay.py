"""The state overlay the runtime executes against: pending changes over committed state.

A block executes on top of the committed state of its parent (a :class:`StateReader`). Every write goes
into the overlay; nothing reaches the database until the block is committed. Storage transactions
(FRAME's ``with_transaction``: one per extrinsic dispatch, nested as needed) are undo logs, so a failed
dispatch rolls back exactly its own writes while reads stay O(1).

The overlay keeps a sorted index of changed keys so ``next_key`` and prefix iteration merge committed
and pending state in key order, as Substrate's ``next_storage_key`` does. It satisfies the runtime's
externalities protocol structurally; this module imports nothing from the runtime.
"""

from __future__ import annotations

from bisect import bisect_right, insort
from collections.abc import Iterator, Mapping
from typing import Protocol

from storage.errors import StorageError


class StateReader(Protocol):
    """Read access to committed state at one block."""

    def get(self, key: bytes) -> bytes | None: ...

    def next_key(self, key: bytes) -> bytes | None:
        """The smallest stored key strictly greater than ``key``."""
        ...


class TransactionError(StorageError):
    """Commit or rollback without an open storage transaction."""


class MemoryState:
    """A committed state held in a dict (genesis building and tests)."""

    def __init__(self, items: Mapping[bytes, bytes] | None = None) -> None:
        self._items = dict(items or {})
        self._keys = sorted(self._items)

    def get(self, key: bytes) -> bytes | None:
        return self._items.get(key)

    def next_key(self, key: bytes) -> bytes | None:
        i = bisect_right(self._keys, key)
        return self._keys[i] if i < len(self._keys) else None


_MISSING = object()  # "no pending change existed" in an undo log


class Overlay:
    """Pending changes over a :class:`StateReader`, with nested storage transactions."""

    def __init__(self, backend: StateReader) -> None:
        self._backend = backend
        self._changes: dict[bytes, bytes | None] = {}  # None marks a deletion
        self._sorted: list[bytes] = []
        self._undo: list[list[tuple[bytes, object]]] = []

    # -- reads ----------------------------------------------------------------------------------------

    def get(self, key: bytes) -> bytes | None:
        if key in self._changes:
            return self._changes[key]
        return self._backend.get(key)

    def exists(self, key: bytes) -> bool:
        return self.get(key) is not None

    def next_key(self, key: bytes) -> bytes | None:
        """The smallest existing key strictly greater than ``key`` (pending changes included)."""
        backend_key = self._backend.next_key(key)
        while backend_key is not None and self._changes.get(backend_key, b"") is None:
            backend_key = self._backend.next_key(backend_key)
        i = bisect_right(self._sorted, key)
        pending_key = None
        while i < len(self._sorted):
            candidate = self._sorted[i]
            if self._changes[candidate] is not None:
                pending_key = candidate
                break
            i += 1
        if backend_key is None:
            return pending_key
        if pending_key is None:
            return backend_key
        return min(backend_key, pending_key)

    def iterate(self, prefix: bytes = b"", start: bytes | None = None) -> Iterator[tuple[bytes, bytes]]:
        """Existing (key, value) pairs under ``prefix`` in key order, from ``start`` (inclusive)."""
        key = start if start is not None and start > prefix else prefix
        if self.get(key) is not None and key.startswith(prefix):
            yield key, self.get(key)  # type: ignore[misc]
        while True:
            nxt = self.next_key(key)
            if nxt is None or not nxt.startswith(prefix):
                return
            value = self.get(nxt)
            assert value is not None  # next_key only returns existing keys
            yield nxt, value
            key = nxt

    # -- writes ---------------------------------------------------------------------------------------

    def set(self, key: bytes, value: bytes) -> None:
        self._write(key, bytes(value))

    def clear(self, key: bytes) -> None:
        self._write(key, None)

    def clear_prefix(self, prefix: bytes, limit: int | None = None) -> int:
        """Delete existing keys under ``prefix`` (at most ``limit``); return how many were deleted."""
        doomed = []
        for key, _ in self.iterate(prefix):
            if limit is not None and len(doomed) >= limit:
                break
            doomed.append(key)
        for key in doomed:
            self._write(key, None)
        return len(doomed)

    def _write(self, key: bytes, value: bytes | None) -> None:
        if self._undo:
            self._undo[-1].append((key, self._changes.get(key, _MISSING)))
        if key not in self._changes:
            insort(self._sorted, key)
        self._changes[key] = value

    # -- storage transactions -----------------------------------------------------------------------

    @property
    def transaction_depth(self) -> int:
        return len(self._undo)

    def start_transaction(self) -> None:
        self._undo.append([])

    def commit_transaction(self) -> None:
        if not self._undo:
            raise TransactionError("no storage transaction to commit")
        log = self._undo.pop()
        if self._undo:
            # The parent must be able to undo these writes too if it rolls back.
            self._undo[-1].extend(log)

    def rollback_transaction(self) -> None:
        if not self._undo:
            raise TransactionError("no storage transaction to roll back")
        for key, previous in reversed(self._undo.pop()):
            if previous is _MISSING:
                del self._changes[key]
                self._sorted.pop(bisect_right(self._sorted, key) - 1)
            else:
                self._changes[key] = previous  # type: ignore[assignment]

    # -- results --------------------------------------------------------------------------------------

    def changes(self) -> dict[bytes, bytes | None]:
        """Pending changes in key order (None = delete); what a block commit writes."""
        if self._undo:
            raise TransactionError("storage transactions still open")
        return {key: self._changes[key] for key in self._sorted}
