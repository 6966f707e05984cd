"""SubtensorModule hotkey swap (``swap/swap_hotkey.rs`` of node-subtensor, re-stated here).

A coldkey replaces one of its hotkeys by a fresh one, either everywhere (``netuid = None``; costs
``KeySwapCost``, guarded by the coldkey's ``TxRateLimit``) or on one subnet (costs
``KeySwapOnSubnetCost``, guarded by ``HotkeySwapOnSubnetInterval`` per coldkey and subnet). The
cost is withdrawn best-effort while keeping the coldkey alive and recycled (it leaves both the
balances issuance and the subtensor ``TotalIssuance``).

Moved on every affected subnet: membership, uid/key, axon, prometheus, certificate, weight commits,
loaded emission, child/parent/pending-children links, auto-stake destinations, the subnet owner
hotkey, last-epoch alpha, alpha dividends, voting power and every coldkey's stake (through the share
pools). On the all-subnets path the owner, the coldkey's owned hotkeys, the delegate take, the
per-hotkey rate-limit stamps and the stakers' ``StakingHotkeys`` lists move too; the per-subnet
path keeps the old hotkey owned (the reference leaves it so) and adds the new one.

``swap_hotkey_v2`` adds ``keep_stake``: the alpha positions (and the per-hotkey dividend, last-epoch
alpha and voting-power records that go with them) stay on the old hotkey, which therefore stays owned
by the coldkey; everything else moves. It is refused while the old hotkey has miner collateral
(``KeepStakeBlockedByCollateral``), since the bond would be split from its uid.

Not modelled: the legacy ``RootClaimable``/``RootClaimed`` watermarks and conviction locks
(no call in this runtime creates them).
"""

from __future__ import annotations

from runtime.pallets import balances
from runtime.pallets.subtensor import accounts, staking, voting_power
from runtime.pallets.subtensor import storage as st
from runtime.pallets.subtensor.constants import CONSTANTS
from runtime.pallets.subtensor.delegation import is_hotkey_registered_on_any_network
from runtime.pallets.subtensor.errors import errors
from runtime.pallets.subtensor.events import HotkeySwapped, HotkeySwappedOnSubnet
from runtime.pallets.subtensor.queries import all_subnet_netuids
from runtime.pallets.subtensor.types import storage_index
from runtime.support.context import Context
from runtime.support.dispatch import DispatchError, Origin, ensure_signed
from runtime.support.externalities import Externalities


def _constant(name: str) -> int:
    return next(c for c in CONSTANTS if c.name == name).value  # type: ignore[no-any-return]


KEY_SWAP_COST = _constant("KeySwapCost")
KEY_SWAP_ON_SUBNET_COST = _constant("KeySwapOnSubnetCost")
HOTKEY_SWAP_ON_SUBNET_INTERVAL = _constant("HotkeySwapOnSubnetInterval")


def exceeds_tx_rate_limit(ext: Externalities, last: int, now: int) -> bool:
    """A limit of 0 or a never-set stamp never blocks; otherwise ``now - last <= TxRateLimit`` does."""
    limit = st.TxRateLimit.get(ext)
    if limit == 0 or last == 0:
        return False
    return max(now - last, 0) <= limit


def _charge(ctx: Context, coldkey: bytes, cost: int) -> None:
    """Check the coldkey can pay ``cost``, take it (keeping the account alive) and recycle it."""
    if cost > balances.reducible_balance(ctx, coldkey, balances.EXPENDABLE):
        raise errors.NotEnoughBalanceToPaySwapHotKey
    if cost == 0:
        return
    try:
        taken = balances.balanced_withdraw(ctx, coldkey, cost, exact=False, preservation=balances.PRESERVE)
    except DispatchError as exc:  # any withdrawal failure is the pallet's own error
        raise errors.BalanceWithdrawalError from exc
    if taken == 0:
        raise errors.ZeroBalanceAfterWithdrawn
    balances.burn_credit(ctx, taken)
    st.TotalIssuance.put(ctx, max(st.TotalIssuance.get(ctx) - taken, 0))


def _move(ext: Externalities, item: object, old_keys: tuple[object, ...], new_keys: tuple[object, ...]) -> None:
    """Move a present entry of ``item`` from ``old_keys`` to ``new_keys`` (nothing when absent)."""
    value = item.try_get(ext, *old_keys)  # type: ignore[attr-defined]
    if value is not None:
        item.kill(ext, *old_keys)  # type: ignore[attr-defined]
        item.put(ext, *new_keys, value)  # type: ignore[attr-defined]


def _relink(links: list[tuple[int, bytes]], old: bytes, new: bytes) -> list[tuple[int, bytes]]:
    return [(proportion, new if account == old else account) for proportion, account in links]


