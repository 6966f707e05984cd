"""Transaction pool: queues by tags, ordering, replacement, bans, limits, maintenance and the trio service.

Transactions are real signed extrinsics; a fake runtime derives tags from (signer, nonce) against an
in-memory nonce table, like FRAME's CheckNonce: provides (who, nonce), requires (who, nonce - 1) when the
nonce is ahead of the account's, Stale when behind. Priority is the tip.
"""

from __future__ import annotations

import struct

import pytest
import trio

from runtime.executive.validity import TransactionValidityError, ValidTransaction, invalid, unknown
from runtime.primitives.extrinsic import ChainContext, decode_extrinsic, encode_extrinsic, extrinsic_hash
from runtime.primitives.keys import dev_account
from runtime.primitives.signing import sign_extrinsic
from subtensor.rpc.backend import PoolStatus, SubmitError
from subtensor.txpool import PoolOptions, PoolService, TransactionPool
from subtensor.txpool.errors import PoolError
from subtensor.txpool.graph import PoolGraph, PoolTransaction

ALICE, BOB, CHARLIE = dev_account("Alice"), dev_account("Bob"), dev_account("Charlie")
CC = ChainContext(1, 1, bytes(32))
_SIGNED: dict[tuple, bytes] = {}


def xt(key, nonce: int, tip: int = 0, remark: bytes = b"") -> bytes:
    """A signed extrinsic (the call bytes are opaque to the pool)."""
    k = (key.public, nonce, tip, remark)
    if k not in _SIGNED:
        _SIGNED[k] = encode_extrinsic(sign_extrinsic(key, b"\x00\x07" + remark, CC, nonce, tip=tip))
    return _SIGNED[k]


def tag(who: bytes, nonce: int) -> bytes:
    return who + struct.pack("<I", nonce)


def block(n: int, fork: str = "") -> bytes:
    return (fork.encode() + n.to_bytes(4, "little")).ljust(32, b"\xbb")


class FakeChain:
    """Nonces, a best block and per-transaction overrides; ``validate`` is the runtime's verdict."""

    def __init__(self) -> None:
        self.nonces: dict[bytes, int] = {}
        self.number = 0
        self.hash = block(0)
        self.errors: dict[bytes, TransactionValidityError | Exception] = {}
        self.deadline: dict[bytes, int] = {}  # tx hash -> last block number it is valid for
        self.no_propagate: set[bytes] = set()
        self.custom: dict[bytes, ValidTransaction] = {}  # tx hash -> verdict, whatever the nonces say
        self.validations = 0

    def best(self) -> tuple[bytes, int]:
        return self.hash, self.number

    def validate(self, at: bytes, data: bytes) -> ValidTransaction:
        self.validations += 1
        h = extrinsic_hash(data)
        if h in self.errors:
            raise self.errors[h]
        if h in self.custom:
            return self.custom[h]
        decoded = decode_extrinsic(data)
        if decoded.signed is None:
            raise unknown("NoUnsignedValidator")
        who = decoded.signed.address[1]
        nonce = decoded.signed.extra["CheckNonce"]
        current = self.nonces.get(who, 0)
        if nonce < current:
            raise invalid("Stale")
        longevity = (1 << 64) - 1
        if h in self.deadline:
            longevity = self.deadline[h] - self.number
            if longevity <= 0:
                raise invalid("Stale")
        return ValidTransaction(
            priority=decoded.signed.extra["ChargeTransactionPayment"],
            requires=[tag(who, nonce - 1)] if nonce > current else [],
            provides=[tag(who, nonce)],
            longevity=longevity,
            propagate=h not in self.no_propagate,
        )

    def apply(self, *extrinsics: bytes, fork: str = "") -> tuple[bytes, int, list[bytes]]:
        """Make a new best block including these extrinsics; returns (hash, number, tx hashes)."""
        for data in extrinsics:
            signed = decode_extrinsic(data).signed
            self.nonces[signed.address[1]] = signed.extra["CheckNonce"] + 1
        self.number += 1
        self.hash = block(self.number, fork)
        return self.hash, self.number, [extrinsic_hash(x) for x in extrinsics]


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


