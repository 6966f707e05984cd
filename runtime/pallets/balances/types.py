"""Value types of pallet_balances, shaped as node-subtensor's metadata shows them.

subtensor's ``Balance`` is ``TaoBalance``: a newtype over ``u64`` whose metadata type is the composite
``subtensor_runtime_common::currency::TaoBalance`` (one unnamed ``u64`` field). It encodes exactly like a
``u64`` and its Python values are plain ints.

``RuntimeHoldReason`` / ``RuntimeFreezeReason`` are runtime-level enums that ``construct_runtime!``
aggregates from the pallets declaring hold/freeze reasons (Preimage, SafeMode, Contracts hold balance;
nobody freezes). They are declared here with the recorded chain's shape because only Balances stores them.
"""

from __future__ import annotations

from runtime.pallets.system.types import NEW_LOGIC_FLAG, AccountData
from runtime.primitives import types as _primitive_types
from runtime.scale import U8, U64, Array, Compact, Composite, Enum, FieldInfo, Vec, variant

U64_MAX = (1 << 64) - 1

# The shared declaration lives in runtime.primitives.types (System's AccountData uses it too).
TaoBalance = getattr(_primitive_types, "TaoBalance", None) or Composite(
    "subtensor_runtime_common::currency::TaoBalance", [FieldInfo(None, U64, "u64")])

CompactBalance = Compact(TaoBalance)
CompactBalance.max_value = U64_MAX  # a Compact<TaoBalance> holds a u64

LockIdentifier = Array(8, U8)

Reasons = Enum("pallet_balances::types::Reasons", [variant("Fee", 0), variant("Misc", 1), variant("All", 2)])

BalanceLock = Composite(
    "pallet_balances::types::BalanceLock",
    [FieldInfo("id", LockIdentifier, "LockIdentifier"), FieldInfo("amount", TaoBalance, "Balance"),
     FieldInfo("reasons", Reasons, "Reasons")],
    params=[("Balance", TaoBalance)],
)

ReserveData = Composite(
    "pallet_balances::types::ReserveData",
    [FieldInfo("id", LockIdentifier, "ReserveIdentifier"), FieldInfo("amount", TaoBalance, "Balance")],
    params=[("ReserveIdentifier", LockIdentifier), ("Balance", TaoBalance)],
)

RuntimeHoldReason = Enum("node_subtensor_runtime::RuntimeHoldReason", [
    variant("Preimage", 14, [(None, Enum("pallet_preimage::pallet::HoldReason", [variant("Preimage", 0)]),
                              "pallet_preimage::HoldReason")]),
    variant("SafeMode", 20, [(None, Enum("pallet_safe_mode::pallet::HoldReason", [variant("EnterOrExtend", 0)]),
                              "pallet_safe_mode::HoldReason")]),
    variant("Contracts", 29, [(None, Enum("pallet_contracts::pallet::HoldReason", [
        variant("CodeUploadDepositReserve", 0), variant("StorageDepositReserve", 1)]),
        "pallet_contracts::HoldReason")]),
])
RuntimeFreezeReason = Enum("node_subtensor_runtime::RuntimeFreezeReason", [])


def _id_amount(id_codec: Enum) -> Composite:
    return Composite("frame_support::traits::tokens::misc::IdAmount",
                     [FieldInfo("id", id_codec, "Id"), FieldInfo("amount", TaoBalance, "Balance")],
                     params=[("Id", id_codec), ("Balance", TaoBalance)])


def _bounded(path: str, item: Composite) -> Composite:
    return Composite(path, [FieldInfo(None, Vec(item), "Vec<T>")], params=[("T", item), ("S", None)])


HoldAmount = _id_amount(RuntimeHoldReason)
FreezeAmount = _id_amount(RuntimeFreezeReason)
LocksVec = _bounded("bounded_collections::weak_bounded_vec::WeakBoundedVec", BalanceLock)
ReservesVec = _bounded("bounded_collections::bounded_vec::BoundedVec", ReserveData)
HoldsVec = _bounded("bounded_collections::bounded_vec::BoundedVec", HoldAmount)
FreezesVec = _bounded("bounded_collections::bounded_vec::BoundedVec", FreezeAmount)

AdjustmentDirection = Enum("pallet_balances::types::AdjustmentDirection",
                           [variant("Increase", 0), variant("Decrease", 1)])
BalanceStatus = Enum("frame_support::traits::tokens::misc::BalanceStatus",
                     [variant("Free", 0), variant("Reserved", 1)])

__all__ = [
    "AccountData", "AdjustmentDirection", "BalanceLock", "BalanceStatus", "CompactBalance", "FreezesVec",
    "HoldsVec", "LockIdentifier", "LocksVec", "NEW_LOGIC_FLAG", "Reasons", "ReserveData", "ReservesVec",
    "RuntimeFreezeReason", "RuntimeHoldReason", "TaoBalance", "U64_MAX",
]
