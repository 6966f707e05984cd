"""BetaBasketRuntimeApi: what a coldkey's root dividends (validator beta baskets) are worth.

Declared: ``get_root_basket_owed`` and ``get_root_basket_positions``, exact for validators without an
outstanding fund (every state this runtime can reach: nothing creates basket shares yet). A fund with
shares makes the call fail (``BasketValuationUnsupported``) rather than answer a wrong value.
"""

from __future__ import annotations

from runtime.apis import runtime_api
from runtime.pallets.subtensor import queries
from runtime.primitives.types import AccountId32, TaoBalance
from runtime.scale import U64, Tuple, Vec
from runtime.support.context import Context

BetaBasketRuntimeApi = runtime_api("BetaBasketRuntimeApi", 4)


@BetaBasketRuntimeApi.method("get_root_basket_owed", [("coldkey", AccountId32)], TaoBalance)
def get_root_basket_owed(ctx: Context, coldkey: bytes) -> int:
    return queries.root_basket_owed(ctx, coldkey)


@BetaBasketRuntimeApi.method("get_root_basket_positions", [("coldkey", AccountId32)],
                             Vec(Tuple(AccountId32, U64, TaoBalance)))
def get_root_basket_positions(ctx: Context, coldkey: bytes) -> list[tuple[bytes, int, int]]:
    return queries.root_basket_positions(ctx, coldkey)
