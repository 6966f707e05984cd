"""The fast path's bonds and dividends: Yuma3 (liquid or fixed alpha) and classic Yuma.

Part of the fast path (see ``fast``): entries are sorted by row then column without repeats, weights
and bonds are proportions in ``[0, 1]`` (so the ``kernels`` apply), and only columns below ``n`` are
kept. The EMA over the union of weight and bond entries uses a dense accumulator of the rows in use,
and liquid alpha is evaluated only at the weight entries (the sparse reference keeps no other).
"""

from __future__ import annotations

import numpy as np

from runtime.yuma import fastalpha
from runtime.yuma import kernels as kn
from runtime.yuma import parallel
from runtime.yuma.io import EpochInputs
from runtime.yuma.kernels import ONE, Entries
from runtime.yuma.rows import U16Rows

__all__ = ["bonds_classic", "bonds_yuma3"]

U64_MAX = (1 << 64) - 1
U16_MAX = 65535


def load_bonds(inp: EpochInputs, bonds: U16Rows, reg: np.ndarray) -> Entries:
    """Stored bonds (u16) without columns at or beyond ``n`` (every consumer ignores them) and
    without columns registered at or after ``last_tempo``."""
    n = inp.n
    lms = inp.last_mechanism_step_block
    last_tempo = max(inp.block - inp.tempo, 0) if lms == 0 else min(lms + 1, U64_MAX)
    e = kn.entries(bonds)
    cols = e.cols
    keep = np.ones(cols.size, dtype=bool)
    if cols.size and int(cols.max()) >= n:
        keep = cols < n
        cols = np.minimum(cols, n - 1)
    if cols.size and int(reg.max()) >= last_tempo:  # some column may be too new: check each entry
        keep &= reg[cols] < np.uint64(last_tempo)
    return e.take(keep)


def ema_alpha(inp: EpochInputs) -> int:
    """``1 - trunc32(bma / 1e6)`` in [0, 1] (``bma <= 1e6`` here)."""
    bma = ((inp.bonds_moving_average << 64) << 64) // (1_000_000 << 64)
    return ONE - (bma >> 32)


def union(new: Entries, old: Entries, n: int) -> Entries:
    """``new + old`` over the union of entries (both non-negative, each at most 1), entries above 0
    kept in (row, column) order: a dense accumulator over the rows that have entries."""
    new_counts = np.diff(new.ptr(n))
    old_counts = np.diff(old.ptr(n))
    for block, block_counts, other, other_counts in ((old, old_counts, new, new_counts),
                                                      (new, new_counts, old, old_counts)):
        if kn.dense_height(block, n) > 0 and not bool(np.any((other_counts > 0) & (block_counts == 0))):
            return _add_into_block(block, block_counts, other, other_counts, n)
    rows = np.flatnonzero((new_counts > 0) | (old_counts > 0))
    base = np.zeros(n, dtype=np.int64)
    base[rows] = np.arange(0, rows.size * n, n, dtype=np.int64)
    # entries are sorted by row, so each row's offset is spread with a repeat, not a gather
    acc = np.zeros(rows.size * n, dtype=np.int64)
    acc[np.repeat(base, new_counts) + new.cols] = new.vals
    np.add.at(acc, np.repeat(base, old_counts) + old.cols, old.vals)  # ~2x a fancy +=
    positive = (acc > 0).reshape(rows.size, n)
    if bool(positive.all()):  # dense: every (row, column) pair is an entry
        return Entries(np.repeat(rows, n), np.tile(np.arange(n, dtype=np.int64), rows.size), acc)
    at = np.flatnonzero(positive)
    counts = positive.sum(axis=1)
    return Entries(np.repeat(rows, counts), at - np.repeat(np.arange(0, rows.size * n, n), counts), acc[at])


def _add_into_block(
    block: Entries, block_counts: np.ndarray, other: Entries, other_counts: np.ndarray, n: int
) -> Entries:
    """``union`` when ``block`` is a dense row block holding every row of ``other``: the block's
    values are already the accumulator, laid out in (row, column) order."""
    rows = np.flatnonzero(block_counts)
    base = np.zeros(n, dtype=np.int64)
    base[rows] = np.arange(0, rows.size * n, n, dtype=np.int64)
    acc = block.vals.copy()
    np.add.at(acc, np.repeat(base, other_counts) + other.cols, other.vals)  # ~2x a fancy +=
    positive = acc > 0
    if bool(positive.all()):
        return block.with_vals(acc)
    return Entries(block.rows[positive], block.cols[positive], acc[positive])


