"""The ``Core`` and ``Metadata`` APIs (placeholder registration; methods land with the executive)."""

from __future__ import annotations

from runtime.apis import runtime_api

Core = runtime_api("Core", 5)
Metadata = runtime_api("Metadata", 2)
