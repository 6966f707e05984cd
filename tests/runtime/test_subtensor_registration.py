"""SubtensorModule neuron registration: burned_register / register / register_limit, root_register, uid
pruning, the burn price increase and decay, over the mock runtime of ``test_subtensor_subnets``."""

from __future__ import annotations

from runtime.pallets.subtensor import accounts, registration
from runtime.pallets.subtensor import storage as st
from runtime.support.dispatch import Origin
from tests.runtime.test_subtensor_subnets import (
    ALICE, BOB, CHARLIE, HK_A, HK_B, HK_C, MIN_LOCK, POOR, RICH, TAO, Env, error_index, module_error,
)

HOTKEYS = [bytes([0x40 + i]) * 32 for i in range(20)]


def subnet_env(block: int = 10) -> tuple[Env, int]:
    env = Env(block=block)
    netuid = env.register_network(ALICE, HK_A)
    env.clear_events()
    return env, netuid


def test_burned_register_happy_path() -> None:
    env, netuid = subnet_env()
    subnet_account = accounts.subnet_account_id(netuid)
    env.call(BOB, "burned_register", netuid=netuid, hotkey=HK_B)
    ext = env.ext
    # Paid the burn (1 TAO) into the subnet account and bought alpha with it at any price; that alpha is
    # destroyed. Fee floor(1e9 · 33/65535) = 503_547 stays on the subnet account; the pool gets
    # 999_496_453 TAO and gives floor(1e12 · 999_496_453 / (1e12 + 999_496_453)) = 998_498_457 alpha.
    assert env.free(BOB) == RICH - TAO
    assert env.free(subnet_account) == MIN_LOCK + TAO
    assert st.SubnetTAO.get(ext, netuid) == MIN_LOCK + TAO - 503_547
    assert st.SubnetAlphaIn.get(ext, netuid) == MIN_LOCK - 998_498_457
    assert st.SubnetAlphaOut.get(ext, netuid) == 0
    assert st.TotalStake.get(ext) == MIN_LOCK + TAO
    assert st.SubnetVolume.get(ext, netuid) == TAO
    assert st.RAORecycledForRegistration.get(ext, netuid) == TAO
    assert st.SubnetTaoFlow.get(ext, netuid) == TAO
    assert st.RegistrationsThisBlock.get(ext, netuid) == 1
    # Burn × 1.26 (U64F64 bits 23_242_897_532_874_035_200, truncated): 1_260_000_000.
    assert st.Burn.get(ext, netuid) == 1_260_000_000
    # uid 1 appended, every per-uid vector grown.
    assert st.SubnetworkN.get(ext, netuid) == 2
    assert st.Keys.get(ext, netuid, 1) == HK_B and st.Uids.get(ext, netuid, HK_B) == 1
    assert st.Owner.get(ext, HK_B) == BOB and st.OwnedHotkeys.get(ext, BOB) == [HK_B]
    assert st.StakingHotkeys.get(ext, BOB) == [HK_B]
    assert st.IsNetworkMember.get(ext, HK_B, netuid) is True
    assert st.BlockAtRegistration.get(ext, netuid, 1) == 10
    assert st.LastUpdate.get(ext, netuid) == [10, 10]
    assert st.Active.get(ext, netuid) == [True, True]
    for item in (st.Emission, st.Consensus, st.Dividends, st.ValidatorTrust, st.Incentive):
        assert item.get(ext, netuid) == [0, 0], item.name
    assert st.ValidatorPermit.get(ext, netuid) == [False, False]
    assert [e for e in env.events() if e[0] == "SubtensorModule"] == [
        ("SubtensorModule", ("RAORecycledForRegistrationSet", (netuid, TAO))),
        ("SubtensorModule", ("NeuronRegistered", (netuid, 1, HK_B))),
    ]
    assert ("Balances", ("Transfer", {"from": BOB, "to": subnet_account, "amount": TAO})) in env.events()


def test_register_is_the_burned_registration_and_price_rises_per_registration() -> None:
    env, netuid = subnet_env()
    env.call(BOB, "register", netuid=netuid, block_number=0, nonce=0, work=b"", hotkey=HK_B, coldkey=CHARLIE)
    assert st.Owner.get(env.ext, HK_B) == BOB  # the ignored coldkey argument does not own it
    assert st.Burn.get(env.ext, netuid) == 1_260_000_000
    env.call(BOB, "burned_register", netuid=netuid, hotkey=HK_C)
    assert env.free(BOB) == RICH - TAO - 1_260_000_000
    # 1_260_000_000 × 1.26 = 1_587_600_000 (exact after truncation).
    assert st.Burn.get(env.ext, netuid) == 1_587_600_000
    # Clamped to MaxBurn.
    st.MaxBurn.put(env.ext, netuid, 1_600_000_000)
    env.call(CHARLIE, "burned_register", netuid=netuid, hotkey=HOTKEYS[0])
    assert st.Burn.get(env.ext, netuid) == 1_600_000_000
    assert st.RegistrationsThisBlock.get(env.ext, netuid) == 3


