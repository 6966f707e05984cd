"""SubtensorModule commit-reveal calls on the mock runtime: v2 commits and reveals (single, mechanism,
batch) with each reference error path, the commit hash preimage, expiry and the per-hotkey commit cap;
timelocked commits (storage layout, event hash, version and size checks)."""

from __future__ import annotations

import hashlib

import pytest

from runtime.pallets.subtensor import storage as st
from runtime.pallets.subtensor.calls_weights import CRV3_COMMIT
from runtime.pallets.subtensor.events import (
    BatchCompletedWithErrors, BatchWeightItemFailed, BatchWeightsCompleted, TimelockedWeightsCommitted,
    WeightsBatchRevealed, WeightsCommitted, WeightsRevealed, WeightsSet,
)
from runtime.pallets.subtensor.types import storage_index
from runtime.pallets.subtensor.weights import commit_hash
from runtime.scale import DecodeError
from tests.runtime.test_subtensor_staking import err, sub_events
from tests.runtime.test_subtensor_subnets import HK_A, HK_C, Env
from tests.runtime.test_subtensor_weights import ev, weights_env

UIDS = [[0, 1], [1, 0], [0, 1]]
VALUES = [[10, 20], [30, 40], [50, 60]]
SALTS = [[i] * 8 for i in range(3)]


def _compact(n: int) -> bytes:
    assert n < 64  # single-byte mode is all these tests need
    return bytes([n << 2])


def _u16s(xs: list[int]) -> bytes:
    return _compact(len(xs)) + b"".join(x.to_bytes(2, "little") for x in xs)


def test_commit_hash_preimage_is_the_scale_tuple() -> None:
    """blake2-256 over (AccountId32, u16 index, Vec<u16> ×3, u64), encoded by hand."""
    uids, values, salt = [0, 1, 2], [5, 6, 7], [9, 8]
    for index in (3, storage_index(3, 2)):
        preimage = HK_A + index.to_bytes(2, "little") + _u16s(uids) + _u16s(values) + _u16s(salt) \
            + (42).to_bytes(8, "little")
        expected = hashlib.blake2b(preimage, digest_size=32).digest()
        assert commit_hash(HK_A, index, uids, values, salt, 42) == expected


def cr_env() -> tuple[Env, int]:
    """Commit-reveal on, no rate limit, RevealPeriodEpochs = 1, uid 1 holding a validator permit."""
    env, n = weights_env(commit_reveal=True)
    st.WeightsSetRateLimit.put(env.ext, n, 0)
    st.ValidatorPermit.put(env.ext, n, [True, True])
    return env, n


def commit_three(env: Env, n: int) -> list[bytes]:
    hashes = [commit_hash(HK_A, n, UIDS[i], VALUES[i], SALTS[i], 0) for i in range(3)]
    for h in hashes:
        env.call(HK_A, "commit_weights", netuid=n, commit_hash=h)
    return hashes


def next_epoch(env: Env, n: int, by: int = 1) -> None:
    st.SubnetEpochIndex.put(env.ext, n, st.SubnetEpochIndex.get(env.ext, n) + by)
    env.clear_events()


def reveal(env: Env, n: int, i: int, **extra: object) -> dict:
    return dict(netuid=n, uids=UIDS[i], values=VALUES[i], salt=SALTS[i], version_key=0, **extra)


# -- commit-reveal v2: single -----------------------------------------------------------------------------------


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
    assert env.error(HK_A, "reveal_weights", netuid=n, uids=uids, values=values, salt=salt, version_key=0) \
        == err("RevealTooEarly")
    assert env.error(HK_A, "reveal_weights", netuid=n, uids=uids, values=values, salt=[1], version_key=0) \
        == err("InvalidRevealCommitHashNotMatch")
    next_epoch(env, n)  # the reveal epoch (RevealPeriodEpochs = 1)
    env.set_block(block + 1)
    env.call(HK_A, "reveal_weights", netuid=n, uids=uids, values=values, salt=salt, version_key=0)
    assert st.Weights.get(ext, index, 0) == [(0, 32768), (1, 65535)]
    assert not st.WeightCommits.exists(ext, index, HK_A)
    assert st.LastUpdate.get(ext, index)[0] == block  # the reveal does not restamp: the commit did
    assert sub_events(env) == ev(WeightsSet(index, 0), WeightsRevealed(HK_A, index, h))


def test_reveal_drops_older_commits_and_keeps_newer_ones() -> None:
    env, n = cr_env()
    hashes = commit_three(env, n)
    next_epoch(env, n)
    env.call(HK_A, "reveal_weights", **reveal(env, n, 1))
    assert [c[0] for c in st.WeightCommits.get(env.ext, n, HK_A)] == [hashes[2]]
    # the first commit went with it: revealing it now finds no match
    assert env.error(HK_A, "reveal_weights", **reveal(env, n, 0)) == err("InvalidRevealCommitHashNotMatch")


