"""Delegate takes, coldkey identities, child keys and childkey takes (node-subtensor's
``staking/{decrease_take,increase_take,set_children}.rs`` and ``utils/identity.rs`` at spec 425).

Takes (``Delegates[hotkey]``, a PerU16 share of 65535; absent means the 18 % default):

* both calls need the hotkey to exist (``HotKeyAccountNotExists``) and the signer to own it
  (``NonAssociatedColdKey``);
* ``decrease_take`` needs ``take`` strictly below the stored take (if one is stored) and at least
  ``MinDelegateTake`` (``DelegateTakeTooLow`` either way); it stamps the rate-limit block;
* ``increase_take`` needs ``take`` strictly above the stored take (``DelegateTakeTooLow``), at most
  ``MaxDelegateTake`` (``DelegateTakeTooHigh``), and more than ``TxDelegateTakeRateLimit`` blocks since the
  last take change (``DelegateTxRateLimitExceeded``; a stamp of 0 or a limit of 0 never blocks);
* the last change is stamped in ``LastRateLimitedBlock[LastTxBlockDelegateTake(hotkey)]``;
* before either body, node-subtensor's ``CheckDelegateTake`` dispatch guard checks the take bounds
  (``DelegateTakeTooLow``/``DelegateTakeTooHigh``) and then ownership, which decides the error when
  several apply (:func:`delegate_take_guard`; this runtime has no guard hook, so the calls run it).

Identities: ``set_identity`` stores ``IdentitiesV2[coldkey]`` when one of the coldkey's hotkeys is
registered somewhere (``HotKeyNotRegisteredInNetwork``) and the fields fit their length limits
(``InvalidIdentity``).

Child keys: ``set_children`` validates a parent's new child list and either applies it at once (the
subnet's subtoken is not enabled yet) or stores it in ``PendingChildKeys`` until
``now + PendingChildKeyCooldown``; :func:`do_set_pending_children` (part of the epoch step) applies due
requests. Applying writes ``ChildKeys[parent][netuid]`` (sorted by child account, as a BTreeMap
iterates) and keeps every child's ``ParentKeys`` in step. Rate limits are stamped in
``TransactionKeyLastBlock[(hotkey, netuid, tx_type)]`` (tx type 0: set_children, 150 blocks;
1: set_childkey_take, ``TxChildkeyTakeRateLimit``).
"""

from __future__ import annotations

from collections.abc import Sequence

from runtime.pallets.subtensor import accounts, queries, subnets
from runtime.pallets.subtensor import storage as st
from runtime.pallets.subtensor.errors import errors
from runtime.pallets.subtensor.events import (
    ChainIdentitySet, ChildKeyTakeSet, SetChildren, SetChildrenScheduled, TakeDecreased, TakeIncreased,
)
from runtime.pallets.subtensor.types import ROOT_NETUID
from runtime.support.context import Context
from runtime.support.dispatch import DispatchError, Origin, ensure_signed
from runtime.support.externalities import Externalities

U64_MAX = (1 << 64) - 1
U128_MAX = (1 << 128) - 1

TX_SET_CHILDREN = 0
TX_SET_CHILDKEY_TAKE = 1
SET_CHILDREN_RATE_LIMIT = 150
MAX_CHILDREN = 5

Children = list[tuple[int, bytes]]

# -- delegate takes -------------------------------------------------------------------------------------------


def _delegate_take_key(hotkey: bytes) -> tuple[str, bytes]:
    return ("LastTxBlockDelegateTake", hotkey)


def last_delegate_take_block(ext: Externalities, hotkey: bytes) -> int:
    return st.LastRateLimitedBlock.get(ext, _delegate_take_key(hotkey))  # type: ignore[no-any-return]


def exceeds_delegate_take_rate_limit(ext: Externalities, last: int, now: int) -> bool:
    limit = st.TxDelegateTakeRateLimit.get(ext)
    if limit == 0 or last == 0:
        return False
    return max(now - last, 0) <= limit


def take_checks(ext: Externalities, coldkey: bytes, hotkey: bytes) -> None:
    if not accounts.hotkey_account_exists(ext, hotkey):
        raise errors.HotKeyAccountNotExists
    if not accounts.coldkey_owns_hotkey(ext, coldkey, hotkey):
        raise errors.NonAssociatedColdKey


