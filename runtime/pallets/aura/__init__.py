"""pallet_aura: the Aura authority set and the slot of the current block.

The block author announces its slot in a ``PreRuntime`` digest (engine ``aura``, a SCALE ``u64``) that the
executive copies into ``System.Digest`` during ``initialize_block``. ``on_initialize`` reads it, checks the
slot strictly increases (node-subtensor forbids several blocks per slot) and stores it in ``CurrentSlot``.
When the timestamp inherent runs, :func:`on_timestamp_set` checks the time falls in that very slot.

The slot duration is twice Timestamp's ``MinimumPeriod`` (``MinimumPeriodTimesTwo``): 250 ms on the fast
runtime. A broken rule is a panic in FRAME — here :class:`AuraPanic`, which makes the block invalid.

Helpers for the consensus engine and the executive: :func:`authorities`, :func:`slot_duration`,
:func:`current_slot`, :func:`slot_from_digest`, :func:`author` and :func:`change_authorities`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from runtime.primitives.header import AURA_ENGINE_ID, Consensus, PreRuntime
from runtime.primitives.types import BYTES32
from runtime.scale import U32, U64, Composite, Enum, FieldInfo, Vec, variant
from runtime.support.context import Context
from runtime.support.dispatch import DB_READ, DB_WRITE, Weight
from runtime.support.externalities import Externalities
from runtime.support.pallet import ConstantDef, Pallet
from runtime.support.storage import PalletStorage

MAX_AUTHORITIES = 32

AuthorityId = Composite("sp_consensus_aura::sr25519::app_sr25519::Public",
                        [FieldInfo(None, BYTES32, "sr25519::Public")])
AuthorityList = Composite("bounded_collections::bounded_vec::BoundedVec",
                          [FieldInfo(None, Vec(AuthorityId), "Vec<T>")],
                          params=[("T", AuthorityId), ("S", None)])
Slot = Composite("sp_consensus_slots::Slot", [FieldInfo(None, U64, "u64")])

#: ``sp_consensus_aura::ConsensusLog`` (the runtime's messages to the Aura client, as Consensus digests).
ConsensusLog = Enum("sp_consensus_aura::ConsensusLog", [
    variant("AuthoritiesChange", 1, [(None, Vec(AuthorityId), "Vec<AuthorityId>")]),
    variant("OnDisabled", 2, [(None, U32, "AuthorityIndex")]),
], params=[("AuthorityId", AuthorityId)])


class AuraPanic(Exception):
    """A broken Aura rule (slot not increasing, timestamp outside the slot…): the block is invalid."""


# -- storage ----------------------------------------------------------------------------------------

storage = PalletStorage("Aura")
Authorities = storage.value("Authorities", AuthorityList, default=[], docs=[" The current authority set."])
CurrentSlot = storage.value("CurrentSlot", Slot, default=0, docs=[
    " The current slot of this block.",
    "",
    " This will be set in `on_initialize`.",
])

# -- helpers ----------------------------------------------------------------------------------------


def slot_duration() -> int:
    """The slot duration in milliseconds (twice Timestamp's ``MinimumPeriod``)."""
    from runtime.pallets import timestamp

    return 2 * timestamp.minimum_period()


def authorities(ext: Externalities) -> list[bytes]:
    """The sr25519 public keys of the current Aura authorities, in order."""
    return list(Authorities.get(ext))


def current_slot(ext: Externalities) -> int:
    return CurrentSlot.get(ext)  # type: ignore[no-any-return]


def slot_from_digest(digest: Sequence[Any]) -> int | None:
    """The slot announced in the first Aura ``PreRuntime`` item of a digest, if any."""
    for item in digest:
        if isinstance(item, PreRuntime) and item.engine == AURA_ENGINE_ID:
            return U64.decode(item.data)  # type: ignore[no-any-return]
    return None


def slot_of(timestamp_ms: int) -> int:
    """The slot a timestamp falls in."""
    return timestamp_ms // slot_duration()


def author(ext: Externalities) -> bytes | None:
    """The authority owning the current block's slot (``slot % len(authorities)``), if known.

    With sr25519 keys the public key is also the author's ``AccountId32``.
    """
    from runtime.pallets.system import storage as system_storage

    slot = slot_from_digest(system_storage.DigestItems.get(ext))
    keys = authorities(ext)
    if slot is None or not keys:
        return None
    return keys[slot % len(keys)]


def change_authorities(ctx: Context, new: Sequence[bytes]) -> None:
    """Replace the authority set and tell the client with an ``AuthoritiesChange`` Consensus digest.

    An empty set is ignored (FRAME refuses to leave the chain without authors).
    """
    from runtime.pallets.system import storage as system_storage

    new = list(new)
    if len(new) > MAX_AUTHORITIES:
        raise ValueError(f"at most {MAX_AUTHORITIES} Aura authorities")
    if not new:
        return
    Authorities.put(ctx, new)
    log = Consensus(AURA_ENGINE_ID, ConsensusLog.encode(("AuthoritiesChange", new)))
    system_storage.DigestItems.put(ctx, tuple(system_storage.DigestItems.get(ctx)) + (log,))


# -- hooks ------------------------------------------------------------------------------------------


def on_initialize(ctx: Context, number: int) -> Weight:
    from runtime.pallets.system import storage as system_storage

    new_slot = slot_from_digest(system_storage.DigestItems.get(ctx))
    if new_slot is None:
        return Weight(DB_READ, 0)
    if not CurrentSlot.get(ctx) < new_slot:
        raise AuraPanic("Slot must increase")
    CurrentSlot.put(ctx, new_slot)
    return Weight(2 * DB_READ + DB_WRITE, 0)


def on_timestamp_set(ctx: Context, now: int) -> None:
    """Timestamp's hook: the time must fall in the slot the block announced."""
    duration = slot_duration()
    if duration == 0:
        raise AuraPanic("Aura slot duration cannot be zero.")
    if CurrentSlot.get(ctx) != now // duration:
        raise AuraPanic("Timestamp slot must match `CurrentSlot`")


def genesis(ctx: Context, config: dict[str, Any]) -> None:
    """``{"authorities": [ss58 | hex | bytes, …]}`` — the initial Aura set."""
    from runtime.primitives.ss58 import account_id_from

    keys = [account_id_from(k) for k in config.get("authorities") or []]
    if not keys:
        return
    if authorities(ctx):
        raise AuraPanic("Authorities are already initialized!")
    if len(keys) > MAX_AUTHORITIES:
        raise AuraPanic("Initial authority set must be less than T::MaxAuthorities")
    Authorities.put(ctx, keys)


PALLET = Pallet(
    "Aura", storage=storage,
    constants=(ConstantDef("SlotDuration", U64, slot_duration, (
        " The slot duration Aura should run with, expressed in milliseconds.",
        " The effective value of this type should not change while the chain is running.",
        "",
        " For backwards compatibility either use [`MinimumPeriodTimesTwo`] or a const.",
    )),),
    on_initialize=on_initialize, genesis=genesis,
)

__all__ = [
    "AuraPanic", "Authorities", "AuthorityId", "ConsensusLog", "CurrentSlot", "MAX_AUTHORITIES", "PALLET",
    "author", "authorities", "change_authorities", "current_slot", "on_timestamp_set", "slot_duration",
    "slot_from_digest", "slot_of",
]
