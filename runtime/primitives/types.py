"""Core Substrate value types with the paths and shapes real metadata gives them.

``AccountId32`` and ``H256`` values are 32 raw bytes; ``MultiAddress``, ``MultiSignature`` and
``MultiSigner`` follow the :class:`runtime.scale.Enum` value convention, e.g. ``("Id", account_bytes)``
or ``("Sr25519", signature_bytes)``.
"""

from __future__ import annotations

from runtime.scale import (
    U8, U64, Array, Compact, Composite, Enum, FixedBytes, FieldInfo, ScaleType, Str, Unit, Vec, variant,
)

BYTES32 = FixedBytes(32)
BYTES64 = FixedBytes(64)

H256 = Composite("primitive_types::H256", [FieldInfo(None, BYTES32, "[u8; 32]")])
AccountId32 = Composite("sp_core::crypto::AccountId32", [FieldInfo(None, BYTES32, "[u8; 32]")])

MultiAddress = Enum(
    "sp_runtime::multiaddress::MultiAddress",
    [
        variant("Id", 0, [(None, AccountId32, "AccountId")]),
        variant("Index", 1, [(None, Compact(Unit), "AccountIndex")]),
        variant("Raw", 2, [(None, Vec(U8), "Vec<u8>")]),
        variant("Address32", 3, [(None, BYTES32, "[u8; 32]")]),
        variant("Address20", 4, [(None, FixedBytes(20), "[u8; 20]")]),
    ],
    params=[("AccountId", AccountId32), ("AccountIndex", Unit)],
)

MultiSignature = Enum(
    "sp_runtime::MultiSignature",
    [
        variant("Ed25519", 0, [(None, BYTES64, "ed25519::Signature")]),
        variant("Sr25519", 1, [(None, BYTES64, "sr25519::Signature")]),
        variant("Ecdsa", 2, [(None, Array(65, U8), "ecdsa::Signature")]),
    ],
)

MultiSigner = Enum(
    "sp_runtime::MultiSigner",
    [
        variant("Ed25519", 0, [(None, BYTES32, "ed25519::Public")]),
        variant("Sr25519", 1, [(None, BYTES32, "sr25519::Public")]),
        variant("Ecdsa", 2, [(None, Array(33, U8), "ecdsa::Public")]),
    ],
)


# Subtensor's currency newtypes: u64 on the wire, named composites in metadata.
TaoBalance = Composite("subtensor_runtime_common::currency::TaoBalance", [FieldInfo(None, U64, "u64")])
AlphaBalance = Composite("subtensor_runtime_common::currency::AlphaBalance", [FieldInfo(None, U64, "u64")])
CompactTaoBalance = Compact(TaoBalance)


def Cow(inner: ScaleType) -> Composite:  # noqa: N802 - reads like the Rust type
    """``Cow<'static, T>`` as scale-info describes it: a composite around ``T`` (same wire format)."""
    return _COWS.setdefault(inner, Composite("Cow", [FieldInfo(None, inner)], params=[("T", inner)]))


_COWS: dict[ScaleType, Composite] = {}
CowStr = Cow(Str)


def pallet_account(pallet_id: bytes, sub: bytes = b"") -> bytes:
    """``PalletId::into_sub_account_truncating``: ``modl`` ++ the 8-byte pallet id ++ the SCALE-encoded
    sub-account index, zero-padded (or truncated) to 32 bytes; ``sub`` empty gives the pallet's own
    account (``into_account_truncating``)."""
    raw = b"modl" + pallet_id + sub
    return raw[:32].ljust(32, b"\0")
