"""uvarint frames: encoding, bounded reads, typed errors."""

from __future__ import annotations

import pytest
import trio

from network.framing import (
    FrameReader, FrameTooLarge, InvalidVarint, UnexpectedEof, decode_uvarint, encode_frame, encode_uvarint,
)


class ChunkedStream:
    """A stream that returns the given chunks one read at a time, then EOF."""

    def __init__(self, *chunks: bytes) -> None:
        self.chunks = list(chunks)

    async def read(self, n: int | None = None) -> bytes:
        return self.chunks.pop(0) if self.chunks else b""


def read_all(stream: ChunkedStream, max_size: int) -> list[bytes]:
    async def go() -> list[bytes]:
        reader = FrameReader(stream, max_size)
        out = []
        while (frame := await reader.read_frame()) is not None:
            out.append(frame)
        return out

    return trio.run(go)


@pytest.mark.parametrize("value,encoded", [(0, "00"), (1, "01"), (127, "7f"), (128, "8001"), (300, "ac02"),
                                           (16384, "808001")])
def test_uvarint_vectors(value: int, encoded: str) -> None:
    assert encode_uvarint(value).hex() == encoded
    assert decode_uvarint(bytes.fromhex(encoded)) == (value, len(encoded) // 2)


def test_frames_split_across_reads_are_reassembled() -> None:
    data = encode_frame(b"hello") + encode_frame(b"") + encode_frame(b"x" * 200)
    stream = ChunkedStream(*(data[i : i + 3] for i in range(0, len(data), 3)))
    assert read_all(stream, 1024) == [b"hello", b"", b"x" * 200]


def test_oversized_frame_is_rejected_before_its_payload_arrives() -> None:
    stream = ChunkedStream(encode_uvarint(2048))  # only the prefix: the reader must not wait for the payload
    with pytest.raises(FrameTooLarge) as info:
        read_all(stream, 1024)
    assert info.value.length == 2048 and info.value.maximum == 1024


def test_non_minimal_and_overlong_varints_are_invalid() -> None:
    with pytest.raises(InvalidVarint):
        read_all(ChunkedStream(bytes([0x81, 0x00]) + b"x"), 1024)
    with pytest.raises(InvalidVarint):
        read_all(ChunkedStream(bytes([0xFF] * 10)), 1024)


def test_eof_inside_a_frame_is_an_error_but_between_frames_is_clean() -> None:
    with pytest.raises(UnexpectedEof):
        read_all(ChunkedStream(encode_uvarint(10) + b"abc"), 1024)
    with pytest.raises(UnexpectedEof):
        read_all(ChunkedStream(bytes([0x80])), 1024)
    assert read_all(ChunkedStream(encode_frame(b"ok")), 1024) == [b"ok"]