class Recorder:
    def __init__(self) -> None:
        self.events: list[tuple[bytes, object, bool]] = []

    def __call__(self, tx_hash: bytes, value: object, final: bool) -> None:
        self.events.append((tx_hash, value, final))

    def of(self, data: bytes) -> list[object]:
        h = extrinsic_hash(data)
        return [v for (t, v, _) in self.events if t == h]


def make_pool(chain: FakeChain | None = None, **options) -> tuple[TransactionPool, FakeChain, Clock, Recorder]:
    chain = chain or FakeChain()
    clock = Clock()
    pool = TransactionPool(chain.validate, chain.best, PoolOptions(**options), clock=clock)
    recorder = Recorder()
    pool.add_listener(recorder)
    return pool, chain, clock, recorder


def order(pool: TransactionPool) -> list[bytes]:
    return [tx.data for tx in pool.ready()]


def hx(h: bytes) -> str:
    return "0x" + h.hex()


def refused(pool: TransactionPool, data: bytes, **kw) -> PoolError:
    with pytest.raises(PoolError) as info:
        pool.submit(data, **kw)
    return info.value


# -- queues and ordering ------------------------------------------------------------------------------


def test_submit_ready_returns_hash_and_reads_sender_and_nonce() -> None:
    pool, _, _, rec = make_pool()
    a0 = xt(ALICE, 0)
    assert pool.submit(a0) == extrinsic_hash(a0)
    tx = pool.get(extrinsic_hash(a0))
    assert (tx.sender, tx.nonce) == (ALICE.public, 0)
    assert pool.pending() == [a0]
    assert pool.status() == {"ready": 1, "ready_bytes": len(a0), "future": 0, "future_bytes": 0}
    assert rec.of(a0) == ["ready"]


def test_future_transactions_are_promoted_when_their_provider_arrives() -> None:
    pool, _, _, rec = make_pool()
    a0, a1, a2 = xt(ALICE, 0), xt(ALICE, 1), xt(ALICE, 2)
    pool.submit(a2)
    pool.submit(a1)
    assert pool.pending() == [] and pool.status()["future"] == 2
    pool.submit(a0)
    assert order(pool) == [a0, a1, a2]
    assert pool.status()["future"] == 0
    assert rec.of(a1) == ["future", "ready"] and rec.of(a2) == ["future", "ready"]


def test_ready_order_respects_dependencies_then_priority_then_age() -> None:
    pool, _, _, _ = make_pool()
    a0, a1 = xt(ALICE, 0, tip=60), xt(ALICE, 1, tip=1000)
    b0, c0 = xt(BOB, 0, tip=100), xt(CHARLIE, 0, tip=50)
    for data in (a1, c0, a0, b0):
        pool.submit(data)
    # a1 outranks everything but can only follow a0.
    assert order(pool) == [b0, a0, a1, c0]
    # Equal priority: the older transaction first.
    pool2, _, _, _ = make_pool()
    b, c = xt(BOB, 0, tip=7), xt(CHARLIE, 0, tip=7)
    pool2.submit(c)
    pool2.submit(b)
    assert order(pool2) == [c, b]


def test_best_iterator_skips_dependents_of_a_transaction_reported_invalid() -> None:
    pool, _, _, _ = make_pool()
    a0, a1, a2, b0 = xt(ALICE, 0, tip=10), xt(ALICE, 1), xt(ALICE, 2), xt(BOB, 0, tip=1)
    for data in (a0, a1, a2, b0):
        pool.submit(data)
    it = pool.ready()
    first = next(it)
    assert first.data == a0
    it.report_invalid(first)
    assert [tx.data for tx in it] == [b0]


def test_graph_promotes_a_whole_subgraph_in_dependency_order() -> None:
    g = PoolGraph()

    def tx(n: int, requires=(), provides=(), priority=5) -> PoolTransaction:
        return PoolTransaction(bytes([n]) * 32, bytes([n]), priority,
                               tuple(bytes([r]) for r in requires), tuple(bytes([p]) for p in provides))

    g.import_(tx(1, requires=[0], provides=[1]))
    g.import_(tx(3, requires=[2]))
    g.import_(tx(2, requires=[1], provides=[3, 2]))
    g.import_(tx(4, requires=[3, 4], priority=1000))
    assert list(g.best()) == []
    result = g.import_(tx(5, provides=[0, 4]))
    assert sorted(result.promoted) == sorted(bytes([n]) * 32 for n in (1, 2, 3, 4))
    assert [t.data[0] for t in g.best()] == [5, 1, 2, 4, 3]


