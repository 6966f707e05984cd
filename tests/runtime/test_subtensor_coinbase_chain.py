"""The coinbase over many blocks of ``on_initialize`` on a small in-memory chain: issuance grows by exactly the
block emission, the minted TAO all lands on the subnet account, alpha is conserved between mint, pending
maps and stake, epochs pay what they drained; plus the price EMA (node-subtensor ``tests/coinbase.rs``
moving-price cases) and ``RootProp``."""

from __future__ import annotations

from fractions import Fraction

from runtime.pallets import balances
from runtime.pallets.subtensor import accounts, block_emission, coinbase, moving_price
from runtime.pallets.subtensor import storage as st
from runtime.scale import I96F32
from tests.runtime.test_subtensor_block_step import MINERS, VALIDATORS, step, subnet
from tests.runtime.test_subtensor_coinbase import add_network, mock_env
from tests.runtime.test_subtensor_subnets import HK_A, Env

PENDING = (st.PendingServerEmission, st.PendingValidatorEmission, st.PendingRootAlphaDivs, st.PendingOwnerCut)


def emitting_subnet(env: Env) -> int:
    netuid = subnet(env, tempo=5, last_epoch=10)
    st.FirstEmissionBlockNumber.put(env.ext, netuid, 10)
    st.SubtokenEnabled.put(env.ext, netuid, True)
    st.SubnetEmissionEnabled.put(env.ext, netuid, True)
    st.SubnetMovingPrice.put(env.ext, netuid, I96F32.from_int(1))
    return netuid


def alpha_held(env: Env, netuid: int) -> int:
    """Alpha accounted for outside the pool: every hotkey's stake on the subnet, the pending maps and the
    protocol's chain-bought alpha."""
    stake = sum(v for (_, n), v in st.TotalHotkeyAlpha.iter(env.ext) if n == netuid)
    return stake + sum(item.get(env.ext, netuid) for item in PENDING) + st.SubnetProtocolAlpha.get(env.ext, netuid)


def test_issuance_grows_by_the_block_emission_and_alpha_is_conserved() -> None:
    env = Env(block=10)
    netuid = emitting_subnet(env)
    account = accounts.subnet_account_id(netuid)
    base_alpha_out = st.SubnetAlphaOut.get(env.ext, netuid)
    base_held = alpha_held(env, netuid)
    epochs = 0
    for block in range(11, 41):
        issuance, balances_issuance = st.TotalIssuance.get(env.ext), balances.total_issuance(env.ext)
        on_account = balances.free_balance(env.ext, account)
        reserve = st.SubnetTAO.get(env.ext, netuid)
        step(env, block)
        emission = st.BlockEmission.get(env.ext)
        assert emission == 10**9
        assert st.TotalIssuance.get(env.ext) - issuance == emission
        assert balances.total_issuance(env.ext) - balances_issuance == emission
        assert balances.free_balance(env.ext, account) - on_account == emission  # all minted TAO is there
        assert st.SubnetTAO.get(env.ext, netuid) - reserve == emission  # injected or chain-bought: in the pool
        assert st.SubnetAlphaOutEmission.get(env.ext, netuid) == 10**9
        if st.LastMechansimStepBlock.get(env.ext, netuid) == block:
            epochs += 1
            assert all(item.get(env.ext, netuid) == 0 for item in PENDING)  # drained
            assert sum(st.Emission.get(env.ext, netuid)) > 0
        # Minted alpha out is all held somewhere, up to flooring (≤ 3 rao per block and ≤ n per epoch).
        minted = st.SubnetAlphaOut.get(env.ext, netuid) - base_alpha_out
        lost = minted - (alpha_held(env, netuid) - base_held)
        assert 0 <= lost <= 3 * (block - 10) + 10 * epochs
    assert epochs == 6  # blocks 15, 20, …, 40
    # The validators earned dividends and the miners incentive from real weights.
    assert all(st.AlphaDividendsPerSubnet.get(env.ext, netuid, hk) > 0 for hk in VALIDATORS)
    assert sum(st.TotalHotkeyAlpha.get(env.ext, hk, netuid) for hk in MINERS) > 0
    assert st.TotalHotkeyAlpha.get(env.ext, HK_A, netuid) > 0  # the owner cut


def test_an_epoch_pays_out_what_it_drained() -> None:
    env = Env(block=10)
    netuid = emitting_subnet(env)
    st.TaoWeight.put(env.ext, 0)
    for block in range(11, 15):
        step(env, block)
    env.set_block(15)
    credit = block_emission.get_block_emission(env.ctx)
    subnets = [netuid]
    emissions = coinbase.get_subnet_block_emissions(env.ctx, subnets, credit.peek() << 32)
    coinbase.emit_to_subnets(env.ctx, subnets, emissions, credit, False)
    pending = [item.get(env.ext, netuid) for item in PENDING]
    assert pending[0] > 0 and pending[1] > 0 and pending[2] == 0 and pending[3] > 0
    staked_before = sum(v for (_, n), v in st.TotalHotkeyAlpha.iter(env.ext) if n == netuid)
    drained = coinbase.drain_pending(env.ctx, [1, netuid], 15)
    assert list(drained) == [netuid]
    assert drained[netuid] == coinbase.PendingEmission(*pending)
    coinbase.distribute_emissions_to_subnets(env.ctx, drained)
    paid = sum(v for (_, n), v in st.TotalHotkeyAlpha.iter(env.ext) if n == netuid) - staked_before
    assert 0 <= sum(pending) - paid <= 10  # the epoch and each payout floor
    # The epoch ran on server + validator + root pending (the owner cut is paid beside it).
    assert 0 <= sum(pending[:3]) - sum(st.Emission.get(env.ext, netuid)) <= 10
    assert st.LastMechansimStepBlock.get(env.ext, netuid) == 15


