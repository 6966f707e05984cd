"""Bounded I32F32 kernels for the epoch's fast path: exact int64/uint64 arithmetic without range checks.

Most of the epoch's values are proportions in ``[0, 1]`` (raw ``[0, 2**32]``): normalised stake,
row-normalised weights, consensus, incentive, Yuma3 bonds. For such operands the reference's
saturating/checked operations never saturate or fail, so the general helpers of ``fixed`` (which
first measure operand bounds to pick a path) can be replaced by fixed sequences of native operations.
Each kernel states its precondition; callers only pass values for which it holds by construction
(the reasons are given where they call). ``Entries`` holds sorted matrix entries;
``row_ptr``/``row_sums``/``col_sums`` are the CSR reductions: plain ``iter().sum()`` folds, which
for these bounded values never leave int64.

No floating point, no BLAS, no dict/set order.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from runtime.yuma import fixed as fx
from runtime.yuma.rows import U16Rows

ONE = 1 << 32
_U32 = np.uint64(32)
_UM32 = np.uint64(0xFFFF_FFFF)
_TOP = np.uint64((1 << 64) - 1)
_U1 = np.uint64(1)


def mul_unit(a: np.ndarray | int, b: np.ndarray) -> np.ndarray:
    """``floor(a * b / 2**32)`` for raws ``0 <= a, b <= 2**32`` (the saturating product of two
    proportions). ``a * b <= 2**64`` fits uint64 except ``a == b == 2**32``; that case only
    arises if both reach ``2**32``, and then ``b`` is split as ``bh * 2**32 + bl`` (``bh`` 0
    or 1): ``a * bh + floor(a * bl / 2**32)``, every part below ``2**64``."""
    bu = np.asarray(b, dtype=np.int64).view(np.uint64)
    if isinstance(a, int):
        au = np.uint64(a)
        fits = a < ONE or bu.size == 0 or int(bu.max()) < ONE
    else:
        au = np.asarray(a, dtype=np.int64).view(np.uint64)
        fits = bu.size == 0 or int(bu.max()) < ONE or int(au.max()) < ONE
    if fits:
        return mul_below_one(a, b)
    bh = bu >> _U32
    bl = bu & _UM32
    return (au * bh + ((au * bl) >> _U32)).view(np.int64)


def mul_below_one(a: np.ndarray | int, b: np.ndarray) -> np.ndarray:
    """``mul_unit(a, b)`` when the caller knows both are in ``[0, 2**32]`` and one is below
    ``2**32``: the product fits uint64, so no bound check (a pass over the data) is needed."""
    out = np.asarray(a, dtype=np.int64).view(np.uint64) * np.asarray(b, dtype=np.int64).view(np.uint64)
    out >>= _U32
    return out.view(np.int64)


def div_unit(num: np.ndarray, den: np.ndarray | int) -> np.ndarray:
    """``trunc(num * 2**32 / den)`` (I32F32 division) for ``0 <= num <= den`` and ``den > 0``, so the
    quotient is at most ``2**32`` and ``safe_div`` never fails. ``num < 2**31`` (every case but a
    proportion of exactly 1 or more than 1/2) divides in int64; ``num <= 2**32`` in uint64, where
    ``num * 2**32`` fits unless ``num == 2**32``, whose quotient ``2**64 // den`` is
    ``(2**64 - 1) // den`` plus one when ``den`` divides ``2**64``; larger numerators (a combined
    emission share above 1) go to ``fixed.div``."""
    num = np.asarray(num, dtype=np.int64)
    if num.size == 0:
        return num.copy()
    top = int(num.max())
    if top > ONE:
        return fx.div(fx.I32F32, num, den)
    # uint64 division: numpy's int64 floor division handles signs and is ~3x slower
    nu = num.view(np.uint64)
    du = np.uint64(den) if isinstance(den, int) else np.asarray(den, np.int64).view(np.uint64)
    if top < ONE:
        return _floor_div_into(nu << _U32, du).view(np.int64)
    q = np.minimum(nu, np.uint64(ONE - 1))
    q <<= _U32
    q = q // du
    if top >= ONE:
        full = nu == np.uint64(ONE)
        qf = _TOP // du
        qf = qf + ((_TOP - qf * du) + _U1 == du).astype(np.uint64)
        q = np.where(full, qf, q)
    return q.view(np.int64)


def _floor_div_into(q: np.ndarray, d: np.ndarray | np.uint64) -> np.ndarray:
    """``q // d``, in place when ``d`` broadcasts into ``q``'s shape (one fresh temporary fewer)."""
    if np.ndim(d) == 0 or np.broadcast_shapes(q.shape, np.shape(d)) == q.shape:
        q //= d
        return q
    return q // d


