"""SCALE wire messages of the notification protocols (block announces, transactions, GRANDPA handshakes).

* Block-announce handshake (``BlockAnnouncesHandshake``): 69 bytes, ``roles u8 ++ best_number u32 LE ++
  best_hash ++ genesis_hash`` (the number is a plain u32, not compact).
* Block announce (``BlockAnnounce``): ``header ++ [state] ++ [data]``. Substrate encodes the optional state as a
  bare ``BlockState`` byte (0 normal, 1 best) when present, and the optional data as a SCALE ``Vec<u8>``; an
  absent field is simply not written. Decoding is equally lenient: a missing state means "best".
* Transactions and GRANDPA use the 1-byte roles value as handshake. A transactions message is SCALE
  ``Vec<Extrinsic>``; each extrinsic's own encoding already starts with its compact length, so the message is
  ``compact(count) ++ concat(encoded extrinsics)``.
"""

from __future__ import annotations

from dataclasses import dataclass

from runtime.primitives.header import Header
from runtime.scale import DecodeError, ScaleError
from runtime.scale.primitives import compact_bytes, decode_compact

BLOCK_ANNOUNCES_HANDSHAKE_SIZE = 69
BLOCK_STATE_NORMAL = 0
BLOCK_STATE_BEST = 1


class MessageError(ValueError):
    """A peer's notification could not be decoded."""


@dataclass(frozen=True, slots=True)
class BlockAnnouncesHandshake:
    """What a peer says about itself when opening a block-announce substream."""

    roles: int
    best_number: int
    best_hash: bytes
    genesis_hash: bytes

    def encode(self) -> bytes:
        return (
            bytes([self.roles])
            + self.best_number.to_bytes(4, "little")
            + self.best_hash
            + self.genesis_hash
        )

    @staticmethod
    def decode(data: bytes) -> BlockAnnouncesHandshake:
        if len(data) != BLOCK_ANNOUNCES_HANDSHAKE_SIZE:
            raise MessageError(f"block-announce handshake is {len(data)} bytes, expected 69")
        return BlockAnnouncesHandshake(
            roles=data[0],
            best_number=int.from_bytes(data[1:5], "little"),
            best_hash=bytes(data[5:37]),
            genesis_hash=bytes(data[37:69]),
        )


@dataclass(frozen=True, slots=True)
class BlockAnnounce:
    """A new block's header (encoded), whether it is the sender's new best, and opaque extra data."""

    header: bytes
    is_best: bool
    data: bytes | None = b""

    def encode(self) -> bytes:
        out = self.header + bytes([BLOCK_STATE_BEST if self.is_best else BLOCK_STATE_NORMAL])
        if self.data is not None:
            out += compact_bytes(len(self.data)) + self.data
        return out

    @staticmethod
    def decode(data: bytes) -> tuple[BlockAnnounce, Header]:
        """The announce and its decoded header (so callers need not decode twice)."""
        try:
            header, pos = Header.SCALE.decode_at(data, 0)  # type: ignore[attr-defined]
        except (ScaleError, IndexError) as exc:
            raise MessageError(f"undecodable announced header: {exc}") from exc
        header_bytes = bytes(data[:pos])
        is_best = True
        extra: bytes | None = None
        if pos < len(data):
            state = data[pos]
            if state not in (BLOCK_STATE_NORMAL, BLOCK_STATE_BEST):
                raise MessageError(f"unknown block state {state}")
            is_best = state == BLOCK_STATE_BEST
            pos += 1
            if pos < len(data):
                try:
                    length, pos = decode_compact(data, pos)
                except (ScaleError, IndexError) as exc:
                    raise MessageError(f"bad announce data length: {exc}") from exc
                if pos + length != len(data):
                    raise MessageError("announce data length does not match the message")
                extra = bytes(data[pos:])
        return BlockAnnounce(header=header_bytes, is_best=is_best, data=extra), header


def encode_roles_handshake(roles: int) -> bytes:
    return bytes([roles])


def decode_roles_handshake(data: bytes) -> int:
    if len(data) != 1:
        raise MessageError(f"roles handshake is {len(data)} bytes, expected 1")
    return data[0]


def encode_transactions(extrinsics: list[bytes]) -> bytes:
    """``Vec<Extrinsic>``: a compact count, then each (already length-prefixed) extrinsic encoding."""
    return compact_bytes(len(extrinsics)) + b"".join(extrinsics)


def decode_transactions(data: bytes) -> list[bytes]:
    """Split a transactions message into encoded extrinsics (each with its own length prefix)."""
    try:
        count, pos = decode_compact(data, 0)
        if count > len(data):
            raise DecodeError("more transactions announced than bytes in the message")
        out: list[bytes] = []
        for _ in range(count):
            length, body = decode_compact(data, pos)
            if body + length > len(data):
                raise DecodeError("transaction runs past the end of the message")
            out.append(bytes(data[pos : body + length]))
            pos = body + length
    except (ScaleError, IndexError) as exc:
        raise MessageError(f"undecodable transactions message: {exc}") from exc
    if pos != len(data):
        raise MessageError("trailing bytes after the transactions")
    return out
