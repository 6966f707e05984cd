"""pallet_multisig (index 13): calls dispatched from an account that several signatories control together.

The multisig account of a set of signatories and a threshold is ``primitives.multisig.multi_account_id``.
With a threshold of 1 any signatory dispatches at once (``as_multi_threshold_1``). Otherwise the first
approval opens an operation keyed by the multisig account and the call's hash, reserving
``DepositBase + threshold × DepositFactor`` from its depositor; later approvals must name the opening
extrinsic's timepoint; the approval that reaches the threshold and supplies the call dispatches it from
the multisig account (``MultisigExecuted`` carries its result) and returns the deposit. The depositor can
cancel, or re-reserve the deposit at current rates (``poke_deposit``).

polkadot-sdk's pallet as node-subtensor configures it. Weights are polkadot-sdk's ``SubstrateWeight``
benchmarks; ``poke_deposit`` has none there, and uses ``cancel_as_multi``'s. One difference: the reference
gives ``as_multi_threshold_1`` the dispatch class of the call it wraps, while call declarations here have a
fixed class, so it is always Normal (an Operational inner call is weighed against the Normal limit).
"""

from __future__ import annotations

from typing import Annotated, Any

from runtime.pallets import balances
from runtime.pallets.subtensor.types import BoundedVec
from runtime.pallets.system import storage as system_storage
from runtime.pallets.utility import nested
from runtime.primitives.hashing import Hasher, blake2_256
from runtime.primitives.multisig import multi_account_id
from runtime.primitives.types import AccountId32, TaoBalance
from runtime.scale import U8, U16, U32, Array, Composite, FieldInfo, Option, Vec
from runtime.support.context import Context
from runtime.support.dispatch import (
    DispatchResultCodec, Origin, Pays, PostDispatchInfo, Weight, benchmarked, ensure_signed,
)
from runtime.support.outer import RuntimeCallRef
from runtime.support.pallet import ConstantDef, Pallet, PalletCalls, PalletErrors, PalletEvents
from runtime.support.storage import PalletStorage

CRATE = "pallet_multisig"

DEPOSIT_BASE = 132_000_000  # deposit(1 item, 112 bytes)
DEPOSIT_FACTOR = 32_000_000  # deposit(0 items, 32 bytes)
MAX_SIGNATORIES = 100

# -- types, storage -----------------------------------------------------------------------------------

CallHash = Array(32, U8)
Timepoint = Composite("pallet_multisig::Timepoint", [FieldInfo("height", U32, "BlockNumber"),
                                                     FieldInfo("index", U32, "u32")],
                      params=[("BlockNumber", U32)])
Multisig = Composite("pallet_multisig::Multisig", [
    FieldInfo("when", Timepoint, "Timepoint<BlockNumber>"),
    FieldInfo("deposit", TaoBalance, "Balance"),
    FieldInfo("depositor", AccountId32, "AccountId"),
    FieldInfo("approvals", BoundedVec(AccountId32), "BoundedVec<AccountId, MaxApprovals>"),
], params=[("BlockNumber", U32), ("Balance", TaoBalance), ("AccountId", AccountId32), ("MaxApprovals", None)])

storage = PalletStorage("Multisig")
Multisigs = storage.map("Multisigs", [(Hasher.Twox64Concat, AccountId32), (Hasher.Blake2_128Concat, CallHash)],
                        Multisig, docs=[" The set of open multisig operations."])

# -- events, errors -----------------------------------------------------------------------------------

events = PalletEvents("Multisig", CRATE)
_APPROVING = ("approving", AccountId32, "T::AccountId")
_TIMEPOINT = ("timepoint", Timepoint, "Timepoint<BlockNumberFor<T>>")
_MULTISIG = ("multisig", AccountId32, "T::AccountId")
_HASH = ("call_hash", CallHash, "CallHash")
NewMultisig = events.event(0, "NewMultisig", [_APPROVING, _MULTISIG, _HASH],
                           [" A new multisig operation has begun."])
MultisigApproval = events.event(1, "MultisigApproval", [_APPROVING, _TIMEPOINT, _MULTISIG, _HASH],
                                [" A multisig operation has been approved by someone."])
MultisigExecuted = events.event(2, "MultisigExecuted", [
    _APPROVING, _TIMEPOINT, _MULTISIG, _HASH, ("result", DispatchResultCodec, "DispatchResult")],
    [" A multisig operation has been executed."])
