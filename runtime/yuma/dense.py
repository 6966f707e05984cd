"""The epoch's matrix steps on a dense block: the fast path for subnets whose validators weight most uids.

``fast.epoch_entries`` keeps weights and bonds as sorted entries with explicit row and column
indices, so every per-column value is a gather, every per-row value a repeat and every dropped entry
a compression. When the weights fill nearly all cells of the rows in use (validators with a permit
and weights, and rows holding bonds), those costs dominate (see ``worth_it`` for the measured
thresholds). Here the same matrices are ``(h, n)`` int64 blocks
over the ``h`` rows in use, with 0 in the cells that hold no entry: per-row and per-column values
broadcast, reductions run along an axis, and a dropped entry becomes a zeroed cell.

A zero value and a missing entry differ in one place: liquid alpha evaluates the EMA only at
weight entries (a zero weight still carries its bond forward), so the weights' presence, after
masking, clipping and the bonds penalty, is kept as a boolean block until then. Everywhere else a
zero cell adds nothing to a sum, scores 0 in the weighted median (as a missing weight does) and is
dropped by the EMA, which keeps entries above 0. The stored bonds are those entries: in classic
Yuma a positive EMA cell stays positive through the column normalisation and max-upscale, because
both divide by at most 1.
Same preconditions and kernels as ``fast``; the results are identical (checked by the differential
tests against the general path and the scalar reference).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from runtime.yuma import fastbonds as fb
from runtime.yuma import kernels as kn
from runtime.yuma import fast
from runtime.yuma import parallel
from runtime.yuma.fast import Prepared, outputs
from runtime.yuma.io import EpochInputs, EpochOutputs
from runtime.yuma.kernels import ONE
from runtime.yuma.rows import U16Rows

__all__ = ["Block", "block_for", "epoch_dense", "worth_it"]

U64_MAX = (1 << 64) - 1
U16_MAX = 65535
# Use a block when the weights fill at least this share of its cells (in twentieths). Measured at
# 4096 uids / 256 validators (bench/README.md, "fifth look"): with its passes on worker threads the
# block path is ahead from 1/2 filled in every configuration, the entries path at 1/4.
FILL_TWENTIETHS = 10
EVERY_CELL_TENTHS = 9  # liquid alpha: evaluate every cell when at least 9/10 of them are entries


@dataclass(frozen=True)
class Block:
    """The rows in use (sorted uids) and their slot per uid (-1 for rows not in use)."""

    rows: np.ndarray
    slot: np.ndarray

    @property
    def h(self) -> int:
        return int(self.rows.size)

    def load(self, m: U16Rows, n: int, row_mask: np.ndarray | None = None,
             presence: bool = True) -> tuple[np.ndarray, np.ndarray | None]:
        """``m``'s rows in use (and in ``row_mask``) as an ``(h, n)`` block of values and, if asked,
        presence; columns at or beyond ``n`` are dropped."""
        vals = np.zeros((self.h, n), dtype=np.int64)
        present = np.zeros((self.h, n), dtype=bool) if presence else None
        all_counts = np.diff(m.indptr)
        counts = all_counts if row_mask is None else np.where(row_mask, all_counts, 0)
        inside = m.indices.size == 0 or int(m.indices.max()) < n
        full = counts == n
        if inside and bool(np.all(full | (counts == 0))):
            # every row in use lists all n columns, so exactly 0..n (rows are canonical): copy rows
            taken = np.flatnonzero(full)
            starts = m.indptr[taken]
            at = self.slot[taken]
            if taken.size and bool(np.all(np.diff(starts) == n)):
                first = int(starts[0])
                block = m.values[first : first + taken.size * n].reshape(taken.size, n)
            else:
                block = m.values[(starts[:, None] + np.arange(n)).reshape(-1)].reshape(taken.size, n)
            vals[at] = block
            if present is not None:
                present[at] = True
            return vals, present
        c, v = m.indices, m.values
        if row_mask is not None and bool(np.any((all_counts > 0) & ~row_mask)):
            taken = np.repeat(counts > 0, all_counts)  # the entries of the rows taken, in order
            c, v = c[taken], v[taken]
        # each entry's cell: its row's offset (spread by a repeat: rows are sorted) plus its column
        flat = np.repeat(self.slot * n, counts)
        if not inside:
            keep = c < n
            flat, c, v = flat[keep], c[keep], v[keep]
        flat += c
        vals.reshape(-1)[flat] = v
        if present is not None:
            present.reshape(-1)[flat] = True
        return vals, present


def worth_it(prep: Prepared, n: int, fill_twentieths: int | None = FILL_TWENTIETHS) -> Block | None:
    """The block of rows in use, if there are any and the weight entries fill at least
    ``fill_twentieths``/20 of its cells (``None``: however sparse)."""
    w_counts = np.diff(prep.weights.indptr)
    allowed = np.zeros(n, dtype=bool)
    k = min(n, prep.permits_old.size)
    allowed[:k] = prep.permits_old[:k]
    w_counts = np.where(allowed, w_counts, 0)
    b_counts = np.diff(prep.bonds.indptr)
    used = (w_counts > 0) | (b_counts > 0)
    rows = np.flatnonzero(used)
    if rows.size == 0 or (fill_twentieths is not None and 20 * int(w_counts.sum()) < fill_twentieths * rows.size * n):
        return None
    slot = np.full(n, -1, dtype=np.int64)
    slot[rows] = np.arange(rows.size, dtype=np.int64)
    return Block(rows, slot)


def block_for(inp: EpochInputs, prep: Prepared) -> Block | None:
    """The block ``epoch`` should run this subnet on, if the dense path is the faster one for it."""
    return worth_it(prep, inp.n, FILL_TWENTIETHS)


def epoch_dense(inp: EpochInputs, prep: Prepared, block: Block) -> EpochOutputs:
    """``fast.epoch_entries`` over the dense block ``block`` (see ``worth_it``)."""
    n = inp.n
    stake_rows = prep.active_stake[block.rows]
    w, present = _weights(inp, prep, block)
    consensus = _consensus(prep.active_stake, w, block, n, kn.u16_ratio(inp.kappa))
    clipped, trust_rows, ranks = _clip(w, consensus, stake_rows)
    validator_trust = np.zeros(n, dtype=np.int64)
    validator_trust[block.rows] = trust_rows
    incentive = kn.normalize(ranks)
    beta = kn.u16_ratio(inp.bonds_penalty)
    if beta == 0:
        w_bonds = w
    elif beta == ONE:
        w_bonds = clipped
        if int(consensus.min()) == 0:  # weights above a consensus of 0 are dropped, not zeroed
            present &= (consensus[None, :] > 0) | (w == 0)
    else:
        drop = (w - clipped).view(np.uint64) * np.uint64(beta)
        ceil = (drop >> np.uint64(32)) + ((drop & np.uint64(0xFFFF_FFFF)) != 0)
        w_bonds = w - ceil.view(np.int64)
        present = w_bonds > 0

    bonds, _ = block.load(prep.bonds, n, presence=False)
    bonds = _drop_new_columns(inp, prep, bonds)
    if inp.yuma3_enabled:
        dividends, stored = _bonds_yuma3(inp, w_bonds, present, bonds, prep.active_stake, consensus,
                                         incentive, block)
    else:
        dividends, stored = _bonds_classic(inp, w_bonds, bonds, prep.active_stake, incentive, block)
    return outputs(inp, prep, incentive, consensus, dividends, validator_trust,
                   _bond_rows(stored, prep.permits_new, block, n))


# ---------------------------------------------------------------------------------------------
# Weights and consensus
# ---------------------------------------------------------------------------------------------


def _weights(inp: EpochInputs, prep: Prepared, block: Block) -> tuple[np.ndarray, np.ndarray]:
    """Masked and row-normalised weights with their presence (see ``fast._weights``)."""
    n = inp.n
    allowed = np.zeros(n, dtype=bool)
    k = min(n, prep.permits_old.size)
    allowed[:k] = prep.permits_old[:k]
    w, present = block.load(prep.weights, n, allowed)
    assert present is not None
    lu, reg = prep.last_update, prep.registered
    rows = block.rows
    in_use = present.any(axis=1)
    top_reg = int(reg.max())
    masked = False  # any cell masked besides the diagonal
    if bool(in_use.any()) and int(lu[rows][in_use].min()) <= top_reg:
        present &= reg[None, :] < lu[rows][:, None]
        masked = True
    if inp.commit_reveal_enabled:
        commits = fast.u64_vector(inp.commit_blocks, n, U64_MAX)
        if bool(in_use.any()) and int(commits[rows][in_use].min()) < top_reg:
            present &= commits[rows][:, None] >= reg[None, :]
            masked = True
    diagonal = np.arange(block.h)
    if inp.owner_uid is not None and 0 <= inp.owner_uid < n:  # the owner keeps its self-weight
        diagonal = diagonal[rows != inp.owner_uid]
    present[diagonal, rows[diagonal]] = False
    if masked:
        w *= present
    else:
        w[diagonal, rows[diagonal]] = 0
    sums = np.maximum(w.sum(axis=1, keepdims=True), 1)

    def normalise(part: slice) -> None:
        rows_part = w[part]
        rows_part <<= 32
        w[part] = kn.udiv(rows_part, sums[part])

    parallel.run_slices(normalise, block.h, parallel.rows_per_slice(n), cells_per_item=n)
    return w, present


def _clip(
    w: np.ndarray, consensus: np.ndarray, stake_rows: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The weights clipped at their column's consensus, each row's sum of them (validator trust)
    and each column's stake-weighted sum (the ranks), in row slices; the column sums add the
    slices' integer sums, the same in any order."""
    h, n = w.shape
    clipped = np.empty_like(w)
    trust = np.empty(h, dtype=np.int64)
    c = consensus[None, :]
    # a product of proportions saturates only when both are 1: with every stake below 1 it fits
    product = kn.mul_below_one if int(stake_rows.max(initial=0)) < ONE else kn.mul_unit

    def clip(part: slice) -> np.ndarray:
        np.minimum(w[part], c, out=clipped[part])
        trust[part] = clipped[part].sum(axis=1)
        return product(stake_rows[part][:, None], clipped[part]).sum(axis=0)  # type: ignore[no-any-return]

    ranks = parallel.map_slices(clip, h, parallel.rows_per_slice(n), cells_per_item=n)
    return clipped, trust, np.sum(ranks, axis=0)


