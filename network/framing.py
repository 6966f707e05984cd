"""Unsigned-varint length-prefixed frames, as used by every Substrate notification and request.

A frame is ``uvarint(len) ++ payload``. The reader enforces a maximum payload size *before* reading the payload,
so a peer cannot make us buffer more than the protocol allows, and it rejects over-long or non-minimal varints.
Errors are typed so the service can turn them into reputation changes.
"""

from __future__ import annotations

from typing import Protocol

from libp2p.network.stream.exceptions import StreamClosed, StreamEOF


class FramingError(Exception):
    """A peer sent something that is not a valid frame."""


class FrameTooLarge(FramingError):
    """The announced frame length exceeds the protocol's maximum."""

    def __init__(self, length: int, maximum: int) -> None:
        super().__init__(f"frame of {length} bytes exceeds the maximum of {maximum}")
        self.length = length
        self.maximum = maximum


class InvalidVarint(FramingError):
    """The length prefix is longer than 9 bytes or not minimally encoded."""


class UnexpectedEof(FramingError):
    """The stream ended in the middle of a frame."""


class ReadableStream(Protocol):
    async def read(self, n: int | None = None) -> bytes: ...


# Substrate's unsigned-varint codec accepts at most 9 bytes (63 bits) for a length.
MAX_VARINT_BYTES = 9


def encode_uvarint(value: int) -> bytes:
    if value < 0:
        raise ValueError("uvarint values are unsigned")
    out = bytearray()
    while True:
        byte = value & 0x7F
        value >>= 7
        if value:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


def encode_frame(payload: bytes) -> bytes:
    """``uvarint(len(payload)) ++ payload``."""
    return encode_uvarint(len(payload)) + payload


def decode_uvarint(data: bytes, pos: int = 0) -> tuple[int, int]:
    """Decode a minimal uvarint at ``pos``; returns (value, position after it)."""
    value = 0
    for index in range(MAX_VARINT_BYTES):
        if pos + index >= len(data):
            raise UnexpectedEof("truncated varint")
        byte = data[pos + index]
        value |= (byte & 0x7F) << (7 * index)
        if not byte & 0x80:
            if byte == 0 and index > 0:
                raise InvalidVarint("non-minimal varint")
            return value, pos + index + 1
    raise InvalidVarint("varint longer than 9 bytes")


class FrameReader:
    """Reads frames from a stream, buffering so the varint is not read one ``read`` call per byte."""

    def __init__(self, stream: ReadableStream, max_size: int) -> None:
        self._stream = stream
        self.max_size = max_size
        self._buffer = bytearray()
        self._eof = False

    async def _fill(self) -> bool:
        if self._eof:
            return False
        try:
            chunk = await self._stream.read(64 * 1024)
        except (StreamEOF, StreamClosed):
            chunk = b""
        if not chunk:
            self._eof = True
            return False
        self._buffer += chunk
        return True

    async def read_frame(self) -> bytes | None:
        """The next frame's payload, or ``None`` on a clean end of stream between frames."""
        while True:
            try:
                length, start = decode_uvarint(bytes(self._buffer[:MAX_VARINT_BYTES]))
                break
            except UnexpectedEof:
                if not await self._fill():
                    if self._buffer:
                        raise UnexpectedEof("stream ended inside a length prefix") from None
                    return None
        if length > self.max_size:
            raise FrameTooLarge(length, self.max_size)
        while len(self._buffer) < start + length:
            if not await self._fill():
                raise UnexpectedEof("stream ended inside a frame")
        payload = bytes(self._buffer[start : start + length])
        del self._buffer[: start + length]
        return payload

    async def read_required(self) -> bytes:
        """Like :meth:`read_frame` but an end of stream is an error (handshakes, responses)."""
        frame = await self.read_frame()
        if frame is None:
            raise UnexpectedEof("stream closed before a frame arrived")
        return frame
