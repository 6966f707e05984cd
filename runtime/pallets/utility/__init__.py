"""pallet_subtensor_utility: subtensor's fork of pallet_utility — batches, derivative accounts, re-origining.

* ``batch`` runs calls in order and stops at the first failure (``BatchInterrupted``; the batch itself
  succeeds, earlier calls keep their effects); ``batch_all`` is all-or-nothing and fails with the failing
  call's error; ``force_batch`` runs them all (``ItemFailed`` for each failure).
* ``as_derivative`` dispatches from a pseudonym of the signer (:func:`derivative_account_id`).
* ``dispatch_as`` / ``dispatch_as_fallible`` (Root) dispatch from any :data:`OriginCaller`;
  ``with_weight`` (Root) dispatches as Root with a declared weight; ``if_else`` tries a fallback call
  when the main one fails.

Every inner call runs in its own storage transaction. Calls from a non-Root origin pass through
node-subtensor's ``NoNestingCallFilter`` (no batch directly inside a batch; see :mod:`.nested`), which
rejects with ``System.CallFiltered``; Root bypasses it.
"""

from __future__ import annotations

from typing import Annotated, Any

from runtime.primitives.hashing import blake2_256
from runtime.primitives.types import AccountId32
from runtime.scale import U16, U32, Composite, Enum, FieldInfo, FixedBytes, Ok, Vec, variant
from runtime.pallets.utility import nested
from runtime.support.context import Context
from runtime.support.dispatch import (
    BadOrigin, DB_READ, DB_WRITE, DispatchErrorCodec, DispatchResultCodec, Origin, PostDispatchInfo, Weight,
    ensure_root, ensure_signed,
)
from runtime.support.outer import RuntimeCallRef
from runtime.support.pallet import ConstantDef, Pallet, PalletCalls, PalletErrors, PalletEvents

CRATE = "pallet_subtensor_utility"

# ``batched_calls_limit``: a third of the largest possible allocation, in 1 KiB call slots.
MAX_POSSIBLE_ALLOCATION = 32 * 1024 * 1024
CALL_ALIGN = 1024
BATCHED_CALLS_LIMIT = MAX_POSSIBLE_ALLOCATION // 3 // CALL_ALIGN  # 10922

# -- weights (subtensor's benchmarked SubstrateWeight; DbWeight read 25 µs, write 100 µs) -----------



def batch_weight(count: int) -> Weight:
    return Weight(18_032_209 + 5_341_990 * count + 2 * DB_READ, 3_983)


def batch_all_weight(count: int) -> Weight:
    return Weight(19_625_062 + 6_185_139 * count + 2 * DB_READ, 3_983)


def force_batch_weight(count: int) -> Weight:
    return Weight(21_829_014 + 6_047_455 * count + 2 * DB_READ, 3_983)


AS_DERIVATIVE_WEIGHT = Weight(16_070_000 + 2 * DB_READ, 3_983) + Weight(DB_READ + DB_WRITE, 0)
DISPATCH_AS_WEIGHT = Weight(7_484_000, 0)
DISPATCH_AS_FALLIBLE_WEIGHT = Weight(7_434_000, 0)
IF_ELSE_WEIGHT = Weight(23_143_000 + 2 * DB_READ, 3_983)


def _sum_inner(calls: list[Any]) -> Weight:
    total = Weight()
    for call in calls:
        total = total + nested.call_info(call).weight
    return total


# -- OriginCaller -----------------------------------------------------------------------------------

RawOrigin = Enum("frame_support::dispatch::RawOrigin", [
    variant("Root", 0), variant("Signed", 1, [(None, AccountId32, "AccountId")]), variant("None", 2),
    variant("Authorized", 3),
], params=[("AccountId", AccountId32)])
H160 = Composite("primitive_types::H160", [FieldInfo(None, FixedBytes(20), "[u8; 20]")])
EthereumRawOrigin = Enum("pallet_ethereum::RawOrigin", [
    variant("EthereumTransaction", 0, [(None, H160, "H160")])])
#: node-subtensor's ``OriginCaller`` (the pallets' origins; ``system`` and Frontier's ``Ethereum``).
#: Values: ``("system", "Root")``, ``("system", ("Signed", account))``, ``("Ethereum", ("EthereumTransaction", h160))``…
OriginCaller = Enum("node_subtensor_runtime::OriginCaller", [
    variant("system", 0, [(None, RawOrigin, "frame_system::Origin<Runtime>")]),
    variant("Ethereum", 21, [(None, EthereumRawOrigin, "pallet_ethereum::Origin")]),
])


