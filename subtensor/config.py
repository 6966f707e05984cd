"""Node configuration: the parsed command line as one frozen value, validated on construction."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

DEV_ACCOUNTS = ("alice", "bob", "charlie", "dave", "eve", "ferdie")
SEALING_MODES = ("aura", "instant", "manual", "interval")


class ConfigError(ValueError):
    """The command line does not describe a runnable node."""


@dataclass(frozen=True)
class NodeConfig:
    chain: str = "dev"
    base_path: Path | None = None
    tmp: bool = False
    name: str = "pysubtensor"
    validator: bool = False
    dev_key: str | None = None  # alice … ferdie: use that dev account's keys
    port: int = 30333
    rpc_port: int = 9944
    rpc_external: bool = False
    rpc_cors: tuple[str, ...] | str = ("http://localhost:*", "http://127.0.0.1:*", "https://localhost:*",
                                       "https://127.0.0.1:*", "https://polkadot.js.org")
    rpc_methods: str = "auto"
    rpc_max_connections: int = 100
    pruning: int | None = 256
    bootnodes: tuple[str, ...] = ()
    listen_addrs: tuple[str, ...] = ()  # default: /ip4/0.0.0.0/tcp/{port}
    reserved_nodes: tuple[str, ...] = ()
    reserved_only: bool = False
    in_peers: int = 32
    out_peers: int = 8
    mdns: bool = False
    network: bool = True  # --no-network: a lone node (no libp2p host), e.g. for RPC-only tests
    node_key: str | None = None
    prometheus_port: int | None = 9615
    fast_blocks: bool = True
    sealing: str = "aura"
    sealing_interval_ms: int = 1000
    instant_finality: bool = False
    log_filters: tuple[str, ...] = field(default_factory=tuple)

    def __post_init__(self) -> None:
        if self.dev_key is not None and self.dev_key not in DEV_ACCOUNTS:
            raise ConfigError(f"unknown dev account {self.dev_key!r}")
        if self.sealing not in SEALING_MODES:
            raise ConfigError(f"--sealing must be one of {', '.join(SEALING_MODES)}")
        if self.rpc_methods not in ("safe", "unsafe", "auto"):
            raise ConfigError("--rpc-methods must be safe, unsafe or auto")
        if self.pruning is not None and self.pruning < 1:
            raise ConfigError("--pruning must be 'archive' or a positive number of blocks")
        if self.in_peers < 0 or self.out_peers < 0:
            raise ConfigError("--in-peers and --out-peers must not be negative")
        for port in (self.port, self.rpc_port):
            if not 0 <= port < 65536:
                raise ConfigError(f"invalid port {port}")
