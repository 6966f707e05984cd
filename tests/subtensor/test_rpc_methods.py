"""Every RPC method's happy path (and its Substrate-shaped errors) over a real WebSocket or HTTP."""

from __future__ import annotations

import struct
from typing import Any

from trio_websocket import open_websocket_url

from runtime.primitives.hashing import blake2_256
from runtime.primitives.header import header_to_json
from runtime.version import SPEC_VERSION
from subtensor.rpc.server import RpcConfig
from tests.subtensor.rpc_fakes import (
    ALICE, KEY_A, KEY_B, KEY_C, OTHER, STALE_TX, Node, WsClient, http_rpc, run_server,
)


def h(data: bytes) -> str:
    return "0x" + data.hex()


def ws_test(body: Any, config: RpcConfig | None = None) -> None:
    async def test(node: Node, port: int) -> None:
        async with open_websocket_url(f"ws://127.0.0.1:{port}") as ws:
            await body(node, WsClient(ws))
    run_server(test, config)


def test_system() -> None:
    async def body(node: Node, c: WsClient) -> None:
        assert await c.result("system_name") == "pysubtensor"
        assert await c.result("system_version") == "0.1.0-test"
        assert await c.result("system_chain") == "Development"
        assert await c.result("system_chainType") == "Development"
        assert await c.result("system_properties") == {"ss58Format": 42, "tokenDecimals": 9, "tokenSymbol": "TAO"}
        assert await c.result("system_health") == {"peers": 1, "isSyncing": False, "shouldHavePeers": False}
        assert (await c.result("system_peers"))[0]["peerId"] == "12D3KooWPeer"
        assert await c.result("system_localPeerId") == "12D3KooWLocal"
        assert await c.result("system_localListenAddresses") == ["/ip4/127.0.0.1/tcp/30333"]
        assert await c.result("system_nodeRoles") == ["Authority"]
        assert await c.result("system_syncState") == {"startingBlock": 0, "currentBlock": 4, "highestBlock": 4}
        assert await c.result("system_accountNextIndex", [ALICE]) == 7
        assert await c.result("account_nextIndex", [ALICE]) == 7
        alice_hex = "0xd43593c715fdd31c61141abd04a99fd6822c8558854ccde39a5684e7a56da27d"
        assert await c.result("account_nextIndex", [alice_hex]) == 7
        assert await c.result("system_dryRun", ["0x0102"]) == "0x0000"  # Ok(Ok(()))
    ws_test(body)


def test_chain_reads() -> None:
    async def body(node: Node, c: WsClient) -> None:
        chain = node.chain
        best, genesis = chain.canonical[-1], chain.canonical[0]
        assert await c.result("chain_getHeader") == header_to_json(chain.headers[best])
        assert await c.result("chain_getHeader", [None]) == header_to_json(chain.headers[best])
        assert await c.result("chain_getHeader", [h(genesis)]) == header_to_json(chain.headers[genesis])
        assert await c.result("chain_getHeader", [h(b"\x05" * 32)]) is None
        block = await c.result("chain_getBlock", [h(chain.canonical[3])])
        assert block == {"block": {"header": header_to_json(chain.headers[chain.canonical[3]]),
                                   "extrinsics": ["0x040301"]}, "justifications": None}
        assert (await c.result("chain_getBlock", [h(genesis)]))["justifications"] == [[list(b"FRNK"), [1, 2]]]
        assert await c.result("chain_getBlock", [h(b"\x05" * 32)]) is None
        assert await c.result("chain_getBlockHash", [0]) == h(genesis)
        assert await c.result("chain_getBlockHash", ["0x3"]) == h(chain.canonical[3])
        assert await c.result("chain_getBlockHash") == h(best)
        assert await c.result("chain_getBlockHash", [None]) == h(best)
        assert await c.result("chain_getBlockHash", [[0, "0x1", 99]]) == [h(genesis), h(chain.canonical[1]), None]
        assert await c.result("chain_getBlockHash", [99]) is None
        assert await c.result("chain_getHead") == h(best)
        assert await c.result("chain_getFinalizedHead") == h(chain.canonical[2])
        assert await c.result("chain_getFinalisedHead") == h(chain.canonical[2])
    ws_test(body)


