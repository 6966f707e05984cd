"""Malformed JSON-RPC input against a running node: the right error each time, and it keeps serving."""

from __future__ import annotations

import json
import urllib.request
from typing import Any

import pytest

from tests.clients.conftest import RunningNode

pytestmark = pytest.mark.slow


def post(node: RunningNode, body: bytes) -> Any:
    request = urllib.request.Request(node.http_url, data=body, headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read())


def call(node: RunningNode, method: str, params: Any) -> Any:
    return post(node, json.dumps({"jsonrpc": "2.0", "id": 1, "method": method, "params": params}).encode())


def test_malformed_requests_get_json_rpc_errors(dev_node: RunningNode) -> None:
    assert post(dev_node, b"{not json")["error"]["code"] == -32700
    assert call(dev_node, "no_such_method", [])["error"]["code"] == -32601
    assert call(dev_node, "chain_getBlockHash", ["not a number"])["error"]["code"] == -32602
    assert call(dev_node, "state_getStorage", ["0xzz"])["error"]["code"] == -32602
    bad_xt = call(dev_node, "author_submitExtrinsic", ["0x0102"])["error"]
    assert bad_xt["code"] in (1001, 1002, 1010, 1040)
    invalid = call(dev_node, "author_submitExtrinsic", ["0x" + (b"\x10\x04\x00\x00\x00").hex()])["error"]
    assert invalid["code"] in (1010, 1011, 1040)
    batch = post(dev_node, json.dumps([{"jsonrpc": "2.0", "id": 1, "method": "system_name"},
                                       {"jsonrpc": "2.0", "id": 2, "method": "nope"}]).encode())
    assert {r["id"]: ("result" in r) for r in batch} == {1: True, 2: False}
    # Still serving after all of that.
    assert call(dev_node, "system_chain", [])["result"] == "Development"
    assert call(dev_node, "chain_getHeader", [])["result"]["number"].startswith("0x")


def test_manual_sealing_with_engine_create_block(tmp_path_factory: pytest.TempPathFactory) -> None:
    from tests.clients.conftest import stop_node

    node = None
    try:
        node = _start_manual(tmp_path_factory)
        before = int(call(node, "chain_getHeader", [])["result"]["number"], 16)
        created = call(node, "engine_createBlock", [True, True, None])["result"]
        assert created["hash"].startswith("0x") and created["aux"] == {"header_only": False}
        header = call(node, "chain_getHeader", [created["hash"]])["result"]
        assert int(header["number"], 16) == before + 1
        assert call(node, "chain_getFinalizedHead", [])["result"] == created["hash"]
    finally:
        if node is not None:
            stop_node(node)


def _start_manual(factory: pytest.TempPathFactory) -> RunningNode:
    """A dev node that only seals on engine_createBlock (so no block #1 appears on its own)."""
    from tests.clients.conftest import start_node

    return start_node(factory.mktemp("manual"), "--sealing", "manual", wait_block=False)
