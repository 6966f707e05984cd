"""Why the pool refuses a transaction, with the author-RPC code, message and data Substrate reports.

Codes follow ``sc-rpc-api``'s author errors (base 1000): 1001 bad format, 1002 verification error,
1010 invalid, 1011 unknown validity, 1012 banned, 1013 already imported, 1014 priority too low,
1015 cycle, 1016 immediately dropped, 1017 unactionable, 1018 no tags, 1040 other (client) error.
The ``data`` texts are what a Substrate node puts in the JSON-RPC error object.
"""

from __future__ import annotations

from typing import Any

#: ``InvalidTransaction`` variants as the node describes them (``Custom`` is formatted separately).
INVALID_TEXT: dict[str, str] = {
    "Call": "Transaction call is not expected",
    "Payment": "Inability to pay some fees (e.g. account balance too low)",
    "Future": "Transaction will be valid in the future",
    "Stale": "Transaction is outdated",
    "BadProof": "Transaction has a bad signature",
    "AncientBirthBlock": "Transaction has an ancient birth block",
    "ExhaustsResources": "Transaction would exhaust the block limits",
    "BadMandatory": "A call was labelled as mandatory, but resulted in an Error.",
    "MandatoryValidation": "Transaction dispatch is mandatory; transactions must not be validated.",
    "BadSigner": "Invalid signing address",
    "IndeterminateImplicit": "The implicit data was unable to be calculated",
    "UnknownOrigin": "The transaction extension did not authorize any origin",
}


class PoolError(Exception):
    """A refused submission; ``code``/``message``/``data`` are the JSON-RPC error fields."""

    code = 1040

    def __init__(self, message: str, data: Any = None) -> None:
        super().__init__(message)
        self.message = message
        self.data = data


class BadFormat(PoolError):
    """The bytes are not an extrinsic (``author_submitAndWatchExtrinsic``'s decode failure)."""

    code = 1001

    def __init__(self, reason: str) -> None:
        super().__init__(f"Extrinsic has invalid format: {reason}")


class ClientError(PoolError):
    """``author_submitExtrinsic``'s decode failure, which Substrate reports as a client error."""

    code = 1040

    def __init__(self, reason: str) -> None:
        super().__init__(f"Client error: {reason}")


class VerificationError(PoolError):
    """The runtime call that validates the transaction failed."""

    code = 1002

    def __init__(self, reason: str) -> None:
        super().__init__(f"Verification Error: {reason}", reason)


class InvalidTransaction(PoolError):
    code = 1010

    def __init__(self, kind: Any) -> None:
        self.kind = kind
        if isinstance(kind, (tuple, list)) and kind and kind[0] == "Custom":
            data = f"Custom error: {kind[1]}"
        else:
            data = INVALID_TEXT.get(str(kind), str(kind))
        super().__init__("Invalid Transaction", data)


class UnknownTransaction(PoolError):
    code = 1011

    def __init__(self, kind: Any) -> None:
        self.kind = kind
        if isinstance(kind, (tuple, list)) and kind and kind[0] == "Custom":
            data = f"Custom({kind[1]})"
        else:
            data = str(kind)
        super().__init__("Unknown Transaction Validity", data)


class TemporarilyBanned(PoolError):
    code = 1012

    def __init__(self) -> None:
        super().__init__("Transaction is temporarily banned")


class AlreadyImported(PoolError):
    code = 1013

    def __init__(self, tx_hash: bytes) -> None:
        self.tx_hash = tx_hash
        # Substrate formats a boxed ``dyn Any`` here, which prints as below.
        super().__init__("Transaction Already Imported", "Any { .. }")


class TooLowPriority(PoolError):
    code = 1014

    def __init__(self, old: int, new: int) -> None:
        self.old, self.new = old, new
        super().__init__(
            f"Priority is too low: ({old} vs {new})",
            "The transaction has too low priority to replace another transaction already in the pool.",
        )


class CycleDetected(PoolError):
    code = 1015

    def __init__(self) -> None:
        super().__init__("Cycle Detected")


class ImmediatelyDropped(PoolError):
    code = 1016

    def __init__(self) -> None:
        super().__init__("Immediately Dropped", "The transaction couldn't enter the pool because of the limit")


class Unactionable(PoolError):
    code = 1017

    def __init__(self) -> None:
        super().__init__(
            "Unactionable",
            "The transaction is unactionable since it is not propagable and the local node does not author blocks",
        )


class NoTagsProvided(PoolError):
    code = 1018

    def __init__(self) -> None:
        super().__init__("No tags provided", "Transaction does not provide any tags, so the pool can't identify it")


def validity_error(value: Any) -> PoolError:
    """The pool error for a ``TransactionValidityError.value`` such as ``("Invalid", "Stale")``."""
    try:
        outer, inner = value
    except (TypeError, ValueError):
        return VerificationError(repr(value))
    if outer == "Invalid":
        return InvalidTransaction(inner)
    if outer == "Unknown":
        return UnknownTransaction(inner)
    return VerificationError(repr(value))


__all__ = [
    "INVALID_TEXT", "AlreadyImported", "BadFormat", "ClientError", "CycleDetected", "ImmediatelyDropped",
    "InvalidTransaction", "NoTagsProvided", "PoolError", "TemporarilyBanned", "TooLowPriority", "Unactionable",
    "UnknownTransaction", "VerificationError", "validity_error",
]
