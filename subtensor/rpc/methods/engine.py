"""Manual sealing (``--sealing manual``): ``engine_createBlock`` and ``engine_finalizeBlock``.

Same names, parameters and result shapes as Substrate's manual-seal RPC: ``engine_createBlock(
create_empty, finalize, parent_hash?)`` returns ``{"hash": "0x…", "aux": {"header_only": false}}``.
The node supplies a :class:`BlockSealer`; without one (other sealing modes) the methods report an error.
"""

from __future__ import annotations

from typing import Any, Protocol

from subtensor.rpc.api import RpcApi
from subtensor.rpc.dispatch import MethodTable
from subtensor.rpc.errors import RpcError
from subtensor.rpc.params import block_hash, boolean, hex_bytes, optional

methods = MethodTable()
SEALING_ERROR = 6000  # Substrate's "dev" RPC error base (manual-seal errors live here)


class BlockSealer(Protocol):
    async def create_block(self, create_empty: bool, finalize: bool, parent_hash: bytes | None) -> bytes: ...

    async def finalize_block(self, block_hash: bytes) -> bool: ...


def _sealer(api: RpcApi) -> BlockSealer:
    sealer = api.registry("engine").get("sealer")
    if sealer is None:
        raise RpcError(SEALING_ERROR, "Manual sealing is not enabled (start the node with --sealing manual)")
    return sealer  # type: ignore[no-any-return]


@methods.method("engine_createBlock", ("create_empty", boolean), ("finalize", boolean),
                ("parent_hash", optional(block_hash)), unsafe=True)
async def create_block(api: RpcApi, create_empty: bool, finalize: bool, parent_hash: bytes | None) -> Any:
    try:
        new_hash = await _sealer(api).create_block(create_empty, finalize, parent_hash)
    except ValueError as exc:
        raise RpcError(SEALING_ERROR, str(exc)) from exc
    return {"hash": "0x" + new_hash.hex(), "aux": {"header_only": False}}


@methods.method("engine_finalizeBlock", ("hash", block_hash), ("justification", optional(hex_bytes)),
                unsafe=True)
async def finalize_block(api: RpcApi, hash: bytes, justification: bytes | None) -> bool:  # noqa: A002
    return await _sealer(api).finalize_block(hash)
