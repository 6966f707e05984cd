"""pallet_admin_utils (index 19): root's (and subnet owners') setters of SubtensorModule parameters.

Every call of node-subtensor's AdminUtils is declared with its index and argument types. The setters
write SubtensorModule storage and emit SubtensorModule's ``…Set`` event where the reference does (a few
emit AdminUtils' own events). Origins: ``root`` calls need Root (``Sudo.sudo`` provides it); "owner"
calls also accept the subnet owner's coldkey, rate-limited per hyperparameter and blocked during the
admin freeze window (see :mod:`.checks`); root is never rate-limited. Checks run in the reference's order,
so the first failing one decides the error.

Not carried out here (they raise, documented per call): ``sudo_trim_to_max_allowed_uids`` when neurons
would actually have to be pruned. ``sudo_set_nominator_min_required_stake`` stores the new minimum
but does not yet sweep existing nominations below it. ``sudo_set_evm_chain_id`` writes
``EVMChainId.ChainId`` directly (that pallet is not part of this runtime).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

from runtime.pallets import aura, grandpa
from runtime.pallets.admin_utils import checks
from runtime.pallets.admin_utils.checks import Limit, ensure_admin_window_open, owner_or_root_with_limits
from runtime.pallets.subtensor import errors as subtensor_errors
from runtime.pallets.subtensor import events as subtensor_events
from runtime.pallets.subtensor import storage as st
from runtime.pallets.subtensor.types import ROOT_NETUID, ConsensusMode, MechId, NetUid, PerU16, RecycleOrBurnEnum
from runtime.primitives.hashing import Hasher, twox128
from runtime.primitives.types import AccountId32, TaoBalance
from runtime.scale import I16, I64F64, I96F32, U8, U16, U32, U64, U64F64, Bool, Enum, Option, Vec, variant
from runtime.support.context import Context
from runtime.support.dispatch import DB_READ, DB_WRITE, DispatchClass, DispatchError, Origin, Weight, ensure_root
from runtime.support.pallet import Pallet, PalletCalls, PalletErrors, PalletEvents
from runtime.support.storage import PalletStorage

CRATE = "pallet_admin_utils"

GLOBAL_WEIGHT = Weight(5_000_000 + DB_WRITE, 0)
"""Root setters of one global item (one write)."""
SUBNET_WEIGHT = Weight(20_000_000 + 6 * DB_READ + 2 * DB_WRITE, 0)
"""Subnet setters: origin, owner, rate limit, tempo/epoch and existence reads; the value and the stamp."""

DEFAULT_MAX_ALLOWED_UIDS = 256
MAX_BONDS_MOVING_AVERAGE = 975_000
MIN_BURN_UPPER_BOUND = 1_000_000_000
MAX_BURN_LOWER_BOUND = 100_000_000
MAX_BURN_HALF_LIFE = 36_100
MAX_COLLATERAL_LOCK_SHARE = 62_258
"""95% of ``u16::MAX``: the burned share of a registration price stays positive."""
MAX_COLLATERAL_DRAIN_RATIO = U64F64.from_int(10)
MIN_ACTIVITY_CUTOFF_FACTOR_MILLI, MAX_ACTIVITY_CUTOFF_FACTOR_MILLI = 1_000, 50_000
MIN_TEMPO, MAX_TEMPO = 360, 50_400
MIN_REVEAL_PERIOD, MAX_REVEAL_PERIOD = 1, 100
MIN_IMMUNE_OWNER_UIDS, MAX_IMMUNE_OWNER_UIDS = 1, 10
MAX_MECHANISM_COUNT_PER_SUBNET = 16
MIN_ALPHA = 0xFFFF // 40
SUBTENSOR_PALLET_ID = b"subtensr"

# -- storage, events, errors -----------------------------------------------------------------------------

PrecompileEnum = Enum("pallet_admin_utils::pallet::PrecompileEnum", [variant(name, index) for index, name in enumerate((
    "BalanceTransfer", "Staking", "Subnet", "Metagraph", "Neuron", "UidLookup", "Alpha", "Crowdloan", "Proxy",
    "Leasing", "AddressMapping", "VotingPower", "AccountBalance", "Scheduler", "Drand", "Timestamp",
    "RuntimeConfiguration", "PrecompileRegistry"))])

storage = PalletStorage("AdminUtils")
PrecompileEnable = storage.map("PrecompileEnable", [(Hasher.Blake2_128Concat, PrecompileEnum)], Bool, default=True,
                               docs=[" Map PrecompileEnum --> enabled"])

EVM_CHAIN_ID_KEY = twox128(b"EVMChainId") + twox128(b"ChainId")
"""``EVMChainId.ChainId`` (u64), which ``sudo_set_evm_chain_id`` writes."""

events = PalletEvents("AdminUtils", CRATE)
_NETUID = ("netuid", NetUid, "NetUid")
_ENABLED = ("enabled", Bool, "bool")
_CAP = ("cap", U16, "u16")
PrecompileUpdated = events.event(0, "PrecompileUpdated", [("precompile_id", PrecompileEnum, "PrecompileEnum"), _ENABLED],
                                 [" Event emitted when a precompile operation is updated."])
Yuma3EnableToggled = events.event(1, "Yuma3EnableToggled", [_NETUID, _ENABLED],
                                  [" Event emitted when the Yuma3 enable is toggled."])
BondsResetToggled = events.event(2, "BondsResetToggled", [_NETUID, _ENABLED],
                                 [" Event emitted when Bonds Reset is toggled."])
BurnHalfLifeSet = events.event(3, "BurnHalfLifeSet", [_NETUID, ("burn_half_life", U16, "u16")],
                               [" Event emitted when the burn half-life parameter is set for a subnet."])
BurnIncreaseMultSet = events.event(4, "BurnIncreaseMultSet", [_NETUID, ("burn_increase_mult", U64F64, "U64F64")],
                                   [" Event emitted when the burn increase multiplier is set for a subnet."])
SubnetEmissionEnabledSet = events.event(5, "SubnetEmissionEnabledSet", [_NETUID, _ENABLED], [
    " Pool-side subnet emission injections and chain buys were enabled or disabled."])
CollateralLockShareSet = events.event(6, "CollateralLockShareSet", [_NETUID, ("lock_share", U16, "u16")], [
    " Event emitted when the miner collateral lock share is set for a subnet."])
CollateralDrainRatioSet = events.event(7, "CollateralDrainRatioSet", [_NETUID, ("drain_ratio", U64F64, "U64F64")], [
    " Event emitted when the miner collateral drain ratio is set for a subnet."])
BasketConcentrationCapSet = events.event(8, "BasketConcentrationCapSet", [_CAP], [
    " The basket concentration cap (`BasketConcentrationCap`) was set."])
BasketTradingToggled = events.event(9, "BasketTradingToggled", [_ENABLED], [
    " Validator basket trading (`swap_basket`) was enabled or disabled network-wide."])
BasketTradingFrozenSet = events.event(10, "BasketTradingFrozenSet", [
    ("hotkey", AccountId32, "T::AccountId"), ("frozen", Bool, "bool")],
    [" Basket trading was frozen or unfrozen for one validator hotkey."])
BasketDailyTurnoverCapSet = events.event(11, "BasketDailyTurnoverCapSet", [_CAP], [
    " The basket daily turnover budget (`BasketDailyTurnoverCap`) was set."])
BasketLiquidityCapSet = events.event(12, "BasketLiquidityCapSet", [_CAP], [
    " The basket liquidity cap (`BasketLiquidityCap`) was set."])

errors = PalletErrors("AdminUtils", CRATE, [
    ("SubnetDoesNotExist", "The subnet does not exist, check the netuid parameter"),
    ("MaxValidatorsLargerThanMaxUIds", "The maximum number of subnet validators must be less than the maximum number "
                                       "of allowed UIDs in the subnet."),
    ("MaxAllowedUIdsLessThanCurrentUIds", "The maximum number of subnet validators must be more than the current "
                                          "number of UIDs already in the subnet."),
    ("BondsMovingAverageMaxReached", "The maximum value for bonds moving average is reached"),
    ("NegativeSigmoidSteepness", "Only root can set negative sigmoid steepness values"),
    ("ValueNotInBounds", "Value not in allowed bounds."),
    ("MinAllowedUidsGreaterThanCurrentUids", "The minimum allowed UIDs must be less than the current number of UIDs in "
                                             "the subnet."),
    ("MinAllowedUidsGreaterThanMaxAllowedUids", "The minimum allowed UIDs must be less than the maximum allowed UIDs."),
    ("MaxAllowedUidsLessThanMinAllowedUids", "The maximum allowed UIDs must be greater than the minimum allowed UIDs."),
    ("MaxAllowedUidsGreaterThanDefaultMaxAllowedUids", "The maximum allowed UIDs must be less than the default maximum "
                                                       "allowed UIDs."),
    ("InvalidValue", "Bad parameter value"),
    ("NotPermittedOnRootSubnet", "Operation is not permitted on the root network."),
    ("POWRegistrationDisabled", "POW Registration has been deprecated"),
    ("Deprecated", "Call is deprecated"),
    ("CollateralLockShareTooHigh", "The collateral lock share exceeds the settable maximum (95% of the registration "
                                   "price)."),
    ("CollateralDrainRatioOutOfBounds", "The collateral drain ratio must be positive and at most the settable maximum."),
    ("GrandpaChangeDelayMustBeZero", "GRANDPA changes must take effect at the end of the current block."),
])

_SUBTENSOR_EVENTS = {e.name: e for e in subtensor_events.events}


def _emit(ctx: Context, name: str, *args: Any) -> None:
    """Deposit SubtensorModule's event ``name``."""
    ctx.deposit_event(_SUBTENSOR_EVENTS[name](*args))


