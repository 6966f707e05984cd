"""The vector and matrix helpers of the Yuma epoch, over I32F32 raw-bit arrays.

Vectors are ``int64`` arrays of I32F32 raw bits (see ``fixed``). Sparse matrices are ``Sparse``: rows of
``(column, value)`` entries kept in their given order (CSR arrays), like the reference's
``Vec<Vec<(u16, I32F32)>>``. Every helper reproduces the reference's element order, accumulation order
and rounding, including its edge cases (missing mask entries, short vectors, zero sums), so results are
bit-identical. Sums documented as "plain" are ``iter().sum()`` folds (``fixed.wrapping_sum``); those
documented as "saturating" fold ``saturating_add`` in the reference's order (``_grouped_fold``).

Nothing here uses floating point, BLAS or dict/set ordering.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from runtime.yuma import fixed as fx
from runtime.yuma.fixed import I32F32, I64F64

ONE = I32F32.one
U16_MAX = 65535
_I64_MAX = (1 << 63) - 1
_I64_MIN = -(1 << 63)


# ---------------------------------------------------------------------------------------------
# Sparse matrices
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Sparse:
    """A row-major sparse matrix: row ``i`` holds ``cols[indptr[i]:indptr[i+1]]`` with the values
    ``vals[...]`` (I32F32 raw bits), in their stored order. Columns are not bounded here; helpers
    that take a column count ignore entries beyond it exactly as the reference does."""

    indptr: np.ndarray
    cols: np.ndarray
    vals: np.ndarray

    @property
    def n_rows(self) -> int:
        """Number of rows."""
        return len(self.indptr) - 1

    @property
    def row_ids(self) -> np.ndarray:
        """Row index of every entry."""
        return np.repeat(np.arange(self.n_rows, dtype=np.int64), np.diff(self.indptr))

    @staticmethod
    def from_rows(rows: Sequence[Sequence[tuple[int, int]]]) -> "Sparse":
        """Build from rows of ``(column, raw value)`` pairs."""
        lengths = [len(r) for r in rows]
        indptr = np.zeros(len(rows) + 1, dtype=np.int64)
        indptr[1:] = np.cumsum(lengths, dtype=np.int64)
        cols = np.array([j for r in rows for j, _ in r], dtype=np.int64)
        vals = np.array([v for r in rows for _, v in r], dtype=np.int64)
        return Sparse(indptr, cols, vals)

    @staticmethod
    def from_entries(n_rows: int, rows: np.ndarray, cols: np.ndarray, vals: np.ndarray) -> "Sparse":
        """Build from entries already sorted by row (order within a row kept)."""
        counts = np.bincount(rows, minlength=n_rows)[:n_rows] if len(rows) else np.zeros(n_rows, np.int64)
        indptr = np.zeros(n_rows + 1, dtype=np.int64)
        indptr[1:] = np.cumsum(counts)
        return Sparse(indptr, np.asarray(cols, np.int64), np.asarray(vals, np.int64))

    @staticmethod
    def empty(n_rows: int) -> "Sparse":
        """``n_rows`` empty rows."""
        return Sparse(np.zeros(n_rows + 1, np.int64), np.zeros(0, np.int64), np.zeros(0, np.int64))

    def to_rows(self) -> list[list[tuple[int, int]]]:
        """Rows of ``(column, raw value)`` pairs as Python ints."""
        out = []
        for i in range(self.n_rows):
            s, e = int(self.indptr[i]), int(self.indptr[i + 1])
            out.append(list(zip(self.cols[s:e].tolist(), self.vals[s:e].tolist())))
        return out

    def filter(self, keep: np.ndarray) -> "Sparse":
        """The entries where ``keep`` is true, rows and order kept."""
        keep = np.asarray(keep, dtype=bool)
        return Sparse.from_entries(self.n_rows, self.row_ids[keep], self.cols[keep], self.vals[keep])

    def with_vals(self, vals: np.ndarray) -> "Sparse":
        """Same structure, new values."""
        return Sparse(self.indptr, self.cols, np.asarray(vals, dtype=np.int64))

    def dense(self, columns: int) -> np.ndarray:
        """Dense ``n_rows x columns`` copy; entries beyond ``columns`` dropped, later duplicates win."""
        out = np.zeros((self.n_rows, columns), dtype=np.int64)
        keep = _last_wins(self.row_ids * (columns + 1) + self.cols) & (self.cols < columns)
        out[self.row_ids[keep], self.cols[keep]] = self.vals[keep]
        return out


def _last_wins(keys: np.ndarray) -> np.ndarray:
    """Mask keeping only the last occurrence of each key (sequential assignment semantics)."""
    keys = np.asarray(keys)
    if keys.size == 0:
        return np.zeros(0, dtype=bool)
    if _increasing(keys):  # no repeats
        return np.ones(keys.size, dtype=bool)
    _, first_in_reversed = np.unique(keys[::-1], return_index=True)
    keep = np.zeros(keys.size, dtype=bool)
    keep[keys.size - 1 - first_in_reversed] = True
    return keep


def _grouped_fold(groups: np.ndarray, values: np.ndarray, n_groups: int) -> np.ndarray:
    """Per group, ``fold(0, saturating_add)`` of ``values`` in array order (I32F32)."""
    out = np.zeros(n_groups, dtype=np.int64)
    if values.size == 0:
        return out
    if _abs_sum_fits(values):
        return _grouped_int64_sum(groups, values, n_groups)
    acc = [0] * n_groups
    for g, v in zip(groups.tolist(), values.tolist()):
        acc[g] = min(max(acc[g] + v, _I64_MIN), _I64_MAX)
    return np.array(acc, dtype=np.int64)


def _abs_sum_fits(values: np.ndarray) -> bool:
    """True when ``sum(|values|) <= I64_MAX`` (then no partial sum in any order can overflow)."""
    if values.size == 0:
        return True
    biggest = max(int(values.max()), -int(values.min()))
    if biggest * values.size <= _I64_MAX:
        return True
    return int(np.abs(values.astype(object)).sum()) <= _I64_MAX


def _grouped_int64_sum(groups: np.ndarray, values: np.ndarray, n_groups: int) -> np.ndarray:
    """Per group, the int64 sum modulo ``2**64`` (wrapping; order-free). Sorted groups (CSR rows)
    use prefix-sum differences, others a stable sort first."""
    values = np.asarray(values, dtype=np.int64)
    groups = np.asarray(groups, dtype=np.int64)
    if groups.size > 1 and bool(np.any(groups[1:] < groups[:-1])):
        order = np.argsort(groups, kind="stable")
        groups, values = groups[order], values[order]
    counts = np.bincount(groups, minlength=n_groups)[:n_groups]
    prefix = np.zeros(values.size + 1, dtype=np.int64)
    with np.errstate(over="ignore"):
        np.cumsum(values, out=prefix[1:])
        ends = np.cumsum(counts)
        return prefix[ends] - prefix[ends - counts]


def _grouped_plain_sum(groups: np.ndarray, values: np.ndarray, n_groups: int) -> np.ndarray:
    """Per group, ``iter().sum()`` (wrapping on overflow) of I32F32 values: a sum modulo
    ``2**64`` read as signed, which int64 arithmetic gives directly."""
    if values.size == 0:
        return np.zeros(n_groups, dtype=np.int64)
    return _grouped_int64_sum(groups, values, n_groups)


# ---------------------------------------------------------------------------------------------
# Scalar conversions
# ---------------------------------------------------------------------------------------------


def u16_to_fixed(x: object) -> np.ndarray:
    """u16 -> I32F32 integer value."""
    return fx.from_int(I32F32, x)


def u16_proportion_to_fixed(x: object) -> np.ndarray:
    """u16 -> I32F32 ``x / 65535`` (truncated)."""
    return fx.div(I32F32, fx.from_int(I32F32, x), U16_MAX * ONE)


def fixed_to_fixed_u16_proportion(x: object) -> np.ndarray:
    """I32F32 ``x / 65535`` (truncated)."""
    return fx.div(I32F32, x, U16_MAX * ONE)


def fixed_proportion_to_u16(x: object) -> np.ndarray:
    """I32F32 proportion -> u16: ``saturating_to_num::<u16>(saturating_mul(x, 65535))`` (the
    fractional bits floored off, then clamped; both exact in int64)."""
    scaled = fx.mul(I32F32, np.asarray(x, dtype=np.int64), U16_MAX * ONE)
    return np.clip(np.asarray(scaled, dtype=np.int64) >> np.int64(32), 0, U16_MAX)


def fixed_to_u64(x: object) -> np.ndarray:
    """I32F32 -> u64, floor, saturating (object array)."""
    return fx.to_int(I32F32, x, 0, (1 << 64) - 1)


def fixed64_to_u64(x: object) -> np.ndarray:
    """I64F64 -> u64, floor, saturating (object array)."""
    return fx.to_int(I64F64, x, 0, (1 << 64) - 1)


def vec_fixed64_to_fixed32(x: object) -> np.ndarray:
    """I64F64 -> I32F32, fractional bits truncated, saturating."""
    return fx.convert(I64F64, I32F32, x)


def vec_fixed32_to_fixed64(x: object) -> np.ndarray:
    """I32F32 -> I64F64 (exact)."""
    return fx.convert(I32F32, I64F64, x)


def vec_fixed64_to_u64(x: object) -> np.ndarray:
    """I64F64 vector -> u64 vector, floor, saturating."""
    return fixed64_to_u64(x)


def clamp_value(x: object, low: int, high: int) -> np.ndarray:
    """``x.min(high).max(low)``."""
    return np.maximum(np.minimum(np.asarray(x, dtype=np.int64), high), low)


# ---------------------------------------------------------------------------------------------
# Vectors
# ---------------------------------------------------------------------------------------------


def vsum(x: np.ndarray) -> int:
    """Plain sum of an I32F32 vector (raw bits)."""
    return fx.wrapping_sum(I32F32, x)


def is_zero(x: np.ndarray) -> bool:
    """True when the plain sum is zero."""
    return vsum(x) == 0


def normalize(x: np.ndarray) -> np.ndarray:
    """``x / sum(x)`` (safe_div), unchanged if the sum is zero."""
    x = np.asarray(x, dtype=np.int64)
    total = vsum(x)
    if total == 0:
        return x.copy()
    return fx.div(I32F32, x, total)


def normalize_using_sum(x: np.ndarray, total: int) -> np.ndarray:
    """``x / total`` (safe_div), unchanged if ``total`` is zero."""
    x = np.asarray(x, dtype=np.int64)
    if total == 0:
        return x.copy()
    return fx.div(I32F32, x, total)


def normalize_64(x: np.ndarray) -> np.ndarray:
    """I64F64 ``x / sum(x)`` (safe_div), unchanged if the sum is zero."""
    total = fx.wrapping_sum(I64F64, x)
    if total == 0:
        return np.asarray(x, dtype=object).copy()
    return fx.div(I64F64, x, total)


def is_topk(x: np.ndarray, k: int) -> np.ndarray:
    """True for the top ``k`` entries; ties: the lower index loses (stable ascending sort)."""
    n = len(x)
    out = np.ones(n, dtype=bool)
    if n < k:
        return out
    order = np.argsort(np.asarray(x, dtype=np.int64), kind="stable")
    out[order[: n - k]] = False
    return out


def is_topk_nonzero(x: np.ndarray, k: int) -> np.ndarray:
    """``is_topk`` restricted to non-zero entries."""
    x = np.asarray(x, dtype=np.int64)
    n = len(x)
    out = x != 0
    if n < k:
        return out
    order = np.argsort(x, kind="stable")
    out[order[: n - k]] = False
    return out


def mask_vector(mask: Sequence[bool] | np.ndarray, x: np.ndarray) -> np.ndarray:
    """``inplace_mask_vector``: zero where the mask is true; a missing mask entry counts as true;
    an empty mask leaves the vector unchanged."""
    x = np.asarray(x, dtype=np.int64).copy()
    mask = np.asarray(mask, dtype=bool)
    if mask.size == 0:
        return x
    full = np.ones(len(x), dtype=bool)
    m = min(len(x), len(mask))
    full[:m] = mask[:m]
    x[full] = 0
    return x


def vec_mul(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Elementwise ``checked_mul(...).unwrap_or_default()`` over the shorter length."""
    m = min(len(a), len(b))
    vals, _ = fx.checked_mul(I32F32, np.asarray(a[:m], np.int64), np.asarray(b[:m], np.int64))
    return vals


