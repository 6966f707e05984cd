"""What a firing epoch pays out: node-subtensor's ``distribute_emission`` and its helpers in
``coinbase/run_coinbase.rs`` at HEAD (spec ``yuma-epoch-and-emission.md`` §4.6), plus the alpha
recycling and root-claimable bookkeeping they call (``coinbase/alpha.rs``, ``staking/claim_root.rs``).

1. The epoch runs on ``server + validator + root`` pending alpha (the owner cut is not fed to it).
2. If nobody earned incentive, validators also take the miners' half.
3. Each hotkey's validator emission is split with its parents by stake contribution
   (:func:`get_parent_child_dividends_distribution`): a parent with another coldkey pays ``CKBurn``
   (recycled) and the childkey take (kept by the child).
4. Each dividend recipient's amount is split into an alpha part and a root part by its stake mix
   (``α`` vs ``τ·TaoWeight``); the validator alpha and the root alpha are then shared pro rata.
5. Payouts: the owner cut is staked to (owner hotkey, owner coldkey); incentive to a hotkey of the
   owner's coldkey (or the owner hotkey) is burned or recycled per ``RecycleOrBurn`` and counted in
   ``MinerBurned``; other incentive is staked to (``AutoStakeDestination`` or the hotkey, its owner);
   alpha dividends pay the delegate take to the hotkey's owner and the rest to all nominators
   (``AlphaDividendsPerSubnet``); root alpha dividends pay the take the same way and the rest becomes
   ``RootClaimable`` for root stakers (``RootAlphaDividendsPerSubnet``).

Amounts are ``U96F32`` bits until they are floored to u64 alpha at a payout. Every map is walked in
ascending key order (the reference's ``BTreeMap``). Not modelled: subnet leases (no call here creates
one) and the owner-cut auto-lock (stake locks are not part of this runtime); the ``AlphaAssets`` side of
burning and recycling is skipped, only ``SubnetAlphaOut`` moves.
"""

from __future__ import annotations

from typing import Any

from runtime.pallets.subtensor import storage as st
from runtime.pallets.subtensor.coinbase_fixed import (
    U64_MAX, U128_MAX, u_checked_div, u_from_int, u_mul, u_safe_div, u_sub, u_to_u64,
)
from runtime.pallets.subtensor.delegation import childkey_take
from runtime.pallets.subtensor.events import AutoStakeAdded
from runtime.pallets.subtensor.run_epoch import run_epoch
from runtime.pallets.subtensor.share_pool import get_u64, key_h, key_hn, key_nh, put_u64
from runtime.pallets.subtensor.staking import increase_stake, pool
from runtime.pallets.subtensor.subnet_emissions import get_tao_weight
from runtime.pallets.subtensor.types import ROOT_NETUID
from runtime.scale import U96F32, decode_compact, encode_compact
from runtime.support.context import Context
from runtime.support.externalities import Externalities
from runtime.support.storage import StorageEntry

I96_MAX = (1 << 127) - 1

__all__ = [
    "burn_subnet_alpha", "calculate_dividend_distribution", "calculate_dividends_and_incentives",
    "distribute_dividends_and_incentives", "distribute_emission", "get_owner_hotkeys",
    "get_parent_child_dividends_distribution", "get_self_contribution", "get_stake_map",
    "increase_root_claimable_for_hotkey_and_subnet", "recycle_subnet_alpha",
]


def _add(a: int, b: int) -> int:
    return min(a + b, U128_MAX)


def _u64_fraction(value: int) -> int:
    """``U96F32(value) / U96F32(u64::MAX)`` (a child/parent proportion, CKBurn)."""
    return u_safe_div(u_from_int(value), u_from_int(U64_MAX))


def _take_fraction(take: int) -> int:
    """``U96F32(take) / U96F32(u16::MAX)``."""
    return u_safe_div(u_from_int(take), u_from_int(0xFFFF))


def _stake(ext: Externalities, hotkey: bytes, netuid: int) -> int:
    """``get_stake_for_hotkey_on_subnet``: ``TotalHotkeyAlpha``."""
    return get_u64(ext, key_hn(st.TotalHotkeyAlpha, hotkey, netuid))


