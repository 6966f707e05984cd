"""mDNS discovery: with ``enable_mdns`` two services on this machine find and connect to each other without any
bootnode; without it they stay apart. The discovery adapter keeps only other peers' TCP addresses."""

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


def test_mdns_peers_connect_without_bootnodes() -> None:
    async def main() -> None:
        chain = MemoryChain(make_chain(1))
        async with start_node(21, chain, enable_mdns=True) as a, start_node(22, chain, enable_mdns=True) as b:
            await wait_for(lambda: a.service.peer_count() == 1 and b.service.peer_count() == 1, 20)
            assert [p.peer_id for p in b.service.peers()] == [a.peer_id]

    trio.run(main)


def test_without_mdns_nothing_is_discovered() -> None:
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
