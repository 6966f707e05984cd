"""SubtensorModule's staking calls and their validation: add/remove stake (plain, price-limited, full),
unstake-all, move / transfer / swap stake, recycle and burn alpha — the call-facing half of node-subtensor's
``staking/{add_stake, remove_stake, move_stake, stake_utils, recycle_alpha}.rs``.

The share-pool updates, TAO movements and swaps they are built from live in :mod:`.staking` (whose docstring
lists the rules and known gaps both halves share).
"""

from __future__ import annotations

from runtime.pallets.subtensor import accounts, subnets
from runtime.pallets.subtensor import storage as st
from runtime.pallets.subtensor.errors import errors
from runtime.pallets.subtensor.events import AlphaBurned, AlphaRecycled, StakeMoved, StakeSwapped, StakeTransferred
from runtime.pallets.subtensor.queries import (
    all_subnet_netuids, fixed_from_int, fixed_safe_div, fixed_saturating_mul, fixed_to_u64,
)
from runtime.pallets.subtensor.types import ROOT_NETUID
from runtime.pallets.subtensor.staking import (
    BURN_ACCOUNT, DEFAULT_MIN_STAKE, RAO_PER_TAO, U64_MAX, U128_MAX, LocksUnsupported, calculate_reduced_stake,
    clear_small_nomination_if_required, decrease_stake, drop_pending_children_below_threshold,
    ensure_available_to_unstake, ensure_subtoken_enabled, is_dynamic, is_stable, maybe_become_delegate,
    stake_into_subnet, stake_of, subnet_exists, total_stake_for_hotkey, transfer_stake_within_subnet, transfer_tao,
    try_increase_stake, unstake_from_subnet,
)
from runtime.pallets.swap import engine
from runtime.support.context import Context
from runtime.support.dispatch import DispatchError, Origin, ensure_signed
from runtime.support.externalities import Externalities


# -- validation -------------------------------------------------------------------------------------------


def _sim(ctx: Context, netuid: int, order: engine.Order) -> engine.SwapResult | None:
    try:
        return engine.sim_swap(ctx, netuid, order)
    except DispatchError:
        return None


def validate_add_stake(ctx: Context, coldkey: bytes, hotkey: bytes, netuid: int, amount: int, max_amount: int,
                       allow_partial: bool) -> None:
    if not subnet_exists(ctx, netuid):
        raise errors.SubnetNotExists
    ensure_subtoken_enabled(ctx, netuid)
    probe = _sim(ctx, netuid, engine.GetAlphaForTao(DEFAULT_MIN_STAKE))
    fee = probe.fee_paid if probe is not None else engine.approx_fee_amount(ctx, netuid, DEFAULT_MIN_STAKE)
    if amount < DEFAULT_MIN_STAKE + fee:
        raise errors.AmountTooLow
    if not allow_partial:
        if amount > max_amount:
            raise errors.SlippageTooHigh
    else:
        amount = min(amount, max_amount)
    if not subnets.can_remove_balance(ctx, coldkey, amount):
        raise errors.NotEnoughBalanceToStake
    if not accounts.hotkey_account_exists(ctx, hotkey):
        raise errors.HotKeyAccountNotExists
    result = _sim(ctx, netuid, engine.GetAlphaForTao(amount))
    if result is None:
        raise errors.InsufficientLiquidity
    if result.amount_paid_in < DEFAULT_MIN_STAKE:
        raise errors.AmountTooLow
    if result.amount_paid_out == 0:
        raise errors.InsufficientLiquidity
    if not try_increase_stake(ctx, hotkey, netuid, result.amount_paid_out):
        raise errors.InsufficientLiquidity


def validate_remove_stake(ctx: Context, coldkey: bytes, hotkey: bytes, netuid: int, alpha: int, max_amount: int,
                          allow_partial: bool) -> None:
    if not subnet_exists(ctx, netuid):
        raise errors.SubnetNotExists
    if alpha == 0:
        raise errors.AmountTooLow
    remaining = calculate_reduced_stake(ctx, hotkey, coldkey, netuid, alpha)
    result = _sim(ctx, netuid, engine.GetTaoForAlpha(alpha))
    if result is None:
        raise errors.InsufficientLiquidity
    if remaining and result.amount_paid_out < DEFAULT_MIN_STAKE:
        raise errors.AmountTooLow
    if not allow_partial and alpha > max_amount:
        raise errors.SlippageTooHigh
    if not accounts.hotkey_account_exists(ctx, hotkey):
        raise errors.HotKeyAccountNotExists
    ensure_available_to_unstake(ctx, coldkey, netuid, alpha)


