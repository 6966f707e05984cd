"""SubtensorModule ``swap_hotkey`` over the mock runtime of ``test_subtensor_subnets``.

Alice owns a subnet whose owner hotkey HK_A (uid 0) Bob stakes to; the swap to a fresh hotkey must move
every hotkey-keyed item (membership, uid/key, serving info, child/parent links, stake, stamps, owner
bookkeeping), burn ``KeySwapCost`` (all subnets) or ``KeySwapOnSubnetCost`` (one subnet) from the
coldkey out of both issuances, and emit ``HotkeySwapped`` / ``HotkeySwappedOnSubnet``. Expected values
follow the reference's rules (``swap/swap_hotkey.rs``, ``keep_stake = false``).
"""

from __future__ import annotations

from runtime.pallets import balances, subtensor
from runtime.pallets.subtensor import staking
from runtime.pallets.subtensor import storage as st
from runtime.pallets.subtensor.calls_swap_hotkey import SWAP_HOTKEY_WEIGHT
from runtime.pallets.subtensor.events import HotkeySwapped, HotkeySwappedOnSubnet
from runtime.pallets.subtensor.types import storage_index
from runtime.scale.fixed import Fixed
from runtime.support.dispatch import DispatchClass, Origin, Pays, Weight
from tests.runtime.test_subtensor_staking import err, issuance, staking_env, sub_events
from tests.runtime.test_subtensor_subnets import ALICE, BOB, CHARLIE, HK_A, HK_B, HK_C, HK_D, POOR, TAO, Env

KEY_SWAP_COST = 100_000_000  # KeySwapCost, 0.1 TAO
KEY_SWAP_ON_SUBNET_COST = 1_000_000  # KeySwapOnSubnetCost
NEW = bytes([0x20]) * 32
AXON = {"block": 3, "version": 7, "ip": 0x7F000001, "port": 8091, "ip_type": 4, "protocol": 0,
        "placeholder1": 0, "placeholder2": 0}
PROM = {"block": 3, "version": 7, "ip": 0x7F000001, "port": 9090, "ip_type": 4}
CERT = {"public_key": b"k" * 32, "algorithm": 1}


def swap_env() -> tuple[Env, int]:
    """Alice's subnet (owner hotkey HK_A, uid 0) with Bob's stake on HK_A, serving info, links, stamps.

    The block is moved past Alice's TxRateLimit stamp so the swap is not rate limited."""
    env, n = staking_env()
    env.call(BOB, "add_stake", hotkey=HK_A, netuid=n, amount_staked=10 * TAO)
    ext = env.ext
    st.Axons.put(ext, n, HK_A, AXON)
    st.Prometheus.put(ext, n, HK_A, PROM)
    st.NeuronCertificates.put(ext, n, HK_A, CERT)
    st.WeightCommits.put(ext, storage_index(n), HK_A, [(b"\x01" * 32, 5, 6, 7)])
    half = ((1 << 64) - 1) // 2
    st.ChildKeys.put(ext, HK_A, n, [(half, HK_B)])
    st.ParentKeys.put(ext, HK_B, n, [(half, HK_A)])
    st.ParentKeys.put(ext, HK_A, n, [(half, HK_C)])
    st.ChildKeys.put(ext, HK_C, n, [(half, HK_A)])
    st.PendingChildKeys.put(ext, n, HK_A, ([(half, HK_B)], 50))
    st.PendingChildKeys.put(ext, n, HK_D, ([(half, HK_A)], 60))
    st.LastTxBlock.put(ext, HK_A, 4)
    st.LastTxBlockDelegateTake.put(ext, HK_A, 5)
    st.LastTxBlockChildKeyTake.put(ext, HK_A, 6)
    st.AlphaDividendsPerSubnet.put(ext, n, HK_A, 77)
    st.TotalHotkeyAlphaLastEpoch.put(ext, HK_A, n, 88)
    st.VotingPower.put(ext, n, HK_A, 99)
    st.AutoStakeDestination.put(ext, BOB, n, HK_A)
    st.AutoStakeDestinationColdkeys.put(ext, HK_A, n, [BOB])
    st.TotalIssuance.put(ext, balances.total_issuance(ext))  # the mock genesis leaves it at 0
    env.set_block(env.ctx.block_number + st.TxRateLimit.get(ext) + 1)
    return env, n


