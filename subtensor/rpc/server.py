"""One port for JSON-RPC over HTTP POST and over WebSocket (with subscriptions), on trio.

HTTP/1.1 is parsed by h11 (keep-alive, CORS, ``GET /health`` and ``/health/readiness``); a request asking
for ``Upgrade: websocket`` is handed, bytes and all, to trio-websocket (wsproto underneath). Every
connection runs in the server's nursery; each WebSocket connection has its own nursery holding its
in-flight requests and its subscriptions, so closing the socket cancels them.

    registry = build_registry(chain, pool, network, info)
    host, port = await nursery.start(serve, RpcConfig(port=9944), registry)
"""

from __future__ import annotations

import ipaddress
import json
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import Any, Literal

import h11
import trio
from trio_websocket import ConnectionClosed, WebSocketConnection, wrap_server_stream

from subtensor.rpc import errors
from subtensor.rpc.dispatch import Registry, Subscription, notification_text

log = logging.getLogger(__name__)

MIB = 1024 * 1024
# Substrate's default --rpc-cors for non-dev chains (dev chains default to "all")
DEFAULT_CORS: tuple[str, ...] = (
    "http://localhost:*", "http://127.0.0.1:*", "https://localhost:*", "https://127.0.0.1:*",
    "https://polkadot.js.org",
)
MAX_HEADER_SIZE = 64 * 1024
HEADER_TIMEOUT = 30.0  # seconds for a client to send request headers (first and keep-alive)
TOO_MANY_CONNECTIONS = b"Too many connections. Please try again later."


@dataclass(frozen=True)
class RpcConfig:
    """``--rpc-*`` settings. ``methods="auto"`` serves unsafe methods only when listening on loopback."""

    host: str = "127.0.0.1"
    port: int = 9944
    cors: Sequence[str] | Literal["all"] = DEFAULT_CORS
    methods: Literal["safe", "unsafe", "auto"] = "auto"
    max_connections: int = 100
    max_request_size: int = 15 * MIB
    max_response_size: int = 15 * MIB
    max_subscriptions_per_connection: int = 1024
    max_concurrent_requests: int = 256  # in flight per WebSocket connection (backpressure beyond)

    @property
    def allow_unsafe(self) -> bool:
        if self.methods == "unsafe":
            return True
        if self.methods == "safe":
            return False
        if self.host == "localhost":
            return True
        try:
            return ipaddress.ip_address(self.host).is_loopback
        except ValueError:
            return False

    def origin_allowed(self, origin: str | None) -> bool:
        if origin is None or self.cors == "all":
            return True
        for pattern in self.cors:
            if origin == pattern:
                return True
            if pattern.endswith(":*"):
                base = pattern[:-2]
                rest = origin[len(base):]
                if origin.startswith(base) and (rest == "" or (rest[:1] == ":" and rest[1:].isdigit())):
                    return True
        return False


class _ReplayStream(trio.abc.Stream):
    """A stream that first yields bytes already read from ``inner`` (the HTTP upgrade request)."""

    def __init__(self, inner: trio.abc.Stream, prefix: bytes) -> None:
        self._inner = inner
        self._prefix = prefix
        self.socket = getattr(inner, "socket", None)

    async def receive_some(self, max_bytes: int | None = None) -> bytes:
        if self._prefix:
            size = len(self._prefix) if max_bytes is None else max_bytes
            data, self._prefix = self._prefix[:size], self._prefix[size:]
            return data
        return await self._inner.receive_some(max_bytes)

    async def send_all(self, data: bytes | bytearray | memoryview) -> None:
        await self._inner.send_all(data)

    async def wait_send_all_might_not_block(self) -> None:
        await self._inner.wait_send_all_might_not_block()

    async def aclose(self) -> None:
        await self._inner.aclose()


class _HttpSession:
    supports_subscriptions = False

    def __init__(self, allow_unsafe: bool) -> None:
        self.allow_unsafe = allow_unsafe

    def add_subscription(self, sub: Subscription) -> None:
        raise errors.internal_error("subscriptions need a WebSocket connection")

    def remove_subscription(self, group: str, sub_id: str) -> bool:
        return False


@dataclass
class _Entry:
    sub: Subscription
    scope: trio.CancelScope | None = None
    cancelled: bool = False