def test_state_reads() -> None:
    async def body(node: Node, c: WsClient) -> None:
        chain = node.chain
        best, old = chain.canonical[-1], chain.canonical[2]
        assert await c.result("state_getStorage", [h(KEY_A)]) == "0x05"
        assert await c.result("state_getStorage", [h(KEY_A), None]) == "0x05"
        assert await c.result("state_getStorageAt", [h(KEY_A), h(old)]) == "0x03"
        assert await c.result("state_getStorage", [KEY_A.hex()]) == "0x05"  # bare hex is accepted
        assert await c.result("state_getStorage", [h(KEY_C)]) is None
        assert await c.result("state_getStorageHash", [h(KEY_B)]) == h(blake2_256(b"\x02\x02"))
        assert await c.result("state_getStorageHash", [h(KEY_C)]) is None
        assert await c.result("state_getStorageSize", [h(KEY_B)]) == 2
        assert await c.result("state_getStorageSize", [h(KEY_C)]) is None
        assert await c.result("state_getKeys", [h(KEY_A)]) == [h(KEY_A), h(KEY_B)]
        assert await c.result("state_getKeysPaged", [h(KEY_A), 1]) == [h(KEY_A)]
        assert await c.result("state_getKeysPaged", [h(KEY_A), 10, h(KEY_A)]) == [h(KEY_B)]
        assert await c.result("state_getKeysPaged", [h(KEY_A), 10, h(KEY_A), h(best)]) == [h(KEY_B)]
        assert await c.result("state_getKeysPagedAt", [None, 10]) == [h(KEY_A), h(KEY_B), h(OTHER)]
        error = (await c.call("state_getKeysPaged", [h(KEY_A), 1001]))["error"]
        assert error == {"code": 4002, "message": "count exceeds maximum value. value: 1001, max: 1000"}
        assert await c.result("state_getPairs", [h(KEY_A)]) == [[h(KEY_A), "0x05"], [h(KEY_B), "0x0202"]]
        assert await c.result("state_queryStorageAt", [[h(KEY_A), h(KEY_C)]]) == [
            {"block": h(best), "changes": [[h(KEY_A), "0x05"], [h(KEY_C), None]]}]
        assert await c.result("state_queryStorageAt", [[h(KEY_A)], h(old)]) == [
            {"block": h(old), "changes": [[h(KEY_A), "0x03"]]}]
        changes = await c.result("state_queryStorage", [[h(KEY_A), h(KEY_B)], h(old)])
        assert changes == [
            {"block": h(old), "changes": [[h(KEY_A), "0x03"], [h(KEY_B), "0x0202"]]},
            {"block": h(chain.canonical[3]), "changes": [[h(KEY_A), "0x04"]]},
            {"block": h(best), "changes": [[h(KEY_A), "0x05"]]},
        ]
        error = (await c.call("state_queryStorage", [[h(KEY_A)], h(best), h(old)]))["error"]
        assert error["code"] == 4001 and error["message"].startswith("Cannot resolve a block range")
        proof = await c.result("state_getReadProof", [[h(KEY_A)]])
        assert proof == {"at": h(best), "proof": [h(b"\x80" + KEY_A)]}
        assert (await c.result("state_getMetadata")).startswith("0x6d657461")
        version = await c.result("state_getRuntimeVersion")
        assert version["specVersion"] == SPEC_VERSION and version["transactionVersion"] == 1
        assert version["specName"] == "node-subtensor" and version["stateVersion"] == 1
        assert ["0xdf6acb689907609b", 5] in version["apis"]
        assert await c.result("chain_getRuntimeVersion", [h(old)]) == version
        assert await c.result("state_call", ["Echo_echo", "0x0f000000"]) == "0x0f000000"
        assert await c.result("state_callAt", ["Echo_echo", "0f000000", h(old)]) == "0x0f000000"
    ws_test(body)


