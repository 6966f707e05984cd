"""SubtensorModule weights calls with the recorded indices, argument names/types and docs, all
``DispatchClass::Normal`` and ``Pays::No``:

* setting: ``set_weights`` 0, ``batch_set_weights`` 80, ``set_mechanism_weights`` 119 (:mod:`.weights`);
* commit-reveal v2: ``commit_weights`` 96, ``reveal_weights`` 97, ``batch_reveal_weights`` 98,
  ``batch_commit_weights`` 100, ``commit_mechanism_weights`` 115, ``reveal_mechanism_weights`` 116;
* timelocked commits: ``commit_timelocked_weights`` 113, ``commit_crv3_mechanism_weights`` 117,
  ``commit_timelocked_mechanism_weights`` 118 — stored only; their drand-based reveal is not implemented
  (:mod:`.weights_commit`).

Weights are pallet_subtensor's benchmarked ``SubstrateWeight`` values with RocksDB read/write weights, or
the fixed ``Weight::from_parts`` the reference declares on the call where it has no benchmark.
"""

from __future__ import annotations

from typing import Annotated, Any

from runtime.pallets.subtensor import storage as st
from runtime.pallets.subtensor import weights, weights_commit
from runtime.pallets.subtensor.calls import (
    calls, NETUID_ARG as _NETUID, U64_ARG as _U64,
)
from runtime.pallets.subtensor.errors import errors
from runtime.pallets.subtensor.types import H256, BoundedVec, CompactNetUid, MechId
from runtime.scale import U8, U16, U64, Compact, Converted, Tuple, Vec
from runtime.scale.errors import DecodeError
from runtime.support.context import Context
from runtime.support.dispatch import DispatchClass, Origin, Pays, benchmarked

SET_WEIGHTS_WEIGHT = benchmarked(15_513_610_000, 10_327_410, 4112, 2)
SET_MECHANISM_WEIGHTS_WEIGHT = benchmarked(15_540_000_000, 0, 4111, 2)
BATCH_SET_WEIGHTS_WEIGHT = benchmarked(103_092_000, 7395, 16, 2)
COMMIT_WEIGHTS_WEIGHT = benchmarked(69_049_000, 4714, 13, 2)
REVEAL_WEIGHTS_WEIGHT = benchmarked(111_227_000, 7590, 19, 2)
BATCH_REVEAL_WEIGHTS_WEIGHT = benchmarked(421_363_000, 8095, 19, 2)
BATCH_COMMIT_WEIGHTS_WEIGHT = benchmarked(147_224_000, 4765, 15, 2)
COMMIT_TIMELOCKED_WEIGHTS_WEIGHT = benchmarked(86_951_000, 4713, 14, 2)
COMMIT_MECHANISM_WEIGHTS_WEIGHT = benchmarked(55_130_000, 0, 7, 2)
REVEAL_MECHANISM_WEIGHTS_WEIGHT = benchmarked(122_000_000, 0, 16, 2)
COMMIT_CRV3_MECHANISM_WEIGHTS_WEIGHT = benchmarked(77_750_000, 0, 7, 2)
COMMIT_TIMELOCKED_MECHANISM_WEIGHTS_WEIGHT = benchmarked(84_020_000, 0, 9, 2)


def _bounded_ciphertext(value: bytes) -> bytes:
    """Decoding a ``BoundedVec`` longer than its bound fails, so such a call never reaches dispatch."""
    if len(value) > weights_commit.MAX_CRV3_COMMIT_SIZE_BYTES:
        raise DecodeError(f"BoundedVec of {len(value)} bytes exceeds {weights_commit.MAX_CRV3_COMMIT_SIZE_BYTES}")
    return bytes(value)


CRV3_COMMIT = Converted(BoundedVec(U8), _bounded_ciphertext, bytes, "BoundedVec<u8, MAX_CRV3_COMMIT_SIZE_BYTES>")

_MECID = Annotated[int, MechId, "MechId"]
_U16S = Annotated[list, Vec(U16), "Vec<u16>"]
_HASH = Annotated[bytes, H256, "H256"]
_NETUIDS = Annotated[list, Vec(CompactNetUid), "Vec<Compact<NetUid>>"]
_ROWS = Annotated[Any, Vec(Vec(Tuple(Compact(U16), Compact(U16)))), "Vec<Vec<(Compact<u16>, Compact<u16>)>>"]
_KEYS = Annotated[list, Vec(Compact(U64)), "Vec<Compact<u64>>"]
_HASHES = Annotated[list, Vec(H256), "Vec<H256>"]
_U16_LISTS = Annotated[list, Vec(Vec(U16)), "Vec<Vec<u16>>"]
_U64S = Annotated[list, Vec(U64), "Vec<u64>"]
_COMMIT = Annotated[bytes, CRV3_COMMIT, "BoundedVec<u8, ConstU32<MAX_CRV3_COMMIT_SIZE_BYTES>>"]
_VERSION = Annotated[int, U16, "u16"]
_NO_FEE = {"dispatch_class": DispatchClass.Normal, "pays": Pays.No}


