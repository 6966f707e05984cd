"""Neuron registration: the burned registration (``burned_register``, ``register``, ``register_limit``),
``root_register``, uid assignment and pruning, the per-uid vectors, and the burn price — node-subtensor's
``subnets/registration.rs``, ``subnets/uids.rs`` and ``coinbase/root.rs`` (root registration) at spec 425.

* A subnet registration pays ``Burn[netuid]``: the TAO goes to the subnet account and buys alpha on the
  pool (see :func:`subnets.swap_tao_for_alpha`), and that alpha is destroyed.
* The burn is multiplied by ``BurnIncreaseMult`` (U64F64, default 1.26) after each registration and
  decays per block with ``BurnHalfLife`` (Q32 factor); both are clamped to ``[MinBurn, MaxBurn]``.
  The per-block decay (:func:`update_registration_prices_for_networks`) belongs to ``on_initialize``,
  which is not wired in this pallet yet.
* Subnets enforce no per-block / per-interval registration cap any more; root does
  (``MaxRegistrationsPerBlock`` and three times ``TargetRegistrationsPerInterval``).
* A full subnet replaces the neuron :func:`neuron_to_prune` picks: the lowest emission (then earliest
  registration, then lowest uid) among non-immune, non-owner uids, falling back to immune ones when no
  more than ``MinNonImmuneUids`` non-immune uids remain.
"""

from __future__ import annotations

from runtime.pallets.subtensor import accounts, auto_parent, subnets
from runtime.pallets.subtensor import storage as st
from runtime.pallets.subtensor.errors import errors
from runtime.pallets.subtensor.events import (
    NeuronRegistered, RAORecycledForRegistrationSet,
)
from runtime.pallets.subtensor.types import ROOT_NETUID, storage_index
from runtime.support.context import Context
from runtime.support.dispatch import Origin, ensure_signed
from runtime.support.externalities import Externalities
from runtime.support.storage import StorageEntry

U16_MAX = 0xFFFF
U64_MAX = (1 << 64) - 1
Q32_ONE = 1 << 32

# -- per-uid vectors ------------------------------------------------------------------------------------------


def _mechanism_indices(ext: Externalities, netuid: int) -> list[int]:
    return [storage_index(netuid, mechid) for mechid in range(st.MechanismCountCurrent.get(ext, netuid))]


def set_last_update_for_uid(ext: Externalities, index: int, uid: int, block: int) -> None:
    """``LastUpdate[index][uid] = block``, the vector first padded with zeros to ``SubnetworkN``."""
    netuid = index % 4096
    values = list(st.LastUpdate.get(ext, index))
    values += [0] * (st.SubnetworkN.get(ext, netuid) - len(values))
    if uid < len(values):
        values[uid] = block
        st.LastUpdate.put(ext, index, values)


def _set_element(ext: Externalities, item: StorageEntry, key: int, uid: int, value: object) -> None:
    """``item[key][uid] = value`` if the vector is long enough; the vector is written back either way."""
    values = list(item.get(ext, key))
    if uid < len(values):
        values[uid] = value
    item.put(ext, key, values)


def append_neuron(ext: Externalities, netuid: int, hotkey: bytes, block: int) -> int:
    """Add ``hotkey`` as the next uid (``SubnetworkN``), growing every per-uid vector; the uid."""
    uid = st.SubnetworkN.get(ext, netuid)
    st.SubnetworkN.put(ext, netuid, min(uid + 1, U16_MAX))
    st.Active.append(ext, netuid, True)
    st.Emission.append(ext, netuid, 0)
    st.Consensus.append(ext, netuid, 0)
    for index in _mechanism_indices(ext, netuid):
        st.Incentive.append(ext, index, 0)
        set_last_update_for_uid(ext, index, uid, block)
    st.Dividends.append(ext, netuid, 0)
    st.ValidatorTrust.append(ext, netuid, 0)
    st.ValidatorPermit.append(ext, netuid, False)
    st.Keys.put(ext, netuid, uid, hotkey)
    st.Uids.put(ext, netuid, hotkey, uid)
    st.BlockAtRegistration.put(ext, netuid, uid, block)
    st.IsNetworkMember.put(ext, hotkey, netuid, True)
    return uid


def clear_neuron(ext: Externalities, netuid: int, uid: int) -> None:
    """Zero the uid's consensus outputs and drop its weights and bonds (and weights pointing at it)."""
    _set_element(ext, st.Emission, netuid, uid, 0)
    _set_element(ext, st.Consensus, netuid, uid, 0)
    for index in _mechanism_indices(ext, netuid):
        _set_element(ext, st.Incentive, index, uid, 0)
        st.Bonds.kill(ext, index, uid)
        st.Weights.kill(ext, index, uid)
        for _, row_uid in list(st.Weights.iter_keys(ext, index)):
            row = st.Weights.get(ext, index, row_uid)
            st.Weights.put(ext, index, row_uid, [(dest, 0 if dest == uid else w) for dest, w in row])
    _set_element(ext, st.Dividends, netuid, uid, 0)
    _set_element(ext, st.StakeWeight, netuid, uid, 0)
    _set_element(ext, st.ValidatorTrust, netuid, uid, 0)
    _set_element(ext, st.ValidatorPermit, netuid, uid, False)


