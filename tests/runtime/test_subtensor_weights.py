"""SubtensorModule weights calls on the mock runtime: set_weights (upscaled storage, LastUpdate, event),
each check's reference error, the rate limit, commit then reveal in the reveal epoch, batch and
mechanism variants."""

from __future__ import annotations

from runtime.pallets import subtensor
from runtime.pallets.subtensor import storage as st
from runtime.pallets.subtensor.events import (
    BatchCompletedWithErrors, BatchWeightItemFailed, BatchWeightsCompleted, WeightsCommitted, WeightsRevealed,
    WeightsSet,
)
from runtime.pallets.subtensor.types import storage_index
from runtime.pallets.subtensor.weights import commit_hash
from runtime.support.dispatch import DispatchClass, Pays
from tests.runtime.test_subtensor_staking import err, staking_env, sub_events
from tests.runtime.test_subtensor_subnets import BOB, HK_A, HK_B, HK_C, Env


def ev(*events: tuple) -> list:
    """The SubtensorModule event values (``sub_events`` form) of constructed events."""
    return [e[1] for e in events]


def weights_env(commit_reveal: bool = False) -> tuple[Env, int]:
    """Alice's subnet: owner hotkey HK_A (uid 0) and Bob's HK_B (uid 1); commit-reveal off by default."""
    env, n = staking_env()
    env.call(BOB, "burned_register", netuid=n, hotkey=HK_B)
    st.CommitRevealWeightsEnabled.put(env.ext, n, commit_reveal)
    st.WeightsSetRateLimit.put(env.ext, n, 5)
    env.set_block(env.ctx.block_number + 5)  # past the registration stamps' rate limit
    return env, n


def test_declarations() -> None:
    calls = subtensor.PALLET.calls.by_name  # type: ignore[union-attr]
    expected = {"set_weights": (0, ["netuid", "dests", "weights", "version_key"]),
                "batch_set_weights": (80, ["netuids", "weights", "version_keys"]),
                "commit_weights": (96, ["netuid", "commit_hash"]),
                "reveal_weights": (97, ["netuid", "uids", "values", "salt", "version_key"]),
                "set_mechanism_weights": (119, ["netuid", "mecid", "dests", "weights", "version_key"])}
    for name, (index, args) in expected.items():
        call = calls[name]
        assert call.index == index and [a.name for a in call.args] == args
        assert call.pays is Pays.No and call.dispatch_class is DispatchClass.Normal


def test_set_weights_stores_upscaled_row_stamp_and_event() -> None:
    env, n = weights_env()
    block = env.ctx.block_number
    env.call(HK_A, "set_weights", netuid=n, dests=[0, 1], weights=[1, 2], version_key=0)
    # 1/2 · 65535 = 32767.5 → rounds half away to 32768; the max becomes u16::MAX
    assert st.Weights.get(env.ext, storage_index(n), 0) == [(0, 32768), (1, 65535)]
    assert st.LastUpdate.get(env.ext, storage_index(n))[0] == block
    assert sub_events(env) == ev(WeightsSet(storage_index(n), 0))


def test_rate_limit() -> None:
    env, n = weights_env()
    env.call(HK_A, "set_weights", netuid=n, dests=[0, 1], weights=[1, 1], version_key=0)
    start = env.ctx.block_number
    env.set_block(start + 4)
    assert env.error(HK_A, "set_weights", netuid=n, dests=[0, 1], weights=[1, 1], version_key=0) \
        == err("SettingWeightsTooFast")
    env.set_block(start + 5)
    env.call(HK_A, "set_weights", netuid=n, dests=[0, 1], weights=[3, 1], version_key=0)
    assert st.Weights.get(env.ext, storage_index(n), 0) == [(0, 65535), (1, 21845)]


def test_errors() -> None:
    env, n = weights_env()
    ext = env.ext

    def error(who: bytes, netuid: int = n, dests: list[int] = [0, 1], weights: list[int] = [1, 1],
              version_key: int = 0) -> object:
        return env.error(who, "set_weights", netuid=netuid, dests=dests, weights=weights, version_key=version_key)

    assert error(HK_A, netuid=0) == err("CanNotSetRootNetworkWeights")
    assert error(HK_A, weights=[1]) == err("WeightVecNotEqualSize")
    assert error(HK_A, netuid=77) == err("MechanismDoesNotExist")
    assert error(HK_A, dests=[0, 1, 2], weights=[1, 1, 1]) == err("UidsLengthExceedUidsInSubNet")
    assert error(HK_C) == err("HotKeyNotRegisteredInSubNet")
    st.StakeThreshold.put(ext, 1)
    assert error(HK_B) == err("NotEnoughStakeToSetWeights")
    st.StakeThreshold.put(ext, 0)
    st.WeightsVersionKey.put(ext, n, 5)
    assert error(HK_A, version_key=4) == err("IncorrectWeightVersionKey")
    st.WeightsVersionKey.put(ext, n, 0)
    assert error(HK_B) == err("NeuronNoValidatorPermit")  # no permit, not the owner, not a self weight
    assert error(HK_A, dests=[1, 1]) == err("DuplicateUids")
    st.SubnetworkN.put(ext, n, 3)
    assert error(HK_A, dests=[0, 2]) == err("UidVecContainInvalidOne")
    st.SubnetworkN.put(ext, n, 2)
    st.MinAllowedWeights.put(ext, n, 2)
    assert error(HK_A, dests=[1], weights=[1]) == err("WeightVecLengthIsLow")
    # a lone self weight needs neither a permit nor the minimum length
    env.call(HK_B, "set_weights", netuid=n, dests=[1], weights=[7], version_key=0)
    assert st.Weights.get(ext, storage_index(n), 1) == [(1, 65535)]
    # commit-reveal on: set_weights is still allowed (no rate limit, no LastUpdate stamp)
    st.CommitRevealWeightsEnabled.put(ext, n, True)
    before = st.LastUpdate.get(ext, storage_index(n))
    env.call(HK_A, "set_weights", netuid=n, dests=[0, 1], weights=[1, 1], version_key=0)
    assert st.LastUpdate.get(ext, storage_index(n)) == before


