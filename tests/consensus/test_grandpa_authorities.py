"""GRANDPA authority-set tracking: changes from FRNK digests, enactment on finality, persistence."""

from __future__ import annotations

import pytest

from consensus.grandpa.authorities import (
    AuthoritySet, AuthoritySetError, AuthoritySetTracker, changes_in_header,
)
from runtime.pallets.grandpa import ConsensusLog
from runtime.primitives.header import GRANDPA_ENGINE_ID, Consensus, Header
from tests.consensus.grandpa_helpers import KEYS, chain_of, make_header, voter_set


def scheduled(names: tuple[str, ...], delay: int) -> Consensus:
    log = ("ScheduledChange", {"next_authorities": [(KEYS[n].public, 1) for n in names], "delay": delay})
    return Consensus(GRANDPA_ENGINE_ID, ConsensusLog.encode(log))


def forced(names: tuple[str, ...], delay: int, median: int) -> Consensus:
    change = {"next_authorities": [(KEYS[n].public, 1) for n in names], "delay": delay}
    return Consensus(GRANDPA_ENGINE_ID, ConsensusLog.encode(("ForcedChange", (median, change))))


class Tree:
    def __init__(self, headers: list[Header]) -> None:
        self.by_hash = {h.hash: h for h in headers}

    def add(self, header: Header) -> Header:
        self.by_hash[header.hash] = header
        return header

    def is_descendant_or_self(self, ancestor: bytes, block: bytes) -> bool:
        current = self.by_hash.get(block)
        while current is not None:
            if current.hash == ancestor:
                return True
            current = self.by_hash.get(current.parent_hash)
        return False


def test_threshold_is_more_than_two_thirds() -> None:
    assert voter_set(("Alice",)).threshold == 1
    assert voter_set(("Alice", "Bob", "Charlie", "Dave")).threshold == 3
    assert AuthoritySet(0, ((b"a" * 32, 3), (b"b" * 32, 4))).threshold == 5  # total 7: 7 - 2
    with pytest.raises(AuthoritySetError):
        AuthoritySet(0, ((b"a" * 32, 1), (b"a" * 32, 1)))


def test_scheduled_change_is_enacted_when_its_block_is_finalized() -> None:
    headers = chain_of(2)
    tree = Tree(headers)
    tracker = AuthoritySetTracker(voter_set())
    announcing = tree.add(make_header(headers[2], logs=(scheduled(("Alice", "Bob"), 2),)))  # #3, effective #5
    assert changes_in_header(announcing)[0].effective_number == 5
    tracker.note_header(announcing, tree.is_descendant_or_self)
    four = tree.add(make_header(announcing))
    five = tree.add(make_header(four))
    check = tree.is_descendant_or_self
    assert tracker.vote_limit(five.hash, check) == 5
    assert tracker.enacts_standard_change(five.hash, 5, check)
    assert not tracker.enacts_standard_change(four.hash, 4, check)
    assert tracker.apply_finality(four.hash, 4, check) is None and tracker.current.set_id == 0
    enacted = tracker.apply_finality(five.hash, 5, check)
    assert enacted is not None and enacted.number == 5 and not enacted.forced
    assert tracker.current == voter_set(("Alice", "Bob"), set_id=1)
    assert tracker.pending == [] and tracker.set_changes == [(0, 5)]


def test_changes_on_abandoned_forks_are_dropped_and_state_round_trips() -> None:
    headers = chain_of(2)
    tree = Tree(headers)
    tracker = AuthoritySetTracker(voter_set())
    fork = tree.add(make_header(headers[1], salt=7, logs=(scheduled(("Bob",), 1),)))
    main = tree.add(make_header(headers[2], logs=(scheduled(("Charlie",), 5),)))
    tracker.note_header(fork, tree.is_descendant_or_self)
    tracker.note_header(main, tree.is_descendant_or_self)
    restored = AuthoritySetTracker.decode(tracker.encode())
    assert restored.current == tracker.current and restored.pending == tracker.pending
    assert tracker.apply_finality(headers[2].hash, 2, tree.is_descendant_or_self) is None
    assert [p.canon_hash for p in tracker.pending] == [main.hash]
    with pytest.raises(AuthoritySetError):
        AuthoritySetTracker.decode(b"\x09" + tracker.encode()[1:])


def test_forced_change_is_enacted_on_import() -> None:
    headers = chain_of(1)
    tree = Tree(headers)
    tracker = AuthoritySetTracker(voter_set())
    announcing = tree.add(make_header(headers[1], logs=(forced(("Dave",), 1, 1),)))
    tracker.note_header(announcing, tree.is_descendant_or_self)
    assert tracker.vote_limit(announcing.hash, tree.is_descendant_or_self) is None  # forced: no vote limit
    child = tree.add(make_header(announcing))
    enacted = tracker.apply_forced_changes(child.hash, child.number, tree.is_descendant_or_self)
    assert enacted is not None and enacted.forced and tracker.current.set_id == 1
    assert tracker.current.authorities == ((KEYS["Dave"].public, 1),)
