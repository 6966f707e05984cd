"""StakeInfoRuntimeApi: a coldkey's stake positions (alpha per hotkey and subnet).

Declared: the three ``get_stake_info_*`` methods. Lock- and fee-aware methods
(``get_stake_availability_for_coldkeys``, ``get_stake_fee``, ``get_coldkey_lock`` …) come later.
"""

from __future__ import annotations

from typing import Any

from runtime.apis import runtime_api
from runtime.pallets.subtensor import queries
from runtime.pallets.subtensor.types import CompactNetUid, NetUid
from runtime.primitives.types import AccountId32, AlphaBalance, TaoBalance
from runtime.scale import U64, Bool, Compact, Composite, Option, Tuple, Vec
from runtime.support.context import Context

CompactAlpha = Compact(AlphaBalance)
StakeInfo = Composite("pallet_subtensor::rpc_info::stake_info::StakeInfo", [
    ("hotkey", AccountId32, "AccountId"), ("coldkey", AccountId32, "AccountId"),
    ("netuid", CompactNetUid, "Compact<NetUid>"), ("stake", CompactAlpha, "Compact<AlphaBalance>"),
    ("locked", Compact(U64), "Compact<u64>"), ("emission", CompactAlpha, "Compact<AlphaBalance>"),
    ("tao_emission", Compact(TaoBalance), "Compact<TaoBalance>"), ("drain", Compact(U64), "Compact<u64>"),
    ("is_registered", Bool, "bool"),
], params=[("AccountId", AccountId32)])

StakeInfoRuntimeApi = runtime_api("StakeInfoRuntimeApi", 1)


@StakeInfoRuntimeApi.method("get_stake_info_for_coldkey", [("coldkey_account", AccountId32)], Vec(StakeInfo))
def get_stake_info_for_coldkey(ctx: Context, coldkey: bytes) -> list[dict[str, Any]]:
    return queries.stake_info_for_coldkeys(ctx, [coldkey])[0][1]


@StakeInfoRuntimeApi.method("get_stake_info_for_coldkeys", [("coldkey_accounts", Vec(AccountId32))],
                            Vec(Tuple(AccountId32, Vec(StakeInfo))))
def get_stake_info_for_coldkeys(ctx: Context, coldkeys: list[bytes]) -> list[tuple[bytes, list[dict[str, Any]]]]:
    return queries.stake_info_for_coldkeys(ctx, list(coldkeys))


@StakeInfoRuntimeApi.method("get_stake_info_for_hotkey_coldkey_netuid",
                            [("hotkey_account", AccountId32), ("coldkey_account", AccountId32), ("netuid", NetUid)],
                            Option(StakeInfo))
def get_stake_info_for_hotkey_coldkey_netuid(ctx: Context, hotkey: bytes, coldkey: bytes,
                                             netuid: int) -> dict[str, Any]:
    """Always Some, zero stake included."""
    stake = queries.stake_for_hotkey_and_coldkey_on_subnet(ctx, hotkey, coldkey, netuid)
    return queries.stake_info(ctx, hotkey, coldkey, netuid, stake)
