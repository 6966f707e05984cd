"""SubnetInfoRuntimeApi metagraph methods: ``get_metagraph``, ``get_all_metagraphs``,
``get_selective_metagraph`` and their per-mechanism forms (``get_mechagraph``, ``get_all_mechagraphs``,
``get_selective_mechagraph``), added to the API declared in :mod:`runtime.apis.subnet_info`.

Result structs: ``pallet_subtensor::rpc_info::metagraph::Metagraph`` and ``SelectiveMetagraph`` (the
same fields, each optional, plus ``validators`` and ``commitments``); values from
:mod:`runtime.pallets.subtensor.metagraph_info`.
"""

from __future__ import annotations

from typing import Any

from runtime.apis import runtime_api
from runtime.apis.subnet_info import NEURON_VECTOR_FIELDS, CAlpha, CompactBytes, CTao, CU16, CU64
from runtime.pallets.subtensor import metagraph_info
from runtime.pallets.subtensor.types import (
    AxonInfo, ChainIdentityV2, CompactNetUid, MechId, NetUid, SubnetIdentityV3,
)
from runtime.primitives.types import AccountId32
from runtime.scale import I96F32, U16, U128, Bool, Compact, Composite, Option, Tuple, Vec
from runtime.support.context import Context

_PATH = "pallet_subtensor::rpc_info::metagraph::"
_ACCOUNT_PARAM = [("AccountId", AccountId32)]

# (name, codec, type name) of every SelectiveMetagraph field, in order (index = metagraph index).
_FIELDS: list[tuple[str, Any, str]] = [
    ("netuid", CompactNetUid, "Compact<NetUid>"),
    ("name", CompactBytes, "Vec<Compact<u8>>"), ("symbol", CompactBytes, "Vec<Compact<u8>>"),
    ("identity", Option(SubnetIdentityV3), "Option<SubnetIdentityV3>"),
    ("network_registered_at", CU64, "Compact<u64>"),
    ("owner_hotkey", AccountId32, "AccountId"), ("owner_coldkey", AccountId32, "AccountId"),
    ("block", CU64, "Compact<u64>"), ("tempo", CU16, "Compact<u16>"), ("last_step", CU64, "Compact<u64>"),
    ("blocks_since_last_step", CU64, "Compact<u64>"), ("subnet_emission", CU64, "Compact<u64>"),
    ("alpha_in", CAlpha, "Compact<AlphaBalance>"), ("alpha_out", CAlpha, "Compact<AlphaBalance>"),
    ("tao_in", CTao, "Compact<TaoBalance>"), ("alpha_out_emission", CAlpha, "Compact<AlphaBalance>"),
    ("alpha_in_emission", CAlpha, "Compact<AlphaBalance>"), ("tao_in_emission", CTao, "Compact<TaoBalance>"),
    ("pending_alpha_emission", CAlpha, "Compact<AlphaBalance>"),
    ("pending_root_emission", CTao, "Compact<TaoBalance>"), ("subnet_volume", Compact(U128), "Compact<u128>"),
    ("moving_price", I96F32, "I96F32"), ("rho", CU16, "Compact<u16>"), ("kappa", CU16, "Compact<u16>"),
    ("min_allowed_weights", CU16, "Compact<u16>"), ("max_weights_limit", CU16, "Compact<u16>"),
    ("weights_version", CU64, "Compact<u64>"), ("weights_rate_limit", CU64, "Compact<u64>"),
    ("activity_cutoff", CU64, "Compact<u64>"), ("max_validators", CU16, "Compact<u16>"),
    ("num_uids", CU16, "Compact<u16>"), ("max_uids", CU16, "Compact<u16>"), ("burn", CTao, "Compact<TaoBalance>"),
    ("difficulty", CU64, "Compact<u64>"), ("registration_allowed", Bool, "bool"),
    ("pow_registration_allowed", Bool, "bool"), ("immunity_period", CU16, "Compact<u16>"),
    ("min_difficulty", CU64, "Compact<u64>"), ("max_difficulty", CU64, "Compact<u64>"),
    ("min_burn", CTao, "Compact<TaoBalance>"), ("max_burn", CTao, "Compact<TaoBalance>"),
    ("adjustment_alpha", CU64, "Compact<u64>"), ("adjustment_interval", CU16, "Compact<u16>"),
    ("target_regs_per_interval", CU16, "Compact<u16>"), ("max_regs_per_block", CU16, "Compact<u16>"),
    ("serving_rate_limit", CU64, "Compact<u64>"), ("commit_reveal_weights_enabled", Bool, "bool"),
    ("commit_reveal_period", CU64, "Compact<u64>"), ("liquid_alpha_enabled", Bool, "bool"),
    ("alpha_high", CU16, "Compact<u16>"), ("alpha_low", CU16, "Compact<u16>"),
    ("bonds_moving_avg", CU64, "Compact<u64>"),
    ("hotkeys", Vec(AccountId32), "Vec<AccountId>"), ("coldkeys", Vec(AccountId32), "Vec<AccountId>"),
    ("identities", Vec(Option(ChainIdentityV2)), "Vec<Option<ChainIdentityOfV2>>"),
    ("axons", Vec(AxonInfo), "Vec<AxonInfo>"), *NEURON_VECTOR_FIELDS,
    ("tao_dividends_per_hotkey", Vec(Tuple(AccountId32, CTao)), "Vec<(AccountId, Compact<TaoBalance>)>"),
    ("alpha_dividends_per_hotkey", Vec(Tuple(AccountId32, CAlpha)), "Vec<(AccountId, Compact<AlphaBalance>)>"),
    ("validators", Vec(CU16), "Vec<Compact<u16>>"),
    ("commitments", Vec(Tuple(AccountId32, CompactBytes)), "Vec<(AccountId, Vec<Compact<u8>>)>"),
    ("collateral_locked", Vec(CAlpha), "Vec<Compact<AlphaBalance>>"),
    ("collateral_min", Vec(CAlpha), "Vec<Compact<AlphaBalance>>"),
    ("collateral_earned", Vec(CAlpha), "Vec<Compact<AlphaBalance>>"),
]
assert [f[0] for f in _FIELDS] == [f[0] for f in metagraph_info.SELECTIVE_FIELDS]

