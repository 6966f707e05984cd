"""The transport: HTTP (keep-alive, batches, CORS, health, limits) and WebSocket (subscriptions, limits),
and that the server keeps serving after every kind of error."""

from __future__ import annotations

import json

import pytest
import trio
from trio_websocket import ConnectionRejected, open_websocket_url

from runtime.primitives.header import header_to_json
from subtensor.rpc.server import RpcConfig
from tests.subtensor.rpc_fakes import KEY_A, KEY_B, KEY_C, Node, WsClient, http_request, http_rpc, parse_http_response, run_server


def h(data: bytes) -> str:
    return "0x" + data.hex()


def rpc(method: str, params: list | None = None, req_id: int = 1) -> bytes:
    return json.dumps({"jsonrpc": "2.0", "id": req_id, "method": method, "params": params or []}).encode()


def test_http_keep_alive_and_batch() -> None:
    async def test(node: Node, port: int) -> None:
        stream = await trio.open_tcp_stream("127.0.0.1", port)
        async with stream:
            for req_id in (1, 2):
                body = rpc("system_name", req_id=req_id)
                await stream.send_all(b"POST / HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\n"
                                      b"content-length: %d\r\n\r\n" % len(body) + body)
                data = b""
                while b"\r\n\r\n" not in data or not data.endswith(b"}"):
                    data += await stream.receive_some(65536)
                status, headers, payload = parse_http_response(data)
                assert status == 200 and headers["content-type"].startswith("application/json")
                assert json.loads(payload) == {"jsonrpc": "2.0", "result": "pysubtensor", "id": req_id}
        batch = json.dumps([{"jsonrpc": "2.0", "id": 1, "method": "system_chain"},
                            {"jsonrpc": "2.0", "id": 2, "method": "chain_getBlockHash", "params": [0]}]).encode()
        status, _, payload = await http_request(port, batch)
        assert status == 200
        assert [r["result"] for r in json.loads(payload)] == ["Development", h(node.chain.canonical[0])]
    run_server(test)


def test_http_errors_keep_serving() -> None:
    async def test(node: Node, port: int) -> None:
        status, _, payload = await http_request(port, b"{oops")
        assert status == 200 and json.loads(payload)["error"]["code"] == -32700
        assert (await http_rpc(port, "no_such_method"))["error"] == {"code": -32601, "message": "Method not found"}
        assert (await http_rpc(port, "state_getStorage", ["0xq"]))["error"]["code"] == -32602
        status, _, payload = await http_request(port, rpc("state_getStorage", ["0x" + "00" * 300]))
        assert status == 413 and json.loads(payload)["error"]["code"] == -32007
        status, _, _ = await http_request(port, rpc("system_name"), headers={"content-type": "text/plain"})
        assert status == 415
        status, _, _ = await http_request(port, b"", method="PUT")
        assert status == 405
        assert (await http_rpc(port, "system_name"))["result"] == "pysubtensor"
    run_server(test, RpcConfig(port=0, max_request_size=200))


def test_unsafe_methods() -> None:
    async def refused(node: Node, port: int) -> None:
        error = (await http_rpc(port, "system_peers"))["error"]
        assert error == {"code": -32601, "message": "RPC call is unsafe to be called externally"}
        async with open_websocket_url(f"ws://127.0.0.1:{port}") as ws:
            c = WsClient(ws)
            assert (await c.call("author_rotateKeys"))["error"]["code"] == -32601
            assert (await c.call("state_getPairs", ["0x"]))["error"]["code"] == -32601
            assert await c.result("system_name") == "pysubtensor"

    async def allowed(node: Node, port: int) -> None:
        assert isinstance((await http_rpc(port, "system_peers"))["result"], list)

    run_server(refused, RpcConfig(port=0, methods="safe"))
    run_server(allowed, RpcConfig(port=0, methods="unsafe"))
    run_server(allowed, RpcConfig(port=0, methods="auto"))  # auto on loopback serves unsafe methods
    assert RpcConfig(host="0.0.0.0", methods="auto").allow_unsafe is False
    assert RpcConfig(host="::1", methods="auto").allow_unsafe is True
    assert RpcConfig(host="0.0.0.0", methods="unsafe").allow_unsafe is True