def _ensure_commit_reveal_off(ctx: Context, netuid: int) -> None:
    """Direct weight setting is refused where commit-reveal is on (the default for a netuid); reveals
    reach :func:`weights.do_set_weights` without this check."""
    if st.CommitRevealWeightsEnabled.get(ctx.ext, netuid):
        raise errors.CommitRevealEnabled


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
    _ensure_commit_reveal_off(ctx, netuid)
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
    weights_commit.do_commit_weights(ctx, origin, netuid, 0, commit_hash)


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
    weights_commit.do_reveal_weights(ctx, origin, netuid, 0, uids, values, salt, version_key)


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
    _ensure_commit_reveal_off(ctx, netuid)
    weights.do_set_weights(ctx, origin, netuid, mecid, dests, weights_, version_key)


@calls.call(98, weight=BATCH_REVEAL_WEIGHTS_WEIGHT, **_NO_FEE)
def batch_reveal_weights(ctx: Context, origin: Origin, netuid: _NETUID, uids_list: _U16_LISTS,
                         values_list: _U16_LISTS, salts_list: _U16_LISTS, version_keys: _U64S) -> None:
    """Reveals several previously committed weight sets on one subnet in a single call.

    # Arguments
    * `origin`: The signature of the revealing hotkey.

    * `netuid`: The u16 network identifier.

    * `uids_list`, `values_list`, `salts_list`, `version_keys`: One entry per commit being revealed.

    # Errors
    * `SubnetNotExists`: The subnet does not exist.

    * `InputLengthsUnequal`: The four lists differ in length.

    * `CommitRevealDisabled`: Commit-reveal is disabled on the subnet.

    * `NoWeightsCommitFound`: The hotkey has no queued commits.

    * `ExpiredWeightCommit`: A revealed hash matches a commit that has expired.

    * `InvalidRevealCommitHashNotMatch`: A revealed hash matches no queued commit.

    * `RevealTooEarly`: A commit is not in its reveal epoch yet."""
    weights_commit.do_batch_reveal_weights(ctx, origin, netuid, uids_list, values_list, salts_list, version_keys)


@calls.call(100, weight=BATCH_COMMIT_WEIGHTS_WEIGHT, **_NO_FEE)
def batch_commit_weights(ctx: Context, origin: Origin, netuids: _NETUIDS, commit_hashes: _HASHES) -> None:
    """Commits one weights hash on each of several subnets, continuing past failed items.

    # Arguments
    * `origin`: The committing hotkey.

    * `netuids`: The subnets to commit on.

    * `commit_hashes`: One commit hash per subnet.

    # Events
    * `WeightsCommitted`: For each stored commit.
    * `BatchCompletedWithErrors`: Once, when any item failed.
    * `BatchWeightItemFailed`: For each failed item, with its netuid and error.
    * `BatchWeightsCompleted`: At the end of the batch.

    # Errors
    * `InputLengthsUnequal`: `netuids` and `commit_hashes` differ in length."""
    weights_commit.do_batch_commit_weights(ctx, origin, netuids, commit_hashes)


@calls.call(113, weight=COMMIT_TIMELOCKED_WEIGHTS_WEIGHT, **_NO_FEE)
def commit_timelocked_weights(ctx: Context, origin: Origin, netuid: _NETUID, commit: _COMMIT, reveal_round: _U64,
                              commit_reveal_version: _VERSION) -> None:
    """Stores a drand-timelock encrypted weights payload to be revealed once `reveal_round` is public.

    # Arguments
    * `origin`: The committing hotkey.

    * `netuid`: The u16 network identifier.

    * `commit`: The encrypted, serialized payload (at most `MAX_CRV3_COMMIT_SIZE_BYTES` bytes).

    * `reveal_round`: The drand round whose pulse decrypts the payload.

    * `commit_reveal_version`: The client's commit-reveal version; must equal `CommitRevealWeightsVersion`.

    # Note
    This node stores the commit but does not reveal it: that needs drand pulses, which it does not track."""
    weights_commit.do_commit_timelocked_weights(ctx, origin, netuid, 0, commit, reveal_round,
                                                commit_reveal_version)


