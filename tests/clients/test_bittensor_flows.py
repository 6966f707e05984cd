"""bittensor 11.3.0 end to end on a dev node: sudo, subnet creation, start_call, registrations, staking.

Checks that each step succeeds, that balances move by exactly the amounts the reference rules give
(burn, fee), and that the chain's totals stay consistent (SubnetTAO, TotalStake, TotalIssuance).
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
from runtime.pallets.subtensor import storage as st
from runtime.pallets.system import storage as system_storage
from runtime.primitives.keys import dev_account
from tests.clients.conftest import RunningNode
from tests.clients.test_bittensor_sdk import DevSigner, DevWallet, _wallet

pytestmark = pytest.mark.slow


def _storage(node: RunningNode, entry: Any, *keys: Any, at: str | None = None) -> Any:
    """Read a storage item over JSON-RPC and decode it with our own declaration (default if absent)."""
    params: list[Any] = ["0x" + entry.key(*keys).hex()] + ([at] if at is not None else [])
    body = json.dumps({"jsonrpc": "2.0", "id": 1, "method": "state_getStorage", "params": params}).encode()
    request = urllib.request.Request(node.http_url, data=body, headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as response:
        raw = json.loads(response.read())["result"]
    if raw is None:
        return None if entry.is_optional else entry.default
    return entry.value.decode(bytes.fromhex(raw[2:]))


def _fees_paid(node: RunningNode, block_hash: str, who: bytes) -> int:
    """All transaction fees ``who`` paid in a block (a shielded call pays for its carrier and itself)."""
    node_runtime()  # the event codec is assembled with the runtime
    records = _storage(node, system_storage.Events, at=block_hash)
    return sum(r["event"][1][1]["actual_fee"] for r in records
               if r["event"][:1] == ("TransactionPayment",) and r["event"][1][0] == "TransactionFeePaid"
               and r["event"][1][1]["who"] == who)


def test_subnet_lifecycle_and_staking(dev_node: RunningNode, tmp_path: Path) -> None:
    os.environ["BITTENSOR_RUNTIME_CACHE_DIR"] = str(tmp_path / "cache")
    import bittensor as bt
    from bittensor._generated import calls
    from bittensor.intents.registration import BurnedRegister, RegisterSubnet, StartCall
    from bittensor.intents.staking import AddStake, MoveStake, RemoveStake
    from bittensor.intents.transfer import Transfer

    cold = dev_account("Charlie").derive("//owner")
    owner_hot = dev_account("Charlie").derive("//owner_hot")
    owner = DevWallet(DevSigner(cold), DevSigner(cold), DevSigner(owner_hot))
    hotkeys = [dev_account("Charlie").derive(f"//hk{i}") for i in range(3)]

    async def scenario() -> dict[str, Any]:
        out: dict[str, Any] = {}
        async with bt.Client(dev_node.ws_url) as client:
            assert (await client.execute(Transfer(cold.ss58_address, 5000), _wallet("Charlie"))).success
            inner = await client.compose(calls.AdminUtils.sudo_set_network_rate_limit(rate_limit=0))
            assert (await client.submit_call(calls.Sudo.sudo(call=inner), _wallet("Alice"))).success
            registered = await client.execute(RegisterSubnet(), owner)
            assert registered.success, registered.message
            netuid = registered.data["netuid"]
            out["netuid"] = netuid
            assert (await client.execute(StartCall(netuid), owner)).success
        for hotkey in hotkeys:
            # BurnedRegister insists on MEV shielding: the SDK encrypts it to MevShield.NextKey and the
            # block author unshields it (see tests/clients/test_sdk_shielded.py). One client per shielded
            # call: the SDK's nonce cache ends at the carrier's nonce, not after the inner extrinsic's,
            # so a client's next call from the same account would be signed with a used nonce.
            async with bt.Client(dev_node.ws_url) as client:
                before = int((await client.balances.get(cold.ss58_address)).rao)
                result = await client.execute(BurnedRegister(netuid, hotkey_ss58=hotkey.ss58_address), owner)
                assert result.success, result.message
                assert result.data["shielded"] is True
                after = int((await client.balances.get(cold.ss58_address)).rao)
                out.setdefault("register_costs", []).append(
                    (before - after, _fees_paid(dev_node, result.block_hash, cold.public), int(result.fee.rao)))
        async with bt.Client(dev_node.ws_url) as client:
            before = int((await client.balances.get(cold.ss58_address)).rao)
            staked = await client.execute(AddStake(hotkeys[0].ss58_address, netuid, 10), owner)
            assert staked.success, staked.message
            after = int((await client.balances.get(cold.ss58_address)).rao)
            out["stake_cost"] = (before - after, int(staked.fee.rao))
            moved = await client.execute(MoveStake(hotkeys[0].ss58_address, netuid, hotkeys[1].ss58_address,
                                                   netuid, 1), owner)
            assert moved.success, moved.message
            removed = await client.execute(RemoveStake(hotkeys[1].ss58_address, netuid, 0.5), owner)
            assert removed.success, removed.message
            out["subnets"] = [s.netuid for s in await client.subnets.all()]
            out["metagraph"] = await client.subnets.metagraph(netuid)
        return out

    out = asyncio.run(scenario())
    netuid = out["netuid"]
    assert netuid in out["subnets"]
    burns = [paid - fees for paid, fees, _ in out["register_costs"]]
    assert all(fees > inner_fee > 0 for _, fees, inner_fee in out["register_costs"])  # carrier fee on top
    # The burn starts at 1 TAO, rises ×1.26 per registration and decays a little every block
    # (BurnHalfLife), so with a few 250 ms blocks between registrations it still rises each time.
    assert all(0.9e9 < burn <= 1.26**3 * 1e9 for burn in burns)
    assert burns[0] < burns[1] < burns[2]
    stake_paid, stake_fee = out["stake_cost"]
    assert stake_paid == 10 * 10**9 + stake_fee
    assert _storage(dev_node, st.SubnetworkN, netuid) == 4  # owner hotkey + three registrations
    assert _storage(dev_node, st.SubnetTAO, netuid) > 0
    assert out["metagraph"] is not None
