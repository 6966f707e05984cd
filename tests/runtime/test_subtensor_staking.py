"""SubtensorModule staking calls over the mock runtime of ``test_subtensor_subnets``: add/remove stake
(plain, limit, full), unstake-all(-alpha), move/transfer/swap stake, recycle/burn alpha, the share pool.

Expected amounts are worked out from the reference's rules with the helpers below: the fee is
``floor(x · rate)`` with ``rate`` the U64F64 of 33/65535 (truncated); the 0.5/0.5 Balancer pool is
constant product, so a buy of ``dT`` gives ``floor(A·dT/(T+dT))`` alpha and a sale of ``dA`` gives
``floor(T·dA/(A+dA))`` TAO. No block author exists in the mock runtime, so TAO fees go to the burn
account and alpha fees are burned.
"""

from __future__ import annotations

from typing import Any

from runtime.pallets import balances
from runtime.pallets.subtensor import accounts, staking
from runtime.pallets.subtensor import storage as st
from runtime.pallets.subtensor.share_pool import AlphaSharePool, safe_float_sub
from runtime.pallets.subtensor.types import safe_float
from runtime.pallets.swap import engine
from runtime.scale import U64F64
from tests.runtime.test_subtensor_subnets import (
    ALICE, BOB, CHARLIE, HK_A, HK_B, HK_C, HK_D, MIN_LOCK, POOR, RICH, TAO, Env, error_index, module_error,
)

FEE_RATE_BITS = (33 << 64) // 65535
MIN_STAKE = 2_000_000


def fee(amount: int) -> int:
    return (amount * FEE_RATE_BITS) >> 64


def buy(tao_reserve: int, alpha_reserve: int, tao_in: int) -> int:
    return alpha_reserve * tao_in // (tao_reserve + tao_in)


def sell(tao_reserve: int, alpha_reserve: int, alpha_in: int) -> int:
    return tao_reserve * alpha_in // (alpha_reserve + alpha_in)


def err(name: str) -> Any:
    return module_error(error_index(name))


def staking_env(block: int = 10) -> tuple[Env, int]:
    """Alice's subnet (pool 1000 TAO / 1000 alpha, owner hotkey HK_A) with its subtoken enabled."""
    env = Env(block=block)
    netuid = env.register_network(ALICE, HK_A)
    st.SubtokenEnabled.put(env.ext, netuid, True)
    env.clear_events()
    return env, netuid


def sub_events(env: Env) -> list[Any]:
    return [e[1] for e in env.events() if e[0] == "SubtensorModule"]


def issuance(env: Env) -> tuple[int, int]:
    return balances.total_issuance(env.ext), st.TotalIssuance.get(env.ext)


# -- add_stake ------------------------------------------------------------------------------------------------


def test_add_stake_happy_path() -> None:
    env, n = staking_env()
    ext = env.ext
    subnet_account = accounts.subnet_account_id(n)
    total_stake, before = st.TotalStake.get(ext), issuance(env)
    env.call(BOB, "add_stake", hotkey=HK_A, netuid=n, amount_staked=10 * TAO)

    f = fee(10 * TAO)
    assert f == 5_035_477
    net = 10 * TAO - f
    alpha = buy(MIN_LOCK, MIN_LOCK, net)
    assert alpha == 9_896_053_816
    assert env.free(BOB) == RICH - 10 * TAO
    assert env.free(subnet_account) == MIN_LOCK + net == st.SubnetTAO.get(ext, n)
    assert env.free(staking.BURN_ACCOUNT) == f
    assert st.SubnetAlphaIn.get(ext, n) == MIN_LOCK - alpha
    assert st.SubnetAlphaOut.get(ext, n) == alpha
    assert st.TotalStake.get(ext) == total_stake + 10 * TAO
    assert st.SubnetVolume.get(ext, n) == 10 * TAO
    assert st.SubnetTaoFlow.get(ext, n) == net
    assert staking.stake_of(ext, HK_A, BOB, n) == alpha
    assert st.TotalHotkeyAlpha.get(ext, HK_A, n) == alpha
    assert st.AlphaV2.get(ext, HK_A, BOB, n) == safe_float(alpha) == st.TotalHotkeySharesV2.get(ext, HK_A, n)
    assert st.StakingHotkeys.get(ext, BOB) == [HK_A]
    assert st.LastColdkeyHotkeyStakeBlock.get(ext, BOB, HK_A) == 10
    assert issuance(env) == before  # staking moves TAO, never mints or burns it
    assert sub_events(env) == [("StakeAdded", (BOB, HK_A, 10 * TAO, alpha, n, f))]
    assert ("Balances", ("Transfer", {"from": subnet_account, "to": staking.BURN_ACCOUNT, "amount": f})) \
        in env.events()


