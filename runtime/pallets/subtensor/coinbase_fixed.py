"""Scalar substrate-fixed arithmetic for the coinbase, on raw bits (value × 2^F), integers only.

The coinbase works in three 128-bit types (spec ``yuma-epoch-and-emission.md`` §0):

* ``U96F32`` — unsigned, 32 fraction bits: subnet terms, injection, pending amounts, dividends;
* ``U64F64`` — unsigned, 64 fraction bits: emission shares and the moving-price EMA;
* ``I96F32`` — signed, 32 fraction bits: block emission and the stored ``SubnetMovingPrice``.

Rules (substrate-fixed 0.6.0): a product is ``(a·b) >> F`` (floor); a quotient is ``(a << F) / b``
truncated; ``saturating_*`` clamp to the type's range; ``checked_div`` is None on division by zero or
overflow and ``safe_div`` turns that None into 0; converting between types drops extra fraction bits
(floor) and saturates the integer part; ``to_num::<u64>`` floors and saturates.
"""

from __future__ import annotations

U64_MAX = (1 << 64) - 1
U128_MAX = (1 << 128) - 1
I128_MIN, I128_MAX = -(1 << 127), (1 << 127) - 1

F32, F64 = 32, 64
ONE_U96 = 1 << F32
"""``U96F32::from_num(1)``."""
HALF_U96 = 1 << (F32 - 1)
"""``U96F32::from_num(0.5)`` (exact in binary)."""
ONE_U64F64 = 1 << F64
"""``U64F64::from_num(1)``."""

__all__ = [
    "F32", "F64", "HALF_U96", "ONE_U64F64", "ONE_U96", "U64_MAX", "U128_MAX", "i96_from_u64f64",
    "i96_to_u64f64", "u_checked_div", "u_from_int", "u_mul", "u_safe_div", "u_sub", "u_to_u64",
    "u64f64_from_u96", "u96_from_u64f64",
]


def u_from_int(value: int, frac: int = F32) -> int:
    """``saturating_from_num(value)`` for a non-negative integer."""
    return min(max(value, 0) << frac, U128_MAX)


def u_mul(a: int, b: int, frac: int = F32) -> int:
    """``a.saturating_mul(b)`` (unsigned): floor of the product, saturated at the maximum."""
    return min((a * b) >> frac, U128_MAX)


def u_checked_div(a: int, b: int, frac: int = F32) -> int | None:
    """``a.checked_div(b)`` (unsigned): None on division by zero or overflow."""
    if b == 0:
        return None
    quotient = (a << frac) // b
    return quotient if quotient <= U128_MAX else None


def u_safe_div(a: int, b: int, frac: int = F32) -> int:
    """``a.safe_div(b)``: the truncated quotient, 0 on division by zero or overflow."""
    quotient = u_checked_div(a, b, frac)
    return 0 if quotient is None else quotient


def u_sub(a: int, b: int) -> int:
    """``a.saturating_sub(b)`` (unsigned)."""
    return max(a - b, 0)


def u_to_u64(a: int, frac: int = F32) -> int:
    """``a.saturating_to_num::<u64>()``: the integer part, saturated at ``u64::MAX``."""
    return min(max(a, 0) >> frac, U64_MAX)


def u96_from_u64f64(bits: int) -> int:
    """``U96F32::saturating_from_num(U64F64)``: drop 32 fraction bits (floor)."""
    return bits >> (F64 - F32)


def u64f64_from_u96(bits: int) -> int:
    """``U64F64::saturating_from_num(U96F32)``: gain 32 fraction bits, saturating the integer part."""
    return min(bits << (F64 - F32), U128_MAX)


def i96_to_u64f64(bits: int) -> int:
    """``U64F64::saturating_from_num(I96F32)``: negatives saturate to 0."""
    return min(max(bits, 0) << (F64 - F32), U128_MAX)


def i96_from_u64f64(bits: int) -> int:
    """``I96F32::saturating_from_num(U64F64)``: drop 32 fraction bits, saturating at ``I96F32::MAX``."""
    return min(bits >> (F64 - F32), I128_MAX)
