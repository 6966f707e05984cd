"""Read-only views behind the neuron, subnet, delegate and registration runtime APIs.

Each function reads SubtensorModule storage and returns the plain Python value of one ``rpc_info``
struct (a dict keyed by field name, in the reference's field order). Per-uid vectors
(``Active``, ``Emission`` …) are read by index with the pallet's default for a missing element.
"""

from __future__ import annotations

from typing import Any

from runtime.pallets.subtensor import queries
from runtime.pallets.subtensor import storage as st
from runtime.pallets.subtensor.subnets import subnet_exists
from runtime.pallets.subtensor.types import storage_index
from runtime.scale.fixed import Fixed
from runtime.support.externalities import Externalities

U16_MAX = 0xFFFF

ZERO_AXON = {"block": 0, "version": 0, "ip": 0, "port": 0, "ip_type": 0, "protocol": 0, "placeholder1": 0,
             "placeholder2": 0}
ZERO_PROMETHEUS = {"block": 0, "version": 0, "ip": 0, "port": 0, "ip_type": 0}

# -- per-uid vectors ---------------------------------------------------------------------------------------


def _at(values: list[Any], uid: int, default: Any) -> Any:
    return values[uid] if uid < len(values) else default


def _vector(ext: Externalities, item: Any, netuid: int, n: int, default: Any) -> list[Any]:
    values = item.get(ext, netuid)
    return [_at(values, uid, default) for uid in range(n)]


def max_weight_limit(_netuid: int) -> int:
    """``get_max_weight_limit``: a constant ``u16::MAX`` in the reference."""
    return U16_MAX


