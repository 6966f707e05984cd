"""pallet_grandpa: genesis set, scheduled/forced changes with their FRNK digests, pause/resume, calls."""

from __future__ import annotations

from typing import Any

import pytest

from runtime.pallets import grandpa
from runtime.pallets.system import storage as system_storage
from runtime.primitives.header import GRANDPA_ENGINE_ID, Consensus
from runtime.scale import DecodeError
from runtime.support.context import Context
from runtime.support.dispatch import DispatchError, Origin

from tests.runtime.pallet_checks import events, mock_runtime, module_error, new_ctx, pallet_metadata_diff

RUNTIME = mock_runtime((4, grandpa.PALLET))
GENESIS = [(bytes([i]) * 32, 1) for i in (1, 2)]
NEXT = [(bytes([7]) * 32, 1)]


def logs(ctx: Context) -> list[Any]:
    return list(system_storage.DigestItems.get(ctx))


def at_block(ctx: Context, number: int) -> None:
    system_storage.Number.put(ctx, number)


@pytest.fixture
def ctx() -> Context:
    ctx = new_ctx(RUNTIME)
    grandpa.genesis(ctx, {"authorities": [["0x" + k.hex(), w] for k, w in GENESIS]})
    return ctx


def raises_module_error(ctx: Context, index: int) -> Any:
    class _Check:
        def __enter__(self) -> None:
            return None

        def __exit__(self, kind: Any, value: Any, tb: Any) -> bool:
            assert isinstance(value, DispatchError), f"expected a module error, got {value!r}"
            assert RUNTIME.dispatch_error_value(value) == module_error(RUNTIME, "Grandpa", index)
            return True
    return _Check()


def test_genesis(ctx: Context) -> None:
    assert grandpa.authorities(ctx) == GENESIS
    assert grandpa.current_set_id(ctx) == 0
    assert grandpa.CurrentSetId.exists(ctx)  # written explicitly, as FRAME's genesis does
    assert grandpa.SetIdSession.get(ctx, 0) == 0
    assert grandpa.State.get(ctx) == "Live"


def test_scheduled_change_signals_then_enacts(ctx: Context) -> None:
    at_block(ctx, 5)
    grandpa.schedule_change(ctx, NEXT, in_blocks=2)
    assert grandpa.pending_change(ctx) == {"scheduled_at": 5, "delay": 2, "next_authorities": NEXT, "forced": None}
    with raises_module_error(ctx, 2):  # ChangePending
        grandpa.schedule_change(ctx, GENESIS, in_blocks=1)

    grandpa.on_finalize(ctx, 5)
    # ConsensusLog::ScheduledChange(ScheduledChange { next_authorities, delay })
    expected = b"\x01" + b"\x04" + NEXT[0][0] + (1).to_bytes(8, "little") + (2).to_bytes(4, "little")
    assert logs(ctx) == [Consensus(GRANDPA_ENGINE_ID, expected)]
    assert grandpa.authorities(ctx) == GENESIS

    system_storage.DigestItems.put(ctx, ())
    at_block(ctx, 6)
    grandpa.on_finalize(ctx, 6)
    assert logs(ctx) == [] and grandpa.authorities(ctx) == GENESIS

    at_block(ctx, 7)
    grandpa.on_finalize(ctx, 7)
    assert grandpa.authorities(ctx) == NEXT
    assert grandpa.pending_change(ctx) is None
    assert events(ctx) == [("Grandpa", ("NewAuthorities", {"authority_set": NEXT}))]
    assert grandpa.current_set_id(ctx) == 0  # no session pallet: the runtime never bumps the set id


def test_immediate_change(ctx: Context) -> None:
    grandpa.schedule_change(ctx, NEXT, in_blocks=0)
    grandpa.on_finalize(ctx, 1)
    assert len(logs(ctx)) == 1 and grandpa.authorities(ctx) == NEXT


