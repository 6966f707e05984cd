"""``author_*``: transaction submission and watching (errors come from the pool as SubmitError with
Substrate's author codes), pending/removal, and the unsafe keystore methods."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

from runtime.primitives.hashing import blake2_256
from subtensor.rpc import errors
from subtensor.rpc.api import Keystore, RpcApi
from subtensor.rpc.dispatch import MethodTable, Subscription
from subtensor.rpc.errors import RpcError
from subtensor.rpc.params import ParamError, hex_bytes, list_of, string

methods = MethodTable()

UNSUPPORTED_KEY_TYPE = errors.AUTHOR_BASE + 5


def _extrinsic_or_hash(value: Any) -> bytes:
    """``{"hash": "0x…"}`` or ``{"extrinsic": "0x…"}`` → the transaction hash."""
    if isinstance(value, dict) and len(value) == 1:
        if "hash" in value:
            raw = hex_bytes(value["hash"])
            if len(raw) != 32:
                raise ParamError("a transaction hash is 32 bytes")
            return raw
        if "extrinsic" in value:
            return blake2_256(hex_bytes(value["extrinsic"]))
    raise ParamError('expected {"hash": "0x…"} or {"extrinsic": "0x…"}')


def _key_type(value: Any) -> str:
    text = string(value)
    if len(text.encode()) != 4:
        raise ParamError(f"key type {text!r} must be 4 bytes, e.g. \"aura\"")
    return text


def _keystore(api: RpcApi) -> Keystore:
    if api.keystore is None:
        raise errors.internal_error("this node has no keystore")
    return api.keystore


@methods.method("author_submitExtrinsic", ("extrinsic", hex_bytes))
async def author_submit_extrinsic(api: RpcApi, extrinsic: bytes) -> str:
    return "0x" + (await api.pool.submit(extrinsic)).hex()


@methods.method("author_submitAndWatchExtrinsic", ("extrinsic", hex_bytes), subscribe=True)
async def author_submit_and_watch_extrinsic(api: RpcApi, extrinsic: bytes) -> Subscription:
    """Validation errors are the call's error; afterwards each status is an ``author_extrinsicUpdate``."""
    statuses = await api.pool.submit_and_watch(extrinsic)

    async def stream() -> AsyncIterator[Any]:
        try:
            async for status in statuses:
                yield status.value
                if status.final:
                    return
        finally:
            close = getattr(statuses, "aclose", None)
            if close is not None:
                await close()

    return Subscription("author_extrinsicUpdate", stream())


methods.unsubscribe("author_unwatchExtrinsic", "author_submitAndWatchExtrinsic")


@methods.method("author_pendingExtrinsics")
async def author_pending_extrinsics(api: RpcApi) -> list[str]:
    return ["0x" + ext.hex() for ext in api.pool.pending()]


@methods.method("author_removeExtrinsic", ("bytesOrHash", list_of(_extrinsic_or_hash)), unsafe=True)
async def author_remove_extrinsic(api: RpcApi, hashes: list[bytes]) -> list[str]:
    return ["0x" + removed.hex() for removed in api.pool.remove(hashes)]


@methods.method("author_insertKey", ("keyType", _key_type), ("suri", string), ("publicKey", hex_bytes), unsafe=True)
async def author_insert_key(api: RpcApi, key_type: str, suri: str, public: bytes) -> None:
    try:
        _keystore(api).insert_key(key_type, suri, public)
    except ValueError as exc:
        raise RpcError(UNSUPPORTED_KEY_TYPE, "Unknown key type crypto", str(exc)) from None


@methods.method("author_rotateKeys", unsafe=True)
async def author_rotate_keys(api: RpcApi) -> str:
    return "0x" + (await api.blocking(_keystore(api).rotate_keys)).hex()


@methods.method("author_hasSessionKeys", ("sessionKeys", hex_bytes), unsafe=True)
async def author_has_session_keys(api: RpcApi, session_keys: bytes) -> bool:
    return _keystore(api).has_session_keys(session_keys)


@methods.method("author_hasKey", ("publicKey", hex_bytes), ("keyType", _key_type), unsafe=True)
async def author_has_key(api: RpcApi, public: bytes, key_type: str) -> bool:
    return _keystore(api).has_key(public, key_type)