MultisigCancelled = events.event(3, "MultisigCancelled", [
    ("cancelling", AccountId32, "T::AccountId"), _TIMEPOINT, _MULTISIG, _HASH],
    [" A multisig operation has been cancelled."])
DepositPoked = events.event(4, "DepositPoked", [
    ("who", AccountId32, "T::AccountId"), _HASH, ("old_deposit", TaoBalance, "BalanceOf<T>"),
    ("new_deposit", TaoBalance, "BalanceOf<T>")], [" The deposit for a multisig operation has been updated/poked."])

errors = PalletErrors("Multisig", CRATE, [
    ("MinimumThreshold", "Threshold must be 2 or greater."),
    ("AlreadyApproved", "Call is already approved by this signatory."),
    ("NoApprovalsNeeded", "Call doesn't need any (more) approvals."),
    ("TooFewSignatories", "There are too few signatories in the list."),
    ("TooManySignatories", "There are too many signatories in the list."),
    ("SignatoriesOutOfOrder", "The signatories were provided out of order; they should be ordered."),
    ("SenderInSignatories", "The sender was contained in the other signatories; it shouldn't be."),
    ("NotFound", "Multisig operation not found in storage."),
    ("NotOwner", "Only the account that originally created the multisig is able to cancel it or update its deposits."),
    ("NoTimepoint", "No timepoint was given, yet the multisig operation is already underway."),
    ("WrongTimepoint", "A different timepoint was given to the multisig operation that is underway."),
    ("UnexpectedTimepoint", "A timepoint was given, yet no multisig operation is underway."),
    ("MaxWeightTooLow", "The maximum weight information provided was too low."),
    ("AlreadyStored", "The data to be stored is already stored."),
])

# -- weights ------------------------------------------------------------------------------------------


def _w(base: int, proof: int, per_s: int, s: int, per_z: int, z: int, reads: int, writes: int) -> Weight:
    return benchmarked(base + per_s * s + per_z * z, proof, reads, writes)


def threshold_1_weight(z: int) -> Weight:
    return _w(20_727_356, 3997, 0, 0, 572, z, 2, 0)


def create_weight(s: int, z: int) -> Weight:
    return _w(32_052_125, 6811, 111_179, s, 1_447, z, 1, 1)


def approve_weight(s: int, z: int) -> Weight:
    return _w(17_940_334, 6811, 106_203, s, 1_441, z, 1, 1)


def complete_weight(s: int, z: int) -> Weight:
    return _w(42_418_863, 6811, 164_555, s, 1_573, z, 4, 2)


def approve_hash_create_weight(s: int) -> Weight:
    return _w(30_237_756, 6811, 107_619, s, 0, 0, 1, 1)


def approve_hash_approve_weight(s: int) -> Weight:
    return _w(16_907_862, 6811, 101_887, s, 0, 0, 1, 1)


def cancel_weight(s: int) -> Weight:
    return _w(31_473_005, 6811, 107_460, s, 0, 0, 1, 1)


def _max(*weights: Weight) -> Weight:
    return Weight(max(w.ref_time for w in weights), max(w.proof_size for w in weights))


# -- the pallet's logic -------------------------------------------------------------------------------


def _timepoint(ctx: Context) -> dict[str, int]:
    """Where the current extrinsic sits: the block number and its index in the block."""
    return {"height": ctx.block_number, "index": system_storage.ExtrinsicCount.get(ctx) or 0}


def _signatories(others: list[bytes], who: bytes) -> list[bytes]:
    """The sorted signatories with the sender inserted; ``others`` must be sorted and exclude it."""
    if not others:
        raise errors.TooFewSignatories
    if len(others) >= MAX_SIGNATORIES:
        raise errors.TooManySignatories
    index = 0
    last: bytes | None = None
    for item in others:
        if last is not None and not last < item:
            raise errors.SignatoriesOutOfOrder
        if item <= who:
            if item == who:
                raise errors.SenderInSignatories
            index += 1
        last = item
    return [*others[:index], who, *others[index:]]


def _open_operation(ctx: Context, who: bytes, threshold: int, others: list[bytes], call_hash: bytes
                    ) -> tuple[bytes, dict[str, Any]]:
    """The multisig account and the open operation of ``call_hash`` for cancel and poke_deposit."""
    if threshold < 2:
        raise errors.MinimumThreshold
    multisig = multi_account_id(_signatories(others, who), threshold)
    m = Multisigs.try_get(ctx, multisig, call_hash)
    if m is None:
        raise errors.NotFound
    return multisig, m


