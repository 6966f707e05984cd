"""SubtensorModule ``on_initialize``: the registration price decay, the HEAD epoch schedule (tempo,
``PendingEpochAt``, the per-block cap and deferral, skipped epochs), pending children on epoch blocks, and
the epoch's storage round trip — the written outputs equal ``epoch(inputs)`` from the same storage."""

from __future__ import annotations

from runtime.pallets.subtensor import block_step, registration
from runtime.pallets.subtensor import pallet as subtensor_pallet
from runtime.pallets.subtensor import run_epoch
from runtime.pallets.subtensor import storage as st
from runtime.pallets.subtensor.types import storage_index
from runtime.yuma import epoch
from tests.runtime.test_subtensor_subnets import ALICE, HK_A, Env

TAO = 10**9
VALIDATORS = [bytes([0x60 + i]) * 32 for i in range(3)]
MINERS = [bytes([0x70 + i]) * 32 for i in range(3)]


def deferred(netuid: int, block: int) -> tuple:
    return ("EpochDeferred", {"netuid": netuid, "from_block": block, "to_block": block + 1})


def step(env: Env, block: int) -> list:
    """Run ``on_initialize`` at ``block``; the SubtensorModule events it deposited."""
    env.set_block(block)
    weight = block_step.on_initialize(env.ctx, block)
    assert weight == block_step.BLOCK_STEP_WEIGHT
    return [e[1] for e in env.events() if e[0] == "SubtensorModule"]


def subnet(env: Env, tempo: int = 5, last_epoch: int = 10) -> int:
    """A subnet owned by Alice (owner hotkey HK_A at uid 0), 3 staked validators and 3 miners registered at
    block 10, commit-reveal off, weights written straight into storage."""
    netuid = env.register_network(ALICE, HK_A)
    ext = env.ext
    st.Tempo.put(ext, netuid, tempo)
    st.LastEpochBlock.put(ext, netuid, last_epoch)
    st.CommitRevealWeightsEnabled.put(ext, netuid, False)
    st.MaxAllowedValidators.put(ext, netuid, 3)
    for i, hotkey in enumerate(VALIDATORS):
        registration.append_neuron(ext, netuid, hotkey, 10)
        st.TotalHotkeyAlpha.put(ext, hotkey, netuid, (i + 1) * 100 * TAO)
    for hotkey in MINERS:
        registration.append_neuron(ext, netuid, hotkey, 10)
    set_weights(env, netuid, block=11)
    return netuid


def set_weights(env: Env, netuid: int, block: int) -> None:
    """Validators (uids 1..3) weight the miners (uids 4..6), differently; LastUpdate = ``block``."""
    rows = {1: [(4, 65535), (5, 32768), (6, 0)], 2: [(4, 65535), (5, 65535)], 3: [(5, 65535), (6, 20000)]}
    index = storage_index(netuid)
    for uid, row in rows.items():
        st.Weights.put(env.ext, index, uid, row)
        registration.set_last_update_for_uid(env.ext, index, uid, block)


def epoch_blocks(env: Env, netuid: int, blocks: range) -> list[int]:
    fired = []
    for block in blocks:
        before = st.SubnetEpochIndex.get(env.ext, netuid)
        step(env, block)
        if st.SubnetEpochIndex.get(env.ext, netuid) != before:
            fired.append(block)
            assert st.LastEpochBlock.get(env.ext, netuid) == block
            assert st.LastMechansimStepBlock.get(env.ext, netuid) == block
            assert st.BlocksSinceLastStep.get(env.ext, netuid) == 0
    return fired


def test_pallet_declares_the_hook() -> None:
    assert subtensor_pallet.PALLET.on_initialize is block_step.on_initialize


def test_epoch_fires_every_tempo_blocks_from_last_epoch_block() -> None:
    env = Env(block=10)
    netuid = subnet(env, tempo=5, last_epoch=10)
    assert epoch_blocks(env, netuid, range(11, 31)) == [15, 20, 25, 30]
    assert st.SubnetEpochIndex.get(env.ext, netuid) == 4
    step(env, 33)
    assert st.BlocksSinceLastStep.get(env.ext, netuid) == 1
    # An owner trigger (PendingEpochAt) fires early and re-anchors the period.
    st.PendingEpochAt.put(env.ext, netuid, 34)
    assert epoch_blocks(env, netuid, range(34, 41)) == [34, 39]
    assert st.PendingEpochAt.get(env.ext, netuid) == 0
    # Tempo 0 never fires.
    st.Tempo.put(env.ext, netuid, 0)
    assert epoch_blocks(env, netuid, range(41, 60)) == []
    assert st.BlocksSinceLastStep.get(env.ext, netuid) == 59 - 39  # counted since the epoch at 39


