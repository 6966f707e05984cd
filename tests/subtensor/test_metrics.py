"""Prometheus exposition: Substrate's metric names over HTTP from a trio task."""

from __future__ import annotations

import trio

from subtensor.metrics import NodeMetrics, serve_metrics


async def _fetch(port: int, path: str) -> bytes:
    stream = await trio.open_tcp_stream("127.0.0.1", port)
    async with stream:
        await stream.send_all(f"GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".encode())
        chunks = []
        while data := await stream.receive_some(65536):
            chunks.append(data)
    return b"".join(chunks)


def test_metrics_endpoint_serves_substrate_names() -> None:
    metrics = NodeMetrics()
    metrics.block_height.labels("best").set(7)
    metrics.block_height.labels("finalized").set(5)

    async def main() -> tuple[bytes, bytes]:
        async with trio.open_nursery() as nursery:
            port = await nursery.start(serve_metrics, metrics, "127.0.0.1", 0)
            body = await _fetch(port, "/metrics")
            missing = await _fetch(port, "/nope")
            nursery.cancel_scope.cancel()
        return body, missing

    body, missing = trio.run(main)
    assert body.split(b"\r\n")[0].startswith(b"HTTP/1.1 200")
    assert b'substrate_block_height{status="best"} 7.0' in body
    assert b'substrate_block_height{status="finalized"} 5.0' in body
    assert b"substrate_ready_transactions_number" in body and b"substrate_sub_libp2p_peers_count 0.0" in body
    assert b"404" in missing.split(b"\r\n")[0]
