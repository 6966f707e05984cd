"""Setting weights, as node-subtensor's ``subnets/weights.rs`` does; commits and reveals are in
:mod:`.weights_commit`.

* ``Weights``, ``LastUpdate`` and ``WeightCommits`` are keyed by the mechanism's storage index
  ``mecid·4096 + netuid``; everything else (uids, permits, hyperparameters) is per netuid.
* Stored weights are the supplied values max-upscaled so the largest becomes ``u16::MAX``
  (:func:`runtime.yuma.math.vec_u16_max_upscale_to_u16`, the reference's I32F32 rounding).
* The ``set_weights``/``set_mechanism_weights`` calls refuse subnets with commit-reveal enabled
  (CommitRevealEnabled); :func:`do_set_weights` itself is shared with reveals, and with commit-reveal
  enabled it neither rate-limits nor stamps ``LastUpdate`` (the commit did both).
* A commit hash (:func:`commit_hash`) is
  ``blake2_256(SCALE(hotkey, netuid_index: u16, uids, values, salt, version_key))``.
"""

from __future__ import annotations

from typing import Sequence

from runtime.pallets.subtensor import storage as st
from runtime.pallets.subtensor.errors import errors
from runtime.pallets.subtensor.events import (
    BatchCompletedWithErrors, BatchWeightItemFailed, BatchWeightsCompleted, WeightsSet,
)
from runtime.pallets.subtensor.metagraph_info import stake_weights, tao_weight_i64f64
from runtime.pallets.subtensor.rpc_info import max_weight_limit
from runtime.pallets.subtensor.types import storage_index
from runtime.primitives.hashing import blake2_256
from runtime.scale import U16, U64, Vec
from runtime.support.context import Context
from runtime.support.dispatch import DispatchError, Origin, ensure_signed
from runtime.support.externalities import Externalities
from runtime.yuma.math import vec_u16_max_upscale_to_u16

ROOT_NETUID = 0
U16_MAX = 0xFFFF
_U16S = Vec(U16)

__all__ = [
    "check_rate_limit", "commit_hash", "do_batch_set_weights", "do_set_weights", "ensure_mechanism_exists",
    "is_self_weight", "last_update_for_uid", "set_last_update_for_uid",
]


# -- helpers --------------------------------------------------------------------------------------------------


def ensure_mechanism_exists(ext: Externalities, netuid: int, mecid: int) -> None:
    """The subnet exists and ``mecid`` is below its ``MechanismCountCurrent`` (else MechanismDoesNotExist)."""
    if not st.NetworksAdded.get(ext, netuid) or not st.MechanismCountCurrent.get(ext, netuid) > mecid:
        raise errors.MechanismDoesNotExist


def uid_exists(ext: Externalities, netuid: int, uid: int) -> bool:
    return bool(st.Keys.exists(ext, netuid, uid))


def owner_uid(ext: Externalities, netuid: int) -> int | None:
    hotkey = st.SubnetOwnerHotkey.try_get(ext, netuid)
    if hotkey is None:
        return None
    uid = st.Uids.try_get(ext, netuid, hotkey)
    return None if uid is None else int(uid)


def last_update_for_uid(ext: Externalities, index: int, uid: int) -> int:
    row = st.LastUpdate.get(ext, index)
    return int(row[uid]) if uid < len(row) else 0


def set_last_update_for_uid(ext: Externalities, index: int, uid: int, block: int) -> None:
    """Overwrite one entry of ``LastUpdate[index]``; a uid beyond the vector changes nothing."""
    row = list(st.LastUpdate.get(ext, index))
    if uid < len(row):
        row[uid] = block
        st.LastUpdate.put(ext, index, row)


def check_rate_limit(ext: Externalities, index: int, uid: int, block: int) -> bool:
    """A registered uid that never set weights (stamp 0) or whose stamp is ≥ WeightsSetRateLimit old."""
    netuid = index % 4096
    if not st.NetworksAdded.get(ext, netuid) or not st.MechanismCountCurrent.get(ext, netuid) > index // 4096:
        return False
    if not uid_exists(ext, netuid, uid):
        return False
    last = last_update_for_uid(ext, index, uid)
    return last == 0 or max(block - last, 0) >= st.WeightsSetRateLimit.get(ext, netuid)


def is_self_weight(uid: int, uids: Sequence[int], values: Sequence[int]) -> bool:
    return len(values) == 1 and len(uids) > 0 and uids[0] == uid


def has_enough_stake(ext: Externalities, netuid: int, hotkey: bytes) -> bool:
    """The subnet owner's hotkey always may; others need stake weight ≥ StakeThreshold."""
    owner = owner_uid(ext, netuid)
    if owner is not None and st.Uids.try_get(ext, netuid, hotkey) == owner:
        return True
    total, _, _ = stake_weights(ext, hotkey, netuid, tao_weight_i64f64(ext))
    return total >= st.StakeThreshold.get(ext) << 64


