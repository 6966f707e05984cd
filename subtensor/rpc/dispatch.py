"""JSON-RPC 2.0 parsing, validation and dispatch, with jsonrpsee's error codes and texts.

Methods are declared once (:class:`Method`: name, aliases, parameter spec, safe/unsafe, and whether it
subscribes or unsubscribes) in per-namespace :class:`MethodTable` s; a :class:`Registry` indexes them by
every name and answers ``rpc_methods``. :meth:`Registry.handle` takes one raw message (a request or a
batch) and returns the response text (None when nothing is to be sent) plus the subscriptions to start
once that text has been sent, so a subscription's id always reaches the client before its first
notification.
"""

from __future__ import annotations

import json
import logging
import secrets
import string
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol

from subtensor.rpc import errors
from subtensor.rpc.backend import RuntimeCallFailed, StateUnavailable, SubmitError, UnknownBlock
from subtensor.rpc.errors import RpcError
from subtensor.rpc.params import Converter, ParamError, is_optional

log = logging.getLogger(__name__)

Kind = Literal["call", "subscribe", "unsubscribe"]
_ID_ALPHABET = string.ascii_letters + string.digits
SUBSCRIPTION_ID_LEN = 16  # jsonrpsee's RandomStringIdProvider, as Substrate configures it


def new_subscription_id() -> str:
    return "".join(secrets.choice(_ID_ALPHABET) for _ in range(SUBSCRIPTION_ID_LEN))


@dataclass(frozen=True, slots=True)
class Method:
    """One RPC method. ``handler(api, *params)`` is awaited with the converted parameters.

    ``kind="subscribe"`` handlers return a :class:`Subscription`; ``kind="unsubscribe"`` methods have no
    handler and cancel a subscription made by the method named in ``unsubscribes``.
    """

    name: str
    handler: Callable[..., Awaitable[Any]] | None
    params: tuple[tuple[str, Converter], ...] = ()
    aliases: tuple[str, ...] = ()
    unsafe: bool = False
    kind: Kind = "call"
    unsubscribes: str = ""
    null_result: bool = False  # the new API's unfollow/unwatch answer null, the legacy ones a bool

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)


@dataclass(slots=True)
class Subscription:
    """A subscribe handler's result: notifications named ``notification`` carrying each item of
    ``stream``. ``on_close`` runs when the subscription ends, however it ends."""

    notification: str
    stream: AsyncIterator[Any]
    on_close: Callable[[], None] | None = None
    on_id: Callable[[str], None] | None = None
    group: str = ""
    id: str = ""


@dataclass(slots=True)
class Pending:
    """What :meth:`Registry.handle` returns: the response to send, then subscriptions to start and
    callbacks to run once it has been sent."""

    response: str | None
    started: list[Subscription] = field(default_factory=list)
    after: list[Callable[[], None]] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class AfterResponse:
    """A handler result whose ``then`` must only run after the response is on the wire (e.g. an
    operation's events on a ``chainHead`` follow subscription)."""

    result: Any
    then: Callable[[], None]


class Session(Protocol):
    """The connection a message came in on."""

    allow_unsafe: bool
    supports_subscriptions: bool

    def add_subscription(self, sub: Subscription) -> None:
        """Reserve ``sub.id`` (raises RpcError when over the per-connection limit)."""
        ...

    def remove_subscription(self, group: str, sub_id: str) -> bool: ...


class MethodTable:
    """The methods of one namespace, declared with the :meth:`method` decorator."""

    def __init__(self) -> None:
        self.methods: list[Method] = []

    def method(self, name: str, *params: tuple[str, Converter], aliases: Sequence[str] = (),
               unsafe: bool = False, subscribe: bool = False
               ) -> Callable[[Callable[..., Awaitable[Any]]], Callable[..., Awaitable[Any]]]:
        def register(fn: Callable[..., Awaitable[Any]]) -> Callable[..., Awaitable[Any]]:
            self.methods.append(Method(name, fn, tuple(params), tuple(aliases), unsafe,
                                       "subscribe" if subscribe else "call"))
            return fn
        return register

    def unsubscribe(self, name: str, of: str, *, aliases: Sequence[str] = (), unsafe: bool = False,
                    null_result: bool = False, param: str = "subscription") -> None:
        from subtensor.rpc.params import subscription_id
        self.methods.append(Method(name, None, ((param, subscription_id),), tuple(aliases), unsafe,
                                   "unsubscribe", of, null_result))


def _dumps(obj: Any) -> str:
    return json.dumps(obj, separators=(",", ":"), ensure_ascii=False)


def _error_text(req_id: Any, error: RpcError) -> str:
    return '{"jsonrpc":"2.0","error":' + _dumps(error.to_json()) + ',"id":' + _dumps(req_id) + "}"


def notification_text(method: str, sub_id: str, result: Any) -> str:
    return ('{"jsonrpc":"2.0","method":' + _dumps(method) + ',"params":{"subscription":' + _dumps(sub_id)
            + ',"result":' + _dumps(result) + "}}")


def _valid_id(value: Any) -> bool:
    return value is None or isinstance(value, str) or (isinstance(value, int) and not isinstance(value, bool))


