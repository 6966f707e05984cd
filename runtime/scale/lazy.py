"""A deferred codec reference, for recursive types such as a call enum that contains ``Vec<Call>``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from runtime.scale.base import ScaleType
from runtime.scale.info import TypeInfo


class Lazy(ScaleType):
    """Behaves as the codec returned by ``resolve`` — called once on first use, or on every use when
    ``cache=False`` (for references whose target may change, such as the current runtime's enums)."""

    __slots__ = ("_resolve", "_target", "_cache", "_name")

    def __init__(self, resolve: Callable[[], ScaleType], *, cache: bool = True, name: str | None = None) -> None:
        self._resolve = resolve
        self._target: ScaleType | None = None
        self._cache = cache
        self._name = name

    @property
    def target(self) -> ScaleType:
        if not self._cache:
            return self._resolve()
        if self._target is None:
            self._target = self._resolve()
        return self._target

    @property
    def min_size(self) -> int:  # type: ignore[override]
        # Recursive types may reach themselves here; a conservative bound avoids infinite recursion.
        return 0

    def registry_key(self) -> ScaleType:
        return self.target.registry_key()

    def encode_into(self, value: Any, out: bytearray) -> None:
        self.target.encode_into(value, out)

    def decode_at(self, data: bytes, pos: int) -> tuple[Any, int]:
        return self.target.decode_at(data, pos)

    def type_info(self) -> TypeInfo:
        return self.target.type_info()

    def __repr__(self) -> str:
        if self._name is not None:
            return self._name
        return f"Lazy<{self._target!r}>" if self._target is not None else "Lazy<unresolved>"
