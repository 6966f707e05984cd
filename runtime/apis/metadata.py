"""The ``Metadata`` runtime API (version 2): the runtime's metadata as V14 and V15.

Implementations receive the executive's environment first and use its ``runtime``.
"""

from __future__ import annotations

from typing import Any

from runtime.apis import runtime_api
from runtime.metadata.format import OpaqueMetadata
from runtime.scale import U32, Option, Vec

Metadata = runtime_api("Metadata", 2, docs=[" The `Metadata` api trait that returns metadata for the runtime."])


@Metadata.method("metadata", [], OpaqueMetadata, docs=[" Returns the metadata of a runtime."])
def metadata(env: Any) -> bytes:
    from runtime.metadata import build_v14

    return build_v14(env.runtime)


@Metadata.method("metadata_at_version", [("version", U32)], Option(OpaqueMetadata), docs=[
    " Returns the metadata at a given version.",
    "",
    " If the given `version` isn't supported, this will return `None`.",
    " Use [`Self::metadata_versions`] to find out about supported metadata version of the runtime.",
])
def metadata_at_version(env: Any, version: int) -> bytes | None:
    from runtime.metadata import metadata_at_version as at_version

    return at_version(env.runtime, version)


@Metadata.method("metadata_versions", [], Vec(U32), docs=[
    " Returns the supported metadata versions.",
    "",
    " This can be used to call `metadata_at_version`.",
])
def metadata_versions(env: Any) -> list[int]:
    from runtime.metadata import metadata_versions as versions

    return versions()
