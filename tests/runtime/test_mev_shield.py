"""pallet_shield (MevShield, index 30): storage defaults (no key announced), call encoding, origins and
rejections, the key rotation, the stored-extrinsic queue, and the metadata against the recording."""

from __future__ import annotations

from typing import Any

import pytest

from runtime.node_runtime import node_runtime
from runtime.pallets import aura, mev_shield
from runtime.pallets.system import storage as system_storage
from runtime.primitives.hashing import blake2_256, twox128
from runtime.primitives.header import AURA_ENGINE_ID, PreRuntime
from runtime.scale import DecodeError
from runtime.support.context import Context
from runtime.support.dispatch import DispatchError, Origin

from tests.metadata_tools import DecodedMetadata, masked_golden, pallet_diff
from tests.runtime.pallet_checks import events, module_error, new_ctx

RUNTIME = node_runtime()
ALICE, BOB, CHARLIE = (bytes([n]) * 32 for n in (1, 2, 3))
KEY = bytes(range(256)) * 4 + bytes(160)  # 1184 bytes, an ML-KEM-768 encapsulation key's length


@pytest.fixture
def ctx() -> Context:
    return new_ctx(RUNTIME, number=5)


def call(name: str, **args: Any) -> Any:
    return ("MevShield", (name, args))


def error_of(ctx: Context, origin: Origin, value: Any) -> Any:
    with pytest.raises(DispatchError) as info:
        with ctx.transaction():
            ctx.dispatch(origin, value)
    return RUNTIME.dispatch_error_value(info.value)


def err(name: str) -> Any:
    return module_error(RUNTIME, "MevShield", mev_shield.errors._index[name])


def shield_events(ctx: Context) -> list[Any]:
    return [e[1] for e in events(ctx) if e[0] == "MevShield"]


def with_slot(ctx: Context, slot: int, authorities: list[bytes]) -> None:
    aura.Authorities.put(ctx, authorities)
    system_storage.DigestItems.put(ctx, (PreRuntime(AURA_ENGINE_ID, slot.to_bytes(8, "little")),))


# -- storage defaults --------------------------------------------------------------------------------------


def test_no_key_is_announced_at_genesis(ctx: Context) -> None:
    for item in (mev_shield.NextKey, mev_shield.CurrentKey, mev_shield.PendingKey,
                 mev_shield.PendingKeyExpiresAt, mev_shield.NextKeyExpiresAt):
        assert item.get(ctx) is None
    assert mev_shield.NextKey.default_bytes == b"\x00"
    assert mev_shield.AuthorKeys.get(ctx, ALICE) is None
    assert mev_shield.PendingExtrinsics.get(ctx, 0) is None
    assert mev_shield.HasMigrationRun.get(ctx, b"migrate") is False


def test_value_defaults(ctx: Context) -> None:
    assert mev_shield.MaxPendingExtrinsicsLimit.get(ctx) == 100
    assert mev_shield.ExtrinsicLifetime.get(ctx) == 10
    assert mev_shield.OnInitializeWeight.get(ctx) == 500_000_000_000
    assert mev_shield.MaxExtrinsicWeight.get(ctx) == 50_000_000_000
    assert mev_shield.CounterForPendingExtrinsics.get(ctx) == 0
    assert mev_shield.NextPendingExtrinsicIndex.get(ctx) == 0


def test_storage_keys() -> None:
    assert mev_shield.NextKey.key() == twox128(b"MevShield") + twox128(b"NextKey")
    assert mev_shield.PendingExtrinsics.key(7) == twox128(b"MevShield") + twox128(b"PendingExtrinsics") + (
        7).to_bytes(4, "little")


# -- call encoding -----------------------------------------------------------------------------------------