def lookup(m: Entries, at: Entries, n: int) -> np.ndarray:
    """The value of ``m`` at each entry position of ``at`` (0 where ``m`` has none)."""
    m_counts = np.diff(m.ptr(n))
    at_counts = np.diff(at.ptr(n))
    if kn.dense_height(m, n) > 0 and not bool(np.any((at_counts > 0) & (m_counts == 0))):
        # m is a dense row block holding every row of at: index it directly
        base = np.zeros(n, dtype=np.int64)
        base[m_counts > 0] = np.arange(0, m.vals.size, n, dtype=np.int64)
        return m.vals[np.repeat(base, at_counts) + at.cols]
    used = np.zeros(n, dtype=bool)
    used[at.rows] = True
    rows = np.flatnonzero(used)
    slot = np.full(n, -1, dtype=np.int64)
    slot[rows] = np.arange(rows.size, dtype=np.int64)
    dense = np.zeros(rows.size * n, dtype=np.int64)
    s = slot[m.rows]
    cols, vals = m.cols, m.vals
    has = s >= 0
    if not bool(has.all()):
        idx = np.flatnonzero(has)
        s, cols, vals = s[idx], cols[idx], vals[idx]
    s *= n
    s += cols
    dense[s] = vals
    at_flat = slot[at.rows] * n
    at_flat += at.cols
    return dense[at_flat]


def col_normalize(m: Entries, n: int) -> Entries:
    """Each entry divided by its column sum (entries in [0, 1]; a zero sum means zero entries)."""
    sums = kn.col_totals(m, n)
    return m.with_vals(kn.div_unit(m.vals, kn.at_cols(m, np.maximum(sums, 1), n)))


def bonds_yuma3(
    inp: EpochInputs,
    w_bonds: Entries,
    bonds: U16Rows,
    reg: np.ndarray,
    active_stake: np.ndarray,
    incentive: np.ndarray,
    consensus: np.ndarray,
) -> tuple[np.ndarray, Entries]:
    """Yuma3: bonds as proportions, EMA with liquid or fixed alpha, dividends from the
    column-normalised bonds; the un-normalised EMA is stored."""
    n = inp.n
    b = load_bonds(inp, bonds, reg)
    b = b.with_vals(kn.udiv(b.vals << 32, U16_MAX))
    if inp.liquid_alpha_enabled and bool(np.any(consensus != 0)):
        ema = liquid_alpha_ema(inp, w_bonds, b, consensus)
    else:
        a = ema_alpha(inp)
        ema = union(w_bonds.with_vals(kn.mul_unit(a, w_bonds.vals)),
                     b.with_vals(kn.mul_unit(ONE - a, b.vals)), n)
    norm = col_normalize(ema, n)
    per_validator = kn.row_sums(norm.ptr(n), kn.mul_unit(norm.vals, kn.at_cols(norm, incentive, n)))
    # per_validator <= sum(incentive) <= 1, so checked_mul cannot fail
    return kn.normalize(kn.mul_unit(per_validator, active_stake)), ema


SETTLE_MIN = 1 << 14  # cells per slice of the series for the cells the table left open, at least


def liquid_alpha_ema(inp: EpochInputs, w: Entries, b: Entries, consensus: np.ndarray) -> Entries:
    """Per weight entry: ``min((1 - a) * B + a * W, 1)`` with the liquid alpha ``a`` of the entry's
    weight, bond and column consensus; kept where above 0 (bonds without a weight are dropped, as
    in the sparse reference)."""
    vals = liquid_ema(inp, w.vals, lookup(b, w, inp.n), consensus[w.cols])
    return w.with_vals(vals).take(vals > 0)


