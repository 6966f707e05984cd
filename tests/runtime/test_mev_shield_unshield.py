"""MEV shield, the ShieldApi side: ciphertext layout, decryption of what bittensor's own encryptor
produces, picking wrappers out of extrinsics, the PendingKey rule, the pool checks on carriers, and the
key inherent inside a real block."""

from __future__ import annotations

from typing import Any

import bittensor_core
import pytest
from cryptography.hazmat.primitives.asymmetric.mlkem import MLKEM768PrivateKey

from runtime.executive import TransactionValidityError, apply_extrinsic, finalize_block, validate_transaction
from runtime.node_runtime import node_runtime
from runtime.pallets import mev_shield
from runtime.pallets.mev_shield import ShieldedTransaction
from runtime.primitives.era import Era
from runtime.primitives.extrinsic import ChainContext, UncheckedExtrinsic, encode_extrinsic
from runtime.primitives.hashing import twox128
from runtime.primitives.header import Header
from runtime.primitives.keys import dev_account
from runtime.primitives.signing import sign_extrinsic
from runtime.scale import Ok
from runtime.version import SPEC_VERSION, TRANSACTION_VERSION

from tests.runtime.ext import TestExternalities
from tests.runtime.pallet_checks import events, new_ctx
from tests.runtime.test_executive import T0, genesis_ext, start_block, transfer_call

RUNTIME = node_runtime()
ALICE, BOB = dev_account("Alice"), dev_account("Bob")


def key_pair() -> tuple[bytes, bytes]:
    secret = MLKEM768PrivateKey.generate()
    return secret.private_bytes_raw(), secret.public_key().public_bytes_raw()


def signed(call: bytes, nonce: int, genesis_hash: bytes, era: Era = Era()) -> bytes:
    cc = ChainContext(SPEC_VERSION, TRANSACTION_VERSION, genesis_hash)
    return encode_extrinsic(sign_extrinsic(ALICE, call, cc, nonce=nonce, era=era, era_birth_hash=genesis_hash))


def carrier_call(ciphertext: bytes) -> bytes:
    return RUNTIME.encode_call(("MevShield", ("submit_encrypted", {"ciphertext": ciphertext})))


# -- layout and decryption -------------------------------------------------------------------------------------


def test_parse_splits_the_four_parts_and_needs_all_but_the_aead_body() -> None:
    blob = b"h" * 16 + (3).to_bytes(2, "little") + b"kem" + b"n" * 24 + b"body"
    assert ShieldedTransaction.parse(blob) == ShieldedTransaction(b"h" * 16, b"kem", b"n" * 24, b"body")
    assert ShieldedTransaction.parse(blob[:-4]) == ShieldedTransaction(b"h" * 16, b"kem", b"n" * 24, b"")
    assert ShieldedTransaction.parse(blob[:-5]) is None  # nonce cut short
    assert ShieldedTransaction.parse(b"h" * 17) is None  # no kem length
    assert ShieldedTransaction.parse(b"h" * 16 + (60_000).to_bytes(2, "little") + b"x" * 100) is None


def test_unshield_opens_what_the_sdk_encrypts_and_nothing_else() -> None:
    dec_key, enc_key = key_pair()
    blob = bittensor_core.encrypt_mlkem768(enc_key, b"inner extrinsic", include_key_hash=True)
    shielded = ShieldedTransaction.parse(blob)
    assert shielded is not None and shielded.key_hash == twox128(enc_key) and len(shielded.kem_ct) == 1088
    assert mev_shield.unshield(dec_key, shielded) == b"inner extrinsic"

    other_dec, _ = key_pair()
    assert mev_shield.unshield(other_dec, shielded) is None  # implicit rejection, then the tag fails
    tampered = ShieldedTransaction(shielded.key_hash, shielded.kem_ct, shielded.nonce,
                                   shielded.aead_ct[:-1] + bytes([shielded.aead_ct[-1] ^ 1]))
    assert mev_shield.unshield(dec_key, tampered) is None
    short_kem = ShieldedTransaction(shielded.key_hash, shielded.kem_ct[:-1], shielded.nonce, shielded.aead_ct)
    assert mev_shield.unshield(dec_key, short_kem) is None
    assert mev_shield.unshield(dec_key[:32], shielded) is None


