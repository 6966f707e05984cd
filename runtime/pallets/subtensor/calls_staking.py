"""SubtensorModule staking calls: indices, argument names/types, weights and fee flags as node-subtensor
(spec 425) declares them; the logic lives in :mod:`.staking`.

Weights are the benchmarked ``SubstrateWeight`` values of pallet_subtensor with node-subtensor's
RocksDB read/write weights; every call here pays a fee.
"""

from __future__ import annotations

from typing import Annotated, Any

from runtime.pallets.subtensor import stake_calls
from runtime.pallets.subtensor.calls import (
    calls, NETUID_ARG as _NETUID, ACCOUNT_ARG as _ACCOUNT,
)
from runtime.pallets.subtensor.types import AlphaBalance, TaoBalance
from runtime.scale import Bool, Option
from runtime.support.context import Context
from runtime.support.dispatch import Origin, benchmarked

ADD_STAKE_WEIGHT = benchmarked(664_064_000, 8727, 32, 16)
REMOVE_STAKE_WEIGHT = benchmarked(569_198_000, 10557, 28, 13)
ADD_STAKE_LIMIT_WEIGHT = benchmarked(853_005_000, 8727, 32, 16)
REMOVE_STAKE_LIMIT_WEIGHT = benchmarked(740_696_000, 10591, 27, 13)
REMOVE_STAKE_FULL_LIMIT_WEIGHT = benchmarked(754_292_000, 10591, 27, 13)
UNSTAKE_ALL_WEIGHT = benchmarked(26_830_000, 9189, 6, 0)
UNSTAKE_ALL_ALPHA_WEIGHT = benchmarked(700_873_000, 11306, 43, 25)
MOVE_STAKE_WEIGHT = benchmarked(216_061_000, 7919, 19, 7)
TRANSFER_STAKE_WEIGHT = benchmarked(258_541_000, 7994, 19, 6)
SWAP_STAKE_WEIGHT = benchmarked(742_019_000, 10920, 47, 24)
SWAP_STAKE_LIMIT_WEIGHT = benchmarked(944_515_000, 11077, 47, 24)
RECYCLE_ALPHA_WEIGHT = benchmarked(172_139_000, 5219, 13, 6)
BURN_ALPHA_WEIGHT = benchmarked(168_964_000, 5219, 12, 4)

_TAO = Annotated[int, TaoBalance, "TaoBalance"]
_ALPHA = Annotated[int, AlphaBalance, "AlphaBalance"]
_BOOL = Annotated[bool, Bool, "bool"]
_OPT_TAO = Annotated[Any, Option(TaoBalance), "Option<TaoBalance>"]


@calls.call(2, weight=ADD_STAKE_WEIGHT)
def add_stake(ctx: Context, origin: Origin, hotkey: _ACCOUNT, netuid: _NETUID, amount_staked: _TAO) -> None:
    """Stake `amount_staked` TAO from the signer to `hotkey` on `netuid` (bought as alpha at any price)."""
    stake_calls.do_add_stake(ctx, origin, hotkey, netuid, amount_staked)


@calls.call(3, weight=REMOVE_STAKE_WEIGHT)
def remove_stake(ctx: Context, origin: Origin, hotkey: _ACCOUNT, netuid: _NETUID, amount_unstaked: _ALPHA) -> None:
    """Unstake up to `amount_unstaked` alpha of the signer from `hotkey` on `netuid`, selling it for TAO."""
    stake_calls.do_remove_stake(ctx, origin, hotkey, netuid, amount_unstaked)


@calls.call(83, weight=UNSTAKE_ALL_WEIGHT)
def unstake_all(ctx: Context, origin: Origin, hotkey: _ACCOUNT) -> None:
    """Unstake everything the signer has through `hotkey` on every subnet where that is allowed."""
    stake_calls.do_unstake_all(ctx, origin, hotkey)


@calls.call(84, weight=UNSTAKE_ALL_ALPHA_WEIGHT)
def unstake_all_alpha(ctx: Context, origin: Origin, hotkey: _ACCOUNT) -> None:
    """Unstake the signer's alpha through `hotkey` on every non-root subnet and restake the TAO on root."""
    stake_calls.do_unstake_all_alpha(ctx, origin, hotkey)


@calls.call(85, weight=MOVE_STAKE_WEIGHT)
def move_stake(ctx: Context, origin: Origin, origin_hotkey: _ACCOUNT, destination_hotkey: _ACCOUNT,
               origin_netuid: _NETUID, destination_netuid: _NETUID, alpha_amount: _ALPHA) -> None:
    """Move the signer's stake to another hotkey and/or subnet."""
    stake_calls.do_move_stake(ctx, origin, origin_hotkey, destination_hotkey, origin_netuid, destination_netuid,
                          alpha_amount)


