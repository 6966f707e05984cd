"""Yuma Consensus: a pure, bit-exact re-implementation of subtensor's epoch.

``from runtime.yuma import EpochInputs, epoch``. Fixed-point emulation lives in ``fixed``, the vector
and matrix helpers in ``math``, the epoch itself in ``epoch``.
"""

from runtime.yuma.epoch import EpochInputs, EpochOutputs, epoch

__all__ = ["EpochInputs", "EpochOutputs", "epoch"]
