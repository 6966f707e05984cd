"""The RPC namespaces, one module each, and :func:`build_registry` which wires them to the backends."""

from __future__ import annotations

from subtensor.rpc.api import Keystore, RpcApi
from subtensor.rpc.backend import ChainBackend, NetworkBackend, NodeInfo, TransactionPoolBackend
from subtensor.rpc.dispatch import MethodTable, Registry
from subtensor.rpc.methods import author, chain, engine, new_api, payment, state, system

TABLES: tuple[MethodTable, ...] = (
    system.methods, chain.methods, state.methods, author.methods, payment.methods, new_api.methods,
    engine.methods,
)


def build_registry(chain_backend: ChainBackend, pool: TransactionPoolBackend, network: NetworkBackend,
                   info: NodeInfo | None = None, keystore: Keystore | None = None, *,
                   blocking_threads: int = 4, sealer: engine.BlockSealer | None = None) -> Registry:
    """Every method, bound to these backends; pass the result to :func:`subtensor.rpc.server.serve`."""
    api = RpcApi(chain_backend, pool, network, info or NodeInfo(), keystore, blocking_threads)
    if sealer is not None:
        api.registry("engine")["sealer"] = sealer
    return Registry(TABLES, api)


__all__ = ["TABLES", "build_registry"]
