"""Dispatch primitives: weights, dispatch classes, fee flags, origins and dispatch errors.

Dispatch errors are exceptions. A pallet raises :class:`ModuleError` (usually through its error set, e.g.
``errors.InsufficientBalance``), or one of the other :class:`DispatchError` variants; the executive turns
them into ``sp_runtime::DispatchError`` values, rolls back the call's storage transaction and reports
``ExtrinsicFailed``.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Annotated, Any

from runtime.scale import (
    U8, Array, CompactU64, Composite, Enum, FieldInfo, Result, Unit, scale_struct, variant,
)

# -- weights ----------------------------------------------------------------------------------------


DB_READ = 25_000_000
"""``RocksDbWeight``: ref_time of one storage read (picoseconds), as node-subtensor's runtime declares it."""
DB_WRITE = 100_000_000
"""``RocksDbWeight``: ref_time of one storage write."""


@scale_struct("sp_weights::weight_v2::Weight")
@dataclass(frozen=True, slots=True)
class Weight:
    """Two-dimensional weight: computation time (picoseconds) and proof size (bytes)."""

    ref_time: Annotated[int, CompactU64, "u64"] = 0
    proof_size: Annotated[int, CompactU64, "u64"] = 0

    def __add__(self, other: Weight) -> Weight:
        return Weight(self.ref_time + other.ref_time, self.proof_size + other.proof_size)

    def saturating_sub(self, other: Weight) -> Weight:
        return Weight(max(self.ref_time - other.ref_time, 0), max(self.proof_size - other.proof_size, 0))

    def min(self, other: Weight) -> Weight:
        return Weight(min(self.ref_time, other.ref_time), min(self.proof_size, other.proof_size))

    def all_lte(self, other: Weight) -> bool:
        return self.ref_time <= other.ref_time and self.proof_size <= other.proof_size


def benchmarked(ref_time: int, proof_size: int, reads: int = 0, writes: int = 0) -> Weight:
    """``Weight::from_parts(ref_time, proof_size)`` plus ``reads``/``writes`` storage accesses."""
    return Weight(ref_time + reads * DB_READ + writes * DB_WRITE, proof_size)


ZERO_WEIGHT = Weight()


class DispatchClass(enum.Enum):
    """Which share of the block a call uses (and how it is prioritised)."""

    Normal = 0
    Operational = 1
    Mandatory = 2


class Pays(enum.Enum):
    """Whether the sender pays a fee for a call."""

    Yes = 0
    No = 1


DispatchClassCodec = Enum(
    "frame_support::dispatch::DispatchClass",
    [variant("Normal", 0), variant("Operational", 1), variant("Mandatory", 2)],
)
PaysCodec = Enum("frame_support::dispatch::Pays", [variant("Yes", 0), variant("No", 1)])


@dataclass(frozen=True, slots=True)
class DispatchInfo:
    """What is known about a call before dispatch."""

    weight: Weight
    dispatch_class: DispatchClass = DispatchClass.Normal
    pays_fee: Pays = Pays.Yes


@dataclass(frozen=True, slots=True)
class PostDispatchInfo:
    """What a call may report after dispatch: its actual weight and whether it pays after all."""

    actual_weight: Weight | None = None
    pays_fee: Pays = Pays.Yes


DispatchEventInfo = Composite(
    "frame_system::DispatchEventInfo",
    [FieldInfo("weight", Weight.SCALE, "Weight"),  # type: ignore[attr-defined]
     FieldInfo("class", DispatchClassCodec, "DispatchClass"),
     FieldInfo("pays_fee", PaysCodec, "Pays")],
)


def dispatch_event_info(weight: Weight, dispatch_class: DispatchClass, pays: Pays) -> dict[str, Any]:
    """The value of a ``DispatchEventInfo`` for events."""
    return {"weight": weight, "class": dispatch_class.name, "pays_fee": pays.name}


