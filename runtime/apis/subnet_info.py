"""SubnetInfoRuntimeApi: subnet summaries, hyperparameters, dynamic (pool) info and per-uid state.

Declared: ``get_subnet_info(_v2)``, ``get_subnets_info(_v2)``, ``get_subnet_hyperparams`` (v1, v2, v3),
``get_dynamic_info``, ``get_all_dynamic_info``, ``get_subnet_state`` and ``get_next_epoch_start_block``.
The metagraph methods (``get_metagraph``, ``get_selective_metagraph`` …) are added by :mod:`runtime.apis.metagraph`.
"""

from __future__ import annotations

from typing import Any

from runtime.apis import runtime_api
from runtime.pallets.subtensor import rpc_info
from runtime.pallets.subtensor.types import CompactNetUid, NetUid, PerU16, SubnetIdentityV3
from runtime.primitives.types import AccountId32, AlphaBalance, TaoBalance
from runtime.scale import (
    I32F32, I96F32, U8, U16, U32, U64, U64F64, U128, Array, Bool, Bytes, Compact, Composite, Enum, FieldInfo,
    Option, Vec, variant,
)
from runtime.support.context import Context

CU16, CU64 = Compact(U16), Compact(U64)
CTao, CAlpha, CPerU16 = Compact(TaoBalance), Compact(AlphaBalance), Compact(PerU16)
CompactBytes = Vec(Compact(U8))
_ACCOUNT_PARAM = [("AccountId", AccountId32)]
_INFO = "pallet_subtensor::rpc_info::subnet_info::"


def _subnet_info_fields(emission_name: str) -> list[tuple[str, Any, str]]:
    return [
        ("netuid", CompactNetUid, "Compact<NetUid>"), ("rho", CU16, "Compact<u16>"), ("kappa", CU16, "Compact<u16>"),
        ("difficulty", CU64, "Compact<u64>"), ("immunity_period", CU16, "Compact<u16>"),
        ("max_allowed_validators", CU16, "Compact<u16>"), ("min_allowed_weights", CU16, "Compact<u16>"),
        ("max_weights_limit", CU16, "Compact<u16>"), ("scaling_law_power", CU16, "Compact<u16>"),
        ("subnetwork_n", CU16, "Compact<u16>"), ("max_allowed_uids", CU16, "Compact<u16>"),
        ("blocks_since_last_step", CU64, "Compact<u64>"), ("tempo", CU16, "Compact<u16>"),
        ("network_modality", CU16, "Compact<u16>"), ("network_connect", Vec(Array(2, U16)), "Vec<[u16; 2]>"),
        (emission_name, CU64, "Compact<u64>"), ("burn", CTao, "Compact<TaoBalance>"),
        ("owner", AccountId32, "AccountId"),
    ]


SubnetInfo = Composite(_INFO + "SubnetInfo", _subnet_info_fields("emission_values"), params=_ACCOUNT_PARAM)
SubnetInfov2 = Composite(_INFO + "SubnetInfov2", [
    *_subnet_info_fields("emission_value"), ("identity", Option(SubnetIdentityV3), "Option<SubnetIdentityV3>")],
    params=_ACCOUNT_PARAM)

_HYPER_V1 = [
    ("rho", CU16, "Compact<u16>"), ("kappa", CU16, "Compact<u16>"), ("immunity_period", CU16, "Compact<u16>"),
    ("min_allowed_weights", CU16, "Compact<u16>"), ("max_weights_limit", CU16, "Compact<u16>"),
    ("tempo", CU16, "Compact<u16>"), ("min_difficulty", CU64, "Compact<u64>"),
    ("max_difficulty", CU64, "Compact<u64>"), ("weights_version", CU64, "Compact<u64>"),
    ("weights_rate_limit", CU64, "Compact<u64>"), ("adjustment_interval", CU16, "Compact<u16>"),
    ("activity_cutoff", CU64, "Compact<u64>"), ("registration_allowed", Bool, "bool"),
    ("target_regs_per_interval", CU16, "Compact<u16>"), ("min_burn", CTao, "Compact<TaoBalance>"),
    ("max_burn", CTao, "Compact<TaoBalance>"), ("bonds_moving_avg", CU64, "Compact<u64>"),
    ("max_regs_per_block", CU16, "Compact<u16>"), ("serving_rate_limit", CU64, "Compact<u64>"),
    ("max_validators", CU16, "Compact<u16>"), ("adjustment_alpha", CU64, "Compact<u64>"),
    ("difficulty", CU64, "Compact<u64>"), ("commit_reveal_period", CU64, "Compact<u64>"),
    ("commit_reveal_weights_enabled", Bool, "bool"), ("alpha_high", CU16, "Compact<u16>"),
    ("alpha_low", CU16, "Compact<u16>"), ("liquid_alpha_enabled", Bool, "bool"),
]
SubnetHyperparams = Composite(_INFO + "SubnetHyperparams", _HYPER_V1)
SubnetHyperparamsV2 = Composite(_INFO + "SubnetHyperparamsV2", [
    *_HYPER_V1, ("alpha_sigmoid_steepness", I32F32, "I32F32"), ("yuma_version", CU16, "Compact<u16>"),
    ("subnet_is_active", Bool, "bool"), ("transfers_enabled", Bool, "bool"),
    ("bonds_reset_enabled", Bool, "bool"), ("user_liquidity_enabled", Bool, "bool")])