def vec_max_upscale_to_u16(x: np.ndarray) -> np.ndarray:
    """Scale so the maximum becomes 65535, rounding half away from zero (set_weights upscale)."""
    x = np.asarray(x, dtype=np.int64)
    u16_max = U16_MAX * ONE
    if x.size == 0:
        return np.zeros(0, dtype=np.int64)
    top = int(x.max())
    if top == 0:
        return fx.to_int(I32F32, fx.mul(I32F32, x, u16_max), 0, U16_MAX).astype(np.int64)
    if top > 32768 * ONE:
        scaled = fx.mul(I32F32, x, fx.div(I32F32, u16_max, top))
    else:
        scaled = fx.div(I32F32, fx.mul(I32F32, x, u16_max), top)
    return fx.to_int(I32F32, _round_half_away(scaled), 0, U16_MAX).astype(np.int64)


def _round_half_away(x: np.ndarray) -> np.ndarray:
    """I32F32 ``round()``: nearest, ties away from zero (saturating at the top)."""
    obj = np.asarray(x, dtype=np.int64).astype(object)
    half = ONE // 2
    mag = abs(obj)
    rounded = ((mag + half) >> 32) << 32
    return fx.array(I32F32, np.minimum(np.where(obj < 0, -rounded, rounded), _I64_MAX))


