"""SubtensorModule coldkey swaps (``swap/swap_coldkey.rs`` and the announcement calls of node-subtensor).

A coldkey hands everything it has to a fresh coldkey: identity, subnet ownership, auto-stake
destinations, every alpha position (through the share pools), the staking-hotkey list, hotkey
ownership, account flags and the free balance (the old account may be reaped); the lineage maps
``ColdkeySuccessor`` / ``ColdkeyRoot`` record the rename.

Two ways in:

* root's ``swap_coldkey(old, new, swap_cost)`` — immediate, recycling ``swap_cost`` from the old
  coldkey first, and clearing any announcement or dispute of the old coldkey;
* the announcement protocol — ``announce_coldkey_swap(blake2_256(new))`` (the first announcement
  recycles ``KeySwapCost``; re-announcing waits ``ColdkeySwapReannouncementDelay`` past the first
  valid execution block), then after ``ColdkeySwapAnnouncementDelay`` blocks
  ``swap_coldkey_announced(new)``. The owner can ``dispute_coldkey_swap`` (which freezes the account,
  see :mod:`.guards`) or ``clear_coldkey_swap_announcement``; root can ``reset_coldkey_swap``.
  ``schedule_swap_coldkey`` is retired (``Deprecated``).

Not modelled (nothing in this runtime creates them): subnet leases, miner collateral, stake locks and
root-stake age. A swap meeting any of those raises :class:`ColdkeySwapUnsupported` rather than
leaving them behind on the dead key.
"""

from __future__ import annotations

from runtime.pallets import balances
from runtime.pallets.subtensor import accounts, staking
from runtime.pallets.subtensor import storage as st
from runtime.pallets.subtensor.errors import errors
from runtime.pallets.subtensor.events import (
    ColdkeySwapAnnounced, ColdkeySwapCleared, ColdkeySwapDisputed, ColdkeySwapped, ColdkeySwapReset,
)
from runtime.pallets.subtensor.queries import all_subnet_netuids
from runtime.pallets.subtensor.swap_hotkey import KEY_SWAP_COST
from runtime.pallets.subtensor.types import ROOT_NETUID
from runtime.primitives.hashing import blake2_256
from runtime.support.context import Context
from runtime.support.dispatch import DispatchError, Origin, ensure_root, ensure_signed
from runtime.support.externalities import Externalities


class ColdkeySwapUnsupported(NotImplementedError):
    """The old coldkey holds state this runtime does not model (leases, collateral, locks)."""


# -- paying for a swap ------------------------------------------------------------------------------------


def recycle_tao(ctx: Context, coldkey: bytes, amount: int) -> None:
    """``recycle_tao``: destroy ``amount`` of the coldkey's TAO (keeping it above the ED), lowering both
    the balances issuance and the subtensor ``TotalIssuance``."""
    if amount > balances.reducible_balance(ctx, coldkey, balances.PRESERVE):
        raise errors.InsufficientTaoBalance
    st.TotalIssuance.put(ctx, max(st.TotalIssuance.get(ctx) - amount, 0))
    try:
        taken = balances.balanced_withdraw(ctx, coldkey, amount, exact=True, preservation=balances.EXPENDABLE,
                                           polite=False)
    except DispatchError as exc:
        raise errors.BalanceWithdrawalError from exc
    balances.burn_credit(ctx, taken)


def charge_swap_cost(ctx: Context, coldkey: bytes, cost: int) -> None:
    """Recycle ``cost`` from the coldkey; any failure is ``NotEnoughBalanceToPaySwapColdKey``."""
    try:
        recycle_tao(ctx, coldkey, cost)
    except DispatchError as exc:
        raise errors.NotEnoughBalanceToPaySwapColdKey from exc


def coldkey_hash(coldkey: bytes) -> bytes:
    """``T::Hashing::hash_of(&coldkey)``: BlakeTwo256 of the SCALE-encoded (raw 32-byte) account."""
    return blake2_256(coldkey)


# -- the swap itself --------------------------------------------------------------------------------------


def _ensure_modelled(ext: Externalities, old: bytes) -> None:
    if next(iter(st.Lock.iter(ext, old)), None) is not None:
        raise ColdkeySwapUnsupported("stake locks")
    if any(True for _ in st.SubnetUidToLeaseId.iter(ext)):
        raise ColdkeySwapUnsupported("subnet leases")
    if any(coldkey == old for (_, _, coldkey), _ in st.MinerCollateral.iter(ext)):
        raise ColdkeySwapUnsupported("miner collateral")


