"""The runtime metadata wire format (frame-metadata V14 and V15), declared with our own codecs.

These declarations are both the documentation of the format and the codecs that encode it (and decode
any V14/V15 blob, ours or a real node's). Type references are ``Compact<u32>`` ids into the portable
registry that opens both versions; strings are ``String``; docs are ``Vec<String>``.

``RuntimeMetadataPrefixed`` is ``(u32 magic "meta", RuntimeMetadata)`` where ``RuntimeMetadata`` is an
enum whose variant index is the version (``0x0e`` V14, ``0x0f`` V15).

Decoded values follow the :mod:`runtime.scale` conventions: structs are dicts, enums ``(name, payload)``
(unit variants just the name), ``Option`` is ``None`` or the value, ``Vec<u8>`` is bytes.
"""

from __future__ import annotations

from runtime.scale import (
    U8, U32, BTreeMap, Composite, CompactU32, Enum, FieldInfo, Option, Str, Vec, variant,
)

MAGIC = 0x6174656D  # b"meta" little-endian
MAGIC_BYTES = MAGIC.to_bytes(4, "little")

TypeId = CompactU32
Strings = Vec(Str)
Bytes = Vec(U8)

# -- scale-info portable registry --------------------------------------------------------------------

Field = Composite("scale_info::ty::fields::Field", [
    ("name", Option(Str)), ("ty", TypeId), ("type_name", Option(Str)), ("docs", Strings)])
Variant = Composite("scale_info::ty::variant::Variant", [
    ("name", Str), ("fields", Vec(Field)), ("index", U8), ("docs", Strings)])
TypeParameter = Composite("scale_info::ty::TypeParameter", [("name", Str), ("ty", Option(TypeId))])

TypeDefPrimitive = Enum("scale_info::ty::TypeDefPrimitive", [
    variant(name, i) for i, name in enumerate(
        ["bool", "char", "str", "u8", "u16", "u32", "u64", "u128", "u256",
         "i8", "i16", "i32", "i64", "i128", "i256"])
])
TypeDef = Enum("scale_info::ty::TypeDef", [
    variant("Composite", 0, [(None, Composite("scale_info::ty::TypeDefComposite", [("fields", Vec(Field))]))]),
    variant("Variant", 1, [(None, Composite("scale_info::ty::TypeDefVariant", [("variants", Vec(Variant))]))]),
    variant("Sequence", 2, [(None, Composite("scale_info::ty::TypeDefSequence", [("type_param", TypeId)]))]),
    variant("Array", 3, [(None, Composite("scale_info::ty::TypeDefArray", [
        ("len", U32), ("type_param", TypeId)]))]),
    variant("Tuple", 4, [(None, Composite("scale_info::ty::TypeDefTuple", [("fields", Vec(TypeId))]))]),
    variant("Primitive", 5, [(None, TypeDefPrimitive)]),
    variant("Compact", 6, [(None, Composite("scale_info::ty::TypeDefCompact", [("type_param", TypeId)]))]),
    variant("BitSequence", 7, [(None, Composite("scale_info::ty::TypeDefBitSequence", [
        ("bit_store_type", TypeId), ("bit_order_type", TypeId)]))]),
])
Type = Composite("scale_info::ty::Type", [
    ("path", Strings), ("type_params", Vec(TypeParameter)), ("type_def", TypeDef), ("docs", Strings)])
PortableType = Composite("scale_info::PortableType", [("id", TypeId), ("ty", Type)])
PortableRegistry = Composite("scale_info::PortableRegistry", [("types", Vec(PortableType))])

# -- pallets (shared by V14 and V15) -----------------------------------------------------------------

StorageHasher = Enum("frame_metadata::v14::StorageHasher", [
    variant(name, i) for i, name in enumerate(
        ["Blake2_128", "Blake2_256", "Blake2_128Concat", "Twox128", "Twox256", "Twox64Concat", "Identity"])
])
StorageEntryModifier = Enum("frame_metadata::v14::StorageEntryModifier", [
    variant("Optional", 0), variant("Default", 1)])
StorageEntryType = Enum("frame_metadata::v14::StorageEntryType", [
    variant("Plain", 0, [(None, TypeId)]),
    variant("Map", 1, [("hashers", Vec(StorageHasher)), ("key", TypeId), ("value", TypeId)]),
])
StorageEntryMetadata = Composite("frame_metadata::v14::StorageEntryMetadata", [
    ("name", Str), ("modifier", StorageEntryModifier), ("ty", StorageEntryType), ("default", Bytes),
    ("docs", Strings)])
PalletStorageMetadata = Composite("frame_metadata::v14::PalletStorageMetadata", [
    ("prefix", Str), ("entries", Vec(StorageEntryMetadata))])
PalletCallMetadata = Composite("frame_metadata::v14::PalletCallMetadata", [("ty", TypeId)])
PalletEventMetadata = Composite("frame_metadata::v14::PalletEventMetadata", [("ty", TypeId)])
PalletErrorMetadata = Composite("frame_metadata::v14::PalletErrorMetadata", [("ty", TypeId)])
PalletConstantMetadata = Composite("frame_metadata::v14::PalletConstantMetadata", [
    ("name", Str), ("ty", TypeId), ("value", Bytes), ("docs", Strings)])

