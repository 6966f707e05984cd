"""The runtime version (``sp_version::RuntimeVersion``) and its SCALE codec.

``spec_version``/``transaction_version`` follow the recorded localnet (spec 461, tx 1). The API list is
derived from the runtime APIs this runtime actually implements (:mod:`runtime.apis`), each as
``(blake2_64(trait name), version)``.
"""

from __future__ import annotations

from typing import Any

from runtime.primitives.types import Cow, CowStr
from runtime.scale import U8, U32, Composite, FieldInfo, FixedBytes, Tuple, Vec

SPEC_NAME = "node-subtensor"
IMPL_NAME = "node-subtensor"
AUTHORING_VERSION = 1
SPEC_VERSION = 461
IMPL_VERSION = 1
TRANSACTION_VERSION = 1
SYSTEM_VERSION = 1  # state version 1 for storage; extrinsics root stays V0 below system_version 2

ApisVec = Cow(Vec(Tuple(FixedBytes(8), U32)))
RuntimeVersionCodec = Composite("sp_version::RuntimeVersion", [
    FieldInfo("spec_name", CowStr, "Cow<'static, str>"),
    FieldInfo("impl_name", CowStr, "Cow<'static, str>"),
    FieldInfo("authoring_version", U32, "u32"),
    FieldInfo("spec_version", U32, "u32"),
    FieldInfo("impl_version", U32, "u32"),
    FieldInfo("apis", ApisVec, "ApisVec"),
    FieldInfo("transaction_version", U32, "u32"),
    FieldInfo("system_version", U8, "u8"),
])


def api_id(trait_name: str) -> bytes:
    """The 8-byte id of a runtime API trait: blake2b-64 of its name."""
    import hashlib

    return hashlib.blake2b(trait_name.encode(), digest_size=8).digest()


def runtime_version() -> dict[str, Any]:
    """The RuntimeVersion value (a dict for :data:`RuntimeVersionCodec`)."""
    from runtime.apis import declared_apis

    return {
        "spec_name": SPEC_NAME, "impl_name": IMPL_NAME, "authoring_version": AUTHORING_VERSION,
        "spec_version": SPEC_VERSION, "impl_version": IMPL_VERSION,
        "apis": [(api_id(name), version) for name, version in declared_apis()],
        "transaction_version": TRANSACTION_VERSION, "system_version": SYSTEM_VERSION,
    }


__all__ = ["RuntimeVersionCodec", "api_id", "runtime_version"]