def test_second_staker_gets_pro_rata_shares() -> None:
    env, n = staking_env()
    ext = env.ext
    env.call(BOB, "add_stake", hotkey=HK_A, netuid=n, amount_staked=10 * TAO)
    a1 = st.TotalHotkeyAlpha.get(ext, HK_A, n)
    tao_reserve, alpha_reserve = st.SubnetTAO.get(ext, n), st.SubnetAlphaIn.get(ext, n)
    env.call(CHARLIE, "add_stake", hotkey=HK_A, netuid=n, amount_staked=5 * TAO)
    a2 = buy(tao_reserve, alpha_reserve, 5 * TAO - fee(5 * TAO))
    assert st.TotalHotkeyAlpha.get(ext, HK_A, n) == a1 + a2
    assert staking.stake_of(ext, HK_A, CHARLIE, n) == a2
    assert staking.stake_of(ext, HK_A, BOB, n) == a1
    # Emission to the hotkey grows both positions pro rata.
    AlphaSharePool(ext, HK_A, n).update_value_for_all(a1 + a2)
    assert staking.stake_of(ext, HK_A, BOB, n) == 2 * a1
    assert staking.stake_of(ext, HK_A, CHARLIE, n) == 2 * a2


def test_add_stake_errors() -> None:
    env, n = staking_env()
    st.SubtokenEnabled.put(env.ext, n, False)
    assert env.error(BOB, "add_stake", hotkey=HK_A, netuid=n, amount_staked=TAO) == err("SubtokenDisabled")
    st.SubtokenEnabled.put(env.ext, n, True)
    assert env.error(BOB, "add_stake", hotkey=HK_A, netuid=99, amount_staked=TAO) == err("SubnetNotExists")
    # The minimum is DefaultMinStake plus the fee on it: 2_000_000 + 1_007.
    assert fee(MIN_STAKE) == 1_007
    assert env.error(BOB, "add_stake", hotkey=HK_A, netuid=n, amount_staked=MIN_STAKE + 1_006) == err("AmountTooLow")
    env.call(BOB, "add_stake", hotkey=HK_A, netuid=n, amount_staked=MIN_STAKE + 1_007)
    assert env.error(POOR, "add_stake", hotkey=HK_A, netuid=n, amount_staked=10 * TAO + 1) == err(
        "NotEnoughBalanceToStake")
    assert env.error(BOB, "add_stake", hotkey=HK_D, netuid=n, amount_staked=TAO) == err("HotKeyAccountNotExists")
    too_much = st.SubnetTAO.get(env.ext, n) * 1000 + 1
    assert env.error(BOB, "add_stake", hotkey=HK_A, netuid=n, amount_staked=too_much) == err("InsufficientLiquidity")


