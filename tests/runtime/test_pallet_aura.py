"""pallet_aura: genesis authorities, the slot from the pre-runtime digest, the timestamp/slot check."""

from __future__ import annotations

from typing import Any

import pytest

from runtime.pallets import aura, timestamp
from runtime.pallets.system import storage as system_storage
from runtime.primitives.header import AURA_ENGINE_ID, Consensus, PreRuntime
from runtime.primitives.ss58 import ss58_encode
from runtime.support.context import Context
from runtime.support.dispatch import Origin

from tests.runtime.pallet_checks import mock_runtime, new_ctx, pallet_metadata_diff

RUNTIME = mock_runtime((2, timestamp.PALLET), (3, aura.PALLET))
KEYS = [bytes([i]) * 32 for i in range(1, 4)]


def with_slot(ctx: Context, slot: int) -> None:
    system_storage.DigestItems.put(ctx, (PreRuntime(AURA_ENGINE_ID, slot.to_bytes(8, "little")),))


@pytest.fixture
def ctx() -> Context:
    ctx = new_ctx(RUNTIME)
    aura.genesis(ctx, {"authorities": [ss58_encode(k) for k in KEYS]})
    return ctx


def test_genesis_authorities(ctx: Context) -> None:
    assert aura.authorities(ctx) == KEYS
    with pytest.raises(aura.AuraPanic, match="already initialized"):
        aura.genesis(ctx, {"authorities": [KEYS[0]]})
    empty = new_ctx(RUNTIME)
    aura.genesis(empty, {})
    assert aura.authorities(empty) == []
    with pytest.raises(aura.AuraPanic, match="MaxAuthorities"):
        aura.genesis(empty, {"authorities": [bytes([i]) * 32 for i in range(33)]})


def test_on_initialize_reads_slot_from_digest(ctx: Context) -> None:
    with_slot(ctx, 7)
    assert aura.on_initialize(ctx, 1).ref_time == 2 * 25_000_000 + 100_000_000
    assert aura.current_slot(ctx) == 7
    assert aura.author(ctx) == KEYS[7 % 3]


def test_slot_must_increase(ctx: Context) -> None:
    aura.CurrentSlot.put(ctx, 7)
    with_slot(ctx, 7)
    with pytest.raises(aura.AuraPanic, match="Slot must increase"):
        aura.on_initialize(ctx, 1)
    with_slot(ctx, 6)
    with pytest.raises(aura.AuraPanic):
        aura.on_initialize(ctx, 1)


def test_no_digest_leaves_slot(ctx: Context) -> None:
    aura.CurrentSlot.put(ctx, 7)
    assert aura.on_initialize(ctx, 1).ref_time == 25_000_000
    assert aura.current_slot(ctx) == 7
    assert aura.author(ctx) is None


def test_timestamp_must_fall_in_current_slot(ctx: Context) -> None:
    with_slot(ctx, 40)
    aura.on_initialize(ctx, 1)
    with pytest.raises(aura.AuraPanic, match="CurrentSlot"), ctx.transaction():
        ctx.dispatch(Origin.none(), timestamp.create_inherent(40 * 250 - 1))
    ctx.dispatch(Origin.none(), timestamp.create_inherent(40 * 250 + 249))
    assert timestamp.now(ctx) == 10_249


def test_golden_block_slot_and_timestamp_agree(golden: Any, ctx: Context) -> None:
    from runtime.primitives.header import DigestItem

    logs = [DigestItem.decode(bytes.fromhex(item[2:])) for item in golden["block"]["decoded_header"]["digest"]["logs"]]
    system_storage.DigestItems.put(ctx, tuple(logs))
    assert aura.slot_from_digest(logs) == 7_158_064_875
    aura.on_initialize(ctx, 67)
    now = golden["block"]["decoded_extrinsics"][0]["call"]["call_args"][0]["value"]
    assert aura.slot_of(now) == aura.current_slot(ctx)
    ctx.dispatch(Origin.none(), timestamp.create_inherent(now))


def test_slot_duration_follows_timestamp_config() -> None:
    assert aura.slot_duration() == 250
    try:
        timestamp.configure(fast=False)
        assert aura.slot_duration() == 12_000
    finally:
        timestamp.configure(fast=True)


def test_change_authorities_logs_consensus_digest(ctx: Context) -> None:
    new = [bytes([9]) * 32]
    aura.change_authorities(ctx, new)
    assert aura.authorities(ctx) == new
    (log,) = system_storage.DigestItems.get(ctx)
    # ConsensusLog::AuthoritiesChange (index 1) of a Vec<sr25519 public>
    assert log == Consensus(AURA_ENGINE_ID, b"\x01\x04" + new[0])
    aura.change_authorities(ctx, [])  # refused: a chain needs authors
    assert aura.authorities(ctx) == new


def test_metadata_matches_golden(golden: Any) -> None:
    assert pallet_metadata_diff(aura.PALLET, golden, 3) == []
