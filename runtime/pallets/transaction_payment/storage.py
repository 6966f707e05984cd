"""pallet_transaction_payment storage (no doc lines in the recorded metadata)."""

from __future__ import annotations

from runtime.pallets.transaction_payment.types import FIXED_U128_ONE, FixedU128, Releases
from runtime.support.storage import PalletStorage

storage = PalletStorage("TransactionPayment")

NextFeeMultiplier = storage.value("NextFeeMultiplier", FixedU128, default=FIXED_U128_ONE)
StorageVersion = storage.value("StorageVersion", Releases, default="V1Ancient")
