"""Bit-exact emulation of the substrate-fixed number types the Yuma epoch uses.

A fixed-point value is held as its raw bits: the integer ``raw`` with value ``raw / 2**F``. Arrays of
such values are numpy arrays of raw bits:

* ``I32F32`` (64-bit signed) is held in ``int64`` arrays. Addition, subtraction, comparison and the
  products and quotients whose intermediate results provably fit in 64 bits run natively in int64.
* ``I64F64``, ``I96F32``, ``U64F64`` and ``U96F32`` (128-bit) are held in ``object`` arrays of Python
  ints. I32F32 products and quotients whose 128-bit intermediate does not fit in int64 use exact
  split-half int64/uint64 paths where the operands' bounds prove them exact (``_split_mul``,
  ``_checked_div_u64``, ``_exp_clamped``), else object arrays. numpy has no 128-bit integers; object
  arrays keep the code vectorised in form and exact in value, at the cost of speed.

Rounding rules, as substrate-fixed 0.6.0 implements them (``src/arith.rs``):

* multiplication: ``(a * b) >> F`` with an arithmetic shift, i.e. floor, also for negative products;
* division: ``(a << F) / b`` with Rust integer division, i.e. truncation toward zero;
* fixed -> fixed and fixed -> integer conversions drop fractional bits (floor);
* ``saturating_*`` clamp to the type range, ``checked_*`` report overflow, ``safe_div`` (the safe_math
  crate) gives 0 on division by zero and on overflow.

No floating point is used anywhere in this module.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Literal

import numpy as np

from runtime.yuma.fastexp import exp_clamped

__all__ = [
    "FixedType",
    "I32F32",
    "I64F64",
    "I96F32",
    "U64F64",
    "U96F32",
    "array",
    "zeros",
    "from_int",
    "from_rational",
    "to_rational",
    "to_int",
    "convert",
    "add",
    "sub",
    "wrapping_sum",
    "saturating_fold",
    "mul",
    "checked_mul",
    "div",
    "checked_div",
    "exp",
    "exp_safe",
]


@dataclass(frozen=True)
class FixedType:
    """A substrate-fixed type: ``bits`` wide in total, ``frac`` fractional bits, signed or not."""

    name: str
    bits: int
    frac: int
    signed: bool

    @property
    def min_raw(self) -> int:
        """Smallest raw value."""
        return -(1 << (self.bits - 1)) if self.signed else 0

    @property
    def max_raw(self) -> int:
        """Largest raw value."""
        return (1 << (self.bits - 1)) - 1 if self.signed else (1 << self.bits) - 1

    @property
    def one(self) -> int:
        """Raw bits of 1.0."""
        return 1 << self.frac

    @property
    def native(self) -> bool:
        """True when arrays of this type are stored as int64 (I32F32 only)."""
        return self.bits == 64 and self.signed

    @property
    def dtype(self) -> type:
        """numpy dtype of arrays of this type."""
        return np.int64 if self.native else object

    def __repr__(self) -> str:  # pragma: no cover - cosmetic
        return self.name


I32F32 = FixedType("I32F32", 64, 32, True)
I64F64 = FixedType("I64F64", 128, 64, True)
I96F32 = FixedType("I96F32", 128, 32, True)
U64F64 = FixedType("U64F64", 128, 64, False)
U96F32 = FixedType("U96F32", 128, 32, False)

_I64_MIN = -(1 << 63)
_I64_MAX = (1 << 63) - 1


# ---------------------------------------------------------------------------------------------
# Construction and conversion
# ---------------------------------------------------------------------------------------------


def _as_obj(a: object) -> np.ndarray:
    """An object array of Python ints with the same values (exact, whatever the source dtype)."""
    arr = np.asarray(a) if not isinstance(a, int) else np.asarray(a, dtype=object)
    if arr.dtype == object:
        return arr.copy()
    out = np.empty(arr.shape, dtype=object)
    flat_in = arr.reshape(-1)
    flat_out = out.reshape(-1)
    flat_out[:] = [int(v) for v in flat_in.tolist()]
    return out


def _store(t: FixedType, raws: np.ndarray) -> np.ndarray:
    """Store in-range raw Python ints (object array) in the type's array dtype."""
    if t.native:
        return np.asarray(raws, dtype=object).astype(np.int64)
    return np.asarray(raws, dtype=object)


