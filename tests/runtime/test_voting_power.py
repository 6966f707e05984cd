"""Voting-power tracking (calls 129–131 and the per-epoch EMA): origins, errors and events of the calls, the
EMA written for permitted validators after ``run_epoch``, removals (miners, deregistered hotkeys, decay
below ``StakeThreshold``), the scheduled disable, the hotkey swap, and ``TotalVotingPower`` equal to the
sum of the subnet's entries throughout."""

from __future__ import annotations

from runtime.pallets import subtensor
from runtime.pallets.subtensor import run_epoch, voting_power
from runtime.pallets.subtensor import storage as st
from runtime.pallets.subtensor.events import (
    VotingPowerEmaAlphaSet, VotingPowerTrackingDisabled, VotingPowerTrackingDisableScheduled,
    VotingPowerTrackingEnabled,
)
from runtime.support.dispatch import Origin
from runtime.yuma import epoch
from tests.runtime.test_subtensor_block_step import MINERS, VALIDATORS, subnet
from tests.runtime.test_subtensor_staking import err, sub_events
from tests.runtime.test_subtensor_subnets import ALICE, BOB, Env

ROOT = Origin.root()
E18 = 10**18


def powers(env: Env, netuid: int) -> dict[bytes, int]:
    entries = {hotkey: value for (_, hotkey), value in st.VotingPower.iter(env.ext, netuid)}
    assert st.TotalVotingPower.get(env.ext, netuid) == sum(entries.values())  # kept in step
    return entries


def epoch_env() -> tuple[Env, int]:
    env = Env(block=10)
    netuid = subnet(env, tempo=5, last_epoch=10)  # Alice's subnet: 3 staked validators, 3 miners
    env.clear_events()
    return env, netuid


def test_declarations() -> None:
    by_name = subtensor.PALLET.calls.by_name  # type: ignore[union-attr]
    for name, index, args in (("enable_voting_power_tracking", 129, ["netuid"]),
                              ("disable_voting_power_tracking", 130, ["netuid"]),
                              ("sudo_set_voting_power_ema_alpha", 131, ["netuid", "alpha"])):
        call = by_name[name]
        assert (call.index, [a.name for a in call.args]) == (index, args)


def test_calls_check_origin_subnet_and_state() -> None:
    env, n = epoch_env()
    assert env.error(BOB, "enable_voting_power_tracking", netuid=n) == "BadOrigin"
    assert env.error(ROOT, "enable_voting_power_tracking", netuid=n + 7) == err("SubnetNotExists")
    assert env.error(ALICE, "disable_voting_power_tracking", netuid=n) == err("VotingPowerTrackingNotEnabled")
    env.call(ALICE, "enable_voting_power_tracking", netuid=n)
    assert st.VotingPowerTrackingEnabled.get(env.ext, n) is True
    assert sub_events(env) == [VotingPowerTrackingEnabled(n)[1]]
    env.set_block(20)
    env.clear_events()
    env.call(ROOT, "disable_voting_power_tracking", netuid=n)
    assert st.VotingPowerDisableAtBlock.get(env.ext, n) == 20 + 100_800
    env.call(ALICE, "enable_voting_power_tracking", netuid=n)  # re-enabling cancels the scheduled end
    assert not st.VotingPowerDisableAtBlock.exists(env.ext, n)
    assert sub_events(env) == [VotingPowerTrackingDisableScheduled(n, 100_820)[1], VotingPowerTrackingEnabled(n)[1]]
    env.clear_events()
    assert st.VotingPowerEmaAlpha.get(env.ext, n) == 3_570_000_000_000_000  # the default, 0.00357
    assert env.error(ALICE, "sudo_set_voting_power_ema_alpha", netuid=n, alpha=E18) == "BadOrigin"
    assert env.error(ROOT, "sudo_set_voting_power_ema_alpha", netuid=n, alpha=E18 + 1) == err(
        "InvalidVotingPowerEmaAlpha")
    assert env.error(ROOT, "sudo_set_voting_power_ema_alpha", netuid=n + 7, alpha=1) == err("SubnetNotExists")
    env.call(ROOT, "sudo_set_voting_power_ema_alpha", netuid=n, alpha=E18)
    assert st.VotingPowerEmaAlpha.get(env.ext, n) == E18
    assert sub_events(env) == [VotingPowerEmaAlphaSet(n, E18)[1]]