@calls.call(86, weight=TRANSFER_STAKE_WEIGHT)
def transfer_stake(ctx: Context, origin: Origin, destination_coldkey: _ACCOUNT, hotkey: _ACCOUNT,
                   origin_netuid: _NETUID, destination_netuid: _NETUID, alpha_amount: _ALPHA) -> None:
    """Give the signer's stake through `hotkey` to another coldkey (optionally on another subnet)."""
    stake_calls.do_transfer_stake(ctx, origin, destination_coldkey, hotkey, origin_netuid, destination_netuid,
                              alpha_amount)


@calls.call(87, weight=SWAP_STAKE_WEIGHT)
def swap_stake(ctx: Context, origin: Origin, hotkey: _ACCOUNT, origin_netuid: _NETUID, destination_netuid: _NETUID,
               alpha_amount: _ALPHA) -> None:
    """Move the signer's stake through `hotkey` from one subnet to another."""
    stake_calls.do_swap_stake(ctx, origin, hotkey, origin_netuid, destination_netuid, alpha_amount)


@calls.call(88, weight=ADD_STAKE_LIMIT_WEIGHT)
def add_stake_limit(ctx: Context, origin: Origin, hotkey: _ACCOUNT, netuid: _NETUID, amount_staked: _TAO,
                    limit_price: _TAO, allow_partial: _BOOL) -> None:
    """`add_stake` that never buys above `limit_price` (rao per alpha); partial fills if allowed."""
    stake_calls.do_add_stake_limit(ctx, origin, hotkey, netuid, amount_staked, limit_price, allow_partial)


@calls.call(89, weight=REMOVE_STAKE_LIMIT_WEIGHT)
def remove_stake_limit(ctx: Context, origin: Origin, hotkey: _ACCOUNT, netuid: _NETUID, amount_unstaked: _ALPHA,
                       limit_price: _TAO, allow_partial: _BOOL) -> None:
    """`remove_stake` that never sells below `limit_price` (rao per alpha); partial fills if allowed."""
    stake_calls.do_remove_stake_limit(ctx, origin, hotkey, netuid, amount_unstaked, limit_price, allow_partial)


@calls.call(90, weight=SWAP_STAKE_LIMIT_WEIGHT)
def swap_stake_limit(ctx: Context, origin: Origin, hotkey: _ACCOUNT, origin_netuid: _NETUID,
                     destination_netuid: _NETUID, alpha_amount: _ALPHA, limit_price: _TAO,
                     allow_partial: _BOOL) -> None:
    """`swap_stake` bounded by the origin/destination price ratio `limit_price`."""
    stake_calls.do_swap_stake(ctx, origin, hotkey, origin_netuid, destination_netuid, alpha_amount, limit_price,
                          allow_partial)


@calls.call(101, weight=RECYCLE_ALPHA_WEIGHT)
def recycle_alpha(ctx: Context, origin: Origin, hotkey: _ACCOUNT, amount: _ALPHA, netuid: _NETUID) -> None:
    """Destroy up to `amount` of the signer's alpha, reducing the subnet's alpha issuance."""
    stake_calls.do_recycle_alpha(ctx, origin, hotkey, amount, netuid)


@calls.call(102, weight=BURN_ALPHA_WEIGHT)
def burn_alpha(ctx: Context, origin: Origin, hotkey: _ACCOUNT, amount: _ALPHA, netuid: _NETUID) -> None:
    """Destroy up to `amount` of the signer's alpha without changing the alpha issuance."""
    stake_calls.do_burn_alpha(ctx, origin, hotkey, amount, netuid)


@calls.call(103, weight=REMOVE_STAKE_FULL_LIMIT_WEIGHT)
def remove_stake_full_limit(ctx: Context, origin: Origin, hotkey: _ACCOUNT, netuid: _NETUID,
                            limit_price: _OPT_TAO) -> None:
    """Unstake all of the signer's alpha through `hotkey` on `netuid`, price-limited if a limit is given."""
    stake_calls.do_remove_stake_full_limit(ctx, origin, hotkey, netuid, limit_price)


__all__ = [
    "add_stake", "add_stake_limit", "burn_alpha", "move_stake", "recycle_alpha", "remove_stake",
    "remove_stake_full_limit", "remove_stake_limit", "swap_stake", "swap_stake_limit", "transfer_stake",
    "unstake_all", "unstake_all_alpha",
]