_clamp_py = np.frompyfunc(lambda v, lo, hi: min(max(v, lo), hi), 3, 1)


def _clamp(t: FixedType, raws: np.ndarray) -> np.ndarray:
    """Clamp raw Python ints (object array) to the type range (Python-int comparisons)."""
    obj = np.asarray(raws, dtype=object)
    if obj.size == 0:
        return obj.copy()
    lo, hi = np.array(t.min_raw, dtype=object), np.array(t.max_raw, dtype=object)
    return np.asarray(np.minimum(np.maximum(obj, lo), hi), dtype=object)


def _in_range(t: FixedType, raws: np.ndarray) -> np.ndarray:
    """Boolean array: raw Python ints within the type range."""
    obj = np.asarray(raws, dtype=object)
    if obj.size == 0:
        return np.zeros(obj.shape, dtype=bool)
    lo, hi = np.array(t.min_raw, dtype=object), np.array(t.max_raw, dtype=object)
    return np.asarray((obj >= lo) & (obj <= hi), dtype=bool)


def _bounds(a: np.ndarray) -> int:
    """max |a| as a Python int (0 for an empty array)."""
    if a.size == 0:
        return 0
    return max(int(np.max(a)), -int(np.min(a)))


def array(t: FixedType, raws: object) -> np.ndarray:
    """An array of type ``t`` from raw bits (checked to be in range)."""
    obj = _as_obj(raws)
    if obj.size and not bool(np.all(_in_range(t, obj))):
        raise OverflowError(f"raw value out of {t.name} range")
    return _store(t, obj)


def zeros(t: FixedType, n: int) -> np.ndarray:
    """``n`` zeros of type ``t``."""
    return np.zeros(n, dtype=np.int64) if t.native else _as_obj(np.zeros(n, dtype=np.int64))


def from_int(t: FixedType, values: object) -> np.ndarray:
    """``saturating_from_num(integer)``: ``raw = v << F``, clamped to the type range."""
    obj = _as_obj(values)
    return _store(t, _clamp(t, obj * t.one))


def from_rational(t: FixedType, value: Fraction | int) -> int:
    """``from_num`` of an exactly known number (e.g. an f32 literal): round to nearest, ties to even.

    Returns the raw bits, saturated to the type range. Rust's float -> fixed conversion rounds the
    exact binary value of the float this way; pass ``Fraction(float(numpy.float32(x)))`` to emulate
    ``I32F32::from_num(x_f32)``.
    """
    scaled = Fraction(value) * t.one
    raw = round(scaled)  # Fraction.__round__ rounds half to even
    return min(max(raw, t.min_raw), t.max_raw)


def to_rational(t: FixedType, raw: int) -> Fraction:
    """Exact value of raw bits."""
    return Fraction(int(raw), t.one)


def to_int(t: FixedType, a: object, lo: int, hi: int) -> np.ndarray:
    """``saturating_to_num::<int>()``: floor, then clamp to ``[lo, hi]``. Returns an object array."""
    obj = _as_obj(a) >> t.frac
    return np.asarray(_clamp_py(np.asarray(obj, dtype=object), lo, hi), dtype=object)


def convert(src: FixedType, dst: FixedType, a: object) -> np.ndarray:
    """``Dst::saturating_from_num(src_value)``: extra fractional bits dropped (floor), saturating."""
    obj = _as_obj(a)
    shift = dst.frac - src.frac
    obj = obj << shift if shift >= 0 else obj >> (-shift)
    return _store(dst, _clamp(dst, obj))


# ---------------------------------------------------------------------------------------------
# Addition and subtraction
# ---------------------------------------------------------------------------------------------


def add(t: FixedType, a: object, b: object) -> np.ndarray:
    """``saturating_add``, elementwise (broadcasting)."""
    if t.native:
        x = np.asarray(a, dtype=np.int64)
        y = np.asarray(b, dtype=np.int64)
        s = x + y  # wraps on overflow
        over = ((x ^ s) & (y ^ s)) < 0
        if np.any(over):
            s = np.where(over, np.where(x < 0, _I64_MIN, _I64_MAX), s)
        return s.astype(np.int64)
    return _store(t, _clamp(t, _as_obj(a) + _as_obj(b)))


