"""SS58 addresses: golden vectors, scalecodec cross-checks, round trips and strict rejection."""

from __future__ import annotations

import base58
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scalecodec.utils import ss58 as sc_ss58

from runtime.primitives.errors import InvalidAccountId, InvalidSS58, PrimitivesError
from runtime.primitives.hashing import blake2_512
from runtime.primitives.ss58 import (
    account_id_from,
    is_valid_ss58,
    ss58_decode,
    ss58_decode_with_prefix,
    ss58_encode,
)

ALICE = bytes.fromhex("d43593c715fdd31c61141abd04a99fd6822c8558854ccde39a5684e7a56da27d")
ALICE_42 = "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY"

account_ids = st.binary(min_size=32, max_size=32)
prefixes = st.integers(min_value=0, max_value=16383)


def test_golden_vectors(golden) -> None:
    assert golden["ss58"], "no ss58 vectors recorded"
    for entry in golden["ss58"]:
        public = bytes.fromhex(entry["public_key_hex"].removeprefix("0x"))
        assert ss58_encode(public) == entry["address"]
        assert ss58_decode(entry["address"]) == public
        assert ss58_decode(entry["address"], expected_prefix=42) == public


def test_known_other_networks() -> None:
    # Alice on Polkadot (0) and Kusama (2), as polkadot.js shows her.
    assert ss58_encode(ALICE, 0) == "15oF4uVJwmo4TdGW7VfQxNLavjCXviqxT9S1MgbjMNHr6Sp5"
    assert ss58_encode(ALICE, 2) == "HNZata7iMYWmk5RvZRTiAsSDhV8366zq2YGb3tLH5Upf74F"
    assert ss58_decode_with_prefix("HNZata7iMYWmk5RvZRTiAsSDhV8366zq2YGb3tLH5Upf74F") == (2, ALICE)


@pytest.mark.parametrize("prefix", [0, 1, 2, 42, 63, 64, 65, 255, 256, 1000, 4095, 16383])
def test_matches_scalecodec(prefix: int) -> None:
    address = ss58_encode(ALICE, prefix)
    assert address == sc_ss58.ss58_encode(ALICE, ss58_format=prefix)
    assert ss58_decode(address, expected_prefix=prefix) == ALICE


@given(account_ids, prefixes)
def test_round_trip(public: bytes, prefix: int) -> None:
    address = ss58_encode(public, prefix)
    assert ss58_decode_with_prefix(address) == (prefix, public)
    assert account_id_from(address) == public


@given(account_ids, st.sampled_from([0, 42, 64, 1000, 16383]))
def test_round_trip_against_scalecodec(public: bytes, prefix: int) -> None:
    address = ss58_encode(public, prefix)
    assert address == sc_ss58.ss58_encode(public, ss58_format=prefix)
    assert sc_ss58.ss58_decode(address, valid_ss58_format=prefix) == public.hex()


def test_wrong_prefix_rejected() -> None:
    with pytest.raises(InvalidSS58, match="prefix 42"):
        ss58_decode(ALICE_42, expected_prefix=0)
    assert not is_valid_ss58(ALICE_42, expected_prefix=2)
    assert is_valid_ss58(ALICE_42)


def test_bad_checksum_rejected() -> None:
    raw = bytearray(base58.b58decode(ALICE_42))
    raw[-1] ^= 1
    with pytest.raises(InvalidSS58, match="checksum"):
        ss58_decode(base58.b58encode(bytes(raw)).decode())
    raw[-1] ^= 1
    raw[5] ^= 0x80  # payload change: checksum no longer matches either
    with pytest.raises(InvalidSS58, match="checksum"):
        ss58_decode(base58.b58encode(bytes(raw)).decode())


def _with_checksum(body: bytes) -> str:
    return base58.b58encode(body + blake2_512(b"SS58PRE" + body)[:2]).decode()


def test_bad_lengths_rejected() -> None:
    for payload_len in (1, 2, 4, 8, 31, 33):  # valid SS58 payloads elsewhere, but not account ids
        with pytest.raises(InvalidSS58, match="32-byte"):
            ss58_decode(_with_checksum(b"\x2a" + b"\x01" * payload_len))
    with pytest.raises(InvalidSS58):
        ss58_decode("")
    with pytest.raises(InvalidSS58):
        ss58_decode("1")


def test_reserved_and_non_canonical_prefixes_rejected() -> None:
    with pytest.raises(InvalidSS58, match="prefix byte"):
        ss58_decode(_with_checksum(b"\x80" + ALICE))
    # Two-byte form spelling prefix 42: must be refused, or one account would have two addresses.
    first = ((42 & 0b1111_1100) >> 2) | 0b0100_0000
    second = (42 >> 8) | ((42 & 0b11) << 6)
    with pytest.raises(InvalidSS58, match="non-canonical"):
        ss58_decode(_with_checksum(bytes([first, second]) + ALICE))


@pytest.mark.parametrize("bad", ["0OIl", "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQ0", "Ünïcödé", " " + ALICE_42])
def test_bad_base58_rejected(bad: str) -> None:
    with pytest.raises(InvalidSS58):
        ss58_decode(bad)


def test_encode_rejects_bad_input() -> None:
    with pytest.raises(InvalidSS58):
        ss58_encode(ALICE[:31])
    with pytest.raises(InvalidSS58):
        ss58_encode(ALICE, 16384)
    with pytest.raises(InvalidSS58):
        ss58_encode(ALICE, -1)
    with pytest.raises(InvalidSS58):
        ss58_encode(ALICE, True)  # type: ignore[arg-type]
    with pytest.raises(InvalidSS58):
        ss58_encode(ALICE.hex())  # type: ignore[arg-type]
    with pytest.raises(InvalidSS58):
        ss58_decode(ALICE)  # type: ignore[arg-type]


def test_account_id_from() -> None:
    assert account_id_from(ALICE_42) == ALICE
    assert account_id_from("0x" + ALICE.hex()) == ALICE
    assert account_id_from("0x" + ALICE.hex().upper()) == ALICE
    assert account_id_from(ALICE) == ALICE
    assert account_id_from(bytearray(ALICE)) == ALICE
    assert account_id_from(ss58_encode(ALICE, 0), expected_prefix=0) == ALICE
    for bad in ("0x" + ALICE.hex()[:-2], "0x" + "zz" * 32, "0x" + " " * 64, ALICE[:31], b"", 42, None):
        with pytest.raises(InvalidAccountId):
            account_id_from(bad)  # type: ignore[arg-type]
    with pytest.raises(InvalidSS58):
        account_id_from(ALICE_42, expected_prefix=0)
    assert issubclass(InvalidSS58, InvalidAccountId)


@given(st.text(max_size=60))
def test_garbage_text_raises_only_typed_errors(text: str) -> None:
    try:
        account_id_from(text)
    except PrimitivesError:
        pass


@given(st.binary(max_size=40))
def test_garbage_payloads_raise_only_typed_errors(raw: bytes) -> None:
    address = base58.b58encode(raw).decode()
    try:
        prefix, public = ss58_decode_with_prefix(address)
    except InvalidSS58:
        return
    assert ss58_encode(public, prefix) == address
