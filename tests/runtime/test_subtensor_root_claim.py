"""Root claims (``claim_root``, ``claim_root_with_hotkey``, ``sudo_set_root_claim_threshold``) over the mock
runtime of ``test_subtensor_subnets``.

Expected values follow the reference's rules (``staking/claim_root.rs``): a coldkey is owed
``floor(rate × root_stake) − RootClaimed`` alpha per subnet; the claim sells it fee-free through the pool
(constant product: :func:`sell`), stakes the TAO on root, rebases every subnet's watermark by
``floor(rate × tao)`` and adds the owed alpha to the claimed subnet's watermark.
"""

from __future__ import annotations

from runtime.pallets import subtensor
from runtime.pallets.subtensor import emission_distribution, root_claim
from runtime.pallets.subtensor import storage as st
from runtime.pallets.subtensor.events import RootClaimed
from runtime.pallets.subtensor.staking import add_staking_hotkey, increase_stake, stake_of
from runtime.scale import I96F32
from runtime.support.dispatch import DispatchClass, Origin, Pays
from tests.runtime.test_subtensor_staking import sell, staking_env, sub_events
from tests.runtime.test_subtensor_subnets import ALICE, BOB, CHARLIE, HK_A, HK_C, TAO, Env

ROOT = Origin.root()
U64_MAX = (1 << 64) - 1


def root_stake(env: Env, hotkey: bytes, coldkey: bytes, amount: int) -> None:
    increase_stake(env.ext, hotkey, coldkey, 0, amount)
    add_staking_hotkey(env.ext, coldkey, hotkey)


def credit(env: Env, hotkey: bytes, netuid: int, alpha: int) -> None:
    """The coinbase's crediting of root stakers (``increase_root_claimable_for_hotkey_and_subnet``)."""
    emission_distribution.increase_root_claimable_for_hotkey_and_subnet(env.ctx, hotkey, netuid, alpha)


def rate(env: Env, hotkey: bytes, netuid: int) -> int:
    return st.RootClaimable.get(env.ext, hotkey)[netuid].bits


def no_dust_threshold(env: Env) -> None:
    env.call(ROOT, "sudo_set_root_claim_threshold", netuid=0, new_value=0)


def owed_of(env: Env, hotkey: bytes, coldkey: bytes, netuid: int) -> int:
    """``floor(rate × root_stake)``: what a coldkey that never claimed is owed."""
    return (rate(env, hotkey, netuid) * stake_of(env.ext, hotkey, coldkey, 0)) >> 32


def pool(env: Env, netuid: int) -> tuple[int, int]:
    return st.SubnetTAO.get(env.ext, netuid), st.SubnetAlphaIn.get(env.ext, netuid)


def second_subnet(env: Env) -> int:
    st.NetworkRateLimit.put(env.ext, 0)
    netuid = env.register_network(CHARLIE, HK_C)
    st.SubtokenEnabled.put(env.ext, netuid, True)
    return netuid


# -- declarations ---------------------------------------------------------------------------------------------


def test_declarations() -> None:
    by_name = subtensor.PALLET.calls.by_name  # type: ignore[union-attr]
    expected = {"claim_root": (121, ["subnets"]), "sudo_set_root_claim_threshold": (124, ["netuid", "new_value"]),
                "claim_root_with_hotkey": (148, ["hotkey"])}
    for name, (index, args) in expected.items():
        call = by_name[name]
        assert (call.index, [a.name for a in call.args], call.pays) == (index, args, Pays.Yes)
    assert by_name["sudo_set_root_claim_threshold"].dispatch_class is DispatchClass.Operational


# -- error paths ----------------------------------------------------------------------------------------------


def test_claims_need_a_signed_origin() -> None:
    env, _ = staking_env()
    assert env.error(ROOT, "claim_root", subnets=set()) == "BadOrigin"
    assert env.error(Origin.none(), "claim_root", subnets=set()) == "BadOrigin"
    assert env.error(ROOT, "claim_root_with_hotkey", hotkey=HK_A) == "BadOrigin"


