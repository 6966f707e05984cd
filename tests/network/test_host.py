"""The libp2p host: Substrate-compatible peer ids and a Noise + Yamux-only upgrade path."""

from __future__ import annotations

import pytest
import trio
from libp2p import new_host
from libp2p.crypto.ed25519 import create_new_key_pair
from libp2p.crypto.x25519 import create_new_key_pair as create_x25519_key_pair
from libp2p.custom_types import TProtocol
from libp2p.peer.peerinfo import info_from_p2p_addr
from libp2p.security.insecure.transport import PLAINTEXT_PROTOCOL_ID, InsecureTransport
from libp2p.security.noise.transport import PROTOCOL_ID as NOISE
from libp2p.security.noise.transport import Transport as NoiseTransport
from libp2p.stream_muxer.mplex.mplex import MPLEX_PROTOCOL_ID, Mplex
from libp2p.stream_muxer.yamux.yamux import PROTOCOL_ID as YAMUX
from libp2p.stream_muxer.yamux.yamux import Yamux
from multiaddr import Multiaddr

from network.config import NetworkConfig
from network.host import MUXER_PROTOCOLS, SECURITY_PROTOCOLS, build_host, peer_id_from_seed

LOOPBACK = Multiaddr("/ip4/127.0.0.1/tcp/0")


def test_peer_id_vector_for_node_key_one() -> None:
    assert peer_id_from_seed(bytes(31) + b"\x01") == "12D3KooWEyoppNCUx8Yx66oV9fJnriXwCcXwDDUA2kj6vnc6iDEp"


def test_peer_id_matches_the_identity_multihash_of_the_protobuf_key() -> None:
    import base58
    from nacl.signing import SigningKey

    seed = bytes(range(32))
    public = bytes(SigningKey(seed).verify_key)
    expected = base58.b58encode(bytes([0x00, 0x24, 0x08, 0x01, 0x12, 0x20]) + public).decode()
    assert peer_id_from_seed(seed) == expected


def test_only_noise_and_yamux_are_offered() -> None:
    host = build_host(NetworkConfig(node_key=bytes(31) + b"\x01", genesis_hash=bytes(32)))
    assert SECURITY_PROTOCOLS == ("/noise",) and MUXER_PROTOCOLS == ("/yamux/1.0.0",)
    upgrader = host.get_network().upgrader  # type: ignore[attr-defined]
    assert list(upgrader.security_multistream.transports) == [TProtocol("/noise")]
    assert list(upgrader.muxer_multistream.transports) == [TProtocol("/yamux/1.0.0")]


def _dialer(security: str, muxer: str = "yamux") -> object:
    key_pair = create_new_key_pair(b"\x07" * 32)
    sec = (
        {PLAINTEXT_PROTOCOL_ID: InsecureTransport(key_pair)} if security == "plaintext"
        else {TProtocol(NOISE): NoiseTransport(key_pair, noise_privkey=create_x25519_key_pair().private_key)}
    )
    mux = {TProtocol(YAMUX): Yamux} if muxer == "yamux" else {MPLEX_PROTOCOL_ID: Mplex}
    return new_host(key_pair=key_pair, sec_opt=sec, muxer_opt=mux, listen_addrs=[LOOPBACK])


async def _try_connect(dialer: object) -> bool:
    ours = build_host(NetworkConfig(node_key=b"\x05" * 32, genesis_hash=bytes(32),
                                    listen_addresses=("/ip4/127.0.0.1/tcp/0",)))
    async with ours.run([LOOPBACK]), dialer.run([LOOPBACK]):  # type: ignore[attr-defined]
        try:
            with trio.fail_after(5):
                await dialer.connect(info_from_p2p_addr(ours.get_addrs()[0]))  # type: ignore[attr-defined]
        except Exception:
            return False
        await trio.sleep(0.1)
        return len(ours.get_connected_peers()) == 1


@pytest.mark.parametrize(
    "security,muxer,connects",
    [("noise", "yamux", True), ("plaintext", "yamux", False), ("noise", "mplex", False)],
)
def test_dialers_without_noise_or_yamux_cannot_connect(security: str, muxer: str, connects: bool) -> None:
    assert trio.run(_try_connect, _dialer(security, muxer)) is connects