def test_commit_expires_and_commit_errors() -> None:
    env, n = weights_env(commit_reveal=True)
    ext = env.ext
    h = commit_hash(HK_A, n, [0, 1], [1, 1], [5], 0)
    env.call(HK_A, "commit_weights", netuid=n, commit_hash=h)
    assert env.error(HK_A, "commit_weights", netuid=n, commit_hash=b"\x02" * 32) == err("CommittingWeightsTooFast")
    assert env.error(HK_C, "commit_weights", netuid=n, commit_hash=h) == err("HotKeyNotRegisteredInSubNet")
    assert env.error(HK_A, "commit_weights", netuid=77, commit_hash=h) == err("MechanismDoesNotExist")
    next_epoch(env, n, 2)  # past the reveal epoch
    assert env.error(HK_A, "reveal_weights", netuid=n, uids=[0, 1], values=[1, 1], salt=[5], version_key=0) \
        == err("ExpiredWeightCommit")
    # everything expired and the hash is not among the expired ones
    assert env.error(HK_A, "reveal_weights", netuid=n, uids=[0, 1], values=[1, 1], salt=[6], version_key=0) \
        == err("NoWeightsCommitFound")
    assert env.error(HK_A, "reveal_weights", netuid=77, uids=[0, 1], values=[1, 1], salt=[5], version_key=0) \
        == err("SubnetNotExists")
    st.CommitRevealWeightsEnabled.put(ext, n, False)
    assert env.error(HK_A, "commit_weights", netuid=n, commit_hash=h) == err("CommitRevealDisabled")
    assert env.error(HK_A, "reveal_weights", netuid=n, uids=[0, 1], values=[1, 1], salt=[5], version_key=0) \
        == err("CommitRevealDisabled")


def test_expired_commits_are_purged_when_committing() -> None:
    env, n = cr_env()
    for i in range(10):
        env.call(HK_A, "commit_weights", netuid=n, commit_hash=bytes([i]) * 32)
    assert env.error(HK_A, "commit_weights", netuid=n, commit_hash=b"\xff" * 32) == err("TooManyUnrevealedCommits")
    next_epoch(env, n, 2)  # all ten expire
    env.call(HK_A, "commit_weights", netuid=n, commit_hash=b"\xff" * 32)
    assert [c[0] for c in st.WeightCommits.get(env.ext, n, HK_A)] == [b"\xff" * 32]


def test_commit_on_an_epoch_block_belongs_to_the_next_epoch() -> None:
    env, n = cr_env()
    tempo = st.Tempo.get(env.ext, n)
    st.LastEpochBlock.put(env.ext, n, env.ctx.block_number - tempo)  # an epoch is due at this block
    env.call(HK_A, "commit_weights", netuid=n, commit_hash=b"\x01" * 32)
    assert st.WeightCommits.get(env.ext, n, HK_A)[0][1] == st.SubnetEpochIndex.get(env.ext, n) + 1


# -- mechanisms -------------------------------------------------------------------------------------------------


def test_commit_and_reveal_mechanism_weights_use_the_storage_index() -> None:
    env, n = cr_env()
    ext, index = env.ext, storage_index(n, 1)
    h = commit_hash(HK_A, index, [0, 1], [3, 1], [4], 0)
    assert env.error(HK_A, "commit_mechanism_weights", netuid=n, mecid=1, commit_hash=h) \
        == err("MechanismDoesNotExist")
    st.MechanismCountCurrent.put(ext, n, 2)
    st.LastUpdate.put(ext, index, [0, 0])
    env.call(HK_A, "commit_mechanism_weights", netuid=n, mecid=1, commit_hash=h)
    assert st.WeightCommits.exists(ext, index, HK_A) and not st.WeightCommits.exists(ext, n, HK_A)
    assert sub_events(env) == ev(WeightsCommitted(HK_A, index, h))
    next_epoch(env, n)
    # the main mechanism's hash (netuid index) does not match a mechanism-1 commit
    assert env.error(HK_A, "reveal_mechanism_weights", netuid=n, mecid=0, uids=[0, 1], values=[3, 1], salt=[4],
                     version_key=0) == err("NoWeightsCommitFound")
    env.call(HK_A, "reveal_mechanism_weights", netuid=n, mecid=1, uids=[0, 1], values=[3, 1], salt=[4],
             version_key=0)
    assert st.Weights.get(ext, index, 0) == [(0, 65535), (1, 21845)]
    assert sub_events(env) == ev(WeightsSet(index, 0), WeightsRevealed(HK_A, index, h))


