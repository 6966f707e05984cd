"""The payout's raw readers and writers (``emission_distribution``) against the SCALE codecs."""

from __future__ import annotations

import random

from runtime.pallets.subtensor import emission_distribution as ed
from runtime.pallets.subtensor import storage as st
from runtime.scale import I96F32
from tests.runtime.ext import TestExternalities

I96_MAX = (1 << 127) - 1


def test_root_claimable_raw_round_trip_equals_the_codec() -> None:
    rng = random.Random(3)
    for _ in range(200):
        rates = {rng.randrange(0, 1 << 16): rng.randint(-(1 << 127), I96_MAX) for _ in range(rng.randint(0, 6))}
        raw = st.RootClaimable.value.encode({k: I96F32.from_bits(v) for k, v in rates.items()})
        assert ed._claimable_rates(raw) == rates
        assert ed._claimable_bytes(rates) == raw
    assert ed._claimable_rates(None) == {}
    assert ed._claimable_rates(b"\x04" + b"\x00" * 17) is None  # wrong length: left to the codec


def test_increase_root_claimable_writes_the_codec_encoding() -> None:
    ext = TestExternalities()
    hotkey = b"\x11" * 32
    st.TotalHotkeyAlpha.put(ext, hotkey, 0, 10**12)
    st.RootClaimable.put(ext, hotkey, {9: I96F32.from_bits(5), 2: I96F32.from_bits(I96_MAX - 3)})
    ed.increase_root_claimable_for_hotkey_and_subnet(ext, hotkey, 2, 10**9)  # saturates at I96_MAX
    ed.increase_root_claimable_for_hotkey_and_subnet(ext, hotkey, 4, 10**9)  # a new entry in key order
    ed.increase_root_claimable_for_hotkey_and_subnet(ext, hotkey, 9, 10**9)
    increment = ((10**9 << 32) << 32) // (10**12 << 32)  # U96F32 amount / root stake
    expected = {2: I96_MAX, 4: increment, 9: 5 + increment}
    assert {k: v.bits for k, v in st.RootClaimable.get(ext, hotkey).items()} == expected
    assert ext.get(st.RootClaimable.key(hotkey)) == st.RootClaimable.value.encode(
        {k: I96F32.from_bits(v) for k, v in expected.items()})


def test_owner_and_delegate_take_raw_readers_equal_typed_gets() -> None:
    ext = TestExternalities()
    hotkey, other = b"\x21" * 32, b"\x22" * 32
    st.Owner.put(ext, hotkey, b"\x33" * 32)
    st.Delegates.put(ext, hotkey, 4242)
    for key in (hotkey, other):
        assert ed._owner(ext, key) == st.Owner.get(ext, key)
        assert ed._delegate_take(ext, key) == st.Delegates.get(ext, key)