def stakes(env: Env, hotkey: bytes, n: int) -> tuple[int, int, int]:
    ext = env.ext
    return (staking.stake_of(ext, hotkey, BOB, n), staking.stake_of(ext, hotkey, ALICE, n),
            st.TotalHotkeyAlpha.get(ext, hotkey, n))


# -- declaration --------------------------------------------------------------------------------------------


def test_declaration() -> None:
    call = subtensor.PALLET.calls.by_name["swap_hotkey"]  # type: ignore[union-attr]
    assert call.index == 70
    assert [a.name for a in call.args] == ["hotkey", "new_hotkey", "netuid"]
    assert call.pays is Pays.Yes and call.dispatch_class is DispatchClass.Normal
    # from_parts(275_300_000, 0) + 50 reads (25e6) + 35 writes (1e8)
    assert SWAP_HOTKEY_WEIGHT == Weight(275_300_000 + 50 * 25_000_000 + 35 * 100_000_000, 0)


# -- all subnets --------------------------------------------------------------------------------------------


def test_swap_on_all_subnets_moves_everything() -> None:
    env, n = swap_env()
    ext = env.ext
    block = env.ctx.block_number
    before_stake = stakes(env, HK_A, n)
    assert before_stake[0] > 0 and before_stake[2] >= before_stake[0]
    uid = st.Uids.get(ext, n, HK_A)
    was_delegate = st.Delegates.exists(ext, HK_A)
    take = st.Delegates.get(ext, HK_A)
    alice_free, (bal_issuance, sub_issuance) = env.free(ALICE), issuance(env)

    env.call(ALICE, "swap_hotkey", hotkey=HK_A, new_hotkey=NEW, netuid=None)

    # ownership
    assert st.Owner.get(ext, NEW) == ALICE and not st.Owner.exists(ext, HK_A)
    assert NEW in st.OwnedHotkeys.get(ext, ALICE) and HK_A not in st.OwnedHotkeys.get(ext, ALICE)
    # membership, uid, key, owner hotkey of the subnet
    assert st.IsNetworkMember.get(ext, NEW, n) and not st.IsNetworkMember.exists(ext, HK_A, n)
    assert st.Uids.get(ext, n, NEW) == uid and not st.Uids.exists(ext, n, HK_A)
    assert st.Keys.get(ext, n, uid) == NEW
    assert st.SubnetOwnerHotkey.get(ext, n) == NEW
    # serving info and weight commits
    assert st.Axons.get(ext, n, NEW) == AXON and not st.Axons.exists(ext, n, HK_A)
    assert st.Prometheus.get(ext, n, NEW) == PROM and not st.Prometheus.exists(ext, n, HK_A)
    assert st.NeuronCertificates.get(ext, n, NEW) == CERT and not st.NeuronCertificates.exists(ext, n, HK_A)
    assert st.WeightCommits.get(ext, storage_index(n), NEW) == [(b"\x01" * 32, 5, 6, 7)]
    assert not st.WeightCommits.exists(ext, storage_index(n), HK_A)
    # child / parent / pending links, both directions
    half = ((1 << 64) - 1) // 2
    assert st.ChildKeys.get(ext, NEW, n) == [(half, HK_B)] and not st.ChildKeys.exists(ext, HK_A, n)
    assert st.ParentKeys.get(ext, HK_B, n) == [(half, NEW)]
    assert st.ParentKeys.get(ext, NEW, n) == [(half, HK_C)] and not st.ParentKeys.exists(ext, HK_A, n)
    assert st.ChildKeys.get(ext, HK_C, n) == [(half, NEW)]
    assert st.PendingChildKeys.get(ext, n, NEW) == ([(half, HK_B)], 50)
    assert not st.PendingChildKeys.exists(ext, n, HK_A)
    assert st.PendingChildKeys.get(ext, n, HK_D) == ([(half, NEW)], 60)
    # stake: every coldkey's alpha moved, totals preserved, StakingHotkeys rewritten
    assert stakes(env, NEW, n) == before_stake
    assert stakes(env, HK_A, n) == (0, 0, 0)
    assert not any(True for _ in st.AlphaV2.iter(ext, HK_A)) and not any(True for _ in st.Alpha.iter(ext, HK_A))
    assert HK_A not in st.StakingHotkeys.get(ext, BOB) and NEW in st.StakingHotkeys.get(ext, BOB)
    # dividend records, voting power, auto-stake destination
    assert st.AlphaDividendsPerSubnet.get(ext, n, NEW) == 77 and not st.AlphaDividendsPerSubnet.exists(ext, n, HK_A)
    assert st.TotalHotkeyAlphaLastEpoch.get(ext, NEW, n) == 88
    assert not st.TotalHotkeyAlphaLastEpoch.exists(ext, HK_A, n)
    assert st.VotingPower.get(ext, n, NEW) == 99 and not st.VotingPower.exists(ext, n, HK_A)
    assert st.AutoStakeDestination.get(ext, BOB, n) == NEW
    assert st.AutoStakeDestinationColdkeys.get(ext, NEW, n) == [BOB]
    assert not st.AutoStakeDestinationColdkeys.exists(ext, HK_A, n)
    # delegate take and the hotkey's rate-limit stamps; the coldkey's stamp is now
    assert st.Delegates.exists(ext, NEW) == was_delegate and not st.Delegates.exists(ext, HK_A)
    if was_delegate:
        assert st.Delegates.get(ext, NEW) == take
    assert (st.LastTxBlock.get(ext, NEW), st.LastTxBlockDelegateTake.get(ext, NEW),
            st.LastTxBlockChildKeyTake.get(ext, NEW)) == (4, 5, 6)
    assert not st.LastTxBlock.exists(ext, HK_A) and not st.LastTxBlockDelegateTake.exists(ext, HK_A)
    assert not st.LastTxBlockChildKeyTake.exists(ext, HK_A)
    assert st.LastTxBlock.get(ext, ALICE) == block
    # lineage on the subnet
    assert st.HotkeySuccessor.get(ext, n, HK_A) == NEW and st.HotkeyRoot.get(ext, n, NEW) == HK_A
    # cost recycled out of both issuances
    assert env.free(ALICE) == alice_free - KEY_SWAP_COST
    assert issuance(env) == (bal_issuance - KEY_SWAP_COST, sub_issuance - KEY_SWAP_COST)
    assert balances.try_state(ext) == []
    assert HotkeySwapped(ALICE, HK_A, NEW)[1] in sub_events(env)