def _ensure_subnet(ctx: Context, netuid: int) -> None:
    if not checks.subnet_exists(ctx, netuid):
        raise errors.SubnetDoesNotExist


def _ensure_not_root_subnet(netuid: int) -> None:
    if netuid == ROOT_NETUID:
        raise errors.NotPermittedOnRootSubnet


def _fixed_between(value: Any, low: Any, high: Any) -> bool:
    return bool(low.bits <= value.bits <= high.bits)


# -- argument annotations ----------------------------------------------------------------------------------

NetUidArg = Annotated[int, NetUid, "NetUid"]
U8Arg = Annotated[int, U8, "u8"]
U16Arg = Annotated[int, U16, "u16"]
U32Arg = Annotated[int, U32, "u32"]
U64Arg = Annotated[int, U64, "u64"]
I16Arg = Annotated[int, I16, "i16"]
BoolArg = Annotated[bool, Bool, "bool"]
BalanceArg = Annotated[int, TaoBalance, "TaoBalance"]
TakeArg = Annotated[int, PerU16, "PerU16"]
BlockArg = Annotated[int, U32, "BlockNumberFor<T>"]
MechIdArg = Annotated[int, MechId, "MechId"]
U64F64Arg = Annotated[Any, U64F64, "U64F64"]
AccountArg = Annotated[bytes, AccountId32, "T::AccountId"]

calls = PalletCalls(CRATE)
call = calls.call


# -- the simple shapes, generated --------------------------------------------------------------------------


def _root_global(index: int, name: str, arg: str, annotation: Any, item: Any, event: str | None,
                 doc: str) -> None:
    """A root-only setter of one global item (and its SubtensorModule event)."""

    def setter(ctx: Context, origin: Origin, **kwargs: Any) -> None:
        ensure_root(origin)
        value = kwargs[arg]
        item.put(ctx, value)
        if event is not None:
            _emit(ctx, event, value)

    _register(index, name, [(arg, annotation)], setter, doc, GLOBAL_WEIGHT)


def _register(index: int, name: str, args: list[tuple[str, Any]], body: Callable[..., None], doc: str,
              weight: Weight, dispatch_class: DispatchClass = DispatchClass.Normal) -> None:
    """Declare ``body`` as call ``name`` with the given (name, annotation) arguments."""
    import inspect

    params = [inspect.Parameter("ctx", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=Context),
              inspect.Parameter("origin", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=Origin)]
    params += [inspect.Parameter(a, inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=t) for a, t in args]

    def function(ctx: Context, origin: Origin, **kwargs: Any) -> None:
        body(ctx, origin, **kwargs)

    function.__name__ = name
    function.__doc__ = doc
    function.__signature__ = inspect.Signature(params)  # type: ignore[attr-defined]
    function.__annotations__ = {a: t for a, t in args} | {"ctx": Context, "origin": Origin, "return": None}
    call(index, weight=weight, dispatch_class=dispatch_class)(function)
    globals()[name] = function


def _subnet_setter(index: int, name: str, arg: str, annotation: Any, item: Any, event: str | None, doc: str, *,
                   owner: str | Limit | None, window: bool, exists: bool = True,
                   check: Callable[[Context, int, Any, bytes | None], None] | None = None,
                   record_first: bool = False) -> None:
    """A per-subnet setter: root, or (when ``owner`` names a rate limit) the subnet owner too.

    Order as the reference: origin (and the owner's rate limit), freeze window, subnet existence, the
    value ``check``, the write and its event, then the owner's rate-limit stamp.
    """
    limit = Limit.hparam(owner) if isinstance(owner, str) else owner

    def setter(ctx: Context, origin: Origin, netuid: int, **kwargs: Any) -> None:
        value = kwargs[arg]
        if limit is None:
            ensure_root(origin)
            maybe_owner = None
        else:
            maybe_owner = owner_or_root_with_limits(ctx, origin, netuid, limit)
        if window:
            ensure_admin_window_open(ctx, netuid)
        if exists:
            _ensure_subnet(ctx, netuid)
        if check is not None:
            check(ctx, netuid, value, maybe_owner)
        if record_first and limit is not None:
            checks.record_owner(ctx, maybe_owner, netuid, limit)
        item.put(ctx, netuid, value)
        if event is not None:
            _emit(ctx, event, netuid, value)
        if not record_first and limit is not None:
            checks.record_owner(ctx, maybe_owner, netuid, limit)

    _register(index, name, [("netuid", NetUidArg), (arg, annotation)], setter, doc, SUBNET_WEIGHT)


