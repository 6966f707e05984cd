"""pallet_subtensor_swap (index 28, ``Swap``): storage, events, errors, constants and calls.

The declarations follow the recorded spec-461 metadata: the Balancer-era pool (``SwapBalancer``) with
its protocol-liquidity reservoirs (``BalancerTaoReservoir`` / ``BalancerAlphaReservoir``). The pool's
reserves are not stored here: they are SubtensorModule's ``SubnetTAO`` (quote) and ``SubnetAlphaIn``
(base). The pool math lives in :mod:`runtime.pallets.swap.engine`.

Calls: ``set_fee_rate`` (Root) is implemented; the five user-liquidity calls of the old V3 pool stay
in the call enum and always fail with ``Deprecated``, as in the reference.
"""

from __future__ import annotations

from typing import Annotated

from runtime.pallets.subtensor import storage as subtensor_storage
from runtime.pallets.subtensor.types import BoundedVec, NetUid, PalletId
from runtime.primitives.hashing import Hasher
from runtime.primitives.types import AccountId32, AlphaBalance, TaoBalance
from runtime.scale import I32, I64, U8, U16, U64, U128, Bool, Composite, FieldInfo
from runtime.support.context import Context
from runtime.support.dispatch import DB_READ, DB_WRITE, Origin, Weight, ensure_root
from runtime.support.pallet import ConstantDef, Pallet, PalletCalls, PalletErrors, PalletEvents
from runtime.support.storage import PalletStorage

CRATE = "pallet_subtensor_swap::pallet"  # the pallet module is `pallet_subtensor_swap::pallet::pallet`
PALLET_INDEX = 28

# -- types ---------------------------------------------------------------------------------------------

Perquintill = Composite("sp_arithmetic::per_things::Perquintill", [FieldInfo(None, U64, "u64")])
Balancer = Composite("pallet_subtensor_swap::pallet::balancer::Balancer", [("quote", Perquintill, "Perquintill")])
"""``Balancer { quote }``: the pool's quote (TAO) weight in Perquintill parts; values are ``{"quote": int}``."""
NonZeroU64 = Composite("NonZeroU64", [FieldInfo(None, U64, None)])
TickIndex = Composite("pallet_subtensor_swap::pallet::TickIndex", [FieldInfo(None, I32, "i32")])
PositionId = Composite("pallet_subtensor_swap::pallet::PositionId", [FieldInfo(None, U128, "u128")])

# -- constants (node-subtensor's runtime configuration) -------------------------------------------------

PROTOCOL_ID = b"ten/swap"
MAX_FEE_RATE = 10_000
"""Highest ``FeeRate`` root may set (10000/65535 ≈ 15.26 %)."""
MINIMUM_LIQUIDITY = 1_000
MINIMUM_RESERVE = 1_000_000
"""A swap needs at least this much of the token it pays out in the pool (``ReservesTooLow``)."""
DEFAULT_FEE_RATE = 33
"""``FeeRate`` default: 33/65535 ≈ 0.05 %."""
DEFAULT_QUOTE_WEIGHT = 10**18 // 2

CONSTANTS = (
    ConstantDef("ProtocolId", PalletId, PROTOCOL_ID, (" This type is used to derive protocol accoun ID.",)),
    ConstantDef("MaxFeeRate", U16, MAX_FEE_RATE, (" The maximum fee rate that can be set",)),
    ConstantDef("MinimumLiquidity", U64, MINIMUM_LIQUIDITY,
                (" Minimum liquidity that is safe for rounding and integer math.",)),
    ConstantDef("MinimumReserve", NonZeroU64, MINIMUM_RESERVE, (" Minimum reserve for tao and alpha",)),
)

# -- storage -------------------------------------------------------------------------------------------

storage = PalletStorage("Swap")
_NETUID = (Hasher.Twox64Concat, NetUid)

FeeRate = storage.map("FeeRate", [_NETUID], U16, default=DEFAULT_FEE_RATE, docs=[
    " The fee rate applied to swaps per subnet, normalized value between 0 and u16::MAX"])
SwapBalancer = storage.map("SwapBalancer", [_NETUID], Balancer, default={"quote": DEFAULT_QUOTE_WEIGHT}, docs=[
    " u64-normalized reserve weight"])
PalSwapInitialized = storage.map("PalSwapInitialized", [_NETUID], Bool, default=False, docs=[
    " Storage to determine whether balancer swap was initialized for a specific subnet."])
BalancerTaoReservoir = storage.map("BalancerTaoReservoir", [_NETUID], TaoBalance, default=0, docs=[
    " TAO protocol liquidity that could not be injected without exceeding balancer weight bounds."])
BalancerAlphaReservoir = storage.map("BalancerAlphaReservoir", [_NETUID], AlphaBalance, default=0, docs=[
    " Alpha protocol liquidity that could not be injected without exceeding balancer weight bounds."])
