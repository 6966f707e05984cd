"""SubtensorModule spec-461 additions over the mock runtime of ``test_subtensor_subnets``: child-key sudo
settings, ``try_associate_hotkey``, ``set_coldkey_auto_stake_hotkey``, ``add_stake_burn``,
``move_stake_limit``, ``transfer_stake_and_hotkey``, the deprecated tempo setters and ``trigger_epoch``.

Expected values come from the reference's rules (``macros/dispatches.rs``, ``staking/*.rs``,
``coinbase/tempo_control.rs``) and the swap arithmetic helpers of ``test_subtensor_staking``.
"""

from __future__ import annotations

from runtime.pallets import subtensor
from runtime.pallets.subtensor import accounts, stake_calls, staking
from runtime.pallets.subtensor import storage as st
from runtime.pallets.subtensor.events import (
    AddStakeBurn, AutoStakeDestinationSet, EpochTriggered, MaxChildKeyTakeSet, MinChildKeyTakeSet,
    StakeAndHotkeyTransferred, TxChildKeyTakeRateLimitSet,
)
from runtime.pallets.swap import engine
from runtime.support.dispatch import Origin, Pays
from tests.runtime.test_subtensor_staking import buy, err, fee, sell, staking_env, sub_events
from tests.runtime.test_subtensor_subnets import ALICE, BOB, CHARLIE, HK_A, HK_C, HK_D, TAO, Env

ROOT = Origin.root()


def test_declarations() -> None:
    by_name = subtensor.PALLET.calls.by_name  # type: ignore[union-attr]
    expected = {
        "sudo_set_tx_childkey_take_rate_limit": (69, ["tx_rate_limit"]),
        "swap_hotkey_v2": (72, ["hotkey", "new_hotkey", "netuid", "keep_stake"]),
        "sudo_set_min_childkey_take": (76, ["take"]), "sudo_set_max_childkey_take": (77, ["take"]),
        "try_associate_hotkey": (91, ["hotkey"]), "set_pending_childkey_cooldown": (109, ["cooldown"]),
        "set_coldkey_auto_stake_hotkey": (114, ["netuid", "hotkey"]),
        "add_stake_burn": (132, ["hotkey", "netuid", "amount", "limit"]),
        "set_tempo": (139, ["netuid", "tempo"]), "set_activity_cutoff_factor": (140, ["netuid", "factor_milli"]),
        "trigger_epoch": (141, ["netuid"]),
        "transfer_stake_and_hotkey": (143, ["destination_coldkey", "origin_hotkey", "destination_hotkey",
                                            "origin_netuid", "destination_netuid", "alpha_amount"]),
        "move_stake_limit": (149, ["origin_hotkey", "destination_hotkey", "origin_netuid", "destination_netuid",
                                   "alpha_amount", "limit_price", "allow_partial"]),
    }
    for name, (index, args) in expected.items():
        call = by_name[name]
        assert (call.index, [a.name for a in call.args]) == (index, args)
        assert call.pays is Pays.Yes


# -- root settings ----------------------------------------------------------------------------------------


def test_childkey_sudo_settings() -> None:
    env = Env(block=3)
    for name, arg, item, event in (
            ("sudo_set_tx_childkey_take_rate_limit", "tx_rate_limit", st.TxChildkeyTakeRateLimit,
             TxChildKeyTakeRateLimitSet),
            ("sudo_set_min_childkey_take", "take", st.MinChildkeyTake, MinChildKeyTakeSet),
            ("sudo_set_max_childkey_take", "take", st.MaxChildkeyTake, MaxChildKeyTakeSet)):
        assert env.error(ALICE, name, **{arg: 1234}) == "BadOrigin"
        env.clear_events()
        env.call(ROOT, name, **{arg: 1234})
        assert item.get(env.ext) == 1234
        assert sub_events(env) == [event(1234)[1]]
    assert env.error(ALICE, "set_pending_childkey_cooldown", cooldown=7) == "BadOrigin"
    env.clear_events()
    env.call(ROOT, "set_pending_childkey_cooldown", cooldown=7)
    assert st.PendingChildKeyCooldown.get(env.ext) == 7 and sub_events(env) == []


