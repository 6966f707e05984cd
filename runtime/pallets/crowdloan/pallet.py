"""pallet_crowdloan (index 27): raise TAO up to a cap, then pay a target address or dispatch a call.

A creator opens a crowdloan with a deposit (at least ``MinimumDeposit``), a per-contribution minimum, a
cap and an end block, and exactly one way to finalize: a ``target_address`` that receives the funds, or
a runtime ``call`` dispatched with the creator's origin (``CurrentCrowdloanId`` is set while it runs, so
the call can find the funds). Contributions go to the crowdloan's own account (``bt/cloan`` sub-account)
until the cap or the end block; contributors may withdraw until it is finalized. Reaching the cap lets
the creator finalize; otherwise the creator refunds contributors (at most ``RefundContributorsLimit`` per
call) and dissolves it, getting the deposit back.

Follows node-subtensor's ``pallets/crowdloan`` as of spec 461 (the ``AlreadyFinalizing`` guard and the
finalized flag set before the call runs). Two points are this runtime's own:

* ``FundsNotSettled`` (new at spec 461): after a call-route finalize the crowdloan account must be empty,
  i.e. the dispatched call spent the raised funds. The reference code of that check was not available;
  a call that fails (its changes are rolled back, so the funds stay) or leaves funds behind makes the
  whole finalize fail with ``FundsNotSettled``, which is what the reference's test of it shows.
* Calls are stored preimage-``Bounded``. A call of at most 128 encoded bytes is stored inline, as the
  reference does; a larger one would need the Preimage pallet, which this runtime does not have, so
  ``create`` refuses it with ``CallUnavailable``.
"""

from __future__ import annotations

from typing import Annotated, Any

from runtime.pallets import balances
from runtime.pallets.balances.types import CompactBalance
from runtime.pallets.crowdloan.types import CROWDLOAN_PALLET_ID, INLINE_LIMIT, CrowdloanInfo, funds_account
from runtime.pallets.subtensor.types import BoundedVec, PalletId
from runtime.pallets.system import accounts as system_accounts
from runtime.pallets.utility import nested
from runtime.primitives.hashing import Hasher
from runtime.primitives.types import AccountId32, TaoBalance
from runtime.scale import U8, U32, Bool, CompactU32, DecodeError, Option
from runtime.support.context import Context
from runtime.support.dispatch import Origin, PostDispatchInfo, Weight, benchmarked, ensure_signed
from runtime.support.outer import RuntimeCallRef
from runtime.support.pallet import ConstantDef, Pallet, PalletCalls, PalletErrors, PalletEvents
from runtime.support.storage import PalletStorage

CRATE = "pallet_crowdloan"

MINIMUM_DEPOSIT = 10_000_000_000  # 10 TAO
ABSOLUTE_MINIMUM_CONTRIBUTION = 100_000_000  # 0.1 TAO
MINIMUM_BLOCK_DURATION = 50  # the fast (localnet) runtime's: 7 days (50,400) in production
MAXIMUM_BLOCK_DURATION = 20_000  # 60 days (432,000) in production
REFUND_CONTRIBUTORS_LIMIT = 50
MAX_CONTRIBUTORS = 500


CREATE_WEIGHT = benchmarked(59_829_000, 6148, 3, 5)
CONTRIBUTE_WEIGHT = benchmarked(66_609_000, 6148, 5, 4)
WITHDRAW_WEIGHT = benchmarked(60_259_000, 6148, 4, 4)
FINALIZE_WEIGHT = benchmarked(31_507_000, 4_197_809, 4, 2)
DISSOLVE_WEIGHT = benchmarked(66_939_000, 6148, 4, 5)
UPDATE_MIN_CONTRIBUTION_WEIGHT = benchmarked(13_259_000, 3747, 2, 1)
UPDATE_END_WEIGHT = benchmarked(12_048_000, 3747, 1, 1)
UPDATE_CAP_WEIGHT = benchmarked(11_357_000, 3747, 1, 1)
SET_MAX_CONTRIBUTION_WEIGHT = benchmarked(16_024_000, 3747, 2, 1)


def refund_weight(k: int) -> Weight:
    """The reference's ``refund(k)`` benchmark: a base plus two reads, two writes and a transfer per
    contributor refunded."""
    return benchmarked(110_703_000 + 39_503_253 * k, 3747 + 2579 * k, reads=2 + 2 * k, writes=2 * k)


