"""bittensor 11.3.0's MEV-shielded submission against a dev node.

The SDK refuses to send ``BurnedRegister`` in the clear: it reads ``MevShield.NextKey``, signs the
registration at nonce+1, encrypts it with ML-KEM-768 + XChaCha20-Poly1305 into
``MevShield.submit_encrypted`` (signed at nonce) and then looks for the inner extrinsic in the blocks
that follow. These tests drive that real path and check the chain did what the SDK reports: the block
author unshielded the registration into the wrapper's block, right after the wrapper, and the new
neuron is in the metagraph.
"""

from __future__ import annotations

import asyncio
import json
import os
import urllib.request
from pathlib import Path
from typing import Any

import pytest

from runtime.node_runtime import node_runtime
from runtime.pallets import mev_shield
from runtime.pallets.subtensor import storage as st
from runtime.primitives.extrinsic import decode_extrinsic
from runtime.primitives.hashing import blake2_256
from runtime.primitives.keys import dev_account
from tests.clients.conftest import RunningNode
from tests.clients.test_bittensor_sdk import DevSigner, DevWallet, _wallet

pytestmark = pytest.mark.slow


def _rpc(node: RunningNode, method: str, params: list[Any]) -> Any:
    body = json.dumps({"jsonrpc": "2.0", "id": 1, "method": method, "params": params}).encode()
    request = urllib.request.Request(node.http_url, data=body, headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read())["result"]


def _storage(node: RunningNode, entry: Any, *keys: Any) -> Any:
    raw = _rpc(node, "state_getStorage", ["0x" + entry.key(*keys).hex()])
    if raw is None:
        return None if entry.is_optional else entry.default
    return entry.value.decode(bytes.fromhex(raw[2:]))


def _block_extrinsics(node: RunningNode, block_hash: str) -> list[bytes]:
    return [bytes.fromhex(xt[2:]) for xt in _rpc(node, "chain_getBlock", [block_hash])["block"]["extrinsics"]]


def _call_name(encoded: bytes) -> tuple[str, str]:
    runtime = node_runtime()
    pallet, (name, _) = runtime.decode_call(decode_extrinsic(encoded, runtime.extensions).call)
    return pallet, name


def test_shielded_burned_register_lands_in_the_metagraph(dev_node: RunningNode, tmp_path: Path) -> None:
    os.environ["BITTENSOR_RUNTIME_CACHE_DIR"] = str(tmp_path / "cache")
    import bittensor as bt
    from bittensor._generated import calls
    from bittensor.intents.registration import BurnedRegister, RegisterSubnet, StartCall
    from bittensor.intents.transfer import Transfer

    cold = dev_account("Charlie").derive("//shield-owner")
    owner = DevWallet(DevSigner(cold), DevSigner(cold), DevSigner(dev_account("Charlie").derive("//shield-oh")))
    miner = dev_account("Charlie").derive("//shield-miner")

    async def scenario() -> dict[str, Any]:
        async with bt.Client(dev_node.ws_url) as client:
            assert (await client.execute(Transfer(cold.ss58_address, 3000), _wallet("Charlie"))).success
            inner = await client.compose(calls.AdminUtils.sudo_set_network_rate_limit(rate_limit=0))
            assert (await client.submit_call(calls.Sudo.sudo(call=inner), _wallet("Alice"))).success
            registered = await client.execute(RegisterSubnet(), owner)
            assert registered.success, registered.message
            netuid = registered.data["netuid"]
            assert (await client.execute(StartCall(netuid), owner)).success
            result = await client.execute(BurnedRegister(netuid, hotkey_ss58=miner.ss58_address), owner)
            graph = await client.subnets.metagraph(netuid, commitments=False)
            return {"netuid": netuid, "result": result, "graph": graph}

    out = asyncio.run(scenario())
    result, netuid = out["result"], out["netuid"]
    assert result.success, result.message
    assert result.data["shielded"] is True

    # The SDK found the inner registration by its hash; it must sit right after its wrapper.
    inner_hash = result.data["inner_extrinsic_hash"].lower()
    body = _block_extrinsics(dev_node, result.block_hash)
    names = [_call_name(xt) for xt in body]
    position = ["0x" + blake2_256(xt).hex() for xt in body].index(inner_hash)
    assert names[position] == ("SubtensorModule", "burned_register")
    assert names[position - 1] == ("MevShield", "submit_encrypted")  # the carrier, just before
    assert names[:2] == [("Timestamp", "set"), ("MevShield", "announce_next_key")]  # the inherents

    uid = _storage(dev_node, st.Uids, netuid, miner.public)
    assert uid is not None
    assert out["graph"].neurons[uid].hotkey == miner.ss58_address
    assert _storage(dev_node, st.SubnetworkN, netuid) == 2  # the owner's hotkey and the miner


def test_next_key_is_announced_and_rotates_with_the_author(dev_node: RunningNode) -> None:
    key = _storage(dev_node, mev_shield.NextKey)
    assert key is not None and len(key) == mev_shield.MLKEM768_ENC_KEY_LEN
    assert _storage(dev_node, mev_shield.PendingKey) is not None
    alice = dev_account("Alice").public
    # One authority: its turns are one slot apart, so its pair stays fixed (see consensus.mev_shield).
    assert _storage(dev_node, mev_shield.AuthorKeys, alice) == key
    best = int(_rpc(dev_node, "chain_getHeader", [])["number"], 16)
    assert _storage(dev_node, mev_shield.NextKeyExpiresAt) >= best
