"""pallet_transaction_payment (index 6): its event, constant, genesis and declaration."""

from __future__ import annotations

from typing import Any

from runtime.pallets.balances.types import TaoBalance
from runtime.pallets.transaction_payment import storage as tp_storage
from runtime.pallets.transaction_payment.fees import OPERATIONAL_FEE_MULTIPLIER
from runtime.pallets.transaction_payment.types import FIXED_U128_ONE
from runtime.primitives.types import AccountId32
from runtime.scale import U8
from runtime.support.context import Context
from runtime.support.pallet import ConstantDef, Pallet, PalletEvents

CRATE = "pallet_transaction_payment"

events = PalletEvents("TransactionPayment", CRATE)
TransactionFeePaid = events.event(0, "TransactionFeePaid", [
    ("who", AccountId32, "T::AccountId"), ("actual_fee", TaoBalance, "BalanceOf<T>"),
    ("tip", TaoBalance, "BalanceOf<T>")],
    [" A transaction fee `actual_fee`, of which `tip` was added to the minimum inclusion fee,",
     " has been paid by `who`."])

CONSTANTS = (
    ConstantDef("OperationalFeeMultiplier", U8, OPERATIONAL_FEE_MULTIPLIER, (
        " A fee multiplier for `Operational` extrinsics to compute \"virtual tip\" to boost their",
        " `priority`", "",
        " This value is multiplied by the `final_fee` to obtain a \"virtual tip\" that is later",
        " added to a tip component in regular `priority` calculations.",
        " It means that a `Normal` transaction can front-run a similarly-sized `Operational`",
        " extrinsic (with no tip), by including a tip value greater than the virtual tip.", "",
        " ```rust,ignore", " // For `Normal`", " let priority = priority_calc(tip);", "",
        " // For `Operational`", " let virtual_tip = (inclusion_fee + tip) * OperationalFeeMultiplier;",
        " let priority = priority_calc(tip + virtual_tip);", " ```", "",
        " Note that since we use `final_fee` the multiplier applies also to the regular `tip`",
        " sent with the transaction. So, not only does the transaction get a priority bump based",
        " on the `inclusion_fee`, but we also amplify the impact of tips applied to `Operational`",
        " transactions.")),
)


def genesis(ctx: Context, config: dict[str, Any]) -> None:
    """``{"multiplier": "<FixedU128 inner>"}`` (default 1.0); marks the storage as V2."""
    tp_storage.StorageVersion.put(ctx, "V2")
    tp_storage.NextFeeMultiplier.put(ctx, int(config.get("multiplier") or FIXED_U128_ONE))


PALLET = Pallet("TransactionPayment", storage=tp_storage.storage, events=events, constants=CONSTANTS,
                genesis=genesis)