def test_ema_arithmetic() -> None:
    assert voting_power.voting_power_ema(1000, 0, E18 // 2) == 500
    assert voting_power.voting_power_ema(1000, 3, 0) == 3
    assert voting_power.voting_power_ema(7, 1000, E18) == 7
    assert voting_power.voting_power_ema(2**64 - 1, 2**64 - 1, E18 // 3) == 2**64 - 1  # u128 inside, u64 out
    assert voting_power.voting_power_ema(5, 4, E18 // 3) == 4  # (5e18/3 + 4*2e18/3) / 1e18 = 4.33, floored
    # (alpha*s + (1-alpha)*p) / 1e18 with alpha = 0.00357
    assert voting_power.voting_power_ema(10**12, 10**11, 3_570_000_000_000_000) == (
        3_570_000_000_000_000 * 10**12 + (E18 - 3_570_000_000_000_000) * 10**11) // E18


def test_epochs_update_validators_only_and_keep_the_total() -> None:
    env, n = epoch_env()
    env.set_block(14)
    run_epoch.run_epoch(env.ctx, n, 10**9)
    assert powers(env, n) == {}  # tracking off: nothing written
    env.call(ALICE, "enable_voting_power_tracking", netuid=n)
    env.call(ROOT, "sudo_set_voting_power_ema_alpha", netuid=n, alpha=E18 // 4)
    stray = MINERS[0]
    st.VotingPower.put(env.ext, n, stray, 5)  # a miner holding voting power loses it
    st.TotalVotingPower.put(env.ext, n, 5)
    stakes = {hotkey: 0 for hotkey in VALIDATORS}
    for rounds in range(1, 4):
        out = epoch(run_epoch.epoch_inputs(env.ext, n, 0, 10**9, env.ctx.block_number))
        run_epoch.run_epoch(env.ctx, n, 10**9)
        got = powers(env, n)
        for hotkey in VALIDATORS:
            uid = st.Uids.get(env.ext, n, hotkey)
            assert out.validator_permit[uid]
            stakes[hotkey] = voting_power.voting_power_ema(out.stake[uid], stakes[hotkey], E18 // 4)
            assert got[hotkey] == stakes[hotkey] > 0, rounds
            assert got[hotkey] < out.stake[uid]  # an EMA from 0 stays below the stake
        assert stray not in got and set(got) == set(VALIDATORS)  # miners hold none


def test_decay_below_the_threshold_removes_and_deregistered_hotkeys_go() -> None:
    env, n = epoch_env()
    env.call(ALICE, "enable_voting_power_tracking", netuid=n)
    env.call(ROOT, "sudo_set_voting_power_ema_alpha", netuid=n, alpha=E18 // 2)
    env.set_block(14)
    threshold = 100 * 10**9  # every validator's stake (100, 200, 300 TAO) meets it
    st.StakeThreshold.put(env.ext, threshold)
    owner = st.SubnetOwnerHotkey.get(env.ext, n)  # permitted without stake (the epoch's owner rule)
    voting_power._write(env.ext, n, owner, threshold)  # held voting power at the threshold ...
    gone = bytes([0xEE]) * 32  # ... and an entry of a hotkey not registered on the subnet
    voting_power._write(env.ext, n, gone, 9)
    run_epoch.run_epoch(env.ctx, n, 0)
    after = powers(env, n)
    # the owner's EMA halves to 50 TAO, below the threshold it was at: removed, not updated
    assert owner not in after and gone not in after
    # validators starting from 0 build up although their new values are below the threshold (no prior
    # value at or above it): half of each stake
    assert after == {hk: (i + 1) * 50 * 10**9 for i, hk in enumerate(VALIDATORS)}
    run_epoch.run_epoch(env.ctx, n, 0)
    assert powers(env, n) == {hk: (i + 1) * 75 * 10**9 for i, hk in enumerate(VALIDATORS)}


def test_scheduled_disable_clears_everything_at_the_first_epoch_after_the_grace_period() -> None:
    env, n = epoch_env()
    env.call(ALICE, "enable_voting_power_tracking", netuid=n)
    env.set_block(14)
    run_epoch.run_epoch(env.ctx, n, 0)
    assert powers(env, n)
    env.call(ALICE, "disable_voting_power_tracking", netuid=n)
    env.set_block(14 + 100_800 - 1)
    run_epoch.run_epoch(env.ctx, n, 0)  # still inside the grace period: updated
    assert powers(env, n) and st.VotingPowerTrackingEnabled.get(env.ext, n)
    env.set_block(14 + 100_800)
    env.clear_events()
    run_epoch.run_epoch(env.ctx, n, 0)
    assert powers(env, n) == {} and not st.TotalVotingPower.exists(env.ext, n)
    assert st.VotingPowerTrackingEnabled.get(env.ext, n) is False
    assert not st.VotingPowerDisableAtBlock.exists(env.ext, n)
    assert VotingPowerTrackingDisabled(n)[1] in sub_events(env)


def test_hotkey_swap_adds_to_the_new_hotkey() -> None:
    env, n = epoch_env()
    old, new = VALIDATORS[0], bytes([0xAB]) * 32
    st.VotingPower.put(env.ext, n, old, 40)
    st.VotingPower.put(env.ext, n, new, 2)
    st.TotalVotingPower.put(env.ext, n, 42)
    voting_power.swap_voting_power_for_hotkey(env.ext, old, new, n)
    assert powers(env, n) == {new: 42}
