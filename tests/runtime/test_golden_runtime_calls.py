"""Every recorded runtime-API call: our node answers it, and both answers decode with our declared output."""

from __future__ import annotations

from typing import Any

import pytest

from runtime.apis import call_api, resolve
from runtime.genesis import build_genesis
from runtime.node_runtime import node_runtime
from runtime.presets import genesis_config
from runtime.scale import DecodeError

from tests.runtime.ext import TestExternalities


@pytest.fixture(scope="module")
def dev_ctx() -> Any:
    ext = TestExternalities()
    build_genesis(ext, node_runtime(), genesis_config(("Alice",)))
    return node_runtime().context(ext.commit_all())


def test_recorded_runtime_calls_have_our_shapes(golden: Any, dev_ctx: Any) -> None:
    for entry in golden["runtime_calls"]:
        method = f"{entry['api']}_{entry['method']}"
        _, definition = resolve(method)
        recorded = bytes.fromhex(entry["raw_hex"].removeprefix("0x"))
        try:
            definition.output.decode(recorded)
        except DecodeError as exc:  # pragma: no cover - the assertion below reports it
            pytest.fail(f"{method}: the recorded result does not decode with our declaration: {exc}")
        ours = call_api(dev_ctx, method, bytes.fromhex(entry["encoded_params_hex"].removeprefix("0x")))
        definition.output.decode(ours)
