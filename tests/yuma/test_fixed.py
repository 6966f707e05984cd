"""substrate-fixed semantics: rounding of mul/div/conversions, saturation, and the exp series."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, strategies as st

from runtime.yuma import fixed as fx
from runtime.yuma.math import sigmoid_safe
from tests.yuma.helpers import f32, f64

T = fx.I32F32
ONE = T.one
I64 = st.integers(min_value=T.min_raw, max_value=T.max_raw)


def test_constants():
    assert fx.E_I9F23_RAW == 22802600
    assert (T.min_raw, T.max_raw) == (-(1 << 63), (1 << 63) - 1)
    assert fx.U96F32.min_raw == 0 and fx.I64F64.one == 1 << 64


def test_mul_floors_also_for_negatives():
    # -1 ulp * 0.5 = -0.5 ulp -> floor -> -1 ulp (an arithmetic shift, not truncation)
    assert int(fx.mul(T, -1, ONE // 2)) == -1
    assert int(fx.mul(T, 1, ONE // 2)) == 0
    assert int(fx.mul(T, 3 * ONE, ONE // 3)) == (3 * (ONE // 3))


def test_div_truncates_toward_zero():
    assert int(fx.div(T, ONE, 3 * ONE)) == ONE // 3
    assert int(fx.div(T, -ONE, 3 * ONE)) == -(ONE // 3)
    assert int(fx.div(T, 1000 * ONE, -100 * ONE)) == -10 * ONE
    assert int(fx.div(T, 1001 * ONE, -100 * ONE)) == -((1001 * ONE * ONE) // (100 * ONE))


def test_safe_div_zero_and_overflow_give_zero():
    assert int(fx.div(T, ONE, 0)) == 0
    assert int(fx.div(T, T.max_raw, 1)) == 0  # overflow -> 0
    assert int(fx.div(T, T.max_raw, 1, mode="saturating")) == T.max_raw
    assert int(fx.div(T, T.min_raw, 1, mode="saturating")) == T.min_raw


def test_saturating_add_sub_mul():
    assert int(fx.add(T, T.max_raw, 1)) == T.max_raw
    assert int(fx.sub(T, T.min_raw, 1)) == T.min_raw
    assert int(fx.sub(T, 0, ONE)) == -ONE  # I32F32 is signed
    assert int(fx.mul(T, T.max_raw, 2 * ONE)) == T.max_raw
    assert int(fx.mul(T, T.max_raw, -2 * ONE)) == T.min_raw
    vals, ok = fx.checked_mul(T, [T.max_raw, ONE], [2 * ONE, 2 * ONE])
    assert ok.tolist() == [False, True] and vals.tolist() == [0, 2 * ONE]


@given(I64, I64)
def test_mul_matches_exact_floor(a, b):
    exact = (a * b) >> 32
    expect = min(max(exact, T.min_raw), T.max_raw)
    assert int(fx.mul(T, a, b)) == expect
    arr = fx.mul(T, np.array([a, 0]), np.array([b, b]))
    assert arr.dtype == np.int64 and int(arr[0]) == expect


@given(I64, I64)
def test_div_matches_exact_trunc(a, b):
    if b == 0:
        assert int(fx.div(T, a, b)) == 0
        return
    q = abs(a << 32) // abs(b)
    q = -q if (a < 0) != (b < 0) else q
    expect = q if T.min_raw <= q <= T.max_raw else 0
    assert int(fx.div(T, a, b)) == expect


def test_conversions_floor_and_saturate():
    # test_math_fixed64_to_fixed32(_saturates), test_vec_fixed64_to_fixed32(_saturates)
    I64F64 = fx.I64F64
    assert int(fx.convert(I64F64, T, fx.from_int(I64F64, [(2**32 - 1) // 2]))[0]) == ((2**32 - 1) // 2) << 32
    assert int(fx.convert(I64F64, T, fx.from_int(I64F64, [2**32 - 1]))[0]) == T.max_raw
    assert int(fx.convert(I64F64, T, fx.from_int(I64F64, [-(2**31)]))[0]) == -(2**31) << 32
    assert int(fx.convert(I64F64, T, fx.from_int(I64F64, [2**63 - 1]))[0]) == T.max_raw
    # I64F64 -> I32F32 drops 32 fractional bits with a floor, also below zero
    assert int(fx.convert(I64F64, T, [-1])[0]) == -1
    # test_math_fixed64_to_u64(_saturates)
    assert int(fx.to_int(I64F64, fx.from_int(I64F64, [2**63 - 1]), 0, 2**64 - 1)[0]) == 2**63 - 1
    assert int(fx.to_int(I64F64, fx.from_int(I64F64, [-1]), 0, 2**64 - 1)[0]) == 0
    assert int(fx.to_int(T, [-1], 0, 2**64 - 1)[0]) == 0


def test_from_num_float_rounds_half_even():
    assert fx.from_rational(T, Fraction(1, 2**33)) == 0  # half an ulp, tie -> even (0)
    assert fx.from_rational(T, Fraction(3, 2**33)) == 2  # 1.5 ulp -> 2
    assert f32(0.1) == 429496736  # f32(0.1) = 0.100000001490116...
    assert f64(0.1) == 429496730


def test_exp_values():
    vals, ok = fx.exp(np.array([0, ONE, 20 * ONE, -20 * ONE], dtype=np.int64))
    assert ok.all()
    assert int(vals[0]) == ONE
    assert int(vals[1]) == 22802600 << 9
    # the series falls short of the true e^20 (481239357.67 vs 485165195.41)
    assert Fraction(int(vals[2]), ONE) == Fraction(int(vals[2]), ONE)
    assert int(vals[2]) >> 32 == 481239357
    assert int(vals[3]) == ONE * ONE // int(vals[2])


def test_math_exp_safe():
    # reference: exp_safe clamps to [-20, 20]
    lo, hi = -20 * ONE, 20 * ONE
    exp_lo = int(fx.exp(np.array([lo]))[0][0])
    exp_hi = int(fx.exp(np.array([hi]))[0][0])
    got = fx.exp_safe(np.array([0, ONE, lo, lo - ONE, T.min_raw, hi, hi + ONE, T.max_raw]))
    assert got.tolist() == [ONE, 22802600 << 9, exp_lo, exp_lo, exp_lo, exp_hi, exp_hi, exp_hi]


def test_math_sigmoid_safe():
    # an unsuffixed literal in I32F32::from_num(0.4) is an f64
    trust = np.array([T.min_raw, 0, f64(0.4), f64(0.5), f64(0.6), ONE, T.max_raw], dtype=np.int64)
    tiny = f32(0.0000000019)
    got = sigmoid_safe(trust, T.max_raw, T.max_raw)
    assert got.tolist() == [tiny] * 6 + [f32(0.5)]
    got = sigmoid_safe(trust, T.min_raw, T.min_raw)
    assert got.tolist() == [f32(0.5)] + [tiny] * 6
    got = sigmoid_safe(trust, 30 * ONE, f32(0.5))
    target = [0.0000000019, 0.0000003057, 0.0474258729, 0.5, 0.952574127, 0.9999996943, 0.9999999981]
    assert got.tolist() == [f64(x) for x in target]
    trust = np.array([f32(x) for x in [0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0]])
    got = sigmoid_safe(trust, 40 * ONE, f32(0.5))
    target = [
        0.0000000019, 0.0000001125, 0.0000061442, 0.0003353502, 0.017986214, 0.5,
        0.9820138067, 0.9996646498, 0.9999938558, 0.9999998875, 0.9999999981,
    ]
    assert got.tolist() == [f64(x) for x in target]


def test_sums():
    assert fx.wrapping_sum(T, np.array([ONE, 10 * ONE, 30 * ONE])) == 41 * ONE
    assert fx.wrapping_sum(T, np.array([-ONE, 10 * ONE, 30 * ONE])) == 39 * ONE
    assert fx.wrapping_sum(T, np.array([], dtype=np.int64)) == 0
    assert fx.saturating_fold(T, np.array([T.max_raw, 5, -10])) == T.max_raw - 10
    assert fx.wrapping_sum(T, np.array([T.max_raw, 1])) == T.min_raw


def test_wide_types_exact():
    U96 = fx.U96F32
    tw = fx.div(U96, fx.from_int(U96, [2**63]), fx.from_int(U96, [2**64 - 1]))
    assert int(tw[0]) == ((2**63) << 32) // (2**64 - 1)
    with pytest.raises(OverflowError):
        fx.array(U96, [-1])