def test_cors_and_health() -> None:
    async def test(node: Node, port: int) -> None:
        _, headers, _ = await http_request(port, rpc("system_name"), headers={"origin": "http://localhost:3000"})
        assert headers["access-control-allow-origin"] == "http://localhost:3000"
        _, headers, _ = await http_request(port, rpc("system_name"), headers={"origin": "https://polkadot.js.org"})
        assert headers["access-control-allow-origin"] == "https://polkadot.js.org"
        status, _, _ = await http_request(port, rpc("system_name"), headers={"origin": "https://evil.example"})
        assert status == 403
        status, headers, _ = await http_request(port, b"", method="OPTIONS", headers={"origin": "http://127.0.0.1:80"})
        assert status == 200 and "POST" in headers["access-control-allow-methods"]
        with pytest.raises(ConnectionRejected):
            async with open_websocket_url(f"ws://127.0.0.1:{port}", extra_headers=[("Origin", "https://evil.example")]):
                pass
        status, _, payload = await http_request(port, b"", method="GET", path="/health")
        assert status == 200 and json.loads(payload) == {"peers": 1, "isSyncing": False, "shouldHavePeers": False}
        status, _, _ = await http_request(port, b"", method="GET", path="/health/readiness")
        assert status == 200
        assert (await http_rpc(port, "system_name"))["result"] == "pysubtensor"
    run_server(test)

    async def open_cors(node: Node, port: int) -> None:
        _, headers, _ = await http_request(port, rpc("system_name"), headers={"origin": "https://anything.example"})
        assert headers["access-control-allow-origin"] == "*"
    run_server(open_cors, RpcConfig(port=0, cors="all"))


def test_websocket_errors_keep_the_connection() -> None:
    async def test(node: Node, port: int) -> None:
        async with open_websocket_url(f"ws://127.0.0.1:{port}") as ws:
            c = WsClient(ws)
            await ws.send_message("{garbage")
            assert json.loads(await ws.get_message())["error"]["code"] == -32700
            await ws.send_message(rpc("state_getStorage", ["0x" + "00" * 400]).decode())
            assert json.loads(await ws.get_message())["error"] == {
                "code": -32007, "message": "Request is too big", "data": "Exceeded max limit of 300"}
            assert (await c.call("nope"))["error"]["code"] == -32601
            assert (await c.call("chain_getHeader", ["0x12"]))["error"]["code"] == -32602
            await ws.send_message(json.dumps({"jsonrpc": "2.0", "method": "system_name"}))  # notification
            assert await c.result("system_name") == "pysubtensor"
            await ws.send_message(json.dumps([{"jsonrpc": "2.0", "id": "a", "method": "system_chain"},
                                              {"jsonrpc": "2.0", "id": "b", "method": "system_name"}]))
            assert [r["id"] for r in json.loads(await ws.get_message())] == ["a", "b"]
    run_server(test, RpcConfig(port=0, max_request_size=300))


def test_too_many_connections() -> None:
    async def test(node: Node, port: int) -> None:
        async with open_websocket_url(f"ws://127.0.0.1:{port}") as first:
            async with open_websocket_url(f"ws://127.0.0.1:{port}") as second:
                for ws in (first, second):
                    assert await WsClient(ws).result("system_name") == "pysubtensor"
                status, _, body = await http_request(port, rpc("system_name"))
                assert status == 429 and b"Too many connections" in body
                with pytest.raises(ConnectionRejected):
                    async with open_websocket_url(f"ws://127.0.0.1:{port}"):
                        pass
                assert await WsClient(first).result("system_chain") == "Development"
        await trio.sleep(0.05)
        assert (await http_rpc(port, "system_name"))["result"] == "pysubtensor"
    run_server(test, RpcConfig(port=0, max_connections=2))


def test_head_subscriptions() -> None:
    async def test(node: Node, port: int) -> None:
        chain = node.chain
        async with open_websocket_url(f"ws://127.0.0.1:{port}") as ws:
            c = WsClient(ws)
            new = await c.result("chain_subscribeNewHeads")
            alias = await c.result("subscribe_newHead")
            every = await c.result("chain_subscribeAllHeads")
            final = await c.result("chain_subscribeFinalizedHeads")
            assert len({new, alias, every, final}) == 4
            initial = {}
            for _ in range(3):
                note = await c.notification()
                assert set(note) == {"jsonrpc", "method", "params"} and set(note["params"]) == {"subscription", "result"}
                initial[note["params"]["subscription"]] = note
            assert initial[new]["method"] == "chain_newHead"
            assert initial[new]["params"]["result"] == header_to_json(chain.headers[chain.canonical[4]])
            assert initial[final]["method"] == "chain_finalizedHead"
            assert initial[final]["params"]["result"]["number"] == "0x2"
            block5 = chain.import_block({})
            got = {}
            for _ in range(3):
                note = await c.notification()
                got[note["params"]["subscription"]] = note
            assert got[every]["method"] == "chain_allHead"
            assert all(n["params"]["result"] == header_to_json(chain.headers[block5]) for n in got.values())
            chain.finalize(block5)  # 2 → 5: blocks 3, 4 and 5 are announced in order
            numbers = [(await c.notification())["params"]["result"]["number"] for _ in range(3)]
            assert numbers == ["0x3", "0x4", "0x5"]
            assert await c.result("chain_unsubscribeNewHeads", [new]) is True
            assert await c.result("chain_unsubscribeNewHeads", [new]) is False
            assert await c.result("chain_unsubscribeNewHeads", [every]) is False  # wrong kind
            assert await c.result("unsubscribe_newHead", [alias]) is True
            assert await c.result("chain_unsubscribeAllHeads", [every]) is True
            assert await c.result("chain_unsubscribeFinalisedHeads", [final]) is True
            chain.import_block({})
            assert await c.result("system_name") == "pysubtensor"
            assert c.notifications == []
    run_server(test)


