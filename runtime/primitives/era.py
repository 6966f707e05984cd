"""Transaction mortality (``sp_runtime::generic::Era``).

An immortal era is the single byte ``0x00``. A mortal era packs ``(period, phase)`` into a little-endian
u16: the low four bits hold ``log2(period) - 1`` and the high twelve bits the phase divided by the
quantisation factor ``max(period >> 12, 1)``. The period is rounded up to a power of two in [4, 65536].
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from runtime.scale import U8, DecodeError, EncodeError, Enum, ScaleType, TypeInfo, variant


@dataclass(frozen=True, slots=True)
class Era:
    """``period == 0`` means immortal."""

    period: int = 0
    phase: int = 0

    @staticmethod
    def immortal() -> Era:
        return Era()

    @staticmethod
    def mortal(period: int, current: int) -> Era:
        """The era a transaction built at block ``current`` gets for a requested ``period``."""
        period = min(max(1 << max(period - 1, 1).bit_length(), 4), 1 << 16)
        phase = current % period
        factor = max(period >> 12, 1)
        return Era(period, phase // factor * factor)

    @property
    def is_immortal(self) -> bool:
        return self.period == 0

    def birth(self, current: int) -> int:
        """The first block at which a transaction with this era is valid, seen from ``current``."""
        if self.is_immortal:
            return 0
        return (max(current, self.phase) - self.phase) // self.period * self.period + self.phase

    def death(self, current: int) -> int:
        """The first block at which the transaction is no longer valid (u64::MAX-like for immortal)."""
        if self.is_immortal:
            return (1 << 64) - 1
        return self.birth(current) + self.period

    def encode(self) -> bytes:
        return EraCodec.encode(self)

    @staticmethod
    def decode(data: bytes) -> Era:
        return EraCodec.decode(data)  # type: ignore[no-any-return]


_ERA_METADATA = Enum(
    "sp_runtime::generic::era::Era",
    [variant("Immortal", 0)] + [variant(f"Mortal{i}", i, [(None, U8)]) for i in range(1, 256)],
)


class _EraCodec(ScaleType):
    __slots__ = ()

    def encode_into(self, value: Any, out: bytearray) -> None:
        if not isinstance(value, Era):
            raise EncodeError(f"expected an Era, got {type(value).__name__}")
        if value.is_immortal:
            out.append(0)
            return
        period, phase = value.period, value.phase
        if period < 4 or period > 1 << 16 or period & (period - 1) or not 0 <= phase < period:
            raise EncodeError(f"invalid mortal era {value}")
        factor = max(period >> 12, 1)
        low = min(15, max(1, (period & -period).bit_length() - 2))
        out += (low | ((phase // factor) << 4)).to_bytes(2, "little")

    def decode_at(self, data: bytes, pos: int) -> tuple[Era, int]:
        first = data[pos]
        if first == 0:
            return Era(), pos + 1
        encoded = first | (data[pos + 1] << 8)
        period = 2 << (encoded % 16)
        factor = max(period >> 12, 1)
        phase = (encoded >> 4) * factor
        if period < 4 or phase >= period:
            raise DecodeError(f"invalid mortal era encoding {encoded:#06x}")
        return Era(period, phase), pos + 2

    def type_info(self) -> TypeInfo:
        return _ERA_METADATA.type_info()

    def registry_key(self) -> ScaleType:
        return _ERA_METADATA

    def __repr__(self) -> str:
        return "Era"


EraCodec = _EraCodec()
