"""Full block sync: download headers and bodies from peers, import them, then follow announces.

The sync service decides *what* to fetch; the network decides *how* (it implements :class:`BlockFetcher`,
declared here so ``consensus`` never imports ``network``). Three paths bring blocks in:

* **Catch-up.** While some peer reports a best block above ours, ask the best such peer for up to 128
  blocks ascending from our best number + 1 and import them in order, fetching the next batch while one
  is being imported. If the first block does not attach
  to a block we know (we are on another fork), search back for the common ancestor (one header per request,
  doubling the step) and download from there.
* **Announces.** A header announced by a peer whose parent we know is fetched by hash and imported at once;
  one whose parent we lack wakes the catch-up loop.
* **Bad data.** A block that fails import (bad seal, bad execution, root mismatch) or a response that is not
  what was asked for costs the serving peer reputation; the node keeps going with other peers.

Imports run in a worker thread (block execution is CPU-heavy); they are serialised by the chain's lock.
Progress is reported as Substrate does: ``⚙️  Syncing 12.3 bps, target=#1024 (2 peers), best: #512 …``.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

import trio

from consensus.chain import BlockImportError, Chain, ImportOutcome, UnimportableBlock
from runtime.primitives.header import Header
from runtime.scale import DecodeError

log = logging.getLogger("sync")

MAX_BLOCKS_PER_REQUEST = 128
GRANDPA_ENGINE_ID = b"FRNK"
MAJOR_SYNC_GAP = 5
"""More than this many blocks behind the best peer counts as major syncing (``system_health.isSyncing``)."""

BAD_BLOCK_COST = -(1 << 31)
"""Serving a block that fails verification or execution (bad seal, bad roots): fatal, the peer is banned."""
BAD_RESPONSE_COST = -(1 << 12)
"""A response that does not answer the request (wrong start, not a chain)."""


@dataclass(frozen=True, slots=True)
class PeerView:
    """What sync needs to know of a connected peer."""

    peer_id: str
    best_number: int
    best_hash: bytes


@dataclass(frozen=True, slots=True)
class FetchedBlock:
    """One block of a ``sync/2`` response: encoded header, encoded extrinsics, justifications."""

    header: bytes
    body: tuple[bytes, ...]
    justifications: tuple[tuple[bytes, bytes], ...] = ()

    def grandpa_justification(self) -> bytes | None:
        for engine, data in self.justifications:
            if engine == GRANDPA_ENGINE_ID:
                return data
        return None


class FetchError(Exception):
    """A block request failed (timeout, refused, peer gone)."""


class BlockFetcher(Protocol):
    """The network as sync sees it."""

    def sync_peers(self) -> Sequence[PeerView]: ...

    async def fetch_blocks(self, peer_id: str, *, from_number: int | None = None, from_hash: bytes | None = None,
                           ascending: bool = True, max_blocks: int = MAX_BLOCKS_PER_REQUEST,
                           bodies: bool = True) -> list[FetchedBlock]: ...

    def report(self, peer_id: str, change: int, reason: str) -> None: ...


ImportedCallback = Callable[[ImportOutcome, list[bytes]], Awaitable[None]]


@dataclass(frozen=True, slots=True)
class SyncState:
    starting_block: int
    current_block: int
    highest_block: int


class BlockSync:
    """Catch-up and announce-following for one chain (see the module docstring)."""

    def __init__(self, chain: Chain, fetcher: BlockFetcher, on_imported: ImportedCallback, *,
                 idle_poll_s: float = 1.0, clock: Callable[[], float] = time.monotonic) -> None:
        self.chain = chain
        self.fetcher = fetcher
        self.on_imported = on_imported
        self.idle_poll_s = idle_poll_s
        self.clock = clock
        self.starting_block = chain.db.best().number
        self.imported = 0
        self._wake = trio.Event()
        self._fetching: set[bytes] = set()  # announced blocks being fetched right now
        self._last_report: tuple[float, int] = (clock(), 0)

    # -- state ----------------------------------------------------------------------------------------

    def best_peer(self) -> PeerView | None:
        peers = sorted(self.fetcher.sync_peers(), key=lambda p: (-p.best_number, p.peer_id))
        return peers[0] if peers else None

    def target(self) -> int:
        peer = self.best_peer()
        return max(self.chain.db.best().number, peer.best_number if peer else 0)

    def is_major_syncing(self) -> bool:
        return self.target() - self.chain.db.best().number > MAJOR_SYNC_GAP

    def state(self) -> SyncState:
        return SyncState(self.starting_block, self.chain.db.best().number, self.target())

    def blocks_per_second(self) -> float:
        """Import rate since the previous call (the informant calls this once per period)."""
        now, count = self.clock(), self.imported
        then, before = self._last_report
        self._last_report = (now, count)
        return (count - before) / (now - then) if now > then else 0.0

    def wake(self) -> None:
        self._wake.set()

    # -- announces ------------------------------------------------------------------------------------

    async def on_announce(self, peer_id: str, encoded_header: bytes) -> None:
        """A peer announced a block: fetch and import it when it attaches, else wake catch-up."""
        try:
            header = Header.decode(encoded_header)
        except DecodeError:
            self.fetcher.report(peer_id, BAD_RESPONSE_COST, "undecodable announced header")
            return
        if self.chain.db.blocks.header(header.hash) is not None:
            return
        if self.chain.db.blocks.header(header.parent_hash) is None:
            self.wake()
            return
        if header.hash in self._fetching:  # several peers announce the same block: fetch it once
            return
        self._fetching.add(header.hash)
        try:
            try:
                blocks = await self.fetcher.fetch_blocks(peer_id, from_hash=header.hash, max_blocks=1)
            except FetchError as exc:
                log.debug("announced block 0x%s from %s: %s", header.hash.hex(), peer_id, exc)
                return
            if len(blocks) != 1 or blocks[0].header != encoded_header:
                self.fetcher.report(peer_id, BAD_RESPONSE_COST, "block response does not match the announce")
                return
            await self._import(peer_id, blocks)
        finally:
            self._fetching.discard(header.hash)

    # -- catch-up -------------------------------------------------------------------------------------

    async def run(self) -> None:
        """Catch up whenever a peer is ahead; otherwise wait for a wake-up or the poll period."""
        while True:
            peer = self.best_peer()
            progressed = False
            if peer is not None and peer.best_number > self.chain.db.best().number:
                progressed = await self.sync_from(peer)
            if not progressed:
                with trio.move_on_after(self.idle_poll_s):
                    await self._wake.wait()
                self._wake = trio.Event()

    async def sync_from(self, peer: PeerView) -> bool:
        """One catch-up step from ``peer``; True when at least one block was imported."""
        best = self.chain.db.best()
        try:
            blocks = await self.fetcher.fetch_blocks(peer.peer_id, from_number=best.number + 1)
        except FetchError as exc:
            log.debug("block request to %s failed: %s", peer.peer_id, exc)
            return False
        if not blocks:
            return False
        first = self._decode_or_report(peer.peer_id, blocks[0], "block response")
        if first is None:
            return False
        if first.number != best.number + 1:
            self.fetcher.report(peer.peer_id, BAD_RESPONSE_COST, "block response starts at the wrong height")
            return False
        if self.chain.db.blocks.header(first.parent_hash) is None:
            ancestor = await self.find_common_ancestor(peer, best.number)
            if ancestor is None:
                return False
            try:
                blocks = await self.fetcher.fetch_blocks(peer.peer_id, from_number=ancestor + 1)
            except FetchError:
                return False
        return await self._import_pipelined(peer, blocks)

    async def _import_pipelined(self, peer: PeerView, blocks: list[FetchedBlock]) -> bool:
        """Import ``blocks`` while the next batch is already being fetched, until the peer has no more."""
        progressed = False
        while blocks:
            last = self._decode_or_report(peer.peer_id, blocks[-1], "block response")
            if last is None:
                return progressed
            result: dict[str, Any] = {}

            async def import_batch(batch: list[FetchedBlock] = blocks) -> None:
                result["imported"] = await self._import(peer.peer_id, batch)

            async def prefetch(after: int = last.number) -> None:
                if after >= self._peer_best(peer):
                    return
                try:
                    result["next"] = await self.fetcher.fetch_blocks(peer.peer_id, from_number=after + 1)
                except FetchError as exc:
                    log.debug("block request to %s failed: %s", peer.peer_id, exc)

            async with trio.open_nursery() as nursery:
                nursery.start_soon(import_batch)
                nursery.start_soon(prefetch)
            progressed = progressed or result["imported"] > 0
            if self.chain.db.blocks.header(last.hash) is None:
                return progressed  # the batch failed part-way (already reported): drop the prefetched one
            blocks = result.get("next") or []
        return progressed

    def _decode_or_report(self, peer_id: str, block: FetchedBlock, where: str) -> Header | None:
        """The block's header, or None after charging the peer for an undecodable one."""
        try:
            return Header.decode(block.header)
        except DecodeError:
            self.fetcher.report(peer_id, BAD_RESPONSE_COST, f"undecodable header in {where}")
            return None

    def _peer_best(self, peer: PeerView) -> int:
        for view in self.fetcher.sync_peers():
            if view.peer_id == peer.peer_id:
                return view.best_number
        return peer.best_number

    async def find_common_ancestor(self, peer: PeerView, start: int) -> int | None:
        """The highest number at which the peer's chain has a block we know (genesis always matches)."""
        finalized = self.chain.db.finalized().number
        number, step = start, 1
        while number > finalized:
            try:
                got = await self.fetcher.fetch_blocks(peer.peer_id, from_number=number, max_blocks=1, bodies=False)
            except FetchError:
                return None
            if len(got) != 1:
                return None
            header = self._decode_or_report(peer.peer_id, got[0], "ancestor search")
            if header is None:
                return None
            if self.chain.db.blocks.header(header.hash) is not None:
                return number
            number, step = max(number - step, finalized), step * 2
        return finalized

    async def _import(self, peer_id: str, blocks: Sequence[FetchedBlock]) -> int:
        """Import ``blocks`` in order in a worker thread; returns how many were new."""

        def work() -> tuple[list[ImportOutcome], str | None]:
            outcomes: list[ImportOutcome] = []
            for block in blocks:
                try:
                    header = Header.decode(block.header)
                except DecodeError:
                    return outcomes, "undecodable header"
                if self.chain.db.blocks.header(header.hash) is not None:
                    continue
                try:
                    outcomes.append(self.chain.import_block(header, list(block.body),
                                                            block.grandpa_justification()))
                except UnimportableBlock as exc:
                    if self.chain.db.blocks.header(header.hash) is not None:
                        continue  # imported meanwhile through another path (an announce): fine
                    return outcomes, f"unimportable: {exc}"
                except BlockImportError as exc:
                    return outcomes, str(exc)
            return outcomes, None

        outcomes, error = await trio.to_thread.run_sync(work)
        for outcome in outcomes:
            self.imported += 1
            await self.on_imported(outcome, [])
        if error is not None and error.startswith("unimportable: "):
            log.debug("block from %s not imported: %s", peer_id, error)
        elif error is not None:
            log.warning("💔 Error importing block from %s: %s", peer_id, error)
            self.fetcher.report(peer_id, BAD_BLOCK_COST, f"bad block: {error}")
        return len(outcomes)