def test_swap_twice_within_the_rate_limit_is_refused() -> None:
    env, n = swap_env()
    env.call(ALICE, "swap_hotkey", hotkey=HK_A, new_hotkey=NEW, netuid=None)
    assert env.error(ALICE, "swap_hotkey", hotkey=NEW, new_hotkey=HK_A, netuid=None) == err(
        "HotKeySetTxRateLimitExceeded")
    env.set_block(env.ctx.block_number + st.TxRateLimit.get(env.ext) + 1)
    env.call(ALICE, "swap_hotkey", hotkey=NEW, new_hotkey=HK_A, netuid=None)
    assert st.Uids.get(env.ext, n, HK_A) == 0


# -- one subnet ---------------------------------------------------------------------------------------------


def test_swap_on_one_subnet() -> None:
    env, n = swap_env()
    ext = env.ext
    block = env.ctx.block_number
    before_stake = stakes(env, HK_A, n)
    alice_free, (bal_issuance, sub_issuance) = env.free(ALICE), issuance(env)

    env.call(ALICE, "swap_hotkey", hotkey=HK_A, new_hotkey=NEW, netuid=n)

    # the old hotkey stays owned; the new one is added
    assert st.Owner.get(ext, NEW) == ALICE and st.Owner.get(ext, HK_A) == ALICE
    assert {HK_A, NEW} <= set(st.OwnedHotkeys.get(ext, ALICE))
    assert st.Uids.get(ext, n, NEW) == 0 and st.Keys.get(ext, n, 0) == NEW
    assert st.Axons.get(ext, n, NEW) == AXON
    assert stakes(env, NEW, n) == before_stake and stakes(env, HK_A, n) == (0, 0, 0)
    assert {HK_A, NEW} <= set(st.StakingHotkeys.get(ext, BOB))  # the per-subnet path only adds
    assert st.LastHotkeySwapOnNetuid.get(ext, n, ALICE) == block == st.LastTxBlock.get(ext, ALICE)
    # the hotkey's stamps are copied, not removed, on this path
    assert st.LastTxBlock.get(ext, NEW) == 4 == st.LastTxBlock.get(ext, HK_A)
    assert env.free(ALICE) == alice_free - KEY_SWAP_ON_SUBNET_COST
    assert issuance(env) == (bal_issuance - KEY_SWAP_ON_SUBNET_COST, sub_issuance - KEY_SWAP_ON_SUBNET_COST)
    events = sub_events(env)
    assert HotkeySwappedOnSubnet(ALICE, HK_A, NEW, n)[1] in events
    assert HotkeySwapped(ALICE, HK_A, NEW)[1] not in events


