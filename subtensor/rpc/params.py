"""Parameter converters: JSON values in, Python values out, ``ParamError`` (→ -32602) on bad input.

Bytes follow Substrate's ``Bytes``/``H256`` serde: hex with or without ``0x`` (``state_call`` input
arrives bare from some clients). Block numbers are integers or hex strings (``NumberOrHex``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from runtime.primitives.errors import InvalidAccountId
from runtime.primitives.ss58 import account_id_from

Converter = Callable[[Any], Any]

U32_MAX = 2**32 - 1


class ParamError(ValueError):
    """A parameter has the wrong type or shape; the text becomes the error's ``data``."""


def _type_name(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object"


def hex_bytes(value: Any) -> bytes:
    """``0x…`` (or bare) hex to bytes."""
    if not isinstance(value, str):
        raise ParamError(f"invalid type: {_type_name(value)}, expected a 0x-prefixed hex string")
    text = value[2:] if value[:2] in ("0x", "0X") else value
    if len(text) % 2:
        raise ParamError(f"invalid hex string {value[:80]!r}: odd number of digits")
    try:
        return bytes.fromhex(text)
    except ValueError:
        raise ParamError(f"invalid hex string {value[:80]!r}: not hexadecimal") from None


def block_hash(value: Any) -> bytes:
    """A 32-byte hash."""
    raw = hex_bytes(value)
    if len(raw) != 32:
        raise ParamError(f"invalid length {len(raw)}, expected a 32-byte hash (0x + 64 hex digits)")
    return raw


def block_number(value: Any) -> int:
    """``NumberOrHex`` narrowed to a u32 block number."""
    if isinstance(value, bool) or not isinstance(value, (int, str)):
        raise ParamError(f"invalid type: {_type_name(value)}, expected a block number or hex string")
    if isinstance(value, str):
        if value[:2] not in ("0x", "0X"):
            raise ParamError(f"invalid block number {value[:80]!r}: expected a 0x-prefixed hex string")
        try:
            value = int(value[2:], 16)
        except ValueError:
            raise ParamError(f"invalid block number {value[:80]!r}: not hexadecimal") from None
    if value < 0:
        raise ParamError(f"invalid block number {value}: negative")
    if value > U32_MAX:
        raise ParamError(f"`{value}` > u32::MAX, the max block number is u32.")
    return value


def u32(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ParamError(f"invalid type: {_type_name(value)}, expected u32")
    if not 0 <= value <= U32_MAX:
        raise ParamError(f"invalid value: {value}, expected u32")
    return value


def string(value: Any) -> str:
    if not isinstance(value, str):
        raise ParamError(f"invalid type: {_type_name(value)}, expected a string")
    return value


def boolean(value: Any) -> bool:
    if not isinstance(value, bool):
        raise ParamError(f"invalid type: {_type_name(value)}, expected a boolean")
    return value


def subscription_id(value: Any) -> str:
    """Subscription ids are strings; integers are accepted and compared as text."""
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise ParamError(f"invalid type: {_type_name(value)}, expected a subscription id")
    return str(value)


def account(value: Any) -> bytes:
    """An SS58 address or 0x hex of 32 bytes."""
    if not isinstance(value, str):
        raise ParamError(f"invalid type: {_type_name(value)}, expected an SS58 address")
    try:
        return account_id_from(value)
    except InvalidAccountId as exc:
        raise ParamError(f"invalid account {value[:80]!r}: {exc}") from None


def list_of(item: Converter) -> Converter:
    def convert(value: Any) -> list[Any]:
        if not isinstance(value, list):
            raise ParamError(f"invalid type: {_type_name(value)}, expected an array")
        return [item(v) for v in value]
    return convert


def optional(inner: Converter) -> Converter:
    """``null`` stays None; anything else goes through ``inner``."""
    def convert(value: Any) -> Any:
        return None if value is None else inner(value)
    convert.optional = True  # type: ignore[attr-defined]
    return convert


def any_json(value: Any) -> Any:
    return value


def is_optional(converter: Converter) -> bool:
    return bool(getattr(converter, "optional", False))
