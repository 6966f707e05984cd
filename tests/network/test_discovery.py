"""Discovery: a peer that py-libp2p's mDNS reports is dialled like a bootnode; without discovery two services stay
apart. The discovery adapter keeps only other peers' TCP addresses."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
import trio
from libp2p.peer.id import ID
from multiaddr import Multiaddr

from network.discovery import DiscoveredPeers
from network.host import peer_id_from_seed
from tests.network.harness import MemoryChain, make_chain, seed, start_node, wait_for

pytestmark = pytest.mark.timeout(60)


def test_a_discovered_peer_is_dialled_without_bootnodes() -> None:
    """What py-libp2p's mDNS reports (here fed in directly, as its zeroconf thread would) is dialled like a
    bootnode: the two services connect with no bootnode configured."""
    async def main() -> None:
        chain = MemoryChain(make_chain(1))
        async with start_node(21, chain) as a, start_node(22, chain) as b:
            b.service._discovered.on_discovered(_Info(ID.from_base58(a.peer_id), [Multiaddr(a.address)]))
            await wait_for(lambda: a.service.peer_count() == 1 and b.service.peer_count() == 1, 20)
            assert [p.peer_id for p in b.service.peers()] == [a.peer_id]

    trio.run(main)


def test_without_discovery_nothing_connects() -> None:
    async def main() -> None:
        chain = MemoryChain(make_chain(1))
        async with start_node(23, chain) as a, start_node(24, chain) as b:
            await trio.sleep(3)
            assert a.service.peer_count() == b.service.peer_count() == 0

    trio.run(main)


@dataclass
class _Info:
    peer_id: ID
    addrs: list[Multiaddr]


def test_discovered_addresses_are_dialable_tcp_addresses_of_other_peers() -> None:
    me, other = peer_id_from_seed(seed(1)), peer_id_from_seed(seed(2))
    found = DiscoveredPeers(me)
    found.on_discovered(_Info(ID.from_base58(me), [Multiaddr("/ip4/10.0.0.1/tcp/30333")]))  # ourselves
    found.on_discovered(_Info(ID.from_base58(other), [Multiaddr("/ip4/10.0.0.2/udp/30333/quic-v1"),
                                                      Multiaddr("/ip4/10.0.0.2/tcp/30333")]))
    assert found.drain() == [(other, f"/ip4/10.0.0.2/tcp/30333/p2p/{other}")]
    assert found.drain() == []
