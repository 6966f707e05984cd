"""Pallet declarations: calls with explicit indices, events, errors, constants, hooks and genesis.

A pallet module builds its parts once and hands them to :class:`Pallet`; everything else (the call
codec, dispatch table, metadata entries, docs) is derived from those declarations::

    calls = PalletCalls("pallet_balances", params=("T", "I"))

    @calls.call(3, weight=Weight(224_051_000, 3_593))
    def transfer_keep_alive(ctx: Context, origin: Origin,
                            dest: Annotated[Any, MultiAddress, "AccountIdLookupOf<T>"],
                            value: Annotated[int, CompactU64, "T::Balance"]) -> None:
        ...

Call functions take the execution context and the origin, then their arguments; they return None or
a :class:`PostDispatchInfo`, and raise :class:`DispatchError` to fail.
"""

from __future__ import annotations

import inspect
import typing
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from runtime.scale import Enum, FieldInfo, ScaleType, TypeParam, VariantInfo, codec_of
from runtime.support.dispatch import DispatchClass, ModuleError, Pays, Weight
from runtime.support.storage import PalletStorage

WeightFn = Callable[[dict[str, Any]], Weight]


def _docs(text: str | None) -> tuple[str, ...]:
    """Docstring → metadata doc lines (FRAME keeps the leading space of `///` comments)."""
    if not text:
        return ()
    return tuple(" " + line if line else "" for line in inspect.cleandoc(text).splitlines())


@dataclass(frozen=True, slots=True)
class CallDef:
    """One dispatchable call."""

    name: str
    index: int
    function: Callable[..., Any]
    args: tuple[FieldInfo, ...]
    weight: Weight | WeightFn
    dispatch_class: DispatchClass
    pays: Pays
    docs: tuple[str, ...]

    def weight_of(self, args: dict[str, Any]) -> Weight:
        return self.weight(args) if callable(self.weight) else self.weight


class PalletCalls:
    """The call table of a pallet; its codec is the pallet's ``Call`` enum."""

    def __init__(self, rust_crate: str, params: Sequence[str] = ("T",)) -> None:
        self.rust_crate = rust_crate
        self.params = tuple(params)
        self.by_index: dict[int, CallDef] = {}
        self.by_name: dict[str, CallDef] = {}
        self._codec: Enum | None = None

    def call(
        self,
        index: int,
        *,
        weight: Weight | WeightFn = Weight(),
        dispatch_class: DispatchClass = DispatchClass.Normal,
        pays: Pays = Pays.Yes,
        name: str | None = None,
    ) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
        def register(fn: Callable[..., Any]) -> Callable[..., Any]:
            call_name = name or fn.__name__
            if index in self.by_index or call_name in self.by_name:
                raise ValueError(f"duplicate call {call_name}/{index} in {self.rust_crate}")
            hints = typing.get_type_hints(fn, include_extras=True)
            params = list(inspect.signature(fn).parameters)[2:]  # skip ctx, origin
            args = []
            for param in params:
                codec, type_name = codec_of(hints[param])
                args.append(FieldInfo(param.rstrip("_"), codec, type_name))
            definition = CallDef(call_name, index, fn, tuple(args), weight, dispatch_class, pays,
                                 _docs(fn.__doc__))
            self.by_index[index] = self.by_name[call_name] = definition
            self._codec = None
            return fn

        return register

    @property
    def codec(self) -> Enum:
        if self._codec is None:
            # Declaration order, as FRAME lists calls (indices need not be ascending).
            variants = [VariantInfo(c.name, c.args, c.index, c.docs) for c in self.by_name.values()]
            self._codec = Enum(f"{self.rust_crate}::pallet::Call", variants,
                               params=[TypeParam(p, None) for p in self.params])
        return self._codec


