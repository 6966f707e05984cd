"""sync/2: request encoding (fields in the top byte, number as u32 LE), serving limits, response parsing."""

from __future__ import annotations

import pytest

from network import sync_pb
from network.sync import (
    MAX_BLOCKS_IN_RESPONSE, BlockAttributes, BlockRequest, Direction, SyncError, decode_justifications,
    decode_response, encode_justifications, encode_response, serve_block_request,
)
from tests.network.harness import MemoryChain, extrinsic, make_chain

ALL = BlockAttributes.HEADER | BlockAttributes.BODY | BlockAttributes.JUSTIFICATION


def chain_with_bodies(length: int) -> MemoryChain:
    chain = MemoryChain(make_chain(length))
    for n in range(1, length + 1):
        chain.bodies[n] = [extrinsic(n.to_bytes(2, "little"))]
    chain.justifications_by_number[3] = [(b"FRNK", b"just-3")]
    return chain


def test_request_wire_format() -> None:
    request = BlockRequest(attributes=ALL, from_number=5, direction=Direction.DESCENDING, max_blocks=130)
    message = sync_pb.BlockRequest.FromString(request.encode())
    assert message.fields == 0x13000000
    assert message.number == b"\x05\x00\x00\x00"
    assert message.direction == 1 and message.max_blocks == 130
    assert BlockRequest.decode(request.encode()) == request


def test_request_decoding_rejects_garbage() -> None:
    with pytest.raises(SyncError):
        BlockRequest.decode(b"\xff\xff\xff")
    with pytest.raises(SyncError):
        BlockRequest.decode(sync_pb.BlockRequest(fields=1 << 24).SerializeToString())  # no start block
    with pytest.raises(SyncError):
        BlockRequest.decode(sync_pb.BlockRequest(number=b"\x01").SerializeToString())
    with pytest.raises(SyncError):
        BlockRequest(attributes=ALL)


def test_ascending_request_is_capped_at_128_blocks() -> None:
    chain = chain_with_bodies(140)
    blocks = serve_block_request(chain, BlockRequest(attributes=ALL, from_number=1, max_blocks=130))
    assert len(blocks) == MAX_BLOCKS_IN_RESPONSE
    assert [b.hash for b in blocks] == [h.hash for h in chain.headers[1:129]]
    assert blocks[0].header == chain.headers[1].encode()
    assert blocks[0].body == (extrinsic(b"\x01\x00"),)
    assert blocks[2].justifications == ((b"FRNK", b"just-3"),) and blocks[0].justifications == ()
    # max_blocks 0 means "the server's maximum"
    assert len(serve_block_request(chain, BlockRequest(attributes=ALL, from_number=0))) == 128


def test_descending_request_from_hash_stops_at_genesis() -> None:
    chain = chain_with_bodies(10)
    request = BlockRequest(attributes=BlockAttributes.HEADER, from_hash=chain.headers[4].hash,
                           direction=Direction.DESCENDING, max_blocks=10)
    blocks = serve_block_request(chain, request)
    assert [b.hash for b in blocks] == [chain.headers[n].hash for n in (4, 3, 2, 1, 0)]
    assert all(b.body is None and b.justifications is None for b in blocks)


def test_unknown_start_and_chain_end() -> None:
    chain = chain_with_bodies(5)
    assert serve_block_request(chain, BlockRequest(attributes=ALL, from_hash=b"\x09" * 32)) == []
    assert len(serve_block_request(chain, BlockRequest(attributes=ALL, from_number=4, max_blocks=10))) == 2


def test_bodies_stop_at_the_size_limit_but_one_block_is_always_sent(monkeypatch: pytest.MonkeyPatch) -> None:
    import network.sync as sync

    monkeypatch.setattr(sync, "MAX_BODY_BYTES", 10)
    chain = MemoryChain(make_chain(4))
    for n in range(1, 5):
        chain.bodies[n] = [b"x" * 8]
    blocks = serve_block_request(chain, BlockRequest(attributes=ALL, from_number=1))
    assert len(blocks) == 1
    chain.bodies[1] = [b"x" * 50]
    assert len(serve_block_request(chain, BlockRequest(attributes=ALL, from_number=1))) == 1


def test_response_round_trip_and_legacy_single_justification() -> None:
    chain = chain_with_bodies(4)
    blocks = serve_block_request(chain, BlockRequest(attributes=ALL, from_number=2, max_blocks=2))
    assert decode_response(encode_response(blocks), ALL) == blocks
    legacy = sync_pb.BlockResponse.FromString(encode_response(blocks, support_multiple_justifications=False))
    assert legacy.blocks[1].justification == b"just-3" and not legacy.blocks[1].justifications
    assert decode_response(legacy.SerializeToString(), ALL)[1].justifications == ((b"FRNK", b"just-3"),)


def test_justifications_are_scale_vec_of_engine_and_bytes() -> None:
    raw = encode_justifications([(b"FRNK", b"\x01\x02")])
    assert raw == b"\x04" + b"FRNK" + b"\x08\x01\x02"
    assert decode_justifications(raw) == ((b"FRNK", b"\x01\x02"),)
    with pytest.raises(SyncError):
        decode_justifications(raw + b"\x00")


def test_response_with_bad_hash_is_rejected() -> None:
    bad = sync_pb.BlockResponse(blocks=[sync_pb.BlockDataMessage(hash=b"short")]).SerializeToString()
    with pytest.raises(SyncError):
        decode_response(bad, ALL)