@dataclass
class _WsSession:
    """One WebSocket connection: sends, and the subscriptions it owns."""

    ws: WebSocketConnection
    nursery: trio.Nursery
    registry: Registry
    allow_unsafe: bool
    max_subscriptions: int
    supports_subscriptions: bool = True
    subs: dict[str, _Entry] = field(default_factory=dict)

    def add_subscription(self, sub: Subscription) -> None:
        if len(self.subs) >= self.max_subscriptions:
            raise errors.too_many_subscriptions(self.max_subscriptions)
        self.subs[sub.id] = _Entry(sub)

    def remove_subscription(self, group: str, sub_id: str) -> bool:
        entry = self.subs.get(sub_id)
        if entry is None or entry.sub.group != group:
            return False
        del self.subs[sub_id]
        entry.cancelled = True
        if entry.scope is not None:
            entry.scope.cancel()
        elif entry.sub.on_close is not None:
            entry.sub.on_close()
        return True

    async def process(self, message: str | bytes, slot: trio.Semaphore) -> None:
        try:
            pending = await self.registry.handle(message, self)
            if pending.response is not None:
                await self.ws.send_message(pending.response)
            for sub in pending.started:
                self.nursery.start_soon(self._run_subscription, sub)
            for then in pending.after:
                then()
        except ConnectionClosed:
            pass
        finally:
            slot.release()

    async def _run_subscription(self, sub: Subscription) -> None:
        entry = self.subs.get(sub.id)
        try:
            if entry is None or entry.cancelled:
                return
            with trio.CancelScope() as entry.scope:
                async for item in sub.stream:
                    await self.ws.send_message(notification_text(sub.notification, sub.id, item))
        except ConnectionClosed:
            pass
        except Exception:
            log.exception("subscription %s (%s) failed", sub.id, sub.group)
        finally:
            self.subs.pop(sub.id, None)
            with trio.CancelScope(shield=True), trio.move_on_after(5):
                close = getattr(sub.stream, "aclose", None)
                if close is not None:
                    await close()
            if sub.on_close is not None:
                sub.on_close()


def _header(headers: Sequence[tuple[bytes, bytes]], name: bytes) -> str | None:
    for key, value in headers:
        if key.lower() == name:
            return value.decode("latin-1")
    return None


