"""pallet_subtensor_utility: batches, derivative accounts, dispatch_as, with_weight, if_else, nesting filter."""

from __future__ import annotations

from typing import Any

import pytest

from runtime.pallets import sudo, utility
from runtime.pallets.system.pallet import Remarked
from runtime.pallets.utility import nested
from runtime.primitives.hashing import blake2_256
from runtime.scale import Err, Ok
from runtime.support.context import Context
from runtime.support.dispatch import DispatchError, Origin, Weight

from tests.runtime.pallet_checks import (
    events, golden_metadata, mock_runtime, module_error, new_ctx, pallet_metadata_diff, type_diff,
)

RUNTIME = mock_runtime((11, utility.PALLET), (12, sudo.PALLET))
ALICE, BOB = bytes([1]) * 32, bytes([2]) * 32
SIGNED = Origin.signed(ALICE)


def remark(data: bytes = b"hi") -> Any:
    return ("System", ("remark_with_event", {"remark": data}))


def root_only(key: bytes = b":k") -> Any:
    return ("System", ("set_storage", {"items": [(key, b"v")]}))


def u(name: str, **args: Any) -> Any:
    return ("Utility", (name, args))


def remarked(data: bytes = b"hi", sender: bytes = ALICE) -> Any:
    return Remarked(sender=sender, hash=blake2_256(data))


def ev(name: str, **fields: Any) -> Any:
    return ("Utility", (name, fields) if fields else name)


@pytest.fixture
def ctx() -> Context:
    return new_ctx(RUNTIME)


def error_of(ctx: Context, origin: Origin, call: Any) -> Any:
    with pytest.raises(DispatchError) as info:
        ctx.dispatch(origin, call)
    return RUNTIME.dispatch_error_value(info.value)


BAD_ORIGIN = "BadOrigin"
CALL_FILTERED = ("Module", {"index": 0, "error": bytes([5, 0, 0, 0])})


# -- batch ------------------------------------------------------------------------------------------


def test_batch_runs_all(ctx: Context) -> None:
    calls = [remark(b"a"), remark(b"b")]
    post = ctx.dispatch(SIGNED, u("batch", calls=calls))
    assert events(ctx) == [remarked(b"a"), ev("ItemCompleted"), remarked(b"b"), ev("ItemCompleted"),
                           ev("BatchCompleted")]
    inner = sum((RUNTIME.call_info(c).weight for c in calls), Weight())
    assert post.actual_weight == utility.batch_weight(2) + inner
    assert RUNTIME.call_info(u("batch", calls=calls)).weight == utility.batch_weight(2) + inner


def test_batch_stops_at_first_failure(ctx: Context) -> None:
    post = ctx.dispatch(SIGNED, u("batch", calls=[remark(b"a"), root_only(), remark(b"c")]))
    assert events(ctx) == [remarked(b"a"), ev("ItemCompleted"), ev("BatchInterrupted", index=1, error=BAD_ORIGIN)]
    assert ctx.get(b":k") is None
    first_two = RUNTIME.call_info(remark(b"a")).weight + RUNTIME.call_info(root_only()).weight
    assert post.actual_weight == utility.batch_weight(2) + first_two


def test_batch_origin_and_limit(ctx: Context) -> None:
    for name in ("batch", "batch_all", "force_batch"):
        assert error_of(ctx, Origin.none(), u(name, calls=[])) == BAD_ORIGIN
        too_many = [remark()] * (utility.BATCHED_CALLS_LIMIT + 1)
        assert error_of(ctx, SIGNED, u(name, calls=too_many)) == module_error(RUNTIME, "Utility", 0)
    assert events(ctx) == []


def test_root_batch_bypasses_origin_checks(ctx: Context) -> None:
    ctx.dispatch(Origin.root(), u("batch", calls=[root_only(b":a"), root_only(b":b")]))
    assert ctx.get(b":a") == ctx.get(b":b") == b"v"


# -- batch_all --------------------------------------------------------------------------------------


def test_batch_all_is_atomic(ctx: Context) -> None:
    assert error_of(ctx, SIGNED, u("batch_all", calls=[remark(b"a"), root_only()])) == BAD_ORIGIN
    assert events(ctx) == []
    with pytest.raises(DispatchError) as info:
        ctx.dispatch(Origin.root(), u("batch_all", calls=[root_only(b":a"), remark()]))
    assert ctx.get(b":a") is None
    spent = utility.batch_all_weight(2) + RUNTIME.call_info(root_only(b":a")).weight + RUNTIME.call_info(remark()).weight
    assert info.value.post_info.actual_weight == spent  # type: ignore[attr-defined]


