"""``NetworkService``: the node's one handle on the peer-to-peer network.

It owns the libp2p host and speaks Substrate's protocols on it: block announces, transactions and GRANDPA as
notification substreams, and ``sync/2`` block requests. The node plugs in three small protocols declared here:
:class:`ChainInfo` (genesis and best block, for handshakes), :class:`BlockSource` (to serve block requests; called
in a worker thread because it reads the database) and :class:`NetworkEvents` (async callbacks for what peers
send). Peer input never crashes the service: bad frames, oversized messages, wrong genesis hashes and request
floods become reputation changes, and a peer whose reputation falls below the ban threshold is disconnected and
refused until it recovers (see ``network.peerset``).

Peering: when a connection is up, each side opens its outbound block-announce substream; the first valid
block-announce handshake from the peer (in either direction) makes it a connected peer, after which the
transactions and GRANDPA substreams are opened. The block-announce substream is kept open for the life of the
peering; when it closes, the peer is dropped.
"""

from __future__ import annotations

import contextlib
import logging
from collections import deque
from typing import Any

import trio
from libp2p.abc import IHost, INetConn, INetStream
from libp2p.custom_types import TProtocol
from libp2p.peer.id import ID
from libp2p.peer.peerinfo import info_from_p2p_addr
from multiaddr import Multiaddr

from network import peerset as rep
from network.config import NetworkConfig, Roles
from network.discovery import DiscoveredPeers
from network.framing import FrameTooLarge, FramingError
from network.host import build_host
from network.interfaces import ChainInfo, NetworkEvents, PeerInfo
from network.messages import (
    BlockAnnounce, BlockAnnouncesHandshake, MessageError, decode_roles_handshake, decode_transactions,
    encode_roles_handshake, encode_transactions,
)
from network.notifications import (
    NotificationError, NotificationProtocol, accept_inbound, open_outbound,
    read_inbound_handshake, refuse_inbound,
)
from network.peer_state import ConnectionNotifee, PeerState, pump_notifications
from network.peerset import Peerset, ReputationChange
from network.request_response import (
    RequestFailed, RequestRefused, RequestTimeout, read_request, send_request, send_response,
)
from network.sync import (
    BlockAttributes, BlockData, BlockRequest, BlockSource, Direction, SyncError, decode_response,
    encode_response, serve_block_request,
)
from runtime.primitives.hashing import blake2_256

logger = logging.getLogger("network")

BLOCK_ANNOUNCES = "block-announces"
TRANSACTIONS = "transactions"
GRANDPA = "grandpa"
NOTIFICATION_QUEUE = 1024  # per outbound substream; beyond it notifications to a slow peer are dropped


class _Rejected(Exception):
    """A handshake was refused; the peer has already been reported."""


