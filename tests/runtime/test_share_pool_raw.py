"""The share pool's raw-key storage layer against a plain one.

``AlphaSharePool`` builds its keys from memoised account hashes and reads/writes SCALE bytes directly.
``PlainPool`` below is the same pool written with the typed ``StorageEntry.get/put/kill`` calls; random
sequences of updates (with legacy ``Alpha``/``TotalHotkeyShares`` entries, empty pools, withdrawals to
zero, several hotkeys, coldkeys and subnets) must leave byte-identical storage.
"""

from __future__ import annotations

import random

import pytest

from runtime.pallets.subtensor import share_pool as sp
from runtime.pallets.subtensor import staking
from runtime.pallets.subtensor import storage as st
from runtime.pallets.subtensor.queries import (
    ZERO, safe_float_add, safe_float_from_fixed, safe_float_mul_div, safe_float_to_u64,
)
from runtime.scale import U64F64
from tests.runtime.ext import TestExternalities

U64_MAX = (1 << 64) - 1


class PlainPool:
    """The pool over typed storage calls, one read per use (the straightforward layer)."""

    def __init__(self, ext: TestExternalities, hotkey: bytes, netuid: int) -> None:
        self.ext, self.hotkey, self.netuid = ext, hotkey, netuid

    def shared_value(self) -> int:
        return st.TotalHotkeyAlpha.get(self.ext, self.hotkey, self.netuid)

    def get_share(self, coldkey: bytes) -> tuple[int, int]:
        legacy = st.Alpha.try_get(self.ext, self.hotkey, coldkey, self.netuid)
        if legacy is not None:
            return safe_float_from_fixed(legacy.bits)
        current = st.AlphaV2.try_get(self.ext, self.hotkey, coldkey, self.netuid)
        return ZERO if current is None else (current["mantissa"], current["exponent"])

    def denominator(self) -> tuple[int, int]:
        legacy = st.TotalHotkeyShares.try_get(self.ext, self.hotkey, self.netuid)
        if legacy is not None:
            return safe_float_from_fixed(legacy.bits)
        current = st.TotalHotkeySharesV2.get(self.ext, self.hotkey, self.netuid)
        return current["mantissa"], current["exponent"]

    def set_shared_value(self, value: int) -> None:
        if value:
            st.TotalHotkeyAlpha.put(self.ext, self.hotkey, self.netuid, value)
        else:
            st.TotalHotkeyAlpha.kill(self.ext, self.hotkey, self.netuid)

    def set_share(self, coldkey: bytes, share: tuple[int, int]) -> None:
        if st.Alpha.exists(self.ext, self.hotkey, coldkey, self.netuid):
            st.Alpha.kill(self.ext, self.hotkey, coldkey, self.netuid)
        if share[0]:
            st.AlphaV2.put(self.ext, self.hotkey, coldkey, self.netuid, {"mantissa": share[0], "exponent": share[1]})
        else:
            st.AlphaV2.kill(self.ext, self.hotkey, coldkey, self.netuid)

    def set_denominator(self, value: tuple[int, int]) -> None:
        if st.TotalHotkeyShares.exists(self.ext, self.hotkey, self.netuid):
            st.TotalHotkeyShares.kill(self.ext, self.hotkey, self.netuid)
        if value[0]:
            st.TotalHotkeySharesV2.put(self.ext, self.hotkey, self.netuid, {"mantissa": value[0], "exponent": value[1]})
        else:
            st.TotalHotkeySharesV2.kill(self.ext, self.hotkey, self.netuid)

    def get_value(self, coldkey: bytes) -> int:
        value = safe_float_mul_div(sp.from_u64(self.shared_value()), self.get_share(coldkey), self.denominator())
        return safe_float_to_u64(value or ZERO)

    def update_value_for_all(self, update: int) -> None:
        self.set_shared_value(min(max(self.shared_value() + update, 0), U64_MAX))

    def update_value_for_one(self, coldkey: bytes, update: int) -> None:
        shared_value = self.shared_value()
        current = self.get_share(coldkey)
        denominator = self.denominator()
        if denominator[0] == 0:
            fresh = sp.from_u64(abs(update))
            self.set_denominator(fresh)
            self.set_share(coldkey, fresh)
        else:
            delta = safe_float_mul_div(sp.from_u64(abs(update)), denominator, sp.from_u64(shared_value)) or ZERO
            op = safe_float_add if update > 0 else sp.safe_float_sub
            new_denominator = op(denominator, delta)
            new_share = op(current, delta)
            self.set_denominator(denominator if new_denominator is None else new_denominator)
            self.set_share(coldkey, current if new_share is None else new_share)
        self.update_value_for_all(update)


HOTKEYS = [bytes([0xA0 + i]) * 32 for i in range(3)]
COLDKEYS = [bytes([0xC0 + i]) * 32 for i in range(3)]


