"""SubtensorModule weight-setting calls on the mock runtime: set_weights (upscaled storage, LastUpdate,
event), each check's reference error, the rate limit, self weights, batch and mechanism variants.
Commits and reveals are in ``test_subtensor_weights_commit.py``."""

from __future__ import annotations

from runtime.pallets import subtensor
from runtime.pallets.subtensor import storage as st
from runtime.pallets.subtensor.events import (
    BatchCompletedWithErrors, BatchWeightItemFailed, BatchWeightsCompleted, WeightsSet,
)
from runtime.pallets.subtensor.types import storage_index
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
                "batch_reveal_weights": (98, ["netuid", "uids_list", "values_list", "salts_list", "version_keys"]),
                "batch_commit_weights": (100, ["netuids", "commit_hashes"]),
                "commit_timelocked_weights": (113, ["netuid", "commit", "reveal_round", "commit_reveal_version"]),
                "commit_mechanism_weights": (115, ["netuid", "mecid", "commit_hash"]),
                "reveal_mechanism_weights": (116, ["netuid", "mecid", "uids", "values", "salt", "version_key"]),
                "commit_crv3_mechanism_weights": (117, ["netuid", "mecid", "commit", "reveal_round"]),
                "commit_timelocked_mechanism_weights": (118, ["netuid", "mecid", "commit", "reveal_round",
                                                              "commit_reveal_version"]),
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

    # the call refuses commit-reveal subnets first; that flag defaults to on, even for unknown netuids
    assert error(HK_A, netuid=77) == err("CommitRevealEnabled")
    st.CommitRevealWeightsEnabled.put(ext, 0, False)
    st.CommitRevealWeightsEnabled.put(ext, 77, False)
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
    # commit-reveal on: direct setting is refused (weights arrive through reveals)
    st.CommitRevealWeightsEnabled.put(ext, n, True)
    assert error(HK_A) == err("CommitRevealEnabled")
    assert env.error(HK_A, "set_mechanism_weights", netuid=n, mecid=0, dests=[0, 1], weights=[1, 1],
                     version_key=0) == err("CommitRevealEnabled")


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


def _upscaled(values: list[int]) -> list[int]:
    """Exact rational max-upscale, rounding halves up (what I32F32 gives for these small inputs)."""
    top = max(values)
    return values if top == 0 else [(2 * v * 65535 + top) // (2 * top) for v in values]


def test_max_upscale_rounding_of_stored_weights() -> None:
    env, n = weights_env()
    st.WeightsSetRateLimit.put(env.ext, n, 0)
    for values in ([0, 3], [3, 7], [1, 65535], [65535, 65535], [0, 0], [2, 5]):
        env.call(HK_A, "set_weights", netuid=n, dests=[0, 1], weights=values, version_key=0)
        stored = st.Weights.get(env.ext, storage_index(n), 0)
        assert stored == list(zip([0, 1], _upscaled(values))), values
    assert _upscaled([3, 7]) == [28086, 65535]  # 28086.43 rounds down
    assert _upscaled([1, 2]) == [32768, 65535]  # 32767.5 rounds up


def test_self_weight_rules() -> None:
    env, n = weights_env()
    ext = env.ext
    st.MinAllowedWeights.put(ext, n, 2)
    # HK_B (uid 1) has no validator permit: a lone weight on another uid is refused …
    assert env.error(HK_B, "set_weights", netuid=n, dests=[0], weights=[5], version_key=0) \
        == err("NeuronNoValidatorPermit")
    # … two weights including itself are not a self weight either
    assert env.error(HK_B, "set_weights", netuid=n, dests=[1, 0], weights=[5, 1], version_key=0) \
        == err("NeuronNoValidatorPermit")
    # a single weight on itself passes both the permit and the minimum-length checks, even when zero
    env.call(HK_B, "set_weights", netuid=n, dests=[1], weights=[0], version_key=0)
    assert st.Weights.get(ext, storage_index(n), 1) == [(1, 0)]
    # with a permit, a lone non-self weight is still too short for MinAllowedWeights = 2
    st.ValidatorPermit.put(ext, n, [False, True])
    env.set_block(env.ctx.block_number + 5)
    assert env.error(HK_B, "set_weights", netuid=n, dests=[0], weights=[5], version_key=0) \
        == err("WeightVecLengthIsLow")
