"""Primitive SCALE types: fixed-width integers, bool, str and compact integers.

Integers are little-endian two's complement of their declared width and refuse values that do not fit
(no silent wrapping). Compact integers use SCALE's four modes (single byte, two bytes, four bytes, and the
big-integer mode with a length byte); the decoder rejects non-canonical encodings and values above the
compact's inner type, as Substrate's decoder does.
"""

from __future__ import annotations

import struct
from typing import Any

from runtime.scale.base import ScaleType, take
from runtime.scale.errors import DecodeError, EncodeError
from runtime.scale.info import DefCompact, DefPrimitive, TypeInfo

# struct format characters for the widths struct can handle natively.
_UNSIGNED_FORMATS = {8: "B", 16: "H", 32: "I", 64: "Q"}
_SIGNED_FORMATS = {8: "b", 16: "h", 32: "i", 64: "q"}


class Int(ScaleType):
    """A fixed-width integer, ``u8``…``u256`` or ``i8``…``i256``."""

    __slots__ = ("bits", "signed", "size", "name", "fmt", "_struct", "min_value", "max_value")

    def __init__(self, bits: int, signed: bool) -> None:
        self.bits = bits
        self.signed = signed
        self.size = bits // 8
        self.name = f"{'i' if signed else 'u'}{bits}"
        self.fmt = (_SIGNED_FORMATS if signed else _UNSIGNED_FORMATS).get(bits)
        self._struct = struct.Struct("<" + self.fmt) if self.fmt else None
        self.min_value = -(1 << (bits - 1)) if signed else 0
        self.max_value = (1 << (bits - 1)) - 1 if signed else (1 << bits) - 1

    @property
    def min_size(self) -> int:  # type: ignore[override]
        return self.size

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Int) and other.bits == self.bits and other.signed == self.signed

    def __hash__(self) -> int:
        return hash(("Int", self.bits, self.signed))

    def encode_into(self, value: Any, out: bytearray) -> None:
        if type(value) is not int and not isinstance(value, int):
            raise EncodeError(f"{self.name} expects an int, got {type(value).__name__}")
        out += value.to_bytes(self.size, "little", signed=self.signed)

    def decode_at(self, data: bytes, pos: int) -> tuple[int, int]:
        if self._struct is not None:
            return self._struct.unpack_from(data, pos)[0], pos + self.size
        return int.from_bytes(take(data, pos, self.size), "little", signed=self.signed), pos + self.size

    def type_info(self) -> TypeInfo:
        return TypeInfo(DefPrimitive(self.name))

    def __repr__(self) -> str:
        return self.name

    def __reduce__(self) -> Any:
        return (Int, (self.bits, self.signed))


U8, U16, U32, U64, U128, U256 = (Int(b, False) for b in (8, 16, 32, 64, 128, 256))
I8, I16, I32, I64, I128, I256 = (Int(b, True) for b in (8, 16, 32, 64, 128, 256))


class _Bool(ScaleType):
    __slots__ = ()

    def encode_into(self, value: Any, out: bytearray) -> None:
        if not isinstance(value, bool):
            raise EncodeError(f"bool expects True/False, got {value!r:.40}")
        out.append(1 if value else 0)

    def decode_at(self, data: bytes, pos: int) -> tuple[bool, int]:
        byte = data[pos]
        if byte > 1:
            raise DecodeError(f"invalid bool byte {byte:#04x}")
        return byte == 1, pos + 1

    def type_info(self) -> TypeInfo:
        return TypeInfo(DefPrimitive("bool"))

    def __repr__(self) -> str:
        return "bool"


Bool = _Bool()


def encode_compact(value: int, out: bytearray) -> None:
    """Append the SCALE compact encoding of a non-negative integer."""
    if value < 0:
        raise EncodeError("compact integers are unsigned")
    if value < 1 << 6:
        out.append(value << 2)
    elif value < 1 << 14:
        out += ((value << 2) | 1).to_bytes(2, "little")
    elif value < 1 << 30:
        out += ((value << 2) | 2).to_bytes(4, "little")
    else:
        length = (value.bit_length() + 7) // 8
        if length > 67:
            raise EncodeError("compact integer too large")
        out.append(((length - 4) << 2) | 3)
        out += value.to_bytes(length, "little")


