"""Byte-for-byte reproduction of the recorded localnet: calls, payloads, extrinsics, the block header."""

from __future__ import annotations

import hashlib
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from runtime.primitives.era import Era
from runtime.primitives.extrinsic import (
    ChainContext, SignedData, UncheckedExtrinsic, build_signing_payload, decode_extrinsic,
    encode_extrinsic, extrinsic_hash, subtensor_extra, subtensor_implicit,
)
from runtime.primitives.header import Header, Other, Seal, header_from_json, header_to_json
from runtime.primitives.keys import dev_account
from runtime.primitives.signing import sign_extrinsic, verify_multi_signature
from runtime.primitives.ss58 import ss58_decode
from runtime.primitives.types import AccountId32, MultiAddress
from runtime.scale import (
    U8, U16, U64, CompactU64, Composite, DecodeError, Enum, Option, ScaleType, Vec, compact_bytes,
    variant,
)


def unhex(s: str) -> bytes:
    return bytes.fromhex(s.removeprefix("0x"))


# Call argument shapes as the spec-461 metadata declares them (pallet index, call index, fields).
ProxyType = Enum("node_subtensor_runtime::ProxyType", [variant("Transfer", 10)])
CALLS: dict[tuple[str, str], tuple[int, int, list[tuple[str, ScaleType]]]] = {
    ("Balances", "transfer_allow_death"): (5, 0, [("dest", MultiAddress), ("value", CompactU64)]),
    ("Balances", "transfer_keep_alive"): (5, 3, [("dest", MultiAddress), ("value", CompactU64)]),
    ("SubtensorModule", "add_stake"): (7, 2, [("hotkey", AccountId32), ("netuid", U16), ("amount_staked", U64)]),
    ("SubtensorModule", "remove_stake"): (7, 3, [("hotkey", AccountId32), ("netuid", U16),
                                                 ("amount_unstaked", U64)]),
    ("SubtensorModule", "burned_register"): (7, 7, [("netuid", U16), ("hotkey", AccountId32)]),
    ("SubtensorModule", "set_weights"): (7, 0, [("netuid", U16), ("dests", Vec(U16)), ("weights", Vec(U16)),
                                               ("version_key", U64)]),
    ("System", "remark"): (0, 0, [("remark", Vec(U8))]),
}


def encode_call(module: str, function: str, args: dict[str, Any]) -> bytes:
    pallet, index, fields = CALLS[(module, function)]
    return bytes([pallet, index]) + Composite("call", fields).encode(args)


def transfer(dest_name: str, amount: int) -> bytes:
    return encode_call("Balances", "transfer_keep_alive",
                       {"dest": ("Id", dev_account(dest_name).public), "value": amount})


def _arg(value: Any, codec: ScaleType) -> Any:
    if codec is MultiAddress:
        return ("Id", ss58_decode(value))
    if codec is AccountId32:
        return ss58_decode(value)
    if isinstance(value, str) and value.startswith("0x"):
        return unhex(value)
    return value


def test_calls(golden: Any) -> None:
    seen = 0
    for entry in golden["calls"]:
        key = (entry["module"], entry["function"])
        expected = entry["data_hex"]
        if key in CALLS:
            fields = dict(CALLS[key][2])
            args = {name: _arg(v, fields[name]) for name, v in entry["params"].items()}
            assert "0x" + encode_call(*key, args).hex() == expected, key
        elif key == ("Sudo", "sudo"):
            inner = encode_call("System", "remark", {"remark": unhex(entry["params"]["call"]["remark"])})
            assert "0x" + (bytes([12, 0]) + inner).hex() == expected
        elif key == ("Utility", "batch"):
            calls = [transfer("Bob", 1), transfer("Charlie", 2)]
            assert "0x" + (bytes([11, 0, len(calls) << 2]) + b"".join(calls)).hex() == expected
        elif key == ("Proxy", "proxy"):
            real = MultiAddress.encode(("Id", ss58_decode(entry["params"]["real"])))
            force = Option(ProxyType).encode(entry["params"]["force_proxy_type"])
            assert "0x" + (bytes([16, 0]) + real + force + transfer("Bob", 1)).hex() == expected
        else:
            pytest.fail(f"unhandled golden call {key}")
        seen += 1
    assert seen == len(golden["calls"]) == 10


def _context(golden: Any) -> ChainContext:
    net = golden["network"]
    return ChainContext(net["spec_version"], net["transaction_version"], unhex(net["genesis_hash"]))


def _era(spec: Any) -> Era:
    return Era() if spec == "00" else Era.mortal(spec["period"], spec["current"])


def test_signature_payloads(golden: Any) -> None:
    ctx = _context(golden)
    for entry in golden["signature_payloads"]:
        era = _era(entry["era"])
        birth = unhex(entry["era_birth_block_hash"]) if "era_birth_block_hash" in entry else None
        payload = build_signing_payload(
            unhex(entry["call_data_hex"]), subtensor_extra(entry["nonce"], era, entry["tip"]),
            subtensor_implicit(ctx, birth))
        assert "0x" + payload.hex() == entry["payload_hex"]


