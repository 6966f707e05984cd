"""Bit-exact fixed-point wrappers as ``substrate_fixed`` declares them (``U64F64 { bits: u128 }`` …).

On the wire a fixed-point number is just its raw bits (value × 2^frac). In metadata it is a composite
``substrate_fixed::FixedU128<Frac>`` (or FixedI128, FixedU64, FixedI64…) with one field ``bits`` and a
``Frac`` parameter spelled as a ``substrate_typenum`` unsigned integer (nested ``UInt<U, B>`` down to
``UTerm``). Values are :class:`Fixed` instances carrying the bits; arithmetic that must match the Rust
reference lives with the consensus code, not here.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache
from typing import Any

from runtime.scale.base import ScaleType
from runtime.scale.composite import Composite
from runtime.scale.errors import EncodeError
from runtime.scale.info import DefComposite, FieldInfo, TypeInfo, TypeParam
from runtime.scale.primitives import I32, I64, I128, U32, U64, U128, Int

B0 = Composite("substrate_typenum::bit::B0", ())
B1 = Composite("substrate_typenum::bit::B1", ())
UTERM = Composite("substrate_typenum::uint::UTerm", ())


@lru_cache(maxsize=None)
def typenum_uint(n: int) -> ScaleType:
    """The ``substrate_typenum`` type for the unsigned integer ``n`` (UTerm, UInt<UTerm, B1>, …)."""
    if n == 0:
        return UTERM
    msb = typenum_uint(n >> 1)
    lsb = B1 if n & 1 else B0
    return Composite(
        "substrate_typenum::uint::UInt",
        [FieldInfo("msb", msb, "U"), FieldInfo("lsb", lsb, "B")],
        params=[("U", msb), ("B", lsb)],
    )


@dataclass(frozen=True, slots=True)
class Fixed:
    """A fixed-point number as raw bits: the value is ``bits / 2**frac``."""

    bits: int
    frac: int

    def to_fraction(self) -> Fraction:
        """The exact rational value (for tests and display, never for consensus arithmetic)."""
        return Fraction(self.bits, 1 << self.frac)

    def __float__(self) -> float:
        return self.bits / (1 << self.frac)


class FixedPoint(ScaleType):
    """One fixed-point format, e.g. ``FixedPoint("U64F64")``."""

    __slots__ = ("name", "signed", "int_bits", "frac", "storage")

    _STORAGE: dict[tuple[bool, int], Int] = {
        (False, 32): U32, (False, 64): U64, (False, 128): U128,
        (True, 32): I32, (True, 64): I64, (True, 128): I128,
    }

    def __init__(self, name: str) -> None:
        self.name = name
        self.signed = name[0] == "I"
        int_part, frac_part = name[1:].split("F")
        self.int_bits, self.frac = int(int_part), int(frac_part)
        self.storage = self._STORAGE[(self.signed, self.int_bits + self.frac)]

    @property
    def min_size(self) -> int:  # type: ignore[override]
        return self.storage.size

    def __eq__(self, other: object) -> bool:
        return isinstance(other, FixedPoint) and other.name == self.name

    def __hash__(self) -> int:
        return hash(("FixedPoint", self.name))

    def from_bits(self, bits: int) -> Fixed:
        return Fixed(bits, self.frac)

    def from_int(self, value: int) -> Fixed:
        return Fixed(value << self.frac, self.frac)

    def encode_into(self, value: Any, out: bytearray) -> None:
        if not isinstance(value, Fixed) or value.frac != self.frac:
            raise EncodeError(f"{self.name} expects a Fixed with {self.frac} fractional bits")
        self.storage.encode_into(value.bits, out)

    def decode_at(self, data: bytes, pos: int) -> tuple[Fixed, int]:
        bits, pos = self.storage.decode_at(data, pos)
        return Fixed(bits, self.frac), pos

    def type_info(self) -> TypeInfo:
        total = self.int_bits + self.frac
        rust_name = f"Fixed{'I' if self.signed else 'U'}{total}"
        return TypeInfo(
            DefComposite((FieldInfo("bits", self.storage, self.storage.name),)),
            ("substrate_fixed", rust_name),
            (TypeParam("Frac", typenum_uint(self.frac)),),
        )

    def __repr__(self) -> str:
        return self.name


U64F64 = FixedPoint("U64F64")
I64F64 = FixedPoint("I64F64")
I96F32 = FixedPoint("I96F32")
U96F32 = FixedPoint("U96F32")
I32F32 = FixedPoint("I32F32")
U32F32 = FixedPoint("U32F32")
U110F18 = FixedPoint("U110F18")