HasMigrationRun = storage.map("HasMigrationRun", [(Hasher.Identity, BoundedVec(U8))], Bool, default=False, docs=[
    " --- Storage for migration run status"])
ScrapReservoirAlpha = storage.map("ScrapReservoirAlpha", [_NETUID], AlphaBalance, default=0, docs=[
    " Alpha reservoir for scraps of protocol claimed fees."])

# -- events and errors ---------------------------------------------------------------------------------

events = PalletEvents("Swap", CRATE)
FeeRateSet = events.event(0, "FeeRateSet", [("netuid", NetUid, "NetUid"), ("rate", U16, "u16")],
                          [" Event emitted when the fee rate has been updated for a subnet"])

errors = PalletErrors("Swap", CRATE, [
    ("FeeRateTooHigh", "The fee rate is too high"),
    ("InsufficientInputAmount", "The provided amount is insufficient for the swap."),
    ("InsufficientLiquidity", "The provided liquidity is insufficient for the operation."),
    ("PriceLimitExceeded", "The operation would exceed the price limit."),
    ("InsufficientBalance", "The caller does not have enough balance for the operation."),
    ("InvalidTickRange", "The provided tick range is invalid."),
    ("InvalidLiquidityValue", "Provided liquidity parameter is invalid (likely too small)"),
    ("ReservesTooLow", "Reserves too low for operation."),
    ("MechanismDoesNotExist", "The subnet does not exist."),
    ("SubtokenDisabled", "The subnet does not have subtoken enabled"),
    ("ReservesOutOfBalance", "Swap reserves are too imbalanced"),
    ("SwapInputTooLarge", "Swap input is too large relative to input-side liquidity"),
    ("Deprecated", "The extrinsic is deprecated"),
])

# -- calls ---------------------------------------------------------------------------------------------

SET_FEE_RATE_WEIGHT = Weight(15_063_000 + DB_READ + DB_WRITE, 3_994)
"""Benchmarked ``set_fee_rate``: one read (``NetworksAdded``), one write (``FeeRate``)."""
DEPRECATED_WEIGHT = Weight(15_000_000, 0)

_NETUID_ARG = Annotated[int, NetUid, "NetUid"]
_ACCOUNT = Annotated[bytes, AccountId32, "T::AccountId"]

calls = PalletCalls(CRATE)


@calls.call(0, weight=SET_FEE_RATE_WEIGHT)
def set_fee_rate(ctx: Context, origin: Origin, netuid: _NETUID_ARG, rate: Annotated[int, U16, "u16"]) -> None:
    """Set the fee rate for swaps on a specific subnet (normalized value).
    For example, 0.3% is approximately 196.

    Only callable by the admin origin"""
    ensure_root(origin)
    if not subtensor_storage.NetworksAdded.get(ctx, netuid):
        raise errors.MechanismDoesNotExist
    if rate > MAX_FEE_RATE:
        raise errors.FeeRateTooHigh
    FeeRate.put(ctx, netuid, rate)
    ctx.deposit_event(FeeRateSet(netuid=netuid, rate=rate))


@calls.call(4, weight=DEPRECATED_WEIGHT)
def toggle_user_liquidity(ctx: Context, origin: Origin, netuid: _NETUID_ARG,
                          enable: Annotated[bool, Bool, "bool"]) -> None:
    """DEPRECATED"""
    raise errors.Deprecated


@calls.call(1, weight=DEPRECATED_WEIGHT)
def add_liquidity(ctx: Context, origin: Origin, hotkey: _ACCOUNT, netuid: _NETUID_ARG,
                  tick_low: Annotated[int, TickIndex, "TickIndex"], tick_high: Annotated[int, TickIndex, "TickIndex"],
                  liquidity: Annotated[int, U64, "u64"]) -> None:
    """DEPRECATED"""
    raise errors.Deprecated


@calls.call(2, weight=DEPRECATED_WEIGHT)
def remove_liquidity(ctx: Context, origin: Origin, hotkey: _ACCOUNT, netuid: _NETUID_ARG,
                     position_id: Annotated[int, PositionId, "PositionId"]) -> None:
    """DEPRECATED"""
    raise errors.Deprecated


@calls.call(3, weight=DEPRECATED_WEIGHT)
def modify_position(ctx: Context, origin: Origin, hotkey: _ACCOUNT, netuid: _NETUID_ARG,
                    position_id: Annotated[int, PositionId, "PositionId"],
                    liquidity_delta: Annotated[int, I64, "i64"]) -> None:
    """DEPRECATED"""
    raise errors.Deprecated


@calls.call(5, weight=DEPRECATED_WEIGHT)
def disable_lp(ctx: Context, origin: Origin) -> None:
    """DEPRECATED"""
    raise errors.Deprecated


PALLET = Pallet("Swap", storage=storage, calls=calls, events=events, errors=errors, constants=CONSTANTS)
