"""``state_*``: storage reads, key scans, proofs, runtime calls, metadata, versions, subscriptions.

Single-key reads run on the event loop (a point lookup costs less than a thread hop, ~70 µs); runtime
calls, metadata, key scans, range queries and proofs go to a worker thread.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from typing import Any

from runtime.primitives.hashing import blake2_256
from subtensor.rpc import errors
from subtensor.rpc.api import RpcApi
from subtensor.rpc.backend import StateUnavailable, UnknownBlock
from subtensor.rpc.dispatch import MethodTable, Subscription
from subtensor.rpc.errors import RpcError
from subtensor.rpc.params import ParamError, block_hash, hex_bytes, list_of, optional, string, u32

methods = MethodTable()

KEYS_PAGED_MAX_COUNT = 1000  # Substrate's STORAGE_KEYS_PAGED_MAX_COUNT
INLINE_KEYS = 8  # more keys than this are read on a worker thread
MAX_QUERY_RANGE = 65_536  # blocks in one state_queryStorage


def _hex(data: bytes | None) -> str | None:
    return None if data is None else "0x" + data.hex()


def runtime_version_json(version: dict[str, Any]) -> dict[str, Any]:
    """sp_version::RuntimeVersion as JSON. ``stateVersion`` is the field's older name; newer nodes
    serialize it as ``systemVersion``, so both are given."""
    return {
        "specName": version["spec_name"], "implName": version["impl_name"],
        "authoringVersion": version["authoring_version"], "specVersion": version["spec_version"],
        "implVersion": version["impl_version"],
        "apis": [["0x" + bytes(api_id).hex(), api_version] for api_id, api_version in version["apis"]],
        "transactionVersion": version["transaction_version"],
        "stateVersion": version["system_version"], "systemVersion": version["system_version"],
    }


def _read_many(api: RpcApi, at: bytes, keys: Sequence[bytes]) -> list[bytes | None]:
    return [api.storage(at, key) for key in keys]


async def read_many(api: RpcApi, at: bytes, keys: Sequence[bytes]) -> list[bytes | None]:
    if len(keys) <= INLINE_KEYS:
        return _read_many(api, at, keys)
    return await api.blocking(_read_many, api, at, keys)


async def _scan_keys(api: RpcApi, at: bytes, prefix: bytes, count: int, start: bytes | None) -> list[bytes]:
    try:
        return await api.blocking(api.chain.storage_keys, at, prefix, count, start)
    except (UnknownBlock, StateUnavailable) as exc:
        raise errors.from_backend(exc, at) from None


async def runtime_call(api: RpcApi, at: bytes, name: str, data: bytes) -> bytes:
    try:
        return await api.blocking(api.chain.runtime_call, at, name, data)
    except (UnknownBlock, StateUnavailable) as exc:
        raise errors.from_backend(exc, at) from None


async def runtime_version(api: RpcApi, at: bytes) -> dict[str, Any]:
    try:
        return await api.blocking(api.chain.runtime_version, at)
    except (UnknownBlock, StateUnavailable) as exc:
        raise errors.from_backend(exc, at) from None


@methods.method("state_getStorage", ("key", hex_bytes), ("at", optional(block_hash)), aliases=("state_getStorageAt",))
async def state_get_storage(api: RpcApi, key: bytes, at: bytes | None) -> str | None:
    return _hex(api.storage(api.at(at), key))


@methods.method("state_getStorageHash", ("key", hex_bytes), ("at", optional(block_hash)),
                aliases=("state_getStorageHashAt",))
async def state_get_storage_hash(api: RpcApi, key: bytes, at: bytes | None) -> str | None:
    value = api.storage(api.at(at), key)
    return None if value is None else "0x" + blake2_256(value).hex()


@methods.method("state_getStorageSize", ("key", hex_bytes), ("at", optional(block_hash)),
                aliases=("state_getStorageSizeAt",))
async def state_get_storage_size(api: RpcApi, key: bytes, at: bytes | None) -> int | None:
    value = api.storage(api.at(at), key)
    return None if value is None else len(value)


@methods.method("state_getKeys", ("prefix", hex_bytes), ("at", optional(block_hash)))
async def state_get_keys(api: RpcApi, prefix: bytes, at: bytes | None) -> list[str]:
    block = api.at(at)
    return ["0x" + key.hex() for key in await _scan_keys(api, block, prefix, 2**32 - 1, None)]


@methods.method("state_getKeysPaged", ("prefix", optional(hex_bytes)), ("count", u32),
                ("startKey", optional(hex_bytes)), ("at", optional(block_hash)), aliases=("state_getKeysPagedAt",))
async def state_get_keys_paged(api: RpcApi, prefix: bytes | None, count: int, start: bytes | None,
                               at: bytes | None) -> list[str]:
    if count > KEYS_PAGED_MAX_COUNT:
        raise RpcError(errors.STATE_INVALID_COUNT,
                       f"count exceeds maximum value. value: {count}, max: {KEYS_PAGED_MAX_COUNT}")
    block = api.at(at)
    return ["0x" + key.hex() for key in await _scan_keys(api, block, prefix or b"", count, start)]


@methods.method("state_getPairs", ("prefix", hex_bytes), ("at", optional(block_hash)), unsafe=True)
async def state_get_pairs(api: RpcApi, prefix: bytes, at: bytes | None) -> list[list[str | None]]:
    block = api.at(at)
    keys = await _scan_keys(api, block, prefix, 2**32 - 1, None)
    values = await api.blocking(_read_many, api, block, keys)
    return [["0x" + key.hex(), _hex(value)] for key, value in zip(keys, values)]


def _changes(keys: Sequence[bytes], values: Sequence[bytes | None]) -> list[list[str | None]]:
    return [["0x" + key.hex(), _hex(value)] for key, value in zip(keys, values)]


@methods.method("state_queryStorageAt", ("keys", list_of(hex_bytes)), ("at", optional(block_hash)))
async def state_query_storage_at(api: RpcApi, keys: list[bytes], at: bytes | None) -> list[dict[str, Any]]:
    block = api.at(at)
    values = await read_many(api, block, keys)
    return [{"block": "0x" + block.hex(), "changes": _changes(keys, values)}]


def _range(api: RpcApi, start: bytes, end: bytes) -> list[bytes]:
    """The blocks from ``start`` to ``end`` inclusive along ``end``'s ancestry (4001 if not an ancestor)."""
    def bad(details: str) -> RpcError:
        return RpcError(errors.STATE_INVALID_BLOCK_RANGE,
                        f"Cannot resolve a block range ['0x{start.hex()}' ... '0x{end.hex()}']. {details}")
    first = api.chain.header(start)
    if first is None:
        raise bad(f"UnknownBlock: Header was not found in the database: 0x{start.hex()}")
    hashes = [end]
    header = api.chain.header(end)
    if header is None:
        raise bad(f"UnknownBlock: Header was not found in the database: 0x{end.hex()}")
    while hashes[-1] != start:
        if header.number <= first.number:
            raise bad("from is not an ancestor of to")
        if len(hashes) >= MAX_QUERY_RANGE:
            raise bad(f"the range is longer than {MAX_QUERY_RANGE} blocks")
        hashes.append(header.parent_hash)
        parent = api.chain.header(header.parent_hash)
        if parent is None:
            raise bad("the chain between the two blocks is incomplete")
        header = parent
    return hashes[::-1]


