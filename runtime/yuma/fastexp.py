"""``exp`` of substrate-fixed for I32F32 inputs within [-20, 20], vectorised in uint64 only.

This is the liquid-alpha hot spot: one exp per bond entry, each a 30-step Taylor series with a floor
after every product and division, so no closed form or float can stand in for it. The series runs on
``m = |x|``; for negative ``x`` the result is the reciprocal ``trunc(2**64 / r)``.

Why the uint64 arithmetic is exact: for ``m <= 20 * 2**32`` every term is at most
``max_i 20**i / i! * 2**32 < 2**58`` and the sum at most ``e**20 * 2**32 < 2**61``, so the library
never errs and nothing overflows. A step is ``term = floor(floor(term * m / 2**32) / i)``: once
``term * m < 2**64`` it is one product and one division by ``i * 2**32`` (nested floors merge);
before that, while ``term < 2**40``, ``m`` is split as ``ma * 2**24 + mb`` and the step is
``floor((term * ma + floor(term * mb / 2**24)) / (i * 2**8))`` (``term * mb < 2**64``, and
``term * ma < 2**77 / 2**24``); larger terms split both factors at ``2**32``: ``term * mh + th * ml
+ floor(tl * ml / 2**32)`` (``m = mh*2**32 + ml``, ``term = th*2**32 + tl``). Every part is
non-negative and below ``2**63``.

Why it is fast: elements are sorted by magnitude (``m >> 28``, a 16-bit radix sort). Every step is
monotone in ``term`` and ``m``, so the term bound of a bucket is that of its largest ``m``, tracked
with Python ints once per bucket (cached). At each step the elements whose bound is 0 (a prefix of
the sorted order) are finished, those whose bound still needs a split product form a suffix, and the
rest take the single product: most elements need far fewer than 30 steps, and the split at ``2**24``
(as many passes as the single product plus three) covers every term below ``2**40``, i.e. every
argument up to ``|x| = 7``.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

__all__ = ["exp_clamped", "series"]

ONE = 1 << 32
LIMIT = 20 * ONE
_SHIFT = 28  # bucket width 2**28 = 1/16
_BUCKETS = (LIMIT >> _SHIFT) + 1
_STEPS = range(2, 32)  # the library's loop: i = 2 .. frac - 1
_CHUNK = 1 << 15  # elements per pass, so the working arrays stay in cache

_E_I9F23_RAW = 0xADF8_5458_A2BB_4A9A_AFDC_5620_273D_3CF1 >> 103  # the library's e, I9F23
_U32 = np.uint64(32)
_UM32 = np.uint64(0xFFFF_FFFF)
_TOP = np.uint64((1 << 64) - 1)
_U1 = np.uint64(1)

_U24 = np.uint64(24)
_UM24 = np.uint64((1 << 24) - 1)
_MID_TERM = 1 << 40  # below this the step splits m at 2**24 only

_SINGLE, _MID, _SPLIT, _DONE = 0, 1, 2, 3
# built once: scalar creation is slow
_DIVISORS = [(np.uint64(i), np.uint64(i << 8), np.uint64(i << 32)) for i in _STEPS]


@lru_cache(maxsize=1)
def _plan() -> tuple[list[int], list[int], list[int]]:
    """Per step, the first bucket still active, the first needing the split of both factors
    (``term >= 2**40``) and the first needing any split (buckets ascend in magnitude; each bucket's
    bound is the term sequence of its largest ``m``)."""
    kinds = np.full((len(_STEPS), _BUCKETS), _DONE, dtype=np.int64)
    for q in range(_BUCKETS):
        m = min(((q + 1) << _SHIFT) - 1, LIMIT)
        t = m
        for s, i in enumerate(_STEPS):
            if t == 0:
                break
            kinds[s, q] = _SINGLE if t * m < 1 << 64 else _MID if t < _MID_TERM else _SPLIT
            t = ((t * m) >> 32) // i

    def first(mask: np.ndarray) -> list[int]:
        # the kinds are monotone in q, so each condition holds from its first bucket on
        return np.where(mask.any(axis=1), mask.argmax(axis=1), _BUCKETS).tolist()

    return first(kinds != _DONE), first(kinds == _SPLIT), first((kinds == _SPLIT) | (kinds == _MID))


def exp_clamped(raw: np.ndarray) -> np.ndarray:
    """``exp::<I32F32, I32F32>(x)`` raw bits for raws ``-20 * 2**32 <= x <= 20 * 2**32`` (int64)."""
    raw = np.asarray(raw, dtype=np.int64)
    flat = raw.reshape(-1)
    m = np.abs(flat).view(np.uint64)
    result = series(m)
    # for negative x the reciprocal trunc(2**64 / r), r >= 2**32: (2**64 - 1) // r, plus one when r
    # divides 2**64
    recip = _TOP // result
    recip += (result & (result - _U1)) == 0  # powers of two divide 2**64
    negative = flat < 0
    value = np.where(negative, recip, result).view(np.int64)
    value[m == 0] = ONE  # the library's special cases: exp(0) = 1 and exp(1) = its e
    value[(m == np.uint64(ONE)) & ~negative] = _E_I9F23_RAW << (32 - 23)
    return value.reshape(raw.shape)


def series(mag: np.ndarray) -> np.ndarray:
    """The library's series ``1 + m + sum_i term_i`` (raw, uint64) for magnitudes ``m <= 20 * 2**32``
    (uint64), before the reciprocal and the special cases of ``exp_clamped``."""
    mag = np.asarray(mag, dtype=np.uint64).reshape(-1)
    out = np.empty(mag.size, dtype=np.uint64)
    for start in range(0, mag.size, _CHUNK):
        out[start : start + _CHUNK] = _series_chunk(mag[start : start + _CHUNK])
    return out


def _series_chunk(mag: np.ndarray) -> np.ndarray:
    if mag.size == 0:
        return mag.copy()
    key = (mag >> np.uint64(_SHIFT)).astype(np.uint16)
    order = np.argsort(key, kind="stable")
    starts = [0] + np.cumsum(np.bincount(key, minlength=_BUCKETS)).tolist()
    active, split, mid = _plan()
    m = mag[order]
    ma = m >> _U24
    mb = m & _UM24
    term = m.copy()
    result = m + np.uint64(ONE)
    low = np.empty_like(term)
    part = np.empty_like(term)
    size = m.size
    mh = ml = None
    for s, (div_i, div_i8, div_i32) in enumerate(_DIVISORS):
        a = starts[active[s]]
        if a == size:
            break  # every remaining term is 0
        h = starts[mid[s]]
        p = starts[split[s]]
        # in-place operators on views: the cheapest numpy calls (this loop is overhead-bound)
        if a < h:  # term * m < 2**64
            seg = term[a:h]
            seg *= m[a:h]
            seg //= div_i32
        if h < p:  # term < 2**40
            seg, lo = term[h:p], low[h:p]
            np.multiply(seg, mb[h:p], lo)
            lo >>= _U24
            seg *= ma[h:p]
            seg += lo
            seg //= div_i8
        if p < size:
            if mh is None:
                mh, ml = m >> _U32, m & _UM32
            seg, lo, pt = term[p:], low[p:], part[p:]
            np.bitwise_and(seg, _UM32, lo)
            lo *= ml[p:]
            lo >>= _U32  # floor(tl * ml / 2**32)
            np.right_shift(seg, _U32, pt)
            pt *= ml[p:]  # th * ml
            pt += lo
            seg *= mh[p:]  # term * mh
            seg += pt
            seg //= div_i
        acc = result[a:]
        acc += term[a:]
    out = np.empty_like(result)
    out[order] = result
    return out
