"""Type descriptions in the shape of scale-info's portable registry.

Each codec type can describe itself as a :class:`TypeInfo` (path, generic parameters, definition, docs);
definitions refer to other codec types directly. :mod:`runtime.scale.registry` turns these descriptions
into numbered portable types, which is what runtime metadata (V14/V15) carries.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Union

if TYPE_CHECKING:
    from runtime.scale.base import ScaleType


@dataclass(frozen=True, slots=True)
class TypeParam:
    """A generic parameter of a type, e.g. ``T`` of ``Option<T>``; ``type`` is None when erased."""

    name: str
    type: ScaleType | None


@dataclass(frozen=True, slots=True)
class FieldInfo:
    """A field of a composite or of an enum variant."""

    name: str | None
    type: ScaleType
    type_name: str | None = None
    docs: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class VariantInfo:
    """One variant of an enum: its name, fields, encoded index and docs."""

    name: str
    fields: tuple[FieldInfo, ...]
    index: int
    docs: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class DefComposite:
    fields: tuple[FieldInfo, ...]


@dataclass(frozen=True, slots=True)
class DefVariant:
    variants: tuple[VariantInfo, ...]


@dataclass(frozen=True, slots=True)
class DefSequence:
    type: ScaleType


@dataclass(frozen=True, slots=True)
class DefArray:
    length: int
    type: ScaleType


@dataclass(frozen=True, slots=True)
class DefTuple:
    types: tuple[ScaleType, ...]


@dataclass(frozen=True, slots=True)
class DefPrimitive:
    """A primitive by its scale-info name: bool, char, str, u8…u256, i8…i256."""

    name: str


@dataclass(frozen=True, slots=True)
class DefCompact:
    type: ScaleType


@dataclass(frozen=True, slots=True)
class DefBitSequence:
    store: ScaleType
    order: ScaleType


TypeDef = Union[
    DefComposite, DefVariant, DefSequence, DefArray, DefTuple, DefPrimitive, DefCompact, DefBitSequence
]

# Order of the TypeDefPrimitive variants in scale-info (their encoded index).
PRIMITIVE_INDEX: dict[str, int] = {
    name: i
    for i, name in enumerate(
        ["bool", "char", "str", "u8", "u16", "u32", "u64", "u128", "u256",
         "i8", "i16", "i32", "i64", "i128", "i256"]
    )
}


@dataclass(frozen=True, slots=True)
class TypeInfo:
    """What a type says about itself: ``path`` is the Rust path split on ``::``."""

    definition: TypeDef
    path: tuple[str, ...] = ()
    params: tuple[TypeParam, ...] = ()
    docs: tuple[str, ...] = field(default=())
