"""Named types: composites (structs and tuple structs), enums, and value adaptors.

* :class:`Composite` — a struct-like type whose values are plain Python values: the inner value for a
  single unnamed field (newtypes such as ``AccountId32``), a tuple for several unnamed fields, a dict for
  named fields, ``None`` for no fields.
* :func:`scale_struct` — declares a composite on a frozen dataclass, reading each field's codec from an
  ``Annotated[<py type>, <codec>, "<rust type name>"]`` annotation (or the field's class if it carries
  a codec itself). Values are instances of that dataclass.
* :class:`Enum` — a Rust enum. Values: a unit variant is its name (``"Normal"``); a variant with one
  unnamed field is ``(name, value)``; with several unnamed fields ``(name, (v1, v2…))``; with named fields
  ``(name, {field: value})``.
* :class:`Converted` — the same wire format and type description as a base codec, with values converted
  to and from a richer Python representation.
"""

from __future__ import annotations

import dataclasses
import typing
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from runtime.scale.base import ScaleType
from runtime.scale.errors import DecodeError, EncodeError
from runtime.scale.info import DefComposite, DefVariant, FieldInfo, TypeInfo, TypeParam, VariantInfo

C = TypeVar("C")

FieldSpec = FieldInfo | tuple[str | None, ScaleType] | tuple[str | None, ScaleType, str | None]


def _path(path: str | Sequence[str]) -> tuple[str, ...]:
    return tuple(path.split("::")) if isinstance(path, str) else tuple(path)


def _fields(fields: Sequence[FieldSpec]) -> tuple[FieldInfo, ...]:
    result = []
    for spec in fields:
        if isinstance(spec, FieldInfo):
            result.append(spec)
        elif len(spec) == 2:
            result.append(FieldInfo(spec[0], spec[1]))
        else:
            result.append(FieldInfo(spec[0], spec[1], spec[2]))
    return tuple(result)


def _params(params: Sequence[TypeParam | tuple[str, ScaleType | None]]) -> tuple[TypeParam, ...]:
    return tuple(p if isinstance(p, TypeParam) else TypeParam(p[0], p[1]) for p in params)


class Composite(ScaleType):
    """A struct or tuple struct with plain-value representation (see module docstring)."""

    __slots__ = ("path", "fields", "params", "docs", "_codecs", "_names", "_shape")

    def __init__(
        self,
        path: str | Sequence[str],
        fields: Sequence[FieldSpec],
        params: Sequence[TypeParam | tuple[str, ScaleType | None]] = (),
        docs: Sequence[str] = (),
    ) -> None:
        self.path = _path(path)
        self.fields = _fields(fields)
        self.params = _params(params)
        self.docs = tuple(docs)
        self._codecs = tuple(f.type for f in self.fields)
        self._names = tuple(f.name for f in self.fields)
        named = [n is not None for n in self._names]
        if any(named) and not all(named):
            raise ValueError("a composite's fields are either all named or all unnamed")
        if not self.fields:
            self._shape = "unit"
        elif named[0]:
            self._shape = "named"
        elif len(self.fields) == 1:
            self._shape = "newtype"
        else:
            self._shape = "tuple"

    @property
    def min_size(self) -> int:  # type: ignore[override]
        return sum(c.min_size for c in self._codecs)

    def encode_into(self, value: Any, out: bytearray) -> None:
        shape = self._shape
        if shape == "newtype":
            self._codecs[0].encode_into(value, out)
        elif shape == "named":
            for name, codec in zip(self._names, self._codecs):
                codec.encode_into(value[name], out)
        elif shape == "tuple":
            if len(value) != len(self._codecs):
                raise EncodeError(f"{self!r} expects {len(self._codecs)} fields")
            for codec, item in zip(self._codecs, value):
                codec.encode_into(item, out)

    def decode_at(self, data: bytes, pos: int) -> tuple[Any, int]:
        shape = self._shape
        if shape == "newtype":
            return self._codecs[0].decode_at(data, pos)
        if shape == "unit":
            return None, pos
        items = []
        for codec in self._codecs:
            item, pos = codec.decode_at(data, pos)
            items.append(item)
        if shape == "named":
            return dict(zip(self._names, items)), pos  # type: ignore[arg-type]
        return tuple(items), pos

    def type_info(self) -> TypeInfo:
        return TypeInfo(DefComposite(self.fields), self.path, self.params, self.docs)

    def __repr__(self) -> str:
        return "::".join(self.path) or "<composite>"


