"""The GRANDPA voter in a deterministic in-memory network of four (and one) voters."""

from __future__ import annotations

from dataclasses import replace

from consensus.grandpa.messages import (
    FullCommitMessage, GrandpaJustification, Prevote, SignedMessage, VoteMessage, encode_gossip, sign_vote,
)
from consensus.grandpa.voter import EquivocationDetected, Finalized, Report
from tests.consensus.grandpa_helpers import KEYS
from tests.consensus.test_grandpa_authorities import scheduled
from tests.consensus.grandpa_sim import Network

FOUR = ("Alice", "Bob", "Charlie", "Dave")


def test_single_authority_finalizes_each_imported_block_at_once() -> None:
    net = Network(("Alice",))
    for n in range(1, 4):
        block = net.add_block()
        assert net.nodes["Alice"].chain.fin == (block.hash, n)  # no timer ran: finality came with the import
    assert [num for _, num in net.nodes["Alice"].finalized] == [1, 2, 3]


def test_four_voters_finalize_the_same_blocks() -> None:
    net = Network(FOUR)
    net.run(3000, block_every=200)
    numbers = net.finalized_numbers()
    assert min(numbers.values()) >= 10, numbers
    net.assert_consistent()
    # Every node's last finalized block carries a justification that verifies against the set.
    for node in net.nodes.values():
        assert node.chain.fin[0] in node.chain.justifications
        assert not node.reports


def test_one_silent_voter_does_not_stop_finality_and_two_do() -> None:
    net = Network(FOUR)
    net.run(1000, block_every=200)
    net.silent = {"Dave"}
    before = net.finalized_numbers()["Alice"]
    net.run(2000, block_every=200)
    live = net.finalized_numbers()
    assert live["Alice"] >= before + 5 and live["Bob"] == live["Alice"] == live["Charlie"]
    net.silent = {"Charlie", "Dave"}
    net.run(500, block_every=200)  # let in-flight rounds settle
    stalled = net.finalized_numbers()["Alice"]
    net.run(3000, block_every=200)
    assert net.finalized_numbers()["Alice"] == stalled  # 2 of 4 is not a supermajority
    net.silent = {"Dave"}  # Charlie comes back: three of four again
    net.run(4000, block_every=200)
    after = net.finalized_numbers()
    assert min(after[n] for n in ("Alice", "Bob", "Charlie")) > stalled + 5, after
    net.silent = set()
    net.run(3000, block_every=200)
    final = net.finalized_numbers()
    assert final["Dave"] >= final["Alice"] - 2 and final["Alice"] > after["Alice"], final
    net.assert_consistent()


def test_lagging_voter_catches_up_through_a_catch_up_request() -> None:
    net = Network(FOUR)
    net.silent = {"Dave"}
    net.run(3000, block_every=200)
    ahead = net.nodes["Alice"].voter.round.number
    assert net.nodes["Dave"].voter.round.number + 2 <= ahead
    net.silent = set()
    net.sent.clear()
    net.run(1500, block_every=200)
    assert any(s == "Dave" and d[0] == 3 for s, _, d in net.sent), "Dave never asked to be caught up"
    assert any(to == "Dave" and d[0] == 4 for _, to, d in net.sent), "nobody answered Dave"
    assert net.nodes["Dave"].voter.round.number >= ahead
    assert net.finalized_numbers()["Dave"] >= net.finalized_numbers()["Alice"] - 2
    net.assert_consistent()


def test_forks_are_finalized_consistently() -> None:
    net = Network(FOUR)
    net.run(600, block_every=200)
    base = net.tip
    # Alice and Bob see fork A first, Charlie and Dave fork B; fork A then grows longer for everyone.
    fork_a = net.add_block(base, salt=1, to=("Alice", "Bob"))
    fork_b = net.add_block(base, salt=2, to=("Charlie", "Dave"))
    net.add_block(base, salt=1, to=("Charlie", "Dave"))
    net.add_block(base, salt=2, to=("Alice", "Bob"))
    net.tip = fork_a
    net.run(2000, block_every=200)
    net.assert_consistent()
    for node in net.nodes.values():
        assert node.chain.is_descendant(fork_a.hash, node.chain.fin[0])
        assert not node.chain.is_descendant_or_self(fork_b.hash, node.chain.fin[0])


def _vote(name: str, block_hash: bytes, number: int, round_number: int, set_id: int = 0,
          signer: str | None = None) -> bytes:
    vote = Prevote(block_hash, number)
    signature = sign_vote(KEYS[signer or name], vote, round_number, set_id)
    return encode_gossip(VoteMessage(round_number, set_id, SignedMessage(vote, signature, KEYS[name].public)))


