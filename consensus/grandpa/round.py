"""One GRANDPA round's votes and what follows from them: GHOSTs, the estimate, completability.

Mirrors ``finality_grandpa::round::Round`` without its vote graph: the block tree comes from the
:class:`~consensus.grandpa.environment.VoterChain` and the few votes of a round are tallied directly.

* The **prevote GHOST** is the highest block that prevotes for it or its descendants carry with at
  least the threshold weight; the **precommit GHOST** likewise over precommits — that block is final.
* The **estimate** is the highest ancestor-or-self of the prevote GHOST that could still gather a
  precommit supermajority (precommits on it or below it plus the weight that has not precommitted yet).
* The round is **completable** once precommits reach the threshold and either the estimate is below
  the prevote GHOST or no child of the GHOST can still reach a supermajority.

A voter votes once per kind and round. A second, different vote is an equivocation: it is recorded
and reported but never counted, so an equivocator cannot weigh on two blocks.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from consensus.grandpa.authorities import AuthoritySet
from consensus.grandpa.messages import Precommit, Prevote, SignedPrecommit, SignedPrevote

BlockId = tuple[bytes, int]
#: ``ancestry(base, block)``: hashes from ``block`` back to, excluding, ``base`` (None if not a descendant).
Ancestry = Callable[[bytes, bytes], list[bytes] | None]


class ImportResult(enum.Enum):
    NEW = "new"
    DUPLICATE = "duplicate"
    EQUIVOCATION = "equivocation"


@dataclass(frozen=True, slots=True)
class Equivocation:
    """Two different votes of one kind by one voter in one round."""

    round_number: int
    voter: bytes
    first: SignedPrevote | SignedPrecommit
    second: SignedPrevote | SignedPrecommit


@dataclass(frozen=True, slots=True)
class RoundState:
    prevote_ghost: BlockId | None
    finalized: BlockId | None
    estimate: BlockId | None
    completable: bool


def ghost(votes: Iterable[tuple[bytes, BlockId]], authorities: AuthoritySet, base: BlockId, ancestry: Ancestry,
          threshold: int | None = None) -> BlockId | None:
    """The highest block whose votes (on it or descendants) weigh at least ``threshold``."""
    support = supporters(votes, base, ancestry)
    need = authorities.threshold if threshold is None else threshold
    best: BlockId | None = None
    for block, voters in support.items():
        if _weight(voters, authorities) >= need and (best is None or (block[1], block[0]) > (best[1], best[0])):
            best = block
    return best


def supporters(votes: Iterable[tuple[bytes, BlockId]], base: BlockId, ancestry: Ancestry) -> dict[BlockId, set[bytes]]:
    """For each block between ``base`` and the vote targets, the voters voting on it or below it."""
    support: dict[BlockId, set[bytes]] = {}
    for voter, (target_hash, target_number) in votes:
        if target_hash == base[0]:
            route: list[bytes] | None = []
        elif target_number <= base[1]:
            continue  # a vote below the round base supports nothing in this round
        else:
            route = ancestry(base[0], target_hash)
        if route is None:
            continue  # unknown block or another fork: counts for nothing until the route is known
        support.setdefault(base, set()).add(voter)
        for offset, block_hash in enumerate(route):
            support.setdefault((block_hash, target_number - offset), set()).add(voter)
    return support


def _weight(voters: Iterable[bytes], authorities: AuthoritySet) -> int:
    return sum(authorities.weight_of(v) or 0 for v in voters)


class RoundVotes:
    """The prevotes, precommits and primary proposal of one round of one set."""

    def __init__(self, number: int, authorities: AuthoritySet, base: BlockId) -> None:
        self.number = number
        self.authorities = authorities
        self.base = base
        self.prevotes: dict[bytes, SignedPrevote] = {}
        self.precommits: dict[bytes, SignedPrecommit] = {}
        self.equivocators: set[bytes] = set()
        self.primary_block: BlockId | None = None

    def import_prevote(self, signed: SignedPrevote) -> tuple[ImportResult, Equivocation | None]:
        return self._import(self.prevotes, signed, signed.prevote)

    def import_precommit(self, signed: SignedPrecommit) -> tuple[ImportResult, Equivocation | None]:
        return self._import(self.precommits, signed, signed.precommit)

    def _import(self, table: dict, signed: SignedPrevote | SignedPrecommit,  # type: ignore[type-arg]
                vote: Prevote | Precommit) -> tuple[ImportResult, Equivocation | None]:
        known = table.get(signed.id)
        if known is None:
            table[signed.id] = signed
            return ImportResult.NEW, None
        known_vote = known.prevote if isinstance(known, SignedPrevote) else known.precommit
        if known_vote == vote:
            return ImportResult.DUPLICATE, None
        self.equivocators.add(signed.id)
        return ImportResult.EQUIVOCATION, Equivocation(self.number, signed.id, known, signed)

    def prevote_weight(self) -> int:
        return _weight(self.prevotes, self.authorities)

    def precommit_weight(self) -> int:
        return _weight(self.precommits, self.authorities)

    def _prevote_targets(self) -> list[tuple[bytes, BlockId]]:
        return [(v, (s.prevote.target_hash, s.prevote.target_number)) for v, s in sorted(self.prevotes.items())]

    def _precommit_targets(self) -> list[tuple[bytes, BlockId]]:
        return [(v, (s.precommit.target_hash, s.precommit.target_number))
                for v, s in sorted(self.precommits.items())]

    def state(self, ancestry: Ancestry) -> RoundState:
        """GHOSTs, estimate and completability from the votes so far (see the module docstring)."""
        authorities = self.authorities
        prevote_ghost = ghost(self._prevote_targets(), authorities, self.base, ancestry)
        finalized = ghost(self._precommit_targets(), authorities, self.base, ancestry)
        if prevote_ghost is None:
            return RoundState(None, finalized, None, False)
        precommit_support = supporters(self._precommit_targets(), self.base, ancestry)
        remaining = authorities.total_weight - self.precommit_weight()

        def possible(block: BlockId) -> bool:
            return _weight(precommit_support.get(block, ()), authorities) + remaining >= authorities.threshold

        estimate = self._estimate(prevote_ghost, possible, ancestry)
        completable = False
        if self.precommit_weight() >= authorities.threshold and estimate is not None:
            if estimate != prevote_ghost:
                completable = True
            else:
                children = [b for b in precommit_support if b[1] > prevote_ghost[1]
                            and ancestry(prevote_ghost[0], b[0]) is not None]
                completable = not any(possible(b) for b in children)
        return RoundState(prevote_ghost, finalized, estimate, completable)

    def _estimate(self, prevote_ghost: BlockId, possible: Callable[[BlockId], bool],
                  ancestry: Ancestry) -> BlockId | None:
        # Walk down from the prevote GHOST to the base: the first block that can still be precommitted.
        route = [] if prevote_ghost[0] == self.base[0] else ancestry(self.base[0], prevote_ghost[0])
        if route is None:
            return None
        for offset, block_hash in enumerate(route):
            block = (block_hash, prevote_ghost[1] - offset)
            if possible(block):
                return block
        return self.base if possible(self.base) else None

    def justification_precommits(self, target: BlockId, ancestry: Ancestry) -> list[SignedPrecommit]:
        """The precommits on ``target`` or its descendants (what a justification for it carries)."""
        kept = []
        for _, signed in sorted(self.precommits.items()):
            vote = signed.precommit
            if vote.target_hash == target[0] or (vote.target_number > target[1]
                                                 and ancestry(target[0], vote.target_hash) is not None):
                kept.append(signed)
        return kept
