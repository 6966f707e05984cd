"""pallet_commitments (index 18): per-subnet metadata commitments of registered hotkeys.

A hotkey registered on a subnet may publish up to ``MaxFields`` (3) ``Data`` fields for it with
``set_commitment`` (fee-free). Each call counts the fields' payload bytes (at least 100) against a
per-subnet, per-epoch allowance of ``MaxSpace`` bytes (root sets it with ``set_max_space``); the usage
resets when the subnet's epoch index moves on. Deposits are reserved per field, but node-subtensor
sets both deposit constants to zero, so commitments are free.

A ``ResetBondsFlag`` field records the block in ``LastBondsReset`` and, if the subnet has bonds reset
enabled, clears the committer's column from the subnet's bonds (every mechanism). A field of
``TimelockEncrypted`` puts the commitment in ``TimelockedIndex``; ``on_initialize`` walks that index and
reveals blobs whose drand pulse is stored. This node has no drand pallet, so no pulse is ever
available: timelocked fields stay pending, and the hook only drops index entries that no longer hold a
pending field (the reference's behaviour with an empty pulse store).
"""

from __future__ import annotations

from typing import Annotated, Any

from runtime.pallets import balances
from runtime.pallets.commitments.types import (
    MAX_FIELDS, CommitmentInfo, Registration, RevealFailure, Reveals, TimelockedSet, UsageTracker, space_of,
    variant_name,
)
from runtime.pallets.subtensor import storage as st
from runtime.pallets.subtensor.types import NetUid, storage_index
from runtime.primitives.hashing import Hasher
from runtime.primitives.types import AccountId32, TaoBalance
from runtime.scale import U32, U64
from runtime.support.context import Context
from runtime.support.dispatch import (
    DB_READ, DB_WRITE, DispatchClass, Origin, Pays, Weight, ensure_root, ensure_signed,
)
from runtime.support.pallet import ConstantDef, Pallet, PalletCalls, PalletErrors, PalletEvents
from runtime.support.storage import PalletStorage

CRATE = "pallet_commitments"

INITIAL_DEPOSIT = 0
FIELD_DEPOSIT = 0
DEFAULT_MAX_SPACE = 3100
MIN_USED_SPACE = 100
"""Every commitment counts at least this many bytes against the allowance."""

SET_COMMITMENT_WEIGHT = Weight(33_480_000 + 5 * DB_READ + 4 * DB_WRITE, 0)
SET_MAX_SPACE_WEIGHT = Weight(2_856_000 + DB_WRITE, 0)

# -- storage ------------------------------------------------------------------------------------------

storage = PalletStorage("Commitments")
_KEYS = [(Hasher.Identity, NetUid), (Hasher.Twox64Concat, AccountId32)]

TimelockedIndex = storage.value("TimelockedIndex", TimelockedSet, default=set(), docs=[
    " Tracks all CommitmentOf that have at least one timelocked field."])
CommitmentOf = storage.map("CommitmentOf", _KEYS, Registration, docs=[" Identity data by account"])
LastCommitment = storage.map("LastCommitment", _KEYS, U32)
LastBondsReset = storage.map("LastBondsReset", _KEYS, U32)
RevealedCommitments = storage.map("RevealedCommitments", _KEYS, Reveals)
UsedSpaceOf = storage.map("UsedSpaceOf", _KEYS, UsageTracker, docs=[
    " Maps (netuid, who) -> usage (how many \u201cbytes\u201d they've committed)", " in the RateLimit window"])
MaxSpace = storage.value("MaxSpace", U32, default=DEFAULT_MAX_SPACE)

# -- events, errors -----------------------------------------------------------------------------------

events = PalletEvents("Commitments", CRATE)
_NETUID = ("netuid", NetUid, "NetUid")
_WHO = ("who", AccountId32, "T::AccountId")
_ROUND = ("reveal_round", U64, "u64")
Commitment = events.event(0, "Commitment", [_NETUID, _WHO], [" A commitment was set"])
TimelockCommitment = events.event(1, "TimelockCommitment", [_NETUID, _WHO, _ROUND],
                                  [" A timelock-encrypted commitment was set"])
