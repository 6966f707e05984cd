"""SubtensorModule staking calls added at spec 461 on top of :mod:`.staking`: ``move_stake_limit``,
``transfer_stake_and_hotkey``, ``add_stake_burn`` and the auto-stake destination setter.

* ``move_stake_limit`` is ``move_stake`` with the relative price limit of ``swap_stake_limit``:
  ``limit_price`` is the least destination alpha accepted per origin alpha (×1e9); fill-or-kill unless
  ``allow_partial``. The reference body (``do_move_stake_limit``) was not among the sources we could
  read; the call's documented rule is exactly the shared transition with a limit, which is what
  runs here.
* ``transfer_stake_and_hotkey`` is ``transfer_stake`` landing on another hotkey (transfer toggle
  checked, ``StakeAndHotkeyTransferred``).
* ``add_stake_burn`` is the subnet owner's buyback: stake (price-limited, fill-or-kill, when a limit is
  given) and burn the alpha bought, at most once per ``Tempo`` blocks per subnet
  (``LastRateLimitedBlock[AddStakeBurn(netuid)]``).
* ``set_coldkey_auto_stake_hotkey`` picks the hotkey a coldkey's emissions on a subnet are staked to.
"""

from __future__ import annotations

from runtime.pallets.subtensor import stake_calls, staking
from runtime.pallets.subtensor import storage as st
from runtime.pallets.subtensor.errors import errors
from runtime.pallets.subtensor.events import (
    AddStakeBurn, AutoStakeDestinationSet, StakeAndHotkeyTransferred, StakeMoved,
)
from runtime.pallets.subtensor.subnets import ensure_subnet_owner
from runtime.support.context import Context
from runtime.support.dispatch import Origin, ensure_signed
from runtime.support.externalities import Externalities


def do_move_stake_limit(ctx: Context, origin: Origin, origin_hotkey: bytes, destination_hotkey: bytes,
                        origin_netuid: int, destination_netuid: int, alpha: int, limit_price: int,
                        allow_partial: bool) -> None:
    coldkey = ensure_signed(origin)
    tao = stake_calls.transition_stake(ctx, coldkey, coldkey, origin_hotkey, destination_hotkey, origin_netuid,
                                   destination_netuid, alpha, limit_price, allow_partial, False)
    ctx.deposit_event(StakeMoved(coldkey, origin_hotkey, origin_netuid, destination_hotkey, destination_netuid, tao))


def do_transfer_stake_and_hotkey(ctx: Context, origin: Origin, destination_coldkey: bytes, origin_hotkey: bytes,
                                 destination_hotkey: bytes, origin_netuid: int, destination_netuid: int,
                                 alpha: int) -> None:
    coldkey = ensure_signed(origin)
    tao = stake_calls.transition_stake(ctx, coldkey, destination_coldkey, origin_hotkey, destination_hotkey,
                                   origin_netuid, destination_netuid, alpha, None, None, True)
    ctx.deposit_event(StakeAndHotkeyTransferred(coldkey, destination_coldkey, origin_hotkey, destination_hotkey,
                                                origin_netuid, destination_netuid, tao))


def _add_stake_burn_key(netuid: int) -> tuple[str, int]:
    return ("AddStakeBurn", netuid)


def add_stake_burn_passes_rate_limit(ext: Externalities, netuid: int, now: int) -> bool:
    """``TransactionType::AddStakeBurn`` on a subnet: one buyback per ``Tempo`` blocks (never-set passes)."""
    last = st.LastRateLimitedBlock.get(ext, _add_stake_burn_key(netuid))
    return last == 0 or max(now - last, 0) >= st.Tempo.get(ext, netuid)


def do_add_stake_burn(ctx: Context, origin: Origin, hotkey: bytes, netuid: int, amount: int,
                      limit: int | None) -> None:
    """Buy alpha with ``amount`` TAO through ``hotkey`` and burn it (subnet owner only)."""
    ensure_subnet_owner(ctx, origin, netuid)
    now = ctx.block_number
    if not add_stake_burn_passes_rate_limit(ctx, netuid, now):
        raise errors.AddStakeBurnRateLimitExceeded
    if limit is not None:
        alpha = stake_calls.do_add_stake_limit(ctx, origin, hotkey, netuid, amount, limit, False)
    else:
        alpha = stake_calls.do_add_stake(ctx, origin, hotkey, netuid, amount)
    stake_calls.do_burn_alpha(ctx, origin, hotkey, alpha, netuid)
    st.LastRateLimitedBlock.put(ctx, _add_stake_burn_key(netuid), now)
    ctx.deposit_event(AddStakeBurn(netuid, hotkey, amount, alpha))


def do_set_coldkey_auto_stake_hotkey(ctx: Context, origin: Origin, netuid: int, hotkey: bytes) -> None:
    """Point the signer's auto-stake destination on ``netuid`` at a hotkey registered there."""
    coldkey = ensure_signed(origin)
    if not staking.subnet_exists(ctx, netuid):
        raise errors.SubnetNotExists
    if not st.Uids.exists(ctx, netuid, hotkey):
        raise errors.HotKeyNotRegisteredInSubNet
    current = st.AutoStakeDestination.try_get(ctx, coldkey, netuid)
    if current is not None:
        if current == hotkey:
            raise errors.SameAutoStakeHotkeyAlreadySet
        st.AutoStakeDestinationColdkeys.put(
            ctx, current, netuid, [c for c in st.AutoStakeDestinationColdkeys.get(ctx, current, netuid) if c != coldkey])
    st.AutoStakeDestination.put(ctx, coldkey, netuid, hotkey)
    followers = st.AutoStakeDestinationColdkeys.get(ctx, hotkey, netuid)
    if coldkey not in followers:
        st.AutoStakeDestinationColdkeys.put(ctx, hotkey, netuid, [*followers, coldkey])
    ctx.deposit_event(AutoStakeDestinationSet(coldkey, netuid, hotkey))


__all__ = [
    "add_stake_burn_passes_rate_limit", "do_add_stake_burn", "do_move_stake_limit", "do_set_coldkey_auto_stake_hotkey",
    "do_transfer_stake_and_hotkey",
]