def test_forced_change_and_too_soon(ctx: Context) -> None:
    at_block(ctx, 10)
    grandpa.schedule_change(ctx, NEXT, in_blocks=3, forced=8)
    assert grandpa.NextForced.get(ctx) == 16
    grandpa.on_finalize(ctx, 10)
    body = b"\x04" + NEXT[0][0] + (1).to_bytes(8, "little") + (3).to_bytes(4, "little")
    assert logs(ctx) == [Consensus(GRANDPA_ENGINE_ID, b"\x02" + (8).to_bytes(4, "little") + body)]
    at_block(ctx, 13)
    grandpa.on_finalize(ctx, 13)
    at_block(ctx, 15)
    with raises_module_error(ctx, 3):  # TooSoon
        grandpa.schedule_change(ctx, GENESIS, in_blocks=1, forced=14)
    at_block(ctx, 16)
    grandpa.schedule_change(ctx, GENESIS, in_blocks=1, forced=14)


def test_pause_and_resume(ctx: Context) -> None:
    with raises_module_error(ctx, 1):  # ResumeFailed: not paused
        grandpa.schedule_resume(ctx, 1)
    grandpa.schedule_pause(ctx, 1)
    with raises_module_error(ctx, 0):  # PauseFailed: already pending
        grandpa.schedule_pause(ctx, 1)
    grandpa.on_finalize(ctx, 1)
    assert logs(ctx) == [Consensus(GRANDPA_ENGINE_ID, b"\x04" + (1).to_bytes(4, "little"))]
    at_block(ctx, 2)
    grandpa.on_finalize(ctx, 2)
    assert grandpa.State.get(ctx) == "Paused"
    grandpa.schedule_resume(ctx, 0)
    grandpa.on_finalize(ctx, 2)
    assert grandpa.State.get(ctx) == "Live"
    assert logs(ctx)[-1] == Consensus(GRANDPA_ENGINE_ID, b"\x05" + (0).to_bytes(4, "little"))
    assert events(ctx) == [("Grandpa", "Paused"), ("Grandpa", "Resumed")]


def test_note_stalled_is_root_only(ctx: Context) -> None:
    call = ("Grandpa", ("note_stalled", {"delay": 1000, "best_finalized_block_number": 42}))
    with pytest.raises(DispatchError) as info:
        ctx.dispatch(Origin.signed(bytes(32)), call)
    assert RUNTIME.dispatch_error_value(info.value) == "BadOrigin"
    ctx.dispatch(Origin.root(), call)
    assert grandpa.Stalled.get(ctx) == (1000, 42)
    assert RUNTIME.call_info(call).weight.ref_time == 3_631_000 + 100_000_000


def test_equivocation_reports_cannot_succeed(ctx: Context) -> None:
    proof = {"set_id": 0, "equivocation": ("Prevote", {
        "round_number": 1, "identity": GENESIS[0][0],
        "first": ({"target_hash": bytes(32), "target_number": 1}, bytes(64)),
        "second": ({"target_hash": bytes([1]) * 32, "target_number": 1}, bytes(64))})}
    for name, origin in (("report_equivocation", Origin.signed(bytes(32))),
                         ("report_equivocation_unsigned", Origin.none())):
        with raises_module_error(ctx, 5):  # InvalidEquivocationProof
            ctx.dispatch(origin, ("Grandpa", (name, {"equivocation_proof": proof, "key_owner_proof": None})))
    # KeyOwnerProof is sp_core::Void: whatever follows the proof, the call cannot be decoded.
    encoded_proof = grandpa.EquivocationProof.encode(proof)
    for tail in (b"", b"\x00", b"\x01" * 8):
        with pytest.raises(DecodeError):
            RUNTIME.decode_call(b"\x04\x00" + encoded_proof + tail)


def test_metadata_matches_golden(golden: Any) -> None:
    assert pallet_metadata_diff(grandpa.PALLET, golden, 4) == []
