"""In-memory backends for the RPC tests and benchmark: a short chain of real headers, a pool, a network,
and a harness that runs the real server on port 0 with raw-HTTP and WebSocket helpers."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from typing import Any

import trio
from trio_websocket import WebSocketConnection

from runtime.pallets.transaction_payment import FeeDetailsCodec, RuntimeDispatchInfoCodec
from runtime.primitives.hashing import blake2_256
from runtime.primitives.header import AURA_ENGINE_ID, Header, PreRuntime
from runtime.support.dispatch import Weight
from runtime.version import RuntimeVersionCodec, runtime_version
from subtensor.rpc.backend import (
    BlockEvent, NodeInfo, PoolStatus, RuntimeCallFailed, StateUnavailable, SubmitError, UnknownBlock,
)
from subtensor.rpc.dispatch import Registry
from subtensor.rpc.methods import build_registry
from subtensor.rpc.server import RpcConfig, serve

KEY_A = bytes.fromhex("26aa394eea5630e07c48ae0c9558cef7")  # System prefix …
KEY_B = KEY_A + b"\x01"
KEY_C = KEY_A + b"\x02"
OTHER = b"\xff\xee"
STALE_TX = b"\x00\x01"
ALICE = "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY"


class FakeChain:
    """Blocks 0..4 at first: best 4, finalized 2, block 1's state pruned."""

    def __init__(self) -> None:
        self.headers: dict[bytes, Header] = {}
        self.bodies: dict[bytes, list[bytes]] = {}
        self.states: dict[bytes, dict[bytes, bytes]] = {}
        self.canonical: list[bytes] = []
        self.pruned: set[bytes] = set()
        self.finalized = b""
        self._subscribers: list[trio.MemorySendChannel[BlockEvent]] = []
        state = {KEY_A: b"\x01", KEY_B: b"\x02\x02", OTHER: b"x"}
        for number in range(5):
            state = dict(state)
            state[KEY_A] = bytes([number + 1])
            self.add_block(state, [bytes([4, number, 1])])
        self.finalized = self.canonical[2]
        self.pruned.add(self.canonical[1])

    def add_block(self, state: dict[bytes, bytes], body: list[bytes], parent: bytes | None = None) -> bytes:
        parent = parent if parent is not None else (self.canonical[-1] if self.canonical else b"\x00" * 32)
        number = self.headers[parent].number + 1 if parent in self.headers else 0
        header = Header(parent, number, blake2_256(repr(sorted(state.items())).encode()), b"\x11" * 32,
                        (PreRuntime(AURA_ENGINE_ID, number.to_bytes(8, "little")),))
        block = header.hash
        self.headers[block] = header
        self.bodies[block] = body
        self.states[block] = state
        self.canonical.append(block)
        return block

    def import_block(self, changes: dict[bytes, bytes | None], finalize: bool = False) -> bytes:
        """Add a best block (and optionally finalize it) and tell subscribers."""
        state = dict(self.states[self.canonical[-1]])
        for key, value in changes.items():
            if value is None:
                state.pop(key, None)
            else:
                state[key] = value
        block = self.add_block(state, [])
        self._publish(BlockEvent(block, self.headers[block], is_best=True))
        if finalize:
            self.finalize(block)
        return block

    def finalize(self, block: bytes) -> None:
        self.finalized = block
        self._publish(BlockEvent(block, self.headers[block], is_finalized=True))

    def _publish(self, event: BlockEvent) -> None:
        for send in self._subscribers:
            send.send_nowait(event)

    # ChainBackend
    def genesis_hash(self) -> bytes:
        return self.canonical[0]

    def best_hash(self) -> bytes:
        return self.canonical[-1]

    def finalized_hash(self) -> bytes:
        return self.finalized

    def header(self, block_hash: bytes) -> Header | None:
        return self.headers.get(block_hash)

    def body(self, block_hash: bytes) -> list[bytes] | None:
        return self.bodies.get(block_hash)

    def justifications(self, block_hash: bytes) -> list[tuple[bytes, bytes]] | None:
        return [(b"FRNK", b"\x01\x02")] if block_hash == self.canonical[0] else None

    def hash_at(self, number: int) -> bytes | None:
        return self.canonical[number] if number < len(self.canonical) else None

    def _state(self, at: bytes) -> dict[bytes, bytes]:
        if at not in self.headers:
            raise UnknownBlock(f"Header was not found in the database: 0x{at.hex()}")
        if at in self.pruned:
            raise StateUnavailable(f"State already discarded for 0x{at.hex()}")
        return self.states[at]

    def storage(self, at: bytes, key: bytes) -> bytes | None:
        return self._state(at).get(key)

    def storage_keys(self, at: bytes, prefix: bytes, count: int, start_key: bytes | None) -> list[bytes]:
        keys = sorted(k for k in self._state(at) if k.startswith(prefix) and (start_key is None or k > start_key))
        return keys[:count]

    def read_proof(self, at: bytes, keys: Sequence[bytes]) -> list[bytes]:
        self._state(at)
        return [b"\x80" + key for key in keys]

    def runtime_call(self, at: bytes, method: str, data: bytes) -> bytes:
        self._state(at)
        if method == "Core_version":
            return bytes(RuntimeVersionCodec.encode(runtime_version()))
        if method == "TransactionPaymentApi_query_info":
            return bytes(RuntimeDispatchInfoCodec.encode(
                {"weight": Weight(224051000, 7791), "class": "Normal", "partial_fee": len(data) * 1000}))
        if method == "TransactionPaymentApi_query_fee_details":
            return bytes(FeeDetailsCodec.encode(
                {"inclusion_fee": {"base_fee": 1, "len_fee": 2, "adjusted_weight_fee": 3}, "tip": 0}))
        if method == "BlockBuilder_apply_extrinsic":
            return b"\x00\x00"
        if method == "Echo_echo":
            return data
        raise RuntimeCallFailed(f"Other: Exported method {method} is not found")

    def runtime_version(self, at: bytes) -> dict[str, Any]:
        self._state(at)
        return runtime_version()

    def metadata(self, at: bytes) -> bytes:
        self._state(at)
        return b"meta\x0e" + b"\x00" * 8

    async def subscribe_blocks(self) -> AsyncIterator[BlockEvent]:
        send, receive = trio.open_memory_channel[BlockEvent](1000)
        self._subscribers.append(send)
        async with receive:
            async for event in receive:
                yield event


