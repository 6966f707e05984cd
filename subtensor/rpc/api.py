"""What every RPC handler receives: the node's backends, the block fan-out, and a thread offload.

:class:`BlockHub` reads ``ChainBackend.subscribe_blocks()`` once and copies each event into a bounded
memory channel per listener; a listener that falls ``buffer`` events behind is cut off (its stream ends),
like jsonrpsee drops a lagging subscription, so one slow client cannot stall the others.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol, TypeVar

import trio

from subtensor.rpc import errors
from subtensor.rpc.backend import (
    BlockEvent, ChainBackend, NetworkBackend, NodeInfo, StateUnavailable, TransactionPoolBackend, UnknownBlock,
)

T = TypeVar("T")
log = logging.getLogger(__name__)


class Keystore(Protocol):
    """Session-key storage for the unsafe ``author_*`` key methods."""

    def insert_key(self, key_type: str, suri: str, public: bytes) -> None: ...

    def has_key(self, public: bytes, key_type: str) -> bool: ...

    def rotate_keys(self) -> bytes:
        """Generate new session keys in the keystore; returns their SCALE-encoded public keys."""
        ...

    def has_session_keys(self, session_keys: bytes) -> bool: ...


class BlockHub:
    """Fans ``subscribe_blocks()`` out to any number of listeners."""

    def __init__(self, chain: ChainBackend, buffer: int = 256) -> None:
        self._chain = chain
        self._buffer = buffer
        self._listeners: set[trio.MemorySendChannel[BlockEvent]] = set()

    def listen(self) -> trio.MemoryReceiveChannel[BlockEvent]:
        """A channel of every event from now on; close it to stop listening."""
        send, receive = trio.open_memory_channel[BlockEvent](self._buffer)
        self._listeners.add(send)
        return receive

    def attach(self, send: trio.MemorySendChannel[Any]) -> None:
        """Copy events into a channel the caller also writes to (closed by the hub when lagging)."""
        self._listeners.add(send)

    @property
    def listener_count(self) -> int:
        """Listeners whose receiving end is still open."""
        return sum(1 for send in self._listeners if send.statistics().open_receive_channels)

    def publish(self, event: BlockEvent) -> None:
        for send in list(self._listeners):
            try:
                send.send_nowait(event)
            except trio.WouldBlock:  # lagging: end its stream
                send.close()
                self._listeners.discard(send)
            except (trio.BrokenResourceError, trio.ClosedResourceError):
                self._listeners.discard(send)

    async def run(self, *, task_status: trio.TaskStatus[None] = trio.TASK_STATUS_IGNORED) -> None:
        task_status.started()
        try:
            async for event in self._chain.subscribe_blocks():
                self.publish(event)
        except Exception:  # the RPC server keeps answering calls; only the subscriptions end
            log.exception("block notifications stopped")
        finally:
            for send in self._listeners:
                send.close()
            self._listeners.clear()


@dataclass
class RpcApi:
    """The backends behind the RPC methods. ``blocking_threads`` bounds concurrent offloaded calls."""

    chain: ChainBackend
    pool: TransactionPoolBackend
    network: NetworkBackend
    info: NodeInfo = field(default_factory=NodeInfo)
    keystore: Keystore | None = None
    blocking_threads: int = 4
    hub: BlockHub = field(init=False)
    # per-namespace registries that outlive one call (chainHead follows, broadcasts), by namespace
    registries: dict[str, dict[str, Any]] = field(init=False, default_factory=dict)
    _limiter: trio.CapacityLimiter | None = field(init=False, default=None)

    def __post_init__(self) -> None:
        self.hub = BlockHub(self.chain)

    async def blocking(self, fn: Callable[..., T], *args: Any) -> T:
        """Run a possibly slow backend call (runtime call, key scan) on a worker thread."""
        if self._limiter is None:
            self._limiter = trio.CapacityLimiter(self.blocking_threads)
        return await trio.to_thread.run_sync(fn, *args, limiter=self._limiter)

    def registry(self, name: str) -> dict[str, Any]:
        return self.registries.setdefault(name, {})

    def at(self, block: bytes | None) -> bytes:
        """``at`` omitted or null means the best block; an unknown hash is a 4003 error."""
        if block is None:
            return self.chain.best_hash()
        if self.chain.header(block) is None:
            raise errors.unknown_block(block)
        return block

    def storage(self, at: bytes, key: bytes) -> bytes | None:
        try:
            return self.chain.storage(at, key)
        except (UnknownBlock, StateUnavailable) as exc:
            raise errors.from_backend(exc, at) from None
