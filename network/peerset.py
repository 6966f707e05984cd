"""Peer reputation, bans, connection slots and reconnection backoff (sans-IO: time is always an argument).

Modelled on Substrate's peer store and protocol controller:

* A reputation is an ``i32`` that every report moves (saturating) and that decays towards zero by 1/200 of its
  value per second (``INVERSE_DECREMENT``); a peer below ``BANNED_THRESHOLD`` (71% of ``i32::MIN``) is banned:
  disconnected, not dialled, and its inbound connections are refused until its reputation decays back above
  the threshold (about 69 s after a fatal report).
* Slots: at most ``in_peers`` inbound and ``out_peers`` outbound non-reserved peers. Reserved peers are always
  accepted and do not use slots.
* Bootnodes and reserved peers that drop are redialled with exponential backoff.
"""

from __future__ import annotations

from dataclasses import dataclass, field

I32_MIN = -(1 << 31)
I32_MAX = (1 << 31) - 1
BANNED_THRESHOLD = 71 * (I32_MIN // 100 + 1)  # Rust's i32::MIN / 100 truncates towards zero
INVERSE_DECREMENT = 200
DISCONNECT_REPUTATION_CHANGE = -256


@dataclass(frozen=True, slots=True)
class ReputationChange:
    value: int
    reason: str

    @staticmethod
    def fatal(reason: str) -> ReputationChange:
        return ReputationChange(I32_MIN, reason)


# Values follow the Substrate names where one exists (sc-network-sync, sc-network-transactions).
GENESIS_MISMATCH = ReputationChange.fatal("Genesis mismatch")
BAD_PROTOCOL = ReputationChange.fatal("Unsupported protocol")
# Substrate gives undecodable messages -(1 << 12) and closes the substream; we ban outright, since a peer whose
# frames we cannot parse is either broken or hostile and would otherwise reconnect straight away.
BAD_MESSAGE = ReputationChange.fatal("Bad message")
OVERSIZED_MESSAGE = ReputationChange.fatal("Message over the size limit")
REQUEST_FLOOD = ReputationChange.fatal("Too many block requests")
BAD_REQUEST = ReputationChange.fatal("Undecodable block request")
TIMEOUT = ReputationChange(-(1 << 10), "Request timeout")
REFUSED = ReputationChange(-(1 << 10), "Request refused")
ANY_TRANSACTION = ReputationChange(-(1 << 4), "Any transaction")
GOOD_TRANSACTION = ReputationChange(1 << 7, "Good transaction")
BAD_TRANSACTION = ReputationChange(-(1 << 12), "Bad transaction")
BAD_BLOCK = ReputationChange(-(1 << 29), "Bad block")
NEW_BLOCK = ReputationChange(1 << 8, "New block announced")


def decay(reputation: int, seconds: int) -> int:
    """Apply ``seconds`` one-second decay steps: each removes 1/200 of the value, at least 1, towards zero."""
    for _ in range(max(0, seconds)):
        if reputation == 0:
            break
        step = abs(reputation) // INVERSE_DECREMENT or 1
        reputation = reputation - step if reputation > 0 else reputation + step
    return reputation


def saturating_add(reputation: int, change: int) -> int:
    return max(I32_MIN, min(I32_MAX, reputation + change))


@dataclass(slots=True)
class _Entry:
    reputation: int = 0
    updated_at: int = 0  # whole seconds, so decay steps line up with Substrate's once-per-second tick


@dataclass(frozen=True, slots=True)
class Backoff:
    """Exponential redial delays: ``initial * 2**failures`` capped at ``maximum`` seconds."""

    initial: float = 1.0
    maximum: float = 60.0

    def delay(self, failures: int) -> float:
        return min(self.maximum, self.initial * (2 ** min(failures, 32)))


@dataclass(slots=True)
class Peerset:
    """Reputations, slot accounting and redial schedule for one node."""

    in_peers: int = 32
    out_peers: int = 8
    reserved: frozenset[str] = frozenset()
    reserved_only: bool = False
    backoff: Backoff = field(default_factory=Backoff)
    _entries: dict[str, _Entry] = field(default_factory=dict)
    _inbound: set[str] = field(default_factory=set)
    _outbound: set[str] = field(default_factory=set)
    _failures: dict[str, int] = field(default_factory=dict)
    _next_dial: dict[str, float] = field(default_factory=dict)

    # --- reputation -------------------------------------------------------------------------------------------

    def _entry(self, peer: str, now: float) -> _Entry:
        entry = self._entries.setdefault(peer, _Entry(updated_at=int(now)))
        elapsed = int(now) - entry.updated_at
        if elapsed > 0:
            entry.reputation = decay(entry.reputation, elapsed)
            entry.updated_at = int(now)
        return entry

    def reputation(self, peer: str, now: float) -> int:
        return self._entry(peer, now).reputation

    def report(self, peer: str, change: ReputationChange, now: float) -> bool:
        """Apply a reputation change; returns True when the peer is (now) banned."""
        entry = self._entry(peer, now)
        entry.reputation = saturating_add(entry.reputation, change.value)
        return entry.reputation < BANNED_THRESHOLD

    def is_banned(self, peer: str, now: float) -> bool:
        return self.reputation(peer, now) < BANNED_THRESHOLD

    # --- slots ------------------------------------------------------------------------------------------------

    def is_reserved(self, peer: str) -> bool:
        return peer in self.reserved

    def accept(self, peer: str, inbound: bool, now: float) -> bool:
        """Whether a new connection in the given direction may take a slot (banned peers never may)."""
        if self.is_banned(peer, now):
            return False
        if peer in self._inbound or peer in self._outbound:
            return True  # a second connection to a known peer reuses its slot
        if self.is_reserved(peer):
            return True
        if self.reserved_only:
            return False
        if inbound:
            return len(self._inbound) < self.in_peers
        return len(self._outbound) < self.out_peers

    def on_connected(self, peer: str, inbound: bool) -> None:
        self._failures.pop(peer, None)
        self._next_dial.pop(peer, None)
        if self.is_reserved(peer):
            return
        (self._inbound if inbound else self._outbound).add(peer)

    def on_disconnected(self, peer: str, now: float) -> None:
        self._inbound.discard(peer)
        self._outbound.discard(peer)
        entry = self._entry(peer, now)
        entry.reputation = saturating_add(entry.reputation, DISCONNECT_REPUTATION_CHANGE)

    def slot_counts(self) -> tuple[int, int]:
        return len(self._inbound), len(self._outbound)

    # --- redialling -------------------------------------------------------------------------------------------

    def on_dial_failure(self, peer: str, now: float) -> None:
        failures = self._failures.get(peer, 0)
        self._failures[peer] = failures + 1
        self._next_dial[peer] = now + self.backoff.delay(failures)

    def should_dial(self, peer: str, now: float) -> bool:
        """A bootnode or reserved peer is due for a dial: not banned, and its backoff has elapsed."""
        if self.is_banned(peer, now):
            return False
        if not self.is_reserved(peer) and len(self._outbound) >= self.out_peers:
            return False
        return now >= self._next_dial.get(peer, 0.0)

    def schedule_redial(self, peer: str, now: float) -> None:
        """After a disconnect, wait at least the current backoff before redialling."""
        self.on_dial_failure(peer, now)
