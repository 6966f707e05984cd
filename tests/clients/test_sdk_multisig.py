"""bittensor 11.3.0's multisig intents on a dev node: a 2-of-2 account of Alice and Bob pays Dave after
Alice opens the operation with the call and Bob approves it with the opening timepoint; a 1-of-2
dispatch pays at once."""

from __future__ import annotations

import asyncio
import json
import os
import urllib.request
from pathlib import Path
from typing import Any

import pytest

from runtime.pallets import multisig
from runtime.primitives.keys import dev_account
from runtime.primitives.multisig import multi_account_id
from runtime.primitives.ss58 import ss58_encode
from tests.clients.conftest import RunningNode
from tests.clients.test_bittensor_flows import _storage
from tests.clients.test_bittensor_sdk import _wallet

pytestmark = pytest.mark.slow
TAO = 10**9


def test_two_of_two_and_one_of_two(dev_node: RunningNode, tmp_path: Path) -> None:
    os.environ["BITTENSOR_RUNTIME_CACHE_DIR"] = str(tmp_path / "cache")
    import bittensor as bt
    from bittensor.intents.multisig import MultisigExecute, MultisigThreshold1
    from bittensor.intents.transfer import Transfer

    alice, bob = dev_account("Alice"), dev_account("Bob")
    dave = dev_account("Dave").derive("//multisig-payee")
    pair = multi_account_id([alice.public, bob.public], 2)
    single = multi_account_id([alice.public, bob.public], 1)
    pay = {"op": "transfer", "dest_ss58": dave.ss58_address, "amount_tao": 3}

    async def scenario() -> dict[str, Any]:
        out: dict[str, Any] = {}
        async with bt.Client(dev_node.ws_url) as client:
            for account in (pair, single):
                funded = await client.execute(Transfer(ss58_encode(account), 10), _wallet("Charlie"))
                assert funded.success, funded.message
            opened = await client.execute(MultisigExecute(2, [bob.ss58_address], pay), _wallet("Alice"))
            assert opened.success, opened.message
            pending = _pending(dev_node, pair)
            out["pending"] = pending
            when = pending[0][1]["when"]
            done = await client.execute(MultisigExecute(2, [alice.ss58_address], pay, timepoint=when), _wallet("Bob"))
            assert done.success, done.message
            out["after_pair"] = int((await client.balances.get(dave.ss58_address)).rao)
            out["pending_after"] = _pending(dev_node, pair)
            once = await client.execute(MultisigThreshold1([alice.ss58_address], pay), _wallet("Bob"))
            assert once.success, once.message
            out["after_single"] = int((await client.balances.get(dave.ss58_address)).rao)
            out["single"] = int((await client.balances.get(ss58_encode(single))).rao)
        return out

    out = asyncio.run(scenario())
    assert len(out["pending"]) == 1 and out["pending"][0][1]["approvals"] == [alice.public]
    assert out["after_pair"] == 3 * TAO and out["pending_after"] == []
    assert out["after_single"] == 6 * TAO
    assert out["single"] == 7 * TAO  # 10 TAO in, 3 TAO paid from the 1-of-2 account


def _pending(node: RunningNode, account: bytes) -> list[tuple[bytes, Any]]:
    """The open operations of ``account`` (call hash, record), listed over JSON-RPC by key prefix."""
    prefix = multisig.Multisigs.key(account)
    body = json.dumps({"jsonrpc": "2.0", "id": 1, "method": "state_getKeysPaged",
                       "params": ["0x" + prefix.hex(), 100]}).encode()
    request = urllib.request.Request(node.http_url, data=body, headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as response:
        keys = json.loads(response.read())["result"]
    found = []
    for key in keys:
        call_hash = bytes.fromhex(key[2:])[-32:]  # Blake2_128Concat: 16 hash bytes, then the hash itself
        found.append((call_hash, _storage(node, multisig.Multisigs, account, call_hash)))
    return found
