"""SubtensorModule's ``on_initialize``: the per-block step (node-subtensor ``coinbase/block_step.rs`` and
the epoch scheduling half of ``coinbase/run_coinbase.rs`` at HEAD, spec ``yuma-epoch-and-emission.md`` §1).

The reference's order inside one block, and what this module does of it:

1. ``update_registration_prices_for_networks`` — done; root's interval counter resets when root's
   ``should_run_epoch`` holds at this block (evaluated before any schedule bookkeeping).
2. ``get_block_emission`` and the TAO mint — **not yet** (the coinbase).
3. ``reveal_crv3_commits`` — **not yet**.
4. ``run_coinbase``: the injection into pools and the pending maps — **not yet**; the epoch trigger and
   schedule (:func:`drain_pending`) — done, with the per-block cap ``MaxEpochsPerBlock`` and one-block
   deferral (``EpochDeferred``), the consistency check (``EpochSkipped``), ``BlocksSinceLastStep``,
   ``LastEpochBlock``, ``PendingEpochAt`` and ``SubnetEpochIndex``; then each drained subnet's epoch in
   netuid order (:func:`run_epoch.run_epoch`) and ``LastMechansimStepBlock = block``.
   **Until the coinbase lands the epochs run with an emission of 0**: the ``Pending*`` maps are neither
   filled nor drained (draining them without the payout would destroy alpha), so ``Emission`` and the
   per-hotkey emissions are 0 while consensus, incentive, dividends, trust, permits and bonds are real.
   The subnet-owner change by conviction is not modelled either.
5. ``update_moving_prices`` and 6. ``update_root_prop`` — **not yet**.
7. ``try_set_pending_children`` for subnets whose ``LastEpochBlock`` is this block — done.
8. root auto-claim and the root coldkey maps — **not yet**.
"""

from __future__ import annotations

from runtime.pallets.subtensor import storage as st
from runtime.pallets.subtensor.delegation import do_set_pending_children
from runtime.pallets.subtensor.events import EpochDeferred, EpochSkipped
from runtime.pallets.subtensor.queries import all_subnet_netuids
from runtime.pallets.subtensor.registration import update_registration_prices_for_networks
from runtime.pallets.subtensor.run_epoch import run_epoch, should_run_epoch
from runtime.pallets.subtensor.types import ROOT_NETUID
from runtime.support.context import Context
from runtime.support.dispatch import Weight
from runtime.support.externalities import Externalities

U64_MAX = (1 << 64) - 1
DB_READ, DB_WRITE = 25_000_000, 100_000_000

BLOCK_STEP_WEIGHT = Weight(110_634_229_000 + 8304 * DB_READ + 110 * DB_WRITE, 0)
"""The reference's fixed ``on_initialize`` weight: 110_634_229_000 ps plus 8304 reads and 110 writes."""

__all__ = ["BLOCK_STEP_WEIGHT", "block_step", "drain_pending", "is_epoch_input_state_consistent", "on_initialize",
           "try_set_pending_children"]


def is_epoch_input_state_consistent(ext: Externalities, netuid: int) -> bool:
    """No hotkey appears twice in ``Keys[netuid]``."""
    seen: set[bytes] = set()
    for _, hotkey in st.Keys.iter(ext, netuid):
        if hotkey in seen:
            return False
        seen.add(hotkey)
    return True


def drain_pending(ctx: Context, subnets: list[int], block: int) -> list[int]:
    """Decide which subnet epochs fire at ``block`` and advance their schedules; the netuids to run.

    For each subnet in order: ``BlocksSinceLastStep += 1``; skip it unless :func:`should_run_epoch`; past
    the per-block cap, defer it to the next block (``PendingEpochAt = block + 1``, ``EpochDeferred``, the
    slot not consumed); otherwise run it if ``Keys`` is consistent (``BlocksSinceLastStep = 0``) or emit
    ``EpochSkipped``, and in both cases consume the slot (``LastEpochBlock = block``, ``PendingEpochAt =
    0``, ``SubnetEpochIndex += 1``). Skipped epochs do not count against the cap.
    """
    cap = st.MaxEpochsPerBlock.get(ctx)
    ran: list[int] = []
    for netuid in subnets:
        st.BlocksSinceLastStep.put(ctx, netuid, min(st.BlocksSinceLastStep.get(ctx, netuid) + 1, U64_MAX))
        if not should_run_epoch(ctx, netuid, block):
            continue
        if len(ran) >= cap:
            next_block = min(block + 1, U64_MAX)
            st.PendingEpochAt.put(ctx, netuid, next_block)
            ctx.deposit_event(EpochDeferred(netuid, block, next_block))
            continue
        if is_epoch_input_state_consistent(ctx, netuid):
            st.BlocksSinceLastStep.put(ctx, netuid, 0)
            ran.append(netuid)
        else:
            ctx.deposit_event(EpochSkipped(netuid, block))
        st.LastEpochBlock.put(ctx, netuid, block)
        st.PendingEpochAt.put(ctx, netuid, 0)
        st.SubnetEpochIndex.put(ctx, netuid, min(st.SubnetEpochIndex.get(ctx, netuid) + 1, U64_MAX))
    return ran


def try_set_pending_children(ctx: Context, block: int) -> None:
    """Apply due pending child keys on every subnet whose epoch slot fired this block."""
    for netuid in all_subnet_netuids(ctx):
        if st.LastEpochBlock.get(ctx, netuid) == block:
            do_set_pending_children(ctx, netuid)


def block_step(ctx: Context, block: int) -> None:
    root_epoch_runs = should_run_epoch(ctx, ROOT_NETUID, block)
    update_registration_prices_for_networks(ctx, root_epoch_runs)
    subnets = [netuid for netuid in all_subnet_netuids(ctx) if netuid != ROOT_NETUID]
    for netuid in sorted(drain_pending(ctx, subnets, block)):
        run_epoch(ctx, netuid, 0)  # emission 0 until the coinbase fills and drains the pending maps
        st.LastMechansimStepBlock.put(ctx, netuid, block)
    try_set_pending_children(ctx, block)


def on_initialize(ctx: Context, block: int) -> Weight:
    block_step(ctx, block)
    return BLOCK_STEP_WEIGHT
