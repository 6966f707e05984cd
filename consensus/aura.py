"""Aura: slots, the slot's author, the pre-runtime slot digest, and sealing / seal verification.

A slot is ``timestamp_ms // slot_duration``; its author is ``authorities[slot % len(authorities)]``.
The author puts ``PreRuntime(b"aura", slot as u64 LE)`` in the header before execution and, after
finalization, appends ``Seal(b"aura", sr25519 signature of the pre-seal header hash)``. Sans-IO: the
time is always an argument.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from runtime.primitives.header import AURA_ENGINE_ID, Header, PreRuntime, Seal
from runtime.primitives.keys import Keypair, KeyType, verify
from runtime.scale import U64, DecodeError


class AuraError(Exception):
    """A header fails Aura verification."""


def slot_at(timestamp_ms: int, slot_duration_ms: int) -> int:
    return timestamp_ms // slot_duration_ms


def slot_author(slot: int, authorities: Sequence[bytes]) -> bytes:
    if not authorities:
        raise AuraError("no Aura authorities")
    return authorities[slot % len(authorities)]


def pre_digest(slot: int) -> PreRuntime:
    return PreRuntime(AURA_ENGINE_ID, U64.encode(slot))


def find_slot(header: Header) -> int:
    """The slot of the (exactly one) Aura pre-runtime digest."""
    slots = [item for item in header.logs if isinstance(item, PreRuntime) and item.engine == AURA_ENGINE_ID]
    if len(slots) != 1:
        raise AuraError(f"expected one Aura pre-runtime digest, found {len(slots)}")
    try:
        return int(U64.decode(slots[0].data))
    except DecodeError as exc:
        raise AuraError("malformed Aura pre-runtime digest") from exc


def seal(header: Header, key: Keypair) -> Header:
    """Append the author's seal to a finalized header."""
    if key.key_type is not KeyType.Sr25519:
        raise AuraError("Aura authorities sign with sr25519")
    signature = key.sign(header.hash)
    return header.with_logs([*header.logs, Seal(AURA_ENGINE_ID, signature)])


@dataclass(frozen=True, slots=True)
class VerifiedHeader:
    """A header whose seal checked out: the pre-seal header (what the runtime executes), slot, author."""

    pre_header: Header
    slot: int
    author: bytes


def verify_header(header: Header, authorities: Sequence[bytes], now_slot: int | None = None) -> VerifiedHeader:
    """Check the seal and slot of a header against the parent's authority set."""
    pre_header, seal_item = header.without_seal()
    if seal_item is None or seal_item.engine != AURA_ENGINE_ID:
        raise AuraError("header is not sealed by Aura")
    slot = find_slot(pre_header)
    if now_slot is not None and slot > now_slot + 1:
        raise AuraError(f"header is from a future slot {slot} (now {now_slot})")
    author = slot_author(slot, authorities)
    if not verify(KeyType.Sr25519, seal_item.data, pre_header.hash, author):
        raise AuraError("bad Aura seal")
    return VerifiedHeader(pre_header, slot, author)


# -- equivocation ------------------------------------------------------------------------------------

MAX_SLOT_CAPACITY = 1000  # slots remembered per author (sc-consensus-slots' MAX_SLOT_CAPACITY)


@dataclass(frozen=True, slots=True)
class Equivocation:
    """One author sealed two different headers for the same slot."""

    slot: int
    author: bytes
    first_hash: bytes
    second_hash: bytes


@dataclass
class EquivocationDetector:
    """Remembers which header each author sealed in recent slots (a bounded slot → headers table).

    Like Substrate's ``check_equivocation`` the block is still imported; the caller logs the
    equivocation and does not re-gossip the block.
    """

    capacity: int = MAX_SLOT_CAPACITY
    seen: dict[int, list[tuple[bytes, bytes]]] = field(default_factory=dict)
    highest_slot: int = 0

    def check(self, slot: int, author: bytes, header_hash: bytes) -> Equivocation | None:
        if slot + self.capacity < self.highest_slot:
            return None  # too old to say; Substrate ignores such headers here as well
        entries = self.seen.setdefault(slot, [])
        for seen_author, seen_hash in entries:
            if seen_author == author:
                if seen_hash == header_hash:
                    return None
                return Equivocation(slot, author, seen_hash, header_hash)
        entries.append((author, header_hash))
        if slot > self.highest_slot:
            self.highest_slot = slot
            bound = slot - 2 * self.capacity
            for old in [s for s in self.seen if s < bound]:
                del self.seen[old]
        return None
