"""SubtensorModule weights calls (``set_weights`` 0, ``batch_set_weights`` 80, ``commit_weights`` 96,
``reveal_weights`` 97, ``set_mechanism_weights`` 119) with the recorded indices, argument names/types and
docs; ``DispatchClass::Normal``, ``Pays::No``. The logic lives in :mod:`.weights`.

Weights are pallet_subtensor's benchmarked ``SubstrateWeight`` values with RocksDB read/write weights.
"""

from __future__ import annotations

from typing import Annotated, Any

from runtime.pallets.subtensor import weights
from runtime.pallets.subtensor.calls import (
    benchmarked, calls, NETUID_ARG as _NETUID, U64_ARG as _U64,
)
from runtime.pallets.subtensor.types import H256, CompactNetUid, MechId
from runtime.scale import U16, U64, Compact, Tuple, Vec
from runtime.support.context import Context
from runtime.support.dispatch import DispatchClass, Origin, Pays

SET_WEIGHTS_WEIGHT = benchmarked(15_513_610_000, 10_327_410, 4112, 2)
SET_MECHANISM_WEIGHTS_WEIGHT = benchmarked(15_540_000_000, 0, 4111, 2)
BATCH_SET_WEIGHTS_WEIGHT = benchmarked(103_092_000, 7395, 16, 2)
COMMIT_WEIGHTS_WEIGHT = benchmarked(69_049_000, 4714, 13, 2)
REVEAL_WEIGHTS_WEIGHT = benchmarked(111_227_000, 7590, 19, 2)

_MECID = Annotated[int, MechId, "MechId"]
_U16S = Annotated[list, Vec(U16), "Vec<u16>"]
_HASH = Annotated[bytes, H256, "H256"]
_NETUIDS = Annotated[list, Vec(CompactNetUid), "Vec<Compact<NetUid>>"]
_ROWS = Annotated[Any, Vec(Vec(Tuple(Compact(U16), Compact(U16)))), "Vec<Vec<(Compact<u16>, Compact<u16>)>>"]
_KEYS = Annotated[list, Vec(Compact(U64)), "Vec<Compact<u64>>"]
_NO_FEE = {"dispatch_class": DispatchClass.Normal, "pays": Pays.No}


@calls.call(0, weight=SET_WEIGHTS_WEIGHT, **_NO_FEE)
def set_weights(ctx: Context, origin: Origin, netuid: _NETUID, dests: _U16S, weights_: _U16S,
                version_key: _U64) -> None:
    """Sets the caller weights for the incentive mechanism. The call can be
    made from the hotkey account so is potentially insecure, however, the damage
    of changing weights is minimal if caught early. This function includes all the
    checks that the passed weights meet the requirements. Stored weights are u16s
    max-upscaled by the pallet, so the largest non-zero supplied weight is stored
    as `u16::MAX`. The weights determine how inflation propagates outward
    from this peer.

    # Note
    Input weights are relative. They do not need to sum to a particular
    value before submission.

    # Arguments
    * `origin`: The caller, a hotkey who wishes to set their weights.

    * `netuid`: The network uid we are setting these weights on.

    * `dests`: The edge endpoint for the weight, i.e. j for w_ij.

    * `weights`: Relative u16-encoded weights, max-upscaled by the pallet before storage.

    * `version_key`: The network version key to check if the validator is up to date.

    # Events
    * `WeightsSet`: On successfully setting the weights on chain.

    # Errors
    * `MechanismDoesNotExist`: Attempting to set weights on a non-existent network.

    * `NotRegistered`: Attempting to set weights from a non registered account.

    * `WeightVecNotEqualSize`: Attempting to set weights with uids not of same length.

    * `DuplicateUids`: Attempting to set weights with duplicate uids.

    * `UidsLengthExceedUidsInSubNet`: Attempting to set weights above the max allowed uids.

    * `UidVecContainInvalidOne`: Attempting to set weights with invalid uids.

    * `WeightVecLengthIsLow`: Attempting to set weights with fewer weights than min.

    * `MaxWeightExceeded`: Attempting to set weights with max value exceeding limit."""
    weights.do_set_weights(ctx, origin, netuid, 0, dests, weights_, version_key)


@calls.call(80, weight=BATCH_SET_WEIGHTS_WEIGHT, **_NO_FEE)
def batch_set_weights(ctx: Context, origin: Origin, netuids: _NETUIDS, weights_: _ROWS, version_keys: _KEYS) -> None:
    """Allows a hotkey to set weights for multiple netuids as a batch.

    # Arguments
    * `origin`: The caller, a hotkey who wishes to set their weights.

    * `netuids`: The network uids we are setting these weights on.

    * `weights`: The weights to set for each network. [(uid, weight), ...].

    * `version_keys`: The network version keys to check if the validator is up to date.

    # Events
    * `WeightsSet`: On successfully setting the weights on chain.
    * `BatchWeightsCompleted`: On success of the batch.
    * `BatchCompletedWithErrors`: On failure of any of the weights in the batch.
    * `BatchWeightItemFailed`: On failure for each failed item in the batch."""
    weights.do_batch_set_weights(ctx, origin, netuids, weights_, version_keys)


