"""The chain with GRANDPA: justified imports, fork choice under finality, voter queries, Aura equivocation."""

from __future__ import annotations

import pytest

from consensus.aura import Equivocation, EquivocationDetector
from consensus.chain import BlockImportError, Chain, open_chain
from consensus.grandpa.authorities import AuthoritySetTracker
from consensus.grandpa.justification import build_justification, verify_justification
from consensus.grandpa.voter import Finalized, Voter
from runtime.node_runtime import node_runtime
from runtime.primitives.header import Header
from runtime.primitives.keys import dev_account
from storage.kv import MemoryKV
from subtensor.chain_spec import load_chain_spec
from tests.consensus.grandpa_helpers import KEYS, precommit

AURA = {0: dev_account("Alice"), 1: dev_account("Bob")}  # local: slot % 2 picks the author
T0 = 1_800_000_000_000
SLOT_MS = 250


def new_chain() -> Chain:
    _, spec = load_chain_spec("local")
    return open_chain(MemoryKV(), spec, node_runtime(), pruning=None)


def build(chain: Chain, parent: bytes, slot: int) -> tuple[Header, list[bytes]]:
    built = chain.build_block(parent, slot * SLOT_MS, slot, AURA[slot % 2])
    return built.header, built.body


def extend(chain: Chain, parent: bytes, slots: range) -> list[Header]:
    headers = []
    for slot in slots:
        header, body = build(chain, parent, slot)
        chain.import_block(header, body)
        headers.append(header)
        parent = header.hash
    return headers


def justify(chain: Chain, header: Header, signers: tuple[str, ...] = ("Alice", "Bob"), set_id: int = 0) -> bytes:
    votes = [precommit(n, header, 3, set_id) for n in signers]
    return build_justification(3, header.hash, header.number, votes, lambda b, h: []).encode()


def test_grandpa_set_comes_from_the_genesis_state() -> None:
    chain = new_chain()
    current = chain.authority_set()
    assert current.set_id == 0
    assert current.authorities == ((KEYS["Alice"].public, 1), (KEYS["Bob"].public, 1))
    restored = Chain(chain.db, chain.runtime, chain.state_version, grandpa_state=chain.grandpa.encode())
    assert restored.authority_set() == current
    assert isinstance(AuthoritySetTracker.decode(chain.grandpa.encode()), AuthoritySetTracker)


def test_import_with_a_justification_finalizes_and_stores_it() -> None:
    source, sink = new_chain(), new_chain()
    slot0 = T0 // SLOT_MS
    headers = extend(source, source.genesis_hash(), range(slot0, slot0 + 3))
    for header in headers[:2]:
        sink.import_block(header, source.body(header.hash) or [])
    good = justify(source, headers[2])
    outcome = sink.import_block(headers[2], source.body(headers[2].hash) or [], good)
    assert outcome.finalized == headers[2].hash and not outcome.bad_justification
    assert sink.finalized() == (headers[2].hash, 3)
    assert sink.db.blocks.justification(headers[2].hash) == good


def test_a_bad_justification_is_dropped_but_the_block_imported() -> None:
    source, sink = new_chain(), new_chain()
    slot0 = T0 // SLOT_MS
    (header,) = extend(source, source.genesis_hash(), range(slot0, slot0 + 1))
    below_threshold = justify(source, header, ("Alice",))
    outcome = sink.import_block(header, source.body(header.hash) or [], below_threshold)
    assert outcome.bad_justification and outcome.finalized is None
    assert sink.best_hash() == header.hash and sink.finalized()[1] == 0
    assert sink.db.blocks.justification(header.hash) is None


def test_fork_choice_never_leaves_the_finalized_chain() -> None:
    chain = new_chain()
    slot0 = T0 // SLOT_MS
    genesis = chain.genesis_hash()
    short = extend(chain, genesis, range(slot0, slot0 + 2))          # #1, #2
    long = extend(chain, genesis, range(slot0 + 10, slot0 + 13))      # #1', #2', #3' (best)
    assert chain.best_hash() == long[-1].hash
    # Voter queries over the tree.
    assert chain.ancestry(genesis, short[1].hash) == [short[1].hash, short[0].hash]
    assert chain.ancestry(short[0].hash, long[2].hash) is None
    assert chain.best_chain_containing(short[0].hash) == (short[1].hash, 2)
    assert chain.best_chain_containing(genesis) == (long[2].hash, 3)
    assert chain.is_descendant(genesis, long[0].hash) and not chain.is_descendant(short[0].hash, long[1].hash)
    # Finalizing the shorter fork moves the best block onto it.
    chain.finalize(short[0].hash, justify(chain, short[0]))
    assert chain.best_hash() == short[1].hash and chain.finalized() == (short[0].hash, 1)
    assert chain.best_chain_containing(long[0].hash) is None
    # The longer fork can no longer be extended, however long it grows.
    header, body = build(chain, long[2].hash, slot0 + 14)
    with pytest.raises(BlockImportError, match="finalized"):
        chain.import_block(header, body)
    assert chain.best_hash() == short[1].hash


