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

from typing import Any

from runtime.pallets.subtensor import storage as st
from runtime.pallets.subtensor.queries import (
    ZERO, SafeFloatValue, _cappow10, _normalize, safe_float_add, safe_float_from_fixed, safe_float_mul_div,
    safe_float_new, safe_float_to_u64,
)
from runtime.support.externalities import Externalities

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


def from_u64(value: int) -> SafeFloatValue:
    """``SafeFloat::new(value, 0).unwrap_or_default()``."""
    return safe_float_new(value) or ZERO


def _encode(value: SafeFloatValue) -> dict[str, int]:
    return {"mantissa": value[0], "exponent": value[1]}


def _decode(value: Any) -> SafeFloatValue:
    return int(value["mantissa"]), int(value["exponent"])


class AlphaSharePool:
    """The share pool of ``hotkey`` on ``netuid``, reading and writing storage directly."""

    __slots__ = ("ext", "hotkey", "netuid")

    def __init__(self, ext: Externalities, hotkey: bytes, netuid: int) -> None:
        self.ext = ext
        self.hotkey = hotkey
        self.netuid = netuid

    # -- the data layer ----------------------------------------------------------------------------------

    def shared_value(self) -> int:
        return st.TotalHotkeyAlpha.get(self.ext, self.hotkey, self.netuid)  # type: ignore[no-any-return]

    def try_get_share(self, coldkey: bytes) -> SafeFloatValue | None:
        legacy = st.Alpha.try_get(self.ext, self.hotkey, coldkey, self.netuid)
        if legacy is not None:
            return safe_float_from_fixed(legacy.bits)
        current = st.AlphaV2.try_get(self.ext, self.hotkey, coldkey, self.netuid)
        return None if current is None else _decode(current)

    def get_share(self, coldkey: bytes) -> SafeFloatValue:
        share = self.try_get_share(coldkey)
        return ZERO if share is None else share

    def denominator(self) -> SafeFloatValue:
        legacy = st.TotalHotkeyShares.try_get(self.ext, self.hotkey, self.netuid)
        if legacy is not None:
            return safe_float_from_fixed(legacy.bits)
        return _decode(st.TotalHotkeySharesV2.get(self.ext, self.hotkey, self.netuid))

    def set_shared_value(self, value: int) -> None:
        if value:
            st.TotalHotkeyAlpha.put(self.ext, self.hotkey, self.netuid, value)
        else:
            st.TotalHotkeyAlpha.kill(self.ext, self.hotkey, self.netuid)

    def set_share(self, coldkey: bytes, share: SafeFloatValue) -> None:
        if st.Alpha.exists(self.ext, self.hotkey, coldkey, self.netuid):
            st.Alpha.kill(self.ext, self.hotkey, coldkey, self.netuid)
        if share[0]:
            st.AlphaV2.put(self.ext, self.hotkey, coldkey, self.netuid, _encode(share))
        else:
            st.AlphaV2.kill(self.ext, self.hotkey, coldkey, self.netuid)

    def set_denominator(self, value: SafeFloatValue) -> None:
        if st.TotalHotkeyShares.exists(self.ext, self.hotkey, self.netuid):
            st.TotalHotkeyShares.kill(self.ext, self.hotkey, self.netuid)
        if value[0]:
            st.TotalHotkeySharesV2.put(self.ext, self.hotkey, self.netuid, _encode(value))
        else:
            st.TotalHotkeySharesV2.kill(self.ext, self.hotkey, self.netuid)

    # -- the pool ----------------------------------------------------------------------------------------

    def value_of_shares(self, share: SafeFloatValue) -> int:
        value = safe_float_mul_div(from_u64(self.shared_value()), share, self.denominator())
        return safe_float_to_u64(value or ZERO)

    def get_value(self, coldkey: bytes) -> int:
        return self.value_of_shares(self.get_share(coldkey))

    def try_get_value(self, coldkey: bytes) -> int | None:
        """The coldkey's value, or None when it holds no share entry at all."""
        return None if self.try_get_share(coldkey) is None else self.get_value(coldkey)

    def update_value_for_all(self, update: int) -> None:
        """Every holder gains (or loses) pro rata: only the shared value changes (saturating u64)."""
        self.set_shared_value(min(max(self.shared_value() + update, 0), U64_MAX))

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
        overflow keeps the old share / denominator, as the reference does.
        """
        shared_value = self.shared_value()
        current = self.get_share(coldkey)
        denominator = self.denominator()
        if denominator[0] == 0:
            fresh = from_u64(abs(update))
            self.set_denominator(fresh)
            self.set_share(coldkey, fresh)
        else:
            delta = self._shares_per_update(update, shared_value, denominator)
            op = safe_float_add if update > 0 else safe_float_sub
            new_denominator = op(denominator, delta)
            new_share = op(current, delta)
            self.set_denominator(denominator if new_denominator is None else new_denominator)
            self.set_share(coldkey, current if new_share is None else new_share)
        self.update_value_for_all(update)


__all__ = ["AlphaSharePool", "from_u64", "safe_float_sub"]