def test_epoch_outputs_equal_the_pure_epoch_on_the_same_storage() -> None:
    env = Env(block=10)
    netuid = subnet(env, tempo=5, last_epoch=10)
    ext = env.ext
    index = storage_index(netuid)
    for block in range(11, 15):
        step(env, block)
    for epoch_block in (15, 20):
        inputs = run_epoch.epoch_inputs(ext, netuid, 0, 0, epoch_block)
        expected = epoch(inputs)
        step(env, epoch_block)
        n = st.SubnetworkN.get(ext, netuid)
        assert n == 7 and inputs.n == 7
        assert st.Active.get(ext, netuid) == list(expected.active)
        assert st.Emission.get(ext, netuid) == list(expected.emission) == [0] * n  # no start_call: no emission
        assert st.Consensus.get(ext, netuid) == list(expected.consensus)
        assert st.Dividends.get(ext, netuid) == list(expected.dividends)
        assert st.ValidatorTrust.get(ext, netuid) == list(expected.validator_trust)
        assert st.ValidatorPermit.get(ext, netuid) == list(expected.validator_permit)
        assert st.StakeWeight.get(ext, netuid) == list(expected.stake_weight)
        assert st.Incentive.get(ext, index) == list(expected.incentive)
        for uid in range(n):
            assert st.Bonds.get(ext, index, uid) == list(expected.bonds[uid]), uid
        for block in range(epoch_block + 1, epoch_block + 5):
            step(env, block)
    # The state is non-trivial: the three validators hold permits (top-3 stake), the owner keeps one too,
    # miners earn incentive and validators dividends and bonds from the second epoch on.
    assert st.ValidatorPermit.get(ext, netuid) == [True, True, True, True, False, False, False]
    incentive = st.Incentive.get(ext, index)
    assert incentive[0:4] == [0, 0, 0, 0] and all(incentive[4:6]) and sum(incentive) >= 65533
    dividends = st.Dividends.get(ext, netuid)
    assert all(dividends[1:4]) and dividends[4:] == [0, 0, 0]
    assert all(st.Bonds.get(ext, index, uid) for uid in (1, 2, 3))
    assert st.StakeWeight.get(ext, netuid)[1:4] == [10922, 21844, 32767]  # floors of 1/6, 2/6, 3/6
    assert st.LastUpdate.get(ext, index) == [10, 11, 11, 11, 10, 10, 10]  # the epoch does not touch it


def test_run_epoch_splits_a_nonzero_emission_and_returns_it_per_hotkey() -> None:
    env = Env(block=10)
    netuid = subnet(env, tempo=5, last_epoch=10)
    env.set_block(14)
    expected = epoch(run_epoch.epoch_inputs(env.ext, netuid, 0, 10**9, 14))
    result = run_epoch.run_epoch(env.ctx, netuid, 10**9)
    assert st.Emission.get(env.ext, netuid) == list(expected.emission)
    by_uid = {st.Uids.get(env.ext, netuid, hk): (server, validator) for hk, server, validator in result}
    assert by_uid == {uid: (expected.server_emission[uid], expected.validator_emission[uid]) for uid in range(7)}
    assert 10**9 - 10 <= sum(s + v for s, v in by_uid.values()) <= 10**9


def test_per_block_cap_defers_the_rest_one_block() -> None:
    env = Env(block=10)
    ext = env.ext
    netuid = subnet(env, tempo=5, last_epoch=10)
    others = [netuid + 1, netuid + 2]
    for other in others:  # bare subnets: no neurons, same schedule
        st.NetworksAdded.put(ext, other, True)
        st.Tempo.put(ext, other, 5)
        st.LastEpochBlock.put(ext, other, 10)
    st.MaxEpochsPerBlock.put(ext, 1)
    for block in range(11, 15):
        assert step(env, block) == []
    assert step(env, 15) == [deferred(others[0], 15), deferred(others[1], 15)]
    assert [st.LastEpochBlock.get(ext, x) for x in [netuid, *others]] == [15, 10, 10]
    assert [st.PendingEpochAt.get(ext, x) for x in [netuid, *others]] == [0, 16, 16]
    assert [st.BlocksSinceLastStep.get(ext, x) for x in [netuid, *others]] == [0, 5, 5]
    assert step(env, 16) == [deferred(others[1], 16)]
    assert [st.LastEpochBlock.get(ext, x) for x in [netuid, *others]] == [15, 16, 10]
    assert step(env, 17) == []
    assert [st.LastEpochBlock.get(ext, x) for x in [netuid, *others]] == [15, 16, 17]
    assert [st.SubnetEpochIndex.get(ext, x) for x in [netuid, *others]] == [1, 1, 1]
    assert [st.PendingEpochAt.get(ext, x) for x in [netuid, *others]] == [0, 0, 0]
    # The period stays anchored at each subnet's own LastEpochBlock.
    st.MaxEpochsPerBlock.put(ext, 32)
    assert epoch_blocks(env, others[1], range(18, 23)) == [22]


