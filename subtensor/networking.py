"""Wiring between the libp2p network, block sync, GRANDPA, the transaction pool and RPC.

``network/`` and ``consensus/`` never import each other; each declares the small Protocols it needs and
this module implements them over the node's objects:

* for the network: :class:`network.interfaces.ChainInfo` and :class:`network.sync.BlockSource` (serving
  ``sync/2`` from the block database: :class:`ChainBlockSource`) and :class:`network.interfaces.NetworkEvents`
  (what peers did: :class:`NetworkBridge`);
* for sync: :class:`consensus.sync.BlockFetcher` (block requests through the network: :class:`NetworkFetcher`);
* for GRANDPA: :class:`consensus.grandpa.service.GossipNetwork`;
* for RPC: the ``NetworkBackend`` behind ``system_health``, ``system_peers`` and ``system_syncState``.

Peer callbacks run inline on the peer's substream, so anything slow (fetching and importing an announced
block, validating received transactions) is started as a task in the node's nursery.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import trio

from consensus.chain import Chain
from consensus.sync import GRANDPA_ENGINE_ID, BlockSync, FetchedBlock, FetchError, PeerView
from network.config import NetworkConfig, Roles
from network.request_response import RequestFailed
from network.service import NetworkService
from network.sync import BlockAttributes, Direction, SyncError
from runtime.primitives.extrinsic import extrinsic_hash

if TYPE_CHECKING:
    from subtensor.service import Node

log = logging.getLogger("sync")

BAD_TRANSACTION_COST = -(1 << 10)
"""A peer gossiping a transaction that fails validation (Substrate's ``BAD_TRANSACTION``-like cost)."""
GRANDPA_INBOUND_BUFFER = 4096


def network_config(node: Node) -> NetworkConfig:
    """The network configuration from the node's command line and chain spec."""
    config = node.config
    boot = tuple(config.bootnodes) + tuple(str(a) for a in node.document.get("bootNodes") or ())
    return NetworkConfig(
        node_key=node.node_secret,
        genesis_hash=node.chain.genesis_hash(),
        protocol_id=str(node.document.get("protocolId") or "bittensor"),
        fork_id=node.document.get("forkId"),
        listen_addresses=config.listen_addrs or (f"/ip4/0.0.0.0/tcp/{config.port}",),
        bootnodes=tuple(dict.fromkeys(a for a in boot if not a.endswith(node.peer_id))),
        reserved_peers=tuple(config.reserved_nodes),
        reserved_only=config.reserved_only,
        roles=Roles.AUTHORITY if config.validator else Roles.FULL,
        in_peers=config.in_peers,
        out_peers=config.out_peers,
        enable_mdns=config.mdns,
        node_name=config.name,
    )


class ChainBlockSource:
    """``ChainInfo`` and ``BlockSource`` over a chain (``BlockSource`` calls come from a worker thread)."""

    def __init__(self, chain: Chain) -> None:
        self.chain = chain

    def genesis_hash(self) -> bytes:
        return self.chain.genesis_hash()

    def best(self) -> tuple[int, bytes]:
        ref = self.chain.db.best()
        return ref.number, ref.hash

    def hash_at(self, number: int) -> bytes | None:
        return self.chain.db.blocks.hash_at(number)

    def number_of(self, block_hash: bytes) -> int | None:
        header = self.chain.header(block_hash)
        return None if header is None else header.number

    def header(self, block_hash: bytes) -> bytes | None:
        return self.chain.db.blocks.header(block_hash)

    def body(self, block_hash: bytes) -> list[bytes] | None:
        return self.chain.body(block_hash)

    def justifications(self, block_hash: bytes) -> list[tuple[bytes, bytes]] | None:
        raw = self.chain.db.blocks.justification(block_hash)
        return None if raw is None else [(GRANDPA_ENGINE_ID, raw)]


class NetworkFetcher:
    """``consensus.sync.BlockFetcher`` over the network service's ``sync/2`` requests."""

    def __init__(self, service: NetworkService) -> None:
        self.service = service

    def sync_peers(self) -> Sequence[PeerView]:
        return [PeerView(p.peer_id, p.best_number, p.best_hash) for p in self.service.peers()]

    async def fetch_blocks(self, peer_id: str, *, from_number: int | None = None, from_hash: bytes | None = None,
                           ascending: bool = True, max_blocks: int = 128,
                           bodies: bool = True) -> list[FetchedBlock]:
        fields = BlockAttributes.HEADER | BlockAttributes.JUSTIFICATION
        if bodies:
            fields |= BlockAttributes.BODY
        try:
            blocks = await self.service.request_blocks(
                peer_id, from_hash=from_hash, from_number=from_number,
                direction=Direction.ASCENDING if ascending else Direction.DESCENDING, max_blocks=max_blocks,
                fields=fields)
        except (RequestFailed, SyncError) as exc:
            raise FetchError(str(exc)) from exc
        out: list[FetchedBlock] = []
        for block in blocks:
            if block.header is None:
                raise FetchError("block response without a header")
            out.append(FetchedBlock(block.header, tuple(block.body or ()), tuple(block.justifications or ())))
        return out

    def report(self, peer_id: str, change: int, reason: str) -> None:
        self.service.report_peer(peer_id, change, reason)


class NetworkBridge:
    """Implements the Protocols of ``network/``, ``consensus.sync``, GRANDPA's gossip and RPC's network facts."""

    def __init__(self, node: Node) -> None:
        self.node = node
        self.chain = node.chain
        source = ChainBlockSource(self.chain)
        self.service = NetworkService(network_config(node), source, source, self)
        self.fetcher = NetworkFetcher(self.service)
        self.sync = BlockSync(self.chain, self.fetcher, node.on_imported)
        send, receive = trio.open_memory_channel[tuple[str, bytes]](GRANDPA_INBOUND_BUFFER)
        self.grandpa_inbound_send = send
        self.grandpa_inbound = receive
        self.grandpa: Any = None  # the GrandpaService, once the node starts it
        self._nursery: trio.Nursery | None = None

    async def run(self, *, task_status: Any = trio.TASK_STATUS_IGNORED) -> None:
        async with trio.open_nursery() as nursery:
            self._nursery = nursery
            await nursery.start(self.service.run)
            nursery.start_soon(self.sync.run)
            task_status.started()

    # -- NetworkEvents ------------------------------------------------------------------------------------

    async def peer_connected(self, peer_id: str, roles: int, best_number: int, best_hash: bytes) -> None:
        if self.grandpa is not None:
            self._spawn(self.grandpa.peer_connected, peer_id)
        self.sync.wake()

    async def peer_disconnected(self, peer_id: str) -> None:
        return None  # the network logs it; sync picks targets from the live peer list

    async def block_announced(self, peer_id: str, header: bytes, is_best: bool) -> None:
        self._spawn(self.sync.on_announce, peer_id, header)

    async def transactions(self, peer_id: str, extrinsics: list[bytes]) -> None:
        self._spawn(self._import_transactions, peer_id, extrinsics)

    async def grandpa_message(self, peer_id: str, message: bytes) -> None:
        try:
            self.grandpa_inbound_send.send_nowait((peer_id, message))
        except trio.WouldBlock:  # the voter is behind: drop gossip rather than stall the peer's substream
            log.debug("GRANDPA inbound queue full; dropping a message from %s", peer_id)

    async def _import_transactions(self, peer_id: str, extrinsics: list[bytes]) -> None:
        pool = self.node.pool
        for xt in extrinsics:
            if extrinsic_hash(xt) in pool.pool:
                continue
            try:
                await pool.submit(xt)
            except Exception as exc:  # invalid or stale: a small cost, as Substrate's BAD_TRANSACTION
                log.debug("transaction from %s rejected: %s", peer_id, exc)
                self.service.report_peer(peer_id, BAD_TRANSACTION_COST, "invalid transaction")

    def _spawn(self, fn: Any, *args: Any) -> None:
        if self._nursery is not None:
            self._nursery.start_soon(fn, *args)

    # -- GossipNetwork (GRANDPA) --------------------------------------------------------------------------

    def report(self, peer_id: str, change: int, reason: str) -> None:
        self.service.report_peer(peer_id, change, reason)

    def broadcast(self, data: bytes) -> None:
        self.service.send_grandpa(data)

    def send(self, peer_id: str, data: bytes) -> None:
        self.service.send_grandpa(data, [peer_id])

    # -- our own blocks and transactions ------------------------------------------------------------------

    def announce(self, header: bytes, is_best: bool) -> None:
        self.service.announce_block(header, is_best)

    def propagate(self, extrinsics: list[bytes]) -> None:
        self.service.propagate_transactions(extrinsics)

    # -- NetworkBackend (RPC) -----------------------------------------------------------------------------

    def peers(self) -> list[dict[str, Any]]:
        return [{"peerId": p.peer_id, "roles": _role_name(p.roles), "bestHash": "0x" + p.best_hash.hex(),
                 "bestNumber": p.best_number} for p in self.service.peers()]

    def is_syncing(self) -> bool:
        return self.sync.is_major_syncing()

    def sync_state(self) -> dict[str, int]:
        state = self.sync.state()
        return {"startingBlock": state.starting_block, "currentBlock": state.current_block,
                "highestBlock": state.highest_block}


def _role_name(roles: int) -> str:
    if roles & Roles.AUTHORITY:
        return "AUTHORITY"
    if roles & Roles.LIGHT:
        return "LIGHT"
    return "FULL"
