"""DelegateInfoRuntimeApi: delegate hotkeys, their nominators, registrations and daily returns."""

from __future__ import annotations

from typing import Any

from runtime.apis import runtime_api
from runtime.pallets.subtensor import rpc_info
from runtime.pallets.subtensor.types import CompactNetUid, PerU16
from runtime.primitives.types import AccountId32, AlphaBalance
from runtime.scale import U64, Compact, Composite, Option, Tuple, Vec
from runtime.support.context import Context

CU64 = Compact(U64)
DelegateInfo = Composite("pallet_subtensor::rpc_info::delegate_info::DelegateInfo", [
    ("delegate_ss58", AccountId32, "AccountId"), ("take", Compact(PerU16), "Compact<PerU16>"),
    ("nominators", Vec(Tuple(AccountId32, Vec(Tuple(CompactNetUid, CU64)))),
     "Vec<(AccountId, Vec<(Compact<NetUid>, Compact<u64>)>)>"),
    ("owner_ss58", AccountId32, "AccountId"), ("registrations", Vec(CompactNetUid), "Vec<Compact<NetUid>>"),
    ("validator_permits", Vec(CompactNetUid), "Vec<Compact<NetUid>>"),
    ("return_per_1000", CU64, "Compact<u64>"), ("total_daily_return", CU64, "Compact<u64>"),
], params=[("AccountId", AccountId32)])

DelegateInfoRuntimeApi = runtime_api("DelegateInfoRuntimeApi", 1)


@DelegateInfoRuntimeApi.method("get_delegates", [], Vec(DelegateInfo))
def get_delegates(ctx: Context) -> list[dict[str, Any]]:
    return rpc_info.delegates(ctx)


@DelegateInfoRuntimeApi.method("get_delegate", [("delegate_account", AccountId32)], Option(DelegateInfo))
def get_delegate(ctx: Context, delegate: bytes) -> dict[str, Any] | None:
    from runtime.pallets.subtensor import storage as st

    return rpc_info.delegate_info(ctx, delegate) if st.Delegates.exists(ctx, delegate) else None


@DelegateInfoRuntimeApi.method("get_delegated", [("delegatee_account", AccountId32)],
                               Vec(Tuple(DelegateInfo, Tuple(CompactNetUid, Compact(AlphaBalance)))))
def get_delegated(ctx: Context, delegatee: bytes) -> list[tuple[dict[str, Any], tuple[int, int]]]:
    return rpc_info.delegated(ctx, delegatee)
