"""pallet_admin_utils: root through Sudo.sudo, BadOrigin for others, subnet-owner setters with their
rate limit and the admin freeze window, value bounds and errors, events, and the metadata."""

from __future__ import annotations

from typing import Any

import pytest

from runtime.node_runtime import node_runtime
from runtime.pallets import admin_utils, sudo
from runtime.pallets.subtensor import errors as subtensor_errors
from runtime.pallets.subtensor import storage as st
from runtime.scale import U64F64, Err, Ok
from runtime.support.context import Context
from runtime.support.dispatch import DispatchError, Origin

from tests.runtime.pallet_checks import events, module_error, new_ctx

RUNTIME = node_runtime()
ALICE, OWNER, STRANGER = (bytes([n]) * 32 for n in (1, 2, 3))
NETUID = 1
BLOCK = 5
ROOT = Origin.root()


@pytest.fixture
def ctx() -> Context:
    ctx = new_ctx(RUNTIME, number=BLOCK)
    sudo.genesis(ctx, {"key": "0x" + ALICE.hex()})
    for netuid in (0, NETUID):
        st.NetworksAdded.put(ctx, netuid, True)
    st.SubnetOwner.put(ctx, NETUID, OWNER)
    st.Tempo.put(ctx, NETUID, 100)  # next epoch at block 100: the freeze window (10) is open
    return ctx


def au(name: str, **args: Any) -> Any:
    return ("AdminUtils", (name, args))


def error_of(ctx: Context, origin: Origin, call: Any) -> Any:
    with pytest.raises(DispatchError) as info:
        with ctx.transaction():
            ctx.dispatch(origin, call)
    return RUNTIME.dispatch_error_value(info.value)


def au_err(name: str) -> Any:
    return module_error(RUNTIME, "AdminUtils", admin_utils.errors._index[name])


def st_err(name: str) -> Any:
    return module_error(RUNTIME, "SubtensorModule", subtensor_errors._index[name])


def sudo_call(call: Any) -> Any:
    return ("Sudo", ("sudo", {"call": call}))


# -- root through Sudo ---------------------------------------------------------------------------------------


def test_sudo_set_tempo_through_sudo_and_the_dispatcher(ctx: Context) -> None:
    call = sudo_call(au("sudo_set_tempo", netuid=NETUID, tempo=7))
    encoded = RUNTIME.call_codec.encode(call)
    assert encoded[:2] == bytes([12, 0]) and encoded[2:4] == bytes([19, 30])
    ctx.dispatch(Origin.signed(ALICE), RUNTIME.call_codec.decode(encoded))
    assert st.Tempo.get(ctx, NETUID) == 7  # root: any value
    assert st.LastEpochBlock.get(ctx, NETUID) == BLOCK
    assert events(ctx) == [("SubtensorModule", ("TempoSet", (NETUID, 7))),
                           ("Sudo", ("Sudid", {"sudo_result": Ok(())}))]


def test_sudo_reports_the_inner_error(ctx: Context) -> None:
    ctx.dispatch(Origin.signed(ALICE), sudo_call(au("sudo_set_kappa", netuid=9, kappa=1)))
    assert events(ctx) == [("Sudo", ("Sudid", {"sudo_result": Err(au_err("SubnetDoesNotExist"))}))]