def _query_storage(api: RpcApi, keys: Sequence[bytes], start: bytes, end: bytes) -> list[dict[str, Any]]:
    result = []
    last: dict[bytes, bytes | None] = {}
    for block in _range(api, start, end):
        changes = []
        for key in keys:
            value = api.storage(block, key)
            if key not in last or last[key] != value:
                changes.append(["0x" + key.hex(), _hex(value)])
            last[key] = value
        if changes:
            result.append({"block": "0x" + block.hex(), "changes": changes})
    return result


@methods.method("state_queryStorage", ("keys", list_of(hex_bytes)), ("fromBlock", block_hash),
                ("toBlock", optional(block_hash)))
async def state_query_storage(api: RpcApi, keys: list[bytes], start: bytes, end: bytes | None) -> list[dict[str, Any]]:
    return await api.blocking(_query_storage, api, keys, start, end or api.chain.best_hash())


@methods.method("state_getReadProof", ("keys", list_of(hex_bytes)), ("at", optional(block_hash)))
async def state_get_read_proof(api: RpcApi, keys: list[bytes], at: bytes | None) -> dict[str, Any]:
    block = api.at(at)
    try:
        proof = await api.blocking(api.chain.read_proof, block, keys)
    except (UnknownBlock, StateUnavailable) as exc:
        raise errors.from_backend(exc, block) from None
    return {"at": "0x" + block.hex(), "proof": ["0x" + node.hex() for node in proof]}