Metagraph = Composite(_PATH + "Metagraph", [f for f in _FIELDS if f[0] not in metagraph_info.SELECTIVE_ONLY],
                      params=_ACCOUNT_PARAM)
SelectiveMetagraph = Composite(_PATH + "SelectiveMetagraph", [
    f if f[0] == "netuid" else (f[0], Option(f[1]), f"Option<{f[2]}>") for f in _FIELDS], params=_ACCOUNT_PARAM)

SubnetInfoRuntimeApi = runtime_api("SubnetInfoRuntimeApi", 2)
NETUID = [("netuid", NetUid)]
INDEXES = ("metagraph_indexes", Vec(U16))


@SubnetInfoRuntimeApi.method("get_metagraph", NETUID, Option(Metagraph))
def get_metagraph(ctx: Context, netuid: int) -> dict[str, Any] | None:
    return metagraph_info.metagraph(ctx, netuid)


@SubnetInfoRuntimeApi.method("get_all_metagraphs", [], Vec(Option(Metagraph)))
def get_all_metagraphs(ctx: Context) -> list[dict[str, Any] | None]:
    return [metagraph_info.metagraph(ctx, n) for n in metagraph_info.reportable_netuids(ctx)]


@SubnetInfoRuntimeApi.method("get_selective_metagraph", [*NETUID, INDEXES], Option(SelectiveMetagraph))
def get_selective_metagraph(ctx: Context, netuid: int, metagraph_indexes: list[int]) -> dict[str, Any] | None:
    return metagraph_info.selective(ctx, netuid, metagraph_indexes)


@SubnetInfoRuntimeApi.method("get_mechagraph", [*NETUID, ("mecid", MechId)], Option(Metagraph))
def get_mechagraph(ctx: Context, netuid: int, mecid: int) -> dict[str, Any] | None:
    return metagraph_info.mechagraph(ctx, netuid, mecid)


@SubnetInfoRuntimeApi.method("get_all_mechagraphs", [], Vec(Option(Metagraph)))
def get_all_mechagraphs(ctx: Context) -> list[dict[str, Any] | None]:
    return [metagraph_info.mechagraph(ctx, n, m) for n in metagraph_info.reportable_netuids(ctx)
            for m in range(metagraph_info.mechanism_count(ctx, n))]


@SubnetInfoRuntimeApi.method("get_selective_mechagraph", [*NETUID, ("subid", MechId), INDEXES],
                             Option(SelectiveMetagraph))
def get_selective_mechagraph(ctx: Context, netuid: int, subid: int,
                             metagraph_indexes: list[int]) -> dict[str, Any] | None:
    return metagraph_info.selective(ctx, netuid, metagraph_indexes, mecid=subid)