CommitmentRevealed = events.event(2, "CommitmentRevealed", [_NETUID, _WHO],
                                  [" A timelock-encrypted commitment was auto-revealed"])
CommitmentRevealFailed = events.event(3, "CommitmentRevealFailed", [
    _NETUID, _WHO, _ROUND, ("error", RevealFailure, "RevealFailure")],
    [" A timelock-encrypted commitment could not be revealed and was left in place"])

errors = PalletErrors("Commitments", CRATE, [
    ("TooManyFieldsInCommitmentInfo", "Account passed too many additional fields to their commitment"),
    ("AccountNotAllowedCommit", "Account is not allowed to make commitments to the chain"),
    ("SpaceLimitExceeded", "Space Limit Exceeded for the current interval"),
    ("UnexpectedUnreserveLeftover", "Indicates that unreserve returned a leftover, which is unexpected."),
    ("TimelockRevealFailedNotAllowed", "`TimelockRevealFailed` fields may only be created by the runtime."),
])

# -- runtime hooks into SubtensorModule ------------------------------------------------------------------


def can_commit(ext: Any, netuid: int, who: bytes) -> bool:
    """node-subtensor's ``AllowCommitments``: the account is a hotkey registered on the subnet."""
    return st.Uids.exists(ext, netuid, who)


def epoch_index(ext: Any, netuid: int) -> int:
    """node-subtensor's ``TempoInterface``: the subnet's epoch counter."""
    return st.SubnetEpochIndex.get(ext, netuid)  # type: ignore[no-any-return]


def reset_bonds(ctx: Context, netuid: int, who: bytes) -> None:
    """node-subtensor's ``ResetBondsOnCommit``: drop the committer's column from every mechanism's bonds,
    when the subnet has bonds reset enabled and the account holds a uid there."""
    if not st.BondsResetOn.get(ctx, netuid):
        return
    uid = st.Uids.get(ctx, netuid, who)
    if uid is None:
        return
    for mechanism in range(st.MechanismCountCurrent.get(ctx, netuid)):
        index = storage_index(netuid, mechanism)
        for (_, row_uid), row in list(st.Bonds.iter(ctx, index)):
            st.Bonds.put(ctx, index, row_uid, [(j, v) for j, v in row if j != uid])


# -- calls --------------------------------------------------------------------------------------------

calls = PalletCalls(CRATE)


@calls.call(0, weight=SET_COMMITMENT_WEIGHT, dispatch_class=DispatchClass.Normal, pays=Pays.No)
def set_commitment(ctx: Context, origin: Origin, netuid: Annotated[int, NetUid, "NetUid"],
                   info: Annotated[dict[str, Any], CommitmentInfo, "Box<CommitmentInfo<T::MaxFields>>"]) -> None:
    """Set the commitment for a given netuid"""
    who = ensure_signed(origin)
    if not can_commit(ctx, netuid, who):
        raise errors.AccountNotAllowedCommit
    fields = list(info["fields"])
    if len(fields) > MAX_FIELDS:
        raise errors.TooManyFieldsInCommitmentInfo
    names = [variant_name(f) for f in fields]
    if "TimelockRevealFailed" in names:
        raise errors.TimelockRevealFailedNotAllowed

    block = ctx.block_number
    required = max(sum(space_of(f) for f in fields), MIN_USED_SPACE)
    usage = UsedSpaceOf.get(ctx, netuid, who) or {"last_epoch": 0, "used_space": 0}
    epoch = epoch_index(ctx, netuid)
    if usage["last_epoch"] != epoch:
        usage = {"last_epoch": epoch, "used_space": 0}

    if "ResetBondsFlag" in names:
        LastBondsReset.put(ctx, netuid, who, block)
        reset_bonds(ctx, netuid, who)

    if usage["used_space"] + required > MaxSpace.get(ctx):
        raise errors.SpaceLimitExceeded
    UsedSpaceOf.put(ctx, netuid, who, {"last_epoch": usage["last_epoch"],
                                       "used_space": usage["used_space"] + required})

    previous = CommitmentOf.get(ctx, netuid, who)
    old_deposit = previous["deposit"] if previous is not None else 0
    deposit = INITIAL_DEPOSIT + len(fields) * FIELD_DEPOSIT
    if deposit > old_deposit:
        balances.reserve(ctx, who, deposit - old_deposit)
    if old_deposit > deposit and balances.unreserve(ctx, who, old_deposit - deposit):
        raise errors.UnexpectedUnreserveLeftover
    CommitmentOf.put(ctx, netuid, who, {"deposit": deposit, "block": block, "info": {"fields": fields}})
    LastCommitment.put(ctx, netuid, who, block)

    timelocked = next((f for f in fields if variant_name(f) == "TimelockEncrypted"), None)
    index = TimelockedIndex.get(ctx)
    if timelocked is not None:
        ctx.deposit_event(TimelockCommitment(netuid=netuid, who=who,
                                             reveal_round=timelocked[1]["reveal_round"]))
        TimelockedIndex.put(ctx, index | {(netuid, who)})
    else:
        ctx.deposit_event(Commitment(netuid=netuid, who=who))
        TimelockedIndex.put(ctx, index - {(netuid, who)})


