"""GRANDPA authority sets on the client side: the current set and the changes the runtime announced.

The runtime announces a change with a ``Consensus(b"FRNK", ConsensusLog)`` digest in some block *A*:

* ``ScheduledChange{next_authorities, delay}`` is enacted when the block at height ``A + delay`` on
  A's chain is **finalized** (the old set finalizes that block; its justification is mandatory on import
  and voters never vote past it);
* ``ForcedChange(median_last_finalized, ScheduledChange)`` is enacted when the block at ``A + delay``
  on A's chain is **imported** (a recovery path when the old set has stalled).

Enacting a change bumps ``set_id`` by one. :class:`AuthoritySetTracker` is sans-IO and is told about
headers and finality by the chain; :meth:`AuthoritySetTracker.encode` gives the bytes the node keeps in
its aux storage so that the tracker can be restored on restart (:meth:`AuthoritySetTracker.decode`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from runtime.pallets.grandpa import ConsensusLog
from runtime.primitives.header import GRANDPA_ENGINE_ID, Consensus, Header
from runtime.scale import U8, U32, U64, FixedBytes, Option, ScaleError, Tuple, Vec

#: ``is_descendant_or_self(ancestor, block)`` over the local block tree.
AncestryCheck = Callable[[bytes, bytes], bool]


class AuthoritySetError(Exception):
    """Bad authority-set input: an empty or duplicated set, undecodable persisted state."""


@dataclass(frozen=True, slots=True)
class AuthoritySet:
    """The voters of one set: ``(ed25519 public key, weight)`` pairs and the set id."""

    set_id: int
    authorities: tuple[tuple[bytes, int], ...]

    def __post_init__(self) -> None:
        ids = [a for a, _ in self.authorities]
        if not ids or len(set(ids)) != len(ids) or any(w <= 0 for _, w in self.authorities):
            raise AuthoritySetError("an authority set needs distinct voters with positive weights")

    @property
    def total_weight(self) -> int:
        return sum(w for _, w in self.authorities)

    @property
    def threshold(self) -> int:
        """Weight needed for a supermajority: more than two thirds of the total."""
        total = self.total_weight
        return total - (total - 1) // 3

    def weight_of(self, voter: bytes) -> int | None:
        for public, weight in self.authorities:
            if public == voter:
                return weight
        return None

    def index_of(self, voter: bytes) -> int | None:
        for index, (public, _) in enumerate(self.authorities):
            if public == voter:
                return index
        return None


@dataclass(frozen=True, slots=True)
class PendingChange:
    """A change announced in block ``canon_hash`` (#``canon_height``), effective ``delay`` blocks later."""

    next_authorities: tuple[tuple[bytes, int], ...]
    delay: int
    canon_height: int
    canon_hash: bytes
    forced_median: int | None = None  # Some(median last finalized) for a forced change

    @property
    def effective_number(self) -> int:
        return self.canon_height + self.delay

    @property
    def is_forced(self) -> bool:
        return self.forced_median is not None


@dataclass(frozen=True, slots=True)
class EnactedChange:
    """A change that took effect at block ``hash`` (#``number``): the new set begins after it."""

    new_set: AuthoritySet
    hash: bytes
    number: int
    forced: bool


def changes_in_header(header: Header) -> list[PendingChange]:
    """The GRANDPA authority changes announced by a header's FRNK consensus digests."""
    found = []
    for item in header.logs:
        if not (isinstance(item, Consensus) and item.engine == GRANDPA_ENGINE_ID):
            continue
        try:
            name, payload = ConsensusLog.decode(item.data)
        except (ScaleError, ValueError, IndexError):
            continue  # not a change we understand: Substrate ignores undecodable logs here as well
        if name == "ScheduledChange":
            median, change = None, payload
        elif name == "ForcedChange":
            median, change = payload
        else:
            continue
        authorities = tuple((bytes(k), int(w)) for k, w in change["next_authorities"])
        found.append(PendingChange(authorities, int(change["delay"]), header.number, header.hash, median))
    return found


_AUTHORITIES = Vec(Tuple(FixedBytes(32), U64))
_PENDING = Tuple(_AUTHORITIES, U32, U32, FixedBytes(32), Option(U32))
_STATE = Tuple(U8, U64, _AUTHORITIES, Vec(_PENDING), Vec(Tuple(U64, U32)))
_STATE_VERSION = 1


class AuthoritySetTracker:
    """The current set, the pending changes on every fork, and where each past set ended."""

    def __init__(self, current: AuthoritySet, pending: Iterable[PendingChange] = (),
                 set_changes: Iterable[tuple[int, int]] = ()) -> None:
        self.current = current
        self.pending: list[PendingChange] = list(pending)
        #: ``(set_id, last block number finalized by that set)`` per enacted change (sc's authority_set_changes).
        self.set_changes: list[tuple[int, int]] = list(set_changes)

    @classmethod
    def genesis(cls, authorities: Sequence[tuple[bytes, int]]) -> AuthoritySetTracker:
        return cls(AuthoritySet(0, tuple((bytes(k), int(w)) for k, w in authorities)))

    # -- import ---------------------------------------------------------------------------------------

    def note_header(self, header: Header, is_descendant_or_self: AncestryCheck) -> list[PendingChange]:
        """Record the changes a newly imported header announces (one pending standard change per fork)."""
        added = []
        for change in changes_in_header(header):
            clash = [p for p in self.pending if p.is_forced == change.is_forced
                     and is_descendant_or_self(p.canon_hash, header.hash)]
            if clash:
                continue  # the runtime never announces a second change before the first is enacted
            self.pending.append(change)
            added.append(change)
        return added

    def enacts_standard_change(self, block_hash: bytes, number: int, is_descendant_or_self: AncestryCheck) -> bool:
        """Whether finalizing this block enacts a standard change (so its import needs a justification)."""
        return any(not p.is_forced and p.effective_number == number and is_descendant_or_self(p.canon_hash, block_hash)
                   for p in self.pending)

    def vote_limit(self, block_hash: bytes, is_descendant_or_self: AncestryCheck) -> int | None:
        """The highest number voters may target on ``block_hash``'s chain: a standard change's enacting block."""
        limits = [p.effective_number for p in self.pending
                  if not p.is_forced and is_descendant_or_self(p.canon_hash, block_hash)]
        return min(limits) if limits else None

    def apply_forced_changes(self, block_hash: bytes, number: int,
                             is_descendant_or_self: AncestryCheck) -> EnactedChange | None:
        """Enact a forced change whose effective block is ``block_hash`` (just imported)."""
        for change in sorted(self.pending, key=lambda p: (p.effective_number, p.canon_hash)):
            if (change.is_forced and change.effective_number == number
                    and is_descendant_or_self(change.canon_hash, block_hash)):
                return self._enact(change, block_hash, number, int(change.forced_median or 0))
        return None

    # -- finality -------------------------------------------------------------------------------------

    def apply_finality(self, block_hash: bytes, number: int,
                       is_descendant_or_self: AncestryCheck) -> EnactedChange | None:
        """Finality reached ``block_hash``: enact the standard change on its chain, drop dead forks' changes.

        Returns the change enacted (at most one: a block finalizing past an unenacted change's block is a
        protocol error the voters avoid through :meth:`vote_limit`).
        """
        enacted = None
        for change in sorted(self.pending, key=lambda p: (p.effective_number, p.canon_hash)):
            if change.is_forced or change.effective_number > number:
                continue
            if is_descendant_or_self(change.canon_hash, block_hash):
                enacted = self._enact(change, block_hash, number, number)
                break
        # Changes announced on chains that finality abandoned can never be enacted.
        self.pending = [p for p in self.pending
                        if is_descendant_or_self(block_hash, p.canon_hash) or is_descendant_or_self(p.canon_hash, block_hash)]
        return enacted

    def _enact(self, change: PendingChange, block_hash: bytes, number: int, last_finalized: int) -> EnactedChange:
        self.set_changes.append((self.current.set_id, last_finalized))
        self.current = AuthoritySet(self.current.set_id + 1, change.next_authorities)
        self.pending = [p for p in self.pending if p is not change]
        return EnactedChange(self.current, block_hash, number, change.is_forced)

    # -- persistence ----------------------------------------------------------------------------------

    def encode(self) -> bytes:
        pending = [(list(p.next_authorities), p.delay, p.canon_height, p.canon_hash, p.forced_median)
                   for p in self.pending]
        return _STATE.encode((_STATE_VERSION, self.current.set_id, list(self.current.authorities), pending,
                              list(self.set_changes)))

    @classmethod
    def decode(cls, data: bytes) -> AuthoritySetTracker:
        try:
            version, set_id, authorities, pending, changes = _STATE.decode(data)
        except (ScaleError, ValueError, IndexError) as exc:
            raise AuthoritySetError(f"undecodable GRANDPA authority-set state: {exc}") from exc
        if version != _STATE_VERSION:
            raise AuthoritySetError(f"unknown GRANDPA authority-set state version {version}")
        current = AuthoritySet(set_id, tuple((bytes(k), w) for k, w in authorities))
        restored = [PendingChange(tuple((bytes(k), w) for k, w in auth), delay, height, bytes(h), forced)
                    for auth, delay, height, h, forced in pending]
        return cls(current, restored, [(s, n) for s, n in changes])
