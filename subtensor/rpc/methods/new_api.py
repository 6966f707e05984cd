"""The basics of the new JSON-RPC spec (paritytech/json-rpc-interface-spec): ``chainHead_v1_*``,
``chainSpec_v1_*`` and ``transaction_v1_*``.

A follow subscription reports ``initialized`` (the finalized block), ``newBlock`` for each descendant
up to the best block, ``bestBlockChanged`` and ``finalized``; every reported block stays pinned until
``chainHead_v1_unpin``. ``body``/``storage``/``call`` answer ``{"result":"started","operationId"}`` and
deliver their outcome as ``operation*`` events on the follow subscription, after that answer is sent.
Not done: pin limits and ``limitReached``, ``stop`` on lag, ``closestDescendantMerkleValue``,
``waitingForContinue`` paging, child tries, ``transactionWatch_v1_*`` and ``archive_v1_*``.
"""

from __future__ import annotations

import itertools
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import trio

from runtime.primitives.hashing import blake2_256
from runtime.primitives.header import RuntimeEnvironmentUpdated
from subtensor.rpc.api import RpcApi
from subtensor.rpc.backend import BlockEvent, SubmitError
from subtensor.rpc.dispatch import AfterResponse, MethodTable, Subscription, new_subscription_id
from subtensor.rpc.params import ParamError, any_json, block_hash, boolean, hex_bytes, list_of, optional, string
from subtensor.rpc.methods.state import runtime_call, runtime_version

methods = MethodTable()

FOLLOW_BUFFER = 1024
MAX_BROADCASTS = 4096
_op_ids = itertools.count(1)


@dataclass
class Follow:
    """One chainHead follow subscription's state."""

    with_runtime: bool
    send: trio.MemorySendChannel[Any]
    pinned: set[bytes] = field(default_factory=set)
    reported: set[bytes] = field(default_factory=set)

    def push(self, *events: dict[str, Any]) -> None:
        for event in events:
            try:
                self.send.send_nowait(event)
            except (trio.WouldBlock, trio.BrokenResourceError, trio.ClosedResourceError):
                return


def _runtime_json(version: dict[str, Any]) -> dict[str, Any]:
    return {"type": "valid", "spec": {
        "specName": version["spec_name"], "implName": version["impl_name"],
        "specVersion": version["spec_version"], "implVersion": version["impl_version"],
        "transactionVersion": version["transaction_version"],
        "apis": {"0x" + bytes(api_id).hex(): ver for api_id, ver in version["apis"]}}}


def _follow(api: RpcApi, follow_id: str) -> Follow | None:
    return api.registry("chainHead").get(follow_id)  # type: ignore[no-any-return]


def _pinned(api: RpcApi, follow_id: str, block: bytes) -> Follow:
    follow = _follow(api, follow_id)
    if follow is None:
        raise ParamError(f"unknown followSubscription {follow_id!r}")
    if block not in follow.pinned:
        raise ParamError(f"block 0x{block.hex()} is not pinned by this subscription")
    return follow


def _op_id() -> str:
    return str(next(_op_ids))


