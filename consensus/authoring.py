"""Block authoring: the Aura slot worker and the dev sealing modes (instant, manual, interval).

The worker owns the only clock read in consensus (through an injected :class:`Clock`). Each trigger —
a new slot we own, a transaction arriving (instant), an ``engine_createBlock`` call (manual), or a
timer (interval) — builds a block on the best block through :class:`~consensus.chain.Chain` in a
worker thread, imports it through the same path as a peer's block, and reports the outcome.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from typing import Protocol

import trio

from consensus import aura
from consensus.chain import BlockImportError, Chain, ImportOutcome
from consensus.mev_shield import ShieldAuthor
from runtime.pallets import aura as aura_pallet
from runtime.primitives.keys import Keypair

log = logging.getLogger("consensus.authoring")


class Clock(Protocol):
    def now_ms(self) -> int: ...


class SystemClock:
    def now_ms(self) -> int:
        return time.time_ns() // 1_000_000


class ReadyTransactions(Protocol):
    """What authoring needs from the pool: the ready transactions in block order."""

    def ready(self) -> Iterable[tuple[bytes, bytes]]: ...


@dataclass(frozen=True, slots=True)
class AuthoringConfig:
    slot_duration_ms: int
    sealing: str = "aura"  # aura | instant | manual | interval
    interval_ms: int = 1000
    max_extrinsics: int = 10_000


class Author:
    """Produces blocks for one authority key according to the sealing mode."""

    def __init__(self, chain: Chain, key: Keypair, pool: ReadyTransactions, config: AuthoringConfig,
                 on_imported: Callable[[ImportOutcome, list[bytes]], Awaitable[None]],
                 clock: Clock | None = None, shield: ShieldAuthor | None = None) -> None:
        self.chain = chain
        self.shield = shield  # the MEV shield's author side (key inherent, unshielding), if enabled
        self.key = key
        self.pool = pool
        self.config = config
        self.on_imported = on_imported
        self.clock = clock or SystemClock()
        self._wake = trio.Event()

    def notify_transaction(self) -> None:
        """A transaction arrived (instant sealing builds right away)."""
        if self.config.sealing == "instant":
            self._wake.set()

    async def create_block(self) -> ImportOutcome | None:
        """Build one block now (``engine_createBlock`` and the instant/interval modes)."""
        parent = self.chain.header(self.chain.best_hash())
        assert parent is not None
        parent_slot = aura.find_slot(parent) if parent.number > 0 else 0
        slot = max(self.clock.now_ms() // self.config.slot_duration_ms, parent_slot + 1)
        return await self._produce(slot)

    async def seal_block(self, create_empty: bool, finalize: bool, parent_hash: bytes | None) -> bytes:
        """``engine_createBlock``: build on the best block now (raises ValueError when nothing is built)."""
        if parent_hash is not None and parent_hash != self.chain.best_hash():
            raise ValueError("building on a block other than the best block is not supported")
        outcome = await self.create_block()
        if outcome is None:
            raise ValueError("no block was produced")
        if finalize and outcome.finalized is None:
            await trio.to_thread.run_sync(self.chain.finalize, outcome.hash)
        return outcome.hash

    async def finalize(self, block_hash: bytes) -> bool:
        """``engine_finalizeBlock``."""
        try:
            await trio.to_thread.run_sync(self.chain.finalize, block_hash)
        except Exception:  # unknown or conflicting block: Substrate answers false
            return False
        return True

    async def _produce(self, slot: int) -> ImportOutcome | None:
        def work() -> tuple[ImportOutcome, list[bytes]] | None:
            best = self.chain.best_hash()
            authorities = aura_pallet.authorities(self.chain.state_view(best))
            if self.config.sealing == "aura" and aura.slot_author(slot, authorities) != self.key.public:
                return None
            built = self.chain.build_block(best, slot * self.config.slot_duration_ms, slot, self.key,
                                           self.pool.ready(), self.config.max_extrinsics, shield=self.shield)
            outcome = self.chain.import_block(built.header, built.body, own=True)
            return outcome, built.included

        try:
            result = await trio.to_thread.run_sync(work)
        except BlockImportError as exc:
            log.warning("🙌 Failed to author a block in slot %d: %s", slot, exc)
            return None
        if result is None:
            return None
        outcome, included = result
        await self.on_imported(outcome, included)
        return outcome

    async def run(self) -> None:
        """Author until cancelled."""
        mode = self.config.sealing
        if mode == "aura":
            await self._run_slots()
        elif mode == "interval":
            while True:
                await trio.sleep(self.config.interval_ms / 1000)
                await self.create_block()
        elif mode == "instant":
            while True:
                await self._wake.wait()
                self._wake = trio.Event()
                await self.create_block()
        elif mode == "manual":
            await trio.sleep_forever()
        else:
            raise ValueError(f"unknown sealing mode {mode!r}")

    async def _run_slots(self) -> None:
        duration = self.config.slot_duration_ms
        last_slot = -1
        while True:
            now = self.clock.now_ms()
            slot = now // duration
            if slot > last_slot:
                last_slot = slot
                parent = self.chain.header(self.chain.best_hash())
                parent_slot = aura.find_slot(parent) if parent is not None and parent.number > 0 else -1
                if slot > parent_slot:
                    await self._produce(slot)
            next_start = (self.clock.now_ms() // duration + 1) * duration
            await trio.sleep(max(next_start - self.clock.now_ms(), 0) / 1000)