# The payout reads a dozen hotkey-keyed items per hotkey; their keys come from share_pool's memoised
# account hashes instead of the generic key builder (same keys, same decoded values).


def _get(ext: Externalities, item: StorageEntry, key: bytes) -> Any:
    """``item.get`` at an already built key (the default when absent)."""
    raw = ext.get(key)
    return item.default if raw is None else item.value.decode(raw)


def _owner(ext: Externalities, hotkey: bytes) -> bytes:
    """``Owner`` (an ``AccountId32`` is its 32 raw bytes)."""
    raw = ext.get(key_h(st.Owner, hotkey))
    if raw is None:
        return st.Owner.default  # type: ignore[no-any-return]
    return raw if len(raw) == 32 else st.Owner.value.decode(raw)  # type: ignore[no-any-return]


def _delegate_take(ext: Externalities, hotkey: bytes) -> int:
    """``Delegates`` (a ``PerU16`` is its two raw bytes)."""
    raw = ext.get(key_h(st.Delegates, hotkey))
    if raw is None:
        return st.Delegates.default  # type: ignore[no-any-return]
    return int.from_bytes(raw, "little") if len(raw) == 2 else st.Delegates.value.decode(raw)  # type: ignore[no-any-return]


def _claimable_rates(raw: bytes | None) -> dict[int, int] | None:
    """``RootClaimable``'s ``BTreeMap<NetUid, I96F32>`` as netuid → bits from its raw entries (u16 key,
    i128 bits); None when the bytes are not such a list (the codec then decodes them)."""
    if raw is None:
        return {}
    count, pos = decode_compact(raw, 0)
    if len(raw) - pos != 18 * count:
        return None
    rates = {int.from_bytes(raw[at: at + 2], "little"): int.from_bytes(raw[at + 2: at + 18], "little", signed=True)
             for at in range(pos, len(raw), 18)}
    return rates if len(rates) == count else None


def _claimable_bytes(rates: dict[int, int]) -> bytes:
    """The ``BTreeMap`` encoding: entries in ascending netuid order."""
    out = bytearray()
    encode_compact(len(rates), out)
    for netuid in sorted(rates):
        out += netuid.to_bytes(2, "little") + rates[netuid].to_bytes(16, "little", signed=True)
    return bytes(out)


# -- alpha supply --------------------------------------------------------------------------------------------


def recycle_subnet_alpha(ext: Externalities, netuid: int, amount: int) -> None:
    """Recycle alpha: it leaves ``SubnetAlphaOut`` (lowering the subnet's issuance)."""
    if amount:
        st.SubnetAlphaOut.put(ext, netuid, max(st.SubnetAlphaOut.get(ext, netuid) - amount, 0))


def burn_subnet_alpha(ext: Externalities, netuid: int, amount: int) -> None:
    """Burn alpha: the issuance is unchanged (only the alpha-asset ledger, not modelled, would move)."""


# -- parents and children ------------------------------------------------------------------------------------


def get_self_contribution(ext: Externalities, hotkey: bytes, netuid: int) -> int:
    """The part of the hotkey's weighted stake it keeps for itself: ``(α + τ·tw) × (1 − Σ child shares)``."""
    remaining = u_from_int(1)
    for proportion, _child in _get(ext, st.ChildKeys, key_hn(st.ChildKeys, hotkey, netuid)):
        remaining = u_sub(remaining, _u64_fraction(proportion))
    alpha = u_mul(u_from_int(_stake(ext, hotkey, netuid)), remaining)
    root = u_mul(u_mul(u_from_int(_stake(ext, hotkey, ROOT_NETUID)), remaining), get_tao_weight(ext))
    return u_to_u64(_add(alpha, root))


