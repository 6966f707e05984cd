"""Value types of frame_system, with the paths real metadata gives them."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Annotated

from runtime.primitives.types import H256, CowStr, TaoBalance
from runtime.scale import (
    U32, U64, U128, Bool, CompactU32, Composite, Enum, FieldInfo, Option, Str, Tuple, Vec, scale_struct,
    u32, u64, variant,
)
from runtime.support.dispatch import Weight
from runtime.support.outer import RuntimeEventRef

# Top bit of AccountData.flags: the account uses the current (holds/freezes) balance logic.
NEW_LOGIC_FLAG = 1 << 127


@scale_struct("pallet_balances::types::AccountData", params=[("Balance", TaoBalance)])
@dataclass(frozen=True, slots=True)
class AccountData:
    """Balances of an account (subtensor's Balance is a u64)."""

    free: Annotated[int, TaoBalance, "Balance"] = 0
    reserved: Annotated[int, TaoBalance, "Balance"] = 0
    frozen: Annotated[int, TaoBalance, "Balance"] = 0
    flags: Annotated[int, Composite("pallet_balances::types::ExtraFlags", [FieldInfo(None, U128, "u128")]),
                     "ExtraFlags"] = NEW_LOGIC_FLAG


@scale_struct("frame_system::AccountInfo", params=[("Nonce", U32), ("AccountData", AccountData.SCALE)])  # type: ignore[attr-defined]
@dataclass(frozen=True, slots=True)
class AccountInfo:
    """Nonce and reference counts of an account, with its balances."""

    nonce: Annotated[int, U32, "Nonce"] = 0
    consumers: Annotated[int, U32, "RefCount"] = 0
    providers: Annotated[int, U32, "RefCount"] = 0
    sufficients: Annotated[int, U32, "RefCount"] = 0
    data: Annotated[AccountData, AccountData.SCALE, "AccountData"] = field(  # type: ignore[attr-defined]
        default_factory=AccountData)


PerDispatchClassWeight = Composite(
    "frame_support::dispatch::PerDispatchClass",
    [FieldInfo("normal", Weight.SCALE, "T"), FieldInfo("operational", Weight.SCALE, "T"),  # type: ignore[attr-defined]
     FieldInfo("mandatory", Weight.SCALE, "T")],  # type: ignore[attr-defined]
    params=[("T", Weight.SCALE)],  # type: ignore[attr-defined]
)

Phase = Enum("frame_system::Phase", [
    variant("ApplyExtrinsic", 0, [(None, U32, "u32")]),
    variant("Finalization", 1),
    variant("Initialization", 2),
])

EventRecord = Composite(
    "frame_system::EventRecord",
    [FieldInfo("phase", Phase, "Phase"), FieldInfo("event", RuntimeEventRef, "E"),
     FieldInfo("topics", Vec(H256), "Vec<T>")],
    params=[("E", RuntimeEventRef), ("T", H256)],
)

LastRuntimeUpgradeInfo = Composite(
    "frame_system::LastRuntimeUpgradeInfo",
    [FieldInfo("spec_version", CompactU32, "codec::Compact<u32>"),
     FieldInfo("spec_name", CowStr, "Cow<'static, str>")],
)

CodeUpgradeAuthorization = Composite(
    "frame_system::CodeUpgradeAuthorization",
    [FieldInfo("code_hash", H256, "T::Hash"), FieldInfo("check_version", Bool, "bool")],
    params=[("T", None)],
)

EventTopicEntry = Vec(Tuple(U32, U32))

__all__ = [
    "AccountData", "AccountInfo", "CodeUpgradeAuthorization", "EventRecord", "EventTopicEntry",
    "LastRuntimeUpgradeInfo", "NEW_LOGIC_FLAG", "Option", "PerDispatchClassWeight", "Phase", "u32", "u64",
]
