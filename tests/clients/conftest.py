"""A real dev node in a child process, on free ports, for tests that drive it with real clients."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class RunningNode:
    process: subprocess.Popen[str]
    rpc_port: int
    log: list[str]

    @property
    def ws_url(self) -> str:
        return f"ws://127.0.0.1:{self.rpc_port}"

    @property
    def http_url(self) -> str:
        return f"http://127.0.0.1:{self.rpc_port}"

    def wait_for(self, pattern: str, timeout: float = 30.0) -> str:
        deadline = time.monotonic() + timeout
        regex = re.compile(pattern)
        while time.monotonic() < deadline:
            for line in list(self.log):
                if regex.search(line):
                    return line
            if self.process.poll() is not None:
                break
            time.sleep(0.05)
        raise AssertionError(f"node log never matched {pattern!r}:\n" + "".join(self.log[-40:]))


def start_node(base_path: Path, *extra: str, wait_block: bool = True) -> RunningNode:
    rpc_port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "subtensor.cli", "node", "--dev", "--base-path", str(base_path),
         "--rpc-port", str(rpc_port), "--port", str(free_port()), "--no-prometheus", "--rpc-methods", "unsafe",
         *extra],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    node = RunningNode(process, rpc_port, [])

    def pump() -> None:
        assert process.stdout is not None
        for line in process.stdout:
            node.log.append(line)

    threading.Thread(target=pump, daemon=True).start()
    node.wait_for(r"Running JSON-RPC server")
    if wait_block:
        node.wait_for(r"Imported #1 ")
    return node


def stop_node(node: RunningNode) -> None:
    if node.process.poll() is None:
        node.process.send_signal(signal.SIGTERM)
        try:
            node.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            node.process.kill()


@pytest.fixture(scope="module")
def dev_node(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningNode]:
    node = start_node(tmp_path_factory.mktemp("node"))
    try:
        yield node
    finally:
        stop_node(node)
