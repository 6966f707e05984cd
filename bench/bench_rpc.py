"""Benchmark: RPC throughput, ``state_getStorage`` requests per second, against a bare trio WebSocket
echo server measured in the same run.

The server under test is the real :func:`subtensor.rpc.server.serve` over a small in-memory chain
backend (one block, a dict of storage), so what is timed is the transport, JSON-RPC parsing,
dispatch and serialization - not the database. The client is a separate process with a raw
socket and no parsing (every request is the same frame with the same id, so every response has the
same length and it only counts bytes): it costs little, so the server is what saturates.

* **ws pipelined** - one WebSocket; N requests written back to back while a reader drains the N
  responses.
* **http keep-alive, pipelined** - one HTTP/1.1 connection, N POSTs written back to back (HTTP/1.1
  pipelining; the server answers them in order).
* **http keep-alive, one at a time** - request, wait for the response, next request.
* **echo (baseline)** - the same WebSocket client against ``trio_websocket.serve_websocket`` with a
  handler that sends every message back: the floor cost of a trio WebSocket message round trip.

Run: ``.venv/bin/python -m bench rpc``. Best of 3 rounds each.
"""

from __future__ import annotations

import base64
import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import AsyncIterator, Sequence
from pathlib import Path
from typing import Any

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import trio  # noqa: E402
from trio_websocket import ConnectionClosed, WebSocketRequest, serve_websocket  # noqa: E402

from runtime.primitives.header import Header  # noqa: E402
from runtime.version import runtime_version  # noqa: E402
from subtensor.rpc.backend import BlockEvent, NodeInfo  # noqa: E402
from subtensor.rpc.methods import build_registry  # noqa: E402
from subtensor.rpc.server import RpcConfig, serve  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
KEY = "0x26aa394eea5630e07c48ae0c9558cef7b99d880ec681799c0cf30e8886371da9"
REQUEST = ('{"jsonrpc":"2.0","id":1,"method":"state_getStorage","params":["' + KEY + '"]}').encode()
N_WS = 20_000
N_HTTP = 5_000
ROUNDS = 3


class _Chain:
    """One block and a dict of storage: enough for state_getStorage."""

    def __init__(self) -> None:
        self.head = Header(b"\x00" * 32, 0, b"\x01" * 32, b"\x02" * 32)
        self.hash = self.head.hash
        self.state = {bytes.fromhex(KEY[2:]): bytes(range(80))}

    def genesis_hash(self) -> bytes:
        return self.hash

    best_hash = finalized_hash = genesis_hash

    def header(self, block_hash: bytes) -> Header | None:
        return self.head if block_hash == self.hash else None

    def body(self, block_hash: bytes) -> list[bytes] | None:
        return [] if block_hash == self.hash else None

    def justifications(self, block_hash: bytes) -> None:
        return None

    def hash_at(self, number: int) -> bytes | None:
        return self.hash if number == 0 else None

    def storage(self, at: bytes, key: bytes) -> bytes | None:
        return self.state.get(key)

    def storage_keys(self, at: bytes, prefix: bytes, count: int, start_key: bytes | None) -> list[bytes]:
        return []

    def read_proof(self, at: bytes, keys: Sequence[bytes]) -> list[bytes]:
        return []

    def runtime_call(self, at: bytes, method: str, data: bytes) -> bytes:
        return b""

    def runtime_version(self, at: bytes) -> dict[str, Any]:
        return runtime_version()

    def metadata(self, at: bytes) -> bytes:
        return b"meta"

    async def subscribe_blocks(self) -> AsyncIterator[BlockEvent]:
        await trio.sleep_forever()
        yield  # pragma: no cover


class _Nothing:
    def peers(self) -> list[dict[str, Any]]:
        return []

    def is_syncing(self) -> bool:
        return False

    def sync_state(self) -> dict[str, int]:
        return {"startingBlock": 0, "currentBlock": 0, "highestBlock": 0}


# ---- client (runs in a child process: python -m bench.bench_rpc <mode> <port> <n>) ----

def _ws_frame(payload: bytes) -> bytes:
    """One masked client text frame (the same mask every time is fine for a benchmark)."""
    mask = b"\x01\x02\x03\x04"
    size = len(payload)
    head = bytes([0x81]) + (bytes([0x80 | size]) if size < 126 else bytes([0x80 | 126]) + size.to_bytes(2, "big"))
    return head + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(payload))


def _read_exactly(sock: socket.socket, buffer: bytearray, size: int) -> bytes:
    while len(buffer) < size:
        chunk = sock.recv(1 << 16)
        if not chunk:
            raise ConnectionError("server closed")
        buffer += chunk
    data = bytes(buffer[:size])
    del buffer[:size]
    return data