def test_threshold_setter_errors() -> None:
    env, n = staking_env()
    assert env.error(BOB, "sudo_set_root_claim_threshold", netuid=0, new_value=1) == "BadOrigin"
    # Only the ROOT entry is consulted, so other netuids are refused, even from the subnet owner or root.
    invalid = env.error(ROOT, "sudo_set_root_claim_threshold", netuid=n, new_value=1)
    assert invalid == env.error(ALICE, "sudo_set_root_claim_threshold", netuid=n, new_value=1)
    assert invalid != "BadOrigin"
    too_big = root_claim.MAX_ROOT_CLAIM_THRESHOLD + 1
    assert env.error(ROOT, "sudo_set_root_claim_threshold", netuid=0, new_value=too_big) == invalid
    assert st.RootClaimableThreshold.get(env.ext, 0) == I96F32.from_int(500_000)  # the default, untouched


def test_threshold_setter_stores_the_root_entry() -> None:
    env, _ = staking_env()
    env.call(ROOT, "sudo_set_root_claim_threshold", netuid=0, new_value=root_claim.MAX_ROOT_CLAIM_THRESHOLD)
    assert st.RootClaimableThreshold.get(env.ext, 0) == I96F32.from_int(root_claim.MAX_ROOT_CLAIM_THRESHOLD)
    assert sub_events(env) == []


# -- claimed amounts ------------------------------------------------------------------------------------------


def test_claim_sells_the_owed_alpha_and_stakes_the_tao_on_root() -> None:
    env, n = staking_env()
    no_dust_threshold(env)
    root_stake(env, HK_A, BOB, 10 * TAO)
    credit(env, HK_A, n, 2 * TAO)  # 0.2 alpha per rao of root stake
    assert rate(env, HK_A, n) == I96F32.from_int(1).bits // 5
    owed = (rate(env, HK_A, n) * 10 * TAO) >> 32
    assert root_claim.get_root_owed_for_hotkey_coldkey(env.ext, HK_A, BOB, n) == owed
    tao_reserve, alpha_reserve = pool(env, n)
    root_tao, total_stake = st.SubnetTAO.get(env.ext, 0), st.TotalStake.get(env.ext)
    env.clear_events()

    env.call(BOB, "claim_root", subnets=set())

    tao = sell(tao_reserve, alpha_reserve, owed)
    assert tao > 0
    assert stake_of(env.ext, HK_A, BOB, 0) == 10 * TAO + tao
    assert pool(env, n) == (tao_reserve - tao, alpha_reserve + owed)
    assert st.SubnetTAO.get(env.ext, 0) == root_tao + tao
    assert st.TotalStake.get(env.ext) == total_stake  # the TAO left the subnet pool and landed on root
    # Watermark: the new root stake's share of the old rate, plus the alpha redeemed.
    assert st.RootClaimed.get(env.ext, n, HK_A, BOB) == ((rate(env, HK_A, n) * tao) >> 32) + owed
    # Two separately floored products leave at most one rao of rounding owed.
    left = (rate(env, HK_A, n) * (10 * TAO + tao) - (st.RootClaimed.get(env.ext, n, HK_A, BOB) << 32)) >> 32
    assert left <= 1
    assert root_claim.get_root_owed_for_hotkey_coldkey(env.ext, HK_A, BOB, n) == left
    assert sub_events(env)[-1] == RootClaimed(BOB, tao)[1]
    assert st.StakingColdkeys.exists(env.ext, BOB)

    # Nothing worth selling left: a second claim changes no stake and reports 0 TAO.
    env.call(ROOT, "sudo_set_root_claim_threshold", netuid=0, new_value=1_000)
    env.clear_events()
    env.call(BOB, "claim_root", subnets=set())
    assert stake_of(env.ext, HK_A, BOB, 0) == 10 * TAO + tao
    assert sub_events(env) == [RootClaimed(BOB, 0)[1]]