def test_call_encoding() -> None:
    enc = RUNTIME.encode_call
    assert enc(call("announce_next_key", enc_key=None)) == bytes([30, 0, 0])
    assert enc(call("announce_next_key", enc_key=b"ab")) == bytes([30, 0, 1, 8]) + b"ab"
    assert enc(call("submit_encrypted", ciphertext=b"xyz")) == bytes([30, 1, 12]) + b"xyz"
    assert enc(call("store_encrypted", encrypted_call=b"q")) == bytes([30, 2, 4]) + b"q"
    assert enc(call("set_max_pending_extrinsics_number", value=5)) == bytes([30, 3]) + (5).to_bytes(4, "little")
    assert enc(call("set_on_initialize_weight", value=9)) == bytes([30, 4]) + (9).to_bytes(8, "little")
    assert enc(call("set_stored_extrinsic_lifetime", value=3)) == bytes([30, 5]) + (3).to_bytes(4, "little")
    assert enc(call("set_max_extrinsic_weight", value=2)) == bytes([30, 6]) + (2).to_bytes(8, "little")
    raw = bytes([30, 1, 12]) + b"xyz"
    assert RUNTIME.decode_call(raw) == call("submit_encrypted", ciphertext=b"xyz")


def test_ciphertext_bound_is_enforced() -> None:
    from runtime.scale import encode_compact

    def submit(n: int) -> bytes:
        out = bytearray([30, 1])
        encode_compact(n, out)
        return bytes(out) + b"x" * n

    assert RUNTIME.decode_call(submit(8192)) == call("submit_encrypted", ciphertext=b"x" * 8192)
    with pytest.raises(DecodeError):
        RUNTIME.decode_call(submit(8193))


# -- announce_next_key ---------------------------------------------------------------------------------------


def test_announce_next_key_is_inherent_only(ctx: Context) -> None:
    value = call("announce_next_key", enc_key=None)
    assert error_of(ctx, Origin.signed(ALICE), value) == "BadOrigin"
    assert error_of(ctx, Origin.root(), value) == "BadOrigin"
    assert mev_shield.is_inherent(value[1])
    assert not mev_shield.is_inherent(call("submit_encrypted", ciphertext=b"")[1])
    assert mev_shield.create_inherent(None) == value
    assert mev_shield.create_inherent(KEY) == call("announce_next_key", enc_key=KEY)
    # An inherent: applied unsigned in blocks, never accepted by the pool.
    assert RUNTIME.call_info(value).dispatch_class.name == "Mandatory"


def test_announce_without_an_author_is_unreachable(ctx: Context) -> None:
    assert error_of(ctx, Origin.none(), call("announce_next_key", enc_key=KEY)) == err("Unreachable")
    assert mev_shield.AuthorKeys.get(ctx, ALICE) is None


def test_announce_rejects_a_bad_key_length(ctx: Context) -> None:
    with_slot(ctx, 0, [ALICE, BOB, CHARLIE])
    assert error_of(ctx, Origin.none(), call("announce_next_key", enc_key=b"short")) == err("BadEncKeyLen")
    assert mev_shield.AuthorKeys.get(ctx, ALICE) is None


def test_announce_rotates_keys_through_the_authority_ring(ctx: Context) -> None:
    authorities = [ALICE, BOB, CHARLIE]
    with_slot(ctx, 1, authorities)  # author BOB; the author two slots on is ALICE
    mev_shield.AuthorKeys.put(ctx, ALICE, KEY)
    ctx.dispatch(Origin.none(), call("announce_next_key", enc_key=KEY[::-1]))
    assert mev_shield.AuthorKeys.get(ctx, BOB) == KEY[::-1]
    assert mev_shield.NextKey.get(ctx) == KEY
    assert mev_shield.NextKeyExpiresAt.get(ctx) == 5 + 3
    assert mev_shield.PendingKey.get(ctx) is None and mev_shield.PendingKeyExpiresAt.get(ctx) is None
    # Next block: the key moves to PendingKey; BOB withdraws his key with None.
    system_storage.Number.put(ctx, 6)
    with_slot(ctx, 2, authorities)  # author CHARLIE; two on is BOB
    ctx.dispatch(Origin.none(), call("announce_next_key", enc_key=None))
    assert mev_shield.PendingKey.get(ctx) == KEY and mev_shield.PendingKeyExpiresAt.get(ctx) == 8
    assert mev_shield.NextKey.get(ctx) == KEY[::-1] and mev_shield.NextKeyExpiresAt.get(ctx) == 9
    assert mev_shield.AuthorKeys.get(ctx, CHARLIE) is None
    system_storage.Number.put(ctx, 7)
    with_slot(ctx, 3, authorities)  # author ALICE; two on is CHARLIE (no key)
    ctx.dispatch(Origin.none(), call("announce_next_key", enc_key=None))
    assert mev_shield.CurrentKey.get(ctx) == KEY
    assert mev_shield.PendingKey.get(ctx) == KEY[::-1]
    assert mev_shield.NextKey.get(ctx) is None and mev_shield.NextKeyExpiresAt.get(ctx) is None
    assert mev_shield.AuthorKeys.get(ctx, ALICE) is None