# -- value checks -----------------------------------------------------------------------------------------


def _check_max_allowed_uids(ctx: Context, netuid: int, value: int, _owner: bytes | None) -> None:
    if value < st.MinAllowedUids.get(ctx, netuid):
        raise errors.MaxAllowedUidsLessThanMinAllowedUids
    if st.SubnetworkN.get(ctx, netuid) > value:
        raise errors.MaxAllowedUIdsLessThanCurrentUIds
    if value > DEFAULT_MAX_ALLOWED_UIDS:
        raise errors.MaxAllowedUidsGreaterThanDefaultMaxAllowedUids
    _ensure_max_uids_over_mechanisms(value, st.MechanismCountCurrent.get(ctx, netuid))


def _ensure_max_uids_over_mechanisms(max_uids: int, mechanisms: int) -> None:
    if min(max_uids * mechanisms, 0xFFFF) > DEFAULT_MAX_ALLOWED_UIDS:
        raise subtensor_errors.TooManyUIDsPerMechanism


def _check_activity_cutoff(ctx: Context, _netuid: int, value: int, _owner: bytes | None) -> None:
    if value < st.MinActivityCutoff.get(ctx):
        raise subtensor_errors.ActivityCutoffTooLow


def _check_min_burn(ctx: Context, netuid: int, value: int, _owner: bytes | None) -> None:
    if value >= MIN_BURN_UPPER_BOUND or value >= st.MaxBurn.get(ctx, netuid):
        raise errors.ValueNotInBounds


def _check_max_burn(ctx: Context, netuid: int, value: int, _owner: bytes | None) -> None:
    if value <= MAX_BURN_LOWER_BOUND or value <= st.MinBurn.get(ctx, netuid):
        raise errors.ValueNotInBounds


def _check_max_validators(ctx: Context, netuid: int, value: int, _owner: bytes | None) -> None:
    if value > st.MaxAllowedUids.get(ctx, netuid):
        raise errors.MaxValidatorsLargerThanMaxUIds


def _check_childkey_take(ctx: Context, _netuid: int, value: int, _owner: bytes | None) -> None:
    if not st.MinChildkeyTake.get(ctx) <= value <= st.MaxChildkeyTake.get(ctx):
        raise errors.InvalidValue


def _check_reveal_period(_ctx: Context, _netuid: int, value: int, _owner: bytes | None) -> None:
    if value > MAX_REVEAL_PERIOD:
        raise subtensor_errors.RevealPeriodTooLarge
    if value < MIN_REVEAL_PERIOD:
        raise subtensor_errors.RevealPeriodTooSmall


def _check_min_allowed_uids(ctx: Context, netuid: int, value: int, _owner: bytes | None) -> None:
    if value >= st.MaxAllowedUids.get(ctx, netuid):
        raise errors.MinAllowedUidsGreaterThanMaxAllowedUids
    if value >= st.SubnetworkN.get(ctx, netuid):
        raise errors.MinAllowedUidsGreaterThanCurrentUids


# -- declarations, in the reference's order ------------------------------------------------------------------


@call(0, weight=lambda args: Weight(5_000_000 + 2_000_000 * len(args["new_authorities"]) + DB_WRITE, 0))
def swap_authorities(ctx: Context, origin: Origin,
                     new_authorities: Annotated[list[bytes], aura.AuthorityList,
                                                "BoundedVec<<T as Config>::AuthorityId, T::MaxAuthorities>"]) -> None:
    """The extrinsic sets the new authorities for Aura consensus.
    It is only callable by the root account.
    The extrinsic will call the Aura pallet to change the authorities."""
    ensure_root(origin)
    aura.change_authorities(ctx, [bytes(k) for k in new_authorities])


_root_global(1, "sudo_set_default_take", "default_take", TakeArg, st.MaxDelegateTake, "MaxDelegateTakeSet",
             "The extrinsic sets the default take for the network.")
_root_global(2, "sudo_set_tx_rate_limit", "tx_rate_limit", U64Arg, st.TxRateLimit, "TxRateLimitSet",
             "The extrinsic sets the transaction rate limit for the network.")
_subnet_setter(3, "sudo_set_serving_rate_limit", "serving_rate_limit", U64Arg, st.ServingRateLimit,
               "ServingRateLimitSet", "The extrinsic sets the serving rate limit for a subnet.",
               owner="ServingRateLimit", window=True, exists=False)
_subnet_setter(4, "sudo_set_min_difficulty", "min_difficulty", U64Arg, st.MinDifficulty, "MinDifficultySet",
               "The extrinsic sets the minimum difficulty for a subnet.", owner=None, window=True)
_subnet_setter(5, "sudo_set_max_difficulty", "max_difficulty", U64Arg, st.MaxDifficulty, "MaxDifficultySet",
               "The extrinsic sets the maximum difficulty for a subnet.", owner="MaxDifficulty", window=True)
_subnet_setter(6, "sudo_set_weights_version_key", "weights_version_key", U64Arg, st.WeightsVersionKey,
               "WeightsVersionKeySet", "The extrinsic sets the weights version key for a subnet.",
               owner=checks.SET_WEIGHTS_VERSION_KEY, window=True, record_first=True)
_subnet_setter(7, "sudo_set_weights_set_rate_limit", "weights_set_rate_limit", U64Arg, st.WeightsSetRateLimit,
               "WeightsSetRateLimitSet", "The extrinsic sets the weights set rate limit for a subnet.",
               owner=None, window=False)
_subnet_setter(8, "sudo_set_adjustment_interval", "adjustment_interval", U16Arg, st.AdjustmentInterval,
               "AdjustmentIntervalSet", "The extrinsic sets the adjustment interval for a subnet.",
               owner=None, window=False)
_subnet_setter(9, "sudo_set_adjustment_alpha", "adjustment_alpha", U64Arg, st.AdjustmentAlpha, "AdjustmentAlphaSet",
               "The extrinsic sets the adjustment alpha for a subnet.", owner="AdjustmentAlpha", window=True)
_subnet_setter(13, "sudo_set_immunity_period", "immunity_period", U16Arg, st.ImmunityPeriod, "ImmunityPeriodSet",
               "The extrinsic sets the immunity period for a subnet.", owner="ImmunityPeriod", window=True)
_subnet_setter(14, "sudo_set_min_allowed_weights", "min_allowed_weights", U16Arg, st.MinAllowedWeights,
               "MinAllowedWeightSet", "The extrinsic sets the minimum allowed weights for a subnet.",
               owner="MinAllowedWeights", window=True)
_subnet_setter(15, "sudo_set_max_allowed_uids", "max_allowed_uids", U16Arg, st.MaxAllowedUids, "MaxAllowedUidsSet",
               "The extrinsic sets the maximum allowed UIDs for a subnet.", owner="MaxAllowedUids", window=True,
               check=_check_max_allowed_uids)