# -- keys -------------------------------------------------------------------------------------------------


def test_try_associate_hotkey() -> None:
    env = Env(block=3)
    env.call(ALICE, "try_associate_hotkey", hotkey=HK_A)
    assert st.Owner.get(env.ext, HK_A) == ALICE
    assert st.OwnedHotkeys.get(env.ext, ALICE) == [HK_A] and st.StakingHotkeys.get(env.ext, ALICE) == [HK_A]
    env.call(BOB, "try_associate_hotkey", hotkey=HK_A)  # already owned: a no-op that still succeeds
    assert st.Owner.get(env.ext, HK_A) == ALICE and not st.OwnedHotkeys.exists(env.ext, BOB)
    assert env.error(ALICE, "try_associate_hotkey", hotkey=accounts.subnet_account_id(1)) == err(
        "CannotUseSystemAccount")


def test_set_coldkey_auto_stake_hotkey() -> None:
    env, n = staking_env()
    env.call(CHARLIE, "burned_register", netuid=n, hotkey=HK_C)
    assert env.error(BOB, "set_coldkey_auto_stake_hotkey", netuid=99, hotkey=HK_A) == err("SubnetNotExists")
    assert env.error(BOB, "set_coldkey_auto_stake_hotkey", netuid=n, hotkey=HK_D) == err(
        "HotKeyNotRegisteredInSubNet")
    env.clear_events()
    env.call(BOB, "set_coldkey_auto_stake_hotkey", netuid=n, hotkey=HK_A)
    assert st.AutoStakeDestination.get(env.ext, BOB, n) == HK_A
    assert st.AutoStakeDestinationColdkeys.get(env.ext, HK_A, n) == [BOB]
    assert sub_events(env) == [AutoStakeDestinationSet(BOB, n, HK_A)[1]]
    assert env.error(BOB, "set_coldkey_auto_stake_hotkey", netuid=n, hotkey=HK_A) == err(
        "SameAutoStakeHotkeyAlreadySet")
    env.call(BOB, "set_coldkey_auto_stake_hotkey", netuid=n, hotkey=HK_C)
    assert st.AutoStakeDestination.get(env.ext, BOB, n) == HK_C
    assert st.AutoStakeDestinationColdkeys.get(env.ext, HK_A, n) == []
    assert st.AutoStakeDestinationColdkeys.get(env.ext, HK_C, n) == [BOB]


# -- staking ----------------------------------------------------------------------------------------------


def test_add_stake_burn_is_an_owner_buyback() -> None:
    env, n = staking_env()
    ext = env.ext
    tao_in, alpha_in, alpha_out = st.SubnetTAO.get(ext, n), st.SubnetAlphaIn.get(ext, n), st.SubnetAlphaOut.get(ext, n)
    assert env.error(BOB, "add_stake_burn", hotkey=HK_A, netuid=n, amount=10 * TAO, limit=None) == "BadOrigin"
    env.call(ALICE, "add_stake_burn", hotkey=HK_A, netuid=n, amount=10 * TAO, limit=None)
    bought = buy(tao_in, alpha_in, 10 * TAO - fee(10 * TAO))
    assert staking.stake_of(ext, HK_A, ALICE, n) == 0  # bought, then burned
    assert st.SubnetAlphaIn.get(ext, n) == alpha_in - bought
    assert st.SubnetAlphaOut.get(ext, n) == alpha_out + bought  # burn_alpha leaves the issuance as it is
    events = sub_events(env)
    assert ("AlphaBurned", (ALICE, HK_A, bought, n)) in events
    assert events[-1] == AddStakeBurn(n, HK_A, 10 * TAO, bought)[1]
    assert st.LastRateLimitedBlock.get(ext, ("AddStakeBurn", n)) == env.ctx.block_number

    # one buyback per Tempo blocks
    tempo = st.Tempo.get(ext, n)
    env.set_block(env.ctx.block_number + tempo - 1)
    assert env.error(ALICE, "add_stake_burn", hotkey=HK_A, netuid=n, amount=TAO, limit=None) == err(
        "AddStakeBurnRateLimitExceeded")
    env.set_block(env.ctx.block_number + 1)
    # a limit just above the current price cannot absorb the whole amount: the fill-or-kill buy refuses
    just_above = engine.current_alpha_price_rao(ext, n) + 1_000
    assert engine.max_amount_add(ext, n, just_above) < 10 * TAO
    assert env.error(ALICE, "add_stake_burn", hotkey=HK_A, netuid=n, amount=10 * TAO, limit=just_above) == err(
        "SlippageTooHigh")
    env.call(ALICE, "add_stake_burn", hotkey=HK_A, netuid=n, amount=TAO, limit=10 * TAO)
    assert staking.stake_of(ext, HK_A, ALICE, n) == 0


