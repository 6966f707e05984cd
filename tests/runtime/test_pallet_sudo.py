"""pallet_sudo: key checks, Root / Signed re-dispatch with rolled-back failures, key changes, fees, metadata."""

from __future__ import annotations

from typing import Annotated, Any

import pytest

from runtime.pallets import sudo, utility
from runtime.pallets.system.pallet import Remarked
from runtime.primitives.hashing import blake2_256
from runtime.scale import U8, Err, Ok, Vec
from runtime.support.context import Context
from runtime.support.dispatch import DispatchError, Origin, Pays, Weight, ensure_root
from runtime.support.pallet import Pallet, PalletCalls

from tests.runtime.pallet_checks import events, mock_runtime, module_error, new_ctx, pallet_metadata_diff

# A test pallet whose call writes storage and then fails as Root, to observe the rollback.
probe_calls = PalletCalls("pallet_probe")


@probe_calls.call(0, weight=Weight(1_000, 10))
def write_then_fail(ctx: Context, origin: Origin, key: Annotated[bytes, Vec(U8), "Vec<u8>"]) -> None:
    ensure_root(origin)
    ctx.set(key, b"written")
    raise DispatchError("Exhausted")


PROBE = Pallet("Probe", calls=probe_calls)
RUNTIME = mock_runtime((11, utility.PALLET), (12, sudo.PALLET), (99, PROBE))
ALICE, BOB, CHARLIE = (bytes([n]) * 32 for n in (1, 2, 3))


def remark_with_event(data: bytes = b"hi") -> Any:
    return ("System", ("remark_with_event", {"remark": data}))


def set_storage(key: bytes, value: bytes) -> Any:
    return ("System", ("set_storage", {"items": [(key, value)]}))


def sudo_call(call: Any) -> Any:
    return ("Sudo", ("sudo", {"call": call}))


@pytest.fixture
def ctx() -> Context:
    ctx = new_ctx(RUNTIME)
    sudo.genesis(ctx, {"key": "0x" + ALICE.hex()})
    return ctx


def error_of(ctx: Context, origin: Origin, call: Any) -> Any:
    with pytest.raises(DispatchError) as info:
        ctx.dispatch(origin, call)
    return RUNTIME.dispatch_error_value(info.value)


def test_genesis_key(ctx: Context) -> None:
    assert sudo.key(ctx) == ALICE
    empty = new_ctx(RUNTIME)
    sudo.genesis(empty, {"key": None})
    assert sudo.key(empty) is None


def test_sudo_dispatches_as_root_without_fee(ctx: Context) -> None:
    post = ctx.dispatch(Origin.signed(ALICE), sudo_call(set_storage(b":k", b"v")))
    assert post.pays_fee is Pays.No
    assert ctx.get(b":k") == b"v"
    assert events(ctx) == [("Sudo", ("Sudid", {"sudo_result": Ok(())}))]


def test_failed_inner_call_is_rolled_back_and_reported(ctx: Context) -> None:
    call = ("Probe", ("write_then_fail", {"key": b":probe"}))
    post = ctx.dispatch(Origin.signed(ALICE), sudo_call(call))
    assert post.pays_fee is Pays.No
    assert ctx.get(b":probe") is None
    assert events(ctx) == [("Sudo", ("Sudid", {"sudo_result": Err("Exhausted")}))]


def test_inner_module_error_value(ctx: Context) -> None:
    ctx.dispatch(Origin.signed(ALICE), sudo_call(("System", ("set_code", {"code": b""}))))
    (event,) = events(ctx)
    assert event == ("Sudo", ("Sudid", {"sudo_result": Err(module_error(RUNTIME, "System", 2))}))


def test_root_origin_is_not_signed(ctx: Context) -> None:
    ctx.dispatch(Origin.signed(ALICE), sudo_call(remark_with_event()))
    assert events(ctx) == [("Sudo", ("Sudid", {"sudo_result": Err("BadOrigin")}))]


def test_only_the_key_or_root(ctx: Context) -> None:
    call = sudo_call(set_storage(b":k", b"v"))
    assert error_of(ctx, Origin.signed(BOB), call) == module_error(RUNTIME, "Sudo", 0)
    assert error_of(ctx, Origin.none(), call) == "BadOrigin"
    ctx.dispatch(Origin.root(), call)  # FRAME's ensure_signed_or_root
    assert ctx.get(b":k") == b"v"
    no_key = new_ctx(RUNTIME)
    assert error_of(no_key, Origin.signed(ALICE), call) == module_error(RUNTIME, "Sudo", 0)


