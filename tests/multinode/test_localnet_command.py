"""`subtensor localnet` end to end: it starts the nodes, waits for finality, prints the endpoints, and Ctrl-C
stops every node it started."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from subtensor.localnet import finalized_number
from tests.multinode.harness import free_port_block

pytestmark = [pytest.mark.slow, pytest.mark.timeout(300)]


def test_localnet_runs_finalizes_and_stops_on_ctrl_c(tmp_path: Path) -> None:
    p2p, rpc = free_port_block(2), free_port_block(2)
    process = subprocess.Popen(
        [sys.executable, "-m", "subtensor.cli", "localnet", "--nodes", "2", "--base-path", str(tmp_path),
         "--port", str(p2p), "--rpc-port", str(rpc)],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env={**os.environ, "PYTHONUNBUFFERED": "1"})
    lines: list[str] = []
    try:
        assert process.stdout is not None
        deadline = time.monotonic() + 180
        for line in process.stdout:
            lines.append(line)
            if "localnet ready" in line or time.monotonic() > deadline:
                break
        text = "".join(lines)
        assert "localnet ready: 2 nodes" in text, text
        assert re.search(rf"Alice +rpc ws://127\.0\.0\.1:{rpc} +p2p /ip4/127\.0\.0\.1/tcp/{p2p}/p2p/12D3KooW", text)
        assert f"ws://127.0.0.1:{rpc + 1}" in text
        for port in (rpc, rpc + 1):  # both nodes finalized at least one block before "ready"
            assert (finalized_number(f"http://127.0.0.1:{port}") or 0) >= 1
    finally:
        process.send_signal(signal.SIGINT)
        rest, _ = process.communicate(timeout=60)
    assert "stopping all nodes" in rest
    assert process.returncode == 0
    for port in (rpc, rpc + 1):  # nothing answers any more: the nodes are gone
        assert finalized_number(f"http://127.0.0.1:{port}") is None
    assert (tmp_path / "alice.log").exists() and (tmp_path / "chain-spec.json").exists()
