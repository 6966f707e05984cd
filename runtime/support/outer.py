"""Late-bound references to the runtime's outer enums (``RuntimeCall``, ``RuntimeEvent``).

Pallets such as Sudo and Utility take a ``RuntimeCall`` argument, and ``System.Events`` stores
``RuntimeEvent`` values, but those enums only exist once a runtime is assembled. Declarations refer to
:data:`RuntimeCallRef` / :data:`RuntimeEventRef`, which resolve — on every use, never cached — to the
enums of the runtime most recently made current by :func:`bind_runtime`. The runtime binds itself when
it is constructed and whenever it creates an execution context, so tests that build several mock
runtimes each see their own enums.
"""

from __future__ import annotations

from typing import Any

from runtime.scale import Lazy, ScaleType, TypeInfo

from collections.abc import Callable, Iterator
from contextlib import contextmanager

_BOUND: dict[str, ScaleType] = {}
_BOUND_EXTRINSIC: list[Callable[[], ScaleType]] = []


def bind_runtime(call_codec: ScaleType, event_codec: ScaleType,
                 extrinsic_type: Callable[[], ScaleType] | None = None) -> None:
    _BOUND["call"] = call_codec
    _BOUND["event"] = event_codec
    if extrinsic_type is not None:
        _BOUND_EXTRINSIC[:] = [extrinsic_type]


@contextmanager
def bound_to(call_codec: ScaleType, event_codec: ScaleType,
             extrinsic_type: Callable[[], ScaleType] | None = None) -> Iterator[None]:
    """Bind a runtime's enums for the duration of the block, then restore whatever was bound before
    (metadata built for one runtime must not pick up another's ``RuntimeCall``)."""
    saved, saved_extrinsic = dict(_BOUND), list(_BOUND_EXTRINSIC)
    bind_runtime(call_codec, event_codec, extrinsic_type)
    try:
        yield
    finally:
        _BOUND.clear()
        _BOUND.update(saved)
        _BOUND_EXTRINSIC[:] = saved_extrinsic


def _bound(name: str) -> ScaleType:
    try:
        return _BOUND[name]
    except KeyError:
        raise RuntimeError("no runtime has been constructed yet") from None


class _ExtrinsicRef(ScaleType):
    """An extrinsic passed whole (its own length prefix included), described in metadata as the
    runtime's ``UncheckedExtrinsic`` type, as runtime APIs such as ``apply_extrinsic`` take it."""

    __slots__ = ()

    def registry_key(self) -> ScaleType:
        if not _BOUND_EXTRINSIC:
            raise RuntimeError("no runtime has been constructed yet")
        return _BOUND_EXTRINSIC[0]()

    def encode_into(self, value: Any, out: bytearray) -> None:
        out += value

    def decode_at(self, data: bytes, pos: int) -> tuple[Any, int]:
        from runtime.scale import decode_compact, take

        length, body = decode_compact(data, pos)
        return take(data, pos, body + length - pos), body + length

    def type_info(self) -> TypeInfo:
        return self.registry_key().type_info()

    def __repr__(self) -> str:
        return "UncheckedExtrinsic"


RuntimeExtrinsicRef = _ExtrinsicRef()
RuntimeCallRef = Lazy(lambda: _bound("call"), cache=False, name="RuntimeCall")
RuntimeEventRef = Lazy(lambda: _bound("event"), cache=False, name="RuntimeEvent")

CallValue = Any  # (pallet_name, (call_name, {arg: value}))