def _consensus(stake: np.ndarray, w: np.ndarray, block: Block, n: int, kappa: int) -> np.ndarray:
    """``fast._consensus`` with the validators' scores read from the block by a transpose."""
    v = fast.voters(stake, kappa)
    if v is None:
        return np.zeros(n, dtype=np.int64)
    k = v.positive.size
    at = block.slot[v.positive]
    inside = at >= 0
    rows_are_voters = k == block.h and bool(np.all(at == np.arange(k)))
    every_inside = bool(inside.all())
    slots = np.arange(k, dtype=np.int64)

    def keys_for(part: slice) -> np.ndarray:
        """The keys of the columns in ``part``: a transposed copy of that slice of the block."""
        # always a fresh array: the keys are shifted in place, and a transpose of a single row
        # or column would already be contiguous (np.ascontiguousarray would then return w itself)
        if rows_are_voters:
            keys = w[:, part].T.copy()
        elif every_inside:
            keys = w[at, part].T.copy()
        else:  # validators without a row in the block score 0 everywhere
            keys = np.zeros((len(range(n)[part]), k), dtype=np.int64)
            keys[:, inside] = w[at[inside], part].T
        keys <<= v.bits
        keys |= slots
        return keys

    return fast.median_of(keys_for, n, v)


# ---------------------------------------------------------------------------------------------
# Bonds and dividends
# ---------------------------------------------------------------------------------------------


