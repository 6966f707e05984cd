"""Integer arithmetic the swap pallet needs, bit-exact with the Rust crates node-subtensor uses.

* ``U64F64`` (``substrate_fixed::FixedU128<U64>``) as raw ``u128`` bits (value × 2^64): conversions,
  truncating multiply/divide with the saturating/``safe_div`` behaviour of ``safe_math``;
* ``Perquintill`` (``sp_arithmetic``) as parts of 10^18, including ``from_rational``'s reduction of large
  denominators (which makes it *not* an exact floor when ``q > 10^18``);
* ``pow_ratio_scaled`` of the ``safe-bigmath`` crate (rev 013c499, v0.4.1): ``(a/b)^(n/d) · scale`` as a
  floor, exact (integer roots) for small exponents and a fixed-point ln/exp series with guard bits
  otherwise. The series is reproduced step by step because its truncations decide the last digit.

No floats anywhere; every function takes and returns Python ints.
"""

from __future__ import annotations

from math import gcd

U64_MAX = (1 << 64) - 1
U128_MAX = (1 << 128) - 1

# -- U64F64 on raw bits --------------------------------------------------------------------------------

FRAC_BITS = 64
ONE = 1 << FRAC_BITS
"""1.0 as U64F64 bits."""


def fx_from_int(n: int) -> int:
    """``U64F64::saturating_from_num(n)`` for a non-negative integer."""
    return min(n << FRAC_BITS, U128_MAX)


def fx_mul(a: int, b: int) -> int:
    """``a.saturating_mul(b)``: product truncated to 64 fraction bits, saturated at the maximum."""
    return min((a * b) >> FRAC_BITS, U128_MAX)


def fx_div(a: int, b: int) -> int:
    """``a.safe_div(b)``: truncated quotient; 0 on division by zero or overflow (``checked_div``)."""
    if b == 0:
        return 0
    q = (a << FRAC_BITS) // b
    return q if q <= U128_MAX else 0


def fx_sub(a: int, b: int) -> int:
    """``a.saturating_sub(b)`` (unsigned, floors at 0)."""
    return a - b if a > b else 0


def fx_to_u64(a: int) -> int:
    """``a.saturating_to_num::<u64>()``: the integer part (truncated), saturated at ``u64::MAX``."""
    return min(a >> FRAC_BITS, U64_MAX)


def fx_to_u128(a: int) -> int:
    """``a.saturating_to_num::<u128>()``: the integer part."""
    return a >> FRAC_BITS


def fx_frac(a: int) -> int:
    """``a.frac()``: the fractional part (bits below 2^64)."""
    return a & (ONE - 1)


# -- saturating unsigned helpers -----------------------------------------------------------------------


def sat_add_u64(a: int, b: int) -> int:
    return min(a + b, U64_MAX)


def sat_sub(a: int, b: int) -> int:
    return a - b if a > b else 0


def sat_mul_u64(a: int, b: int) -> int:
    return min(a * b, U64_MAX)


def sat_add_u128(a: int, b: int) -> int:
    return min(a + b, U128_MAX)


def sat_mul_u128(a: int, b: int) -> int:
    return min(a * b, U128_MAX)


# -- Perquintill ---------------------------------------------------------------------------------------

PERQUINTILL_ONE = 10**18
"""``Perquintill::ACCURACY`` (and the balancer's weight accuracy)."""


