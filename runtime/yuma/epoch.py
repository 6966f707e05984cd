"""The Yuma Consensus epoch of one subnet mechanism as a pure function.

``epoch(inputs)`` reproduces subtensor's sparse production path (``epoch_mechanism`` in
``pallets/subtensor/src/epoch/run_epoch.rs``, HEAD semantics of the spec
``yuma-epoch-and-emission.md`` §3) bit for bit: everything is I32F32 / I64F64 / I96F32 fixed-point
arithmetic on integers (see ``fixed``), no floats, no storage and no I/O. The caller reads storage
into ``EpochInputs`` and writes ``EpochOutputs`` back.

The function is a sequence of named steps, each a small pure function:

    activity -> stake -> permits -> active stake -> weights (masks, normalise) ->
    consensus -> clipping and validator trust -> incentive -> bonds and dividends ->
    emission split -> outputs

Three implementations give identical outputs: ``epoch_general`` below (any inputs, over the general
helpers of ``math``) and two fast paths for inputs in canonical shape (sorted uid rows, u16 values)
over bounded int64/uint64 kernels: ``fast.epoch_entries`` keeps the matrices as sorted entries (any
sparsity), ``dense.epoch_dense`` as blocks over the rows in use (when the weights fill at least 3/5 of
those rows' cells, 9/10 with liquid alpha: validators weighting most uids). ``epoch`` picks the dense one, then the entries one,
then the general path.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from runtime.yuma import dense, fast
from runtime.yuma import fixed as fx
from runtime.yuma import math as ym
from runtime.yuma.fixed import I32F32, I64F64, I96F32, U96F32
from runtime.yuma.io import EpochInputs, EpochOutputs, SparseRows
from runtime.yuma.math import Sparse
from runtime.yuma.rows import U16Rows

__all__ = ["EpochInputs", "EpochOutputs", "epoch", "epoch_general"]

U64_MAX = (1 << 64) - 1
ONE = I32F32.one


# ---------------------------------------------------------------------------------------------
# Steps
# ---------------------------------------------------------------------------------------------


def compute_active(inputs: EpochInputs) -> np.ndarray:
    """A uid is inactive when ``last_update + cutoff < block`` (saturating u64 add)."""
    lu = _padded(inputs.last_update, inputs.n)
    return np.array(
        [min(u + inputs.activity_cutoff, U64_MAX) >= inputs.block for u in lu], dtype=bool
    )


def compute_total_stake(inputs: EpochInputs) -> np.ndarray:
    """I64F64 ``alpha + tao * (tao_weight / u64::MAX)`` per uid (the weight computed in U96F32)."""
    tw96 = fx.div(U96F32, fx.from_int(U96F32, [inputs.tao_weight]), fx.from_int(U96F32, [U64_MAX]))
    tw = fx.convert(U96F32, I64F64, tw96)
    alpha = fx.from_int(I64F64, _padded(inputs.alpha_stake, inputs.n))
    tao = fx.from_int(I64F64, _padded(inputs.tao_stake, inputs.n))
    return fx.add(I64F64, alpha, fx.mul(I64F64, tao, tw))


def compute_stake(inputs: EpochInputs, total_stake: np.ndarray) -> np.ndarray:
    """Threshold filter (owner exempt), normalise in I64F64, truncate to I32F32."""
    whole = ym.fixed64_to_u64(total_stake)
    below = np.array([int(w) < inputs.stake_threshold for w in whole], dtype=bool)
    if inputs.owner_uid is not None and inputs.owner_uid < len(below):
        below[inputs.owner_uid] = False
    filtered = np.where(below, 0, total_stake)
    return ym.vec_fixed64_to_fixed32(ym.normalize_64(filtered))


def old_permits(inputs: EpochInputs) -> np.ndarray:
    """The stored permits, with the owner's forced on (only if its slot exists)."""
    permits = np.array(inputs.validator_permit, dtype=bool)
    if inputs.owner_uid is not None and inputs.owner_uid < len(permits):
        permits[inputs.owner_uid] = True
    return permits


