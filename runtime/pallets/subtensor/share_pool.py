"""The per-(hotkey, subnet) alpha share pool: node-subtensor's ``share_pool::SharePool`` over the
``HotkeyAlphaSharePoolDataOperations`` storage layer, in integers only.

One pool per (hotkey, netuid):

* ``shared_value`` = ``TotalHotkeyAlpha[hotkey][netuid]`` (u64; the entry is removed at 0);
* ``denominator`` = ``TotalHotkeySharesV2[hotkey][netuid]`` (SafeFloat), the legacy U64F64
  ``TotalHotkeyShares`` taking precedence while it exists;
* ``share(coldkey)`` = ``AlphaV2[(hotkey, coldkey, netuid)]`` (SafeFloat), the legacy U64F64 ``Alpha``
  taking precedence while it exists.

Writing a share or the denominator deletes its legacy entry (the reference's lazy migration) and stores
the SafeFloat, or removes the entry when it is zero. A coldkey's value is
``floor(shared_value · share / denominator)`` in SafeFloat arithmetic.

SafeFloat values are ``(mantissa, exponent)`` pairs (see :mod:`.queries` for add/div/mul_div); the
subtraction the pool needs is added here with the reference's saturating mantissa subtraction.
"""

from __future__ import annotations

from bisect import bisect_right
from typing import Any

from runtime.pallets.subtensor import storage as st
from runtime.pallets.subtensor.queries import (
    ZERO, SafeFloatValue, _cappow10, _normalize, safe_float_add, safe_float_from_fixed, safe_float_mul_div,
    safe_float_new, safe_float_to_u64,
)
from runtime.primitives.hashing import blake2_128_concat
from runtime.support.externalities import Externalities
from runtime.support.storage import StorageEntry

U64_MAX = (1 << 64) - 1


