"""ShieldApi (version 1): what a block author asks the runtime about MEV-shielded transactions.

Thin wrappers over :mod:`runtime.pallets.mev_shield.shielded`, with node-subtensor's SCALE shapes. Our
own author (``consensus.mev_shield``) calls those functions directly; the API is here so the metadata
and ``state_call`` match the reference. ``dec_key_bytes`` is a 64-byte ML-KEM-768 seed here, where the
reference's ``ml_kem`` crate passes the expanded 2400-byte decapsulation key: other lengths give None.
"""

from __future__ import annotations

from typing import Any

from runtime.apis import runtime_api
from runtime.pallets import mev_shield
from runtime.scale import U8, Bool, Composite, FieldInfo, FixedBytes, Option, Vec
from runtime.support.context import Context
from runtime.support.outer import RuntimeExtrinsicRef

ShieldedTransactionCodec = Composite("stp_shield::shielded_tx::ShieldedTransaction", [
    FieldInfo("key_hash", FixedBytes(16), "[u8; KEY_HASH_LEN]"),
    FieldInfo("kem_ct", Vec(U8), "Vec<u8>"),
    FieldInfo("aead_ct", Vec(U8), "Vec<u8>"),
    FieldInfo("nonce", FixedBytes(24), "[u8; NONCE_LEN]"),
])

ShieldApi = runtime_api("ShieldApi", 1)


def _value(shielded: mev_shield.ShieldedTransaction) -> dict[str, Any]:
    return {"key_hash": shielded.key_hash, "kem_ct": shielded.kem_ct, "aead_ct": shielded.aead_ct,
            "nonce": shielded.nonce}


@ShieldApi.method("try_decode_shielded_tx", [("uxt", RuntimeExtrinsicRef)], Option(ShieldedTransactionCodec),
                  docs=[" Try to decode a shielded transaction from an extrinsic."])
def try_decode_shielded_tx(ctx: Context, uxt: bytes) -> dict[str, Any] | None:
    shielded = mev_shield.try_decode_shielded_tx(ctx.runtime, uxt)
    return None if shielded is None else _value(shielded)


@ShieldApi.method("is_shielded_using_current_key", [("key_hash", FixedBytes(16))], Bool,
                  docs=[" Check if a transaction is shielded using the current key."])
def is_shielded_using_current_key(ctx: Context, key_hash: bytes) -> bool:
    return mev_shield.is_shielded_using_current_key(ctx, key_hash)


@ShieldApi.method("try_unshield_tx", [("dec_key_bytes", Vec(U8)), ("shielded_tx", ShieldedTransactionCodec)],
                  Option(RuntimeExtrinsicRef), docs=[" Try to unshield a transaction using a decapsulation key."])
def try_unshield_tx(ctx: Context, dec_key_bytes: bytes, shielded_tx: dict[str, Any]) -> bytes | None:
    shielded = mev_shield.ShieldedTransaction(bytes(shielded_tx["key_hash"]), bytes(shielded_tx["kem_ct"]),
                                              bytes(shielded_tx["nonce"]), bytes(shielded_tx["aead_ct"]))
    return mev_shield.try_unshield_tx(ctx.runtime, bytes(dec_key_bytes), shielded)
