"""``run_coinbase``: one block's emission into the subnets, the pending maps and the epochs that fire —
node-subtensor's ``coinbase/run_coinbase.rs`` at HEAD (spec ``yuma-epoch-and-emission.md`` §1.2, §4.3–4.5);
the injection follows the newer reference (RaoFoundation ``run_coinbase/emission_injection.rs``) because
the Swap pallet here keeps balancer reservoirs, which that order is written for.

Per block, with the TAO ``credit`` minted by :mod:`.block_emission`:

0. clear ``SubnetRootSellTao``;
1. subnets = every added netuid but root, in key order; emit-to subnets per
   :func:`.subnet_emissions.get_subnets_to_emit_to`;
2. each emit subnet's TAO (:func:`.subnet_emissions.get_subnet_block_emissions`) and the root-sell flag;
3. :func:`emit_to_subnets` — terms (``tao_in``, ``alpha_in`` capped at ``root_prop × alpha_emission``,
   ``alpha_out``, excess TAO), :func:`inject_and_maybe_swap` (the excess TAO buys alpha for
   ``SubnetProtocolAlpha``; ``tao_in`` moves to the subnet account and, with ``alpha_in``, joins the
   pool as far as the balancer weights allow, the rest waiting in the swap pallet's reservoirs; unspent
   credit recycled), then alpha out: ``SubnetAlphaOut`` minted, owner cut, root share, the 50/50
   miner/validator split into ``Pending*``;
4. :func:`drain_pending` — the epoch schedule, draining the pending maps of the subnets that run;
5. :func:`distribute_emissions_to_subnets` — the epoch and payout per drained subnet, in netuid order,
   then ``LastMechansimStepBlock = block``.

Not modelled (nothing in this runtime can create their inputs): the ``AlphaAssets`` ledger behind
``mint_alpha`` / ``recycle`` / ``burn`` (only ``SubnetAlphaIn``/``SubnetAlphaOut`` move), and the
subnet-owner change by lock conviction (``change_subnet_owner_if_needed``, which needs stake locks).
"""

from __future__ import annotations

from dataclasses import dataclass

from runtime.pallets.subtensor import accounts
from runtime.pallets.subtensor import storage as st
from runtime.pallets.subtensor.block_emission import (
    TaoCredit, get_block_emission_for_issuance, merge_credit, recycle_credit, spend_tao, withdraw_tao_as_credit,
)
from runtime.pallets.subtensor.coinbase_fixed import (
    HALF_U96, U64_MAX, u96_from_u64f64, u_from_int, u_mul, u_safe_div, u_sub, u_to_u64,
)
from runtime.pallets.subtensor.emission_distribution import distribute_emission, recycle_subnet_alpha
from runtime.pallets.subtensor.events import EpochDeferred, EpochSkipped
from runtime.pallets.subtensor.queries import all_subnet_netuids
from runtime.pallets.subtensor.run_epoch import should_run_epoch
from runtime.pallets.subtensor.subnet_emissions import (
    get_alpha_issuance, get_network_root_sell_flag, get_subnet_block_emissions, get_subnets_to_emit_to,
    record_protocol_inflow, root_proportion,
)
from runtime.pallets.subtensor.types import ROOT_NETUID
from runtime.pallets.swap import engine
from runtime.support.context import Context
from runtime.support.dispatch import DispatchError
from runtime.support.externalities import Externalities

__all__ = [
    "PendingEmission", "SubnetTerms", "distribute_emissions_to_subnets", "drain_pending", "emit_to_subnets",
    "get_subnet_terms", "inject_and_maybe_swap", "is_epoch_input_state_consistent", "run_coinbase",
]


@dataclass(frozen=True, slots=True)
class SubnetTerms:
    """One emit subnet's amounts this block (U96F32 bits)."""

    tao_in: int
    alpha_in: int
    alpha_out: int
    excess_tao: int


@dataclass(frozen=True, slots=True)
class PendingEmission:
    """What a firing epoch drains: (server, validator, root alpha dividends, owner cut), in alpha."""

    server: int
    validator: int
    root_alpha: int
    owner_cut: int


def _add_u64(item: object, ext: Externalities, netuid: int, amount: int) -> None:
    item.put(ext, netuid, min(item.get(ext, netuid) + amount, U64_MAX))  # type: ignore[attr-defined]


# -- terms and injection -------------------------------------------------------------------------------------


def get_subnet_terms(ext: Externalities, subnet_emissions: dict[int, int]) -> dict[int, SubnetTerms]:
    """``tao_in = E_i``, ``alpha_in = E_i / price`` capped at ``root_prop × alpha_emission`` (then
    ``tao_in = alpha_in × price``), ``excess = E_i − tao_in``, ``alpha_out = alpha_emission``."""
    terms = {}
    for netuid in sorted(subnet_emissions):
        tao_emission = subnet_emissions[netuid]
        try:
            alpha_emission = u_from_int(get_block_emission_for_issuance(ext, get_alpha_issuance(ext, netuid)))
        except ArithmeticError:
            alpha_emission = 0
        price = u96_from_u64f64(engine.current_price_bits(ext, netuid))
        tao_in = tao_emission
        alpha_in = u_safe_div(tao_emission, price)
        cap = u_mul(root_proportion(ext, netuid), alpha_emission)
        if alpha_in > cap:
            alpha_in = cap
            tao_in = u_mul(alpha_in, price)
        terms[netuid] = SubnetTerms(tao_in, alpha_in, alpha_emission, u_sub(tao_emission, tao_in))
    return terms


