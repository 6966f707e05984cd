"""Signing and verifying extrinsics with ``MultiSignature``.

:func:`verify_multi_signature` is what the runtime's signature check uses: the signature variant selects
the scheme, and the signer is the 32-byte account id (for sr25519/ed25519 the account id *is* the public
key). ECDSA accounts are not supported by this node: such signatures never verify.
:func:`sign_extrinsic` builds a signed v4 extrinsic for tools and tests.
"""

from __future__ import annotations

from typing import Any

from runtime.primitives.era import Era
from runtime.primitives.extrinsic import (
    SUBTENSOR_EXTENSIONS, ChainContext, ExtensionSet, SignedData, UncheckedExtrinsic,
    build_signing_payload, subtensor_extra, subtensor_implicit,
)
from runtime.primitives.keys import Keypair, KeyType, verify

_SCHEMES = {"Sr25519": KeyType.Sr25519, "Ed25519": KeyType.Ed25519}


def verify_multi_signature(signature: Any, message: bytes, account_id: bytes) -> bool:
    """Whether a ``MultiSignature`` value signs ``message`` for ``account_id``."""
    try:
        scheme, raw = signature
    except (TypeError, ValueError):
        return False
    key_type = _SCHEMES.get(scheme)
    if key_type is None:
        return False
    return verify(key_type, raw, message, account_id)


def multi_signature(keypair: Keypair, message: bytes) -> tuple[str, bytes]:
    """Sign ``message`` and wrap the result as a ``MultiSignature`` value."""
    scheme = "Sr25519" if keypair.key_type is KeyType.Sr25519 else "Ed25519"
    return scheme, keypair.sign(message)


def sign_extrinsic(
    keypair: Keypair,
    call: bytes,
    ctx: ChainContext,
    nonce: int,
    era: Era = Era(),
    tip: int = 0,
    era_birth_hash: bytes | None = None,
    extensions: ExtensionSet = SUBTENSOR_EXTENSIONS,
) -> UncheckedExtrinsic:
    """A signed extrinsic for ``call`` (metadata-hash check disabled, as clients normally send)."""
    extra = subtensor_extra(nonce, era, tip)
    implicit = subtensor_implicit(ctx, era_birth_hash)
    payload = build_signing_payload(call, extra, implicit, extensions)
    signed = SignedData(("Id", keypair.public), multi_signature(keypair, payload), extra)
    return UncheckedExtrinsic(call, signed)
