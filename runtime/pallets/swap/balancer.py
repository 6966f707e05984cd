"""The weighted-product (Balancer) pool of pallet_subtensor_swap, as pure integer functions.

Notation follows the reference: ``x`` is the alpha reserve (base), ``y`` the TAO reserve (quote),
``w_q`` the stored quote weight (``SwapBalancer[netuid].quote``, Perquintill parts) and
``w_b = 1 − w_q``. Both weights must stay ≥ 0.01.

* price ``p = (w_b / w_q) · (y / x)`` (U64F64);
* buying alpha with ``∆y``: ``∆x = x · (1 − (y / (y + ∆y))^(w_q / w_b))``;
* selling alpha ``∆x``: ``∆y = y · (1 − (x / (x + ∆x))^(w_b / w_q))``;
* input that moves the price to a limit ``p'``: buy ``∆y = y · ((p'/p)^w_b − 1)``,
  sell ``∆x = x · ((p/p')^w_q − 1)``;
* adding liquidity ``(∆y, ∆x)`` re-weights the pool so the price is unchanged:
  ``w_q' = w_q·x·(y+∆y) / (w_b·y·(x+∆x) + w_q·x·(y+∆y))``.

With the default 0.5/0.5 weights every power has exponent 1 or 1/2 and is computed exactly, so the pool
is exactly constant product. Prices and exponent results are U64F64 raw bits; weights are Perquintill
parts; amounts are u64 integers.
"""

from __future__ import annotations

from runtime.pallets.swap.fixed_math import (
    ONE, PERQUINTILL_ONE, U64_MAX, U128_MAX, fx_div, fx_from_int, fx_mul, fx_sub, fx_to_u64,
    perquintill_from_rational, pow_ratio_scaled, sat_add_u128, sat_add_u64, sat_mul_u128, sat_sub,
)

ACCURACY = PERQUINTILL_ONE
MIN_WEIGHT = ACCURACY // 100
"""Lowest weight either side may have (0.01)."""
DEFAULT_QUOTE_WEIGHT = ACCURACY // 2
"""``Balancer::default()``: 0.5 (``Perquintill::from_rational(1, 2)``)."""

_EXP_PRECISION = 256
"""Precision the reserve-ratio powers ask of ``pow_ratio_scaled``."""
_LIMIT_PRECISION = 1024
"""Precision the limit-price powers ask of ``pow_ratio_scaled``."""


class BalancerError(ValueError):
    """A weight outside [0.01, 0.99] (``BalancerError::InvalidValue``)."""


def valid_quote_weight(quote: int) -> bool:
    """Both the quote weight and ``1 − quote`` are at least 0.01."""
    return quote >= MIN_WEIGHT and sat_sub(ACCURACY, quote) >= MIN_WEIGHT


def checked_quote_weight(quote: int) -> int:
    """``Balancer::new``: the weight itself, or :class:`BalancerError`."""
    if not valid_quote_weight(quote):
        raise BalancerError(quote)
    return quote


def base_weight(quote: int) -> int:
    return sat_sub(ACCURACY, quote)


# -- price -------------------------------------------------------------------------------------------


def price(quote: int, x: int, y: int) -> int:
    """``calculate_price(x, y)`` = (w_b / w_q) · (y / x) as U64F64 bits (0 when ``x`` is 0)."""
    weight_ratio = fx_div(fx_from_int(base_weight(quote)), fx_from_int(quote))
    return fx_mul(weight_ratio, fx_div(fx_from_int(y), fx_from_int(x)))


# -- reserve-ratio powers -----------------------------------------------------------------------------


def _exp_scaled(quote: int, reserve: int, delta: int, base_over_quote: bool) -> int:
    """(r / (r + ∆))^(w_b/w_q) (or ^(w_q/w_b)) as U64F64 bits; ∆ may be negative.

    ``r + ∆`` saturates in u64; a zero denominator gives 0, so does a result beyond u64 at 1e18 scale.
    For ∆ ≥ 0 the result is capped at 1.
    """
    shifted = sat_add_u64(reserve, delta) if delta >= 0 else sat_sub(reserve, -delta)
    if shifted == 0:
        return 0
    w_b, w_q = base_weight(quote), quote
    num, den = (w_b, w_q) if base_over_quote else (w_q, w_b)
    scaled = pow_ratio_scaled(reserve, shifted, num, den, _EXP_PRECISION, ACCURACY)
    if scaled is None or scaled > U64_MAX:
        return 0
    result = fx_div(fx_from_int(scaled), fx_from_int(ACCURACY))
    return min(result, ONE) if delta >= 0 else result


def exp_base_quote(quote: int, x: int, dx: int) -> int:
    """(x / (x + ∆x))^(w_b / w_q): the sell-side factor."""
    return _exp_scaled(quote, x, dx, True)