@pytest.mark.parametrize("call, item, keys, value, event", [
    (au("sudo_set_tx_rate_limit", tx_rate_limit=7), st.TxRateLimit, (), 7, ("TxRateLimitSet", 7)),
    (au("sudo_set_default_take", default_take=100), st.MaxDelegateTake, (), 100, ("MaxDelegateTakeSet", 100)),
    (au("sudo_set_network_rate_limit", rate_limit=3), st.NetworkRateLimit, (), 3, ("NetworkRateLimitSet", 3)),
    (au("sudo_set_admin_freeze_window", window=0), st.AdminFreezeWindow, (), 0, ("AdminFreezeWindowSet", 0)),
    (au("sudo_set_kappa", netuid=NETUID, kappa=9), st.Kappa, (NETUID,), 9, ("KappaSet", (NETUID, 9))),
    (au("sudo_set_difficulty", netuid=NETUID, difficulty=11), st.Difficulty, (NETUID,), 11,
     ("DifficultySet", (NETUID, 11))),
    (au("sudo_set_network_registration_allowed", netuid=NETUID, registration_allowed=False),
     st.NetworkRegistrationAllowed, (NETUID,), False, ("RegistrationAllowed", (NETUID, False))),
    (au("sudo_set_max_epochs_per_block", max_epochs_per_block=4), st.MaxEpochsPerBlock, (), 4,
     ("MaxEpochsPerBlockSet", 4)),
])
def test_root_setters_write_and_emit(ctx: Context, call: Any, item: Any, keys: tuple, value: Any,
                                     event: Any) -> None:
    ctx.dispatch(ROOT, call)
    assert item.get(ctx, *keys) == value
    assert events(ctx) == [("SubtensorModule", event)]


def test_root_only_calls_refuse_signed_and_owner_origins(ctx: Context) -> None:
    for origin in (Origin.signed(STRANGER), Origin.signed(OWNER), Origin.none()):
        assert error_of(ctx, origin, au("sudo_set_tx_rate_limit", tx_rate_limit=1)) == "BadOrigin"
        assert error_of(ctx, origin, au("sudo_set_kappa", netuid=NETUID, kappa=1)) == "BadOrigin"
    assert st.Kappa.get(ctx, NETUID) == 32767


# -- subnet owner ----------------------------------------------------------------------------------------------


def test_owner_may_set_owner_hyperparameters_others_may_not(ctx: Context) -> None:
    ctx.dispatch(Origin.signed(OWNER), au("sudo_set_rho", netuid=NETUID, rho=3))
    assert st.Rho.get(ctx, NETUID) == 3
    assert st.LastRateLimitedBlock.get(ctx, ("OwnerHyperparamUpdate", (NETUID, "Rho"))) == BLOCK
    assert error_of(ctx, Origin.signed(STRANGER), au("sudo_set_rho", netuid=NETUID, rho=4)) == "BadOrigin"


def test_owner_rate_limit_per_hyperparameter(ctx: Context) -> None:
    ctx.dispatch(Origin.signed(OWNER), au("sudo_set_rho", netuid=NETUID, rho=3))
    # OwnerHyperparamRateLimit (2) × tempo (100) blocks must pass before the next owner change.
    assert error_of(ctx, Origin.signed(OWNER), au("sudo_set_rho", netuid=NETUID, rho=4)) == st_err(
        "TxRateLimitExceeded")
    ctx.dispatch(Origin.signed(OWNER), au("sudo_set_immunity_period", netuid=NETUID, immunity_period=10))
    ctx.dispatch(ROOT, au("sudo_set_rho", netuid=NETUID, rho=5))  # root is never rate-limited
    st.LastEpochBlock.put(ctx, NETUID, 200)
    from runtime.pallets.system import storage as system_storage
    system_storage.Number.put(ctx, BLOCK + 200)
    ctx.dispatch(Origin.signed(OWNER), au("sudo_set_rho", netuid=NETUID, rho=6))
    assert st.Rho.get(ctx, NETUID) == 6