@methods.method("chainHead_v1_follow", ("withRuntime", boolean), subscribe=True)
async def chain_head_follow(api: RpcApi, with_runtime: bool) -> Subscription:
    send, receive = trio.open_memory_channel[Any](FOLLOW_BUFFER)
    follow = Follow(with_runtime, send)
    api.hub.attach(send.clone())
    registry = api.registry("chainHead")
    finalized = api.chain.finalized_hash()
    best = api.chain.best_hash()
    follow_id = ""

    def remember(sub_id: str) -> None:
        nonlocal follow_id
        follow_id = sub_id
        registry[sub_id] = follow

    async def new_blocks(tip: bytes) -> list[dict[str, Any]]:
        """``newBlock`` events for ``tip`` and any unreported ancestors, oldest first."""
        chain = []
        cursor: bytes | None = tip
        while cursor is not None and cursor not in follow.reported and len(chain) < FOLLOW_BUFFER:
            header = api.chain.header(cursor)
            if header is None:
                break
            chain.append((cursor, header))
            cursor = header.parent_hash
        events = []
        for block, header in reversed(chain):
            event: dict[str, Any] = {"event": "newBlock", "blockHash": "0x" + block.hex(),
                                     "parentBlockHash": "0x" + header.parent_hash.hex()}
            if with_runtime:
                changed = any(isinstance(item, RuntimeEnvironmentUpdated) for item in header.digest)
                event["newRuntime"] = _runtime_json(await runtime_version(api, block)) if changed else None
            follow.reported.add(block)
            follow.pinned.add(block)
            events.append(event)
        return events

    async def stream() -> AsyncIterator[Any]:
        try:
            with receive:
                initialized: dict[str, Any] = {"event": "initialized", "finalizedBlockHashes": ["0x" + finalized.hex()]}
                if with_runtime:
                    initialized["finalizedBlockRuntime"] = _runtime_json(await runtime_version(api, finalized))
                follow.reported.add(finalized)
                follow.pinned.add(finalized)
                yield initialized
                for event in await new_blocks(best):
                    yield event
                yield {"event": "bestBlockChanged", "bestBlockHash": "0x" + best.hex()}
                last_finalized = finalized
                async for item in receive:
                    if not isinstance(item, BlockEvent):
                        yield item
                        continue
                    for event in await new_blocks(item.hash):
                        yield event
                    if item.is_best:
                        yield {"event": "bestBlockChanged", "bestBlockHash": "0x" + item.hash.hex()}
                    if item.is_finalized and item.hash != last_finalized:
                        yield {"event": "finalized", "finalizedBlockHashes": _finalized_since(api, item.hash, last_finalized),
                               "prunedBlockHashes": []}
                        last_finalized = item.hash
        finally:
            registry.pop(follow_id, None)
            send.close()

    return Subscription("chainHead_v1_followEvent", stream(), on_close=send.close, on_id=remember)


def _finalized_since(api: RpcApi, block: bytes, previous: bytes) -> list[str]:
    hashes = []
    cursor = block
    while cursor != previous and len(hashes) < FOLLOW_BUFFER:
        header = api.chain.header(cursor)
        if header is None:
            break
        hashes.append("0x" + cursor.hex())
        cursor = header.parent_hash
    return hashes[::-1]


methods.unsubscribe("chainHead_v1_unfollow", "chainHead_v1_follow", null_result=True, param="followSubscription")


@methods.method("chainHead_v1_header", ("followSubscription", string), ("hash", block_hash))
async def chain_head_header(api: RpcApi, follow_id: str, block: bytes) -> str | None:
    if _follow(api, follow_id) is None:
        return None
    _pinned(api, follow_id, block)
    header = api.chain.header(block)
    return None if header is None else "0x" + header.encode().hex()


@methods.method("chainHead_v1_body", ("followSubscription", string), ("hash", block_hash))
async def chain_head_body(api: RpcApi, follow_id: str, block: bytes) -> AfterResponse:
    follow = _pinned(api, follow_id, block)
    op = _op_id()
    body = api.chain.body(block)
    event = ({"event": "operationBodyDone", "operationId": op, "value": ["0x" + ext.hex() for ext in body]}
             if body is not None else {"event": "operationInaccessible", "operationId": op})
    return AfterResponse({"result": "started", "operationId": op}, lambda: follow.push(event))


