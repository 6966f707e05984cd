"""Unchecked extrinsics (format v4), transaction extensions and the signing payload.

Wire format: ``Compact<u32>`` length, then a version byte (``0x04`` bare, ``0x84`` signed), then for
signed extrinsics ``MultiAddress ++ MultiSignature ++ explicit extension data``, then the call bytes.

The chain's transaction extensions are declared once as an ordered :class:`ExtensionSet`: each
:class:`TransactionExtension` names its explicit codec (carried in the extrinsic) and implicit codec
(signed over but not sent). The signing payload is ``call ++ explicit ++ implicit`` and is replaced by its
blake2-256 when longer than 256 bytes. The transaction hash is blake2-256 of the full encoding.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from runtime.scale import (
    U8, U32, Array, CompactU32, CompactU64, DecodeError, EncodeError, Enum, Option, ScaleType, Unit,
    decode_compact, encode_compact, variant,
)
from runtime.primitives.era import Era, EraCodec
from runtime.primitives.hashing import blake2_256
from runtime.primitives.types import H256, CompactTaoBalance, MultiAddress, MultiSignature

EXTRINSIC_FORMAT_VERSION = 4
SIGNED_FLAG = 0x80
MAX_UNSIGNED_PAYLOAD = 256
BARE_VERSIONS = (4, 5)


@dataclass(frozen=True, slots=True)
class TransactionExtension:
    """One transaction extension: its metadata identifier and its explicit and implicit codecs."""

    identifier: str
    explicit: ScaleType = Unit
    implicit: ScaleType = Unit


@dataclass(frozen=True, slots=True)
class ExtensionSet:
    """The ordered extensions of a chain; values are dicts keyed by extension identifier."""

    extensions: tuple[TransactionExtension, ...]

    def encode_explicit(self, values: Mapping[str, Any]) -> bytes:
        out = bytearray()
        for ext in self.extensions:
            ext.explicit.encode_into(values.get(ext.identifier), out)
        return bytes(out)

    def encode_implicit(self, values: Mapping[str, Any]) -> bytes:
        out = bytearray()
        for ext in self.extensions:
            ext.implicit.encode_into(values.get(ext.identifier), out)
        return bytes(out)

    def decode_explicit(self, data: bytes, pos: int) -> tuple[dict[str, Any], int]:
        values: dict[str, Any] = {}
        for ext in self.extensions:
            value, pos = ext.explicit.decode_at(data, pos)
            if ext.explicit is not Unit:
                values[ext.identifier] = value
        return values, pos


MetadataHashMode = Enum(
    "frame_metadata_hash_extension::Mode", [variant("Disabled", 0), variant("Enabled", 1)]
)

# Subtensor's 13 extensions, in the order its metadata lists them (node-subtensor spec 461).
SUBTENSOR_EXTENSIONS = ExtensionSet((
    TransactionExtension("CheckNonZeroSender"),
    TransactionExtension("CheckSpecVersion", implicit=U32),
    TransactionExtension("CheckTxVersion", implicit=U32),
    TransactionExtension("CheckGenesis", implicit=H256),
    TransactionExtension("CheckMortality", explicit=EraCodec, implicit=H256),
    TransactionExtension("CheckNonce", explicit=CompactU32),
    TransactionExtension("CheckWeight"),
    TransactionExtension("ChargeTransactionPayment", explicit=CompactTaoBalance),
    TransactionExtension("SudoTransactionExtension"),
    TransactionExtension("CheckShieldedTxValidity"),
    TransactionExtension("SubtensorTransactionExtension"),
    TransactionExtension("DrandPriority"),
    TransactionExtension("CheckMetadataHash", explicit=MetadataHashMode, implicit=Option(Array(32, U8))),
))


@dataclass(frozen=True, slots=True)
class SignedData:
    """The signer part of a signed extrinsic."""

    address: Any  # MultiAddress value, e.g. ("Id", account_id)
    signature: Any  # MultiSignature value, e.g. ("Sr25519", sig64)
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class UncheckedExtrinsic:
    """A v4 extrinsic with its call kept as raw bytes (the runtime's call codec decodes it)."""

    call: bytes
    signed: SignedData | None = None
    #: Format version; bare (unsigned) extrinsics may be v4 or v5 (nodes author inherents as v5).
    version: int = EXTRINSIC_FORMAT_VERSION

    @property
    def is_signed(self) -> bool:
        return self.signed is not None


def signing_payload(call: bytes, explicit: bytes, implicit: bytes) -> bytes:
    """What the signer signs: the raw payload, or its blake2-256 if longer than 256 bytes."""
    payload = call + explicit + implicit
    return blake2_256(payload) if len(payload) > MAX_UNSIGNED_PAYLOAD else payload


def encode_extrinsic(xt: UncheckedExtrinsic, extensions: ExtensionSet = SUBTENSOR_EXTENSIONS) -> bytes:
    """Encode with the compact length prefix."""
    body = bytearray()
    if xt.signed is None:
        if xt.version not in BARE_VERSIONS:
            raise EncodeError(f"bare extrinsics are v4 or v5, not v{xt.version}")
        body.append(xt.version)
    else:
        body.append(EXTRINSIC_FORMAT_VERSION | SIGNED_FLAG)
        MultiAddress.encode_into(xt.signed.address, body)
        MultiSignature.encode_into(xt.signed.signature, body)
        body += extensions.encode_explicit(xt.signed.extra)
    body += xt.call
    out = bytearray()
    encode_compact(len(body), out)
    out += body
    return bytes(out)


def decode_extrinsic(
    data: bytes, extensions: ExtensionSet = SUBTENSOR_EXTENSIONS
) -> UncheckedExtrinsic:
    """Decode one length-prefixed extrinsic occupying all of ``data``."""
    try:
        length, pos = decode_compact(data, 0)
        if pos + length != len(data):
            raise DecodeError(f"extrinsic length prefix {length} does not match {len(data) - pos} bytes")
        version = data[pos]
        pos += 1
        # Accepted: bare v4/v5 and signed v4. General v5 (0x45) is not produced by subtensor clients.
        if version not in BARE_VERSIONS and version != EXTRINSIC_FORMAT_VERSION | SIGNED_FLAG:
            raise DecodeError(f"unsupported extrinsic version byte {version:#04x}")
        signed = None
        if version & SIGNED_FLAG:
            address, pos = MultiAddress.decode_at(data, pos)
            signature, pos = MultiSignature.decode_at(data, pos)
            extra, pos = extensions.decode_explicit(data, pos)
            signed = SignedData(address, signature, extra)
        call = data[pos:]
        if len(call) < 2:
            raise DecodeError("extrinsic has no call")
        return UncheckedExtrinsic(bytes(call), signed, version & 0x7F)
    except (IndexError, ValueError) as exc:
        if isinstance(exc, DecodeError):
            raise
        raise DecodeError(f"malformed extrinsic: {exc}") from exc


def extrinsic_hash(encoded: bytes) -> bytes:
    """The transaction hash: blake2-256 of the full encoding, length prefix included."""
    return blake2_256(encoded)


@dataclass(frozen=True, slots=True)
class ChainContext:
    """The chain facts a signer commits to through the implicit extension data."""

    spec_version: int
    transaction_version: int
    genesis_hash: bytes


def subtensor_extra(nonce: int, era: Era = Era(), tip: int = 0) -> dict[str, Any]:
    """Explicit extension values for subtensor (metadata hash disabled)."""
    return {"CheckMortality": era, "CheckNonce": nonce, "ChargeTransactionPayment": tip,
            "CheckMetadataHash": "Disabled"}


def subtensor_implicit(ctx: ChainContext, era_birth_hash: bytes | None = None) -> dict[str, Any]:
    """Implicit extension values; ``era_birth_hash`` defaults to the genesis hash (immortal era)."""
    return {
        "CheckSpecVersion": ctx.spec_version,
        "CheckTxVersion": ctx.transaction_version,
        "CheckGenesis": ctx.genesis_hash,
        "CheckMortality": era_birth_hash if era_birth_hash is not None else ctx.genesis_hash,
        "CheckMetadataHash": None,
    }


def build_signing_payload(
    call: bytes,
    extra: Mapping[str, Any],
    implicit: Mapping[str, Any],
    extensions: ExtensionSet = SUBTENSOR_EXTENSIONS,
) -> bytes:
    """The bytes a signer signs for ``call`` with these extension values."""
    return signing_payload(call, extensions.encode_explicit(extra), extensions.encode_implicit(implicit))