def validate_stake_transition(ctx: Context, origin_coldkey: bytes, destination_coldkey: bytes,
                              origin_hotkey: bytes, destination_hotkey: bytes, origin_netuid: int,
                              destination_netuid: int, alpha: int, max_amount: int, allow_partial: bool | None,
                              check_transfer_toggle: bool) -> None:
    if origin_coldkey == destination_coldkey and origin_hotkey == destination_hotkey \
            and origin_netuid == destination_netuid:
        raise errors.SameNetuid
    if not subnet_exists(ctx, origin_netuid):
        raise errors.SubnetNotExists
    if origin_netuid != destination_netuid and not subnet_exists(ctx, destination_netuid):
        raise errors.SubnetNotExists
    ensure_subtoken_enabled(ctx, origin_netuid)
    ensure_subtoken_enabled(ctx, destination_netuid)
    if not accounts.hotkey_account_exists(ctx, origin_hotkey):
        raise errors.HotKeyAccountNotExists
    if not accounts.hotkey_account_exists(ctx, destination_hotkey):
        raise errors.HotKeyAccountNotExists
    if alpha > stake_of(ctx, origin_hotkey, origin_coldkey, origin_netuid):
        raise errors.NotEnoughStakeToWithdraw
    if origin_netuid != destination_netuid:
        result = _sim(ctx, origin_netuid, engine.GetTaoForAlpha(alpha))
        if result is None:
            raise errors.InsufficientLiquidity
        if result.amount_paid_out <= DEFAULT_MIN_STAKE:
            raise errors.AmountTooLow
        if allow_partial is False and alpha > max_amount:
            raise errors.SlippageTooHigh
    if check_transfer_toggle:
        if not st.TransferToggle.get(ctx, origin_netuid):
            raise errors.TransferDisallowed
        if origin_netuid != destination_netuid and not st.TransferToggle.get(ctx, destination_netuid):
            raise errors.TransferDisallowed
    if origin_netuid != destination_netuid:
        ensure_available_to_unstake(ctx, origin_coldkey, origin_netuid, alpha)


# -- price-limit helpers ----------------------------------------------------------------------------------


def ensure_add_input_within_swap_limit(ext: Externalities, netuid: int, amount: int) -> None:
    if is_dynamic(ext, netuid) and amount > min(st.SubnetTAO.get(ext, netuid) * 1_000, U64_MAX):
        raise errors.InsufficientLiquidity


def ensure_remove_input_within_swap_limit(ext: Externalities, netuid: int, amount: int) -> None:
    if is_dynamic(ext, netuid) and amount > min(st.SubnetAlphaIn.get(ext, netuid) * 1_000, U64_MAX):
        raise errors.InsufficientLiquidity