def test_state_errors() -> None:
    async def body(node: Node, c: WsClient) -> None:
        pruned, unknown = node.chain.canonical[1], b"\x05" * 32
        error = (await c.call("state_getStorage", [h(KEY_A), h(pruned)]))["error"]
        assert error["code"] == 4003
        assert f"State already discarded for {h(pruned)}" in error["message"]
        error = (await c.call("state_getStorage", [h(KEY_A), h(unknown)]))["error"]
        assert error["code"] == 4003 and "UnknownBlock" in error["message"] and h(unknown) in error["message"]
        for method, params in (("state_getRuntimeVersion", [h(pruned)]), ("state_getMetadata", [h(pruned)]),
                               ("state_call", ["Core_version", "0x", h(pruned)]),
                               ("state_getKeysPaged", [h(KEY_A), 5, None, h(pruned)])):
            error = (await c.call(method, params))["error"]
            assert error["code"] == 4003 and "State already discarded for" in error["message"], (method, error)
        error = (await c.call("state_call", ["Metadata_metadata_at_version", "0x0f000000"]))["error"]
        assert error["code"] == 4003
        assert "Exported method Metadata_metadata_at_version is not found" in error["message"]
        error = (await c.call("state_getStorage", ["0xnothex"]))["error"]
        assert error["code"] == -32602
        error = (await c.call("state_getStorage", [7]))["error"]
        assert error["code"] == -32602 and "expected a 0x-prefixed hex string" in error["data"]
        assert await c.result("system_name") == "pysubtensor"  # still serving
    ws_test(body)


def test_author() -> None:
    async def body(node: Node, c: WsClient) -> None:
        tx = b"\x84\x01\x02"
        assert await c.result("author_submitExtrinsic", [h(tx)]) == h(blake2_256(tx))
        assert await c.result("author_pendingExtrinsics") == [h(tx)]
        error = (await c.call("author_submitExtrinsic", [h(tx)]))["error"]
        assert error["code"] == 1013
        error = (await c.call("author_submitExtrinsic", [h(STALE_TX)]))["error"]
        assert error == {"code": 1010, "message": "Invalid Transaction", "data": "Transaction is outdated"}
        assert (await c.call("author_submitExtrinsic", ["0xzz"]))["error"]["code"] == -32602
        assert await c.result("author_removeExtrinsic", [[{"hash": h(blake2_256(tx))}]]) == [h(blake2_256(tx))]
        assert await c.result("author_pendingExtrinsics") == []
        await c.result("author_submitExtrinsic", [h(tx)])
        assert await c.result("author_removeExtrinsic", [[{"extrinsic": h(tx)}]]) == [h(blake2_256(tx))]
        assert await c.result("author_insertKey", ["aura", "//Alice", "0x01"]) is None
        assert await c.result("author_hasKey", ["0x01", "aura"]) is True
        assert await c.result("author_hasKey", ["0x02", "aura"]) is False
        assert (await c.call("author_hasKey", ["0x01", "toolong"]))["error"]["code"] == -32602
        keys = await c.result("author_rotateKeys")
        assert keys == h(b"\x01" * 64)
        assert await c.result("author_hasSessionKeys", [keys]) is True
    ws_test(body)


def test_submit_and_watch() -> None:
    async def body(node: Node, c: WsClient) -> None:
        error = (await c.call("author_submitAndWatchExtrinsic", [h(STALE_TX)]))["error"]
        assert error["code"] == 1010
        sub = await c.result("author_submitAndWatchExtrinsic", [h(b"\x84\x09")])
        assert isinstance(sub, str) and len(sub) == 16
        first = await c.notification()
        assert first == {"jsonrpc": "2.0", "method": "author_extrinsicUpdate",
                         "params": {"subscription": sub, "result": "ready"}}
        block = node.chain.import_block({})
        node.pool.include(block)
        assert (await c.notification())["params"]["result"] == {"inBlock": h(block)}
        assert (await c.notification())["params"]["result"] == {"finalized": h(block)}
        assert await c.result("author_unwatchExtrinsic", [sub]) is False  # ended on its own
        sub = await c.result("author_submitAndWatchExtrinsic", [h(b"\x84\x0a")])
        await c.notification()
        assert await c.result("author_unwatchExtrinsic", [sub]) is True
    ws_test(body)


def test_payment() -> None:
    async def body(node: Node, c: WsClient) -> None:
        ext = b"\x84" + b"\x00" * 9
        info = await c.result("payment_queryInfo", [h(ext)])
        assert info == {"weight": {"ref_time": 224051000, "proof_size": 7791}, "class": "normal",
                        "partialFee": str((len(ext) + 4) * 1000)}
        details = await c.result("payment_queryFeeDetails", [h(ext), h(node.chain.canonical[3])])
        assert details == {"inclusionFee": {"baseFee": 1, "lenFee": 2, "adjustedWeightFee": 3}}
        assert struct.calcsize("<I") == 4
    ws_test(body)


