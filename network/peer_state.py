"""Per-peer bookkeeping of the network service: peer state, connection events and the notification writer.

Kept apart from ``network.service`` so the service module stays about protocol flow.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field

import trio
from libp2p.abc import INetConn, INetStream, INetwork, INotifee
from libp2p.peer.id import ID
from multiaddr import Multiaddr

from network.notifications import OutboundSubstream

KNOWN_TRANSACTIONS = 10240  # per peer, like Substrate's MAX_KNOWN_TRANSACTIONS


@dataclass(eq=False)
class PeerState:
    """Everything the service tracks about one connected peer (mutable, owned by the service)."""

    peer_id: ID
    inbound: bool
    roles: int = 0
    best_number: int = 0
    best_hash: bytes = bytes(32)
    connected: bool = False  # a valid block-announce handshake was seen and peer_connected emitted
    handshaken: trio.Event = field(default_factory=trio.Event)
    closed: trio.Event = field(default_factory=trio.Event)
    outbound: dict[str, trio.MemorySendChannel[bytes]] = field(default_factory=dict)
    opening: set[str] = field(default_factory=set)
    known_transactions: OrderedDict[bytes, None] = field(default_factory=OrderedDict)
    nursery: trio.Nursery | None = None

    def learn_transaction(self, tx_hash: bytes) -> bool:
        """Remember a transaction the peer has; False if it was already known."""
        if tx_hash in self.known_transactions:
            return False
        self.known_transactions[tx_hash] = None
        if len(self.known_transactions) > KNOWN_TRANSACTIONS:
            self.known_transactions.popitem(last=False)
        return True


class ConnectionNotifee(INotifee):
    """Forwards libp2p connection events to two plain callbacks (which must return promptly)."""

    def __init__(self, on_connected: Callable[[INetConn], None], on_disconnected: Callable[[INetConn], None]) -> None:
        self._on_connected = on_connected
        self._on_disconnected = on_disconnected

    async def connected(self, network: INetwork, conn: INetConn) -> None:
        self._on_connected(conn)

    async def disconnected(self, network: INetwork, conn: INetConn) -> None:
        self._on_disconnected(conn)

    async def opened_stream(self, network: INetwork, stream: INetStream) -> None:
        return None

    async def closed_stream(self, network: INetwork, stream: INetStream) -> None:
        return None

    async def listen(self, network: INetwork, multiaddr: Multiaddr) -> None:
        return None

    async def listen_close(self, network: INetwork, multiaddr: Multiaddr) -> None:
        return None


async def pump_notifications(substream: OutboundSubstream, receive: trio.MemoryReceiveChannel[bytes]) -> None:
    """Write queued notifications to the substream in order."""
    async with receive:
        async for message in receive:
            try:
                await substream.send(message)
            except Exception:  # noqa: BLE001 -- a broken substream is noticed by wait_closed
                return