def _swap_parent_child(ext: Externalities, old: bytes, new: bytes, netuid: int) -> None:
    """Rebind every child/parent link (both directions) and pending children from ``old`` to ``new``."""
    children = st.ChildKeys.get(ext, old, netuid)
    parents = st.ParentKeys.get(ext, old, netuid)
    for _, child in children:
        st.ParentKeys.put(ext, child, netuid, _relink(st.ParentKeys.get(ext, child, netuid), old, new))
    for _, parent in parents:
        st.ChildKeys.put(ext, parent, netuid, _relink(st.ChildKeys.get(ext, parent, netuid), old, new))
    st.ChildKeys.kill(ext, old, netuid)
    st.ParentKeys.kill(ext, old, netuid)
    if children:
        st.ChildKeys.put(ext, new, netuid, children)
    if parents:
        st.ParentKeys.put(ext, new, netuid, parents)
    _move(ext, st.PendingChildKeys, (netuid, old), (netuid, new))
    # Other hotkeys' pending requests naming the old hotkey as a child: the entry moves to the end.
    for (_, hotkey), (pending, cooldown) in list(st.PendingChildKeys.iter(ext, netuid)):
        at = next((i for i, (_, child) in enumerate(pending) if child == old), None)
        if at is not None:
            proportion = pending[at][0]
            rest = [link for i, link in enumerate(pending) if i != at]
            st.PendingChildKeys.put(ext, netuid, hotkey, ([*rest, (proportion, new)], cooldown))


def _record_lineage(ext: Externalities, netuid: int, old: bytes, new: bytes) -> None:
    """``new`` succeeds ``old`` on ``netuid`` and inherits its lineage root; ``new`` is the tip."""
    root = st.HotkeyRoot.try_get(ext, netuid, old)
    st.HotkeySuccessor.kill(ext, netuid, new)
    st.HotkeySuccessor.put(ext, netuid, old, new)
    st.HotkeyRoot.put(ext, netuid, new, old if root is None else root)


def _move_stake(ext: Externalities, old: bytes, new: bytes, netuid: int) -> None:
    """Every coldkey's alpha through ``old`` on ``netuid`` moves to ``new`` (share pools included)."""
    coldkeys = sorted({cold for (_, cold, n), _ in st.Alpha.iter(ext, old) if n == netuid}
                      | {cold for (_, cold, n), _ in st.AlphaV2.iter(ext, old) if n == netuid})
    for coldkey in coldkeys:
        amount = staking.stake_of(ext, old, coldkey, netuid)
        staking.decrease_stake(ext, old, coldkey, netuid, amount)
        staking.increase_stake(ext, new, coldkey, netuid, amount)
        hotkeys = st.StakingHotkeys.get(ext, coldkey)
        if old in hotkeys and new not in hotkeys:
            st.StakingHotkeys.put(ext, coldkey, [*hotkeys, new])


def swap_on_one_subnet(ext: Externalities, old: bytes, new: bytes, netuid: int, keep_stake: bool = False) -> None:
    """The per-subnet part shared by both paths; ``keep_stake`` leaves stake records on ``old``."""
    member = st.IsNetworkMember.get(ext, old, netuid)
    st.IsNetworkMember.kill(ext, old, netuid)
    st.IsNetworkMember.put(ext, new, netuid, member)
    if member:
        uid = st.Uids.try_get(ext, netuid, old)
        if uid is not None:
            st.Uids.kill(ext, netuid, old)
            st.Uids.put(ext, netuid, new, uid)
            st.Keys.put(ext, netuid, uid, new)
        _move(ext, st.Prometheus, (netuid, old), (netuid, new))
        _move(ext, st.Axons, (netuid, old), (netuid, new))
        for mechid in range(st.MechanismCountCurrent.get(ext, netuid)):
            index = storage_index(netuid, mechid)
            _move(ext, st.WeightCommits, (index, old), (index, new))
        loaded = st.LoadedEmission.try_get(ext, netuid)
        if loaded is not None:
            st.LoadedEmission.put(ext, netuid, [(new if hk == old else hk, *rest) for hk, *rest in loaded])
        _move(ext, st.NeuronCertificates, (netuid, old), (netuid, new))
        _record_lineage(ext, netuid, old, new)

    _swap_parent_child(ext, old, new, netuid)

    auto_coldkeys = st.AutoStakeDestinationColdkeys.try_get(ext, old, netuid)
    if auto_coldkeys is not None:
        for coldkey in auto_coldkeys:
            st.AutoStakeDestination.put(ext, coldkey, netuid, new)
        st.AutoStakeDestinationColdkeys.kill(ext, old, netuid)
        st.AutoStakeDestinationColdkeys.put(ext, new, netuid, auto_coldkeys)

    if st.SubnetOwnerHotkey.exists(ext, netuid) and st.SubnetOwnerHotkey.get(ext, netuid) == old:
        st.SubnetOwnerHotkey.put(ext, netuid, new)

    if keep_stake:
        return
    last_epoch = st.TotalHotkeyAlphaLastEpoch.take(ext, old, netuid)
    st.TotalHotkeyAlphaLastEpoch.put(ext, new, netuid, last_epoch + st.TotalHotkeyAlphaLastEpoch.get(ext, new, netuid))
    dividends = st.AlphaDividendsPerSubnet.take(ext, netuid, old)
    st.AlphaDividendsPerSubnet.put(ext, netuid, new, dividends + st.AlphaDividendsPerSubnet.get(ext, netuid, new))
    voting_power.swap_voting_power_for_hotkey(ext, old, new, netuid)

    _move_stake(ext, old, new, netuid)


