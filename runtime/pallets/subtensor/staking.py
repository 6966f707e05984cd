"""SubtensorModule staking: add/remove stake (plain, price-limited, full), unstake-all, move / transfer /
swap stake, recycle and burn alpha — node-subtensor's ``staking/{add_stake, remove_stake, move_stake,
stake_utils, helpers, recycle_alpha}.rs`` at runtime spec 425, over the Swap engine
(:mod:`runtime.pallets.swap.engine`) and the alpha share pools (:mod:`.share_pool`).

Rules worth knowing (all from the reference):

* Staking buys alpha with TAO moved from the coldkey to the subnet account (never below the ED); the
  swap fee (TAO) is paid from the subnet account to the block author, or sent to the burn account
  ``modl·burntnsr`` when there is none. Unstaking sells alpha; its alpha fee is sold fee-free for the
  author, or (without an author) simply not returned to the pool.
* ``DefaultMinStake`` is 2_000_000 rao; the add check is ``amount ≥ min + fee(min)``.
* Root (netuid 0) and stable subnets swap 1:1 without fee.

Known gaps (waiting for other parts of the runtime):

* Stake locks (``Lock`` / conviction model). Nothing here can create one; if a ``Lock`` entry exists for
  the coldkey on the subnet, the operations that would have to roll it forward raise
  :class:`LocksUnsupported` instead of guessing.
* ``AlphaAssets`` (the alpha-token ledger of ``recycle_alpha`` / ``burn_alpha``) is not part of this
  runtime: recycling lowers ``SubnetAlphaOut`` as the reference does and the asset-side bookkeeping is
  skipped.
"""

from __future__ import annotations

from runtime.pallets import balances
from runtime.pallets.subtensor import accounts, subnets
from runtime.pallets.subtensor import storage as st
from runtime.pallets.subtensor.errors import errors
from runtime.pallets.subtensor.events import (
    AlphaBurned, AlphaRecycled, StakeAdded, StakeMoved, StakeRemoved, StakeSwapped, StakeTransferred,
)
from runtime.pallets.subtensor.queries import (
    all_subnet_netuids, fixed_from_int, fixed_safe_div, fixed_saturating_mul, fixed_to_u64,
)
from runtime.pallets.subtensor.share_pool import AlphaSharePool, key_h
from runtime.pallets.subtensor.types import ROOT_NETUID
from runtime.pallets.swap import engine
from runtime.scale import decode_compact
from runtime.support.context import Context
from runtime.support.dispatch import DispatchError, Origin, ensure_signed
from runtime.support.externalities import Externalities
from runtime.support.storage import append_raw

DEFAULT_MIN_STAKE = 2_000_000
"""``DefaultMinStake`` (``InitialMinStake`` of the runtime): 0.002 TAO."""
RAO_PER_TAO = 1_000_000_000
U64_MAX = (1 << 64) - 1
U128_MAX = (1 << 128) - 1
I64_MIN, I64_MAX = -(1 << 63), (1 << 63) - 1
BURN_ACCOUNT = (b"modl" + b"burntnsr").ljust(32, b"\0")
"""``BurnAccountId`` (``PalletId(*b"burntnsr")``) as an account: where ``burn_tao`` sends TAO."""


class LocksUnsupported(NotImplementedError):
    """The coldkey has a stake lock on the subnet: rolling the conviction model forward is not
    implemented in this runtime yet (no call here can create a lock)."""


# -- small readers ----------------------------------------------------------------------------------------


def pool(ext: Externalities, hotkey: bytes, netuid: int) -> AlphaSharePool:
    return AlphaSharePool(ext, hotkey, netuid)


def stake_of(ext: Externalities, hotkey: bytes, coldkey: bytes, netuid: int) -> int:
    """``get_stake_for_hotkey_and_coldkey_on_subnet``: the coldkey's alpha through the hotkey (0 if none)."""
    value = pool(ext, hotkey, netuid).try_get_value(coldkey)
    return 0 if value is None else value


def subnet_exists(ext: Externalities, netuid: int) -> bool:
    return bool(st.NetworksAdded.get(ext, netuid))


def ensure_subtoken_enabled(ext: Externalities, netuid: int) -> None:
    if not st.SubtokenEnabled.get(ext, netuid):
        raise errors.SubtokenDisabled