def _buy_with_excess(ctx: Context, netuid: int, account: bytes, tao: int, credit: TaoCredit) -> TaoCredit:
    """Chain buy: the excess TAO (already on the subnet account) buys alpha fee-free up to the maximum
    price for ``SubnetProtocolAlpha``. If the buy fails the TAO is withdrawn back into the credit."""
    try:
        result = engine.swap_tao_for_alpha(ctx, netuid, tao, engine.max_price(), True)
    except DispatchError:
        refund = withdraw_tao_as_credit(ctx, account, tao)
        return credit if refund is None else merge_credit(credit, refund)
    _add_u64(st.SubnetProtocolAlpha, ctx, netuid, result.amount_paid_out)
    st.SubnetExcessTao.put(ctx, netuid, result.amount_paid_in)
    record_protocol_inflow(ctx, netuid, result.amount_paid_in)
    return credit


def inject_and_maybe_swap(ctx: Context, subnets_to_emit_to: list[int], terms: dict[int, SubnetTerms],
                          credit: TaoCredit) -> None:
    """Per emit subnet: spend the excess TAO on a chain buy, move this block's ``tao_in`` onto the subnet
    account, let the pool decide which TAO/alpha becomes price-active now (the rest waits in the
    balancer reservoirs, :func:`engine.adjust_protocol_liquidity`), and add that to the reserves.
    Unspent credit is recycled."""
    remaining = credit
    for netuid in subnets_to_emit_to:
        account = accounts.subnet_account_if_exists(ctx, netuid)
        if account is None:
            continue
        t = terms.get(netuid, SubnetTerms(0, 0, 0, 0))
        tao_in, alpha_in, excess = u_to_u64(t.tao_in), u_to_u64(t.alpha_in), u_to_u64(t.excess_tao)
        # Per-block counters are reset first so a subnet that gets nothing shows 0, not stale values.
        st.SubnetExcessTao.put(ctx, netuid, 0)
        st.SubnetTaoInEmission.put(ctx, netuid, 0)
        if excess > 0:
            spent, remaining = spend_tao(ctx, account, remaining, excess)
            if spent:
                remaining = _buy_with_excess(ctx, netuid, account, excess, remaining)
        materialized_tao = 0
        if tao_in:
            spent, remaining = spend_tao(ctx, account, remaining, tao_in)
            materialized_tao = tao_in if spent else 0
        active_tao, active_alpha = engine.adjust_protocol_liquidity(ctx, netuid, materialized_tao, alpha_in)
        st.SubnetAlphaInEmission.put(ctx, netuid, active_alpha)
        _add_u64(st.SubnetAlphaIn, ctx, netuid, active_alpha)
        if active_tao:
            st.SubnetTaoInEmission.put(ctx, netuid, active_tao)
            _add_u64(st.SubnetTAO, ctx, netuid, active_tao)
            st.TotalStake.put(ctx, min(st.TotalStake.get(ctx) + active_tao, U64_MAX))
            record_protocol_inflow(ctx, netuid, active_tao)
    recycle_credit(ctx, remaining)


def _owner_cut_fraction(ext: Externalities) -> int:
    return u_safe_div(u_from_int(st.SubnetOwnerCut.get(ext)), u_from_int(0xFFFF))


def emit_to_subnets(ctx: Context, subnets_to_emit_to: list[int], subnet_emissions: dict[int, int],
                    credit: TaoCredit, root_sell_flag: bool) -> None:
    """Terms, injection, then each subnet's alpha out split into the pending maps."""
    terms = get_subnet_terms(ctx, subnet_emissions)
    inject_and_maybe_swap(ctx, subnets_to_emit_to, terms, credit)
    cut_fraction = _owner_cut_fraction(ctx)
    for netuid in subnets_to_emit_to:
        alpha_out = terms[netuid].alpha_out if netuid in terms else 0
        created = u_to_u64(alpha_out)
        st.SubnetAlphaOutEmission.put(ctx, netuid, created)
        _add_u64(st.SubnetAlphaOut, ctx, netuid, created)
        if st.OwnerCutEnabled.get(ctx, netuid):
            owner_cut = u_mul(alpha_out, cut_fraction)
            alpha_out = u_sub(alpha_out, owner_cut)
            _add_u64(st.PendingOwnerCut, ctx, netuid, u_to_u64(owner_cut))
        # Recomputed after this block's mint, so it differs slightly from the injection cap's value.
        root_alpha = u_mul(u_mul(root_proportion(ctx, netuid), alpha_out), HALF_U96)
        pending_server = u_mul(alpha_out, HALF_U96)
        pending_validator = u_sub(u_sub(alpha_out, pending_server), root_alpha)
        _add_u64(st.PendingServerEmission, ctx, netuid, u_to_u64(pending_server))
        _add_u64(st.PendingValidatorEmission, ctx, netuid, u_to_u64(pending_validator))
        if root_sell_flag:
            _add_u64(st.PendingRootAlphaDivs, ctx, netuid, u_to_u64(root_alpha))
        else:
            recycle_subnet_alpha(ctx, netuid, u_to_u64(root_alpha))


