"""JSON-RPC framing and errors, straight through Registry.handle (no sockets)."""

from __future__ import annotations

import json
from typing import Any

import trio

from subtensor.rpc.dispatch import Subscription
from tests.subtensor.rpc_fakes import Node


class Session:
    supports_subscriptions = True

    def __init__(self, allow_unsafe: bool = True) -> None:
        self.allow_unsafe = allow_unsafe
        self.subs: dict[str, Subscription] = {}

    def add_subscription(self, sub: Subscription) -> None:
        self.subs[sub.id] = sub

    def remove_subscription(self, group: str, sub_id: str) -> bool:
        sub = self.subs.get(sub_id)
        if sub is None or sub.group != group:
            return False
        del self.subs[sub_id]
        return True


def handle(raw: str | bytes, session: Session | None = None, node: Node | None = None) -> Any:
    registry = (node or Node()).registry

    async def main() -> Any:
        return await registry.handle(raw, session or Session())

    pending = trio.run(main)
    return None if pending.response is None else json.loads(pending.response)


def request(method: str, params: Any = None, req_id: Any = 1) -> str:
    return json.dumps({"jsonrpc": "2.0", "id": req_id, "method": method, "params": params or []})


def test_parse_error() -> None:
    assert handle("{not json") == {"jsonrpc": "2.0", "error": {"code": -32700, "message": "Parse error"}, "id": None}
    assert handle(b"\xff\xfe")["error"]["code"] == -32700


def test_invalid_requests() -> None:
    assert handle('{"id": 1, "method": "system_name"}')["error"] == {"code": -32600, "message": "Invalid request"}
    assert handle('{"jsonrpc": "2.0", "id": 5, "method": 3}') == {
        "jsonrpc": "2.0", "error": {"code": -32600, "message": "Invalid request"}, "id": 5}
    assert handle('{"jsonrpc": "2.0", "id": true, "method": "system_name"}')["id"] is None
    assert handle("7")["error"]["code"] == -32600
    assert handle("[]")["error"]["code"] == -32600


def test_method_not_found_and_ids() -> None:
    assert handle(request("nope_nothing", req_id="aB17")) == {
        "jsonrpc": "2.0", "error": {"code": -32601, "message": "Method not found"}, "id": "aB17"}
    assert handle(request("system_name", req_id="x"))["id"] == "x"
    assert handle(request("system_name", req_id=None)) == {"jsonrpc": "2.0", "result": "pysubtensor", "id": None}


def test_invalid_params() -> None:
    error = handle(request("state_getStorage", ["0xzz"]))["error"]
    assert error["code"] == -32602 and error["message"] == "Invalid params"
    assert "key" in error["data"] and "not hexadecimal" in error["data"]
    assert "odd number" in handle(request("state_getStorage", ["0x123"]))["error"]["data"]
    assert "missing required parameter `key`" in handle(request("state_getStorage", []))["error"]["data"]
    assert "too many parameters" in handle(request("system_name", [1]))["error"]["data"]
    assert "32-byte hash" in handle(request("chain_getHeader", ["0x1234"]))["error"]["data"]
    assert handle(request("chain_getBlockHash", [-1]))["error"]["code"] == -32602
    assert handle(request("chain_getBlockHash", [2**32]))["error"]["code"] == -32602
    assert handle(request("state_getKeysPaged", ["0x", "ten"]))["error"]["code"] == -32602
    assert handle(request("account_nextIndex", ["5notAnAddress"]))["error"]["code"] == -32602
    bad_params = json.dumps({"jsonrpc": "2.0", "id": 1, "method": "system_name", "params": "x"})
    assert handle(bad_params)["error"]["code"] == -32602


def test_named_params() -> None:
    node = Node()
    response = handle(json.dumps({"jsonrpc": "2.0", "id": 1, "method": "chain_getBlockHash",
                                  "params": {"number": 0}}), node=node)
    assert response["result"] == "0x" + node.chain.canonical[0].hex()


def test_notifications_get_no_response() -> None:
    assert handle(json.dumps({"jsonrpc": "2.0", "method": "system_name"})) is None
    assert handle(json.dumps([{"jsonrpc": "2.0", "method": "system_name"}])) is None


def test_batch() -> None:
    batch = json.dumps([
        {"jsonrpc": "2.0", "id": 1, "method": "system_name"},
        {"jsonrpc": "2.0", "method": "system_chain"},
        {"jsonrpc": "2.0", "id": 2, "method": "missing"},
        5,
        {"jsonrpc": "2.0", "id": 3, "method": "system_chain"},
    ])
    response = handle(batch)
    assert [r["id"] for r in response] == [1, 2, None, 3]
    assert response[0]["result"] == "pysubtensor" and response[1]["error"]["code"] == -32601
    assert response[2]["error"]["code"] == -32600 and response[3]["result"] == "Development"


def test_unsafe_refused_when_not_allowed() -> None:
    error = handle(request("system_peers"), Session(allow_unsafe=False))["error"]
    assert error == {"code": -32601, "message": "RPC call is unsafe to be called externally"}
    assert isinstance(handle(request("system_peers"), Session(allow_unsafe=True))["result"], list)


def test_oversized_request() -> None:
    node = Node()
    node.registry.max_request_size = 100
    response = handle(request("state_getStorage", ["0x" + "00" * 100]), node=node)
    assert response["error"] == {"code": -32007, "message": "Request is too big", "data": "Exceeded max limit of 100"}


def test_oversized_response() -> None:
    node = Node()
    node.registry.max_response_size = 50
    error = handle(request("state_getRuntimeVersion"), node=node)["error"]
    assert error["code"] == -32008 and error["message"] == "Response is too big"


def test_rpc_methods_lists_every_name_and_alias() -> None:
    methods = handle(request("rpc_methods"))["result"]["methods"]
    for name in ("account_nextIndex", "system_accountNextIndex", "state_getStorageAt", "state_call",
                 "chain_getHead", "chain_getFinalisedHead", "subscribe_newHead", "chain_unsubscribeNewHeads",
                 "author_unwatchExtrinsic", "chainHead_v1_follow", "rpc_methods", "payment_queryInfo"):
        assert name in methods
    assert methods == sorted(methods)


def test_subscription_over_http_is_refused() -> None:
    class HttpSession(Session):
        supports_subscriptions = False

    error = handle(request("chain_subscribeNewHeads"), HttpSession())["error"]
    assert error["code"] == -32603


def test_handler_crash_is_internal_error() -> None:
    node = Node()
    node.chain.best_hash = None  # type: ignore[assignment, method-assign]
    error = handle(request("chain_getFinalizedHead"), node=node)
    assert "result" in error
    error = handle(request("chain_getHeader"), node=node)["error"]
    assert error["code"] == -32603 and error["message"] == "Internal error"
