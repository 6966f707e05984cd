"""Value types of pallet_transaction_payment with the paths real metadata gives them."""

from __future__ import annotations

from runtime.pallets.balances.types import TaoBalance
from runtime.scale import U128, Composite, Enum, FieldInfo, Option, variant
from runtime.support.dispatch import DispatchClassCodec, Weight

FIXED_U128_ONE = 10**18  # FixedU128's inner value of 1.0

FixedU128 = Composite("sp_arithmetic::fixed_point::FixedU128", [FieldInfo(None, U128, "u128")])

Releases = Enum("pallet_transaction_payment::Releases", [variant("V1Ancient", 0), variant("V2", 1)])

InclusionFeeCodec = Composite(
    "pallet_transaction_payment::types::InclusionFee",
    [FieldInfo("base_fee", TaoBalance, "Balance"), FieldInfo("len_fee", TaoBalance, "Balance"),
     FieldInfo("adjusted_weight_fee", TaoBalance, "Balance")],
    params=[("Balance", TaoBalance)],
)

FeeDetailsCodec = Composite(
    "pallet_transaction_payment::types::FeeDetails",
    [FieldInfo("inclusion_fee", Option(InclusionFeeCodec), "Option<InclusionFee<Balance>>"),
     FieldInfo("tip", TaoBalance, "Balance")],
    params=[("Balance", TaoBalance)],
)

RuntimeDispatchInfoCodec = Composite(
    "pallet_transaction_payment::types::RuntimeDispatchInfo",
    [FieldInfo("weight", Weight.SCALE, "Weight"),  # type: ignore[attr-defined]
     FieldInfo("class", DispatchClassCodec, "DispatchClass"),
     FieldInfo("partial_fee", TaoBalance, "Balance")],
    params=[("Balance", TaoBalance), ("Weight", Weight.SCALE)],  # type: ignore[attr-defined]
)