def test_admin_freeze_window_blocks_owner_and_root(ctx: Context) -> None:
    st.Tempo.put(ctx, NETUID, 12)  # the next epoch (block 12) is 7 blocks away: inside the window of 10
    frozen = st_err("AdminActionProhibitedDuringWeightsWindow")
    assert error_of(ctx, Origin.signed(OWNER), au("sudo_set_rho", netuid=NETUID, rho=3)) == frozen
    assert error_of(ctx, ROOT, au("sudo_set_rho", netuid=NETUID, rho=3)) == frozen
    assert error_of(ctx, ROOT, au("sudo_set_tempo", netuid=NETUID, tempo=50)) == frozen
    # Root-only setters without the window check still pass; a zero window opens everything.
    ctx.dispatch(ROOT, au("sudo_set_kappa", netuid=NETUID, kappa=1))
    ctx.dispatch(ROOT, au("sudo_set_admin_freeze_window", window=0))
    ctx.dispatch(Origin.signed(OWNER), au("sudo_set_rho", netuid=NETUID, rho=3))
    # A pending triggered epoch freezes too.
    ctx.dispatch(ROOT, au("sudo_set_admin_freeze_window", window=1))
    st.LastEpochBlock.put(ctx, NETUID, BLOCK)
    st.PendingEpochAt.put(ctx, NETUID, BLOCK + 3)
    assert error_of(ctx, ROOT, au("sudo_set_rho", netuid=NETUID, rho=4)) == frozen


def test_owner_tempo_is_bounded_and_rate_limited(ctx: Context) -> None:
    owner = Origin.signed(OWNER)
    assert error_of(ctx, owner, au("sudo_set_tempo", netuid=NETUID, tempo=359)) == st_err("TempoOutOfBounds")
    assert error_of(ctx, owner, au("sudo_set_tempo", netuid=NETUID, tempo=50_401)) == st_err("TempoOutOfBounds")
    ctx.dispatch(owner, au("sudo_set_tempo", netuid=NETUID, tempo=360))
    assert st.Tempo.get(ctx, NETUID) == 360
    assert error_of(ctx, owner, au("sudo_set_tempo", netuid=NETUID, tempo=400)) == st_err("TxRateLimitExceeded")
    assert error_of(ctx, ROOT, au("sudo_set_tempo", netuid=9, tempo=400)) == st_err("SubnetNotExists")


def test_owner_bonds_moving_average_cap_applies_to_owner_only(ctx: Context) -> None:
    call = au("sudo_set_bonds_moving_average", netuid=NETUID, bonds_moving_average=975_001)
    assert error_of(ctx, Origin.signed(OWNER), call) == au_err("BondsMovingAverageMaxReached")
    ctx.dispatch(ROOT, call)
    assert st.BondsMovingAverage.get(ctx, NETUID) == 975_001


def test_activity_cutoff_factor_root_bypasses_window_and_limit(ctx: Context) -> None:
    st.Tempo.put(ctx, NETUID, 12)  # inside the freeze window
    call = au("sudo_set_activity_cutoff_factor", netuid=NETUID, factor_milli=2_000)
    assert error_of(ctx, Origin.signed(OWNER), call) == st_err("AdminActionProhibitedDuringWeightsWindow")
    ctx.dispatch(ROOT, call)
    assert st.ActivityCutoffFactorMilli.get(ctx, NETUID) == 2_000
    assert events(ctx) == [("SubtensorModule", ("ActivityCutoffFactorMilliSet",
                                                {"netuid": NETUID, "factor_milli": 2_000}))]
    assert error_of(ctx, ROOT, au("sudo_set_activity_cutoff_factor", netuid=NETUID, factor_milli=999)) == st_err(
        "ActivityCutoffFactorMilliOutOfBounds")


# -- bounds and errors -----------------------------------------------------------------------------------------


def test_burn_bounds(ctx: Context) -> None:
    bad = au_err("ValueNotInBounds")
    assert error_of(ctx, ROOT, au("sudo_set_min_burn", netuid=NETUID, min_burn=1_000_000_000)) == bad
    assert error_of(ctx, ROOT, au("sudo_set_max_burn", netuid=NETUID, max_burn=100_000_000)) == bad
    ctx.dispatch(ROOT, au("sudo_set_max_burn", netuid=NETUID, max_burn=200_000_000))
    assert error_of(ctx, ROOT, au("sudo_set_min_burn", netuid=NETUID, min_burn=200_000_000)) == bad
    ctx.dispatch(ROOT, au("sudo_set_min_burn", netuid=NETUID, min_burn=199_999_999))
    assert st.MinBurn.get(ctx, NETUID) == 199_999_999