def is_dynamic(ext: Externalities, netuid: int) -> bool:
    return netuid != ROOT_NETUID and st.SubnetMechanism.get(ext, netuid) == 1


def is_stable(ext: Externalities, netuid: int) -> bool:
    return netuid == ROOT_NETUID or st.SubnetMechanism.get(ext, netuid) == 0


def total_stake_for_hotkey(ext: Externalities, hotkey: bytes) -> int:
    """``get_total_stake_for_hotkey``: Σ over subnets of ``TotalHotkeyAlpha × price`` in U64F64, floored."""
    total = 0
    for netuid in all_subnet_netuids(ext):
        alpha = st.TotalHotkeyAlpha.get(ext, hotkey, netuid)
        total += fixed_saturating_mul(fixed_from_int(alpha), engine.current_price_bits(ext, netuid))
    return fixed_to_u64(min(total, U128_MAX))


def total_coldkey_alpha_on_subnet(ext: Externalities, coldkey: bytes, netuid: int) -> int:
    return min(sum(stake_of(ext, hotkey, coldkey, netuid) for hotkey in st.StakingHotkeys.get(ext, coldkey)),
               U64_MAX)


def nominator_min_required_stake(ext: Externalities) -> int:
    """``DefaultMinStake × NominatorMinRequiredStake / 1e6`` (the factor is per million)."""
    return min(DEFAULT_MIN_STAKE * st.NominatorMinRequiredStake.get(ext), U64_MAX) // 1_000_000


def tao_equivalent(ext: Externalities, netuid: int, alpha: int) -> int:
    """``current_alpha_price × alpha`` (U64F64, saturating), floored to u64."""
    return fixed_to_u64(fixed_saturating_mul(engine.current_price_bits(ext, netuid), fixed_from_int(alpha)))


# -- locks (see LocksUnsupported) -------------------------------------------------------------------------


def _has_lock(ext: Externalities, coldkey: bytes, netuid: int) -> bool:
    return next(iter(st.Lock.iter(ext, coldkey, netuid)), None) is not None


def _no_lock(ext: Externalities, coldkey: bytes, netuid: int) -> None:
    if _has_lock(ext, coldkey, netuid):
        raise LocksUnsupported(f"stake lock of coldkey 0x{coldkey.hex()} on subnet {netuid}")


def ensure_available_to_unstake(ext: Externalities, coldkey: bytes, netuid: int, amount: int) -> None:
    """The coldkey's unlocked alpha on the subnet must cover ``amount`` (``StakeUnavailable``)."""
    _no_lock(ext, coldkey, netuid)
    if total_coldkey_alpha_on_subnet(ext, coldkey, netuid) < amount:
        raise errors.StakeUnavailable


def cleanup_lock_if_zero(ext: Externalities, coldkey: bytes, netuid: int) -> None:
    _no_lock(ext, coldkey, netuid)


def transfer_lock(ext: Externalities, origin_coldkey: bytes, destination_coldkey: bytes, netuid: int,
                  amount: int) -> None:
    if origin_coldkey == destination_coldkey or amount == 0:
        return
    _no_lock(ext, origin_coldkey, netuid)


def force_reduce_lock(ext: Externalities, coldkey: bytes, netuid: int) -> None:
    _no_lock(ext, coldkey, netuid)


# -- share-pool updates -----------------------------------------------------------------------------------


def _raw_accounts_contain(raw: bytes, account: bytes) -> bool | None:
    """Whether a SCALE ``Vec<AccountId32>`` holds ``account``, scanned in place (a coldkey can stake to
    hundreds of hotkeys, and decoding the list per payout dominated an epoch block); None when the
    bytes are not a well-formed list of 32-byte accounts (the caller then decodes as usual)."""
    if len(account) != 32:
        return None
    count, pos = decode_compact(raw, 0)
    if len(raw) - pos != 32 * count:
        return None
    found = raw.find(account, pos)
    while found >= 0:
        if (found - pos) % 32 == 0:
            return True
        found = raw.find(account, found + 1)
    return False


def add_staking_hotkey(ext: Externalities, coldkey: bytes, hotkey: bytes) -> None:
    key = key_h(st.StakingHotkeys, coldkey)
    raw = ext.get(key)
    contained = False if raw is None else _raw_accounts_contain(raw, hotkey)
    if contained is None:
        hotkeys = st.StakingHotkeys.get(ext, coldkey)
        if hotkey not in hotkeys:
            st.StakingHotkeys.put(ext, coldkey, [*hotkeys, hotkey])
    elif not contained:
        # the same bytes as re-encoding the list with the hotkey appended
        append_raw(ext, key, st.StakingHotkeys.value.inner.encode(hotkey))