def udiv(num: np.ndarray, den: np.ndarray | int) -> np.ndarray:
    """``num // den`` for ``num >= 0`` and ``den > 0`` (int64 in, int64 out), divided as uint64:
    the same quotient, without the sign handling that makes numpy's int64 division ~3x slower."""
    nu = np.asarray(num, dtype=np.int64).view(np.uint64)
    du = np.uint64(den) if isinstance(den, int) else np.asarray(den, np.int64).view(np.uint64)
    return (nu // du).view(np.int64)


def recip_one_plus(x: np.ndarray) -> np.ndarray:
    """``saturating_div(1, 1 + x)`` for raws ``0 <= x < 2**62``: ``trunc(2**64 / (2**32 + x))``,
    at most ``2**32``. In uint64 it is ``(2**64 - 1) // d``, plus one exactly when ``d`` divides
    ``2**64``, i.e. is a power of two."""
    d = (np.asarray(x, dtype=np.int64) + ONE).view(np.uint64)
    q = _TOP // d
    q += (d & (d - _U1)) == 0
    return q.view(np.int64)


def normalize(x: np.ndarray) -> np.ndarray:
    """``x / sum(x)`` (``safe_div``), unchanged if the sum is 0, for ``0 <= x`` with
    ``sum(x) < 2**63``: every entry is at most the sum, so ``div_unit`` applies."""
    total = int(x.sum())
    if total == 0:
        return x.copy()
    return div_unit(x, total)


def p2u16(x: np.ndarray) -> np.ndarray:
    """``fixed_proportion_to_u16`` for ``0 <= x < 2**47``: ``floor(x * 65535)`` (an integer times an
    integer raw: exact) with the fraction dropped, clamped to u16."""
    return np.minimum((np.asarray(x, dtype=np.int64) * 65535) >> 32, 65535)


def to_rao(p: np.ndarray, emission: int) -> np.ndarray:
    """``floor(I96F32(p) * E)`` as u64 for ``0 <= p <= 2**32`` and ``E < 2**64``: with
    ``E = eh * 2**32 + el`` it is ``p * eh + floor(p * el / 2**32)``; both products are below
    ``2**64`` and the sum is at most ``E``. Returns uint64."""
    pu = np.asarray(p, dtype=np.int64).view(np.uint64)
    eh, el = np.uint64(emission >> 32), np.uint64(emission & 0xFFFF_FFFF)
    return pu * eh + ((pu * el) >> _U32)


def row_ptr(rows: np.ndarray, n_rows: int) -> np.ndarray:
    """CSR ``indptr`` of entries sorted by row."""
    return np.searchsorted(rows, np.arange(n_rows + 1, dtype=np.int64))


def row_sums(ptr: np.ndarray, vals: np.ndarray) -> np.ndarray:
    """Per row, the sum of ``vals[ptr[i]:ptr[i+1]]`` (modulo ``2**64``, as ``iter().sum()`` in a
    release build; callers' values never reach that)."""
    prefix = np.zeros(vals.size + 1, dtype=np.int64)
    np.cumsum(vals, out=prefix[1:])
    return prefix[ptr[1:]] - prefix[ptr[:-1]]


def col_sums(cols: np.ndarray, vals: np.ndarray, n_cols: int) -> np.ndarray:
    """Per column, the sum of the entries' values (exact for callers' bounded values)."""
    out = np.zeros(n_cols, dtype=np.int64)
    np.add.at(out, cols, vals)
    return out


def dense_height(e: "Entries", n: int) -> int:
    """The number of rows of ``e`` if every row that has entries has all ``n`` columns (strictly
    increasing columns below ``n``, so exactly ``0..n``), else -1: such entries are a row-major
    ``(rows, n)`` block, and per-column work can use ``reshape`` instead of scatters and gathers."""
    size = e.vals.size
    if size == 0 or size % n:
        return -1
    height = int(np.count_nonzero(np.diff(e.ptr(n))))
    return height if height * n == size else -1


def col_totals(e: "Entries", n: int) -> np.ndarray:
    """``col_sums`` of ``e``'s values."""
    height = dense_height(e, n)
    if height > 0:
        return e.vals.reshape(height, n).sum(axis=0)
    return col_sums(e.cols, e.vals, n)


def col_max(e: "Entries", n: int) -> np.ndarray:
    """Per column, the largest value of ``e`` (0 where a column has none; values are non-negative)."""
    height = dense_height(e, n)
    if height > 0:
        return e.vals.reshape(height, n).max(axis=0)
    out = np.zeros(n, dtype=np.int64)
    np.maximum.at(out, e.cols, e.vals)
    return out


def at_cols(e: "Entries", x: np.ndarray, n: int) -> np.ndarray:
    """``x[e.cols]``: the per-column vector ``x`` at every entry (a tile when ``e`` is dense)."""
    height = dense_height(e, n)
    if height > 0:
        return np.tile(x, height)
    return x[e.cols]


def at_rows(e: "Entries", x: np.ndarray, n: int) -> np.ndarray:
    """``x[e.rows]``: the per-row vector ``x`` at every entry (rows are sorted: a repeat)."""
    return np.repeat(x[:n], np.diff(e.ptr(n)))


@dataclass(frozen=True)
class Entries:
    """Matrix entries sorted by row, then column (no repeats): CSR without the pointer."""

    rows: np.ndarray
    cols: np.ndarray
    vals: np.ndarray

    def take(self, keep: np.ndarray) -> "Entries":
        """The entries where ``keep`` is true."""
        if bool(keep.all()):
            return self
        # boolean compression: about twice as fast as flatnonzero and three gathers
        return Entries(self.rows[keep], self.cols[keep], self.vals[keep])

    def with_vals(self, vals: np.ndarray) -> "Entries":
        """Same entries, new values."""
        return Entries(self.rows, self.cols, vals)

    def ptr(self, n: int) -> np.ndarray:
        """CSR row pointer over ``n`` rows."""
        return row_ptr(self.rows, n)


def entries(m: U16Rows) -> Entries:
    """The entries of CSR rows (sorted rows in, sorted entries out)."""
    rows = np.repeat(np.arange(len(m), dtype=np.int64), np.diff(m.indptr))
    return Entries(rows, m.indices, m.values)


def u16_ratio(x: int) -> int:
    """I32F32 ``x / 65535`` (truncated)."""
    return (x << 32) // 65535