def sub(t: FixedType, a: object, b: object) -> np.ndarray:
    """``saturating_sub``, elementwise (broadcasting)."""
    if t.native:
        x = np.asarray(a, dtype=np.int64)
        y = np.asarray(b, dtype=np.int64)
        d = x - y
        over = ((x ^ y) & (x ^ d)) < 0
        if np.any(over):
            d = np.where(over, np.where(x < 0, _I64_MIN, _I64_MAX), d)
        return d.astype(np.int64)
    return _store(t, _clamp(t, _as_obj(a) - _as_obj(b)))


def _wrap(t: FixedType, v: int) -> int:
    span = 1 << t.bits
    v %= span
    if t.signed and v > t.max_raw:
        v -= span
    return v


def wrapping_sum(t: FixedType, a: object) -> int:
    """``iter().sum()``: a plain ``+`` fold, here wrapping on overflow (a release build without
    overflow checks). The epoch's sums never overflow for valid data. Returns raw bits."""
    return _wrap(t, int(_as_obj(a).sum())) if np.size(a) else 0


def saturating_fold(t: FixedType, a: object) -> int:
    """``fold(0, saturating_add)`` in array order. Returns raw bits.

    Exact: if no prefix sum leaves the range the result is the plain sum; otherwise the fold is
    replayed sequentially.
    """
    obj = _as_obj(a).reshape(-1)
    if obj.size == 0:
        return 0
    prefix = np.cumsum(obj)
    if bool(np.all(_in_range(t, prefix))):
        return int(prefix[-1])
    acc = 0
    for v in obj.tolist():
        acc = min(max(acc + v, t.min_raw), t.max_raw)
    return acc


# ---------------------------------------------------------------------------------------------
# Multiplication and division
# ---------------------------------------------------------------------------------------------


def _mul_exact(t: FixedType, a: object, b: object) -> np.ndarray:
    """Exact ``floor(a * b / 2**F)`` before any range handling (object array)."""
    return np.asarray((_as_obj(a) * _as_obj(b)) >> t.frac, dtype=object)


_M32 = np.int64(0xFFFF_FFFF)
_S32 = np.int64(32)


def _split_mul_ok(x: np.ndarray, y: np.ndarray) -> bool:
    """True when ``_split_mul`` is exact for these I32F32 operands: with ``A = max|x >> 32| + 1``
    and ``B = max|y >> 32| + 1``, every partial sum of the split product is below
    ``A * B * 2**32 <= 2**62``, so nothing wraps and the result is in range."""
    if x.size == 0 or y.size == 0:
        return True
    ax = max(int(np.max(x >> _S32)), -int(np.min(x >> _S32))) + 1
    ay = max(int(np.max(y >> _S32)), -int(np.min(y >> _S32))) + 1
    return ax * ay <= 1 << 30