class FakePool:
    def __init__(self, chain: FakeChain) -> None:
        self.chain = chain
        self.txs: dict[bytes, bytes] = {}
        self.watchers: list[trio.MemorySendChannel[PoolStatus]] = []

    async def submit(self, extrinsic: bytes) -> bytes:
        if extrinsic == STALE_TX:
            raise SubmitError(1010, "Invalid Transaction", "Transaction is outdated")
        tx_hash = blake2_256(extrinsic)
        if tx_hash in self.txs:
            raise SubmitError(1013, "Transaction Already Imported", "0x" + tx_hash.hex())
        self.txs[tx_hash] = extrinsic
        return tx_hash

    async def submit_and_watch(self, extrinsic: bytes) -> AsyncIterator[PoolStatus]:
        await self.submit(extrinsic)
        send, receive = trio.open_memory_channel[PoolStatus](10)
        send.send_nowait(PoolStatus("ready"))
        self.watchers.append(send)

        async def statuses() -> AsyncIterator[PoolStatus]:
            async with receive:
                async for status in receive:
                    yield status
        return statuses()

    def include(self, block: bytes) -> None:
        """Every watched transaction goes inBlock then finalized."""
        for send in self.watchers:
            send.send_nowait(PoolStatus({"inBlock": "0x" + block.hex()}))
            send.send_nowait(PoolStatus({"finalized": "0x" + block.hex()}, final=True))

    def pending(self) -> list[bytes]:
        return list(self.txs.values())

    def remove(self, hashes: Sequence[bytes]) -> list[bytes]:
        return [h for h in hashes if self.txs.pop(h, None) is not None]

    def account_next_index(self, account: bytes) -> int:
        return 7 if account == bytes.fromhex("d43593c715fdd31c61141abd04a99fd6822c8558854ccde39a5684e7a56da27d") else 0


class FakeNetwork:
    def peers(self) -> list[dict[str, Any]]:
        return [{"peerId": "12D3KooWPeer", "roles": "FULL", "bestHash": "0x" + "00" * 32, "bestNumber": 4}]

    def is_syncing(self) -> bool:
        return False

    def sync_state(self) -> dict[str, int]:
        return {"startingBlock": 0, "currentBlock": 4, "highestBlock": 4}