@calls.call(115, weight=COMMIT_MECHANISM_WEIGHTS_WEIGHT, **_NO_FEE)
def commit_mechanism_weights(ctx: Context, origin: Origin, netuid: _NETUID, mecid: _MECID,
                             commit_hash: _HASH) -> None:
    """Used to commit a hash of your weight values to later be revealed for mechanisms.

    # Arguments
    * `origin`: The signature of the committing hotkey.

    * `netuid`: The u16 network identifier.

    * `mecid`: The u8 mechanism identifier.

    * `commit_hash`: The hash representing the committed weights.

    # Errors
    * `CommitRevealDisabled`: Attempting to commit when the commit-reveal mechanism is disabled.

    * `TooManyUnrevealedCommits`: Attempting to commit when the user has more than the allowed limit of unrevealed commits."""
    weights_commit.do_commit_weights(ctx, origin, netuid, mecid, commit_hash)


@calls.call(116, weight=REVEAL_MECHANISM_WEIGHTS_WEIGHT, **_NO_FEE)
def reveal_mechanism_weights(ctx: Context, origin: Origin, netuid: _NETUID, mecid: _MECID, uids: _U16S,
                             values: _U16S, salt: _U16S, version_key: _U64) -> None:
    """Used to reveal the weights for a previously committed hash for mechanisms.

    # Arguments
    * `origin`: The signature of the revealing hotkey.

    * `netuid`: The u16 network identifier.

    * `mecid`: The u8 mechanism identifier.

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
    weights_commit.do_reveal_weights(ctx, origin, netuid, mecid, uids, values, salt, version_key)


@calls.call(117, weight=COMMIT_CRV3_MECHANISM_WEIGHTS_WEIGHT, **_NO_FEE)
def commit_crv3_mechanism_weights(ctx: Context, origin: Origin, netuid: _NETUID, mecid: _MECID, commit: _COMMIT,
                                  reveal_round: _U64) -> None:
    """Legacy form of `commit_timelocked_mechanism_weights`, committing as client version 4.

    # Arguments
    * `origin`: The committing hotkey.

    * `netuid`: The u16 network identifier.

    * `mecid`: The u8 mechanism identifier.

    * `commit`: The encrypted, serialized payload (at most `MAX_CRV3_COMMIT_SIZE_BYTES` bytes).

    * `reveal_round`: The drand round whose pulse decrypts the payload.

    # Errors
    * `CommitRevealDisabled`: Commit-reveal is disabled on the subnet.

    * `IncorrectCommitRevealVersion`: The chain's commit-reveal version is no longer 4.

    * `TooManyUnrevealedCommits`: The hotkey already has 10 commits in this epoch."""
    weights_commit.do_commit_timelocked_weights(ctx, origin, netuid, mecid, commit, reveal_round,
                                                weights_commit.LEGACY_CRV3_COMMIT_REVEAL_VERSION)


@calls.call(118, weight=COMMIT_TIMELOCKED_MECHANISM_WEIGHTS_WEIGHT, **_NO_FEE)
def commit_timelocked_mechanism_weights(ctx: Context, origin: Origin, netuid: _NETUID, mecid: _MECID,
                                        commit: _COMMIT, reveal_round: _U64, commit_reveal_version: _VERSION) -> None:
    """`commit_timelocked_weights` for one mechanism of a subnet.

    # Arguments
    * `origin`: The committing hotkey.

    * `netuid`: The u16 network identifier.

    * `mecid`: The u8 mechanism identifier.

    * `commit`: The encrypted, serialized payload (at most `MAX_CRV3_COMMIT_SIZE_BYTES` bytes).

    * `reveal_round`: The drand round whose pulse decrypts the payload.

    * `commit_reveal_version`: The client's commit-reveal version; must equal `CommitRevealWeightsVersion`.

    # Note
    This node stores the commit but does not reveal it: that needs drand pulses, which it does not track."""
    weights_commit.do_commit_timelocked_weights(ctx, origin, netuid, mecid, commit, reveal_round,
                                                commit_reveal_version)


__all__ = [
    "batch_commit_weights", "batch_reveal_weights", "batch_set_weights", "commit_crv3_mechanism_weights",
    "commit_mechanism_weights", "commit_timelocked_mechanism_weights", "commit_timelocked_weights",
    "commit_weights", "reveal_mechanism_weights", "reveal_weights", "set_mechanism_weights", "set_weights",
]
