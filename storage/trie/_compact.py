"""SCALE compact integers, the one piece of SCALE the trie needs.

Node encodings prefix inline values and child references with a ``Compact<u32>`` length,
and ordered tries (extrinsics roots) key their entries by ``Compact<u32>`` indices. The
runtime has its own SCALE codec, but ``storage`` must not import it, so this module keeps a
private copy of the four-mode format:

* ``0..63``        one byte, ``n << 2``
* ``< 2**14``      two bytes little-endian, ``n << 2 | 1``
* ``< 2**30``      four bytes little-endian, ``n << 2 | 2``
* otherwise        a byte ``(len - 4) << 2 | 3`` then the minimal little-endian bytes.

Decoding is strict: non-canonical (over-long) forms are rejected, because a node that can be
encoded two ways would have two hashes for one meaning.
"""

from __future__ import annotations

from typing import Final

from .errors import NodeDecodeError

# The single-byte mode is by far the most common (short values, child references), so its
# encodings are precomputed once instead of allocating a new bytes object each time.
_SINGLE: Final[tuple[bytes, ...]] = tuple(bytes((n << 2,)) for n in range(64))


def encode_compact(n: int) -> bytes:
    """SCALE-encode a non-negative integer in compact form."""
    if n < 0x40:
        if n < 0:
            raise ValueError("compact integers are non-negative")
        return _SINGLE[n]
    if n < 0x4000:
        return ((n << 2) | 1).to_bytes(2, "little")
    if n < 0x4000_0000:
        return ((n << 2) | 2).to_bytes(4, "little")
    size = (n.bit_length() + 7) // 8
    if size > 67:
        raise ValueError("integer too large for SCALE compact encoding")
    return bytes((((size - 4) << 2) | 3,)) + n.to_bytes(size, "little")


def decode_compact(data: bytes, pos: int) -> tuple[int, int]:
    """Decode a compact integer at ``data[pos:]``; return ``(value, next_pos)``.

    Raises :class:`NodeDecodeError` on truncation or a non-canonical encoding.
    """
    if pos >= len(data):
        raise NodeDecodeError("truncated compact integer")
    first = data[pos]
    mode = first & 3
    if mode == 0:
        return first >> 2, pos + 1
    if mode == 1:
        end = pos + 2
        if end > len(data):
            raise NodeDecodeError("truncated compact integer")
        value = int.from_bytes(data[pos:end], "little") >> 2
        if value < 0x40:
            raise NodeDecodeError("non-canonical compact integer")
        return value, end
    if mode == 2:
        end = pos + 4
        if end > len(data):
            raise NodeDecodeError("truncated compact integer")
        value = int.from_bytes(data[pos:end], "little") >> 2
        if value < 0x4000:
            raise NodeDecodeError("non-canonical compact integer")
        return value, end
    size = (first >> 2) + 4
    end = pos + 1 + size
    if end > len(data):
        raise NodeDecodeError("truncated compact integer")
    if data[end - 1] == 0:
        # A zero top byte means a shorter form existed.
        raise NodeDecodeError("non-canonical compact integer")
    value = int.from_bytes(data[pos + 1 : end], "little")
    if value < 0x4000_0000:
        raise NodeDecodeError("non-canonical compact integer")
    return value, end