_subnet_setter(16, "sudo_set_kappa", "kappa", U16Arg, st.Kappa, "KappaSet",
               "The extrinsic sets the kappa for a subnet.", owner=None, window=False)
_subnet_setter(17, "sudo_set_rho", "rho", U16Arg, st.Rho, None,
               "The extrinsic sets the rho for a subnet.", owner="Rho", window=True)
_subnet_setter(18, "sudo_set_activity_cutoff", "activity_cutoff", U16Arg, st.ActivityCutoff, "ActivityCutoffSet",
               "The extrinsic sets the activity cutoff for a subnet.", owner="ActivityCutoff", window=True,
               check=_check_activity_cutoff)


@call(97, weight=SUBNET_WEIGHT)
def sudo_set_activity_cutoff_factor(ctx: Context, origin: Origin, netuid: NetUidArg, factor_milli: U32Arg) -> None:
    """The activity-cutoff factor (per-mille of the tempo). The owner is bounded by the freeze window and
    the rate limit; root bypasses both."""
    owner = checks.owner_or_root(ctx, origin, netuid)
    if not MIN_ACTIVITY_CUTOFF_FACTOR_MILLI <= factor_milli <= MAX_ACTIVITY_CUTOFF_FACTOR_MILLI:
        raise subtensor_errors.ActivityCutoffFactorMilliOutOfBounds
    limit = Limit.hparam("ActivityCutoffFactorMilli")
    if owner is not None:
        ensure_admin_window_open(ctx, netuid)
        if not limit.passes(ctx, owner, netuid):
            raise subtensor_errors.TxRateLimitExceeded
    st.ActivityCutoffFactorMilli.put(ctx, netuid, factor_milli)
    ctx.deposit_event(_SUBTENSOR_EVENTS["ActivityCutoffFactorMilliSet"](netuid=netuid, factor_milli=factor_milli))
    checks.record_owner(ctx, owner, netuid, limit)


@call(19, weight=SUBNET_WEIGHT)
def sudo_set_network_registration_allowed(ctx: Context, origin: Origin, netuid: NetUidArg,
                                          registration_allowed: BoolArg) -> None:
    """The extrinsic sets the network registration allowed for a subnet (root)."""
    ensure_root(origin)
    st.NetworkRegistrationAllowed.put(ctx, netuid, registration_allowed)
    _emit(ctx, "RegistrationAllowed", netuid, registration_allowed)


@call(20, weight=Weight(14_000_000 + DB_WRITE, 0))
def sudo_set_network_pow_registration_allowed(ctx: Context, origin: Origin, netuid: NetUidArg,
                                              registration_allowed: BoolArg) -> None:
    """PoW registration is retired: always ``POWRegistrationDisabled``."""
    raise errors.POWRegistrationDisabled


_subnet_setter(21, "sudo_set_target_registrations_per_interval", "target_registrations_per_interval", U16Arg,
               st.TargetRegistrationsPerInterval, "RegistrationPerIntervalSet",
               "The extrinsic sets the target registrations per interval for a subnet.", owner=None, window=True)
_subnet_setter(22, "sudo_set_min_burn", "min_burn", BalanceArg, st.MinBurn, "MinBurnSet",
               "The extrinsic sets the minimum burn for a subnet.", owner="MinBurn", window=True,
               check=_check_min_burn)
_subnet_setter(23, "sudo_set_max_burn", "max_burn", BalanceArg, st.MaxBurn, "MaxBurnSet",
               "The extrinsic sets the maximum burn for a subnet.", owner="MaxBurn", window=True,
               check=_check_max_burn)
_subnet_setter(24, "sudo_set_difficulty", "difficulty", U64Arg, st.Difficulty, "DifficultySet",
               "The extrinsic sets the difficulty for a subnet.", owner=None, window=True)
_subnet_setter(25, "sudo_set_max_allowed_validators", "max_allowed_validators", U16Arg, st.MaxAllowedValidators,
               "MaxAllowedValidatorsSet", "The extrinsic sets the maximum allowed validators for a subnet.",
               owner=None, window=True, check=_check_max_validators)


@call(26, weight=SUBNET_WEIGHT)
def sudo_set_bonds_moving_average(ctx: Context, origin: Origin, netuid: NetUidArg, bonds_moving_average: U64Arg) -> None:
    """The bonds moving average; the owner may not exceed 975 000, root may."""
    limit = Limit.hparam("BondsMovingAverage")
    owner = owner_or_root_with_limits(ctx, origin, netuid, limit)
    ensure_admin_window_open(ctx, netuid)
    if owner is not None and bonds_moving_average > MAX_BONDS_MOVING_AVERAGE:
        raise errors.BondsMovingAverageMaxReached
    _ensure_subnet(ctx, netuid)
    st.BondsMovingAverage.put(ctx, netuid, bonds_moving_average)
    _emit(ctx, "BondsMovingAverageSet", netuid, bonds_moving_average)
    checks.record_owner(ctx, owner, netuid, limit)


_subnet_setter(60, "sudo_set_bonds_penalty", "bonds_penalty", U16Arg, st.BondsPenalty, "BondsPenaltySet",
               "The extrinsic sets the bonds penalty for a subnet.", owner="BondsPenalty", window=True)
_subnet_setter(27, "sudo_set_max_registrations_per_block", "max_registrations_per_block", U16Arg,
               st.MaxRegistrationsPerBlock, "MaxRegistrationsPerBlockSet",
               "The extrinsic sets the maximum registrations per block for a subnet.", owner=None, window=True)
_root_global(28, "sudo_set_subnet_owner_cut", "subnet_owner_cut", U16Arg, st.SubnetOwnerCut, "SubnetOwnerCutSet",
             "The extrinsic sets the subnet owner cut for a subnet.")
_root_global(29, "sudo_set_network_rate_limit", "rate_limit", U64Arg, st.NetworkRateLimit, "NetworkRateLimitSet",
             "The extrinsic sets the network rate limit for the network.")


@call(30, weight=Weight(44_877_000 + 7 * DB_READ + 3 * DB_WRITE, 4_498))
def sudo_set_tempo(ctx: Context, origin: Origin, netuid: NetUidArg, tempo: U16Arg) -> None:
    """The subnet's tempo. The owner is bounded to [MinTempo, MaxTempo] and one change per MinTempo blocks;
    root may set any value without a rate limit. Both respect the freeze window; a change restarts the
    epoch cycle (``LastEpochBlock = now``)."""
    owner = checks.owner_or_root(ctx, origin, netuid)
    if not checks.subnet_exists(ctx, netuid):
        raise subtensor_errors.SubnetNotExists
    if owner is not None and not MIN_TEMPO <= tempo <= MAX_TEMPO:
        raise subtensor_errors.TempoOutOfBounds
    ensure_admin_window_open(ctx, netuid)
    if owner is not None and not checks.TEMPO_UPDATE.passes(ctx, owner, netuid):
        raise subtensor_errors.TxRateLimitExceeded
    st.Tempo.put(ctx, netuid, tempo)
    _emit(ctx, "TempoSet", netuid, tempo)
    st.LastEpochBlock.put(ctx, netuid, ctx.block_number)
    checks.record_owner(ctx, owner, netuid, checks.TEMPO_UPDATE)


