"""GRANDPA wire codecs and justification verification."""

from __future__ import annotations

from dataclasses import replace

import pytest

from consensus.grandpa.justification import (
    JustificationError, build_justification, verify_commit, verify_justification,
)
from consensus.grandpa.messages import (
    CatchUp, CatchUpRequestMessage, Commit, FullCatchUpMessage, FullCommitMessage, GrandpaJustification,
    MalformedMessage, NeighborPacket, Precommit, Prevote, PrimaryPropose, SignedMessage, VoteMessage,
    check_vote_signature, decode_gossip, encode_gossip, localized_payload, sign_vote,
)
from tests.consensus.grandpa_helpers import KEYS, chain_of, make_header, precommit, prevote, voter_set

H = bytes(range(32))


def test_neighbor_packet_bytes_match_the_wire_capture() -> None:
    # spec §6.2: smoldot's neighbour packet for round 1, set 0, nothing finalized by commit.
    raw = bytes.fromhex("02" "01" "0100000000000000" "0000000000000000" "00000000")
    assert decode_gossip(raw) == NeighborPacket(1, 0, 0)
    assert encode_gossip(NeighborPacket(1, 0, 0)) == raw


def test_signing_payload_layout() -> None:
    # (Message, round u64, set_id u64): variant index, hash, u32 number, then the two u64s.
    payload = localized_payload(Precommit(H, 7), 3, 2)
    assert payload == b"\x01" + H + (7).to_bytes(4, "little") + (3).to_bytes(8, "little") + (2).to_bytes(8, "little")
    assert localized_payload(Prevote(H, 7), 3, 2)[0] == 0
    assert localized_payload(PrimaryPropose(H, 7), 3, 2)[0] == 2


def test_vote_message_layout_and_round_trip() -> None:
    vote = Prevote(H, 5)
    signature = sign_vote(KEYS["Alice"], vote, 9, 1)
    message = VoteMessage(9, 1, SignedMessage(vote, signature, KEYS["Alice"].public))
    raw = encode_gossip(message)
    assert raw == (b"\x00" + (9).to_bytes(8, "little") + (1).to_bytes(8, "little") + b"\x00" + H
                   + (5).to_bytes(4, "little") + signature + KEYS["Alice"].public)
    assert decode_gossip(raw) == message
    assert check_vote_signature(vote, signature, KEYS["Alice"].public, 9, 1)
    assert not check_vote_signature(vote, signature, KEYS["Alice"].public, 9, 2)  # other set id
    assert not check_vote_signature(Precommit(H, 5), signature, KEYS["Alice"].public, 9, 1)


def test_commit_catch_up_and_request_round_trip() -> None:
    headers = chain_of(3)
    commit = Commit(headers[2].hash, 2, (precommit("Alice", headers[2]), precommit("Bob", headers[3])))
    compact = commit.compact()
    full = FullCommitMessage(4, 0, compact)
    raw = encode_gossip(full)
    assert raw[0] == 1 and decode_gossip(raw) == full
    assert compact.expand() == commit
    catch_up = FullCatchUpMessage(0, CatchUp(4, (prevote("Alice", headers[1], 4),), commit.precommits,
                                             headers[0].hash, 0))
    assert decode_gossip(encode_gossip(catch_up)) == catch_up
    request = CatchUpRequestMessage(5, 0)
    assert encode_gossip(request) == b"\x03" + (5).to_bytes(8, "little") + bytes(8)
    with pytest.raises(MalformedMessage):
        decode_gossip(b"\x07")
    with pytest.raises(MalformedMessage):
        decode_gossip(raw[:-3])


def _justification(names: tuple[str, ...], headers: list, target: int = 2, round_number: int = 1,
                   set_id: int = 0, vote_heights: dict[str, int] | None = None) -> GrandpaJustification:
    heights = vote_heights or {}
    votes = [precommit(n, headers[heights.get(n, target)], round_number, set_id) for n in names]

    def ancestry(base: bytes, block: bytes) -> list:
        by_hash = {h.hash: h for h in headers}
        out, current = [], block
        while current != base:
            out.append(by_hash[current])
            current = by_hash[current].parent_hash
        return out

    return build_justification(round_number, headers[target].hash, target, votes, ancestry)


def test_justification_verifies_and_round_trips() -> None:
    headers = chain_of(4)
    justification = _justification(("Alice", "Bob", "Charlie"), headers, vote_heights={"Charlie": 4})
    assert [h.number for h in justification.votes_ancestries] == [3, 4]
    raw = justification.encode()
    assert GrandpaJustification.decode(raw) == justification
    verified = verify_justification(raw, headers[2].hash, 2, voter_set())
    assert verified.round == 1 and len(verified.commit.precommits) == 3


def test_justification_rejections() -> None:
    headers = chain_of(4)
    authorities = voter_set()
    good = _justification(("Alice", "Bob", "Charlie"), headers)
    with pytest.raises(JustificationError, match="threshold"):
        verify_justification(_justification(("Alice", "Bob"), headers), headers[2].hash, 2, authorities)
    with pytest.raises(JustificationError, match="signature"):
        verify_justification(good.encode(), headers[2].hash, 2, voter_set(set_id=1))  # wrong set id
    forged = replace(good.commit.precommits[0], signature=bytes(64))
    bad_sig = replace(good, commit=replace(good.commit, precommits=(forged, *good.commit.precommits[1:])))
    with pytest.raises(JustificationError, match="signature"):
        verify_justification(bad_sig, headers[2].hash, 2, authorities)
    with pytest.raises(JustificationError, match="target"):
        verify_justification(good, headers[3].hash, 3, authorities)
    with pytest.raises(JustificationError, match="not a voter"):
        verify_justification(_justification(("Alice", "Bob", "Eve"), headers), headers[2].hash, 2, authorities)
    # The same voter twice does not count twice.
    doubled = replace(good, commit=replace(good.commit, precommits=good.commit.precommits[:2] * 2))
    with pytest.raises(JustificationError, match="threshold"):
        verify_justification(doubled, headers[2].hash, 2, authorities)


def test_precommit_on_another_fork_is_not_a_descendant() -> None:
    headers = chain_of(3)
    fork = make_header(headers[2], salt=9)  # child of #2: fine; a sibling of #2 is not
    sibling = make_header(headers[1], salt=9)
    commit = Commit(headers[2].hash, 2, (precommit("Alice", headers[2]), precommit("Bob", headers[2]),
                                         precommit("Charlie", fork)))
    verify_commit(commit, 1, voter_set(), (fork,))
    with pytest.raises(JustificationError, match="unused"):
        verify_commit(commit, 1, voter_set(), (fork, headers[3]))
    off_fork = Commit(headers[2].hash, 2, (precommit("Alice", headers[2]), precommit("Bob", headers[2]),
                                           precommit("Charlie", make_header(sibling, salt=1))))
    with pytest.raises(JustificationError, match="descend"):
        verify_commit(off_fork, 1, voter_set(), (sibling,))
    # Without a proof the local chain may answer the descendant question.
    chained = Commit(headers[1].hash, 1, (precommit("Alice", headers[1]), precommit("Bob", headers[3]),
                                          precommit("Charlie", headers[3])))
    verify_commit(chained, 1, voter_set(), (), is_descendant=lambda a, b: a == headers[1].hash)
    with pytest.raises(JustificationError):
        verify_commit(chained, 1, voter_set(), ())