def _swap_on_all_subnets(ext: Externalities, coldkey: bytes, old: bytes, new: bytes, keep_stake: bool) -> None:
    staked_by: list[bytes] = []
    if not keep_stake:
        staked_by = [cold for (_, cold, _), _ in st.Alpha.iter(ext, old)]
        staked_by += [cold for (_, cold, _), _ in st.AlphaV2.iter(ext, old)]

    # Retained stake still needs the old hotkey's owner, so keep_stake leaves it owned.
    if not keep_stake:
        st.Owner.kill(ext, old)
    st.Owner.put(ext, new, coldkey)
    owned = st.OwnedHotkeys.get(ext, coldkey)
    if new not in owned:
        owned = [*owned, new]
    st.OwnedHotkeys.put(ext, coldkey, owned if keep_stake else [hk for hk in owned if hk != old])

    for netuid in all_subnet_netuids(ext):
        swap_on_one_subnet(ext, old, new, netuid, keep_stake)

    st.LastTxBlock.kill(ext, old)
    st.LastTxBlockDelegateTake.kill(ext, old)
    st.LastTxBlockChildKeyTake.kill(ext, old)
    _move(ext, st.Delegates, (old,), (new,))

    for staker in dict.fromkeys(staked_by):
        hotkeys = st.StakingHotkeys.get(ext, staker)
        if old in hotkeys:
            kept = [hk for hk in hotkeys if hk not in (old, new)]
            st.StakingHotkeys.put(ext, staker, [*kept, new])


def _swap_on_subnet(ctx: Context, coldkey: bytes, old: bytes, new: bytes, netuid: int, keep_stake: bool) -> None:
    now = ctx.block_number
    if not st.LastHotkeySwapOnNetuid.get(ctx, netuid, coldkey) + HOTKEY_SWAP_ON_SUBNET_INTERVAL < now:
        raise errors.HotKeySwapOnSubnetIntervalNotPassed
    if st.Uids.exists(ctx, netuid, new):
        raise errors.HotKeyAlreadyRegisteredInSubNet
    _charge(ctx, coldkey, KEY_SWAP_ON_SUBNET_COST)
    st.Owner.put(ctx, new, coldkey)
    owned = st.OwnedHotkeys.get(ctx, coldkey)
    if new not in owned:
        st.OwnedHotkeys.put(ctx, coldkey, [*owned, new])
    swap_on_one_subnet(ctx, old, new, netuid, keep_stake)
    st.LastTxBlock.put(ctx, coldkey, now)
    st.LastHotkeySwapOnNetuid.put(ctx, netuid, coldkey, now)
    ctx.deposit_event(HotkeySwappedOnSubnet(coldkey, old, new, netuid))


def _has_miner_collateral(ext: Externalities, hotkey: bytes, coldkey: bytes, netuid: int | None) -> bool:
    netuids = all_subnet_netuids(ext) if netuid is None else [netuid]
    return any(st.MinerCollateral.exists(ext, n, hotkey, coldkey) for n in netuids)


def do_swap_hotkey(ctx: Context, origin: Origin, old: bytes, new: bytes, netuid: int | None,
                   keep_stake: bool = False) -> None:
    """``do_swap_hotkey(origin, old, new, netuid, keep_stake)``."""
    coldkey = ensure_signed(origin)
    if not accounts.coldkey_owns_hotkey(ctx, coldkey, old):
        raise errors.NonAssociatedColdKey
    if old == new:
        raise errors.NewHotKeyIsSameWithOld
    if keep_stake and _has_miner_collateral(ctx, old, coldkey, netuid):
        raise errors.KeepStakeBlockedByCollateral
    now = ctx.block_number
    if exceeds_tx_rate_limit(ctx, st.LastTxBlock.get(ctx, coldkey), now):
        raise errors.HotKeySetTxRateLimitExceeded
    registered = (st.Uids.exists(ctx, netuid, new) if netuid is not None
                  else is_hotkey_registered_on_any_network(ctx, new))
    if registered:
        raise errors.HotKeyAlreadyRegisteredInSubNet

    # The hotkey's own rate-limit stamps are copied to the new key on both paths.
    st.LastTxBlock.put(ctx, new, st.LastTxBlock.get(ctx, old))
    st.LastTxBlockDelegateTake.put(ctx, new, st.LastTxBlockDelegateTake.get(ctx, old))
    st.LastTxBlockChildKeyTake.put(ctx, new, st.LastTxBlockChildKeyTake.get(ctx, old))

    if netuid is not None:
        _swap_on_subnet(ctx, coldkey, old, new, netuid, keep_stake)
        return

    _charge(ctx, coldkey, KEY_SWAP_COST)
    _swap_on_all_subnets(ctx, coldkey, old, new, keep_stake)
    st.LastTxBlock.put(ctx, coldkey, now)
    ctx.deposit_event(HotkeySwapped(coldkey, old, new))


__all__ = ["do_swap_hotkey", "exceeds_tx_rate_limit", "swap_on_one_subnet"]