@call(33, weight=GLOBAL_WEIGHT)
def sudo_set_total_issuance(ctx: Context, origin: Origin, total_issuance: BalanceArg) -> None:
    """Deprecated. This extrinsic is no longer supported and always returns `Error::Deprecated`."""
    raise errors.Deprecated


_root_global(35, "sudo_set_network_immunity_period", "immunity_period", U64Arg, st.NetworkImmunityPeriod,
             "NetworkImmunityPeriodSet", "The extrinsic sets the immunity period for the network.")
_root_global(36, "sudo_set_network_min_lock_cost", "lock_cost", BalanceArg, st.NetworkMinLockCost,
             "NetworkMinLockCostSet", "The extrinsic sets the min lock cost for the network.")
_root_global(37, "sudo_set_subnet_limit", "max_subnets", U16Arg, st.SubnetLimit, "SubnetLimitSet",
             "The extrinsic sets the subnet limit for the network.")
_root_global(38, "sudo_set_lock_reduction_interval", "interval", U64Arg, st.NetworkLockReductionInterval,
             "NetworkLockCostReductionIntervalSet", "The extrinsic sets the lock reduction interval for the network.")
_subnet_setter(39, "sudo_set_rao_recycled", "rao_recycled", BalanceArg, st.RAORecycledForRegistration,
               "RAORecycledForRegistrationSet", "The extrinsic sets the recycled RAO for a subnet.",
               owner=None, window=False)
_root_global(42, "sudo_set_stake_threshold", "min_stake", U64Arg, st.StakeThreshold, "StakeThresholdSet",
             "The extrinsic sets the weights min stake.")


@call(43, weight=GLOBAL_WEIGHT)
def sudo_set_nominator_min_required_stake(ctx: Context, origin: Origin, min_stake: U64Arg) -> None:
    """The minimum stake of nominators. (Existing nominations below a raised minimum are not swept yet.)"""
    ensure_root(origin)
    st.NominatorMinRequiredStake.put(ctx, min_stake)


_root_global(45, "sudo_set_tx_delegate_take_rate_limit", "tx_rate_limit", U64Arg, st.TxDelegateTakeRateLimit,
             "TxDelegateTakeRateLimitSet", "The extrinsic sets the rate limit for delegate take transactions.")
_root_global(46, "sudo_set_min_delegate_take", "take", TakeArg, st.MinDelegateTake, "MinDelegateTakeSet",
             "The extrinsic sets the minimum delegate take.")
_subnet_setter(93, "sudo_set_min_childkey_take_per_subnet", "take", TakeArg, st.MinChildkeyTakePerSubnet,
               "MinChildKeyTakePerSubnetSet", "The extrinsic sets the minimum childkey take for a subnet.",
               owner="MinChildkeyTake", window=True, check=_check_childkey_take)
_subnet_setter(49, "sudo_set_commit_reveal_weights_enabled", "enabled", BoolArg, st.CommitRevealWeightsEnabled,
               "CommitRevealEnabled", "The extrinsic enabled/disables commit/reaveal for a given subnet.",
               owner="CommitRevealEnabled", window=True)
_subnet_setter(50, "sudo_set_liquid_alpha_enabled", "enabled", BoolArg, st.LiquidAlphaOn, None,
               "Enables or disables Liquid Alpha for a given subnet.", owner="LiquidAlphaEnabled", window=True,
               exists=False)


@call(51, weight=SUBNET_WEIGHT)
def sudo_set_alpha_values(ctx: Context, origin: Origin, netuid: NetUidArg, alpha_low: U16Arg,
                          alpha_high: U16Arg) -> None:
    """Sets values for liquid alpha"""
    limit = Limit.hparam("AlphaValues")
    owner = owner_or_root_with_limits(ctx, origin, netuid, limit)
    ensure_admin_window_open(ctx, netuid)
    if not st.LiquidAlphaOn.get(ctx, netuid):
        raise subtensor_errors.LiquidAlphaDisabled
    if alpha_high < MIN_ALPHA:
        raise subtensor_errors.AlphaHighTooLow
    if not MIN_ALPHA <= alpha_low <= alpha_high:
        raise subtensor_errors.AlphaLowOutOfRange
    st.AlphaValues.put(ctx, netuid, (alpha_low, alpha_high))
    checks.record_owner(ctx, owner, netuid, limit)


_subnet_setter(104, "sudo_set_liquid_alpha_consensus_mode", "mode", Annotated[Any, ConsensusMode, "ConsensusMode"],
               st.LiquidAlphaConsensusMode, "LiquidAlphaConsensusModeSet",
               "Sets which consensus values liquid alpha uses for a subnet.", owner="LiquidAlphaConsensusMode",
               window=True, exists=False)
_root_global(55, "sudo_set_dissolve_network_schedule_duration", "duration", BlockArg,
             st.DissolveNetworkScheduleDuration, "DissolveNetworkScheduleDurationSet",
             "Sets the duration of the dissolve network schedule.")
_subnet_setter(57, "sudo_set_commit_reveal_weights_interval", "interval", U64Arg, st.RevealPeriodEpochs,
               "CommitRevealPeriodsSet", "Sets the commit-reveal weights periods (in epochs) for a subnet.",
               owner="WeightCommitInterval", window=True, check=_check_reveal_period)


@call(58, weight=GLOBAL_WEIGHT)
def sudo_set_evm_chain_id(ctx: Context, origin: Origin, chain_id: U64Arg) -> None:
    """Sets the EVM ChainID (``EVMChainId.ChainId``)."""
    ensure_root(origin)
    ctx.set(EVM_CHAIN_ID_KEY, U64.encode(chain_id))


@call(59, weight=lambda args: Weight(10_000_000 + 1_000_000 * len(args["next_authorities"]) + 2 * DB_READ
                                     + 2 * DB_WRITE, 0))
def schedule_grandpa_change(ctx: Context, origin: Origin,
                            next_authorities: Annotated[list[Any], grandpa.AuthorityList, "AuthorityList"],
                            in_blocks: BlockArg,
                            forced: Annotated[int | None, Option(U32), "Option<BlockNumberFor<T>>"]) -> None:
    """Schedule a GRANDPA authority change, applied at the end of this block (``in_blocks`` must be 0)."""
    ensure_root(origin)
    if in_blocks != 0:
        raise errors.GrandpaChangeDelayMustBeZero
    grandpa.schedule_change(ctx, next_authorities, in_blocks, forced)


_subnet_setter(61, "sudo_set_toggle_transfer", "toggle", BoolArg, st.TransferToggle, "TransferToggle",
               "Enable or disable atomic alpha transfers for a given subnet.", owner="TransferEnabled", window=True,
               exists=False)
_subnet_setter(80, "sudo_set_recycle_or_burn", "recycle_or_burn",
               Annotated[Any, RecycleOrBurnEnum, "pallet_subtensor::RecycleOrBurnEnum"], st.RecycleOrBurn, None,
               "Set the behaviour of the \"burn\" UID(s) for a given subnet.", owner="RecycleOrBurn", window=True,
               exists=False)