def test_try_unshield_tx_returns_only_decodable_extrinsics() -> None:
    dec_key, enc_key = key_pair()
    inner = signed(transfer_call(BOB.public, 5), 1, bytes(32))

    def wrap(plaintext: bytes) -> ShieldedTransaction:
        parsed = ShieldedTransaction.parse(bittensor_core.encrypt_mlkem768(enc_key, plaintext, include_key_hash=True))
        assert parsed is not None
        return parsed

    assert mev_shield.try_unshield_tx(RUNTIME, dec_key, wrap(inner)) == inner
    assert mev_shield.try_unshield_tx(RUNTIME, dec_key, wrap(b"\x01\x02\x03 not an extrinsic")) is None
    assert mev_shield.try_unshield_tx(RUNTIME, dec_key, wrap(b"")) is None


def test_only_signed_carriers_are_shielded_transactions() -> None:
    blob = b"k" * 16 + (4).to_bytes(2, "little") + b"kemc" + b"n" * 24 + b"aead"
    carrier = signed(carrier_call(blob), 0, bytes(32))
    assert mev_shield.try_decode_shielded_tx(RUNTIME, carrier) == ShieldedTransaction.parse(blob)
    assert mev_shield.try_decode_shielded_tx(RUNTIME, encode_extrinsic(UncheckedExtrinsic(carrier_call(blob)))) is None
    assert mev_shield.try_decode_shielded_tx(RUNTIME, signed(carrier_call(b"short"), 0, bytes(32))) is None
    assert mev_shield.try_decode_shielded_tx(RUNTIME, signed(transfer_call(BOB.public, 1), 0, bytes(32))) is None
    assert mev_shield.try_decode_shielded_tx(RUNTIME, b"\x00garbage") is None


def test_the_author_matches_pending_key_not_current_key() -> None:
    ctx = new_ctx(RUNTIME, number=5)
    _, enc_key = key_pair()
    assert not mev_shield.is_shielded_using_current_key(ctx, twox128(enc_key))
    mev_shield.CurrentKey.put(ctx, enc_key)
    assert not mev_shield.is_shielded_using_current_key(ctx, twox128(enc_key))
    mev_shield.PendingKey.put(ctx, enc_key)
    assert mev_shield.is_shielded_using_current_key(ctx, twox128(enc_key))
    assert not mev_shield.is_shielded_using_current_key(ctx, bytes(16))


# -- the pool's checks on carriers --------------------------------------------------------------------------


def test_pool_checks_carrier_layout_and_era() -> None:
    ext = genesis_ext()
    genesis_hash = Header(bytes(32), 0, ext.storage_root(), bytes(32)).hash
    _, enc_key = key_pair()
    good = bittensor_core.encrypt_mlkem768(enc_key, b"x", include_key_hash=True)

    def verdict(ciphertext: bytes, era: Era) -> Any:
        ctx = RUNTIME.context(TestExternalities(ext.state()))
        try:
            validate_transaction(ctx, "External", signed(carrier_call(ciphertext), 0, genesis_hash, era), genesis_hash)
        except TransactionValidityError as exc:
            return exc.value
        return "valid"

    # Any well-formed ciphertext is pooled: which author can open it is decided when building blocks.
    assert verdict(good, Era.mortal(8, 0)) == "valid"
    assert verdict(b"\x00" * 16 + good[16:], Era.mortal(8, 0)) == "valid"
    assert verdict(b"garbage", Era.mortal(8, 0)) == ("Invalid", ("Custom", 23))
    assert verdict(good, Era.mortal(16, 0)) == ("Invalid", "Stale")  # longer than 8 blocks
    assert verdict(good, Era()) == ("Invalid", "Stale")  # immortal


