"""Build runtime metadata V14/V15 from the runtime's own declarations.

Types are registered in the order FRAME registers them (scale-info numbers a type when it first meets
it, pre-order): for V14 the pallets in index order — per pallet its storage entries (a map's key before
its value), call enum, event enum, constants, error enum — then the extrinsic type and each extension's
``ty`` and ``additional_signed``, then the ``Runtime`` type. V15 registers the pallets the same way, then
the extrinsic's address, call, signature and extra types and the extensions, the ``Runtime`` type, the
runtime API parameter and output types, and the outer call, event and error enums.

Metadata is immutable for a runtime, so each blob is built once per :class:`Runtime` object.
"""

from __future__ import annotations

import threading
import weakref
from typing import TYPE_CHECKING, Any

from runtime.metadata import format as fmt
from runtime.metadata.extrinsic import RuntimeType, ExtrinsicTypes, extrinsic_types
from runtime.scale import PortableRegistry

if TYPE_CHECKING:
    from runtime.construct import Runtime
    from runtime.support.pallet import Pallet
    from runtime.support.storage import StorageEntry

EXTRINSIC_VERSION = 4
SUPPORTED_VERSIONS = (14, 15)


# -- pallets ----------------------------------------------------------------------------------------


def _storage_entry(registry: PortableRegistry, entry: StorageEntry) -> dict[str, Any]:
    key = entry.key_codec
    if key is None:
        ty: Any = ("Plain", registry.register(entry.value))
    else:
        key_id = registry.register(key)
        ty = ("Map", {"hashers": [hasher.name for hasher, _ in entry.keys], "key": key_id,
                      "value": registry.register(entry.value)})
    return {"name": entry.name, "modifier": "Optional" if entry.is_optional else "Default", "ty": ty,
            "default": entry.default_bytes, "docs": list(entry.docs)}


def _pallet(registry: PortableRegistry, index: int, pallet: Pallet, with_docs: bool) -> dict[str, Any]:
    storage = None
    if pallet.storage is not None and pallet.storage.items:
        storage = {"prefix": pallet.storage.pallet,
                   "entries": [_storage_entry(registry, e) for e in pallet.storage.items]}
    calls = None
    if pallet.calls is not None and pallet.calls.by_index:
        calls = {"ty": registry.register(pallet.calls.codec)}
    event = None
    if pallet.events is not None and pallet.events.events:
        event = {"ty": registry.register(pallet.events.codec)}
    constants = [{"name": c.name, "ty": registry.register(c.codec), "value": c.encoded(), "docs": list(c.docs)}
                 for c in pallet.constants]
    error = None
    if pallet.errors is not None and pallet.errors.names:
        error = {"ty": registry.register(pallet.errors.codec)}
    result = {"name": pallet.name, "storage": storage, "calls": calls, "event": event, "constants": constants,
              "error": error, "index": index}
    if with_docs:
        result["docs"] = list(pallet.docs)
    return result


def _pallets(registry: PortableRegistry, runtime: Runtime, with_docs: bool) -> list[dict[str, Any]]:
    return [_pallet(registry, index, pallet, with_docs)
            for index, pallet in sorted(runtime.pallets, key=lambda p: p[0])]


def _extensions(registry: PortableRegistry, types: ExtrinsicTypes) -> list[dict[str, Any]]:
    out = []
    for identifier, ty, additional in types.extensions:
        ty_id = registry.register(ty)
        out.append({"identifier": identifier, "ty": ty_id, "additional_signed": registry.register(additional)})
    return out


# -- the versions -----------------------------------------------------------------------------------


def _v14(runtime: Runtime, types: ExtrinsicTypes) -> bytes:
    registry = PortableRegistry()
    pallets = _pallets(registry, runtime, with_docs=False)
    extrinsic = {"ty": registry.register(types.unchecked_extrinsic), "version": EXTRINSIC_VERSION,
                 "signed_extensions": _extensions(registry, types)}
    ty = registry.register(RuntimeType)
    return fmt.encode_prefixed(14, registry.encode(), {"pallets": pallets, "extrinsic": extrinsic, "ty": ty})