def increase_stake(ext: Externalities, hotkey: bytes, coldkey: bytes, netuid: int, amount: int) -> None:
    """Credit ``amount`` alpha to the coldkey in the hotkey's pool (listing the hotkey as staked to)."""
    if amount:
        add_staking_hotkey(ext, coldkey, hotkey)
    pool(ext, hotkey, netuid).update_value_for_one(coldkey, amount)


def try_increase_stake(ext: Externalities, hotkey: bytes, netuid: int, amount: int) -> bool:
    return pool(ext, hotkey, netuid).sim_update_value_for_one(amount)


def decrease_stake(ext: Externalities, hotkey: bytes, coldkey: bytes, netuid: int, amount: int) -> None:
    """Debit ``amount`` alpha from the coldkey; silently nothing if it holds less."""
    p = pool(ext, hotkey, netuid)
    value = p.try_get_value(coldkey)
    if value is not None and value >= amount:
        p.update_value_for_one(coldkey, -amount)


def calculate_reduced_stake(ext: Externalities, hotkey: bytes, coldkey: bytes, netuid: int, decrement: int) -> int:
    current = stake_of(ext, hotkey, coldkey, netuid)
    if current < decrement:
        raise errors.NotEnoughStakeToWithdraw
    return current - decrement


# -- root-claim bookkeeping -------------------------------------------------------------------------------


def _claimable_times(rate_bits: int, amount: int) -> int:
    """``I96F32 rate × amount`` (saturating) converted to u128 (floored, negative → 0)."""
    product = max(min(rate_bits * amount, (1 << 127) - 1), -(1 << 127))
    return max(product >> 32, 0)


def _root_claimable(ext: Externalities, hotkey: bytes) -> list[tuple[int, int]]:
    value = st.RootClaimable.get(ext, hotkey)
    items = value.items() if isinstance(value, dict) else value
    return [(netuid, rate.bits) for netuid, rate in items]


def add_stake_adjust_root_claimed(ext: Externalities, hotkey: bytes, coldkey: bytes, amount: int) -> None:
    for netuid, rate in _root_claimable(ext, hotkey):
        claimed = st.RootClaimed.get(ext, netuid, hotkey, coldkey)
        st.RootClaimed.put(ext, netuid, hotkey, coldkey, min(claimed + _claimable_times(rate, amount), U128_MAX))


def remove_stake_adjust_root_claimed(ext: Externalities, hotkey: bytes, coldkey: bytes, amount: int) -> None:
    for netuid, rate in _root_claimable(ext, hotkey):
        if netuid == ROOT_NETUID:
            continue
        claimed = st.RootClaimed.get(ext, netuid, hotkey, coldkey)
        st.RootClaimed.put(ext, netuid, hotkey, coldkey, max(claimed - _claimable_times(rate, amount), 0))


def maybe_add_coldkey_index(ext: Externalities, coldkey: bytes) -> None:
    if not st.StakingColdkeys.exists(ext, coldkey):
        n = st.NumStakingColdkeys.get(ext)
        st.StakingColdkeysByIndex.put(ext, n, coldkey)
        st.StakingColdkeys.put(ext, coldkey, n)
        st.NumStakingColdkeys.put(ext, min(n + 1, U64_MAX))


def coldkey_has_root_stake(ext: Externalities, coldkey: bytes) -> bool:
    return any(stake_of(ext, hotkey, coldkey, ROOT_NETUID) for hotkey in st.StakingHotkeys.get(ext, coldkey))


def maybe_remove_coldkey_index(ext: Externalities, coldkey: bytes) -> None:
    index = st.StakingColdkeys.take(ext, coldkey)
    if index is None:
        return
    last = max(st.NumStakingColdkeys.get(ext) - 1, 0)
    moved = st.StakingColdkeysByIndex.take(ext, last) if index != last else None
    if moved is not None:
        st.StakingColdkeysByIndex.put(ext, index, moved)
        st.StakingColdkeys.put(ext, moved, index)
    else:
        st.StakingColdkeysByIndex.kill(ext, index)
    st.NumStakingColdkeys.put(ext, last)


