"""Prometheus metrics with Substrate's metric names, served over HTTP by a trio task.

The registry is ``prometheus_client``'s; the exposition endpoint (``GET /metrics``) is a small h11
server in the node's nursery rather than prometheus_client's thread-based server, so every task stays
owned by the node.
"""

from __future__ import annotations

import logging
from typing import Any

import h11
import trio
from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest

log = logging.getLogger("subtensor.metrics")


class NodeMetrics:
    """The node's metrics (one registry per node, so tests can run several)."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        r = self.registry
        self.block_height = Gauge("substrate_block_height", "Block height info of the chain", ["status"],
                                  registry=r)
        self.ready_transactions = Gauge("substrate_ready_transactions_number",
                                        "Number of transactions in the ready queue", registry=r)
        self.peers = Gauge("substrate_sub_libp2p_peers_count", "Number of connected peers", registry=r)
        self.import_time = Histogram("substrate_block_verification_and_import_time",
                                     "Time taken to verify and import blocks", registry=r)
        self.proposal_time = Histogram("substrate_proposer_block_constructed",
                                       "Histogram of time taken to construct new block", registry=r)
        self.rpc_calls = Counter("substrate_rpc_calls_total", "Number of received RPC calls",
                                 ["method", "protocol"], registry=r)
        self.rpc_errors = Counter("substrate_rpc_calls_errors_total", "Number of failed RPC calls",
                                  ["method", "protocol"], registry=r)
        self.peers.set(0)

    def exposition(self) -> bytes:
        return generate_latest(self.registry)


async def serve_metrics(metrics: NodeMetrics, host: str, port: int,
                        *, task_status: Any = trio.TASK_STATUS_IGNORED) -> None:
    """Serve ``GET /metrics`` until cancelled; reports the bound port through ``task_status``."""
    listeners = await trio.open_tcp_listeners(port, host=host)
    bound = listeners[0].socket.getsockname()[1]
    log.info("〽️ Prometheus exporter started at %s:%d", host, bound)
    task_status.started(bound)
    await trio.serve_listeners(lambda stream: _handle(stream, metrics), listeners)


async def _handle(stream: trio.SocketStream, metrics: NodeMetrics) -> None:
    conn = h11.Connection(h11.SERVER)
    try:
        with trio.move_on_after(10):
            while True:
                event = conn.next_event()
                if event is h11.NEED_DATA:
                    data = await stream.receive_some(65536)
                    conn.receive_data(data)
                    if not data:
                        return
                    continue
                if isinstance(event, h11.Request):
                    if event.target.split(b"?")[0] == b"/metrics":
                        body, status = metrics.exposition(), 200
                    else:
                        body, status = b"Not found\n", 404
                    headers = [("content-type", "text/plain; version=0.0.4"), ("content-length", str(len(body)))]
                    await stream.send_all(conn.send(h11.Response(status_code=status, headers=headers)))
                    await stream.send_all(conn.send(h11.Data(data=body)))
                    await stream.send_all(conn.send(h11.EndOfMessage()))
                    return
                if isinstance(event, (h11.ConnectionClosed, h11.EndOfMessage)):
                    return
    except (h11.RemoteProtocolError, trio.BrokenResourceError, trio.ClosedResourceError):
        return
    finally:
        await stream.aclose()
