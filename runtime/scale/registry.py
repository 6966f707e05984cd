"""The portable type registry: codec types numbered the way scale-info numbers them.

Registering a type reserves its id before its components are visited (pre-order), as scale-info does,
so recursive types work and ids follow first use. The registry encodes itself in the portable form that
runtime metadata V14/V15 embeds (``Vec<PortableType>``), and renders a JSON form for diffs and docs.
"""

from __future__ import annotations

from typing import Any

from runtime.scale.base import ScaleType
from runtime.scale.info import (
    PRIMITIVE_INDEX, DefArray, DefBitSequence, DefComposite, DefCompact, DefPrimitive, DefSequence, DefTuple,
    DefVariant, FieldInfo, TypeInfo,
)
from runtime.scale.primitives import Str, encode_compact


class PortableRegistry:
    """Numbers codec types and their components; see the module docstring."""

    def __init__(self) -> None:
        self._ids: dict[ScaleType, int] = {}
        self._infos: list[TypeInfo] = []

    def __len__(self) -> int:
        return len(self._infos)

    def register(self, codec: ScaleType) -> int:
        """Return the id of ``codec``, registering it (and everything it refers to) if new."""
        key = codec.registry_key()
        existing = self._ids.get(key)
        if existing is not None:
            return existing
        type_id = len(self._infos)
        self._ids[key] = type_id
        info = key.type_info()
        self._infos.append(info)
        for component in _components(info):
            self.register(component)
        return type_id

    def id_of(self, codec: ScaleType) -> int:
        """The id of an already registered codec (KeyError if it was never registered)."""
        return self._ids[codec.registry_key()]

    def info(self, type_id: int) -> TypeInfo:
        return self._infos[type_id]

    def encode(self) -> bytes:
        """The SCALE encoding of ``PortableRegistry { types: Vec<PortableType> }``."""
        out = bytearray()
        encode_compact(len(self._infos), out)
        for type_id, info in enumerate(self._infos):
            encode_compact(type_id, out)
            self._encode_type(info, out)
        return bytes(out)

    def to_json(self) -> list[dict[str, Any]]:
        """A JSON-friendly rendering close to polkadot.js / scalecodec's view of the registry."""
        return [{"id": i, "type": self._type_json(info)} for i, info in enumerate(self._infos)]

    # -- encoding -------------------------------------------------------------------------------------

    def _encode_type(self, info: TypeInfo, out: bytearray) -> None:
        _encode_strings(info.path, out)
        encode_compact(len(info.params), out)
        for param in info.params:
            Str.encode_into(param.name, out)
            if param.type is None:
                out.append(0)
            else:
                out.append(1)
                encode_compact(self.id_of(param.type), out)
        self._encode_def(info.definition, out)
        _encode_strings(info.docs, out)

    def _encode_fields(self, fields: tuple[FieldInfo, ...], out: bytearray) -> None:
        encode_compact(len(fields), out)
        for f in fields:
            _encode_optional_str(f.name, out)
            encode_compact(self.id_of(f.type), out)
            _encode_optional_str(f.type_name, out)
            _encode_strings(f.docs, out)

    def _encode_def(self, definition: Any, out: bytearray) -> None:
        if isinstance(definition, DefComposite):
            out.append(0)
            self._encode_fields(definition.fields, out)
        elif isinstance(definition, DefVariant):
            out.append(1)
            encode_compact(len(definition.variants), out)
            for v in definition.variants:
                Str.encode_into(v.name, out)
                self._encode_fields(v.fields, out)
                out.append(v.index)
                _encode_strings(v.docs, out)
        elif isinstance(definition, DefSequence):
            out.append(2)
            encode_compact(self.id_of(definition.type), out)
        elif isinstance(definition, DefArray):
            out.append(3)
            out += definition.length.to_bytes(4, "little")
            encode_compact(self.id_of(definition.type), out)
        elif isinstance(definition, DefTuple):
            out.append(4)
            encode_compact(len(definition.types), out)
            for t in definition.types:
                encode_compact(self.id_of(t), out)
        elif isinstance(definition, DefPrimitive):
            out.append(5)
            out.append(PRIMITIVE_INDEX[definition.name])
        elif isinstance(definition, DefCompact):
            out.append(6)
            encode_compact(self.id_of(definition.type), out)
        elif isinstance(definition, DefBitSequence):
            out.append(7)
            encode_compact(self.id_of(definition.store), out)
            encode_compact(self.id_of(definition.order), out)
        else:  # pragma: no cover - exhaustive over TypeDef
            raise TypeError(f"unknown type definition {definition!r}")

    # -- JSON -----------------------------------------------------------------------------------------

    def _fields_json(self, fields: tuple[FieldInfo, ...]) -> list[dict[str, Any]]:
        return [
            {"name": f.name, "type": self.id_of(f.type), "typeName": f.type_name, "docs": list(f.docs)}
            for f in fields
        ]

    def _type_json(self, info: TypeInfo) -> dict[str, Any]:
        d = info.definition
        if isinstance(d, DefComposite):
            definition: dict[str, Any] = {"composite": {"fields": self._fields_json(d.fields)}}
        elif isinstance(d, DefVariant):
            definition = {"variant": {"variants": [
                {"name": v.name, "fields": self._fields_json(v.fields), "index": v.index, "docs": list(v.docs)}
                for v in d.variants
            ]}}
        elif isinstance(d, DefSequence):
            definition = {"sequence": {"type": self.id_of(d.type)}}
        elif isinstance(d, DefArray):
            definition = {"array": {"len": d.length, "type": self.id_of(d.type)}}
        elif isinstance(d, DefTuple):
            definition = {"tuple": [self.id_of(t) for t in d.types]}
        elif isinstance(d, DefPrimitive):
            definition = {"primitive": d.name}
        elif isinstance(d, DefCompact):
            definition = {"compact": {"type": self.id_of(d.type)}}
        else:
            definition = {"bitsequence": {"bitStoreType": self.id_of(d.store),
                                          "bitOrderType": self.id_of(d.order)}}
        return {
            "path": list(info.path),
            "params": [{"name": p.name, "type": None if p.type is None else self.id_of(p.type)}
                       for p in info.params],
            "def": definition,
            "docs": list(info.docs),
        }


def _components(info: TypeInfo) -> list[ScaleType]:
    """The types a description refers to, in the order scale-info visits them."""
    found: list[ScaleType] = [p.type for p in info.params if p.type is not None]
    d = info.definition
    if isinstance(d, DefComposite):
        found += [f.type for f in d.fields]
    elif isinstance(d, DefVariant):
        found += [f.type for v in d.variants for f in v.fields]
    elif isinstance(d, (DefSequence, DefArray, DefCompact)):
        found.append(d.type)
    elif isinstance(d, DefTuple):
        found += list(d.types)
    elif isinstance(d, DefBitSequence):
        found += [d.store, d.order]
    return found


def _encode_strings(strings: tuple[str, ...], out: bytearray) -> None:
    encode_compact(len(strings), out)
    for s in strings:
        Str.encode_into(s, out)


def _encode_optional_str(value: str | None, out: bytearray) -> None:
    if value is None:
        out.append(0)
    else:
        out.append(1)
        Str.encode_into(value, out)
