"""SubtensorModule's ``on_initialize``: the per-block step (node-subtensor ``coinbase/block_step.rs`` at HEAD,
spec ``yuma-epoch-and-emission.md`` §1.1).

The reference's order inside one block, and what this module does of it:

1. ``update_registration_prices_for_networks`` — done; root's interval counter resets when root's
   ``should_run_epoch`` holds at this block (evaluated before any schedule bookkeeping).
2. ``get_block_emission`` — done (:mod:`.block_emission`): the halving curve on ``TotalIssuance`` and
   the TAO mint as a credit (both issuances up, capped at 21M TAO).
3. ``reveal_crv3_commits`` — **not yet** (timelocked reveals need drand).
4. ``run_coinbase`` — done (:mod:`.coinbase`): price-EMA shares, injection into the pools, chain buys
   with excess TAO, alpha out with owner cut, root share and the pending maps; the epoch schedule with the
   per-block cap and deferral (:func:`.coinbase.drain_pending`); each drained subnet's epoch on its
   pending alpha and the payout (:mod:`.emission_distribution`), then ``LastMechansimStepBlock = block``.
   The subnet-owner change by lock conviction is not modelled (no stake locks in this runtime).
5. ``update_moving_prices`` and 6. ``update_root_prop`` — done (:mod:`.moving_price`).
7. ``try_set_pending_children`` for subnets whose ``LastEpochBlock`` is this block — done.
8. root auto-claim and the root coldkey maps — **not yet**.
"""

from __future__ import annotations

from runtime.pallets.subtensor import storage as st
from runtime.pallets.subtensor.block_emission import get_block_emission
from runtime.pallets.subtensor.coinbase import drain_pending, is_epoch_input_state_consistent, run_coinbase
from runtime.pallets.subtensor.delegation import do_set_pending_children
from runtime.pallets.subtensor.moving_price import update_moving_prices, update_root_prop
from runtime.pallets.subtensor.queries import all_subnet_netuids
from runtime.pallets.subtensor.registration import update_registration_prices_for_networks
from runtime.pallets.subtensor.run_epoch import should_run_epoch
from runtime.pallets.subtensor.types import ROOT_NETUID
from runtime.support.context import Context
from runtime.support.dispatch import DB_READ, DB_WRITE, Weight


BLOCK_STEP_WEIGHT = Weight(110_634_229_000 + 8304 * DB_READ + 110 * DB_WRITE, 0)
"""The reference's fixed ``on_initialize`` weight: 110_634_229_000 ps plus 8304 reads and 110 writes."""

__all__ = ["BLOCK_STEP_WEIGHT", "block_step", "drain_pending", "is_epoch_input_state_consistent", "on_initialize",
           "try_set_pending_children"]


def try_set_pending_children(ctx: Context, block: int) -> None:
    """Apply due pending child keys on every subnet whose epoch slot fired this block."""
    for netuid in all_subnet_netuids(ctx):
        if st.LastEpochBlock.get(ctx, netuid) == block:
            do_set_pending_children(ctx, netuid)


def block_step(ctx: Context, block: int) -> None:
    root_epoch_runs = should_run_epoch(ctx, ROOT_NETUID, block)
    update_registration_prices_for_networks(ctx, root_epoch_runs)
    credit = get_block_emission(ctx)
    run_coinbase(ctx, credit)
    update_moving_prices(ctx)  # after the coinbase used the old prices
    update_root_prop(ctx)
    try_set_pending_children(ctx, block)


def on_initialize(ctx: Context, block: int) -> Weight:
    block_step(ctx, block)
    return BLOCK_STEP_WEIGHT