def replace_neuron(ext: Externalities, netuid: int, uid: int, hotkey: bytes, block: int) -> None:
    """Give ``uid`` to ``hotkey``; the subnet owner's hotkey is never replaced (silently kept)."""
    old = st.Keys.get(ext, netuid, uid)
    owner_hotkey = st.SubnetOwnerHotkey.try_get(ext, netuid)
    if owner_hotkey is not None and owner_hotkey == old:
        return
    st.Uids.kill(ext, netuid, old)
    st.AssociatedEvmAddress.kill(ext, netuid, uid)
    st.IsNetworkMember.kill(ext, old, netuid)
    st.Keys.kill(ext, netuid, uid)
    active = list(st.Active.get(ext, netuid))
    if uid < len(active):
        active[uid] = True
        st.Active.put(ext, netuid, active)
    st.Keys.put(ext, netuid, uid, hotkey)
    st.Uids.put(ext, netuid, hotkey, uid)
    st.BlockAtRegistration.put(ext, netuid, uid, block)
    st.IsNetworkMember.put(ext, hotkey, netuid, True)
    st.Axons.kill(ext, netuid, old)
    st.NeuronCertificates.kill(ext, netuid, old)
    st.Prometheus.kill(ext, netuid, old)
    clear_neuron(ext, netuid, uid)
    for index in _mechanism_indices(ext, netuid):
        set_last_update_for_uid(ext, index, uid, block)


# -- pruning --------------------------------------------------------------------------------------------------


def immune_owner_uids(ext: Externalities, netuid: int, coldkey: bytes) -> list[tuple[int, bytes]]:
    """(uid, hotkey) of the owner's "immortal" neurons.

    The owner coldkey's registered hotkeys, earliest registration first (then lowest uid), at most
    ``ImmuneOwnerUidsLimit`` of them; the subnet owner hotkey is put first if missing, within the limit.
    """
    triples = []
    for hotkey in st.OwnedHotkeys.get(ext, coldkey):
        uid = st.Uids.get(ext, netuid, hotkey)
        if uid is not None:
            triples.append((st.BlockAtRegistration.get(ext, netuid, uid), uid, hotkey))
    triples.sort(key=lambda t: (t[0], t[1]))
    limit = st.ImmuneOwnerUidsLimit.get(ext, netuid)
    immune = [(uid, hotkey) for _, uid, hotkey in triples[:limit]]
    owner_hotkey = st.SubnetOwnerHotkey.try_get(ext, netuid)
    if owner_hotkey is not None:
        owner_uid = st.Uids.get(ext, netuid, owner_hotkey)
        if owner_uid is not None and (owner_uid, owner_hotkey) not in immune:
            immune = [(owner_uid, owner_hotkey), *immune][:limit]
    return immune


def neuron_is_immune(ext: Externalities, netuid: int, uid: int, now: int) -> bool:
    registered = st.BlockAtRegistration.get(ext, netuid, uid)
    return max(now - registered, 0) < st.ImmunityPeriod.get(ext, netuid)


def neuron_to_prune(ext: Externalities, netuid: int, now: int) -> int | None:
    """The uid a full subnet gives to a newcomer, or None (see the module docstring)."""
    n = st.SubnetworkN.get(ext, netuid)
    if n == 0:
        return None
    immortal = {hotkey for _, hotkey in immune_owner_uids(ext, netuid, st.SubnetOwner.get(ext, netuid))}
    emissions = st.Emission.get(ext, netuid)
    free_count = 0
    best_free: tuple[int, int, int] | None = None
    best_immune: tuple[int, int, int] | None = None
    for uid in range(n):
        hotkey = st.Keys.try_get(ext, netuid, uid)
        if hotkey is None or hotkey in immortal:
            continue
        candidate = (emissions[uid] if uid < len(emissions) else 0, st.BlockAtRegistration.get(ext, netuid, uid), uid)
        if neuron_is_immune(ext, netuid, uid, now):
            best_immune = candidate if best_immune is None else min(best_immune, candidate)
        else:
            free_count += 1
            best_free = candidate if best_free is None else min(best_free, candidate)
    if best_free is not None and free_count > st.MinNonImmuneUids.get(ext, netuid):
        return best_free[2]
    return None if best_immune is None else best_immune[2]


