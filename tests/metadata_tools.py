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