def test_batch_all_success(ctx: Context) -> None:
    post = ctx.dispatch(SIGNED, u("batch_all", calls=[remark(b"a")]))
    assert events(ctx) == [remarked(b"a"), ev("ItemCompleted"), ev("BatchCompleted")]
    assert post.actual_weight == utility.batch_all_weight(1) + RUNTIME.call_info(remark(b"a")).weight


# -- force_batch ------------------------------------------------------------------------------------


def test_force_batch_continues(ctx: Context) -> None:
    ctx.dispatch(SIGNED, u("force_batch", calls=[root_only(), remark(b"b")]))
    assert events(ctx) == [ev("ItemFailed", error=BAD_ORIGIN), remarked(b"b"), ev("ItemCompleted"),
                           ev("BatchCompletedWithErrors")]
    ctx2 = new_ctx(RUNTIME)
    ctx2.dispatch(SIGNED, u("force_batch", calls=[remark(b"b")]))
    assert events(ctx2)[-1] == ev("BatchCompleted")


# -- nesting ----------------------------------------------------------------------------------------


def test_no_nesting_filter() -> None:
    inner = u("batch", calls=[remark()])
    assert nested.base_call_filter(inner)
    assert nested.base_call_filter(remark())
    for outer in ("batch", "batch_all", "force_batch"):
        for nested_name in ("batch", "batch_all", "force_batch"):
            assert not nested.base_call_filter(u(outer, calls=[remark(), u(nested_name, calls=[])]))
    assert nested.base_call_filter(u("batch", calls=[u("as_derivative", index=0, call=inner)]))


def test_nested_batch_is_filtered_for_signed_origins(ctx: Context) -> None:
    doubly = u("batch", calls=[u("batch", calls=[remark()])])
    ctx.dispatch(SIGNED, u("batch", calls=[doubly]))
    assert events(ctx) == [ev("BatchInterrupted", index=0, error=CALL_FILTERED)]
    assert error_of(ctx, SIGNED, u("as_derivative", index=0, call=doubly)) == CALL_FILTERED
    root_ctx = new_ctx(RUNTIME)
    root_ctx.dispatch(Origin.root(), u("batch", calls=[u("batch", calls=[root_only()])]))
    assert root_ctx.get(b":k") == b"v"  # Root bypasses the filter


# -- as_derivative ----------------------------------------------------------------------------------


def test_derivative_account() -> None:
    expected = blake2_256(b"modlpy/utilisuba" + ALICE + b"\x05\x00")
    assert utility.derivative_account_id(ALICE, 5) == expected
    assert utility.derivative_account_id(ALICE, 5) != utility.derivative_account_id(ALICE, 6)


def test_as_derivative(ctx: Context) -> None:
    pseudonym = utility.derivative_account_id(ALICE, 3)
    post = ctx.dispatch(SIGNED, u("as_derivative", index=3, call=remark(b"d")))
    assert events(ctx) == [remarked(b"d", sender=pseudonym)]
    assert post.actual_weight == utility.AS_DERIVATIVE_WEIGHT + RUNTIME.call_info(remark(b"d")).weight
    assert error_of(ctx, Origin.root(), u("as_derivative", index=3, call=remark())) == BAD_ORIGIN
    assert error_of(ctx, SIGNED, u("as_derivative", index=3, call=root_only())) == BAD_ORIGIN


# -- dispatch_as / dispatch_as_fallible / with_weight -----------------------------------------------


def test_dispatch_as(ctx: Context) -> None:
    as_bob = ("system", ("Signed", BOB))
    assert error_of(ctx, SIGNED, u("dispatch_as", as_origin=as_bob, call=remark())) == BAD_ORIGIN
    ctx.dispatch(Origin.root(), u("dispatch_as", as_origin=as_bob, call=remark()))
    assert events(ctx) == [remarked(sender=BOB), ev("DispatchedAs", result=Ok(()))]
    ctx.dispatch(Origin.root(), u("dispatch_as", as_origin=as_bob, call=root_only()))
    assert events(ctx)[-1] == ev("DispatchedAs", result=Err(BAD_ORIGIN))
    ctx.dispatch(Origin.root(), u("dispatch_as", as_origin=("system", "Root"), call=root_only()))
    assert ctx.get(b":k") == b"v"
    eth = ("Ethereum", ("EthereumTransaction", bytes(20)))
    ctx.dispatch(Origin.root(), u("dispatch_as", as_origin=eth, call=remark()))
    assert events(ctx)[-1] == ev("DispatchedAs", result=Err(BAD_ORIGIN))