# -- batches ----------------------------------------------------------------------------------------------------


def test_batch_reveal_reveals_all_and_removes_the_queue() -> None:
    env, n = cr_env()
    hashes = commit_three(env, n)
    next_epoch(env, n)
    env.call(HK_A, "batch_reveal_weights", netuid=n, uids_list=UIDS, values_list=VALUES, salts_list=SALTS,
             version_keys=[0, 0, 0])
    assert not st.WeightCommits.exists(env.ext, n, HK_A)
    assert st.Weights.get(env.ext, n, 0) == [(0, 54613), (1, 65535)]  # the last reveal wins: 50/60
    assert sub_events(env) == ev(*[WeightsSet(n, 0)] * 3, WeightsBatchRevealed(HK_A, n, hashes))


def test_batch_reveal_out_of_order_keeps_the_rest() -> None:
    env, n = cr_env()
    hashes = commit_three(env, n)
    next_epoch(env, n)
    env.call(HK_A, "batch_reveal_weights", netuid=n, uids_list=[UIDS[2], UIDS[0]], values_list=[VALUES[2], VALUES[0]],
             salts_list=[SALTS[2], SALTS[0]], version_keys=[0, 0])
    # unlike reveal_weights, only the revealed commits leave the queue
    assert [c[0] for c in st.WeightCommits.get(env.ext, n, HK_A)] == [hashes[1]]
    env.call(HK_A, "batch_reveal_weights", netuid=n, uids_list=[UIDS[1]], values_list=[VALUES[1]],
             salts_list=[SALTS[1]], version_keys=[0])
    assert not st.WeightCommits.exists(env.ext, n, HK_A)


def test_batch_reveal_errors() -> None:
    env, n = cr_env()

    def error(netuid: int = n, uids: list = UIDS, values: list = VALUES, salts: list = SALTS,
              keys: list = [0, 0, 0]) -> object:
        return env.error(HK_A, "batch_reveal_weights", netuid=netuid, uids_list=uids, values_list=values,
                         salts_list=salts, version_keys=keys)

    assert error(netuid=77) == err("SubnetNotExists")
    assert error(keys=[0, 0]) == err("InputLengthsUnequal")
    assert error() == err("NoWeightsCommitFound")
    commit_three(env, n)
    assert error() == err("RevealTooEarly")
    next_epoch(env, n)
    # one wrong salt fails the whole batch before anything is applied (env.error checks the rollback)
    assert error(salts=[SALTS[0], [7], SALTS[2]]) == err("InvalidRevealCommitHashNotMatch")
    # the same preimage twice: validation passes, the second application finds it consumed
    assert error(uids=[UIDS[0]] * 2, values=[VALUES[0]] * 2, salts=[SALTS[0]] * 2, keys=[0, 0]) \
        == err("InvalidRevealCommitHashNotMatch")
    next_epoch(env, n)
    assert error() == err("ExpiredWeightCommit")
    st.CommitRevealWeightsEnabled.put(env.ext, n, False)
    assert error() == err("CommitRevealDisabled")


def test_batch_reveal_needs_every_commit_in_its_reveal_epoch() -> None:
    env, n = cr_env()
    commit_three(env, n)
    next_epoch(env, n)
    env.set_block(env.ctx.block_number + 1)
    late = commit_hash(HK_A, n, [0, 1], [1, 1], [3], 0)
    env.call(HK_A, "commit_weights", netuid=n, commit_hash=late)
    assert env.error(HK_A, "batch_reveal_weights", netuid=n, uids_list=[UIDS[0], [0, 1]],
                     values_list=[VALUES[0], [1, 1]], salts_list=[SALTS[0], [3]], version_keys=[0, 0]) \
        == err("RevealTooEarly")


def test_batch_commit_continues_on_errors_and_names_each_failure() -> None:
    env, n = cr_env()
    h = b"\xaa" * 32
    env.call(HK_A, "batch_commit_weights", netuids=[77, n, 78], commit_hashes=[h, h, h])
    assert [c[0] for c in st.WeightCommits.get(env.ext, n, HK_A)] == [h]
    failure = err("MechanismDoesNotExist")
    assert sub_events(env) == ev(
        WeightsCommitted(HK_A, n, h), BatchCompletedWithErrors(), BatchWeightItemFailed(77, failure),
        BatchWeightItemFailed(78, failure), BatchWeightsCompleted([77, n, 78], HK_A))
    env.clear_events()
    st.CommitRevealWeightsEnabled.put(env.ext, n, False)
    env.call(HK_A, "batch_commit_weights", netuids=[n], commit_hashes=[h])
    assert sub_events(env) == ev(BatchCompletedWithErrors(), BatchWeightItemFailed(n, err("CommitRevealDisabled")),
                                 BatchWeightsCompleted([n], HK_A))
    assert env.error(HK_A, "batch_commit_weights", netuids=[n], commit_hashes=[]) == err("InputLengthsUnequal")