# -- replacement, duplicates, errors ------------------------------------------------------------------


def test_replacement_needs_strictly_higher_priority_and_usurps_the_old_one() -> None:
    pool, _, _, rec = make_pool()
    old, dependent = xt(ALICE, 0, tip=5), xt(ALICE, 1, tip=1)
    pool.submit(old)
    pool.submit(dependent)
    err = refused(pool, xt(ALICE, 0, tip=5, remark=b"same priority"))
    assert (err.code, err.message) == (1014, "Priority is too low: (5 vs 5)")
    assert err.data == "The transaction has too low priority to replace another transaction already in the pool."
    new = xt(ALICE, 0, tip=6, remark=b"better")
    pool.submit(new)
    assert rec.events[-1] == (extrinsic_hash(old), {"usurped": hx(extrinsic_hash(new))}, True)
    assert extrinsic_hash(old) not in pool
    # The dependent needs the tag, which the replacement provides too: it stays.
    assert order(pool) == [new, dependent]


def test_duplicates_are_refused_without_revalidation() -> None:
    pool, chain, _, _ = make_pool()
    a0 = xt(ALICE, 0)
    pool.submit(a0)
    before = chain.validations
    err = refused(pool, a0)
    assert (err.code, err.message, err.data) == (1013, "Transaction Already Imported", "Any { .. }")
    assert chain.validations == before
    assert refused(pool, a0).code == 1013  # a duplicate is not banned


def test_invalid_transactions_are_banned_until_the_ban_expires() -> None:
    pool, chain, clock, _ = make_pool(ban_time_seconds=1800)
    chain.nonces[ALICE.public] = 3
    stale = xt(ALICE, 0)
    err = refused(pool, stale)
    assert (err.code, err.message, err.data) == (1010, "Invalid Transaction", "Transaction is outdated")
    validations = chain.validations
    err = refused(pool, stale)
    assert (err.code, err.message, err.data) == (1012, "Transaction is temporarily banned", None)
    assert chain.validations == validations
    clock.now += 1799
    assert refused(pool, stale).code == 1012
    clock.now += 1
    assert refused(pool, stale).code == 1010  # validated again after the ban


@pytest.mark.parametrize(("error", "code", "message", "data"), [
    (invalid(("Custom", 6)), 1010, "Invalid Transaction", "Custom error: 6"),
    (invalid("Payment"), 1010, "Invalid Transaction", "Inability to pay some fees (e.g. account balance too low)"),
    (invalid("BadProof"), 1010, "Invalid Transaction", "Transaction has a bad signature"),
    (invalid("Future"), 1010, "Invalid Transaction", "Transaction will be valid in the future"),
    (invalid("AncientBirthBlock"), 1010, "Invalid Transaction", "Transaction has an ancient birth block"),
    (invalid("ExhaustsResources"), 1010, "Invalid Transaction", "Transaction would exhaust the block limits"),
    (invalid("Call"), 1010, "Invalid Transaction", "Transaction call is not expected"),
    (invalid("BadSigner"), 1010, "Invalid Transaction", "Invalid signing address"),
    (invalid("MandatoryValidation"), 1010, "Invalid Transaction",
     "Transaction dispatch is mandatory; transactions must not be validated."),
    (unknown("NoUnsignedValidator"), 1011, "Unknown Transaction Validity", "NoUnsignedValidator"),
    (unknown(("Custom", 2)), 1011, "Unknown Transaction Validity", "Custom(2)"),
    (RuntimeError("wasm trap"), 1002, "Verification Error: RuntimeError: wasm trap", "RuntimeError: wasm trap"),
])
def test_validity_errors_map_to_author_rpc_errors(error, code, message, data) -> None:
    pool, chain, _, _ = make_pool()
    a0 = xt(ALICE, 0)
    chain.errors[extrinsic_hash(a0)] = error
    err = refused(pool, a0)
    assert (err.code, err.message, err.data) == (code, message, data)
    # Only invalid transactions are banned.
    assert pool.is_banned(extrinsic_hash(a0)) == (code == 1010)