def vec_u16_max_upscale_to_u16(x: Sequence[int]) -> np.ndarray:
    """u16 vector max-upscaled to 65535."""
    return vec_max_upscale_to_u16(fx.from_int(I32F32, list(x)))


# ---------------------------------------------------------------------------------------------
# Weighted median
# ---------------------------------------------------------------------------------------------


def weighted_median(
    stake: np.ndarray,
    score: np.ndarray,
    partition_idx: Sequence[int] | np.ndarray,
    minority: int,
    partition_lo: int,
    partition_hi: int,
) -> int:
    """Stake-weighted median by deterministic quickselect with the middle element as pivot.

    Each round splits the partition (order kept) into scores strictly below and strictly above the
    pivot, summing their stakes with saturating adds. Descend into the lower part if the minority
    point lies below ``lo + lower_stake``, else into the upper part if ``hi - upper_stake <=
    minority``, else the pivot is the answer. Gives up with 0 after ``len(partition_idx)`` rounds.
    """
    stake = np.asarray(stake, dtype=np.int64)
    score = np.asarray(score, dtype=np.int64)
    if len(stake) != len(score):
        return 0
    idx = np.asarray(partition_idx, dtype=np.int64)
    limit = len(idx)
    lo, hi = int(partition_lo), int(partition_hi)
    rounds = 0
    while True:
        m = len(idx)
        if m == 0:
            return 0
        if m == 1:
            return int(score[idx[0]]) if idx[0] < len(score) else 0
        pivot = int(score[idx[m // 2]])
        s = score[idx]
        lower = idx[s < pivot]
        upper = idx[s > pivot]
        lo_stake = fx.saturating_fold(I32F32, stake[lower])
        hi_stake = fx.saturating_fold(I32F32, stake[upper])
        if minority < _sat(lo + lo_stake) and lower.size:
            idx = lower
            hi = _sat(lo + lo_stake)
        elif _sat(hi - hi_stake) <= minority and upper.size:
            idx = upper
            lo = _sat(hi - hi_stake)
        else:
            return pivot
        rounds += 1
        if rounds > limit:
            return 0


def _sat(v: int) -> int:
    return min(max(v, _I64_MIN), _I64_MAX)


def weighted_median_col(stake: np.ndarray, score: np.ndarray, majority: int) -> np.ndarray:
    """Dense column-wise weighted median; ``score`` is an ``rows x columns`` array. Rows with
    positive stake take part; their stakes are renormalised per column."""
    stake = np.asarray(stake, dtype=np.int64)
    score = np.asarray(score, dtype=np.int64)
    columns = score.shape[1] if score.ndim == 2 and score.shape[0] else 0
    out = np.zeros(columns, dtype=np.int64)
    rows = [r for r in range(len(stake)) if stake[r] > 0]
    if not rows:
        return out
    for c in range(columns):
        use_stake = np.array(
            [stake[r] if r < score.shape[0] else 0 for r in rows], dtype=np.int64
        )
        use_score = np.array([score[r, c] if r < score.shape[0] else 0 for r in rows], np.int64)
        use_stake = normalize(use_stake)
        total = vsum(use_stake)
        minority = _sat(total - majority)
        out[c] = weighted_median(use_stake, use_score, np.arange(len(rows)), minority, 0, total)
    return out


def weighted_median_col_sparse(
    stake: np.ndarray, score: Sparse, columns: int, majority: int
) -> np.ndarray:
    """Column-wise weighted median over validators with positive stake (stake renormalised once).

    A validator's score in column ``j`` is its entry ``(j, w)`` (the last one if repeated), else 0.
    """
    stake = np.asarray(stake, dtype=np.int64)
    positive = stake > 0
    use_stake = normalize(stake[positive])
    k = len(use_stake)
    total = vsum(use_stake)
    minority = _sat(total - majority)
    use_score = np.zeros((columns, k), dtype=np.int64)
    rows_walked = min(len(stake), score.n_rows)
    slot = np.full(score.n_rows, -1, dtype=np.int64)
    slot[:rows_walked] = np.where(positive[:rows_walked], np.cumsum(positive[:rows_walked]) - 1, -1)
    r = score.row_ids
    keep = (slot[r] >= 0) & (score.cols < columns) if score.vals.size else np.zeros(0, bool)
    keep &= _last_wins(r * (columns + 1) + score.cols) if keep.size else keep
    use_score[score.cols[keep], slot[r[keep]]] = score.vals[keep]
    if k and int(use_stake.min()) >= 0 and int(use_stake.astype(object).sum()) <= 1 << 61:
        return weighted_median_many(use_stake, use_score, minority, total)
    idx = np.arange(k, dtype=np.int64)
    return np.array(
        [weighted_median(use_stake, use_score[j], idx, minority, 0, total) for j in range(columns)],
        dtype=np.int64,
    )


def weighted_median_many(stake: np.ndarray, scores: np.ndarray, minority: int, total: int) -> np.ndarray:
    """``weighted_median(stake, scores[c], range(k), minority, 0, total)`` for every row ``c`` of
    ``scores`` at once: the same quickselect rounds, run in lock step over all unfinished rows.

    Exact under the caller's precondition ``0 <= stake`` and ``sum(stake) <= 2**61`` (and
    ``|minority|, total <= 2**63``): every partial stake sum is then a plain int64 sum (the
    saturating folds never saturate), and ``lo``/``hi`` stay within ``[-2**62, 2**62]`` so
    ``lo + lo_s`` and ``hi - hi_s`` need no clamping either."""
    rows, k = scores.shape
    out = np.zeros(rows, dtype=np.int64)
    live = np.arange(rows)
    mask = np.ones((rows, k), dtype=bool)
    lo = np.zeros(rows, dtype=np.int64)
    hi = np.full(rows, total, dtype=np.int64)
    sc = scores
    rounds = 0
    while live.size:
        m = mask.sum(axis=1)
        single = m == 1
        if np.any(single):
            out[live[single]] = sc[single][mask[single]]  # exactly one True per such row
        fin = m <= 1  # m == 0 leaves 0
        if np.any(fin):
            keep = ~fin
            live, mask, lo, hi, sc, m = live[keep], mask[keep], lo[keep], hi[keep], sc[keep], m[keep]
            if not live.size:
                break
        pos = np.argmax(np.cumsum(mask, axis=1) > (m // 2)[:, None], axis=1)
        pivot = sc[np.arange(live.size), pos]
        lower = mask & (sc < pivot[:, None])
        upper = mask & (sc > pivot[:, None])
        lo_s = (lower * stake[None, :]).sum(axis=1)
        hi_s = (upper * stake[None, :]).sum(axis=1)
        go_low = lower.any(axis=1) & (minority < lo + lo_s)
        go_up = ~go_low & upper.any(axis=1) & (hi - hi_s <= minority)
        done = ~(go_low | go_up)
        out[live[done]] = pivot[done]
        new_hi = np.where(go_low, lo + lo_s, hi)
        new_lo = np.where(go_up, hi - hi_s, lo)
        mask = np.where(go_low[:, None], lower, upper)
        rounds += 1
        keep = ~done
        if rounds > k:
            out[live[keep]] = 0
            break
        live, mask, lo, hi, sc = live[keep], mask[keep], new_lo[keep], new_hi[keep], sc[keep]
    return out


# ---------------------------------------------------------------------------------------------
# Sparse matrix helpers
# ---------------------------------------------------------------------------------------------


def mask_rows_sparse(mask: Sequence[bool] | np.ndarray, m: Sparse) -> Sparse:
    """Empty the rows whose mask entry is true; a missing mask entry counts as true."""
    full = np.ones(m.n_rows, dtype=bool)
    mask = np.asarray(mask, dtype=bool)
    k = min(len(mask), m.n_rows)
    full[:k] = mask[:k]
    return m.filter(~full[m.row_ids])


def mask_diag_sparse(m: Sparse, except_index: int | None = None) -> Sparse:
    """Drop diagonal entries, except ``(except_index, except_index)`` when given."""
    r = m.row_ids
    keep = r != m.cols
    if except_index is not None:
        keep |= (r == except_index) & (m.cols == except_index)
    return m.filter(keep)


MaskFn = Callable[[np.ndarray, np.ndarray], np.ndarray]


def vec_mask_sparse_matrix(
    m: Sparse, first: Sequence[int], second: Sequence[int], mask_fn: MaskFn
) -> Sparse:
    """Drop entry ``(i, j)`` where ``mask_fn(first[i], second[j])``; missing vector entries are 0.

    Values are compared as Python ints (object arrays) so u64 inputs are exact."""
    fv = _pad_u64(first, m.n_rows)
    sv = _pad_u64(second, int(m.cols.max()) + 1 if m.cols.size else 0)
    if m.cols.size == 0:
        return m
    return m.filter(~np.asarray(mask_fn(fv[m.row_ids], sv[m.cols]), dtype=bool))


def scalar_vec_mask_sparse_matrix(
    m: Sparse, scalar: int, vector: Sequence[int], mask_fn: MaskFn
) -> Sparse:
    """Drop entry ``(i, j)`` where ``mask_fn(scalar, vector[j])``; missing vector entries are 0."""
    if m.cols.size == 0:
        return m
    sv = _pad_u64(vector, int(m.cols.max()) + 1)
    lhs = np.full(m.cols.size, int(scalar), dtype=object)
    return m.filter(~np.asarray(mask_fn(lhs, sv[m.cols]), dtype=bool))


def _pad_u64(v: Sequence[int], length: int) -> np.ndarray:
    out = np.zeros(max(length, len(v)), dtype=object)
    out[:] = 0
    out[: len(v)] = [int(x) for x in v]
    return out


def row_normalize_sparse(m: Sparse) -> Sparse:
    """Divide each row with a positive plain sum by that sum (safe_div)."""
    sums = _grouped_plain_sum(m.row_ids, m.vals, m.n_rows)
    den = sums[m.row_ids]
    pos = den > 0
    vals = m.vals.copy()
    if np.any(pos):
        vals[pos] = fx.div(I32F32, m.vals[pos], den[pos])
    return m.with_vals(vals)


def row_sum_sparse(m: Sparse) -> np.ndarray:
    """Plain sum of each row."""
    return _grouped_plain_sum(m.row_ids, m.vals, m.n_rows)


def col_sum_sparse(m: Sparse, columns: int) -> np.ndarray:
    """Saturating column sums (row-major order); entries beyond ``columns`` ignored."""
    keep = m.cols < columns
    return _grouped_fold(m.cols[keep], m.vals[keep], columns)


def col_normalize_sparse(m: Sparse, columns: int) -> Sparse:
    """Divide each entry by its column's saturating sum where that sum is non-zero."""
    sums = col_sum_sparse(m, columns)
    in_range = m.cols < columns
    den = np.zeros(m.cols.size, dtype=np.int64)
    den[in_range] = sums[m.cols[in_range]]
    nz = den != 0
    vals = m.vals.copy()
    if np.any(nz):
        vals[nz] = fx.div(I32F32, m.vals[nz], den[nz])
    return m.with_vals(vals)


def col_max_upscale_sparse(m: Sparse, columns: int) -> Sparse:
    """Divide each entry by its column maximum (over entries, floor 0) where that is non-zero."""
    col_max = np.zeros(columns, dtype=np.int64)
    in_range = m.cols < columns
    if np.any(in_range):
        np.maximum.at(col_max, m.cols[in_range], m.vals[in_range])
    den = np.zeros(m.cols.size, dtype=np.int64)
    den[in_range] = col_max[m.cols[in_range]]
    nz = den != 0
    vals = m.vals.copy()
    if np.any(nz):
        vals[nz] = fx.div(I32F32, m.vals[nz], den[nz])
    return m.with_vals(vals)


def col_clip_sparse(m: Sparse, threshold: np.ndarray) -> Sparse:
    """Clip entries above their column threshold down to it; drop them if the threshold is <= 0.
    A column without a threshold has threshold 0."""
    th = np.zeros(m.cols.size, dtype=np.int64)
    threshold = np.asarray(threshold, dtype=np.int64)
    has = m.cols < len(threshold)
    th[has] = threshold[m.cols[has]]
    above = th < m.vals
    keep = ~above | (th > 0)
    vals = np.where(above, th, m.vals)
    return m.with_vals(vals).filter(keep)


def row_hadamard_sparse(m: Sparse, x: np.ndarray) -> Sparse:
    """Entry ``(i, j)`` times ``x[i]`` (saturating); rows past the end of ``x`` are dropped."""
    rows = min(m.n_rows, len(x))
    trimmed = Sparse(m.indptr[: rows + 1], m.cols[: m.indptr[rows]], m.vals[: m.indptr[rows]])
    return trimmed.with_vals(fx.mul(I32F32, trimmed.vals, np.asarray(x, np.int64)[trimmed.row_ids]))


def matmul_sparse(m: Sparse, x: np.ndarray, columns: int) -> np.ndarray:
    """``r_j = sum_i x_i * m_ij``: saturating products accumulated with saturating adds in row
    order; a row past the end of ``x`` scales by 0; columns beyond ``columns`` ignored."""
    x = np.asarray(x, dtype=np.int64)
    scale = np.zeros(m.n_rows, dtype=np.int64)
    k = min(len(x), m.n_rows)
    scale[:k] = x[:k]
    keep = m.cols < columns
    prod = fx.mul(I32F32, scale[m.row_ids[keep]], m.vals[keep])
    return _grouped_fold(m.cols[keep], prod, columns)


def matmul_transpose_sparse(m: Sparse, x: np.ndarray) -> np.ndarray:
    """``r_i = sum_j x_j * m_ij``: saturating products and adds in entry order; missing x_j is 0."""
    x = np.asarray(x, dtype=np.int64)
    xj = np.zeros(m.cols.size, dtype=np.int64)
    has = m.cols < len(x)
    xj[has] = x[m.cols[has]]
    prod = fx.mul(I32F32, xj, m.vals)
    return _grouped_fold(m.row_ids, prod, m.n_rows)


def mat_vec_mul_sparse(m: Sparse, x: np.ndarray) -> Sparse:
    """Entry ``(i, j)`` times ``x[j]`` (saturating); entries past ``x`` and zero products dropped."""
    x = np.asarray(x, dtype=np.int64)
    has = m.cols < len(x)
    sub = m.filter(has)
    prod = fx.mul(I32F32, sub.vals, x[sub.cols])
    return sub.with_vals(prod).filter(prod != 0)


def interpolate_sparse(m1: Sparse, m2: Sparse, columns: int, ratio: int) -> Sparse:
    """``m1 + ratio * (m2 - m1)`` over densified rows, keeping entries > 0 in column order.
    Ratio 0 returns ``m1`` and ratio 1 returns ``m2`` unchanged; row-count mismatch returns ``m2``."""
    if ratio == 0:
        return m1
    if ratio == ONE:
        return m2
    if m1.n_rows != m2.n_rows:
        return m2
    d1 = m1.dense(columns)
    d2 = m2.dense(columns)
    interp = fx.add(I32F32, d1, fx.mul(I32F32, ratio, fx.sub(I32F32, d2, d1)))
    rows, cols = np.nonzero(interp > 0)
    return Sparse.from_entries(m1.n_rows, rows, cols, interp[rows, cols])


def mat_ema_sparse(new: Sparse, old: Sparse, alpha: int) -> Sparse:
    """``alpha * new + (1 - alpha) * old`` over the union of entries, each product floored and
    accumulated with saturating adds (new entries first); entries > 0 kept in column order.
    The accumulator is ``len(new)`` wide (square matrix assumed)."""
    n = new.n_rows
    if n == 0:
        return Sparse.empty(0)
    keep_new = new.cols < n
    a_vals = fx.mul(I32F32, alpha, new.vals[keep_new])
    one_minus = fx.sub(I32F32, ONE, alpha)
    old_rows = old.row_ids
    keep_old = (old.cols < n) & (old_rows < n)
    b_vals = fx.mul(I32F32, one_minus, old.vals[keep_old])
    rows = np.concatenate([new.row_ids[keep_new], old_rows[keep_old]])
    cols = np.concatenate([new.cols[keep_new], old.cols[keep_old]])
    vals = np.concatenate([a_vals, np.asarray(b_vals, np.int64)])
    order = np.argsort(rows, kind="stable")  # per row: new entries, then old, each in order
    cell = rows[order] * n + cols[order]
    acc = _grouped_fold(cell, vals[order], n * n).reshape(n, n)
    rr, cc = np.nonzero(acc > 0)
    return Sparse.from_entries(n, rr, cc, acc[rr, cc])


def mat_ema_alpha_sparse(new: Sparse, old: Sparse, alpha: np.ndarray) -> Sparse:
    """Per-entry EMA: ``min((1 - a_ij) * old_ij + max(a_ij * new_ij, 0), 1)`` for the entries of
    ``new`` only (an old bond absent from ``new`` is dropped), kept where > 0, in ``new``'s order.
    ``alpha`` is a dense ``rows x columns`` array; columns beyond it are ignored. Shape mismatch
    returns ``new``."""
    alpha = np.asarray(alpha, dtype=np.int64)
    if new.n_rows != old.n_rows or new.n_rows != alpha.shape[0]:
        return new
    width = alpha.shape[1] if alpha.ndim == 2 else 0
    decayed = np.zeros((new.n_rows, width), dtype=np.int64)
    orow = old.row_ids
    ok = (old.cols < width) & _last_wins(orow * (width + 1) + old.cols)
    a_old = alpha[orow[ok], old.cols[ok]]
    decayed[orow[ok], old.cols[ok]] = fx.mul(I32F32, fx.sub(I32F32, ONE, a_old), old.vals[ok])
    nrow = new.row_ids
    has = new.cols < width
    sub = new.filter(has)
    srow = nrow[has]
    a_new = alpha[srow, sub.cols]
    inc = np.maximum(fx.mul(I32F32, a_new, sub.vals), 0)
    val = np.minimum(fx.add(I32F32, decayed[srow, sub.cols], inc), ONE)
    return sub.with_vals(val).filter(val > 0)


# ---------------------------------------------------------------------------------------------
# Dense helpers (the reference's dense variants, used for its vectors and the dense epoch)
# ---------------------------------------------------------------------------------------------


def matmul(m: np.ndarray, x: np.ndarray) -> np.ndarray:
    """Dense ``r_j = sum_i x_i * m_ij`` with saturating products and adds in row order."""
    m = np.asarray(m, dtype=np.int64)
    if m.ndim != 2 or m.shape[0] == 0 or m.shape[1] == 0:
        return np.zeros(0, dtype=np.int64)
    scale = np.zeros(m.shape[0], dtype=np.int64)
    k = min(len(x), m.shape[0])
    scale[:k] = np.asarray(x, np.int64)[:k]
    prod = fx.mul(I32F32, scale[:, None], m)
    cols = np.broadcast_to(np.arange(m.shape[1]), m.shape).reshape(-1)
    return _grouped_fold(cols, prod.reshape(-1), m.shape[1])


def matmul_transpose(m: np.ndarray, x: np.ndarray) -> np.ndarray:
    """Dense ``r_i = sum_j x_j * m_ij`` with saturating products and adds in column order."""
    m = np.asarray(m, dtype=np.int64)
    if m.ndim != 2 or m.shape[0] == 0 or m.shape[1] == 0:
        return np.zeros(0, dtype=np.int64)
    w = min(m.shape[1], len(x))
    prod = fx.mul(I32F32, m[:, :w], np.asarray(x, np.int64)[None, :w])
    rows = np.repeat(np.arange(m.shape[0]), w)
    return _grouped_fold(rows, prod.reshape(-1), m.shape[0])


def mat_ema(new: np.ndarray, old: np.ndarray, alpha: int) -> np.ndarray:
    """Dense ``alpha * new + (1 - alpha) * old`` (floored products, saturating add)."""
    one_minus = fx.sub(I32F32, ONE, alpha)
    return fx.add(I32F32, fx.mul(I32F32, alpha, new), fx.mul(I32F32, one_minus, old))


def mat_ema_alpha(new: np.ndarray, old: np.ndarray, alpha: np.ndarray) -> np.ndarray:
    """Dense per-entry EMA ``min((1 - a) * old + max(a * new, 0), 1)`` (decays absent weights)."""
    decayed = fx.mul(I32F32, fx.sub(I32F32, ONE, alpha), old)
    inc = np.maximum(fx.mul(I32F32, alpha, new), 0)
    return np.minimum(fx.add(I32F32, decayed, inc), ONE)


# ---------------------------------------------------------------------------------------------
# Liquid alpha
# ---------------------------------------------------------------------------------------------


def alpha_sigmoid(
    consensus: np.ndarray,
    weight: np.ndarray,
    bond: np.ndarray,
    alpha_low: int,
    alpha_high: int,
    steepness: int,
) -> np.ndarray:
    """Liquid-alpha coefficient per entry (broadcasting):
    ``d = clamp(w - c, 0, 1)`` if ``w >= b`` else ``clamp(b - w, 0, 1)``;
    ``s = 1 / (1 + exp_safe((k / -100) * (d - 1/2)))``; ``clamp(lo + s * (hi - lo), lo, hi)``."""
    weight = np.asarray(weight, np.int64)
    bond = np.asarray(bond, np.int64)
    diff_buy = clamp_value(fx.sub(I32F32, weight, consensus), 0, ONE)
    diff_sell = clamp_value(fx.sub(I32F32, bond, weight), 0, ONE)
    combined = np.where(weight >= bond, diff_buy, diff_sell)
    k = int(fx.div(I32F32, steepness, -100 * ONE, mode="saturating"))
    x = fx.mul(I32F32, k, fx.sub(I32F32, combined, ONE // 2))
    denom = fx.add(I32F32, ONE, fx.exp_safe(x))
    sigmoid = fx.div(I32F32, ONE, denom, mode="saturating")
    alpha = fx.add(I32F32, alpha_low, fx.mul(I32F32, sigmoid, fx.sub(I32F32, alpha_high, alpha_low)))
    return clamp_value(alpha, alpha_low, alpha_high)


def liquid_alpha_values_sparse(
    weights: Sparse,
    bonds: Sparse,
    consensus: np.ndarray,
    alpha_low: int,
    alpha_high: int,
    steepness: int,
) -> np.ndarray:
    """The dense ``rows x len(consensus)`` liquid-alpha matrix.

    The reference walks each row with a forward-only cursor, so for column ``j`` it reads the
    first entry whose column is ``>= j`` and uses it only if its column equals ``j``. For sorted
    rows that is plain lookup; for unsorted rows it is reproduced here via the running maximum of
    the row's columns.
    """
    consensus = np.asarray(consensus, np.int64)
    n_cols = len(consensus)
    if weights.n_rows != bonds.n_rows:
        return np.zeros((0, n_cols), dtype=np.int64)
    w = _cursor_dense(weights, n_cols)
    b = _cursor_dense(bonds, n_cols)
    return alpha_sigmoid(consensus[None, :], w, b, alpha_low, alpha_high, steepness)


def mat_ema_liquid_alpha_sparse(
    new: Sparse,
    old: Sparse,
    consensus: np.ndarray,
    alpha_low: int,
    alpha_high: int,
    steepness: int,
) -> Sparse:
    """``mat_ema_alpha_sparse(new, old, liquid_alpha_values_sparse(new, old, consensus, ...))``
    with the liquid alpha evaluated only where the EMA reads it (the entries of ``new`` and
    ``old``) instead of over the dense ``rows x columns`` matrix. Same values at the same points,
    so the result is identical; rows of different counts fall back to the dense pair."""
    consensus = np.asarray(consensus, np.int64)
    width = len(consensus)
    if new.n_rows != old.n_rows:
        alphas = liquid_alpha_values_sparse(new, old, consensus, alpha_low, alpha_high, steepness)
        return mat_ema_alpha_sparse(new, old, alphas)

    orow = old.row_ids
    ok = (old.cols < width) & _last_wins(orow * (width + 1) + old.cols)
    o_rows, o_cols = orow[ok], old.cols[ok]
    has = new.cols < width
    sub = new.filter(has)
    s_rows = new.row_ids[has]
    o_keys = o_rows * width + o_cols
    keys = s_rows * width + sub.cols

    def alpha_at(points: np.ndarray) -> np.ndarray:
        p_rows, p_cols = points // max(width, 1), points % max(width, 1)
        w = _cursor_lookup(new, p_rows, p_cols)
        b = _cursor_lookup(old, p_rows, p_cols)
        return alpha_sigmoid(consensus[p_cols], w, b, alpha_low, alpha_high, steepness)

    # one alpha per distinct (row, column) the EMA reads: the old entries' (distinct after the
    # last-wins filter), then those new entries' not among them
    vals_old = old.vals[ok]
    if not _increasing(o_keys):
        order = np.argsort(o_keys, kind="stable")
        o_keys, vals_old = o_keys[order], vals_old[order]
    a_old = alpha_at(o_keys)
    at = np.searchsorted(o_keys, keys)
    found = at < o_keys.size
    found[found] = o_keys[at[found]] == keys[found]
    a_new = np.zeros(keys.size, dtype=np.int64)
    a_new[found] = a_old[at[found]]
    missing = ~found
    if np.any(missing):
        extra, inverse = np.unique(keys[missing], return_inverse=True)
        a_new[missing] = alpha_at(extra)[inverse]
    decayed = np.asarray(fx.mul(I32F32, fx.sub(I32F32, ONE, a_old), vals_old), np.int64)
    dec = np.zeros(keys.size, dtype=np.int64)
    dec[found] = decayed[at[found]]
    inc = np.maximum(fx.mul(I32F32, a_new, sub.vals), 0)
    val = np.minimum(fx.add(I32F32, dec, inc), ONE)
    return sub.with_vals(val).filter(val > 0)


def _increasing(keys: np.ndarray) -> bool:
    """Strictly increasing (hence free of repeats)."""
    return bool(np.all(keys[1:] > keys[:-1]))


def _cursor_lookup(m: Sparse, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
    """For each query ``(i, j)``: the value of the first entry of row ``i`` whose running-maximum
    column is ``>= j``, if that entry's column is ``j``; else 0 (the forward-only cursor of the
    reference; plain lookup for sorted rows). Vectorised with per-row running maxima offset by
    the row index so one global ``searchsorted`` serves every row."""
    out = np.zeros(len(rows), dtype=np.int64)
    if m.cols.size == 0 or len(rows) == 0:
        return out
    span = int(max(int(m.cols.max()), int(np.max(cols)))) + 1
    r = m.row_ids
    running = np.maximum.accumulate(r * span + m.cols)  # rows ascend, so this is per row
    pos = np.searchsorted(running, rows * span + cols, side="left")
    inside = pos < m.indptr[rows + 1]
    hit = np.zeros(len(rows), dtype=bool)
    hit[inside] = m.cols[pos[inside]] == cols[inside]
    out[hit] = m.vals[pos[hit]]
    return out


def _cursor_dense(m: Sparse, n_cols: int) -> np.ndarray:
    out = np.zeros((m.n_rows, n_cols), dtype=np.int64)
    js = np.arange(n_cols, dtype=np.int64)
    for i in range(m.n_rows):
        s, e = int(m.indptr[i]), int(m.indptr[i + 1])
        if s == e:
            continue
        cols = m.cols[s:e]
        running = np.maximum.accumulate(cols)
        pos = np.searchsorted(running, js, side="left")
        inside = pos < (e - s)
        hit = np.zeros(n_cols, dtype=bool)
        hit[inside] = cols[pos[inside]] == js[inside]
        out[i, hit] = m.vals[s:e][pos[hit]]
    return out


def sigmoid_safe(x: object, rho: int, kappa: int) -> np.ndarray:
    """``1 / (1 + exp_safe(-rho * (x - kappa)))`` with saturating steps (kept for its vectors)."""
    offset = fx.sub(I32F32, x, kappa)
    neg_rho = fx.mul(I32F32, rho, -ONE)
    exp_out = fx.exp_safe(fx.mul(I32F32, neg_rho, offset))
    return fx.div(I32F32, ONE, fx.add(I32F32, exp_out, ONE))