def _drop_new_columns(inp: EpochInputs, prep: Prepared, bonds: np.ndarray) -> np.ndarray:
    """Stored bonds without columns registered at or after ``last_tempo`` (``fastbonds.load_bonds``)."""
    lms = inp.last_mechanism_step_block
    last_tempo = max(inp.block - inp.tempo, 0) if lms == 0 else min(lms + 1, U64_MAX)
    if int(prep.registered.max()) >= last_tempo:
        bonds *= prep.registered[None, :] < np.uint64(last_tempo)
    return bonds


def _col_normalize(m: np.ndarray) -> np.ndarray:
    """Each cell divided by its column sum (cells in [0, 1])."""
    return kn.div_unit(m, np.maximum(m.sum(axis=0, keepdims=True), 1))


@dataclass(frozen=True)
class Stored:
    """Bonds to store: the u16 block, which cells are entries (above 0 before the u16 rounding) and
    how many per row."""

    u16: np.ndarray
    kept: np.ndarray
    counts: np.ndarray


def _bonds_yuma3(
    inp: EpochInputs,
    w: np.ndarray,
    present: np.ndarray,
    bonds: np.ndarray,
    active_stake: np.ndarray,
    consensus: np.ndarray,
    incentive: np.ndarray,
    block: Block,
) -> tuple[np.ndarray, Stored]:
    """Yuma3 (``fastbonds.bonds_yuma3``): dividends and the EMA to store. The EMA, its column
    sums, the dividend shares and the u16 conversion run in row slices (``parallel``); the column
    sums are integer sums of the slices' sums, the same in any order."""
    n = inp.n
    mask: np.ndarray | None = None
    fixed_alpha: int | None = None
    if inp.liquid_alpha_enabled and bool(np.any(consensus != 0)):
        count = int(np.count_nonzero(present))
        if 10 * count >= EVERY_CELL_TENTHS * w.size:
            # nearly every cell is an entry: evaluate all of them in row slices (no gathers), then
            # clear the cells that are not entries
            ema = fb.liquid_ema(inp, w, bonds, consensus[None, :], bond_u16=True)
            mask = present
        else:
            ema = np.zeros_like(w)
            at = np.flatnonzero(present)
            b_at = kn.udiv(bonds.reshape(-1)[at] << 32, U16_MAX)
            ema.reshape(-1)[at] = fb.liquid_ema(inp, w.reshape(-1)[at], b_at, consensus[at % n])
    else:
        fixed_alpha = fb.ema_alpha(inp)
        ema = np.empty_like(w)

    def ema_and_sums(part: slice) -> np.ndarray:
        if fixed_alpha is not None:
            e = kn.mul_unit(fixed_alpha, w[part])
            e += kn.mul_unit(ONE - fixed_alpha, kn.udiv(bonds[part] << 32, U16_MAX))
            ema[part] = e
        elif mask is not None:
            ema[part] *= mask[part]
        return ema[part].sum(axis=0)  # type: ignore[no-any-return]

    sums = parallel.map_slices(ema_and_sums, block.h, parallel.rows_per_slice(n), cells_per_item=n)
    col_sums = np.maximum(np.sum(sums, axis=0), 1)[None, :]
    shares = np.zeros(n, dtype=np.int64)
    row_shares = np.empty(block.h, dtype=np.int64)

    def dividend_shares(part: slice) -> None:
        row_shares[part] = kn.mul_unit(kn.div_unit(ema[part], col_sums), incentive[None, :]).sum(axis=1)

    parallel.run_slices(dividend_shares, block.h, parallel.rows_per_slice(n), cells_per_item=n)
    shares[block.rows] = row_shares
    # shares <= sum(incentive) <= 1, so checked_mul cannot fail
    return kn.normalize(kn.mul_unit(shares, active_stake)), _stored(ema)


