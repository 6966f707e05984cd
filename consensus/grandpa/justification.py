"""GRANDPA justifications: build one from a round's precommits, verify one against an authority set.

A justification proves that a block is final: the commit of some round (target block plus signed
precommits) and the headers (``votes_ancestries``) that link every precommit target back to the
commit target. Verification follows sc-consensus-grandpa's ``GrandpaJustification::verify``:

1. the commit target is the block being justified;
2. every precommit is signed by a member of the set over ``(Precommit, round, set_id)``;
3. every precommit target is the commit target or descends from it, shown by the ancestry headers
   (or, when given, by the local chain); ancestry headers that no precommit needs are refused;
4. the distinct signers' weight reaches the threshold ``total - (total - 1) // 3``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

from consensus.grandpa.authorities import AuthoritySet
from consensus.grandpa.messages import (
    Commit, GrandpaJustification, MalformedMessage, SignedPrecommit, check_vote_signature,
)
from runtime.primitives.header import Header


class JustificationError(Exception):
    """A justification (or commit) does not prove finality of the block it claims to."""


#: ``is_descendant(ancestor, descendant)`` over the local chain, for targets the ancestries do not cover.
DescendantCheck = Callable[[bytes, bytes], bool]


def build_justification(round_number: int, target_hash: bytes, target_number: int,
                        precommits: Iterable[SignedPrecommit],
                        ancestry: Callable[[bytes, bytes], Sequence[Header]]) -> GrandpaJustification:
    """A justification for ``target`` from the round's precommits on it or its descendants.

    ``ancestry(base, block)`` returns the headers from ``block`` back to (excluding) ``base``; every
    header needed to link a precommit target to the target is included once, sorted by number then hash
    so the bytes do not depend on vote arrival order.
    """
    kept = tuple(sorted(precommits, key=lambda p: p.id))
    headers: dict[bytes, Header] = {}
    for signed in kept:
        if signed.precommit.target_hash == target_hash:
            continue
        for header in ancestry(target_hash, signed.precommit.target_hash):
            headers[header.hash] = header
    ordered = tuple(sorted(headers.values(), key=lambda h: (h.number, h.hash)))
    return GrandpaJustification(round_number, Commit(target_hash, target_number, kept), ordered)


def verify_commit(commit: Commit, round_number: int, authorities: AuthoritySet,
                  ancestries: Sequence[Header] = (), is_descendant: DescendantCheck | None = None) -> None:
    """Check a commit's signatures, ancestry and weight (raises :class:`JustificationError`)."""
    by_hash = {header.hash: header for header in ancestries}
    used: set[bytes] = set()
    signers: set[bytes] = set()
    for signed in commit.precommits:
        weight = authorities.weight_of(signed.id)
        if weight is None:
            raise JustificationError(f"precommit from 0x{signed.id.hex()}, not a voter of set {authorities.set_id}")
        if not check_vote_signature(signed.precommit, signed.signature, signed.id, round_number, authorities.set_id):
            raise JustificationError(f"bad precommit signature from 0x{signed.id.hex()} "
                                     f"(round {round_number}, set {authorities.set_id})")
        _check_descends(commit, signed, by_hash, used, is_descendant)
        signers.add(signed.id)
    if set(by_hash) - used:
        raise JustificationError("invalid precommit ancestry proof: some ancestry headers are unused")
    weight = sum(authorities.weight_of(s) or 0 for s in signers)
    if weight < authorities.threshold:
        raise JustificationError(f"precommit weight {weight} is below the threshold {authorities.threshold}")


def _check_descends(commit: Commit, signed: SignedPrecommit, by_hash: dict[bytes, Header], used: set[bytes],
                    is_descendant: DescendantCheck | None) -> None:
    target = signed.precommit.target_hash
    if target == commit.target_hash:
        return
    if signed.precommit.target_number <= commit.target_number:
        raise JustificationError("a precommit target is not a descendant of the commit target")
    current, path = target, []
    while current in by_hash and current != commit.target_hash:
        path.append(current)
        current = by_hash[current].parent_hash
    if current == commit.target_hash:
        used.update(path)
        return
    # Not covered by the proof: the local chain may still know the route (sync of known blocks).
    if is_descendant is not None and is_descendant(commit.target_hash, target):
        return
    raise JustificationError("invalid precommit ancestry proof: a precommit target does not descend "
                             "from the commit target")


def verify_justification(encoded: bytes | GrandpaJustification, block_hash: bytes, block_number: int,
                         authorities: AuthoritySet, is_descendant: DescendantCheck | None = None
                         ) -> GrandpaJustification:
    """Decode and verify a justification for ``(block_hash, block_number)``; returns it decoded."""
    try:
        justification = (encoded if isinstance(encoded, GrandpaJustification)
                         else GrandpaJustification.decode(encoded))
    except MalformedMessage as exc:
        raise JustificationError(str(exc)) from exc
    commit = justification.commit
    if (commit.target_hash, commit.target_number) != (block_hash, block_number):
        raise JustificationError("invalid commit target in grandpa justification")
    verify_commit(commit, justification.round, authorities, justification.votes_ancestries, is_descendant)
    return justification