def _read_until(sock: socket.socket, buffer: bytearray, marker: bytes) -> bytes:
    while marker not in buffer:
        chunk = sock.recv(1 << 16)
        if not chunk:
            raise ConnectionError("server closed")
        buffer += chunk
    end = buffer.index(marker) + len(marker)
    data = bytes(buffer[:end])
    del buffer[:end]
    return data


def _ws_response_size(sock: socket.socket, buffer: bytearray) -> int:
    head = _read_exactly(sock, buffer, 2)
    size = head[1] & 0x7F
    extra = b""
    if size == 126:
        extra = _read_exactly(sock, buffer, 2)
        size = int.from_bytes(extra, "big")
    _read_exactly(sock, buffer, size)
    return 2 + len(extra) + size


def _http_response_size(sock: socket.socket, buffer: bytearray) -> int:
    head = _read_until(sock, buffer, b"\r\n\r\n")
    length = next(int(line.split(b":")[1]) for line in head.split(b"\r\n") if line.lower().startswith(b"content-length"))
    _read_exactly(sock, buffer, length)
    return len(head) + length


def _pipelined(sock: socket.socket, message: bytes, n: int, response_size: int, buffer: bytearray) -> float:
    total = n * response_size - len(buffer)

    def send() -> None:
        batch = message * 100
        for _ in range(n // 100):
            sock.sendall(batch)
        sock.sendall(message * (n % 100))

    start = time.perf_counter()
    sender = threading.Thread(target=send)
    sender.start()
    received = 0
    while received < total:
        chunk = sock.recv(1 << 20)
        if not chunk:
            raise ConnectionError("server closed")
        received += len(chunk)
    elapsed = time.perf_counter() - start
    sender.join()
    buffer.clear()
    return n / elapsed


def client(mode: str, port: int, n: int) -> float:
    sock = socket.create_connection(("127.0.0.1", port))
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    buffer = bytearray()
    if mode in ("ws", "echo"):
        key = base64.b64encode(os.urandom(16)).decode()
        sock.sendall(f"GET / HTTP/1.1\r\nhost: 127.0.0.1:{port}\r\nupgrade: websocket\r\nconnection: Upgrade\r\n"
                     f"sec-websocket-key: {key}\r\nsec-websocket-version: 13\r\n\r\n".encode())
        _read_until(sock, buffer, b"\r\n\r\n")
        message = _ws_frame(REQUEST)
        sock.sendall(message)
        size = _ws_response_size(sock, buffer)
        return _pipelined(sock, message, n, size, buffer)
    message = (b"POST / HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/json\r\n"
               b"content-length: %d\r\n\r\n" % len(REQUEST)) + REQUEST
    sock.sendall(message)
    size = _http_response_size(sock, buffer)
    if mode == "http":
        return _pipelined(sock, message, n, size, buffer)
    start = time.perf_counter()  # "http1": one request at a time
    for _ in range(n):
        sock.sendall(message)
        _read_exactly(sock, buffer, size)
    return n / (time.perf_counter() - start)


# ---- servers and the driver ----

async def _echo(request: WebSocketRequest) -> None:
    ws = await request.accept()
    try:
        while True:
            await ws.send_message(await ws.get_message())
    except ConnectionClosed:
        pass


async def _client_rate(mode: str, port: int, n: int) -> float:
    result = await trio.run_process([sys.executable, "-m", "bench.bench_rpc", mode, str(port), str(n)],
                                    capture_stdout=True, cwd=ROOT)
    return float(result.stdout)


async def _measure() -> dict[str, float]:
    rates: dict[str, float] = {}
    registry = build_registry(_Chain(), None, _Nothing(), NodeInfo())  # type: ignore[arg-type]
    async with trio.open_nursery() as nursery:
        listeners = await nursery.start(serve_websocket, _echo, "127.0.0.1", 0, None)
        echo_port = listeners.port
        _, rpc_port = await nursery.start(serve, RpcConfig(port=0), registry)
        plan = [("echo (baseline)", "echo", echo_port, N_WS), ("ws pipelined", "ws", rpc_port, N_WS),
                ("http keep-alive, pipelined", "http", rpc_port, N_HTTP),
                ("http keep-alive, one at a time", "http1", rpc_port, N_HTTP // 5)]
        for _round in range(ROUNDS):
            for label, mode, port, n in plan:
                rates[label] = max(rates.get(label, 0.0), await _client_rate(mode, port, n))
        nursery.cancel_scope.cancel()
    return rates


def main() -> str:
    rates = trio.run(_measure)
    echo = rates["echo (baseline)"]
    lines = ["| workload (state_getStorage, 1 connection) | requests/s | vs echo |", "|---|---:|---:|"]
    for label, rate in rates.items():
        lines.append(f"| {label} | {rate:,.0f} | {rate / echo:.0%} |")
    return "\n".join(lines)


if __name__ == "__main__":
    if len(sys.argv) == 4:
        print(client(sys.argv[1], int(sys.argv[2]), int(sys.argv[3])))
    else:
        print(main())