class Struct(ScaleType):
    """A composite whose values are instances of a (frozen) dataclass; built by :func:`scale_struct`."""

    __slots__ = ("cls", "path", "fields", "params", "docs", "_codecs", "_names")

    def __init__(
        self,
        cls: type,
        fields: Sequence[FieldInfo],
        path: Sequence[str],
        params: Sequence[TypeParam] = (),
        docs: Sequence[str] = (),
    ) -> None:
        self.cls = cls
        self.fields = tuple(fields)
        self.path = tuple(path)
        self.params = tuple(params)
        self.docs = tuple(docs)
        self._codecs = tuple(f.type for f in self.fields)
        self._names = tuple(f.name for f in self.fields)

    @property
    def min_size(self) -> int:  # type: ignore[override]
        return sum(c.min_size for c in self._codecs)

    def encode_into(self, value: Any, out: bytearray) -> None:
        if not isinstance(value, self.cls):
            raise EncodeError(f"{self!r} expects a {self.cls.__name__}, got {type(value).__name__}")
        for name, codec in zip(self._names, self._codecs):
            codec.encode_into(getattr(value, name), out)  # type: ignore[arg-type]

    def decode_at(self, data: bytes, pos: int) -> tuple[Any, int]:
        items = []
        for codec in self._codecs:
            item, pos = codec.decode_at(data, pos)
            items.append(item)
        return self.cls(*items), pos

    def type_info(self) -> TypeInfo:
        return TypeInfo(DefComposite(self.fields), self.path, self.params, self.docs)

    def __repr__(self) -> str:
        return "::".join(self.path) or self.cls.__name__


def codec_of(annotation: Any) -> tuple[ScaleType, str | None]:
    """Find the codec (and optional Rust type name) carried by a field annotation."""
    if typing.get_origin(annotation) is typing.Annotated:
        codec = next((a for a in annotation.__metadata__ if isinstance(a, ScaleType)), None)
        type_name = next((a for a in annotation.__metadata__ if isinstance(a, str)), None)
        if codec is not None:
            return codec, type_name
        annotation = typing.get_args(annotation)[0]
    codec = getattr(annotation, "SCALE", None)
    if isinstance(codec, ScaleType):
        return codec, None
    raise TypeError(f"no SCALE codec in annotation {annotation!r}")


def scale_struct(
    path: str | Sequence[str],
    params: Sequence[tuple[str, ScaleType | None]] = (),
    docs: Sequence[str] | None = None,
) -> Callable[[type[C]], type[C]]:
    """Class decorator: attach a :class:`Struct` codec as ``cls.SCALE`` to a dataclass.

    Field docs come from ``dataclasses.field(metadata={"docs": (...)})``; a ``"type_name"`` entry there
    overrides the name given in the annotation.
    """

    def attach(cls: type[C]) -> type[C]:
        hints = typing.get_type_hints(cls, include_extras=True)
        infos = []
        for f in dataclasses.fields(cls):  # type: ignore[arg-type]
            codec, type_name = codec_of(hints[f.name])
            type_name = f.metadata.get("type_name", type_name)
            infos.append(FieldInfo(f.name, codec, type_name, tuple(f.metadata.get("docs", ()))))
        type_docs = tuple(docs) if docs is not None else ()
        cls.SCALE = Struct(cls, infos, _path(path), _params(params), type_docs)  # type: ignore[attr-defined]
        return cls

    return attach


def variant(
    name: str, index: int, fields: Sequence[FieldSpec] = (), docs: Sequence[str] = ()
) -> VariantInfo:
    """Shorthand for a :class:`VariantInfo`."""
    return VariantInfo(name, _fields(fields), index, tuple(docs))