def activity_cutoff_blocks(ext: Externalities, netuid: int) -> int:
    """``ActivityCutoffFactorMilli × Tempo / 1000``, at least 1."""
    return max(st.ActivityCutoffFactorMilli.get(ext, netuid) * st.Tempo.get(ext, netuid) // 1000, 1)


def alpha_sigmoid_steepness(ext: Externalities, netuid: int) -> Fixed:
    """``I32F32::saturating_from_num(AlphaSigmoidSteepness)``."""
    return Fixed(st.AlphaSigmoidSteepness.get(ext, netuid) << 32, 32)


def yuma_version(ext: Externalities, netuid: int) -> int:
    return 3 if st.Yuma3On.get(ext, netuid) else 2


def subnet_identity(ext: Externalities, netuid: int) -> dict[str, bytes] | None:
    return st.SubnetIdentitiesV3.try_get(ext, netuid)


# -- neurons -----------------------------------------------------------------------------------------------


def _neuron_common(ext: Externalities, netuid: int, uid: int, hotkey: bytes) -> dict[str, Any]:
    coldkey = st.Owner.get(ext, hotkey)
    index = storage_index(netuid)
    return {
        "hotkey": hotkey, "coldkey": coldkey, "uid": uid, "netuid": netuid,
        "active": _at(st.Active.get(ext, netuid), uid, True),
        "axon_info": st.Axons.try_get(ext, netuid, hotkey) or ZERO_AXON,
        "prometheus_info": st.Prometheus.try_get(ext, netuid, hotkey) or ZERO_PROMETHEUS,
        "stake": [],
        "rank": 0,  # ranks are no longer stored
        "emission": _at(st.Emission.get(ext, netuid), uid, 0),
        "incentive": _at(st.Incentive.get(ext, index), uid, 0),
        "consensus": _at(st.Consensus.get(ext, netuid), uid, 0),
        "trust": 0,  # trust is no longer stored
        "validator_trust": _at(st.ValidatorTrust.get(ext, netuid), uid, 0),
        "dividends": _at(st.Dividends.get(ext, netuid), uid, 0),
        "last_update": _at(st.LastUpdate.get(ext, index), uid, 0),
        "validator_permit": _at(st.ValidatorPermit.get(ext, netuid), uid, False),
    }


def _sparse_nonzero(row: list[tuple[int, int]]) -> list[tuple[int, int]]:
    return [(i, v) for i, v in row if v > 0]


def neuron_lite(ext: Externalities, netuid: int, uid: int) -> dict[str, Any] | None:
    """``NeuronInfoLite`` of a uid (None if the uid has no hotkey); stake is the hotkey's subnet alpha."""
    if not st.Keys.exists(ext, netuid, uid):
        return None
    hotkey = st.Keys.get(ext, netuid, uid)
    info = _neuron_common(ext, netuid, uid, hotkey)
    info["stake"] = [(info["coldkey"], st.TotalHotkeyAlpha.get(ext, hotkey, netuid))]
    info["pruning_score"] = U16_MAX
    return info


def neuron(ext: Externalities, netuid: int, uid: int) -> dict[str, Any] | None:
    """``NeuronInfo``: the lite fields plus non-zero weights and bonds; stake is the uid's stake weight."""
    if not st.Keys.exists(ext, netuid, uid):
        return None
    hotkey = st.Keys.get(ext, netuid, uid)
    info = _neuron_common(ext, netuid, uid, hotkey)
    info["stake"] = [(info["coldkey"], _at(st.StakeWeight.get(ext, netuid), uid, 0))]
    index = storage_index(netuid)
    info["weights"] = _sparse_nonzero(st.Weights.get(ext, index, uid))
    info["bonds"] = _sparse_nonzero(st.Bonds.get(ext, index, uid))
    info["pruning_score"] = U16_MAX
    return info


def neurons(ext: Externalities, netuid: int, lite: bool) -> list[dict[str, Any]]:
    """Every uid below ``SubnetworkN`` in order, stopping at the first missing one; [] for no subnet."""
    if not subnet_exists(ext, netuid):
        return []
    build = neuron_lite if lite else neuron
    result = []
    for uid in range(st.SubnetworkN.get(ext, netuid)):
        info = build(ext, netuid, uid)
        if info is None:
            break
        result.append(info)
    return result


# -- subnet hyperparameters ------------------------------------------------------------------------------


def hyperparams(ext: Externalities, netuid: int) -> dict[str, Any]:
    """``SubnetHyperparams`` (v1) of an existing subnet."""
    alpha_low, alpha_high = st.AlphaValues.get(ext, netuid)
    return {
        "rho": st.Rho.get(ext, netuid), "kappa": st.Kappa.get(ext, netuid),
        "immunity_period": st.ImmunityPeriod.get(ext, netuid),
        "min_allowed_weights": st.MinAllowedWeights.get(ext, netuid),
        "max_weights_limit": max_weight_limit(netuid), "tempo": st.Tempo.get(ext, netuid),
        "min_difficulty": st.MinDifficulty.get(ext, netuid), "max_difficulty": st.MaxDifficulty.get(ext, netuid),
        "weights_version": st.WeightsVersionKey.get(ext, netuid),
        "weights_rate_limit": st.WeightsSetRateLimit.get(ext, netuid),
        "adjustment_interval": st.AdjustmentInterval.get(ext, netuid),
        "activity_cutoff": activity_cutoff_blocks(ext, netuid),
        "registration_allowed": st.NetworkRegistrationAllowed.get(ext, netuid),
        "target_regs_per_interval": st.TargetRegistrationsPerInterval.get(ext, netuid),
        "min_burn": st.MinBurn.get(ext, netuid), "max_burn": st.MaxBurn.get(ext, netuid),
        "bonds_moving_avg": st.BondsMovingAverage.get(ext, netuid),
        "max_regs_per_block": st.MaxRegistrationsPerBlock.get(ext, netuid),
        "serving_rate_limit": st.ServingRateLimit.get(ext, netuid),
        "max_validators": st.MaxAllowedValidators.get(ext, netuid),
        "adjustment_alpha": st.AdjustmentAlpha.get(ext, netuid), "difficulty": st.Difficulty.get(ext, netuid),
        "commit_reveal_period": st.RevealPeriodEpochs.get(ext, netuid),
        "commit_reveal_weights_enabled": st.CommitRevealWeightsEnabled.get(ext, netuid),
        "alpha_high": alpha_high, "alpha_low": alpha_low,
        "liquid_alpha_enabled": st.LiquidAlphaOn.get(ext, netuid),
    }


def hyperparams_v2(ext: Externalities, netuid: int) -> dict[str, Any]:
    """``SubnetHyperparamsV2``: v1 plus the Yuma/transfer/bonds toggles (user liquidity always off)."""
    return hyperparams(ext, netuid) | {
        "alpha_sigmoid_steepness": alpha_sigmoid_steepness(ext, netuid),
        "yuma_version": yuma_version(ext, netuid),
        "subnet_is_active": st.SubtokenEnabled.get(ext, netuid),
        "transfers_enabled": st.TransferToggle.get(ext, netuid),
        "bonds_reset_enabled": st.BondsResetOn.get(ext, netuid),
        "user_liquidity_enabled": False,
    }


def hyperparams_v3(ext: Externalities, netuid: int) -> list[dict[str, Any]]:
    """``SubnetHyperparamsV3``: (name, tagged value) entries in the reference's order."""
    alpha_low, alpha_high = st.AlphaValues.get(ext, netuid)
    min_childkey_take = max(st.MinChildkeyTake.get(ext), st.MinChildkeyTakePerSubnet.get(ext, netuid))
    entries: list[tuple[str, tuple[str, Any]]] = [
        ("kappa", ("U16", st.Kappa.get(ext, netuid))),
        ("immunity_period", ("U16", st.ImmunityPeriod.get(ext, netuid))),
        ("min_allowed_weights", ("U16", st.MinAllowedWeights.get(ext, netuid))),
        ("max_weights_limit", ("U16", max_weight_limit(netuid))),
        ("tempo", ("U16", st.Tempo.get(ext, netuid))),
        ("weights_version", ("U64", st.WeightsVersionKey.get(ext, netuid))),
        ("weights_rate_limit", ("U64", st.WeightsSetRateLimit.get(ext, netuid))),
        ("activity_cutoff", ("U64", activity_cutoff_blocks(ext, netuid))),
        ("activity_cutoff_factor", ("U32", st.ActivityCutoffFactorMilli.get(ext, netuid))),
        ("registration_allowed", ("Bool", st.NetworkRegistrationAllowed.get(ext, netuid))),
        ("target_regs_per_interval", ("U16", st.TargetRegistrationsPerInterval.get(ext, netuid))),
        ("min_burn", ("TaoBalance", st.MinBurn.get(ext, netuid))),
        ("max_burn", ("TaoBalance", st.MaxBurn.get(ext, netuid))),
        ("burn_half_life", ("U16", st.BurnHalfLife.get(ext, netuid))),
        ("burn_increase_mult", ("U64F64", st.BurnIncreaseMult.get(ext, netuid))),
        ("bonds_moving_avg", ("U64", st.BondsMovingAverage.get(ext, netuid))),
        ("max_regs_per_block", ("U16", st.MaxRegistrationsPerBlock.get(ext, netuid))),
        ("serving_rate_limit", ("U64", st.ServingRateLimit.get(ext, netuid))),
        ("max_validators", ("U16", st.MaxAllowedValidators.get(ext, netuid))),
        ("commit_reveal_period", ("U64", st.RevealPeriodEpochs.get(ext, netuid))),
        ("commit_reveal_weights_enabled", ("Bool", st.CommitRevealWeightsEnabled.get(ext, netuid))),
        ("alpha_high", ("U16", alpha_high)),
        ("alpha_low", ("U16", alpha_low)),
        ("liquid_alpha_enabled", ("Bool", st.LiquidAlphaOn.get(ext, netuid))),
        ("alpha_sigmoid_steepness", ("I32F32", alpha_sigmoid_steepness(ext, netuid))),
        ("yuma_version", ("U16", yuma_version(ext, netuid))),
        ("subnet_is_active", ("Bool", st.SubtokenEnabled.get(ext, netuid))),
        ("transfers_enabled", ("Bool", st.TransferToggle.get(ext, netuid))),
        ("bonds_reset_enabled", ("Bool", st.BondsResetOn.get(ext, netuid))),
        ("user_liquidity_enabled", ("Bool", False)),
        ("owner_cut_enabled", ("Bool", st.OwnerCutEnabled.get(ext, netuid))),
        ("owner_cut_auto_lock_enabled", ("Bool", st.OwnerCutAutoLockEnabled.get(ext, netuid))),
        ("min_childkey_take", ("U16", min_childkey_take)),
        ("collateral_lock_share", ("U16", st.CollateralLockShare.get(ext, netuid))),
        ("collateral_drain_ratio", ("U64F64", st.CollateralDrainRatio.get(ext, netuid))),
    ]
    return [{"name": name.encode(), "value": value} for name, value in entries]


# -- subnet info ---------------------------------------------------------------------------------------------


def subnet_info(ext: Externalities, netuid: int, v2: bool) -> dict[str, Any]:
    """``SubnetInfo`` / ``SubnetInfov2`` of an existing subnet (modality, connect, emission deprecated)."""
    info = {
        "netuid": netuid, "rho": st.Rho.get(ext, netuid), "kappa": st.Kappa.get(ext, netuid),
        "difficulty": st.Difficulty.get(ext, netuid), "immunity_period": st.ImmunityPeriod.get(ext, netuid),
        "max_allowed_validators": st.MaxAllowedValidators.get(ext, netuid),
        "min_allowed_weights": st.MinAllowedWeights.get(ext, netuid),
        "max_weights_limit": max_weight_limit(netuid), "scaling_law_power": st.ScalingLawPower.get(ext, netuid),
        "subnetwork_n": st.SubnetworkN.get(ext, netuid), "max_allowed_uids": st.MaxAllowedUids.get(ext, netuid),
        "blocks_since_last_step": st.BlocksSinceLastStep.get(ext, netuid), "tempo": st.Tempo.get(ext, netuid),
        "network_modality": 0, "network_connect": [],
        "emission_value" if v2 else "emission_values": 0,
        "burn": st.Burn.get(ext, netuid), "owner": st.SubnetOwner.get(ext, netuid),
    }
    if v2:
        info["identity"] = subnet_identity(ext, netuid)
    return info


def dense_added_netuids(ext: Externalities) -> list[int]:
    """Netuids whose ``NetworksAdded`` flag is true, ascending (the ``get_subnets_info`` packing)."""
    return sorted(netuid for (netuid,), added in st.NetworksAdded.iter(ext) if added)


# -- dynamic info --------------------------------------------------------------------------------------------


def _compact_bytes(data: bytes) -> list[int]:
    return list(data)


def subnet_name(ext: Externalities, netuid: int) -> bytes:
    identity = subnet_identity(ext, netuid)
    return identity["subnet_name"] if identity is not None else b""


def dynamic_info(ext: Externalities, netuid: int) -> dict[str, Any]:
    """``DynamicInfo`` of an existing subnet: owner, pool reserves, emissions and moving price."""
    pending_alpha = min(st.PendingServerEmission.get(ext, netuid) + st.PendingValidatorEmission.get(ext, netuid),
                        queries.U64_MAX)
    return {
        "netuid": netuid, "owner_hotkey": st.SubnetOwnerHotkey.get(ext, netuid),
        "owner_coldkey": st.SubnetOwner.get(ext, netuid),
        "subnet_name": _compact_bytes(subnet_name(ext, netuid)),
        "token_symbol": _compact_bytes(st.TokenSymbol.get(ext, netuid)),
        "tempo": st.Tempo.get(ext, netuid), "last_step": st.LastMechansimStepBlock.get(ext, netuid),
        "blocks_since_last_step": st.BlocksSinceLastStep.get(ext, netuid), "emission": 0,
        "alpha_in": st.SubnetAlphaIn.get(ext, netuid), "alpha_out": st.SubnetAlphaOut.get(ext, netuid),
        "tao_in": st.SubnetTAO.get(ext, netuid),
        "alpha_out_emission": st.SubnetAlphaOutEmission.get(ext, netuid),
        "alpha_in_emission": st.SubnetAlphaInEmission.get(ext, netuid),
        "tao_in_emission": st.SubnetTaoInEmission.get(ext, netuid),
        "pending_alpha_emission": pending_alpha, "pending_root_emission": 0,
        "subnet_volume": st.SubnetVolume.get(ext, netuid),
        "network_registered_at": st.NetworkRegisteredAt.get(ext, netuid),
        "subnet_identity": subnet_identity(ext, netuid),
        "moving_price": st.SubnetMovingPrice.get(ext, netuid),
    }


# -- subnet state --------------------------------------------------------------------------------------------


def subnet_state(ext: Externalities, netuid: int) -> dict[str, Any]:
    """``SubnetState``: per-uid columns of an existing subnet."""
    n = st.SubnetworkN.get(ext, netuid)
    index = storage_index(netuid)
    hotkeys = [st.Keys.get(ext, netuid, uid) for uid in range(n)]
    alpha = [st.TotalHotkeyAlpha.get(ext, hotkey, netuid) for hotkey in hotkeys]
    emission = _vector(ext, st.Emission, netuid, n, 0)
    return {
        "netuid": netuid, "hotkeys": hotkeys, "coldkeys": [st.Owner.get(ext, h) for h in hotkeys],
        "active": _vector(ext, st.Active, netuid, n, True),
        "validator_permit": _vector(ext, st.ValidatorPermit, netuid, n, False),
        "pruning_score": [U16_MAX] * n,
        "last_update": _vector(ext, st.LastUpdate, index, n, 0),
        "emission": emission,
        "dividends": _vector(ext, st.Dividends, netuid, n, 0),
        "incentives": _vector(ext, st.Incentive, index, n, 0),
        "consensus": _vector(ext, st.Consensus, netuid, n, 0),
        "trust": [0] * n, "rank": [0] * n,
        "block_at_registration": [st.BlockAtRegistration.get(ext, netuid, uid) for uid in range(n)],
        "alpha_stake": alpha,
        "tao_stake": [st.TotalHotkeyAlpha.get(ext, hotkey, 0) for hotkey in hotkeys],
        "total_stake": alpha,
        "emission_history": [],
    }


# -- epochs, registration cost ---------------------------------------------------------------------------


def next_epoch_start_block(ext: Externalities, netuid: int) -> int | None:
    """``LastEpochBlock + tempo``, or an earlier owner-triggered ``PendingEpochAt``; None for tempo 0."""
    tempo = st.Tempo.get(ext, netuid)
    if tempo == 0:
        return None
    auto_next = min(st.LastEpochBlock.get(ext, netuid) + tempo, queries.U64_MAX)
    pending = st.PendingEpochAt.get(ext, netuid)
    return min(auto_next, pending) if pending > 0 else auto_next


def exists(ext: Externalities, netuid: int) -> bool:
    return subnet_exists(ext, netuid)


# -- delegates -------------------------------------------------------------------------------------------

BLOCKS_PER_DAY = 7200


def _stake_positions(ext: Externalities, hotkey: bytes, coldkey: bytes | None = None) -> list[tuple[bytes, int]]:
    """(coldkey, netuid) pairs with a share entry (legacy ``Alpha`` or ``AlphaV2``) under the hotkey."""
    prefix = (hotkey,) if coldkey is None else (hotkey, coldkey)
    found: set[tuple[bytes, int]] = set()
    for item in (st.Alpha, st.AlphaV2):
        for keys, _ in item.iter(ext, *prefix):
            found.add((keys[1], keys[2]))
    return sorted(found)


def registered_netuids(ext: Externalities, hotkey: bytes) -> list[int]:
    return [netuid for netuid in queries.all_subnet_netuids(ext) if st.Uids.exists(ext, netuid, hotkey)]


def return_per_1000_bits(take: int, total_stake: int, emissions_per_day_bits: int) -> int:
    """U64F64 ``emissions_per_day × (1 − take/65535) / (total_stake / 1e12)``; 0 without stake."""
    if total_stake == 0:
        return 0
    one = queries.fixed_from_int(1)
    without_take = max(one - queries.fixed_safe_div(queries.fixed_from_int(take), queries.fixed_from_int(U16_MAX)), 0)
    per_thousand = queries.fixed_safe_div(queries.fixed_from_int(total_stake), queries.fixed_from_int(10**12))
    return queries.fixed_safe_div(queries.fixed_saturating_mul(emissions_per_day_bits, without_take), per_thousand)


def delegate_info(ext: Externalities, delegate: bytes, skip_nominators: bool = False) -> dict[str, Any]:
    """``DelegateInfo`` of a hotkey in ``Delegates``."""
    nominators: dict[bytes, list[tuple[int, int]]] = {}
    if not skip_nominators:
        for coldkey, netuid in _stake_positions(ext, delegate):
            stake = queries.stake_for_hotkey_and_coldkey_on_subnet(ext, delegate, coldkey, netuid)
            if stake:
                nominators.setdefault(coldkey, []).append((netuid, stake))
    registrations = registered_netuids(ext, delegate)
    permits, emissions_per_day = [], 0
    for netuid in registrations:
        uid = st.Uids.get(ext, netuid, delegate)
        if _at(st.ValidatorPermit.get(ext, netuid), uid, False):
            permits.append(netuid)
        tempo = st.Tempo.get(ext, netuid)
        if tempo > 0:
            emission = queries.fixed_from_int(_at(st.Emission.get(ext, netuid), uid, 0))
            epochs_per_day = queries.fixed_safe_div(queries.fixed_from_int(BLOCKS_PER_DAY), queries.fixed_from_int(tempo))
            emissions_per_day = min(emissions_per_day + queries.fixed_saturating_mul(emission, epochs_per_day),
                                    queries.U128_MAX)
    take = st.Delegates.get(ext, delegate)
    total_stake = st.TotalHotkeyAlpha.get(ext, delegate, 0)
    return {
        "delegate_ss58": delegate, "take": take, "nominators": sorted(nominators.items()),
        "owner_ss58": st.Owner.get(ext, delegate), "registrations": registrations, "validator_permits": permits,
        "return_per_1000": queries.fixed_to_u64(return_per_1000_bits(take, total_stake, emissions_per_day)),
        "total_daily_return": queries.fixed_to_u64(emissions_per_day),
    }


def delegates(ext: Externalities) -> list[dict[str, Any]]:
    return [delegate_info(ext, hotkey) for (hotkey,), _ in st.Delegates.iter(ext)]


def delegated(ext: Externalities, coldkey: bytes) -> list[tuple[dict[str, Any], tuple[int, int]]]:
    """(delegate info without nominators, (netuid, stake)) for every share entry the coldkey holds."""
    result = []
    for (hotkey,), _ in st.Delegates.iter(ext):
        for _, netuid in _stake_positions(ext, hotkey, coldkey):
            stake = queries.stake_for_hotkey_and_coldkey_on_subnet(ext, hotkey, coldkey, netuid)
            result.append((delegate_info(ext, hotkey, skip_nominators=True), (netuid, stake)))
    return result