class _Server:
    def __init__(self, config: RpcConfig, registry: Registry) -> None:
        self.config = config
        self.registry = registry
        self.connections = 0

    async def handle(self, stream: trio.SocketStream) -> None:
        over = self.connections >= self.config.max_connections
        self.connections += 1
        try:
            if over:
                await self._refuse(stream)
            else:
                await self._http(stream)
        except (trio.BrokenResourceError, trio.ClosedResourceError, h11.ProtocolError, ConnectionClosed):
            pass
        except Exception:
            log.exception("RPC connection failed")
        finally:
            self.connections -= 1
            await trio.aclose_forcefully(stream)

    async def _next(self, conn: h11.Connection, stream: trio.abc.Stream) -> Any:
        while True:
            event = conn.next_event()
            if event is not h11.NEED_DATA:
                return event
            conn.receive_data(await stream.receive_some(65536))

    async def _send(self, conn: h11.Connection, stream: trio.abc.Stream, status: int, body: bytes,
                    headers: list[tuple[str, str]] | None = None, content_type: str = "application/json; charset=utf-8"
                    ) -> None:
        all_headers = [("content-type", content_type), ("content-length", str(len(body))), *(headers or [])]
        data = conn.send(h11.Response(status_code=status, headers=all_headers))
        data += conn.send(h11.Data(data=body)) if body else b""
        data += conn.send(h11.EndOfMessage())
        await stream.send_all(data)

    async def _refuse(self, stream: trio.abc.Stream) -> None:
        conn = h11.Connection(h11.SERVER, max_incomplete_event_size=MAX_HEADER_SIZE)
        with trio.move_on_after(2):
            event = await self._next(conn, stream)
            if isinstance(event, h11.Request):
                await self._send(conn, stream, 429, TOO_MANY_CONNECTIONS, [("connection", "close")],
                                 "text/plain; charset=utf-8")
                return
        await stream.send_all(b"HTTP/1.1 429 Too Many Requests\r\ncontent-length: 0\r\nconnection: close\r\n\r\n")

    def _cors_headers(self, origin: str | None) -> list[tuple[str, str]]:
        if origin is None:
            return []
        return [("access-control-allow-origin", "*" if self.config.cors == "all" else origin), ("vary", "origin")]

    async def _http(self, stream: trio.SocketStream) -> None:
        conn = h11.Connection(h11.SERVER, max_incomplete_event_size=MAX_HEADER_SIZE)
        session = _HttpSession(self.config.allow_unsafe)
        while True:
            with trio.move_on_after(HEADER_TIMEOUT):
                event = await self._next(conn, stream)
            if not isinstance(event, h11.Request):  # closed, timed out, or garbage
                return
            origin = _header(event.headers, b"origin")
            if not self.config.origin_allowed(origin):
                await self._send(conn, stream, 403, b"Origin of the request is not allowed", [("connection", "close")],
                                 "text/plain; charset=utf-8")
                return
            upgrade = (_header(event.headers, b"upgrade") or "").lower()
            if upgrade == "websocket":
                await self._websocket(conn, stream, event)
                return
            await self._http_request(conn, stream, event, session, origin)
            if conn.our_state is h11.MUST_CLOSE or conn.their_state is h11.MUST_CLOSE:
                return
            conn.start_next_cycle()

    async def _http_request(self, conn: h11.Connection, stream: trio.abc.Stream, request: h11.Request,
                            session: _HttpSession, origin: str | None) -> None:
        cors = self._cors_headers(origin)
        limit = self.config.max_request_size
        declared = _header(request.headers, b"content-length")
        too_big = declared is not None and declared.isdigit() and int(declared) > limit
        body = bytearray()
        if not too_big:
            while True:
                event = await self._next(conn, stream)
                if isinstance(event, h11.Data):
                    body += event.data
                    if len(body) > limit:
                        too_big = True
                        break
                elif isinstance(event, h11.EndOfMessage):
                    break
                else:
                    return
        if too_big:  # answer and close: the rest of the body is never read
            error = errors.oversized_request(limit)
            payload = json.dumps({"jsonrpc": "2.0", "error": error.to_json(), "id": None}).encode()
            await self._send(conn, stream, 413, payload, [*cors, ("connection", "close")])
            return
        method = request.method.upper()
        if method == b"OPTIONS":
            await self._send(conn, stream, 200, b"", [*cors, ("access-control-allow-methods", "POST, OPTIONS"),
                                                     ("access-control-allow-headers", "content-type")])
        elif method == b"GET":
            await self._health(conn, stream, request.target, session, cors)
        elif method != b"POST":
            await self._send(conn, stream, 405, b"Method Not Allowed", [*cors, ("allow", "POST, GET, OPTIONS")],
                             "text/plain; charset=utf-8")
        elif not (_header(request.headers, b"content-type") or "").lower().startswith("application/json"):
            await self._send(conn, stream, 415, b"Supported content types are: application/json", cors,
                             "text/plain; charset=utf-8")
        else:
            pending = await self.registry.handle(bytes(body), session)
            await self._send(conn, stream, 200, (pending.response or "").encode(), cors)

    async def _health(self, conn: h11.Connection, stream: trio.abc.Stream, target: bytes, session: _HttpSession,
                      cors: list[tuple[str, str]]) -> None:
        path = target.split(b"?", 1)[0].rstrip(b"/")
        if path not in (b"/health", b"/health/readiness"):
            await self._send(conn, stream, 405, b"Method Not Allowed", [*cors, ("allow", "POST, OPTIONS")],
                             "text/plain; charset=utf-8")
            return
        pending = await self.registry.handle('{"jsonrpc":"2.0","id":0,"method":"system_health"}', session)
        health = json.loads(pending.response or "{}").get("result", {})
        if path == b"/health":
            await self._send(conn, stream, 200, json.dumps(health).encode(), cors)
            return
        ready = not health.get("isSyncing", True) and (health.get("peers", 0) > 0 or not health.get("shouldHavePeers"))
        await self._send(conn, stream, 200 if ready else 500, b"", cors)

    async def _websocket(self, conn: h11.Connection, stream: trio.abc.Stream, request: h11.Request) -> None:
        while True:  # h11 pauses after the upgrade request; what follows belongs to the WebSocket
            event = await self._next(conn, stream)
            if event is h11.PAUSED or isinstance(event, h11.ConnectionClosed):
                break
        trailing, _closed = conn.trailing_data
        head = request.method + b" " + request.target + b" HTTP/1.1\r\n"
        head += b"".join(name + b": " + value + b"\r\n" for name, value in request.headers.raw_items())
        replay = _ReplayStream(stream, head + b"\r\n" + bytes(trailing))
        config = self.config
        # frames up to twice the request limit are read and answered with -32007; larger ones close (1009)
        frame_limit = max(2 * config.max_request_size, config.max_request_size + MIB)
        async with trio.open_nursery() as nursery:
            ws_request = await wrap_server_stream(nursery, replay, message_queue_size=16,
                                                  max_message_size=frame_limit, receive_buffer_size=65536)
            ws = await ws_request.accept()
            session = _WsSession(ws, nursery, self.registry, config.allow_unsafe,
                                 config.max_subscriptions_per_connection)
            slots = trio.Semaphore(config.max_concurrent_requests)
            try:
                while True:
                    message = await ws.get_message()
                    await slots.acquire()
                    nursery.start_soon(session.process, message, slots)
            except ConnectionClosed:
                pass
            finally:
                nursery.cancel_scope.cancel()
                with trio.CancelScope(shield=True), trio.move_on_after(1):
                    await ws.aclose()


async def serve(config: RpcConfig, registry: Registry, *,
                task_status: trio.TaskStatus[tuple[str, int]] = trio.TASK_STATUS_IGNORED) -> None:
    """Listen on ``config.host:config.port`` until cancelled; ``nursery.start`` returns (host, port)."""
    registry.max_request_size = config.max_request_size
    registry.max_response_size = config.max_response_size
    listeners = await trio.open_tcp_listeners(config.port, host=config.host)
    server = _Server(config, registry)
    async with trio.open_nursery() as nursery:
        await nursery.start(registry.api.hub.run)
        await nursery.start(partial(trio.serve_listeners, server.handle, listeners, handler_nursery=nursery))
        host, port = listeners[0].socket.getsockname()[:2]
        log.info("RPC server listening on %s:%d (HTTP and WebSocket)", host, port)
        task_status.started((host, port))


__all__ = ["DEFAULT_CORS", "RpcConfig", "serve"]