HyperparamValue = Enum(_INFO + "HyperparamValue", [
    variant("Bool", 0, [(None, Bool, "bool")]), variant("U16", 1, [(None, CU16, "Compact<u16>")]),
    variant("U32", 2, [(None, Compact(U32), "Compact<u32>")]), variant("U64", 3, [(None, CU64, "Compact<u64>")]),
    variant("U128", 4, [(None, Compact(U128), "Compact<u128>")]),
    variant("TaoBalance", 5, [(None, CTao, "Compact<TaoBalance>")]),
    variant("I32F32", 6, [(None, I32F32, "I32F32")]), variant("U64F64", 7, [(None, U64F64, "U64F64")])])
HyperparamEntry = Composite(_INFO + "HyperparamEntry", [
    FieldInfo("name", Bytes(), "Vec<u8>"), FieldInfo("value", HyperparamValue, "HyperparamValue")])

DynamicInfo = Composite("pallet_subtensor::rpc_info::dynamic_info::DynamicInfo", [
    ("netuid", CompactNetUid, "Compact<NetUid>"), ("owner_hotkey", AccountId32, "AccountId"),
    ("owner_coldkey", AccountId32, "AccountId"), ("subnet_name", CompactBytes, "Vec<Compact<u8>>"),
    ("token_symbol", CompactBytes, "Vec<Compact<u8>>"), ("tempo", CU16, "Compact<u16>"),
    ("last_step", CU64, "Compact<u64>"), ("blocks_since_last_step", CU64, "Compact<u64>"),
    ("emission", CU64, "Compact<u64>"), ("alpha_in", CAlpha, "Compact<AlphaBalance>"),
    ("alpha_out", CAlpha, "Compact<AlphaBalance>"), ("tao_in", CTao, "Compact<TaoBalance>"),
    ("alpha_out_emission", CAlpha, "Compact<AlphaBalance>"), ("alpha_in_emission", CAlpha, "Compact<AlphaBalance>"),
    ("tao_in_emission", CTao, "Compact<TaoBalance>"), ("pending_alpha_emission", CAlpha, "Compact<AlphaBalance>"),
    ("pending_root_emission", CTao, "Compact<TaoBalance>"), ("subnet_volume", Compact(U128), "Compact<u128>"),
    ("network_registered_at", CU64, "Compact<u64>"),
    ("subnet_identity", Option(SubnetIdentityV3), "Option<SubnetIdentityV3>"), ("moving_price", I96F32, "I96F32"),
], params=_ACCOUNT_PARAM)

# The per-uid vectors, in the order both SubnetState and the metagraph structs list them.
NEURON_VECTOR_FIELDS = [
    ("active", Vec(Bool), "Vec<bool>"),
    ("validator_permit", Vec(Bool), "Vec<bool>"), ("pruning_score", Vec(CU16), "Vec<Compact<u16>>"),
    ("last_update", Vec(CU64), "Vec<Compact<u64>>"), ("emission", Vec(CAlpha), "Vec<Compact<AlphaBalance>>"),
    ("dividends", Vec(CPerU16), "Vec<Compact<PerU16>>"), ("incentives", Vec(CPerU16), "Vec<Compact<PerU16>>"),
    ("consensus", Vec(CPerU16), "Vec<Compact<PerU16>>"), ("trust", Vec(CPerU16), "Vec<Compact<PerU16>>"),
    ("rank", Vec(CU16), "Vec<Compact<u16>>"), ("block_at_registration", Vec(CU64), "Vec<Compact<u64>>"),
    ("alpha_stake", Vec(CAlpha), "Vec<Compact<AlphaBalance>>"), ("tao_stake", Vec(CTao), "Vec<Compact<TaoBalance>>"),
    ("total_stake", Vec(CTao), "Vec<Compact<TaoBalance>>"),
]