class Enum(ScaleType):
    """A Rust enum (see the module docstring for the value convention)."""

    __slots__ = ("path", "variants", "params", "docs", "_by_index", "_by_name")

    def __init__(
        self,
        path: str | Sequence[str],
        variants: Sequence[VariantInfo],
        params: Sequence[TypeParam | tuple[str, ScaleType | None]] = (),
        docs: Sequence[str] = (),
    ) -> None:
        self.path = _path(path)
        self.variants = tuple(variants)
        self.params = _params(params)
        self.docs = tuple(docs)
        self._by_index: dict[int, tuple[VariantInfo, str]] = {}
        self._by_name: dict[str, tuple[VariantInfo, str]] = {}
        for v in self.variants:
            if v.index in self._by_index or v.name in self._by_name:
                raise ValueError(f"duplicate variant {v.name}/{v.index} in {self!r}")
            if not v.fields:
                shape = "unit"
            elif v.fields[0].name is not None:
                shape = "named"
            elif len(v.fields) == 1:
                shape = "newtype"
            else:
                shape = "tuple"
            self._by_index[v.index] = self._by_name[v.name] = (v, shape)

    def variant_named(self, name: str) -> VariantInfo:
        """The variant called ``name`` (KeyError if absent)."""
        return self._by_name[name][0]

    def encode_into(self, value: Any, out: bytearray) -> None:
        if isinstance(value, str):
            name, payload = value, None
        else:
            name, payload = value
        try:
            v, shape = self._by_name[name]
        except KeyError:
            raise EncodeError(f"{self!r} has no variant {name!r}") from None
        out.append(v.index)
        if shape == "unit":
            return
        if shape == "newtype":
            v.fields[0].type.encode_into(payload, out)
        elif shape == "named":
            for f in v.fields:
                f.type.encode_into(payload[f.name], out)
        else:
            if len(payload) != len(v.fields):
                raise EncodeError(f"{self!r}::{name} expects {len(v.fields)} fields")
            for f, item in zip(v.fields, payload):
                f.type.encode_into(item, out)

    def decode_at(self, data: bytes, pos: int) -> tuple[Any, int]:
        index = data[pos]
        entry = self._by_index.get(index)
        if entry is None:
            raise DecodeError(f"{self!r} has no variant with index {index}")
        v, shape = entry
        pos += 1
        if shape == "unit":
            return v.name, pos
        if shape == "newtype":
            payload, pos = v.fields[0].type.decode_at(data, pos)
            return (v.name, payload), pos
        items = []
        for f in v.fields:
            item, pos = f.type.decode_at(data, pos)
            items.append(item)
        if shape == "named":
            return (v.name, {f.name: item for f, item in zip(v.fields, items)}), pos
        return (v.name, tuple(items)), pos

    def type_info(self) -> TypeInfo:
        return TypeInfo(DefVariant(self.variants), self.path, self.params, self.docs)

    def __repr__(self) -> str:
        return "::".join(self.path) or "<enum>"


class Converted(ScaleType):
    """Wire format and description of ``base``, values mapped through ``to_python``/``from_python``."""

    __slots__ = ("base", "to_python", "from_python", "name")

    def __init__(
        self,
        base: ScaleType,
        to_python: Callable[[Any], Any],
        from_python: Callable[[Any], Any],
        name: str | None = None,
    ) -> None:
        self.base = base
        self.to_python = to_python
        self.from_python = from_python
        self.name = name

    @property
    def min_size(self) -> int:  # type: ignore[override]
        return self.base.min_size

    def registry_key(self) -> ScaleType:
        return self.base.registry_key()

    def encode_into(self, value: Any, out: bytearray) -> None:
        self.base.encode_into(self.from_python(value), out)

    def decode_at(self, data: bytes, pos: int) -> tuple[Any, int]:
        value, pos = self.base.decode_at(data, pos)
        return self.to_python(value), pos

    def type_info(self) -> TypeInfo:
        return self.base.type_info()

    def __repr__(self) -> str:
        return self.name or f"Converted<{self.base!r}>"
