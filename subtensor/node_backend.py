"""The node's implementation of the RPC backends over the chain, the runtime and the pool.

All methods are synchronous and may do real work (runtime calls, trie walks); the RPC server runs them
in worker threads. Block notifications fan out to any number of subscribers through trio channels.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from typing import Any

import trio

from consensus.chain import Chain
from runtime.apis import UnknownApiMethod, call_api
from runtime.metadata.build import build_v14
from runtime.primitives.header import Header
from runtime.scale import DecodeError
from runtime.version import runtime_version
from storage.errors import StateDiscarded
from subtensor.rpc.backend import BlockEvent, RuntimeCallFailed, StateUnavailable, UnknownBlock


class BlockNotifier:
    """Fan-out of block events to subscribers (each gets its own bounded channel)."""

    def __init__(self) -> None:
        self._subscribers: list[trio.MemorySendChannel[BlockEvent]] = []

    def publish(self, event: BlockEvent) -> None:
        for channel in list(self._subscribers):
            try:
                channel.send_nowait(event)
            except (trio.WouldBlock, trio.BrokenResourceError, trio.ClosedResourceError):
                # A subscriber that cannot keep up is dropped rather than stalling import.
                self._subscribers.remove(channel)
                channel.close()

    async def subscribe(self) -> AsyncIterator[BlockEvent]:
        send, receive = trio.open_memory_channel[BlockEvent](1024)
        self._subscribers.append(send)
        try:
            async with receive:
                async for event in receive:
                    yield event
        finally:
            if send in self._subscribers:
                self._subscribers.remove(send)
            send.close()


class NodeChainBackend:
    """``ChainBackend`` over a :class:`Chain`."""

    def __init__(self, chain: Chain, notifier: BlockNotifier) -> None:
        self.chain = chain
        self.notifier = notifier

    def genesis_hash(self) -> bytes:
        return self.chain.genesis_hash()

    def best_hash(self) -> bytes:
        return self.chain.best_hash()

    def finalized_hash(self) -> bytes:
        return self.chain.finalized_hash()

    def header(self, block_hash: bytes) -> Header | None:
        return self.chain.header(block_hash)

    def body(self, block_hash: bytes) -> list[bytes] | None:
        return self.chain.body(block_hash)

    def justifications(self, block_hash: bytes) -> list[tuple[bytes, bytes]] | None:
        raw = self.chain.db.blocks.justification(block_hash)
        return None if raw is None else [(b"FRNK", raw)]

    def hash_at(self, number: int) -> bytes | None:
        return self.chain.db.blocks.hash_at(number)

    def _view(self, at: bytes) -> Any:
        if self.chain.db.blocks.header(at) is None:
            raise UnknownBlock(f"Header was not found in the database: 0x{at.hex()}")
        try:
            return self.chain.state_view(at)
        except StateDiscarded as exc:
            raise StateUnavailable(f"State already discarded for 0x{at.hex()}") from exc

    def storage(self, at: bytes, key: bytes) -> bytes | None:
        return self._view(at).get(key)  # type: ignore[no-any-return]

    def storage_keys(self, at: bytes, prefix: bytes, count: int, start_key: bytes | None) -> list[bytes]:
        view = self._view(at)
        keys: list[bytes] = []
        key = start_key if start_key is not None and start_key > prefix else prefix
        if (start_key is None or start_key < prefix) and view.get(prefix) is not None:
            keys.append(prefix)
        while len(keys) < count:
            key = view.next_key(key)
            if key is None or not key.startswith(prefix):
                break
            keys.append(key)
        return keys

    def read_proof(self, at: bytes, keys: Sequence[bytes]) -> list[bytes]:
        self._view(at)
        return self.chain.db.read_proof(at, list(keys))

    def runtime_call(self, at: bytes, method: str, data: bytes) -> bytes:
        self._view(at)
        state = self.chain.block_state(at)
        try:
            return call_api(self.chain.runtime.context(state), method, data)
        except UnknownApiMethod as exc:
            raise RuntimeCallFailed(str(exc)) from exc
        except DecodeError as exc:
            raise RuntimeCallFailed(f"Execution failed: could not decode the arguments of {method}: {exc}") from exc
        except Exception as exc:  # the runtime raised: report it like a wasm trap
            raise RuntimeCallFailed(f"Execution failed: {type(exc).__name__}: {exc}") from exc

    def runtime_version(self, at: bytes) -> dict[str, Any]:
        self._view(at)
        return runtime_version()

    def metadata(self, at: bytes) -> bytes:
        self._view(at)
        return build_v14(self.chain.runtime)

    def subscribe_blocks(self) -> AsyncIterator[BlockEvent]:
        return self.notifier.subscribe()
