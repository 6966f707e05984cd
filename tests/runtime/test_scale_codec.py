"""SCALE codec: known vectors, round trips for every type kind, and malformed-input behaviour."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from runtime.primitives.era import EraCodec
from runtime.primitives.header import Digest, DigestItem, Header
from runtime.primitives.types import AccountId32, MultiAddress, MultiSignature, MultiSigner
from runtime.scale import (
    I8, I16, I32, I64, I128, I256, U8, U16, U32, U64, U128, U256, Array, Bool, BTreeMap, Compact,
    CompactU8, CompactU32, CompactU64, CompactU128, Composite, DecodeError, EncodeError, Enum, Err,
    FixedBytes, I64F64, I96F32, Ok, Option, Result, ScaleType, Str, Tuple, U64F64, Unit, Vec,
    compact_bytes, scale_struct, u16, u64, variant,
)

from tests.runtime.scale_strategies import values_for


@scale_struct("test::Point")
@dataclass(frozen=True, slots=True)
class Point:
    x: u64
    y: Annotated[int, I32, "i32"]
    tags: Annotated[list[int], Vec(U16)]


Shape = Enum("test::Shape", [
    variant("Empty", 0),
    variant("Dot", 1, [(None, U8)]),
    variant("Pair", 3, [(None, U16), (None, Str)]),
    variant("Named", 7, [("a", Bool), ("b", Option(U32))]),
])

ALL_TYPES: list[ScaleType] = [
    U8, U16, U32, U64, U128, U256, I8, I16, I32, I64, I128, I256, Bool, Str,
    CompactU8, CompactU32, CompactU64, CompactU128, Compact(Unit),
    Vec(U8), Vec(U16), Vec(U32), Vec(U64), Vec(Str), Vec(Vec(U8)), Vec(Tuple(U16, U16)),
    FixedBytes(4), FixedBytes(32), Array(3, U16), Option(U32), Option(Bool), Option(Vec(U8)),
    Result(U32, Str), Tuple(), Tuple(U8, Str, Bool), BTreeMap(U16, U64), BTreeMap(Str, Vec(U8)),
    U64F64, I64F64, I96F32, Point.SCALE, Shape, AccountId32, MultiAddress, MultiSignature, MultiSigner,
    EraCodec, DigestItem, Digest, Header.SCALE,
    Composite("test::Tuple", [(None, U8), (None, U16)]),
    Composite("test::Named", [("first", U8), ("second", Vec(U16))]),
]


@pytest.mark.parametrize(
    ("value", "encoded"),
    [
        (0, "00"), (1, "04"), (42, "a8"), (63, "fc"), (64, "0101"), (69, "1501"), (16383, "fdff"),
        (16384, "02000100"), (65535, "feff0300"), ((1 << 30) - 1, "feffffff"), (1 << 30, "0300000040"),
        ((1 << 32) - 1, "03ffffffff"), (1 << 32, "070000000001"), ((1 << 64) - 1, "13ffffffffffffffff"),
    ],
)
def test_compact_vectors(value: int, encoded: str) -> None:
    assert compact_bytes(value).hex() == encoded
    assert CompactU128.decode(bytes.fromhex(encoded)) == value


def test_fixed_width_and_container_vectors() -> None:
    assert U16.encode(42).hex() == "2a00"
    assert I16.encode(-1).hex() == "ffff"
    assert U32.encode(16777215).hex() == "ffffff00"
    assert Vec(U16).encode([4, 8, 15, 16, 23, 42]).hex() == "18040008000f00100017002a00"
    assert Option(Bool).encode(None).hex() == "00"
    assert Option(Bool).encode(True).hex() == "01"
    assert Option(Bool).encode(False).hex() == "02"
    assert Option(U32).encode(1).hex() == "0101000000"
    assert Result(U8, Bool).encode(Ok(42)).hex() == "002a"
    assert Result(U8, Bool).encode(Err(False)).hex() == "0100"
    assert Str.encode("Hi").hex() == "084869"
    assert Tuple(CompactU32, Bool).encode((3, False)).hex() == "0c00"
    assert BTreeMap(U8, U8).encode({2: 20, 1: 10}).hex() == "0801" + "0a" + "02" + "14"
    assert Shape.encode(("Pair", (1, "a"))).hex() == "03" + "0100" + "0461"
    assert Shape.encode("Empty").hex() == "00"
    assert U64F64.encode(U64F64.from_int(1)).hex() == "0000000000000000" + "0100000000000000"


@pytest.mark.parametrize("codec", ALL_TYPES, ids=repr)
@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_round_trip_every_type(codec: ScaleType, data: st.DataObject) -> None:
    value = data.draw(values_for(codec))
    encoded = codec.encode(value)
    assert codec.decode(encoded) == value
    # Every strict prefix is rejected, and so is a trailing byte.
    if encoded:
        cut = data.draw(st.integers(0, len(encoded) - 1))
        with pytest.raises(DecodeError):
            codec.decode(encoded[:cut])
    with pytest.raises(DecodeError):
        codec.decode(encoded + b"\x00")


@pytest.mark.parametrize("codec", ALL_TYPES, ids=repr)
@settings(max_examples=80, deadline=None)
@given(garbage=st.binary(max_size=80))
def test_garbage_raises_only_decode_error(codec: ScaleType, garbage: bytes) -> None:
    try:
        value = codec.decode(garbage)
    except DecodeError:
        return
    assert codec.encode(value) == garbage  # whatever decodes must be the canonical encoding


@pytest.mark.parametrize(
    ("codec", "raw"),
    [
        (CompactU8, "0104"),  # two-byte mode holding 256, which overflows u8
        (CompactU32, "0300000000" + "00"),  # big-integer mode for a small value / wrong length
        (CompactU32, "1300000000000000" + "01"),  # eight bytes of u32
        (CompactU64, "0100"),  # two-byte mode for a value that fits in one byte
        (CompactU64, "03ffffff00"),  # big-integer mode with a leading zero byte
        (Bool, "02"),
        (Option(U8), "02"),
        (Option(Bool), "03"),
        (Result(U8, U8), "0200"),
        (Shape, "02"),
        (Str, "08ff fe".replace(" ", "")),
        (Vec(U64), "fdff" + "00" * 8),  # length prefix far beyond the data
        (MultiAddress, "09" + "00" * 32),
    ],
)
def test_specific_malformed_inputs(codec: ScaleType, raw: str) -> None:
    with pytest.raises(DecodeError):
        codec.decode(bytes.fromhex(raw))


def test_oversized_compact_for_inner_type() -> None:
    with pytest.raises(DecodeError):
        CompactU8.decode(compact_bytes(256))
    with pytest.raises(DecodeError):
        CompactU32.decode(compact_bytes(1 << 32))


@pytest.mark.parametrize(
    ("codec", "value"),
    [
        (U8, 256), (U8, -1), (I8, 128), (U32, "1"), (Bool, 1), (Str, b"x"), (Vec(U8), [1, 2]),
        (FixedBytes(4), b"abc"), (Option(U8), 300), (Shape, ("Missing", None)), (Tuple(U8, U8), (1,)),
        (Point.SCALE, (1, 2, [])), (CompactU8, 300), (U64F64, 5), (Result(U8, U8), 3),
    ],
)
def test_unencodable_values_raise_encode_error(codec: ScaleType, value: object) -> None:
    with pytest.raises(EncodeError):
        codec.encode(value)


def test_struct_values_are_dataclasses() -> None:
    p = Point(1, -2, [3, 4])
    raw = Point.SCALE.encode(p)
    assert raw.hex() == "0100000000000000" + "feffffff" + "08" + "0300" + "0400"
    assert Point.SCALE.decode(raw) == p
    assert [f.type_name for f in Point.SCALE.fields] == [None, "i32", None]