def test_swap_on_one_subnet_interval() -> None:
    env, n = swap_env()
    st.TxRateLimit.put(env.ext, 0)  # isolate the per-subnet interval
    st.LastHotkeySwapOnNetuid.put(env.ext, n, ALICE, env.ctx.block_number - 1)  # + interval 1 == now
    assert env.error(ALICE, "swap_hotkey", hotkey=HK_A, new_hotkey=NEW, netuid=n) == err(
        "HotKeySwapOnSubnetIntervalNotPassed")
    st.LastHotkeySwapOnNetuid.put(env.ext, n, ALICE, env.ctx.block_number - 2)
    env.call(ALICE, "swap_hotkey", hotkey=HK_A, new_hotkey=NEW, netuid=n)


# -- errors -------------------------------------------------------------------------------------------------


def test_errors() -> None:
    env, n = swap_env()
    # not the owner of the old hotkey
    assert env.error(BOB, "swap_hotkey", hotkey=HK_A, new_hotkey=NEW, netuid=None) == err("NonAssociatedColdKey")
    assert env.error(ALICE, "swap_hotkey", hotkey=NEW, new_hotkey=HK_D, netuid=None) == err("NonAssociatedColdKey")
    # same key
    assert env.error(ALICE, "swap_hotkey", hotkey=HK_A, new_hotkey=HK_A, netuid=None) == err(
        "NewHotKeyIsSameWithOld")
    # new hotkey registered somewhere (all subnets) / on that subnet
    env.call(CHARLIE, "burned_register", netuid=n, hotkey=HK_C)
    assert st.IsNetworkMember.get(env.ext, HK_C, n)
    assert env.error(ALICE, "swap_hotkey", hotkey=HK_A, new_hotkey=HK_C, netuid=None) == err(
        "HotKeyAlreadyRegisteredInSubNet")
    assert env.error(ALICE, "swap_hotkey", hotkey=HK_A, new_hotkey=HK_C, netuid=n) == err(
        "HotKeyAlreadyRegisteredInSubNet")
    # rate limited by the coldkey's last transaction
    st.LastTxBlock.put(env.ext, ALICE, env.ctx.block_number - 1)
    assert env.error(ALICE, "swap_hotkey", hotkey=HK_A, new_hotkey=NEW, netuid=None) == err(
        "HotKeySetTxRateLimitExceeded")
    assert env.error(ALICE, "swap_hotkey", hotkey=HK_A, new_hotkey=NEW, netuid=n) == err(
        "HotKeySetTxRateLimitExceeded")
    # unsigned
    assert env.error(Origin.none(), "swap_hotkey", hotkey=HK_A, new_hotkey=NEW, netuid=None) == "BadOrigin"


def test_not_enough_balance_to_pay() -> None:
    env = Env(endowed=[(ALICE, 2_000 * TAO), (POOR, 10 * TAO)])
    netuid = env.register_network(ALICE, HK_A)
    env.set_block(env.ctx.block_number + st.TxRateLimit.get(env.ext) + 1)
    # leave Alice less than the swap cost
    balances.burn_from(env.ctx, ALICE, env.free(ALICE) - KEY_SWAP_COST + 1)
    assert env.free(ALICE) < KEY_SWAP_COST
    assert env.error(ALICE, "swap_hotkey", hotkey=HK_A, new_hotkey=NEW, netuid=None) == err(
        "NotEnoughBalanceToPaySwapHotKey")
    # the per-subnet cost is smaller and still payable
    env.call(ALICE, "swap_hotkey", hotkey=HK_A, new_hotkey=NEW, netuid=netuid)
    assert st.Uids.get(env.ext, netuid, NEW) == 0




