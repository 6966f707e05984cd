"""When finality lands on a fork other than the node's best chain, the node moves its best block there and tells
RPC subscribers and the transaction pool, as it does for an import that becomes best."""

from __future__ import annotations

from pathlib import Path

import trio

from consensus.aura import slot_at
from runtime.primitives.keys import dev_account
from subtensor.config import NodeConfig
from subtensor.rpc.backend import BlockEvent
from subtensor.service import Node

ALICE = dev_account("Alice")
T0 = 1_800_000_000_000


def test_finality_on_another_fork_moves_best_and_notifies(tmp_path: Path) -> None:
    node = Node(NodeConfig(chain="dev", network=False, prometheus_port=None), tmp_path)
    chain = node.chain
    try:
        genesis = chain.best_hash()

        def build(parent: bytes, offset_ms: int) -> bytes:
            now = T0 + offset_ms
            built = chain.build_block(parent, now, slot_at(now, 250), ALICE)
            return chain.import_block(built.header, built.body, own=True).hash

        fork_a1 = build(genesis, 250)
        fork_a2 = build(fork_a1, 500)
        fork_b1 = build(genesis, 750)  # a sibling of A1 that loses on length
        assert chain.best_hash() == fork_a2
        events: list[BlockEvent] = []

        async def main() -> None:
            async with trio.open_nursery() as nursery:
                async def collect() -> None:
                    async for event in node.notifier.subscribe():
                        events.append(event)

                nursery.start_soon(collect)
                while not node.notifier._subscribers:  # the subscription is live before anything happens
                    await trio.sleep(0.001)
                node._announced_best = fork_a2
                chain.finalize(fork_b1)
                await node.on_finalized(fork_b1, 1)
                await trio.sleep(0.01)
                nursery.cancel_scope.cancel()

        trio.run(main)
        assert chain.best_hash() == fork_b1
        assert [(e.hash, e.is_best, e.is_finalized) for e in events] == [(fork_b1, True, False),
                                                                         (fork_b1, False, True)]
        assert node._announced_best == fork_b1
    finally:
        node.close()


def test_finalizing_several_blocks_at_once_finalizes_every_transaction_in_them(tmp_path: Path) -> None:
    """GRANDPA finalizes in jumps: a transaction in a block below the newly finalized one still gets its
    ``finalized`` status (watchers such as substrate-interface's wait_for_finalization depend on it)."""
    from runtime.node_runtime import node_runtime
    from runtime.primitives.extrinsic import ChainContext, encode_extrinsic, extrinsic_hash
    from runtime.primitives.signing import sign_extrinsic
    from runtime.version import SPEC_VERSION, TRANSACTION_VERSION

    node = Node(NodeConfig(chain="dev", network=False, prometheus_port=None), tmp_path)
    chain = node.chain
    statuses: list[tuple[bytes, object]] = []
    node.pool.pool.add_listener(lambda tx_hash, value, final: statuses.append((tx_hash, value)))
    call = node_runtime().encode_call(("Balances", ("transfer_keep_alive", {"dest": ("Id", dev_account("Bob").public),
                                                                             "value": 10**9})))
    xt = encode_extrinsic(sign_extrinsic(ALICE, call, ChainContext(SPEC_VERSION, TRANSACTION_VERSION,
                                                                   chain.genesis_hash()), nonce=0))
    try:
        async def main() -> None:
            await node.pool.submit(xt)
            hashes = []
            for n in range(1, 4):
                now = T0 + n * 250
                built = chain.build_block(chain.best_hash(), now, slot_at(now, 250), ALICE, node.pool_ready().ready())
                outcome = chain.import_block(built.header, built.body, own=True)
                await node.on_imported(outcome, built.included, own=True)
                hashes.append(outcome.hash)
            chain.finalize(hashes[-1])  # one finality step covering blocks 1..3
            await node.on_finalized(hashes[-1], 3)

        trio.run(main)
        finalized = [value for tx_hash, value in statuses if tx_hash == extrinsic_hash(xt)
                     and isinstance(value, dict) and "finalized" in value]
        assert len(finalized) == 1
    finally:
        node.close()
