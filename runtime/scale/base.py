"""The codec type protocol shared by every SCALE type.

A :class:`ScaleType` is a value codec plus a self-description:

* ``encode_into(value, out)`` appends the encoding of ``value`` to a bytearray,
* ``decode_at(data, pos)`` reads one value starting at ``pos`` and returns it with the next position,
* ``type_info()`` describes the type for the portable registry (and so for metadata).

The public helpers :meth:`ScaleType.encode` and :meth:`ScaleType.decode` wrap these and turn every low-level
failure into :class:`EncodeError` / :class:`DecodeError`; ``decode`` also rejects trailing bytes.
Implementations may raise ``struct.error``, ``IndexError`` or ``OverflowError`` internally: the wrappers
catch them at the boundary, which keeps the hot paths free of redundant checks.
"""

from __future__ import annotations

import struct
from abc import ABC, abstractmethod
from typing import Any

from runtime.scale.errors import DecodeError, EncodeError, ScaleError
from runtime.scale.info import TypeInfo

# Low-level exceptions that mean "malformed input" when raised inside a codec.
_DECODE_FAILURES = (struct.error, IndexError, OverflowError, UnicodeDecodeError, RecursionError)
_ENCODE_FAILURES = (
    struct.error, OverflowError, TypeError, AttributeError, KeyError, IndexError, UnicodeEncodeError,
)


class ScaleType(ABC):
    """Base class of all codec types (see the module docstring)."""

    __slots__ = ()

    #: The smallest number of bytes an encoding of this type takes (used to bound length prefixes).
    min_size: int = 1

    @abstractmethod
    def encode_into(self, value: Any, out: bytearray) -> None:
        """Append the encoding of ``value`` to ``out``."""

    @abstractmethod
    def decode_at(self, data: bytes, pos: int) -> tuple[Any, int]:
        """Decode one value at ``pos``; return it and the position just after it."""

    @abstractmethod
    def type_info(self) -> TypeInfo:
        """Describe this type for the portable type registry."""

    def registry_key(self) -> ScaleType:
        """The type under which this codec is numbered in a registry (adaptors defer to their base)."""
        return self

    def encode(self, value: Any) -> bytes:
        """Encode ``value``; raise :class:`EncodeError` if it does not fit the type."""
        out = bytearray()
        try:
            self.encode_into(value, out)
        except ScaleError:
            raise
        except _ENCODE_FAILURES as exc:
            raise EncodeError(f"cannot encode {value!r:.80} as {self!r}: {exc}") from exc
        return bytes(out)

    def decode(self, data: bytes | bytearray | memoryview) -> Any:
        """Decode exactly one value from ``data``; trailing bytes are an error."""
        if not isinstance(data, bytes):
            data = bytes(data)
        value, pos = self.decode_prefix(data, 0)
        if pos != len(data):
            raise DecodeError(f"{len(data) - pos} trailing bytes after {self!r}")
        return value

    def decode_prefix(self, data: bytes, pos: int = 0) -> tuple[Any, int]:
        """Decode one value at ``pos`` and return it with the next position (no trailing check)."""
        try:
            return self.decode_at(data, pos)
        except ScaleError:
            raise
        except _DECODE_FAILURES as exc:
            raise DecodeError(f"malformed {self!r} at offset {pos}: {exc}") from exc


def take(data: bytes, pos: int, length: int) -> bytes:
    """Slice ``length`` bytes at ``pos``, failing loudly instead of silently truncating."""
    end = pos + length
    if end > len(data):
        raise DecodeError(f"need {length} bytes at offset {pos}, only {len(data) - pos} left")
    return data[pos:end]