class NetworkService:
    """Runs the host and the protocols; every method is safe to call with arbitrary peer ids."""

    def __init__(
        self, config: NetworkConfig, chain: ChainInfo, blocks: BlockSource, events: NetworkEvents,
        *, clock: Any = None,
    ) -> None:
        self.config = config
        self._chain = chain
        self._blocks = blocks
        self._events = events
        self._clock = clock or trio.current_time
        self.host: IHost = build_host(config)
        self.local_peer_id: str = self.host.get_id().pretty()
        self.peerset = Peerset(
            in_peers=config.in_peers, out_peers=config.out_peers,
            reserved=frozenset(_peer_of(a) for a in config.reserved_peers), reserved_only=config.reserved_only,
        )
        self._protocols = {
            BLOCK_ANNOUNCES: NotificationProtocol(
                BLOCK_ANNOUNCES, config.protocol_names("block-announces/1"), config.max_block_announce_size),
            TRANSACTIONS: NotificationProtocol(
                TRANSACTIONS, config.protocol_names("transactions/1"), config.max_transactions_size),
            GRANDPA: NotificationProtocol(GRANDPA, config.protocol_names("grandpa/1"), config.max_grandpa_size),
        }
        self._sync_names = config.protocol_names("sync/2")
        self._peers: dict[str, PeerState] = {}
        self._request_times: dict[str, deque[float]] = {}
        self._dial_targets = {_peer_of(a): a for a in (*config.bootnodes, *config.reserved_peers)}
        self._dialing: set[str] = set()
        self._nursery: trio.Nursery | None = None
        self._discovered = DiscoveredPeers(self.local_peer_id)

    # --- public API ---------------------------------------------------------------------------------------------

    async def run(self, *, task_status: trio.TaskStatus[None] = trio.TASK_STATUS_IGNORED) -> None:
        """Start the host, listen, register the protocols and keep peers connected until cancelled."""
        for protocol in self._protocols.values():
            for name in protocol.names:
                self.host.set_stream_handler(TProtocol(name), self._make_inbound_handler(protocol))
        for name in self._sync_names:
            self.host.set_stream_handler(TProtocol(name), self._handle_block_request)
        self.host.get_network().register_notifee(ConnectionNotifee(self._on_connection, self._on_connection_closed))
        listen = [Multiaddr(a) for a in self.config.listen_addresses]
        discovery = self._discovered if self.config.enable_mdns else contextlib.nullcontext()
        with discovery:
            await self._serve(listen, task_status)

    async def _serve(self, listen: list[Multiaddr], task_status: trio.TaskStatus[None]) -> None:
        async with self.host.run(listen), trio.open_nursery() as nursery:
            self._nursery = nursery
            logger.info("🏷  Local node identity is: %s", self.local_peer_id)
            for address in self.listen_addresses():
                logger.info("🔍 Listening on %s", address)
            nursery.start_soon(self._maintain_connections)
            task_status.started()
            try:
                await trio.sleep_forever()
            finally:
                await self._close_connections()

    async def _close_connections(self) -> None:
        """Close every connection on shutdown, so peers see us leave instead of a silent half-open socket."""
        for peer_id in list(self.host.get_connected_peers()):
            await self._close_peer_connections(peer_id)

    def listen_addresses(self) -> list[str]:
        return [str(a) for a in self.host.get_addrs()]

    def peers(self) -> list[PeerInfo]:
        return [
            PeerInfo(key, p.roles, p.best_number, p.best_hash)
            for key, p in sorted(self._peers.items()) if p.connected
        ]

    def peer_count(self) -> int:
        return sum(1 for p in self._peers.values() if p.connected)

    def announce_block(self, header: bytes, is_best: bool) -> None:
        message = BlockAnnounce(header=header, is_best=is_best).encode()
        for peer in self._connected_peers():
            self._queue(peer, BLOCK_ANNOUNCES, message)

    def propagate_transactions(self, extrinsics: list[bytes]) -> None:
        """Send each extrinsic to every peer not already known to have it."""
        hashes = [blake2_256(xt) for xt in extrinsics]
        for peer in self._connected_peers():
            if peer.roles & Roles.LIGHT:  # light clients do not take part in transaction gossip
                continue
            fresh = [xt for xt, h in zip(extrinsics, hashes) if peer.learn_transaction(h)]
            if fresh:
                self._queue(peer, TRANSACTIONS, encode_transactions(fresh))

    def send_grandpa(self, message: bytes, peers: list[str] | None = None) -> None:
        targets = self._connected_peers() if peers is None else [
            p for key in peers if (p := self._peers.get(key)) is not None and p.connected
        ]
        for peer in targets:
            self._queue(peer, GRANDPA, message)

    def report_peer(self, peer_id: str, change: int, reason: str) -> None:
        self._report(peer_id, ReputationChange(change, reason))

    async def request_blocks(
        self, peer_id: str, *, from_hash: bytes | None = None, from_number: int | None = None,
        direction: Direction = Direction.ASCENDING, max_blocks: int = 128,
        fields: BlockAttributes = BlockAttributes.HEADER | BlockAttributes.BODY | BlockAttributes.JUSTIFICATION,
    ) -> list[BlockData]:
        """Ask a peer for blocks over sync/2; raises ``RequestFailed`` or ``SyncError`` (the peer is punished)."""
        request = BlockRequest(
            attributes=fields, from_hash=from_hash, from_number=from_number, direction=direction,
            max_blocks=max_blocks,
        )
        remote = _parse_peer_id(peer_id)
        if remote is None or not self._has_connection(remote):
            raise RequestRefused(f"not connected to {peer_id}")
        try:
            raw = await send_request(
                self.host, remote, self._sync_names, request.encode(),
                self.config.max_sync_response_size, self.config.sync_request_timeout,
            )
            return decode_response(raw, fields)
        except RequestTimeout:
            self._report(peer_id, rep.TIMEOUT)
            raise
        except SyncError:
            self._report(peer_id, rep.BAD_MESSAGE)
            raise
        except RequestFailed:
            self._report(peer_id, rep.REFUSED)
            raise

    # --- peers --------------------------------------------------------------------------------------------------

    def _now(self) -> float:
        return float(self._clock())

    def _connected_peers(self) -> list[PeerState]:
        return [p for p in self._peers.values() if p.connected]

    def _queue(self, peer: PeerState, key: str, message: bytes) -> None:
        channel = peer.outbound.get(key)
        if channel is None:
            return
        try:
            channel.send_nowait(message)
        except (trio.WouldBlock, trio.ClosedResourceError, trio.BrokenResourceError):
            logger.debug("dropping a %s notification to %s (queue full or closed)", key, peer.peer_id)

    def _report(self, peer_id: str, change: ReputationChange) -> None:
        if self.peerset.report(peer_id, change, self._now()):
            logger.info("💔 Banning %s: %s", peer_id, change.reason)
            self._drop(peer_id)

    def _drop(self, peer_id: str) -> None:
        peer = self._peers.get(peer_id)
        if peer is not None:
            peer.closed.set()
        if self._nursery is not None:
            self._nursery.start_soon(self._disconnect, peer_id)

    async def _disconnect(self, peer_id: str) -> None:
        remote = _parse_peer_id(peer_id)
        if remote is not None:
            await self._close_peer_connections(remote)

    async def _close_peer_connections(self, peer_id: ID) -> None:
        """Close every connection to a peer, making sure its socket really closes.

        py-libp2p 0.8.1 marks a connection closed before closing its yamux session, and that close can stall
        on the session's stream lock; the peer would then never see us leave. So the secured transport is
        closed first (the peer gets EOF at once), then the swarm cleans up. Shielded for the same reason: a
        close cancelled halfway would leave a socket nobody closes.
        """
        with trio.CancelScope(shield=True):
            for conn in list(self.host.get_network().get_connections(peer_id)):
                with trio.move_on_after(1):
                    try:
                        await conn.muxed_conn.secured_conn.close()  # type: ignore[attr-defined]
                    except Exception as exc:  # noqa: BLE001 -- already closed is fine
                        logger.debug("closing the transport to %s: %s", peer_id, exc)
            with trio.move_on_after(3):
                try:
                    await self.host.disconnect(peer_id)
                except Exception as exc:  # noqa: BLE001 -- the connection may already be gone
                    logger.debug("disconnecting %s: %s", peer_id, exc)

    def _on_connection(self, conn: INetConn) -> None:
        peer_id = conn.muxed_conn.peer_id
        key = peer_id.pretty()
        inbound = not conn.muxed_conn.is_initiator
        if key in self._peers or self._nursery is None:
            return
        if not self.peerset.accept(key, inbound, self._now()):
            logger.debug("refusing connection from %s (banned or no free slot)", key)
            self._nursery.start_soon(self._disconnect, key)
            return
        self.peerset.on_connected(key, inbound)
        peer = PeerState(peer_id=peer_id, inbound=inbound)
        self._peers[key] = peer
        self._nursery.start_soon(self._run_peer, peer)

    def _on_connection_closed(self, conn: INetConn) -> None:
        peer_id = conn.muxed_conn.peer_id
        peer = self._peers.get(peer_id.pretty())
        if peer is not None and not self.host.get_network().connections.get(peer_id):
            peer.closed.set()

    async def _run_peer(self, peer: PeerState) -> None:
        """Own every task of one peering; on exit the peer is forgotten and the connection closed."""
        key = peer.peer_id.pretty()
        try:
            async with trio.open_nursery() as nursery:
                peer.nursery = nursery
                nursery.start_soon(self._run_outbound, peer, BLOCK_ANNOUNCES)
                await peer.closed.wait()
                nursery.cancel_scope.cancel()
        finally:
            self._peers.pop(key, None)
            for channel in peer.outbound.values():
                channel.close()
            self.peerset.on_disconnected(key, self._now())
            if key in self._dial_targets:
                self.peerset.schedule_redial(key, self._now())
            if self._nursery is not None:
                self._nursery.start_soon(self._disconnect, key)
            if peer.connected:
                logger.info("❌ Peer disconnected: %s", key)
                await self._emit("peer_disconnected", key)

    def _has_connection(self, peer_id: ID) -> bool:
        return bool(self.host.get_network().get_connections(peer_id))

    def _ensure_outbound(self, peer: PeerState, key: str) -> None:
        if peer.nursery is not None and key not in peer.outbound and key not in peer.opening:
            peer.nursery.start_soon(self._run_outbound, peer, key)

    def _our_handshake(self, key: str) -> bytes:
        if key == BLOCK_ANNOUNCES:
            best_number, best_hash = self._chain.best()
            return BlockAnnouncesHandshake(
                int(self.config.roles), best_number, best_hash, self._chain.genesis_hash()
            ).encode()
        return encode_roles_handshake(int(self.config.roles))

    async def _run_outbound(self, peer: PeerState, key: str) -> None:
        """Open our outbound substream, then feed it from its queue until either side closes it."""
        protocol = self._protocols[key]
        if not self._has_connection(peer.peer_id):
            peer.closed.set()  # never let libp2p's new_stream dial a second connection behind our back
            return
        peer.opening.add(key)
        try:
            substream = await open_outbound(self.host, peer.peer_id, protocol, self._our_handshake(key))
        except NotificationError as exc:
            logger.debug("%s: outbound %s failed: %s", peer.peer_id, key, exc)
            if key == BLOCK_ANNOUNCES:
                peer.closed.set()
            return
        finally:
            peer.opening.discard(key)
        try:
            try:
                decoded = self._check_handshake(peer, key, substream.remote_handshake)
            except _Rejected:
                return
            await self._on_handshake(peer, decoded)
            send, receive = trio.open_memory_channel[bytes](NOTIFICATION_QUEUE)
            peer.outbound[key] = send
            async with trio.open_nursery() as nursery:
                nursery.start_soon(pump_notifications, substream, receive)
                await substream.wait_closed()
                nursery.cancel_scope.cancel()
        finally:
            peer.outbound.pop(key, None)
            await substream.close()
            if key == BLOCK_ANNOUNCES:
                peer.closed.set()

    def _check_handshake(self, peer: PeerState, key: str, handshake: bytes) -> BlockAnnouncesHandshake | None:
        """Validate a peer's handshake (either direction); raises ``_Rejected`` after punishing the peer.

        Returns the decoded block-announce handshake, or ``None`` for the roles-only protocols.
        """
        key_str = peer.peer_id.pretty()
        try:
            if key != BLOCK_ANNOUNCES:
                decode_roles_handshake(handshake)
                return None
            decoded = BlockAnnouncesHandshake.decode(handshake)
        except MessageError as exc:
            self._report(key_str, rep.BAD_MESSAGE)
            raise _Rejected from exc
        if decoded.genesis_hash != self._chain.genesis_hash():
            logger.info("💔 %s is on another chain (genesis 0x%s)", key_str, decoded.genesis_hash.hex())
            self._report(key_str, rep.GENESIS_MISMATCH)
            raise _Rejected
        return decoded

    async def _on_handshake(self, peer: PeerState, decoded: BlockAnnouncesHandshake | None) -> None:
        """The first block-announce handshake makes the peer connected and opens our other substreams."""
        if decoded is None or peer.connected:
            return
        key_str = peer.peer_id.pretty()
        peer.roles, peer.best_number, peer.best_hash = decoded.roles, decoded.best_number, decoded.best_hash
        peer.connected = True
        peer.handshaken.set()
        logger.info("🤝 Peer connected: %s (best #%d)", key_str, decoded.best_number)
        await self._emit("peer_connected", key_str, decoded.roles, decoded.best_number, decoded.best_hash)
        self._ensure_outbound(peer, BLOCK_ANNOUNCES)
        self._ensure_outbound(peer, TRANSACTIONS)
        self._ensure_outbound(peer, GRANDPA)

    # --- inbound notification substreams ------------------------------------------------------------------------

    def _make_inbound_handler(self, protocol: NotificationProtocol) -> Any:
        async def handler(stream: INetStream) -> None:
            await self._handle_inbound(protocol, stream)

        return handler

    async def _handle_inbound(self, protocol: NotificationProtocol, stream: INetStream) -> None:
        key_str = stream.muxed_conn.peer_id.pretty()
        peer = self._peers.get(key_str)
        if peer is None or peer.closed.is_set() or self.peerset.is_banned(key_str, self._now()):
            await refuse_inbound(stream)
            return
        try:
            reader, handshake = await read_inbound_handshake(stream, protocol)
            if protocol.key != BLOCK_ANNOUNCES:
                # Other protocols ride on the block-announce peering, whose handshake may still be in flight.
                with trio.move_on_after(10):
                    await peer.handshaken.wait()
                if not peer.connected:
                    await refuse_inbound(stream)
                    return
            try:
                decoded = self._check_handshake(peer, protocol.key, handshake)
            except _Rejected:
                await refuse_inbound(stream)
                return
            inbound = await accept_inbound(stream, reader, handshake, protocol, self._our_handshake(protocol.key))
            await self._on_handshake(peer, decoded)  # after our reply, so the peer knows us before our substreams
            self._ensure_outbound(peer, protocol.key)
            async for message in inbound.messages():
                await self._on_notification(peer, protocol.key, message)
        except FrameTooLarge:
            self._report(key_str, rep.OVERSIZED_MESSAGE)
        except (FramingError, MessageError):
            self._report(key_str, rep.BAD_MESSAGE)
        except trio.TooSlowError:
            await refuse_inbound(stream)
        except Exception as exc:  # noqa: BLE001 -- transport errors end the substream, not the service
            logger.debug("%s: inbound %s ended: %s", key_str, protocol.key, exc)
        finally:
            if peer.closed.is_set():
                await refuse_inbound(stream)

    async def _on_notification(self, peer: PeerState, key: str, message: bytes) -> None:
        peer_key = peer.peer_id.pretty()
        if key == BLOCK_ANNOUNCES:
            announce, header = BlockAnnounce.decode(message)
            if announce.is_best:
                peer.best_number, peer.best_hash = header.number, header.hash
            await self._emit("block_announced", peer_key, announce.header, announce.is_best)
        elif key == TRANSACTIONS:
            extrinsics = decode_transactions(message)
            for xt in extrinsics:
                peer.learn_transaction(blake2_256(xt))
            if extrinsics:
                await self._emit("transactions", peer_key, extrinsics)
        else:
            await self._emit("grandpa_message", peer_key, message)

    async def _emit(self, name: str, *args: Any) -> None:
        try:
            await getattr(self._events, name)(*args)
        except Exception:  # noqa: BLE001 -- a failing consumer must not take the network down
            logger.exception("network event handler %s failed", name)

    # --- sync/2 server ------------------------------------------------------------------------------------------

    def _allow_request(self, peer_id: str) -> bool:
        now = self._now()
        times = self._request_times.setdefault(peer_id, deque())
        while times and times[0] <= now - self.config.sync_request_window:
            times.popleft()
        times.append(now)
        return len(times) <= self.config.sync_requests_per_window

    async def _handle_block_request(self, stream: INetStream) -> None:
        peer_id = stream.muxed_conn.peer_id.pretty()
        answered = False
        try:
            if self.peerset.is_banned(peer_id, self._now()):
                return
            if not self._allow_request(peer_id):
                self._report(peer_id, rep.REQUEST_FLOOD)
                return
            raw = await read_request(stream, self.config.max_sync_request_size, self.config.sync_request_timeout)
            request = BlockRequest.decode(raw)
            # The block source reads the database: keep it off the event loop.
            blocks = await trio.to_thread.run_sync(serve_block_request, self._blocks, request)
            await send_response(stream, encode_response(blocks, request.support_multiple_justifications))
            answered = True
        except FrameTooLarge:
            self._report(peer_id, rep.OVERSIZED_MESSAGE)
        except (FramingError, SyncError):
            self._report(peer_id, rep.BAD_REQUEST)
        except trio.TooSlowError:
            logger.debug("%s: block request timed out", peer_id)
        except Exception as exc:  # noqa: BLE001 -- a failed request never takes the service down
            logger.warning("serving a block request to %s failed: %s", peer_id, exc)
        finally:
            if not answered:
                await refuse_inbound(stream)  # the requester sees a refusal, as with Substrate's empty close

    # --- dialling -----------------------------------------------------------------------------------------------

    async def _maintain_connections(self) -> None:
        """Keep bootnodes, reserved and discovered peers connected, redialling with exponential backoff."""
        while True:
            now = self._now()
            for key, address in self._discovered.drain():
                if self._dial_targets.get(key) != address:  # new peer, or a known one at a new address
                    logger.info("🔍 Discovered external peer %s at %s", key, address)
                    self._dial_targets[key] = address
            for key, address in sorted(self._dial_targets.items()):
                if key in self._peers or key in self._dialing or key == self.local_peer_id:
                    continue
                if self.peerset.should_dial(key, now) and self._nursery is not None:
                    self._dialing.add(key)
                    self._nursery.start_soon(self._dial, key, address)
            await trio.sleep(0.5)

    async def _dial(self, key: str, address: str) -> None:
        try:
            with trio.fail_after(10):
                await self.host.connect(info_from_p2p_addr(Multiaddr(address)))
        except Exception as exc:  # noqa: BLE001 -- dial failures of every kind lead to a backoff
            logger.debug("dialling %s failed: %s", address, exc)
            self.peerset.on_dial_failure(key, self._now())
        finally:
            self._dialing.discard(key)


def _peer_of(address: str) -> str:
    """The ``12D3KooW…`` part of a ``…/p2p/<id>`` multiaddr."""
    return info_from_p2p_addr(Multiaddr(address)).peer_id.pretty()


def _parse_peer_id(peer_id: str) -> ID | None:
    """A libp2p ID for a ``12D3KooW…`` string, or None for anything unparseable (callers pass arbitrary ids)."""
    try:
        return ID.from_base58(peer_id)
    except Exception:  # noqa: BLE001 -- base58 and multihash raise several unrelated types
        return None