# -- TAO movements ----------------------------------------------------------------------------------------


def block_author(ctx: Context) -> bytes | None:
    """``AuthorshipProvider::author``: the Aura author of the block being built, if known."""
    from runtime.pallets import aura

    return aura.author(ctx)


def transfer_tao(ctx: Context, source: bytes, dest: bytes, amount: int) -> None:
    """``transfer_tao``: an expendable transfer of at most the source's reducible balance
    (``InsufficientBalance``); dust burned by reaping the source also leaves ``TotalIssuance``."""
    if amount > balances.reducible_balance(ctx, source, balances.EXPENDABLE):
        raise errors.InsufficientBalance
    before = balances.total_issuance(ctx)
    balances.fungible_transfer(ctx, source, dest, amount, balances.EXPENDABLE)
    after = balances.total_issuance(ctx)
    if after < before:
        st.TotalIssuance.put(ctx, max(st.TotalIssuance.get(ctx) - (before - after), 0))


def transfer_tao_from_subnet(ctx: Context, netuid: int, dest: bytes, amount: int) -> None:
    account = accounts.subnet_account_if_exists(ctx, netuid)
    if account is None:
        raise errors.SubnetNotExists
    transfer_tao(ctx, account, dest, amount)


def burn_tao(ctx: Context, source: bytes, amount: int) -> None:
    transfer_tao(ctx, source, BURN_ACCOUNT, amount)


def record_tao_outflow(ext: Externalities, netuid: int, tao: int) -> None:
    st.SubnetTaoFlow.put(ext, netuid, max(st.SubnetTaoFlow.get(ext, netuid) - min(tao, I64_MAX), I64_MIN))


# -- staking into / out of a subnet ----------------------------------------------------------------------


def stake_into_subnet(ctx: Context, hotkey: bytes, coldkey: bytes, netuid: int, tao: int, price_limit: int,
                      drop_fees: bool) -> int:
    """Move ``tao`` to the subnet, buy alpha, credit it to (hotkey, coldkey); the alpha bought."""
    tao_staked = subnets.transfer_tao_to_subnet(ctx, netuid, coldkey, tao)
    result = engine.swap_tao_for_alpha(ctx, netuid, tao_staked, price_limit, drop_fees)
    if result.amount_paid_out == 0:
        raise errors.AmountTooLow
    if not try_increase_stake(ctx, hotkey, netuid, result.amount_paid_out):
        raise errors.InsufficientLiquidity
    increase_stake(ctx, hotkey, coldkey, netuid, result.amount_paid_out)
    add_staking_hotkey(ctx, coldkey, hotkey)

    author = block_author(ctx)
    if author is not None:
        transfer_tao_from_subnet(ctx, netuid, author, result.fee_to_block_author)
    else:
        account = accounts.subnet_account_if_exists(ctx, netuid)
        if account is not None:
            try:
                burn_tao(ctx, account, result.fee_to_block_author)
            except DispatchError:  # the reference ignores a failed burn
                pass

    subnets.record_tao_inflow(ctx, netuid, result.amount_paid_in)
    cleanup_lock_if_zero(ctx, coldkey, netuid)
    st.LastColdkeyHotkeyStakeBlock.put(ctx, coldkey, hotkey, ctx.block_number)
    if netuid == ROOT_NETUID:
        add_stake_adjust_root_claimed(ctx, hotkey, coldkey, result.amount_paid_out)
        maybe_add_coldkey_index(ctx, coldkey)
    ctx.deposit_event(StakeAdded(coldkey, hotkey, tao_staked, result.amount_paid_out, netuid, result.fee_paid))
    return result.amount_paid_out