def origin_from_caller(caller: Any) -> Origin:
    """The dispatch origin an ``OriginCaller`` value stands for.

    ``Authorized`` and Ethereum origins are kept as their own kinds: every call of this runtime that
    checks its origin rejects them with ``BadOrigin``.
    """
    pallet, raw = caller
    if pallet == "system":
        if raw == "Root":
            return Origin.root()
        if raw == "None":
            return Origin.none()
        if raw == "Authorized":
            return Origin("Authorized")
        return Origin.signed(bytes(raw[1]))
    return Origin("Ethereum", bytes(raw[1]))


# -- events and errors ------------------------------------------------------------------------------

events = PalletEvents("Utility", CRATE, params=())
BatchInterrupted = events.event(0, "BatchInterrupted", [("index", U32, "u32"),
                                                        ("error", DispatchErrorCodec, "DispatchError")], [
    " Batch of dispatches did not complete fully. Index of first failing dispatch given, as",
    " well as the error."])
BatchCompleted = events.event(1, "BatchCompleted", [], [" Batch of dispatches completed fully with no error."])
BatchCompletedWithErrors = events.event(2, "BatchCompletedWithErrors", [],
                                        [" Batch of dispatches completed but has errors."])
ItemCompleted = events.event(3, "ItemCompleted", [],
                             [" A single item within a Batch of dispatches has completed with no error."])
ItemFailed = events.event(4, "ItemFailed", [("error", DispatchErrorCodec, "DispatchError")],
                          [" A single item within a Batch of dispatches has completed with error."])
DispatchedAs = events.event(5, "DispatchedAs", [("result", DispatchResultCodec, "DispatchResult")],
                            [" A call was dispatched."])
IfElseMainSuccess = events.event(6, "IfElseMainSuccess", [], [" Main call was dispatched."])
IfElseFallbackCalled = events.event(7, "IfElseFallbackCalled", [("main_error", DispatchErrorCodec, "DispatchError")],
                                    [" The fallback call was dispatched."])

errors = PalletErrors("Utility", CRATE, [
    ("TooManyCalls", "Too many calls batched."),
    ("InvalidDerivedAccount", "Bad input data for derived account ID"),
])

# -- helpers ----------------------------------------------------------------------------------------


def derivative_account_id(who: bytes, index: int) -> bytes:
    """The pseudonym number ``index`` of ``who``: blake2-256 of ``b"modlpy/utilisuba" ++ who ++ index``."""
    return blake2_256(b"modlpy/utilisuba" + bytes(who) + index.to_bytes(2, "little"))


def _reject_none_origin(origin: Origin) -> bool:
    if origin.kind == "None":
        raise BadOrigin()
    return origin.is_root


def _check_len(calls: list[Any]) -> None:
    if len(calls) > BATCHED_CALLS_LIMIT:
        raise errors.TooManyCalls


# -- calls ------------------------------------------------------------------------------------------

calls = PalletCalls(CRATE)
_CALLS = Annotated[list[Any], Vec(RuntimeCallRef), "Vec<<T as Config>::RuntimeCall>"]
_CALL = Annotated[Any, RuntimeCallRef, "Box<<T as Config>::RuntimeCall>"]
_AS_ORIGIN = Annotated[Any, OriginCaller, "Box<T::PalletsOrigin>"]
_WEIGHT = Annotated[Weight, Weight.SCALE, "Weight"]  # type: ignore[attr-defined]


@calls.call(0, weight=lambda a: _sum_inner(a["calls"]) + batch_weight(len(a["calls"])))
def batch(ctx: Context, origin: Origin, calls: _CALLS) -> PostDispatchInfo:
    """Send a batch of dispatch calls.

    May be called from any origin except `None`.

    - `calls`: The calls to be dispatched from the same origin. The number of call must not
      exceed the constant: `batched_calls_limit` (available in constant metadata).

    If origin is root then the calls are dispatched without checking origin filter. (This
    includes bypassing `frame_system::Config::BaseCallFilter`).

    ## Complexity
    - O(C) where C is the number of calls to be batched.

    This will return `Ok` in all circumstances. To determine the success of the batch, an
    event is deposited. If a call failed and the batch was interrupted, then the
    `BatchInterrupted` event is deposited, along with the number of successful calls made
    and the error of the failed call. If all were successful, then the `BatchCompleted`
    event is deposited."""
    is_root = _reject_none_origin(origin)
    _check_len(calls)
    used = Weight()
    for index, call in enumerate(calls):
        info = nested.call_info(call)
        post, error = nested.dispatch(ctx, origin, call, bypass_filter=is_root)
        used = used + nested.actual_weight(info, post)
        if error is not None:
            ctx.deposit_event(BatchInterrupted(index=index, error=ctx.runtime.dispatch_error_value(error)))
            return PostDispatchInfo(actual_weight=batch_weight(index + 1) + used)
        ctx.deposit_event(ItemCompleted())
    ctx.deposit_event(BatchCompleted())
    return PostDispatchInfo(actual_weight=batch_weight(len(calls)) + used)