def test_malformed_extrinsics_and_transactions_without_tags() -> None:
    pool, chain, _, _ = make_pool(is_validator=False)
    err = refused(pool, b"\x10\x84\x00")
    assert err.code == 1040 and err.message.startswith("Client error: ")
    err = refused(pool, b"\x10\x84\x00", watch=True)
    assert err.code == 1001 and err.message.startswith("Extrinsic has invalid format: ")
    no_tags = xt(ALICE, 0)
    pool._validate = lambda at, data: ValidTransaction(priority=1)  # noqa: SLF001
    assert refused(pool, no_tags).code == 1018
    pool._validate = chain.validate  # noqa: SLF001
    local_only = xt(BOB, 0)
    chain.no_propagate.add(extrinsic_hash(local_only))
    assert refused(pool, local_only).code == 1017


# -- limits -------------------------------------------------------------------------------------------


def test_ready_limit_drops_the_lowest_priority_and_refuses_a_newcomer_that_would_be_dropped() -> None:
    pool, _, _, rec = make_pool(ready_limit_count=2)
    low, mid = xt(ALICE, 0, tip=5), xt(BOB, 0, tip=10)
    pool.submit(low)
    pool.submit(mid)
    lowest = xt(CHARLIE, 0, tip=1)
    err = refused(pool, lowest)
    assert (err.code, err.message) == (1016, "Immediately Dropped")
    assert err.data == "The transaction couldn't enter the pool because of the limit"
    assert refused(pool, lowest).code == 1012  # dropped transactions are banned
    high = xt(CHARLIE, 0, tip=20, remark=b"x")
    pool.submit(high)
    assert order(pool) == [high, mid]
    assert rec.of(low)[-1] == "dropped"


def test_byte_and_future_limits() -> None:
    a0 = xt(ALICE, 0)
    pool, _, _, _ = make_pool(ready_limit_bytes=len(a0) - 1)
    assert refused(pool, a0).code == 1016
    pool, _, _, rec = make_pool(future_limit_count=1)
    older, newer = xt(ALICE, 5), xt(BOB, 5)
    pool.submit(older)
    pool.submit(newer)
    assert [tx.data for tx in pool.futures()] == [newer]
    assert rec.of(older) == ["future", "dropped"]


# -- maintenance --------------------------------------------------------------------------------------


def test_block_import_prunes_included_and_keeps_dependents_ready() -> None:
    pool, chain, _, rec = make_pool()
    a0, a1, b0 = xt(ALICE, 0), xt(ALICE, 1), xt(BOB, 0)
    for data in (a0, a1, b0):
        pool.submit(data)
    h1, n1, included = chain.apply(a0)
    pool.on_block_imported(h1, n1, included)
    assert rec.of(a0) == ["ready", {"inBlock": hx(h1)}]
    assert sorted(order(pool)) == sorted([a1, b0])
    assert pool.get(extrinsic_hash(a1)).requires == ()
    assert rec.of(a1) == ["ready"]  # unchanged: no duplicate status
    pool.on_block_finalized(h1)
    assert rec.events[-1] == (extrinsic_hash(a0), {"finalized": hx(h1)}, True)
    assert refused(pool, a0).code == 1012  # an included transaction cannot come back by gossip


def test_future_transaction_providing_an_included_tag_is_dropped() -> None:
    pool, chain, _, rec = make_pool()
    provider, waiting = xt(ALICE, 0), xt(BOB, 0)
    chain.custom[extrinsic_hash(provider)] = ValidTransaction(priority=1, provides=[b"T"])
    chain.custom[extrinsic_hash(waiting)] = ValidTransaction(priority=9, requires=[b"U"], provides=[b"T"])
    pool.submit(provider)
    pool.submit(waiting)
    h1, n1, included = chain.apply(provider)
    pool.on_block_imported(h1, n1, included)
    assert len(pool) == 0
    assert rec.of(waiting) == ["future", "dropped"]
    assert rec.of(provider) == ["ready", {"inBlock": hx(h1)}]