@call(62, weight=GLOBAL_WEIGHT)
def sudo_toggle_evm_precompile(ctx: Context, origin: Origin,
                               precompile_id: Annotated[str, PrecompileEnum, "PrecompileEnum"],
                               enabled: BoolArg) -> None:
    """Toggles the enablement of an EVM precompile (an event only when it changes)."""
    ensure_root(origin)
    if PrecompileEnable.get(ctx, precompile_id) != enabled:
        PrecompileEnable.put(ctx, precompile_id, enabled)
        ctx.deposit_event(PrecompileUpdated(precompile_id=precompile_id, enabled=enabled))


_root_global(63, "sudo_set_subnet_moving_alpha", "alpha", Annotated[Any, I96F32, "I96F32"], st.SubnetMovingAlpha,
             None, "Sets SubnetMovingAlpha.")
_subnet_setter(65, "sudo_set_ema_price_halving_period", "ema_halving", U64Arg, st.EMAPriceHalvingBlocks, None,
               "Sets the number of blocks for a subnet's EMA price to halve.", owner=None, window=False, exists=False)


@call(68, weight=SUBNET_WEIGHT)
def sudo_set_alpha_sigmoid_steepness(ctx: Context, origin: Origin, netuid: NetUidArg, steepness: I16Arg) -> None:
    """The alpha sigmoid steepness; only root may set a negative value."""
    limit = Limit.hparam("AlphaSigmoidSteepness")
    owner = owner_or_root_with_limits(ctx, origin, netuid, limit)
    ensure_admin_window_open(ctx, netuid)
    _ensure_subnet(ctx, netuid)
    if not origin.is_root and steepness < 0:
        raise errors.NegativeSigmoidSteepness
    st.AlphaSigmoidSteepness.put(ctx, netuid, steepness)
    checks.record_owner(ctx, owner, netuid, limit)


@call(69, weight=SUBNET_WEIGHT)
def sudo_set_yuma3_enabled(ctx: Context, origin: Origin, netuid: NetUidArg, enabled: BoolArg) -> None:
    """Enables or disables Yuma3 for a given subnet."""
    limit = Limit.hparam("Yuma3Enabled")
    owner = owner_or_root_with_limits(ctx, origin, netuid, limit)
    ensure_admin_window_open(ctx, netuid)
    st.Yuma3On.put(ctx, netuid, enabled)
    ctx.deposit_event(Yuma3EnableToggled(netuid=netuid, enabled=enabled))
    checks.record_owner(ctx, owner, netuid, limit)


@call(70, weight=SUBNET_WEIGHT)
def sudo_set_bonds_reset_enabled(ctx: Context, origin: Origin, netuid: NetUidArg, enabled: BoolArg) -> None:
    """Enables or disables Bonds Reset for a given subnet."""
    limit = Limit.hparam("BondsResetEnabled")
    owner = owner_or_root_with_limits(ctx, origin, netuid, limit)
    ensure_admin_window_open(ctx, netuid)
    st.BondsResetOn.put(ctx, netuid, enabled)
    _emit(ctx, "BondsResetOnSet", netuid, enabled)
    ctx.deposit_event(BondsResetToggled(netuid=netuid, enabled=enabled))
    checks.record_owner(ctx, owner, netuid, limit)


def is_subnet_account(account: bytes) -> bool:
    """Whether ``account`` is one of SubtensorModule's per-subnet pallet accounts (``modl`` + id + netuid)."""
    return account[:4] == b"modl" and account[4:12] == SUBTENSOR_PALLET_ID and not any(account[14:])


@call(67, weight=SUBNET_WEIGHT)
def sudo_set_sn_owner_hotkey(ctx: Context, origin: Origin, netuid: NetUidArg,
                             hotkey: Annotated[bytes, AccountId32, "<T as frame_system::Config>::AccountId"]) -> None:
    """Sets the subnet owner's hotkey (root or the owner; once per 50 400 blocks per subnet)."""
    checks.owner_or_root(ctx, origin, netuid)
    if not checks.subnet_exists(ctx, netuid):
        raise subtensor_errors.SubnetNotExists
    if not checks.SET_SN_OWNER_HOTKEY.passes(ctx, hotkey, netuid):
        raise subtensor_errors.TxRateLimitExceeded
    checks.SET_SN_OWNER_HOTKEY.stamp(ctx, hotkey, netuid, ctx.block_number)
    if is_subnet_account(hotkey):
        raise subtensor_errors.CannotUseSystemAccount
    st.SubnetOwnerHotkey.put(ctx, netuid, hotkey)
    _emit(ctx, "SubnetOwnerHotkeySet", netuid, hotkey)


@call(66, weight=SUBNET_WEIGHT)
def sudo_set_subtoken_enabled(ctx: Context, origin: Origin, netuid: NetUidArg, subtoken_enabled: BoolArg) -> None:
    """Enables or disables subtoken trading for a given subnet (root)."""
    ensure_root(origin)
    ensure_admin_window_open(ctx, netuid)
    st.SubtokenEnabled.put(ctx, netuid, subtoken_enabled)


_root_global(71, "sudo_set_commit_reveal_version", "version", U16Arg, st.CommitRevealWeightsVersion,
             "CommitRevealVersionSet", "Sets the commit-reveal weights version for all subnets")


def _check_immune_neuron_limit(_ctx: Context, _netuid: int, value: int, _owner: bytes | None) -> None:
    if not MIN_IMMUNE_OWNER_UIDS <= value <= MAX_IMMUNE_OWNER_UIDS:
        raise subtensor_errors.InvalidValue


_subnet_setter(72, "sudo_set_owner_immune_neuron_limit", "immune_neurons", U16Arg, st.ImmuneOwnerUidsLimit, None,
               "Sets the number of immune owner neurons", owner="ImmuneNeuronLimit", window=True, exists=False,
               check=_check_immune_neuron_limit)
_root_global(73, "sudo_set_ck_burn", "burn", U64Arg, st.CKBurn, None, "Sets the childkey burn.")
_root_global(74, "sudo_set_admin_freeze_window", "window", U16Arg, st.AdminFreezeWindow, "AdminFreezeWindowSet",
             "Sets the admin freeze window length (in blocks) at the end of a tempo.")
_root_global(75, "sudo_set_owner_hparam_rate_limit", "epochs", U16Arg, st.OwnerHyperparamRateLimit,
             "OwnerHyperparamRateLimitSet", "Sets the owner hyperparameter rate limit in epochs (global multiplier).")