SubnetState = Composite("pallet_subtensor::rpc_info::show_subnet::SubnetState", [
    ("netuid", CompactNetUid, "Compact<NetUid>"), ("hotkeys", Vec(AccountId32), "Vec<AccountId>"),
    ("coldkeys", Vec(AccountId32), "Vec<AccountId>"), *NEURON_VECTOR_FIELDS,
    ("emission_history", Vec(Vec(CAlpha)), "Vec<Vec<Compact<AlphaBalance>>>"),
], params=_ACCOUNT_PARAM)

SubnetInfoRuntimeApi = runtime_api("SubnetInfoRuntimeApi", 2)
NETUID = [("netuid", NetUid)]


def _if_exists(ctx: Context, netuid: int, build: Any) -> Any:
    return build(ctx, netuid) if rpc_info.exists(ctx, netuid) else None


@SubnetInfoRuntimeApi.method("get_subnet_info", NETUID, Option(SubnetInfo))
def get_subnet_info(ctx: Context, netuid: int) -> dict[str, Any] | None:
    return _if_exists(ctx, netuid, lambda e, n: rpc_info.subnet_info(e, n, v2=False))


@SubnetInfoRuntimeApi.method("get_subnets_info", [], Vec(Option(SubnetInfo)))
def get_subnets_info(ctx: Context) -> list[dict[str, Any] | None]:
    return [rpc_info.subnet_info(ctx, n, v2=False) for n in rpc_info.dense_added_netuids(ctx)]


@SubnetInfoRuntimeApi.method("get_subnet_info_v2", NETUID, Option(SubnetInfov2))
def get_subnet_info_v2(ctx: Context, netuid: int) -> dict[str, Any] | None:
    return _if_exists(ctx, netuid, lambda e, n: rpc_info.subnet_info(e, n, v2=True))


@SubnetInfoRuntimeApi.method("get_subnets_info_v2", [], Vec(Option(SubnetInfov2)))
def get_subnets_info_v2(ctx: Context) -> list[dict[str, Any] | None]:
    return [rpc_info.subnet_info(ctx, n, v2=True) for n in rpc_info.dense_added_netuids(ctx)]


@SubnetInfoRuntimeApi.method("get_subnet_hyperparams", NETUID, Option(SubnetHyperparams))
def get_subnet_hyperparams(ctx: Context, netuid: int) -> dict[str, Any] | None:
    return _if_exists(ctx, netuid, rpc_info.hyperparams)


@SubnetInfoRuntimeApi.method("get_subnet_hyperparams_v2", NETUID, Option(SubnetHyperparamsV2))
def get_subnet_hyperparams_v2(ctx: Context, netuid: int) -> dict[str, Any] | None:
    return _if_exists(ctx, netuid, rpc_info.hyperparams_v2)


@SubnetInfoRuntimeApi.method("get_all_dynamic_info", [], Vec(Option(DynamicInfo)))
def get_all_dynamic_info(ctx: Context) -> list[dict[str, Any] | None]:
    """Every subnet in ``NetworksAdded`` key order."""
    return [_if_exists(ctx, n, rpc_info.dynamic_info) for n in rpc_info.queries.all_subnet_netuids(ctx)]


@SubnetInfoRuntimeApi.method("get_dynamic_info", NETUID, Option(DynamicInfo))
def get_dynamic_info(ctx: Context, netuid: int) -> dict[str, Any] | None:
    return _if_exists(ctx, netuid, rpc_info.dynamic_info)


@SubnetInfoRuntimeApi.method("get_subnet_state", NETUID, Option(SubnetState))
def get_subnet_state(ctx: Context, netuid: int) -> dict[str, Any] | None:
    return _if_exists(ctx, netuid, rpc_info.subnet_state)


@SubnetInfoRuntimeApi.method("get_next_epoch_start_block", NETUID, Option(U64))
def get_next_epoch_start_block(ctx: Context, netuid: int) -> int | None:
    return rpc_info.next_epoch_start_block(ctx, netuid)


@SubnetInfoRuntimeApi.method("get_subnet_hyperparams_v3", NETUID, Option(Vec(HyperparamEntry)))
def get_subnet_hyperparams_v3(ctx: Context, netuid: int) -> list[dict[str, Any]] | None:
    return _if_exists(ctx, netuid, rpc_info.hyperparams_v3)