def test_dispatch_as_fallible(ctx: Context) -> None:
    as_bob = ("system", ("Signed", BOB))
    assert error_of(ctx, SIGNED, u("dispatch_as_fallible", as_origin=as_bob, call=remark())) == BAD_ORIGIN
    assert error_of(ctx, Origin.root(), u("dispatch_as_fallible", as_origin=as_bob, call=root_only())) == BAD_ORIGIN
    ctx.dispatch(Origin.root(), u("dispatch_as_fallible", as_origin=as_bob, call=remark()))
    assert events(ctx) == [remarked(sender=BOB), ev("DispatchedAs", result=Ok(()))]


def test_with_weight(ctx: Context) -> None:
    call = u("with_weight", call=root_only(), weight=Weight(5, 6))
    assert RUNTIME.call_info(call).weight == Weight(5, 6)
    assert error_of(ctx, SIGNED, call) == BAD_ORIGIN
    ctx.dispatch(Origin.root(), call)
    assert ctx.get(b":k") == b"v"
    failing = u("with_weight", call=("System", ("set_code", {"code": b""})), weight=Weight())
    assert error_of(ctx, Origin.root(), failing) == module_error(RUNTIME, "System", 2)


# -- if_else ----------------------------------------------------------------------------------------


def test_if_else(ctx: Context) -> None:
    assert error_of(ctx, Origin.none(), u("if_else", main=remark(), fallback=remark())) == BAD_ORIGIN
    post = ctx.dispatch(SIGNED, u("if_else", main=remark(b"m"), fallback=remark(b"f")))
    assert events(ctx) == [remarked(b"m"), ev("IfElseMainSuccess")]
    assert post.actual_weight == utility.IF_ELSE_WEIGHT + RUNTIME.call_info(remark(b"m")).weight
    ctx.dispatch(SIGNED, u("if_else", main=root_only(), fallback=remark(b"f")))
    assert events(ctx)[-2:] == [remarked(b"f"), ev("IfElseFallbackCalled", main_error=BAD_ORIGIN)]
    assert ctx.get(b":k") is None
    both = u("if_else", main=root_only(), fallback=("System", ("set_code", {"code": b""})))
    assert error_of(ctx, SIGNED, both) == BAD_ORIGIN
    assert error_of(ctx, SIGNED, u("if_else", main=root_only(), fallback=root_only())) == BAD_ORIGIN
    # the fallback's error is the one reported
    both_root = u("if_else", main=("System", ("set_code", {"code": b""})), fallback=remark())
    assert error_of(ctx, Origin.root(), both_root) == BAD_ORIGIN
    assert error_of(ctx, Origin.root(), u("if_else", main=remark(), fallback=both[1][1]["fallback"])) == \
        module_error(RUNTIME, "System", 2)


# -- shapes -----------------------------------------------------------------------------------------


def test_call_encoding_round_trip() -> None:
    call = u("dispatch_as", as_origin=("system", ("Signed", BOB)), call=("System", ("remark", {"remark": b"z"})))
    encoded = RUNTIME.encode_call(call)
    assert encoded == bytes([11, 3, 0, 1]) + BOB + bytes([0, 0, 1 << 2]) + b"z"
    assert RUNTIME.decode_call(encoded) == call
    batch = u("batch", calls=[("System", ("remark", {"remark": b""}))] * 2)
    assert RUNTIME.encode_call(batch) == bytes([11, 0, 2 << 2, 0, 0, 0, 0, 0, 0])


def test_origin_caller_matches_golden(golden: Any) -> None:
    _, types = golden_metadata(golden)
    (golden_id,) = [i for i, t in types.items() if t.get("path") == ["node_subtensor_runtime", "OriginCaller"]]
    assert type_diff(utility.OriginCaller, types, golden_id) == []


def test_metadata_matches_golden(golden: Any) -> None:
    assert pallet_metadata_diff(utility.PALLET, golden, 11) == []
    assert utility.PALLET.constants[0].encoded() == (10_922).to_bytes(4, "little")