_PALLET_FIELDS: list[tuple[str, object]] = [
    ("name", Str), ("storage", Option(PalletStorageMetadata)), ("calls", Option(PalletCallMetadata)),
    ("event", Option(PalletEventMetadata)), ("constants", Vec(PalletConstantMetadata)),
    ("error", Option(PalletErrorMetadata)), ("index", U8),
]
PalletMetadataV14 = Composite("frame_metadata::v14::PalletMetadata", _PALLET_FIELDS)  # type: ignore[arg-type]
PalletMetadataV15 = Composite("frame_metadata::v15::PalletMetadata",
                              _PALLET_FIELDS + [("docs", Strings)])  # type: ignore[arg-type]

# -- extrinsic ---------------------------------------------------------------------------------------

SignedExtensionMetadata = Composite("frame_metadata::v14::SignedExtensionMetadata", [
    ("identifier", Str), ("ty", TypeId), ("additional_signed", TypeId)])
ExtrinsicMetadataV14 = Composite("frame_metadata::v14::ExtrinsicMetadata", [
    ("ty", TypeId), ("version", U8), ("signed_extensions", Vec(SignedExtensionMetadata))])
ExtrinsicMetadataV15 = Composite("frame_metadata::v15::ExtrinsicMetadata", [
    ("version", U8), ("address_ty", TypeId), ("call_ty", TypeId), ("signature_ty", TypeId),
    ("extra_ty", TypeId), ("signed_extensions", Vec(SignedExtensionMetadata))])

# -- V15 additions: runtime APIs, outer enums, custom values -----------------------------------------

RuntimeApiMethodParamMetadata = Composite("frame_metadata::v15::RuntimeApiMethodParamMetadata", [
    ("name", Str), ("ty", TypeId)])
RuntimeApiMethodMetadata = Composite("frame_metadata::v15::RuntimeApiMethodMetadata", [
    ("name", Str), ("inputs", Vec(RuntimeApiMethodParamMetadata)), ("output", TypeId), ("docs", Strings)])
RuntimeApiMetadata = Composite("frame_metadata::v15::RuntimeApiMetadata", [
    ("name", Str), ("methods", Vec(RuntimeApiMethodMetadata)), ("docs", Strings)])
OuterEnums = Composite("frame_metadata::v15::OuterEnums", [
    ("call_enum_ty", TypeId), ("event_enum_ty", TypeId), ("module_error_enum_ty", TypeId)])
CustomValueMetadata = Composite("frame_metadata::v15::CustomValueMetadata", [("ty", TypeId), ("value", Bytes)])
CustomMetadata = Composite("frame_metadata::v15::CustomMetadata", [("map", BTreeMap(Str, CustomValueMetadata))])

# -- the versions ------------------------------------------------------------------------------------

RuntimeMetadataV14 = Composite("frame_metadata::v14::RuntimeMetadataV14", [
    ("types", PortableRegistry), ("pallets", Vec(PalletMetadataV14)), ("extrinsic", ExtrinsicMetadataV14),
    ("ty", TypeId)])
RuntimeMetadataV15 = Composite("frame_metadata::v15::RuntimeMetadataV15", [
    ("types", PortableRegistry), ("pallets", Vec(PalletMetadataV15)), ("extrinsic", ExtrinsicMetadataV15),
    ("ty", TypeId), ("apis", Vec(RuntimeApiMetadata)), ("outer_enums", OuterEnums),
    ("custom", CustomMetadata)])

BODIES: dict[int, Composite] = {14: RuntimeMetadataV14, 15: RuntimeMetadataV15}

RuntimeMetadata = Enum("frame_metadata::RuntimeMetadata", [
    variant(f"V{version}", version, [(None, body)]) for version, body in BODIES.items()])
RuntimeMetadataPrefixed = Composite("frame_metadata::RuntimeMetadataPrefixed", [
    FieldInfo(None, U32, "u32"), FieldInfo(None, RuntimeMetadata, "RuntimeMetadata")])

#: ``sp_core::OpaqueMetadata``: what the ``Metadata`` runtime API returns (the prefixed bytes, length-prefixed).
OpaqueMetadata = Composite("sp_core::OpaqueMetadata", [FieldInfo(None, Bytes, "Vec<u8>")])


def encode_prefixed(version: int, types: bytes, body: dict[str, object]) -> bytes:
    """``RuntimeMetadataPrefixed`` for ``version``: ``types`` is the already encoded portable registry,
    ``body`` holds the other fields of that version's struct."""
    out = bytearray(MAGIC_BYTES)
    out.append(version)
    out += types
    for f in BODIES[version].fields[1:]:
        f.type.encode_into(body[f.name], out)  # type: ignore[index]
    return bytes(out)


def decode_prefixed(blob: bytes) -> tuple[int, dict[str, object]]:
    """``(version, body)`` of a prefixed V14/V15 blob; DecodeError on bad magic, version or trailing bytes."""
    from runtime.scale import DecodeError

    if blob[:4] != MAGIC_BYTES:
        raise DecodeError(f"not runtime metadata: magic {blob[:4].hex()}")
    _, (name, body) = RuntimeMetadataPrefixed.decode(blob)
    return int(name[1:]), body
