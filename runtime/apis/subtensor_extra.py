"""Further SubtensorModule runtime API methods, added to the already-declared APIs.

* ``SwapRuntimeApi``: ``sim_swap_tao_for_alpha`` / ``sim_swap_alpha_for_tao`` — dry-run swaps through
  the Swap engine (fees and slippage included; all zeros when the swap would fail). Nothing is written:
  the engine simulates inside a storage transaction it rolls back.
* ``SubnetInfoRuntimeApi``: ``get_subnet_to_prune`` (the pruning candidate), ``get_subnet_account_id``
  (an added subnet's pallet sub-account), ``get_coldkey_auto_stake_hotkey`` (``AutoStakeDestination``)
  and ``get_block_emission`` (the halving schedule over ``TotalIssuance``, computed without touching
  ``BlockEmission``, as the reference's ``calculate_block_emission`` does).
* ``StakeInfoRuntimeApi``: ``get_stake_fee`` — 0 when origin and destination are the same position,
  otherwise the swap fee of ``amount`` on the destination's subnet (the origin's if there is no
  destination, root if neither).

Signatures follow node-subtensor's V15 metadata (the reference declares no docs for these methods).
"""

from __future__ import annotations

from typing import Any

from runtime.apis import runtime_api
from runtime.pallets.subtensor import accounts, subnets
from runtime.pallets.subtensor import storage as st
from runtime.pallets.subtensor.types import ROOT_NETUID, NetUid
from runtime.pallets.swap import engine
from runtime.primitives.types import AccountId32, AlphaBalance, TaoBalance
from runtime.scale import U64, Option, Tuple
from runtime.support.context import Context

# APIs declared elsewhere (``runtime_api`` returns the registered object); the versions must agree.
SwapRuntimeApi = runtime_api("SwapRuntimeApi", 1)
SubnetInfoRuntimeApi = runtime_api("SubnetInfoRuntimeApi", 2)
StakeInfoRuntimeApi = runtime_api("StakeInfoRuntimeApi", 1)

# -- SwapRuntimeApi ------------------------------------------------------------------------------------


@SwapRuntimeApi.method("sim_swap_tao_for_alpha", [("netuid", NetUid), ("tao", TaoBalance)], engine.SimSwapResult)
def sim_swap_tao_for_alpha(ctx: Context, netuid: int, tao: int) -> dict[str, int]:
    return engine.sim_swap_tao_for_alpha(ctx, netuid, tao)


@SwapRuntimeApi.method("sim_swap_alpha_for_tao", [("netuid", NetUid), ("alpha", AlphaBalance)],
                       engine.SimSwapResult)
def sim_swap_alpha_for_tao(ctx: Context, netuid: int, alpha: int) -> dict[str, int]:
    return engine.sim_swap_alpha_for_tao(ctx, netuid, alpha)


# -- SubnetInfoRuntimeApi ------------------------------------------------------------------------------


@SubnetInfoRuntimeApi.method("get_coldkey_auto_stake_hotkey", [("coldkey", AccountId32), ("netuid", NetUid)],
                             Option(AccountId32))
def get_coldkey_auto_stake_hotkey(ctx: Context, coldkey: bytes, netuid: int) -> bytes | None:
    """The hotkey ``coldkey`` auto-stakes its mining rewards on ``netuid`` to, if it chose one."""
    return st.AutoStakeDestination.get(ctx, coldkey, netuid)  # type: ignore[no-any-return]


@SubnetInfoRuntimeApi.method("get_subnet_to_prune", [], Option(NetUid))
def get_subnet_to_prune(ctx: Context) -> int | None:
    """The non-immune subnet with the lowest moving price (earliest registration on ties), if any."""
    return subnets.network_to_prune(ctx)


@SubnetInfoRuntimeApi.method("get_subnet_account_id", [("netuid", NetUid)], Option(AccountId32))
def get_subnet_account_id(ctx: Context, netuid: int) -> bytes | None:
    return accounts.subnet_account_if_exists(ctx, netuid)


@SubnetInfoRuntimeApi.method("get_block_emission", [], TaoBalance)
def get_block_emission(ctx: Context) -> int:
    """Rao emitted per block at the current ``TotalIssuance`` (1 TAO halved per supply halving)."""
    return subnets.block_emission_for_issuance(st.TotalIssuance.get(ctx))


# -- StakeInfoRuntimeApi -------------------------------------------------------------------------------

Position = Option(Tuple(AccountId32, NetUid))


@StakeInfoRuntimeApi.method("get_stake_fee", [
    ("origin", Position), ("origin_coldkey_account", AccountId32),
    ("destination", Position), ("destination_coldkey_account", AccountId32), ("amount", U64)], U64)
def get_stake_fee(ctx: Context, origin: Any, origin_coldkey: bytes, destination: Any,
                  destination_coldkey: bytes, amount: int) -> int:
    """The swap fee a stake operation of ``amount`` would pay (the coldkeys do not matter)."""
    if _position(origin) == _position(destination):
        return 0
    chosen = destination if destination is not None else origin
    netuid = chosen[1] if chosen is not None else ROOT_NETUID
    return engine.approx_fee_amount(ctx, netuid, amount)


def _position(value: Any) -> tuple[bytes, int] | None:
    return None if value is None else (bytes(value[0]), int(value[1]))
