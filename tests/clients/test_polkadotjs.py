"""polkadot.js (@polkadot/api 16, run with node) against a dev node: query, transfer, finality."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.clients.conftest import RunningNode

pytestmark = pytest.mark.slow
JS_DIR = Path(__file__).parent / "js"
CACHE = Path(__file__).resolve().parents[2] / ".cache" / "polkadotjs"


def _install() -> Path:
    """Install @polkadot/api once into .cache (npm registry), returning the directory to run in."""
    if shutil.which("node") is None or shutil.which("npm") is None:
        pytest.skip("node/npm are not installed: the polkadot.js check cannot run")
    CACHE.mkdir(parents=True, exist_ok=True)
    for name in ("package.json", "transfer.mjs"):
        shutil.copy(JS_DIR / name, CACHE / name)
    if not (CACHE / "node_modules" / "@polkadot" / "api").exists():
        proc = subprocess.run(["npm", "install", "--no-audit", "--no-fund", "--loglevel=error"], cwd=CACHE,
                              capture_output=True, text=True, timeout=600)
        if proc.returncode != 0:
            pytest.skip(f"npm install @polkadot/api failed: {proc.stderr[-500:]}")
    return CACHE


def test_polkadotjs_query_and_transfer(dev_node: RunningNode) -> None:
    workdir = _install()
    proc = subprocess.run(["node", "transfer.mjs", dev_node.ws_url], cwd=workdir, capture_output=True,
                          text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-2000:]
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    assert result["chain"] == "Development" and result["specVersion"] == 461
    assert int(result["aliceFree"]) > 0
    assert int(result["destFree"]) == 3_000_000_000
    assert "balances.Transfer" in result["events"] and "system.ExtrinsicSuccess" in result["events"]
    assert result["finalized"].startswith("0x")