def test_add_stake_on_root_is_one_to_one_and_indexes_the_coldkey() -> None:
    env, _ = staking_env()
    ext = env.ext
    st.SubtokenEnabled.put(ext, 0, True)
    env.call(ALICE, "root_register", hotkey=HK_A)
    env.clear_events()
    env.call(BOB, "add_stake", hotkey=HK_A, netuid=0, amount_staked=3 * TAO)
    assert staking.stake_of(ext, HK_A, BOB, 0) == 3 * TAO
    assert st.SubnetTAO.get(ext, 0) == 3 * TAO and st.SubnetAlphaOut.get(ext, 0) == 3 * TAO
    assert st.StakingColdkeys.get(ext, BOB) == 0 and st.StakingColdkeysByIndex.get(ext, 0) == BOB
    assert st.NumStakingColdkeys.get(ext) == 1
    assert sub_events(env) == [("StakeAdded", (BOB, HK_A, 3 * TAO, 3 * TAO, 0, 0))]
    env.call(BOB, "remove_stake", hotkey=HK_A, netuid=0, amount_unstaked=3 * TAO)
    assert env.free(BOB) == RICH
    assert not st.StakingColdkeys.exists(ext, BOB) and st.NumStakingColdkeys.get(ext) == 0


# -- remove_stake ---------------------------------------------------------------------------------------------


def test_remove_stake_happy_path_everything() -> None:
    env, n = staking_env()
    ext = env.ext
    subnet_account = accounts.subnet_account_id(n)
    env.call(BOB, "add_stake", hotkey=HK_A, netuid=n, amount_staked=10 * TAO)
    alpha = staking.stake_of(ext, HK_A, BOB, n)
    tao_reserve, alpha_reserve = st.SubnetTAO.get(ext, n), st.SubnetAlphaIn.get(ext, n)
    total_stake, flow, before = st.TotalStake.get(ext), st.SubnetTaoFlow.get(ext, n), issuance(env)
    env.clear_events()
    env.call(BOB, "remove_stake", hotkey=HK_A, netuid=n, amount_unstaked=alpha + 12345)  # clipped to the stake

    f = fee(alpha)
    assert f == 4_983_135
    out = sell(tao_reserve, alpha_reserve, alpha - f)
    assert out == 9_989_981_362
    assert env.free(BOB) == RICH - 10 * TAO + out
    assert st.SubnetTAO.get(ext, n) == tao_reserve - out == env.free(subnet_account)
    assert st.SubnetAlphaIn.get(ext, n) == alpha_reserve + alpha - f
    assert st.SubnetAlphaOut.get(ext, n) == f  # the burned fee alpha is never returned to the pool
    assert st.TotalStake.get(ext) == total_stake - out
    assert st.SubnetTaoFlow.get(ext, n) == flow - out
    assert staking.stake_of(ext, HK_A, BOB, n) == 0
    assert not st.AlphaV2.exists(ext, HK_A, BOB, n)
    assert not st.TotalHotkeyAlpha.exists(ext, HK_A, n) and not st.TotalHotkeySharesV2.exists(ext, HK_A, n)
    assert issuance(env) == before
    assert sub_events(env) == [("StakeRemoved", (BOB, HK_A, out, alpha - f, n, f))]


def test_remove_stake_errors() -> None:
    env, n = staking_env()
    env.call(BOB, "add_stake", hotkey=HK_A, netuid=n, amount_staked=10 * TAO)
    assert env.error(CHARLIE, "remove_stake", hotkey=HK_A, netuid=n, amount_unstaked=TAO) == err("AmountTooLow")
    # A partial removal must be worth at least DefaultMinStake.
    assert env.error(BOB, "remove_stake", hotkey=HK_A, netuid=n, amount_unstaked=1_000_000) == err("AmountTooLow")
    st.SubtokenEnabled.put(env.ext, n, False)
    assert env.error(BOB, "remove_stake", hotkey=HK_A, netuid=n, amount_unstaked=TAO) == err("SubtokenDisabled")