def seeded(rng: random.Random) -> TestExternalities:
    ext = TestExternalities()
    for hotkey in HOTKEYS[:2]:  # legacy U64F64 entries that migrate on the first write
        st.TotalHotkeyAlpha.put(ext, hotkey, 1, rng.randint(1, 10**12))
        st.TotalHotkeyShares.put(ext, hotkey, 1, U64F64.from_bits(rng.randint(1, 10**12) << rng.randint(0, 70)))
        for coldkey in COLDKEYS[:2]:
            st.Alpha.put(ext, hotkey, coldkey, 1, U64F64.from_bits(rng.randint(1, 10**11) << rng.randint(0, 70)))
    return ext


@pytest.mark.parametrize("seed", range(12))
def test_raw_pool_writes_what_the_plain_pool_writes(seed: int) -> None:
    rng = random.Random(seed)
    fast, plain = seeded(random.Random(seed)), seeded(random.Random(seed))
    assert fast.state() == plain.state()
    first = rng.randint(1, 10**9)  # a legacy pool and share migrate on this first write
    sp.AlphaSharePool(fast, HOTKEYS[0], 1).update_value_for_one(COLDKEYS[0], first)
    PlainPool(plain, HOTKEYS[0], 1).update_value_for_one(COLDKEYS[0], first)
    assert not st.Alpha.exists(fast, HOTKEYS[0], COLDKEYS[0], 1) and st.Alpha.exists(fast, HOTKEYS[0], COLDKEYS[1], 1)
    assert not st.TotalHotkeyShares.exists(fast, HOTKEYS[0], 1)
    for _ in range(60):
        hotkey, coldkey, netuid = rng.choice(HOTKEYS), rng.choice(COLDKEYS), rng.choice((1, 2, 300))
        kind = rng.random()
        if kind < 0.15:
            amount = rng.randint(0, 10**12)
            sp.AlphaSharePool(fast, hotkey, netuid).update_value_for_all(amount)
            PlainPool(plain, hotkey, netuid).update_value_for_all(amount)
        elif kind < 0.75:
            amount = rng.choice((0, 1, rng.randint(1, 10**9), rng.randint(1, 10**15)))
            sp.AlphaSharePool(fast, hotkey, netuid).update_value_for_one(coldkey, amount)
            PlainPool(plain, hotkey, netuid).update_value_for_one(coldkey, amount)
        else:  # withdraw part or all of what the coldkey holds
            held = PlainPool(plain, hotkey, netuid).get_value(coldkey)
            assert sp.AlphaSharePool(fast, hotkey, netuid).get_value(coldkey) == held
            amount = held if rng.random() < 0.4 else rng.randint(0, held)
            sp.AlphaSharePool(fast, hotkey, netuid).update_value_for_one(coldkey, -amount)
            PlainPool(plain, hotkey, netuid).update_value_for_one(coldkey, -amount)
        assert fast.state() == plain.state()
    assert fast.state() == plain.state()


def test_raw_keys_equal_the_declared_keys_and_fall_back_for_other_shapes() -> None:
    hot, cold = bytes(range(32)), bytes(range(1, 33))
    for netuid in (0, 1, 0x1234, 0xFFFF):
        assert sp.key_hn(st.TotalHotkeyAlpha, hot, netuid) == st.TotalHotkeyAlpha.key(hot, netuid)
        assert sp.key_nh(st.AlphaDividendsPerSubnet, netuid, hot) == st.AlphaDividendsPerSubnet.key(netuid, hot)
        assert sp.key_hhn(st.AlphaV2, hot, cold, netuid) == st.AlphaV2.key(hot, cold, netuid)
    assert sp.key_h(st.Owner, hot) == st.Owner.key(hot)
    # an item of another shape takes the generic path (Keys is (netuid, uid), not (account, netuid))
    assert sp.key_hn(st.Keys, 5, 7) == st.Keys.key(5, 7)  # type: ignore[arg-type]
    assert sp.account_part(b"short") is None


def test_staking_hotkeys_append_matches_the_decoded_list() -> None:
    ext = TestExternalities()
    cold = COLDKEYS[0]
    # a hotkey whose bytes straddle two entries must not count as listed
    a, b = bytes([1]) * 16 + bytes([2]) * 16, bytes([2]) * 16 + bytes([3]) * 16
    straddling = bytes([1]) * 8 + bytes([2]) * 16 + bytes([3]) * 8
    for hotkey in (a, b, straddling, a, b, straddling):
        staking.add_staking_hotkey(ext, cold, hotkey)
    assert st.StakingHotkeys.get(ext, cold) == [a, b, straddling]
    assert ext.get(st.StakingHotkeys.key(cold)) == st.StakingHotkeys.value.encode([a, b, straddling])


def test_from_u64_equals_the_normalising_loop() -> None:
    from runtime.pallets.subtensor.queries import safe_float_new
    rng = random.Random(7)
    values = [0, 1, 9, 10, 11, U64_MAX, 10**19 - 1, 10**19, 10**19 + 1]
    values += [10**k + d for k in range(20) for d in (-1, 0, 1)]
    values += [rng.randint(1, U64_MAX) >> rng.randint(0, 63) for _ in range(20_000)]
    for value in values:
        assert sp.from_u64(value) == (safe_float_new(value) or ZERO), value