def test_uid_limits(ctx: Context) -> None:
    st.SubnetworkN.put(ctx, NETUID, 100)
    assert error_of(ctx, ROOT, au("sudo_set_max_allowed_uids", netuid=NETUID, max_allowed_uids=63)) == au_err(
        "MaxAllowedUidsLessThanMinAllowedUids")
    assert error_of(ctx, ROOT, au("sudo_set_max_allowed_uids", netuid=NETUID, max_allowed_uids=99)) == au_err(
        "MaxAllowedUIdsLessThanCurrentUIds")
    assert error_of(ctx, ROOT, au("sudo_set_max_allowed_uids", netuid=NETUID, max_allowed_uids=257)) == au_err(
        "MaxAllowedUidsGreaterThanDefaultMaxAllowedUids")
    st.MechanismCountCurrent.put(ctx, NETUID, 2)
    assert error_of(ctx, ROOT, au("sudo_set_max_allowed_uids", netuid=NETUID, max_allowed_uids=200)) == st_err(
        "TooManyUIDsPerMechanism")
    ctx.dispatch(ROOT, au("sudo_set_max_allowed_uids", netuid=NETUID, max_allowed_uids=128))
    assert error_of(ctx, ROOT, au("sudo_set_max_allowed_validators", netuid=NETUID,
                                  max_allowed_validators=129)) == au_err("MaxValidatorsLargerThanMaxUIds")
    assert error_of(ctx, ROOT, au("sudo_set_min_allowed_uids", netuid=NETUID, min_allowed_uids=128)) == au_err(
        "MinAllowedUidsGreaterThanMaxAllowedUids")
    assert error_of(ctx, ROOT, au("sudo_set_min_allowed_uids", netuid=NETUID, min_allowed_uids=100)) == au_err(
        "MinAllowedUidsGreaterThanCurrentUids")


def test_fixed_retired_and_misc_errors(ctx: Context) -> None:
    assert error_of(ctx, ROOT, au("sudo_set_network_pow_registration_allowed", netuid=NETUID,
                                  registration_allowed=True)) == au_err("POWRegistrationDisabled")
    assert error_of(ctx, Origin.signed(STRANGER), au("sudo_set_total_issuance", total_issuance=1)) == au_err(
        "Deprecated")
    assert error_of(ctx, ROOT, au("sudo_set_activity_cutoff", netuid=NETUID, activity_cutoff=359)) == st_err(
        "ActivityCutoffTooLow")
    assert error_of(ctx, ROOT, au("sudo_set_commit_reveal_weights_interval", netuid=NETUID, interval=101)) == st_err(
        "RevealPeriodTooLarge")
    assert error_of(ctx, ROOT, au("sudo_set_alpha_values", netuid=NETUID, alpha_low=2000, alpha_high=3000)) == st_err(
        "LiquidAlphaDisabled")
    assert error_of(ctx, Origin.signed(OWNER), au("sudo_set_alpha_sigmoid_steepness", netuid=NETUID,
                                                  steepness=-1)) == au_err("NegativeSigmoidSteepness")
    st.Tempo.put(ctx, 0, 100)
    assert error_of(ctx, ROOT, au("sudo_set_burn_half_life", netuid=0, burn_half_life=10)) == au_err(
        "NotPermittedOnRootSubnet")
    assert error_of(ctx, ROOT, au("sudo_set_burn_increase_mult", netuid=NETUID,
                                  burn_increase_mult=U64F64.from_int(4))) == au_err("InvalidValue")
    assert error_of(ctx, ROOT, au("sudo_set_collateral_lock_share", netuid=NETUID, lock_share=62_259)) == au_err(
        "CollateralLockShareTooHigh")
    assert error_of(ctx, ROOT, au("sudo_set_emission_bar_quantile", quantile=U64F64.from_int(1))) == au_err(
        "InvalidValue")
    assert error_of(ctx, ROOT, au("sudo_set_basket_liquidity_cap", cap=0)) == au_err("ValueNotInBounds")
    assert error_of(ctx, ROOT, au("schedule_grandpa_change", next_authorities=[], in_blocks=1, forced=None)) == au_err(
        "GrandpaChangeDelayMustBeZero")
    assert error_of(ctx, ROOT, au("sudo_set_owner_immune_neuron_limit", netuid=NETUID, immune_neurons=11)) == st_err(
        "InvalidValue")