def test_transfer_stake_and_hotkey() -> None:
    env, n = staking_env()
    ext = env.ext
    env.call(CHARLIE, "burned_register", netuid=n, hotkey=HK_C)
    env.call(BOB, "add_stake", hotkey=HK_A, netuid=n, amount_staked=10 * TAO)
    alpha = staking.stake_of(ext, HK_A, BOB, n)
    env.clear_events()
    env.call(BOB, "transfer_stake_and_hotkey", destination_coldkey=CHARLIE, origin_hotkey=HK_A,
             destination_hotkey=HK_C, origin_netuid=n, destination_netuid=n, alpha_amount=TAO)
    tao = staking.tao_equivalent(ext, n, TAO)
    assert staking.stake_of(ext, HK_A, BOB, n) == alpha - TAO
    assert staking.stake_of(ext, HK_C, CHARLIE, n) == TAO
    assert sub_events(env) == [("StakeRemoved", (BOB, HK_A, tao, TAO, n, 0)),
                               ("StakeAdded", (CHARLIE, HK_C, tao, TAO, n, 0)),
                               StakeAndHotkeyTransferred(BOB, CHARLIE, HK_A, HK_C, n, n, tao)[1]]
    args = dict(destination_coldkey=CHARLIE, origin_hotkey=HK_A, destination_netuid=n, origin_netuid=n,
                alpha_amount=TAO)
    assert env.error(BOB, "transfer_stake_and_hotkey", destination_hotkey=HK_D, **args) == err(
        "HotKeyAccountNotExists")
    assert env.error(BOB, "transfer_stake_and_hotkey", destination_hotkey=HK_C,
                     **{**args, "alpha_amount": 1_000_000}) == err("AmountTooLow")
    st.TransferToggle.put(ext, n, False)
    assert env.error(BOB, "transfer_stake_and_hotkey", destination_hotkey=HK_C, **args) == err("TransferDisallowed")


def _two_subnets() -> tuple[Env, int, int]:
    env, n = staking_env()
    st.NetworkRateLimit.put(env.ext, 0)
    m = env.register_network(CHARLIE, HK_C)
    st.SubtokenEnabled.put(env.ext, m, True)
    env.call(BOB, "add_stake", hotkey=HK_A, netuid=n, amount_staked=10 * TAO)
    env.clear_events()
    return env, n, m


def test_move_stake_limit_across_subnets() -> None:
    env, n, m = _two_subnets()
    ext = env.ext
    alpha = staking.stake_of(ext, HK_A, BOB, n)
    t_n, a_n, t_m, a_m = (st.SubnetTAO.get(ext, n), st.SubnetAlphaIn.get(ext, n), st.SubnetTAO.get(ext, m),
                          st.SubnetAlphaIn.get(ext, m))
    # a ratio limit above the current price ratio (about 1.02 here) allows nothing: fill-or-kill refuses
    assert env.error(BOB, "move_stake_limit", origin_hotkey=HK_A, destination_hotkey=HK_C, origin_netuid=n,
                     destination_netuid=m, alpha_amount=alpha, limit_price=2 * TAO, allow_partial=False) == err(
        "SlippageTooHigh")
    env.call(BOB, "move_stake_limit", origin_hotkey=HK_A, destination_hotkey=HK_C, origin_netuid=n,
             destination_netuid=m, alpha_amount=alpha, limit_price=TAO, allow_partial=False)
    tao = sell(t_n, a_n, alpha - fee(alpha))
    bought = buy(t_m, a_m, tao)
    assert staking.stake_of(ext, HK_A, BOB, n) == 0
    assert staking.stake_of(ext, HK_C, BOB, m) == bought
    assert sub_events(env)[-1] == ("StakeMoved", (BOB, HK_A, n, HK_C, m, tao))


