"""Benchmark: block sync from a peer over libp2p versus importing the same blocks locally.

A source chain (in-memory, dev genesis) is authored with one signed balance transfer per block. Then:

* **local import** — a fresh chain imports those blocks directly through ``Chain.import_block``
  (verify seal, execute, check roots, commit), the cost sync can at best approach;
* **network sync** — a fresh chain behind a second network service syncs them from the source's service
  over loopback TCP (Noise + Yamux, ``sync/2`` requests of 128 blocks, protobuf responses) through
  :class:`consensus.sync.BlockSync`, the same path a node takes.

Both sides of the network case live in this one process (and on this machine's two cores), so serving,
transport and import compete for the same CPU, as they would for a node syncing from a local peer.
``main()`` returns a markdown table; ``python -m bench sync`` prints it.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import trio

from consensus.aura import slot_at
from consensus.chain import Chain, ImportOutcome, open_chain
from consensus.sync import BlockSync
from network.config import NetworkConfig
from network.service import NetworkService
from runtime.node_runtime import node_runtime
from runtime.primitives.extrinsic import ChainContext, encode_extrinsic, extrinsic_hash
from runtime.primitives.keys import dev_account
from runtime.primitives.signing import sign_extrinsic
from runtime.version import SPEC_VERSION, TRANSACTION_VERSION
from storage.kv import MemoryKV
from subtensor.chain_spec import load_chain_spec
from subtensor.networking import ChainBlockSource, NetworkFetcher

BLOCKS = int(os.environ.get("BENCH_SYNC_BLOCKS", "600"))
T0 = 1_800_000_000_000


def new_chain() -> Chain:
    _, spec = load_chain_spec("dev")
    return open_chain(MemoryKV(), spec, node_runtime(), pruning=None, instant_finality=False)


def author(chain: Chain, count: int) -> None:
    alice, bob = dev_account("Alice"), dev_account("Bob")
    context = ChainContext(SPEC_VERSION, TRANSACTION_VERSION, chain.genesis_hash())
    call = node_runtime().encode_call(("Balances", ("transfer_keep_alive", {"dest": ("Id", bob.public),
                                                                             "value": 10**9})))
    for nonce in range(count):
        xt = encode_extrinsic(sign_extrinsic(alice, call, context, nonce=nonce))
        now = T0 + (nonce + 1) * 250
        built = chain.build_block(chain.best_hash(), now, slot_at(now, 250), alice, [(extrinsic_hash(xt), xt)])
        chain.import_block(built.header, built.body, own=True)


def local_import(source: Chain) -> float:
    target = new_chain()
    blocks = []
    for number in range(1, BLOCKS + 1):
        block_hash = source.db.blocks.hash_at(number)
        assert block_hash is not None
        header = source.header(block_hash)
        assert header is not None
        blocks.append((header, source.body(block_hash) or []))
    start = time.perf_counter()
    for header, body in blocks:
        target.import_block(header, body)
    elapsed = time.perf_counter() - start
    assert target.db.best().number == BLOCKS
    return elapsed


class _Quiet:
    async def peer_connected(self, *args: object) -> None: ...

    async def peer_disconnected(self, *args: object) -> None: ...

    async def block_announced(self, *args: object) -> None: ...

    async def transactions(self, *args: object) -> None: ...

    async def grandpa_message(self, *args: object) -> None: ...


def network_sync(source: Chain) -> float:
    target = new_chain()
    genesis = source.genesis_hash()

    def config(seed: int, bootnodes: tuple[str, ...] = ()) -> NetworkConfig:
        return NetworkConfig(node_key=seed.to_bytes(32, "big"), genesis_hash=genesis,
                             listen_addresses=("/ip4/127.0.0.1/tcp/0",), bootnodes=bootnodes)

    async def noop(outcome: ImportOutcome, included: list[bytes]) -> None:
        return None

    elapsed = 0.0

    async def main() -> None:
        nonlocal elapsed
        source_side = ChainBlockSource(source)
        server = NetworkService(config(1), source_side, source_side, _Quiet())
        async with trio.open_nursery() as nursery:
            await nursery.start(server.run)
            address = f"{server.listen_addresses()[0]}"
            if "/p2p/" not in address:
                address += f"/p2p/{server.local_peer_id}"
            target_side = ChainBlockSource(target)
            client = NetworkService(config(2, (address,)), target_side, target_side, _Quiet())
            await nursery.start(client.run)
            while client.peer_count() == 0 or not client.peers() or client.peers()[0].best_number < BLOCKS:
                await trio.sleep(0.01)
            sync = BlockSync(target, NetworkFetcher(client), noop)
            start = time.perf_counter()
            nursery.start_soon(sync.run)
            while target.db.best().number < BLOCKS:
                await trio.sleep(0.005)
            elapsed = time.perf_counter() - start
            nursery.cancel_scope.cancel()

    trio.run(main)
    return elapsed


def main() -> str:
    source = new_chain()
    author(source, BLOCKS)
    local = local_import(source)
    synced = network_sync(source)
    local_bps, sync_bps = BLOCKS / local, BLOCKS / synced
    return "\n".join([
        f"| {BLOCKS} blocks, one transfer each | time | blocks/s |",
        "|---|---|---|",
        f"| local import (`Chain.import_block`) | {local:.2f} s | {local_bps:.0f} |",
        f"| sync from a peer over libp2p (`sync/2`, loopback) | {synced:.2f} s | {sync_bps:.0f} |",
        f"| sync speed / local import speed | | {100 * sync_bps / local_bps:.0f}% |",
    ])


if __name__ == "__main__":
    print(main())
