"""The SCALE codec and type system of the runtime.

Declare a type once and get from it the SCALE encoder/decoder and a scale-info-style description that the
portable registry (and so runtime metadata) is built from::

    from runtime.scale import U32, Vec, Compact, U64, Option

    Vec(U32).encode([1, 2])            # b"\\x08\\x01\\x00\\x00\\x00\\x02\\x00\\x00\\x00"
    Option(Compact(U64)).decode(b"\\x01\\x04")   # 1

Structs are frozen dataclasses decorated with :func:`scale_struct`, their fields annotated with the
``Annotated`` aliases below (``u32``, ``u64``…) or ``Annotated[T, codec, "RustTypeName"]``.
"""

from __future__ import annotations

from typing import Annotated

from runtime.scale.base import ScaleType, take
from runtime.scale.collections import (
    Array, BTreeMap, BTreeSet, Bytes, Err, FixedBytes, Ok, Option, Result, Tuple, Unit, Vec,
)
from runtime.scale.composite import Composite, Converted, Enum, Struct, codec_of, scale_struct, variant
from runtime.scale.errors import DecodeError, EncodeError, ScaleError
from runtime.scale.fixed import I32F32, I64F64, I96F32, U32F32, U64F64, U96F32, U110F18, Fixed, FixedPoint
from runtime.scale.info import FieldInfo, TypeInfo, TypeParam, VariantInfo
from runtime.scale.lazy import Lazy
from runtime.scale.primitives import (
    I8, I16, I32, I64, I128, I256, U8, U16, U32, U64, U128, U256, Bool, Compact, CompactU8, CompactU16,
    CompactU32, CompactU64, CompactU128, Int, Str, compact_bytes, decode_compact, encode_compact,
)
from runtime.scale.registry import PortableRegistry

# Annotated aliases for dataclass fields (the codec rides along in the annotation).
u8 = Annotated[int, U8]
u16 = Annotated[int, U16]
u32 = Annotated[int, U32]
u64 = Annotated[int, U64]
u128 = Annotated[int, U128]
i32 = Annotated[int, I32]
i64 = Annotated[int, I64]
i128 = Annotated[int, I128]
boolean = Annotated[bool, Bool]
string = Annotated[str, Str]
bytes_vec = Annotated[bytes, Vec(U8)]
hash256 = Annotated[bytes, Array(32, U8)]
compact_u32 = Annotated[int, CompactU32]
compact_u64 = Annotated[int, CompactU64]

__all__ = [
    "Array", "BTreeMap", "Bool", "Bytes", "Compact", "CompactU8", "CompactU16", "CompactU32", "CompactU64",
    "CompactU128", "Composite", "Converted", "DecodeError", "EncodeError", "Enum", "Err", "FieldInfo",
    "Fixed", "FixedBytes", "FixedPoint", "I8", "I16", "I32", "I32F32", "I64", "I64F64", "I96F32", "I128",
    "I256", "Int", "Lazy", "Ok", "Option", "PortableRegistry", "Result", "ScaleError", "ScaleType", "Str",
    "Struct", "Tuple", "TypeInfo", "TypeParam", "U8", "U16", "U32", "U32F32", "U64", "U64F64", "U96F32",
    "U110F18", "U128", "U256", "Unit", "VariantInfo", "Vec", "boolean", "bytes_vec", "codec_of",
    "compact_bytes", "compact_u32", "compact_u64", "decode_compact", "encode_compact", "hash256", "i32",
    "i64", "i128", "scale_struct", "string", "take", "u8", "u16", "u32", "u64", "u128", "variant",
]