# -- timelocked commits -----------------------------------------------------------------------------------------


def timelocked(env: Env, n: int, commit: bytes = b"\x01\x02\x03", version: int = 4, **extra: object) -> dict:
    return dict(netuid=n, commit=commit, reveal_round=1000, commit_reveal_version=version, **extra)


def test_commit_timelocked_weights_stores_the_ciphertext_by_epoch() -> None:
    env, n = cr_env()
    ext, block = env.ext, env.ctx.block_number
    epoch = st.SubnetEpochIndex.get(ext, n)
    env.call(HK_A, "commit_timelocked_weights", **timelocked(env, n))
    assert st.TimelockedWeightCommits.get(ext, n, epoch) == [(HK_A, block, b"\x01\x02\x03", 1000)]
    assert st.LastUpdate.get(ext, n)[0] == block
    digest = hashlib.blake2b(b"\x01\x02\x03", digest_size=32).digest()  # raw bytes, no length prefix
    assert sub_events(env) == ev(TimelockedWeightsCommitted(HK_A, n, digest, 1000))


def test_commit_timelocked_weights_errors() -> None:
    env, n = cr_env()
    ext = env.ext
    assert env.error(HK_A, "commit_timelocked_weights", **timelocked(env, 77)) == err("MechanismDoesNotExist")
    assert env.error(HK_A, "commit_timelocked_weights", **timelocked(env, n, version=3)) \
        == err("IncorrectCommitRevealVersion")
    assert env.error(HK_C, "commit_timelocked_weights", **timelocked(env, n)) == err("HotKeyNotRegisteredInSubNet")
    st.WeightsSetRateLimit.put(ext, n, 5)
    env.call(HK_A, "commit_timelocked_weights", **timelocked(env, n))
    assert env.error(HK_A, "commit_timelocked_weights", **timelocked(env, n)) == err("CommittingWeightsTooFast")
    st.CommitRevealWeightsEnabled.put(ext, n, False)
    assert env.error(HK_A, "commit_timelocked_weights", **timelocked(env, n)) == err("CommitRevealDisabled")


def test_timelocked_commit_cap_is_per_epoch_bucket() -> None:
    env, n = cr_env()
    for i in range(10):
        env.call(HK_A, "commit_timelocked_weights", **timelocked(env, n, commit=bytes([i])))
    assert env.error(HK_A, "commit_timelocked_weights", **timelocked(env, n)) == err("TooManyUnrevealedCommits")
    next_epoch(env, n)  # a fresh bucket
    env.call(HK_A, "commit_timelocked_weights", **timelocked(env, n))


def test_timelocked_mechanism_commits_and_the_legacy_crv3_call() -> None:
    env, n = cr_env()
    ext, index = env.ext, storage_index(n, 1)
    epoch = st.SubnetEpochIndex.get(ext, n)
    assert env.error(HK_A, "commit_timelocked_mechanism_weights", **timelocked(env, n, mecid=1)) \
        == err("MechanismDoesNotExist")
    st.MechanismCountCurrent.put(ext, n, 2)
    st.LastUpdate.put(ext, index, [0, 0])
    env.call(HK_A, "commit_timelocked_mechanism_weights", **timelocked(env, n, mecid=1))
    env.call(HK_A, "commit_crv3_mechanism_weights", netuid=n, mecid=1, commit=b"\x09", reveal_round=7)
    assert [(c[2], c[3]) for c in st.TimelockedWeightCommits.get(ext, index, epoch)] \
        == [(b"\x01\x02\x03", 1000), (b"\x09", 7)]
    assert st.TimelockedWeightCommits.get(ext, n, epoch) == []
    # the legacy call always commits as version 4
    st.CommitRevealWeightsVersion.put(ext, 5)
    assert env.error(HK_A, "commit_crv3_mechanism_weights", netuid=n, mecid=1, commit=b"\x09", reveal_round=7) \
        == err("IncorrectCommitRevealVersion")
    env.call(HK_A, "commit_timelocked_mechanism_weights", **timelocked(env, n, version=5, mecid=1))


def test_ciphertext_bound_is_enforced_when_decoding() -> None:
    at_bound = CRV3_COMMIT.encode(b"\x00" * 5000)
    assert CRV3_COMMIT.decode(at_bound) == b"\x00" * 5000
    with pytest.raises(DecodeError):
        CRV3_COMMIT.decode(CRV3_COMMIT.encode(b"\x00" * 5001))