def test_aura_equivocation_is_reported_on_import() -> None:
    source, other, sink = new_chain(), new_chain(), new_chain()
    slot = T0 // SLOT_MS
    first, first_body = build(source, source.genesis_hash(), slot)
    # Same slot and author, different block: a timestamp later within the same slot.
    second = other.build_block(other.genesis_hash(), slot * SLOT_MS + 1, slot, AURA[slot % 2])
    assert second.header.hash != first.hash
    assert sink.import_block(first, first_body).equivocation is None
    outcome = sink.import_block(second.header, second.body)
    assert outcome.equivocation is not None
    assert outcome.equivocation.slot == slot and {outcome.equivocation.first_hash,
                                                  outcome.equivocation.second_hash} == {first.hash, second.header.hash}


def test_equivocation_table_is_bounded() -> None:
    detector = EquivocationDetector(capacity=10)
    assert detector.check(5, b"a", b"h1") is None
    assert detector.check(5, b"a", b"h1") is None  # the same header again is no equivocation
    assert detector.check(5, b"b", b"h2") is None  # another author in the same slot is fine
    assert detector.check(5, b"a", b"h3") == Equivocation(5, b"a", b"h1", b"h3")
    detector.check(100, b"a", b"x")
    assert 5 not in detector.seen  # pruned: older than twice the capacity
    assert detector.check(5, b"a", b"h4") is None  # too old to judge


def test_single_authority_voter_finalizes_dev_blocks_through_the_chain() -> None:
    _, spec = load_chain_spec("dev")
    chain = open_chain(MemoryKV(), spec, node_runtime(), pruning=None)
    voter = Voter(chain, KEYS["Alice"], 0)
    slot = T0 // SLOT_MS
    for n in range(1, 4):
        built = chain.build_block(chain.best_hash(), (slot + n) * SLOT_MS, slot + n, dev_account("Alice"))
        chain.import_block(built.header, built.body)
        finalized = [o for o in voter.on_block_imported(n) if isinstance(o, Finalized)]
        assert [(o.hash, o.number) for o in finalized] == [(built.header.hash, n)]
        chain.finalize(finalized[0].hash, finalized[0].justification)
        assert chain.finalized() == (built.header.hash, n)
        stored = chain.db.blocks.justification(built.header.hash)
        assert stored is not None
        verify_justification(stored, built.header.hash, n, chain.authority_set(), chain.is_descendant)


def test_runtime_scheduled_change_needs_a_justification_and_is_enacted_by_it() -> None:
    from runtime.primitives.extrinsic import ChainContext, encode_extrinsic, extrinsic_hash
    from runtime.primitives.signing import sign_extrinsic
    from runtime.version import SPEC_VERSION, TRANSACTION_VERSION

    source, sink = new_chain(), new_chain()
    new_set = [(KEYS[n].public, 1) for n in ("Alice", "Bob", "Charlie")]
    inner = ("AdminUtils", ("schedule_grandpa_change", {"next_authorities": new_set, "in_blocks": 0,
                                                        "forced": None}))
    call = node_runtime().encode_call(("Sudo", ("sudo", {"call": inner})))
    ctx = ChainContext(SPEC_VERSION, TRANSACTION_VERSION, source.genesis_hash())
    tx = encode_extrinsic(sign_extrinsic(dev_account("Alice"), call, ctx, nonce=0))
    slot = T0 // SLOT_MS
    built = source.build_block(source.genesis_hash(), slot * SLOT_MS, slot, AURA[slot % 2], [(extrinsic_hash(tx), tx)])
    assert built.included == [extrinsic_hash(tx)]
    source.import_block(built.header, built.body, own=True)
    outcome = sink.import_block(built.header, built.body)
    assert outcome.needs_justification and outcome.finalized is None  # the change takes effect at this block
    assert sink.vote_limit(built.header.hash) == 1
    change = sink.finalize(built.header.hash, justify(sink, built.header))
    assert change is not None and change.new_set.set_id == 1
    assert sink.authority_set().authorities == tuple(new_set)
    # The next set's justifications verify; the old set's no longer do.
    (child,) = extend(source, built.header.hash, range(slot + 1, slot + 2))
    stale = sink.import_block(child, source.body(child.hash) or [], justify(sink, child, set_id=0))
    assert stale.bad_justification