def get_parent_child_dividends_distribution(ext: Externalities, hotkey: bytes, netuid: int,
                                            dividends: int) -> list[tuple[bytes, int]]:
    """``(recipient, alpha)`` for each parent of ``hotkey`` (in ``ParentKeys`` order), then the hotkey.

    A parent's share is its contribution ``(α_p + τ_p·tw) × proportion`` over the total (self included);
    a parent owned by another coldkey gives up ``CKBurn`` (recycled now) and the childkey take (to the
    child). The child keeps what is left plus the takes.
    """
    validating = u_from_int(dividends)
    remaining = validating
    parents = _get(ext, st.ParentKeys, key_hn(st.ParentKeys, hotkey, netuid))
    if not parents:
        # Everything below only weighs parents against each other; without any, the hotkey keeps it all
        # (the skipped work is reads only).
        return [(hotkey, u_to_u64(_add(remaining, 0)))]
    burn_fraction = _u64_fraction(st.CKBurn.get(ext))
    take_fraction = _take_fraction(childkey_take(ext, hotkey, netuid))
    child_owner = _owner(ext, hotkey)
    tao_weight = get_tao_weight(ext)

    total = u_from_int(get_self_contribution(ext, hotkey, netuid))
    contributions: list[tuple[bytes, int]] = []
    for proportion, parent in parents:
        share = _u64_fraction(proportion)
        alpha = u_mul(u_from_int(_stake(ext, parent, netuid)), share)
        root = u_mul(u_mul(u_from_int(_stake(ext, parent, ROOT_NETUID)), share), tao_weight)
        combined = _add(alpha, root)
        total = _add(total, combined)
        contributions.append((parent, combined))

    result: list[tuple[bytes, int]] = []
    total_child_take = 0
    for parent, contribution in contributions:
        factor = u_checked_div(contribution, total) or 0
        emission = u_mul(validating, factor)
        remaining = u_sub(remaining, emission)
        if _owner(ext, parent) != child_owner:
            burn = u_mul(burn_fraction, emission)
            take = u_mul(take_fraction, emission)
            emission = u_sub(u_sub(emission, burn), take)
            total_child_take = _add(total_child_take, take)
            recycle_subnet_alpha(ext, netuid, u_to_u64(burn))
        result.append((parent, u_to_u64(emission)))
    result.append((hotkey, u_to_u64(_add(remaining, total_child_take))))
    return result


def calculate_dividends_and_incentives(ext: Externalities, netuid: int, hotkey_emission: list[tuple[bytes, int, int]]
                                       ) -> tuple[dict[bytes, int], dict[bytes, int]]:
    """Incentive per hotkey (u64) and dividends per recipient after the parent split (U96F32)."""
    incentives: dict[bytes, int] = {}
    dividends: dict[bytes, int] = {}
    for hotkey, incentive, dividend in hotkey_emission:
        incentives[hotkey] = min(incentives.get(hotkey, 0) + incentive, U64_MAX)
        for recipient, amount in get_parent_child_dividends_distribution(ext, hotkey, netuid, dividend):
            dividends[recipient] = _add(dividends.get(recipient, 0), u_from_int(amount))
    return incentives, dividends


def get_stake_map(ext: Externalities, netuid: int, hotkeys: list[bytes]) -> dict[bytes, tuple[int, int]]:
    """hotkey → (alpha stake on ``netuid``, root stake)."""
    return {hotkey: (_stake(ext, hotkey, netuid), _stake(ext, hotkey, ROOT_NETUID)) for hotkey in hotkeys}


def calculate_dividend_distribution(pending_alpha: int, pending_root_alpha: int, tao_weight: int,
                                    stake_map: dict[bytes, tuple[int, int]], dividends: dict[bytes, int]
                                    ) -> tuple[dict[bytes, int], dict[bytes, int]]:
    """Split each recipient's dividend by its ``τ·tw / (α + τ·tw)`` root share, then share out
    ``pending_alpha`` over the alpha parts and ``pending_root_alpha`` over the root parts (U96F32)."""
    alpha_divs: dict[bytes, int] = {}
    root_divs: dict[bytes, int] = {}
    total_alpha = total_root = 0
    for hotkey in sorted(dividends):
        if hotkey not in stake_map:
            continue
        alpha_stake, root_stake = stake_map[hotkey]
        weighted_root = u_mul(u_from_int(root_stake), tao_weight)
        root_prop = u_checked_div(weighted_root, _add(u_from_int(alpha_stake), weighted_root)) or 0
        root_part = u_mul(dividends[hotkey], root_prop)
        alpha_part = u_sub(dividends[hotkey], root_part)
        alpha_divs[hotkey] = _add(alpha_divs.get(hotkey, 0), alpha_part)
        total_alpha = _add(total_alpha, alpha_part)
        root_divs[hotkey] = _add(root_divs.get(hotkey, 0), root_part)
        total_root = _add(total_root, root_part)
    root_alpha = {hk: u_mul(u_from_int(pending_root_alpha), u_checked_div(v, total_root) or 0)
                  for hk, v in root_divs.items()}
    prop_alpha = {hk: u_mul(u_from_int(pending_alpha), u_checked_div(v, total_alpha) or 0)
                  for hk, v in alpha_divs.items()}
    return prop_alpha, root_alpha


