"""Liquid alpha's sigmoid, ``low + span * 1 / (1 + exp(x))``, exactly but mostly without the series.

``fastexp`` evaluates the library's floored Taylor series (up to 30 steps) for every bond entry. Here
most entries get their exact alpha from a table instead; the rest still take the series. No floats:
every bound below is an integer computed once per process.

Why a table can give the exact result. Write ``mu = m / 2**32`` for ``m = |x|``, ``P(m)`` for the
real polynomial ``2**32 * sum_{i<=31} mu**i / i!`` the series truncates, and ``f(m)`` for the series
sum the library computes (each term floored). Three facts:

1. ``P(m) - B(mu) <= f(m) <= P(m)``: a floored term loses less than 1 plus what its predecessor
   lost times ``mu / i``, and never more than the term itself; ``B`` bounds the sum of the losses
   (``floor_error_bound``).
2. ``P`` is convex with ``P'' <= P`` (in ``mu``), so the chord between two grid points lies above
   ``P`` by at most ``h**2 / 8 * P`` at the cell's top, ``h = 2**-14``.
3. Everything after ``f`` is monotone: ``f`` (each step is monotone in the term and in ``m``), the
   reciprocal for negative ``x``, ``1 / (1 + e)`` and ``low + span * s``.

The table holds ``U``, within 2 above ``P``, at every grid point ``q * 2**18`` below ``mu = 8``
(``polynomial_above``: the same series with 16 more bits). The chord through the two grid values
around ``m``, floored to ``L``, puts ``f(m)`` in ``[L - 2 - I - B, L]`` (chord error ``I``), with
``I`` and ``B`` taken at the top of each 1/64 of ``mu`` (a "part"). Alpha is computed at both ends of
that interval; where the two agree, monotonicity makes it the exact alpha. The series decides where
they differ (near ``x = 0``, where alpha moves fastest, and a few percent further out), beyond the
table, for ``x`` near 0 and at 1 (the library's special cases), and in the parts where a power of two
could be a divisor on the way to alpha (the reciprocals add one there, so the end points' formula
would not be the library's).
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from runtime.yuma import fixed as fx
from runtime.yuma import kernels as kn

__all__ = ["floor_error_bound", "sigmoid_alpha", "sigmoid_alpha_exact", "sigmoid_alpha_table"]

ONE = 1 << 32
_CELL = 18  # grid step 2**18 raw, mu step 2**-14
_TABLE_END = 8 * ONE  # the table covers m < 8: beyond it the chord's products could overflow
_CELLS = _TABLE_END >> _CELL
_PART = 26  # bounds and flags are kept per 1/64 of mu ("parts")
_PARTS = _TABLE_END >> _PART
_KEYS = _PARTS + 1  # one more part for m at or beyond the table's end
_CELL_MASK = (1 << _CELL) - 1
_SCALE = 16  # floor_error_bound keeps 16 fractional bits, rounding up
_TOP = np.uint64((1 << 64) - 1)


def floor_error_bound(top: int) -> int:
    """An integer upper bound of ``B(mu) = sum_{i=2..31} e_i`` for every ``m <= top`` (raw), with
    ``e_1 = 0`` and ``e_i = min(e_(i-1) * mu / i + 1, t_i)`` where ``t_i`` is the exact ``i``-th
    term (a floored term is never negative, so it cannot lose more than the term itself);
    fractions are rounded up, so it stays a bound."""
    e = 0
    term = top << _SCALE  # t_1, scaled
    total = 0
    for i in range(2, 32):
        term = -(-term * top // (i << 32))
        e = min(-(-e * top // (i << 32)) + (1 << _SCALE), term)
        total += e
    return -(-total >> _SCALE)


def _powers_of_two_within(lo: int, hi: int, offset: int) -> bool:
    """Whether some ``2**k - offset`` lies in ``[lo, hi]``."""
    return any(lo <= (1 << k) - offset <= hi for k in range(32, 64))


def polynomial_above(m: np.ndarray) -> np.ndarray:
    """An integer ``U`` with ``P(m) <= U < P(m) + 2`` for magnitudes ``m < 8 * 2**32`` (uint64 in,
    int64 out): the same floored series carried with 16 more fractional bits, so its floors lose
    less than ``B / 2**16 < 1``, then rounded up. Terms stay below ``2**60``: ``term * m`` is
    ``term * mh + th * ml + floor(tl * ml / 2**32)`` (``m = mh * 2**32 + ml``), each part below
    ``2**63``."""
    m = np.asarray(m, dtype=np.uint64)
    shift, u32, low32 = np.uint64(_SCALE), np.uint64(32), np.uint64(0xFFFF_FFFF)
    mh, ml = m >> u32, m & low32
    term = m << shift
    total = (m + np.uint64(ONE)) << shift
    for i in range(2, 32):
        product = term * mh
        product += (term >> u32) * ml
        product += ((term & low32) * ml) >> u32
        term = product // np.uint64(i)
        total += term
    return ((total >> shift) + np.uint64(1)).view(np.int64)


@lru_cache(maxsize=1)
def _tables() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per grid cell the chord's ends less the part's bound below; per key (part, and 0 or
    ``_KEYS`` for the sign) the width of ``f``'s interval, or -1 where the series must decide."""
    grid = np.arange(_CELLS + 2, dtype=np.uint64) << np.uint64(_CELL)
    values = polynomial_above(grid)  # U(g) at the grid: P(g) <= U(g) < P(g) + 2
    below = np.zeros(_KEYS, dtype=np.int64)
    width = np.full(2 * _KEYS, -1, dtype=np.int64)  # the last part of each sign stays -1
    for part in range(_PARTS):
        bottom, top = part << _PART, (part + 1) << _PART  # every cell of the part lies within
        bound = floor_error_bound(top)
        chord = (int(values[top >> _CELL]) >> 31) + 1  # h**2 / 8 * P(top), h**2 / 8 = 2**-31, up
        # with C the chord of U: f <= P <= chord of P <= C, so the integer f <= floor(C); and
        # f >= P - B >= chord of P - I - B > C - 2 - I - B >= floor(C) - 2 - I - B
        below[part] = chord + bound + 2
        above = 0
        f_min = int(values[bottom >> _CELL]) - below[part]
        f_max = int(values[top >> _CELL]) + above
        if part == 0:
            continue  # x = 0 is a special case of the library (and ambiguous near it anyway)
        # a power of two as divisor needs the reciprocal's correction: left to the series
        if not _powers_of_two_within(f_min, f_max, ONE) and bottom != ONE:  # exp(1) is special
            width[part] = below[part] + above
        if not _powers_of_two_within(f_min, f_max, 0):
            width[_KEYS + part] = below[part] + above
    cell_part = np.arange(_CELLS + 1) >> (_PART - _CELL)
    low_end = values[: _CELLS + 1] - below[cell_part]
    high_end = values[1 : _CELLS + 2] - below[cell_part]
    return low_end, high_end, width


