"""``distribute_emission`` and its helpers: node-subtensor ``tests/coinbase.rs`` drain / childkey / owner-burn
/ dividend-split cases with the reference's asserted outcomes (mock economics: owner cut 0, tao weight 0
unless set), plus the per-hotkey records the payout writes."""

from __future__ import annotations

from runtime.pallets.subtensor import accounts, emission_distribution, registration
from runtime.pallets.subtensor import storage as st
from runtime.pallets.subtensor.staking import increase_stake, stake_of
from runtime.scale import I96F32
from tests.runtime.test_subtensor_coinbase import add_network, mock_env

U64_MAX = (1 << 64) - 1
NETUID = 2
HK1, HK2, HK3 = (bytes([0x41 + i]) * 32 for i in range(3))
CK1, CK2, CK3 = (bytes([0x51 + i]) * 32 for i in range(3))


def register(env: object, hotkey: bytes, coldkey: bytes) -> None:
    accounts.create_account_if_non_existent(env.ext, coldkey, hotkey)  # type: ignore[attr-defined]
    registration.append_neuron(env.ext, NETUID, hotkey, 0)  # type: ignore[attr-defined]


def drain(env: object, pending: int, root: int = 0, owner_cut: int = 0) -> None:
    emission_distribution.distribute_emission(env.ctx, NETUID, pending // 2, pending // 2, root,  # type: ignore
                                              owner_cut)


def test_single_registered_staker_gets_all_emission() -> None:
    env = mock_env()
    add_network(env, NETUID)
    register(env, HK1, CK1)
    increase_stake(env.ext, HK1, CK1, NETUID, 10**9)
    drain(env, 10**9)
    assert abs(stake_of(env.ext, HK1, CK1, NETUID) - 2 * 10**9) <= 10
    assert st.AlphaDividendsPerSubnet.get(env.ext, NETUID, HK1) > 0


def test_root_alpha_dividends_become_root_claimable() -> None:
    env = mock_env()
    add_network(env, NETUID)
    register(env, HK1, CK1)
    st.Delegates.put(env.ext, HK1, 0)
    st.TaoWeight.put(env.ext, U64_MAX)
    increase_stake(env.ext, HK1, CK1, 0, 10**9)
    increase_stake(env.ext, HK1, CK1, NETUID, 10**9)
    drain(env, 10**9, root=10**9)
    assert abs(stake_of(env.ext, HK1, CK1, NETUID) - 2 * 10**9) <= 10  # all alpha emission
    assert stake_of(env.ext, HK1, CK1, 0) == 10**9  # root stake is not paid immediately
    # The root half of the dividend claims the whole pending root alpha: 1e9 alpha over 1e9 root stake.
    assert st.RootClaimable.get(env.ext, HK1) == {NETUID: I96F32.from_int(1)}
    assert st.RootAlphaDividendsPerSubnet.get(env.ext, NETUID, HK1) == 10**9


def test_two_registered_stakers_split_evenly() -> None:
    env = mock_env()
    add_network(env, NETUID)
    for hotkey in (HK1, HK2):
        register(env, hotkey, CK3)
        increase_stake(env.ext, hotkey, CK3, NETUID, 10**9)
    drain(env, 10**9)
    for hotkey in (HK1, HK2):
        assert abs(stake_of(env.ext, hotkey, CK3, NETUID) - 1_500_000_000) <= 10