@calls.call(2, weight=SET_MAX_SPACE_WEIGHT)
def set_max_space(ctx: Context, origin: Origin, new_limit: Annotated[int, U32, "u32"]) -> None:
    """Sudo-set MaxSpace"""
    ensure_root(origin)
    MaxSpace.put(ctx, new_limit)


# -- hooks --------------------------------------------------------------------------------------------


def pulse_available(ext: Any, reveal_round: int) -> bool:
    """Whether drand's pulse for ``reveal_round`` is stored (never: this node has no drand pallet)."""
    return False


def on_initialize(ctx: Context, _number: int) -> Weight:
    """Tidy ``TimelockedIndex``: entries whose commitment is gone or holds no pending timelocked field
    are dropped. Reveals need a stored drand pulse, which this node never has (see module docs)."""
    reads, writes = 2, 0  # the index and drand's oldest stored round (0: nothing expires)
    index = TimelockedIndex.get(ctx)
    keep = set(index)
    for netuid, who in sorted(index):
        registration = CommitmentOf.get(ctx, netuid, who)
        reads += 1
        if registration is None:
            keep.discard((netuid, who))
            reads, writes = reads + 1, writes + 1
            continue
        pending = False
        for field in registration["info"]["fields"]:
            if variant_name(field) == "TimelockEncrypted":
                reads += 1
                pending = pending or not pulse_available(ctx, field[1]["reveal_round"])
        if not pending:
            keep.discard((netuid, who))
            reads, writes = reads + 1, writes + 1
    if keep != index:
        TimelockedIndex.put(ctx, keep)
    return Weight(reads * DB_READ + writes * DB_WRITE, 0)


# -- constants, pallet ----------------------------------------------------------------------------------

CONSTANTS = (
    ConstantDef("MaxFields", U32, MAX_FIELDS,
                (" The maximum number of additional fields that can be added to a commitment",)),
    ConstantDef("InitialDeposit", TaoBalance, INITIAL_DEPOSIT,
                (" The amount held on deposit for a registered identity",)),
    ConstantDef("FieldDeposit", TaoBalance, FIELD_DEPOSIT,
                (" The amount held on deposit per additional field for a registered identity.",)),
)

PALLET = Pallet("Commitments", storage=storage, calls=calls, events=events, errors=errors, constants=CONSTANTS,
                on_initialize=on_initialize)


def commitments_of(ext: Any, netuid: int) -> list[tuple[bytes, bytes]]:
    """Every (account, encoded Registration) committed on a subnet (the reference's ``get_commitments``)."""
    return [(who, Registration.encode(reg)) for (_, who), reg in CommitmentOf.iter(ext, netuid)]
