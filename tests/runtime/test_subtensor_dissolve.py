"""Dissolving a subnet pays its TAO pool out to the alpha holders (``destroy_alpha_in_out_stakes``)."""

from __future__ import annotations

from runtime.pallets import balances
from runtime.pallets.subtensor import accounts, staking
from runtime.pallets.subtensor import storage as st
from runtime.support.dispatch import Origin
from tests.runtime.test_subtensor_staking import issuance, staking_env
from tests.runtime.test_subtensor_subnets import ALICE, BOB, CHARLIE, HK_A, TAO


def test_root_dissolve_pays_two_stakers_their_exact_share() -> None:
    env, n = staking_env()
    ext = env.ext
    env.call(BOB, "add_stake", hotkey=HK_A, netuid=n, amount_staked=10 * TAO)
    env.call(CHARLIE, "add_stake", hotkey=HK_A, netuid=n, amount_staked=25 * TAO)
    bob_alpha, charlie_alpha = staking.stake_of(ext, HK_A, BOB, n), staking.stake_of(ext, HK_A, CHARLIE, n)
    pot, alpha_in = st.SubnetTAO.get(ext, n), st.SubnetAlphaIn.get(ext, n)
    total = alpha_in + bob_alpha + charlie_alpha  # a post-deployment subnet: the pool's alpha weighs in
    bob_share, bob_rem = divmod(pot * bob_alpha, total)
    charlie_share, charlie_rem = divmod(pot * charlie_alpha, total)
    protocol_rem = pot * alpha_in % total
    extra = (bob_rem + charlie_rem) // total
    assert extra <= 1
    if extra:
        if bob_rem >= charlie_rem:
            bob_share += 1
        else:
            charlie_share += 1
    subnet_account = accounts.subnet_account_id(n)
    before_bob, before_charlie, before_alice = env.free(BOB), env.free(CHARLIE), env.free(ALICE)
    before_account, total_stake, before_issuance = env.free(subnet_account), st.TotalStake.get(ext), issuance(env)
    assert protocol_rem >= 0
    env.clear_events()

    env.call(Origin.root(), "root_dissolve_network", netuid=n)

    assert env.free(BOB) == before_bob + bob_share
    assert env.free(CHARLIE) == before_charlie + charlie_share
    assert 0 < bob_share < charlie_share
    assert env.free(ALICE) == before_alice  # registered after NetworkRegistrationStartBlock: no refund
    assert env.free(subnet_account) == before_account - bob_share - charlie_share
    assert not st.SubnetTAO.exists(ext, n) and st.SubnetTAO.get(ext, n) == 0
    assert st.TotalStake.get(ext) == total_stake - pot
    assert issuance(env) == before_issuance  # TAO moves, nothing minted or burned
    assert balances.try_state(ext) == []
    for coldkey in (BOB, CHARLIE):
        assert not st.AlphaV2.exists(ext, HK_A, coldkey, n) and staking.stake_of(ext, HK_A, coldkey, n) == 0
    assert not st.TotalHotkeyAlpha.exists(ext, HK_A, n) and not st.TotalHotkeySharesV2.exists(ext, HK_A, n)
    assert st.SubnetAlphaIn.get(ext, n) == 0 and st.SubnetAlphaOut.get(ext, n) == 0
    assert not st.NetworksAdded.exists(ext, n)
    transfers = [e[1][1] for e in env.events() if e[0] == "Balances" and e[1][0] == "Transfer"]
    assert {"from": subnet_account, "to": BOB, "amount": bob_share} in transfers
    assert {"from": subnet_account, "to": CHARLIE, "amount": charlie_share} in transfers
    subs = [e[1] for e in env.events() if e[0] == "SubtensorModule"]
    assert subs == [("NetworkRemoved", n)]


def test_legacy_subnet_refunds_the_owner_lock_and_pays_the_rest() -> None:
    env, n = staking_env()
    ext = env.ext
    env.call(BOB, "add_stake", hotkey=HK_A, netuid=n, amount_staked=10 * TAO)
    st.NetworkRegistrationStartBlock.put(ext, 1_000)  # registered before: a legacy subnet
    st.TaoInRefundDeploymentBlock.put(ext, 1_000)     # the pool's own alpha does not weigh in
    pot, lock = st.SubnetTAO.get(ext, n), st.SubnetLocked.get(ext, n)
    owner_emission = subnets_owner_emission(ext, n)
    before_bob, before_alice = env.free(BOB), env.free(ALICE)
    env.call(Origin.root(), "dissolve_network", coldkey=BOB, netuid=n)
    # Bob is the only weighted holder: he gets the whole pot; the owner then gets what is left, capped.
    assert env.free(BOB) == before_bob + pot
    assert env.free(ALICE) - before_alice <= max(lock - owner_emission, 0)
    assert st.SubnetLocked.get(ext, n) == 0 and st.SubnetTAO.get(ext, n) == 0
    assert balances.try_state(ext) == []


def subnets_owner_emission(ext, netuid):  # type: ignore[no-untyped-def]
    from runtime.pallets.subtensor import subnets

    return subnets._owner_emission_tao(ext, netuid)
