"""NeuronInfoRuntimeApi: the neurons of a subnet, with (``get_neurons``) or without weights and bonds."""

from __future__ import annotations

from typing import Any

from runtime.apis import runtime_api
from runtime.pallets.subtensor import rpc_info
from runtime.pallets.subtensor.types import AxonInfo, CompactNetUid, NetUid, PerU16, PrometheusInfo
from runtime.primitives.types import AccountId32, AlphaBalance
from runtime.scale import U16, U64, Bool, Compact, Composite, Option, Tuple, Vec
from runtime.support.context import Context

CompactU16 = Compact(U16)
CompactPerU16 = Compact(PerU16)
CompactAlpha = Compact(AlphaBalance)
SparseRow = Vec(Tuple(CompactU16, CompactU16))

_HEAD = [
    ("hotkey", AccountId32, "AccountId"), ("coldkey", AccountId32, "AccountId"),
    ("uid", CompactU16, "Compact<u16>"), ("netuid", CompactNetUid, "Compact<NetUid>"), ("active", Bool, "bool"),
    ("axon_info", AxonInfo, "AxonInfo"), ("prometheus_info", PrometheusInfo, "PrometheusInfo"),
    ("stake", Vec(Tuple(AccountId32, CompactAlpha)), "Vec<(AccountId, Compact<AlphaBalance>)>"),
    ("rank", CompactU16, "Compact<u16>"), ("emission", CompactAlpha, "Compact<AlphaBalance>"),
    ("incentive", CompactPerU16, "Compact<PerU16>"), ("consensus", CompactPerU16, "Compact<PerU16>"),
    ("trust", CompactPerU16, "Compact<PerU16>"), ("validator_trust", CompactPerU16, "Compact<PerU16>"),
    ("dividends", CompactPerU16, "Compact<PerU16>"), ("last_update", Compact(U64), "Compact<u64>"),
    ("validator_permit", Bool, "bool"),
]
_PRUNING = ("pruning_score", CompactU16, "Compact<u16>")

NeuronInfo = Composite("pallet_subtensor::rpc_info::neuron_info::NeuronInfo", [
    *_HEAD, ("weights", SparseRow, "Vec<(Compact<u16>, Compact<u16>)>"),
    ("bonds", SparseRow, "Vec<(Compact<u16>, Compact<u16>)>"), _PRUNING,
], params=[("AccountId", AccountId32)])
NeuronInfoLite = Composite("pallet_subtensor::rpc_info::neuron_info::NeuronInfoLite", [*_HEAD, _PRUNING],
                           params=[("AccountId", AccountId32)])

NeuronInfoRuntimeApi = runtime_api("NeuronInfoRuntimeApi", 1)


@NeuronInfoRuntimeApi.method("get_neurons", [("netuid", NetUid)], Vec(NeuronInfo))
def get_neurons(ctx: Context, netuid: int) -> list[dict[str, Any]]:
    return rpc_info.neurons(ctx, netuid, lite=False)


@NeuronInfoRuntimeApi.method("get_neuron", [("netuid", NetUid), ("uid", U16)], Option(NeuronInfo))
def get_neuron(ctx: Context, netuid: int, uid: int) -> dict[str, Any] | None:
    return rpc_info.neuron(ctx, netuid, uid) if rpc_info.exists(ctx, netuid) else None


@NeuronInfoRuntimeApi.method("get_neurons_lite", [("netuid", NetUid)], Vec(NeuronInfoLite))
def get_neurons_lite(ctx: Context, netuid: int) -> list[dict[str, Any]]:
    return rpc_info.neurons(ctx, netuid, lite=True)


@NeuronInfoRuntimeApi.method("get_neuron_lite", [("netuid", NetUid), ("uid", U16)], Option(NeuronInfoLite))
def get_neuron_lite(ctx: Context, netuid: int, uid: int) -> dict[str, Any] | None:
    return rpc_info.neuron_lite(ctx, netuid, uid) if rpc_info.exists(ctx, netuid) else None
