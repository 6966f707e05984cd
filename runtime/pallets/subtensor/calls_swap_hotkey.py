"""SubtensorModule ``swap_hotkey`` (call index 70) and ``swap_hotkey_v2`` (72) as node-subtensor spec 461
declares them; the logic lives in :mod:`.swap_hotkey`.

At this version ``swap_hotkey`` is the deprecated alias of ``swap_hotkey_v2`` with ``keep_stake = false``.
Both are ``DispatchClass::Normal``, ``Pays::Yes``, with the hotkey-swap benchmark weight
(``from_parts(275_300_000, 0)`` + 50 reads + 35 writes, RocksDB weights); the reference's lighter figure
for a single-subnet ``keep_stake`` swap and its root-basket surcharge are not modelled.
"""

from __future__ import annotations

from typing import Annotated, Any

from runtime.pallets.subtensor import swap_hotkey as swap
from runtime.pallets.subtensor.calls import (
    calls, ACCOUNT_ARG as _ACCOUNT,
)
from runtime.pallets.subtensor.types import NetUid
from runtime.scale import Bool, Option
from runtime.support.context import Context
from runtime.support.dispatch import Origin, benchmarked

SWAP_HOTKEY_WEIGHT = benchmarked(275_300_000, 0, 50, 35)

_OPT_NETUID = Annotated[Any, Option(NetUid), "Option<NetUid>"]
_BOOL = Annotated[bool, Bool, "bool"]


@calls.call(70, weight=SWAP_HOTKEY_WEIGHT)
def swap_hotkey(ctx: Context, origin: Origin, hotkey: _ACCOUNT, new_hotkey: _ACCOUNT, netuid: _OPT_NETUID) -> None:
    """The extrinsic for user to change its hotkey in subnet or all subnets.

    # Arguments
    * `origin`: The origin of the transaction (must be signed by the coldkey).
    * `hotkey`: The old hotkey to be swapped.
    * `new_hotkey`: The new hotkey to replace the old one.
    * `netuid`: Optional subnet ID. If `Some`, swap only on that subnet; if `None`, swap on all subnets."""
    swap.do_swap_hotkey(ctx, origin, hotkey, new_hotkey, netuid)


@calls.call(72, weight=SWAP_HOTKEY_WEIGHT)
def swap_hotkey_v2(ctx: Context, origin: Origin, hotkey: _ACCOUNT, new_hotkey: _ACCOUNT, netuid: _OPT_NETUID,
                   keep_stake: _BOOL) -> None:
    """`swap_hotkey`, optionally leaving the stake on the old hotkey (`keep_stake`) while everything
    else (uids, serving info, child links, ownership of the new key) moves."""
    swap.do_swap_hotkey(ctx, origin, hotkey, new_hotkey, netuid, keep_stake)


__all__ = ["SWAP_HOTKEY_WEIGHT", "swap_hotkey", "swap_hotkey_v2"]
