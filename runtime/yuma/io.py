"""The epoch's input and output records.

``EpochInputs`` is everything the epoch reads, already resolved from storage; ``EpochOutputs`` is
everything it produces. Both keep the field names of the first version, and tuples of Python ints
still work everywhere. For speed (a research tool runs thousands of epochs) the inputs also accept:

* numpy integer/bool arrays for every per-uid vector (``last_update``, ``block_at_registration``,
  ``alpha_stake``, ``tao_stake``, ``validator_permit``, ``commit_blocks``; u64 values as ``uint64``);
* ``U16Rows`` (CSR arrays ``indptr``/``indices``/``values``) for ``weights`` and ``bonds`` instead of
  rows of ``(uid, u16)`` pairs; build them with ``U16Rows(indptr, indices, values)`` directly or
  ``U16Rows.from_rows(rows)``.

With numpy arrays in it an ``EpochInputs`` is neither hashable nor comparable with ``==`` (numpy's
elementwise comparison); nothing in the epoch needs either.

``EpochOutputs.bonds`` is a ``U16Rows``: it is a sequence of ``(uid, u16)`` tuples per row and
compares equal to the tuple form, and its arrays can be written back or fed to the next epoch
without building a Python tuple per pair.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from runtime.yuma.rows import U16Rows

__all__ = ["EpochInputs", "EpochOutputs", "SparseRows", "UidVector", "U16Rows"]

SparseRows = Sequence[Sequence[tuple[int, int]]] | U16Rows
"""``Weights``/``Bonds`` rows by uid: ``(uid_j, u16)`` pairs in stored order, or ``U16Rows``."""

UidVector = Sequence[int] | np.ndarray
"""A per-uid vector: a tuple/list of ints (bools) or a numpy array."""


@dataclass(frozen=True)
class EpochInputs:
    """Everything the epoch reads, already resolved from storage. Vectors are indexed by uid."""

    n: int
    """``SubnetworkN``: uids are ``0..n``."""
    block: int
    """Current block number."""
    tempo: int
    """``Tempo`` (used for ``last_tempo`` when no previous step block is recorded)."""
    activity_cutoff: int
    """Activity cutoff in blocks (``get_activity_cutoff_blocks``)."""
    last_update: UidVector
    """``LastUpdate`` per uid, zero-padded to ``n``."""
    block_at_registration: UidVector
    """``BlockAtRegistration`` per uid (0 for a uid without a key)."""
    alpha_stake: UidVector
    """Inherited alpha stake per uid, u64 (0 for a uid without a key)."""
    tao_stake: UidVector
    """Inherited root TAO stake per uid, u64 (0 for a uid without a key)."""
    tao_weight: int
    """``TaoWeight`` as stored (u64; the weight is ``tao_weight / u64::MAX``)."""
    stake_threshold: int
    """``StakeThreshold`` (u64)."""
    validator_permit: UidVector
    """``ValidatorPermit`` as stored (the previous epoch's permits; may be shorter than ``n``)."""
    max_allowed_validators: int
    """``MaxAllowedValidators``."""
    kappa: int
    """``Kappa`` (u16)."""
    bonds_penalty: int
    """``BondsPenalty`` (u16)."""
    bonds_moving_average: int
    """``BondsMovingAverage`` (u64, parts per million)."""
    yuma3_enabled: bool
    """``Yuma3On``."""
    liquid_alpha_enabled: bool
    """``LiquidAlphaOn``."""
    alpha_low: int
    """``AlphaValues.0`` (u16)."""
    alpha_high: int
    """``AlphaValues.1`` (u16)."""
    alpha_sigmoid_steepness: int
    """``AlphaSigmoidSteepness`` (i16)."""
    last_mechanism_step_block: int
    """``LastMechansimStepBlock`` (0 if none)."""
    owner_uid: int | None
    """uid of the subnet owner hotkey if registered on the subnet, else None."""
    weights: SparseRows
    """``Weights`` rows by uid: ``(uid_j, u16)`` pairs in stored order."""
    bonds: SparseRows
    """``Bonds`` rows by uid: ``(uid_j, u16)`` pairs in stored order."""
    rao_emission: int
    """Emission to distribute in this epoch (u64)."""
    commit_reveal_enabled: bool = False
    """``CommitRevealWeightsEnabled``."""
    commit_blocks: UidVector = field(default=())
    """Per uid, the smallest ``commit_block`` among its non-expired weight commits (CR v2 and v4
    already resolved by the caller); a missing entry means no active commit (u64::MAX)."""


@dataclass(frozen=True)

class EpochOutputs:
    """Everything the epoch produces, per uid ``0..n``."""

    active: tuple[bool, ...]
    validator_permit: tuple[bool, ...]
    """The new permits (to be stored as ``ValidatorPermit``)."""
    incentive: tuple[int, ...]
    consensus: tuple[int, ...]
    dividends: tuple[int, ...]
    validator_trust: tuple[int, ...]
    stake_weight: tuple[int, ...]
    emission: tuple[int, ...]
    server_emission: tuple[int, ...]
    validator_emission: tuple[int, ...]
    bonds: SparseRows
    """New ``Bonds`` rows: the EMA bonds for uids with a new permit, empty rows otherwise. ``epoch``
    returns a ``U16Rows`` (a sequence of ``(uid, u16)`` tuples per row, equal to the tuple form)."""
    stake: tuple[int, ...]
    """Total stake (alpha + tao * tao_weight) as u64, floored."""