# -- storage ------------------------------------------------------------------------------------------

storage = PalletStorage("Crowdloan")
_ID_KEY = (Hasher.Twox64Concat, U32)

Crowdloans = storage.map("Crowdloans", [_ID_KEY], CrowdloanInfo, docs=[
    " A map of crowdloan ids to their information."])
NextCrowdloanId = storage.value("NextCrowdloanId", U32, default=0, docs=[" The next incrementing crowdloan id."])
Contributions = storage.map("Contributions", [_ID_KEY, (Hasher.Identity, AccountId32)], TaoBalance, docs=[
    " A map of crowdloan ids to their contributors and their contributions."])
MaxContributions = storage.map("MaxContributions", [_ID_KEY], TaoBalance, docs=[
    " A map of crowdloan ids to their optional maximum cumulative contribution per contributor."])
CurrentCrowdloanId = storage.value("CurrentCrowdloanId", U32, docs=[
    " The current crowdloan id that will be set during the finalize call, making it",
    " temporarily accessible to the dispatched call."])
HasMigrationRun = storage.map("HasMigrationRun", [(Hasher.Identity, BoundedVec(U8))], Bool, default=False,
                              docs=[" Storage for the migration run status."])

# -- events, errors -----------------------------------------------------------------------------------

events = PalletEvents("Crowdloan", CRATE)
_CID = ("crowdloan_id", U32, "CrowdloanId")
_BALANCE = TaoBalance
Created = events.event(0, "Created", [_CID, ("creator", AccountId32, "T::AccountId"), ("end", U32, "BlockNumberFor<T>"),
                                      ("cap", _BALANCE, "BalanceOf<T>")], [" A crowdloan was created."])
Contributed = events.event(1, "Contributed", [_CID, ("contributor", AccountId32, "T::AccountId"),
                                              ("amount", _BALANCE, "BalanceOf<T>")],
                           [" A contribution was made to an active crowdloan."])
Withdrew = events.event(2, "Withdrew", [_CID, ("contributor", AccountId32, "T::AccountId"),
                                        ("amount", _BALANCE, "BalanceOf<T>")],
                        [" A contribution was withdrawn from a failed crowdloan."])
PartiallyRefunded = events.event(3, "PartiallyRefunded", [_CID],
                                 [" A refund was partially processed for a failed crowdloan."])
AllRefunded = events.event(4, "AllRefunded", [_CID], [" A refund was fully processed for a failed crowdloan."])
Finalized = events.event(5, "Finalized", [_CID],
                         [" A crowdloan was finalized, funds were transferred and the call was dispatched."])
Dissolved = events.event(6, "Dissolved", [_CID], [" A crowdloan was dissolved."])
MinContributionUpdated = events.event(7, "MinContributionUpdated", [
    _CID, ("new_min_contribution", _BALANCE, "BalanceOf<T>")], [" The minimum contribution was updated."])
EndUpdated = events.event(8, "EndUpdated", [_CID, ("new_end", U32, "BlockNumberFor<T>")], [" The end was updated."])
CapUpdated = events.event(9, "CapUpdated", [_CID, ("new_cap", _BALANCE, "BalanceOf<T>")], [" The cap was updated."])
MaxContributionUpdated = events.event(10, "MaxContributionUpdated", [
    _CID, ("new_max_contribution", Option(_BALANCE), "Option<BalanceOf<T>>")],
    [" The maximum contribution was updated."])