# -- the epoch schedule --------------------------------------------------------------------------------------


def is_epoch_input_state_consistent(ext: Externalities, netuid: int) -> bool:
    """No hotkey appears twice in ``Keys[netuid]``."""
    seen: set[bytes] = set()
    for _, hotkey in st.Keys.iter(ext, netuid):
        if hotkey in seen:
            return False
        seen.add(hotkey)
    return True


def _take_pending(ext: Externalities, netuid: int) -> PendingEmission:
    drained = PendingEmission(st.PendingServerEmission.get(ext, netuid), st.PendingValidatorEmission.get(ext, netuid),
                              st.PendingRootAlphaDivs.get(ext, netuid), st.PendingOwnerCut.get(ext, netuid))
    for item in (st.PendingServerEmission, st.PendingValidatorEmission, st.PendingRootAlphaDivs, st.PendingOwnerCut):
        item.put(ext, netuid, 0)
    return drained


def drain_pending(ctx: Context, subnets: list[int], block: int) -> dict[int, PendingEmission]:
    """Decide which subnet epochs fire at ``block``, advance their schedules and drain their pending maps.

    For each subnet in order: ``BlocksSinceLastStep += 1``; skip it unless :func:`should_run_epoch`; past
    the per-block cap, defer it to the next block (``PendingEpochAt = block + 1``, ``EpochDeferred``, the
    slot not consumed); otherwise, if ``Keys`` is consistent, reset ``BlocksSinceLastStep`` and take the
    four pending amounts, else emit ``EpochSkipped`` (the amounts keep accumulating). Both cases consume
    the slot: ``LastEpochBlock = block``, ``PendingEpochAt = 0``, ``SubnetEpochIndex += 1``.
    """
    cap = st.MaxEpochsPerBlock.get(ctx)
    drained: dict[int, PendingEmission] = {}
    for netuid in subnets:
        st.BlocksSinceLastStep.put(ctx, netuid, min(st.BlocksSinceLastStep.get(ctx, netuid) + 1, U64_MAX))
        if not should_run_epoch(ctx, netuid, block):
            continue
        if len(drained) >= cap:
            next_block = min(block + 1, U64_MAX)
            st.PendingEpochAt.put(ctx, netuid, next_block)
            ctx.deposit_event(EpochDeferred(netuid, block, next_block))
            continue
        if is_epoch_input_state_consistent(ctx, netuid):
            st.BlocksSinceLastStep.put(ctx, netuid, 0)
            drained[netuid] = _take_pending(ctx, netuid)
        else:
            ctx.deposit_event(EpochSkipped(netuid, block))
        st.LastEpochBlock.put(ctx, netuid, block)
        st.PendingEpochAt.put(ctx, netuid, 0)
        st.SubnetEpochIndex.put(ctx, netuid, min(st.SubnetEpochIndex.get(ctx, netuid) + 1, U64_MAX))
    return drained


def distribute_emissions_to_subnets(ctx: Context, drained: dict[int, PendingEmission]) -> None:
    """Run each drained subnet's epoch and payout in netuid order, then stamp ``LastMechansimStepBlock``."""
    for netuid in sorted(drained):
        p = drained[netuid]
        distribute_emission(ctx, netuid, p.server, p.validator, p.root_alpha, p.owner_cut)
        st.LastMechansimStepBlock.put(ctx, netuid, ctx.block_number)


# -- the block ----------------------------------------------------------------------------------------------


def run_coinbase(ctx: Context, credit: TaoCredit) -> None:
    """Emit ``credit`` into the subnets, drain the due epochs' pending maps and distribute them."""
    block = ctx.block_number
    st.SubnetRootSellTao.clear_all(ctx)
    subnets = [netuid for netuid in all_subnet_netuids(ctx) if netuid != ROOT_NETUID]
    subnets_to_emit_to = get_subnets_to_emit_to(ctx, subnets)
    subnet_emissions = get_subnet_block_emissions(ctx, subnets_to_emit_to, u_from_int(credit.peek()))
    root_sell_flag = get_network_root_sell_flag(ctx, subnets_to_emit_to)
    emit_to_subnets(ctx, subnets_to_emit_to, subnet_emissions, credit, root_sell_flag)
    distribute_emissions_to_subnets(ctx, drain_pending(ctx, subnets, block))