def test_remove_stake_partial_keeps_the_rest() -> None:
    env, n = staking_env()
    ext = env.ext
    env.call(BOB, "add_stake", hotkey=HK_A, netuid=n, amount_staked=10 * TAO)
    alpha = staking.stake_of(ext, HK_A, BOB, n)
    tao_reserve, alpha_reserve = st.SubnetTAO.get(ext, n), st.SubnetAlphaIn.get(ext, n)
    env.call(BOB, "remove_stake", hotkey=HK_A, netuid=n, amount_unstaked=TAO)
    assert staking.stake_of(ext, HK_A, BOB, n) == alpha - TAO
    assert env.free(BOB) == RICH - 10 * TAO + sell(tao_reserve, alpha_reserve, TAO - fee(TAO))


# -- limits ---------------------------------------------------------------------------------------------------


def test_add_stake_limit_slippage_partial_and_delegation() -> None:
    env, n = staking_env()
    ext = env.ext
    limit = 1_010_000_000  # 1.01 TAO per alpha; the pool is at 1.0
    max_amount = engine.max_amount_add(ext, n, limit)
    assert 0 < max_amount < 10 * TAO
    assert env.error(BOB, "add_stake_limit", hotkey=HK_A, netuid=n, amount_staked=10 * TAO, limit_price=limit,
                     allow_partial=False) == err("SlippageTooHigh")
    assert not st.Delegates.exists(ext, HK_A)
    env.call(BOB, "add_stake_limit", hotkey=HK_A, netuid=n, amount_staked=10 * TAO, limit_price=limit,
             allow_partial=True)
    assert env.free(BOB) == RICH - max_amount
    assert engine.current_alpha_price_rao(ext, n) <= limit
    assert st.Delegates.get(ext, HK_A) == accounts.DEFAULT_DELEGATE_TAKE  # BOB does not own HK_A
    # Within the limit the whole amount is staked.
    env.call(CHARLIE, "add_stake_limit", hotkey=HK_A, netuid=n, amount_staked=TAO, limit_price=2 * TAO,
             allow_partial=False)
    assert env.free(CHARLIE) == RICH - TAO


def test_remove_stake_limit_and_full_limit() -> None:
    env, n = staking_env()
    ext = env.ext
    env.call(BOB, "add_stake", hotkey=HK_A, netuid=n, amount_staked=100 * TAO)
    alpha = staking.stake_of(ext, HK_A, BOB, n)
    limit = 1_050_000_000  # the price is ~1.2 now: selling everything would go below 1.05
    assert engine.current_alpha_price_rao(ext, n) > limit
    max_amount = engine.max_amount_remove(ext, n, limit)
    assert 0 < max_amount < alpha
    assert env.error(BOB, "remove_stake_limit", hotkey=HK_A, netuid=n, amount_unstaked=alpha, limit_price=limit,
                     allow_partial=False) == err("SlippageTooHigh")
    assert env.error(BOB, "remove_stake_full_limit", hotkey=HK_A, netuid=n, limit_price=limit) == err(
        "SlippageTooHigh")
    env.call(BOB, "remove_stake_limit", hotkey=HK_A, netuid=n, amount_unstaked=alpha, limit_price=limit,
             allow_partial=True)
    assert staking.stake_of(ext, HK_A, BOB, n) == alpha - max_amount
    assert engine.current_alpha_price_rao(ext, n) >= limit
    env.call(BOB, "remove_stake_full_limit", hotkey=HK_A, netuid=n, limit_price=None)
    assert staking.stake_of(ext, HK_A, BOB, n) == 0


# -- unstake_all ----------------------------------------------------------------------------------------------


