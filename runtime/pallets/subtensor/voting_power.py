"""Validator voting power: a per-subnet EMA of each permitted validator's epoch stake, for subnet governance
(node-subtensor's ``utils/voting_power.rs``; calls 129–131 of spec 461).

A subnet owner (or root) turns tracking on with ``enable_voting_power_tracking``; from then on every epoch
updates ``VotingPower[netuid, hotkey] = alpha·stake + (1 − alpha)·previous`` (alpha in 18-decimal fixed
point, ``VotingPowerEmaAlpha``, default 0.00357) for the hotkeys holding a new validator permit, drops the
entries of hotkeys without a permit or no longer registered, and removes a validator whose EMA decays from
at least ``StakeThreshold`` to below it. ``disable_voting_power_tracking`` schedules the end 100,800 blocks
(14 days) ahead; the first epoch at or after that block clears every entry and turns tracking off.

``TotalVotingPower[netuid]`` is the sum of the subnet's entries, kept in step with every write (as its
metadata docs state). The reference code that maintains it at spec 461 was not available to us; the
invariant is what we implement, so its value always equals the sum. Where the two published versions of the
reference differ, this follows the newer one: the calls check that the subnet exists, and the removal
threshold is ``StakeThreshold`` itself (an older version used 90% of it).

Weights: the reference's declared figures (10,000 ref-time plus 2 reads and 2 or 1 writes for enable and
disable, 6,000 plus one read and one write for the alpha setter).
"""

from __future__ import annotations

from runtime.pallets.subtensor import storage as st
from runtime.pallets.subtensor.calls import NETUID_ARG as _NETUID
from runtime.pallets.subtensor.calls import U64_ARG as _U64
from runtime.pallets.subtensor.calls import calls
from runtime.pallets.subtensor.errors import errors
from runtime.pallets.subtensor.events import (
    VotingPowerEmaAlphaSet, VotingPowerTrackingDisabled, VotingPowerTrackingDisableScheduled,
    VotingPowerTrackingEnabled,
)
from runtime.pallets.subtensor.subnets import ensure_subnet_owner_or_root, subnet_exists
from runtime.support.context import Context
from runtime.support.dispatch import Origin, benchmarked, ensure_root
from runtime.support.externalities import Externalities

__all__ = [
    "DISABLE_GRACE_PERIOD_BLOCKS", "MAX_EMA_ALPHA", "disable_voting_power_tracking",
    "enable_voting_power_tracking", "sudo_set_voting_power_ema_alpha", "swap_voting_power_for_hotkey",
    "update_voting_power_for_subnet", "voting_power_ema",
]

DISABLE_GRACE_PERIOD_BLOCKS = 100_800  # 14 days of 12-second blocks
MAX_EMA_ALPHA = 10**18  # 1.0 in 18-decimal fixed point
U64_MAX = (1 << 64) - 1

ENABLE_WEIGHT = benchmarked(10_000, 0, 2, 2)
DISABLE_WEIGHT = benchmarked(10_000, 0, 2, 1)
SET_EMA_ALPHA_WEIGHT = benchmarked(6_000, 0, 1, 1)


# -- calls -------------------------------------------------------------------------------------------------


@calls.call(129, weight=ENABLE_WEIGHT)
def enable_voting_power_tracking(ctx: Context, origin: Origin, netuid: _NETUID) -> None:
    """The subnet owner or root starts tracking (and cancels a scheduled disable)."""
    ensure_subnet_owner_or_root(ctx, origin, netuid)
    _ensure_subnet(ctx, netuid)
    st.VotingPowerTrackingEnabled.put(ctx, netuid, True)
    st.VotingPowerDisableAtBlock.kill(ctx, netuid)
    ctx.deposit_event(VotingPowerTrackingEnabled(netuid))


@calls.call(130, weight=DISABLE_WEIGHT)
def disable_voting_power_tracking(ctx: Context, origin: Origin, netuid: _NETUID) -> None:
    """The subnet owner or root schedules the end of tracking after the grace period."""
    ensure_subnet_owner_or_root(ctx, origin, netuid)
    _ensure_subnet(ctx, netuid)
    if not st.VotingPowerTrackingEnabled.get(ctx, netuid):
        raise errors.VotingPowerTrackingNotEnabled
    at = min(ctx.block_number + DISABLE_GRACE_PERIOD_BLOCKS, U64_MAX)
    st.VotingPowerDisableAtBlock.put(ctx, netuid, at)
    ctx.deposit_event(VotingPowerTrackingDisableScheduled(netuid, at))


