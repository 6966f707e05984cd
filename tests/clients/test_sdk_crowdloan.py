"""bittensor 11.3.0's crowdloan intents on a dev node: create (paying a target), contribute, finalize, and
a second crowdloan refunded and dissolved; balances and storage checked after each step."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path
from typing import Any

import pytest

from runtime.pallets import crowdloan
from runtime.pallets.crowdloan.types import funds_account
from runtime.pallets.system import storage as system_storage
from runtime.primitives.keys import dev_account
from tests.clients.conftest import RunningNode
from tests.clients.test_bittensor_flows import _storage
from tests.clients.test_bittensor_sdk import _wallet

pytestmark = pytest.mark.slow
TAO = 10**9


def test_crowdloan_to_a_target_and_a_refunded_one(dev_node: RunningNode, tmp_path: Path) -> None:
    os.environ["BITTENSOR_RUNTIME_CACHE_DIR"] = str(tmp_path / "cache")
    import bittensor as bt
    from bittensor.intents.crowdloan import (
        ContributeCrowdloan, CreateCrowdloan, DissolveCrowdloan, FinalizeCrowdloan, RefundCrowdloan,
    )

    target = dev_account("Dave").derive("//crowdloan-target")

    async def scenario() -> dict[str, Any]:
        out: dict[str, Any] = {}
        async with bt.Client(dev_node.ws_url) as client:
            now = _storage(dev_node, system_storage.Number)
            first = _storage(dev_node, crowdloan.NextCrowdloanId)
            created = await client.execute(CreateCrowdloan(
                deposit_tao=10, min_contribution_tao=1, cap_tao=30, end=now + 1_000,
                target_ss58=target.ss58_address), _wallet("Alice"))
            assert created.success, created.message
            contributed = await client.execute(ContributeCrowdloan(first, 20), _wallet("Bob"))
            assert contributed.success, contributed.message
            out["raised"] = _storage(dev_node, crowdloan.Crowdloans, first)["raised"]
            finalized = await client.execute(FinalizeCrowdloan(first), _wallet("Alice"))
            assert finalized.success, finalized.message
            out["target"] = int((await client.balances.get(target.ss58_address)).rao)
            out["first"] = _storage(dev_node, crowdloan.Crowdloans, first)

            second = first + 1
            assert (await client.execute(CreateCrowdloan(
                deposit_tao=10, min_contribution_tao=1, cap_tao=100, end=now + 1_000,
                target_ss58=target.ss58_address), _wallet("Alice"))).success
            bob_before = int((await client.balances.get(dev_account("Bob").ss58_address)).rao)
            contributed = await client.execute(ContributeCrowdloan(second, 5), _wallet("Bob"))
            assert contributed.success, contributed.message
            out["bob_fee"] = int(contributed.fee.rao)
            assert (await client.execute(RefundCrowdloan(second), _wallet("Alice"))).success
            out["bob_refunded"] = bob_before - int((await client.balances.get(dev_account("Bob").ss58_address)).rao)
            dissolved = await client.execute(DissolveCrowdloan(second), _wallet("Alice"))
            assert dissolved.success, dissolved.message
            out["second"] = _storage(dev_node, crowdloan.Crowdloans, second)
            out["second_pot"] = _storage(dev_node, system_storage.Account, funds_account(second))
        return out

    out = asyncio.run(scenario())
    assert out["raised"] == 30 * TAO  # 10 TAO deposit + 20 TAO from Bob
    assert out["target"] == 30 * TAO
    assert out["first"]["finalized"] is True and out["first"]["target_address"] == target.public
    assert out["bob_refunded"] == out["bob_fee"]  # the 5 TAO came back; only the fee was spent
    assert out["second"] is None  # dissolved: removed from storage
    pot = out["second_pot"]  # its account reaped: no providers, no funds
    assert pot.providers == 0 and pot.data.free == 0
