"""The Yuma epoch's fast path: ``epoch_general`` for inputs in canonical shape, in a few hundred
native int64/uint64 numpy passes.

Canonical shape (checked; otherwise ``FastPathUnavailable`` and the caller runs ``epoch_general``):

* every weight and bond row (of the first ``n``) lists strictly increasing uids, i.e. sorted without
  repeats — what the epoch itself stores as bonds and what ``set_weights`` stores for sorted uids;
  the reference's order-sensitive details (forward-only cursors, last-of-repeats wins) then reduce
  to plain lookups;
* u16 values in range, fewer than 32768 uids, ``0 <= BondsMovingAverage <= 1_000_000`` and, with
  liquid alpha, ``alpha_low <= alpha_high``.

Then almost every value is a proportion in ``[0, 1]``, so the saturating and checked operations of
the reference cannot saturate or fail and the ``kernels`` apply. Three steps are computed
differently from the general path, with the same results:

* consensus: the quickselect weighted median returns the smallest score ``p`` of the column whose
  stake at or below ``p`` exceeds the minority point (the largest score if none does), so each
  column is sorted once (``_consensus``);
* the bonds EMA over the union of weight and bond entries uses a dense accumulator of the rows that
  have entries, and liquid alpha is evaluated only at the weight entries, the only entries the
  sparse reference keeps (both in ``fastbonds``);
* stake normalisation needs up to 109-bit integers and is O(n): it uses Python ints per uid.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from runtime.yuma import fastbonds as fb
from runtime.yuma import kernels as kn
from runtime.yuma import math as ym
from runtime.yuma import parallel
from runtime.yuma.io import EpochInputs, EpochOutputs, SparseRows
from runtime.yuma.kernels import ONE, Entries
from runtime.yuma.rows import U16Rows

__all__ = ["Entries", "FastPathUnavailable", "Prepared", "epoch_entries", "epoch_fast", "Voters", "median_of_keys", "outputs", "prepare", "u64_vector", "voters"]

U64_MAX = (1 << 64) - 1
U16_MAX = 65535
_I128_MIN, _I128_MAX = -(1 << 127), (1 << 127) - 1


class FastPathUnavailable(Exception):
    """The inputs are outside the fast path's canonical shape; use ``epoch_general``."""


# ---------------------------------------------------------------------------------------------
# The epoch
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Prepared:
    """What every fast path computes before the weight matrix: canonical rows, per-uid vectors,
    stake and permits."""

    weights: U16Rows
    bonds: U16Rows
    last_update: np.ndarray  # uint64
    registered: np.ndarray  # uint64, block at registration
    active: np.ndarray  # bool
    whole_stake: list[int]
    stake: np.ndarray  # I32F32 proportions
    permits_old: np.ndarray  # bool, the stored permits (the owner's set)
    permits_new: np.ndarray  # bool
    active_stake: np.ndarray  # I32F32 proportions


def prepare(inp: EpochInputs) -> Prepared:
    """Activity, stake, permits and active stake; raises ``FastPathUnavailable`` for inputs outside
    the canonical shape."""
    n = inp.n
    if not 0 < n < 1 << 15 or not 0 <= inp.bonds_moving_average <= 1_000_000:
        raise FastPathUnavailable("size or moving average out of range")
    if inp.yuma3_enabled and inp.liquid_alpha_enabled and inp.alpha_low > inp.alpha_high:
        raise FastPathUnavailable("alpha_low above alpha_high")
    sources = (inp.weights, inp.bonds)
    # the two checks are independent: one per thread
    weights, bonds = parallel.map_slices(lambda part: _canonical(sources[part.start], n), 2, 1,
                                         cells_per_item=_entry_count(inp.weights))
    lu = u64_vector(inp.last_update, n, 0)
    reg = u64_vector(inp.block_at_registration, n, 0)

    active = lu >= np.uint64(inp.block - inp.activity_cutoff) if inp.block > inp.activity_cutoff \
        else np.ones(n, dtype=bool)
    whole, stake = _stake(inp)
    permits_old = np.array(inp.validator_permit, dtype=bool).reshape(-1)
    if inp.owner_uid is not None and inp.owner_uid < permits_old.size:
        permits_old[inp.owner_uid] = True
    permits_new = ym.is_topk_nonzero(stake, inp.max_allowed_validators)
    if inp.owner_uid is not None and inp.owner_uid < n:
        permits_new[inp.owner_uid] = True
    return Prepared(weights, bonds, lu, reg, active, whole, stake, permits_old, permits_new,
                    _active_stake(stake, active, permits_old))