class FakeKeystore:
    def __init__(self) -> None:
        self.keys: set[tuple[bytes, str]] = set()

    def insert_key(self, key_type: str, suri: str, public: bytes) -> None:
        self.keys.add((public, key_type))

    def has_key(self, public: bytes, key_type: str) -> bool:
        return (public, key_type) in self.keys

    def rotate_keys(self) -> bytes:
        return b"\x01" * 64

    def has_session_keys(self, session_keys: bytes) -> bool:
        return session_keys == b"\x01" * 64


INFO = NodeInfo(name="pysubtensor", version="0.1.0-test", chain="Development", chain_type="Development",
                properties={"ss58Format": 42, "tokenDecimals": 9, "tokenSymbol": "TAO"},
                local_peer_id="12D3KooWLocal", listen_addresses=("/ip4/127.0.0.1/tcp/30333",))


class Node:
    """The fakes plus the registry built on them."""

    def __init__(self) -> None:
        self.chain = FakeChain()
        self.pool = FakePool(self.chain)
        self.network = FakeNetwork()
        self.keystore = FakeKeystore()
        self.registry: Registry = build_registry(self.chain, self.pool, self.network, INFO, self.keystore)


def run_server(test: Callable[[Node, int], Awaitable[None]], config: RpcConfig | None = None,
               timeout: float = 20.0) -> None:
    """Serve a fresh fake node on port 0 and run ``test(node, port)`` against it."""
    node = Node()

    async def main() -> None:
        with trio.fail_after(timeout):
            async with trio.open_nursery() as nursery:
                _host, port = await nursery.start(serve, config or RpcConfig(port=0), node.registry)
                await test(node, port)
                nursery.cancel_scope.cancel()

    trio.run(main)


async def http_request(port: int, body: bytes, *, method: str = "POST", path: str = "/",
                       headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
    """One HTTP/1.1 exchange on a fresh raw socket (connection: close)."""
    stream = await trio.open_tcp_stream("127.0.0.1", port)
    async with stream:
        all_headers = {"host": "127.0.0.1", "content-type": "application/json", "connection": "close",
                       "content-length": str(len(body)), **(headers or {})}
        head = f"{method} {path} HTTP/1.1\r\n" + "".join(f"{k}: {v}\r\n" for k, v in all_headers.items())
        await stream.send_all(head.encode() + b"\r\n" + body)
        data = b""
        while True:
            try:
                chunk = await stream.receive_some(65536)
            except trio.BrokenResourceError:
                break
            if not chunk:
                break
            data += chunk
    return parse_http_response(data)


def parse_http_response(data: bytes) -> tuple[int, dict[str, str], bytes]:
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    return status, headers, body


async def http_rpc(port: int, method: str, params: Any = None, **kwargs: Any) -> dict[str, Any]:
    body = json.dumps({"jsonrpc": "2.0", "id": 1, "method": method, "params": params or []}).encode()
    status, _headers, data = await http_request(port, body, **kwargs)
    assert status == 200, (status, data)
    return json.loads(data)  # type: ignore[no-any-return]


class WsClient:
    """Request/response over one WebSocket, keeping notifications aside."""

    def __init__(self, ws: WebSocketConnection) -> None:
        self.ws = ws
        self.next_id = 0
        self.notifications: list[dict[str, Any]] = []

    async def call(self, method: str, params: Any = None) -> dict[str, Any]:
        self.next_id += 1
        req_id = self.next_id
        await self.ws.send_message(json.dumps({"jsonrpc": "2.0", "id": req_id, "method": method,
                                               "params": [] if params is None else params}))
        while True:
            message = json.loads(await self.ws.get_message())
            if message.get("id") == req_id:
                return message  # type: ignore[no-any-return]
            self.notifications.append(message)

    async def result(self, method: str, params: Any = None) -> Any:
        response = await self.call(method, params)
        assert "result" in response, response
        return response["result"]

    async def notification(self) -> dict[str, Any]:
        if self.notifications:
            return self.notifications.pop(0)
        return json.loads(await self.ws.get_message())  # type: ignore[no-any-return]