# -- submit_encrypted ----------------------------------------------------------------------------------------


def _ciphertext(key_hash: bytes) -> bytes:
    kem_ct = b"k" * 1088
    return key_hash + len(kem_ct).to_bytes(2, "little") + kem_ct + b"n" * 24 + b"aead"


def test_pool_refuses_only_unparsable_ciphertexts(ctx: Context) -> None:
    # CheckShieldedTxValidity: the key is the block author's business, the layout the pool's.
    assert mev_shield.validate_submit_encrypted(_ciphertext(bytes(16))) is None
    assert mev_shield.validate_submit_encrypted(_ciphertext(twox128(KEY))) is None
    assert mev_shield.validate_submit_encrypted(b"garbage") == ("Custom", 23)
    assert mev_shield.validate_submit_encrypted(_ciphertext(bytes(16))[:16 + 2 + 1088 + 23]) == ("Custom", 23)
    parsed = mev_shield.ShieldedTransaction.parse(_ciphertext(twox128(KEY)))
    assert parsed is not None and parsed.aead_ct == b"aead" and len(parsed.kem_ct) == 1088
    assert parsed.key_hash == twox128(KEY) and parsed.nonce == b"n" * 24


def test_submit_encrypted_needs_a_signer_and_records_the_wrapper(ctx: Context) -> None:
    value = call("submit_encrypted", ciphertext=b"blob")
    assert error_of(ctx, Origin.none(), value) == "BadOrigin"
    assert error_of(ctx, Origin.root(), value) == "BadOrigin"
    ctx.dispatch(Origin.signed(ALICE), value)
    assert shield_events(ctx) == [("EncryptedSubmitted", {"id": blake2_256(ALICE + b"\x10blob"), "who": ALICE})]


# -- the stored-extrinsic queue --------------------------------------------------------------------------------


def test_store_encrypted_queues_and_limits(ctx: Context) -> None:
    assert error_of(ctx, Origin.none(), call("store_encrypted", encrypted_call=b"c")) == "BadOrigin"
    ctx.dispatch(Origin.root(), call("set_max_pending_extrinsics_number", value=2))
    for who in (ALICE, BOB):
        ctx.dispatch(Origin.signed(who), call("store_encrypted", encrypted_call=b"c" + who[:1]))
    assert error_of(ctx, Origin.signed(CHARLIE), call("store_encrypted", encrypted_call=b"c")) == err(
        "TooManyPendingExtrinsics")
    assert mev_shield.PendingExtrinsics.get(ctx, 1) == {"who": BOB, "encrypted_call": b"c\x02", "submitted_at": 5}
    assert mev_shield.CounterForPendingExtrinsics.get(ctx) == 2
    assert mev_shield.NextPendingExtrinsicIndex.get(ctx) == 2
    assert shield_events(ctx)[1:] == [("ExtrinsicStored", {"index": 0, "who": ALICE}),
                                      ("ExtrinsicStored", {"index": 1, "who": BOB})]