def compact_bytes(value: int) -> bytes:
    """The compact encoding of ``value`` as bytes."""
    out = bytearray()
    encode_compact(value, out)
    return bytes(out)


def decode_compact(data: bytes, pos: int) -> tuple[int, int]:
    """Read a compact integer at ``pos``, rejecting non-canonical encodings."""
    first = data[pos]
    mode = first & 3
    if mode == 0:
        return first >> 2, pos + 1
    if mode == 1:
        value = int.from_bytes(take(data, pos, 2), "little") >> 2
        if value < 1 << 6:
            raise DecodeError("non-canonical compact (two-byte mode for a small value)")
        return value, pos + 2
    if mode == 2:
        value = int.from_bytes(take(data, pos, 4), "little") >> 2
        if value < 1 << 14:
            raise DecodeError("non-canonical compact (four-byte mode for a small value)")
        return value, pos + 4
    length = (first >> 2) + 4
    raw = take(data, pos + 1, length)
    if raw[-1] == 0:
        raise DecodeError("non-canonical compact (leading zero byte in big-integer mode)")
    value = int.from_bytes(raw, "little")
    if value < 1 << 30:
        raise DecodeError("non-canonical compact (big-integer mode for a small value)")
    return value, pos + 1 + length


class Compact(ScaleType):
    """``Compact<T>`` for an unsigned integer ``T``; values above ``T``'s range are rejected."""

    __slots__ = ("inner", "max_value")

    def __init__(self, inner: ScaleType) -> None:
        self.inner = inner
        # CompactAs newtypes (a composite around one integer) take their range from that integer.
        fields = getattr(inner, "fields", ())
        target = fields[0].type if len(fields) == 1 else inner
        self.max_value = getattr(target, "max_value", (1 << 128) - 1)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Compact) and other.inner == self.inner

    def __hash__(self) -> int:
        return hash(("Compact", self.inner))

    @property
    def _is_unit(self) -> bool:
        # Compact<()> exists in real metadata (MultiAddress::Index with AccountIndex = ()); it is empty.
        return self.inner.min_size == 0 and not isinstance(self.inner, Int)

    def encode_into(self, value: Any, out: bytearray) -> None:
        if self._is_unit:
            return
        if not isinstance(value, int) or value > self.max_value:
            raise EncodeError(f"{value!r:.40} does not fit Compact<{self.inner!r}>")
        encode_compact(value, out)

    def decode_at(self, data: bytes, pos: int) -> tuple[Any, int]:
        if self._is_unit:
            return None, pos
        value, pos = decode_compact(data, pos)
        if value > self.max_value:
            raise DecodeError(f"compact value {value} overflows {self.inner!r}")
        return value, pos

    def type_info(self) -> TypeInfo:
        return TypeInfo(DefCompact(self.inner))

    def __repr__(self) -> str:
        return f"Compact<{self.inner!r}>"


class _Str(ScaleType):
    """``String``/``str``: a compact byte length followed by UTF-8."""

    __slots__ = ()

    def encode_into(self, value: Any, out: bytearray) -> None:
        if not isinstance(value, str):
            raise EncodeError(f"str expects a str, got {type(value).__name__}")
        raw = value.encode("utf-8")
        encode_compact(len(raw), out)
        out += raw

    def decode_at(self, data: bytes, pos: int) -> tuple[str, int]:
        length, pos = decode_compact(data, pos)
        raw = take(data, pos, length)
        return raw.decode("utf-8"), pos + length

    def type_info(self) -> TypeInfo:
        return TypeInfo(DefPrimitive("str"))

    def __repr__(self) -> str:
        return "str"


Str = _Str()

# Module-level Compact instances for the common cases.
CompactU8 = Compact(U8)
CompactU16 = Compact(U16)
CompactU32 = Compact(U32)
CompactU64 = Compact(U64)
CompactU128 = Compact(U128)
