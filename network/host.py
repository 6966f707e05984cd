"""The libp2p host: the only place that calls ``libp2p.new_host``.

Substrate nodes speak TCP, then multistream-select, then ``/noise`` (XX) and ``/yamux/1.0.0``. py-libp2p's
default host would also offer plaintext, SECIO, TLS and mplex, so the security and muxer tables are passed in
explicitly: a peer that cannot do Noise and Yamux cannot connect at all. The identity is the ed25519 node key,
which gives the same ``12D3KooW…`` peer id Substrate derives from ``--node-key``.
"""

from __future__ import annotations

from libp2p import new_host
from libp2p.abc import IHost
from libp2p.crypto.ed25519 import create_new_key_pair
from libp2p.crypto.keys import KeyPair
from libp2p.crypto.x25519 import create_new_key_pair as create_x25519_key_pair
from libp2p.custom_types import TProtocol
from libp2p.network.config import ConnectionConfig
from libp2p.peer.id import ID
from libp2p.security.noise.transport import PROTOCOL_ID as NOISE_PROTOCOL_ID
from libp2p.security.noise.transport import Transport as NoiseTransport
from libp2p.stream_muxer.yamux.yamux import PROTOCOL_ID as YAMUX_PROTOCOL_ID
from libp2p.stream_muxer.yamux.yamux import Yamux
from multiaddr import Multiaddr

from network.config import NetworkConfig

SECURITY_PROTOCOLS: tuple[str, ...] = (str(NOISE_PROTOCOL_ID),)
MUXER_PROTOCOLS: tuple[str, ...] = (str(YAMUX_PROTOCOL_ID),)


def keypair_from_seed(seed: bytes) -> KeyPair:
    """The libp2p ed25519 key pair for a 32-byte node-key seed."""
    if len(seed) != 32:
        raise ValueError("an ed25519 node key seed is 32 bytes")
    return create_new_key_pair(seed)


def peer_id_from_seed(seed: bytes) -> str:
    """``12D3KooW…``: the identity-multihash peer id of the seed's public key."""
    return ID.from_pubkey(keypair_from_seed(seed).public_key).pretty()


def _connection_config() -> ConnectionConfig:
    return ConnectionConfig(min_connections=0, low_watermark=0, auto_connect_interval=3600.0)


async def _no_auto_connect() -> None:
    return None


def _disable_auto_connector(host: IHost) -> None:
    """Only the peerset decides whom to dial.

    py-libp2p's swarm redials every peer in its peerstore (aiming at the middle of its watermarks, whatever
    ``low_watermark`` says) and does so right after each disconnect: that would bring banned peers straight
    back and race our own dials with duplicate connections. 0.8.1 has no switch for it, so the instance's
    ``maybe_connect`` is replaced with a no-op.
    """
    connector = getattr(host.get_network(), "auto_connector", None)
    if connector is not None:
        connector.maybe_connect = _no_auto_connect


def build_host(config: NetworkConfig) -> IHost:
    """A TCP host with Noise XX security and Yamux multiplexing only (no plaintext, SECIO, TLS or mplex)."""
    key_pair = keypair_from_seed(config.node_key)
    # The Noise static key is a fresh x25519 key; the libp2p identity is proven by the signed handshake payload.
    noise = NoiseTransport(key_pair, noise_privkey=create_x25519_key_pair().private_key)
    host = new_host(
        key_pair=key_pair,
        sec_opt={TProtocol(NOISE_PROTOCOL_ID): noise},
        muxer_opt={TProtocol(YAMUX_PROTOCOL_ID): Yamux},
        listen_addrs=[Multiaddr(a) for a in config.listen_addresses],
        enable_mDNS=config.enable_mdns,
        connection_config=_connection_config(),
    )
    _disable_auto_connector(host)
    return host