def new_permits(inputs: EpochInputs, stake: np.ndarray) -> np.ndarray:
    """Top-k non-zero normalised stake, plus the owner."""
    permits = ym.is_topk_nonzero(stake, inputs.max_allowed_validators)
    if inputs.owner_uid is not None and inputs.owner_uid < len(permits):
        permits[inputs.owner_uid] = True
    return permits


def compute_active_stake(stake: np.ndarray, active: np.ndarray, forbids: np.ndarray) -> np.ndarray:
    """Stake masked by inactivity and by missing (old) permits, renormalised."""
    masked = ym.mask_vector(~active, stake)
    masked = ym.mask_vector(forbids, masked)
    return ym.normalize(masked)


def load_weights(inputs: EpochInputs) -> Sparse:
    """Stored weights as I32F32 integers; rows and columns at or beyond ``n`` are ignored."""
    n = inputs.n
    m = _sparse_u16(inputs.weights, n)
    return m.filter(m.cols < n)


def mask_weights(inputs: EpochInputs, weights: Sparse, forbids: np.ndarray) -> Sparse:
    """Drop rows without an old permit, the diagonal (but the owner's), weights set before their
    target (re)registered, and — with commit-reveal — weights committed before it registered;
    then normalise each row."""
    weights = ym.mask_rows_sparse(forbids, weights)
    weights = ym.mask_diag_sparse(weights, inputs.owner_uid)
    weights = ym.vec_mask_sparse_matrix(
        weights, inputs.last_update, inputs.block_at_registration, lambda u, r: u <= r
    )
    if inputs.commit_reveal_enabled:
        commits = list(inputs.commit_blocks[: inputs.n])
        commits += [U64_MAX] * (inputs.n - len(commits))
        weights = ym.vec_mask_sparse_matrix(
            weights, commits, inputs.block_at_registration, lambda c, r: c < r
        )
    return ym.row_normalize_sparse(weights)


def u16_ratio(x: int) -> int:
    """I32F32 ``x / 65535`` (safe_div, truncated)."""
    return int(ym.u16_proportion_to_fixed(np.array([x]))[0])


def last_tempo(inputs: EpochInputs) -> int:
    """The block bonds are compared against: ``block - tempo`` before any step, else the block
    after the previous step."""
    if inputs.last_mechanism_step_block == 0:
        return max(inputs.block - inputs.tempo, 0)
    return min(inputs.last_mechanism_step_block + 1, U64_MAX)


def ema_alpha(inputs: EpochInputs) -> int:
    """Fixed EMA coefficient ``1 - trunc32(bma / 1e6)``."""
    bma = fx.div(I64F64, fx.from_int(I64F64, [inputs.bonds_moving_average]), 1_000_000 << 64)
    return int(fx.sub(I32F32, ONE, fx.convert(I64F64, I32F32, bma))[0])


def load_bonds(inputs: EpochInputs, proportional: bool) -> Sparse:
    """Stored bonds: as I32F32 integers (classic) or u16 proportions (Yuma3). Rows at or beyond
    ``n`` are ignored; columns are not filtered (later helpers ignore columns beyond ``n``)."""
    m = _sparse_u16(inputs.bonds, inputs.n)
    if proportional:
        m = m.with_vals(ym.fixed_to_fixed_u16_proportion(m.vals))
    bt = last_tempo(inputs)
    return ym.scalar_vec_mask_sparse_matrix(
        m, bt, inputs.block_at_registration, lambda t, r: t <= r
    )


def bonds_classic(
    inputs: EpochInputs,
    weights_for_bonds: Sparse,
    active_stake: np.ndarray,
    incentive: np.ndarray,
) -> tuple[np.ndarray, Sparse]:
    """Classic Yuma: column-normalised EMA of column-normalised bonds and ``W * stake``; dividends
    ``B^T I``; bonds returned column max-upscaled for storage."""
    n = inputs.n
    bonds = ym.col_normalize_sparse(load_bonds(inputs, proportional=False), n)
    delta = ym.col_normalize_sparse(ym.row_hadamard_sparse(weights_for_bonds, active_stake), n)
    ema = ym.col_normalize_sparse(ym.mat_ema_sparse(delta, bonds, ema_alpha(inputs)), n)
    dividends = ym.normalize(ym.matmul_transpose_sparse(ema, incentive))
    return dividends, ym.col_max_upscale_sparse(ema, n)