def test_commit_then_reveal_in_the_reveal_epoch() -> None:
    env, n = weights_env(commit_reveal=True)
    ext, index = env.ext, storage_index(n)
    uids, values, salt = [0, 1], [1, 2], [9, 8, 7]
    h = commit_hash(HK_A, index, uids, values, salt, 0)
    assert env.error(HK_A, "reveal_weights", netuid=n, uids=uids, values=values, salt=salt, version_key=0) \
        == err("NoWeightsCommitFound")
    env.call(HK_A, "commit_weights", netuid=n, commit_hash=h)
    block = env.ctx.block_number
    epoch = st.SubnetEpochIndex.get(ext, n)  # no epoch due at this block
    assert st.WeightCommits.get(ext, index, HK_A) == [(h, epoch, block, 0)]
    assert st.LastUpdate.get(ext, index)[0] == block
    assert sub_events(env) == ev(WeightsCommitted(HK_A, index, h))
    # too early: still the commit's epoch
    assert env.error(HK_A, "reveal_weights", netuid=n, uids=uids, values=values, salt=salt, version_key=0) \
        == err("RevealTooEarly")
    assert env.error(HK_A, "reveal_weights", netuid=n, uids=uids, values=values, salt=[1], version_key=0) \
        == err("InvalidRevealCommitHashNotMatch")
    # the reveal epoch (RevealPeriodEpochs = 1)
    st.SubnetEpochIndex.put(ext, n, epoch + 1)
    env.clear_events()
    env.call(HK_A, "reveal_weights", netuid=n, uids=uids, values=values, salt=salt, version_key=0)
    assert st.Weights.get(ext, index, 0) == [(0, 32768), (1, 65535)]
    assert not st.WeightCommits.exists(ext, index, HK_A)
    assert sub_events(env) == ev(WeightsSet(index, 0), WeightsRevealed(HK_A, index, h))


def test_commit_expires_and_commit_errors() -> None:
    env, n = weights_env(commit_reveal=True)
    ext, index = env.ext, storage_index(n)
    h = commit_hash(HK_A, index, [0, 1], [1, 1], [5], 0)
    env.call(HK_A, "commit_weights", netuid=n, commit_hash=h)
    assert env.error(HK_A, "commit_weights", netuid=n, commit_hash=b"\x02" * 32) == err("CommittingWeightsTooFast")
    assert env.error(HK_C, "commit_weights", netuid=n, commit_hash=h) == err("HotKeyNotRegisteredInSubNet")
    st.SubnetEpochIndex.put(ext, n, st.SubnetEpochIndex.get(ext, n) + 2)  # past the reveal epoch
    assert env.error(HK_A, "reveal_weights", netuid=n, uids=[0, 1], values=[1, 1], salt=[5], version_key=0) \
        == err("ExpiredWeightCommit")
    st.CommitRevealWeightsEnabled.put(ext, n, False)
    assert env.error(HK_A, "commit_weights", netuid=n, commit_hash=h) == err("CommitRevealDisabled")
    assert env.error(HK_A, "reveal_weights", netuid=n, uids=[0, 1], values=[1, 1], salt=[5], version_key=0) \
        == err("CommitRevealDisabled")


def test_too_many_unrevealed_commits() -> None:
    env, n = weights_env(commit_reveal=True)
    st.WeightsSetRateLimit.put(env.ext, n, 0)
    for i in range(10):
        env.call(HK_A, "commit_weights", netuid=n, commit_hash=bytes([i]) * 32)
    assert env.error(HK_A, "commit_weights", netuid=n, commit_hash=b"\xff" * 32) == err("TooManyUnrevealedCommits")


def test_batch_set_weights_continues_on_errors() -> None:
    env, n = weights_env()
    env.call(HK_A, "batch_set_weights", netuids=[n, 0], weights=[[(0, 1), (1, 4)], [(0, 1)]], version_keys=[0, 0])
    assert st.Weights.get(env.ext, storage_index(n), 0) == [(0, 16384), (1, 65535)]
    assert sub_events(env) == ev(
        WeightsSet(storage_index(n), 0), BatchCompletedWithErrors(),
        BatchWeightItemFailed(0, err("CommitRevealEnabled")), BatchWeightsCompleted([n, 0], HK_A))
    assert env.error(HK_A, "batch_set_weights", netuids=[n], weights=[], version_keys=[0]) \
        == err("InputLengthsUnequal")


def test_set_mechanism_weights() -> None:
    env, n = weights_env()
    assert env.error(HK_A, "set_mechanism_weights", netuid=n, mecid=1, dests=[0, 1], weights=[1, 1],
                     version_key=0) == err("MechanismDoesNotExist")
    st.MechanismCountCurrent.put(env.ext, n, 2)
    st.LastUpdate.put(env.ext, storage_index(n, 1), [0, 0])
    env.call(HK_A, "set_mechanism_weights", netuid=n, mecid=1, dests=[0, 1], weights=[2, 1], version_key=0)
    assert st.Weights.get(env.ext, storage_index(n, 1), 0) == [(0, 65535), (1, 32768)]
    assert not st.Weights.exists(env.ext, storage_index(n), 0)
    assert st.LastUpdate.get(env.ext, storage_index(n, 1))[0] == env.ctx.block_number
    assert sub_events(env) == ev(WeightsSet(storage_index(n, 1), 0))