@call(76, weight=Weight(SUBNET_WEIGHT.ref_time + 17 * DB_READ, 0))
def sudo_set_mechanism_count(ctx: Context, origin: Origin, netuid: NetUidArg, mechanism_count: MechIdArg) -> None:
    """Sets the desired number of mechanisms in a subnet"""
    owner = owner_or_root_with_limits(ctx, origin, netuid, checks.MECHANISM_COUNT_UPDATE)
    ensure_admin_window_open(ctx, netuid)
    if not checks.subnet_exists(ctx, netuid):
        raise subtensor_errors.MechanismDoesNotExist
    if mechanism_count == 0 or mechanism_count > st.MaxMechanismCount.get(ctx):
        raise subtensor_errors.InvalidValue
    _ensure_max_uids_over_mechanisms(st.MaxAllowedUids.get(ctx, netuid), mechanism_count)
    if mechanism_count > MAX_MECHANISM_COUNT_PER_SUBNET:
        raise subtensor_errors.InvalidValue
    old = st.MechanismCountCurrent.get(ctx, netuid)
    if old != mechanism_count:
        for mechanism in range(mechanism_count, old):
            index = mechanism * 4096 + netuid
            st.Weights.clear_all(ctx, index)
            st.Incentive.kill(ctx, index)
            st.LastUpdate.kill(ctx, index)
            st.Bonds.clear_all(ctx, index)
            st.WeightCommits.clear_all(ctx, index)
            st.TimelockedWeightCommits.clear_all(ctx, index)
        st.MechanismCountCurrent.put(ctx, netuid, mechanism_count)
        st.MechanismEmissionSplit.kill(ctx, netuid)
    checks.record_owner(ctx, owner, netuid, checks.MECHANISM_COUNT_UPDATE)


@call(77, weight=SUBNET_WEIGHT)
def sudo_set_mechanism_emission_split(ctx: Context, origin: Origin, netuid: NetUidArg,
                                      maybe_split: Annotated[list[int] | None, Option(Vec(U16)),
                                                             "Option<Vec<u16>>"]) -> None:
    """Sets the emission split between mechanisms in a subnet (shares of 65535; None: even)"""
    owner = owner_or_root_with_limits(ctx, origin, netuid, checks.MECHANISM_EMISSION)
    ensure_admin_window_open(ctx, netuid)
    if not checks.subnet_exists(ctx, netuid):
        raise subtensor_errors.MechanismDoesNotExist
    if maybe_split is None:
        st.MechanismEmissionSplit.kill(ctx, netuid)
    else:
        if not maybe_split or len(maybe_split) > st.MechanismCountCurrent.get(ctx, netuid):
            raise subtensor_errors.InvalidValue
        if sum(maybe_split) != 0xFFFF:
            raise subtensor_errors.InvalidValue
        st.MechanismEmissionSplit.put(ctx, netuid, list(maybe_split))
    checks.record_owner(ctx, owner, netuid, checks.MECHANISM_EMISSION)


@call(78, weight=SUBNET_WEIGHT)
def sudo_trim_to_max_allowed_uids(ctx: Context, origin: Origin, netuid: NetUidArg, max_n: U16Arg) -> None:
    """Lowers MaxAllowedUids. Pruning registered neurons above the new maximum is not implemented here:
    that case fails (rolled back) with ``DispatchError::Other``."""
    owner = owner_or_root_with_limits(ctx, origin, netuid, checks.MAX_UIDS_TRIMMING)
    ensure_admin_window_open(ctx, netuid)
    if not checks.subnet_exists(ctx, netuid):
        raise subtensor_errors.SubnetNotExists
    if not st.MinAllowedUids.get(ctx, netuid) <= max_n <= st.MaxAllowedUids.get(ctx, netuid):
        raise subtensor_errors.InvalidValue
    st.MaxAllowedUids.put(ctx, netuid, max_n)
    if st.SubnetworkN.get(ctx, netuid) > max_n:
        raise DispatchError("Other", "trimming registered neurons is not implemented")
    checks.record_owner(ctx, owner, netuid, checks.MAX_UIDS_TRIMMING)


_subnet_setter(79, "sudo_set_min_allowed_uids", "min_allowed_uids", U16Arg, st.MinAllowedUids, "MinAllowedUidsSet",
               "The extrinsic sets the minimum allowed UIDs for a subnet.", owner=None, window=True,
               check=_check_min_allowed_uids)
_root_global(81, "sudo_set_tao_flow_cutoff", "flow_cutoff", Annotated[Any, I64F64, "I64F64"], st.TaoFlowCutoff, None,
             "Sets TAO flow cutoff value (A)")


def _root_fixed(index: int, name: str, arg: str, item: Any, low: Any, high: Any, doc: str, *,
                open_low: bool = False, open_high: bool = False) -> None:
    """A root setter of a U64F64 item within [low, high] (ends excluded when ``open_*``)."""

    def setter(ctx: Context, origin: Origin, **kwargs: Any) -> None:
        ensure_root(origin)
        value = kwargs[arg]
        too_low = value.bits <= low.bits if open_low else value.bits < low.bits
        too_high = value.bits >= high.bits if open_high else value.bits > high.bits
        if too_low or too_high:
            raise errors.InvalidValue
        item.put(ctx, value)

    _register(index, name, [(arg, U64F64Arg)], setter, doc, GLOBAL_WEIGHT)


_root_fixed(82, "sudo_set_tao_flow_normalization_exponent", "exponent", st.FlowNormExponent, U64F64.from_int(1),
            U64F64.from_int(2), "Sets TAO flow normalization exponent (p), within [1, 2]")
_root_fixed(100, "sudo_set_emission_bar_quantile", "quantile", st.EmissionBarQuantile, U64F64.from_int(0),
            U64F64.from_int(1), "Sets the emission bar quantile (q), strictly between 0 and 1", open_low=True,
            open_high=True)
_root_global(102, "sudo_set_emission_bar_rank", "rank", U16Arg, st.EmissionBarRank, None,
             "Sets the emission bar rank (N); 0 restores quantile mode")
_root_fixed(101, "sudo_set_emission_gate_exponent", "exponent", st.EmissionGateExponent, U64F64.from_int(1),
            U64F64.from_int(8), "Sets the emission gate Hill exponent (h), within [1, 8]")
_root_global(83, "sudo_set_tao_flow_smoothing_factor", "smoothing_factor", U64Arg, st.FlowEmaSmoothingFactor, None,
             "Sets TAO flow smoothing factor (alpha)")
_root_global(91, "sudo_set_net_tao_flow_enabled", "enabled", BoolArg, st.NetTaoFlowEnabled, None,
             "Enables or disables net TAO flow (protocol cost deduction from emission shares).")


@call(88, weight=GLOBAL_WEIGHT)
def sudo_set_max_mechanism_count(ctx: Context, origin: Origin, max_mechanism_count: MechIdArg) -> None:
    """Sets the global maximum number of mechanisms in a subnet"""
    ensure_root(origin)
    if not 0 < max_mechanism_count <= MAX_MECHANISM_COUNT_PER_SUBNET:
        raise subtensor_errors.InvalidValue
    st.MaxMechanismCount.put(ctx, max_mechanism_count)


_subnet_setter(84, "sudo_set_min_non_immune_uids", "min", U16Arg, st.MinNonImmuneUids, "MinNonImmuneUidsSet",
               "Sets the minimum number of non-immortal & non-immune UIDs that must remain in a subnet",
               owner=None, window=False, exists=False)
_root_global(85, "sudo_set_start_call_delay", "delay", U64Arg, st.StartCallDelay, "StartCallDelaySet",
             "Sets the delay before a subnet can call start")