def register_neuron(ctx: Context, netuid: int, hotkey: bytes) -> int:
    """Append when there is room, else replace the pruning candidate; the uid."""
    now = ctx.block_number
    if st.SubnetworkN.get(ctx, netuid) < st.MaxAllowedUids.get(ctx, netuid):
        return append_neuron(ctx, netuid, hotkey, now)
    uid = neuron_to_prune(ctx, netuid, now)
    if uid is None:
        raise errors.NoNeuronIdAvailable
    replace_neuron(ctx, netuid, uid, hotkey, now)
    return uid


# -- burn price -----------------------------------------------------------------------------------------------


def _clamp_burn(ext: Externalities, netuid: int, burn: int) -> int:
    burn = max(burn, st.MinBurn.get(ext, netuid))
    return min(burn, st.MaxBurn.get(ext, netuid))


def bump_registration_price(ext: Externalities, netuid: int) -> None:
    """``Burn = clamp(floor(Burn × max(1, BurnIncreaseMult)))`` (U64F64, truncating); root is exempt."""
    if netuid == ROOT_NETUID:
        return
    mult_bits = max(st.BurnIncreaseMult.get(ext, netuid).bits, 1 << 64)
    product = st.Burn.get(ext, netuid) * mult_bits  # U64F64 of an integer times U64F64: bits × int
    st.Burn.put(ext, netuid, _clamp_burn(ext, netuid, min(product >> 64, U64_MAX)))


def mul_by_q32(value: int, factor_q32: int) -> int:
    return min((value * factor_q32) >> 32, U64_MAX)


def pow_q32(base_q32: int, exp: int) -> int:
    """``base ^ exp`` in Q32 by squaring, each product truncated (``pow_q32``)."""
    result, factor = Q32_ONE, base_q32
    while exp > 0:
        if exp & 1:
            result = mul_by_q32(result, factor)
        exp >>= 1
        if exp > 0:
            factor = mul_by_q32(factor, factor)
    return result


def decay_factor_q32(half_life: int) -> int:
    """The largest Q32 ``f`` with ``f ^ half_life ≤ 0.5`` (binary search, as the reference)."""
    if half_life == 0:
        return Q32_ONE
    lo, hi = 0, Q32_ONE
    while lo + 1 < hi:
        mid = lo + ((hi - lo) >> 1)
        if pow_q32(mid, half_life) > Q32_ONE >> 1:
            hi = mid
        else:
            lo = mid
    return lo


def update_registration_prices_for_networks(ctx: Context, root_epoch_runs: bool) -> None:
    """The per-block burn step of ``on_initialize``: decay every subnet's burn, reset the block counters.

    ``root_epoch_runs`` says whether the root subnet runs its epoch this block (its interval counter is
    reset then); the caller (the block step) knows the epoch schedule.
    """
    now = ctx.block_number
    for (netuid,), _ in list(st.NetworksAdded.iter(ctx)):
        burn = st.Burn.get(ctx, netuid)
        new_burn = burn
        half_life = st.BurnHalfLife.get(ctx, netuid)
        if half_life > 0 and now > 1:
            new_burn = mul_by_q32(burn, decay_factor_q32(half_life))
        new_burn = _clamp_burn(ctx, netuid, new_burn)
        if new_burn != burn:
            st.Burn.put(ctx, netuid, new_burn)
        st.RegistrationsThisBlock.put(ctx, netuid, 0)
        if netuid == ROOT_NETUID and root_epoch_runs:
            st.RegistrationsThisInterval.put(ctx, netuid, 0)


# -- calls ----------------------------------------------------------------------------------------------------


