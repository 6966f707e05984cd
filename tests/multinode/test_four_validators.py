"""Four validator nodes (Alice, Bob, Charlie, Dave) on loopback: one chain, GRANDPA finality, fault tolerance.

One module-scoped network goes through the issue's story in order: 100 finalized blocks that every node agrees
on, a transfer submitted to one node finalized on all, then faults — with one node killed finality continues
(3 of 4 > 2/3), with two killed blocks are still produced but finality stalls, and after restarting one of them
finality resumes; no two nodes ever finalize different blocks at the same height. Finally a fifth, non-voting
node with an empty database joins, syncs the chain with its justifications and follows the head.
"""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from substrateinterface import Keypair, SubstrateInterface

from runtime.primitives.extrinsic import extrinsic_hash
from tests.multinode.harness import Net, make_net

pytestmark = [pytest.mark.slow, pytest.mark.timeout(900)]

ALL = (0, 1, 2, 3)


@pytest.fixture(scope="module")
def net(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Net]:
    network = make_net(tmp_path_factory.mktemp("four"), 5, 4, "local4")  # node 4 (Eve) joins later, not voting
    try:
        for index in ALL:
            network.start(index)
        yield network
    finally:
        network.stop_all()


def finalized(net: Net, index: int) -> int:
    return net.number(index, finalized=True) or 0


def assert_finalized_agree(net: Net, nodes: tuple[int, ...]) -> int:
    """Every height up to the lowest finalized number has one hash on all ``nodes``; returns that height."""
    top = min(finalized(net, i) for i in nodes)
    for height in range(1, top + 1):
        hashes = {net.hash_at(i, height) for i in nodes}
        assert len(hashes) == 1, f"nodes disagree at finalized height {height}: {hashes}"
    return top


def test_hundred_blocks_finalized_identically_on_all_nodes(net: Net) -> None:
    net.wait("all four nodes to finalize #100", lambda: all(finalized(net, i) >= 100 for i in ALL), 400)
    assert assert_finalized_agree(net, ALL) >= 100
    for index in ALL:
        peers = net.rpc(index, "system_health")["peers"]
        assert peers == 3, f"node {index} has {peers} peers"


def test_transfer_submitted_to_one_node_is_finalized_on_all(net: Net) -> None:
    """Submitted to Charlie's node with py-substrate-interface (metadata-driven, signs with Eve's key), gossiped to
    the block author, finalized; every node then has the same block at that height and Eve's new nonce."""
    eve, ferdie = Keypair.create_from_uri("//Eve"), Keypair.create_from_uri("//Ferdie")
    with SubstrateInterface(url=f"ws://127.0.0.1:{net.nodes[2].rpc_port}", ss58_format=42) as client:
        nonce = client.get_account_nonce(eve.ss58_address)
        call = client.compose_call("Balances", "transfer_keep_alive", {"dest": ferdie.ss58_address,
                                                                       "value": 123_456_789})
        receipt = client.submit_extrinsic(client.create_signed_extrinsic(call, eve), wait_for_finalization=True)
        assert receipt.is_success, receipt.error_message
        number = client.get_block_number(receipt.block_hash)
    for index in ALL:
        net.wait(f"node {index} to finalize #{number}", lambda i=index: finalized(net, i) >= number, 60)
        assert net.hash_at(index, number) == receipt.block_hash
        block = net.rpc(index, "chain_getBlock", [receipt.block_hash])
        assert receipt.extrinsic_hash in {"0x" + extrinsic_hash(bytes.fromhex(x[2:])).hex()
                                          for x in block["block"]["extrinsics"]}
        assert net.rpc(index, "system_accountNextIndex", [eve.ss58_address]) == nonce + 1


def test_finality_survives_one_fault_stalls_at_two_and_resumes(net: Net) -> None:
    net.kill(3)  # Dave
    survivors = (0, 1, 2)
    mark = min(finalized(net, i) for i in survivors)
    net.wait("finality to advance with 3 of 4 voters", lambda: all(finalized(net, i) >= mark + 10 for i in survivors),
             120)

    net.kill(2)  # Charlie: 2 of 4 is not more than 2/3
    pair = (0, 1)
    time.sleep(3)  # let in-flight rounds settle
    stalled_at = max(finalized(net, i) for i in pair)
    best_before = net.number(0, finalized=False) or 0
    time.sleep(8)
    assert (net.number(0, finalized=False) or 0) >= best_before + 5, "block production stopped"
    assert max(finalized(net, i) for i in pair) <= stalled_at + 1, "finality advanced with half the voters"

    net.start(2)  # Charlie comes back with his database and catches up
    net.wait("finality to resume after Charlie restarts",
             lambda: all(finalized(net, i) >= stalled_at + 10 for i in (0, 1, 2)), 180)
    assert_finalized_agree(net, (0, 1, 2))


def test_fifth_node_with_empty_database_joins_and_follows(net: Net) -> None:
    live = (0, 1, 2)
    net.start(4, validator=False)
    net.wait("Eve to answer RPC", lambda: net.number(4, finalized=False) is not None, 60)
    target = net.number(0, finalized=False) or 0
    net.wait(f"Eve to sync to #{target}", lambda: (net.number(4, finalized=False) or 0) >= target, 180)
    net.wait("Eve to follow the head",
             lambda: (net.number(4, finalized=False) or 0) >= (net.number(0, finalized=False) or 0) - 2, 60)
    # Eve finalizes from the voters' justifications and commits, and agrees with them at every height.
    mark = finalized(net, 0)
    net.wait("Eve to finalize with the voters", lambda: finalized(net, 4) >= mark, 120)
    assert_finalized_agree(net, (*live, 4))
