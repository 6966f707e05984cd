"""pallet_transaction_payment (index 6): the fee model and fee charging used by the executive.

Executive-facing API (see :mod:`.fees`)::

    fee = compute_fee(ctx, length, info, tip)                  # int, tip included
    can_withdraw_fee(ctx, who, fee) -> bool                    # pool validation
    withdrawn = withdraw_fee(ctx, who, fee, tip)               # before dispatch; raises InvalidTransaction::Payment
    correct_and_deposit_fee(ctx, who, info, post_info, length, tip, withdrawn, author)  # after dispatch

TransactionPaymentApi: :func:`query_info` (``RuntimeDispatchInfoCodec``) and :func:`query_fee_details`
(``FeeDetailsCodec``, encode ``details.value()``).
"""

from runtime.pallets.transaction_payment import storage
from runtime.pallets.transaction_payment.fees import (
    OPERATIONAL_FEE_MULTIPLIER, SIGNED_EXTENSIONS_WEIGHT, FeeDetails, InclusionFee, actual_pays, actual_weight,
    can_withdraw_fee, compute_actual_fee, compute_fee, compute_fee_details, correct_and_deposit_fee,
    length_to_fee, next_fee_multiplier, perbill_mul, query_call_fee_details, query_call_info,
    query_fee_details, query_info, weight_to_fee, withdraw_fee,
)
from runtime.pallets.transaction_payment.pallet import PALLET, TransactionFeePaid, events
from runtime.pallets.transaction_payment.types import (
    FIXED_U128_ONE, FeeDetailsCodec, FixedU128, InclusionFeeCodec, Releases, RuntimeDispatchInfoCodec,
)

__all__ = [
    "FIXED_U128_ONE", "FeeDetails", "FeeDetailsCodec", "FixedU128", "InclusionFee", "InclusionFeeCodec",
    "OPERATIONAL_FEE_MULTIPLIER", "PALLET", "Releases", "RuntimeDispatchInfoCodec", "SIGNED_EXTENSIONS_WEIGHT",
    "TransactionFeePaid", "actual_pays", "actual_weight", "can_withdraw_fee", "compute_actual_fee",
    "compute_fee", "compute_fee_details", "correct_and_deposit_fee", "events", "length_to_fee",
    "next_fee_multiplier", "perbill_mul", "query_call_fee_details", "query_call_info", "query_fee_details",
    "query_info", "storage", "weight_to_fee", "withdraw_fee",
]