def _split_mul(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Exact ``floor(x * y / 2**32)`` in int64 by 32-bit halves (``x = xh * 2**32 + xl`` with
    ``0 <= xl < 2**32``): ``xh*yh*2**32 + xh*yl + xl*yh + floor(xl*yl / 2**32)``. The last product
    is taken in uint64 (< 2**64). Only valid under ``_split_mul_ok``."""
    xh, yh = x >> _S32, y >> _S32
    xl, yl = x & _M32, y & _M32
    low = ((xl.astype(np.uint64) * yl.astype(np.uint64)) >> np.uint64(32)).astype(np.int64)
    return ((xh * yh) << _S32) + xh * yl + xl * yh + low


def mul(t: FixedType, a: object, b: object) -> np.ndarray:
    """``saturating_mul``: floor of the exact product, clamped (sign of the clamp from the operands'
    signs, which for a non-zero overflowing product is the product's sign)."""
    if t.native:
        x = np.asarray(a, dtype=np.int64)
        y = np.asarray(b, dtype=np.int64)
        if _bounds(x) * _bounds(y) <= _I64_MAX:
            return (x * y) >> np.int64(t.frac)
        if _split_mul_ok(x, y):
            return _split_mul(x, y)
    return _store(t, _clamp(t, _mul_exact(t, a, b)))


def checked_mul(t: FixedType, a: object, b: object) -> tuple[np.ndarray, np.ndarray]:
    """``checked_mul``: (values, ok). Where not ok the value is 0 (``unwrap_or_default``)."""
    if t.native:
        x = np.asarray(a, dtype=np.int64)
        y = np.asarray(b, dtype=np.int64)
        if _bounds(x) * _bounds(y) <= _I64_MAX:
            prod = (x * y) >> np.int64(t.frac)
            return prod, np.ones(prod.shape, dtype=bool)
        if _split_mul_ok(x, y):
            prod = _split_mul(x, y)
            return prod, np.ones(prod.shape, dtype=bool)
    exact = _mul_exact(t, a, b)
    ok = np.asarray(_in_range(t, exact), dtype=bool)
    return _store(t, np.where(ok, exact, 0)), ok


def _trunc_div_py(num: int, den: int) -> int:
    q = abs(num) // abs(den)
    return -q if (num < 0) != (den < 0) else q


_trunc_div_u = np.frompyfunc(_trunc_div_py, 2, 1)


def _trunc_div(num: np.ndarray, den: np.ndarray) -> np.ndarray:
    """Integer division truncating toward zero (Rust ``/``) on Python ints; den must be non-zero."""
    return np.asarray(_trunc_div_u(num, den), dtype=object)


_U64_ONE = np.uint64(1)


def _checked_div_u64(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray] | None:
    """I32F32 ``checked_div`` with the numerator ``|x| * 2**32`` formed in uint64, or None when that
    is not provably exact. Operands that are all multiples of ``2**32`` (integers, e.g. u16 weights
    divided by 65535) are first divided by ``2**32`` (the quotient is unchanged). Then, with
    ``|x| <= 2**32``, ``|x| * 2**32 <= 2**64``: below ``2**64`` it is a uint64 division; exactly
    ``2**64`` is ``(2**64 - 1) // d``, plus one when ``d`` divides ``2**64``. The magnitude is then
    range-checked for the result's sign (truncation toward zero is division of magnitudes)."""
    if x.size == 0:
        return None
    if int(np.min(y)) == _I64_MIN or int(np.min(x)) == _I64_MIN:
        return None
    if not bool(np.any(x & _M32)) and not bool(np.any(y & _M32)):
        x, y = x >> _S32, y >> _S32
    if _bounds(x) > 1 << 32:
        return None
    zero = y == 0
    ax = np.abs(x).astype(np.uint64)
    ay = np.where(zero, 1, np.abs(y)).astype(np.uint64)
    full = ax == np.uint64(1 << 32)
    num = np.where(full, np.uint64((1 << 64) - 1), ax << np.uint64(32))
    q = num // ay
    rem = num - q * ay
    q = q + (full & (rem + _U64_ONE == ay)).astype(np.uint64)
    neg = (x < 0) != (y < 0)
    limit = np.where(neg, np.uint64(1 << 63), np.uint64(_I64_MAX))
    ok = ~zero & (q <= limit)
    qs = np.where(ok, q, np.uint64(0))
    # -(2**63) as magnitude: wraps to I64_MIN in the two's-complement cast, which is the value wanted
    signed = qs.astype(np.int64)
    return np.where(neg, -signed, signed), ok


DivMode = Literal["safe", "saturating"]


def checked_div(t: FixedType, a: object, b: object) -> tuple[np.ndarray, np.ndarray]:
    """``checked_div``: (values, ok); not ok on division by zero or overflow (value then 0)."""
    if t.native:
        x = np.asarray(a, dtype=np.int64)
        y = np.asarray(b, dtype=np.int64)
        x, y = np.broadcast_arrays(x, y)
        if _bounds(x) < (1 << (63 - t.frac)) and (y.size == 0 or int(np.min(y)) > _I64_MIN):
            zero = y == 0
            num = x << np.int64(t.frac)
            den = np.where(zero, 1, y)
            q = np.abs(num) // np.abs(den)
            q = np.where((num < 0) != (den < 0), -q, q)
            return np.where(zero, 0, q).astype(np.int64), ~zero
        wide = _checked_div_u64(x, y)
        if wide is not None:
            return wide
    x = _as_obj(a)
    y = _as_obj(b)
    x, y = np.broadcast_arrays(x, y)
    zero = np.asarray(y == 0, dtype=bool)
    den = np.where(zero, 1, y)
    q = _trunc_div(x * t.one, den)
    ok = ~zero & np.asarray(_in_range(t, q), dtype=bool)
    return _store(t, np.where(ok, q, 0)), ok


def div(t: FixedType, a: object, b: object, mode: DivMode = "safe") -> np.ndarray:
    """Division. ``safe``: ``safe_div`` (0 on division by zero or overflow). ``saturating``:
    ``saturating_div`` (clamped on overflow; division by zero raises, as Rust panics)."""
    vals, ok = checked_div(t, a, b)
    if mode == "safe" or bool(np.all(ok)):
        return vals
    y = _as_obj(b)
    if bool(np.any(np.broadcast_to(y == 0, ok.shape))):
        raise ZeroDivisionError("saturating_div by zero")
    x = np.broadcast_to(_as_obj(a), ok.shape)
    y = np.broadcast_to(y, ok.shape)
    sat = np.where((x < 0) != (y < 0), np.asarray(t.min_raw, dtype=object), np.asarray(t.max_raw, dtype=object))
    return _store(t, np.where(ok, _as_obj(vals), sat))


# ---------------------------------------------------------------------------------------------
# exp (substrate_fixed::transcendental::exp for I32F32) and exp_safe
# ---------------------------------------------------------------------------------------------

# e as the library's I9F23 constant: the U2F126 constant of e shifted right by 103 bits.
_E_U2F126 = 0xADF8_5458_A2BB_4A9A_AFDC_5620_273D_3CF1
E_I9F23_RAW = _E_U2F126 >> 103  # 22802600


def exp(x: object) -> tuple[np.ndarray, np.ndarray]:
    """``exp::<I32F32, I32F32>`` elementwise: (values, ok); ok is False where the library errs.

    The library: 1 for 0; its I9F23 ``e`` for exactly 1; otherwise the Taylor series of ``|x|`` over
    ``i = 2..31`` with ``term = checked_mul(term, x)`` (floor) then ``checked_div(term, i)``
    (truncation), summed with ``checked_add``; for negative ``x`` the reciprocal ``1 / result``.
    """
    t = I32F32
    shape = np.shape(x)
    raw = np.atleast_1d(np.asarray(x, dtype=np.int64)).reshape(-1)
    xo = _as_obj(raw)
    ok = np.ones(raw.shape, dtype=bool)
    neg = xo < 0
    ok &= ~(raw == _I64_MIN)  # checked_neg fails
    mag = np.where(neg & ok, -xo, np.where(ok, xo, 0))
    result = mag + t.one
    ok &= np.asarray(_in_range(t, result), dtype=bool)
    term = mag.copy()
    for i in range(2, t.frac):
        term = (term * mag) >> t.frac
        ok &= np.asarray(_in_range(t, term), dtype=bool)
        term = np.where(ok, term, 0)
        term = _trunc_div(term * t.one, np.full(term.shape, i * t.one, dtype=object))
        result = result + term
        ok &= np.asarray(_in_range(t, result), dtype=bool)
        result = np.where(ok, result, 0)
    # negative operand: 1 / result (checked_div); result >= 1 here so it cannot fail
    recip_ok = np.asarray(result != 0, dtype=bool)
    recip = _trunc_div(
        np.full(result.shape, t.one * t.one, dtype=object), np.where(recip_ok, result, 1)
    )
    result = np.where(neg, recip, result)
    ok &= np.where(neg, recip_ok, True)
    result = np.where(xo == 0, t.one, result)
    result = np.where(xo == t.one, E_I9F23_RAW << (t.frac - 23), result)
    ok |= np.asarray((xo == 0) | (xo == t.one), dtype=bool)
    return _store(t, np.where(ok, result, 0)).reshape(shape), ok.reshape(shape)


def exp_safe(x: object) -> np.ndarray:
    """The subtensor wrapper: clamp the input to [-20, 20], then ``exp``; on a library error give 0
    for inputs <= 0 and I32F32::MAX otherwise."""
    t = I32F32
    lo, hi = -20 * t.one, 20 * t.one
    raw = np.clip(np.asarray(x, dtype=np.int64), lo, hi)
    return _exp_clamped(raw)


def _exp_clamped(raw: np.ndarray) -> np.ndarray:
    """``exp`` for inputs already within [-20, 20], in int64/uint64 only (see ``fastexp``)."""
    return exp_clamped(raw)