def unstake_from_subnet(ctx: Context, hotkey: bytes, coldkey: bytes, beneficiary: bytes, netuid: int, alpha: int,
                        price_limit: int, drop_fees: bool) -> int:
    """Take ``alpha`` from (hotkey, coldkey), sell it and pay the TAO to ``beneficiary``; the TAO paid.

    Alpha left unsold by the price limit is credited back."""
    decrease_stake(ctx, hotkey, coldkey, netuid, alpha)
    result = engine.swap_alpha_for_tao(ctx, netuid, alpha, price_limit, drop_fees)
    refund = max(alpha - (result.amount_paid_in + result.fee_paid), 0)
    if refund:
        increase_stake(ctx, hotkey, coldkey, netuid, refund)
    transfer_tao_from_subnet(ctx, netuid, beneficiary, result.amount_paid_out)

    fee_outflow = 0
    author = block_author(ctx)
    if author is not None:
        fee_swap = engine.swap_alpha_for_tao(ctx, netuid, result.fee_to_block_author, engine.min_price(), True)
        transfer_tao_from_subnet(ctx, netuid, author, fee_swap.amount_paid_out)
        fee_outflow = fee_swap.amount_paid_out
    # Without an author the alpha fee is burned: it simply never returns to the pool.

    if netuid == ROOT_NETUID:
        remove_stake_adjust_root_claimed(ctx, hotkey, coldkey, alpha)
        if not coldkey_has_root_stake(ctx, coldkey):
            maybe_remove_coldkey_index(ctx, coldkey)
    record_tao_outflow(ctx, netuid, min(result.amount_paid_out + fee_outflow, U64_MAX))
    cleanup_lock_if_zero(ctx, coldkey, netuid)
    st.LastColdkeyHotkeyStakeBlock.put(ctx, coldkey, hotkey, ctx.block_number)
    ctx.deposit_event(StakeRemoved(coldkey, hotkey, result.amount_paid_out, result.amount_paid_in, netuid,
                                   result.fee_paid))
    return result.amount_paid_out


def transfer_stake_within_subnet(ctx: Context, origin_coldkey: bytes, origin_hotkey: bytes,
                                 destination_coldkey: bytes, destination_hotkey: bytes, netuid: int,
                                 alpha: int) -> int:
    """Move ``alpha`` between share pools of one subnet without a swap; its TAO value at the spot price."""
    transfer_lock(ctx, origin_coldkey, destination_coldkey, netuid, alpha)
    decrease_stake(ctx, origin_hotkey, origin_coldkey, netuid, alpha)
    if netuid == ROOT_NETUID:
        remove_stake_adjust_root_claimed(ctx, origin_hotkey, origin_coldkey, alpha)
    increase_stake(ctx, destination_hotkey, destination_coldkey, netuid, alpha)
    if netuid == ROOT_NETUID:
        add_stake_adjust_root_claimed(ctx, destination_hotkey, destination_coldkey, alpha)
    tao = tao_equivalent(ctx, netuid, alpha)
    if tao < DEFAULT_MIN_STAKE:
        raise errors.AmountTooLow
    st.LastColdkeyHotkeyStakeBlock.put(ctx, destination_coldkey, destination_hotkey, ctx.block_number)
    ctx.deposit_event(StakeRemoved(origin_coldkey, origin_hotkey, tao, alpha, netuid, 0))
    ctx.deposit_event(StakeAdded(destination_coldkey, destination_hotkey, tao, alpha, netuid, 0))
    return tao


def maybe_become_delegate(ext: Externalities, hotkey: bytes) -> None:
    if not accounts.hotkey_is_delegate(ext, hotkey):
        accounts.delegate_hotkey(ext, hotkey, st.Delegates.get(ext, hotkey))


def clear_small_nomination_if_required(ctx: Context, hotkey: bytes, coldkey: bytes, netuid: int) -> None:
    """Unstake a non-owner's position left below the nominator minimum (in alpha at the spot price)."""
    if accounts.coldkey_owns_hotkey(ctx, coldkey, hotkey):
        return
    alpha = stake_of(ctx, hotkey, coldkey, netuid)
    min_alpha = fixed_to_u64(fixed_safe_div(fixed_from_int(nominator_min_required_stake(ctx)),
                                            engine.current_price_bits(ctx, netuid)))
    if 0 < alpha < min_alpha:
        try:
            unstake_from_subnet(ctx, hotkey, coldkey, coldkey, netuid, alpha, engine.min_price(), False)
        except DispatchError:  # as the reference: no rollback, then drop whatever is left
            decrease_stake(ctx, hotkey, coldkey, netuid, stake_of(ctx, hotkey, coldkey, netuid))
        force_reduce_lock(ctx, coldkey, netuid)


def drop_pending_children_below_threshold(ctx: Context, hotkey: bytes) -> None:
    if total_stake_for_hotkey(ctx, hotkey) < st.StakeThreshold.get(ctx):
        for netuid in all_subnet_netuids(ctx):
            st.PendingChildKeys.kill(ctx, netuid, hotkey)


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
