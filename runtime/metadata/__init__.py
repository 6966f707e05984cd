"""Runtime metadata (frame-metadata V14 and V15), built from the runtime's own declarations.

Nothing here is hand-written metadata: the portable type registry, pallets (storage, calls, events,
constants, errors), the extrinsic and its extensions, the runtime APIs and the outer enums all come from
the :class:`runtime.construct.Runtime` and the declarations it is assembled from::

    from runtime.metadata import build_v14, build_v15
    from runtime.node_runtime import node_runtime

    blob = build_v14(node_runtime())   # b"meta\\x0e…", what state_getMetadata returns

:mod:`runtime.metadata.format` declares the wire format itself (and decodes any V14/V15 blob).
"""

from runtime.metadata.build import (
    SUPPORTED_VERSIONS, build_v14, build_v15, metadata_at_version, metadata_versions, opaque_metadata,
    opaque_metadata_at_version, runtime_extrinsic_types,
)
from runtime.metadata.format import OpaqueMetadata, decode_prefixed

__all__ = [
    "OpaqueMetadata", "SUPPORTED_VERSIONS", "build_v14", "build_v15", "decode_prefixed", "metadata_at_version",
    "metadata_versions", "opaque_metadata", "opaque_metadata_at_version", "runtime_extrinsic_types",
]
