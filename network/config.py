"""Network configuration: the node key, addresses, peers, limits and the protocol names they imply.

Everything the networking layer needs to know about the node is in one frozen :class:`NetworkConfig`, built by
the CLI wiring (``subtensor/``). Protocol names follow Substrate: the main name is derived from the genesis hash
(``/{genesis_hex}/block-announces/1``), the legacy fallback from the chain spec's ``protocolId``
(``/{protocol_id}/block-announces/1``); GRANDPA's legacy name is ``/paritytech/grandpa/1``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import IntFlag

from multiaddr import Multiaddr


class Roles(IntFlag):
    """The roles byte of the block-announce handshake (``sc_network::ObservedRole`` / ``Roles``)."""

    FULL = 1
    LIGHT = 2
    AUTHORITY = 4


DEFAULT_P2P_PORT = 30333
# Substrate's notification and request size limits.
MAX_HANDSHAKE_SIZE = 1024
MAX_BLOCK_ANNOUNCE_SIZE = 1024 * 1024
MAX_TRANSACTIONS_SIZE = 16 * 1024 * 1024
MAX_GRANDPA_SIZE = 1024 * 1024
MAX_SYNC_REQUEST_SIZE = 1024 * 1024
MAX_SYNC_RESPONSE_SIZE = 16 * 1024 * 1024


class ConfigError(ValueError):
    """The network configuration is unusable (bad key, bad multiaddr, …)."""


@dataclass(frozen=True, slots=True)
class NetworkConfig:
    """What the network service needs to start.

    ``node_key`` is the 32-byte ed25519 seed (``--node-key``); ``bootnodes`` and ``reserved_peers`` are
    ``/ip4/…/tcp/…/p2p/12D3KooW…`` multiaddrs. Reserved peers are always allowed, whatever the slot counts.
    """

    node_key: bytes
    genesis_hash: bytes
    protocol_id: str = "bittensor"
    fork_id: str | None = None
    listen_addresses: tuple[str, ...] = (f"/ip4/0.0.0.0/tcp/{DEFAULT_P2P_PORT}",)
    bootnodes: tuple[str, ...] = ()
    reserved_peers: tuple[str, ...] = ()
    reserved_only: bool = False
    roles: Roles = Roles.FULL
    in_peers: int = 32
    out_peers: int = 8
    enable_mdns: bool = False
    max_block_announce_size: int = MAX_BLOCK_ANNOUNCE_SIZE
    max_transactions_size: int = MAX_TRANSACTIONS_SIZE
    max_grandpa_size: int = MAX_GRANDPA_SIZE
    max_sync_request_size: int = MAX_SYNC_REQUEST_SIZE
    max_sync_response_size: int = MAX_SYNC_RESPONSE_SIZE
    sync_request_timeout: float = 20.0
    # Inbound sync/2 requests allowed per peer per window before the peer is punished as flooding.
    sync_requests_per_window: int = 64
    sync_request_window: float = 10.0
    node_name: str = field(default="pysubtensor")

    def __post_init__(self) -> None:
        if len(self.node_key) != 32:
            raise ConfigError("the node key is a 32-byte ed25519 seed")
        if len(self.genesis_hash) != 32:
            raise ConfigError("the genesis hash is 32 bytes")
        for text in (*self.listen_addresses, *self.bootnodes, *self.reserved_peers):
            try:
                Multiaddr(text)
            except Exception as exc:  # multiaddr raises several unrelated types
                raise ConfigError(f"invalid multiaddr {text!r}: {exc}") from exc

    @staticmethod
    def with_port(node_key: bytes, genesis_hash: bytes, port: int, **kwargs: object) -> NetworkConfig:
        """A config listening on ``0.0.0.0:port`` (``--port``)."""
        return NetworkConfig(
            node_key=node_key,
            genesis_hash=genesis_hash,
            listen_addresses=(f"/ip4/0.0.0.0/tcp/{port}",),
            **kwargs,  # type: ignore[arg-type]
        )

    @property
    def genesis_hex(self) -> str:
        return self.genesis_hash.hex()

    def protocol_names(self, suffix: str) -> tuple[str, ...]:
        """Main name then legacy fallbacks for ``suffix`` (e.g. ``"block-announces/1"``)."""
        prefix = f"/{self.genesis_hex}/{self.fork_id}" if self.fork_id else f"/{self.genesis_hex}"
        names = [f"{prefix}/{suffix}"]
        if suffix == "grandpa/1":
            names.append("/paritytech/grandpa/1")
        elif self.protocol_id:
            names.append(f"/{self.protocol_id}/{suffix}")
        return tuple(names)