# -- the inherent in a block ----------------------------------------------------------------------------------


def test_key_inherent_applies_unsigned_in_a_block_and_never_in_the_pool() -> None:
    ext = genesis_ext()
    genesis_hash = Header(bytes(32), 0, ext.storage_root(), bytes(32)).hash
    _, enc_key = key_pair()
    inherent = encode_extrinsic(UncheckedExtrinsic(RUNTIME.encode_call(mev_shield.create_inherent(enc_key)),
                                                   version=5))
    with pytest.raises(TransactionValidityError) as exc:
        validate_transaction(RUNTIME.context(TestExternalities(ext.state())), "External", inherent, genesis_hash)
    assert exc.value.value == ("Invalid", "MandatoryValidation")

    ctx = start_block(ext, 1, genesis_hash, T0)
    assert apply_extrinsic(ctx, inherent) == Ok(Ok(None))
    assert mev_shield.AuthorKeys.get(ctx, ALICE.public) == enc_key
    assert mev_shield.NextKey.get(ctx) is None  # the pipeline fills from the next block on
    success = [e for e in events(ctx) if e[0] == "System" and e[1][0] == "ExtrinsicSuccess"]
    assert success[-1][1][1]["dispatch_info"]["class"] == "Mandatory"
    finalize_block(ctx)

    # A key of the wrong length fails the inherent; a mandatory call failing makes the block unbuildable.
    ctx = start_block(ext, 2, genesis_hash, T0 + 250)
    bad = encode_extrinsic(UncheckedExtrinsic(RUNTIME.encode_call(mev_shield.create_inherent(b"short")), version=5))
    with pytest.raises(TransactionValidityError) as exc:
        apply_extrinsic(ctx, bad)
    assert exc.value.value == ("Invalid", "BadMandatory")


# -- the runtime API -------------------------------------------------------------------------------------------


def test_shield_api_by_state_call_name() -> None:
    from runtime.apis import call_api
    from runtime.apis.shield import ShieldedTransactionCodec
    from runtime.scale import U8, Bool, Option, Tuple, Vec

    ctx = new_ctx(RUNTIME, number=5)
    dec_key, enc_key = key_pair()
    mev_shield.PendingKey.put(ctx, enc_key)
    assert Bool.decode(call_api(ctx, "ShieldApi_is_shielded_using_current_key", twox128(enc_key))) is True
    assert Bool.decode(call_api(ctx, "ShieldApi_is_shielded_using_current_key", bytes(16))) is False

    inner = signed(transfer_call(BOB.public, 5), 1, bytes(32))
    blob = bittensor_core.encrypt_mlkem768(enc_key, inner, include_key_hash=True)
    carrier = signed(carrier_call(blob), 0, bytes(32))
    decoded = Option(ShieldedTransactionCodec).decode(call_api(ctx, "ShieldApi_try_decode_shielded_tx", carrier))
    parsed = ShieldedTransaction.parse(blob)
    assert parsed is not None and decoded == {"key_hash": parsed.key_hash, "kem_ct": parsed.kem_ct,
                                              "aead_ct": parsed.aead_ct, "nonce": parsed.nonce}
    assert call_api(ctx, "ShieldApi_try_decode_shielded_tx", signed(transfer_call(BOB.public, 1), 0, bytes(32))) \
        == b"\x00"
    args = Tuple(Vec(U8), ShieldedTransactionCodec).encode((dec_key, decoded))
    assert call_api(ctx, "ShieldApi_try_unshield_tx", args) == b"\x01" + inner
    assert call_api(ctx, "ShieldApi_try_unshield_tx", Tuple(Vec(U8), ShieldedTransactionCodec).encode(
        (key_pair()[0], decoded))) == b"\x00"
