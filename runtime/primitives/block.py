"""Blocks as Substrate encodes them: a header and a vector of opaque extrinsics.

An opaque extrinsic's encoding *is* its own length-prefixed bytes, so values here are the full encoded
extrinsics (prefix included), exactly what ``chain_getBlock`` returns as hex.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from runtime.primitives.header import Header
from runtime.scale import U8, Composite, FieldInfo, ScaleType, TypeInfo, Vec, decode_compact, take


class _OpaqueExtrinsic(ScaleType):
    __slots__ = ()

    def encode_into(self, value: Any, out: bytearray) -> None:
        out += value

    def decode_at(self, data: bytes, pos: int) -> tuple[bytes, int]:
        length, body = decode_compact(data, pos)
        end = body + length
        return take(data, pos, end - pos), end

    def type_info(self) -> TypeInfo:
        return _OPAQUE_META.type_info()

    def registry_key(self) -> ScaleType:
        return _OPAQUE_META

    def __repr__(self) -> str:
        return "OpaqueExtrinsic"


_OPAQUE_META = Composite("sp_runtime::OpaqueExtrinsic", [FieldInfo(None, Vec(U8), "Vec<u8>")])
OpaqueExtrinsic = _OpaqueExtrinsic()


@dataclass(frozen=True, slots=True)
class Block:
    """A header and its extrinsics (each the full length-prefixed encoding)."""

    header: Header
    extrinsics: list[bytes]


def block_codec(extrinsic: ScaleType = OpaqueExtrinsic) -> ScaleType:
    """``Block<Header, Extrinsic>`` for an extrinsic codec (opaque, or the runtime's own type)."""
    from runtime.scale import Converted

    base = Composite("sp_runtime::generic::block::Block", [
        FieldInfo("header", Header.SCALE, "Header"),  # type: ignore[attr-defined]
        FieldInfo("extrinsics", Vec(extrinsic), "Vec<Extrinsic>")],
        params=[("Header", Header.SCALE), ("Extrinsic", extrinsic)])  # type: ignore[attr-defined]
    return Converted(base, lambda d: Block(d["header"], d["extrinsics"]),
                     lambda b: {"header": b.header, "extrinsics": b.extrinsics}, "Block")


OPAQUE_BLOCK = block_codec()