def _transfer_auto_stake_destination(ext: Externalities, netuid: int, old: bytes, new: bytes) -> None:
    hotkey = st.AutoStakeDestination.try_get(ext, old, netuid)
    if hotkey is None:
        return
    st.AutoStakeDestination.kill(ext, old, netuid)
    st.AutoStakeDestination.put(ext, new, netuid, hotkey)
    followers = [c for c in st.AutoStakeDestinationColdkeys.get(ext, hotkey, netuid) if c not in (old, new)]
    st.AutoStakeDestinationColdkeys.put(ext, hotkey, netuid, [*followers, new])


def _transfer_coldkey_stake(ext: Externalities, netuid: int, old: bytes, new: bytes) -> None:
    for hotkey in st.StakingHotkeys.get(ext, old):
        alpha = staking.stake_of(ext, hotkey, old, netuid)
        staking.decrease_stake(ext, hotkey, old, netuid, alpha)
        staking.increase_stake(ext, hotkey, new, netuid, alpha)
        if netuid == ROOT_NETUID:
            # The basket watermark follows the coldkey even with zero stake (it can be negative).
            claimed = st.BasketClaimed.try_get(ext, hotkey, old)
            if claimed is not None:
                st.BasketClaimed.kill(ext, hotkey, old)
                st.BasketClaimed.put(ext, hotkey, new, claimed + st.BasketClaimed.get(ext, hotkey, new))
            if staking.stake_of(ext, hotkey, new, netuid):
                staking.maybe_add_coldkey_index(ext, new)
    if netuid == ROOT_NETUID:
        staking.maybe_remove_coldkey_index(ext, old)


def _transfer_staking_hotkeys(ext: Externalities, old: bytes, new: bytes) -> None:
    merged = st.StakingHotkeys.get(ext, new)
    merged = [*merged, *(hk for hk in st.StakingHotkeys.get(ext, old) if hk not in merged)]
    st.StakingHotkeys.kill(ext, old)
    if merged:
        st.StakingHotkeys.put(ext, new, merged)
    else:
        st.StakingHotkeys.kill(ext, new)


def _transfer_hotkeys_ownership(ext: Externalities, old: bytes, new: bytes) -> None:
    owned = st.OwnedHotkeys.get(ext, new)
    for hotkey in st.OwnedHotkeys.get(ext, old):
        st.Owner.put(ext, hotkey, new)
        if hotkey not in owned:
            owned = [*owned, hotkey]
    st.OwnedHotkeys.kill(ext, old)
    st.OwnedHotkeys.put(ext, new, owned)


def _transfer_account_flags(ext: Externalities, old: bytes, new: bytes) -> None:
    flags = st.AccountFlags.take(ext, old)
    if flags:
        st.AccountFlags.put(ext, new, flags)
    else:
        st.AccountFlags.kill(ext, new)


def _record_lineage(ext: Externalities, old: bytes, new: bytes) -> None:
    if old == new:
        return
    root = st.ColdkeyRoot.try_get(ext, old)
    st.ColdkeySuccessor.kill(ext, new)
    st.ColdkeySuccessor.put(ext, old, new)
    st.ColdkeyRoot.put(ext, new, old if root is None else root)


def do_swap_coldkey(ctx: Context, old: bytes, new: bytes) -> None:
    """Move everything ``old`` holds to ``new`` (the caller's storage transaction makes it atomic)."""
    if st.StakingHotkeys.get(ctx, new):
        raise errors.ColdKeyAlreadyAssociated
    if accounts.hotkey_account_exists(ctx, new):
        raise errors.NewColdKeyIsHotkey
    _ensure_modelled(ctx, old)
    if not st.IdentitiesV2.exists(ctx, new):
        identity = st.IdentitiesV2.take(ctx, old)
        if identity is not None:
            st.IdentitiesV2.put(ctx, new, identity)
    for netuid in all_subnet_netuids(ctx):
        if st.SubnetOwner.get(ctx, netuid) == old:
            st.SubnetOwner.put(ctx, netuid, new)
        _transfer_auto_stake_destination(ctx, netuid, old, new)
        _transfer_coldkey_stake(ctx, netuid, old, new)
    _transfer_staking_hotkeys(ctx, old, new)
    _transfer_hotkeys_ownership(ctx, old, new)
    _transfer_account_flags(ctx, old, new)
    remaining = balances.reducible_balance(ctx, old, balances.EXPENDABLE)
    if remaining:
        staking.transfer_tao(ctx, old, new, remaining)
    _record_lineage(ctx, old, new)
    ctx.deposit_event(ColdkeySwapped(old, new))


