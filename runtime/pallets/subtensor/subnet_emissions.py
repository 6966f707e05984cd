"""Which subnets get this block's TAO and how much: node-subtensor's ``coinbase/subnet_emissions.rs``
(price-EMA shares weighted by miner burn, emission-disabled subnets) and the coinbase's small readers
(``get_tao_weight``, ``root_proportion``, ``get_alpha_issuance``, the root-sell flag) at HEAD — spec
``yuma-epoch-and-emission.md`` §1.2 steps 2–3 and §4.2.

Shares and prices are ``U64F64`` bits; root proportion, TAO weight and the per-subnet TAO emission are
``U96F32`` bits (see :mod:`.coinbase_fixed`). Maps are plain dicts built in the order of the given
netuid list, which the caller passes sorted (the reference's ``BTreeMap``), so no set or dict order
reaches state.
"""

from __future__ import annotations

from runtime.pallets.subtensor import storage as st
from runtime.pallets.subtensor.coinbase_fixed import (
    F64, ONE_U64F64, U64_MAX, U128_MAX, i96_to_u64f64, u64f64_from_u96, u96_from_u64f64, u_checked_div,
    u_from_int, u_mul, u_safe_div, u_sub,
)
from runtime.pallets.subtensor.types import ROOT_NETUID
from runtime.support.externalities import Externalities

I64_MIN, I64_MAX = -(1 << 63), (1 << 63) - 1

__all__ = [
    "get_alpha_issuance", "get_moving_alpha_price", "get_network_root_sell_flag", "get_shares",
    "get_shares_price_ema", "get_subnet_block_emissions", "get_subnets_to_emit_to", "get_tao_weight",
    "record_protocol_inflow", "root_proportion",
]


# -- readers -------------------------------------------------------------------------------------------------


def get_alpha_issuance(ext: Externalities, netuid: int) -> int:
    """``SubnetAlphaIn + SubnetAlphaOut`` (saturating u64)."""
    return min(st.SubnetAlphaIn.get(ext, netuid) + st.SubnetAlphaOut.get(ext, netuid), U64_MAX)


def get_tao_weight(ext: Externalities) -> int:
    """``TaoWeight / u64::MAX`` as U96F32 bits."""
    return u_safe_div(u_from_int(st.TaoWeight.get(ext)), u_from_int(U64_MAX))


def root_proportion(ext: Externalities, netuid: int) -> int:
    """``root_tao·tw / (root_tao·tw + alpha_issuance)`` (U96F32 bits; 0 when the denominator is 0)."""
    weighted_root = u_mul(u_from_int(st.SubnetTAO.get(ext, ROOT_NETUID)), get_tao_weight(ext))
    denominator = min(weighted_root + u_from_int(get_alpha_issuance(ext, netuid)), U128_MAX)
    quotient = u_checked_div(weighted_root, denominator)
    return 0 if quotient is None else quotient


def get_moving_alpha_price(ext: Externalities, netuid: int) -> int:
    """The price EMA as U64F64 bits: 1 for root and stable subnets, else ``SubnetMovingPrice``."""
    if netuid == ROOT_NETUID or st.SubnetMechanism.get(ext, netuid) == 0:
        return ONE_U64F64
    return i96_to_u64f64(st.SubnetMovingPrice.get(ext, netuid).bits)


def get_subnets_to_emit_to(ext: Externalities, subnets: list[int]) -> list[int]:
    """Non-root subnets with ``FirstEmissionBlockNumber`` set, ``SubtokenEnabled`` and registration allowed."""
    return [netuid for netuid in subnets
            if netuid != ROOT_NETUID
            and st.FirstEmissionBlockNumber.try_get(ext, netuid) is not None
            and st.SubtokenEnabled.get(ext, netuid)
            and st.NetworkRegistrationAllowed.get(ext, netuid)]


def get_network_root_sell_flag(ext: Externalities, subnets_to_emit_to: list[int]) -> bool:
    """Root dividends are kept (sold) only while the emit subnets' EMA prices sum above 1."""
    total = sum(get_moving_alpha_price(ext, netuid) for netuid in subnets_to_emit_to)
    return min(total, U128_MAX) > ONE_U64F64


def record_protocol_inflow(ext: Externalities, netuid: int, tao: int) -> None:
    """``SubnetProtocolFlow += tao`` (i64, saturating; the u64 amount is cast as the reference does)."""
    signed = tao - (1 << 64) if tao > I64_MAX else tao
    flow = st.SubnetProtocolFlow.get(ext, netuid) + signed
    st.SubnetProtocolFlow.put(ext, netuid, min(max(flow, I64_MIN), I64_MAX))


# -- shares --------------------------------------------------------------------------------------------------


def get_shares_price_ema(ext: Externalities, subnets_to_emit_to: list[int]) -> dict[int, int]:
    """``p_i / Σp`` over the emit subnets (U64F64; 0 when the sum is 0)."""
    prices = {netuid: get_moving_alpha_price(ext, netuid) for netuid in subnets_to_emit_to}
    total = min(sum(prices.values()), U128_MAX)
    shares = {}
    for netuid in sorted(prices):
        share = u_checked_div(prices[netuid], total, F64)
        shares[netuid] = 0 if share is None else share
    return shares


def get_shares(ext: Externalities, subnets_to_emit_to: list[int]) -> dict[int, int]:
    """Price shares weighted by ``1 − min(MinerBurned, 1)`` and renormalised; the unweighted shares if the
    weights sum to 0 (so the block's TAO is never stranded)."""
    price_shares = get_shares_price_ema(ext, subnets_to_emit_to)
    weighted = {}
    for netuid, share in price_shares.items():
        burned = min(u64f64_from_u96(st.MinerBurned.get(ext, netuid).bits), ONE_U64F64)
        weighted[netuid] = u_mul(share, u_sub(ONE_U64F64, burned), F64)
    total = min(sum(weighted.values()), U128_MAX)
    if total == 0:
        return price_shares
    return {netuid: u_safe_div(w, total, F64) for netuid, w in weighted.items()}


def get_subnet_block_emissions(ext: Externalities, subnets_to_emit_to: list[int],
                               block_emission: int) -> dict[int, int]:
    """Each emit subnet's TAO this block (U96F32 bits) from ``block_emission`` (U96F32 bits).

    If any emit subnet has ``SubnetEmissionEnabled == false`` the enabled subnets' shares are renormalised
    over their own sum and the disabled ones get 0 (they stay in the map: their alpha path still runs).
    """
    shares = get_shares(ext, subnets_to_emit_to)
    enabled = {netuid: bool(st.SubnetEmissionEnabled.get(ext, netuid)) for netuid in shares}
    has_disabled = not all(enabled.values())
    enabled_sum = min(sum(share for netuid, share in shares.items() if enabled[netuid]), U128_MAX)
    emission_u64f64 = u64f64_from_u96(block_emission)
    result = {}
    for netuid, share in shares.items():
        if has_disabled:
            share = u_safe_div(share, enabled_sum, F64) if enabled[netuid] and enabled_sum > 0 else 0
        result[netuid] = u96_from_u64f64(u_mul(emission_u64f64, share, F64))
    return result