# -- origins ----------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Origin:
    """``RawOrigin``: Root, Signed(account) or None (unsigned/inherent)."""

    kind: str
    account: bytes | None = None

    @staticmethod
    def root() -> Origin:
        return Origin("Root")

    @staticmethod
    def signed(account: bytes) -> Origin:
        return Origin("Signed", account)

    @staticmethod
    def none() -> Origin:
        return Origin("None")

    @property
    def is_root(self) -> bool:
        return self.kind == "Root"


# -- errors -----------------------------------------------------------------------------------------

ModuleErrorCodec = Composite(
    "sp_runtime::ModuleError",
    [FieldInfo("index", U8, "u8"), FieldInfo("error", Array(4, U8), "[u8; MAX_MODULE_ERROR_ENCODED_SIZE]")],
)
TokenErrorCodec = Enum("sp_runtime::TokenError", [
    variant(n, i) for i, n in enumerate([
        "FundsUnavailable", "OnlyProvider", "BelowMinimum", "CannotCreate", "UnknownAsset", "Frozen",
        "Unsupported", "CannotCreateHold", "NotExpendable", "Blocked"])])
ArithmeticErrorCodec = Enum("sp_arithmetic::ArithmeticError", [
    variant("Underflow", 0), variant("Overflow", 1), variant("DivisionByZero", 2)])
TransactionalErrorCodec = Enum("sp_runtime::TransactionalError", [
    variant("LimitReached", 0), variant("NoLayer", 1)])
DispatchErrorCodec = Enum("sp_runtime::DispatchError", [
    variant("Other", 0), variant("CannotLookup", 1), variant("BadOrigin", 2),
    variant("Module", 3, [(None, ModuleErrorCodec, "ModuleError")]),
    variant("ConsumerRemaining", 4), variant("NoProviders", 5), variant("TooManyConsumers", 6),
    variant("Token", 7, [(None, TokenErrorCodec, "TokenError")]),
    variant("Arithmetic", 8, [(None, ArithmeticErrorCodec, "ArithmeticError")]),
    variant("Transactional", 9, [(None, TransactionalErrorCodec, "TransactionalError")]),
    variant("Exhausted", 10), variant("Corruption", 11), variant("Unavailable", 12),
    variant("RootNotAllowed", 13), variant("Trie", 14, [(None, Enum("sp_runtime::proving_trie::TrieError", [
        variant(n, i) for i, n in enumerate([
            "InvalidStateRoot", "IncompleteDatabase", "ValueAtIncompleteKey", "DecoderError",
            "InvalidHash", "DuplicateKey", "ExtraneousNode", "ExtraneousValue", "ExtraneousHashReference",
            "InvalidChildReference", "ValueMismatch", "IncompleteProof", "RootMismatch", "DecodeError"])]),
        "TrieError")]),
])
DispatchResultCodec = Result(Unit, DispatchErrorCodec)


class DispatchError(Exception):
    """A failed dispatch; ``value`` is the ``sp_runtime::DispatchError`` enum value."""

    def __init__(self, value: Any, message: str | None = None) -> None:
        super().__init__(message or str(value))
        self.value = value


class BadOrigin(DispatchError):
    def __init__(self) -> None:
        super().__init__("BadOrigin")


class ModuleError(DispatchError):
    """An error declared by a pallet; the pallet index is resolved by the runtime."""

    def __init__(self, pallet: str, index: int, name: str) -> None:
        super().__init__(None, f"{pallet}.{name}")
        self.pallet = pallet
        self.index = index
        self.name = name

    def resolve(self, pallet_index: int) -> Any:
        """The DispatchError value once the pallet's index in the runtime is known."""
        return ("Module", {"index": pallet_index, "error": bytes([self.index, 0, 0, 0])})


def token_error(name: str) -> DispatchError:
    return DispatchError(("Token", name))


def arithmetic_error(name: str) -> DispatchError:
    return DispatchError(("Arithmetic", name))


def ensure_signed(origin: Origin) -> bytes:
    """The signer's account id, or BadOrigin."""
    if origin.kind != "Signed" or origin.account is None:
        raise BadOrigin()
    return origin.account


def ensure_root(origin: Origin) -> None:
    if origin.kind != "Root":
        raise BadOrigin()


def ensure_none(origin: Origin) -> None:
    if origin.kind != "None":
        raise BadOrigin()
