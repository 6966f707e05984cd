"""Multi-process localnets for the network tests: real `subtensor node` processes on loopback.

Nodes are laid out by :func:`subtensor.localnet.plan` (known keys and ports, node 0 is everybody's bootnode,
every node also dials all earlier nodes so the mesh survives the loss of any one of them) and queried over
HTTP JSON-RPC. Logs go to files next to each node's base path, and are shown when an assertion fails.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from subtensor.localnet import LocalNode, node_command, plan, rpc_call


def free_port_block(count: int) -> int:
    """A base port with ``count`` consecutive free ports (best effort)."""
    for _ in range(50):
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            base = int(s.getsockname()[1])
        if base + count >= 65000:
            continue
        ok = True
        for port in range(base, base + count):
            with socket.socket() as probe:
                try:
                    probe.bind(("127.0.0.1", port))
                except OSError:
                    ok = False
                    break
        if ok:
            return base
    raise RuntimeError("no block of free ports")


@dataclass
class Net:
    root: Path
    spec: str
    nodes: list[LocalNode]
    validators: int
    extra: tuple[str, ...] = ()
    processes: dict[int, subprocess.Popen[bytes]] = field(default_factory=dict)

    def start(self, index: int, *, bootnodes: list[str] | None = None, validator: bool | None = None,
              extra: tuple[str, ...] = ()) -> None:
        node = self.nodes[index]
        node.base_path.mkdir(parents=True, exist_ok=True)
        boot = bootnodes if bootnodes is not None else [n.multiaddr for n in self.nodes[:index]]
        is_validator = index < self.validators if validator is None else validator
        command = node_command(node, self.spec, boot, validator=is_validator, extra=self.extra + extra)
        log = node.log_path.open("ab")
        self.processes[index] = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT,
                                                 env={**os.environ, "PYTHONUNBUFFERED": "1"})
        log.close()

    def kill(self, index: int) -> None:
        process = self.processes.pop(index)
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=20)

    def stop_all(self) -> None:
        for process in self.processes.values():
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in self.processes.values():
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
        self.processes.clear()

    def rpc(self, index: int, method: str, params: list[Any] | None = None) -> Any:
        return rpc_call(self.nodes[index].rpc_url, method, params, timeout=10.0)

    def number(self, index: int, finalized: bool) -> int | None:
        try:
            head = self.rpc(index, "chain_getFinalizedHead") if finalized else None
            header = self.rpc(index, "chain_getHeader", [head] if head else [])
        except (OSError, ValueError):
            return None
        return int(header["number"], 16)

    def hash_at(self, index: int, number: int) -> str | None:
        return self.rpc(index, "chain_getBlockHash", [number])  # type: ignore[no-any-return]

    def logs(self, index: int, lines: int = 40) -> str:
        path = self.nodes[index].log_path
        if not path.exists():
            return "(no log)"
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])

    def all_logs(self) -> str:
        return "\n\n".join(f"--- {n.name} ---\n{self.logs(n.index)}" for n in self.nodes)

    def wait(self, what: str, predicate: Callable[[], bool], timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if predicate():
                return
            time.sleep(0.25)
        raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}\n{self.all_logs()}")


def make_net(root: Path, count: int, validators: int, spec: str) -> Net:
    base_p2p = free_port_block(count)
    base_rpc = free_port_block(count)
    return Net(root, spec, plan(count, root, port=base_p2p, rpc_port=base_rpc), validators)
