"""Owner-triggered epochs (``coinbase/tempo_control.rs`` of node-subtensor, re-stated here).

At spec 461 the SubtensorModule ``set_tempo`` and ``set_activity_cutoff_factor`` calls are deprecated
no-ops (AdminUtils owns those setters); what remains here is ``trigger_epoch``: a subnet owner asks
for an epoch ``AdminFreezeWindow`` blocks from now. The block step fires it through
``PendingEpochAt`` (see :mod:`.block_step`); the countdown itself opens the admin freeze window.

Refused while commit-reveal is on (a manual epoch would break the reveal schedule), while another
trigger is pending, when the automatic epoch is already closer than the window, or within the
owner hyperparameter rate limit for ``Hyperparameter::TriggerEpoch`` (``OwnerHyperparamRateLimit``
tempos, stamped in ``LastRateLimitedBlock``).
"""

from __future__ import annotations

from runtime.pallets.subtensor import storage as st
from runtime.pallets.subtensor.errors import errors
from runtime.pallets.subtensor.events import EpochTriggered
from runtime.pallets.subtensor.subnets import ensure_subnet_owner
from runtime.support.context import Context
from runtime.support.dispatch import Origin
from runtime.support.externalities import Externalities

U64_MAX = (1 << 64) - 1


def blocks_until_next_auto_epoch(ext: Externalities, netuid: int, tempo: int, block_number: int) -> int:
    """Blocks left before ``LastEpochBlock + tempo`` (0 once due); ``u64::MAX`` for a zero tempo."""
    if tempo == 0:
        return U64_MAX
    return max(st.LastEpochBlock.get(ext, netuid) + tempo - block_number, 0)


def _trigger_rate_limit_key(netuid: int) -> tuple[str, tuple[int, str]]:
    return ("OwnerHyperparamUpdate", (netuid, "TriggerEpoch"))


def trigger_epoch_passes_rate_limit(ext: Externalities, netuid: int, now: int) -> bool:
    """Owner hyperparameter limit: ``OwnerHyperparamRateLimit × Tempo`` blocks since the last trigger."""
    last = st.LastRateLimitedBlock.get(ext, _trigger_rate_limit_key(netuid))
    limit = st.Tempo.get(ext, netuid) * st.OwnerHyperparamRateLimit.get(ext)
    return last == 0 or max(now - last, 0) >= limit


def do_trigger_epoch(ctx: Context, origin: Origin, netuid: int) -> None:
    """Schedule an epoch of ``netuid`` at ``now + AdminFreezeWindow`` (subnet owner only)."""
    who = ensure_subnet_owner(ctx, origin, netuid)
    if st.CommitRevealWeightsEnabled.get(ctx, netuid):
        raise errors.DynamicTempoBlockedByCommitReveal
    if st.PendingEpochAt.get(ctx, netuid) != 0:
        raise errors.EpochTriggerAlreadyPending
    now = ctx.block_number
    window = st.AdminFreezeWindow.get(ctx)
    if blocks_until_next_auto_epoch(ctx, netuid, st.Tempo.get(ctx, netuid), now) < window:
        raise errors.AutoEpochAlreadyImminent
    if not trigger_epoch_passes_rate_limit(ctx, netuid, now):
        raise errors.TxRateLimitExceeded
    fires_at = min(now + window, U64_MAX)
    st.PendingEpochAt.put(ctx, netuid, fires_at)
    st.LastRateLimitedBlock.put(ctx, _trigger_rate_limit_key(netuid), now)
    ctx.deposit_event(EpochTriggered(netuid, who, fires_at))


__all__ = ["blocks_until_next_auto_epoch", "do_trigger_epoch", "trigger_epoch_passes_rate_limit"]
