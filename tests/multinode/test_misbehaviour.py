"""Peers that misbehave against a real node are disconnected and banned, and the node keeps running:
a block with a bad seal, a handshake for another genesis, and garbage on a notification substream."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest
import trio
from libp2p.custom_types import TProtocol
from libp2p.peer.id import ID

from consensus.aura import pre_digest, seal
from network.config import NetworkConfig
from network.framing import encode_frame
from network.service import NetworkService
from runtime.primitives.header import Header, header_from_json
from runtime.primitives.keys import dev_account
from tests.multinode.harness import Net, make_net

pytestmark = [pytest.mark.slow, pytest.mark.timeout(300)]


@pytest.fixture(scope="module")
def net(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Net]:
    network = make_net(tmp_path_factory.mktemp("bad"), 1, 1, "dev")
    try:
        network.start(0, extra=("--sealing", "manual"))
        network.wait("RPC", lambda: network.number(0, finalized=False) is not None, 60)
        for _ in range(3):
            network.rpc(0, "engine_createBlock", [True, False])
        yield network
    finally:
        network.stop_all()


class Attacker:
    """ChainInfo + BlockSource + NetworkEvents for a hostile peer: claims ``best`` and serves ``blocks``."""

    def __init__(self, genesis: bytes, best: Header, blocks: dict[bytes, Header]) -> None:
        self._genesis, self._best, self.blocks = genesis, best, blocks

    def genesis_hash(self) -> bytes:
        return self._genesis

    def best(self) -> tuple[int, bytes]:
        return self._best.number, self._best.hash

    def hash_at(self, number: int) -> bytes | None:
        return next((h.hash for h in self.blocks.values() if h.number == number), None)

    def number_of(self, block_hash: bytes) -> int | None:
        header = self.blocks.get(block_hash)
        return None if header is None else header.number

    def header(self, block_hash: bytes) -> bytes | None:
        header = self.blocks.get(block_hash)
        return None if header is None else header.encode()

    def body(self, block_hash: bytes) -> list[bytes] | None:
        return [] if block_hash in self.blocks else None

    def justifications(self, block_hash: bytes) -> list[tuple[bytes, bytes]] | None:
        return None

    async def peer_connected(self, *args: Any) -> None: ...

    async def peer_disconnected(self, *args: Any) -> None: ...

    async def block_announced(self, *args: Any) -> None: ...

    async def transactions(self, *args: Any) -> None: ...

    async def grandpa_message(self, *args: Any) -> None: ...


def attacker_service(net: Net, attacker: Attacker) -> NetworkService:
    config = NetworkConfig(node_key=os.urandom(32), genesis_hash=attacker.genesis_hash(),
                           listen_addresses=("/ip4/127.0.0.1/tcp/0",), bootnodes=(net.nodes[0].multiaddr,))
    return NetworkService(config, attacker, attacker, attacker)


def node_header(net: Net, block_hash: str) -> Header:
    return header_from_json(net.rpc(0, "chain_getHeader", [block_hash]))


def banned_in_log(net: Net, peer_id: str) -> bool:
    return any("Banning" in line and peer_id in line
               for line in net.nodes[0].log_path.read_text(errors="replace").splitlines())


async def wait_until(predicate: Any, timeout: float) -> bool:
    with trio.move_on_after(timeout):
        while not predicate():
            await trio.sleep(0.1)
        return True
    return False


def test_block_with_a_bad_seal_gets_the_peer_banned(net: Net) -> None:
    best = node_header(net, net.rpc(0, "chain_getBlockHash", []))
    genesis = bytes.fromhex(net.hash_at(0, 0)[2:])  # type: ignore[index]
    parent_slot = next(int.from_bytes(item.data, "little") for item in best.logs if item.engine == b"aura"
                       and hasattr(item, "data") and len(item.data) == 8)
    slot = parent_slot + 1
    forged = seal(Header(best.hash, best.number + 1, os.urandom(32), os.urandom(32), (pre_digest(slot),)),
                  dev_account("Bob"))  # Alice owns every slot of the dev chain: Bob's seal is invalid
    attacker = Attacker(genesis, forged, {forged.hash: forged})
    service = attacker_service(net, attacker)

    async def main() -> None:
        async with trio.open_nursery() as nursery:
            await nursery.start(service.run)
            # The node sees our best block in the handshake, fetches it, fails the seal check and bans us
            # (announcing it as well covers the announce path when the handshake alone was not enough).
            for _ in range(100):
                if banned_in_log(net, service.local_peer_id):
                    break
                service.announce_block(forged.encode(), True)
                await trio.sleep(0.2)
            assert await wait_until(lambda: service.peer_count() == 0, 20), "not disconnected"
            # Redials (the service keeps dialling its bootnode) are refused while the ban lasts.
            await trio.sleep(3)
            assert service.peer_count() == 0
            nursery.cancel_scope.cancel()

    trio.run(main)
    assert banned_in_log(net, service.local_peer_id)
    assert net.number(0, finalized=False) == best.number  # the forged block was not imported
    assert net.rpc(0, "system_health")["peers"] == 0


def test_wrong_genesis_handshake_gets_the_peer_banned(net: Net) -> None:
    fake_genesis = Header(bytes(32), 0, os.urandom(32), bytes(32))
    service = attacker_service(net, Attacker(fake_genesis.hash, fake_genesis, {fake_genesis.hash: fake_genesis}))

    async def main() -> None:
        async with trio.open_nursery() as nursery:
            await nursery.start(service.run)
            assert await wait_until(lambda: banned_in_log(net, service.local_peer_id), 20), "no ban logged"
            await trio.sleep(2)
            assert service.peer_count() == 0
            nursery.cancel_scope.cancel()

    trio.run(main)
    assert net.number(0, finalized=False) is not None  # still serving


def test_garbage_on_a_notification_substream_gets_the_peer_banned(net: Net) -> None:
    genesis = bytes.fromhex(net.hash_at(0, 0)[2:])  # type: ignore[index]
    best = node_header(net, net.rpc(0, "chain_getBlockHash", [0]))
    service = attacker_service(net, Attacker(genesis, best, {best.hash: best}))
    node_peer = ID.from_base58(net.nodes[0].peer_id)

    async def main() -> None:
        async with trio.open_nursery() as nursery:
            await nursery.start(service.run)
            assert await wait_until(lambda: service.peer_count() == 1, 20), "never connected"
            stream = await service.host.new_stream(node_peer, [TProtocol(f"/{genesis.hex()}/block-announces/1")])
            await stream.write(encode_frame(b"\xde\xad\xbe\xef"))  # not a 69-byte handshake
            assert await wait_until(lambda: banned_in_log(net, service.local_peer_id), 20), "no ban logged"
            nursery.cancel_scope.cancel()

    trio.run(main)
    assert net.rpc(0, "system_health")["peers"] == 0
    net.rpc(0, "engine_createBlock", [True, False])  # and the node keeps producing