def test_new_api() -> None:
    async def body(node: Node, c: WsClient) -> None:
        chain = node.chain
        assert await c.result("chainSpec_v1_chainName") == "Development"
        assert await c.result("chainSpec_v1_genesisHash") == h(chain.canonical[0])
        assert (await c.result("chainSpec_v1_properties"))["ss58Format"] == 42
        follow = await c.result("chainHead_v1_follow", [True])
        initialized = (await c.notification())["params"]["result"]
        assert initialized["event"] == "initialized"
        assert initialized["finalizedBlockHashes"] == [h(chain.canonical[2])]
        assert initialized["finalizedBlockRuntime"]["spec"]["specVersion"] == SPEC_VERSION
        new_blocks = [(await c.notification())["params"]["result"] for _ in range(2)]
        assert [e["blockHash"] for e in new_blocks] == [h(chain.canonical[3]), h(chain.canonical[4])]
        assert new_blocks[0]["parentBlockHash"] == h(chain.canonical[2]) and new_blocks[0]["newRuntime"] is None
        assert (await c.notification())["params"]["result"] == {"event": "bestBlockChanged",
                                                                "bestBlockHash": h(chain.canonical[4])}
        best = chain.canonical[4]
        assert await c.result("chainHead_v1_header", [follow, h(best)]) == h(chain.headers[best].encode())
        started = await c.result("chainHead_v1_body", [follow, h(best)])
        assert started["result"] == "started"
        event = (await c.notification())["params"]["result"]
        assert event == {"event": "operationBodyDone", "operationId": started["operationId"], "value": ["0x040401"]}
        started = await c.result("chainHead_v1_storage", [follow, h(best), [
            {"key": h(KEY_A), "type": "value"}, {"key": h(KEY_B), "type": "hash"},
            {"key": h(KEY_C), "type": "value"}]])
        items = (await c.notification())["params"]["result"]
        assert items["event"] == "operationStorageItems" and items["items"] == [
            {"key": h(KEY_A), "value": "0x05"}, {"key": h(KEY_B), "hash": h(blake2_256(b"\x02\x02"))}]
        assert (await c.notification())["params"]["result"]["event"] == "operationStorageDone"
        started = await c.result("chainHead_v1_call", [follow, h(best), "Echo_echo", "0xabcd"])
        assert (await c.notification())["params"]["result"] == {
            "event": "operationCallDone", "operationId": started["operationId"], "output": "0xabcd"}
        await c.result("chainHead_v1_call", [follow, h(best), "Nope_nope", "0x"])
        assert (await c.notification())["params"]["result"]["event"] == "operationError"
        new = chain.import_block({KEY_A: b"\x09"}, finalize=True)
        events = [(await c.notification())["params"]["result"] for _ in range(3)]
        assert events[0] == {"event": "newBlock", "blockHash": h(new), "parentBlockHash": h(best), "newRuntime": None}
        assert events[1] == {"event": "bestBlockChanged", "bestBlockHash": h(new)}
        assert events[2] == {"event": "finalized", "prunedBlockHashes": [],
                             "finalizedBlockHashes": [h(chain.canonical[3]), h(best), h(new)]}
        assert await c.result("chainHead_v1_unpin", [follow, [h(chain.canonical[3])]]) is None
        assert (await c.call("chainHead_v1_body", [follow, h(chain.canonical[3])]))["error"]["code"] == -32602
        assert await c.result("chainHead_v1_unfollow", [follow]) is None
        assert await c.result("chainHead_v1_header", [follow, h(best)]) is None
        op = await c.result("transaction_v1_broadcast", ["0x8411"])
        assert h(blake2_256(b"\x84\x11")) in [h(blake2_256(tx)) for tx in node.pool.pending()]
        assert await c.result("transaction_v1_stop", [op]) is None
        assert (await c.call("transaction_v1_stop", [op]))["error"]["code"] == -32602
    ws_test(body)


def test_http_round_trips() -> None:
    async def test(node: Node, port: int) -> None:
        assert (await http_rpc(port, "system_name"))["result"] == "pysubtensor"
        assert (await http_rpc(port, "state_getStorage", [h(KEY_A)]))["result"] == "0x05"
        assert (await http_rpc(port, "chain_getBlockHash", [0]))["result"] == h(node.chain.canonical[0])
        assert (await http_rpc(port, "account_nextIndex", [ALICE]))["result"] == 7
        assert (await http_rpc(port, "state_getRuntimeVersion"))["result"]["specVersion"] == SPEC_VERSION
        assert (await http_rpc(port, "chain_subscribeNewHeads"))["error"]["code"] == -32603
    run_server(test)