def epoch_fast(inp: EpochInputs) -> EpochOutputs:
    """``epoch_general(inp)`` for canonical inputs; raises ``FastPathUnavailable`` otherwise."""
    return epoch_entries(inp, prepare(inp))


def epoch_entries(inp: EpochInputs, prep: Prepared) -> EpochOutputs:
    """The epoch's matrix steps over sorted ``Entries`` (any sparsity)."""
    n = inp.n
    active_stake = prep.active_stake
    w = _weights(inp, prep.weights, prep.permits_old, prep.last_update, prep.registered)
    consensus = _consensus(active_stake, w, n, kn.u16_ratio(inp.kappa))
    clipped, kept = _clip(w, consensus)
    validator_trust = kn.row_sums(clipped.ptr(n), clipped.vals)
    ranks = kn.col_sums(clipped.cols, kn.mul_unit(kn.at_rows(clipped, active_stake, n), clipped.vals), n)
    incentive = kn.normalize(ranks)
    w_bonds = _interpolate(w, clipped, kept, kn.u16_ratio(inp.bonds_penalty))

    if inp.yuma3_enabled:
        dividends, ema = fb.bonds_yuma3(inp, w_bonds, prep.bonds, prep.registered, active_stake, incentive,
                                        consensus)
    else:
        dividends, ema = fb.bonds_classic(inp, w_bonds, prep.bonds, prep.registered, active_stake, incentive)
    return outputs(inp, prep, incentive, consensus, dividends, validator_trust,
                   _bond_rows(ema, prep.permits_new, n))


def outputs(
    inp: EpochInputs,
    prep: Prepared,
    incentive: np.ndarray,
    consensus: np.ndarray,
    dividends: np.ndarray,
    validator_trust: np.ndarray,
    bonds: U16Rows,
) -> EpochOutputs:
    """The emission split and the outputs in the reference's integer forms."""
    server, validator, combined = _split_emission(incentive, dividends, prep.stake, prep.active_stake)

    def u16s(x: np.ndarray) -> tuple[int, ...]:
        return tuple(kn.p2u16(x).tolist())

    def rao(p: np.ndarray) -> tuple[int, ...]:
        return tuple(kn.to_rao(p, inp.rao_emission).tolist())

    return EpochOutputs(
        active=tuple(prep.active.tolist()),
        validator_permit=tuple(prep.permits_new.tolist()),
        incentive=u16s(incentive),
        consensus=u16s(consensus),
        dividends=u16s(dividends),
        validator_trust=u16s(validator_trust),
        stake_weight=u16s(prep.stake),
        emission=rao(combined),
        server_emission=rao(server),
        validator_emission=rao(validator),
        bonds=bonds,
        stake=tuple(prep.whole_stake),
    )


# ---------------------------------------------------------------------------------------------
# Inputs
# ---------------------------------------------------------------------------------------------


def _canonical(rows: SparseRows, n: int) -> U16Rows:
    """The first ``n`` rows as ``U16Rows``, checked to be canonical (sorted uids, u16 values)."""
    m = U16Rows.from_rows(rows if isinstance(rows, U16Rows) else rows[:n]).head(n)
    cols, vals = m.indices, m.values
    if vals.size and (int(vals.min()) < 0 or int(vals.max()) > U16_MAX or int(cols.min()) < 0):
        raise FastPathUnavailable("value out of u16 range")
    if cols.size > 1:
        increasing = cols[1:] > cols[:-1]
        starts = m.indptr[1:-1]
        increasing[starts[(starts > 0) & (starts < cols.size)] - 1] = True  # across rows
        if not bool(increasing.all()):
            raise FastPathUnavailable("a row is unsorted or repeats a uid")
    return m


def _entry_count(rows: SparseRows) -> int:
    """The number of entries of ``rows`` if it is already CSR (else 0: tuples are converted first)."""
    return int(rows.indices.size) if isinstance(rows, U16Rows) else 0