def test_register_limit() -> None:
    env, netuid = subnet_env()
    assert env.error(BOB, "register_limit", netuid=netuid, hotkey=HK_B, limit_price=TAO - 1) == module_error(
        error_index("RegistrationPriceLimitExceeded"))
    assert env.error(BOB, "register_limit", netuid=0, hotkey=HK_B, limit_price=TAO) == module_error(
        error_index("RegistrationNotPermittedOnRootSubnet"))
    env.call(BOB, "register_limit", netuid=netuid, hotkey=HK_B, limit_price=TAO)
    assert st.Uids.get(env.ext, netuid, HK_B) == 1


def test_registration_errors() -> None:
    env, netuid = subnet_env()
    e = env.error
    assert e(BOB, "burned_register", netuid=0, hotkey=HK_B) == module_error(
        error_index("RegistrationNotPermittedOnRootSubnet"))
    assert e(BOB, "burned_register", netuid=77, hotkey=HK_B) == module_error(error_index("SubnetNotExists"))
    assert e(ALICE, "burned_register", netuid=netuid, hotkey=HK_A) == module_error(
        error_index("HotKeyAlreadyRegisteredInSubNet"))
    assert e(BOB, "burned_register", netuid=netuid, hotkey=HK_A) == module_error(
        error_index("HotKeyAlreadyRegisteredInSubNet"))
    st.Burn.put(env.ext, netuid, 11 * TAO)
    assert e(POOR, "burned_register", netuid=netuid, hotkey=HK_C) == module_error(
        error_index("NotEnoughBalanceToStake"))
    st.Burn.put(env.ext, netuid, TAO)
    env.call(BOB, "burned_register", netuid=1, hotkey=HK_B)  # Bob owns HK_B now
    assert e(CHARLIE, "burned_register", netuid=netuid, hotkey=HK_B) == module_error(
        error_index("NonAssociatedColdKey"))
    assert e(CHARLIE, "burned_register", netuid=netuid, hotkey=accounts.subnet_account_id(3)) == module_error(
        error_index("CannotUseSystemAccount"))
    st.NetworkRegistrationAllowed.put(env.ext, netuid, False)
    assert e(CHARLIE, "burned_register", netuid=netuid, hotkey=HK_C) == module_error(
        error_index("SubNetRegistrationDisabled"))
    st.NetworkRegistrationAllowed.put(env.ext, netuid, True)
    st.MaxAllowedUids.put(env.ext, netuid, 0)
    assert e(CHARLIE, "burned_register", netuid=netuid, hotkey=HK_C) == module_error(
        error_index("NoNeuronIdAvailable"))
    # Full, with only the owner's immortal uid 0: nothing to prune.
    st.MaxAllowedUids.put(env.ext, netuid, 1)
    assert e(CHARLIE, "burned_register", netuid=netuid, hotkey=HK_C) == module_error(
        error_index("NoNeuronIdAvailable"))
    assert e(Origin.root(), "burned_register", netuid=netuid, hotkey=HK_C) == "BadOrigin"


def test_full_subnet_replaces_the_lowest_emission_non_immune_neuron() -> None:
    env, netuid = subnet_env(block=10)
    ext = env.ext
    st.MaxAllowedUids.put(ext, netuid, 4)
    st.MinNonImmuneUids.put(ext, netuid, 1)
    st.ImmunityPeriod.put(ext, netuid, 100)
    for i, block in enumerate((11, 12, 13)):  # uids 1..3
        env.set_block(block)
        env.call(BOB, "burned_register", netuid=netuid, hotkey=HOTKEYS[i])
    st.Emission.put(ext, netuid, [0, 50, 20, 20])
    st.Weights.put(ext, netuid, 1, [(2, 7), (3, 9)])
    st.Weights.put(ext, netuid, 2, [(1, 5)])
    st.Bonds.put(ext, netuid, 2, [(1, 5)])
    # At block 112 uids 1, 2 are past immunity (registered at 11, 12), uid 3 is not; the owner's uid 0 is
    # immortal. Two non-immune > MinNonImmuneUids (1): the lower emission of uids 1 (50) and 2 (20) goes.
    env.set_block(112)
    assert registration.neuron_to_prune(ext, netuid, 112) == 2
    env.call(CHARLIE, "burned_register", netuid=netuid, hotkey=HK_C)
    assert st.SubnetworkN.get(ext, netuid) == 4
    assert st.Keys.get(ext, netuid, 2) == HK_C and st.Uids.get(ext, netuid, HK_C) == 2
    assert not st.Uids.exists(ext, netuid, HOTKEYS[1]) and not st.IsNetworkMember.get(ext, HOTKEYS[1], netuid)
    assert st.Owner.get(ext, HOTKEYS[1]) == BOB  # the replaced hotkey keeps its owner
    assert st.BlockAtRegistration.get(ext, netuid, 2) == 112
    assert st.Emission.get(ext, netuid) == [0, 50, 0, 20]
    assert not st.Weights.exists(ext, netuid, 2) and not st.Bonds.exists(ext, netuid, 2)
    assert st.Weights.get(ext, netuid, 1) == [(2, 0), (3, 9)]
    assert st.LastUpdate.get(ext, netuid) == [10, 11, 112, 13]
    assert env.events()[-1] == ("SubtensorModule", ("NeuronRegistered", (netuid, 2, HK_C)))
    # Now only uid 1 is non-immune: not more than MinNonImmuneUids, so the immune fall-back is used
    # (lowest emission among immune uids 2 and 3: both 0 / 20 → uid 2).
    assert registration.neuron_to_prune(ext, netuid, 112) == 2


