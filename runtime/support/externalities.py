"""The externalities protocol: everything the runtime may ask of its host.

Mirrors Substrate's host functions for storage (get/set/clear/clear_prefix/next_key), nested storage
transactions, and the two trie roots the runtime needs when it finalizes a block. The client side
(storage.overlay plus the state database) implements it; the runtime never imports that code.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol


class Externalities(Protocol):
    """Storage access for one block's execution."""

    def get(self, key: bytes) -> bytes | None: ...

    def set(self, key: bytes, value: bytes) -> None: ...

    def clear(self, key: bytes) -> None: ...

    def clear_prefix(self, prefix: bytes, limit: int | None = None) -> int: ...

    def next_key(self, key: bytes) -> bytes | None: ...

    def start_transaction(self) -> None: ...

    def commit_transaction(self) -> None: ...

    def rollback_transaction(self) -> None: ...

    def storage_root(self) -> bytes:
        """The state root of the current state (committed parent plus all pending changes)."""
        ...

    def ordered_trie_root(self, values: Sequence[bytes], version: int) -> bytes:
        """The ordered trie root of ``values`` (keys are ``Compact<u32>`` indices)."""
        ...
