"""Runtime assembly (FRAME's ``construct_runtime!``): pallets at fixed indices and the outer enums.

:class:`Runtime` numbers the pallets exactly as node-subtensor does, builds ``RuntimeCall``,
``RuntimeEvent`` and ``RuntimeError`` from the pallets' own declarations, and offers the services the
executive and pallets need: decoding and dispatching calls, weighing them, encoding events and resolving
module errors to their ``DispatchError`` value.
"""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from typing import Any

from runtime.primitives.extrinsic import ExtensionSet
from runtime.scale import Enum, FieldInfo, ScaleType, VariantInfo
from runtime.support.context import Context
from runtime.support.dispatch import (
    DispatchError, DispatchInfo, ModuleError, Origin, PostDispatchInfo,
)
from runtime.support.externalities import Externalities
from runtime.support.outer import bind_runtime, bound_to
from runtime.support.pallet import CallDef, Pallet

RUNTIME_CRATE = "node_subtensor_runtime"


@dataclass(frozen=True, slots=True)
class RuntimeVersion:
    """``sp_version::RuntimeVersion``; ``apis`` pairs 8-byte API ids with versions."""

    spec_name: str
    impl_name: str
    authoring_version: int
    spec_version: int
    impl_version: int
    apis: tuple[tuple[bytes, int], ...]
    transaction_version: int
    system_version: int


@dataclass
class Runtime:
    """The assembled runtime: ``pallets`` pairs each pallet with its index."""

    pallets: Sequence[tuple[int, Pallet]]
    version: RuntimeVersion
    extensions: ExtensionSet
    by_name: dict[str, tuple[int, Pallet]] = field(init=False)
    by_index: dict[int, tuple[int, Pallet]] = field(init=False)
    call_codec: Enum = field(init=False)
    event_codec: Enum = field(init=False)
    error_codec: Enum = field(init=False)

    def __post_init__(self) -> None:
        self.by_name = {p.name: (i, p) for i, p in self.pallets}
        self.by_index = {i: (i, p) for i, p in self.pallets}
        if len(self.by_name) != len(self.pallets) or len(self.by_index) != len(self.pallets):
            raise ValueError("pallet names and indices must be unique")
        self.call_codec = Enum(f"{RUNTIME_CRATE}::RuntimeCall", [
            VariantInfo(p.name, (FieldInfo(None, p.calls.codec,
                                           f"self::sp_api_hidden_includes_construct_runtime::hidden_include::"
                                           f"dispatch::CallableCallFor<{p.name}, Runtime>"),), i)
            for i, p in self.pallets if p.calls is not None and p.calls.by_index
        ])
        self.event_codec = Enum(f"{RUNTIME_CRATE}::RuntimeEvent", [
            VariantInfo(p.name, (FieldInfo(None, p.events.codec, _event_type_name(p)),), i)
            for i, p in self.pallets if p.events is not None and p.events.events
        ])
        self.error_codec = Enum(f"{RUNTIME_CRATE}::RuntimeError", [
            VariantInfo(p.name, (FieldInfo(None, p.errors.codec, _error_type_name(p)),), i)
            for i, p in self.pallets if p.errors is not None and p.errors.names
        ])
        bind_runtime(self.call_codec, self.event_codec, self._extrinsic_type)

    # -- calls ----------------------------------------------------------------------------------------

    def bind(self) -> Runtime:
        """Make this runtime's outer enums the ones ``RuntimeCall``/``RuntimeEvent`` references resolve to."""
        bind_runtime(self.call_codec, self.event_codec, self._extrinsic_type)
        return self

    def bound(self) -> AbstractContextManager[None]:
        """``bind`` for the duration of a ``with`` block only; the previous binding is restored after."""
        return bound_to(self.call_codec, self.event_codec, self._extrinsic_type)

    def context(self, ext: Externalities) -> Context:
        """An execution context; also makes this runtime's outer enums the current ones."""
        self.bind()
        return Context(ext, self)

    def _extrinsic_type(self) -> ScaleType:
        from runtime.metadata.build import runtime_extrinsic_types

        return runtime_extrinsic_types(self).unchecked_extrinsic

    def decode_call(self, data: bytes) -> Any:
        """Decode call bytes into ``(pallet, (call, {arg: value}))`` (DecodeError if malformed)."""
        return self.call_codec.decode(data)

    def encode_call(self, call: Any) -> bytes:
        return self.call_codec.encode(call)

    def call_def(self, call: Any) -> CallDef:
        pallet_name, inner = call
        call_name = inner if isinstance(inner, str) else inner[0]
        calls = self.by_name[pallet_name][1].calls
        assert calls is not None
        return calls.by_name[call_name]

    @staticmethod
    def call_args(call: Any) -> dict[str, Any]:
        """The arguments of a call value (a call without arguments decodes to its bare name)."""
        inner = call[1]
        return {} if isinstance(inner, str) else (inner[1] or {})

    def call_info(self, call: Any) -> DispatchInfo:
        """Weight, class and fee flag of a call before dispatch."""
        definition = self.call_def(call)
        return DispatchInfo(definition.weight_of(self.call_args(call)), definition.dispatch_class,
                            definition.pays)

    def dispatch(self, ctx: Context, origin: Origin, call: Any) -> PostDispatchInfo | None:
        """Run a call; raises DispatchError on failure (the caller owns the storage transaction)."""
        definition = self.call_def(call)
        args = self.call_args(call)
        params = _param_names(definition)
        kwargs = {param: args[field_.name] for param, field_ in zip(params, definition.args)}
        return definition.function(ctx, origin, **kwargs)  # type: ignore[no-any-return]

    # -- events and errors ----------------------------------------------------------------------------

    def encode_event(self, event: tuple[str, Any]) -> bytes:
        return self.event_codec.encode(event)

    def deposit_event(self, ctx: Context, event: tuple[str, Any], topics: Sequence[bytes] = ()) -> None:
        from runtime.pallets.system import deposit_event_bytes  # the System pallet owns the event log

        deposit_event_bytes(ctx, self.encode_event(event), topics)

    def dispatch_error_value(self, error: DispatchError) -> Any:
        """The ``sp_runtime::DispatchError`` value of a raised error."""
        if isinstance(error, ModuleError):
            index, _ = self.by_name[error.pallet]
            return error.resolve(index)
        return "Other" if error.value is None else error.value

    def block_number(self, ext: Externalities) -> int:
        from runtime.pallets.system import storage as system_storage

        return system_storage.Number.get(ext)  # type: ignore[no-any-return]

    def codecs(self) -> dict[str, ScaleType]:
        return {"call": self.call_codec, "event": self.event_codec, "error": self.error_codec}


def _event_type_name(pallet: Pallet) -> str:
    params = ", ".join(["Runtime"] + (["()"] if pallet.events and "I" in pallet.events.params else []))
    return f"{pallet.events.rust_crate}::Event<{params}>" if pallet.events else ""


def _error_type_name(pallet: Pallet) -> str:
    return f"{pallet.errors.rust_crate}::Error<Runtime>" if pallet.errors else ""


def _param_names(definition: CallDef) -> list[str]:
    import inspect

    return list(inspect.signature(definition.function).parameters)[2:]
