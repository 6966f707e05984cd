"""TransactionPaymentApi and TransactionPaymentCallApi: fee estimates for extrinsics and calls."""

from __future__ import annotations

from typing import Any

from runtime.apis import runtime_api
from runtime.executive.block import dispatch_info_of
from runtime.pallets import transaction_payment as tp
from runtime.primitives.extrinsic import decode_extrinsic
from runtime.primitives.types import TaoBalance
from runtime.scale import U32
from runtime.support.context import Context
from runtime.support.dispatch import Weight
from runtime.support.outer import RuntimeCallRef, RuntimeExtrinsicRef

_WEIGHT = Weight.SCALE  # type: ignore[attr-defined]

TransactionPaymentApi = runtime_api("TransactionPaymentApi", 4)


def _extrinsic_info(ctx: Context, uxt: bytes) -> tuple[Any, bool]:
    xt = decode_extrinsic(uxt, ctx.runtime.extensions)
    call = ctx.runtime.decode_call(xt.call)
    return dispatch_info_of(ctx, call, xt.is_signed), xt.is_signed


@TransactionPaymentApi.method("query_info", [("uxt", RuntimeExtrinsicRef), ("len", U32)], tp.RuntimeDispatchInfoCodec)
def query_info(ctx: Context, uxt: bytes, length: int) -> Any:
    info, signed = _extrinsic_info(ctx, uxt)
    return tp.query_info(ctx, info, length, signed)


@TransactionPaymentApi.method("query_fee_details", [("uxt", RuntimeExtrinsicRef), ("len", U32)], tp.FeeDetailsCodec)
def query_fee_details(ctx: Context, uxt: bytes, length: int) -> Any:
    info, signed = _extrinsic_info(ctx, uxt)
    return tp.query_fee_details(ctx, info, length, signed).value()


@TransactionPaymentApi.method("query_weight_to_fee", [("weight", _WEIGHT)], TaoBalance)
def query_weight_to_fee(ctx: Context, weight: Weight) -> int:
    return tp.weight_to_fee(weight)


@TransactionPaymentApi.method("query_length_to_fee", [("length", U32)], TaoBalance)
def query_length_to_fee(ctx: Context, length: int) -> int:
    return tp.length_to_fee(length)


TransactionPaymentCallApi = runtime_api("TransactionPaymentCallApi", 3)


@TransactionPaymentCallApi.method("query_call_info", [("call", RuntimeCallRef), ("len", U32)],
                                  tp.RuntimeDispatchInfoCodec)
def query_call_info(ctx: Context, call: Any, length: int) -> Any:
    return tp.query_info(ctx, dispatch_info_of(ctx, call, True), length, True)


@TransactionPaymentCallApi.method("query_call_fee_details", [("call", RuntimeCallRef), ("len", U32)],
                                  tp.FeeDetailsCodec)
def query_call_fee_details(ctx: Context, call: Any, length: int) -> Any:
    return tp.query_fee_details(ctx, dispatch_info_of(ctx, call, True), length, True).value()


TransactionPaymentCallApi.method("query_weight_to_fee", [("weight", _WEIGHT)], TaoBalance)(query_weight_to_fee)
TransactionPaymentCallApi.method("query_length_to_fee", [("length", U32)], TaoBalance)(query_length_to_fee)