# -- swap_hotkey_v2: keep_stake -----------------------------------------------------------------------------


def test_v2_declaration() -> None:
    call = subtensor.PALLET.calls.by_name["swap_hotkey_v2"]  # type: ignore[union-attr]
    assert call.index == 72 and [a.name for a in call.args] == ["hotkey", "new_hotkey", "netuid", "keep_stake"]
    assert call.pays is Pays.Yes and call.weight == SWAP_HOTKEY_WEIGHT


def test_v2_without_keep_stake_is_swap_hotkey() -> None:
    env, n = swap_env()
    before_stake = stakes(env, HK_A, n)
    env.call(ALICE, "swap_hotkey_v2", hotkey=HK_A, new_hotkey=NEW, netuid=None, keep_stake=False)
    assert stakes(env, NEW, n) == before_stake and not st.Owner.exists(env.ext, HK_A)


def test_v2_keep_stake_on_all_subnets_leaves_the_stake_and_the_old_key() -> None:
    env, n = swap_env()
    ext = env.ext
    before_stake = stakes(env, HK_A, n)
    uid = st.Uids.get(ext, n, HK_A)

    env.call(ALICE, "swap_hotkey_v2", hotkey=HK_A, new_hotkey=NEW, netuid=None, keep_stake=True)

    # the identity moves ...
    assert st.Uids.get(ext, n, NEW) == uid and st.Keys.get(ext, n, uid) == NEW
    assert st.Axons.get(ext, n, NEW) == AXON and st.SubnetOwnerHotkey.get(ext, n) == NEW
    assert st.AutoStakeDestination.get(ext, BOB, n) == NEW
    # ... the stake and its records stay, so the old key stays owned
    assert stakes(env, HK_A, n) == before_stake and stakes(env, NEW, n) == (0, 0, 0)
    assert st.Owner.get(ext, HK_A) == ALICE == st.Owner.get(ext, NEW)
    assert {HK_A, NEW} <= set(st.OwnedHotkeys.get(ext, ALICE))
    assert HK_A in st.StakingHotkeys.get(ext, BOB) and NEW not in st.StakingHotkeys.get(ext, BOB)
    assert st.AlphaDividendsPerSubnet.get(ext, n, HK_A) == 77 and st.AlphaDividendsPerSubnet.get(ext, n, NEW) == 0
    assert st.TotalHotkeyAlphaLastEpoch.get(ext, HK_A, n) == 88
    assert st.VotingPower.get(ext, n, HK_A) == 99 and not st.VotingPower.exists(ext, n, NEW)
    assert HotkeySwapped(ALICE, HK_A, NEW)[1] in sub_events(env)


def test_v2_keep_stake_on_one_subnet() -> None:
    env, n = swap_env()
    before_stake = stakes(env, HK_A, n)
    env.call(ALICE, "swap_hotkey_v2", hotkey=HK_A, new_hotkey=NEW, netuid=n, keep_stake=True)
    assert st.Uids.get(env.ext, n, NEW) == 0
    assert stakes(env, HK_A, n) == before_stake and stakes(env, NEW, n) == (0, 0, 0)
    assert HotkeySwappedOnSubnet(ALICE, HK_A, NEW, n)[1] in sub_events(env)


def test_v2_keep_stake_refused_with_miner_collateral() -> None:
    env, n = swap_env()
    state = {"locked": 1, "drain_ratio": Fixed(0, 64), "min_locked": 0, "earned": 0}
    st.MinerCollateral.put(env.ext, n, HK_A, ALICE, state)
    assert env.error(ALICE, "swap_hotkey_v2", hotkey=HK_A, new_hotkey=NEW, netuid=None, keep_stake=True) == err(
        "KeepStakeBlockedByCollateral")