def test_unstake_all_and_unstake_all_alpha() -> None:
    env, n = staking_env()
    ext = env.ext
    st.SubtokenEnabled.put(ext, 0, True)
    env.call(BOB, "add_stake", hotkey=HK_A, netuid=n, amount_staked=10 * TAO)
    env.call(BOB, "add_stake", hotkey=HK_A, netuid=0, amount_staked=2 * TAO)
    alpha = staking.stake_of(ext, HK_A, BOB, n)
    tao_reserve, alpha_reserve = st.SubnetTAO.get(ext, n), st.SubnetAlphaIn.get(ext, n)
    out = sell(tao_reserve, alpha_reserve, alpha - fee(alpha))
    env.clear_events()
    env.call(BOB, "unstake_all_alpha", hotkey=HK_A)
    assert staking.stake_of(ext, HK_A, BOB, n) == 0
    assert staking.stake_of(ext, HK_A, BOB, 0) == 2 * TAO + out
    assert env.free(BOB) == RICH - 12 * TAO
    assert sub_events(env) == [("StakeRemoved", (BOB, HK_A, out, alpha - fee(alpha), n, fee(alpha))),
                               ("StakeAdded", (BOB, HK_A, out, out, 0, 0))]
    env.call(BOB, "unstake_all", hotkey=HK_A)
    assert staking.stake_of(ext, HK_A, BOB, 0) == 0
    assert env.free(BOB) == RICH - 10 * TAO + out
    assert env.error(BOB, "unstake_all", hotkey=HK_D) == err("HotKeyAccountNotExists")
    # Nothing left to restake on root: the zero-alpha root stake fails.
    assert env.error(BOB, "unstake_all_alpha", hotkey=HK_A) == err("AmountTooLow")


# -- move / transfer / swap -----------------------------------------------------------------------------------


def test_move_stake_within_a_subnet_is_a_share_transfer() -> None:
    env, n = staking_env()
    ext = env.ext
    env.call(CHARLIE, "burned_register", netuid=n, hotkey=HK_C)
    env.call(BOB, "add_stake", hotkey=HK_A, netuid=n, amount_staked=10 * TAO)
    alpha = staking.stake_of(ext, HK_A, BOB, n)
    price = engine.current_price_bits(ext, n)
    reserves = (st.SubnetTAO.get(ext, n), st.SubnetAlphaIn.get(ext, n), st.SubnetAlphaOut.get(ext, n))
    env.clear_events()
    env.call(BOB, "move_stake", origin_hotkey=HK_A, destination_hotkey=HK_C, origin_netuid=n, destination_netuid=n,
             alpha_amount=TAO)
    tao = (price * (TAO << 64) >> 64) >> 64
    assert staking.stake_of(ext, HK_A, BOB, n) == alpha - TAO
    assert staking.stake_of(ext, HK_C, BOB, n) == TAO
    assert (st.SubnetTAO.get(ext, n), st.SubnetAlphaIn.get(ext, n), st.SubnetAlphaOut.get(ext, n)) == reserves
    assert st.StakingHotkeys.get(ext, BOB) == [HK_A, HK_C]
    assert sub_events(env) == [("StakeRemoved", (BOB, HK_A, tao, TAO, n, 0)),
                               ("StakeAdded", (BOB, HK_C, tao, TAO, n, 0)),
                               ("StakeMoved", (BOB, HK_A, n, HK_C, n, tao))]
    assert env.error(BOB, "move_stake", origin_hotkey=HK_A, destination_hotkey=HK_A, origin_netuid=n,
                     destination_netuid=n, alpha_amount=TAO) == err("SameNetuid")
    assert env.error(BOB, "move_stake", origin_hotkey=HK_A, destination_hotkey=HK_D, origin_netuid=n,
                     destination_netuid=n, alpha_amount=TAO) == err("HotKeyAccountNotExists")
    assert env.error(BOB, "move_stake", origin_hotkey=HK_A, destination_hotkey=HK_C, origin_netuid=n,
                     destination_netuid=n, alpha_amount=1_000_000) == err("AmountTooLow")