@calls.call(96, weight=COMMIT_WEIGHTS_WEIGHT, **_NO_FEE)
def commit_weights(ctx: Context, origin: Origin, netuid: _NETUID, commit_hash: _HASH) -> None:
    """Used to commit a hash of your weight values to later be revealed.

    # Arguments
    * `origin`: The signature of the committing hotkey.

    * `netuid`: The u16 network identifier.

    * `commit_hash`: The hash representing the committed weights.

    # Errors
    * `CommitRevealDisabled`: Attempting to commit when the commit-reveal mechanism is disabled.

    * `TooManyUnrevealedCommits`: Attempting to commit when the user has more than the allowed limit of unrevealed commits."""
    weights.do_commit_weights(ctx, origin, netuid, 0, commit_hash)


@calls.call(97, weight=REVEAL_WEIGHTS_WEIGHT, **_NO_FEE)
def reveal_weights(ctx: Context, origin: Origin, netuid: _NETUID, uids: _U16S, values: _U16S, salt: _U16S,
                   version_key: _U64) -> None:
    """Used to reveal the weights for a previously committed hash.

    # Arguments
    * `origin`: The signature of the revealing hotkey.

    * `netuid`: The u16 network identifier.

    * `uids`: The uids for the weights being revealed.

    * `values`: The values of the weights being revealed.

    * `salt`: The salt used to generate the commit hash.

    * `version_key`: The network version key.

    # Errors
    * `CommitRevealDisabled`: Attempting to reveal weights when the commit-reveal mechanism is disabled.

    * `NoWeightsCommitFound`: Attempting to reveal weights without an existing commit.

    * `ExpiredWeightCommit`: Attempting to reveal a weight commit that has expired.

    * `RevealTooEarly`: Attempting to reveal weights outside the valid reveal period.

    * `InvalidRevealCommitHashNotMatch`: The revealed hash does not match any committed hash."""
    weights.do_reveal_weights(ctx, origin, netuid, 0, uids, values, salt, version_key)


@calls.call(119, weight=SET_MECHANISM_WEIGHTS_WEIGHT, **_NO_FEE)
def set_mechanism_weights(ctx: Context, origin: Origin, netuid: _NETUID, mecid: _MECID, dests: _U16S,
                          weights_: _U16S, version_key: _U64) -> None:
    """Sets the caller weights for the incentive mechanism for mechanisms. The call
    can be made from the hotkey account so is potentially insecure, however, the damage
    of changing weights is minimal if caught early. This function includes all the
    checks that the passed weights meet the requirements. Stored weights are u16s
    max-upscaled by the pallet, so the largest non-zero supplied weight is stored
    as `u16::MAX`. The weights determine how inflation propagates outward
    from this peer.

    # Note
    Input weights are relative. They do not need to sum to a particular
    value before submission.

    # Arguments
    * `origin`: The caller, a hotkey who wishes to set their weights.

    * `netuid`: The network uid we are setting these weights on.

    * `mecid`: The u8 mechnism identifier.

    * `dests`: The edge endpoint for the weight, i.e. j for w_ij.

    * `weights`: Relative u16-encoded weights, max-upscaled by the pallet before storage.

    * `version_key`: The network version key to check if the validator is up to date.

    # Events
    * `WeightsSet`: On successfully setting the weights on chain.

    # Errors
    * `MechanismDoesNotExist`: Attempting to set weights on a non-existent network.

    * `NotRegistered`: Attempting to set weights from a non registered account.

    * `WeightVecNotEqualSize`: Attempting to set weights with uids not of same length.

    * `DuplicateUids`: Attempting to set weights with duplicate uids.

    * `UidsLengthExceedUidsInSubNet`: Attempting to set weights above the max allowed uids.

    * `UidVecContainInvalidOne`: Attempting to set weights with invalid uids.

    * `WeightVecLengthIsLow`: Attempting to set weights with fewer weights than min.

    * `MaxWeightExceeded`: Attempting to set weights with max value exceeding limit."""
    weights.do_set_weights(ctx, origin, netuid, mecid, dests, weights_, version_key)


__all__ = ["batch_set_weights", "commit_weights", "reveal_weights", "set_mechanism_weights", "set_weights"]
