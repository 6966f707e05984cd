"""Value types of pallet_crowdloan, shaped as node-subtensor's metadata describes them.

``CrowdloanInfo`` values are dicts with the Rust field names. Its ``call`` is a preimage-``Bounded``
runtime call: ``("Inline", encoded_call)`` for calls of at most 128 encoded bytes; the ``Legacy`` and
``Lookup`` variants name a preimage by hash, which needs the Preimage pallet (this runtime has none, see
``pallet``).
"""

from __future__ import annotations

from runtime.pallets.subtensor.types import BoundedVec
from runtime.primitives.types import H256, AccountId32, TaoBalance, pallet_account
from runtime.scale import U8, U32, Bool, Composite, Enum, FieldInfo, Option, variant
from runtime.support.outer import RuntimeCallRef

__all__ = ["BlakeTwo256", "BoundedCall", "CrowdloanInfo", "INLINE_LIMIT", "funds_account"]

CROWDLOAN_PALLET_ID = b"bt/cloan"
INLINE_LIMIT = 128  # frame_support's BoundedInline: ConstU32<128>

BlakeTwo256 = Composite("sp_runtime::traits::BlakeTwo256", [])

BoundedCall = Enum("frame_support::traits::preimages::Bounded", [
    variant("Legacy", 0, [FieldInfo("hash", H256, "H::Output")]),
    variant("Inline", 1, [FieldInfo(None, BoundedVec(U8), "BoundedInline")]),
    variant("Lookup", 2, [FieldInfo("hash", H256, "H::Output"), FieldInfo("len", U32, "u32")]),
], params=[("T", RuntimeCallRef), ("H", BlakeTwo256)])

CrowdloanInfo = Composite("pallet_crowdloan::CrowdloanInfo", [
    FieldInfo("creator", AccountId32, "AccountId"),
    FieldInfo("deposit", TaoBalance, "Balance"),
    FieldInfo("min_contribution", TaoBalance, "Balance"),
    FieldInfo("end", U32, "BlockNumber"),
    FieldInfo("cap", TaoBalance, "Balance"),
    FieldInfo("funds_account", AccountId32, "AccountId"),
    FieldInfo("raised", TaoBalance, "Balance"),
    FieldInfo("target_address", Option(AccountId32), "Option<AccountId>"),
    FieldInfo("call", Option(BoundedCall), "Option<Call>"),
    FieldInfo("finalized", Bool, "bool"),
    FieldInfo("contributors_count", U32, "u32"),
], params=[("AccountId", AccountId32), ("Balance", TaoBalance), ("BlockNumber", U32), ("Call", BoundedCall)])


def funds_account(crowdloan_id: int) -> bytes:
    """``PalletId(b"bt/cloan").into_sub_account_truncating(id)``: ``modl`` ++ pallet id ++ SCALE(u32 id),
    zero-padded to 32 bytes."""
    return pallet_account(CROWDLOAN_PALLET_ID, crowdloan_id.to_bytes(4, "little"))