def _apis(registry: PortableRegistry) -> list[dict[str, Any]]:
    from runtime.apis import load_all

    apis = []
    for api in load_all().values():
        methods = []
        for method in api.methods.values():
            inputs = [{"name": f.name or "", "ty": registry.register(f.type)} for f in method.inputs]
            methods.append({"name": method.name, "inputs": inputs, "output": registry.register(method.output),
                            "docs": list(method.docs)})
        apis.append({"name": api.name, "methods": methods, "docs": list(api.docs)})
    return apis


def _v15(runtime: Runtime, types: ExtrinsicTypes) -> bytes:
    registry = PortableRegistry()
    pallets = _pallets(registry, runtime, with_docs=True)
    extrinsic = {"version": EXTRINSIC_VERSION,
                 "address_ty": registry.register(types.address), "call_ty": registry.register(types.call),
                 "signature_ty": registry.register(types.signature), "extra_ty": registry.register(types.extra),
                 "signed_extensions": _extensions(registry, types)}
    ty = registry.register(RuntimeType)
    apis = _apis(registry)
    outer_enums = {"call_enum_ty": registry.register(runtime.call_codec),
                   "event_enum_ty": registry.register(runtime.event_codec),
                   "module_error_enum_ty": registry.register(runtime.error_codec)}
    return fmt.encode_prefixed(15, registry.encode(), {
        "pallets": pallets, "extrinsic": extrinsic, "ty": ty, "apis": apis, "outer_enums": outer_enums,
        "custom": {"map": {}}})


# -- cache ------------------------------------------------------------------------------------------

_BUILDERS = {14: _v14, 15: _v15}
_lock = threading.RLock()
# id(runtime) -> (weak reference to it, its extrinsic types, {version: blob})
_cache: dict[int, tuple[weakref.ref[Any], ExtrinsicTypes, dict[int, bytes]]] = {}


def _entry(runtime: Runtime) -> tuple[ExtrinsicTypes, dict[int, bytes]]:
    key = id(runtime)
    hit = _cache.get(key)
    if hit is not None and hit[0]() is runtime:
        return hit[1], hit[2]
    types = extrinsic_types(runtime.call_codec, runtime.extensions)
    blobs: dict[int, bytes] = {}
    _cache[key] = (weakref.ref(runtime, lambda _, key=key: _cache.pop(key, None)), types, blobs)
    return types, blobs


def runtime_extrinsic_types(runtime: Runtime) -> ExtrinsicTypes:
    """The runtime's extrinsic types (one set of codec objects per runtime, shared by V14 and V15)."""
    with _lock:
        return _entry(runtime)[0]


def metadata_versions() -> list[int]:
    """The metadata versions this runtime can produce (``Metadata_metadata_versions``)."""
    return list(SUPPORTED_VERSIONS)


def metadata_at_version(runtime: Runtime, version: int) -> bytes | None:
    """The prefixed metadata of ``version``, or None if that version is not supported."""
    if version not in _BUILDERS:
        return None
    with _lock:
        types, blobs = _entry(runtime)
        blob = blobs.get(version)
        if blob is None:
            with runtime.bound():  # Utility's and Sudo's RuntimeCall arguments must be this runtime's
                blob = blobs[version] = _BUILDERS[version](runtime, types)
        return blob


def build_v14(runtime: Runtime) -> bytes:
    """``RuntimeMetadataPrefixed`` V14 (b"meta" + 0x0e + RuntimeMetadataV14) of ``runtime``."""
    blob = metadata_at_version(runtime, 14)
    assert blob is not None
    return blob


def build_v15(runtime: Runtime) -> bytes:
    """``RuntimeMetadataPrefixed`` V15 (b"meta" + 0x0f + RuntimeMetadataV15) of ``runtime``."""
    blob = metadata_at_version(runtime, 15)
    assert blob is not None
    return blob


def opaque_metadata(runtime: Runtime) -> bytes:
    """What ``Metadata_metadata`` returns: the V14 blob as ``OpaqueMetadata`` (SCALE ``Vec<u8>``)."""
    return fmt.OpaqueMetadata.encode(build_v14(runtime))


def opaque_metadata_at_version(runtime: Runtime, version: int) -> bytes:
    """What ``Metadata_metadata_at_version`` returns: ``Option<OpaqueMetadata>``."""
    from runtime.scale import Option

    return Option(fmt.OpaqueMetadata).encode(metadata_at_version(runtime, version))
