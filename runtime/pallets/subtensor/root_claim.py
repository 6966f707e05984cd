"""Root claims: a root staker redeems the alpha dividends its validators earned for it.

The coinbase credits root stakers' share of a validator's alpha dividends as a per-subnet rate
(``RootClaimable[hotkey][netuid]``, alpha per rao of root stake, I96F32). A coldkey's entitlement on
a subnet is ``rate × root_stake − RootClaimed[netuid][hotkey][coldkey]``; claiming sells that alpha
through the subnet's pool and stakes the TAO on root under the same hotkey (reference
``staking/claim_root.rs``: ``get_root_owed_for_hotkey_coldkey_float``, ``root_claim_on_subnet``,
``root_claim_all``, ``do_root_claim``).

Reference version: spec 461's call shapes (``claim_root(subnets)`` ignoring ``subnets``,
``claim_root_with_hotkey``, a ROOT-only ``sudo_set_root_claim_threshold``) over the per-subnet
rate book our coinbase writes. Claims always swap to TAO (the ``Keep`` claim type is gone in that
version and ``RootClaimType`` is not in our storage). The dust threshold is the ROOT entry of
``RootClaimableThreshold`` compared with the owed alpha's spot TAO value, as that version documents.
The TAO realized is credited as root stake with the root pool totals (``credit_root_stake``), so the
TAO the sell took out of ``SubnetTAO``/``TotalStake`` reappears on root.
"""

from __future__ import annotations

from runtime.pallets.subtensor import storage as st
from runtime.pallets.subtensor.coinbase_fixed import U64_MAX, U128_MAX
from runtime.pallets.subtensor.errors import errors
from runtime.pallets.subtensor.events import RootClaimed
from runtime.pallets.subtensor.staking import (
    add_stake_adjust_root_claimed, increase_stake, maybe_add_coldkey_index, record_tao_outflow, stake_of,
    tao_equivalent,
)
from runtime.pallets.subtensor.subnets import ensure_subnet_owner_or_root
from runtime.pallets.subtensor.types import ROOT_NETUID
from runtime.pallets.swap import engine
from runtime.scale import I96F32
from runtime.support.context import Context
from runtime.support.dispatch import DispatchError, Origin
from runtime.support.externalities import Externalities

MAX_ROOT_CLAIM_THRESHOLD = 10_000_000
FRAC = 32
I96_MAX = (1 << 127) - 1
I96_MIN = -(1 << 127)

__all__ = [
    "MAX_ROOT_CLAIM_THRESHOLD", "do_root_claim", "do_set_root_claim_threshold", "get_root_owed_for_hotkey_coldkey",
    "get_root_owed_for_hotkey_coldkey_float", "root_claim_all", "root_claim_on_subnet",
]


def _i96(bits: int) -> int:
    """Saturate to the I96F32 range (``saturating_*`` on I96F32)."""
    return max(min(bits, I96_MAX), I96_MIN)


def _claimable_rate_bits(ext: Externalities, hotkey: bytes, netuid: int) -> int:
    for rate_netuid, rate in _rates(ext, hotkey):
        if rate_netuid == netuid:
            return rate
    return 0


def _rates(ext: Externalities, hotkey: bytes) -> list[tuple[int, int]]:
    """``RootClaimable[hotkey]`` as (netuid, rate bits) in ascending netuid (the BTreeMap order)."""
    value = st.RootClaimable.get(ext, hotkey)
    items = value.items() if isinstance(value, dict) else value
    return sorted((netuid, rate.bits) for netuid, rate in items)


def get_root_owed_for_hotkey_coldkey_float(ext: Externalities, hotkey: bytes, coldkey: bytes, netuid: int) -> int:
    """Owed alpha as I96F32 bits: ``rate × root_stake − claimed`` (may be negative after unstaking
    root, whose watermark rebase saturates at zero)."""
    root_stake = stake_of(ext, hotkey, coldkey, ROOT_NETUID)
    # I96F32 × I96F32 of an integer: the product's bits are rate_bits × stake, saturated.
    claimable = _i96(_claimable_rate_bits(ext, hotkey, netuid) * root_stake)
    claimed = _i96(st.RootClaimed.get(ext, netuid, hotkey, coldkey) << FRAC)
    return _i96(claimable - claimed)


def get_root_owed_for_hotkey_coldkey(ext: Externalities, hotkey: bytes, coldkey: bytes, netuid: int) -> int:
    """Owed alpha floored to u64; a negative entitlement reads as 0."""
    owed = get_root_owed_for_hotkey_coldkey_float(ext, hotkey, coldkey, netuid)
    return 0 if owed < 0 else min(owed >> FRAC, U64_MAX)


