"""``/{genesis}/sync/2`` block requests: building and parsing requests, serving them from a block source.

A request names a start block (hash, or number as SCALE u32 LE bytes), a direction, a block count and which
parts to return; the attribute bits live in the most significant byte of ``fields`` (HEADER | BODY |
JUSTIFICATION = ``0x13000000``). The server walks the canonical chain from the start block, returning at most
128 blocks and stopping once the bodies pass about 8 MiB (always returning at least one block), like Substrate's
``BlockRequestHandler``. Serving is plain synchronous code over the :class:`BlockSource` protocol so the service
can run it in a worker thread.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum, IntFlag
from typing import Protocol

from google.protobuf.message import DecodeError as ProtobufDecodeError

from runtime.scale.primitives import compact_bytes, decode_compact
from runtime.scale import ScaleError
from network import sync_pb

MAX_BLOCKS_IN_RESPONSE = 128
MAX_BODY_BYTES = 8 * 1024 * 1024


class BlockAttributes(IntFlag):
    HEADER = 1
    BODY = 2
    RECEIPT = 4
    MESSAGE_QUEUE = 8
    JUSTIFICATION = 16
    INDEXED_BODY = 32

    def to_fields(self) -> int:
        """The protobuf ``fields`` value: the attribute byte in the most significant position."""
        return int(self) << 24

    @staticmethod
    def from_fields(fields: int) -> BlockAttributes:
        return BlockAttributes((fields >> 24) & 0xFF)


class Direction(IntEnum):
    ASCENDING = sync_pb.DIRECTION_ASCENDING
    DESCENDING = sync_pb.DIRECTION_DESCENDING


class SyncError(Exception):
    """A block request or response was malformed."""


class BlockSource(Protocol):
    """What serving sync/2 needs from the node's block database (called from a worker thread)."""

    def hash_at(self, number: int) -> bytes | None: ...

    def number_of(self, block_hash: bytes) -> int | None: ...

    def header(self, block_hash: bytes) -> bytes | None: ...

    def body(self, block_hash: bytes) -> list[bytes] | None: ...

    def justifications(self, block_hash: bytes) -> list[tuple[bytes, bytes]] | None: ...


@dataclass(frozen=True, slots=True)
class BlockData:
    """One block of a sync/2 response; absent parts are ``None``."""

    hash: bytes
    header: bytes | None = None
    body: tuple[bytes, ...] | None = None
    justifications: tuple[tuple[bytes, bytes], ...] | None = None


@dataclass(frozen=True, slots=True)
class BlockRequest:
    """A decoded sync/2 request: exactly one of ``from_hash`` / ``from_number`` is set."""

    attributes: BlockAttributes
    from_hash: bytes | None = None
    from_number: int | None = None
    direction: Direction = Direction.ASCENDING
    max_blocks: int = 0
    support_multiple_justifications: bool = True

    def __post_init__(self) -> None:
        if (self.from_hash is None) == (self.from_number is None):
            raise SyncError("a block request starts from a hash or a number, not both or neither")

    def encode(self) -> bytes:
        message = sync_pb.BlockRequest(
            fields=self.attributes.to_fields(),
            direction=int(self.direction),
            max_blocks=self.max_blocks,
            support_multiple_justifications=self.support_multiple_justifications,
        )
        if self.from_hash is not None:
            message.hash = self.from_hash
        else:
            message.number = int(self.from_number or 0).to_bytes(4, "little")
        return bytes(message.SerializeToString())

    @staticmethod
    def decode(data: bytes) -> BlockRequest:
        try:
            message = sync_pb.BlockRequest.FromString(data)
        except ProtobufDecodeError as exc:
            raise SyncError(f"undecodable block request: {exc}") from exc
        start = message.WhichOneof("from_block")
        if start is None:
            raise SyncError("block request without a start block")
        if message.direction not in (0, 1):
            raise SyncError(f"unknown direction {message.direction}")
        from_hash: bytes | None = None
        from_number: int | None = None
        if start == "hash":
            if len(message.hash) != 32:
                raise SyncError("start hash is not 32 bytes")
            from_hash = bytes(message.hash)
        else:
            if len(message.number) != 4:
                raise SyncError("start number is not a SCALE u32")
            from_number = int.from_bytes(message.number, "little")
        return BlockRequest(
            attributes=BlockAttributes.from_fields(message.fields),
            from_hash=from_hash,
            from_number=from_number,
            direction=Direction(message.direction),
            max_blocks=message.max_blocks,
            support_multiple_justifications=message.support_multiple_justifications,
        )


