"""The fee model of node-subtensor and its fee charging (``ChargeTransactionPayment`` + subtensor's
``SubtensorTxFeeHandler``), as functions for the executive and the TransactionPaymentApi.

fee = base_fee + len_fee + adjusted_weight_fee + tip, where

* ``base_fee`` = WeightToFee(class base extrinsic weight = 108_157_000) = 54_078,
* ``len_fee`` = 1 rao per byte of the encoded extrinsic (``IdentityFee``),
* ``adjusted_weight_fee`` = NextFeeMultiplier (constant 1) × WeightToFee(dispatch weight),
* WeightToFee(w) = Perbill(500_000) × min(w.ref_time, max block ref_time), rounded to the nearest
  with ties down (``Perbill``'s multiplication), i.e. about ref_time / 2000.

``Pays::No`` drops the inclusion fee (only the tip is paid). The golden ``transfer_keep_alive`` (144 bytes,
weight 224_051_000) pays 54_078 + 144 + 112_025 = 166_247.

Charging: the fee (with tip) is withdrawn before dispatch keeping the payer alive (``Balances.Withdraw``);
failure is ``InvalidTransaction::Payment``. After dispatch the over-estimate is refunded to the payer
(``Balances.Deposit``, also when it is 0, if the payer still has a balance), the rest goes to the block
author (``Balances.Deposit``) or is burned when there is no author, and
``TransactionFeePaid{who, actual_fee, tip}`` is emitted. (Paying fees in alpha for some SubtensorModule
calls is the subtensor pallet's business and not handled here.)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from runtime.pallets import balances
from runtime.pallets.system.pallet import LIMITS
from runtime.pallets.transaction_payment import storage
from runtime.pallets.transaction_payment.types import FIXED_U128_ONE
from runtime.support.context import Context
from runtime.support.dispatch import DispatchError, DispatchInfo, Pays, PostDispatchInfo, Weight
from runtime.support.externalities import Externalities

WEIGHT_TO_FEE_PERBILL = 500_000
PERBILL = 1_000_000_000
OPERATIONAL_FEE_MULTIPLIER = 5
U64_MAX = (1 << 64) - 1

# The weight FRAME adds to a signed extrinsic's DispatchInfo for its transaction extensions
# (CheckNonce, CheckWeight, ChargeTransactionPayment…). Not benchmarked here: derived from the golden
# transfer_keep_alive, whose payment_info weight (224_051_000 / 7_791) is the call's declared weight
# (163_159_000 / 3_593) plus this. Unverified for other calls.
SIGNED_EXTENSIONS_WEIGHT = Weight(60_892_000, 4_198)


def perbill_mul(parts: int, value: int) -> int:
    """``Perbill::from_parts(parts) * value``: nearest, ties rounded down."""
    quotient, remainder = divmod(value * parts, PERBILL)
    return quotient + (1 if 2 * remainder > PERBILL else 0)


def weight_to_fee(weight: Weight) -> int:
    ref_time = min(weight.ref_time, LIMITS.max_block.ref_time)
    return min(perbill_mul(WEIGHT_TO_FEE_PERBILL, ref_time), U64_MAX)


def length_to_fee(length: int) -> int:
    return min(length, U64_MAX)


def next_fee_multiplier(ext: Externalities) -> int:
    """The FixedU128 inner value (10**18 = 1.0)."""
    return storage.NextFeeMultiplier.get(ext)  # type: ignore[no-any-return]


@dataclass(frozen=True, slots=True)
class InclusionFee:
    base_fee: int
    len_fee: int
    adjusted_weight_fee: int

    @property
    def total(self) -> int:
        return min(self.base_fee + self.len_fee + self.adjusted_weight_fee, U64_MAX)


@dataclass(frozen=True, slots=True)
class FeeDetails:
    """``pallet_transaction_payment::FeeDetails``: the inclusion fee (None for Pays::No) and the tip."""

    inclusion_fee: InclusionFee | None
    tip: int

    @property
    def final_fee(self) -> int:
        return min((self.inclusion_fee.total if self.inclusion_fee else 0) + self.tip, U64_MAX)

    def value(self) -> dict[str, Any]:
        """The value for :data:`FeeDetailsCodec`."""
        fee = self.inclusion_fee
        return {"inclusion_fee": None if fee is None else {
            "base_fee": fee.base_fee, "len_fee": fee.len_fee, "adjusted_weight_fee": fee.adjusted_weight_fee},
            "tip": self.tip}


def _details(ext: Externalities, length: int, weight: Weight, pays: Pays, tip: int) -> FeeDetails:
    if pays is Pays.No:
        return FeeDetails(None, tip)
    multiplier = next_fee_multiplier(ext)
    adjusted = min(weight_to_fee(weight) * multiplier // FIXED_U128_ONE, U64_MAX)
    base = weight_to_fee(LIMITS.base_extrinsic)  # the same for every dispatch class in subtensor
    return FeeDetails(InclusionFee(base, length_to_fee(length), adjusted), tip)


def compute_fee_details(ext: Externalities, length: int, info: DispatchInfo, tip: int) -> FeeDetails:
    """The fee of an extrinsic of ``length`` encoded bytes with dispatch ``info`` (weight including
    the transaction extensions' weight, as FRAME's DispatchInfo total)."""
    return _details(ext, length, info.weight, info.pays_fee, tip)


def compute_fee(ext: Externalities, length: int, info: DispatchInfo, tip: int) -> int:
    """The final fee (inclusion fee plus tip) charged before dispatch."""
    return compute_fee_details(ext, length, info, tip).final_fee


def actual_weight(info: DispatchInfo, post_info: PostDispatchInfo | None) -> Weight:
    if post_info is None or post_info.actual_weight is None:
        return info.weight
    return post_info.actual_weight.min(info.weight)


def actual_pays(info: DispatchInfo, post_info: PostDispatchInfo | None) -> Pays:
    if info.pays_fee is Pays.No or (post_info is not None and post_info.pays_fee is Pays.No):
        return Pays.No
    return Pays.Yes


def compute_actual_fee(ext: Externalities, length: int, info: DispatchInfo,
                       post_info: PostDispatchInfo | None, tip: int) -> int:
    """The fee after dispatch: the reported actual weight (capped by the estimate) and fee flag."""
    return _details(ext, length, actual_weight(info, post_info), actual_pays(info, post_info), tip).final_fee


# -- charging ---------------------------------------------------------------------------------------


def can_withdraw_fee(ext: Externalities, who: bytes, fee: int) -> bool:
    """Pool validation: the fee can be taken and the payer keeps at least the existential deposit."""
    return fee == 0 or balances.can_withdraw(ext, who, fee).kind == "Success"


def withdraw_fee(ctx: Context, who: bytes, fee: int, tip: int) -> int:
    """Take the fee (tip included) before dispatch; returns what was withdrawn (0 for a zero fee).

    Raises ``TransactionValidityError(("Invalid", "Payment"))`` when the payer cannot pay it and stay alive.
    """
    if fee == 0:
        return 0
    try:
        return balances.balanced_withdraw(ctx, who, fee, exact=True, preservation=balances.PRESERVE,
                                          polite=True)
    except DispatchError:
        from runtime.executive.validity import TransactionValidityError

        raise TransactionValidityError(("Invalid", "Payment")) from None


def correct_and_deposit_fee(ctx: Context, who: bytes, info: DispatchInfo, post_info: PostDispatchInfo | None,
                            length: int, tip: int, withdrawn: int, author: bytes | None) -> int:
    """Settle the fee after dispatch; returns the actual fee.

    Refunds ``withdrawn - actual_fee`` to the payer, pays the remainder (fee and tip) to ``author`` (burned
    when None, or when the author cannot receive it), then emits ``TransactionFeePaid``.
    """
    from runtime.pallets.transaction_payment.pallet import TransactionFeePaid

    actual_fee = compute_actual_fee(ctx, length, info, post_info, tip)
    if withdrawn:
        refund = max(withdrawn - actual_fee, 0)
        refunded = 0
        if balances.total_balance(ctx, who) > 0:
            try:
                refunded = balances.balanced_deposit(ctx, who, refund, exact=False)
            except DispatchError:
                refunded = 0
        paid = withdrawn - refunded
        if paid:
            _pay_author(ctx, author, paid)
    ctx.deposit_event(TransactionFeePaid(who=who, actual_fee=actual_fee, tip=tip))
    return actual_fee


def _pay_author(ctx: Context, author: bytes | None, amount: int) -> None:
    if author is not None:
        try:
            balances.balanced_deposit(ctx, author, amount, exact=True)
            return
        except DispatchError:
            pass
    balances.burn_credit(ctx, amount)


# -- TransactionPaymentApi ---------------------------------------------------------------------------


def query_info(ext: Externalities, info: DispatchInfo, length: int, signed: bool = True) -> dict[str, Any]:
    """``RuntimeDispatchInfo`` value: weight, class and the fee without tip (0 for unsigned)."""
    partial_fee = compute_fee(ext, length, info, 0) if signed else 0
    return {"weight": info.weight, "class": info.dispatch_class.name, "partial_fee": partial_fee}


def query_fee_details(ext: Externalities, info: DispatchInfo, length: int, signed: bool = True) -> FeeDetails:
    """``FeeDetails`` of an extrinsic (no inclusion fee for unsigned ones); use ``.value()`` to encode."""
    if not signed:
        return FeeDetails(None, 0)
    return compute_fee_details(ext, length, info, 0)


def query_call_info(ext: Externalities, info: DispatchInfo, length: int) -> dict[str, Any]:
    return query_info(ext, info, length, True)


def query_call_fee_details(ext: Externalities, info: DispatchInfo, length: int) -> FeeDetails:
    return query_fee_details(ext, info, length, True)