def test_pooled_transaction_conflicting_with_an_included_one_is_invalid() -> None:
    pool, chain, _, rec = make_pool()
    # a1 waits for nonce 0; another a1 variant is included by someone else along with a0.
    waiting = xt(ALICE, 1, remark=b"ours")
    a0, theirs = xt(ALICE, 0), xt(ALICE, 1, remark=b"theirs")
    pool.submit(waiting)
    pool.submit(a0)
    assert order(pool) == [a0, waiting]
    h1, n1, included = chain.apply(a0, theirs)
    pool.on_block_imported(h1, n1, included)
    assert len(pool) == 0
    assert rec.of(waiting)[-1] == "invalid"  # revalidated at the new block: Stale
    assert pool.is_banned(extrinsic_hash(waiting))


def test_revalidation_removes_transactions_invalidated_by_the_new_block() -> None:
    pool, chain, _, rec = make_pool()
    ours0, ours1 = xt(ALICE, 0, remark=b"ours"), xt(ALICE, 1)
    pool.submit(ours0)
    pool.submit(ours1)
    # A block includes a different nonce-0 transaction the pool never saw.
    h1, n1, included = chain.apply(xt(ALICE, 0, remark=b"elsewhere"))
    pool.on_block_imported(h1, n1, included)
    assert rec.of(ours0)[-1] == "invalid"
    assert refused(pool, ours0).code == 1012
    # ours1 was in ours0's subtree but is valid on its own now: still ready, requiring nothing.
    assert order(pool) == [ours1]
    assert pool.get(extrinsic_hash(ours1)).requires == ()
    assert rec.of(ours1) == ["ready"]


def test_revalidation_promotes_and_demotes() -> None:
    pool, chain, _, rec = make_pool()
    a1 = xt(ALICE, 1)
    pool.submit(a1)
    assert rec.of(a1) == ["future"]
    # Nonce 0 landed in a block we did not see the transaction of: revalidation promotes a1.
    h1, n1, included = chain.apply(xt(ALICE, 0, remark=b"elsewhere"))
    pool.on_block_imported(h1, n1, included)
    assert order(pool) == [a1]
    assert rec.of(a1) == ["future", "ready"]


def test_longevity_expiry_reports_invalid() -> None:
    pool, chain, _, rec = make_pool(revalidation_batch=0)
    mortal = xt(ALICE, 0)
    chain.deadline[extrinsic_hash(mortal)] = 3  # valid for blocks up to 2 (longevity 3 at block 0)
    pool.submit(mortal)
    assert pool.get(extrinsic_hash(mortal)).valid_till == 3
    for _ in range(2):
        h, n, included = chain.apply()
        pool.on_block_imported(h, n, included)
    assert extrinsic_hash(mortal) in pool
    h, n, included = chain.apply()
    pool.on_block_imported(h, n, included)
    assert extrinsic_hash(mortal) not in pool
    assert rec.of(mortal)[-1] == "invalid" and pool.is_banned(extrinsic_hash(mortal))


def test_reorg_re_adds_retracted_transactions() -> None:
    pool, chain, _, rec = make_pool()
    a0, b0 = xt(ALICE, 0), xt(BOB, 0)
    pool.submit(a0)
    pool.submit(b0)
    h1, n1, included = chain.apply(a0, b0)
    pool.on_block_imported(h1, n1, included)
    assert len(pool) == 0
    # A competing block 1 (only b0) becomes best: a0 must come back.
    chain.nonces, chain.number = {BOB.public: 1}, 1
    chain.hash = fork1 = block(1, "fork")
    pool.on_block_imported(fork1, 1, [extrinsic_hash(b0)], retracted_extrinsics=[a0, b0], retracted_blocks=[h1])
    assert rec.of(a0) == ["ready", {"inBlock": hx(h1)}, {"retracted": hx(h1)}, "ready"]
    assert rec.of(b0)[-2:] == [{"retracted": hx(h1)}, {"inBlock": hx(fork1)}]
    assert order(pool) == [a0]
    h2, n2, included = chain.apply(a0, fork="fork")
    pool.on_block_imported(h2, n2, included)
    pool.on_block_finalized(h2)
    assert rec.of(a0)[-2:] == [{"inBlock": hx(h2)}, {"finalized": hx(h2)}]


