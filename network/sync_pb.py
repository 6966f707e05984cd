"""The ``api.v1`` protobuf messages of ``/{genesis}/sync/2`` (Substrate's ``schema/api.v1.proto``).

The message classes are built at import time from a descriptor assembled with ``descriptor_pb2``, so the wire
encoding is protobuf's own (no generated code to vendor, no hand-rolled varints)::

    enum Direction { Ascending = 0; Descending = 1; }
    message BlockRequest  { uint32 fields = 1; oneof from_block { bytes hash = 2; bytes number = 3; }
                            Direction direction = 5; uint32 max_blocks = 6;
                            bool support_multiple_justifications = 7; }
    message BlockResponse { repeated BlockData blocks = 1; }
    message BlockData     { bytes hash = 1; bytes header = 2; repeated bytes body = 3; bytes receipt = 4;
                            bytes message_queue = 5; bytes justification = 6; bool is_empty_justification = 7;
                            bytes justifications = 8; repeated bytes indexed_body = 9; }
"""

from __future__ import annotations

from typing import Any

from google.protobuf import descriptor_pb2, descriptor_pool, message_factory

_F = descriptor_pb2.FieldDescriptorProto


def _field(
    message: Any, name: str, number: int, kind: int, *, repeated: bool = False, type_name: str = "",
    oneof: int | None = None,
) -> None:
    proto = message.field.add()
    proto.name = name
    proto.number = number
    proto.type = kind
    proto.label = _F.LABEL_REPEATED if repeated else _F.LABEL_OPTIONAL
    if type_name:
        proto.type_name = type_name
    if oneof is not None:
        proto.oneof_index = oneof


def _file_descriptor() -> descriptor_pb2.FileDescriptorProto:
    file = descriptor_pb2.FileDescriptorProto(name="pysubtensor/api.v1.proto", package="api.v1", syntax="proto3")
    direction = file.enum_type.add(name="Direction")
    direction.value.add(name="Ascending", number=0)
    direction.value.add(name="Descending", number=1)

    request = file.message_type.add(name="BlockRequest")
    request.oneof_decl.add(name="from_block")
    _field(request, "fields", 1, _F.TYPE_UINT32)
    _field(request, "hash", 2, _F.TYPE_BYTES, oneof=0)
    _field(request, "number", 3, _F.TYPE_BYTES, oneof=0)
    _field(request, "direction", 5, _F.TYPE_ENUM, type_name=".api.v1.Direction")
    _field(request, "max_blocks", 6, _F.TYPE_UINT32)
    _field(request, "support_multiple_justifications", 7, _F.TYPE_BOOL)

    response = file.message_type.add(name="BlockResponse")
    _field(response, "blocks", 1, _F.TYPE_MESSAGE, repeated=True, type_name=".api.v1.BlockData")

    data = file.message_type.add(name="BlockData")
    _field(data, "hash", 1, _F.TYPE_BYTES)
    _field(data, "header", 2, _F.TYPE_BYTES)
    _field(data, "body", 3, _F.TYPE_BYTES, repeated=True)
    _field(data, "receipt", 4, _F.TYPE_BYTES)
    _field(data, "message_queue", 5, _F.TYPE_BYTES)
    _field(data, "justification", 6, _F.TYPE_BYTES)
    _field(data, "is_empty_justification", 7, _F.TYPE_BOOL)
    _field(data, "justifications", 8, _F.TYPE_BYTES)
    _field(data, "indexed_body", 9, _F.TYPE_BYTES, repeated=True)
    return file


# A private pool, so the names cannot clash with another copy of api.v1 loaded into the default pool.
_POOL = descriptor_pool.DescriptorPool()
_POOL.Add(_file_descriptor())

BlockRequest: Any = message_factory.GetMessageClass(_POOL.FindMessageTypeByName("api.v1.BlockRequest"))
BlockResponse: Any = message_factory.GetMessageClass(_POOL.FindMessageTypeByName("api.v1.BlockResponse"))
BlockDataMessage: Any = message_factory.GetMessageClass(_POOL.FindMessageTypeByName("api.v1.BlockData"))

DIRECTION_ASCENDING = 0
DIRECTION_DESCENDING = 1
