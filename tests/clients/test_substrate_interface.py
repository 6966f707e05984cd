"""py-substrate-interface 1.8.1 against a dev node: metadata, storage, signed transfer to finality."""

from __future__ import annotations

import pytest
from substrateinterface import Keypair, SubstrateInterface

from tests.clients.conftest import RunningNode

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def substrate(dev_node: RunningNode) -> SubstrateInterface:
    client = SubstrateInterface(url=dev_node.ws_url, ss58_format=42)
    yield client
    client.close()


def test_chain_facts(substrate: SubstrateInterface) -> None:
    assert substrate.chain == "Development"
    substrate.init_runtime()
    assert substrate.runtime_version == 461
    assert substrate.properties["tokenSymbol"] == "TAO"
    assert substrate.get_block_number(substrate.get_chain_head()) >= 1


def test_query_alice_account(substrate: SubstrateInterface) -> None:
    alice = Keypair.create_from_uri("//Alice")
    info = substrate.query("System", "Account", [alice.ss58_address])
    assert info.value["data"]["free"] > 0
    assert substrate.get_constant("Balances", "ExistentialDeposit").value == 500


def test_transfer_keep_alive_to_finality(substrate: SubstrateInterface) -> None:
    alice = Keypair.create_from_uri("//Alice")
    dest = Keypair.create_from_uri("//Alice//transfer-test")
    amount = 7 * 10**9
    before_alice = substrate.query("System", "Account", [alice.ss58_address]).value["data"]["free"]
    call = substrate.compose_call("Balances", "transfer_keep_alive", {"dest": dest.ss58_address, "value": amount})
    xt = substrate.create_signed_extrinsic(call=call, keypair=alice)
    receipt = substrate.submit_extrinsic(xt, wait_for_inclusion=True, wait_for_finalization=True)
    assert receipt.is_success, receipt.error_message
    names = [(e.value["module_id"], e.value["event_id"]) for e in receipt.triggered_events]
    assert ("Balances", "Transfer") in names and ("System", "ExtrinsicSuccess") in names
    fee_events = [e.value["attributes"] for e in receipt.triggered_events
                  if e.value["event_id"] == "TransactionFeePaid"]
    fee = fee_events[0]["actual_fee"]
    assert receipt.total_fee_amount == fee > 0
    after_dest = substrate.query("System", "Account", [dest.ss58_address]).value["data"]["free"]
    assert after_dest == amount
    after_alice = substrate.query("System", "Account", [alice.ss58_address]).value["data"]["free"]
    # Alice authors every dev block, so the fee comes back to her as the author.
    assert after_alice == before_alice - amount
