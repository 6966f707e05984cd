"""Block sync against a peer served from another in-memory chain: catch-up in batches, fork switch through
the common-ancestor search, announce following, and punishment of peers that serve bad blocks."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

import trio

from consensus.aura import seal, slot_at
from consensus.chain import Chain, ImportOutcome, open_chain
from runtime.primitives.header import Header
from consensus.sync import BAD_BLOCK_COST, BlockSync, FetchedBlock, FetchError, PeerView
from runtime.node_runtime import node_runtime
from runtime.primitives.keys import dev_account
from storage.kv import MemoryKV
from subtensor.chain_spec import load_chain_spec

ALICE = dev_account("Alice")
T0 = 1_800_000_000_000


def new_chain() -> Chain:
    _, spec = load_chain_spec("dev")
    return open_chain(MemoryKV(), spec, node_runtime(), pruning=None, instant_finality=False)


def grow(chain: Chain, count: int, offset_ms: int = 0) -> None:
    for _ in range(count):
        parent = chain.header(chain.best_hash())
        assert parent is not None
        now = T0 + (parent.number + 1) * 250 + offset_ms
        built = chain.build_block(chain.best_hash(), now, slot_at(now, 250), ALICE)
        chain.import_block(built.header, built.body, own=True)


class ChainPeer:
    """A fetcher answering ``sync/2``-style requests from a source chain (one peer named ``src``)."""

    def __init__(self, source: Chain, corrupt_at: int | None = None) -> None:
        self.source = source
        self.corrupt_at = corrupt_at
        self.requests: list[tuple[int | None, bytes | None, bool, int]] = []
        self.reports: list[tuple[str, int, str]] = []

    def sync_peers(self) -> Sequence[PeerView]:
        best = self.source.db.best()
        return [PeerView("src", best.number, best.hash)]

    async def fetch_blocks(self, peer_id: str, *, from_number: int | None = None, from_hash: bytes | None = None,
                           ascending: bool = True, max_blocks: int = 128,
                           bodies: bool = True) -> list[FetchedBlock]:
        self.requests.append((from_number, from_hash, ascending, max_blocks))
        db = self.source.db
        start = db.blocks.hash_at(from_number) if from_number is not None else from_hash
        if start is None:
            raise FetchError("unknown start block")
        header = self.source.header(start)
        assert header is not None
        out: list[FetchedBlock] = []
        number = header.number
        while len(out) < min(max_blocks, 128):
            block_hash = db.blocks.hash_at(number)
            if block_hash is None:
                break
            raw = self.source.header(block_hash)
            assert raw is not None
            if number == self.corrupt_at:
                pre, _ = raw.without_seal()
                raw = seal(replace(pre, state_root=bytes(32)), ALICE)
            body = tuple(self.source.body(block_hash) or []) if bodies else ()
            out.append(FetchedBlock(raw.encode(), body))
            number += 1 if ascending else -1
            if number < 0:
                break
        return out

    def report(self, peer_id: str, change: int, reason: str) -> None:
        self.reports.append((peer_id, change, reason))


def run_until_synced(sync: BlockSync, source: Chain, limit_s: float = 60.0) -> None:
    async def main() -> None:
        async with trio.open_nursery() as nursery:
            nursery.start_soon(sync.run)
            with trio.fail_after(limit_s):
                while sync.chain.best_hash() != source.best_hash():
                    await trio.sleep(0.01)
            nursery.cancel_scope.cancel()

    trio.run(main)


async def _noop(outcome: ImportOutcome, included: list[bytes]) -> None:
    return None


def test_catch_up_downloads_in_batches_of_at_most_128() -> None:
    source, target = new_chain(), new_chain()
    grow(source, 300)
    peer = ChainPeer(source)
    seen: list[int] = []

    async def on_imported(outcome: ImportOutcome, included: list[bytes]) -> None:
        seen.append(outcome.header.number)

    sync = BlockSync(target, peer, on_imported)
    assert sync.state().highest_block == 300 and sync.is_major_syncing()
    run_until_synced(sync, source)
    assert seen == list(range(1, 301))
    assert [r[0] for r in peer.requests] == [1, 129, 257]
    assert not sync.is_major_syncing() and sync.state().current_block == 300
    assert peer.reports == []


def test_switches_to_a_longer_fork_through_the_common_ancestor() -> None:
    source, target = new_chain(), new_chain()
    grow(source, 10)
    for number in range(1, 11):
        block_hash = source.db.blocks.hash_at(number)
        assert block_hash is not None
        header = source.header(block_hash)
        assert header is not None
        target.import_block(header, source.body(block_hash) or [])
    grow(target, 5, offset_ms=7_000)  # a different fork 11..15 on the target
    grow(source, 20)  # the source's own, longer fork 11..30
    assert target.db.best().number == 15
    peer = ChainPeer(source)
    sync = BlockSync(target, peer, _noop)
    run_until_synced(sync, source)
    assert target.best_hash() == source.best_hash()
    assert any(r[3] == 1 for r in peer.requests)  # the ancestor search asked single headers


def one_new_block() -> tuple[Chain, Chain, ChainPeer, BlockSync, Header]:
    """A source chain one block ahead of an empty target, the peer serving it, the target's sync and the
    new block's header."""
    source, target = new_chain(), new_chain()
    peer = ChainPeer(source)
    sync = BlockSync(target, peer, _noop)
    grow(source, 1)
    header = source.header(source.best_hash())
    assert header is not None
    return source, target, peer, sync, header


