"""Generic containers: Vec, fixed arrays, Option, Result, tuples and BTreeMap.

Value conventions: ``Vec<u8>`` and ``[u8; N]`` are ``bytes``; other sequences are lists (tuples are
accepted when encoding); ``Option<T>`` is ``None`` or the value (``Option<bool>`` uses SCALE's one-byte
form); ``Result<T, E>`` is :class:`Ok` or :class:`Err`; tuples are tuples; ``BTreeMap<K, V>`` is a dict,
encoded in ascending key order as the Rust map iterates; ``BTreeSet<T>`` is a set, encoded sorted.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from runtime.scale.base import ScaleType, take
from runtime.scale.errors import DecodeError, EncodeError
from runtime.scale.info import (
    DefArray, DefComposite, DefSequence, DefTuple, DefVariant, FieldInfo, TypeInfo, TypeParam, VariantInfo,
)
from runtime.scale.primitives import U8, Bool, Int, decode_compact, encode_compact

T = TypeVar("T")
E = TypeVar("E")


def _check_count(count: int, element: ScaleType, data: bytes, pos: int) -> None:
    # A length prefix cannot promise more elements than the remaining bytes can hold.
    if element.min_size > 0 and count * element.min_size > len(data) - pos:
        raise DecodeError(f"length prefix {count} exceeds the {len(data) - pos} remaining bytes")
    if element.min_size == 0 and count > 1 << 20:
        raise DecodeError(f"length prefix {count} too large for a zero-sized element type")


class Vec(ScaleType):
    """``Vec<T>``: a compact element count followed by the elements."""

    __slots__ = ("inner", "_bulk", "_is_bytes")

    def __init__(self, inner: ScaleType) -> None:
        self.inner = inner
        self._is_bytes = inner == U8
        # Fixed-width integer elements encode and decode in bulk through struct.
        fmt = inner.fmt if isinstance(inner, Int) else None
        self._bulk = fmt if fmt and fmt != "B" else None

    min_size = 1

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Vec) and other.inner == self.inner

    def __hash__(self) -> int:
        return hash(("Vec", self.inner))

    def registry_key(self) -> ScaleType:
        # Adaptor element types (late-bound refs, Converted) number as what they stand for.
        inner = self.inner.registry_key()
        return self if inner is self.inner else Vec(inner)

    def encode_into(self, value: Any, out: bytearray) -> None:
        if self._is_bytes:
            if not isinstance(value, (bytes, bytearray, memoryview)):
                raise EncodeError(f"Vec<u8> expects bytes, got {type(value).__name__}")
            encode_compact(len(value), out)
            out += value
            return
        if isinstance(value, (str, bytes, dict)):
            raise EncodeError(f"Vec expects a list, got {type(value).__name__}")
        encode_compact(len(value), out)
        if self._bulk is not None:
            out += struct.pack(f"<{len(value)}{self._bulk}", *value)
            return
        encode = self.inner.encode_into
        for item in value:
            encode(item, out)

    def decode_at(self, data: bytes, pos: int) -> tuple[Any, int]:
        count, pos = decode_compact(data, pos)
        if self._is_bytes:
            return take(data, pos, count), pos + count
        _check_count(count, self.inner, data, pos)
        if self._bulk is not None:
            fmt = struct.Struct(f"<{count}{self._bulk}")
            return list(fmt.unpack_from(data, pos)), pos + fmt.size
        decode = self.inner.decode_at
        items = []
        for _ in range(count):
            item, pos = decode(data, pos)
            items.append(item)
        return items, pos

    def type_info(self) -> TypeInfo:
        return TypeInfo(DefSequence(self.inner))

    def __repr__(self) -> str:
        return f"Vec<{self.inner!r}>"


class Array(ScaleType):
    """``[T; N]``: exactly N elements, no length prefix (``[u8; N]`` values are bytes)."""

    __slots__ = ("length", "inner", "_is_bytes")

    def __init__(self, length: int, inner: ScaleType) -> None:
        self.length = length
        self.inner = inner
        self._is_bytes = inner == U8

    @property
    def min_size(self) -> int:  # type: ignore[override]
        return self.length * self.inner.min_size

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Array) and (other.length, other.inner) == (self.length, self.inner)

    def __hash__(self) -> int:
        return hash(("Array", self.length, self.inner))

    def encode_into(self, value: Any, out: bytearray) -> None:
        if len(value) != self.length:
            raise EncodeError(f"{self!r} expects {self.length} elements, got {len(value)}")
        if self._is_bytes:
            if not isinstance(value, (bytes, bytearray, memoryview)):
                raise EncodeError(f"{self!r} expects bytes, got {type(value).__name__}")
            out += value
            return
        for item in value:
            self.inner.encode_into(item, out)

    def decode_at(self, data: bytes, pos: int) -> tuple[Any, int]:
        if self._is_bytes:
            return take(data, pos, self.length), pos + self.length
        items = []
        for _ in range(self.length):
            item, pos = self.inner.decode_at(data, pos)
            items.append(item)
        return tuple(items), pos

    def type_info(self) -> TypeInfo:
        return TypeInfo(DefArray(self.length, self.inner))

    def __repr__(self) -> str:
        return f"[{self.inner!r}; {self.length}]"


class Option(ScaleType):
    """``Option<T>``: ``None`` or the inner value."""

    __slots__ = ("inner",)

    def __init__(self, inner: ScaleType) -> None:
        self.inner = inner

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Option) and other.inner == self.inner

    def __hash__(self) -> int:
        return hash(("Option", self.inner))

    def registry_key(self) -> ScaleType:
        inner = self.inner.registry_key()
        return self if inner is self.inner else Option(inner)

    def encode_into(self, value: Any, out: bytearray) -> None:
        if self.inner is Bool:
            # SCALE packs Option<bool> into one byte: 0 None, 1 Some(true), 2 Some(false).
            if value is None:
                out.append(0)
            elif isinstance(value, bool):
                out.append(1 if value else 2)
            else:
                raise EncodeError(f"Option<bool> expects None or a bool, got {value!r:.40}")
            return
        if value is None:
            out.append(0)
        else:
            out.append(1)
            self.inner.encode_into(value, out)

    def decode_at(self, data: bytes, pos: int) -> tuple[Any, int]:
        tag = data[pos]
        if self.inner is Bool:
            if tag > 2:
                raise DecodeError(f"invalid Option<bool> byte {tag:#04x}")
            return (None, True, False)[tag], pos + 1
        if tag == 0:
            return None, pos + 1
        if tag == 1:
            return self.inner.decode_at(data, pos + 1)
        raise DecodeError(f"invalid Option tag {tag:#04x}")

    def type_info(self) -> TypeInfo:
        return TypeInfo(
            DefVariant((
                VariantInfo("None", (), 0),
                VariantInfo("Some", (FieldInfo(None, self.inner),), 1),
            )),
            path=("Option",),
            params=(TypeParam("T", self.inner),),
        )

    def __repr__(self) -> str:
        return f"Option<{self.inner!r}>"


@dataclass(frozen=True, slots=True)
class Ok(Generic[T]):
    """The ``Ok`` arm of a ``Result``."""

    value: T


@dataclass(frozen=True, slots=True)
class Err(Generic[E]):
    """The ``Err`` arm of a ``Result``."""

    error: E


class Result(ScaleType):
    """``Result<T, E>``: index 0 ``Ok(T)``, index 1 ``Err(E)``."""

    __slots__ = ("ok", "err")

    def __init__(self, ok: ScaleType, err: ScaleType) -> None:
        self.ok = ok
        self.err = err

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Result) and (other.ok, other.err) == (self.ok, self.err)

    def __hash__(self) -> int:
        return hash(("Result", self.ok, self.err))

    def encode_into(self, value: Any, out: bytearray) -> None:
        if isinstance(value, Ok):
            out.append(0)
            self.ok.encode_into(value.value, out)
        elif isinstance(value, Err):
            out.append(1)
            self.err.encode_into(value.error, out)
        else:
            raise EncodeError(f"Result expects Ok(...) or Err(...), got {value!r:.40}")

    def decode_at(self, data: bytes, pos: int) -> tuple[Any, int]:
        tag = data[pos]
        if tag == 0:
            value, pos = self.ok.decode_at(data, pos + 1)
            return Ok(value), pos
        if tag == 1:
            error, pos = self.err.decode_at(data, pos + 1)
            return Err(error), pos
        raise DecodeError(f"invalid Result tag {tag:#04x}")

    def type_info(self) -> TypeInfo:
        return TypeInfo(
            DefVariant((
                VariantInfo("Ok", (FieldInfo(None, self.ok),), 0),
                VariantInfo("Err", (FieldInfo(None, self.err),), 1),
            )),
            path=("Result",),
            params=(TypeParam("T", self.ok), TypeParam("E", self.err)),
        )

    def __repr__(self) -> str:
        return f"Result<{self.ok!r}, {self.err!r}>"


class Tuple(ScaleType):
    """``(A, B, …)``: the elements back to back; ``Tuple()`` is the unit type ``()``."""

    __slots__ = ("types",)

    def __init__(self, *types: ScaleType) -> None:
        self.types = types

    @property
    def min_size(self) -> int:  # type: ignore[override]
        return sum(t.min_size for t in self.types)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Tuple) and other.types == self.types

    def __hash__(self) -> int:
        return hash(("Tuple", self.types))

    def registry_key(self) -> ScaleType:
        keys = tuple(t.registry_key() for t in self.types)
        return self if all(k is t for k, t in zip(keys, self.types)) else Tuple(*keys)

    def encode_into(self, value: Any, out: bytearray) -> None:
        if not self.types and value is None:
            return  # the unit type also accepts None
        if len(value) != len(self.types):
            raise EncodeError(f"{self!r} expects {len(self.types)} elements, got {len(value)}")
        for item_type, item in zip(self.types, value):
            item_type.encode_into(item, out)

    def decode_at(self, data: bytes, pos: int) -> tuple[Any, int]:
        items = []
        for item_type in self.types:
            item, pos = item_type.decode_at(data, pos)
            items.append(item)
        return tuple(items), pos

    def type_info(self) -> TypeInfo:
        return TypeInfo(DefTuple(self.types))

    def __repr__(self) -> str:
        return "(" + ", ".join(repr(t) for t in self.types) + ")"


Unit = Tuple()


class BTreeMap(ScaleType):
    """``BTreeMap<K, V>``: encoded as ``Vec<(K, V)>`` in ascending key order; the value is a dict."""

    __slots__ = ("key", "value", "_pairs")

    def __init__(self, key: ScaleType, value: ScaleType) -> None:
        self.key = key
        self.value = value
        self._pairs = Vec(Tuple(key, value))

    def __eq__(self, other: object) -> bool:
        return isinstance(other, BTreeMap) and (other.key, other.value) == (self.key, self.value)

    def __hash__(self) -> int:
        return hash(("BTreeMap", self.key, self.value))

    def encode_into(self, value: Any, out: bytearray) -> None:
        if not isinstance(value, dict):
            raise EncodeError(f"BTreeMap expects a dict, got {type(value).__name__}")
        self._pairs.encode_into(sorted(value.items()), out)

    def decode_at(self, data: bytes, pos: int) -> tuple[Any, int]:
        pairs, pos = self._pairs.decode_at(data, pos)
        result = dict(pairs)
        if len(result) != len(pairs):
            raise DecodeError("duplicate key in BTreeMap")
        return result, pos

    def type_info(self) -> TypeInfo:
        return TypeInfo(
            DefComposite((FieldInfo(None, self._pairs),)),
            path=("BTreeMap",),
            params=(TypeParam("K", self.key), TypeParam("V", self.value)),
        )

    def __repr__(self) -> str:
        return f"BTreeMap<{self.key!r}, {self.value!r}>"


def Bytes() -> Vec:  # noqa: N802 - reads like a type
    """``Vec<u8>`` (values are bytes)."""
    return Vec(U8)


def FixedBytes(length: int) -> Array:  # noqa: N802 - reads like a type
    """``[u8; length]`` (values are bytes of exactly that length)."""
    return Array(length, U8)


class BTreeSet(ScaleType):
    """``BTreeSet<T>``: a ``Vec<T>`` in ascending order; Python values are sets."""

    __slots__ = ("inner", "_items")

    def __init__(self, inner: ScaleType) -> None:
        self.inner = inner
        self._items = Vec(inner)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, BTreeSet) and other.inner == self.inner

    def __hash__(self) -> int:
        return hash(("BTreeSet", self.inner))

    def encode_into(self, value: Any, out: bytearray) -> None:
        self._items.encode_into(sorted(value), out)

    def decode_at(self, data: bytes, pos: int) -> tuple[Any, int]:
        items, pos = self._items.decode_at(data, pos)
        return {tuple(i) if isinstance(i, list) else i for i in items}, pos

    def type_info(self) -> TypeInfo:
        return TypeInfo(DefComposite((FieldInfo(None, self._items),)), path=("BTreeSet",),
                        params=(TypeParam("T", self.inner),))

    def __repr__(self) -> str:
        return f"BTreeSet<{self.inner!r}>"