def u64_vector(values: Sequence[int] | np.ndarray, n: int, fill: int) -> np.ndarray:
    """A u64 vector of exactly ``n`` entries (truncated or padded with ``fill``)."""
    out = np.full(n, fill, dtype=np.uint64)
    head = np.asarray(values[:n], dtype=np.uint64) if len(values) else np.zeros(0, np.uint64)
    out[: head.size] = head
    return out


# ---------------------------------------------------------------------------------------------
# Stake
# ---------------------------------------------------------------------------------------------


def _stake(inp: EpochInputs) -> tuple[list[int], np.ndarray]:
    """(``floor(S)`` as u64 per uid, the threshold-filtered normalised stake as I32F32), with
    ``S = alpha + tao * tw`` in I64F64 (Python ints: the values need up to 128 bits)."""
    n = inp.n
    alpha = _ints(inp.alpha_stake, n)
    tao = _ints(inp.tao_stake, n)
    tw = (((inp.tao_weight << 32) << 32) // (U64_MAX << 32)) << 32  # U96F32, then I64F64 raw
    if (tw == 0 or not any(tao)) and max(alpha) < 1 << 63:
        return _alpha_only_stake(inp, alpha)
    if tw == 0 or not any(tao):
        total = [(a << 64) if a < 1 << 63 else _I128_MAX for a in alpha]
    else:
        total = [min(max((a << 64) + min(t * tw, _I128_MAX), _I128_MIN), _I128_MAX)
                 for a, t in zip(alpha, tao)]
    whole = [min(max(s >> 64, 0), U64_MAX) for s in total]
    owner = inp.owner_uid
    threshold = inp.stake_threshold
    filtered = [0 if (w < threshold and i != owner) else s for i, (w, s) in enumerate(zip(whole, total))]
    s64 = sum(filtered) & ((1 << 128) - 1)
    if s64 >= 1 << 127:
        s64 -= 1 << 128
    if s64 == 0:
        raw = [v >> 32 for v in filtered]
    elif s64 >= max(filtered):  # no wrap: every quotient is in [0, 1]; nested floors merge
        raw = [(v << 32) // s64 for v in filtered]
    else:
        raw = [_norm64(v, s64) >> 32 for v in filtered]
    stake = np.array([min(max(v, -(1 << 63)), (1 << 63) - 1) for v in raw], dtype=np.int64)
    if int(stake.min()) < 0 or int(stake.max()) > ONE:
        raise FastPathUnavailable("normalised stake outside [0, 1]")
    return whole, stake


def _alpha_only_stake(inp: EpochInputs, alpha: list[int]) -> tuple[list[int], np.ndarray]:
    """``_stake`` without TAO stake and with every alpha below ``2**63``: ``S = alpha << 64``, so
    ``floor(S) = alpha`` and, while ``sum(alpha) < 2**63`` (no I64F64 wrap), the normalised stake
    is ``floor(alpha * 2**32 / sum(alpha))`` (the two truncations merge)."""
    owner, threshold = inp.owner_uid, inp.stake_threshold
    kept = alpha if threshold == 0 else [
        0 if (a < threshold and i != owner) else a for i, a in enumerate(alpha)]
    total = sum(kept)
    if total >= 1 << 63:
        raise FastPathUnavailable("stake sum beyond I64F64")
    if total == 0:
        return alpha, np.zeros(len(alpha), dtype=np.int64)
    return alpha, np.array([(a << 32) // total for a in kept], dtype=np.int64)


def _norm64(v: int, total: int) -> int:
    """I64F64 ``safe_div(v, total)`` raw: truncation toward zero, 0 on overflow."""
    q = abs(v << 64) // abs(total)
    q = -q if (v < 0) != (total < 0) else q
    return q if _I128_MIN <= q <= _I128_MAX else 0


def _ints(values: Sequence[int] | np.ndarray, n: int) -> list[int]:
    """The first ``n`` values as Python ints (``tolist`` converts numpy scalars), zero-padded."""
    head = np.asarray(values[:n]).tolist() if len(values) else []
    return head + [0] * (n - len(head))  # type: ignore[no-any-return]


def _active_stake(stake: np.ndarray, active: np.ndarray, permits_old: np.ndarray) -> np.ndarray:
    """Stake zeroed where inactive or without an old permit (a missing permit counts as none; an
    empty permit vector masks nothing), renormalised. Stake is in [0, 1], so ``normalize`` applies."""
    masked = np.where(active, stake, 0)
    if permits_old.size:
        allowed = np.zeros(stake.size, dtype=bool)
        k = min(stake.size, permits_old.size)
        allowed[:k] = permits_old[:k]
        masked = np.where(allowed, masked, 0)
    return kn.normalize(masked)


# ---------------------------------------------------------------------------------------------
# Weights, consensus, clipping
# ---------------------------------------------------------------------------------------------


def _weights(
    inp: EpochInputs, weights: U16Rows, permits_old: np.ndarray, lu: np.ndarray, reg: np.ndarray
) -> Entries:
    """Masked (row permits, diagonal but the owner's, outdated, commit-reveal) and row-normalised
    weights. A row's u16 sum ``s`` is below ``2**31`` (fewer than 32768 uids), so its I32F32 sum
    ``s << 32`` does not wrap and each weight is ``trunc(v * 2**32 / s)``."""
    n = inp.n
    counts = np.diff(weights.indptr)
    cols, vals = weights.indices, weights.values
    allowed = np.zeros(n, dtype=bool)
    k = min(n, permits_old.size)
    allowed[:k] = permits_old[:k]
    keep = np.repeat(allowed, counts)  # row masks spread per entry: cheaper than gathers
    if cols.size and int(cols.max()) >= n:
        keep &= cols < n
        cols = np.minimum(cols, n - 1)
    # per-entry registration checks only for rows whose threshold some column could fail
    top_reg = int(reg.max())
    in_use = (counts > 0) & allowed
    if bool(in_use.any()) and int(lu[in_use].min()) <= top_reg:
        keep &= reg[cols] < np.repeat(lu, counts)
    rows = np.repeat(np.arange(n, dtype=np.int64), counts)
    diagonal = rows == cols
    if inp.owner_uid is not None and 0 <= inp.owner_uid < n:  # the owner keeps its self-weight
        diagonal[weights.indptr[inp.owner_uid] : weights.indptr[inp.owner_uid + 1]] = False
    keep &= ~diagonal
    if inp.commit_reveal_enabled:
        commits = u64_vector(inp.commit_blocks, n, U64_MAX)
        if bool(in_use.any()) and int(commits[in_use].min()) < top_reg:
            keep &= np.repeat(commits, counts) >= reg[cols]
    w = Entries(rows, cols, vals).take(keep)
    ptr = w.ptr(n)
    sums = kn.row_sums(ptr, w.vals)
    return w.with_vals(kn.udiv(w.vals << 32, np.repeat(np.maximum(sums, 1), np.diff(ptr))))


@dataclass(frozen=True)
class Voters:
    """The validators with positive stake, in slot order, for the column medians."""

    positive: np.ndarray  # their uids
    stake: np.ndarray  # their stake, renormalised
    minority: int  # the cumulative stake a median must exceed
    bits: int  # low key bits that carry the slot


def voters(stake: np.ndarray, kappa: int) -> Voters | None:
    """``Voters`` of ``stake``, or None when no validator has stake (every median is then 0)."""
    positive = np.flatnonzero(stake > 0)
    k = positive.size
    if k == 0:
        return None
    u = kn.normalize(stake[positive])
    return Voters(positive, u, int(u.sum()) - kappa, max(1, (k - 1).bit_length()))


MEDIAN_CHUNK = 1 << 17  # keys per slice of the weighted median (measured: smaller slices scale worse)


def median_of_keys(keys: np.ndarray, v: Voters) -> np.ndarray:
    """Per row of ``keys`` (one column of scores per row, each key ``score << bits | slot``), the
    reference's quickselect weighted median (see ``_consensus``). Sorts ``keys`` in place."""
    return median_of(lambda part: keys[part], keys.shape[0], v)


def median_of(keys_for: Callable[[slice], np.ndarray], rows: int, v: Voters) -> np.ndarray:
    """``median_of_keys`` with the keys of each slice of rows made by ``keys_for`` (a writable
    ``(rows, k)`` array) as the slice is reached, so building them runs on the threads too."""
    k = v.positive.size
    out = np.empty(rows, dtype=np.int64)

    def medians(part: slice) -> None:  # rows are independent: slices may run on parallel's threads
        block = keys_for(part)
        block.sort(axis=1)
        cum = np.cumsum(v.stake[block & ((1 << v.bits) - 1)], axis=1)
        over = cum > v.minority
        pick = np.where(over[:, -1], over.argmax(axis=1), k - 1)
        out[part] = block[np.arange(block.shape[0]), pick] >> v.bits

    parallel.run_slices(medians, rows, max(1, MEDIAN_CHUNK // max(k, 1)), cells_per_item=k)
    return out


def _consensus(stake: np.ndarray, w: Entries, n: int, kappa: int) -> np.ndarray:
    """Per column, the reference's quickselect weighted median over the validators with positive
    stake (renormalised), a missing weight scoring 0.

    The quickselect keeps ``lo`` = stake of scores at or below the last pivot it passed upwards and
    ``hi`` = stake of scores below the last pivot it passed downwards, so it stops at the pivot
    ``p`` with ``stake(< p) <= minority < stake(<= p)``: the smallest score whose cumulative stake
    exceeds the minority point, or the largest score when none does (``minority >= total``), or
    the smallest when ``minority < 0``. Stakes are non-negative with a sum below ``2**61``, so no
    saturating sum saturates. Each column's ``(score, slot)`` keys are sorted once."""
    v = voters(stake, kappa)
    if v is None:
        return np.zeros(n, dtype=np.int64)
    k = v.positive.size
    slot = np.full(stake.size, -1, dtype=np.int64)
    slot[v.positive] = np.arange(k, dtype=np.int64)
    s = np.repeat(slot, np.diff(w.ptr(slot.size)))  # rows are sorted: a repeat, not a gather
    cols, vals = w.cols, w.vals
    voting = s >= 0
    if not bool(voting.all()):
        s, cols, vals = s[voting], cols[voting], vals[voting]
    keys = np.empty((n, k), dtype=np.int64)
    keys[:] = np.arange(k, dtype=np.int64)  # score 0 for every validator without an entry
    at = cols * k
    at += s
    key = vals << v.bits
    key |= s
    keys.reshape(-1)[at] = key
    return median_of_keys(keys, v)


def _clip(w: Entries, consensus: np.ndarray) -> tuple[Entries, np.ndarray]:
    """Weights above their column's consensus clipped to it, dropped where that is 0; also the
    mask of the weights kept."""
    c = consensus[w.cols]
    clipped = w.with_vals(np.minimum(w.vals, c))
    if int(consensus.min()) > 0:  # no column clips to 0: every weight is kept
        return clipped, np.ones(w.vals.size, dtype=bool)
    kept = (c > 0) | (w.vals <= c)
    return clipped.take(kept), kept


def _interpolate(w: Entries, clipped: Entries, kept: np.ndarray, beta: int) -> Entries:
    """``W + beta * (Wc - W)`` over the weight entries (clipping only lowers or drops them), entries
    above 0 kept. ``Wc - W`` is in ``[-1, 0]``, so ``floor(beta * d)`` is ``-ceil(beta * |d|)``
    with ``beta * |d| < 2**64`` in uint64."""
    if beta == 0:
        return w
    if beta == ONE:
        return clipped
    wc = np.zeros(w.vals.size, dtype=np.int64)
    wc[kept] = clipped.vals
    drop = (w.vals - wc).view(np.uint64) * np.uint64(beta)
    ceil = (drop >> np.uint64(32)) + ((drop & np.uint64(0xFFFF_FFFF)) != 0)
    vals = w.vals - ceil.view(np.int64)
    return w.with_vals(vals).take(vals > 0)


# ---------------------------------------------------------------------------------------------
# Emission and outputs
# ---------------------------------------------------------------------------------------------


def _split_emission(
    incentive: np.ndarray, dividends: np.ndarray, stake: np.ndarray, active_stake: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Server, validator and combined shares; with no incentive and no dividends the validators get
    the active stake (or, with none, the stake)."""
    combined = incentive + dividends
    total = int(combined.sum())
    if total == 0:
        fallback = stake if int(active_stake.sum()) == 0 else active_stake
        return incentive, fallback, fallback
    return kn.div_unit(incentive, total), kn.div_unit(dividends, total), kn.div_unit(combined, total)


def _bond_rows(ema: Entries, permits: np.ndarray, n: int) -> U16Rows:
    """The EMA rows of uids with a new permit as u16 proportions; other rows empty."""
    out = ema.take(np.repeat(permits, np.diff(ema.ptr(n))))  # rows are sorted: a repeat
    return U16Rows(out.ptr(n), out.cols, kn.p2u16(out.vals))