def _operate(ctx: Context, who: bytes, threshold: int, others: list[bytes], maybe_timepoint: dict | None,
             call: Any | None, call_hash: bytes | None, max_weight: Weight) -> PostDispatchInfo:
    if threshold < 2:
        raise errors.MinimumThreshold
    signatories = _signatories(others, who)
    multisig = multi_account_id(signatories, threshold)
    call_len = 0
    if call is not None:
        encoded = ctx.runtime.call_codec.encode(call)
        call_hash, call_len = blake2_256(encoded), len(encoded)
    assert call_hash is not None
    s = len(others)
    m = Multisigs.try_get(ctx, multisig, call_hash)
    if m is None:
        if maybe_timepoint is not None:
            raise errors.UnexpectedTimepoint
        deposit = DEPOSIT_BASE + DEPOSIT_FACTOR * threshold
        balances.reserve(ctx, who, deposit)
        Multisigs.put(ctx, multisig, call_hash, {"when": _timepoint(ctx), "deposit": deposit, "depositor": who,
                                                "approvals": [who]})
        ctx.deposit_event(NewMultisig(who, multisig, call_hash))
        return PostDispatchInfo(actual_weight=create_weight(s, call_len))
    if maybe_timepoint is None:
        raise errors.NoTimepoint
    if dict(m["when"]) != dict(maybe_timepoint):
        raise errors.WrongTimepoint
    approvals = list(m["approvals"])
    count = len(approvals)
    needed = who not in approvals and count < threshold
    if needed:
        count += 1
    if call is not None and count >= threshold:
        if not nested.call_info(call).weight.all_lte(max_weight):
            raise errors.MaxWeightTooLow
        # storage is cleaned up before the call runs, so the call cannot re-enter this operation
        Multisigs.kill(ctx, multisig, call_hash)
        balances.unreserve(ctx, m["depositor"], m["deposit"])
        post, error = nested.dispatch(ctx, Origin.signed(multisig), call)
        ctx.deposit_event(MultisigExecuted(who, m["when"], multisig, call_hash, nested.result_value(ctx, error)))
        used = nested.reported_weight(post, error)
        return PostDispatchInfo(actual_weight=None if used is None else complete_weight(s, call_len) + used)
    if not needed:
        raise errors.AlreadyApproved
    approvals.append(who)
    approvals.sort()
    Multisigs.put(ctx, multisig, call_hash, {**m, "approvals": approvals})
    ctx.deposit_event(MultisigApproval(who, m["when"], multisig, call_hash))
    return PostDispatchInfo(actual_weight=approve_weight(s, call_len))


# -- calls --------------------------------------------------------------------------------------------

calls = PalletCalls(CRATE)
_OTHERS = Annotated[list[bytes], Vec(AccountId32), "Vec<T::AccountId>"]
_CALL = Annotated[Any, RuntimeCallRef, "Box<<T as Config>::RuntimeCall>"]
_THRESHOLD = Annotated[int, U16, "u16"]
_MAYBE_TIMEPOINT = Annotated[dict | None, Option(Timepoint), "Option<Timepoint<BlockNumberFor<T>>>"]
_TIMEPOINT_ARG = Annotated[dict, Timepoint, "Timepoint<BlockNumberFor<T>>"]
_HASH_ARG = Annotated[bytes, CallHash, "[u8; 32]"]
_WEIGHT = Annotated[Weight, Weight.SCALE, "Weight"]  # type: ignore[attr-defined]


def _encoded_len(call: Any) -> int:
    return len(RuntimeCallRef.encode(call))


def _threshold_1_weight(args: dict[str, Any]) -> Weight:
    inner = nested.call_info(args["call"]).weight
    return threshold_1_weight(_encoded_len(args["call"])) + benchmarked(0, 0, reads=1, writes=1) + inner


@calls.call(0, weight=_threshold_1_weight)
def as_multi_threshold_1(ctx: Context, origin: Origin, other_signatories: _OTHERS, call: _CALL) -> PostDispatchInfo:
    """Immediately dispatch a multi-signature call using a single approval from the caller; the result is
    the dispatched call's."""
    who = ensure_signed(origin)
    signatories = _signatories(list(other_signatories), who)
    multisig = multi_account_id(signatories, 1)
    call_len = len(ctx.runtime.call_codec.encode(call))
    post, error = nested.dispatch(ctx, Origin.signed(multisig), call)
    used = nested.reported_weight(post, error)
    if error is not None:
        raise error if used is None else nested.with_post_info(error, threshold_1_weight(call_len) + used)
    return PostDispatchInfo(actual_weight=None if used is None else threshold_1_weight(call_len) + used)