def exp_quote_base(quote: int, y: int, dy: int) -> int:
    """(y / (y + ∆y))^(w_q / w_b): the buy-side factor."""
    return _exp_scaled(quote, y, dy, False)


def alpha_out_for_tao_in(quote: int, x: int, y: int, dy: int) -> int:
    """Alpha paid out for ``dy`` TAO in: floor(x · (1 − e)) with e = exp_quote_base(y, dy)."""
    e = exp_quote_base(quote, y, dy)
    return fx_to_u64(fx_mul(fx_from_int(x), fx_sub(ONE, e)))


def tao_out_for_alpha_in(quote: int, x: int, y: int, dx: int) -> int:
    """TAO paid out for ``dx`` alpha in: floor(y · (1 − e)) with e = exp_base_quote(x, dx)."""
    e = exp_base_quote(quote, x, dx)
    return fx_to_u64(fx_mul(fx_from_int(y), fx_sub(ONE, e)))


def base_needed_for_quote(quote: int, y: int, x: int, dy: int) -> int:
    """``get_base_needed_for_quote``: alpha to sell for ``dy`` TAO out, floor(x · ((y/(y−∆y))^(w_q/w_b) − 1))."""
    e = _exp_scaled(quote, y, -dy, False)
    return fx_to_u64(fx_mul(fx_from_int(x), fx_sub(e, ONE)))


# -- limit prices ------------------------------------------------------------------------------------


def _delta_to_price(ratio_num: int, ratio_den: int, weight: int, reserve: int) -> int:
    """reserve · ((ratio_num / ratio_den)^(weight) − 1) with the crate's 1e18 scale and U64F64 steps."""
    scaled = pow_ratio_scaled(ratio_num, ratio_den, weight, ACCURACY, _LIMIT_PRECISION, ACCURACY)
    if scaled is None:
        return 0
    scaled = min(scaled, U64_MAX)
    factor = fx_sub(fx_div(fx_from_int(scaled), fx_from_int(ACCURACY)), ONE)
    return fx_to_u64(fx_mul(fx_from_int(reserve), factor))


def quote_delta_in(quote: int, current_price: int, target_price: int, y: int) -> int:
    """TAO that moves the price up from ``current_price`` to ``target_price``: y·((p'/p)^w_b − 1)."""
    return _delta_to_price(target_price, current_price, base_weight(quote), y)


def base_delta_in(quote: int, current_price: int, target_price: int, x: int) -> int:
    """Alpha that moves the price down from ``current_price`` to ``target_price``: x·((p/p')^w_q − 1)."""
    return _delta_to_price(current_price, target_price, quote, x)


# -- liquidity ------------------------------------------------------------------------------------------


def _mul_perquintill_round(parts: int, value: int) -> int:
    """value · parts / 1e18 rounded half up, capped at ``u128::MAX``."""
    return min((value * parts + ACCURACY // 2) // ACCURACY, U128_MAX)


def weight_for_added_liquidity(quote: int, tao_reserve: int, alpha_reserve: int, tao_delta: int,
                               alpha_delta: int) -> int:
    """``update_weights_for_added_liquidity``: the new quote weight, or :class:`BalancerError`.

    Keeps the price when ``(tao_delta, alpha_delta)`` join reserves ``(tao_reserve, alpha_reserve)``;
    an empty side resets the weights to 0.5.
    """
    new_tao = sat_add_u128(tao_reserve, tao_delta)
    new_alpha = sat_add_u128(alpha_reserve, alpha_delta)
    q1 = _mul_perquintill_round(base_weight(quote), sat_mul_u128(tao_reserve, new_alpha))
    q2 = _mul_perquintill_round(quote, sat_mul_u128(alpha_reserve, new_tao))
    total = sat_add_u128(q1, q2)
    new_quote = perquintill_from_rational(q2, total) if total != 0 else DEFAULT_QUOTE_WEIGHT
    return checked_quote_weight(new_quote)


def weight_for_price(price_bits: int, tao_reserve: int, alpha_reserve: int) -> int:
    """Quote weight that gives ``price`` at these reserves: w_q = y / (p·x + y) (``maybe_initialize``).

    Raises :class:`BalancerError` when both terms are 0 or the weight leaves its range.
    """
    px_high = sat_mul_u128(price_bits >> 64, alpha_reserve)
    px_low = fx_mul(fx_from_int(alpha_reserve), price_bits & (ONE - 1)) >> 64
    px_plus_y = sat_add_u128(sat_add_u128(px_high, px_low), tao_reserve)
    if px_plus_y == 0:
        raise BalancerError(0)
    return checked_quote_weight(perquintill_from_rational(tao_reserve, px_plus_y))
