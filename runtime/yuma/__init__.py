"""Yuma Consensus: a pure, bit-exact re-implementation of subtensor's epoch.

``from runtime.yuma import EpochInputs, epoch``. Fixed-point emulation lives in ``fixed``, the vector
and matrix helpers in ``math``, the epoch itself in ``epoch`` (general path) and ``fast``/``fastbonds`` (the
path canonical inputs take, over the bounded ``kernels`` and ``fastexp``); ``io`` holds the
input/output records and ``rows`` the CSR ``U16Rows`` they accept for weights and bonds.
"""

from runtime.yuma.epoch import EpochInputs, EpochOutputs, epoch, epoch_general
from runtime.yuma.rows import U16Rows

__all__ = ["EpochInputs", "EpochOutputs", "U16Rows", "epoch", "epoch_general"]