def delegate_take_guard(ext: Externalities, coldkey: bytes, hotkey: bytes, take: int) -> None:
    """node-subtensor's ``CheckDelegateTake`` dispatch guard, run before either take call's body for a
    signed origin: the take within ``[MinDelegateTake, MaxDelegateTake]``, then :func:`take_checks`."""
    if take < st.MinDelegateTake.get(ext):
        raise errors.DelegateTakeTooLow
    if take > st.MaxDelegateTake.get(ext):
        raise errors.DelegateTakeTooHigh
    take_checks(ext, coldkey, hotkey)


def do_decrease_take(ctx: Context, origin: Origin, hotkey: bytes, take: int) -> None:
    coldkey = ensure_signed(origin)
    delegate_take_guard(ctx, coldkey, hotkey, take)
    take_checks(ctx, coldkey, hotkey)
    current = st.Delegates.try_get(ctx, hotkey)
    if current is not None and take >= current:
        raise errors.DelegateTakeTooLow
    if take < st.MinDelegateTake.get(ctx):
        raise errors.DelegateTakeTooLow
    st.Delegates.put(ctx, hotkey, take)
    st.LastRateLimitedBlock.put(ctx, _delegate_take_key(hotkey), ctx.block_number)
    ctx.deposit_event(TakeDecreased(coldkey, hotkey, take))


def do_increase_take(ctx: Context, origin: Origin, hotkey: bytes, take: int) -> None:
    coldkey = ensure_signed(origin)
    delegate_take_guard(ctx, coldkey, hotkey, take)
    take_checks(ctx, coldkey, hotkey)
    current = st.Delegates.try_get(ctx, hotkey)
    if current is not None and take <= current:
        raise errors.DelegateTakeTooLow
    if take > st.MaxDelegateTake.get(ctx):
        raise errors.DelegateTakeTooHigh
    now = ctx.block_number
    if exceeds_delegate_take_rate_limit(ctx, last_delegate_take_block(ctx, hotkey), now):
        raise errors.DelegateTxRateLimitExceeded
    st.LastRateLimitedBlock.put(ctx, _delegate_take_key(hotkey), now)
    st.Delegates.put(ctx, hotkey, take)
    ctx.deposit_event(TakeIncreased(coldkey, hotkey, take))


# -- coldkey identity -----------------------------------------------------------------------------------------

IDENTITY_LIMITS = {"name": 256, "url": 256, "github_repo": 256, "image": 1024, "discord": 256, "description": 1024,
                   "additional": 1024}
IDENTITY_TOTAL_LIMIT = 256 + 256 + 256 + 1024 + 256 + 1024 + 1024
"""The reference sums every field but ``github_repo`` against this total (which no valid set of fields can
exceed anyway)."""


def is_valid_identity(identity: dict[str, bytes]) -> bool:
    total = sum(len(identity[name]) for name in IDENTITY_LIMITS if name != "github_repo")
    return total <= IDENTITY_TOTAL_LIMIT and all(len(identity[name]) <= limit
                                                 for name, limit in IDENTITY_LIMITS.items())


def is_hotkey_registered_on_any_network(ext: Externalities, hotkey: bytes) -> bool:
    return any(member for _, member in st.IsNetworkMember.iter(ext, hotkey))


def do_set_identity(ctx: Context, origin: Origin, identity: dict[str, bytes]) -> None:
    coldkey = ensure_signed(origin)
    if not any(is_hotkey_registered_on_any_network(ctx, hotkey) for hotkey in st.OwnedHotkeys.get(ctx, coldkey)):
        raise errors.HotKeyNotRegisteredInNetwork
    if not is_valid_identity(identity):
        raise errors.InvalidIdentity
    st.IdentitiesV2.put(ctx, coldkey, identity)
    ctx.deposit_event(ChainIdentitySet(coldkey))


# -- transaction-type rate limits -----------------------------------------------------------------------------


def _tx_last_block(ext: Externalities, hotkey: bytes, netuid: int, tx_type: int) -> int:
    return st.TransactionKeyLastBlock.get(ext, hotkey, netuid, tx_type)  # type: ignore[no-any-return]


def _tx_passes(ext: Externalities, hotkey: bytes, netuid: int, tx_type: int, limit: int, now: int) -> bool:
    last = _tx_last_block(ext, hotkey, netuid, tx_type)
    return last == 0 or max(now - last, 0) >= limit


# -- childkey take --------------------------------------------------------------------------------------------


def effective_min_childkey_take(ext: Externalities, netuid: int) -> int:
    return max(st.MinChildkeyTake.get(ext), st.MinChildkeyTakePerSubnet.get(ext, netuid))


def childkey_take(ext: Externalities, hotkey: bytes, netuid: int) -> int:
    """The take a child keeps: the stored one, raised to the effective minimum."""
    return max(st.ChildkeyTake.get(ext, hotkey, netuid), effective_min_childkey_take(ext, netuid))