# -- the calls --------------------------------------------------------------------------------------------


def do_root_swap_coldkey(ctx: Context, origin: Origin, old: bytes, new: bytes, swap_cost: int) -> None:
    """``swap_coldkey`` (root): optional cost, the swap, then forget the old key's announcement/dispute."""
    ensure_root(origin)
    if swap_cost:
        charge_swap_cost(ctx, old, swap_cost)
    do_swap_coldkey(ctx, old, new)
    st.ColdkeySwapAnnouncements.kill(ctx, old)
    st.ColdkeySwapDisputes.kill(ctx, old)


def do_announce_coldkey_swap(ctx: Context, origin: Origin, new_coldkey_hash: bytes) -> None:
    who = ensure_signed(origin)
    now = ctx.block_number
    previous = st.ColdkeySwapAnnouncements.try_get(ctx, who)
    if previous is not None:
        if now < previous[0] + st.ColdkeySwapReannouncementDelay.get(ctx):
            raise errors.ColdkeySwapReannouncedTooEarly
    else:
        charge_swap_cost(ctx, who, KEY_SWAP_COST)  # only the first announcement pays
    when = min(now + st.ColdkeySwapAnnouncementDelay.get(ctx), (1 << 32) - 1)
    st.ColdkeySwapAnnouncements.put(ctx, who, (when, new_coldkey_hash))
    ctx.deposit_event(ColdkeySwapAnnounced(who, new_coldkey_hash))


def do_swap_coldkey_announced(ctx: Context, origin: Origin, new: bytes) -> None:
    who = ensure_signed(origin)
    announcement = st.ColdkeySwapAnnouncements.take(ctx, who)
    if announcement is None:
        raise errors.ColdkeySwapAnnouncementNotFound
    when, expected_hash = announcement
    if coldkey_hash(new) != expected_hash:
        raise errors.AnnouncedColdkeyHashDoesNotMatch
    if ctx.block_number < when:
        raise errors.ColdkeySwapTooEarly
    do_swap_coldkey(ctx, who, new)


def do_dispute_coldkey_swap(ctx: Context, origin: Origin) -> None:
    who = ensure_signed(origin)
    if not st.ColdkeySwapAnnouncements.exists(ctx, who):
        raise errors.ColdkeySwapAnnouncementNotFound
    if st.ColdkeySwapDisputes.exists(ctx, who):
        raise errors.ColdkeySwapAlreadyDisputed
    st.ColdkeySwapDisputes.put(ctx, who, ctx.block_number)
    ctx.deposit_event(ColdkeySwapDisputed(who))


def do_reset_coldkey_swap(ctx: Context, origin: Origin, coldkey: bytes) -> None:
    ensure_root(origin)
    st.ColdkeySwapAnnouncements.kill(ctx, coldkey)
    st.ColdkeySwapDisputes.kill(ctx, coldkey)
    ctx.deposit_event(ColdkeySwapReset(coldkey))


def do_clear_coldkey_swap_announcement(ctx: Context, origin: Origin) -> None:
    who = ensure_signed(origin)
    announcement = st.ColdkeySwapAnnouncements.try_get(ctx, who)
    if announcement is None:
        raise errors.ColdkeySwapAnnouncementNotFound
    if ctx.block_number < announcement[0] + st.ColdkeySwapReannouncementDelay.get(ctx):
        raise errors.ColdkeySwapClearTooEarly
    st.ColdkeySwapAnnouncements.kill(ctx, who)
    ctx.deposit_event(ColdkeySwapCleared(who))


__all__ = [
    "ColdkeySwapUnsupported", "charge_swap_cost", "coldkey_hash", "do_announce_coldkey_swap",
    "do_clear_coldkey_swap_announcement", "do_dispute_coldkey_swap", "do_reset_coldkey_swap",
    "do_root_swap_coldkey", "do_swap_coldkey", "do_swap_coldkey_announced", "recycle_tao",
]