def test_inconsistent_keys_skip_the_epoch_but_consume_the_slot() -> None:
    env = Env(block=10)
    netuid = subnet(env, tempo=5, last_epoch=10)
    st.Keys.put(env.ext, netuid, 6, MINERS[0])  # uid 6 now duplicates uid 4's hotkey
    for block in range(11, 15):
        step(env, block)
    before = st.Dividends.get(env.ext, netuid)
    assert step(env, 15) == [("EpochSkipped", {"netuid": netuid, "block": 15})]
    assert st.LastEpochBlock.get(env.ext, netuid) == 15
    assert st.SubnetEpochIndex.get(env.ext, netuid) == 1
    assert st.BlocksSinceLastStep.get(env.ext, netuid) == 5  # not reset: no successful step
    assert st.LastMechansimStepBlock.get(env.ext, netuid) == 0
    assert st.Dividends.get(env.ext, netuid) == before


def test_registration_price_decays_every_block() -> None:
    env = Env(block=10)
    netuid = subnet(env, tempo=5, last_epoch=10)
    st.Burn.put(env.ext, netuid, 50 * TAO)
    st.RegistrationsThisBlock.put(env.ext, netuid, 3)
    factor = registration.decay_factor_q32(st.BurnHalfLife.get(env.ext, netuid))
    burn = 50 * TAO
    for block in range(11, 20):
        step(env, block)
        burn = registration.mul_by_q32(burn, factor)
        assert st.Burn.get(env.ext, netuid) == burn
        assert st.RegistrationsThisBlock.get(env.ext, netuid) == 0
    assert burn < 50 * TAO


def test_pending_children_are_applied_only_on_epoch_blocks() -> None:
    env = Env(block=10)
    netuid = subnet(env, tempo=5, last_epoch=10)
    st.PendingChildKeys.put(env.ext, netuid, VALIDATORS[2], ([(2**63, VALIDATORS[0])], 11))
    for block in range(11, 15):
        step(env, block)
        assert st.PendingChildKeys.exists(env.ext, netuid, VALIDATORS[2])
    step(env, 15)
    assert not st.PendingChildKeys.exists(env.ext, netuid, VALIDATORS[2])


def test_commit_reveal_mask_inputs_come_from_unexpired_commits() -> None:
    env = Env(block=10)
    netuid = subnet(env, tempo=5, last_epoch=10)
    ext = env.ext
    index = storage_index(netuid)
    st.CommitRevealWeightsEnabled.put(ext, netuid, True)
    # uid 2 has a v4 commit made at block 9 (before the miners registered at 10), for epoch 0.
    st.TimelockedWeightCommits.put(ext, index, 0, [(VALIDATORS[1], 9, b"", 0)])
    st.SubnetEpochIndex.put(ext, netuid, 0)
    inputs = run_epoch.epoch_inputs(ext, netuid, 0, 0, 15)
    assert inputs.commit_reveal_enabled and inputs.commit_blocks == (2**64 - 1, 2**64 - 1, 9) + (2**64 - 1,) * 4
    st.SubnetEpochIndex.put(ext, netuid, 1)  # with the look-ahead the current epoch is 2 > 0 + 1: expired
    assert run_epoch.epoch_inputs(ext, netuid, 0, 0, 15).commit_blocks == (2**64 - 1,) * 7
    st.SubnetEpochIndex.put(ext, netuid, 0)
    for block in range(11, 15):
        step(env, block)
    expected = epoch(run_epoch.epoch_inputs(ext, netuid, 0, 0, 15))
    step(env, 15)
    assert st.Incentive.get(ext, index) == list(expected.incentive)
    assert st.Dividends.get(ext, netuid) == list(expected.dividends)