def test_parent_keeps_ninety_percent_and_child_takes_ten() -> None:
    env = mock_env()
    add_network(env, NETUID)
    st.CKBurn.put(env.ext, 0)
    register(env, HK2, CK3)  # the child validates
    increase_stake(env.ext, HK1, CK3, NETUID, 10**9)  # the parent's stake, delegated fully to the child
    st.ChildKeys.put(env.ext, HK1, NETUID, [(U64_MAX, HK2)])
    st.ParentKeys.put(env.ext, HK2, NETUID, [(U64_MAX, HK1)])
    st.ChildkeyTake.put(env.ext, HK2, NETUID, 0xFFFF // 10)
    st.Owner.put(env.ext, HK1, CK1)  # a different coldkey: the child's take applies
    drain(env, 10**9)
    assert abs(st.TotalHotkeyAlpha.get(env.ext, HK1, NETUID) - (10**9 + 9 * 10**8)) <= 10_000
    assert abs(st.TotalHotkeyAlpha.get(env.ext, HK2, NETUID) - 10**8) <= 10_000


def test_ck_burn_is_recycled_from_a_foreign_parents_share() -> None:
    env = mock_env()
    add_network(env, NETUID)
    register(env, HK2, CK2)
    increase_stake(env.ext, HK1, CK1, NETUID, 10**9)
    st.ChildKeys.put(env.ext, HK1, NETUID, [(U64_MAX, HK2)])
    st.ParentKeys.put(env.ext, HK2, NETUID, [(U64_MAX, HK1)])
    st.Owner.put(env.ext, HK1, CK1)
    st.CKBurn.put(env.ext, U64_MAX // 2)
    st.SubnetAlphaOut.put(env.ext, NETUID, 10**12)
    shares = emission_distribution.get_parent_child_dividends_distribution(env.ext, HK2, NETUID, 10**9)
    parent, child = dict(shares)[HK1], dict(shares)[HK2]
    assert [k for k, _ in shares] == [HK1, HK2]
    assert child == 0  # no own stake and no childkey take
    burned = 10**12 - st.SubnetAlphaOut.get(env.ext, NETUID)
    assert abs(burned - 5 * 10**8) <= 1 and abs(parent - 5 * 10**8) <= 1


def test_incentive_to_subnet_owner_hotkeys_is_burned_and_counted() -> None:
    env = mock_env()
    add_network(env, NETUID)
    st.SubnetOwner.put(env.ext, NETUID, CK1)
    st.SubnetOwnerHotkey.put(env.ext, NETUID, HK1)
    register(env, HK1, CK1)
    st.Owner.put(env.ext, HK3, CK3)
    alpha_out = st.SubnetAlphaOut.get(env.ext, NETUID)
    emission_distribution.distribute_dividends_and_incentives(
        env.ctx, NETUID, 0, {HK1: 10_000_000, HK3: 10_000_000}, {}, {})
    assert st.TotalHotkeyAlpha.get(env.ext, HK1, NETUID) == 0
    assert stake_of(env.ext, HK3, CK3, NETUID) == 10_000_000
    assert st.SubnetAlphaOut.get(env.ext, NETUID) == alpha_out  # burned: issuance unchanged
    assert st.MinerBurned.get(env.ext, NETUID).bits == 1 << 31  # half of the incentive withheld
    st.RecycleOrBurn.put(env.ext, NETUID, "Recycle")
    st.SubnetAlphaOut.put(env.ext, NETUID, 10**9)
    emission_distribution.distribute_dividends_and_incentives(env.ctx, NETUID, 0, {HK1: 7}, {}, {})
    assert st.SubnetAlphaOut.get(env.ext, NETUID) == 10**9 - 7
    assert st.MinerBurned.get(env.ext, NETUID).bits == 1 << 32


def test_incentive_is_autostaked_to_the_owner_destination() -> None:
    env = mock_env()
    add_network(env, NETUID)
    st.Owner.put(env.ext, HK2, CK2)
    st.AutoStakeDestination.put(env.ext, CK2, NETUID, HK3)
    emission_distribution.distribute_dividends_and_incentives(env.ctx, NETUID, 0, {HK2: 5_000}, {}, {})
    assert stake_of(env.ext, HK3, CK2, NETUID) == 5_000
    assert st.TotalHotkeyAlpha.get(env.ext, HK2, NETUID) == 0
    assert ("AutoStakeAdded", {"netuid": NETUID, "destination": HK3, "hotkey": HK2, "owner": CK2,
                               "incentive": 5_000}) in [e[1] for e in env.events()]


def test_alpha_dividends_pay_the_delegate_take_to_the_owner_and_the_rest_to_nominators() -> None:
    env = mock_env()
    add_network(env, NETUID)
    st.Owner.put(env.ext, HK1, CK1)
    st.Delegates.put(env.ext, HK1, 0xFFFF // 4)
    increase_stake(env.ext, HK1, CK2, NETUID, 3 * 10**9)  # a nominator
    st.SubnetOwner.put(env.ext, NETUID, CK3)
    st.SubnetOwnerHotkey.put(env.ext, NETUID, HK3)
    emission_distribution.distribute_dividends_and_incentives(env.ctx, NETUID, 777, {}, {HK1: 10**9 << 32}, {})
    take_bits = (((0xFFFF // 4) << 32 << 32) // (0xFFFF << 32) * (10**9 << 32)) >> 32  # U96F32
    take, rest = take_bits >> 32, ((10**9 << 32) - take_bits) >> 32  # each floored on its own
    # The take joins the pool first, so the owner also shares pro rata in the nominators' part.
    assert abs(stake_of(env.ext, HK1, CK1, NETUID) - 4 * 10**9 * take // (3 * 10**9 + take)) <= 1
    assert abs(stake_of(env.ext, HK1, CK2, NETUID) - 4 * 10**9 * 3 * 10**9 // (3 * 10**9 + take)) <= 1
    assert st.AlphaDividendsPerSubnet.get(env.ext, NETUID, HK1) == rest == 10**9 - take - 1
    assert st.TotalHotkeyAlphaLastEpoch.get(env.ext, HK1, NETUID) == 3 * 10**9 + take + rest
    assert stake_of(env.ext, HK3, CK3, NETUID) == 777  # the owner cut


def test_dividend_split_totals_match_the_pending_amounts() -> None:
    tao_weight = (18 << 32) // 100  # ≈ 0.18 as U96F32
    stake_map = {HK1: (4_859_302, 2_342_352), HK2: (23_423, 859_273)}
    dividends = {HK1: 77_783_738 << 32, HK2: 19_283_940 << 32}
    alpha, root = emission_distribution.calculate_dividend_distribution(
        183_123_567_452, 837_120_949_872, tao_weight, stake_map, dividends)
    assert abs((sum(alpha.values()) >> 32) - 183_123_567_452) <= 1_000
    assert abs((sum(root.values()) >> 32) - 837_120_949_872) <= 1_000
    only_alpha, no_root = emission_distribution.calculate_dividend_distribution(
        10**9, 10**9, 0, stake_map, dividends)
    assert abs((sum(only_alpha.values()) >> 32) - 10**9) <= 1 and sum(no_root.values()) == 0


def test_no_incentive_gives_validators_the_miners_half_too() -> None:
    env = mock_env()
    add_network(env, NETUID)
    register(env, HK1, CK1)
    register(env, HK2, CK2)
    increase_stake(env.ext, HK1, CK1, NETUID, 3 * 10**9)
    increase_stake(env.ext, HK2, CK2, NETUID, 10**9)
    st.Delegates.put(env.ext, HK1, 0)
    st.Delegates.put(env.ext, HK2, 0)
    drain(env, 4 * 10**8)
    # No weights: emergency mode, dividends by stake, and all 4e8 reach the two validators 3:1.
    assert abs(st.AlphaDividendsPerSubnet.get(env.ext, NETUID, HK1) - 3 * 10**8) <= 2
    assert abs(st.AlphaDividendsPerSubnet.get(env.ext, NETUID, HK2) - 10**8) <= 2
