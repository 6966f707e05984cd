"""StakeInfoRuntimeApi lock reads: get_stake_availability_for_coldkeys (how much alpha a coldkey may unstake)
and get_coldkey_lock.

Per coldkey and subnet: ``total`` (alpha over every hotkey the coldkey stakes through), ``locked`` (the
subnet-wide conviction lock) and ``available`` = total − locked − the coldkey's miner registration
collateral on that subnet. Subnets where both total and locked are zero are left out.

``netuids`` is ``None`` for every subnet; a given list is deduplicated, and if it is empty or longer
than the number of subnets every coldkey maps to an empty map; netuids that do not exist are dropped.

Locks: this runtime has no call that creates one, so ``locked`` is 0; a coldkey that somehow has a
``Lock`` entry raises :class:`~runtime.pallets.subtensor.staking.LocksUnsupported` (as the unstake
path does) rather than report a guessed figure.
"""

from __future__ import annotations

from typing import Any

from runtime.apis import runtime_api
from runtime.pallets.subtensor import storage as st
from runtime.pallets.subtensor.queries import all_subnet_netuids
from runtime.pallets.subtensor.staking import _no_lock, total_coldkey_alpha_on_subnet
from runtime.pallets.subtensor.types import LockState, NetUid
from runtime.primitives.types import AccountId32, AlphaBalance
from runtime.scale import BTreeMap, Compact, Composite, Option, Vec
from runtime.support.context import Context

CompactAlpha = Compact(AlphaBalance)
StakeAvailability = Composite("pallet_subtensor::rpc_info::stake_info::StakeAvailability", [
    ("total", CompactAlpha, "Compact<AlphaBalance>"), ("locked", CompactAlpha, "Compact<AlphaBalance>"),
    ("available", CompactAlpha, "Compact<AlphaBalance>"),
])

StakeInfoRuntimeApi = runtime_api("StakeInfoRuntimeApi", 1)


def stake_availability(ctx: Context, coldkey: bytes, netuid: int) -> tuple[int, int, int]:
    """(total, locked, available) alpha of ``coldkey`` on ``netuid``."""
    total = total_coldkey_alpha_on_subnet(ctx, coldkey, netuid)
    _no_lock(ctx, coldkey, netuid)
    locked = 0
    collateral = st.ColdkeyMinerCollateral.get(ctx, netuid, coldkey)
    return total, locked, max(total - locked - collateral, 0)


@StakeInfoRuntimeApi.method(
    "get_stake_availability_for_coldkeys",
    [("coldkey_accounts", Vec(AccountId32)), ("netuids", Option(Vec(NetUid)))],
    BTreeMap(AccountId32, BTreeMap(NetUid, StakeAvailability)),
)
def get_stake_availability_for_coldkeys(ctx: Context, coldkeys: list[bytes],
                                        netuids: list[int] | None) -> dict[bytes, dict[int, dict[str, Any]]]:
    if not coldkeys:
        return {}
    existing = all_subnet_netuids(ctx)
    if netuids is None:
        wanted = existing
    else:
        requested = sorted(set(netuids))
        if not requested or len(requested) > len(existing):
            return {coldkey: {} for coldkey in coldkeys}
        present = set(existing)
        wanted = [n for n in requested if n in present]
    result: dict[bytes, dict[int, dict[str, Any]]] = {}
    for coldkey in coldkeys:
        rows: dict[int, dict[str, Any]] = {}
        for netuid in wanted:
            total, locked, available = stake_availability(ctx, coldkey, netuid)
            if total or locked:
                rows[netuid] = {"total": total, "locked": locked, "available": available}
        result[coldkey] = rows
    return result


@StakeInfoRuntimeApi.method("get_coldkey_lock", [("coldkey", AccountId32), ("netuid", NetUid)], Option(LockState))
def get_coldkey_lock(ctx: Context, coldkey: bytes, netuid: int) -> dict[str, Any] | None:
    """The coldkey's conviction lock on ``netuid`` rolled forward to now: ``None`` without one (the only
    case this runtime can reach; an existing ``Lock`` entry raises ``LocksUnsupported``)."""
    _no_lock(ctx, coldkey, netuid)
    return None