_root_global(86, "sudo_set_coldkey_swap_announcement_delay", "duration", BlockArg, st.ColdkeySwapAnnouncementDelay,
             "ColdkeySwapAnnouncementDelaySet", "Sets the announcement delay for coldkey swap.")
_root_global(87, "sudo_set_coldkey_swap_reannouncement_delay", "duration", BlockArg,
             st.ColdkeySwapReannouncementDelay, "ColdkeySwapReannouncementDelaySet",
             "Sets the coldkey swap reannouncement delay.")


def _owner_subnet_only(index: int, name: str, arg: str, annotation: Any, item: Any, hyperparameter: str | None,
                       valid: Callable[[Any], bool], bad_value: Any, event: Any, doc: str) -> None:
    """Root-or-owner setters refused on the root subnet (Operational class), with an AdminUtils event."""
    limit = Limit.hparam(hyperparameter) if hyperparameter else None

    def setter(ctx: Context, origin: Origin, netuid: int, **kwargs: Any) -> None:
        value = kwargs[arg]
        owner = owner_or_root_with_limits(ctx, origin, netuid, *([limit] if limit else []))
        ensure_admin_window_open(ctx, netuid)
        _ensure_subnet(ctx, netuid)
        _ensure_not_root_subnet(netuid)
        if not valid(value):
            raise bad_value
        item.put(ctx, netuid, value)
        if event is not None:
            ctx.deposit_event(event(netuid, value))
        if limit is not None:
            checks.record_owner(ctx, owner, netuid, limit)

    _register(index, name, [("netuid", NetUidArg), (arg, annotation)], setter, doc, SUBNET_WEIGHT,
              DispatchClass.Operational)


_owner_subnet_only(89, "sudo_set_burn_half_life", "burn_half_life", U16Arg, st.BurnHalfLife, "BurnHalfLife",
                   lambda v: 0 < v <= MAX_BURN_HALF_LIFE, errors.InvalidValue, BurnHalfLifeSet,
                   "Set BurnHalfLife for a subnet.")
_owner_subnet_only(90, "sudo_set_burn_increase_mult", "burn_increase_mult", U64F64Arg, st.BurnIncreaseMult,
                   "BurnIncreaseMult", lambda v: _fixed_between(v, U64F64.from_int(1), U64F64.from_int(3)),
                   errors.InvalidValue, BurnIncreaseMultSet, "Set BurnIncreaseMult for a subnet.")
_owner_subnet_only(92, "sudo_set_owner_cut_enabled", "enabled", BoolArg, st.OwnerCutEnabled, None,
                   lambda v: True, None, None, "Set whether the subnet owner cut is enabled for a subnet.")
_owner_subnet_only(95, "sudo_set_owner_cut_auto_lock_enabled", "enabled", BoolArg, st.OwnerCutAutoLockEnabled, None,
                   lambda v: True, None, None, "Set whether subnet owner cut is auto-locked for a subnet.")


@call(94, weight=SUBNET_WEIGHT)
def sudo_set_subnet_emission_enabled(ctx: Context, origin: Origin, netuid: NetUidArg, enabled: BoolArg) -> None:
    """Enables or disables subnet pool-side emission for a subnet (root)."""
    ensure_root(origin)
    _ensure_subnet(ctx, netuid)
    _ensure_not_root_subnet(netuid)
    st.SubnetEmissionEnabled.put(ctx, netuid, enabled)
    ctx.deposit_event(SubnetEmissionEnabledSet(netuid=netuid, enabled=enabled))


_owner_subnet_only(98, "sudo_set_collateral_lock_share", "lock_share", U16Arg, st.CollateralLockShare,
                   "CollateralLockShare", lambda v: v <= MAX_COLLATERAL_LOCK_SHARE, errors.CollateralLockShareTooHigh,
                   CollateralLockShareSet, "Sets the miner collateral lock share (p) for a subnet.")
_owner_subnet_only(99, "sudo_set_collateral_drain_ratio", "drain_ratio", U64F64Arg, st.CollateralDrainRatio,
                   "CollateralDrainRatio", lambda v: 0 < v.bits <= MAX_COLLATERAL_DRAIN_RATIO.bits,
                   errors.CollateralDrainRatioOutOfBounds, CollateralDrainRatioSet,
                   "Sets the miner collateral drain ratio (k) for a subnet.")


def _root_basket_cap(index: int, name: str, item: Any, event: Any, doc: str) -> None:
    def setter(ctx: Context, origin: Origin, cap: int) -> None:
        ensure_root(origin)
        if cap == 0:
            raise errors.ValueNotInBounds
        item.put(ctx, cap)
        ctx.deposit_event(event(cap=cap))

    _register(index, name, [("cap", U16Arg)], setter, doc, GLOBAL_WEIGHT)


_root_basket_cap(105, "sudo_set_basket_concentration_cap", st.BasketConcentrationCap, BasketConcentrationCapSet,
                 "Sets the basket concentration cap (u16-normalized share of fund NAV).")


@call(106, weight=GLOBAL_WEIGHT)
def sudo_set_basket_trading_enabled(ctx: Context, origin: Origin, enabled: BoolArg) -> None:
    """Enables or disables validator basket trading network-wide."""
    ensure_root(origin)
    st.BasketTradingEnabled.put(ctx, enabled)
    ctx.deposit_event(BasketTradingToggled(enabled=enabled))


@call(107, weight=GLOBAL_WEIGHT)
def sudo_set_basket_trading_frozen(ctx: Context, origin: Origin, hotkey: AccountArg, frozen: BoolArg) -> None:
    """Freezes or unfreezes basket trading for one validator hotkey."""
    ensure_root(origin)
    if frozen:
        st.BasketTradingFrozen.put(ctx, hotkey, None)
    else:
        st.BasketTradingFrozen.kill(ctx, hotkey)
    ctx.deposit_event(BasketTradingFrozenSet(hotkey=hotkey, frozen=frozen))


_root_basket_cap(108, "sudo_set_basket_daily_turnover_cap", st.BasketDailyTurnoverCap, BasketDailyTurnoverCapSet,
                 "Sets the basket daily turnover budget (u16-normalized share of fund NAV).")
_root_basket_cap(109, "sudo_set_basket_liquidity_cap", st.BasketLiquidityCap, BasketLiquidityCapSet,
                 "Sets the basket liquidity cap (u16-normalized share of a subnet's alpha reserve).")


@call(96, weight=GLOBAL_WEIGHT)
def sudo_set_max_epochs_per_block(ctx: Context, origin: Origin, max_epochs_per_block: U8Arg) -> None:
    """Sets the per-block cap on subnet epochs (dynamic tempo throttle)."""
    ensure_root(origin)
    if max_epochs_per_block < 1:
        raise errors.ValueNotInBounds
    st.MaxEpochsPerBlock.put(ctx, max_epochs_per_block)
    _emit(ctx, "MaxEpochsPerBlockSet", max_epochs_per_block)


PALLET = Pallet("AdminUtils", storage=storage, calls=calls, events=events, errors=errors)
