"""Deterministic multisig account ids, as ``pallet_multisig`` derives them.

A multisig account has no key: its id is a hash of who may sign and how many must. The pallet computes
``blake2_256(SCALE((b"modlpy/utilisuba", signatories, threshold)))`` where the tuple encodes as the
16 raw bytes of the tag (a fixed array), the signatories as a ``Vec<AccountId32>`` (compact count, then
the ids) and the threshold as a little-endian ``u16``. The pallet only ever hashes the signatories in
ascending byte order, so this function sorts them itself: any order of the same set gives one account.

Duplicate signatories are rejected: the pallet refuses such a set (``SignatoriesOutOfOrder``), so an
id derived from one could never be controlled on chain.
"""

from __future__ import annotations

from collections.abc import Sequence

from runtime.primitives.errors import InvalidMultisig
from runtime.primitives.hashing import blake2_256
from runtime.scale.primitives import encode_compact

__all__ = ["MULTISIG_TAG", "multi_account_id"]

#: The fixed prefix ``pallet_multisig`` hashes in front of the signatories (16 bytes, no length prefix).
MULTISIG_TAG = b"modlpy/utilisuba"

_ACCOUNT_ID_LEN = 32
_U16_MAX = 0xFFFF


def multi_account_id(signatories: Sequence[bytes], threshold: int) -> bytes:
    """The 32-byte account id of the multisig of ``signatories`` (32-byte ids, any order) at ``threshold``."""
    if isinstance(signatories, (bytes, bytearray, str)):
        # A lone id is a sequence too; iterating it would silently hash its bytes one by one.
        raise InvalidMultisig("signatories must be a sequence of account ids, not a single value")
    ids: list[bytes] = []
    for index, who in enumerate(signatories):
        if not isinstance(who, (bytes, bytearray, memoryview)) or len(who) != _ACCOUNT_ID_LEN:
            raise InvalidMultisig(f"signatory {index} is not a {_ACCOUNT_ID_LEN}-byte account id")
        ids.append(bytes(who))
    if not ids:
        raise InvalidMultisig("a multisig needs at least one signatory")
    ids.sort()
    if any(a == b for a, b in zip(ids, ids[1:])):
        raise InvalidMultisig("duplicate signatory")
    if isinstance(threshold, bool) or not isinstance(threshold, int) or not 0 <= threshold <= _U16_MAX:
        raise InvalidMultisig(f"threshold must be a u16, got {threshold!r}")

    out = bytearray(MULTISIG_TAG)
    encode_compact(len(ids), out)
    for who in ids:
        out += who
    out += threshold.to_bytes(2, "little")
    return blake2_256(bytes(out))
