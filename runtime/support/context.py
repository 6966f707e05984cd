"""The execution context handed to calls and hooks: storage access plus the assembled runtime.

A :class:`Context` is itself an :class:`Externalities` (it forwards storage calls), so storage items
accept either. It adds what pallets need from the runtime as a whole: depositing events (encoded with
the runtime's event enum), dispatching nested calls, and storage transactions as a context manager.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from runtime.support.dispatch import Origin, PostDispatchInfo
from runtime.support.externalities import Externalities

if TYPE_CHECKING:
    from runtime.construct import Runtime


class Context:
    """Storage plus runtime services for one execution."""

    __slots__ = ("ext", "runtime")

    def __init__(self, ext: Externalities, runtime: Runtime) -> None:
        self.ext = ext
        self.runtime = runtime

    # -- Externalities ---------------------------------------------------------------------------------

    def get(self, key: bytes) -> bytes | None:
        return self.ext.get(key)

    def set(self, key: bytes, value: bytes) -> None:
        self.ext.set(key, value)

    def clear(self, key: bytes) -> None:
        self.ext.clear(key)

    def clear_prefix(self, prefix: bytes, limit: int | None = None) -> int:
        return self.ext.clear_prefix(prefix, limit)

    def next_key(self, key: bytes) -> bytes | None:
        return self.ext.next_key(key)

    def start_transaction(self) -> None:
        self.ext.start_transaction()

    def commit_transaction(self) -> None:
        self.ext.commit_transaction()

    def rollback_transaction(self) -> None:
        self.ext.rollback_transaction()

    def storage_root(self) -> bytes:
        return self.ext.storage_root()

    def ordered_trie_root(self, values: Sequence[bytes], version: int) -> bytes:
        return self.ext.ordered_trie_root(values, version)

    # -- runtime services -------------------------------------------------------------------------------

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """Run a block of code in a storage transaction: committed on success, rolled back on error."""
        self.ext.start_transaction()
        try:
            yield
        except BaseException:
            self.ext.rollback_transaction()
            raise
        self.ext.commit_transaction()

    def deposit_event(self, event: tuple[str, Any], topics: Sequence[bytes] = ()) -> None:
        """Record an event (as built by an :class:`EventDef`) in ``System.Events``."""
        self.runtime.deposit_event(self, event, topics)

    def dispatch(self, origin: Origin, call: Any) -> PostDispatchInfo | None:
        """Dispatch a nested call (e.g. from Sudo or Utility) with the given origin."""
        return self.runtime.dispatch(self, origin, call)

    @property
    def block_number(self) -> int:
        return self.runtime.block_number(self)