@calls.call(131, weight=SET_EMA_ALPHA_WEIGHT)
def sudo_set_voting_power_ema_alpha(ctx: Context, origin: Origin, netuid: _NETUID, alpha: _U64) -> None:
    """Root sets the subnet's EMA alpha (18 decimals, at most 1.0)."""
    ensure_root(origin)
    _ensure_subnet(ctx, netuid)
    if alpha > MAX_EMA_ALPHA:
        raise errors.InvalidVotingPowerEmaAlpha
    st.VotingPowerEmaAlpha.put(ctx, netuid, alpha)
    ctx.deposit_event(VotingPowerEmaAlphaSet(netuid, alpha))


def _ensure_subnet(ext: Externalities, netuid: int) -> None:
    if not subnet_exists(ext, netuid):
        raise errors.SubnetNotExists


# -- epoch -------------------------------------------------------------------------------------------------


def voting_power_ema(stake: int, previous: int, alpha: int) -> int:
    """``(alpha·stake + (1 − alpha)·previous) / 10**18`` in u128 with saturation, floored, capped at u64."""
    one_minus = max(MAX_EMA_ALPHA - alpha, 0)
    numerator = min(alpha * stake + one_minus * previous, (1 << 128) - 1)
    return min(numerator // MAX_EMA_ALPHA, U64_MAX)


def update_voting_power_for_subnet(ctx: Context, netuid: int, permits: list[tuple[bytes, bool, int]]) -> None:
    """After an epoch's terms are persisted: ``permits`` is ``(hotkey, new_validator_permit, stake)`` per
    hotkey of the epoch, in hotkey order."""
    if not st.VotingPowerTrackingEnabled.get(ctx, netuid):
        return
    disable_at = st.VotingPowerDisableAtBlock.get(ctx, netuid)
    if disable_at > 0 and ctx.block_number >= disable_at:
        _finalize_disable(ctx, netuid)
        return
    alpha = st.VotingPowerEmaAlpha.get(ctx, netuid)
    min_stake = st.StakeThreshold.get(ctx)
    for hotkey, permit, stake in permits:
        if not permit:
            _write(ctx, netuid, hotkey, 0)  # miners hold no voting power
            continue
        previous = st.VotingPower.get(ctx, netuid, hotkey)
        new = voting_power_ema(stake, previous, alpha)
        if new < min_stake <= previous:
            _write(ctx, netuid, hotkey, 0)  # decayed from above the threshold to below it
        elif new > 0:
            _write(ctx, netuid, hotkey, new)
    gone = [hotkey for (_, hotkey) in st.VotingPower.iter_keys(ctx, netuid)
            if not st.IsNetworkMember.get(ctx, hotkey, netuid)]
    for hotkey in gone:
        _write(ctx, netuid, hotkey, 0)


def _finalize_disable(ctx: Context, netuid: int) -> None:
    st.VotingPower.clear_all(ctx, netuid)
    st.TotalVotingPower.kill(ctx, netuid)
    st.VotingPowerTrackingEnabled.put(ctx, netuid, False)
    st.VotingPowerDisableAtBlock.kill(ctx, netuid)
    ctx.deposit_event(VotingPowerTrackingDisabled(netuid))


def _write(ext: Externalities, netuid: int, hotkey: bytes, value: int) -> None:
    """Set (or, for 0, remove) one entry and move ``TotalVotingPower`` by the difference."""
    old = st.VotingPower.get(ext, netuid, hotkey)
    if old == value:
        return
    if value:
        st.VotingPower.put(ext, netuid, hotkey, value)
    else:
        st.VotingPower.kill(ext, netuid, hotkey)
    total = min(max(st.TotalVotingPower.get(ext, netuid) - old, 0) + value, U64_MAX)
    if total:
        st.TotalVotingPower.put(ext, netuid, total)
    else:
        st.TotalVotingPower.kill(ext, netuid)


# -- hotkey swap -------------------------------------------------------------------------------------------


def swap_voting_power_for_hotkey(ext: Externalities, old: bytes, new: bytes, netuid: int) -> None:
    """The old hotkey's voting power joins the new one's (the subnet's total is unchanged)."""
    power = st.VotingPower.take(ext, netuid, old)
    if power > 0:
        existing = st.VotingPower.get(ext, netuid, new)
        st.VotingPower.put(ext, netuid, new, min(power + existing, U64_MAX))
