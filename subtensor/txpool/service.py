"""The trio face of the pool: the RPC layer's ``TransactionPoolBackend`` plus watchers and maintenance.

Validation executes the runtime, so it runs in a worker thread (``trio.to_thread.run_sync``); the pool
itself is only touched from the event loop, between awaits, so it needs no locking. Maintenance is
serialised by a lock and split around the validation step (see ``TransactionPool.begin_maintenance``).
"""

from __future__ import annotations

import math
from collections.abc import AsyncIterator, Callable, Iterable, Mapping, Sequence
from typing import Any

import trio

from runtime.primitives.extrinsic import extrinsic_hash
from subtensor.rpc.backend import PoolStatus, SubmitError
from subtensor.txpool.errors import PoolError
from subtensor.txpool.pool import TransactionPool


def to_submit_error(error: PoolError) -> SubmitError:
    return SubmitError(error.code, error.message, error.data)


class PoolService:
    """Implements ``subtensor.rpc.backend.TransactionPoolBackend`` over a :class:`TransactionPool`.

    ``account_nonce(account)`` is the runtime's nonce for ``account`` at the best block
    (``AccountNonceApi_account_nonce``).
    """

    def __init__(self, pool: TransactionPool, account_nonce: Callable[[bytes], int]) -> None:
        self.pool = pool
        self._account_nonce = account_nonce
        self._watchers: dict[bytes, list[trio.MemorySendChannel[PoolStatus]]] = {}
        self._maintenance = trio.Lock()
        pool.add_listener(self._on_status)

    # -- watchers -------------------------------------------------------------------------------------

    def watch(self, tx_hash: bytes) -> trio.MemoryReceiveChannel[PoolStatus]:
        """A channel of the transaction's statuses; it closes after a final one."""
        return self._watch(tx_hash)[1]

    def _watch(
        self, tx_hash: bytes
    ) -> tuple[trio.MemorySendChannel[PoolStatus], trio.MemoryReceiveChannel[PoolStatus]]:
        send, receive = trio.open_memory_channel[PoolStatus](math.inf)
        self._watchers.setdefault(tx_hash, []).append(send)
        return send, receive

    def _unwatch(self, tx_hash: bytes, channel: trio.MemorySendChannel[PoolStatus]) -> None:
        channels = self._watchers.get(tx_hash)
        if channels and channel in channels:
            channels.remove(channel)
            if not channels:
                del self._watchers[tx_hash]
        channel.close()

    def _on_status(self, tx_hash: bytes, value: Any, final: bool) -> None:
        channels = self._watchers.get(tx_hash)
        if not channels:
            return
        status = PoolStatus(value, final)
        for channel in list(channels):
            try:
                channel.send_nowait(status)
            except (trio.BrokenResourceError, trio.ClosedResourceError):
                self._unwatch(tx_hash, channel)
                continue
            if final:
                self._unwatch(tx_hash, channel)

    @property
    def watched(self) -> int:
        return sum(len(c) for c in self._watchers.values())

    # -- TransactionPoolBackend -----------------------------------------------------------------------

    async def _validate_and_import(self, extrinsic: bytes, *, watch: bool) -> tuple[bytes, Any]:
        pool = self.pool
        try:
            pool.check_format(extrinsic, watch=watch)
            tx_hash = extrinsic_hash(extrinsic)
            pool.check_known(tx_hash)
        except PoolError as exc:
            raise to_submit_error(exc) from exc
        at_hash, at_number = pool.best()
        result = await trio.to_thread.run_sync(pool.run_validate, at_hash, extrinsic)
        sender, receiver = self._watch(tx_hash) if watch else (None, None)
        try:
            pool.import_validated(extrinsic, result, at_number, tx_hash=tx_hash)
        except PoolError as exc:
            if sender is not None and receiver is not None:
                self._unwatch(tx_hash, sender)
                receiver.close()
            raise to_submit_error(exc) from exc
        return tx_hash, receiver

    async def submit(self, extrinsic: bytes) -> bytes:
        tx_hash, _ = await self._validate_and_import(extrinsic, watch=False)
        return tx_hash

    async def submit_and_watch(self, extrinsic: bytes) -> AsyncIterator[PoolStatus]:
        """Await to submit (SubmitError if refused); the result iterates statuses up to a final one."""
        _, receiver = await self._validate_and_import(extrinsic, watch=True)
        return _statuses(receiver)

    def pending(self) -> list[bytes]:
        return self.pool.pending()

    def remove(self, hashes: Sequence[bytes]) -> list[bytes]:
        return self.pool.remove(hashes)

    def account_next_index(self, account: bytes) -> int:
        return self.pool.account_next_index(account, self._account_nonce(account))

    # -- node side ------------------------------------------------------------------------------------

    async def on_block_imported(
        self,
        block_hash: bytes,
        number: int,
        extrinsic_hashes: Iterable[bytes],
        retracted_extrinsics: Iterable[bytes] = (),
        retracted_blocks: Iterable[bytes] = (),
    ) -> None:
        """Maintenance for a new best block, revalidating in a worker thread."""
        async with self._maintenance:
            work = self.pool.begin_maintenance(
                block_hash, number, extrinsic_hashes, retracted_extrinsics, retracted_blocks)
            if work.extrinsics:
                run = self.pool.run_validate
                results = await trio.to_thread.run_sync(
                    lambda: [run(work.block_hash, xt) for xt in work.extrinsics])
            else:
                results = []
            self.pool.finish_maintenance(work, results)

    def on_block_finalized(self, block_hash: bytes, included_hashes: Iterable[bytes] = ()) -> None:
        self.pool.on_block_finalized(block_hash, included_hashes)

    def on_broadcasted(self, propagated: Mapping[bytes, Sequence[str]]) -> None:
        self.pool.on_broadcasted(propagated)


async def _statuses(receiver: trio.MemoryReceiveChannel[PoolStatus]) -> AsyncIterator[PoolStatus]:
    async with receiver:
        async for status in receiver:
            yield status
            if status.final:
                return


__all__ = ["PoolService", "to_submit_error"]