def max_amount_move(ctx: Context, origin_netuid: int, destination_netuid: int, limit_price: int) -> int:
    """``get_max_amount_move``: alpha that can move before the origin/destination price ratio falls to
    ``limit_price`` (rao per rao-of-destination), in the reference's U64F64 steps."""
    tao = fixed_from_int(RAO_PER_TAO)
    origin_stable, destination_stable = is_stable(ctx, origin_netuid), is_stable(ctx, destination_netuid)
    if origin_stable and destination_stable:
        return 0 if limit_price > RAO_PER_TAO else U64_MAX
    if origin_stable and st.SubnetMechanism.get(ctx, destination_netuid) == 1:
        if limit_price == 0:
            return U64_MAX
        destination_price = fixed_to_u64(fixed_saturating_mul(fixed_safe_div(tao, fixed_from_int(limit_price)), tao))
        return engine.max_amount_add(ctx, destination_netuid, destination_price)
    if destination_stable and st.SubnetMechanism.get(ctx, origin_netuid) == 1:
        return engine.max_amount_remove(ctx, origin_netuid, limit_price)

    tao_1, tao_2 = st.SubnetTAO.get(ctx, origin_netuid), st.SubnetTAO.get(ctx, destination_netuid)
    if tao_1 == 0 or tao_2 == 0:
        return 0
    alpha_1, alpha_2 = st.SubnetAlphaIn.get(ctx, origin_netuid), st.SubnetAlphaIn.get(ctx, destination_netuid)
    if alpha_1 == 0 or alpha_2 == 0:
        return 0
    limit = fixed_safe_div(fixed_from_int(limit_price), tao)
    current = fixed_safe_div(engine.current_price_bits(ctx, origin_netuid),
                             engine.current_price_bits(ctx, destination_netuid))
    if limit > current:
        return 0
    if limit_price == 0:
        return U64_MAX
    tao_sum = min(fixed_from_int(tao_1) + fixed_from_int(tao_2), U128_MAX)
    t1_over_sum = fixed_safe_div(fixed_from_int(tao_1), tao_sum)
    t2_over_sum = fixed_safe_div(fixed_from_int(tao_2), tao_sum)
    first = fixed_safe_div(fixed_saturating_mul(fixed_from_int(alpha_2), t1_over_sum), limit)
    second = fixed_saturating_mul(fixed_from_int(alpha_1), t2_over_sum)
    return fixed_to_u64(max(first - second, 0))


# -- the calls --------------------------------------------------------------------------------------------


def do_add_stake(ctx: Context, origin: Origin, hotkey: bytes, netuid: int, amount: int) -> int:
    coldkey = ensure_signed(origin)
    ensure_add_input_within_swap_limit(ctx, netuid, amount)
    validate_add_stake(ctx, coldkey, hotkey, netuid, amount, amount, False)
    return stake_into_subnet(ctx, hotkey, coldkey, netuid, amount, engine.max_price(), False)


def do_add_stake_limit(ctx: Context, origin: Origin, hotkey: bytes, netuid: int, amount: int, limit_price: int,
                       allow_partial: bool) -> int:
    coldkey = ensure_signed(origin)
    ensure_add_input_within_swap_limit(ctx, netuid, amount)
    max_amount = engine.max_amount_add(ctx, netuid, limit_price)
    possible = min(amount, max_amount)
    validate_add_stake(ctx, coldkey, hotkey, netuid, amount, max_amount, allow_partial)
    if st.Owner.get(ctx, hotkey) != coldkey:
        maybe_become_delegate(ctx, hotkey)
    return stake_into_subnet(ctx, hotkey, coldkey, netuid, possible, limit_price, False)


def do_remove_stake(ctx: Context, origin: Origin, hotkey: bytes, netuid: int, alpha: int) -> None:
    coldkey = ensure_signed(origin)
    ensure_subtoken_enabled(ctx, netuid)
    alpha = min(alpha, stake_of(ctx, hotkey, coldkey, netuid))
    ensure_remove_input_within_swap_limit(ctx, netuid, alpha)
    validate_remove_stake(ctx, coldkey, hotkey, netuid, alpha, alpha, False)
    unstake_from_subnet(ctx, hotkey, coldkey, coldkey, netuid, alpha, engine.min_price(), False)
    clear_small_nomination_if_required(ctx, hotkey, coldkey, netuid)
    drop_pending_children_below_threshold(ctx, hotkey)


def do_remove_stake_limit(ctx: Context, origin: Origin, hotkey: bytes, netuid: int, alpha: int, limit_price: int,
                          allow_partial: bool) -> None:
    coldkey = ensure_signed(origin)
    ensure_remove_input_within_swap_limit(ctx, netuid, alpha)
    max_amount = engine.max_amount_remove(ctx, netuid, limit_price)
    possible = min(alpha, max_amount)
    validate_remove_stake(ctx, coldkey, hotkey, netuid, alpha, max_amount, allow_partial)
    unstake_from_subnet(ctx, hotkey, coldkey, coldkey, netuid, possible, limit_price, False)
    clear_small_nomination_if_required(ctx, hotkey, coldkey, netuid)
    drop_pending_children_below_threshold(ctx, hotkey)


