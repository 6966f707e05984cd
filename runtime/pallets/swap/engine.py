"""The swap engine: pallet_subtensor_swap's ``SwapHandler`` plus the pool bookkeeping of SubtensorModule.

Reserves: the pool reads SubtensorModule's ``SubnetTAO`` (TAO, quote) and ``SubnetAlphaIn`` (alpha,
base). :func:`swap` / :func:`sim_swap` only *price* an order (the only state they may write is the lazy
``SwapBalancer``/``PalSwapInitialized`` initialisation); moving the reserves is the caller's job, done
by :func:`swap_tao_for_alpha` / :func:`swap_alpha_for_tao` exactly as ``pallet_subtensor``'s
``stake_utils`` does (``SubnetTAO``, ``SubnetAlphaIn``, ``SubnetAlphaOut``, ``TotalStake``,
``SubnetVolume``).

One swap is one Balancer step:

1. ``fee = floor(amount · FeeRate/65535)`` (U64F64; 0 with ``drop_fees`` or on a non-dynamic subnet);
   ``net = amount − fee`` must be ≤ 1000 × the input-side reserve (``SwapInputTooLarge``);
2. the output-side reserve must hold ≥ ``MinimumReserve`` (``ReservesTooLow``); the pool is lazily
   initialised with weights 0.5/0.5; the current price must be strictly on the right side of the limit
   (buy: price < limit, sell: price > limit, else ``PriceLimitExceeded``);
3. if the price after swapping all of ``net`` stays within the limit the whole ``net`` is swapped;
   otherwise only the input that moves the price exactly to the limit is, and the fee is recomputed on
   that input as ``input · rate/(65535 − rate)`` (partial fill; the caller refunds the rest);
4. output = ``convert_deltas(input)`` (rounded down); a non-zero input with zero output is
   ``ReservesTooLow``; the whole fee goes to the block author.

Result amounts: ``amount_paid_in`` is the input that entered the pool (fee excluded),
``amount_paid_out`` the output, ``fee_paid`` the fee (in the input token). Unfilled input =
``amount − amount_paid_in − fee_paid``.

Prices are U64F64 raw bits (value × 2^64) unless a name says ``_rao`` (rao per alpha = price × 1e9).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from runtime.pallets.subtensor import storage as st
from runtime.pallets.subtensor.types import ROOT_NETUID
from runtime.pallets.swap import balancer
from runtime.pallets.swap.balancer import BalancerError
from runtime.pallets.swap.fixed_math import (
    ONE, U64_MAX, fx_div, fx_from_int, fx_mul, fx_sub, fx_to_u64, sat_add_u64, sat_mul_u64, sat_sub,
)
from runtime.pallets.swap.pallet import (
    MINIMUM_RESERVE, BalancerAlphaReservoir, BalancerTaoReservoir, FeeRate, PalSwapInitialized, SwapBalancer,
    errors,
)
from runtime.primitives.types import AlphaBalance, TaoBalance
from runtime.scale import Composite
from runtime.scale.fixed import Fixed
from runtime.support.dispatch import DispatchError
from runtime.support.externalities import Externalities

DYNAMIC_MECHANISM = 1
RAO_PER_TAO = 1_000_000_000
MAX_SWAP_INPUT_RESERVE_MULTIPLIER = 1_000
MIN_PRICE_RAO = 1_000
"""Default sell limit (``min_price``): 1e-6 TAO per alpha."""
MAX_PRICE_RAO = 1_000_000_000_000_000
"""Default buy limit (``max_price``): 1e6 TAO per alpha."""
U16_MAX = 0xFFFF


@dataclass(frozen=True, slots=True)
class SwapResult:
    """``SwapResult<PaidIn, PaidOut>``: what entered the pool, what left it, and the fee (input token)."""

    amount_paid_in: int
    amount_paid_out: int
    fee_paid: int
    fee_to_block_author: int

    @property
    def paid_in_reserve_delta(self) -> int:
        """Change of the input-side reserve (+amount_paid_in)."""
        return self.amount_paid_in

    @property
    def paid_out_reserve_delta(self) -> int:
        """Change of the output-side reserve (−amount_paid_out)."""
        return -self.amount_paid_out


# -- reserves and pool parameters ----------------------------------------------------------------------


def tao_reserve(ext: Externalities, netuid: int) -> int:
    """``TaoBalanceReserve::reserve``: ``SubnetTAO[netuid]``."""
    return st.SubnetTAO.get(ext, netuid)  # type: ignore[no-any-return]


def alpha_reserve(ext: Externalities, netuid: int) -> int:
    """``AlphaBalanceReserve::reserve``: ``SubnetAlphaIn[netuid]``."""
    return st.SubnetAlphaIn.get(ext, netuid)  # type: ignore[no-any-return]


def quote_weight(ext: Externalities, netuid: int) -> int:
    """``SwapBalancer[netuid].quote`` in Perquintill parts (0.5 by default)."""
    return SwapBalancer.get(ext, netuid)["quote"]  # type: ignore[no-any-return]


def mechanism(ext: Externalities, netuid: int) -> int:
    return st.SubnetMechanism.get(ext, netuid)  # type: ignore[no-any-return]


def subnet_exists(ext: Externalities, netuid: int) -> bool:
    return bool(st.NetworksAdded.get(ext, netuid))


# -- orders --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Order:
    """A market order of ``amount`` input tokens; subclasses fix the direction."""

    amount: int
    name: ClassVar[str] = ""

    def reserve_in(self, ext: Externalities, netuid: int) -> int:
        raise NotImplementedError

    def reserve_out(self, ext: Externalities, netuid: int) -> int:
        raise NotImplementedError

    def is_beyond_price_limit(self, current: int, limit: int) -> bool:
        """The current price still leaves room to trade toward ``limit``."""
        raise NotImplementedError

    def price_is_closer(self, price: int, limit: int) -> bool:
        """``price`` is no further from the current price than ``limit`` (in the order's direction)."""
        raise NotImplementedError

    def convert_deltas(self, ext: Externalities, netuid: int, delta_in: int) -> int:
        """Output for ``delta_in`` input at the current reserves and weights."""
        raise NotImplementedError

    def price_target(self, ext: Externalities, netuid: int, delta_in: int) -> int:
        """The pool price after swapping ``delta_in``."""
        raise NotImplementedError

    def delta_in(self, ext: Externalities, netuid: int, current: int, target: int) -> int:
        """Input that moves the price from ``current`` to ``target``."""
        raise NotImplementedError


class GetAlphaForTao(Order):
    """Buy alpha with ``amount`` TAO (price goes up)."""

    name = "GetAlphaForTao"

    def reserve_in(self, ext: Externalities, netuid: int) -> int:
        return tao_reserve(ext, netuid)

    def reserve_out(self, ext: Externalities, netuid: int) -> int:
        return alpha_reserve(ext, netuid)

    def is_beyond_price_limit(self, current: int, limit: int) -> bool:
        return current < limit

    def price_is_closer(self, price: int, limit: int) -> bool:
        return price <= limit

    def convert_deltas(self, ext: Externalities, netuid: int, delta_in: int) -> int:
        return balancer.alpha_out_for_tao_in(quote_weight(ext, netuid), alpha_reserve(ext, netuid),
                                             tao_reserve(ext, netuid), delta_in)

    def price_target(self, ext: Externalities, netuid: int, delta_in: int) -> int:
        dx = self.convert_deltas(ext, netuid, delta_in)
        return balancer.price(quote_weight(ext, netuid), sat_sub(alpha_reserve(ext, netuid), dx),
                              sat_add_u64(tao_reserve(ext, netuid), delta_in))

    def delta_in(self, ext: Externalities, netuid: int, current: int, target: int) -> int:
        return balancer.quote_delta_in(quote_weight(ext, netuid), current, target, tao_reserve(ext, netuid))


class GetTaoForAlpha(Order):
    """Sell ``amount`` alpha for TAO (price goes down)."""

    name = "GetTaoForAlpha"

    def reserve_in(self, ext: Externalities, netuid: int) -> int:
        return alpha_reserve(ext, netuid)

    def reserve_out(self, ext: Externalities, netuid: int) -> int:
        return tao_reserve(ext, netuid)

    def is_beyond_price_limit(self, current: int, limit: int) -> bool:
        return current > limit

    def price_is_closer(self, price: int, limit: int) -> bool:
        return price >= limit

    def convert_deltas(self, ext: Externalities, netuid: int, delta_in: int) -> int:
        return balancer.tao_out_for_alpha_in(quote_weight(ext, netuid), alpha_reserve(ext, netuid),
                                             tao_reserve(ext, netuid), delta_in)

    def price_target(self, ext: Externalities, netuid: int, delta_in: int) -> int:
        dy = self.convert_deltas(ext, netuid, delta_in)
        return balancer.price(quote_weight(ext, netuid), sat_add_u64(alpha_reserve(ext, netuid), delta_in),
                              sat_sub(tao_reserve(ext, netuid), dy))

    def delta_in(self, ext: Externalities, netuid: int, current: int, target: int) -> int:
        return balancer.base_delta_in(quote_weight(ext, netuid), current, target, alpha_reserve(ext, netuid))


# -- prices --------------------------------------------------------------------------------------------


def current_price_bits(ext: Externalities, netuid: int) -> int:
    """``Swap::current_price`` as U64F64 bits: the balancer price of a dynamic subnet (0 without alpha
    reserve); 1.0 for root and every non-dynamic mechanism."""
    if mechanism(ext, netuid) != DYNAMIC_MECHANISM:
        return ONE
    alpha = alpha_reserve(ext, netuid)
    if alpha == 0:
        return 0
    return balancer.price(quote_weight(ext, netuid), alpha, tao_reserve(ext, netuid))


def current_price(ext: Externalities, netuid: int) -> Fixed:
    """``Swap::current_price`` (TAO per alpha) as a ``U64F64`` value."""
    return Fixed(current_price_bits(ext, netuid), 64)


def current_alpha_price_rao(ext: Externalities, netuid: int) -> int:
    """``SwapRuntimeApi::current_alpha_price``: ``current_price × 1e9`` truncated (rao per alpha)."""
    return fx_to_u64(fx_mul(current_price_bits(ext, netuid), fx_from_int(RAO_PER_TAO)))


def limit_price_from_rao(price_limit_rao: int) -> int:
    """A limit in rao per alpha as U64F64 bits: ``limit / 1e9`` (truncated)."""
    return fx_div(fx_from_int(price_limit_rao), fx_from_int(RAO_PER_TAO))


def default_price_limit(order: Order) -> int:
    """``DefaultPriceLimit``: a buy may go up to :func:`max_price`, a sell down to :func:`min_price`."""
    return MAX_PRICE_RAO if isinstance(order, GetAlphaForTao) else MIN_PRICE_RAO


def min_price() -> int:
    """``SwapHandler::min_price``: the default sell limit, 1000 rao per alpha."""
    return MIN_PRICE_RAO


def max_price() -> int:
    """``SwapHandler::max_price``: the default buy limit, 1e15 rao per alpha."""
    return MAX_PRICE_RAO


# -- initialisation ------------------------------------------------------------------------------------


def maybe_initialize_palswap(ext: Externalities, netuid: int, price_bits: int | None = None) -> None:
    """Lazily set the pool's weights once: 0.5/0.5, or those giving ``price_bits`` at the current
    reserves (``w_q = y / (p·x + y)``). ``ReservesOutOfBalance`` if that weight is out of range."""
    if PalSwapInitialized.get(ext, netuid):
        return
    if price_bits is None:
        quote = balancer.DEFAULT_QUOTE_WEIGHT
    else:
        try:
            quote = balancer.weight_for_price(price_bits, tao_reserve(ext, netuid), alpha_reserve(ext, netuid))
        except BalancerError:
            raise errors.ReservesOutOfBalance from None
    SwapBalancer.put(ext, netuid, {"quote": quote})
    PalSwapInitialized.put(ext, netuid, True)


def init_swap(ext: Externalities, netuid: int, price_bits: int | None = None) -> None:
    """``SwapHandler::init_swap``: :func:`maybe_initialize_palswap`, ignoring a failure."""
    try:
        maybe_initialize_palswap(ext, netuid, price_bits)
    except DispatchError:  # the reference discards the error (`unwrap_or_default`)
        pass


# -- fees ----------------------------------------------------------------------------------------------


def calculate_fee_amount(ext: Externalities, netuid: int, amount: int, drop_fees: bool = False) -> int:
    """``floor(amount · FeeRate/65535)`` in U64F64 on a dynamic subnet; 0 otherwise or with ``drop_fees``."""
    if drop_fees or mechanism(ext, netuid) != DYNAMIC_MECHANISM:
        return 0
    rate = fx_div(fx_from_int(FeeRate.get(ext, netuid)), fx_from_int(U16_MAX))
    return fx_to_u64(fx_mul(fx_from_int(amount), rate))


def approx_fee_amount(ext: Externalities, netuid: int, amount: int) -> int:
    """``SwapHandler::approx_fee_amount``: the fee a swap of ``amount`` would pay."""
    return calculate_fee_amount(ext, netuid, amount, False)


def _partial_fill_fee(ext: Externalities, netuid: int, delta_in: int, drop_fees: bool) -> int:
    """Fee on a limit-clipped input, so that ``delta_in + fee`` is the gross amount used:
    ``delta_in · rate/(65535 − rate)`` (no mechanism check, as in the reference)."""
    rate = 0 if drop_fees else fx_from_int(FeeRate.get(ext, netuid))
    return fx_to_u64(fx_mul(fx_from_int(delta_in), fx_div(rate, fx_sub(fx_from_int(U16_MAX), rate))))


# -- the swap ------------------------------------------------------------------------------------------


def _ensure_input_within_reserve_limit(ext: Externalities, netuid: int, order: Order, drop_fees: bool) -> None:
    net = sat_sub(order.amount, calculate_fee_amount(ext, netuid, order.amount, drop_fees))
    if net > sat_mul_u64(order.reserve_in(ext, netuid), MAX_SWAP_INPUT_RESERVE_MULTIPLIER):
        raise errors.SwapInputTooLarge


def _swap_step(ext: Externalities, netuid: int, order: Order, limit: int, drop_fees: bool) -> SwapResult:
    fee = calculate_fee_amount(ext, netuid, order.amount, drop_fees)
    requested = sat_sub(order.amount, fee)
    target = order.price_target(ext, netuid, requested)
    current = current_price_bits(ext, netuid)

    if order.price_is_closer(target, limit):
        delta_in = requested
    else:
        delta_in = order.delta_in(ext, netuid, current, limit)
        fee = _partial_fill_fee(ext, netuid, delta_in, drop_fees)

    delta_out = order.convert_deltas(ext, netuid, delta_in)
    to_author = 0
    if delta_in != 0:
        if delta_out == 0:
            raise errors.ReservesTooLow
        to_author = fee
    return SwapResult(delta_in, delta_out, fee, to_author)


def _swap_inner(ext: Externalities, netuid: int, order: Order, limit: int, drop_fees: bool) -> SwapResult:
    if order.reserve_out(ext, netuid) < MINIMUM_RESERVE:
        raise errors.ReservesTooLow
    maybe_initialize_palswap(ext, netuid, None)
    if not order.is_beyond_price_limit(current_price_bits(ext, netuid), limit):
        raise errors.PriceLimitExceeded
    return _swap_step(ext, netuid, order, limit, drop_fees)


def do_swap(ext: Externalities, netuid: int, order: Order, limit_price_bits: int, drop_fees: bool = False,
            simulate: bool = False) -> SwapResult:
    """``Swap::do_swap`` with a U64F64 limit, in its own storage transaction.

    A simulation (or a failure) rolls back; a real swap keeps the lazy initialisation and fails with
    ``InsufficientLiquidity`` if the output exceeds the output-side reserve it started from.
    """
    reserve_before = order.reserve_out(ext, netuid)
    ext.start_transaction()
    try:
        _ensure_input_within_reserve_limit(ext, netuid, order, drop_fees)
        result = _swap_inner(ext, netuid, order, limit_price_bits, drop_fees)
    except BaseException:
        ext.rollback_transaction()
        raise
    if simulate:
        ext.rollback_transaction()
        return result
    ext.commit_transaction()
    if reserve_before < result.amount_paid_out:
        raise errors.InsufficientLiquidity
    return result


def swap(ext: Externalities, netuid: int, order: Order, price_limit_rao: int, drop_fees: bool = False,
         should_rollback: bool = False) -> SwapResult:
    """``SwapHandler::swap``: price ``order`` against the pool with a limit in rao per alpha.

    Does **not** move reserves (see :func:`swap_tao_for_alpha` / :func:`swap_alpha_for_tao`).
    ``should_rollback`` makes it a simulation.
    """
    return do_swap(ext, netuid, order, limit_price_from_rao(price_limit_rao), drop_fees, should_rollback)


def sim_swap(ext: Externalities, netuid: int, order: Order) -> SwapResult:
    """``SwapHandler::sim_swap``: a dynamic subnet simulates with fees and the order's default limit
    (:func:`default_price_limit`); other mechanisms return 1:1 without fee (zero if the subnet does
    not exist)."""
    if mechanism(ext, netuid) == DYNAMIC_MECHANISM:
        return swap(ext, netuid, order, default_price_limit(order), False, True)
    amount = order.amount if subnet_exists(ext, netuid) else 0
    return SwapResult(amount, amount, 0, 0)


# -- SubtensorModule's pool bookkeeping (pallet_subtensor::staking::stake_utils) ------------------------


def _mutate_add(item: Any, ext: Externalities, key: Any, delta: int, cap: int) -> None:
    item.put(ext, key, min(item.get(ext, key) + delta, cap))


_I64_MAX = (1 << 63) - 1


def _in_delta(result: SwapResult) -> int:
    """``paid_in_reserve_delta_i64().unsigned_abs()``: the input, clamped to ``i64::MAX``."""
    return min(result.amount_paid_in, _I64_MAX)


def _out_delta(result: SwapResult) -> int:
    """``paid_out_reserve_delta_i64().unsigned_abs()``: the output, clamped to ``|i64::MIN|``."""
    return min(result.amount_paid_out, _I64_MAX + 1)


def swap_tao_for_alpha(ext: Externalities, netuid: int, tao: int, price_limit_rao: int,
                       drop_fees: bool = False) -> SwapResult:
    """Buy alpha with ``tao`` and move the reserves (SubtensorModule's ``swap_tao_for_alpha``).

    Dynamic subnets swap through the pool; every other mechanism (root included) is 1:1 without fee.
    Then ``SubnetAlphaIn −= out``, ``SubnetAlphaOut += out``, ``SubnetTAO += paid_in`` (net of fee),
    ``TotalStake += tao`` and ``SubnetVolume += tao`` (both gross).
    """
    if mechanism(ext, netuid) == DYNAMIC_MECHANISM:
        result = swap(ext, netuid, GetAlphaForTao(tao), price_limit_rao, drop_fees, False)
    else:
        result = SwapResult(tao, tao, 0, 0)
    if result.amount_paid_out:
        st.SubnetAlphaIn.put(ext, netuid, sat_sub(alpha_reserve(ext, netuid), _out_delta(result)))
    _mutate_add(st.SubnetAlphaOut, ext, netuid, result.amount_paid_out, U64_MAX)
    _mutate_add(st.SubnetTAO, ext, netuid, _in_delta(result), U64_MAX)
    st.TotalStake.put(ext, sat_add_u64(st.TotalStake.get(ext), tao))
    _mutate_add(st.SubnetVolume, ext, netuid, tao, (1 << 128) - 1)
    return result


def swap_alpha_for_tao(ext: Externalities, netuid: int, alpha: int, price_limit_rao: int,
                       drop_fees: bool = False) -> SwapResult:
    """Sell ``alpha`` for TAO and move the reserves (SubtensorModule's ``swap_alpha_for_tao``).

    ``SubnetAlphaIn += paid_in`` (net of fee), ``SubnetAlphaOut −= paid_in``, ``SubnetTAO −= out``,
    ``TotalStake −= out``, ``SubnetVolume += out``. The alpha fee stays with the caller to handle
    (the reference sells it fee-free for the block author or burns it).
    """
    if mechanism(ext, netuid) == DYNAMIC_MECHANISM:
        result = swap(ext, netuid, GetTaoForAlpha(alpha), price_limit_rao, drop_fees, False)
    else:
        result = SwapResult(alpha, alpha, 0, 0)
    _mutate_add(st.SubnetAlphaIn, ext, netuid, _in_delta(result), U64_MAX)
    st.SubnetAlphaOut.put(ext, netuid, sat_sub(st.SubnetAlphaOut.get(ext, netuid), _in_delta(result)))
    if result.amount_paid_out:
        st.SubnetTAO.put(ext, netuid, sat_sub(tao_reserve(ext, netuid), _out_delta(result)))
    st.TotalStake.put(ext, sat_sub(st.TotalStake.get(ext), result.amount_paid_out))
    _mutate_add(st.SubnetVolume, ext, netuid, result.amount_paid_out, (1 << 128) - 1)
    return result


# -- limit orders --------------------------------------------------------------------------------------


def max_amount_add(ext: Externalities, netuid: int, limit_price_rao: int) -> int:
    """``get_max_amount_add``: gross TAO an ``add_stake_limit`` may spend before the price reaches
    ``limit_price_rao``. Root / stable subnets: ``u64::MAX`` if the limit is ≥ 1e9, else 0.
    Raises the swap's error (e.g. ``PriceLimitExceeded`` when the price is already at the limit)."""
    if netuid == ROOT_NETUID or mechanism(ext, netuid) == 0:
        return U64_MAX if limit_price_rao >= RAO_PER_TAO else 0
    probe = sat_mul_u64(tao_reserve(ext, netuid), MAX_SWAP_INPUT_RESERVE_MULTIPLIER)
    result = swap(ext, netuid, GetAlphaForTao(probe), limit_price_rao, False, True)
    return sat_add_u64(result.amount_paid_in, result.fee_paid)


def max_amount_remove(ext: Externalities, netuid: int, limit_price_rao: int) -> int:
    """``get_max_amount_remove``: gross alpha a ``remove_stake_limit`` may sell before the price falls
    to ``limit_price_rao``. Root / stable subnets: ``u64::MAX`` if the limit is ≤ 1e9, else 0."""
    if netuid == ROOT_NETUID or mechanism(ext, netuid) == 0:
        return U64_MAX if limit_price_rao <= RAO_PER_TAO else 0
    probe = sat_mul_u64(alpha_reserve(ext, netuid), MAX_SWAP_INPUT_RESERVE_MULTIPLIER)
    result = swap(ext, netuid, GetTaoForAlpha(probe), limit_price_rao, False, True)
    return sat_add_u64(result.amount_paid_in, result.fee_paid)


def get_alpha_amount_for_tao(ext: Externalities, netuid: int, tao: int) -> int:
    """``SwapHandler::get_alpha_amount_for_tao``: ``tao / price`` without slippage on a dynamic subnet
    (0 when the price is 0), ``tao`` otherwise."""
    if mechanism(ext, netuid) != DYNAMIC_MECHANISM:
        return tao
    return fx_to_u64(fx_div(fx_from_int(tao), current_price_bits(ext, netuid)))


# -- protocol liquidity (coinbase injection, subnet dissolution) ----------------------------------------


def _try_weight(quote: int, tao: int, alpha: int, tao_delta: int, alpha_delta: int) -> int | None:
    try:
        return balancer.weight_for_added_liquidity(quote, tao, alpha, tao_delta, alpha_delta)
    except BalancerError:
        return None


def adjust_protocol_liquidity(ext: Externalities, netuid: int, tao_delta: int,
                              alpha_delta: int) -> tuple[int, int]:
    """Re-weight the pool for injected liquidity so the price does not move.

    The pending amounts are this injection plus the reservoirs. Tries, in order: both sides, alpha
    only, TAO only; a side that cannot join without pushing a weight out of [0.01, 0.99] stays in its
    reservoir. Returns the (TAO, alpha) the caller must add to ``SubnetTAO`` / ``SubnetAlphaIn``.
    """
    tao, alpha = tao_reserve(ext, netuid), alpha_reserve(ext, netuid)
    quote = quote_weight(ext, netuid)
    pending_tao = sat_add_u64(BalancerTaoReservoir.get(ext, netuid), tao_delta)
    pending_alpha = sat_add_u64(BalancerAlphaReservoir.get(ext, netuid), alpha_delta)

    for use_tao, use_alpha in ((pending_tao, pending_alpha), (0, pending_alpha), (pending_tao, 0)):
        new_quote = _try_weight(quote, tao, alpha, use_tao, use_alpha)
        if new_quote is not None:
            BalancerTaoReservoir.put(ext, netuid, pending_tao - use_tao)
            BalancerAlphaReservoir.put(ext, netuid, pending_alpha - use_alpha)
            SwapBalancer.put(ext, netuid, {"quote": new_quote})
            return use_tao, use_alpha
    BalancerTaoReservoir.put(ext, netuid, pending_tao)
    BalancerAlphaReservoir.put(ext, netuid, pending_alpha)
    return 0, 0


def protocol_tao_reservoir(ext: Externalities, netuid: int) -> int:
    return BalancerTaoReservoir.get(ext, netuid)  # type: ignore[no-any-return]


def protocol_alpha_reservoir(ext: Externalities, netuid: int) -> int:
    return BalancerAlphaReservoir.get(ext, netuid)  # type: ignore[no-any-return]


def clear_protocol_liquidity_reservoirs(ext: Externalities, netuid: int) -> None:
    BalancerTaoReservoir.kill(ext, netuid)
    BalancerAlphaReservoir.kill(ext, netuid)


def clear_protocol_liquidity(ext: Externalities, netuid: int) -> tuple[int, int]:
    """``do_clear_protocol_liquidity``: fold the reservoirs into the reserves, then empty both reserves
    (burning them) and forget the pool's weights, fee rate and initialisation. Returns the burned
    (TAO, alpha)."""
    reservoir_tao = BalancerTaoReservoir.take(ext, netuid)
    reservoir_alpha = BalancerAlphaReservoir.take(ext, netuid)
    if reservoir_tao:
        _mutate_add(st.SubnetTAO, ext, netuid, reservoir_tao, U64_MAX)
    if reservoir_alpha:
        _mutate_add(st.SubnetAlphaIn, ext, netuid, reservoir_alpha, U64_MAX)
    burned_tao, burned_alpha = tao_reserve(ext, netuid), alpha_reserve(ext, netuid)
    if burned_tao:
        st.SubnetTAO.put(ext, netuid, 0)
    if burned_alpha:
        st.SubnetAlphaIn.put(ext, netuid, 0)
    PalSwapInitialized.kill(ext, netuid)
    FeeRate.kill(ext, netuid)
    SwapBalancer.kill(ext, netuid)
    return burned_tao, burned_alpha


# -- runtime API helpers (SwapRuntimeApi) --------------------------------------------------------------

SimSwapResult = Composite("pallet_subtensor_swap_runtime_api::SimSwapResult", [
    ("tao_amount", TaoBalance, "TaoBalance"), ("alpha_amount", AlphaBalance, "AlphaBalance"),
    ("tao_fee", TaoBalance, "TaoBalance"), ("alpha_fee", AlphaBalance, "AlphaBalance"),
    ("tao_slippage", TaoBalance, "TaoBalance"), ("alpha_slippage", AlphaBalance, "AlphaBalance"),
])
"""The runtime API's result struct (values are dicts keyed by these field names)."""

_ZERO_SIM = {"tao_amount": 0, "alpha_amount": 0, "tao_fee": 0, "alpha_fee": 0, "tao_slippage": 0,
             "alpha_slippage": 0}


def sim_swap_tao_for_alpha(ext: Externalities, netuid: int, tao: int) -> dict[str, int]:
    """``SwapRuntimeApi::sim_swap_tao_for_alpha``: the simulated buy; all zeros if it fails."""
    no_slippage = fx_to_u64(fx_div(fx_from_int(tao), current_price_bits(ext, netuid)))
    try:
        r = sim_swap(ext, netuid, GetAlphaForTao(tao))
    except DispatchError:
        return dict(_ZERO_SIM)
    return {"tao_amount": r.amount_paid_in, "alpha_amount": r.amount_paid_out, "tao_fee": r.fee_paid,
            "alpha_fee": 0, "tao_slippage": 0, "alpha_slippage": sat_sub(no_slippage, r.amount_paid_out)}


def sim_swap_alpha_for_tao(ext: Externalities, netuid: int, alpha: int) -> dict[str, int]:
    """``SwapRuntimeApi::sim_swap_alpha_for_tao``: the simulated sell; all zeros if it fails."""
    no_slippage = fx_to_u64(fx_mul(fx_from_int(alpha), current_price_bits(ext, netuid)))
    try:
        r = sim_swap(ext, netuid, GetTaoForAlpha(alpha))
    except DispatchError:
        return dict(_ZERO_SIM)
    return {"tao_amount": r.amount_paid_out, "alpha_amount": r.amount_paid_in, "tao_fee": 0,
            "alpha_fee": r.fee_paid, "tao_slippage": sat_sub(no_slippage, r.amount_paid_out), "alpha_slippage": 0}