def test_sudo_weight_adds_the_inner_call() -> None:
    inner = set_storage(b":k", b"v")
    info = RUNTIME.call_info(sudo_call(inner))
    assert info.weight == sudo.SUDO_WEIGHT + RUNTIME.call_info(inner).weight
    assert sudo.SUDO_WEIGHT == Weight(10_729_000 + 25_000_000, 1_517)
    unchecked = ("Sudo", ("sudo_unchecked_weight", {"call": inner, "weight": Weight(7, 8)}))
    assert RUNTIME.call_info(unchecked).weight == Weight(7, 8)


def test_sudo_unchecked_weight(ctx: Context) -> None:
    call = ("Sudo", ("sudo_unchecked_weight", {"call": set_storage(b":k", b"v"), "weight": Weight(1, 1)}))
    assert error_of(ctx, Origin.signed(BOB), call) == module_error(RUNTIME, "Sudo", 0)
    assert ctx.dispatch(Origin.signed(ALICE), call).pays_fee is Pays.No
    assert ctx.get(b":k") == b"v"


def test_sudo_as_dispatches_as_the_account(ctx: Context) -> None:
    call = ("Sudo", ("sudo_as", {"who": ("Id", BOB), "call": remark_with_event(b"x")}))
    assert error_of(ctx, Origin.signed(CHARLIE), call) == module_error(RUNTIME, "Sudo", 0)
    assert ctx.dispatch(Origin.signed(ALICE), call).pays_fee is Pays.No
    assert events(ctx) == [Remarked(sender=BOB, hash=blake2_256(b"x")),
                           ("Sudo", ("SudoAsDone", {"sudo_result": Ok(())}))]
    failing = ("Sudo", ("sudo_as", {"who": ("Id", BOB), "call": set_storage(b":k", b"v")}))
    ctx.dispatch(Origin.signed(ALICE), failing)
    assert events(ctx)[-1] == ("Sudo", ("SudoAsDone", {"sudo_result": Err("BadOrigin")}))
    unknown = ("Sudo", ("sudo_as", {"who": ("Index", None), "call": remark_with_event()}))
    assert error_of(ctx, Origin.signed(ALICE), unknown) == "CannotLookup"


def test_set_key(ctx: Context) -> None:
    call = ("Sudo", ("set_key", {"new": ("Address32", BOB)}))
    assert error_of(ctx, Origin.signed(BOB), call) == module_error(RUNTIME, "Sudo", 0)
    assert ctx.dispatch(Origin.signed(ALICE), call).pays_fee is Pays.No
    assert sudo.key(ctx) == BOB
    assert events(ctx) == [("Sudo", ("KeyChanged", {"old": ALICE, "new": BOB}))]
    assert error_of(ctx, Origin.signed(ALICE), sudo_call(set_storage(b":k", b"v"))) == module_error(RUNTIME, "Sudo", 0)


def test_remove_key(ctx: Context) -> None:
    call = ("Sudo", ("remove_key", {}))
    assert error_of(ctx, Origin.signed(BOB), call) == module_error(RUNTIME, "Sudo", 0)
    assert ctx.dispatch(Origin.signed(ALICE), call).pays_fee is Pays.No
    assert sudo.key(ctx) is None
    assert events(ctx) == [("Sudo", "KeyRemoved")]
    assert error_of(ctx, Origin.signed(ALICE), call) == module_error(RUNTIME, "Sudo", 0)
    set_key = ("Sudo", ("set_key", {"new": ("Id", ALICE)}))
    ctx.dispatch(Origin.root(), set_key)  # Root can still install a key
    assert events(ctx)[-1] == ("Sudo", ("KeyChanged", {"old": None, "new": ALICE}))


def test_call_encoding() -> None:
    call = sudo_call(("System", ("remark", {"remark": b"ab"})))
    encoded = RUNTIME.encode_call(call)
    assert encoded == bytes([12, 0, 0, 0, 2 << 2]) + b"ab"
    assert RUNTIME.decode_call(encoded) == call


def test_metadata_matches_golden(golden: Any) -> None:
    assert pallet_metadata_diff(sudo.PALLET, golden, 12) == []