def test_swap_stake_across_subnets() -> None:
    env, n = staking_env()
    ext = env.ext
    st.NetworkRateLimit.put(ext, 0)
    m = env.register_network(CHARLIE, HK_C)
    st.SubtokenEnabled.put(ext, m, True)
    env.call(BOB, "add_stake", hotkey=HK_A, netuid=n, amount_staked=10 * TAO)
    alpha = staking.stake_of(ext, HK_A, BOB, n)
    t_n, a_n = st.SubnetTAO.get(ext, n), st.SubnetAlphaIn.get(ext, n)
    t_m, a_m = st.SubnetTAO.get(ext, m), st.SubnetAlphaIn.get(ext, m)
    env.clear_events()
    env.call(BOB, "swap_stake", hotkey=HK_A, origin_netuid=n, destination_netuid=m, alpha_amount=alpha)
    tao = sell(t_n, a_n, alpha - fee(alpha))
    bought = buy(t_m, a_m, tao)  # the destination side of a non-root move pays no fee
    assert staking.stake_of(ext, HK_A, BOB, n) == 0
    assert staking.stake_of(ext, HK_A, BOB, m) == bought
    assert env.free(BOB) == RICH - 10 * TAO
    assert sub_events(env) == [("StakeRemoved", (BOB, HK_A, tao, alpha - fee(alpha), n, fee(alpha))),
                               ("StakeAdded", (BOB, HK_A, tao, bought, m, 0)),
                               ("StakeSwapped", (BOB, HK_A, n, m, tao))]
    assert env.error(BOB, "swap_stake", hotkey=HK_A, origin_netuid=m, destination_netuid=m, alpha_amount=TAO) == err(
        "SameNetuid")
    st.SubtokenEnabled.put(ext, n, False)
    assert env.error(BOB, "swap_stake", hotkey=HK_A, origin_netuid=m, destination_netuid=n, alpha_amount=TAO) == err(
        "SubtokenDisabled")
    st.SubtokenEnabled.put(ext, n, True)
    assert env.error(BOB, "swap_stake", hotkey=HK_A, origin_netuid=m, destination_netuid=99,
                     alpha_amount=TAO) == err("SubnetNotExists")
    assert env.error(BOB, "swap_stake", hotkey=HK_A, origin_netuid=m, destination_netuid=n,
                     alpha_amount=1_000_000) == err("AmountTooLow")
    # A price-ratio limit above the current ratio allows nothing.
    assert env.error(BOB, "swap_stake_limit", hotkey=HK_A, origin_netuid=m, destination_netuid=n, alpha_amount=TAO,
                     limit_price=2 * TAO, allow_partial=False) == err("SlippageTooHigh")


def test_transfer_stake_to_another_coldkey() -> None:
    env, n = staking_env()
    ext = env.ext
    env.call(BOB, "add_stake", hotkey=HK_A, netuid=n, amount_staked=10 * TAO)
    alpha = staking.stake_of(ext, HK_A, BOB, n)
    env.clear_events()
    env.call(BOB, "transfer_stake", destination_coldkey=CHARLIE, hotkey=HK_A, origin_netuid=n, destination_netuid=n,
             alpha_amount=TAO)
    tao = staking.tao_equivalent(ext, n, TAO)
    assert staking.stake_of(ext, HK_A, BOB, n) == alpha - TAO
    assert staking.stake_of(ext, HK_A, CHARLIE, n) == TAO
    assert st.StakingHotkeys.get(ext, CHARLIE) == [HK_A]
    assert sub_events(env)[-1] == ("StakeTransferred", (BOB, CHARLIE, HK_A, n, n, tao))
    st.TransferToggle.put(ext, n, False)
    assert env.error(BOB, "transfer_stake", destination_coldkey=CHARLIE, hotkey=HK_A, origin_netuid=n,
                     destination_netuid=n, alpha_amount=TAO) == err("TransferDisallowed")


# -- recycle / burn -------------------------------------------------------------------------------------------