def test_claims_are_pro_rata_and_per_coldkey() -> None:
    env, n = staking_env()
    no_dust_threshold(env)
    root_stake(env, HK_A, BOB, 3 * TAO)
    root_stake(env, HK_A, CHARLIE, TAO)
    credit(env, HK_A, n, 4 * TAO // 10)
    owed_bob, owed_charlie = owed_of(env, HK_A, BOB, n), owed_of(env, HK_A, CHARLIE, n)
    assert root_claim.get_root_owed_for_hotkey_coldkey(env.ext, HK_A, BOB, n) == owed_bob
    assert root_claim.get_root_owed_for_hotkey_coldkey(env.ext, HK_A, CHARLIE, n) == owed_charlie
    # 0.1 is not a binary fraction: the floored rate loses at most a rao per 2^-32 × stake.
    assert 3 * TAO // 10 - owed_bob <= 1 and TAO // 10 - owed_charlie <= 1
    tao_reserve, alpha_reserve = pool(env, n)

    env.call(CHARLIE, "claim_root_with_hotkey", hotkey=HK_A)

    assert stake_of(env.ext, HK_A, CHARLIE, 0) == TAO + sell(tao_reserve, alpha_reserve, owed_charlie)
    assert stake_of(env.ext, HK_A, BOB, 0) == 3 * TAO
    assert st.RootClaimed.get(env.ext, n, HK_A, BOB) == 0
    assert root_claim.get_root_owed_for_hotkey_coldkey(env.ext, HK_A, BOB, n) == owed_bob


def test_dust_below_the_root_threshold_stays_owed() -> None:
    env, n = staking_env()
    root_stake(env, HK_A, BOB, 10 * TAO)
    credit(env, HK_A, n, 100_000)  # worth ~100k rao of TAO at price 1, under the 500k default
    owed = root_claim.get_root_owed_for_hotkey_coldkey(env.ext, HK_A, BOB, n)
    assert owed == owed_of(env, HK_A, BOB, n) and 100_000 - owed <= 2
    env.clear_events()
    env.call(BOB, "claim_root", subnets=set())
    assert stake_of(env.ext, HK_A, BOB, 0) == 10 * TAO
    assert st.RootClaimed.get(env.ext, n, HK_A, BOB) == 0
    assert sub_events(env) == [RootClaimed(BOB, 0)[1]]

    no_dust_threshold(env)
    tao_reserve, alpha_reserve = pool(env, n)
    env.call(BOB, "claim_root", subnets=set())
    assert stake_of(env.ext, HK_A, BOB, 0) == 10 * TAO + sell(tao_reserve, alpha_reserve, owed)


def test_negative_entitlement_claims_nothing() -> None:
    env, n = staking_env()
    no_dust_threshold(env)
    root_stake(env, HK_A, BOB, TAO)
    credit(env, HK_A, n, TAO // 10)
    st.RootClaimed.put(env.ext, n, HK_A, BOB, TAO)  # more than rate × stake
    assert root_claim.get_root_owed_for_hotkey_coldkey_float(env.ext, HK_A, BOB, n) < 0
    assert root_claim.get_root_owed_for_hotkey_coldkey(env.ext, HK_A, BOB, n) == 0
    before = pool(env, n)
    env.call(BOB, "claim_root", subnets=set())
    assert (stake_of(env.ext, HK_A, BOB, 0), pool(env, n)) == (TAO, before)
    assert st.RootClaimed.get(env.ext, n, HK_A, BOB) == TAO


def test_a_failing_swap_leaves_the_entitlement_in_place() -> None:
    env, n = staking_env()
    m = second_subnet(env)
    no_dust_threshold(env)
    root_stake(env, HK_A, BOB, 10 * TAO)
    credit(env, HK_A, n, TAO)
    credit(env, HK_A, m, TAO)
    owed_n, owed_m = owed_of(env, HK_A, BOB, n), owed_of(env, HK_A, BOB, m)
    st.SubnetTAO.put(env.ext, n, 0)  # the pool cannot pay out: the swap errors
    st_before = pool(env, n)
    tao_reserve, alpha_reserve = pool(env, m)
    env.clear_events()

    env.call(BOB, "claim_root", subnets=set())  # the call itself succeeds

    tao_m = sell(tao_reserve, alpha_reserve, owed_m)
    assert pool(env, n) == st_before
    assert stake_of(env.ext, HK_A, BOB, 0) == 10 * TAO + tao_m  # only subnet m was redeemed
    # n's watermark only moved by the rebase for m's new root stake: its owed alpha is still there.
    assert st.RootClaimed.get(env.ext, n, HK_A, BOB) == (rate(env, HK_A, n) * tao_m) >> 32
    assert root_claim.get_root_owed_for_hotkey_coldkey(env.ext, HK_A, BOB, n) >= owed_n
    assert sub_events(env) == [RootClaimed(BOB, tao_m)[1]]


def test_claim_root_walks_every_hotkey_and_subnet_and_ignores_subnets() -> None:
    env, n = staking_env()
    m = second_subnet(env)
    no_dust_threshold(env)
    root_stake(env, HK_A, BOB, 10 * TAO)
    root_stake(env, HK_C, BOB, 5 * TAO)
    credit(env, HK_A, n, TAO)
    credit(env, HK_A, m, 2 * TAO)
    credit(env, HK_C, m, TAO)
    pools = {n: pool(env, n), m: pool(env, m)}
    rates_a = {n: rate(env, HK_A, n), m: rate(env, HK_A, m)}
    owed_n, owed_m, owed_c = owed_of(env, HK_A, BOB, n), owed_of(env, HK_A, BOB, m), owed_of(env, HK_C, BOB, m)

    env.call(BOB, "claim_root", subnets={m})  # the argument is ignored: every subnet is claimed

    # HK_A: subnet n first (ascending netuid), then m; the TAO of the first claim rebases m's watermark.
    tao_n = sell(*pools[n], owed_n)
    tao_m = sell(*pools[m], owed_m)
    pools[m] = (pools[m][0] - tao_m, pools[m][1] + owed_m)
    tao_c = sell(*pools[m], owed_c)
    assert stake_of(env.ext, HK_A, BOB, 0) == 10 * TAO + tao_n + tao_m
    assert stake_of(env.ext, HK_C, BOB, 0) == 5 * TAO + tao_c
    assert st.RootClaimed.get(env.ext, n, HK_A, BOB) == (
        ((rates_a[n] * tao_n) >> 32) + owed_n + ((rates_a[n] * tao_m) >> 32))
    assert st.RootClaimed.get(env.ext, m, HK_A, BOB) == (
        ((rates_a[m] * tao_n) >> 32) + ((rates_a[m] * tao_m) >> 32) + owed_m)
    assert sub_events(env)[-1] == RootClaimed(BOB, tao_n + tao_m + tao_c)[1]


def test_claim_root_with_hotkey_leaves_other_validators_alone() -> None:
    env, n = staking_env()
    no_dust_threshold(env)
    root_stake(env, HK_A, BOB, 10 * TAO)
    root_stake(env, HK_C, BOB, 10 * TAO)
    credit(env, HK_A, n, TAO)
    credit(env, HK_C, n, TAO)
    owed_a, owed_c = owed_of(env, HK_A, BOB, n), owed_of(env, HK_C, BOB, n)
    tao_reserve, alpha_reserve = pool(env, n)
    env.clear_events()

    env.call(BOB, "claim_root_with_hotkey", hotkey=HK_C)

    tao = sell(tao_reserve, alpha_reserve, owed_c)
    assert stake_of(env.ext, HK_C, BOB, 0) == 10 * TAO + tao
    assert stake_of(env.ext, HK_A, BOB, 0) == 10 * TAO
    assert root_claim.get_root_owed_for_hotkey_coldkey(env.ext, HK_A, BOB, n) == owed_a
    assert sub_events(env) == [RootClaimed(BOB, tao)[1]]


# -- coinbase → claim -----------------------------------------------------------------------------------------


def test_root_alpha_dividends_from_the_coinbase_are_claimed_as_root_stake() -> None:
    env, n = staking_env()
    no_dust_threshold(env)
    st.Delegates.put(env.ext, HK_A, 0)  # no take: the whole root dividend goes to root stakers
    st.TaoWeight.put(env.ext, U64_MAX)
    increase_stake(env.ext, HK_A, ALICE, n, TAO)
    root_stake(env, HK_A, BOB, TAO)
    emission_distribution.distribute_emission(env.ctx, n, TAO // 2, TAO // 2, TAO, 0)

    dividends = st.RootAlphaDividendsPerSubnet.get(env.ext, n, HK_A)
    assert dividends > 0
    owed = root_claim.get_root_owed_for_hotkey_coldkey(env.ext, HK_A, BOB, n)
    assert abs(owed - dividends) <= 1  # BOB is the only root staker: all of it, up to rounding
    tao_reserve, alpha_reserve = pool(env, n)
    env.clear_events()

    env.call(BOB, "claim_root", subnets=set())

    tao = sell(tao_reserve, alpha_reserve, owed)
    assert stake_of(env.ext, HK_A, BOB, 0) == TAO + tao
    assert st.RootClaimed.get(env.ext, n, HK_A, BOB) == ((rate(env, HK_A, n) * tao) >> 32) + owed
    assert sub_events(env)[-1] == RootClaimed(BOB, tao)[1]
