"""The trio driver of the GRANDPA voter: gossip in, timer ticks, block events; gossip, reports, finality out.

The voter (:mod:`consensus.grandpa.voter`) is sans-IO; this service feeds it and carries out what it
returns. The network side is a :class:`GossipNetwork` (payloads stay opaque bytes: the libp2p layer
frames them on ``/{genesis}/grandpa/1``) plus an inbound ``trio.MemoryReceiveChannel`` of
``(peer_id, bytes)``; finality goes to a :class:`FinalityTarget` (the chain) in a worker thread,
since finalizing prunes state. Every call into the voter happens under one lock, so the voter sees
one event at a time and its outputs are carried out in order.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Protocol

import trio

from consensus.authoring import Clock, SystemClock
from consensus.grandpa.voter import (
    Broadcast, EquivocationDetected, Finalized, Output, PeerId, Report, SendTo, Voter,
)

log = logging.getLogger("consensus.grandpa")


class GossipNetwork(Protocol):
    """GRANDPA gossip out. Calls must not block (a network implementation queues internally)."""

    def broadcast(self, data: bytes) -> None: ...

    def send(self, peer_id: PeerId, data: bytes) -> None: ...

    def report(self, peer_id: PeerId, change: int, reason: str) -> None: ...


class FinalityTarget(Protocol):
    """Where finality lands: ``Chain.finalize`` (stores the justification, moves the finalized block)."""

    def finalize(self, block_hash: bytes, justification: bytes | None = None) -> None: ...


class GrandpaService:
    """Runs one voter until cancelled."""

    def __init__(self, voter: Voter, network: GossipNetwork, target: FinalityTarget,
                 inbound: trio.MemoryReceiveChannel[tuple[PeerId, bytes]], *, tick_ms: int = 100,
                 clock: Clock | None = None,
                 on_finalized: Callable[[bytes, int], Awaitable[None]] | None = None,
                 finalize_in_thread: bool = True) -> None:
        self.voter = voter
        self.network = network
        self.target = target
        self.inbound = inbound
        self.tick_ms = tick_ms
        self.clock = clock or SystemClock()
        self.on_finalized = on_finalized
        self.finalize_in_thread = finalize_in_thread  # off for in-memory targets (and trio's MockClock)
        self._lock = trio.Lock()
        self._block_event = trio.Event()

    def notify_block_imported(self) -> None:
        """A block was imported or the best block changed (callable from the trio thread)."""
        self._block_event.set()

    async def peer_connected(self, peer_id: PeerId) -> None:
        await self._call(lambda now: self.voter.on_peer_connected(peer_id, now))

    async def run(self) -> None:
        async with trio.open_nursery() as nursery:
            nursery.start_soon(self._inbound_loop)
            nursery.start_soon(self._timer_loop)
            nursery.start_soon(self._block_loop)

    async def _inbound_loop(self) -> None:
        async for peer_id, data in self.inbound:
            await self._call(lambda now, p=peer_id, d=data: self.voter.on_message(p, d, now))

    async def _timer_loop(self) -> None:
        while True:
            await trio.sleep(self.tick_ms / 1000)
            await self._call(self.voter.on_tick)

    async def _block_loop(self) -> None:
        while True:
            await self._block_event.wait()
            self._block_event = trio.Event()
            await self._call(self.voter.on_block_imported)

    async def _call(self, event: Callable[[int], list[Output]]) -> None:
        async with self._lock:
            for output in event(self.clock.now_ms()):
                await self._carry_out(output)

    async def _carry_out(self, output: Output) -> None:
        if isinstance(output, Broadcast):
            self.network.broadcast(output.data)
        elif isinstance(output, SendTo):
            self.network.send(output.peer, output.data)
        elif isinstance(output, Report):
            log.debug("GRANDPA: reporting peer %s (%d): %s", output.peer, output.change, output.reason)
            self.network.report(output.peer, output.change, output.reason)
        elif isinstance(output, Finalized):
            await self._finalize(output)
        elif isinstance(output, EquivocationDetected):
            log.warning("GRANDPA: equivocation by 0x%s in round %d", output.equivocation.voter.hex(),
                        output.equivocation.round_number)

    async def _finalize(self, output: Finalized) -> None:
        try:
            if self.finalize_in_thread:
                await trio.to_thread.run_sync(self.target.finalize, output.hash, output.justification)
            else:
                self.target.finalize(output.hash, output.justification)
        except Exception as exc:  # e.g. the block is not on our best chain yet: later rounds will retry
            log.warning("GRANDPA: could not finalize #%d 0x%s: %s", output.number, output.hash.hex(), exc)
            self.voter.on_finality_failed()
            return
        log.debug("👴 GRANDPA finalized #%d (0x%s)", output.number, output.hash.hex())
        if self.on_finalized is not None:
            await self.on_finalized(output.hash, output.number)