def has_validator_permit(ext: Externalities, netuid: int, uid: int, uids: Sequence[int],
                         values: Sequence[int]) -> bool:
    if is_self_weight(uid, uids, values):
        return True
    if owner_uid(ext, netuid) == uid:
        return True
    permits = st.ValidatorPermit.get(ext, netuid)
    return bool(permits[uid]) if uid < len(permits) else False


def long_enough(ext: Externalities, netuid: int, uid: int, uids: Sequence[int], values: Sequence[int]) -> bool:
    """At least min(SubnetworkN, MinAllowedWeights) weights, or a lone self weight off root."""
    if netuid != ROOT_NETUID and is_self_weight(uid, uids, values):
        return True
    return len(values) >= min(st.SubnetworkN.get(ext, netuid), st.MinAllowedWeights.get(ext, netuid))


def max_weight_limited(netuid: int, uid: int, uids: Sequence[int], upscaled: Sequence[int]) -> bool:
    if is_self_weight(uid, uids, upscaled):
        return True
    limit = max_weight_limit(netuid)
    return limit == U16_MAX or all(w <= limit for w in upscaled)


def commit_hash(hotkey: bytes, index: int, uids: Sequence[int], values: Sequence[int], salt: Sequence[int],
                version_key: int) -> bytes:
    payload = (bytes(hotkey) + U16.encode(index) + _U16S.encode(list(uids)) + _U16S.encode(list(values))
               + _U16S.encode(list(salt)) + U64.encode(version_key))
    return blake2_256(payload)


# -- set_weights ----------------------------------------------------------------------------------------------


def do_set_weights(ctx: Context, origin: Origin, netuid: int, mecid: int, uids: Sequence[int],
                   values: Sequence[int], version_key: int) -> None:
    """Check and store the signer's weights on (netuid, mecid); the reference's check order."""
    index = storage_index(netuid, mecid)
    hotkey = ensure_signed(origin)
    ext = ctx.ext
    uids, values = [int(u) for u in uids], [int(v) for v in values]
    if netuid == ROOT_NETUID:
        raise errors.CanNotSetRootNetworkWeights
    if len(uids) != len(values):
        raise errors.WeightVecNotEqualSize
    ensure_mechanism_exists(ext, netuid, mecid)
    if len(uids) > st.SubnetworkN.get(ext, netuid):
        raise errors.UidsLengthExceedUidsInSubNet
    uid = st.Uids.try_get(ext, netuid, hotkey)
    if uid is None:
        raise errors.HotKeyNotRegisteredInSubNet
    uid = int(uid)
    if not has_enough_stake(ext, netuid, hotkey):
        raise errors.NotEnoughStakeToSetWeights
    network_key = st.WeightsVersionKey.get(ext, netuid)
    if network_key != 0 and version_key < network_key:
        raise errors.IncorrectWeightVersionKey
    block = ctx.block_number
    commit_reveal = st.CommitRevealWeightsEnabled.get(ext, netuid)
    if not commit_reveal and not check_rate_limit(ext, index, uid, block):
        raise errors.SettingWeightsTooFast
    if not has_validator_permit(ext, netuid, uid, uids, values):
        raise errors.NeuronNoValidatorPermit
    if len(set(uids)) != len(uids):
        raise errors.DuplicateUids
    if any(not uid_exists(ext, netuid, u) for u in uids):
        raise errors.UidVecContainInvalidOne
    if not long_enough(ext, netuid, uid, uids, values):
        raise errors.WeightVecLengthIsLow
    upscaled = [int(w) for w in vec_u16_max_upscale_to_u16(values)]
    if not max_weight_limited(netuid, uid, uids, upscaled):
        raise errors.MaxWeightExceeded
    st.Weights.put(ext, index, uid, list(zip(uids, upscaled)))
    if not commit_reveal:
        set_last_update_for_uid(ext, index, uid, block)
    ctx.deposit_event(WeightsSet(index, uid))


def do_batch_set_weights(ctx: Context, origin: Origin, netuids: Sequence[int],
                         weights: Sequence[Sequence[tuple[int, int]]], version_keys: Sequence[int]) -> None:
    """``set_weights`` on each main mechanism in turn, continuing on errors (each reported as an event)."""
    hotkey = ensure_signed(origin)
    if not len(netuids) == len(weights) == len(version_keys):
        raise errors.InputLengthsUnequal
    failures: list[tuple[int, DispatchError]] = []
    for netuid, row, version_key in zip(netuids, weights, version_keys):
        try:
            if st.CommitRevealWeightsEnabled.get(ctx.ext, netuid):
                raise errors.CommitRevealEnabled
            do_set_weights(ctx, origin, netuid, 0, [u for u, _ in row], [v for _, v in row], version_key)
        except DispatchError as error:
            failures.append((netuid, error))
    if failures:
        ctx.deposit_event(BatchCompletedWithErrors())
        for netuid, error in failures:
            ctx.deposit_event(BatchWeightItemFailed(netuid, ctx.runtime.dispatch_error_value(error)))
    ctx.deposit_event(BatchWeightsCompleted(list(netuids), hotkey))