def do_register(ctx: Context, origin: Origin, netuid: int, hotkey: bytes) -> int:
    """The burned registration of ``hotkey`` on ``netuid``, paid by the signing coldkey; the uid."""
    coldkey = ensure_signed(origin)
    if netuid == ROOT_NETUID:
        raise errors.RegistrationNotPermittedOnRootSubnet
    if not subnets.subnet_exists(ctx, netuid):
        raise errors.SubnetNotExists
    if not st.NetworkRegistrationAllowed.get(ctx, netuid):
        raise errors.SubNetRegistrationDisabled
    if st.Uids.exists(ctx, netuid, hotkey):
        raise errors.HotKeyAlreadyRegisteredInSubNet
    cost = st.Burn.get(ctx, netuid)
    if not subnets.can_remove_balance(ctx, coldkey, cost):
        raise errors.NotEnoughBalanceToStake
    accounts.create_account_if_non_existent(ctx, coldkey, hotkey)
    if not accounts.coldkey_owns_hotkey(ctx, coldkey, hotkey):
        raise errors.NonAssociatedColdKey
    max_uids = st.MaxAllowedUids.get(ctx, netuid)
    if max_uids == 0:
        raise errors.NoNeuronIdAvailable
    if st.SubnetworkN.get(ctx, netuid) >= max_uids and neuron_to_prune(ctx, netuid, ctx.block_number) is None:
        raise errors.NoNeuronIdAvailable

    paid = subnets.transfer_tao_to_subnet(ctx, netuid, coldkey, cost)
    burned_alpha = subnets.swap_tao_for_alpha(ctx, netuid, paid)
    st.SubnetAlphaOut.put(ctx, netuid, max(st.SubnetAlphaOut.get(ctx, netuid) - burned_alpha, 0))

    uid = register_neuron(ctx, netuid, hotkey)
    bump_registration_price(ctx, netuid)
    st.RegistrationsThisBlock.put(ctx, netuid, min(st.RegistrationsThisBlock.get(ctx, netuid) + 1, U16_MAX))
    recycled = min(st.RAORecycledForRegistration.get(ctx, netuid) + cost, U64_MAX)
    st.RAORecycledForRegistration.put(ctx, netuid, recycled)
    ctx.deposit_event(RAORecycledForRegistrationSet(netuid, recycled))
    subnets.record_tao_inflow(ctx, netuid, paid)
    ctx.deposit_event(NeuronRegistered(netuid, uid, hotkey))
    return uid


def do_register_limit(ctx: Context, origin: Origin, netuid: int, hotkey: bytes, limit_price: int) -> int:
    """``do_register`` if the current burn does not exceed ``limit_price``."""
    ensure_signed(origin)
    if netuid == ROOT_NETUID:
        raise errors.RegistrationNotPermittedOnRootSubnet
    if not subnets.subnet_exists(ctx, netuid):
        raise errors.SubnetNotExists
    if st.Burn.get(ctx, netuid) > limit_price:
        raise errors.RegistrationPriceLimitExceeded
    return do_register(ctx, origin, netuid, hotkey)


def do_root_register(ctx: Context, origin: Origin, hotkey: bytes) -> int:
    """Join the root subnet (no burn); when full, displace the member with the least root stake."""
    root = ROOT_NETUID
    now = ctx.block_number
    if not subnets.subnet_exists(ctx, root):
        raise errors.RootNetworkDoesNotExist
    coldkey = ensure_signed(origin)
    if st.RegistrationsThisBlock.get(ctx, root) >= st.MaxRegistrationsPerBlock.get(ctx, root):
        raise errors.TooManyRegistrationsThisBlock
    if st.RegistrationsThisInterval.get(ctx, root) >= min(st.TargetRegistrationsPerInterval.get(ctx, root) * 3,
                                                          U16_MAX):
        raise errors.TooManyRegistrationsThisInterval
    if st.Uids.exists(ctx, root, hotkey):
        raise errors.HotKeyAlreadyRegisteredInSubNet
    accounts.create_account_if_non_existent(ctx, coldkey, hotkey)

    members = st.SubnetworkN.get(ctx, root)
    if members < st.MaxAllowedUids.get(ctx, root):
        uid = append_neuron(ctx, root, hotkey, now)
    else:
        lowest_stake, uid = U64_MAX, 0
        for (_, member_uid), member in st.Keys.iter(ctx, root):
            stake = st.TotalHotkeyAlpha.get(ctx, member, root)
            if stake < lowest_stake:
                lowest_stake, uid = stake, member_uid
        if st.Keys.try_get(ctx, root, uid) is None:
            raise errors.HotKeyNotRegisteredInSubNet
        if not lowest_stake < st.TotalHotkeyAlpha.get(ctx, hotkey, root):
            raise errors.StakeTooLowForRoot
        replace_neuron(ctx, root, uid, hotkey, now)

    if not accounts.hotkey_is_delegate(ctx, hotkey):
        accounts.delegate_hotkey(ctx, hotkey, accounts.DEFAULT_DELEGATE_TAKE)
    st.RegistrationsThisInterval.put(ctx, root, min(st.RegistrationsThisInterval.get(ctx, root) + 1, U16_MAX))
    st.RegistrationsThisBlock.put(ctx, root, min(st.RegistrationsThisBlock.get(ctx, root) + 1, U16_MAX))
    ctx.deposit_event(NeuronRegistered(root, uid, hotkey))
    auto_parent.set_subnet_owners_for_root_validator(ctx, hotkey)
    return uid


__all__ = [
    "append_neuron", "bump_registration_price", "clear_neuron", "decay_factor_q32", "do_register",
    "do_register_limit", "do_root_register", "immune_owner_uids", "mul_by_q32", "neuron_is_immune",
    "neuron_to_prune", "pow_q32", "register_neuron", "replace_neuron", "set_last_update_for_uid",
    "update_registration_prices_for_networks",
]
