"""Test helpers: decode the golden metadata with scalecodec and diff type shapes structurally.

Type ids differ between registries, so shapes are compared by walking both graphs in parallel: path,
parameter names, definition kind, field names and type names, variant names and indices, array
lengths and primitive names must agree all the way down.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from scalecodec.base import RuntimeConfiguration, ScaleBytes
from scalecodec.type_registry import load_type_registry_preset

from runtime.scale import PortableRegistry


@lru_cache(maxsize=4)
def decode_v14(hex_blob: str) -> dict[str, Any]:
    """The ``V14`` body of a prefixed metadata blob, as scalecodec renders it."""
    config = RuntimeConfiguration()
    config.update_type_registry(load_type_registry_preset("core"))
    obj = config.create_scale_object("MetadataVersioned", data=ScaleBytes(hex_blob))
    obj.decode()
    return obj.value[1]["V14"]  # type: ignore[no-any-return]


def types_by_id(v14: dict[str, Any]) -> dict[int, dict[str, Any]]:
    return {t["id"]: t["type"] for t in v14["types"]["types"]}


def find_by_path(types: dict[int, dict[str, Any]], path: str) -> list[int]:
    return [i for i, t in types.items() if "::".join(t.get("path") or []) == path]


def shape_diff(
    ours: PortableRegistry,
    our_id: int,
    theirs: dict[int, dict[str, Any]],
    their_id: int,
    where: str = "",
    seen: set[tuple[int, int]] | None = None,
) -> list[str]:
    """Differences between our type ``our_id`` and the golden type ``their_id`` (empty if equal)."""
    seen = set() if seen is None else seen
    if (our_id, their_id) in seen:
        return []
    seen.add((our_id, their_id))
    mine = ours.to_json()[our_id]["type"]
    other = theirs[their_id]
    here = where or "::".join(other.get("path") or []) or str(their_id)
    diffs: list[str] = []
    if list(mine["path"]) != list(other.get("path") or []):
        diffs.append(f"{here}: path {mine['path']} != {other.get('path')}")
    my_params = [p["name"] for p in mine["params"]]
    their_params = [p["name"] for p in other.get("params") or []]
    if my_params != their_params:
        diffs.append(f"{here}: params {my_params} != {their_params}")
    (my_kind, my_def), = mine["def"].items()
    (their_kind, their_def), = other["def"].items()
    if my_kind != their_kind:
        return diffs + [f"{here}: kind {my_kind} != {their_kind}"]

    def fields(a: list[dict[str, Any]], b: list[dict[str, Any]], at: str) -> None:
        if [f["name"] for f in a] != [f.get("name") for f in b]:
            diffs.append(f"{at}: field names {[f['name'] for f in a]} != {[f.get('name') for f in b]}")
            return
        for fa, fb in zip(a, b):
            diffs.extend(shape_diff(ours, fa["type"], theirs, fb["type"], f"{at}.{fa['name']}", seen))

    if my_kind == "composite":
        fields(my_def["fields"], their_def["fields"], here)
    elif my_kind == "variant":
        a = {v["index"]: v for v in my_def["variants"]}
        b = {v["index"]: v for v in their_def["variants"]}
        if {i: v["name"] for i, v in a.items()} != {i: v["name"] for i, v in b.items()}:
            diffs.append(f"{here}: variants {sorted((i, v['name']) for i, v in a.items())} != "
                         f"{sorted((i, v['name']) for i, v in b.items())}")
        else:
            for i in a:
                fields(a[i]["fields"], b[i]["fields"], f"{here}::{a[i]['name']}")
    elif my_kind in ("sequence", "compact"):
        diffs.extend(shape_diff(ours, my_def["type"], theirs, their_def["type"], f"{here}[]", seen))
    elif my_kind == "array":
        if my_def["len"] != their_def["len"]:
            diffs.append(f"{here}: array length {my_def['len']} != {their_def['len']}")
        diffs.extend(shape_diff(ours, my_def["type"], theirs, their_def["type"], f"{here}[]", seen))
    elif my_kind == "tuple":
        if len(my_def) != len(their_def):
            diffs.append(f"{here}: tuple arity {len(my_def)} != {len(their_def)}")
        for k, (x, y) in enumerate(zip(my_def, their_def)):
            diffs.extend(shape_diff(ours, x, theirs, y, f"{here}.{k}", seen))
    elif my_kind == "primitive" and my_def != their_def:
        diffs.append(f"{here}: primitive {my_def} != {their_def}")
    return diffs


# -- metadata decoded with our own format codecs (V14 and V15) -----------------------------------------


def unwrap_opaque(blob: bytes) -> bytes:
    """The prefixed metadata inside ``Option<OpaqueMetadata>`` / ``OpaqueMetadata`` bytes (or ``blob`` itself)."""
    from runtime.metadata.format import MAGIC_BYTES, OpaqueMetadata
    from runtime.scale import Option

    if blob[:4] == MAGIC_BYTES:
        return blob
    if blob[:1] == b"\x01" and blob[2:].find(MAGIC_BYTES) in range(0, 4):
        inner = Option(OpaqueMetadata).decode(blob)  # Metadata_metadata_at_version's Some(...)
    else:
        inner = OpaqueMetadata.decode(blob)  # Metadata_metadata's OpaqueMetadata
    return inner  # type: ignore[no-any-return]


def _fields_json(fields: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{"name": f["name"], "type": f["ty"], "typeName": f["type_name"], "docs": f["docs"]} for f in fields]


def type_json(ty: dict[str, Any]) -> dict[str, Any]:
    """A type decoded with :mod:`runtime.metadata.format`, in the JSON shape :func:`shape_diff` walks."""
    kind, d = ty["type_def"]
    if kind == "Composite":
        definition: dict[str, Any] = {"composite": {"fields": _fields_json(d["fields"])}}
    elif kind == "Variant":
        definition = {"variant": {"variants": [
            {"name": v["name"], "fields": _fields_json(v["fields"]), "index": v["index"], "docs": v["docs"]}
            for v in d["variants"]]}}
    elif kind == "Sequence":
        definition = {"sequence": {"type": d["type_param"]}}
    elif kind == "Array":
        definition = {"array": {"len": d["len"], "type": d["type_param"]}}
    elif kind == "Tuple":
        definition = {"tuple": list(d["fields"])}
    elif kind == "Primitive":
        definition = {"primitive": d}
    elif kind == "Compact":
        definition = {"compact": {"type": d["type_param"]}}
    else:
        definition = {"bitsequence": {"bitStoreType": d["bit_store_type"], "bitOrderType": d["bit_order_type"]}}
    return {"path": list(ty["path"]), "params": [{"name": p["name"], "type": p["ty"]} for p in ty["type_params"]],
            "def": definition, "docs": list(ty["docs"])}


class DecodedMetadata:
    """A V14/V15 blob decoded with our format codecs: ``version``, ``body`` and ``types`` (id → JSON)."""

    def __init__(self, blob: bytes) -> None:
        from runtime.metadata.format import decode_prefixed

        self.version, self.body = decode_prefixed(unwrap_opaque(blob))
        self.types: dict[int, dict[str, Any]] = {t["id"]: type_json(t["ty"]) for t in self.body["types"]["types"]}
        self._json = [{"id": i, "type": self.types[i]} for i in range(len(self.types))]
        self.pallets: dict[str, dict[str, Any]] = {p["name"]: p for p in self.body["pallets"]}

    def to_json(self) -> list[dict[str, Any]]:
        """What :func:`shape_diff` reads from a registry (so decoded metadata can stand in for one)."""
        return self._json

    def variants(self, type_id: int) -> dict[str, dict[str, Any]]:
        return {v["name"]: v for v in self.types[type_id]["def"]["variant"]["variants"]}


def masked_golden(golden: DecodedMetadata, ours: DecodedMetadata) -> dict[int, dict[str, Any]]:
    """The golden types with every pallet call/event/error enum and the outer enums cut down to the
    variants we declare, so items not implemented yet are not counted twice (they are listed apart)."""
    types = dict(golden.types)

    def restrict(golden_id: int, keep: set[str]) -> None:
        t = dict(types[golden_id])
        t["def"] = {"variant": {"variants": [v for v in t["def"]["variant"]["variants"] if v["name"] in keep]}}
        types[golden_id] = t

    for name, theirs in golden.pallets.items():
        mine = ours.pallets.get(name)
        for part in ("calls", "event", "error"):
            if theirs[part] is not None:
                keep = set(ours.variants(mine[part]["ty"])) if mine is not None and mine[part] else set()
                restrict(theirs[part]["ty"], keep)
    for path in ("RuntimeCall", "RuntimeEvent", "RuntimeError"):
        # Keep the variants our outer enum has (a pallet without calls has no RuntimeCall variant).
        our_ids = find_by_path(ours.types, f"node_subtensor_runtime::{path}")
        keep = ({v["name"] for v in ours.types[our_ids[0]]["def"]["variant"]["variants"]}
                if our_ids else set(ours.pallets))
        for golden_id in find_by_path(golden.types, f"node_subtensor_runtime::{path}"):
            restrict(golden_id, keep)
    return types


def _variant_diff(ours: DecodedMetadata, mine: int, theirs_types: dict[int, dict[str, Any]],
                  golden: DecodedMetadata, their: int, where: str, missing: list[str]) -> list[str]:
    """Per-variant comparison of a pallet enum: index, field names and field shapes."""
    diffs: list[str] = []
    my_variants = ours.variants(mine)
    their_variants = golden.variants(their)
    for name, tv in their_variants.items():
        mv = my_variants.get(name)
        if mv is None:
            missing.append(f"{where}.{name}")
            continue
        at = f"{where}.{name}"
        if mv["index"] != tv["index"]:
            diffs.append(f"{at}: index {mv['index']} != {tv['index']}")
        if [f["name"] for f in mv["fields"]] != [f["name"] for f in tv["fields"]]:
            diffs.append(f"{at}: fields {[f['name'] for f in mv['fields']]} != {[f['name'] for f in tv['fields']]}")
            continue
        for mf, tf in zip(mv["fields"], tv["fields"]):
            diffs.extend(shape_diff(ours, mf["type"], theirs_types, tf["type"],  # type: ignore[arg-type]
                                    f"{at}.{mf['name'] or '_'}"))
    for name in my_variants.keys() - their_variants.keys():
        diffs.append(f"{where}.{name}: not in the golden metadata")
    return diffs


def pallet_diff(ours: DecodedMetadata, golden: DecodedMetadata, name: str,
                theirs_types: dict[int, dict[str, Any]] | None = None,
                value_comparers: dict[str, Any] | None = None) -> tuple[list[str], list[str]]:
    """(differences, items in the golden but not implemented) for one pallet we declare.

    Constant values are compared byte for byte, except those named (``"Pallet.Constant"``) in
    ``value_comparers``, whose comparer ``(ours: bytes, golden: bytes)`` returns its own (differences, not implemented) for a value that
    legitimately depends on what is implemented so far (``System.Version`` lists the runtime APIs).
    """
    theirs_types = masked_golden(golden, ours) if theirs_types is None else theirs_types
    mine, theirs = ours.pallets[name], golden.pallets.get(name)
    if theirs is None:
        return [f"{name}: pallet not in the golden metadata"], []
    diffs: list[str] = []
    missing: list[str] = []

    def shape(my_id: int, their_id: int, where: str) -> None:
        diffs.extend(shape_diff(ours, my_id, theirs_types, their_id, where))  # type: ignore[arg-type]

    if mine["index"] != theirs["index"]:
        diffs.append(f"{name}: index {mine['index']} != {theirs['index']}")

    # storage
    my_storage, their_storage = mine["storage"], theirs["storage"]
    if their_storage is None and my_storage is not None:
        diffs.append(f"{name}: declares storage, the golden has none")
    elif their_storage is not None:
        if my_storage is not None and my_storage["prefix"] != their_storage["prefix"]:
            diffs.append(f"{name}: storage prefix {my_storage['prefix']} != {their_storage['prefix']}")
        my_entries = {e["name"]: e for e in (my_storage or {"entries": []})["entries"]}
        their_entries = {e["name"]: e for e in their_storage["entries"]}
        for entry_name, te in their_entries.items():
            me = my_entries.get(entry_name)
            at = f"{name}.{entry_name}"
            if me is None:
                missing.append(f"{at} (storage)")
                continue
            if me["modifier"] != te["modifier"]:
                diffs.append(f"{at}: modifier {me['modifier']} != {te['modifier']}")
            (my_kind, my_ty), (their_kind, their_ty) = me["ty"], te["ty"]
            if my_kind != their_kind:
                diffs.append(f"{at}: {my_kind} != {their_kind}")
            elif my_kind == "Plain":
                shape(my_ty, their_ty, f"{at} value")
            else:
                if my_ty["hashers"] != their_ty["hashers"]:
                    diffs.append(f"{at}: hashers {my_ty['hashers']} != {their_ty['hashers']}")
                shape(my_ty["key"], their_ty["key"], f"{at} key")
                shape(my_ty["value"], their_ty["value"], f"{at} value")
            if me["default"] != te["default"]:
                diffs.append(f"{at}: default {me['default'].hex()} != {te['default'].hex()}")
        for entry_name in my_entries.keys() - their_entries.keys():
            diffs.append(f"{name}.{entry_name}: storage entry not in the golden metadata")

    # calls, events, errors
    for part, label in (("calls", "call"), ("event", "event"), ("error", "error")):
        if theirs[part] is None:
            if mine[part] is not None:
                diffs.append(f"{name}: declares {part}, the golden has none")
            continue
        if mine[part] is None:
            missing.extend(f"{name}.{v} ({label})" for v in golden.variants(theirs[part]["ty"]))
            continue
        if label != "error":
            their_path = theirs_types[theirs[part]["ty"]]["path"]
            my_path = ours.types[mine[part]["ty"]]["path"]
            if my_path != their_path:
                diffs.append(f"{name} {part}: path {my_path} != {their_path}")
        sub_missing: list[str] = []
        diffs.extend(_variant_diff(ours, mine[part]["ty"], theirs_types, golden, theirs[part]["ty"],
                                   name, sub_missing))
        missing.extend(f"{m} ({label})" for m in sub_missing)
        if label == "error":
            their_path = theirs_types[theirs[part]["ty"]]["path"]
            if ours.types[mine[part]["ty"]]["path"] != their_path:
                diffs.append(f"{name} error: path {ours.types[mine[part]['ty']]['path']} != {their_path}")

    # constants
    my_constants = {c["name"]: c for c in mine["constants"]}
    for tc in theirs["constants"]:
        mc = my_constants.get(tc["name"])
        at = f"{name}.{tc['name']}"
        if mc is None:
            missing.append(f"{at} (constant)")
            continue
        shape(mc["ty"], tc["ty"], f"{at} (constant)")
        comparer = (value_comparers or {}).get(at)
        if comparer is not None:
            value_diffs, value_missing = comparer(mc["value"], tc["value"])
            diffs.extend(f"{at} (constant){d}" for d in value_diffs)
            missing.extend(f"{at} (constant){m}" for m in value_missing)
        elif mc["value"] != tc["value"]:
            diffs.append(f"{at} (constant): value {mc['value'].hex()} != {tc['value'].hex()}")
    for constant in my_constants.keys() - {c["name"] for c in theirs["constants"]}:
        diffs.append(f"{name}.{constant}: constant not in the golden metadata")
    return diffs, missing