errors = PalletErrors("Crowdloan", CRATE, [
    ("DepositTooLow", "The crowdloan initial deposit is too low."),
    ("CapTooLow", "The crowdloan cap is too low."),
    ("MinimumContributionTooLow", "The minimum contribution is too low."),
    ("CannotEndInPast", "The crowdloan cannot end in the past."),
    ("BlockDurationTooShort", "The crowdloan block duration is too short."),
    ("BlockDurationTooLong", "The block duration is too long."),
    ("InsufficientBalance", "The account does not have enough balance to pay for the initial deposit/contribution."),
    ("Overflow", "An overflow occurred."),
    ("InvalidCrowdloanId", "The crowdloan id is invalid."),
    ("CapRaised", "The crowdloan cap has been fully raised."),
    ("ContributionPeriodEnded", "The contribution period has ended."),
    ("ContributionTooLow", "The contribution is too low."),
    ("InvalidOrigin", "The origin of this call is invalid."),
    ("AlreadyFinalized", "The crowdloan has already been finalized."),
    ("AlreadyFinalizing", "A crowdloan is being finalized (a finalize inside another's call)."),
    ("ContributionPeriodNotEnded", "The crowdloan contribution period has not ended yet."),
    ("NoContribution", "The contributor has no contribution for this crowdloan."),
    ("CapNotRaised", "The crowdloan cap has not been raised."),
    ("Underflow", "An underflow occurred."),
    ("CallUnavailable", "Call to dispatch was not found in the preimage storage."),
    ("NotReadyToDissolve", "The crowdloan is not ready to be dissolved, it still has contributions."),
    ("DepositCannotBeWithdrawn", "The deposit cannot be withdrawn from the crowdloan."),
    ("MaxContributorsReached", "The maximum number of contributors has been reached."),
    ("InvalidFinalizationConfig", "Exactly one of call or target address must be provided."),
    ("MaxContributionReached", "The contributor has already reached the maximum contribution."),
    ("MaximumContributionTooLow", "The maximum contribution is too low."),
    ("MinimumContributionTooHigh", "The minimum contribution is too high."),
    ("FundsNotSettled", "The finalize call left raised funds in the crowdloan account."),
])

# -- calls --------------------------------------------------------------------------------------------

calls = PalletCalls(CRATE)
_AMOUNT = Annotated[int, CompactBalance, "BalanceOf<T>"]
_ID = Annotated[int, CompactU32, "CrowdloanId"]
_BLOCK = Annotated[int, CompactU32, "BlockNumberFor<T>"]
_OPTIONAL_CALL = Annotated[Any, Option(RuntimeCallRef), "Option<Box<<T as Config>::RuntimeCall>>"]
_OPTIONAL_ACCOUNT = Annotated[bytes | None, Option(AccountId32), "Option<T::AccountId>"]
_OPTIONAL_AMOUNT = Annotated[int | None, Option(TaoBalance), "Option<BalanceOf<T>>"]


def _create_weight(args: dict[str, Any]) -> Weight:
    call = args.get("call")
    return CREATE_WEIGHT if call is None else CREATE_WEIGHT + nested.call_info(call).weight


def _require(ctx: Context, crowdloan_id: int) -> dict[str, Any]:
    info = Crowdloans.try_get(ctx, crowdloan_id)
    if info is None:
        raise errors.InvalidCrowdloanId
    return dict(info)


def _ensure_creator(info: dict[str, Any], who: bytes) -> None:
    if who != info["creator"]:
        raise errors.InvalidOrigin


def _ensure_not_finalized(info: dict[str, Any]) -> None:
    if info["finalized"]:
        raise errors.AlreadyFinalized


def _ensure_valid_end(now: int, end: int) -> None:
    if now >= end:
        raise errors.CannotEndInPast
    if end - now < MINIMUM_BLOCK_DURATION:
        raise errors.BlockDurationTooShort
    if end - now > MAXIMUM_BLOCK_DURATION:
        raise errors.BlockDurationTooLong


def _move(ctx: Context, source: bytes, dest: bytes, amount: int) -> None:
    """``fungible::Mutate::transfer`` with ``Preservation::Expendable``."""
    balances.fungible_transfer(ctx, source, dest, amount, balances.EXPENDABLE)


def _bound(ctx: Context, call: Any) -> tuple[str, bytes]:
    """``StorePreimage::bound``: inline when it fits; larger calls need the Preimage pallet (absent)."""
    encoded = ctx.runtime.call_codec.encode(call)
    if len(encoded) > INLINE_LIMIT:
        raise errors.CallUnavailable
    return ("Inline", encoded)


def _peek(ctx: Context, bounded: Any) -> Any | None:
    """``QueryPreimage::peek``: the stored call, or None when it cannot be produced."""
    kind, value = bounded
    if kind != "Inline":
        return None  # a preimage by hash: no Preimage pallet here
    try:
        return ctx.runtime.call_codec.decode(bytes(value))
    except DecodeError:
        return None