def _stored(stored: np.ndarray) -> Stored:
    """``stored``'s cells as u16 proportions, with the cells above 0 and their count per row."""
    h, n = stored.shape
    u16 = np.empty_like(stored)
    kept = np.empty(stored.shape, dtype=bool)
    counts = np.empty(h, dtype=np.int64)

    def convert(part: slice) -> None:
        u16[part] = kn.p2u16(stored[part])
        np.greater(stored[part], 0, out=kept[part])
        counts[part] = np.count_nonzero(kept[part], axis=1)

    parallel.run_slices(convert, h, parallel.rows_per_slice(n), cells_per_item=n)
    return Stored(u16, kept, counts)


def _bonds_classic(
    inp: EpochInputs,
    w: np.ndarray,
    bonds: np.ndarray,
    active_stake: np.ndarray,
    incentive: np.ndarray,
    block: Block,
) -> tuple[np.ndarray, Stored]:
    """Classic Yuma (``fastbonds.bonds_classic``): dividends and the column max-upscaled EMA."""
    n = inp.n
    b = kn.udiv(bonds << 32, np.maximum(bonds.sum(axis=0, keepdims=True), 1))
    delta = _col_normalize(kn.mul_unit(active_stake[block.rows][:, None], w))
    a = fb.ema_alpha(inp)
    ema = kn.mul_unit(a, delta)
    ema += kn.mul_unit(ONE - a, b)
    ema = _col_normalize(ema)
    shares = np.zeros(n, dtype=np.int64)
    shares[block.rows] = kn.mul_unit(incentive[None, :], ema).sum(axis=1)
    top = ema.max(axis=0, keepdims=True)
    return kn.normalize(shares), _stored(kn.div_unit(ema, np.maximum(top, 1)))


def _bond_rows(stored: Stored, permits: np.ndarray, block: Block, n: int) -> U16Rows:
    """The EMA rows (cells above 0) of uids with a new permit as u16 proportions; other rows empty."""
    mine = permits[block.rows]
    if bool(mine.all()):
        mine = slice(None)  # every row in use keeps its bonds: no copy
    counts = np.zeros(n, dtype=np.int64)
    counts[block.rows[mine]] = stored.counts[mine]
    indptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(counts, out=indptr[1:])
    u16, kept, row_counts = stored.u16[mine], stored.kept[mine], stored.counts[mine]
    if int(indptr[-1]) == u16.size:  # every cell is an entry
        return U16Rows(indptr, np.tile(np.arange(n, dtype=np.int64), u16.shape[0]), u16.reshape(-1))
    # the kept cells of each slice of rows go to their place in the output, which the counts give
    starts = np.zeros(u16.shape[0] + 1, dtype=np.int64)
    np.cumsum(row_counts, out=starts[1:])
    cols = np.empty(int(starts[-1]), dtype=np.int64)
    vals = np.empty(int(starts[-1]), dtype=np.int64)
    columns = np.arange(n, dtype=np.int64)

    def compress(part: slice) -> None:
        at = slice(int(starts[part.start]), int(starts[min(part.stop, u16.shape[0])]))
        cells = kept[part]
        cols[at] = np.broadcast_to(columns, cells.shape)[cells]
        vals[at] = u16[part][cells]

    parallel.run_slices(compress, u16.shape[0], parallel.rows_per_slice(n), cells_per_item=n)
    return U16Rows(indptr, cols, vals)