def liquid_alpha_parameters(inp: EpochInputs) -> tuple[int, int, int]:
    """``(k, lo, hi)`` of ``liquid_ema``: ``k = steepness / -100`` (I32F32, truncated) and the alpha
    bounds as proportions."""
    k = -((abs(inp.alpha_sigmoid_steepness) << 32) // 100)
    k = k if inp.alpha_sigmoid_steepness >= 0 else -k
    return k, kn.u16_ratio(inp.alpha_low), kn.u16_ratio(inp.alpha_high)


def liquid_ema(
    inp: EpochInputs, weight: np.ndarray, bond: np.ndarray, consensus: np.ndarray, bond_u16: bool = False
) -> np.ndarray:
    """``min((1 - a) * B + a * W, 1)`` per cell, ``a`` the liquid alpha of the cell's weight, bond
    and consensus. ``weight`` and ``bond`` share a shape, flat entries or a block of rows;
    ``consensus`` is either per cell too or one row broadcast over the block's rows. With
    ``bond_u16`` the bonds are stored u16 values, made proportions slice by slice.

    Slices of about ``parallel.SLICE_CELLS`` cells run on ``parallel``'s threads. The few cells
    whose alpha the table leaves open are collected from every slice and take the series together,
    one slice per thread, then their EMA is recomputed."""
    k, lo, hi = liquid_alpha_parameters(inp)
    per_cell = consensus.shape == weight.shape
    cells = 1 if weight.ndim == 1 else weight.shape[1]
    vals = np.empty(weight.shape, dtype=np.int64)
    flat = vals.reshape(-1)  # a view: the slices below are contiguous runs of it
    # (flat indices, x, weight, bond proportion) of the cells the table left open, from any thread;
    # taken while the slice is in cache rather than gathered from the whole block later
    open_cells: list[tuple[np.ndarray, ...]] = []

    def proportions(b: np.ndarray) -> np.ndarray:
        return kn.udiv(b << 32, U16_MAX) if bond_u16 else b

    def work(part: slice) -> None:
        c = consensus[part] if per_cell else consensus
        w = weight[part]
        b = proportions(bond[part])
        x = sigmoid_argument(w, b, c, k)
        alpha, rest = fastalpha.sigmoid_alpha_table(x.reshape(-1), hi - lo, lo)
        vals[part] = ema_values(w, b, alpha.reshape(x.shape), lo, hi)
        if rest.size:
            open_cells.append((rest + part.start * cells, x.reshape(-1)[rest], w.reshape(-1)[rest],
                               b.reshape(-1)[rest]))

    parallel.run_slices(work, weight.shape[0], parallel.rows_per_slice(cells), cells_per_item=cells)
    if open_cells:
        # each entry names its own cells, so the order the threads appended them in cannot matter
        at, xs, ws, bs = (np.concatenate(column) for column in zip(*open_cells))

        def settle(part: slice) -> None:
            alpha = fastalpha.sigmoid_alpha_exact(xs[part], hi - lo, lo)
            flat[at[part]] = ema_values(ws[part], bs[part], alpha, lo, hi)

        # one slice per thread: the series' fixed cost per call is large, and so is its share of
        # time holding the GIL, so fewer and even slices finish first
        parallel.run_slices(settle, at.size, max(SETTLE_MIN, -(-at.size // parallel.WORKERS)))
    return vals


def sigmoid_argument(weight: np.ndarray, bond: np.ndarray, consensus: np.ndarray, k: int) -> np.ndarray:
    """``x = k * (d - 1/2)`` (floored) where ``d`` is how far the weight moved past the consensus
    (buying) or below the bond (selling)."""
    # weight, bond and consensus are in [0, 1]: the differences need only the lower clamp
    buy = np.maximum(weight - consensus, 0)
    sell = np.maximum(bond - weight, 0)
    d = np.where(weight >= bond, buy, sell)
    d -= ONE // 2
    # x = floor(k * d) = kh * d + floor(kl * d / 2**32), with |kl * d| < 2**63
    if k & 0xFFFF_FFFF == 0:  # a whole k (steepness a multiple of 100, as the default 1000)
        d *= k >> 32
        return d
    x = (k & 0xFFFF_FFFF) * d
    x >>= 32
    x += (k >> 32) * d
    return x


def ema_values(
    weight: np.ndarray, bond: np.ndarray, alpha: np.ndarray, lo: int = 0, hi: int = ONE
) -> np.ndarray:
    """``min((1 - alpha) * bond + alpha * weight, 1)`` for ``lo <= alpha <= hi``."""
    # a product of proportions saturates only if both are 1: with 0 < lo (hi < 1) the factor
    # 1 - alpha (alpha) is below 1, and the bound checks of mul_unit can be skipped
    keep = ONE - alpha
    vals = kn.mul_below_one(keep, bond) if lo > 0 else kn.mul_unit(bond, keep)
    vals += kn.mul_below_one(alpha, weight) if hi < ONE else kn.mul_unit(alpha, weight)
    return np.minimum(vals, ONE, out=vals)


def bonds_classic(
    inp: EpochInputs,
    w_bonds: Entries,
    bonds: U16Rows,
    reg: np.ndarray,
    active_stake: np.ndarray,
    incentive: np.ndarray,
) -> tuple[np.ndarray, Entries]:
    """Classic Yuma: column-normalised EMA of column-normalised bonds and ``W * stake``; the stored
    bonds are column max-upscaled."""
    n = inp.n
    b = load_bonds(inp, bonds, reg)
    # the I32F32 column sums of u16 integers are (u16 sum) << 32, so each share is v * 2**32 / sum
    sums = kn.col_totals(b, n)
    b = b.with_vals(kn.udiv(b.vals << 32, kn.at_cols(b, np.maximum(sums, 1), n)))
    delta = col_normalize(w_bonds.with_vals(kn.mul_unit(kn.at_rows(w_bonds, active_stake, n), w_bonds.vals)), n)
    a = ema_alpha(inp)
    ema = union(delta.with_vals(kn.mul_unit(a, delta.vals)), b.with_vals(kn.mul_unit(ONE - a, b.vals)), n)
    ema = col_normalize(ema, n)
    dividends = kn.normalize(kn.row_sums(ema.ptr(n), kn.mul_unit(kn.at_cols(ema, incentive, n), ema.vals)))
    col_max = kn.col_max(ema, n)
    return dividends, ema.with_vals(kn.div_unit(ema.vals, kn.at_cols(ema, np.maximum(col_max, 1), n)))