@calls.call(0, weight=_create_weight)
def create(ctx: Context, origin: Origin, deposit: _AMOUNT, min_contribution: _AMOUNT, cap: _AMOUNT, end: _BLOCK,
           call: _OPTIONAL_CALL, target_address: _OPTIONAL_ACCOUNT) -> None:
    """Create a crowdloan that will raise funds up to a maximum cap and if successful, will either
    transfer funds to the target address or dispatch the call (using creator origin). Exactly one of
    call or target address must be provided."""
    creator = ensure_signed(origin)
    now = ctx.block_number
    if deposit < MINIMUM_DEPOSIT:
        raise errors.DepositTooLow
    if cap <= deposit:
        raise errors.CapTooLow
    if min_contribution < ABSOLUTE_MINIMUM_CONTRIBUTION:
        raise errors.MinimumContributionTooLow
    if (call is None) == (target_address is None):
        raise errors.InvalidFinalizationConfig
    _ensure_valid_end(now, end)
    if balances.free_balance(ctx, creator) < deposit:
        raise errors.InsufficientBalance
    crowdloan_id = NextCrowdloanId.get(ctx)
    if crowdloan_id >= 0xFFFF_FFFF:
        raise errors.Overflow
    NextCrowdloanId.put(ctx, crowdloan_id + 1)
    account = funds_account(crowdloan_id)
    system_accounts.inc_providers(ctx, account)
    info = {
        "creator": creator, "deposit": deposit, "min_contribution": min_contribution, "end": end, "cap": cap,
        "funds_account": account, "raised": deposit, "target_address": target_address,
        "call": None if call is None else _bound(ctx, call), "finalized": False, "contributors_count": 1,
    }
    Crowdloans.put(ctx, crowdloan_id, info)
    _move(ctx, creator, account, deposit)
    Contributions.put(ctx, crowdloan_id, creator, deposit)
    ctx.deposit_event(Created(crowdloan_id, creator, end, cap))


@calls.call(1, weight=CONTRIBUTE_WEIGHT)
def contribute(ctx: Context, origin: Origin, crowdloan_id: _ID, amount: _AMOUNT) -> None:
    """Contribute to an active crowdloan. A contribution that would raise the amount above the cap (or
    the contributor above the maximum contribution) is cut to what is left."""
    contributor = ensure_signed(origin)
    info = _require(ctx, crowdloan_id)
    if ctx.block_number >= info["end"]:
        raise errors.ContributionPeriodEnded
    if info["raised"] >= info["cap"]:
        raise errors.CapRaised
    if amount < info["min_contribution"]:
        raise errors.ContributionTooLow
    if info["contributors_count"] >= MAX_CONTRIBUTORS:
        raise errors.MaxContributorsReached
    left_to_raise = info["cap"] - info["raised"]
    current = Contributions.try_get(ctx, crowdloan_id, contributor)
    maximum = MaxContributions.try_get(ctx, crowdloan_id)
    if maximum is not None:
        if (current or 0) >= maximum:
            raise errors.MaxContributionReached
        amount = min(amount, maximum - (current or 0), left_to_raise)
    else:
        amount = min(amount, left_to_raise)
    info["raised"] += amount
    if info["raised"] > 0xFFFF_FFFF_FFFF_FFFF:
        raise errors.Overflow
    if current is None:
        info["contributors_count"] += 1
    contribution = (current or 0) + amount
    if balances.free_balance(ctx, contributor) < amount:
        raise errors.InsufficientBalance
    _move(ctx, contributor, info["funds_account"], amount)
    Contributions.put(ctx, crowdloan_id, contributor, contribution)
    Crowdloans.put(ctx, crowdloan_id, info)
    ctx.deposit_event(Contributed(crowdloan_id, contributor, amount))


@calls.call(2, weight=WITHDRAW_WEIGHT)
def withdraw(ctx: Context, origin: Origin, crowdloan_id: _ID) -> None:
    """Withdraw a contribution from a crowdloan that is not finalized; the creator can only withdraw what
    it contributed beyond the deposit."""
    who = ensure_signed(origin)
    info = _require(ctx, crowdloan_id)
    _ensure_not_finalized(info)
    amount = Contributions.try_get(ctx, crowdloan_id, who) or 0
    if amount == 0:
        raise errors.NoContribution
    if who == info["creator"]:
        amount = max(amount - info["deposit"], 0)
        if amount == 0:
            raise errors.DepositCannotBeWithdrawn
        Contributions.put(ctx, crowdloan_id, who, info["deposit"])
    else:
        Contributions.kill(ctx, crowdloan_id, who)
        if info["contributors_count"] == 0:
            raise errors.Underflow
        info["contributors_count"] -= 1
    _move(ctx, info["funds_account"], who, amount)
    info["raised"] = max(info["raised"] - amount, 0)
    Crowdloans.put(ctx, crowdloan_id, info)
    ctx.deposit_event(Withdrew(crowdloan_id, who, amount))


