"""Read-only SubtensorModule queries behind the custom runtime APIs (prices, stake positions).

Arithmetic is integer-exact to node-subtensor's: ``U64F64`` values are raw ``u128`` bits (value × 2^64)
with ``substrate_fixed``'s truncating multiply/divide, and stake shares use the decimal ``SafeFloat``
of the share pool (mantissa × 10^exponent, mantissa kept in (1e20, 1e21]). No floats anywhere.
"""

from __future__ import annotations

from typing import Any

from runtime.pallets.subtensor import storage as st
from runtime.primitives.hashing import Hasher
from runtime.primitives.storage_keys import hash_key_parts, storage_prefix
from runtime.scale import U16, U64
from runtime.support.externalities import Externalities

# -- U64F64 (substrate_fixed::FixedU128<U64>) on raw bits --------------------------------------------------

FRAC_BITS = 64
U128_MAX = (1 << 128) - 1
U64_MAX = (1 << 64) - 1


def fixed_from_int(n: int) -> int:
    """``U64F64::saturating_from_num(n)`` for an unsigned integer ``n``."""
    return min(n << FRAC_BITS, U128_MAX)


def fixed_saturating_mul(a: int, b: int) -> int:
    """``a.saturating_mul(b)``: the product truncated to 64 fraction bits, saturated at the maximum."""
    return min((a * b) >> FRAC_BITS, U128_MAX)


def fixed_safe_div(a: int, b: int) -> int:
    """``a.safe_div(b)``: the truncated quotient, or 0 on division by zero or overflow (``checked_div``)."""
    if b == 0:
        return 0
    quotient = (a << FRAC_BITS) // b
    return quotient if quotient <= U128_MAX else 0


def fixed_to_u64(a: int) -> int:
    """``a.saturating_to_num::<u64>()``: the integer part, saturated at ``u64::MAX``."""
    return min(a >> FRAC_BITS, U64_MAX)


# -- Swap: the balancer pool's spot price ---------------------------------------------------------------

PERQUINTILL_ONE = 10**18
DEFAULT_QUOTE_WEIGHT = PERQUINTILL_ONE // 2
"""``Balancer::default()``: both weights 0.5 (``Perquintill::from_rational(1, 2)``)."""

DYNAMIC_MECHANISM = 1
RAO_PER_TAO = 1_000_000_000

_SWAP_BALANCER = storage_prefix("Swap", "SwapBalancer")


def swap_quote_weight(ext: Externalities, netuid: int) -> int:
    """The pool's quote (TAO) weight in Perquintill parts: ``Swap.SwapBalancer`` or its 0.5 default.

    The Swap pallet is not part of this runtime yet, so the entry is read by its raw key
    (``Twox64Concat(netuid)``); a chain without it prices every pool at the default weights.
    """
    raw = ext.get(_SWAP_BALANCER + hash_key_parts([(Hasher.Twox64Concat, U16.encode(netuid))]))
    return DEFAULT_QUOTE_WEIGHT if raw is None else U64.decode(raw)


def balancer_price(quote_weight: int, alpha_reserve: int, tao_reserve: int) -> int:
    """``Balancer::calculate_price(x = alpha, y = tao)`` = (w_base / w_quote) · (y / x), as U64F64 bits."""
    base_weight = max(PERQUINTILL_ONE - quote_weight, 0)
    weight_ratio = fixed_safe_div(fixed_from_int(base_weight), fixed_from_int(quote_weight))
    reserve_ratio = fixed_safe_div(fixed_from_int(tao_reserve), fixed_from_int(alpha_reserve))
    return fixed_saturating_mul(weight_ratio, reserve_ratio)


def current_alpha_price(ext: Externalities, netuid: int) -> int:
    """The Swap pallet's ``current_price(netuid)`` as U64F64 bits (TAO per alpha).

    A dynamic subnet (mechanism 1) prices its pool: 0 without alpha reserve, otherwise the balancer
    price of ``SubnetAlphaIn``/``SubnetTAO``. Root and every other mechanism price 1.0.
    """
    if st.SubnetMechanism.get(ext, netuid) != DYNAMIC_MECHANISM:
        return fixed_from_int(1)
    alpha_reserve = st.SubnetAlphaIn.get(ext, netuid)
    if alpha_reserve == 0:
        return 0
    return balancer_price(swap_quote_weight(ext, netuid), alpha_reserve, st.SubnetTAO.get(ext, netuid))


def current_alpha_price_rao(ext: Externalities, netuid: int) -> int:
    """The runtime API's price: ``current_price × 1e9`` truncated to a u64 (rao per alpha)."""
    return fixed_to_u64(fixed_saturating_mul(current_alpha_price(ext, netuid), fixed_from_int(RAO_PER_TAO)))


