"""SubtensorModule staking primitives: share-pool updates, TAO movements, staking into and out of a subnet
through the Swap engine (:mod:`runtime.pallets.swap.engine`) and the alpha share pools (:mod:`.share_pool`) —
node-subtensor's ``staking/{stake_utils, helpers}.rs`` at runtime spec 425. The calls built on them (add/remove
stake, unstake-all, move / transfer / swap stake, recycle and burn alpha) and their validation are in
:mod:`.stake_calls`.

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
from runtime.pallets.subtensor.events import StakeAdded, StakeRemoved
from runtime.pallets.subtensor.queries import (
    all_subnet_netuids, fixed_from_int, fixed_safe_div, fixed_saturating_mul, fixed_to_u64,
)
from runtime.pallets.subtensor.share_pool import AlphaSharePool, key_h
from runtime.pallets.subtensor.types import ROOT_NETUID
from runtime.pallets.swap import engine
from runtime.primitives.types import pallet_account
from runtime.scale import decode_compact
from runtime.support.context import Context
from runtime.support.dispatch import DispatchError
from runtime.support.externalities import Externalities
from runtime.support.storage import append_raw

DEFAULT_MIN_STAKE = 2_000_000
"""``DefaultMinStake`` (``InitialMinStake`` of the runtime): 0.002 TAO."""
RAO_PER_TAO = 1_000_000_000
U64_MAX = (1 << 64) - 1
U128_MAX = (1 << 128) - 1
I64_MIN, I64_MAX = -(1 << 63), (1 << 63) - 1
BURN_ACCOUNT = pallet_account(b"burntnsr")
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