def do_set_childkey_take(ctx: Context, origin: Origin, hotkey: bytes, netuid: int, take: int) -> None:
    """Only raising the take is rate-limited; any accepted change stamps the rate-limit block."""
    coldkey = ensure_signed(origin)
    if not accounts.coldkey_owns_hotkey(ctx, coldkey, hotkey):
        raise errors.NonAssociatedColdKey
    if not effective_min_childkey_take(ctx, netuid) <= take <= st.MaxChildkeyTake.get(ctx):
        raise errors.InvalidChildkeyTake
    now = ctx.block_number
    if take > childkey_take(ctx, hotkey, netuid) and not _tx_passes(
            ctx, hotkey, netuid, TX_SET_CHILDKEY_TAKE, st.TxChildkeyTakeRateLimit.get(ctx), now):
        raise errors.TxChildkeyTakeRateLimitExceeded
    st.TransactionKeyLastBlock.put(ctx, hotkey, netuid, TX_SET_CHILDKEY_TAKE, now)
    st.ChildkeyTake.put(ctx, hotkey, netuid, take)
    ctx.deposit_event(ChildKeyTakeSet(hotkey, take))


# -- child keys -----------------------------------------------------------------------------------------------


def total_stake_for_hotkey(ext: Externalities, hotkey: bytes) -> int:
    """TAO value of the hotkey's alpha over every subnet at the current prices (U64F64, truncated)."""
    total_bits = 0
    for netuid in queries.all_subnet_netuids(ext):
        alpha = st.TotalHotkeyAlpha.get(ext, hotkey, netuid)
        total_bits = min(total_bits + min(alpha * queries.current_alpha_price(ext, netuid), U128_MAX), U128_MAX)
    return min(total_bits >> 64, U64_MAX)


def _ensure_no_self_loop(pivot: bytes, keys: dict[bytes, int]) -> None:
    if pivot in keys:
        raise errors.InvalidChild


def _ensure_total_proportions(children: dict[bytes, int]) -> None:
    if sum(children.values()) > U64_MAX:
        raise errors.ProportionOverflow


def _ensure_separated(children: dict[bytes, int], parents: dict[bytes, int]) -> None:
    if any(child in parents for child in children):
        raise errors.ChildParentInconsistency


def _as_map(links: Sequence[tuple[int, bytes]], pivot: bytes) -> dict[bytes, int]:
    """account → proportion, the pivot left out, a repeated account keeping its last proportion."""
    result: dict[bytes, int] = {}
    for proportion, account in links:
        if account != pivot:
            result[account] = proportion
    return result


def _relations(ext: Externalities, pivot: bytes, children: dict[bytes, int], netuid: int
               ) -> tuple[dict[bytes, int], dict[bytes, int]]:
    """(children, parents) of ``pivot``, with the existing parents, checked as the reference links them."""
    _ensure_total_proportions(children)
    parents = _as_map(st.ParentKeys.get(ext, pivot, netuid), pivot)
    _ensure_separated(children, parents)
    return children, parents


def _ensure_pending_consistency(pivot: bytes, children: Children, parents: dict[bytes, int]) -> None:
    new_children = {account: proportion for proportion, account in children}
    _ensure_no_self_loop(pivot, new_children)
    if len(new_children) > MAX_CHILDREN:
        raise errors.TooManyChildren
    _ensure_total_proportions(new_children)
    _ensure_separated(new_children, parents)


def _put_links(ext: Externalities, item: object, account: bytes, netuid: int, links: Children) -> None:
    if links:
        item.put(ext, account, netuid, links)  # type: ignore[attr-defined]
    else:
        item.kill(ext, account, netuid)  # type: ignore[attr-defined]


def _upsert(links: Children, proportion: int, account: bytes) -> Children:
    if any(who == account for _, who in links):
        return [(proportion if who == account else p, who) for p, who in links]
    return [*links, (proportion, account)]


def _remove(links: Children, account: bytes) -> Children:
    return [(p, who) for p, who in links if who != account]