def sigmoid_alpha(x: np.ndarray, span: int, low: int) -> np.ndarray:
    """``low + mul_unit(span, recip_one_plus(exp_safe(x)))`` for I32F32 raws ``x`` (int64), with
    ``0 <= low`` and ``low + span <= 2**32``."""
    flat = np.asarray(x, dtype=np.int64).reshape(-1)
    alpha, rest = sigmoid_alpha_table(flat, span, low)
    if rest.size:
        alpha[rest] = sigmoid_alpha_exact(flat[rest], span, low)
    return alpha.reshape(np.shape(x))


def series_bracket(x: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """For flat I32F32 raws ``x``: ``f_lo <= f(|x|) <= f_hi`` from the table, and the interval's
    width, -1 where the table may not decide (outside it, at the special cases, or where a power of
    two could divide on the way to alpha; ``f_lo``/``f_hi`` are then meaningless)."""
    low_end, high_end, width = _tables()
    m = np.abs(x)
    np.minimum(m, _TABLE_END, out=m)
    q = m >> _CELL
    # the chord: f0 + (f1 - f0) * r / 2**18 with f1 - f0 < 2**30 and r < 2**18 (no overflow)
    f0 = low_end.take(q)
    f_lo = high_end.take(q)
    f_lo -= f0
    m &= _CELL_MASK
    f_lo *= m
    f_lo >>= _CELL
    f_lo += f0
    q >>= _PART - _CELL
    q += (x >> 63) & _KEYS  # negative x use the second half of the keys
    w = width.take(q)
    return f_lo, f_lo + w, w


def sigmoid_alpha_table(x: np.ndarray, span: int, low: int) -> tuple[np.ndarray, np.ndarray]:
    """``sigmoid_alpha`` of a flat ``x`` where the table decides it, and the indices where it does
    not (their alpha is left unset: ``sigmoid_alpha_exact`` gives it). Callers with many slices
    collect those indices and take the series once: its cost per call is mostly fixed."""
    f_lo, f_hi, w = series_bracket(x)
    # f_lo <= f <= f_hi. For x > 0, exp(x) = f; for x < 0 it is 2**64 // f (no power of two
    # divides here: such parts are flagged). alpha falls as exp(x) rises.
    negative = x < 0
    if bool(negative.any()):
        e_small = np.where(negative, _TOP // f_hi.view(np.uint64), f_lo.view(np.uint64))
        e_large = np.where(negative, _TOP // f_lo.view(np.uint64), f_hi.view(np.uint64))
    else:
        e_small, e_large = f_lo.view(np.uint64), f_hi.view(np.uint64)
    e_small += np.uint64(ONE)
    e_large += np.uint64(ONE)
    s_large = _TOP // e_small  # 1 / (1 + e): 2**32 + e is no power of two either
    s_small = _TOP // e_large
    s_large *= np.uint64(span)  # s < 2**32 and span <= 2**32: the product fits
    s_large >>= np.uint64(32)
    s_small *= np.uint64(span)
    s_small >>= np.uint64(32)
    decided = s_large == s_small
    decided &= w >= 0
    alpha = s_large.view(np.int64)
    alpha += low
    return alpha, np.flatnonzero(~decided)


def sigmoid_alpha_exact(x: np.ndarray, span: int, low: int) -> np.ndarray:
    """``sigmoid_alpha`` by the series for every entry."""
    alpha = kn.mul_unit(span, kn.recip_one_plus(fx.exp_safe(x)))
    alpha += low
    return alpha


