"""The command line: a dev node that authors at once, and the key/spec/purge utilities."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from runtime.primitives.keys import dev_account
from subtensor.cli import main
from subtensor.node_key import peer_id


def _spawn(*args: str) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-m", "subtensor.cli", *args], stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True, env={**os.environ, "PYTHONUNBUFFERED": "1"})


@pytest.mark.slow
def test_dev_node_imports_block_1_within_3_seconds_and_stops_on_sigterm(tmp_path: Path) -> None:
    started = time.monotonic()
    proc = _spawn("node", "--dev", "--rpc-port", "0", "--port", "0", "--base-path", str(tmp_path))
    seen: list[str] = []
    try:
        assert proc.stdout is not None
        for line in proc.stdout:
            seen.append(line)
            if "Imported #1 " in line:
                break
            assert time.monotonic() - started < 30, "".join(seen)
        elapsed = time.monotonic() - started
        text = "".join(seen)
        assert "Initializing Genesis block/state (state: 0x" in text
        assert "Local node identity is: 12D3KooW" in text
        assert "Running JSON-RPC server: addr=" in text
        assert elapsed < 3.0, f"Imported #1 after {elapsed:.2f}s"
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=20)
    assert proc.returncode == 0
    assert (tmp_path / "chains" / "dev" / "db" / "full").exists()


def test_key_inspect_and_generate_node_key(tmp_path: Path) -> None:
    runner = CliRunner()
    out = runner.invoke(main, ["key", "inspect", "//Alice"]).output
    assert dev_account("Alice").ss58_address in out and "0xd43593c7" in out
    result = runner.invoke(main, ["key", "generate-node-key", "--file", str(tmp_path / "k")])
    assert result.exit_code == 0
    assert peer_id((tmp_path / "k").read_bytes()) in result.output
    bad = runner.invoke(main, ["key", "inspect", "//Alice//soft/x", "--scheme", "ed25519"])
    assert bad.exit_code != 0


def test_build_spec_plain_and_raw() -> None:
    runner = CliRunner()
    plain = json.loads(runner.invoke(main, ["build-spec", "--chain", "dev"]).output)
    assert plain["id"] == "dev" and plain["properties"]["tokenSymbol"] == "TAO"
    raw = json.loads(runner.invoke(main, ["build-spec", "--chain", "dev", "--raw"]).output)
    assert raw["genesis"]["raw"]["top"]
    from subtensor.chain_spec import parse_raw_chain_spec, load_chain_spec

    assert parse_raw_chain_spec(raw).genesis_header().hash == load_chain_spec("dev")[1].genesis_header().hash


def test_purge_chain(tmp_path: Path) -> None:
    db = tmp_path / "chains" / "dev" / "db" / "full"
    db.mkdir(parents=True)
    (db / "CURRENT").write_text("x")
    result = CliRunner().invoke(main, ["purge-chain", "--base-path", str(tmp_path), "--chain", "dev", "-y"])
    assert result.exit_code == 0 and not db.exists()