def persist_relations(ext: Externalities, pivot: bytes, netuid: int, children: dict[bytes, int],
                      parents: dict[bytes, int]) -> None:
    """Write ``pivot``'s children and parents and mirror each edge on the other side."""
    previous_children = {who for _, who in st.ChildKeys.get(ext, pivot, netuid)}
    _put_links(ext, st.ChildKeys, pivot, netuid, [(children[c], c) for c in sorted(children)])
    for child in sorted(children):
        links = _upsert(list(st.ParentKeys.get(ext, child, netuid)), children[child], pivot)
        _put_links(ext, st.ParentKeys, child, netuid, links)
    for child in sorted(previous_children - children.keys()):
        _put_links(ext, st.ParentKeys, child, netuid, _remove(list(st.ParentKeys.get(ext, child, netuid)), pivot))
    previous_parents = {who for _, who in st.ParentKeys.get(ext, pivot, netuid)}
    _put_links(ext, st.ParentKeys, pivot, netuid, [(parents[p], p) for p in sorted(parents)])
    for parent in sorted(parents):
        links = _upsert(list(st.ChildKeys.get(ext, parent, netuid)), parents[parent], pivot)
        _put_links(ext, st.ChildKeys, parent, netuid, links)
    for parent in sorted(previous_parents - parents.keys()):
        _put_links(ext, st.ChildKeys, parent, netuid, _remove(list(st.ChildKeys.get(ext, parent, netuid)), pivot))


def apply_children(ctx: Context, netuid: int, hotkey: bytes, children: Children) -> None:
    """Make ``children`` the hotkey's child list now, emitting ``SetChildren``; silently nothing if the
    relations no longer check out."""
    try:
        new_children, parents = _relations(ctx, hotkey, _as_map(children, hotkey), netuid)
    except DispatchError:  # a request that became inconsistent is dropped, as the reference does
        return
    persist_relations(ctx, hotkey, netuid, new_children, parents)
    ctx.deposit_event(SetChildren(hotkey, netuid, list(children)))


def do_schedule_children(ctx: Context, origin: Origin, hotkey: bytes, netuid: int, children: Children) -> None:
    coldkey = ensure_signed(origin)
    now = ctx.block_number
    if not _tx_passes(ctx, hotkey, netuid, TX_SET_CHILDREN, SET_CHILDREN_RATE_LIMIT, now):
        raise errors.TxRateLimitExceeded
    if netuid == ROOT_NETUID:
        raise errors.RegistrationNotPermittedOnRootSubnet
    if not subnets.subnet_exists(ctx, netuid):
        raise errors.SubnetNotExists
    if not accounts.coldkey_owns_hotkey(ctx, coldkey, hotkey):
        raise errors.NonAssociatedColdKey
    seen: set[bytes] = set()
    for _, child in children:
        if child in seen:
            raise errors.DuplicateChild
        seen.add(child)
    # The existing relations must themselves be consistent, then the request against them.
    existing_children = _as_map(st.ChildKeys.get(ctx, hotkey, netuid), hotkey)
    _ensure_total_proportions(existing_children)
    parents = _as_map(st.ParentKeys.get(ctx, hotkey, netuid), hotkey)
    _ensure_separated(existing_children, parents)
    _ensure_pending_consistency(hotkey, children, parents)
    if children and total_stake_for_hotkey(ctx, hotkey) < st.StakeThreshold.get(ctx) \
            and st.SubnetOwnerHotkey.try_get(ctx, netuid) != hotkey:
        raise errors.NotEnoughStakeToSetChildkeys
    st.TransactionKeyLastBlock.put(ctx, hotkey, netuid, TX_SET_CHILDREN, now)
    if not st.SubtokenEnabled.get(ctx, netuid):
        apply_children(ctx, netuid, hotkey, children)
        return
    cooldown_block = min(now + st.PendingChildKeyCooldown.get(ctx), U64_MAX)
    st.PendingChildKeys.put(ctx, netuid, hotkey, (list(children), cooldown_block))
    ctx.deposit_event(SetChildrenScheduled(hotkey, netuid, cooldown_block, list(children)))


def do_set_pending_children(ctx: Context, netuid: int) -> None:
    """Apply every pending request of ``netuid`` whose cooldown has passed (all of them while the subtoken
    is disabled), in storage-key order, and drop them."""
    now = ctx.block_number
    started = st.SubtokenEnabled.get(ctx, netuid)
    due = [(hotkey, children) for (_, hotkey), (children, cooldown) in st.PendingChildKeys.iter(ctx, netuid)
           if cooldown < now or not started]
    for hotkey, children in due:
        apply_children(ctx, netuid, hotkey, list(children))
    for hotkey, _ in due:
        st.PendingChildKeys.kill(ctx, netuid, hotkey)


__all__ = [
    "apply_children", "childkey_take", "delegate_take_guard", "do_decrease_take", "do_increase_take", "do_schedule_children",
    "do_set_childkey_take", "do_set_identity", "do_set_pending_children", "effective_min_childkey_take",
    "is_valid_identity", "persist_relations", "take_checks", "total_stake_for_hotkey",
]