def test_recorded_extrinsics_reencode_identically(golden: Any) -> None:
    for entry in golden["extrinsics"]:
        raw = unhex(entry["extrinsic_hex"])
        xt = decode_extrinsic(raw)
        assert xt.call == unhex(entry["call_data_hex"])
        assert xt.signed is not None
        assert xt.signed.address == ("Id", unhex(entry["public_key_hex"]))
        assert xt.signed.signature == ("Sr25519", unhex(entry["signature_hex"]))
        assert xt.signed.extra["CheckNonce"] == entry["nonce"]
        assert xt.signed.extra["CheckMortality"] == _era(entry["era"])
        built = UncheckedExtrinsic(
            unhex(entry["call_data_hex"]),
            SignedData(("Id", unhex(entry["public_key_hex"])), ("Sr25519", unhex(entry["signature_hex"])),
                       subtensor_extra(entry["nonce"], _era(entry["era"]), entry["tip"])))
        assert encode_extrinsic(built) == raw
        assert "0x" + extrinsic_hash(raw).hex() == entry["extrinsic_hash"]


def test_block_transfer_signature_verifies(golden: Any) -> None:
    """The block's third extrinsic is a real transfer signed by Alice: its signature must verify."""
    ctx = _context(golden)
    raw = unhex(golden["block"]["raw"]["block"]["extrinsics"][2])
    xt = decode_extrinsic(raw)
    assert xt.signed is not None
    era: Era = xt.signed.extra["CheckMortality"]
    assert era.is_immortal
    payload = build_signing_payload(xt.call, xt.signed.extra, subtensor_implicit(ctx))
    account = xt.signed.address[1]
    assert verify_multi_signature(xt.signed.signature, payload, account)
    assert not verify_multi_signature(xt.signed.signature, payload + b"\x00", account)
    assert encode_extrinsic(xt) == raw


def test_sign_and_verify_our_own_extrinsic(golden: Any) -> None:
    ctx = _context(golden)
    alice = dev_account("Alice")
    call = unhex(golden["extrinsics"][0]["call_data_hex"])
    for era, birth in ((Era(), None), (Era.mortal(64, 66), unhex(golden["block"]["raw"]["block"]["header"]["parentHash"]))):
        xt = sign_extrinsic(alice, call, ctx, nonce=5, era=era, era_birth_hash=birth)
        raw = encode_extrinsic(xt)
        again = decode_extrinsic(raw)
        assert again == xt
        payload = build_signing_payload(call, xt.signed.extra, subtensor_implicit(ctx, birth))  # type: ignore[union-attr]
        assert verify_multi_signature(again.signed.signature, payload, alice.public)  # type: ignore[union-attr]


def test_block_header_hash(golden: Any) -> None:
    block = golden["block"]
    header = header_from_json(block["raw"]["block"]["header"])
    assert "0x" + header.hash.hex() == block["block_hash"]
    assert header.number == block["decoded_header"]["number"]
    assert header_to_json(header) == block["raw"]["block"]["header"]
    assert Header.decode(header.encode()) == header
    pre_seal, seal = header.without_seal()
    assert isinstance(seal, Seal) and seal.engine == b"aura"
    assert pre_seal.hash != header.hash


def test_block_extrinsics_decode_and_hash(golden: Any) -> None:
    block = golden["block"]
    for raw_hex, decoded in zip(block["raw"]["block"]["extrinsics"], block["decoded_extrinsics"]):
        raw = unhex(raw_hex)
        xt = decode_extrinsic(raw)
        assert "0x" + extrinsic_hash(raw).hex() == decoded["extrinsic_hash"]
        assert "0x" + xt.call[:2].hex() == decoded["call"]["call_index"]
        assert encode_extrinsic(xt) == raw


def test_sp_runtime_header_format_vector() -> None:
    """sp-runtime's `ensure_format_is_unchanged`: 101 bytes, with Other("6") as the only digest."""
    def b2(data: bytes) -> bytes:
        return hashlib.blake2b(data, digest_size=32).digest()
    header = Header(b2(b"1"), 2, b2(b"3"), b2(b"4"), (Other(b"6"),))
    encoded = header.encode()
    assert len(encoded) == 101
    assert encoded[32] == 2 << 2 and encoded[-3:] == bytes([0, 4, ord("6")])
    assert header.hash.hex() == "a8a0cb64226571950897d4450958e80393585495616fc6589af75d2f2edc90d1"


@pytest.mark.parametrize(("period", "current", "encoded", "birth"),
                         [(64, 42, "a502", 42), (32768, 20000, "4e9c", 20000), (64, 66, "2500", 66)])
def test_era_vectors(period: int, current: int, encoded: str, birth: int) -> None:
    era = Era.mortal(period, current)
    assert era.encode().hex() == encoded
    assert Era.decode(bytes.fromhex(encoded)) == era
    assert era.birth(current) == birth
    assert era.death(current) == birth + era.period
    assert Era().encode() == b"\x00"


@pytest.mark.parametrize("raw", ["", "00", "0400", "08ff00", "0c840000", "10060300", "0804", "0c450000"])
def test_malformed_extrinsics_raise_decode_error(raw: str) -> None:
    with pytest.raises(DecodeError):
        decode_extrinsic(bytes.fromhex(raw))


@settings(max_examples=300, deadline=None)
@given(garbage=st.binary(max_size=200), prefix=st.sampled_from([b"", b"\x84", b"\x04", b"\x05"]))
def test_extrinsic_decoder_raises_only_decode_error(garbage: bytes, prefix: bytes) -> None:
    body = prefix + garbage
    for raw in (body, compact_bytes(len(body)) + body):
        try:
            xt = decode_extrinsic(raw)
        except DecodeError:
            continue
        assert encode_extrinsic(xt) == raw
