"""``system_*`` (node facts from NodeInfo/NetworkBackend) and ``account_nextIndex``."""

from __future__ import annotations

from typing import Any

from subtensor.rpc.api import RpcApi
from subtensor.rpc.dispatch import MethodTable
from subtensor.rpc.params import account, block_hash, hex_bytes, optional

methods = MethodTable()

_KNOWN_CHAIN_TYPES = ("Development", "Local", "Live")


@methods.method("system_name")
async def system_name(api: RpcApi) -> str:
    return api.info.name


@methods.method("system_version")
async def system_version(api: RpcApi) -> str:
    return api.info.version


@methods.method("system_chain")
async def system_chain(api: RpcApi) -> str:
    return api.info.chain


@methods.method("system_chainType")
async def system_chain_type(api: RpcApi) -> Any:
    kind = api.info.chain_type
    return kind if kind in _KNOWN_CHAIN_TYPES else {"Custom": kind}


@methods.method("system_properties")
async def system_properties(api: RpcApi) -> dict[str, Any]:
    return dict(api.info.properties)


@methods.method("system_health")
async def system_health(api: RpcApi) -> dict[str, Any]:
    return {"peers": len(api.network.peers()), "isSyncing": api.network.is_syncing(),
            "shouldHavePeers": api.info.chain_type != "Development"}


@methods.method("system_peers", unsafe=True)
async def system_peers(api: RpcApi) -> list[dict[str, Any]]:
    return api.network.peers()


@methods.method("system_localPeerId")
async def system_local_peer_id(api: RpcApi) -> str:
    return api.info.local_peer_id


@methods.method("system_localListenAddresses")
async def system_local_listen_addresses(api: RpcApi) -> list[str]:
    return list(api.info.listen_addresses)


@methods.method("system_nodeRoles")
async def system_node_roles(api: RpcApi) -> list[str]:
    return list(api.info.roles)


@methods.method("system_syncState")
async def system_sync_state(api: RpcApi) -> dict[str, int]:
    return dict(api.network.sync_state())


@methods.method("system_accountNextIndex", ("account", account), aliases=("account_nextIndex",))
async def system_account_next_index(api: RpcApi, account_id: bytes) -> int:
    return api.pool.account_next_index(account_id)


@methods.method("system_dryRun", ("extrinsic", hex_bytes), ("at", optional(block_hash)),
                aliases=("system_dryRunAt",), unsafe=True)
async def system_dry_run(api: RpcApi, extrinsic: bytes, at: bytes | None) -> str:
    """The SCALE ``ApplyExtrinsicResult`` of applying ``extrinsic`` on top of ``at``."""
    block = api.at(at)
    return "0x" + (await api.blocking(api.chain.runtime_call, block, "BlockBuilder_apply_extrinsic", extrinsic)).hex()