def test_admin_utils_events(ctx: Context) -> None:
    ctx.dispatch(Origin.signed(OWNER), au("sudo_set_yuma3_enabled", netuid=NETUID, enabled=True))
    ctx.dispatch(ROOT, au("sudo_toggle_evm_precompile", precompile_id="Staking", enabled=True))  # unchanged: silent
    ctx.dispatch(ROOT, au("sudo_toggle_evm_precompile", precompile_id="Staking", enabled=False))
    ctx.dispatch(ROOT, au("sudo_set_burn_half_life", netuid=NETUID, burn_half_life=720))
    assert st.Yuma3On.get(ctx, NETUID) is True
    assert admin_utils.PrecompileEnable.get(ctx, "Staking") is False
    assert st.BurnHalfLife.get(ctx, NETUID) == 720
    assert events(ctx) == [
        ("AdminUtils", ("Yuma3EnableToggled", {"netuid": NETUID, "enabled": True})),
        ("AdminUtils", ("PrecompileUpdated", {"precompile_id": "Staking", "enabled": False})),
        ("AdminUtils", ("BurnHalfLifeSet", {"netuid": NETUID, "burn_half_life": 720})),
    ]


def test_mechanisms_and_owner_hotkey(ctx: Context) -> None:
    assert error_of(ctx, ROOT, au("sudo_set_mechanism_count", netuid=NETUID, mechanism_count=2)) == st_err(
        "TooManyUIDsPerMechanism")  # 2 × 256 uids
    st.MaxAllowedUids.put(ctx, NETUID, 128)
    ctx.dispatch(ROOT, au("sudo_set_mechanism_count", netuid=NETUID, mechanism_count=2))
    assert st.MechanismCountCurrent.get(ctx, NETUID) == 2
    assert error_of(ctx, ROOT, au("sudo_set_mechanism_emission_split", netuid=NETUID, maybe_split=[1, 2])) == st_err(
        "InvalidValue")
    ctx.dispatch(ROOT, au("sudo_set_mechanism_emission_split", netuid=NETUID, maybe_split=[65_000, 535]))
    assert st.MechanismEmissionSplit.get(ctx, NETUID) == [65_000, 535]
    hotkey = bytes([9]) * 32
    ctx.dispatch(Origin.signed(OWNER), au("sudo_set_sn_owner_hotkey", netuid=NETUID, hotkey=hotkey))
    assert st.SubnetOwnerHotkey.get(ctx, NETUID) == hotkey
    assert error_of(ctx, ROOT, au("sudo_set_sn_owner_hotkey", netuid=NETUID, hotkey=hotkey)) == st_err(
        "TxRateLimitExceeded")


def test_metadata_matches_the_recording(golden: Any) -> None:
    from runtime.metadata import build_v14

    from tests.metadata_tools import DecodedMetadata, pallet_diff

    ours = DecodedMetadata(build_v14(RUNTIME))
    theirs = DecodedMetadata(bytes.fromhex(golden["metadata"]["v14_hex"][2:]))
    diffs, missing = pallet_diff(ours, theirs, "AdminUtils")
    assert diffs == [] and missing == []
