"""GenesisBuilder: build genesis state from a JSON config, and the named presets (dev, local)."""

from __future__ import annotations

import json
from typing import Any

from runtime.apis import runtime_api
from runtime.genesis import build_genesis
from runtime.scale import U8, Option, Result, Str, Unit, Vec
from runtime.support.context import Context

GenesisBuilder = runtime_api("GenesisBuilder", 1)


@GenesisBuilder.method("build_state", [("json", Vec(U8))], Result(Unit, Str))
def build_state(ctx: Context, config_json: bytes) -> Any:
    from runtime.scale import Err, Ok

    try:
        config = json.loads(config_json)
    except (ValueError, UnicodeDecodeError) as exc:
        return Err(f"invalid JSON genesis config: {exc}")
    if not isinstance(config, dict):
        return Err("genesis config must be a JSON object")
    build_genesis(ctx.ext, ctx.runtime, config)
    return Ok(None)


@GenesisBuilder.method("get_preset", [("id", Option(Str))], Option(Vec(U8)))
def get_preset(ctx: Context, preset_id: str | None) -> bytes | None:
    from runtime.presets import preset_config

    config = preset_config(preset_id or "development")
    return None if config is None else json.dumps(config).encode()


@GenesisBuilder.method("preset_names", [], Vec(Str))
def preset_names(ctx: Context) -> list[str]:
    from runtime.presets import PRESET_NAMES

    return list(PRESET_NAMES)