def all_subnet_netuids(ext: Externalities) -> list[int]:
    """``get_all_subnet_netuids``: every ``NetworksAdded`` key, in storage-key order."""
    return [netuid for (netuid,), _ in st.NetworksAdded.iter(ext)]


# -- share pool: SafeFloat -------------------------------------------------------------------------------

SAFE_FLOAT_MAX = 10**21
SAFE_FLOAT_MAX_EXP = 21
_I64_MIN, _I64_MAX = -(1 << 63), (1 << 63) - 1
_U256_MAX = (1 << 256) - 1

SafeFloatValue = tuple[int, int]
"""(mantissa, exponent)."""

ZERO: SafeFloatValue = (0, 0)


def _normalize(mantissa: int, exponent: int) -> SafeFloatValue | None:
    """Scale so that SAFE_FLOAT_MAX/10 < mantissa <= SAFE_FLOAT_MAX; None if the exponent leaves i64."""
    if mantissa == 0:
        return ZERO
    while mantissa > SAFE_FLOAT_MAX:
        mantissa, exponent = mantissa // 10, exponent + 1
    while mantissa <= SAFE_FLOAT_MAX // 10:
        mantissa, exponent = mantissa * 10, exponent - 1
    if not _I64_MIN <= exponent <= _I64_MAX:
        return None
    return mantissa, exponent


def safe_float_new(mantissa: int, exponent: int = 0) -> SafeFloatValue | None:
    """``SafeFloat::new``: None for a mantissa above SAFE_FLOAT_MAX."""
    return None if mantissa > SAFE_FLOAT_MAX else _normalize(mantissa, exponent)


def _cappow10(e: int) -> int:
    return SAFE_FLOAT_MAX * 10 if e > SAFE_FLOAT_MAX_EXP + 1 else 10**e