def test_a_subnet_that_never_started_gets_nothing_over_blocks() -> None:
    env = Env(block=10)
    netuid = subnet(env, tempo=5, last_epoch=10)  # no start_call: no FirstEmissionBlockNumber
    alpha_out = st.SubnetAlphaOut.get(env.ext, netuid)
    balances_issuance = balances.total_issuance(env.ext)
    for block in range(11, 21):
        step(env, block)
    assert st.SubnetAlphaOut.get(env.ext, netuid) == alpha_out
    assert all(item.get(env.ext, netuid) == 0 for item in PENDING)
    assert st.Emission.get(env.ext, netuid) == [0] * 7  # epochs still run, on nothing
    assert st.TotalIssuance.get(env.ext) == 0  # minted, then recycled: no emit subnet
    assert balances.total_issuance(env.ext) == balances_issuance
    assert not st.RootProp.exists(env.ext, netuid)


# -- moving prices and RootProp --------------------------------------------------------------------------------


def _price(env: Env, netuid: int) -> Fraction:
    return Fraction(st.SubnetMovingPrice.get(env.ext, netuid).bits, 1 << 32)


def _dynamic_at_price_one(env: Env, netuid: int) -> None:
    add_network(env, netuid)
    st.SubnetTAO.put(env.ext, netuid, 1_000_000)
    st.SubnetAlphaIn.put(env.ext, netuid, 1_000_000)
    st.SubnetMechanism.put(env.ext, netuid, 1)


def test_coinbase_moving_prices() -> None:
    env = mock_env()
    _dynamic_at_price_one(env, 2)
    st.SubnetMovingPrice.put(env.ext, 2, I96F32.from_int(1))
    env.set_block(7_200_000)
    moving_price.update_moving_price(env.ctx, 2)
    assert _price(env, 2) == 1  # at the spot price it stays
    st.SubnetMovingPrice.put(env.ext, 2, I96F32.from_int(0))
    st.SubnetMovingAlpha.put(env.ext, I96F32.from_int(1))
    moving_price.update_moving_price(env.ctx, 2)
    assert 1 - _price(env, 2) < Fraction(5, 100)
    st.SubnetMovingPrice.put(env.ext, 2, I96F32.from_int(0))
    st.SubnetMovingAlpha.put(env.ext, I96F32.from_bits(429_496_730))  # from_num(0.1)
    env.set_block(7_200 * 28)  # t = h: the effective alpha is halved
    for _ in range(14):
        moving_price.update_moving_price(env.ctx, 2)
    assert abs(_price(env, 2) - Fraction(512_325, 10**6)) < Fraction(1, 1000)


def test_moving_price_starts_slowly_after_start_call() -> None:
    env = mock_env()
    _dynamic_at_price_one(env, 2)
    st.SubnetMovingAlpha.put(env.ext, I96F32.from_bits(1 << 31))
    st.SubnetMovingPrice.put(env.ext, 2, I96F32.from_int(0))
    st.FirstEmissionBlockNumber.put(env.ext, 2, 500)
    env.set_block(510)
    moving_price.update_moving_price(env.ctx, 2)
    assert _price(env, 2) < Fraction(1, 1000)
    st.SubnetMovingPrice.put(env.ext, 2, I96F32.from_int(0))
    env.set_block(144_000_500)
    moving_price.update_moving_price(env.ctx, 2)
    assert abs(_price(env, 2) - Fraction(1, 2)) < Fraction(1, 1000)


def test_spot_price_above_one_is_capped_in_the_ema() -> None:
    env = mock_env()
    _dynamic_at_price_one(env, 2)
    st.SubnetTAO.put(env.ext, 2, 5_000_000)  # spot 5
    st.SubnetMovingAlpha.put(env.ext, I96F32.from_int(1))
    st.SubnetMovingPrice.put(env.ext, 2, I96F32.from_int(0))
    env.set_block(10**9)
    moving_price.update_moving_price(env.ctx, 2)
    assert Fraction(99, 100) < _price(env, 2) <= 1


def test_block_step_updates_prices_and_root_prop_of_emit_subnets_only() -> None:
    env = Env(block=10)
    netuid = emitting_subnet(env)
    st.SubnetTAO.put(env.ext, 0, 10**12)
    st.SubnetMovingPrice.put(env.ext, netuid, I96F32.from_bits(1 << 31))  # ½, below the spot price 1
    st.SubnetMovingAlpha.put(env.ext, I96F32.from_bits(1 << 31))  # big enough to move a bit in 2 blocks
    step(env, 11)
    assert 1 << 31 < st.SubnetMovingPrice.get(env.ext, netuid).bits < 1 << 32
    assert st.RootProp.get(env.ext, netuid).bits > 0
    assert not st.RootProp.exists(env.ext, 1)  # the genesis subnet never started
