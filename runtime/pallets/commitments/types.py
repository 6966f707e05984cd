"""Value types of pallet_commitments, shaped as node-subtensor's metadata describes them.

``Data`` is an enum whose wire index doubles as a length tag: index 0 is ``None``, indices 1..=129 are
``Raw0``..``Raw128`` (the payload is ``index - 1`` bytes, no length prefix), then the four hash kinds,
the timelocked blob, the bonds-reset flag, a larger raw blob and the runtime-only "reveal failed" marker.
Python values follow :class:`runtime.scale.Enum`: ``"None"``, ``("Raw5", b"hello")``,
``("BlakeTwo256", bytes32)``, ``("TimelockEncrypted", {"encrypted": b"...", "reveal_round": 7})``,
``"ResetBondsFlag"``, ``("BigRaw", b"...")``. :func:`raw` builds the right ``RawN`` variant.
"""

from __future__ import annotations

from typing import Any

from runtime.pallets.subtensor.types import BoundedVec, NetUid
from runtime.primitives.types import AccountId32, TaoBalance
from runtime.scale import (
    U8, U32, U64, Array, BTreeSet, Composite, DecodeError, EncodeError, Enum, ScaleType, Tuple, Vec, variant,
)
from runtime.scale.info import TypeInfo

MAX_RAW = 128
MAX_TIMELOCK_BYTES = 1024
MAX_BIGRAW_BYTES = 512
MAX_FIELDS = 3


class Bounded(ScaleType):
    """A ``BoundedVec`` whose bound is enforced when decoding (and encoding), described as its base."""

    __slots__ = ("base", "bound")

    def __init__(self, base: ScaleType, bound: int) -> None:
        self.base = base
        self.bound = bound

    @property
    def min_size(self) -> int:  # type: ignore[override]
        return self.base.min_size

    def registry_key(self) -> ScaleType:
        return self.base.registry_key()

    def encode_into(self, value: Any, out: bytearray) -> None:
        if len(value) > self.bound:
            raise EncodeError(f"{len(value)} items exceed the bound {self.bound}")
        self.base.encode_into(value, out)

    def decode_at(self, data: bytes, pos: int) -> tuple[Any, int]:
        value, end = self.base.decode_at(data, pos)
        if len(value) > self.bound:
            raise DecodeError(f"{len(value)} items exceed the bound {self.bound}")
        return value, end

    def type_info(self) -> TypeInfo:
        return self.base.type_info()

    def __repr__(self) -> str:
        return f"Bounded<{self.base!r}, {self.bound}>"


TimelockBytes = Bounded(BoundedVec(U8), MAX_TIMELOCK_BYTES)
BigRawBytes = Bounded(BoundedVec(U8), MAX_BIGRAW_BYTES)

_TIMELOCK_FIELDS = [("encrypted", TimelockBytes, None), ("reveal_round", U64, None)]

Data = Enum("pallet_commitments::types::Data", [
    variant("None", 0),
    *(variant(f"Raw{n}", n + 1, [(None, Array(n, U8), None)]) for n in range(MAX_RAW + 1)),
    variant("BlakeTwo256", 130, [(None, Array(32, U8), None)]),
    variant("Sha256", 131, [(None, Array(32, U8), None)]),
    variant("Keccak256", 132, [(None, Array(32, U8), None)]),
    variant("ShaThree256", 133, [(None, Array(32, U8), None)]),
    variant("TimelockEncrypted", 134, _TIMELOCK_FIELDS),
    variant("ResetBondsFlag", 135),
    variant("BigRaw", 136, [(None, BigRawBytes, None)]),
    variant("TimelockRevealFailed", 137, _TIMELOCK_FIELDS),
])

CommitmentInfo = Composite("pallet_commitments::types::CommitmentInfo", [
    ("fields", Bounded(BoundedVec(Data), MAX_FIELDS), "BoundedVec<Data, FieldLimit>")],
    params=[("FieldLimit", None)])

Registration = Composite("pallet_commitments::types::Registration", [
    ("deposit", TaoBalance, "Balance"), ("block", U32, "BlockNumber"),
    ("info", CommitmentInfo, "CommitmentInfo<MaxFields>")],
    params=[("Balance", TaoBalance), ("MaxFields", None), ("BlockNumber", U32)])

UsageTracker = Composite("pallet_commitments::types::UsageTracker", [
    ("last_epoch", U64, "u64"), ("used_space", U64, "u64")])

RevealFailure = Enum("pallet_commitments::types::RevealFailure", [
    variant(name, index) for index, name in enumerate((
        "SignatureDeserialize", "CiphertextDeserialize", "Decrypt", "EmptyPlaintext", "PulseExpired",
        "RoundMismatch"))])

NetAccount = Tuple(NetUid, AccountId32)
TimelockedSet = BTreeSet(NetAccount)
Reveals = Vec(Tuple(Vec(U8), U64))
"""``Vec<(revealed bytes, reveal block)>`` of ``RevealedCommitments``."""


def raw(data: bytes) -> tuple[str, bytes]:
    """The ``RawN`` value holding ``data`` (at most 128 bytes)."""
    if len(data) > MAX_RAW:
        raise ValueError(f"Raw data holds at most {MAX_RAW} bytes")
    return (f"Raw{len(data)}", bytes(data))


def variant_name(field: Any) -> str:
    return field if isinstance(field, str) else field[0]


def space_of(field: Any) -> int:
    """The bytes a field counts against the per-epoch space allowance."""
    name = variant_name(field)
    if name in ("None", "ResetBondsFlag"):
        return 0
    payload = field[1]
    if name in ("TimelockEncrypted", "TimelockRevealFailed"):
        return len(payload["encrypted"])
    return len(payload)
