"""Helpers for pallet tests: a mock runtime over TestExternalities, event reading, golden metadata diffs."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from runtime.construct import Runtime, RuntimeVersion
from runtime.pallets import system
from runtime.pallets.system import storage as system_storage
from runtime.primitives.extrinsic import SUBTENSOR_EXTENSIONS
from runtime.scale import PortableRegistry, ScaleType, Vec
from runtime.support.context import Context
from runtime.support.dispatch import DispatchError, Origin
from runtime.support.pallet import Pallet
from runtime.support.outer import RuntimeCallRef
from runtime.pallets.system.types import EventRecord
from runtime.version import runtime_version

from tests.metadata_tools import decode_v14, shape_diff, types_by_id
from tests.runtime.ext import TestExternalities

GOLDEN_RUNTIME_CALL = "node_subtensor_runtime::RuntimeCall"


def mock_runtime(*pallets: tuple[int, Pallet]) -> Runtime:
    """System at index 0 plus the given pallets."""
    v = runtime_version()
    version = RuntimeVersion(v["spec_name"], v["impl_name"], v["authoring_version"], v["spec_version"],
                             v["impl_version"], tuple(v["apis"]), v["transaction_version"], v["system_version"])
    return Runtime([(0, system.PALLET), *pallets], version, SUBTENSOR_EXTENSIONS)


def new_ctx(runtime: Runtime, number: int = 1) -> Context:
    """A context over fresh TestExternalities at block ``number`` (≥ 1 so events are recorded)."""
    ctx = runtime.context(TestExternalities())
    system_storage.Number.put(ctx, number)
    return ctx


def dispatch(ctx: Context, origin: Origin, call: Any) -> Any:
    """Dispatch ``call`` in its own storage transaction (kept if it succeeds)."""
    with ctx.transaction():
        return ctx.dispatch(origin, call)


def dispatch_error(ctx: Context, origin: Origin, call: Any) -> Any:
    """The ``DispatchError`` value ``call`` fails with; asserts the failure left the state untouched."""
    before = ctx.ext.state()  # type: ignore[attr-defined]
    with pytest.raises(DispatchError) as info:
        dispatch(ctx, origin, call)
    assert ctx.ext.state() == before  # type: ignore[attr-defined]
    return ctx.runtime.dispatch_error_value(info.value)


def events(ctx: Context) -> list[Any]:
    """The events deposited so far, as (pallet, event) values."""
    raw = ctx.get(system_storage.Events.key())
    if raw is None:
        return []
    # Decode with this runtime's event enum (the shared lazy reference may point at another runtime).
    records = Vec(_record_codec(ctx.runtime)).decode(raw)
    return [r["event"] for r in records]


def _record_codec(runtime: Runtime) -> ScaleType:
    from runtime.scale import Composite, FieldInfo

    topics = EventRecord.fields[2]
    return Composite("frame_system::EventRecord", [EventRecord.fields[0], FieldInfo("event", runtime.event_codec, "E"),
                                                  topics])


def module_error(runtime: Runtime, pallet: str, index: int) -> Any:
    return ("Module", {"index": runtime.by_name[pallet][0], "error": bytes([index, 0, 0, 0])})


# -- golden metadata ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class PalletCalls:
    """Signed calls into one pallet of ``runtime`` (``dispatch``/``dispatch_error``), its module
    errors by name, and its events."""

    runtime: Runtime
    pallet: str
    errors: Any  # the pallet's error set (``_index`` maps names to indices)

    def call(self, ctx: Context, who: bytes, name: str, **args: Any) -> Any:
        return dispatch(ctx, Origin.signed(who), (self.pallet, (name, args)))

    def error(self, ctx: Context, who: bytes, name: str, **args: Any) -> Any:
        return dispatch_error(ctx, Origin.signed(who), (self.pallet, (name, args)))

    def err(self, name: str) -> Any:
        return module_error(self.runtime, self.pallet, self.errors._index[name])

    def events(self, ctx: Context) -> list[Any]:
        return [e[1] for e in events(ctx) if e[0] == self.pallet]


def golden_metadata(golden: Any) -> tuple[dict[str, Any], dict[int, dict[str, Any]]]:
    v14 = decode_v14(golden["metadata"]["v14_hex"])
    return v14, types_by_id(v14)


def golden_pallet(golden: Any, name: str) -> dict[str, Any]:
    v14, _ = golden_metadata(golden)
    return next(p for p in v14["pallets"] if p["name"] == name)


def raw_bytes(value: Any) -> bytes:
    """scalecodec renders ``Bytes`` as text when it is valid UTF-8, otherwise as 0x-hex."""
    if isinstance(value, str) and value.startswith("0x"):
        return bytes.fromhex(value[2:])
    return str(value).encode("utf-8")


def type_diff(codec: ScaleType, types: dict[int, dict[str, Any]], their_id: int) -> list[str]:
    """shape_diff of ``codec`` against golden type ``their_id``; RuntimeCall references are not followed."""
    registry = PortableRegistry()
    our_id = registry.register(codec)
    seen: set[tuple[int, int]] = set()
    golden_call = next((i for i, t in types.items() if "::".join(t.get("path") or []) == GOLDEN_RUNTIME_CALL), None)
    try:
        seen.add((registry.id_of(RuntimeCallRef), golden_call))  # type: ignore[arg-type]
    except (KeyError, RuntimeError):
        pass
    return shape_diff(registry, our_id, types, their_id, seen=seen)


def enum_type_names(codec: ScaleType) -> dict[str, list[tuple[str | None, str | None]]]:
    return {v.name: [(f.name, f.type_name) for f in v.fields] for v in codec.type_info().definition.variants}  # type: ignore[attr-defined]


def golden_enum_type_names(types: dict[int, dict[str, Any]], type_id: int) -> dict[str, list[tuple[Any, Any]]]:
    return {v["name"]: [(f.get("name"), f.get("typeName")) for f in v["fields"]]
            for v in types[type_id]["def"]["variant"]["variants"]}


def pallet_metadata_diff(pallet: Pallet, golden: Any, index: int) -> list[str]:
    """Every difference between a pallet's declarations and the golden metadata of that pallet."""
    _, types = golden_metadata(golden)
    theirs = golden_pallet(golden, pallet.name)
    diffs: list[str] = []
    if theirs["index"] != index:
        diffs.append(f"index {theirs['index']} != {index}")
    # storage
    their_storage = (theirs.get("storage") or {}).get("entries") or []
    ours = pallet.storage.items if pallet.storage else []
    if [e["name"] for e in their_storage] != [e.name for e in ours]:
        diffs.append(f"storage names {[e['name'] for e in their_storage]} != {[e.name for e in ours]}")
    for mine, entry in zip(ours, their_storage):
        where = f"storage {entry['name']}"
        modifier = "Optional" if mine.is_optional else "Default"
        if entry["modifier"] != modifier:
            diffs.append(f"{where}: modifier {entry['modifier']} != {modifier}")
        kind = entry["type"]
        if "Plain" in kind:
            if mine.keys:
                diffs.append(f"{where}: golden is a plain value")
            diffs += type_diff(mine.value, types, kind["Plain"])
        else:
            spec = kind["Map"]
            if spec["hashers"] != [h.name for h, _ in mine.keys]:
                diffs.append(f"{where}: hashers {spec['hashers']} != {[h.name for h, _ in mine.keys]}")
            diffs += type_diff(mine.key_codec, types, spec["key"])  # type: ignore[arg-type]
            diffs += type_diff(mine.value, types, spec["value"])
        if raw_bytes(entry["default"]) != mine.default_bytes:
            diffs.append(f"{where}: default {raw_bytes(entry['default']).hex()} != {mine.default_bytes.hex()}")
        if tuple(entry["documentation"]) != mine.docs:
            diffs.append(f"{where}: docs differ")
    # calls, events, errors
    for key, part in (("calls", pallet.calls), ("event", pallet.events), ("error", pallet.errors)):
        golden_part = theirs.get(key)
        if (golden_part is None) != (part is None):
            diffs.append(f"{key}: present in golden={golden_part is not None}, ours={part is not None}")
            continue
        if part is None:
            continue
        codec = part.codec
        diffs += [f"{key}: {d}" for d in type_diff(codec, types, golden_part["ty"])]
        if key != "error" and enum_type_names(codec) != golden_enum_type_names(types, golden_part["ty"]):
            diffs.append(f"{key}: field type names differ: {enum_type_names(codec)} != "
                         f"{golden_enum_type_names(types, golden_part['ty'])}")
    # constants
    their_constants = theirs.get("constants") or []
    if [c["name"] for c in their_constants] != [c.name for c in pallet.constants]:
        diffs.append(f"constants {[c['name'] for c in their_constants]} != {[c.name for c in pallet.constants]}")
    for mine_c, c in zip(pallet.constants, their_constants):
        diffs += [f"constant {c['name']}: {d}" for d in type_diff(mine_c.codec, types, c["type"])]
        if raw_bytes(c["value"]) != mine_c.encoded():
            diffs.append(f"constant {c['name']}: value {raw_bytes(c['value']).hex()} != {mine_c.encoded().hex()}")
        if tuple(c["documentation"]) != mine_c.docs:
            diffs.append(f"constant {c['name']}: docs differ")
    return diffs
