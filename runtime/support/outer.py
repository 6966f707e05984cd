"""Late-bound references to the runtime's outer enums (``RuntimeCall``, ``RuntimeEvent``…).

Pallets such as Sudo and Utility take a ``RuntimeCall`` argument, but the call enum only exists once the
runtime is assembled. They refer to :data:`RuntimeCallRef`, a lazy codec that resolves to the assembled
runtime's call codec; :func:`bind_runtime` is called by the runtime constructor.
"""

from __future__ import annotations

from typing import Any

from runtime.scale import Lazy, ScaleType

_BOUND: dict[str, ScaleType] = {}


def bind_runtime(call_codec: ScaleType, event_codec: ScaleType) -> None:
    _BOUND["call"] = call_codec
    _BOUND["event"] = event_codec


def _resolve(name: str) -> ScaleType:
    try:
        return _BOUND[name]
    except KeyError:
        raise RuntimeError("no runtime has been constructed yet") from None


RuntimeCallRef = Lazy(lambda: _resolve("call"))
RuntimeEventRef = Lazy(lambda: _resolve("event"))

CallValue = Any  # (pallet_name, (call_name, {arg: value}))
