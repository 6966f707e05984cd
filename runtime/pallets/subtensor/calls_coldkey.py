"""SubtensorModule coldkey-swap calls as node-subtensor spec 461 declares them: root's ``swap_coldkey``
(71), the retired ``schedule_swap_coldkey`` (73) and the announcement family (125-128, 133). The logic
lives in :mod:`.swap_coldkey`.

Weights: these calls are not in the spec-425 benchmark file our other weights come from, so they are
estimates of the same shape (a base plus RocksDB reads/writes) sized like comparable calls; every call
here pays a fee.
"""

from __future__ import annotations

from typing import Annotated

from runtime.pallets.subtensor import swap_coldkey as swap
from runtime.pallets.subtensor.calls import calls, ACCOUNT_ARG as _ACCOUNT
from runtime.pallets.subtensor.errors import errors
from runtime.pallets.subtensor.types import H256, TaoBalance
from runtime.support.context import Context
from runtime.support.dispatch import Origin, benchmarked

SWAP_COLDKEY_WEIGHT = benchmarked(275_300_000, 0, 50, 35)
"""Estimate: the size of the all-subnets hotkey swap, which touches a comparable set of items."""
SCHEDULE_SWAP_COLDKEY_WEIGHT = benchmarked(5_000_000, 0, 0, 0)
ANNOUNCE_COLDKEY_SWAP_WEIGHT = benchmarked(45_000_000, 3_600, 4, 2)
SWAP_COLDKEY_ANNOUNCED_WEIGHT = benchmarked(275_300_000, 0, 51, 36)
DISPUTE_COLDKEY_SWAP_WEIGHT = benchmarked(20_000_000, 3_600, 2, 1)
RESET_COLDKEY_SWAP_WEIGHT = benchmarked(15_000_000, 0, 0, 2)
CLEAR_COLDKEY_SWAP_ANNOUNCEMENT_WEIGHT = benchmarked(20_000_000, 3_600, 2, 1)

_TAO = Annotated[int, TaoBalance, "TaoBalance"]
_HASH = Annotated[bytes, H256, "T::Hash"]


@calls.call(71, weight=SWAP_COLDKEY_WEIGHT)
def swap_coldkey(ctx: Context, origin: Origin, old_coldkey: _ACCOUNT, new_coldkey: _ACCOUNT,
                 swap_cost: _TAO) -> None:
    """Root moves everything `old_coldkey` holds to `new_coldkey` at once, recycling `swap_cost` from it."""
    swap.do_root_swap_coldkey(ctx, origin, old_coldkey, new_coldkey, swap_cost)


@calls.call(73, weight=SCHEDULE_SWAP_COLDKEY_WEIGHT)
def schedule_swap_coldkey(ctx: Context, origin: Origin, new_coldkey: _ACCOUNT) -> None:
    """Retired: always fails with `Deprecated` (use the announcement calls)."""
    del ctx, origin, new_coldkey
    raise errors.Deprecated


@calls.call(125, weight=ANNOUNCE_COLDKEY_SWAP_WEIGHT)
def announce_coldkey_swap(ctx: Context, origin: Origin, new_coldkey_hash: _HASH) -> None:
    """Announce a swap to the coldkey hashing (BlakeTwo256) to `new_coldkey_hash`; it can run after the
    announcement delay."""
    swap.do_announce_coldkey_swap(ctx, origin, new_coldkey_hash)


@calls.call(126, weight=SWAP_COLDKEY_ANNOUNCED_WEIGHT)
def swap_coldkey_announced(ctx: Context, origin: Origin, new_coldkey: _ACCOUNT) -> None:
    """Carry out the signer's announced swap to `new_coldkey` once its delay has passed."""
    swap.do_swap_coldkey_announced(ctx, origin, new_coldkey)


@calls.call(127, weight=DISPUTE_COLDKEY_SWAP_WEIGHT)
def dispute_coldkey_swap(ctx: Context, origin: Origin) -> None:
    """Freeze the signer's announced swap (and account) until root resets it."""
    swap.do_dispute_coldkey_swap(ctx, origin)


@calls.call(128, weight=RESET_COLDKEY_SWAP_WEIGHT)
def reset_coldkey_swap(ctx: Context, origin: Origin, coldkey: _ACCOUNT) -> None:
    """Root clears a coldkey's swap announcement and dispute."""
    swap.do_reset_coldkey_swap(ctx, origin, coldkey)


@calls.call(133, weight=CLEAR_COLDKEY_SWAP_ANNOUNCEMENT_WEIGHT)
def clear_coldkey_swap_announcement(ctx: Context, origin: Origin) -> None:
    """Withdraw the signer's undisputed announcement once the re-announcement delay has passed."""
    swap.do_clear_coldkey_swap_announcement(ctx, origin)


__all__ = [
    "announce_coldkey_swap", "clear_coldkey_swap_announcement", "dispute_coldkey_swap", "reset_coldkey_swap",
    "schedule_swap_coldkey", "swap_coldkey", "swap_coldkey_announced",
]
