"""Block-announce handshake and announce, roles handshakes, transactions messages (SCALE layouts)."""

from __future__ import annotations

import pytest

from network.messages import (
    BlockAnnounce, BlockAnnouncesHandshake, MessageError, decode_roles_handshake, decode_transactions,
    encode_roles_handshake, encode_transactions,
)
from tests.network.harness import extrinsic, make_chain


def test_handshake_is_69_bytes_with_a_plain_u32_number() -> None:
    handshake = BlockAnnouncesHandshake(roles=4, best_number=0x01020304, best_hash=b"\xaa" * 32,
                                        genesis_hash=b"\xbb" * 32)
    raw = handshake.encode()
    assert len(raw) == 69
    assert raw[:5] == bytes([4, 0x04, 0x03, 0x02, 0x01])
    assert raw[5:37] == b"\xaa" * 32 and raw[37:] == b"\xbb" * 32
    assert BlockAnnouncesHandshake.decode(raw) == handshake
    with pytest.raises(MessageError):
        BlockAnnouncesHandshake.decode(raw[:-1])


def test_announce_is_header_then_state_byte_then_data_vec() -> None:
    header = make_chain(7)[7]
    raw = BlockAnnounce(header=header.encode(), is_best=True).encode()
    assert raw == header.encode() + b"\x01" + b"\x00"
    assert BlockAnnounce(header=header.encode(), is_best=False).encode()[-2:] == b"\x00\x00"
    announce, decoded = BlockAnnounce.decode(raw)
    assert announce.is_best and announce.header == header.encode() and decoded.hash == header.hash


def test_announce_decoding_is_lenient_like_substrate() -> None:
    header = make_chain(2)[2].encode()
    # No state byte at all (old peers, Gossamer): treated as the new best.
    announce, _ = BlockAnnounce.decode(header)
    assert announce.is_best and announce.data is None
    announce, _ = BlockAnnounce.decode(header + b"\x00")
    assert not announce.is_best and announce.data is None
    announce, _ = BlockAnnounce.decode(header + b"\x00" + b"\x08hi")
    assert announce.data == b"hi"


@pytest.mark.parametrize("tail", [b"\x02", b"\x01\x08h", b"\x01\x00\x00"])
def test_announce_with_bad_tail_is_rejected(tail: bytes) -> None:
    with pytest.raises(MessageError):
        BlockAnnounce.decode(make_chain(1)[1].encode() + tail)


def test_announce_with_garbage_header_is_rejected() -> None:
    with pytest.raises(MessageError):
        BlockAnnounce.decode(b"\x00" * 10)


def test_roles_handshake() -> None:
    assert encode_roles_handshake(4) == b"\x04"
    assert decode_roles_handshake(b"\x01") == 1
    with pytest.raises(MessageError):
        decode_roles_handshake(b"\x01\x02")


def test_transactions_message_is_a_vec_of_length_prefixed_extrinsics() -> None:
    xts = [extrinsic(b"abc"), extrinsic(b""), extrinsic(b"z" * 40)]
    raw = encode_transactions(xts)
    assert raw[0] == 3 << 2 and raw[1:] == b"".join(xts)
    assert decode_transactions(raw) == xts
    assert decode_transactions(b"\x00") == []


@pytest.mark.parametrize("raw", [b"", b"\x04", b"\x04\x0cab", b"\x04\x04a!", b"\xfc"])
def test_malformed_transactions_are_rejected(raw: bytes) -> None:
    with pytest.raises(MessageError):
        decode_transactions(raw)