# -- payouts -------------------------------------------------------------------------------------------------


def get_owner_hotkeys(ext: Externalities, netuid: int, coldkey: bytes) -> list[bytes]:
    """The coldkey's hotkeys registered on the subnet (newest registration first, then uid), with the
    subnet owner hotkey in front when it is registered and not already listed."""
    triples = []
    for hotkey in st.OwnedHotkeys.get(ext, coldkey):
        uid = st.Uids.try_get(ext, netuid, hotkey)
        if uid is not None:
            triples.append((st.BlockAtRegistration.get(ext, netuid, uid), uid, hotkey))
    triples.sort(key=lambda t: (-t[0], t[1]))
    owner_hotkeys = [hotkey for _, _, hotkey in triples]
    owner_hotkey = st.SubnetOwnerHotkey.try_get(ext, netuid)
    if owner_hotkey is not None and st.Uids.exists(ext, netuid, owner_hotkey) and owner_hotkey not in owner_hotkeys:
        owner_hotkeys.insert(0, owner_hotkey)
    return owner_hotkeys


def increase_root_claimable_for_hotkey_and_subnet(ext: Externalities, hotkey: bytes, netuid: int,
                                                  amount: int, owners: _Owners | None = None) -> None:
    """Root stakers of ``hotkey`` may later claim ``amount`` alpha: ``RootClaimable[hotkey][netuid] +=
    amount / root_stake`` (I96F32). Without enough root stake the alpha is staked to the hotkey's owner."""
    total = _stake(ext, hotkey, ROOT_NETUID)
    increment = u_checked_div(u_from_int(amount), u_from_int(total)) or 0
    if amount > total:
        increase_stake(ext, hotkey, _owner(ext, hotkey) if owners is None else owners[hotkey], netuid, amount)
        return
    key = key_h(st.RootClaimable, hotkey)
    raw = ext.get(key)
    rates = _claimable_rates(raw)
    if rates is None:  # not the plain layout: through the codec (which raises on malformed bytes)
        rates = {k: v.bits for k, v in st.RootClaimable.value.decode(raw).items()}
    rates[netuid] = min(rates.get(netuid, 0) + min(increment, I96_MAX), I96_MAX)
    ext.set(key, _claimable_bytes(rates))


class _Owners(dict[bytes, bytes]):
    """``Owner`` per hotkey, read once per payout: nothing a payout writes touches ``Owner`` (it writes
    share pools, ``StakingHotkeys``, the dividend maps, ``RootClaimable``, ``SubnetAlphaOut`` and
    events), and each hotkey's owner is needed up to three times."""

    def __init__(self, ext: Externalities) -> None:
        super().__init__()
        self.ext = ext

    def __missing__(self, hotkey: bytes) -> bytes:
        owner = self[hotkey] = _owner(self.ext, hotkey)
        return owner


def _pay_incentives(ctx: Context, netuid: int, incentives: dict[bytes, int], owners: _Owners | None = None
                    ) -> None:
    owners = _Owners(ctx) if owners is None else owners
    owner_hotkeys = get_owner_hotkeys(ctx, netuid, st.SubnetOwner.get(ctx, netuid))
    total = withheld = 0
    for hotkey in sorted(incentives):
        incentive = incentives[hotkey]
        total = min(total + incentive, U64_MAX)
        if hotkey in owner_hotkeys:
            # Withheld from miners whichever way it goes, so choosing Recycle cannot dodge the penalty.
            withheld = min(withheld + incentive, U64_MAX)
            if st.RecycleOrBurn.try_get(ctx, netuid) == "Recycle":
                recycle_subnet_alpha(ctx, netuid, incentive)
            else:
                burn_subnet_alpha(ctx, netuid, incentive)
            continue
        owner = owners[hotkey]
        dest = ctx.get(key_hn(st.AutoStakeDestination, owner, netuid))
        if dest is not None and len(dest) != 32:
            dest = st.AutoStakeDestination.value.decode(dest)
        if dest is not None:
            ctx.deposit_event(AutoStakeAdded(netuid, dest, hotkey, owner, incentive))
        increase_stake(ctx, hotkey if dest is None else dest, owner, netuid, incentive)
    st.MinerBurned.put(ctx, netuid, U96F32.from_bits(u_checked_div(u_from_int(withheld), u_from_int(total)) or 0))