def _credit_root_stake(ext: Externalities, hotkey: bytes, coldkey: bytes, tao: int) -> None:
    """TAO that already left a subnet pool becomes root stake (root is 1:1 TAO:alpha), with the root
    pool totals, so ``TotalStake`` and ``SubnetTAO[ROOT]`` stay equal to the stake they describe."""
    increase_stake(ext, hotkey, coldkey, ROOT_NETUID, tao)
    st.SubnetTAO.put(ext, ROOT_NETUID, min(st.SubnetTAO.get(ext, ROOT_NETUID) + tao, U64_MAX))
    st.SubnetAlphaOut.put(ext, ROOT_NETUID, min(st.SubnetAlphaOut.get(ext, ROOT_NETUID) + tao, U64_MAX))
    st.TotalStake.put(ext, min(st.TotalStake.get(ext) + tao, U64_MAX))


def root_claim_on_subnet(ctx: Context, hotkey: bytes, coldkey: bytes, netuid: int,
                         ignore_minimum_condition: bool = False) -> int:
    """Sell what ``coldkey`` is owed on ``netuid`` through ``hotkey`` and stake the TAO on root;
    returns the TAO realized (0 when skipped: dust, nothing owed, or a failed swap)."""
    owed = get_root_owed_for_hotkey_coldkey_float(ctx, hotkey, coldkey, netuid)
    owed_u64 = 0 if owed < 0 else min(owed >> FRAC, U64_MAX)
    if owed_u64 == 0:
        return 0
    if not ignore_minimum_condition:
        threshold_bits = st.RootClaimableThreshold.get(ctx, ROOT_NETUID).bits
        if tao_equivalent(ctx, netuid, owed_u64) << FRAC < threshold_bits:
            return 0  # dust: stays owed until it grows past the threshold
    try:
        # drop_fees: the claim sell pays no swap fee, as the reference's claim path. In a storage
        # transaction so a failing swap cannot leave half-moved reserves behind.
        with ctx.transaction():
            result = engine.swap_alpha_for_tao(ctx, netuid, owed_u64, engine.min_price(), True)
    except DispatchError:
        return 0  # the reference logs and leaves the entitlement in place
    tao = result.amount_paid_out
    record_tao_outflow(ctx, netuid, tao)
    _credit_root_stake(ctx, hotkey, coldkey, tao)
    # The new root stake must not earn a share of the claimable already accrued on any subnet ...
    add_stake_adjust_root_claimed(ctx, hotkey, coldkey, tao)
    # ... and the alpha just redeemed is no longer owed.
    claimed = st.RootClaimed.get(ctx, netuid, hotkey, coldkey)
    st.RootClaimed.put(ctx, netuid, hotkey, coldkey, min(claimed + owed_u64, U128_MAX))
    return tao


def root_claim_all(ctx: Context, hotkey: bytes, coldkey: bytes) -> int:
    """Claim on every subnet ``hotkey`` has a claimable rate for (ascending netuid, the BTreeMap
    order); the TAO realized."""
    netuids = [netuid for netuid, _ in _rates(ctx, hotkey)]
    return sum(root_claim_on_subnet(ctx, hotkey, coldkey, netuid) for netuid in netuids)


def do_root_claim(ctx: Context, coldkey: bytes, hotkeys: list[bytes] | None = None) -> int:
    """Claim for ``coldkey`` through ``hotkeys`` (default: every hotkey it stakes to, in
    ``StakingHotkeys`` order), index the coldkey as a root staker and emit ``RootClaimed``."""
    if hotkeys is None:
        hotkeys = list(st.StakingHotkeys.get(ctx, coldkey))
    total = 0
    for hotkey in hotkeys:
        total = min(total + root_claim_all(ctx, hotkey, coldkey), U64_MAX)
    maybe_add_coldkey_index(ctx, coldkey)
    ctx.deposit_event(RootClaimed(coldkey, total))
    return total


def do_set_root_claim_threshold(ctx: Context, origin: Origin, netuid: int, new_value: int) -> None:
    """Root (or the root subnet's owner) sets the dust threshold; only the ROOT entry is consulted,
    so other netuids are refused rather than stored inert."""
    ensure_subnet_owner_or_root(ctx, origin, netuid)
    if netuid != ROOT_NETUID:
        raise errors.InvalidRootClaimThreshold
    if new_value > MAX_ROOT_CLAIM_THRESHOLD:
        raise errors.InvalidRootClaimThreshold
    st.RootClaimableThreshold.put(ctx, netuid, I96F32.from_int(new_value))