def do_remove_stake_full_limit(ctx: Context, origin: Origin, hotkey: bytes, netuid: int,
                               limit_price: int | None) -> None:
    coldkey = ensure_signed(origin)
    alpha = stake_of(ctx, hotkey, coldkey, netuid)
    if limit_price is not None:
        do_remove_stake_limit(ctx, origin, hotkey, netuid, alpha, limit_price, False)
    else:
        do_remove_stake(ctx, origin, hotkey, netuid, alpha)


def _unstake_everything(ctx: Context, coldkey: bytes, hotkey: bytes, skip_root: bool) -> int:
    """Unstake every position of (hotkey, coldkey) that validates, subnet by subnet; the TAO received."""
    total = 0
    for netuid in all_subnet_netuids(ctx):
        if not st.SubtokenEnabled.get(ctx, netuid) or (skip_root and netuid == ROOT_NETUID):
            continue
        alpha = stake_of(ctx, hotkey, coldkey, netuid)
        try:
            validate_remove_stake(ctx, coldkey, hotkey, netuid, alpha, alpha, False)
        except DispatchError:
            continue
        if alpha:
            total = min(total + unstake_from_subnet(ctx, hotkey, coldkey, coldkey, netuid, alpha,
                                                    engine.min_price(), False), U64_MAX)
            clear_small_nomination_if_required(ctx, hotkey, coldkey, netuid)
    return total


def do_unstake_all(ctx: Context, origin: Origin, hotkey: bytes) -> None:
    coldkey = ensure_signed(origin)
    if not accounts.hotkey_account_exists(ctx, hotkey):
        raise errors.HotKeyAccountNotExists
    _unstake_everything(ctx, coldkey, hotkey, skip_root=False)


def do_unstake_all_alpha(ctx: Context, origin: Origin, hotkey: bytes) -> None:
    coldkey = ensure_signed(origin)
    if not accounts.hotkey_account_exists(ctx, hotkey):
        raise errors.HotKeyAccountNotExists
    total = _unstake_everything(ctx, coldkey, hotkey, skip_root=True)
    stake_into_subnet(ctx, hotkey, coldkey, ROOT_NETUID, total, engine.max_price(), False)


def transition_stake(ctx: Context, origin_coldkey: bytes, destination_coldkey: bytes, origin_hotkey: bytes,
                     destination_hotkey: bytes, origin_netuid: int, destination_netuid: int, alpha: int,
                     limit_price: int | None, allow_partial: bool | None, check_transfer_toggle: bool) -> int:
    """``transition_stake_internal``: the shared body of move/transfer/swap stake; the TAO moved."""
    alpha = min(alpha, stake_of(ctx, origin_hotkey, origin_coldkey, origin_netuid))
    if origin_netuid != destination_netuid and limit_price is not None:
        max_amount = max_amount_move(ctx, origin_netuid, destination_netuid, limit_price)
    else:
        max_amount = alpha
    validate_stake_transition(ctx, origin_coldkey, destination_coldkey, origin_hotkey, destination_hotkey,
                              origin_netuid, destination_netuid, alpha, max_amount, allow_partial,
                              check_transfer_toggle)
    move_amount = min(alpha, max_amount)
    if origin_netuid == destination_netuid:
        return transfer_stake_within_subnet(ctx, origin_coldkey, origin_hotkey, destination_coldkey,
                                            destination_hotkey, origin_netuid, move_amount)
    drop_fee_origin = origin_netuid == ROOT_NETUID
    tao = unstake_from_subnet(ctx, origin_hotkey, origin_coldkey, origin_coldkey, origin_netuid, move_amount,
                              engine.min_price(), drop_fee_origin)
    if origin_coldkey != destination_coldkey:
        transfer_tao(ctx, origin_coldkey, destination_coldkey, tao)
    if tao >= DEFAULT_MIN_STAKE:
        if st.Owner.get(ctx, destination_hotkey) != destination_coldkey:
            maybe_become_delegate(ctx, destination_hotkey)
        stake_into_subnet(ctx, destination_hotkey, destination_coldkey, destination_netuid, tao,
                          engine.max_price(), not drop_fee_origin)
    return tao