def bonds_yuma3(
    inputs: EpochInputs,
    weights_for_bonds: Sparse,
    active_stake: np.ndarray,
    incentive: np.ndarray,
    consensus: np.ndarray,
) -> tuple[np.ndarray, Sparse]:
    """Yuma3: bonds as absolute proportions, EMA with a fixed or liquid alpha; dividends
    ``(sum_j colnorm(B)_ij * I_j) * stake_i``; bonds returned unscaled."""
    n = inputs.n
    bonds = load_bonds(inputs, proportional=True)
    if inputs.liquid_alpha_enabled and len(consensus) and bool(np.any(consensus != 0)):
        ema = ym.mat_ema_liquid_alpha_sparse(
            weights_for_bonds,
            bonds,
            consensus,
            u16_ratio(inputs.alpha_low),
            u16_ratio(inputs.alpha_high),
            inputs.alpha_sigmoid_steepness << 32,
        )
    else:
        ema = ym.mat_ema_sparse(weights_for_bonds, bonds, ema_alpha(inputs))
    ema_norm = ym.col_normalize_sparse(ema, n)
    per_validator = ym.row_sum_sparse(ym.mat_vec_mul_sparse(ema_norm, incentive))
    dividends = ym.normalize(ym.vec_mul(per_validator, active_stake))
    return dividends, ema