@calls.call(1, weight=lambda a: AS_DERIVATIVE_WEIGHT + nested.call_info(a["call"]).weight)
def as_derivative(ctx: Context, origin: Origin, index: Annotated[int, U16, "u16"], call: _CALL) -> PostDispatchInfo:
    """Send a call through an indexed pseudonym of the sender.

    Filter from origin are passed along. The call will be dispatched with an origin which
    use the same filter as the origin of this call.

    NOTE: If you need to ensure that any account-based filtering is not honored (i.e.
    because you expect `proxy` to have been used prior in the call stack and you do not want
    the call restrictions to apply to any sub-accounts), then use `as_multi_threshold_1`
    in the Multisig pallet instead.

    NOTE: Prior to version *12, this was called `as_limited_sub`.

    The dispatch origin for this call must be _Signed_."""
    who = ensure_signed(origin)
    pseudonym = derivative_account_id(who, index)
    info = nested.call_info(call)
    post, error = nested.dispatch(ctx, Origin.signed(pseudonym), call)
    used = AS_DERIVATIVE_WEIGHT + nested.actual_weight(info, post)
    if error is not None:
        raise nested.with_post_info(error, used)
    return PostDispatchInfo(actual_weight=used)


@calls.call(2, weight=lambda a: _sum_inner(a["calls"]) + batch_all_weight(len(a["calls"])))
def batch_all(ctx: Context, origin: Origin, calls: _CALLS) -> PostDispatchInfo:
    """Send a batch of dispatch calls and atomically execute them.
    The whole transaction will rollback and fail if any of the calls failed.

    May be called from any origin except `None`.

    - `calls`: The calls to be dispatched from the same origin. The number of call must not
      exceed the constant: `batched_calls_limit` (available in constant metadata).

    If origin is root then the calls are dispatched without checking origin filter. (This
    includes bypassing `frame_system::Config::BaseCallFilter`).

    ## Complexity
    - O(C) where C is the number of calls to be batched."""
    is_root = _reject_none_origin(origin)
    _check_len(calls)
    used = Weight()
    with ctx.transaction():  # all or nothing, even when not dispatched in a transaction of its own
        for index, call in enumerate(calls):
            info = nested.call_info(call)
            post, error = nested.dispatch(ctx, origin, call, bypass_filter=is_root)
            used = used + nested.actual_weight(info, post)
            if error is not None:
                raise nested.with_post_info(error, batch_all_weight(index + 1) + used)
            ctx.deposit_event(ItemCompleted())
        ctx.deposit_event(BatchCompleted())
    return PostDispatchInfo(actual_weight=batch_all_weight(len(calls)) + used)


@calls.call(3, weight=lambda a: DISPATCH_AS_WEIGHT + nested.call_info(a["call"]).weight)
def dispatch_as(ctx: Context, origin: Origin, as_origin: _AS_ORIGIN, call: _CALL) -> None:
    """Dispatches a function call with a provided origin.

    The dispatch origin for this call must be _Root_.

    ## Complexity
    - O(1)."""
    ensure_root(origin)
    _, error = nested.dispatch(ctx, origin_from_caller(as_origin), call, bypass_filter=True)
    ctx.deposit_event(DispatchedAs(result=nested.result_value(ctx, error)))


@calls.call(4, weight=lambda a: _sum_inner(a["calls"]) + force_batch_weight(len(a["calls"])))
def force_batch(ctx: Context, origin: Origin, calls: _CALLS) -> PostDispatchInfo:
    """Send a batch of dispatch calls.
    Unlike `batch`, it allows errors and won't interrupt.

    May be called from any origin except `None`.

    - `calls`: The calls to be dispatched from the same origin. The number of call must not
      exceed the constant: `batched_calls_limit` (available in constant metadata).

    If origin is root then the calls are dispatch without checking origin filter. (This
    includes bypassing `frame_system::Config::BaseCallFilter`).

    ## Complexity
    - O(C) where C is the number of calls to be batched."""
    is_root = _reject_none_origin(origin)
    _check_len(calls)
    used = Weight()
    failed = False
    for call in calls:
        info = nested.call_info(call)
        post, error = nested.dispatch(ctx, origin, call, bypass_filter=is_root)
        used = used + nested.actual_weight(info, post)
        if error is not None:
            failed = True
            ctx.deposit_event(ItemFailed(error=ctx.runtime.dispatch_error_value(error)))
        else:
            ctx.deposit_event(ItemCompleted())
    ctx.deposit_event(BatchCompletedWithErrors() if failed else BatchCompleted())
    return PostDispatchInfo(actual_weight=force_batch_weight(len(calls)) + used)