def test_bad_signatures_unknown_voters_and_foreign_sets_are_reported() -> None:
    net = Network(FOUR)
    block = net.add_block()
    voter = net.nodes["Alice"].voter
    forged = voter.on_message("Bob", _vote("Bob", block.hash, 1, 1, signer="Charlie"), 0)
    assert [type(o) for o in forged] == [Report] and forged[0].change < 0
    wrong_set = voter.on_message("Bob", _vote("Bob", block.hash, 1, 1, set_id=5), 0)
    assert any(isinstance(o, Report) for o in wrong_set)
    signed_other_set = voter.on_message("Bob", _vote("Bob", block.hash, 1, 1, signer=None, set_id=0)[:-96]
                                        + _vote("Bob", block.hash, 1, 1, set_id=1)[-96:], 0)
    assert any(isinstance(o, Report) for o in signed_other_set)
    stranger = voter.on_message("Eve", _vote("Eve", block.hash, 1, 1), 0)
    assert any(isinstance(o, Report) for o in stranger)
    garbage = voter.on_message("Eve", b"\x09\x00", 0)
    assert any(isinstance(o, Report) for o in garbage)
    assert not voter.round.prevotes.get(KEYS["Bob"].public)


def test_equivocation_is_detected_and_ignored() -> None:
    net = Network(FOUR)
    a1 = net.add_block()
    b1 = net.add_block(net.genesis, salt=5)
    voter = net.nodes["Alice"].voter
    first = voter.on_message("Bob", _vote("Bob", a1.hash, 1, 1), 0)
    assert not any(isinstance(o, (Report, EquivocationDetected)) for o in first)
    duplicate = voter.on_message("Bob", _vote("Bob", a1.hash, 1, 1), 0)
    assert not any(isinstance(o, EquivocationDetected) for o in duplicate)
    second = voter.on_message("Bob", _vote("Bob", b1.hash, 1, 1), 0)
    found = [o for o in second if isinstance(o, EquivocationDetected)]
    assert len(found) == 1 and found[0].equivocation.voter == KEYS["Bob"].public
    assert voter.round.prevotes[KEYS["Bob"].public].prevote.target_hash == a1.hash  # first vote kept
    assert KEYS["Bob"].public in voter.round.equivocators


def test_commit_from_the_network_finalizes_directly() -> None:
    net = Network(FOUR)
    net.silent = {"Dave"}
    net.run(1500, block_every=200)
    dave, alice = net.nodes["Dave"], net.nodes["Alice"]
    assert dave.chain.fin[1] == 0 and alice.chain.fin[1] > 0
    target = alice.chain.fin
    justification = GrandpaJustification.decode(alice.chain.justifications[target[0]])
    commit = FullCommitMessage(justification.round, 0, justification.commit.compact())
    # A commit with one forged signature is refused and costs the sender.
    compact = commit.message
    forged = replace(commit, message=replace(compact, auth_data=((bytes(64), compact.auth_data[0][1]),)
                                             + compact.auth_data[1:]))
    outputs = dave.voter.on_message("Bob", encode_gossip(forged), net.now)
    assert any(isinstance(o, Report) and o.peer == "Bob" for o in outputs)
    assert not any(isinstance(o, Finalized) for o in outputs)
    outputs = dave.voter.on_message("Alice", encode_gossip(commit), net.now)
    finalized = [o for o in outputs if isinstance(o, Finalized)]
    assert [(o.hash, o.number) for o in finalized] == [target]


def test_scheduled_authority_change_is_enacted_by_all_voters() -> None:
    net = Network(FOUR)
    net.run(400, block_every=200)
    change = scheduled(("Alice", "Bob", "Charlie"), 3)
    announcing = net.add_block(logs=(change,))
    enacting_number = announcing.number + 3
    for _ in range(5):  # a burst: without the vote limit the next round would finalize past the change
        net.add_block()
    net.run(3000, block_every=200)
    for node in net.nodes.values():
        chain = node.chain
        assert chain.tracker.current.set_id == 1 and len(chain.tracker.current.authorities) == 3
        # The enacting block was finalized itself (voters never voted past it), with a set-0 justification.
        enacting = [h for h, n in node.finalized if n == enacting_number]
        assert enacting and enacting[0] in chain.justifications
        assert node.voter.set_id == 1 and chain.fin[1] > enacting_number + 3
    net.assert_consistent()
    # The new set goes on without Dave.
    net.silent = {"Dave"}
    before = net.finalized_numbers()["Alice"]
    net.run(1500, block_every=200)
    assert net.finalized_numbers()["Alice"] >= before + 4


def test_a_non_voter_follows_finality_through_commits() -> None:
    net = Network((*FOUR, "Eve"), voters=FOUR)
    net.run(2000, block_every=200)
    numbers = net.finalized_numbers()
    assert numbers["Eve"] >= numbers["Alice"] - 1 and numbers["Eve"] >= 5
    assert not any(sender == "Eve" and data[0] == 0 for sender, _, data in net.sent)  # Eve never votes
    net.assert_consistent()