def _as_multi_weight(args: dict[str, Any]) -> Weight:
    s, z = len(args["other_signatories"]), _encoded_len(args["call"])
    return _max(create_weight(s, z), approve_weight(s, z), complete_weight(s, z)) + args["max_weight"]


@calls.call(1, weight=_as_multi_weight)
def as_multi(ctx: Context, origin: Origin, threshold: _THRESHOLD, other_signatories: _OTHERS,
             maybe_timepoint: _MAYBE_TIMEPOINT, call: _CALL, max_weight: _WEIGHT) -> PostDispatchInfo:
    """Approve a dispatch from the composite account of ``threshold`` among the signatories and, if this
    approval reaches the threshold, dispatch it (its result is in ``MultisigExecuted``)."""
    who = ensure_signed(origin)
    return _operate(ctx, who, threshold, list(other_signatories), maybe_timepoint, call, None, max_weight)


def _approve_weight(args: dict[str, Any]) -> Weight:
    s = len(args["other_signatories"])
    return _max(approve_hash_create_weight(s), approve_hash_approve_weight(s)) + args["max_weight"]


@calls.call(2, weight=_approve_weight)
def approve_as_multi(ctx: Context, origin: Origin, threshold: _THRESHOLD, other_signatories: _OTHERS,
                     maybe_timepoint: _MAYBE_TIMEPOINT, call_hash: _HASH_ARG, max_weight: _WEIGHT) -> PostDispatchInfo:
    """Approve a dispatch by the hash of its call (the final approval must use ``as_multi``)."""
    who = ensure_signed(origin)
    return _operate(ctx, who, threshold, list(other_signatories), maybe_timepoint, None, bytes(call_hash),
                    max_weight)


@calls.call(3, weight=lambda args: cancel_weight(len(args["other_signatories"])))
def cancel_as_multi(ctx: Context, origin: Origin, threshold: _THRESHOLD, other_signatories: _OTHERS,
                    timepoint: _TIMEPOINT_ARG, call_hash: _HASH_ARG) -> None:
    """The depositor cancels an operation underway; its deposit is returned."""
    who = ensure_signed(origin)
    multisig, m = _open_operation(ctx, who, threshold, list(other_signatories), bytes(call_hash))
    if dict(m["when"]) != dict(timepoint):
        raise errors.WrongTimepoint
    if m["depositor"] != who:
        raise errors.NotOwner
    balances.unreserve(ctx, m["depositor"], m["deposit"])
    Multisigs.kill(ctx, multisig, bytes(call_hash))
    ctx.deposit_event(MultisigCancelled(who, timepoint, multisig, bytes(call_hash)))


@calls.call(4, weight=lambda args: cancel_weight(len(args["other_signatories"])))
def poke_deposit(ctx: Context, origin: Origin, threshold: _THRESHOLD, other_signatories: _OTHERS,
                 call_hash: _HASH_ARG) -> PostDispatchInfo:
    """The depositor re-reserves an operation's deposit at the current rates (free when it changes)."""
    who = ensure_signed(origin)
    multisig, m = _open_operation(ctx, who, threshold, list(other_signatories), bytes(call_hash))
    if m["depositor"] != who:
        raise errors.NotOwner
    new, old = DEPOSIT_BASE + DEPOSIT_FACTOR * threshold, m["deposit"]
    if new == old:
        return PostDispatchInfo(pays_fee=Pays.Yes)
    if new > old:
        balances.reserve(ctx, who, new - old)
    else:
        balances.unreserve(ctx, who, old - new)
    Multisigs.put(ctx, multisig, bytes(call_hash), {**m, "deposit": new})
    ctx.deposit_event(DepositPoked(who, bytes(call_hash), old, new))
    return PostDispatchInfo(pays_fee=Pays.No)


# -- constants, pallet ----------------------------------------------------------------------------------

CONSTANTS = (
    ConstantDef("DepositBase", TaoBalance, DEPOSIT_BASE, (
        " The base amount of currency needed to reserve for creating a multisig execution or to",
        " store a dispatch call for later.")),
    ConstantDef("DepositFactor", TaoBalance, DEPOSIT_FACTOR, (
        " The amount of currency needed per unit threshold when creating a multisig execution.",)),
    ConstantDef("MaxSignatories", U32, MAX_SIGNATORIES, (" The maximum amount of signatories allowed in the multisig.",)),
)

PALLET = Pallet("Multisig", storage=storage, calls=calls, events=events, errors=errors, constants=CONSTANTS)