def test_move_stake_limit_partial_fill_stops_at_the_limit() -> None:
    env, n, m = _two_subnets()
    ext = env.ext
    alpha = staking.stake_of(ext, HK_A, BOB, n)
    limit = stake_calls.max_amount_move(env.ctx, n, m, 1_010_000_000)
    assert 0 < limit < alpha
    assert env.error(BOB, "move_stake_limit", origin_hotkey=HK_A, destination_hotkey=HK_A, origin_netuid=n,
                     destination_netuid=m, alpha_amount=alpha, limit_price=1_010_000_000, allow_partial=False) == err(
        "SlippageTooHigh")
    env.call(BOB, "move_stake_limit", origin_hotkey=HK_A, destination_hotkey=HK_A, origin_netuid=n,
             destination_netuid=m, alpha_amount=alpha, limit_price=1_010_000_000, allow_partial=True)
    assert staking.stake_of(ext, HK_A, BOB, n) == alpha - limit


# -- tempo ------------------------------------------------------------------------------------------------


def test_deprecated_tempo_setters_change_nothing() -> None:
    env, n = staking_env()
    before = env.ext.state()
    env.call(ALICE, "set_tempo", netuid=n, tempo=1000)
    env.call(BOB, "set_activity_cutoff_factor", netuid=n, factor_milli=5)
    assert env.ext.state() == before and sub_events(env) == []


def test_trigger_epoch() -> None:
    env, n = staking_env()
    ext = env.ext
    assert env.error(BOB, "trigger_epoch", netuid=n) == "BadOrigin"
    assert env.error(ALICE, "trigger_epoch", netuid=n) == err("DynamicTempoBlockedByCommitReveal")  # CR default on
    st.CommitRevealWeightsEnabled.put(ext, n, False)
    st.Tempo.put(ext, n, 100)
    env.set_block(1_000)
    now = env.ctx.block_number
    window = st.AdminFreezeWindow.get(ext)
    st.LastEpochBlock.put(ext, n, now + window - 1 - 100)  # the automatic epoch is window-1 blocks away
    assert env.error(ALICE, "trigger_epoch", netuid=n) == err("AutoEpochAlreadyImminent")
    st.LastEpochBlock.put(ext, n, now + window - 100)  # exactly one window away: allowed
    env.call(ALICE, "trigger_epoch", netuid=n)
    assert st.PendingEpochAt.get(ext, n) == now + window
    assert sub_events(env) == [EpochTriggered(n, ALICE, now + window)[1]]
    assert env.error(ALICE, "trigger_epoch", netuid=n) == err("EpochTriggerAlreadyPending")
    # the owner hyperparameter limit: OwnerHyperparamRateLimit tempos
    st.PendingEpochAt.put(ext, n, 0)
    st.LastEpochBlock.put(ext, n, now)
    env.set_block(now + 2 * 100 - 1)
    st.LastEpochBlock.put(ext, n, now + 2 * 100 - 1)
    assert env.error(ALICE, "trigger_epoch", netuid=n) == err("TxRateLimitExceeded")
    env.set_block(now + 2 * 100)
    env.call(ALICE, "trigger_epoch", netuid=n)
    assert st.PendingEpochAt.get(ext, n) == now + 200 + window


# -- associate_evm_key ------------------------------------------------------------------------------------


