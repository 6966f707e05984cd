"""NetworkService end to end: two or three in-process nodes on 127.0.0.1, plus a hand-driven hostile peer."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import pytest
import trio
from libp2p.abc import IHost, INetStream
from libp2p.custom_types import TProtocol
from libp2p.peer.id import ID
from libp2p.peer.peerinfo import info_from_p2p_addr
from multiaddr import Multiaddr

from network.config import NetworkConfig, Roles
from network.framing import FrameReader, encode_frame, encode_uvarint
from network.host import build_host
from network.messages import BlockAnnouncesHandshake
from network.notifications import OutboundSubstream, open_outbound
from network.request_response import RequestFailed
from network.sync import BlockAttributes, Direction
from tests.network.harness import GENESIS, MemoryChain, Node, extrinsic, make_chain, start_node, wait_for

pytestmark = pytest.mark.timeout(30)


def run(fn) -> None:  # type: ignore[no-untyped-def]
    trio.run(fn)


@asynccontextmanager
async def pair(chain_a: MemoryChain, chain_b: MemoryChain, **config: object) -> AsyncIterator[tuple[Node, Node]]:
    """A listens; B has A as bootnode; yields once both see each other as connected."""
    async with start_node(1, chain_a, **config) as a:  # type: ignore[arg-type]
        async with start_node(2, chain_b, bootnodes=(a.address,), **config) as b:  # type: ignore[arg-type]
            await wait_for(lambda: a.service.peer_count() == 1 and b.service.peer_count() == 1)
            yield a, b


def substreams_ready(node: Node, other: Node, key: str) -> bool:
    peer = node.service._peers.get(other.peer_id)
    return peer is not None and key in peer.outbound


def test_block_announce_handshake_is_exchanged_both_ways() -> None:
    async def main() -> None:
        chain_a, chain_b = MemoryChain(make_chain(3)), MemoryChain(make_chain(1))
        async with start_node(1, chain_a) as a:
            async with start_node(2, chain_b, bootnodes=(a.address,)) as b:
                await wait_for(lambda: a.service.peer_count() == 1 and b.service.peer_count() == 1)
                assert a.events.connected == [(b.peer_id, int(Roles.FULL), 1, chain_b.headers[1].hash)]
                assert b.events.connected == [(a.peer_id, int(Roles.FULL), 3, chain_a.headers[3].hash)]
                (info,) = b.service.peers()
                assert (info.peer_id, info.best_number, info.best_hash) == (a.peer_id, 3, chain_a.headers[3].hash)
                # Each side opens its own (unidirectional) substreams as well.
                for key in ("block-announces", "transactions", "grandpa"):
                    await wait_for(lambda: substreams_ready(a, b, key) and substreams_ready(b, a, key))
            # B shut down: A sees it leave.
            await wait_for(lambda: a.events.disconnected == [b.peer_id])
            assert a.service.peers() == []

    run(main)


def test_block_announce_is_delivered_and_updates_the_peer_best() -> None:
    async def main() -> None:
        chain = make_chain(6)
        async with pair(MemoryChain(chain[:3]), MemoryChain(chain[:2])) as (a, b):
            await wait_for(lambda: substreams_ready(a, b, "block-announces"))
            a.service.announce_block(chain[5].encode(), is_best=False)
            a.service.announce_block(chain[6].encode(), is_best=True)
            await wait_for(lambda: len(b.events.announces) == 2)
            assert b.events.announces == [(a.peer_id, chain[5].encode(), False), (a.peer_id, chain[6].encode(), True)]
            (info,) = b.service.peers()
            assert (info.best_number, info.best_hash) == (6, chain[6].hash)  # only the "best" one moves it

    run(main)


def test_transactions_propagate_once_per_peer_to_all_peers() -> None:
    async def main() -> None:
        chain = MemoryChain(make_chain(1))
        async with start_node(1, chain) as a:
            async with start_node(2, chain, bootnodes=(a.address,)) as b, \
                    start_node(3, chain, bootnodes=(a.address,)) as c:
                await wait_for(lambda: a.service.peer_count() == 2)
                await wait_for(lambda: substreams_ready(a, b, "transactions") and substreams_ready(a, c, "transactions"))
                await wait_for(lambda: substreams_ready(b, a, "transactions"))
                xts = [extrinsic(b"one"), extrinsic(b"two")]
                a.service.propagate_transactions(xts)
                a.service.propagate_transactions(xts + [extrinsic(b"three")])  # only "three" is new
                await wait_for(lambda: len(b.events.transactions_seen) == 2 and len(c.events.transactions_seen) == 2)
                for node in (b, c):
                    assert node.events.transactions_seen == [(a.peer_id, xts), (a.peer_id, [extrinsic(b"three")])]
                # B got "one" from A, so B never sends it back to A.
                b.service.propagate_transactions([extrinsic(b"one"), extrinsic(b"four")])
                await wait_for(lambda: len(a.events.transactions_seen) == 1)
                await trio.sleep(0.2)
                assert a.events.transactions_seen == [(b.peer_id, [extrinsic(b"four")])]

    run(main)


def test_grandpa_messages_are_delivered_as_opaque_bytes_to_chosen_peers() -> None:
    async def main() -> None:
        chain = MemoryChain(make_chain(1))
        async with start_node(1, chain) as a:
            async with start_node(2, chain, bootnodes=(a.address,)) as b, \
                    start_node(3, chain, bootnodes=(a.address,)) as c:
                await wait_for(lambda: substreams_ready(a, b, "grandpa") and substreams_ready(a, c, "grandpa"))
                neighbor = bytes.fromhex("02" "01" + "00" * 20)
                a.service.send_grandpa(neighbor)
                a.service.send_grandpa(b"\x00only-b", peers=[b.peer_id, "12D3KooWunknown"])
                await wait_for(lambda: len(b.events.grandpa) == 2 and len(c.events.grandpa) == 1)
                await trio.sleep(0.1)
                assert b.events.grandpa == [(a.peer_id, neighbor), (a.peer_id, b"\x00only-b")]
                assert c.events.grandpa == [(a.peer_id, neighbor)]

    run(main)


def test_sync_request_for_130_blocks_returns_128_with_all_parts() -> None:
    async def main() -> None:
        server = MemoryChain(make_chain(140))
        for n in range(1, 141):
            server.bodies[n] = [extrinsic(n.to_bytes(2, "little")), extrinsic(b"x")]
        server.justifications_by_number[64] = [(b"FRNK", b"\x01" * 40)]
        async with pair(server, MemoryChain(server.headers[:1])) as (a, b):
            blocks = await b.service.request_blocks(a.peer_id, from_number=1, max_blocks=130)
            assert len(blocks) == 128
            assert [blk.hash for blk in blocks] == [h.hash for h in server.headers[1:129]]
            assert blocks[63].header == server.headers[64].encode()
            assert blocks[63].body == (extrinsic(b"\x40\x00"), extrinsic(b"x"))
            assert blocks[63].justifications == ((b"FRNK", b"\x01" * 40),)
            assert blocks[0].justifications == ()

            down = await b.service.request_blocks(
                a.peer_id, from_hash=server.headers[10].hash, direction=Direction.DESCENDING, max_blocks=4,
                fields=BlockAttributes.HEADER,
            )
            assert [blk.hash for blk in down] == [server.headers[n].hash for n in (10, 9, 8, 7)]
            assert all(blk.body is None for blk in down)

    run(main)


def test_wrong_genesis_bans_and_is_not_redialled() -> None:
    async def main() -> None:
        other_genesis = make_chain(0, genesis=GENESIS.__class__(
            parent_hash=bytes(32), number=0, state_root=b"\x09" * 32, extrinsics_root=bytes(32)))
        async with start_node(1, MemoryChain(make_chain(2))) as a:
            async with start_node(2, MemoryChain(other_genesis), bootnodes=(a.address,)) as b:
                await wait_for(lambda: b.service.peerset.is_banned(a.peer_id, b.service._now())
                               or a.service.peerset.is_banned(b.peer_id, a.service._now()))
                await wait_for(lambda: not a.service.host.get_connected_peers())
                await trio.sleep(2.5)  # several backoff periods: B must not come back
                assert a.service.host.get_connected_peers() == []
                assert a.service.peer_count() == b.service.peer_count() == 0
                assert a.events.connected == [] and b.events.connected == []

    run(main)


class Attacker:
    """A bare host that peers properly on block-announces, then misbehaves on purpose."""

    def __init__(self, host: IHost, victim: Node) -> None:
        self.host = host
        self.victim = victim

    async def answer_handshake(self, stream: INetStream) -> None:
        await FrameReader(stream, 1024).read_required()
        await stream.write(encode_frame(self.handshake()))
        await trio.sleep_forever()

    def handshake(self) -> bytes:
        return BlockAnnouncesHandshake(1, 0, self.victim.chain.genesis_hash(), self.victim.chain.genesis_hash()).encode()

    async def open_announces(self) -> OutboundSubstream:
        protocol = self.victim.service._protocols["block-announces"]
        return await open_outbound(self.host, ID.from_base58(self.victim.peer_id), protocol, self.handshake())


@asynccontextmanager
async def attacker_of(victim: Node) -> AsyncIterator[Attacker]:
    host = build_host(NetworkConfig(node_key=b"\x66" * 32, genesis_hash=bytes(32),
                                    listen_addresses=("/ip4/127.0.0.1/tcp/0",)))
    attacker = Attacker(host, victim)
    for name in victim.service.config.protocol_names("block-announces/1"):
        host.set_stream_handler(TProtocol(name), attacker.answer_handshake)
    async with host.run([Multiaddr("/ip4/127.0.0.1/tcp/0")]):
        await host.connect(info_from_p2p_addr(Multiaddr(victim.address)))
        await wait_for(lambda: victim.service.peer_count() == 1)
        yield attacker


def assert_banned(victim: Node, attacker: Attacker) -> None:
    peer = attacker.host.get_id().pretty()
    assert victim.service.peerset.is_banned(peer, victim.service._now())
    assert victim.service.peer_count() == 0


@pytest.mark.parametrize("payload", [
    encode_frame(b"\x00" * 5),  # not a header
    bytes([0x80, 0x00]),  # non-minimal varint
])
def test_garbage_block_announce_frame_disconnects_and_bans(payload: bytes) -> None:
    async def main() -> None:
        async with start_node(1, MemoryChain(make_chain(1))) as victim, attacker_of(victim) as attacker:
            substream = await attacker.open_announces()
            await substream.stream.write(payload)
            await wait_for(lambda: victim.service.peer_count() == 0)
            assert_banned(victim, attacker)
            await wait_for(lambda: not victim.service.host.get_connected_peers())
            assert victim.events.disconnected == [attacker.host.get_id().pretty()]

    run(main)


def test_oversized_notification_bans() -> None:
    async def main() -> None:
        async with start_node(1, MemoryChain(make_chain(1)), max_block_announce_size=4096) as victim, \
                attacker_of(victim) as attacker:
            substream = await attacker.open_announces()
            await substream.stream.write(encode_uvarint(4097))  # the prefix alone is enough to be judged
            await wait_for(lambda: victim.service.peer_count() == 0)
            assert_banned(victim, attacker)

    run(main)


def test_request_flood_bans_and_banned_peers_get_no_answers() -> None:
    async def main() -> None:
        chain = MemoryChain(make_chain(5))
        async with pair(chain, chain, sync_requests_per_window=3, sync_request_window=60.0) as (a, b):
            for _ in range(3):
                assert len(await b.service.request_blocks(a.peer_id, from_number=0, max_blocks=2)) == 2
            with pytest.raises(RequestFailed):
                await b.service.request_blocks(a.peer_id, from_number=0, max_blocks=2)
            assert a.service.peerset.is_banned(b.peer_id, a.service._now())
            await wait_for(lambda: a.service.peer_count() == 0 and b.service.peer_count() == 0)

    run(main)


def test_report_peer_below_the_threshold_disconnects() -> None:
    async def main() -> None:
        chain = MemoryChain(make_chain(1))
        async with pair(chain, chain) as (a, b):
            a.service.report_peer(b.peer_id, -(1 << 12), "meh")
            await trio.sleep(0.2)
            assert a.service.peer_count() == 1
            a.service.report_peer(b.peer_id, -(1 << 31), "bad seal")
            await wait_for(lambda: a.service.peer_count() == 0)
            assert a.events.disconnected == [b.peer_id]

    run(main)


def test_unknown_peer_requests_fail_cleanly() -> None:
    async def main() -> None:
        async with start_node(1, MemoryChain(make_chain(1))) as a:
            stranger = build_host(NetworkConfig(node_key=b"\x44" * 32, genesis_hash=bytes(32))).get_id().pretty()
            with pytest.raises(RequestFailed):
                await a.service.request_blocks(stranger, from_number=0)
            a.service.announce_block(make_chain(1)[1].encode(), True)  # no peers: a no-op
            a.service.report_peer(stranger, -10, "unknown peers are fine")

    run(main)


def test_banned_peer_cannot_come_back() -> None:
    async def main() -> None:
        async with start_node(1, MemoryChain(make_chain(1))) as victim, attacker_of(victim) as attacker:
            substream = await attacker.open_announces()
            await substream.stream.write(encode_frame(b"\x00" * 5))
            await wait_for(lambda: not victim.service.host.get_connected_peers())
            try:
                await attacker.host.connect(info_from_p2p_addr(Multiaddr(victim.address)))
            except Exception:
                pass  # refused outright is fine too
            await wait_for(lambda: not victim.service.host.get_connected_peers())
            await trio.sleep(0.3)
            # One peering (before the ban), none after it.
            assert victim.service.peer_count() == 0
            assert [e[0] for e in victim.events.connected] == [attacker.host.get_id().pretty()]

    run(main)


@pytest.mark.parametrize("request_bytes", [b"\xff\xff\xff\xff", None])
def test_bad_or_oversized_block_request_bans(request_bytes: bytes | None) -> None:
    async def main() -> None:
        chain = MemoryChain(make_chain(2))
        async with start_node(1, chain, max_sync_request_size=64) as victim, attacker_of(victim) as attacker:
            names = [TProtocol(n) for n in victim.service.config.protocol_names("sync/2")]
            stream = await attacker.host.new_stream(ID.from_base58(victim.peer_id), names)
            payload = encode_frame(request_bytes) if request_bytes is not None else encode_uvarint(65)
            await stream.write(payload)
            await wait_for(lambda: victim.service.peer_count() == 0)
            assert_banned(victim, attacker)

    run(main)


def test_inbound_slots_are_enforced() -> None:
    async def main() -> None:
        chain = MemoryChain(make_chain(1))
        async with start_node(1, chain, in_peers=0) as a:
            async with start_node(2, chain, bootnodes=(a.address,)) as b:
                await trio.sleep(1.0)
                assert a.service.peer_count() == 0 and b.service.peer_count() == 0
                assert a.events.connected == [] and b.events.connected == []
                assert not a.service.peerset.is_banned(b.peer_id, a.service._now())  # refused, not banned

    run(main)


def test_malformed_peer_ids_from_the_node_do_not_crash_the_service() -> None:
    async def main() -> None:
        chain = MemoryChain(make_chain(1))
        async with pair(chain, chain) as (a, b):
            a.service.report_peer("not-a-peer-id", -(1 << 31), "garbage id")
            with pytest.raises(RequestFailed):
                await a.service.request_blocks("not-a-peer-id", from_number=0)
            await trio.sleep(0.2)
            assert a.service.peer_count() == 1  # still running, still peered
            assert len(await a.service.request_blocks(b.peer_id, from_number=0)) == 2

    run(main)
