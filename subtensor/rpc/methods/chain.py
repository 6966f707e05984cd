"""``chain_*``: headers, blocks, hashes by number, and head subscriptions.

New-head subscriptions start with the current best header (finalized: the current finalized header), as
Substrate's do; a finality jump is filled in so each finalized block is announced once, in order.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from typing import Any

from runtime.primitives.header import Header, header_to_json
from subtensor.rpc.api import RpcApi
from subtensor.rpc.backend import BlockEvent
from subtensor.rpc.dispatch import MethodTable, Subscription
from subtensor.rpc.params import block_hash, block_number, optional

methods = MethodTable()

MAX_FINALITY_GAP = 4096  # blocks walked back to fill a finality jump


def _number_or_list(value: Any) -> Any:
    if isinstance(value, list):
        return [block_number(v) for v in value]
    return block_number(value)


def block_json(api: RpcApi, block: bytes) -> dict[str, Any] | None:
    header = api.chain.header(block)
    body = api.chain.body(block)
    if header is None or body is None:
        return None
    justifications = api.chain.justifications(block)
    return {
        "block": {"header": header_to_json(header), "extrinsics": ["0x" + ext.hex() for ext in body]},
        # serde gives ([u8; 4], Vec<u8>) pairs as arrays of numbers
        "justifications": None if not justifications else [[list(engine), list(data)] for engine, data in justifications],
    }


@methods.method("chain_getHeader", ("hash", optional(block_hash)))
async def chain_get_header(api: RpcApi, block: bytes | None) -> dict[str, Any] | None:
    header = api.chain.header(api.chain.best_hash() if block is None else block)
    return None if header is None else header_to_json(header)


@methods.method("chain_getBlock", ("hash", optional(block_hash)))
async def chain_get_block(api: RpcApi, block: bytes | None) -> dict[str, Any] | None:
    return block_json(api, api.chain.best_hash() if block is None else block)


def _hash_hex(api: RpcApi, number: int) -> str | None:
    found = api.chain.hash_at(number)
    return None if found is None else "0x" + found.hex()


@methods.method("chain_getBlockHash", ("number", optional(_number_or_list)), aliases=("chain_getHead",))
async def chain_get_block_hash(api: RpcApi, number: int | list[int] | None) -> Any:
    if number is None:
        return "0x" + api.chain.best_hash().hex()
    if isinstance(number, list):
        return [_hash_hex(api, n) for n in number]
    return _hash_hex(api, number)


@methods.method("chain_getFinalizedHead", aliases=("chain_getFinalisedHead",))
async def chain_get_finalized_head(api: RpcApi) -> str:
    return "0x" + api.chain.finalized_hash().hex()


def head_subscription(api: RpcApi, notification: str, initial: bytes | None,
                      wanted: Callable[[BlockEvent], bool], fill_gaps: bool = False) -> Subscription:
    """Header notifications: ``initial``'s header first (if given), then every ``wanted`` event."""
    receive = api.hub.listen()

    async def stream() -> AsyncIterator[Any]:
        with receive:
            last = initial
            if initial is not None:
                header = api.chain.header(initial)
                if header is not None:
                    yield header_to_json(header)
            async for event in receive:
                if not wanted(event) or event.hash == last:
                    continue
                headers = _gap(api, event, last) if fill_gaps else [event.header]
                for header in headers:
                    yield header_to_json(header)
                last = event.hash

    return Subscription(notification, stream(), on_close=receive.close)


def _gap(api: RpcApi, event: BlockEvent, last: bytes | None) -> list[Header]:
    """The headers from just after ``last`` up to the event's block, oldest first."""
    headers = [event.header]
    if last is None:
        return headers
    last_header = api.chain.header(last)
    stop = -1 if last_header is None else last_header.number
    while len(headers) < MAX_FINALITY_GAP and headers[-1].number - 1 > stop:
        parent = api.chain.header(headers[-1].parent_hash)
        if parent is None:
            break
        headers.append(parent)
    return headers[::-1]


@methods.method("chain_subscribeNewHeads", aliases=("subscribe_newHead", "chain_subscribeNewHead"), subscribe=True)
async def chain_subscribe_new_heads(api: RpcApi) -> Subscription:
    return head_subscription(api, "chain_newHead", api.chain.best_hash(), lambda e: e.is_best)


@methods.method("chain_subscribeAllHeads", subscribe=True)
async def chain_subscribe_all_heads(api: RpcApi) -> Subscription:
    return head_subscription(api, "chain_allHead", None, lambda e: e.is_best)


@methods.method("chain_subscribeFinalizedHeads", aliases=("chain_subscribeFinalisedHeads",), subscribe=True)
async def chain_subscribe_finalized_heads(api: RpcApi) -> Subscription:
    return head_subscription(api, "chain_finalizedHead", api.chain.finalized_hash(), lambda e: e.is_finalized,
                             fill_gaps=True)


methods.unsubscribe("chain_unsubscribeNewHeads", "chain_subscribeNewHeads",
                    aliases=("unsubscribe_newHead", "chain_unsubscribeNewHead"))
methods.unsubscribe("chain_unsubscribeAllHeads", "chain_subscribeAllHeads")
methods.unsubscribe("chain_unsubscribeFinalizedHeads", "chain_subscribeFinalizedHeads",
                    aliases=("chain_unsubscribeFinalisedHeads",))

__all__ = ["block_json", "head_subscription", "methods"]