@dataclass(frozen=True, slots=True)
class EventDef:
    """One event variant; calling it builds the event value for :meth:`Context.deposit_event`."""

    pallet: str
    name: str
    index: int
    fields: tuple[FieldInfo, ...]
    docs: tuple[str, ...]

    def __call__(self, *args: Any, **kwargs: Any) -> tuple[str, Any]:
        if not self.fields:
            return (self.pallet, self.name)  # type: ignore[return-value]
        names = [f.name for f in self.fields]
        values = dict(zip(names, args))
        for key, value in kwargs.items():
            values[key.rstrip("_")] = value
        if set(values) != set(names):
            raise TypeError(f"{self.pallet}.{self.name} takes {names}, got {sorted(values)}")
        if self.fields[0].name is None:
            return (self.pallet, (self.name, args[0] if len(args) == 1 else tuple(args)))  # type: ignore[arg-type]
        return (self.pallet, (self.name, {n: values[n] for n in names}))  # type: ignore[arg-type]


class PalletEvents:
    """The event enum of a pallet."""

    def __init__(self, pallet: str, rust_crate: str, params: Sequence[str] = ("T",)) -> None:
        self.pallet = pallet
        self.rust_crate = rust_crate
        self.params = tuple(params)
        self.events: list[EventDef] = []

    def event(self, index: int, name: str, fields: Sequence[tuple[str | None, ScaleType, str | None]] = (),
              docs: Sequence[str] = ()) -> EventDef:
        definition = EventDef(self.pallet, name, index,
                              tuple(FieldInfo(n, c, t) for n, c, t in fields), tuple(docs))
        self.events.append(definition)
        return definition

    @property
    def codec(self) -> Enum:
        return Enum(f"{self.rust_crate}::pallet::Event",
                    [VariantInfo(e.name, e.fields, e.index, e.docs) for e in self.events],
                    params=[TypeParam(p, None) for p in self.params])


class PalletErrors:
    """The error enum of a pallet; ``errors.Name`` is a fresh :class:`ModuleError` to raise."""

    def __init__(self, pallet: str, rust_crate: str, names: Sequence[str | tuple[str, str]],
                 params: Sequence[str] = ("T",)) -> None:
        self.pallet = pallet
        self.rust_crate = rust_crate
        self.params = tuple(params)
        self.names: list[str] = []
        self.docs: list[tuple[str, ...]] = []
        for entry in names:
            name, doc = (entry, "") if isinstance(entry, str) else entry
            self.names.append(name)
            self.docs.append((" " + doc,) if doc else ())
        self._index = {name: i for i, name in enumerate(self.names)}

    def __getattr__(self, name: str) -> ModuleError:
        try:
            return ModuleError(self.pallet, self._index[name], name)
        except KeyError:
            raise AttributeError(f"{self.pallet} has no error {name}") from None

    @property
    def codec(self) -> Enum:
        return Enum(f"{self.rust_crate}::pallet::Error",
                    [VariantInfo(n, (), i, d) for i, (n, d) in enumerate(zip(self.names, self.docs))],
                    params=[TypeParam(p, None) for p in self.params])


@dataclass(frozen=True, slots=True)
class ConstantDef:
    """A pallet constant; ``value`` may be a zero-argument callable, evaluated when encoded."""

    name: str
    codec: ScaleType
    value: Any
    docs: tuple[str, ...] = ()

    def encoded(self) -> bytes:
        return self.codec.encode(self.value() if callable(self.value) else self.value)


@dataclass(frozen=True)
class Pallet:
    """Everything a pallet declares. Hooks receive the context and the block number."""

    name: str
    storage: PalletStorage | None = None
    calls: PalletCalls | None = None
    events: PalletEvents | None = None
    errors: PalletErrors | None = None
    constants: tuple[ConstantDef, ...] = ()
    on_initialize: Callable[[Any, int], Weight] | None = None
    on_finalize: Callable[[Any, int], None] | None = None
    genesis: Callable[[Any, dict[str, Any]], None] | None = None
    docs: tuple[str, ...] = field(default=())