def test_storage_and_runtime_version_subscriptions() -> None:
    async def test(node: Node, port: int) -> None:
        chain = node.chain
        async with open_websocket_url(f"ws://127.0.0.1:{port}") as ws:
            c = WsClient(ws)
            sub = await c.result("state_subscribeStorage", [[h(KEY_A), h(KEY_B), h(KEY_C)]])
            first = await c.notification()
            assert first["method"] == "state_storage" and first["params"]["subscription"] == sub
            assert first["params"]["result"] == {"block": h(chain.canonical[4]), "changes": [
                [h(KEY_A), "0x05"], [h(KEY_B), "0x0202"], [h(KEY_C), None]]}
            version = await c.result("state_subscribeRuntimeVersion")
            note = await c.notification()
            assert note["method"] == "state_runtimeVersion" and note["params"]["result"]["specVersion"] == 461
            chain.import_block({})  # nothing watched changes: no notification
            block = chain.import_block({KEY_C: b"\x07", KEY_A: b"\x05"})
            note = await c.notification()
            assert note["params"]["result"] == {"block": h(block), "changes": [[h(KEY_C), "0x07"]]}
            assert await c.result("state_unsubscribeStorage", [sub]) is True
            assert await c.result("state_unsubscribeRuntimeVersion", [version]) is True
            error = (await c.call("state_subscribeStorage", []))["error"]
            assert error["code"] == -32602
    run_server(test)


def test_subscription_limit_and_cleanup() -> None:
    async def test(node: Node, port: int) -> None:
        hub = node.registry.api.hub
        async with open_websocket_url(f"ws://127.0.0.1:{port}") as ws:
            c = WsClient(ws)
            await c.result("chain_subscribeNewHeads")
            await c.result("chain_subscribeAllHeads")
            error = (await c.call("chain_subscribeFinalizedHeads"))["error"]
            assert error == {"code": -32006, "message": "Too many subscriptions on the connection",
                             "data": "Exceeded max limit of 2"}
            assert await c.result("system_name") == "pysubtensor"
            assert hub.listener_count == 2
        for _ in range(100):  # closing the socket cancels its subscriptions
            if hub.listener_count == 0:
                break
            node.chain.import_block({})
            await trio.sleep(0.01)
        assert hub.listener_count == 0
    run_server(test, RpcConfig(port=0, max_subscriptions_per_connection=2))


def test_shutdown_with_open_connections() -> None:
    async def main() -> None:
        node = Node()
        from subtensor.rpc.server import serve
        with trio.fail_after(5):
            async with trio.open_nursery() as nursery:
                _, port = await nursery.start(serve, RpcConfig(port=0), node.registry)
                stream = await trio.open_tcp_stream("127.0.0.1", port)  # idle HTTP connection
                async with open_websocket_url(f"ws://127.0.0.1:{port}") as ws:
                    c = WsClient(ws)
                    await c.result("chain_subscribeNewHeads")
                    nursery.cancel_scope.cancel()
                await stream.aclose()
    trio.run(main)


def test_failing_block_stream_does_not_stop_the_server() -> None:
    async def broken() -> None:
        raise RuntimeError("import notifications failed")
        yield  # pragma: no cover

    async def main() -> None:
        node = Node()
        node.chain.subscribe_blocks = broken  # type: ignore[method-assign, assignment]
        from subtensor.rpc.server import serve
        with trio.fail_after(5):
            async with trio.open_nursery() as nursery:
                _, port = await nursery.start(serve, RpcConfig(port=0), node.registry)
                await trio.sleep(0.01)
                assert (await http_rpc(port, "system_name"))["result"] == "pysubtensor"
                nursery.cancel_scope.cancel()
    trio.run(main)