def test_finalized_block_the_pool_never_saw_as_best_prunes_its_transactions() -> None:
    pool, chain, _, rec = make_pool()
    a0, a1 = xt(ALICE, 0), xt(ALICE, 1)
    pool.submit(a1)
    pool.submit(a0)
    h1, _, included = chain.apply(a0)
    pool.on_block_finalized(h1, included)
    assert rec.of(a0)[-1] == {"finalized": hx(h1)}
    assert order(pool) == [a1] and pool.get(extrinsic_hash(a1)).requires == ()


def test_finality_timeout_and_broadcast() -> None:
    pool, chain, _, rec = make_pool(finality_timeout_blocks=1)
    a0, b0 = xt(ALICE, 0), xt(BOB, 0)
    pool.submit(a0)
    pool.submit(b0)
    pool.on_broadcasted({extrinsic_hash(a0): ["12D3KooWpeer"]})
    assert rec.of(a0)[-1] == {"broadcast": ["12D3KooWpeer"]}
    h1, n1, inc = chain.apply(a0)
    pool.on_block_imported(h1, n1, inc)
    h2, n2, inc = chain.apply(b0)
    pool.on_block_imported(h2, n2, inc)
    assert rec.events[-1] == (extrinsic_hash(a0), {"finalityTimeout": hx(h1)}, True)


def test_submission_between_maintenance_phases() -> None:
    pool, chain, _, _ = make_pool()
    a0, a1 = xt(ALICE, 0), xt(ALICE, 1)
    pool.submit(a0)
    h1, n1, included = chain.apply(a0)
    work = pool.begin_maintenance(h1, n1, included)
    pool.submit(a1)  # validated at block 1 while maintenance is in flight
    pool.finish_maintenance(work, [pool.run_validate(h1, x) for x in work.extrinsics])
    assert order(pool) == [a1]


def test_account_next_index_counts_consecutive_pool_nonces() -> None:
    pool, chain, _, _ = make_pool()
    for nonce in (0, 1, 3):
        pool.submit(xt(ALICE, nonce))
    assert pool.account_next_index(ALICE.public, 0) == 2
    assert pool.account_next_index(ALICE.public, 3) == 4
    assert pool.account_next_index(BOB.public, 7) == 7


# -- the trio service ---------------------------------------------------------------------------------


def test_service_submit_and_watch_until_finalized() -> None:
    chain = FakeChain()
    pool = TransactionPool(chain.validate, chain.best, clock=Clock())
    service = PoolService(pool, lambda account: chain.nonces.get(account, 0))
    a0, a1 = xt(ALICE, 0), xt(ALICE, 1)
    seen: list[PoolStatus] = []

    async def main() -> None:
        statuses = await service.submit_and_watch(a0)
        assert await service.submit(a1) == extrinsic_hash(a1)
        assert service.account_next_index(ALICE.public) == 2
        assert service.pending() == [a0, a1]
        h1, n1, included = chain.apply(a0)
        await service.on_block_imported(h1, n1, included)
        service.on_block_finalized(h1)
        async for status in statuses:
            seen.append(status)
        assert seen == [PoolStatus("ready"), PoolStatus({"inBlock": hx(h1)}),
                        PoolStatus({"finalized": hx(h1)}, final=True)]
        assert service.account_next_index(ALICE.public) == 2
        assert service.watched == 0
        with pytest.raises(SubmitError) as info:
            await service.submit(a0)
        assert info.value.code == 1012
        with pytest.raises(SubmitError) as info:
            await service.submit_and_watch(b"\x00")
        assert info.value.code == 1001
        assert service.remove([extrinsic_hash(a1)]) == [extrinsic_hash(a1)]
        assert service.pending() == []

    trio.run(main)


def test_service_refusal_leaves_no_watcher() -> None:
    chain = FakeChain()
    chain.nonces[ALICE.public] = 1
    pool = TransactionPool(chain.validate, chain.best, clock=Clock())
    service = PoolService(pool, lambda account: 0)

    async def main() -> None:
        with pytest.raises(SubmitError) as info:
            await service.submit_and_watch(xt(ALICE, 0))
        assert (info.value.code, info.value.data) == (1010, "Transaction is outdated")
        assert service.watched == 0
        receiver = service.watch(b"\x01" * 32)
        pool.remove_invalid([b"\x01" * 32])  # not in the pool: nothing is reported
        with trio.move_on_after(0.01):
            await receiver.receive()
            raise AssertionError("no status expected")

    trio.run(main)