def test_recycle_and_burn_alpha() -> None:
    env, n = staking_env()
    ext = env.ext
    env.call(BOB, "add_stake", hotkey=HK_A, netuid=n, amount_staked=10 * TAO)
    alpha = staking.stake_of(ext, HK_A, BOB, n)
    out = st.SubnetAlphaOut.get(ext, n)
    env.clear_events()
    env.call(BOB, "recycle_alpha", hotkey=HK_A, amount=TAO, netuid=n)
    assert staking.stake_of(ext, HK_A, BOB, n) == alpha - TAO
    assert st.SubnetAlphaOut.get(ext, n) == out - TAO
    env.call(BOB, "burn_alpha", hotkey=HK_A, amount=TAO, netuid=n)
    assert staking.stake_of(ext, HK_A, BOB, n) == alpha - 2 * TAO
    assert st.SubnetAlphaOut.get(ext, n) == out - TAO
    assert sub_events(env) == [("AlphaRecycled", (BOB, HK_A, TAO, n)), ("AlphaBurned", (BOB, HK_A, TAO, n))]
    assert env.error(BOB, "burn_alpha", hotkey=HK_A, amount=TAO, netuid=0) == err("CannotBurnOrRecycleOnRootSubnet")
    assert env.error(BOB, "recycle_alpha", hotkey=HK_A, amount=TAO, netuid=99) == err("SubnetNotExists")
    assert env.error(BOB, "recycle_alpha", hotkey=HK_D, amount=TAO, netuid=n) == err("HotKeyAccountNotExists")


# -- conservation and the share pool -------------------------------------------------------------------------


def test_conservation_over_a_sequence() -> None:
    env, n = staking_env()
    ext = env.ext
    subnet_account = accounts.subnet_account_id(n)
    before = issuance(env)
    total_stake = st.TotalStake.get(ext)
    env.call(BOB, "add_stake", hotkey=HK_A, netuid=n, amount_staked=50 * TAO)
    env.call(CHARLIE, "add_stake", hotkey=HK_A, netuid=n, amount_staked=7 * TAO)
    env.call(BOB, "remove_stake", hotkey=HK_A, netuid=n, amount_unstaked=20 * TAO)
    env.call(CHARLIE, "unstake_all", hotkey=HK_A)
    assert issuance(env) == before
    # The subnet account holds exactly the TAO reserve (fees went to the burn account).
    assert env.free(subnet_account) == st.SubnetTAO.get(ext, n)
    staked_in = 57 * TAO
    received = env.free(BOB) + env.free(CHARLIE) - 2 * RICH + staked_in  # TAO paid back by the unstakes
    # TotalStake grows by the gross TAO staked and shrinks by the TAO paid out.
    assert st.TotalStake.get(ext) == total_stake + staked_in - received
    # Every rao the stakers lost is either in the pool or in the burn account (the fees).
    assert env.free(staking.BURN_ACCOUNT) + st.SubnetTAO.get(ext, n) - MIN_LOCK == staked_in - received
    assert st.TotalHotkeyAlpha.get(ext, HK_A, n) == staking.stake_of(ext, HK_A, BOB, n)


def test_share_pool_legacy_entries_migrate_on_write() -> None:
    env, n = staking_env()
    ext = env.ext
    st.TotalHotkeyAlpha.put(ext, HK_B, n, 1_000)
    st.TotalHotkeyShares.put(ext, HK_B, n, U64F64.from_int(500))
    st.Alpha.put(ext, HK_B, BOB, n, U64F64.from_int(500))
    p = AlphaSharePool(ext, HK_B, n)
    assert p.get_value(BOB) == 1_000
    p.update_value_for_one(BOB, -400)
    assert not st.Alpha.exists(ext, HK_B, BOB, n) and not st.TotalHotkeyShares.exists(ext, HK_B, n)
    assert st.AlphaV2.get(ext, HK_B, BOB, n) == safe_float(300)
    assert st.TotalHotkeySharesV2.get(ext, HK_B, n) == safe_float(300)
    assert p.get_value(BOB) == 600
    p.update_value_for_one(BOB, -600)
    assert not st.AlphaV2.exists(ext, HK_B, BOB, n) and not st.TotalHotkeyAlpha.exists(ext, HK_B, n)
    assert safe_float_sub((10**21, 0), (10**21, 1)) == (0, 0)
    assert safe_float_sub((0, 0), (10**21, 0)) is None