def safe_float_sub(a: SafeFloatValue, b: SafeFloatValue) -> SafeFloatValue | None:
    """``SafeFloat::sub``: ``a − b`` aligned on the larger exponent, the mantissa difference saturating
    at 0; None for ``0 − b`` with a non-zero ``b``."""
    if a[0] == 0:
        return ZERO if b[0] == 0 else None
    if b[0] == 0:
        return a
    if a[1] >= b[1]:
        return _normalize(max(a[0] - b[0] // _cappow10(a[1] - b[1]), 0), a[1])
    return _normalize(max(a[0] // _cappow10(b[1] - a[1]) - b[0], 0), b[1])


_POWERS_OF_TEN = [10**k for k in range(22)]


def from_u64(value: int) -> SafeFloatValue:
    """``SafeFloat::new(value, 0).unwrap_or_default()``.

    For ``0 < value <= u64::MAX`` the normalisation (scale by ten until ``1e20 < mantissa <= 1e21``)
    is one multiplication: a ``d``-digit value needs ``10**(21 - d)``, one more for an exact power of
    ten. It runs twice per share-pool update, and the digit-by-digit loop was a visible part of it."""
    if not 0 < value <= U64_MAX:
        return safe_float_new(value) or ZERO
    digits = bisect_right(_POWERS_OF_TEN, value)
    scale = 21 - digits + (_POWERS_OF_TEN[digits - 1] == value)
    return value * _POWERS_OF_TEN[scale], -scale


def _encode(value: SafeFloatValue) -> dict[str, int]:
    return {"mantissa": value[0], "exponent": value[1]}


def _decode(value: Any) -> SafeFloatValue:
    return int(value["mantissa"]), int(value["exponent"])


# -- raw storage keys and values -----------------------------------------------------------------------------
# The payout of an epoch does ~15 storage accesses per hotkey; building each key through the generic
# codec and hasher path cost more than the arithmetic. Keys of the (hotkey[, coldkey], netuid) items
# are assembled here from a memo of account hashes; the item shapes are checked once against the
# declarations, and anything unexpected takes the generic ``StorageEntry.key`` path.

_ACCOUNT_PARTS: dict[bytes, bytes] = {}
_ACCOUNT_PARTS_MAX = 1 << 16
_ACCOUNT = ("Blake2_128Concat", "sp_core::crypto::AccountId32")
_NETUID = ("Identity", "subtensor_runtime_common::NetUid")
_SHAPES: dict[str, tuple[tuple[str, str], ...]] = {
    "h": (_ACCOUNT,), "hn": (_ACCOUNT, _NETUID), "nh": (_NETUID, _ACCOUNT), "hhn": (_ACCOUNT, _ACCOUNT, _NETUID),
}
_CHECKED: dict[int, str] = {}  # id(item) -> its verified shape


def _shape_ok(item: StorageEntry, shape: str) -> bool:
    if _CHECKED.get(id(item)) == shape:
        return True
    declared = tuple((hasher.name, str(codec)) for hasher, codec in item.keys)
    if declared != _SHAPES[shape]:
        return False
    _CHECKED[id(item)] = shape
    return True


def account_part(account: bytes) -> bytes | None:
    """``Blake2_128Concat`` of an ``AccountId32`` key (memoised: pure), None for anything but 32 bytes."""
    part = _ACCOUNT_PARTS.get(account)  # type: ignore[arg-type]
    if part is None:
        if type(account) is not bytes or len(account) != 32:
            return None
        if len(_ACCOUNT_PARTS) >= _ACCOUNT_PARTS_MAX:
            _ACCOUNT_PARTS.clear()
        part = _ACCOUNT_PARTS[account] = blake2_128_concat(account)
    return part


def key_h(item: StorageEntry, account: bytes) -> bytes:
    """``item.key(account)`` for a map keyed by one Blake2_128Concat account."""
    part = account_part(account)
    return item.prefix + part if part is not None and _shape_ok(item, "h") else item.key(account)


def key_hn(item: StorageEntry, account: bytes, netuid: int) -> bytes:
    """``item.key(account, netuid)`` for a (Blake2_128Concat account, Identity netuid) map."""
    part = account_part(account)
    if part is None or not _shape_ok(item, "hn") or not 0 <= netuid <= 0xFFFF:
        return item.key(account, netuid)
    return item.prefix + part + netuid.to_bytes(2, "little")


def key_nh(item: StorageEntry, netuid: int, account: bytes) -> bytes:
    """``item.key(netuid, account)`` for an (Identity netuid, Blake2_128Concat account) map."""
    part = account_part(account)
    if part is None or not _shape_ok(item, "nh") or not 0 <= netuid <= 0xFFFF:
        return item.key(netuid, account)
    return item.prefix + netuid.to_bytes(2, "little") + part


def key_hhn(item: StorageEntry, hotkey: bytes, coldkey: bytes, netuid: int) -> bytes:
    """``item.key(hotkey, coldkey, netuid)`` for the (account, account, netuid) share maps."""
    hot, cold = account_part(hotkey), account_part(coldkey)
    if hot is None or cold is None or not _shape_ok(item, "hhn") or not 0 <= netuid <= 0xFFFF:
        return item.key(hotkey, coldkey, netuid)
    return item.prefix + hot + cold + netuid.to_bytes(2, "little")


_POOL_SHAPES_OK = all(_shape_ok(item, shape) for item, shape in (
    (st.TotalHotkeyAlpha, "hn"), (st.TotalHotkeyShares, "hn"), (st.TotalHotkeySharesV2, "hn"),
    (st.Alpha, "hhn"), (st.AlphaV2, "hhn")))


def get_u64(ext: Externalities, key: bytes) -> int:
    """A stored ``u64``/``AlphaBalance`` (0 when absent, the items' default)."""
    raw = ext.get(key)
    return 0 if raw is None else int.from_bytes(raw, "little")


def put_u64(ext: Externalities, key: bytes, value: int) -> None:
    ext.set(key, value.to_bytes(8, "little"))


def _raw_safe_float(raw: bytes) -> SafeFloatValue:
    """A SCALE ``SafeFloat`` (u128 mantissa, i64 exponent)."""
    if len(raw) != 24:
        return _decode(st.AlphaV2.value.decode(raw))  # the codec raises on a malformed value
    return int.from_bytes(raw[:16], "little"), int.from_bytes(raw[16:], "little", signed=True)


def _raw_u64f64(raw: bytes) -> int:
    if len(raw) != 16:
        return int(st.Alpha.value.decode(raw).bits)
    return int.from_bytes(raw, "little")


def _safe_float_bytes(value: SafeFloatValue) -> bytes:
    return value[0].to_bytes(16, "little") + value[1].to_bytes(8, "little", signed=True)


class AlphaSharePool:
    """The share pool of ``hotkey`` on ``netuid``, reading and writing storage directly."""

    __slots__ = ("ext", "hotkey", "netuid", "_k_value", "_k_legacy_denominator", "_k_denominator", "_hot")

    def __init__(self, ext: Externalities, hotkey: bytes, netuid: int) -> None:
        self.ext = ext
        self.hotkey = hotkey
        self.netuid = netuid
        self._hot = account_part(hotkey) if _POOL_SHAPES_OK and 0 <= netuid <= 0xFFFF else None
        if self._hot is not None:  # the three pool items share the (hotkey, netuid) key suffix
            suffix = self._hot + netuid.to_bytes(2, "little")
            self._k_value = st.TotalHotkeyAlpha.prefix + suffix
            self._k_legacy_denominator = st.TotalHotkeyShares.prefix + suffix
            self._k_denominator = st.TotalHotkeySharesV2.prefix + suffix
        else:
            self._k_value = key_hn(st.TotalHotkeyAlpha, hotkey, netuid)
            self._k_legacy_denominator = key_hn(st.TotalHotkeyShares, hotkey, netuid)
            self._k_denominator = key_hn(st.TotalHotkeySharesV2, hotkey, netuid)

    # -- the data layer ----------------------------------------------------------------------------------

    def shared_value(self) -> int:
        return get_u64(self.ext, self._k_value)

    def _share_keys(self, coldkey: bytes) -> tuple[bytes, bytes]:
        cold = account_part(coldkey) if self._hot is not None else None
        if cold is None:
            return (key_hhn(st.Alpha, self.hotkey, coldkey, self.netuid),
                    key_hhn(st.AlphaV2, self.hotkey, coldkey, self.netuid))
        suffix = self._hot + cold + self.netuid.to_bytes(2, "little")  # type: ignore[operator]
        return st.Alpha.prefix + suffix, st.AlphaV2.prefix + suffix

    def _try_get_share(self, legacy_key: bytes, key: bytes) -> tuple[SafeFloatValue | None, bool]:
        """The share (None without an entry) and whether it came from the legacy item."""
        legacy = self.ext.get(legacy_key)
        if legacy is not None:
            return safe_float_from_fixed(_raw_u64f64(legacy)), True
        current = self.ext.get(key)
        return (None if current is None else _raw_safe_float(current)), False

    def try_get_share(self, coldkey: bytes) -> SafeFloatValue | None:
        return self._try_get_share(*self._share_keys(coldkey))[0]

    def get_share(self, coldkey: bytes) -> SafeFloatValue:
        share = self.try_get_share(coldkey)
        return ZERO if share is None else share

    def _denominator(self) -> tuple[SafeFloatValue, bool]:
        """The denominator and whether it came from the legacy item."""
        legacy = self.ext.get(self._k_legacy_denominator)
        if legacy is not None:
            return safe_float_from_fixed(_raw_u64f64(legacy)), True
        current = self.ext.get(self._k_denominator)
        return (ZERO if current is None else _raw_safe_float(current)), False

    def denominator(self) -> SafeFloatValue:
        return self._denominator()[0]

    def set_shared_value(self, value: int) -> None:
        if value:
            put_u64(self.ext, self._k_value, value)
        else:
            self.ext.clear(self._k_value)

    def _set_share(self, legacy_key: bytes, key: bytes, share: SafeFloatValue, legacy_exists: bool) -> None:
        if legacy_exists:
            self.ext.clear(legacy_key)
        if share[0]:
            self.ext.set(key, _safe_float_bytes(share))
        else:
            self.ext.clear(key)

    def set_share(self, coldkey: bytes, share: SafeFloatValue) -> None:
        legacy_key, key = self._share_keys(coldkey)
        self._set_share(legacy_key, key, share, self.ext.get(legacy_key) is not None)

    def _set_denominator(self, value: SafeFloatValue, legacy_exists: bool) -> None:
        if legacy_exists:
            self.ext.clear(self._k_legacy_denominator)
        if value[0]:
            self.ext.set(self._k_denominator, _safe_float_bytes(value))
        else:
            self.ext.clear(self._k_denominator)

    def set_denominator(self, value: SafeFloatValue) -> None:
        self._set_denominator(value, self.ext.get(self._k_legacy_denominator) is not None)

    # -- the pool ----------------------------------------------------------------------------------------

    def value_of_shares(self, share: SafeFloatValue) -> int:
        value = safe_float_mul_div(from_u64(self.shared_value()), share, self.denominator())
        return safe_float_to_u64(value or ZERO)

    def get_value(self, coldkey: bytes) -> int:
        return self.value_of_shares(self.get_share(coldkey))

    def try_get_value(self, coldkey: bytes) -> int | None:
        """The coldkey's value, or None when it holds no share entry at all."""
        return None if self.try_get_share(coldkey) is None else self.get_value(coldkey)

    def update_value_for_all(self, update: int) -> int:
        """Every holder gains (or loses) pro rata: only the shared value changes (saturating u64). Returns
        the new shared value."""
        value = min(max(self.shared_value() + update, 0), U64_MAX)
        self.set_shared_value(value)
        return value

    def _shares_per_update(self, update: int, shared_value: int, denominator: SafeFloatValue) -> SafeFloatValue:
        return safe_float_mul_div(from_u64(abs(update)), denominator, from_u64(shared_value)) or ZERO

    def sim_update_value_for_one(self, update: int) -> bool:
        """Whether adding ``update`` would mint a non-zero number of shares (always, for an empty pool)."""
        denominator = self.denominator()
        if denominator[0] == 0:
            return True
        return self._shares_per_update(update, self.shared_value(), denominator)[0] != 0

    def update_value_for_one(self, coldkey: bytes, update: int) -> None:
        """Add (``update`` > 0) or remove value for one coldkey, minting or burning the matching shares.

        An empty pool (zero denominator) restarts at ``share = denominator = |update|``. A SafeFloat
        overflow keeps the old share / denominator, as the reference does. (Each item is read once; the
        writes are the same as through the setters.)
        """
        shared_value = self.shared_value()
        legacy_key, key = self._share_keys(coldkey)
        share, legacy_share = self._try_get_share(legacy_key, key)
        current = ZERO if share is None else share
        denominator, legacy_denominator = self._denominator()
        if denominator[0] == 0:
            fresh = from_u64(abs(update))
            self._set_denominator(fresh, legacy_denominator)
            self._set_share(legacy_key, key, fresh, legacy_share)
        else:
            if update == 0:  # the delta is 0 and subtracting 0 returns both operands (payouts of 0 are common)
                new_denominator, new_share = denominator, current
            else:
                delta = self._shares_per_update(update, shared_value, denominator)
                op = safe_float_add if update > 0 else safe_float_sub
                new_denominator = op(denominator, delta)
                new_share = op(current, delta)
            self._set_denominator(denominator if new_denominator is None else new_denominator, legacy_denominator)
            self._set_share(legacy_key, key, current if new_share is None else new_share, legacy_share)
        self.set_shared_value(min(max(shared_value + update, 0), U64_MAX))


__all__ = [
    "AlphaSharePool", "account_part", "from_u64", "get_u64", "key_h", "key_hhn", "key_hn", "key_nh", "put_u64",
    "safe_float_sub",
]