@calls.call(5, weight=lambda a: a["weight"])
def with_weight(ctx: Context, origin: Origin, call: _CALL, weight: _WEIGHT) -> None:
    """Dispatch a function call with a specified weight.

    This function does not check the weight of the call, and instead allows the
    Root origin to specify the weight of the call.

    The dispatch origin for this call must be _Root_."""
    ensure_root(origin)
    _, error = nested.dispatch(ctx, Origin.root(), call, bypass_filter=True)
    if error is not None:
        raise error


@calls.call(6, weight=lambda a: IF_ELSE_WEIGHT + nested.call_info(a["main"]).weight
            + nested.call_info(a["fallback"]).weight)
def if_else(ctx: Context, origin: Origin, main: _CALL, fallback: _CALL) -> PostDispatchInfo:
    """Dispatch a fallback call in the event the main call fails to execute.
    May be called from any origin except `None`.

    This function first attempts to dispatch the `main` call.
    If the `main` call fails, the `fallback` is attemted.
    if the fallback is successfully dispatched, the weights of both calls
    are accumulated and an event containing the main call error is deposited.

    In the event of a fallback failure the whole call fails
    with the weights returned.

    - `main`: The main call to be dispatched. This is the primary action to execute.
    - `fallback`: The fallback call to be dispatched in case the `main` call fails.

    ## Dispatch Logic
    - If the origin is `root`, both the main and fallback calls are executed without
      applying any origin filters.
    - If the origin is not `root`, the origin filter is applied to both the `main` and
      `fallback` calls.

    ## Use Case
    - Some use cases might involve submitting a `batch` type call in either main, fallback
      or both."""
    is_root = _reject_none_origin(origin)
    used = IF_ELSE_WEIGHT
    info = nested.call_info(main)
    post, main_error = nested.dispatch(ctx, origin, main, bypass_filter=is_root)
    used = used + nested.actual_weight(info, post)
    if main_error is None:
        ctx.deposit_event(IfElseMainSuccess())
        return PostDispatchInfo(actual_weight=used)
    info = nested.call_info(fallback)
    post, fallback_error = nested.dispatch(ctx, origin, fallback, bypass_filter=is_root)
    used = used + nested.actual_weight(info, post)
    if fallback_error is not None:
        raise nested.with_post_info(fallback_error, used)
    ctx.deposit_event(IfElseFallbackCalled(main_error=ctx.runtime.dispatch_error_value(main_error)))
    return PostDispatchInfo(actual_weight=used)


@calls.call(7, weight=lambda a: DISPATCH_AS_FALLIBLE_WEIGHT + nested.call_info(a["call"]).weight)
def dispatch_as_fallible(ctx: Context, origin: Origin, as_origin: _AS_ORIGIN, call: _CALL) -> None:
    """Dispatches a function call with a provided origin.

    Almost the same as [`Pallet::dispatch_as`] but forwards any error of the inner call.

    The dispatch origin for this call must be _Root_."""
    ensure_root(origin)
    _, error = nested.dispatch(ctx, origin_from_caller(as_origin), call, bypass_filter=True)
    if error is not None:
        raise error
    ctx.deposit_event(DispatchedAs(result=Ok(None)))


PALLET = Pallet(
    "Utility", calls=calls, events=events, errors=errors,
    constants=(ConstantDef("batched_calls_limit", U32, BATCHED_CALLS_LIMIT,
                           (" The limit on the number of batched calls.",)),),
)

__all__ = [
    "BATCHED_CALLS_LIMIT", "BatchCompleted", "BatchCompletedWithErrors", "BatchInterrupted", "DispatchedAs",
    "IfElseFallbackCalled", "IfElseMainSuccess", "ItemCompleted", "ItemFailed", "OriginCaller", "PALLET",
    "RawOrigin", "calls", "derivative_account_id", "errors", "events", "nested", "origin_from_caller",
]
