"""pallet_timestamp: the once-per-block inherent, MinimumPeriod, inherent helpers, metadata shape."""

from __future__ import annotations

from typing import Any

import pytest

from runtime.pallets import timestamp
from runtime.support.dispatch import DispatchClass, DispatchError, Origin
from runtime.support.context import Context

from tests.runtime.pallet_checks import mock_runtime, new_ctx, pallet_metadata_diff

RUNTIME = mock_runtime((2, timestamp.PALLET))


def set_call(now: int) -> Any:
    return ("Timestamp", ("set", {"now": now}))


@pytest.fixture
def ctx() -> Context:
    return new_ctx(RUNTIME)


def test_set_stores_time_and_finalize_clears_flag(ctx: Context) -> None:
    ctx.dispatch(Origin.none(), set_call(1_000))
    assert timestamp.now(ctx) == 1_000
    assert timestamp.DidUpdate.get(ctx) is True
    timestamp.on_finalize(ctx, 1)
    assert not timestamp.DidUpdate.exists(ctx)
    assert timestamp.now(ctx) == 1_000


def test_set_requires_none_origin(ctx: Context) -> None:
    for origin in (Origin.signed(bytes(32)), Origin.root()):
        with pytest.raises(DispatchError) as info:
            ctx.dispatch(origin, set_call(1_000))
        assert RUNTIME.dispatch_error_value(info.value) == "BadOrigin"
    assert not timestamp.DidUpdate.exists(ctx)


def test_only_once_per_block(ctx: Context) -> None:
    ctx.dispatch(Origin.none(), set_call(1_000))
    with pytest.raises(timestamp.TimestampPanic, match="only once"):
        ctx.dispatch(Origin.none(), set_call(2_000))


def test_must_advance_by_minimum_period(ctx: Context) -> None:
    timestamp.Now.put(ctx, 10_000)
    with pytest.raises(timestamp.TimestampPanic, match="MinimumPeriod"):
        ctx.dispatch(Origin.none(), set_call(10_000 + timestamp.minimum_period() - 1))
    ctx.dispatch(Origin.none(), set_call(10_000 + timestamp.minimum_period()))
    assert timestamp.now(ctx) == 10_125


def test_first_timestamp_may_be_anything(ctx: Context) -> None:
    ctx.dispatch(Origin.none(), set_call(1))
    assert timestamp.now(ctx) == 1


def test_block_without_timestamp_is_invalid(ctx: Context) -> None:
    with pytest.raises(timestamp.TimestampPanic, match="updated once"):
        timestamp.on_finalize(ctx, 1)


def test_call_info_is_mandatory_with_benchmarked_weight() -> None:
    info = RUNTIME.call_info(set_call(5))
    assert info.dispatch_class is DispatchClass.Mandatory
    assert (info.weight.ref_time, info.weight.proof_size) == (8_684_000 + 2 * 25_000_000 + 100_000_000, 1_493)
    assert timestamp.on_initialize(new_ctx(RUNTIME), 1) == timestamp.ON_FINALIZE_WEIGHT


def test_create_inherent_respects_minimum(ctx: Context) -> None:
    assert timestamp.create_inherent(5_000) == set_call(5_000)
    timestamp.Now.put(ctx, 5_000)
    assert timestamp.create_inherent(5_010, ctx) == set_call(5_125)
    assert timestamp.create_inherent(9_000, ctx) == set_call(9_000)
    assert timestamp.is_inherent(set_call(1))
    assert not timestamp.is_inherent(("System", ("remark", {"remark": b""})))


def test_check_inherent(ctx: Context) -> None:
    timestamp.Now.put(ctx, 5_000)
    timestamp.check_inherent(ctx, set_call(5_125), local_now=5_125)
    timestamp.check_inherent(ctx, set_call(5_125 + 30_000), local_now=5_125)
    with pytest.raises(timestamp.InherentError) as early:
        timestamp.check_inherent(ctx, set_call(5_124), local_now=6_000)
    assert early.value.kind == "TooEarly" and early.value.is_fatal
    with pytest.raises(timestamp.InherentError) as future:
        timestamp.check_inherent(ctx, set_call(5_126 + 30_000), local_now=5_125)
    assert future.value.kind == "TooFarInFuture"
    timestamp.check_inherent(ctx, ("System", ("remark", {"remark": b""})), local_now=0)


def test_fast_and_normal_configuration() -> None:
    assert timestamp.minimum_period() == 125
    try:
        timestamp.configure(fast=False)
        assert timestamp.minimum_period() == 6_000
        assert timestamp.PALLET.constants[0].encoded() == (6_000).to_bytes(8, "little")
    finally:
        timestamp.configure(fast=True)
    assert timestamp.PALLET.constants[0].encoded() == (125).to_bytes(8, "little")


def test_golden_inherent_bytes_decode(golden: Any) -> None:
    extrinsic = bytes.fromhex(golden["block"]["raw"]["block"]["extrinsics"][0][2:])
    # compact length 10, then the bare (unsigned, v5) extrinsic: version byte, call
    assert extrinsic[0] == 10 << 2 and extrinsic[1] == 0x05
    call = RUNTIME.decode_call(extrinsic[2:])
    assert call == set_call(1_789_516_218_750)
    assert RUNTIME.encode_call(timestamp.create_inherent(1_789_516_218_750)) == extrinsic[2:]


def test_metadata_matches_golden(golden: Any) -> None:
    assert pallet_metadata_diff(timestamp.PALLET, golden, 2) == []