@methods.method("state_getMetadata", ("at", optional(block_hash)))
async def state_get_metadata(api: RpcApi, at: bytes | None) -> str:
    block = api.at(at)
    try:
        return "0x" + (await api.blocking(api.chain.metadata, block)).hex()
    except (UnknownBlock, StateUnavailable) as exc:
        raise errors.from_backend(exc, block) from None


@methods.method("state_getRuntimeVersion", ("at", optional(block_hash)), aliases=("chain_getRuntimeVersion",))
async def state_get_runtime_version(api: RpcApi, at: bytes | None) -> dict[str, Any]:
    return runtime_version_json(await runtime_version(api, api.at(at)))


@methods.method("state_call", ("name", string), ("bytes", hex_bytes), ("at", optional(block_hash)),
                aliases=("state_callAt",))
async def state_call(api: RpcApi, name: str, data: bytes, at: bytes | None) -> str:
    return "0x" + (await runtime_call(api, api.at(at), name, data)).hex()


@methods.method("state_subscribeStorage", ("keys", optional(list_of(hex_bytes))), subscribe=True)
async def state_subscribe_storage(api: RpcApi, keys: list[bytes] | None) -> Subscription:
    """First notification: every key's current value; then the keys that changed in each new best block."""
    if keys is None:
        raise ParamError("subscribing to every storage change is not supported; pass a list of keys")
    receive = api.hub.listen()
    best = api.chain.best_hash()

    async def stream() -> AsyncIterator[Any]:
        with receive:
            last = await read_many(api, best, keys)
            yield {"block": "0x" + best.hex(), "changes": _changes(keys, last)}
            async for event in receive:
                if not event.is_best:
                    continue
                try:
                    now = await read_many(api, event.hash, keys)
                except RpcError:  # state already pruned by the time we look: skip the block
                    continue
                changed = [i for i, value in enumerate(now) if value != last[i]]
                last = now
                if changed:
                    yield {"block": "0x" + event.hash.hex(),
                           "changes": _changes([keys[i] for i in changed], [now[i] for i in changed])}

    return Subscription("state_storage", stream(), on_close=receive.close)


@methods.method("state_subscribeRuntimeVersion", aliases=("chain_subscribeRuntimeVersion",), subscribe=True)
async def state_subscribe_runtime_version(api: RpcApi) -> Subscription:
    """The current version first, then each change seen on a new best block."""
    receive = api.hub.listen()
    best = api.chain.best_hash()

    async def stream() -> AsyncIterator[Any]:
        with receive:
            last = runtime_version_json(await runtime_version(api, best))
            yield last
            async for event in receive:
                if not event.is_best:
                    continue
                try:
                    now = runtime_version_json(await runtime_version(api, event.hash))
                except RpcError:
                    continue
                if now != last:
                    last = now
                    yield now

    return Subscription("state_runtimeVersion", stream(), on_close=receive.close)


methods.unsubscribe("state_unsubscribeStorage", "state_subscribeStorage")
methods.unsubscribe("state_unsubscribeRuntimeVersion", "state_subscribeRuntimeVersion",
                    aliases=("chain_unsubscribeRuntimeVersion",))
