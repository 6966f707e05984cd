"""Transaction validity types (``sp_runtime::transaction_validity``) as values, codecs and exceptions.

A rejected transaction raises :class:`TransactionValidityError` carrying the exact SCALE value the
client sees, e.g. ``("Invalid", "Stale")`` or ``("Invalid", ("Custom", 6))``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Annotated, Any

from runtime.scale import (
    U8, U64, Bool, Composite, Enum, FieldInfo, Result, Unit, Vec, scale_struct, variant,
)
from runtime.support.dispatch import DispatchResultCodec

InvalidTransactionCodec = Enum("sp_runtime::transaction_validity::InvalidTransaction", [
    variant("Call", 0), variant("Payment", 1), variant("Future", 2), variant("Stale", 3),
    variant("BadProof", 4), variant("AncientBirthBlock", 5), variant("ExhaustsResources", 6),
    variant("Custom", 7, [(None, U8, "u8")]), variant("BadMandatory", 8), variant("MandatoryValidation", 9),
    variant("BadSigner", 10), variant("IndeterminateImplicit", 11), variant("UnknownOrigin", 12),
])
UnknownTransactionCodec = Enum("sp_runtime::transaction_validity::UnknownTransaction", [
    variant("CannotLookup", 0), variant("NoUnsignedValidator", 1), variant("Custom", 2, [(None, U8, "u8")]),
])
TransactionValidityErrorCodec = Enum("sp_runtime::transaction_validity::TransactionValidityError", [
    variant("Invalid", 0, [(None, InvalidTransactionCodec, "InvalidTransaction")]),
    variant("Unknown", 1, [(None, UnknownTransactionCodec, "UnknownTransaction")]),
])
TransactionSourceCodec = Enum("sp_runtime::transaction_validity::TransactionSource", [
    variant("InBlock", 0), variant("Local", 1), variant("External", 2),
])

_TAGS = Vec(Vec(U8))


@scale_struct("sp_runtime::transaction_validity::ValidTransaction")
@dataclass(frozen=True, slots=True)
class ValidTransaction:
    """What the pool needs to order and deduplicate a transaction."""

    priority: Annotated[int, U64, "TransactionPriority"] = 0
    requires: Annotated[list[bytes], _TAGS, "Vec<TransactionTag>"] = field(default_factory=list)
    provides: Annotated[list[bytes], _TAGS, "Vec<TransactionTag>"] = field(default_factory=list)
    longevity: Annotated[int, U64, "TransactionLongevity"] = (1 << 64) - 1
    propagate: Annotated[bool, Bool, "bool"] = True


TransactionValidityCodec = Result(ValidTransaction.SCALE, TransactionValidityErrorCodec)  # type: ignore[attr-defined]
ApplyExtrinsicResultCodec = Result(DispatchResultCodec, TransactionValidityErrorCodec)


class TransactionValidityError(Exception):
    """A transaction is invalid (or of unknown validity); ``value`` is the codec value."""

    def __init__(self, value: Any) -> None:
        super().__init__(repr(value))
        self.value = value


def invalid(kind: str | tuple[str, int]) -> TransactionValidityError:
    return TransactionValidityError(("Invalid", kind))


def unknown(kind: str | tuple[str, int]) -> TransactionValidityError:
    return TransactionValidityError(("Unknown", kind))


__all__ = [
    "ApplyExtrinsicResultCodec", "Composite", "FieldInfo", "InvalidTransactionCodec",
    "TransactionSourceCodec", "TransactionValidityCodec", "TransactionValidityError",
    "TransactionValidityErrorCodec", "Unit", "UnknownTransactionCodec", "ValidTransaction", "invalid",
    "unknown",
]