def _pay_take(ctx: Context, hotkey: bytes, netuid: int, amount: int, owners: _Owners | None = None) -> int:
    """Stake the delegate take of ``amount`` (U96F32) to the hotkey's owner; the rest (U96F32)."""
    take = u_mul(_take_fraction(_delegate_take(ctx, hotkey)), amount)
    owner = _owner(ctx, hotkey) if owners is None else owners[hotkey]
    increase_stake(ctx, hotkey, owner, netuid, u_to_u64(take))
    return u_sub(amount, take)


def distribute_dividends_and_incentives(ctx: Context, netuid: int, owner_cut: int, incentives: dict[bytes, int],
                                        alpha_dividends: dict[bytes, int], root_alpha_dividends: dict[bytes, int]
                                        ) -> None:
    owner_coldkey = st.SubnetOwner.try_get(ctx, netuid)
    owner_hotkey = st.SubnetOwnerHotkey.try_get(ctx, netuid)
    if owner_coldkey is not None and owner_hotkey is not None:
        increase_stake(ctx, owner_hotkey, owner_coldkey, netuid, owner_cut)
    owners = _Owners(ctx)
    _pay_incentives(ctx, netuid, incentives, owners)

    # Both dividend maps are cleared for the subnet and then written once per hotkey (the dicts' keys are
    # unique), so the reference's read-add-write reads 0 and stores ``rest``: written directly.
    st.AlphaDividendsPerSubnet.clear_all(ctx, netuid)
    for hotkey in sorted(alpha_dividends):
        rest = u_to_u64(_pay_take(ctx, hotkey, netuid, alpha_dividends[hotkey], owners))
        # the pool's new shared value is what TotalHotkeyAlpha now holds
        total_alpha = pool(ctx, hotkey, netuid).update_value_for_all(rest)
        put_u64(ctx, key_nh(st.AlphaDividendsPerSubnet, netuid, hotkey), min(rest, U64_MAX))
        put_u64(ctx, key_hn(st.TotalHotkeyAlphaLastEpoch, hotkey, netuid), total_alpha)

    st.RootAlphaDividendsPerSubnet.clear_all(ctx, netuid)
    for hotkey in sorted(root_alpha_dividends):
        rest = u_to_u64(_pay_take(ctx, hotkey, netuid, root_alpha_dividends[hotkey], owners))
        increase_root_claimable_for_hotkey_and_subnet(ctx, hotkey, netuid, rest, owners)
        put_u64(ctx, key_nh(st.RootAlphaDividendsPerSubnet, netuid, hotkey), min(rest, U64_MAX))


def distribute_emission(ctx: Context, netuid: int, pending_server: int, pending_validator: int,
                        pending_root: int, pending_owner_cut: int) -> None:
    """Run the subnet's epoch on the drained alpha and pay everyone (see the module docstring)."""
    total = min(pending_server + pending_validator + pending_root, U64_MAX)
    hotkey_emission = run_epoch(ctx, netuid, total)
    incentive_sum = min(sum(incentive for _, incentive, _ in hotkey_emission), U64_MAX)
    validator_alpha = pending_validator if incentive_sum else min(pending_validator + pending_server, U64_MAX)
    incentives, dividends = calculate_dividends_and_incentives(ctx, netuid, hotkey_emission)
    stake_map = get_stake_map(ctx, netuid, sorted(dividends))
    alpha_dividends, root_alpha_dividends = calculate_dividend_distribution(
        validator_alpha, pending_root, get_tao_weight(ctx), stake_map, dividends)
    distribute_dividends_and_incentives(ctx, netuid, pending_owner_cut, incentives, alpha_dividends,
                                        root_alpha_dividends)