def _evm_signature(secret: bytes, hotkey: bytes, block_number: int, v_offset: int = 27) -> tuple[bytes, bytes]:
    """(address, 65-byte signature) of an EVM key over the association message, as a wallet makes them."""
    from coincurve import PrivateKey
    from Crypto.Hash import keccak

    key = PrivateKey(secret)
    address = keccak.new(digest_bits=256, data=key.public_key.format(compressed=False)[1:]).digest()[12:]
    block_hash = keccak.new(digest_bits=256, data=block_number.to_bytes(8, "little")).digest()
    message = hotkey + block_hash
    prehash = keccak.new(digest_bits=256,
                         data=b"\x19Ethereum Signed Message:\n" + str(len(message)).encode() + message).digest()
    signature = key.sign_recoverable(prehash, hasher=None)
    return address, signature[:64] + bytes([signature[64] + v_offset])


def test_associate_evm_key() -> None:
    from runtime.pallets.subtensor.events import EvmKeyAssociated

    env, n = staking_env()
    ext = env.ext
    env.call(CHARLIE, "burned_register", netuid=n, hotkey=HK_C)
    uid = st.Uids.get(ext, n, HK_C)
    block = env.ctx.block_number
    address, signature = _evm_signature(b"\x07" * 32, HK_C, 5)
    env.clear_events()
    env.call(HK_C, "associate_evm_key", netuid=n, evm_key=address, block_number=5, signature=signature)
    assert st.AssociatedEvmAddress.get(ext, n, uid) == (address, block)
    assert st.AssociatedUidsByEvmAddress.get(ext, n, address) == [(uid, block)]
    assert sub_events(env) == [EvmKeyAssociated(n, HK_C, address, block)[1]]
    assert subtensor.PALLET.calls.by_name["associate_evm_key"].pays is Pays.No  # type: ignore[union-attr]

    # once per EvmKeyAssociateRateLimit (1 block on the fast runtime)
    assert env.error(HK_C, "associate_evm_key", netuid=n, evm_key=address, block_number=5,
                     signature=signature) == err("EvmKeyAssociateRateLimitExceeded")
    env.set_block(block + 1)
    # a v of 0/1 is accepted too; moving to another address updates both indexes
    other, other_signature = _evm_signature(b"\x08" * 32, HK_C, 6, v_offset=0)
    env.call(HK_C, "associate_evm_key", netuid=n, evm_key=other, block_number=6, signature=other_signature)
    assert st.AssociatedEvmAddress.get(ext, n, uid) == (other, block + 1)
    assert not st.AssociatedUidsByEvmAddress.exists(ext, n, address)
    assert st.AssociatedUidsByEvmAddress.get(ext, n, other) == [(uid, block + 1)]


def test_associate_evm_key_errors() -> None:
    env, n = staking_env()
    env.call(CHARLIE, "burned_register", netuid=n, hotkey=HK_C)
    address, signature = _evm_signature(b"\x07" * 32, HK_C, 5)
    args = dict(netuid=n, evm_key=address, block_number=5, signature=signature)
    assert env.error(HK_D, "associate_evm_key", **args) == err("NonAssociatedColdKey")  # no owner
    assert env.error(HK_A, "associate_evm_key", **{**args, "netuid": 99}) == err("HotKeyNotRegisteredInSubNet")
    # signed for another block number or by another key
    assert env.error(HK_C, "associate_evm_key", **{**args, "block_number": 6}) == err("InvalidRecoveredPublicKey")
    assert env.error(HK_C, "associate_evm_key", **{**args, "evm_key": bytes(20)}) == err("InvalidRecoveredPublicKey")
    assert env.error(HK_C, "associate_evm_key", **{**args, "signature": bytes(64) + b"\x1b"}) == err(
        "InvalidIdentity")
    # 32 uids already point at this address
    st.AssociatedUidsByEvmAddress.put(env.ext, n, address, [(100 + i, 1) for i in range(32)])
    assert env.error(HK_C, "associate_evm_key", **args) == err("EvmKeyAssociationLimitExceeded")
