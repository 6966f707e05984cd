"""SwapRuntimeApi: alpha spot prices of the subnet pools (rao per alpha).

Only the price methods are declared; the swap simulations (``sim_swap_tao_for_alpha``,
``sim_swap_alpha_for_tao``) need the balancer swap step and come with the Swap pallet.
"""

from __future__ import annotations

from typing import Any

from runtime.apis import runtime_api
from runtime.pallets.subtensor import queries
from runtime.pallets.subtensor.types import NetUid
from runtime.scale import U64, Composite, Vec
from runtime.support.context import Context

SubnetPrice = Composite("pallet_subtensor_swap_runtime_api::SubnetPrice", [
    ("netuid", NetUid, "NetUid"), ("price", U64, "u64")])

SwapRuntimeApi = runtime_api("SwapRuntimeApi", 1, docs=[" Runtime API for swap price quotes and dry-run swaps."])


@SwapRuntimeApi.method("current_alpha_price", [("netuid", NetUid)], U64,
                       docs=[" Alpha price for `netuid`, scaled by `1e9`."])
def current_alpha_price(ctx: Context, netuid: int) -> int:
    return queries.current_alpha_price_rao(ctx, netuid)


@SwapRuntimeApi.method("current_alpha_price_all", [], Vec(SubnetPrice),
                       docs=[" Alpha prices for every subnet that has a dynamic mechanism."])
def current_alpha_price_all(ctx: Context) -> list[dict[str, Any]]:
    """Every added subnet (root and non-dynamic ones at 1e9), in ``NetworksAdded`` key order."""
    return [{"netuid": netuid, "price": queries.current_alpha_price_rao(ctx, netuid)}
            for netuid in queries.all_subnet_netuids(ctx)]