@calls.call(3, weight=FINALIZE_WEIGHT)
def finalize(ctx: Context, origin: Origin, crowdloan_id: _ID) -> None:
    """Finalize a crowdloan that has reached its cap: pay the target address, or dispatch the call with
    the creator's origin (``CurrentCrowdloanId`` set meanwhile), which must spend the raised funds."""
    who = ensure_signed(origin)
    info = _require(ctx, crowdloan_id)
    _ensure_creator(info, who)
    if info["raised"] != info["cap"]:
        raise errors.CapNotRaised
    _ensure_not_finalized(info)
    if CurrentCrowdloanId.exists(ctx):
        raise errors.AlreadyFinalizing
    info["finalized"] = True
    Crowdloans.put(ctx, crowdloan_id, info)
    call, target = info["call"], info["target_address"]
    if call is not None and target is None:
        CurrentCrowdloanId.put(ctx, crowdloan_id)
        stored = _peek(ctx, call)
        if stored is None:
            raise errors.CallUnavailable
        nested.dispatch(ctx, Origin.signed(who), stored)  # a failure is rolled back and leaves the funds
        if balances.free_balance(ctx, info["funds_account"]) > 0:
            raise errors.FundsNotSettled
        CurrentCrowdloanId.kill(ctx)
    elif target is not None and call is None:
        _move(ctx, info["funds_account"], target, info["raised"])
    else:
        raise errors.InvalidFinalizationConfig
    ctx.deposit_event(Finalized(crowdloan_id))


@calls.call(4, weight=refund_weight(REFUND_CONTRIBUTORS_LIMIT))
def refund(ctx: Context, origin: Origin, crowdloan_id: _ID) -> PostDispatchInfo | None:
    """Refund the contributors (but the creator) of a crowdloan that is not finalized, at most
    ``RefundContributorsLimit`` of them per call."""
    who = ensure_signed(origin)
    info = _require(ctx, crowdloan_id)
    _ensure_not_finalized(info)
    _ensure_creator(info, who)
    refunded: list[bytes] = []
    all_refunded = True
    for (_, contributor), amount in list(Contributions.iter(ctx, crowdloan_id)):
        if contributor == info["creator"]:
            continue
        if len(refunded) >= REFUND_CONTRIBUTORS_LIMIT:
            all_refunded = False
            break
        _move(ctx, info["funds_account"], contributor, amount)
        refunded.append(contributor)
        info["raised"] = max(info["raised"] - amount, 0)
    if info["contributors_count"] < len(refunded):
        raise errors.Underflow
    info["contributors_count"] -= len(refunded)
    Crowdloans.put(ctx, crowdloan_id, info)
    for contributor in refunded:
        Contributions.kill(ctx, crowdloan_id, contributor)
    if all_refunded:
        ctx.deposit_event(AllRefunded(crowdloan_id))
        return PostDispatchInfo(actual_weight=refund_weight(len(refunded)))
    ctx.deposit_event(PartiallyRefunded(crowdloan_id))
    return None


@calls.call(5, weight=DISSOLVE_WEIGHT)
def dissolve(ctx: Context, origin: Origin, crowdloan_id: _ID) -> None:
    """Dissolve a crowdloan that is not finalized and holds only the creator's contribution: the creator
    gets it back and the crowdloan is removed."""
    who = ensure_signed(origin)
    info = _require(ctx, crowdloan_id)
    _ensure_not_finalized(info)
    _ensure_creator(info, who)
    own = Contributions.try_get(ctx, crowdloan_id, info["creator"])
    if own is None:
        raise errors.NoContribution
    if own != info["raised"]:
        raise errors.NotReadyToDissolve
    _move(ctx, info["funds_account"], info["creator"], own)
    Contributions.kill(ctx, crowdloan_id, info["creator"])
    system_accounts.dec_providers(ctx, info["funds_account"])
    Crowdloans.kill(ctx, crowdloan_id)
    MaxContributions.kill(ctx, crowdloan_id)
    ctx.deposit_event(Dissolved(crowdloan_id))


def _update(ctx: Context, origin: Origin, crowdloan_id: int) -> dict[str, Any]:
    who = ensure_signed(origin)
    info = _require(ctx, crowdloan_id)
    _ensure_not_finalized(info)
    _ensure_creator(info, who)
    return info


