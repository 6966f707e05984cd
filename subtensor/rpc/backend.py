"""What the RPC layer needs from the node, as Protocols (the service provides the implementations).

The RPC modules only talk to these interfaces, so they can be tested against in-memory fakes and the
node can change underneath without touching them.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from runtime.primitives.header import Header


class UnknownBlock(LookupError):
    """The named block is not known to the node."""


class StateUnavailable(LookupError):
    """The block is known but its state was pruned (message mirrors Substrate's)."""


class RuntimeCallFailed(Exception):
    """A runtime API call failed (unknown method, undecodable input, or the runtime raised)."""


@dataclass(frozen=True, slots=True)
class BlockEvent:
    """A new best or finalized block, as pushed to subscribers."""

    hash: bytes
    header: Header
    is_best: bool = False
    is_finalized: bool = False


class ChainBackend(Protocol):
    """Read access to blocks and state, and runtime calls (all ``at`` are block hashes)."""

    def genesis_hash(self) -> bytes: ...

    def best_hash(self) -> bytes: ...

    def finalized_hash(self) -> bytes: ...

    def header(self, block_hash: bytes) -> Header | None: ...

    def body(self, block_hash: bytes) -> list[bytes] | None:
        """The block's extrinsics, each the full encoding (length prefix included)."""
        ...

    def justifications(self, block_hash: bytes) -> list[tuple[bytes, bytes]] | None: ...

    def hash_at(self, number: int) -> bytes | None:
        """The canonical block hash at ``number``."""
        ...

    def storage(self, at: bytes, key: bytes) -> bytes | None:
        """Raises StateUnavailable for pruned state, UnknownBlock for unknown blocks."""
        ...

    def storage_keys(self, at: bytes, prefix: bytes, count: int, start_key: bytes | None) -> list[bytes]:
        """Up to ``count`` keys with ``prefix``, strictly after ``start_key`` when given, in order."""
        ...

    def read_proof(self, at: bytes, keys: Sequence[bytes]) -> list[bytes]: ...

    def runtime_call(self, at: bytes, method: str, data: bytes) -> bytes:
        """Run a runtime API (``Core_version``…) on the state of ``at``; RuntimeCallFailed on error."""
        ...

    def runtime_version(self, at: bytes) -> dict[str, Any]:
        """The RuntimeVersion value (as ``runtime.version.runtime_version`` returns it)."""
        ...

    def metadata(self, at: bytes) -> bytes:
        """The prefixed V14 metadata (``state_getMetadata``)."""
        ...

    def subscribe_blocks(self) -> AsyncIterator[BlockEvent]:
        """Every imported block that became best, and every newly finalized block, in order."""
        ...


class TransactionStatus(Protocol):
    """One status update of a watched transaction (future, ready, broadcast, inBlock, …)."""


@dataclass(frozen=True, slots=True)
class PoolStatus:
    """A watched transaction's update in Substrate's JSON form, e.g. ``"ready"`` or ``{"inBlock": "0x…"}``."""

    value: Any
    final: bool = False


class SubmitError(Exception):
    """The pool refused a transaction; ``code``/``message``/``data`` follow Substrate's author errors."""

    def __init__(self, code: int, message: str, data: Any = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.data = data


class TransactionPoolBackend(Protocol):
    """Submission and inspection of pending transactions."""

    async def submit(self, extrinsic: bytes) -> bytes:
        """Validate and add; returns the transaction hash or raises SubmitError."""
        ...

    async def submit_and_watch(self, extrinsic: bytes) -> AsyncIterator[PoolStatus]:
        """Validate and add, then yield status updates until a final one; SubmitError if refused."""
        ...

    def pending(self) -> list[bytes]: ...

    def remove(self, hashes: Sequence[bytes]) -> list[bytes]: ...

    def account_next_index(self, account: bytes) -> int:
        """Runtime nonce plus the pool's ready transactions from ``account``."""
        ...


@dataclass(frozen=True)
class NodeInfo:
    """Static and slowly changing facts for ``system_*``."""

    name: str = "pysubtensor"
    version: str = "0.1.0"
    chain: str = "Development"
    chain_type: str = "Development"
    properties: dict[str, Any] = field(default_factory=dict)
    roles: tuple[str, ...] = ("Authority",)
    local_peer_id: str = ""
    listen_addresses: tuple[str, ...] = ()


class NetworkBackend(Protocol):
    """Peer facts for ``system_health``/``system_peers``/``system_syncState`` (stubs until networking)."""

    def peers(self) -> list[dict[str, Any]]: ...

    def is_syncing(self) -> bool: ...

    def sync_state(self) -> dict[str, int]: ...
