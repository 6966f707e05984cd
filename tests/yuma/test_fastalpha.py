"""The table-decided liquid-alpha sigmoid (``runtime.yuma.fastalpha``) against the series and the
scalar reference, on raw bits: its bounds must hold for every argument, not just on average."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from runtime.yuma import fastalpha as fa
from runtime.yuma import fastexp
from runtime.yuma import kernels as kn
from tests.yuma import scalar

ONE = 1 << 32
# (span, low) as liquid_alpha_parameters gives them: the defaults, the widest, a narrow one, none
SPANS = [
    (kn.u16_ratio(58982) - kn.u16_ratio(45875), kn.u16_ratio(45875)),
    (ONE, 0),
    (kn.u16_ratio(1), kn.u16_ratio(65534)),
    (0, kn.u16_ratio(45875)),
]


def scalar_alpha(x: int, span: int, low: int) -> int:
    """The reference's chain on one argument: ``low + (span * 1 / (1 + exp_safe(x)))``."""
    return low + scalar.mul(span, scalar.sat_div(ONE, scalar.add(ONE, scalar.exp_safe(x))))


def edge_arguments() -> np.ndarray:
    """Arguments at the places the table treats specially: 0, +-1, part and cell boundaries, the
    table's end, the clamp, and where a power of two is (or nearly is) a divisor."""
    xs = [0, 1, -1, ONE, -ONE, ONE + 1, ONE - 1, 8 * ONE, 8 * ONE - 1, 20 * ONE, 21 * ONE, 2**62]
    for part in range(1, 8 * 64 + 1):
        for d in (-1, 0, 1):
            xs += [(part << 26) + d, -((part << 26) + d)]
    for k in range(33, 45):  # f = 2**k (x < 0) and 2**32 + f = 2**k (x > 0), by bisection on f
        for offset, sign in ((0, -1), (ONE, 1)):
            target = (1 << k) - offset
            lo, hi = 1, 8 * ONE
            while lo < hi:
                mid = (lo + hi) // 2
                if int(fastexp.series(np.array([mid], dtype=np.uint64))[0]) < target:
                    lo = mid + 1
                else:
                    hi = mid
            xs += [sign * (lo + d) for d in range(-3, 4)]
    return np.array(xs, dtype=np.int64)


@pytest.mark.parametrize(("span", "low"), SPANS)
def test_equals_the_series_on_a_million_arguments(span: int, low: int) -> None:
    rng = np.random.default_rng(span ^ low)
    for scale in (1, 5, 9, 21):
        x = rng.integers(-scale * ONE, scale * ONE + 1, size=1 << 18)
        assert np.array_equal(fa.sigmoid_alpha(x, span, low), fa.sigmoid_alpha_exact(x, span, low))


@pytest.mark.parametrize(("span", "low"), SPANS)
def test_equals_the_scalar_reference_at_the_edges(span: int, low: int) -> None:
    x = edge_arguments()
    got = fa.sigmoid_alpha(x, span, low).tolist()
    assert got == [scalar_alpha(v, span, low) for v in x.tolist()]


@settings(max_examples=300, deadline=None)
@given(xs=st.lists(st.integers(-(21 << 32), 21 << 32), min_size=1, max_size=50), which=st.sampled_from(SPANS))
def test_equals_the_scalar_reference(xs: list[int], which: tuple[int, int]) -> None:
    span, low = which
    got = fa.sigmoid_alpha(np.array(xs, dtype=np.int64), span, low).tolist()
    assert got == [scalar_alpha(v, span, low) for v in xs]


def test_the_series_lies_in_its_bracket() -> None:
    """The interval the table gives for f(|x|) holds the series wherever it is used."""
    rng = np.random.default_rng(7)
    x = np.concatenate([rng.integers(-8 * ONE, 8 * ONE, size=1 << 18), edge_arguments()])
    f_lo, f_hi, width = fa.series_bracket(x)
    used = width >= 0
    f = fastexp.series(np.abs(x[used]).view(np.uint64)).view(np.int64)
    assert bool(np.all(f_lo[used] <= f)) and bool(np.all(f <= f_hi[used]))
    assert used.mean() > 0.9  # most arguments are decided by the table, not the series


def test_floor_error_bound_bounds_the_loss_of_the_floors() -> None:
    """``P(m) - B <= f(m) <= P(m)`` and ``P(m) <= U(m) < P(m) + 2`` with ``P`` the exact truncated
    polynomial (rationals)."""
    rng = np.random.default_rng(11)
    for m in [1, ONE - 1, ONE + 1, 8 * ONE - 1, *rng.integers(1, 8 * ONE, size=60).tolist()]:
        term, poly = Fraction(m), Fraction(ONE + m)
        for i in range(2, 32):
            term = term * m / (i * ONE)
            poly += term
        f = int(fastexp.series(np.array([m], dtype=np.uint64))[0])
        bound = fa.floor_error_bound(m)
        assert poly - bound <= f <= poly
        above = int(fa.polynomial_above(np.array([m], dtype=np.uint64))[0])
        assert poly <= above < poly + 2
        assert bound >= fa.floor_error_bound(m // 2)  # the bound grows with m, so parts use their top


def test_tables_flag_the_special_parts() -> None:
    """Parts whose interval may hold a power-of-two divisor, x near 0, and x = 1 are left to the
    series; the rest are decided with their interval's width."""
    x = np.array([1, -1, ONE, -ONE, 9 * ONE, 3 * ONE], dtype=np.int64)
    _, _, width = fa.series_bracket(x)
    assert width[:3].tolist() == [-1, -1, -1] and width[4] == -1  # 0+, 0-, exactly 1, beyond the table
    assert width[3] > 0 and width[5] > 0  # -1 and 3 are ordinary


def test_power_of_two_end_points_are_left_to_the_series() -> None:
    """Where an end of the interval is a power of two (``f`` for x < 0, ``2**32 + f`` for x > 0),
    the reciprocal there would need the library's +1, so the table must not decide."""
    hits = 0
    for k in range(33, 44):
        for offset, sign in ((0, -1), (ONE, 1)):
            target = (1 << k) - offset
            lo, hi = 1, 8 * ONE - 1
            while lo < hi:  # f_lo grows with m within a part; find where it reaches the target
                mid = (lo + hi) // 2
                if int(fa.series_bracket(np.array([sign * mid], dtype=np.int64))[0][0]) < target:
                    lo = mid + 1
                else:
                    hi = mid
            x = np.array([sign * m for m in range(lo - 64, lo + 64)], dtype=np.int64)
            f_lo, f_hi, width = fa.series_bracket(x)
            at_power = (f_lo == target) | (f_hi == target)
            hits += int(at_power.sum())
            assert bool(np.all(width[at_power] < 0)), (k, sign)
    assert hits > 0  # the search does reach end points that are powers of two
