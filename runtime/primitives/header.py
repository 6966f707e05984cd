"""Block headers, digests and blocks, byte-compatible with ``sp_runtime::generic``.

A header is ``parent_hash ++ Compact<u32> number ++ state_root ++ extrinsics_root ++ Vec<DigestItem>``;
the block hash is blake2-256 of the whole encoded header, seal included. Digest items are small frozen
dataclasses (:class:`PreRuntime`, :class:`Consensus`, :class:`Seal`, :class:`Other`,
:class:`RuntimeEnvironmentUpdated`) so consensus code can match on them.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Annotated, Any

from runtime.scale import (
    U8, U32, Array, CompactU32, Composite, Converted, Enum, FieldInfo, Vec, scale_struct, variant,
)
from runtime.primitives.hashing import blake2_256
from runtime.primitives.types import H256

ENGINE_ID = Array(4, U8)
_BYTES = Vec(U8)

AURA_ENGINE_ID = b"aura"
GRANDPA_ENGINE_ID = b"FRNK"


@dataclass(frozen=True, slots=True)
class PreRuntime:
    """A digest written by the block author before the runtime runs (e.g. the Aura slot)."""

    engine: bytes
    data: bytes


@dataclass(frozen=True, slots=True)
class Consensus:
    """A digest emitted by the runtime for the consensus engine (e.g. GRANDPA authority changes)."""

    engine: bytes
    data: bytes


@dataclass(frozen=True, slots=True)
class Seal:
    """The author's signature over the pre-seal header; always the last digest item."""

    engine: bytes
    data: bytes


@dataclass(frozen=True, slots=True)
class Other:
    """An opaque digest item."""

    data: bytes


@dataclass(frozen=True, slots=True)
class RuntimeEnvironmentUpdated:
    """Marks a block that changed the runtime code or heap pages."""


DigestItemValue = PreRuntime | Consensus | Seal | Other | RuntimeEnvironmentUpdated

_DIGEST_ITEM_ENUM = Enum(
    "sp_runtime::generic::digest::DigestItem",
    [
        variant("PreRuntime", 6, [(None, ENGINE_ID, "ConsensusEngineId"), (None, _BYTES, "Vec<u8>")]),
        variant("Consensus", 4, [(None, ENGINE_ID, "ConsensusEngineId"), (None, _BYTES, "Vec<u8>")]),
        variant("Seal", 5, [(None, ENGINE_ID, "ConsensusEngineId"), (None, _BYTES, "Vec<u8>")]),
        variant("Other", 0, [(None, _BYTES, "Vec<u8>")]),
        variant("RuntimeEnvironmentUpdated", 8),
    ],
)

_ENGINE_ITEMS: dict[str, type] = {"PreRuntime": PreRuntime, "Consensus": Consensus, "Seal": Seal}


def _digest_item_to_python(value: Any) -> DigestItemValue:
    if value == "RuntimeEnvironmentUpdated":
        return RuntimeEnvironmentUpdated()
    name, payload = value
    if name == "Other":
        return Other(payload)
    engine, data = payload
    return _ENGINE_ITEMS[name](engine, data)  # type: ignore[no-any-return]


def _digest_item_from_python(item: DigestItemValue) -> Any:
    if isinstance(item, RuntimeEnvironmentUpdated):
        return "RuntimeEnvironmentUpdated"
    if isinstance(item, Other):
        return ("Other", item.data)
    return (type(item).__name__, (item.engine, item.data))


DigestItem = Converted(_DIGEST_ITEM_ENUM, _digest_item_to_python, _digest_item_from_python, "DigestItem")
_DIGEST_COMPOSITE = Composite(
    "sp_runtime::generic::digest::Digest", [FieldInfo("logs", Vec(DigestItem), "Vec<DigestItem>")]
)
# Values are tuples of digest items (the composite's single ``logs`` field, unwrapped).
Digest = Converted(
    _DIGEST_COMPOSITE, lambda d: tuple(d["logs"]), lambda logs: {"logs": list(logs)}, "Digest"
)
BlakeTwo256 = Composite("sp_runtime::traits::BlakeTwo256", ())


@scale_struct(
    "sp_runtime::generic::header::Header",
    params=[("Number", U32), ("Hash", None)],  # the hasher parameter is erased in metadata
)
@dataclass(frozen=True, slots=True)
class Header:
    """A block header; ``digest`` is a tuple of digest items."""

    parent_hash: Annotated[bytes, H256, "Hash::Output"]
    number: Annotated[int, CompactU32, "Number"]
    state_root: Annotated[bytes, H256, "Hash::Output"]
    extrinsics_root: Annotated[bytes, H256, "Hash::Output"]
    digest: Annotated[tuple[DigestItemValue, ...], Digest, "Digest"] = ()

    @property
    def logs(self) -> list[DigestItemValue]:
        return list(self.digest)

    def encode(self) -> bytes:
        return Header.SCALE.encode(self)  # type: ignore[attr-defined, no-any-return]

    @staticmethod
    def decode(data: bytes) -> Header:
        return Header.SCALE.decode(data)  # type: ignore[attr-defined, no-any-return]

    @property
    def hash(self) -> bytes:
        """blake2-256 of the encoded header (the block hash)."""
        return blake2_256(self.encode())

    def with_logs(self, logs: list[DigestItemValue]) -> Header:
        return replace(self, digest=tuple(logs))

    def without_seal(self) -> tuple[Header, Seal | None]:
        """Split off a trailing seal: returns the pre-seal header and the seal (or None)."""
        logs = self.logs
        if logs and isinstance(logs[-1], Seal):
            return self.with_logs(logs[:-1]), logs[-1]  # type: ignore[return-value]
        return self, None


def header_from_json(obj: dict[str, Any]) -> Header:
    """Build a header from its JSON-RPC form (``parentHash``, hex ``number``, ``digest.logs``)."""
    number = obj["number"]
    logs = [DigestItem.decode(bytes.fromhex(log.removeprefix("0x"))) for log in obj["digest"]["logs"]]
    return Header(
        parent_hash=bytes.fromhex(obj["parentHash"].removeprefix("0x")),
        number=int(number, 16) if isinstance(number, str) else int(number),
        state_root=bytes.fromhex(obj["stateRoot"].removeprefix("0x")),
        extrinsics_root=bytes.fromhex(obj["extrinsicsRoot"].removeprefix("0x")),
        digest=tuple(logs),
    )


def header_to_json(header: Header) -> dict[str, Any]:
    """The JSON-RPC form of a header."""
    return {
        "parentHash": "0x" + header.parent_hash.hex(),
        "number": hex(header.number),
        "stateRoot": "0x" + header.state_root.hex(),
        "extrinsicsRoot": "0x" + header.extrinsics_root.hex(),
        "digest": {"logs": ["0x" + DigestItem.encode(item).hex() for item in header.logs]},
    }