def encode_justifications(justifications: list[tuple[bytes, bytes]] | tuple[tuple[bytes, bytes], ...]) -> bytes:
    """SCALE ``Justifications``: ``Vec<([u8; 4], Vec<u8>)>``."""
    out = bytearray(compact_bytes(len(justifications)))
    for engine, data in justifications:
        if len(engine) != 4:
            raise SyncError("justification engine ids are 4 bytes")
        out += engine + compact_bytes(len(data)) + data
    return bytes(out)


def decode_justifications(data: bytes) -> tuple[tuple[bytes, bytes], ...]:
    try:
        count, pos = decode_compact(data, 0)
        out: list[tuple[bytes, bytes]] = []
        for _ in range(count):
            engine = bytes(data[pos : pos + 4])
            length, start = decode_compact(data, pos + 4)
            if len(engine) != 4 or start + length > len(data):
                raise SyncError("truncated justification")
            out.append((engine, bytes(data[start : start + length])))
            pos = start + length
    except (ScaleError, IndexError) as exc:
        raise SyncError(f"undecodable justifications: {exc}") from exc
    if pos != len(data):
        raise SyncError("trailing bytes after the justifications")
    return tuple(out)


def serve_block_request(source: BlockSource, request: BlockRequest) -> list[BlockData]:
    """Collect the requested blocks from ``source`` (synchronous; runs in a worker thread)."""
    max_blocks = MAX_BLOCKS_IN_RESPONSE if request.max_blocks == 0 else min(request.max_blocks, MAX_BLOCKS_IN_RESPONSE)
    if request.from_hash is not None:
        block_hash: bytes | None = request.from_hash
        number = source.number_of(request.from_hash)
        if number is None:
            return []
    else:
        number = request.from_number or 0
        block_hash = source.hash_at(number)
    blocks: list[BlockData] = []
    body_bytes = 0
    while block_hash is not None and len(blocks) < max_blocks:
        block = _read_block(source, block_hash, request.attributes)
        if block is None:
            break
        size = sum(len(x) for x in block.body or ())
        if blocks and body_bytes + size > MAX_BODY_BYTES:
            break  # the response is full; the requester asks again from where this stops
        blocks.append(block)
        body_bytes += size
        if request.direction == Direction.DESCENDING:
            if number == 0:
                break
            number -= 1
        else:
            number += 1
        block_hash = source.hash_at(number)
    return blocks


def _read_block(source: BlockSource, block_hash: bytes, attributes: BlockAttributes) -> BlockData | None:
    header = source.header(block_hash)
    if header is None:
        return None
    body: tuple[bytes, ...] | None = None
    if attributes & BlockAttributes.BODY:
        raw_body = source.body(block_hash)
        if raw_body is None:
            return None
        body = tuple(raw_body)
    justifications: tuple[tuple[bytes, bytes], ...] | None = None
    if attributes & BlockAttributes.JUSTIFICATION:
        justifications = tuple(source.justifications(block_hash) or ())
    return BlockData(
        hash=block_hash,
        header=header if attributes & BlockAttributes.HEADER else None,
        body=body,
        justifications=justifications,
    )


def encode_response(blocks: list[BlockData], support_multiple_justifications: bool = True) -> bytes:
    response = sync_pb.BlockResponse()
    for block in blocks:
        item = response.blocks.add(hash=block.hash)
        if block.header is not None:
            item.header = block.header
        if block.body is not None:
            item.body.extend(block.body)
        if block.justifications:
            if support_multiple_justifications:
                item.justifications = encode_justifications(block.justifications)
            else:
                # Legacy peers get the GRANDPA justification alone, with an explicit flag for an empty one.
                for engine, data in block.justifications:
                    if engine == b"FRNK":
                        item.justification = data
                        item.is_empty_justification = not data
    return bytes(response.SerializeToString())


def decode_response(data: bytes, attributes: BlockAttributes) -> list[BlockData]:
    """Parse a sync/2 response into :class:`BlockData` (parts not requested are ``None``)."""
    try:
        response = sync_pb.BlockResponse.FromString(data)
    except ProtobufDecodeError as exc:
        raise SyncError(f"undecodable block response: {exc}") from exc
    blocks: list[BlockData] = []
    for item in response.blocks:
        if len(item.hash) != 32:
            raise SyncError("block hash is not 32 bytes")
        justifications: tuple[tuple[bytes, bytes], ...] | None = None
        if attributes & BlockAttributes.JUSTIFICATION:
            if item.justifications:
                justifications = decode_justifications(item.justifications)
            elif item.justification or item.is_empty_justification:
                justifications = ((b"FRNK", bytes(item.justification)),)
            else:
                justifications = ()
        blocks.append(
            BlockData(
                hash=bytes(item.hash),
                header=bytes(item.header) if attributes & BlockAttributes.HEADER else None,
                body=tuple(bytes(x) for x in item.body) if attributes & BlockAttributes.BODY else None,
                justifications=justifications,
            )
        )
    return blocks