def perquintill_from_rational(p: int, q: int) -> int:
    """``Perquintill::from_rational(p, q)`` in parts: rounding down, 1.0 when ``q == 0`` or ``p > q``.

    sp_arithmetic first divides both terms by ``ceil(q / 10^18)`` (rounding down) so that they fit the
    inner type, then floors ``p' · 10^18 / q'``; for ``q > 10^18`` that loses a little precision, and
    the result depends on it.
    """
    if q == 0 or p > q:
        return PERQUINTILL_ONE
    factor = max(-(-q // PERQUINTILL_ONE), 1)
    q_reduced = q // factor
    p_reduced = p // factor
    return (p_reduced * PERQUINTILL_ONE) // q_reduced


# -- safe-bigmath pow_ratio_scaled ---------------------------------------------------------------------

_DEFAULT_MAX_ITERS = 4096
_MAX_EXACT_EXPONENT = 1024
_GUARD_BITS = 24


def _trunc_divmod(value: int, divisor: int) -> tuple[int, int]:
    """num-integer's ``div_rem`` on signed big integers: quotient rounded toward zero."""
    q = abs(value) // abs(divisor)
    if (value < 0) != (divisor < 0):
        q = -q
    return q, value - q * divisor


def _round_to_precision(value: int, guard: int) -> int:
    """Drop the guard bits, rounding half away from zero."""
    truncated, remainder = _trunc_divmod(value, guard)
    if remainder != 0 and (abs(remainder) << 1) >= abs(guard):
        truncated += 1 if remainder > 0 else -1
    return truncated


def _ln1p_fixed(x: int, scale: int, guard: int, max_iters: int) -> int:
    """ln(1 + x/scale)·scale by the alternating Taylor series, stopping as the crate does."""
    term = x
    result = term
    prev = _round_to_precision(result, guard)
    for n in range(2, max_iters + 1):
        term = (term * x) // scale
        if term == 0:
            break
        step = term // n
        if step == 0:
            break
        if n % 2 == 0:
            result -= step
        else:
            result += step
        rounded = _round_to_precision(result, guard)
        if abs(step) < abs(guard) or rounded == prev:
            break
        prev = rounded
    return result


def _exp_fixed(x: int, scale: int, guard: int, max_iters: int) -> int:
    """exp(x/scale)·scale by the Taylor series, stopping as the crate does."""
    term = scale
    result = term
    prev = _round_to_precision(result, guard)
    for n in range(1, max_iters + 1):
        term = (term * x) // (scale * n)
        if term == 0:
            break
        result += term
        rounded = _round_to_precision(result, guard)
        if abs(term) < abs(guard) or rounded == prev:
            break
        prev = rounded
    return result


def _ln_int(value: int, precision: int, scale: int, guard: int, ln_two: int, max_iters: int) -> int:
    """ln(value)·scale: mantissa normalised into [0.5, 1.5) times 2^shift."""
    if value == 0:
        return 0
    shift = max(value.bit_length() - 1, 0)
    mantissa = (value << precision) >> shift
    if mantissa >= scale + (scale >> 1):
        mantissa >>= 1
        shift += 1
    return _ln1p_fixed(mantissa - scale, scale, guard, max_iters) + ln_two * shift


def _int_root_floor(n: int, q: int) -> int:
    """The largest r with r^q <= n (n >= 0, q >= 1)."""
    if n < 2 or q == 1:
        return n
    # Newton's iteration from an over-estimate converges monotonically down to the floor root.
    r = 1 << -(-n.bit_length() // q)
    while True:
        nxt = ((q - 1) * r + n // r ** (q - 1)) // q
        if nxt >= r:
            break
        r = nxt
    while r**q > n:
        r -= 1
    while (r + 1) ** q <= n:
        r += 1
    return r


def pow_ratio_scaled(base_num: int, base_den: int, exp_num: int, exp_den: int, precision: int,
                     scale: int) -> int | None:
    """``SafeInt::pow_ratio_scaled``: floor((base_num/base_den)^(exp_num/exp_den) · scale), or None.

    None for a zero denominator or a negative argument; 0 for a zero base; ``scale`` for a zero exponent.
    Exponents that reduce to terms ≤ 1024 are computed exactly with an integer root; larger ones go
    through ln/exp at ``max(precision, 32, bits(scale) + 8)`` bits plus 24 guard bits.
    """
    if base_den == 0 or exp_den == 0:
        return None
    if base_num == 0:
        return 0
    if scale < 0 or base_num < 0 or base_den < 0 or exp_num < 0 or exp_den < 0:
        return None
    if exp_num == 0:
        return scale
    g = gcd(exp_num, exp_den)
    if g > 1:
        exp_num //= g
        exp_den //= g

    if exp_num <= _MAX_EXACT_EXPONENT and exp_den <= _MAX_EXACT_EXPONENT:
        target_num = base_num**exp_num * scale**exp_den
        target_den = base_den**exp_num
        # r^q * den <= num  <=>  r^q <= floor(num / den) for integer r.
        return _int_root_floor(target_num // target_den, exp_den)

    requested = max(precision, 32, scale.bit_length() + 8)
    internal = requested + _GUARD_BITS
    max_iters = max(min(_DEFAULT_MAX_ITERS, internal + 128), 1)
    target_scale = 1 << requested
    guard = 1 << _GUARD_BITS
    internal_scale = target_scale << _GUARD_BITS

    ln_two = -_ln1p_fixed(-(internal_scale >> 1), internal_scale, guard, max_iters)
    ln_base = (_ln_int(base_num, internal, internal_scale, guard, ln_two, max_iters)
               - _ln_int(base_den, internal, internal_scale, guard, ln_two, max_iters))
    ln_scaled = (ln_base * exp_num) // exp_den
    exp_fp = _exp_fixed(ln_scaled, internal_scale, guard, max_iters)
    return (_round_to_precision(exp_fp, guard) * scale) // target_scale