@calls.call(6, weight=UPDATE_MIN_CONTRIBUTION_WEIGHT)
def update_min_contribution(ctx: Context, origin: Origin, crowdloan_id: _ID, new_min_contribution: _AMOUNT) -> None:
    """The creator changes the minimum contribution (not above a configured maximum contribution)."""
    info = _update(ctx, origin, crowdloan_id)
    if new_min_contribution < ABSOLUTE_MINIMUM_CONTRIBUTION:
        raise errors.MinimumContributionTooLow
    maximum = MaxContributions.try_get(ctx, crowdloan_id)
    if maximum is not None and new_min_contribution > maximum:
        raise errors.MinimumContributionTooHigh
    info["min_contribution"] = new_min_contribution
    Crowdloans.put(ctx, crowdloan_id, info)
    ctx.deposit_event(MinContributionUpdated(crowdloan_id, new_min_contribution))


@calls.call(7, weight=UPDATE_END_WEIGHT)
def update_end(ctx: Context, origin: Origin, crowdloan_id: _ID, new_end: _BLOCK) -> None:
    """The creator moves the end block (within the allowed duration from now)."""
    info = _update(ctx, origin, crowdloan_id)
    _ensure_valid_end(ctx.block_number, new_end)
    info["end"] = new_end
    Crowdloans.put(ctx, crowdloan_id, info)
    ctx.deposit_event(EndUpdated(crowdloan_id, new_end))


@calls.call(8, weight=UPDATE_CAP_WEIGHT)
def update_cap(ctx: Context, origin: Origin, crowdloan_id: _ID, new_cap: _AMOUNT) -> None:
    """The creator changes the cap (not below what is raised)."""
    info = _update(ctx, origin, crowdloan_id)
    if new_cap < info["raised"]:
        raise errors.CapTooLow
    info["cap"] = new_cap
    Crowdloans.put(ctx, crowdloan_id, info)
    ctx.deposit_event(CapUpdated(crowdloan_id, new_cap))


@calls.call(9, weight=SET_MAX_CONTRIBUTION_WEIGHT)
def set_max_contribution(ctx: Context, origin: Origin, crowdloan_id: _ID,
                         new_max_contribution: _OPTIONAL_AMOUNT) -> None:
    """The creator sets (at least the minimum contribution and its own contribution) or clears the
    maximum cumulative contribution per contributor."""
    info = _update(ctx, origin, crowdloan_id)
    if new_max_contribution is not None:
        own = Contributions.try_get(ctx, crowdloan_id, info["creator"]) or 0
        if new_max_contribution < info["min_contribution"] or new_max_contribution < own:
            raise errors.MaximumContributionTooLow
        MaxContributions.put(ctx, crowdloan_id, new_max_contribution)
    else:
        MaxContributions.kill(ctx, crowdloan_id)
    ctx.deposit_event(MaxContributionUpdated(crowdloan_id, new_max_contribution))


# -- constants, pallet ----------------------------------------------------------------------------------

CONSTANTS = (
    ConstantDef("PalletId", PalletId, CROWDLOAN_PALLET_ID,
                (" The pallet id that will be used to derive crowdloan account ids.",)),
    ConstantDef("MinimumDeposit", TaoBalance, MINIMUM_DEPOSIT,
                (" The minimum deposit required to create a crowdloan.",)),
    ConstantDef("AbsoluteMinimumContribution", TaoBalance, ABSOLUTE_MINIMUM_CONTRIBUTION,
                (" The absolute minimum contribution required to contribute to a crowdloan.",)),
    ConstantDef("MinimumBlockDuration", U32, MINIMUM_BLOCK_DURATION, (" The minimum block duration for a crowdloan.",)),
    ConstantDef("MaximumBlockDuration", U32, MAXIMUM_BLOCK_DURATION, (" The maximum block duration for a crowdloan.",)),
    ConstantDef("RefundContributorsLimit", U32, REFUND_CONTRIBUTORS_LIMIT,
                (" The maximum number of contributors that can be refunded in a single refund.",)),
    ConstantDef("MaxContributors", U32, MAX_CONTRIBUTORS, ()),
)

PALLET = Pallet("Crowdloan", storage=storage, calls=calls, events=events, errors=errors, constants=CONSTANTS)
