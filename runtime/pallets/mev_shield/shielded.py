"""Shielded transactions (``stp_shield``'s ``ShieldedTransaction`` and the ``ShieldApi`` helpers).

A user encrypts a signed extrinsic to the ML-KEM-768 key announced in ``MevShield.NextKey`` and sends
it as the ``ciphertext`` of a signed ``MevShield.submit_encrypted``::

    ciphertext = key_hash(16) || kem_len(u16 LE) || kem_ct || nonce(24) || aead_ct

``key_hash`` is ``twox128(encapsulation key)``; ``kem_ct`` encapsulates a 32-byte shared secret that is
used, as is (no KDF, empty associated data), as the XChaCha20-Poly1305 key for ``aead_ct``.

These functions are what node-subtensor's runtime exposes through ``ShieldApi`` for the block author:
:func:`try_decode_shielded_tx` picks shielded wrappers out of pool transactions,
:func:`is_shielded_using_current_key` says whether a wrapper was encrypted to the key whose
decapsulation key the author of the next block holds (``PendingKey`` at the parent), and
:func:`try_unshield_tx` decrypts one with a decapsulation key the author passes in. None of them is
used by block execution: a block only ever contains the wrapper and, as an ordinary extrinsic, the
revealed inner one, so importing it needs no secret.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from Crypto.Cipher import ChaCha20_Poly1305
from cryptography.hazmat.primitives.asymmetric.mlkem import MLKEM768PrivateKey

from runtime.primitives.extrinsic import decode_extrinsic
from runtime.primitives.hashing import twox128
from runtime.scale import DecodeError

KEY_HASH_LEN = 16
NONCE_LEN = 24
_TAG_LEN = 16  # Poly1305 tag, appended to the AEAD ciphertext
MLKEM768_SEED_LEN = 64
"""Our decapsulation keys are FIPS 203 ``(d, z)`` seeds; the reference passes the expanded form."""
MAX_EXTRINSIC_DEPTH = 8


@dataclass(frozen=True, slots=True)
class ShieldedTransaction:
    """The four parts of a ``submit_encrypted`` ciphertext."""

    key_hash: bytes
    kem_ct: bytes
    nonce: bytes
    aead_ct: bytes

    @classmethod
    def parse(cls, ciphertext: bytes) -> ShieldedTransaction | None:
        """Split ``ciphertext``; None when a part is missing (the AEAD part may be empty)."""
        data = bytes(ciphertext)
        if len(data) < KEY_HASH_LEN + 2:
            return None
        kem_end = KEY_HASH_LEN + 2 + int.from_bytes(data[KEY_HASH_LEN:KEY_HASH_LEN + 2], "little")
        if len(data) < kem_end + NONCE_LEN:
            return None
        return cls(data[:KEY_HASH_LEN], data[KEY_HASH_LEN + 2:kem_end], data[kem_end:kem_end + NONCE_LEN],
                   data[kem_end + NONCE_LEN:])


def unshield(dec_key: bytes, shielded: ShieldedTransaction) -> bytes | None:
    """ML-KEM-768 decapsulation, then XChaCha20-Poly1305 decryption; None on any failure."""
    if len(dec_key) != MLKEM768_SEED_LEN or len(shielded.aead_ct) < _TAG_LEN:
        return None
    try:
        secret = MLKEM768PrivateKey.from_seed_bytes(dec_key).decapsulate(shielded.kem_ct)
    except ValueError:  # wrong ciphertext length
        return None
    cipher = ChaCha20_Poly1305.new(key=secret, nonce=shielded.nonce)
    try:
        return bytes(cipher.decrypt_and_verify(shielded.aead_ct[:-_TAG_LEN], shielded.aead_ct[-_TAG_LEN:]))
    except ValueError:  # authentication failed: encrypted to another key, or tampered with
        return None


def try_decode_shielded_tx(runtime: Any, encoded: bytes) -> ShieldedTransaction | None:
    """The shielded transaction inside a signed ``MevShield.submit_encrypted`` extrinsic, else None.

    The signature itself is checked when the wrapper is applied; an unsigned wrapper is not shielded.
    """
    try:
        xt = decode_extrinsic(encoded, runtime.extensions)
        if xt.signed is None:
            return None
        call = runtime.decode_call(xt.call)
    except DecodeError:
        return None
    if call[0] != "MevShield" or call[1][0] != "submit_encrypted":
        return None
    return ShieldedTransaction.parse(call[1][1]["ciphertext"])


def is_shielded_using_current_key(ext: Any, key_hash: bytes) -> bool:
    """Whether ``key_hash`` names ``PendingKey``: the key of the author of the block built on ``ext``."""
    from runtime.pallets.mev_shield.pallet import PendingKey

    pending = PendingKey.get(ext)
    return pending is not None and twox128(bytes(pending)) == bytes(key_hash)


def try_unshield_tx(runtime: Any, dec_key: bytes, shielded: ShieldedTransaction) -> bytes | None:
    """The inner extrinsic's bytes when they decrypt and decode as an extrinsic, else None."""
    plaintext = unshield(dec_key, shielded)
    if not plaintext:
        return None
    try:
        xt = decode_extrinsic(plaintext, runtime.extensions)
        runtime.decode_call(xt.call)
    except (DecodeError, RecursionError):
        return None
    return plaintext