def test_announced_block_on_a_known_parent_is_fetched_and_imported() -> None:
    source, target, peer, sync, header = one_new_block()
    trio.run(sync.on_announce, "src", header.encode())
    assert target.best_hash() == source.best_hash()
    assert peer.requests == [(None, header.hash, True, 1)]
    grow(source, 2)  # an announce whose parent we lack only wakes catch-up, it fetches nothing
    tip = source.header(source.best_hash())
    assert tip is not None
    trio.run(sync.on_announce, "src", tip.encode())
    assert len(peer.requests) == 1 and sync._wake.is_set()


def test_peer_serving_a_bad_block_is_reported_and_good_prefix_kept() -> None:
    source, target = new_chain(), new_chain()
    grow(source, 20)
    peer = ChainPeer(source, corrupt_at=12)
    sync = BlockSync(target, peer, _noop)
    best = source.db.best()
    assert trio.run(sync.sync_from, PeerView("src", best.number, best.hash)) is True
    assert target.db.best().number == 11
    assert peer.reports and peer.reports[0][0] == "src" and peer.reports[0][1] == BAD_BLOCK_COST
    assert "bad block" in peer.reports[0][2]


def test_undecodable_announce_is_reported() -> None:
    target = new_chain()
    peer = ChainPeer(new_chain())
    sync = BlockSync(target, peer, _noop)
    trio.run(sync.on_announce, "src", b"\x01\x02")
    assert peer.reports and peer.reports[0][2] == "undecodable announced header"


def test_unimportable_blocks_cost_the_peer_nothing() -> None:
    source, target = new_chain(), new_chain()
    grow(source, 3)
    peer = ChainPeer(source)
    sync = BlockSync(target, peer, _noop)
    blocks = trio.run(lambda: peer.fetch_blocks("src", from_number=1))
    assert trio.run(sync._import, "src", blocks[2:]) == 0  # unknown parent: nothing imported, nobody blamed
    assert trio.run(sync._import, "src", blocks) == 3
    assert trio.run(sync._import, "src", blocks) == 0  # all already known
    assert peer.reports == []


def test_a_block_announced_by_several_peers_is_fetched_once() -> None:
    source, target, peer, sync, header = one_new_block()

    async def main() -> None:
        async with trio.open_nursery() as nursery:
            for name in ("a", "b", "c"):
                nursery.start_soon(sync.on_announce, name, header.encode())

    trio.run(main)
    assert target.best_hash() == source.best_hash()
    assert len(peer.requests) == 1 and peer.reports == []
