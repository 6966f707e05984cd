"""The extrinsic's metadata types: ``UncheckedExtrinsic<Address, Call, Signature, Extra>`` and the
transaction extension types.

The wire behaviour of each extension (its explicit and implicit codecs) is declared once in
:data:`runtime.primitives.extrinsic.SUBTENSOR_EXTENSIONS`. What that declaration does not say is the
Rust type each extension has in node-subtensor: its path, whether its ``T`` parameter is erased or the
``Runtime``, the type name of its one field, the wrapper some are embedded in, and how the
``TransactionExtensions`` tuple nests them. :data:`EXTENSION_TYPES` and :data:`EXTENSION_GROUPS` carry
exactly that; the fields themselves are always the explicit codec, and ``additional_signed`` is always
the implicit codec. Extensions unknown to the table still get a type (``node_subtensor_runtime::<Id>``),
and an extension list that does not match the grouping is described as a flat tuple, so metadata always
builds from whatever extension set the runtime has.
"""

from __future__ import annotations

from dataclasses import dataclass

from runtime.primitives.extrinsic import ExtensionSet, TransactionExtension
from runtime.primitives.types import MultiAddress, MultiSignature
from runtime.scale import U8, Composite, FieldInfo, ScaleType, Tuple, TypeParam, Unit, Vec

RUNTIME_CRATE = "node_subtensor_runtime"

#: ``node_subtensor_runtime::Runtime``: the runtime marker type (a composite without fields).
RuntimeType = Composite(f"{RUNTIME_CRATE}::Runtime", ())

_FS = "frame_system::extensions::"


@dataclass(frozen=True, slots=True)
class ExtensionType:
    """How an extension is spelled in Rust: path, ``T`` bound to the Runtime or erased, field naming."""

    path: str
    t_is_runtime: bool = False
    field_name: str | None = None
    field_type_name: str | None = None
    #: (path, field name, field type name) of a wrapper the extension sits in inside the Extra tuple.
    wrapper: tuple[str, str | None, str | None] | None = None


EXTENSION_TYPES: dict[str, ExtensionType] = {
    "CheckNonZeroSender": ExtensionType(_FS + "check_non_zero_sender::CheckNonZeroSender"),
    "CheckSpecVersion": ExtensionType(_FS + "check_spec_version::CheckSpecVersion"),
    "CheckTxVersion": ExtensionType(_FS + "check_tx_version::CheckTxVersion"),
    "CheckGenesis": ExtensionType(_FS + "check_genesis::CheckGenesis"),
    "CheckMortality": ExtensionType(f"{RUNTIME_CRATE}::check_mortality::CheckMortality", field_type_name="Era"),
    "CheckNonce": ExtensionType(f"{RUNTIME_CRATE}::check_nonce::CheckNonce", field_type_name="T::Nonce"),
    "CheckWeight": ExtensionType(_FS + "check_weight::CheckWeight"),
    "ChargeTransactionPayment": ExtensionType(
        "pallet_transaction_payment::ChargeTransactionPayment", field_type_name="BalanceOf<T>",
        wrapper=(f"{RUNTIME_CRATE}::transaction_payment_wrapper::ChargeTransactionPaymentWrapper", "inner",
                 "ChargeTransactionPayment<T>")),
    "SudoTransactionExtension": ExtensionType(f"{RUNTIME_CRATE}::sudo_wrapper::SudoTransactionExtension",
                                              t_is_runtime=True),
    "CheckShieldedTxValidity": ExtensionType("pallet_shield::extension::CheckShieldedTxValidity", t_is_runtime=True),
    "SubtensorTransactionExtension": ExtensionType(
        "pallet_subtensor::extensions::subtensor::SubtensorTransactionExtension", t_is_runtime=True),
    "DrandPriority": ExtensionType("pallet_drand::drand_priority::DrandPriority", t_is_runtime=True),
    "CheckMetadataHash": ExtensionType("frame_metadata_hash_extension::CheckMetadataHash", field_name="mode",
                                       field_type_name="Mode"),
}

