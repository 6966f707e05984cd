"""SS58 addresses for 32-byte account ids.

An SS58 address is ``base58(prefix ++ account_id ++ checksum)``. The *prefix* names the network
(42 is the generic Substrate prefix, which Bittensor uses). It takes one byte for values below 64; values
64..16383 use a two-byte "full" form whose first byte has its top bits set to ``01`` so it can never be
confused with the simple form. The *checksum* is the first two bytes of
``blake2b_512(b"SS58PRE" ++ prefix ++ account_id)``.

This module is deliberately strict: it only accepts 32-byte account ids (the ``AccountId32`` payload),
rejects anything that is not canonical (a full-form prefix encoding a value below 64), and reports every
failure as :class:`InvalidSS58`. Accepting hex or raw bytes as an account is the job of the separate,
explicitly lenient :func:`account_id_from`.
"""

from __future__ import annotations

import binascii

import base58

from runtime.primitives.errors import InvalidAccountId, InvalidSS58
from runtime.primitives.hashing import blake2_512

__all__ = [
    "ACCOUNT_ID_LEN",
    "DEFAULT_SS58_PREFIX",
    "account_id_from",
    "is_valid_ss58",
    "ss58_decode",
    "ss58_decode_with_prefix",
    "ss58_encode",
]

#: The generic Substrate prefix; subtensor uses it too.
DEFAULT_SS58_PREFIX = 42
ACCOUNT_ID_LEN = 32

_CHECKSUM_PREAMBLE = b"SS58PRE"
_CHECKSUM_LEN = 2
_MAX_PREFIX = 16383  # 14 bits: the most the two-byte form can carry.
_SIMPLE_PREFIX_LIMIT = 64


def _checksum(prefixed_payload: bytes) -> bytes:
    return blake2_512(_CHECKSUM_PREAMBLE + prefixed_payload)[:_CHECKSUM_LEN]


def _encode_prefix(prefix: int) -> bytes:
    if prefix < _SIMPLE_PREFIX_LIMIT:
        return bytes([prefix])
    # The 14-bit value is split as Substrate does: the first byte holds bits 2..7 under the 0b01 marker,
    # the second byte holds bits 8..13 with bits 0..1 in its top two bits.
    first = ((prefix & 0b1111_1100) >> 2) | 0b0100_0000
    second = (prefix >> 8) | ((prefix & 0b11) << 6)
    return bytes([first, second])


def _decode_prefix(raw: bytes) -> tuple[int, int]:
    """Return ``(prefix, bytes used)`` for the prefix at the start of ``raw``."""
    first = raw[0]
    if first < _SIMPLE_PREFIX_LIMIT:
        return first, 1
    if first < 128:
        if len(raw) < 2:
            raise InvalidSS58("address too short for a two-byte prefix")
        second = raw[1]
        lower = ((first << 2) & 0xFF) | (second >> 6)
        prefix = lower | ((second & 0b0011_1111) << 8)
        if prefix < _SIMPLE_PREFIX_LIMIT:
            # Two encodings for one network would let the same account have two addresses.
            raise InvalidSS58(f"non-canonical two-byte form for prefix {prefix}")
        return prefix, 2
    raise InvalidSS58(f"invalid SS58 prefix byte 0x{first:02x}")


def ss58_encode(public: bytes, prefix: int = DEFAULT_SS58_PREFIX) -> str:
    """Encode a 32-byte account id as an SS58 address under ``prefix`` (0..16383)."""
    if not isinstance(public, (bytes, bytearray, memoryview)):
        raise InvalidSS58(f"account id must be bytes, not {type(public).__name__}")
    public = bytes(public)
    if len(public) != ACCOUNT_ID_LEN:
        raise InvalidSS58(f"account id must be {ACCOUNT_ID_LEN} bytes, got {len(public)}")
    if isinstance(prefix, bool) or not isinstance(prefix, int) or not 0 <= prefix <= _MAX_PREFIX:
        raise InvalidSS58(f"SS58 prefix must be an integer in 0..{_MAX_PREFIX}, got {prefix!r}")
    body = _encode_prefix(prefix) + public
    return base58.b58encode(body + _checksum(body)).decode("ascii")


def ss58_decode_with_prefix(address: str) -> tuple[int, bytes]:
    """Decode an SS58 address into ``(prefix, 32-byte account id)``."""
    if not isinstance(address, str):
        raise InvalidSS58(f"address must be a str, not {type(address).__name__}")
    try:
        raw = base58.b58decode(address.encode("ascii"))
    except (ValueError, binascii.Error) as exc:  # UnicodeEncodeError is a ValueError too.
        raise InvalidSS58(f"not base58: {address!r}") from exc
    if not raw:
        raise InvalidSS58("empty address")
    prefix, used = _decode_prefix(raw)
    if len(raw) != used + ACCOUNT_ID_LEN + _CHECKSUM_LEN:
        raise InvalidSS58(f"address decodes to {len(raw)} bytes; not a 32-byte account id")
    body, checksum = raw[:-_CHECKSUM_LEN], raw[-_CHECKSUM_LEN:]
    if _checksum(body) != checksum:
        raise InvalidSS58(f"bad checksum in {address!r}")
    return prefix, bytes(body[used:])


def ss58_decode(address: str, expected_prefix: int | None = None) -> bytes:
    """Decode an SS58 address to its 32-byte account id, optionally insisting on a network prefix."""
    prefix, account = ss58_decode_with_prefix(address)
    if expected_prefix is not None and prefix != expected_prefix:
        raise InvalidSS58(f"address has prefix {prefix}, expected {expected_prefix}")
    return account


def is_valid_ss58(address: str, expected_prefix: int | None = None) -> bool:
    """Whether ``address`` decodes to a 32-byte account id (under ``expected_prefix`` if given)."""
    try:
        ss58_decode(address, expected_prefix)
    except InvalidSS58:
        return False
    return True


def account_id_from(value: str | bytes, expected_prefix: int | None = None) -> bytes:
    """Accept an account in any usual spelling and return its 32 raw bytes.

    ``value`` may be an SS58 address (checked against ``expected_prefix`` when given), a ``0x``-prefixed
    hex string of 32 bytes, or the 32 raw bytes. Raises :class:`InvalidAccountId` (or its subclass
    :class:`InvalidSS58` for a malformed address).
    """
    if isinstance(value, (bytes, bytearray, memoryview)):
        raw = bytes(value)
        if len(raw) != ACCOUNT_ID_LEN:
            raise InvalidAccountId(f"account id must be {ACCOUNT_ID_LEN} bytes, got {len(raw)}")
        return raw
    if not isinstance(value, str):
        raise InvalidAccountId(f"cannot read an account id from {type(value).__name__}")
    if value[:2] in ("0x", "0X"):
        digits = value[2:]
        # bytes.fromhex tolerates spaces; an account id written in hex should not contain any.
        if len(digits) != 2 * ACCOUNT_ID_LEN or not all(c in _HEX_DIGITS for c in digits):
            raise InvalidAccountId(f"expected 0x followed by {2 * ACCOUNT_ID_LEN} hex digits: {value!r}")
        return bytes.fromhex(digits)
    return ss58_decode(value, expected_prefix)


_HEX_DIGITS = frozenset("0123456789abcdefABCDEF")
