"""Auto parent delegation: root validators childkeyed to subnet owners (node-subtensor's
``staking/auto_parent.rs``; call 135 of spec 461).

When a subnet is registered, every root validator that allows it (``AutoParentDelegationEnabled``,
default true) takes the new subnet's owner hotkey as its only child on that subnet, with the full
proportion; when a hotkey registers on root, it takes every existing subnet's owner as its child there.
The link is made at once (no cooldown, rate limit or stake minimum, as for a protocol action), through the
same relation checks as a user's request, and silently not at all if those fail. A validator that already
has children or a pending request on the subnet, or that is the owner itself, is left alone.
``set_auto_parent_delegation_enabled`` (in :mod:`.calls_extra`) lets a validator's coldkey opt out (or
back in); existing links stay.
"""

from __future__ import annotations

from runtime.pallets.subtensor import queries
from runtime.pallets.subtensor import storage as st
from runtime.pallets.subtensor.types import ROOT_NETUID
from runtime.support.context import Context

__all__ = ["set_root_validators_for_subnet", "set_subnet_owners_for_root_validator"]

FULL = (1 << 64) - 1  # the whole proportion, u64::MAX


def _apply(ctx: Context, parent: bytes, netuid: int, owner: bytes) -> None:
    if netuid == ROOT_NETUID or not st.NetworksAdded.get(ctx, netuid) or parent == owner:
        return
    if not st.AutoParentDelegationEnabled.get(ctx, parent):
        return
    if st.ChildKeys.get(ctx, parent, netuid) or st.PendingChildKeys.exists(ctx, netuid, parent):
        return  # the validator's own choice stands
    from runtime.pallets.subtensor import delegation  # child-key relations build on registration

    delegation.apply_children(ctx, netuid, parent, [(FULL, owner)])


def set_root_validators_for_subnet(ctx: Context, netuid: int) -> None:
    """On a new subnet: every root validator (in uid order) takes the owner hotkey as its child there.
    Nothing for root or a subnet without an owner hotkey (the reference logs that and goes on)."""
    if netuid == ROOT_NETUID or not st.NetworksAdded.get(ctx, netuid):
        return
    owner = st.SubnetOwnerHotkey.try_get(ctx, netuid)
    if owner is None:
        return
    validators = [hotkey for (_, _), hotkey in st.Keys.iter(ctx, ROOT_NETUID)]
    for parent in validators:
        _apply(ctx, parent, netuid, owner)


def set_subnet_owners_for_root_validator(ctx: Context, hotkey: bytes) -> None:
    """After a root registration: the validator takes every subnet's owner hotkey as its child there."""
    if not st.AutoParentDelegationEnabled.get(ctx, hotkey):
        return
    for netuid in queries.all_subnet_netuids(ctx):
        owner = st.SubnetOwnerHotkey.try_get(ctx, netuid)
        if owner is not None:
            _apply(ctx, hotkey, netuid, owner)