def test_no_stake_no_value() -> None:
    env, n = staking_env()
    assert staking.stake_of(env.ext, HK_A, BOB, n) == 0
    assert staking.total_stake_for_hotkey(env.ext, HK_A) == 0
    assert POOR and HK_B  # imported fixtures


def with_author(env: Env, author: bytes) -> None:
    """Make ``author`` the Aura author of the block (one authority, slot 7 in the digest)."""
    from runtime.pallets import aura
    from runtime.pallets.system import storage as sys_storage
    from runtime.primitives.header import AURA_ENGINE_ID, PreRuntime
    from runtime.scale import U64

    aura.Authorities.put(env.ext, [author])
    sys_storage.DigestItems.put(env.ext, (PreRuntime(AURA_ENGINE_ID, U64.encode(7)),))


def test_fees_go_to_the_block_author() -> None:
    env, n = staking_env()
    ext = env.ext
    author = bytes([0x77]) * 32
    with_author(env, author)
    env.call(BOB, "add_stake", hotkey=HK_A, netuid=n, amount_staked=10 * TAO)
    f = fee(10 * TAO)
    assert env.free(author) == f and env.free(staking.BURN_ACCOUNT) == 0
    alpha = staking.stake_of(ext, HK_A, BOB, n)
    tao_reserve, alpha_reserve = st.SubnetTAO.get(ext, n), st.SubnetAlphaIn.get(ext, n)
    flow = st.SubnetTaoFlow.get(ext, n)
    env.call(BOB, "remove_stake", hotkey=HK_A, netuid=n, amount_unstaked=alpha)
    # The alpha fee is sold fee-free after the main sale and its TAO paid to the author.
    fa = fee(alpha)
    out = sell(tao_reserve, alpha_reserve, alpha - fa)
    fee_tao = sell(tao_reserve - out, alpha_reserve + alpha - fa, fa)
    assert env.free(BOB) == RICH - 10 * TAO + out
    assert env.free(author) == f + fee_tao
    assert st.SubnetAlphaOut.get(ext, n) == 0
    assert st.SubnetAlphaIn.get(ext, n) == alpha_reserve + alpha
    assert st.SubnetTAO.get(ext, n) == tao_reserve - out - fee_tao
    assert st.SubnetTaoFlow.get(ext, n) == flow - out - fee_tao


def test_staking_call_indices_weights_and_fees() -> None:
    from runtime.pallets import subtensor
    from runtime.support.dispatch import Pays, Weight

    calls = subtensor.PALLET.calls
    assert calls is not None
    expected = {"add_stake": 2, "remove_stake": 3, "unstake_all": 83, "unstake_all_alpha": 84, "move_stake": 85,
                "transfer_stake": 86, "swap_stake": 87, "add_stake_limit": 88, "remove_stake_limit": 89,
                "swap_stake_limit": 90, "recycle_alpha": 101, "burn_alpha": 102, "remove_stake_full_limit": 103}
    assert {name: calls.by_name[name].index for name in expected} == expected
    assert all(calls.by_name[name].pays is Pays.Yes for name in expected)
    assert calls.by_name["add_stake"].weight == Weight(664_064_000 + 32 * 25_000_000 + 16 * 100_000_000, 8727)
    assert calls.by_name["remove_stake"].weight == Weight(569_198_000 + 28 * 25_000_000 + 13 * 100_000_000, 10557)
    assert calls.by_name["unstake_all"].weight == Weight(26_830_000 + 6 * 25_000_000, 9189)
    assert calls.by_name["swap_stake_limit"].weight == Weight(944_515_000 + 47 * 25_000_000 + 24 * 100_000_000,
                                                             11077)