#: node-subtensor's ``TransactionExtensions``: ``(SystemTxExtensions, (payment, sudo, shield, subtensor,
#: drand), CheckMetadataHash)``; a string is a bare extension, a tuple a nested tuple.
EXTENSION_GROUPS: tuple[tuple[str, ...] | str, ...] = (
    ("CheckNonZeroSender", "CheckSpecVersion", "CheckTxVersion", "CheckGenesis", "CheckMortality", "CheckNonce",
     "CheckWeight"),
    ("ChargeTransactionPayment", "SudoTransactionExtension", "CheckShieldedTxValidity",
     "SubtensorTransactionExtension", "DrandPriority"),
    "CheckMetadataHash",
)


def _param(spec: ExtensionType) -> TypeParam:
    return TypeParam("T", RuntimeType if spec.t_is_runtime else None)


def extension_type(ext: TransactionExtension) -> Composite:
    """The metadata type of one extension (what ``signed_extensions[i].ty`` points at)."""
    spec = EXTENSION_TYPES.get(ext.identifier, ExtensionType(f"{RUNTIME_CRATE}::{ext.identifier}"))
    fields = () if ext.explicit == Unit else (FieldInfo(spec.field_name, ext.explicit, spec.field_type_name),)
    return Composite(spec.path, fields, params=[_param(spec)])


@dataclass(frozen=True, slots=True)
class ExtrinsicTypes:
    """The extrinsic types of one runtime (built once, so a registry numbers each type once)."""

    unchecked_extrinsic: Composite
    address: ScaleType
    call: ScaleType
    signature: ScaleType
    extra: ScaleType
    #: (identifier, ty, additional_signed) per extension, in extrinsic order.
    extensions: tuple[tuple[str, ScaleType, ScaleType], ...]


def _extra_tuple(extensions: ExtensionSet, types: dict[str, Composite]) -> Tuple:
    """The ``Extra`` tuple, nested as node-subtensor nests it when the extension list matches."""

    def in_tuple(identifier: str) -> ScaleType:
        spec = EXTENSION_TYPES.get(identifier)
        if spec is None or spec.wrapper is None:
            return types[identifier]
        path, field_name, type_name = spec.wrapper
        return Composite(path, [FieldInfo(field_name, types[identifier], type_name)], params=[_param(spec)])

    identifiers = [ext.identifier for ext in extensions.extensions]
    flattened = [i for group in EXTENSION_GROUPS for i in ((group,) if isinstance(group, str) else group)]
    if identifiers != flattened:
        return Tuple(*(in_tuple(i) for i in identifiers))
    return Tuple(*(in_tuple(g) if isinstance(g, str) else Tuple(*(in_tuple(i) for i in g))
                   for g in EXTENSION_GROUPS))


def extrinsic_types(call: ScaleType, extensions: ExtensionSet) -> ExtrinsicTypes:
    """Build the extrinsic types for a runtime call enum and extension set.

    The extrinsic is frontier's ``fp_self_contained::UncheckedExtrinsic``, a newtype around
    ``sp_runtime::generic::UncheckedExtrinsic`` whose one field is the opaque ``Vec<u8>`` encoding.
    """
    types = {ext.identifier: extension_type(ext) for ext in extensions.extensions}
    extra = _extra_tuple(extensions, types)
    inner = Composite(
        "sp_runtime::generic::unchecked_extrinsic::UncheckedExtrinsic", [FieldInfo(None, Vec(U8))],
        params=[("Address", MultiAddress), ("Call", call), ("Signature", MultiSignature), ("Extra", extra)])
    outer = Composite(
        "fp_self_contained::unchecked_extrinsic::UncheckedExtrinsic",
        [FieldInfo(None, inner, "generic::UncheckedExtrinsic<Address, Call, Signature, Extension>")],
        params=[("Address", MultiAddress), ("Call", call), ("Signature", MultiSignature), ("Extension", extra)])
    return ExtrinsicTypes(
        outer, MultiAddress, call, MultiSignature, extra,
        tuple((ext.identifier, types[ext.identifier], ext.implicit) for ext in extensions.extensions))