def split_emission(
    incentive: np.ndarray,
    dividends: np.ndarray,
    stake: np.ndarray,
    active_stake: np.ndarray,
    rao_emission: int,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Server, validator and combined emission in rao. With no incentive and no dividends the
    validators get the active stake (or, with none, the normalised stake)."""
    combined = fx.add(I32F32, incentive, dividends)
    total = ym.vsum(combined)
    server = ym.normalize_using_sum(incentive, total)
    validator = ym.normalize_using_sum(dividends, total)
    combined = ym.normalize(combined)
    if total == 0:
        fallback = stake if ym.is_zero(active_stake) else active_stake
        validator = fallback.copy()
        combined = fallback.copy()
    return (
        to_rao(server, rao_emission),
        to_rao(validator, rao_emission),
        to_rao(combined, rao_emission),
    )


def to_rao(proportion: np.ndarray, rao_emission: int) -> np.ndarray:
    """``floor(I96F32(p) * E)`` saturating to u64."""
    wide = fx.convert(I32F32, I96F32, proportion)
    amount = fx.mul(I96F32, wide, fx.from_int(I96F32, [rao_emission]))
    return fx.to_int(I96F32, amount, 0, U64_MAX)


# ---------------------------------------------------------------------------------------------
# The epoch
# ---------------------------------------------------------------------------------------------


def epoch(inputs: EpochInputs) -> EpochOutputs:
    """Run one epoch; see the module docstring. Inputs in the canonical shape (sorted rows, see
    ``fast``) take a fast path, everything else ``epoch_general``; all give identical outputs."""
    try:
        prep = fast.prepare(inputs)
    except fast.FastPathUnavailable:
        return epoch_general(inputs)
    block = dense.block_for(inputs, prep)
    if block is not None:
        return dense.epoch_dense(inputs, prep, block)
    return fast.epoch_entries(inputs, prep)


def epoch_general(inputs: EpochInputs) -> EpochOutputs:
    """The epoch for any inputs (unsorted or repeated uids in rows, out-of-range values), step by
    step over the general helpers of ``math``."""
    n = inputs.n

    # Activity
    active = compute_active(inputs)

    # Stake
    total_stake = compute_total_stake(inputs)
    stake = compute_stake(inputs, total_stake)

    # Validator permits: this epoch masks with the old ones; the new ones are only output
    permits_old = old_permits(inputs)
    forbids = ~permits_old
    permits_new = new_permits(inputs, stake)

    # Active stake
    active_stake = compute_active_stake(stake, active, forbids)

    # Weights
    weights = mask_weights(inputs, load_weights(inputs), forbids)

    # Consensus
    kappa = u16_ratio(inputs.kappa)
    consensus = ym.weighted_median_col_sparse(active_stake, weights, n, kappa)

    # Clipping and validator trust
    clipped = ym.col_clip_sparse(weights, consensus)
    validator_trust = ym.row_sum_sparse(clipped)

    # Incentive
    incentive = ym.normalize(ym.matmul_sparse(clipped, active_stake, n))

    # Bonds and dividends
    penalty = u16_ratio(inputs.bonds_penalty)
    weights_for_bonds = ym.interpolate_sparse(weights, clipped, n, penalty)
    if inputs.yuma3_enabled:
        dividends, ema_bonds = bonds_yuma3(
            inputs, weights_for_bonds, active_stake, incentive, consensus
        )
    else:
        dividends, ema_bonds = bonds_classic(inputs, weights_for_bonds, active_stake, incentive)

    # Emission split
    server_emission, validator_emission, emission = split_emission(
        incentive, dividends, stake, active_stake, inputs.rao_emission
    )

    # Outputs
    return EpochOutputs(
        active=tuple(bool(a) for a in active),
        validator_permit=tuple(bool(p) for p in permits_new),
        incentive=_u16s(incentive, n),
        consensus=_u16s(consensus, n),
        dividends=_u16s(dividends, n),
        validator_trust=_u16s(validator_trust, n),
        stake_weight=_u16s(stake, n),
        emission=_ints(emission, n),
        server_emission=_ints(server_emission, n),
        validator_emission=_ints(validator_emission, n),
        bonds=_bond_rows(ema_bonds, permits_new, n),
        stake=_ints(ym.fixed64_to_u64(total_stake), n),
    )


# ---------------------------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------------------------


def _sparse_u16(rows: SparseRows, n: int) -> Sparse:
    """The first ``n`` rows of ``(uid, u16)`` pairs (missing rows empty) as I32F32 integers."""
    m = U16Rows.from_rows(rows if isinstance(rows, U16Rows) else rows[:n]).head(n)
    return Sparse(m.indptr, m.indices, m.values << np.int64(32))


def _padded(values: Sequence[int] | np.ndarray, n: int) -> list[int]:
    out = [int(v) for v in values[:n]]
    return out + [0] * (n - len(out))


def _u16s(x: np.ndarray, n: int) -> tuple[int, ...]:
    vals = ym.fixed_proportion_to_u16(x).tolist() if len(x) else []
    return tuple(int(v) for v in vals[:n]) + (0,) * (n - min(len(vals), n))


def _ints(x: np.ndarray, n: int) -> tuple[int, ...]:
    vals = [int(v) for v in np.asarray(x).tolist()]
    return tuple(vals[:n]) + (0,) * (n - min(len(vals), n))


def _bond_rows(ema: Sparse, permits: np.ndarray, n: int) -> U16Rows:
    """The rows of uids with a new permit (empty rows otherwise) as u16 proportions."""
    keep_row = np.zeros(n, dtype=bool)
    k = min(len(permits), n, ema.n_rows)
    keep_row[:k] = np.asarray(permits, dtype=bool)[:k]
    rows = ema.row_ids
    keep = (rows < n) & keep_row[np.minimum(rows, n - 1)] if n else np.zeros(rows.size, bool)
    counts = np.bincount(rows[keep], minlength=n)[:n] if n else np.zeros(0, np.int64)
    indptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(counts, out=indptr[1:])
    vals = np.asarray(ym.fixed_proportion_to_u16(ema.vals[keep]), dtype=np.int64)
    return U16Rows(indptr, ema.cols[keep], vals)