def safe_float_add(a: SafeFloatValue, b: SafeFloatValue) -> SafeFloatValue | None:
    if a[0] == 0:
        return b
    if b[0] == 0:
        return a
    if a[1] >= b[1]:
        return _normalize(a[0] + b[0] // _cappow10(a[1] - b[1]), a[1])
    return _normalize(a[0] // _cappow10(b[1] - a[1]) + b[0], b[1])


def safe_float_div(a: SafeFloatValue, b: SafeFloatValue) -> SafeFloatValue | None:
    if b[0] == 0:
        return None
    exponent = a[1] - b[1] - SAFE_FLOAT_MAX_EXP
    if not _I64_MIN <= exponent <= _I64_MAX:
        return None
    return _normalize(a[0] * SAFE_FLOAT_MAX // b[0], exponent)


def safe_float_mul_div(a: SafeFloatValue, b: SafeFloatValue, c: SafeFloatValue) -> SafeFloatValue | None:
    """``a * b / c`` in one step (``SafeFloat::mul_div``); None when ``c`` is zero."""
    if c[0] == 0:
        return None
    ab_exponent = a[1] + b[1]
    if not _I64_MIN <= ab_exponent <= _I64_MAX:
        return None
    exponent = ab_exponent - c[1]
    if not _I64_MIN <= exponent <= _I64_MAX:
        return None
    return _normalize(a[0] * b[0] // c[0], exponent)


def safe_float_to_u64(value: SafeFloatValue) -> int:
    """``u64::from(&SafeFloat)``: truncating, saturating at ``u64::MAX``."""
    mantissa, exponent = value
    if exponent == 0:
        return min(mantissa, U64_MAX)
    scale = _cappow10(abs(exponent))
    q = min(mantissa * scale, _U256_MAX) if exponent > 0 else mantissa // scale
    return min(q, U64_MAX)


def safe_float_from_fixed(bits: int) -> SafeFloatValue:
    """``SafeFloat::from(U64F64)``: integer part plus (fraction bits / 2^64), each as a SafeFloat."""
    if bits == 0:
        return ZERO
    integer = safe_float_new(bits >> FRAC_BITS) or ZERO
    fraction_num = safe_float_new(bits & U64_MAX) or ZERO
    two64 = safe_float_new(1 << FRAC_BITS) or ZERO
    fraction = safe_float_div(fraction_num, two64) or ZERO
    return safe_float_add(integer, fraction) or ZERO


def _safe_float_of(value: Any) -> SafeFloatValue:
    return int(value["mantissa"]), int(value["exponent"])


def _coldkey_share(ext: Externalities, hotkey: bytes, coldkey: bytes, netuid: int) -> SafeFloatValue | None:
    """The coldkey's shares in the hotkey's pool: the legacy ``Alpha`` entry first, then ``AlphaV2``."""
    legacy = st.Alpha.try_get(ext, hotkey, coldkey, netuid)
    if legacy is not None:
        return safe_float_from_fixed(legacy.bits)
    current = st.AlphaV2.try_get(ext, hotkey, coldkey, netuid)
    return None if current is None else _safe_float_of(current)


def _pool_denominator(ext: Externalities, hotkey: bytes, netuid: int) -> SafeFloatValue:
    legacy = st.TotalHotkeyShares.try_get(ext, hotkey, netuid)
    if legacy is not None:
        return safe_float_from_fixed(legacy.bits)
    return _safe_float_of(st.TotalHotkeySharesV2.get(ext, hotkey, netuid))


def stake_for_hotkey_and_coldkey_on_subnet(ext: Externalities, hotkey: bytes, coldkey: bytes, netuid: int) -> int:
    """Alpha a coldkey holds through a hotkey on a subnet: its share of ``TotalHotkeyAlpha`` (0 if none)."""
    share = _coldkey_share(ext, hotkey, coldkey, netuid)
    if share is None:
        return 0
    shared_value = safe_float_new(st.TotalHotkeyAlpha.get(ext, hotkey, netuid)) or ZERO
    value = safe_float_mul_div(shared_value, share, _pool_denominator(ext, hotkey, netuid)) or ZERO
    return safe_float_to_u64(value)


def is_hotkey_registered_on_network(ext: Externalities, netuid: int, hotkey: bytes) -> bool:
    return st.Uids.exists(ext, netuid, hotkey)


def stake_info(ext: Externalities, hotkey: bytes, coldkey: bytes, netuid: int, stake: int) -> dict[str, Any]:
    """One ``StakeInfo`` row (``locked``, ``tao_emission`` and ``drain`` are always 0 in the reference)."""
    return {
        "hotkey": hotkey, "coldkey": coldkey, "netuid": netuid, "stake": stake, "locked": 0,
        "emission": st.AlphaDividendsPerSubnet.get(ext, netuid, hotkey), "tao_emission": 0, "drain": 0,
        "is_registered": is_hotkey_registered_on_network(ext, netuid, hotkey),
    }


def stake_info_for_coldkeys(ext: Externalities, coldkeys: list[bytes]) -> list[tuple[bytes, list[dict[str, Any]]]]:
    """Non-zero stake positions per coldkey: every subnet × every hotkey in ``StakingHotkeys``."""
    if not coldkeys:
        return []
    netuids = all_subnet_netuids(ext)
    result = []
    for coldkey in coldkeys:
        hotkeys = st.StakingHotkeys.get(ext, coldkey)
        rows = []
        for netuid in netuids:
            for hotkey in hotkeys:
                alpha = stake_for_hotkey_and_coldkey_on_subnet(ext, hotkey, coldkey, netuid)
                if alpha:
                    rows.append(stake_info(ext, hotkey, coldkey, netuid, alpha))
        result.append((coldkey, rows))
    return result


# -- beta baskets (root dividends funds) -----------------------------------------------------------------


class BasketValuationUnsupported(NotImplementedError):
    """A validator fund with outstanding shares: valuing it needs the basket accounting (owed shares,
    slippage-aware NAV) this runtime does not have yet. No state reachable here has one."""


def mul_div_u64(a: int, b: int, denom: int) -> int:
    """The pallet's ``mul_div_u64``: ``a * b / denom`` truncated, 0 for a zero ``denom``, capped at u64."""
    return 0 if denom == 0 else min(a * b // denom, U64_MAX)


def _hotkeys_with_fund(ext: Externalities, coldkey: bytes) -> list[bytes]:
    """The coldkey's staking hotkeys; raises if any runs a fund with shares (see the exception)."""
    hotkeys = st.StakingHotkeys.get(ext, coldkey)
    for hotkey in hotkeys:
        if st.BasketShares.get(ext, hotkey):
            raise BasketValuationUnsupported(f"basket of hotkey 0x{hotkey.hex()} has outstanding shares")
    return hotkeys


def root_basket_owed(ext: Externalities, coldkey: bytes) -> int:
    """``get_root_basket_owed_tao``: Σ over staking hotkeys of the basket payout.

    A payout is ``mul_div_u64(min(owed, P), NAV, P).min(NAV)`` with ``P = BasketShares(hotkey)``; with
    no outstanding shares (P = 0) it is exactly 0 whatever the owed shares and NAV.
    """
    total = 0
    for _hotkey in _hotkeys_with_fund(ext, coldkey):
        total = min(total + mul_div_u64(0, 0, 0), U64_MAX)
    return total


def root_basket_positions(ext: Externalities, coldkey: bytes) -> list[tuple[bytes, int, int]]:
    """``get_root_basket_positions``: (hotkey, owed shares, payout) where ``min(owed, P) > 0``.

    With ``P = BasketShares(hotkey) = 0`` no hotkey qualifies, so the list is empty.
    """
    _hotkeys_with_fund(ext, coldkey)
    return []
