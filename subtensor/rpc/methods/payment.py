"""``payment_queryInfo`` / ``payment_queryFeeDetails`` via the TransactionPaymentApi runtime calls.

JSON follows pallet-transaction-payment's serde: ``class`` in camelCase, ``partialFee`` as a decimal
string, weight fields in snake_case; fee details as numbers (the balance is a u64) with ``tip`` omitted.
"""

from __future__ import annotations

import struct
from typing import Any

from runtime.pallets.transaction_payment import FeeDetailsCodec, RuntimeDispatchInfoCodec
from subtensor.rpc.api import RpcApi
from subtensor.rpc.dispatch import MethodTable
from subtensor.rpc.methods.state import runtime_call
from subtensor.rpc.params import block_hash, hex_bytes, optional

methods = MethodTable()


def _camel(name: str) -> str:
    return name[:1].lower() + name[1:]


async def _call(api: RpcApi, name: str, extrinsic: bytes, at: bytes | None) -> bytes:
    return await runtime_call(api, api.at(at), name, extrinsic + struct.pack("<I", len(extrinsic)))


@methods.method("payment_queryInfo", ("extrinsic", hex_bytes), ("at", optional(block_hash)))
async def payment_query_info(api: RpcApi, extrinsic: bytes, at: bytes | None) -> dict[str, Any]:
    info = RuntimeDispatchInfoCodec.decode(await _call(api, "TransactionPaymentApi_query_info", extrinsic, at))
    weight = info["weight"]
    return {"weight": {"ref_time": weight.ref_time, "proof_size": weight.proof_size},
            "class": _camel(str(info["class"])), "partialFee": str(info["partial_fee"])}


@methods.method("payment_queryFeeDetails", ("extrinsic", hex_bytes), ("at", optional(block_hash)))
async def payment_query_fee_details(api: RpcApi, extrinsic: bytes, at: bytes | None) -> dict[str, Any]:
    details = FeeDetailsCodec.decode(await _call(api, "TransactionPaymentApi_query_fee_details", extrinsic, at))
    fee = details["inclusion_fee"]
    return {"inclusionFee": None if fee is None else {
        "baseFee": fee["base_fee"], "lenFee": fee["len_fee"], "adjustedWeightFee": fee["adjusted_weight_fee"]}}