def _storage_items(api: RpcApi, block: bytes, items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    found = []
    for item in items:
        key, kind = item["key"], item["type"]
        if kind in ("value", "hash"):
            value = api.storage(block, key)
            if value is not None:
                found.append(_item(key, kind, value))
        elif kind in ("descendantsValues", "descendantsHashes"):
            for sub_key in api.chain.storage_keys(block, key, 2**32 - 1, None):
                value = api.storage(block, sub_key)
                if value is not None:
                    found.append(_item(sub_key, "value" if kind == "descendantsValues" else "hash", value))
    return found


def _item(key: bytes, kind: str, value: bytes) -> dict[str, Any]:
    data = value if kind == "value" else blake2_256(value)
    return {"key": "0x" + key.hex(), kind: "0x" + data.hex()}


def _storage_query(value: Any) -> dict[str, Any]:
    kinds = ("value", "hash", "descendantsValues", "descendantsHashes")
    if not isinstance(value, dict) or value.get("type") not in kinds:
        raise ParamError(f"each item needs a hex `key` and a `type` among {', '.join(kinds)}")
    return {"key": hex_bytes(value.get("key")), "type": value["type"]}


@methods.method("chainHead_v1_storage", ("followSubscription", string), ("hash", block_hash),
                ("items", list_of(_storage_query)), ("childTrie", optional(hex_bytes)))
async def chain_head_storage(api: RpcApi, follow_id: str, block: bytes, items: list[dict[str, Any]],
                             child_trie: bytes | None) -> AfterResponse:
    follow = _pinned(api, follow_id, block)
    if child_trie is not None:
        raise ParamError("child tries are not supported")
    op = _op_id()
    found = await api.blocking(_storage_items, api, block, items)
    events = [{"event": "operationStorageDone", "operationId": op}]
    if found:
        events.insert(0, {"event": "operationStorageItems", "operationId": op, "items": found})
    return AfterResponse({"result": "started", "operationId": op}, lambda: follow.push(*events))


@methods.method("chainHead_v1_call", ("followSubscription", string), ("hash", block_hash), ("function", string),
                ("callParameters", hex_bytes))
async def chain_head_call(api: RpcApi, follow_id: str, block: bytes, function: str, data: bytes) -> AfterResponse:
    follow = _pinned(api, follow_id, block)
    op = _op_id()
    try:
        output = await runtime_call(api, block, function, data)
        event = {"event": "operationCallDone", "operationId": op, "output": "0x" + output.hex()}
    except Exception as exc:  # the error travels as an event, the call itself succeeded
        event = {"event": "operationError", "operationId": op, "error": str(exc)}
    return AfterResponse({"result": "started", "operationId": op}, lambda: follow.push(event))


def _hash_or_hashes(value: Any) -> list[bytes]:
    return list_of(block_hash)(value) if isinstance(value, list) else [block_hash(value)]


@methods.method("chainHead_v1_unpin", ("followSubscription", string), ("hashOrHashes", _hash_or_hashes))
async def chain_head_unpin(api: RpcApi, follow_id: str, hashes: list[bytes]) -> None:
    follow = _follow(api, follow_id)
    if follow is None:
        return
    for block in hashes:
        if block not in follow.pinned:
            raise ParamError(f"block 0x{block.hex()} is not pinned")
    follow.pinned.difference_update(hashes)


@methods.method("chainHead_v1_continue", ("followSubscription", string), ("operationId", any_json))
async def chain_head_continue(api: RpcApi, follow_id: str, op: Any) -> None:
    return None


@methods.method("chainHead_v1_stopOperation", ("followSubscription", string), ("operationId", any_json))
async def chain_head_stop_operation(api: RpcApi, follow_id: str, op: Any) -> None:
    return None


@methods.method("chainSpec_v1_chainName")
async def chain_spec_chain_name(api: RpcApi) -> str:
    return api.info.chain


@methods.method("chainSpec_v1_genesisHash")
async def chain_spec_genesis_hash(api: RpcApi) -> str:
    return "0x" + api.chain.genesis_hash().hex()


@methods.method("chainSpec_v1_properties")
async def chain_spec_properties(api: RpcApi) -> dict[str, Any]:
    return dict(api.info.properties)


@methods.method("transaction_v1_broadcast", ("transaction", hex_bytes))
async def transaction_broadcast(api: RpcApi, transaction: bytes) -> str:
    """Hands the transaction to the pool; per the spec an invalid one is not an error here."""
    op = new_subscription_id()
    broadcasts = api.registry("transaction")
    broadcasts[op] = transaction
    while len(broadcasts) > MAX_BROADCASTS:  # forget the oldest
        broadcasts.pop(next(iter(broadcasts)))
    try:
        await api.pool.submit(transaction)
    except SubmitError:
        pass
    return op


@methods.method("transaction_v1_stop", ("operationId", string))
async def transaction_stop(api: RpcApi, op: str) -> None:
    if api.registry("transaction").pop(op, None) is None:
        raise ParamError(f"invalid operation id {op!r}")