def _bind(method: Method, params: Any) -> list[Any]:
    """Positional or named params → converted argument list (ParamError on any mismatch)."""
    spec = method.params
    if params is None:
        values: list[Any] = []
    elif isinstance(params, list):
        if len(params) > len(spec):
            raise ParamError(f"too many parameters: expected at most {len(spec)}, got {len(params)}")
        values = list(params)
    elif isinstance(params, dict):
        unknown = set(params) - {name for name, _ in spec}
        if unknown:
            raise ParamError(f"unknown parameter `{sorted(unknown)[0]}`")
        values = [params.get(name) for name, _ in spec]
    else:
        raise ParamError("params must be an array or an object")
    args = []
    for index, (name, convert) in enumerate(spec):
        value = values[index] if index < len(values) else None
        if value is None and not is_optional(convert):
            raise ParamError(f"missing required parameter `{name}` (position {index})")
        try:
            args.append(convert(value))
        except ParamError as exc:
            raise ParamError(f"parameter `{name}`: {exc}") from None
    return args


class Registry:
    """Every method by every name, plus ``rpc_methods``; dispatches raw messages."""

    def __init__(self, tables: Iterable[MethodTable | Iterable[Method]], api: Any, *,
                 max_request_size: int = 15 * 1024 * 1024, max_response_size: int = 15 * 1024 * 1024) -> None:
        self.api = api
        self.max_request_size = max_request_size
        self.max_response_size = max_response_size
        self._by_name: dict[str, Method] = {}
        for table in tables:
            for method in (table.methods if isinstance(table, MethodTable) else table):
                for name in method.names:
                    if name in self._by_name:
                        raise ValueError(f"RPC method {name} declared twice")
                    self._by_name[name] = method
        self._by_name["rpc_methods"] = Method("rpc_methods", self._rpc_methods)

    def get(self, name: str) -> Method | None:
        return self._by_name.get(name)

    def names(self) -> list[str]:
        return sorted(self._by_name)

    async def _rpc_methods(self, api: Any) -> dict[str, Any]:
        return {"methods": self.names()}

    async def handle(self, raw: str | bytes, session: Session) -> Pending:
        """Answer one message: a request, a notification, or a batch."""
        pending = Pending(None)
        if len(raw) > self.max_request_size:
            pending.response = _error_text(None, errors.oversized_request(self.max_request_size))
            return pending
        try:
            message = json.loads(raw)
        except (ValueError, UnicodeDecodeError):
            pending.response = _error_text(None, errors.parse_error())
            return pending
        if isinstance(message, list):
            if not message:
                pending.response = _error_text(None, errors.invalid_request())
                return pending
            parts = []
            for item in message:
                text = await self._call(item, session, pending)
                if text is not None:
                    parts.append(text)
            pending.response = "[" + ",".join(parts) + "]" if parts else None
        else:
            pending.response = await self._call(message, session, pending)
        return pending

    async def _call(self, request: Any, session: Session, pending: Pending) -> str | None:
        if not isinstance(request, dict):
            return _error_text(None, errors.invalid_request())
        has_id = "id" in request
        req_id = request.get("id")
        if not _valid_id(req_id):
            return _error_text(None, errors.invalid_request())
        name = request.get("method")
        if request.get("jsonrpc") != "2.0" or not isinstance(name, str):
            return _error_text(req_id, errors.invalid_request()) if has_id else None
        try:
            result = await self._invoke(name, request.get("params"), session, pending)
        except RpcError as exc:
            return _error_text(req_id, exc) if has_id else None
        if not has_id:
            return None
        try:
            text = '{"jsonrpc":"2.0","result":' + _dumps(result) + ',"id":' + _dumps(req_id) + "}"
        except (TypeError, ValueError) as exc:
            log.exception("RPC %s returned a value that is not JSON", name)
            return _error_text(req_id, errors.internal_error(str(exc)))
        if len(text) > self.max_response_size:
            return _error_text(req_id, errors.oversized_response(self.max_response_size))
        return text

    async def _invoke(self, name: str, params: Any, session: Session, pending: Pending) -> Any:
        method = self._by_name.get(name)
        if method is None:
            raise errors.method_not_found()
        if method.unsafe and not session.allow_unsafe:
            raise errors.unsafe_call()
        if method.kind != "call" and not session.supports_subscriptions:
            raise errors.internal_error("subscriptions need a WebSocket connection")
        try:
            args = _bind(method, params)
        except ParamError as exc:
            raise errors.invalid_params(str(exc)) from None
        if method.kind == "unsubscribe":
            found = session.remove_subscription(method.unsubscribes, args[0])
            return None if method.null_result else found
        assert method.handler is not None
        try:
            result = await method.handler(self.api, *args)
        except RpcError:
            raise
        except ParamError as exc:
            raise errors.invalid_params(str(exc)) from None
        except (UnknownBlock, StateUnavailable, RuntimeCallFailed, SubmitError) as exc:
            raise errors.from_backend(exc) from None
        except Exception as exc:  # a bug or backend failure must not take the connection down
            log.exception("RPC method %s failed", name)
            raise errors.internal_error(f"{type(exc).__name__}: {exc}") from None
        if method.kind == "subscribe":
            assert isinstance(result, Subscription)
            result.group = method.name
            result.id = new_subscription_id()
            try:
                session.add_subscription(result)
            except RpcError:
                if result.on_close is not None:
                    result.on_close()
                raise
            if result.on_id is not None:
                result.on_id(result.id)
            pending.started.append(result)
            return result.id
        if isinstance(result, AfterResponse):
            pending.after.append(result.then)
            return result.result
        return result