def test_immune_owner_uids() -> None:
    env, netuid = subnet_env(block=10)
    ext = env.ext
    env.set_block(11)
    env.call(ALICE, "burned_register", netuid=netuid, hotkey=HOTKEYS[0])
    # Limit 1: the subnet owner hotkey first.
    assert registration.immune_owner_uids(ext, netuid, ALICE) == [(0, HK_A)]
    st.ImmuneOwnerUidsLimit.put(ext, netuid, 2)
    assert registration.immune_owner_uids(ext, netuid, ALICE) == [(0, HK_A), (1, HOTKEYS[0])]


def test_burn_decay_per_block() -> None:
    f = registration.decay_factor_q32(360)
    assert f == 4_286_705_684  # largest Q32 f with f^360 <= 0.5
    assert registration.pow_q32(f, 360) <= 1 << 31 < registration.pow_q32(f + 1, 360)
    assert registration.decay_factor_q32(0) == 1 << 32
    assert registration.decay_factor_q32(1) == 1 << 31
    env, netuid = subnet_env(block=10)
    st.RegistrationsThisBlock.put(env.ext, netuid, 3)
    registration.update_registration_prices_for_networks(env.ctx, root_epoch_runs=False)
    assert st.Burn.get(env.ext, netuid) == (TAO * f) >> 32 == 998_076_443
    assert st.RegistrationsThisBlock.get(env.ext, netuid) == 0
    st.Burn.put(env.ext, netuid, 500_001)
    registration.update_registration_prices_for_networks(env.ctx, root_epoch_runs=False)
    assert st.Burn.get(env.ext, netuid) == 500_000  # MinBurn


def test_root_register() -> None:
    env = Env(block=3)
    env.call(BOB, "root_register", hotkey=HK_B)
    ext = env.ext
    assert st.Keys.get(ext, 0, 0) == HK_B and st.SubnetworkN.get(ext, 0) == 1
    assert st.Delegates.get(ext, HK_B) == 11_796 and st.Delegates.exists(ext, HK_B)
    assert st.Owner.get(ext, HK_B) == BOB
    assert st.RegistrationsThisBlock.get(ext, 0) == 1 and st.RegistrationsThisInterval.get(ext, 0) == 1
    assert env.free(BOB) == RICH  # no burn
    assert env.events() == [("SubtensorModule", ("NeuronRegistered", (0, 0, HK_B)))]
    e = env.error
    # MaxRegistrationsPerBlock[0] = 1.
    assert e(CHARLIE, "root_register", hotkey=HK_C) == module_error(error_index("TooManyRegistrationsThisBlock"))
    st.RegistrationsThisBlock.put(ext, 0, 0)
    assert e(BOB, "root_register", hotkey=HK_B) == module_error(error_index("HotKeyAlreadyRegisteredInSubNet"))
    # TargetRegistrationsPerInterval[0] = 1 at genesis: at most 3 per interval.
    st.RegistrationsThisInterval.put(ext, 0, 3)
    assert e(CHARLIE, "root_register", hotkey=HK_C) == module_error(
        error_index("TooManyRegistrationsThisInterval"))
    st.RegistrationsThisInterval.put(ext, 0, 0)
    # Full root: the newcomer must out-stake the lowest member.
    st.MaxAllowedUids.put(ext, 0, 1)
    st.TotalHotkeyAlpha.put(ext, HK_B, 0, 5)
    st.TotalHotkeyAlpha.put(ext, HK_C, 0, 5)
    assert e(CHARLIE, "root_register", hotkey=HK_C) == module_error(error_index("StakeTooLowForRoot"))
    st.TotalHotkeyAlpha.put(ext, HK_C, 0, 6)
    env.clear_events()
    env.call(CHARLIE, "root_register", hotkey=HK_C)
    assert st.Keys.get(ext, 0, 0) == HK_C and not st.Uids.exists(ext, 0, HK_B)
    assert env.events() == [("SubtensorModule", ("NeuronRegistered", (0, 0, HK_C)))]
    st.NetworksAdded.kill(ext, 0)
    assert e(ALICE, "root_register", hotkey=HK_A) == module_error(error_index("RootNetworkDoesNotExist"))
