"""``subtensor localnet``: N validator nodes on this machine forming one chain, for devnets and tests.

Node *i* (Alice, Bob, Charlie, … in authority order) gets its own base path, libp2p port ``port + i``,
RPC port ``rpc_port + i`` and a deterministic node key (``0x00…0{i+1}``), so every node's peer id is known
in advance; each node's bootnodes are all earlier nodes, which gives a full mesh. The chain spec (plain,
with the N authorities for Aura and GRANDPA) is written next to the base paths so a node can be restarted
by hand with the same command. The supervisor waits until every node reports a finalized block, prints the endpoints, and stops all nodes
on Ctrl-C (SIGTERM first, SIGKILL after a grace period, as trio's ``run_process`` does).
"""

from __future__ import annotations

import json
import logging
import sys
import tempfile
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import trio

from runtime.presets import AUTHORITY_NAMES
from subtensor import node_key

log = logging.getLogger("localnet")


class LocalnetError(Exception):
    """The localnet could not be started (bad arguments, a node failed to come up)."""


@dataclass(frozen=True, slots=True)
class LocalNode:
    name: str
    index: int
    base_path: Path
    p2p_port: int
    rpc_port: int
    secret: bytes

    @property
    def peer_id(self) -> str:
        return node_key.peer_id(self.secret)

    @property
    def multiaddr(self) -> str:
        return f"/ip4/127.0.0.1/tcp/{self.p2p_port}/p2p/{self.peer_id}"

    @property
    def rpc_url(self) -> str:
        return f"http://127.0.0.1:{self.rpc_port}"

    @property
    def log_path(self) -> Path:
        return self.base_path.parent / f"{self.name.lower()}.log"


def chain_spec_document(authorities: int) -> dict[str, Any]:
    """A plain chain spec for a localnet whose first ``authorities`` dev accounts author and vote."""
    from runtime.presets import localnet_preset

    try:
        return localnet_preset(authorities)
    except ValueError as exc:
        raise LocalnetError(str(exc)) from exc


def plan(nodes: int, base: Path, port: int = 30333, rpc_port: int = 9944,
         validators: int | None = None) -> list[LocalNode]:
    """The nodes of a localnet: the first ``validators`` (default all) are authorities."""
    if nodes < 1:
        raise LocalnetError("--nodes must be at least 1")
    names = [AUTHORITY_NAMES[i] if i < len(AUTHORITY_NAMES) else f"Node{i}" for i in range(nodes)]
    return [LocalNode(name, i, base / name.lower(), port + i, rpc_port + i, (i + 1).to_bytes(32, "big"))
            for i, name in enumerate(names)]


def node_command(node: LocalNode, spec_path: Path | str, bootnodes: list[str], *, validator: bool,
                 fast_blocks: bool = True, extra: tuple[str, ...] = ()) -> list[str]:
    """The ``subtensor node`` command line that runs ``node``."""
    command = [sys.executable, "-m", "subtensor.cli", "node", "--chain", str(spec_path),
               "--base-path", str(node.base_path), "--name", node.name, "--port", str(node.p2p_port),
               "--rpc-port", str(node.rpc_port), "--rpc-cors", "all", "--rpc-methods", "unsafe",
               "--node-key", node.secret.hex(), "--no-prometheus",
               "--fast-blocks" if fast_blocks else "--no-fast-blocks"]
    if validator and node.name in AUTHORITY_NAMES:
        command.append(f"--{node.name.lower()}")
    for address in bootnodes:
        command += ["--bootnodes", address]
    return command + list(extra)


def rpc_call(url: str, method: str, params: list[Any] | None = None, timeout: float = 2.0) -> Any:
    """One JSON-RPC call over HTTP; raises OSError/ValueError on failure."""
    body = json.dumps({"jsonrpc": "2.0", "id": 1, "method": method, "params": params or []}).encode()
    request = urllib.request.Request(url, body, {"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=timeout) as response:
        reply = json.loads(response.read())
    if "error" in reply:
        raise ValueError(reply["error"])
    return reply["result"]


def finalized_number(url: str) -> int | None:
    try:
        head = rpc_call(url, "chain_getFinalizedHead")
        header = rpc_call(url, "chain_getHeader", [head])
    except (OSError, ValueError, urllib.error.URLError):
        return None
    return int(header["number"], 16)


async def wait_finalized(nodes: list[LocalNode], at_least: int, timeout_s: float) -> None:
    with trio.move_on_after(timeout_s) as scope:
        while True:
            numbers = [await trio.to_thread.run_sync(finalized_number, n.rpc_url) for n in nodes]
            if all(x is not None and x >= at_least for x in numbers):
                return
            await trio.sleep(0.5)
    if scope.cancelled_caught:
        raise LocalnetError(f"nodes did not finalize block #{at_least} within {timeout_s:.0f} s; see the logs")


async def run_localnet(nodes: int, base: Path | None, *, port: int = 30333, rpc_port: int = 9944,
                       fast_blocks: bool = True, ready_timeout_s: float = 180.0,
                       task_status: Any = trio.TASK_STATUS_IGNORED) -> None:
    """Start the nodes, wait for finality, report, and run until cancelled."""
    root = Path(tempfile.mkdtemp(prefix="pysubtensor-localnet-")) if base is None else base
    root.mkdir(parents=True, exist_ok=True)
    members = plan(nodes, root, port, rpc_port)
    validators = min(nodes, len(AUTHORITY_NAMES))
    spec_path = root / "chain-spec.json"
    spec_path.write_text(json.dumps(chain_spec_document(validators), indent=2))
    async with trio.open_nursery() as nursery:
        for member in members:
            member.base_path.mkdir(parents=True, exist_ok=True)
            # Every node dials all earlier ones: a full mesh that survives the loss of any single node.
            boot = [m.multiaddr for m in members[:member.index]]
            command = node_command(member, spec_path, boot,
                                   validator=member.index < validators, fast_blocks=fast_blocks)
            log_file = member.log_path.open("ab")
            await nursery.start(_supervise, command, log_file)
        await wait_finalized(members, 1, ready_timeout_s)
        for member in members:
            print(f"{member.name:8} rpc ws://127.0.0.1:{member.rpc_port}  p2p {member.multiaddr}  "
                  f"log {member.log_path}", flush=True)
        print(f"localnet ready: {nodes} nodes, chain spec {spec_path}; Ctrl-C stops all nodes", flush=True)
        task_status.started(members)


async def _supervise(command: list[str], log_file: Any, *, task_status: Any = trio.TASK_STATUS_IGNORED) -> None:
    try:
        process = await trio.lowlevel.open_process(command, stdout=log_file, stderr=log_file)
        task_status.started(process)
        try:
            code = await process.wait()
        finally:
            if process.returncode is None:
                process.terminate()
                with trio.move_on_after(10) as grace:
                    grace.shield = True
                    await process.wait()
                if process.returncode is None:
                    process.kill()
        raise LocalnetError(f"node exited with code {code}: {' '.join(command[:6])}…")
    finally:
        log_file.close()