def do_move_stake(ctx: Context, origin: Origin, origin_hotkey: bytes, destination_hotkey: bytes,
                  origin_netuid: int, destination_netuid: int, alpha: int) -> None:
    coldkey = ensure_signed(origin)
    tao = transition_stake(ctx, coldkey, coldkey, origin_hotkey, destination_hotkey, origin_netuid,
                           destination_netuid, alpha, None, None, False)
    ctx.deposit_event(StakeMoved(coldkey, origin_hotkey, origin_netuid, destination_hotkey, destination_netuid, tao))


def do_transfer_stake(ctx: Context, origin: Origin, destination_coldkey: bytes, hotkey: bytes, origin_netuid: int,
                      destination_netuid: int, alpha: int) -> None:
    coldkey = ensure_signed(origin)
    tao = transition_stake(ctx, coldkey, destination_coldkey, hotkey, hotkey, origin_netuid, destination_netuid,
                           alpha, None, None, True)
    ctx.deposit_event(StakeTransferred(coldkey, destination_coldkey, hotkey, origin_netuid, destination_netuid, tao))


def do_swap_stake(ctx: Context, origin: Origin, hotkey: bytes, origin_netuid: int, destination_netuid: int,
                  alpha: int, limit_price: int | None = None, allow_partial: bool | None = None) -> None:
    coldkey = ensure_signed(origin)
    tao = transition_stake(ctx, coldkey, coldkey, hotkey, hotkey, origin_netuid, destination_netuid, alpha,
                           limit_price, allow_partial, False)
    ctx.deposit_event(StakeSwapped(coldkey, hotkey, origin_netuid, destination_netuid, tao))


def _destroy_own_alpha(ctx: Context, origin: Origin, hotkey: bytes, amount: int, netuid: int) -> tuple[bytes, int]:
    """The checks and debit shared by recycle/burn alpha; (coldkey, amount destroyed)."""
    coldkey = ensure_signed(origin)
    if not subnet_exists(ctx, netuid):
        raise errors.SubnetNotExists
    if netuid == ROOT_NETUID:
        raise errors.CannotBurnOrRecycleOnRootSubnet
    ensure_subtoken_enabled(ctx, netuid)
    if not accounts.hotkey_account_exists(ctx, hotkey):
        raise errors.HotKeyAccountNotExists
    amount = min(amount, stake_of(ctx, hotkey, coldkey, netuid))
    if st.SubnetAlphaOut.get(ctx, netuid) < amount:
        raise errors.InsufficientLiquidity
    ensure_available_to_unstake(ctx, coldkey, netuid, amount)
    decrease_stake(ctx, hotkey, coldkey, netuid, amount)
    return coldkey, amount


def do_recycle_alpha(ctx: Context, origin: Origin, hotkey: bytes, amount: int, netuid: int) -> int:
    """Destroy one's own alpha, lowering ``SubnetAlphaOut`` (the issuance shrinks)."""
    coldkey, amount = _destroy_own_alpha(ctx, origin, hotkey, amount, netuid)
    if amount:
        st.SubnetAlphaOut.put(ctx, netuid, max(st.SubnetAlphaOut.get(ctx, netuid) - amount, 0))
    ctx.deposit_event(AlphaRecycled(coldkey, hotkey, amount, netuid))
    return amount


def do_burn_alpha(ctx: Context, origin: Origin, hotkey: bytes, amount: int, netuid: int) -> int:
    """Destroy one's own alpha; ``SubnetAlphaOut`` is left as it is (the issuance is unchanged)."""
    coldkey, amount = _destroy_own_alpha(ctx, origin, hotkey, amount, netuid)
    ctx.deposit_event(AlphaBurned(coldkey, hotkey, amount, netuid))
    return amount


__all__ = [
    "BURN_ACCOUNT", "DEFAULT_MIN_STAKE", "LocksUnsupported", "do_add_stake", "do_add_stake_limit", "do_burn_alpha",
    "do_move_stake", "do_recycle_alpha", "do_remove_stake", "do_remove_stake_full_limit", "do_remove_stake_limit",
    "do_swap_stake", "do_transfer_stake", "do_unstake_all", "do_unstake_all_alpha", "max_amount_move", "stake_of",
    "stake_into_subnet", "total_stake_for_hotkey", "unstake_from_subnet",
]