def test_on_initialize_drops_undecryptable_and_expired_entries(ctx: Context) -> None:
    ctx.dispatch(Origin.signed(ALICE), call("store_encrypted", encrypted_call=b"old"))
    system_storage.Number.put(ctx, 16)
    ctx.dispatch(Origin.signed(BOB), call("store_encrypted", encrypted_call=b"new"))
    system_storage.Number.put(ctx, 17)
    weight = mev_shield.on_initialize(ctx, 17)
    assert weight.ref_time > 0
    assert shield_events(ctx)[-2:] == [("ExtrinsicExpired", {"index": 0}), ("ExtrinsicDecodeFailed", {"index": 1})]
    assert mev_shield.CounterForPendingExtrinsics.get(ctx) == 0
    assert mev_shield.PendingExtrinsics.get(ctx, 1) is None
    assert mev_shield.NextPendingExtrinsicIndex.get(ctx) == 2
    assert mev_shield.on_initialize(ctx, 18) == mev_shield.pallet._reads_writes(2, 0)


# -- root setters ----------------------------------------------------------------------------------------------


def test_root_setters(ctx: Context) -> None:
    for name in ("set_max_pending_extrinsics_number", "set_on_initialize_weight",
                 "set_stored_extrinsic_lifetime", "set_max_extrinsic_weight"):
        assert error_of(ctx, Origin.signed(ALICE), call(name, value=1)) == "BadOrigin"
    ctx.dispatch(Origin.root(), call("set_on_initialize_weight", value=2_000_000_000_000))
    ctx.dispatch(Origin.root(), call("set_max_extrinsic_weight", value=7))
    ctx.dispatch(Origin.root(), call("set_stored_extrinsic_lifetime", value=3))
    assert error_of(ctx, Origin.root(), call("set_on_initialize_weight", value=2_000_000_000_001)) == err(
        "WeightExceedsAbsoluteMax")
    assert error_of(ctx, Origin.root(), call("set_max_extrinsic_weight", value=2_000_000_000_001)) == err(
        "WeightExceedsAbsoluteMax")
    assert mev_shield.OnInitializeWeight.get(ctx) == 2_000_000_000_000
    assert mev_shield.MaxExtrinsicWeight.get(ctx) == 7
    assert mev_shield.ExtrinsicLifetime.get(ctx) == 3
    assert shield_events(ctx) == [("OnInitializeWeightSet", {"value": 2_000_000_000_000}),
                                  ("MaxExtrinsicWeightSet", {"value": 7}), ("ExtrinsicLifetimeSet", {"value": 3})]


# -- metadata ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("version", [14, 15])
def test_metadata_matches_the_recording(golden: Any, version: int) -> None:
    from runtime.metadata import build_v14, build_v15

    ours = DecodedMetadata((build_v14 if version == 14 else build_v15)(RUNTIME))
    theirs = DecodedMetadata(bytes.fromhex(golden["metadata"][f"v{version}_hex"][2:]))
    assert pallet_diff(ours, theirs, "MevShield", masked_golden(theirs, ours)) == ([], [])
    mine, recorded = ours.pallets["MevShield"], theirs.pallets["MevShield"]
    assert mine["index"] == recorded["index"] == 30
    assert mine["storage"]["prefix"] == recorded["storage"]["prefix"]
    assert mine["storage"]["entries"] == [
        {**e, "ty": m["ty"]} for e, m in zip(recorded["storage"]["entries"], mine["storage"]["entries"])]
    if version == 15:
        for part in ("calls", "event", "error"):
            my_variants, their_variants = ours.variants(mine[part]["ty"]), theirs.variants(recorded[part]["ty"])
            assert {n: v["docs"] for n, v in my_variants.items()} == {n: v["docs"] for n, v in their_variants.items()}
            assert {n: [f["typeName"] if "typeName" in f else f.get("type_name") for f in v["fields"]]
                    for n, v in my_variants.items()} == {
                n: [f["typeName"] if "typeName" in f else f.get("type_name") for f in v["fields"]]
                for n, v in their_variants.items()}
    assert mine["constants"] == recorded["constants"] == []
