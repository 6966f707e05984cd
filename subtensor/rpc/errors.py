"""JSON-RPC error objects with the codes and texts Substrate's jsonrpsee server uses.

Handlers raise :class:`RpcError`; the dispatcher turns it into ``{"code", "message", "data"?}``. The
constructors below are the errors more than one namespace needs.
"""

from __future__ import annotations

from typing import Any

from subtensor.rpc.backend import RuntimeCallFailed, StateUnavailable, SubmitError, UnknownBlock

PARSE_ERROR = -32700
INVALID_REQUEST = -32600
METHOD_NOT_FOUND = -32601
INVALID_PARAMS = -32602
INTERNAL_ERROR = -32603
TOO_MANY_SUBSCRIPTIONS = -32006
OVERSIZED_REQUEST = -32007
OVERSIZED_RESPONSE = -32008

# Substrate's namespace bases (sc-rpc-api).
AUTHOR_BASE = 1000
SYSTEM_BASE = 2000
CHAIN_BASE = 3000
STATE_BASE = 4000

STATE_INVALID_BLOCK_RANGE = STATE_BASE + 1
STATE_INVALID_COUNT = STATE_BASE + 2
STATE_OTHER = STATE_BASE + 3


class RpcError(Exception):
    """An error response: ``code``, ``message`` and optional ``data``."""

    def __init__(self, code: int, message: str, data: Any = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.data = data

    def to_json(self) -> dict[str, Any]:
        obj: dict[str, Any] = {"code": self.code, "message": self.message}
        if self.data is not None:
            obj["data"] = self.data
        return obj


def parse_error() -> RpcError:
    return RpcError(PARSE_ERROR, "Parse error")


def invalid_request() -> RpcError:
    return RpcError(INVALID_REQUEST, "Invalid request")


def method_not_found() -> RpcError:
    return RpcError(METHOD_NOT_FOUND, "Method not found")


def unsafe_call() -> RpcError:
    return RpcError(METHOD_NOT_FOUND, "RPC call is unsafe to be called externally")


def invalid_params(detail: str) -> RpcError:
    return RpcError(INVALID_PARAMS, "Invalid params", detail)


def internal_error(detail: str | None = None) -> RpcError:
    return RpcError(INTERNAL_ERROR, "Internal error", detail)


def oversized_request(limit: int) -> RpcError:
    return RpcError(OVERSIZED_REQUEST, "Request is too big", f"Exceeded max limit of {limit}")


def oversized_response(limit: int) -> RpcError:
    return RpcError(OVERSIZED_RESPONSE, "Response is too big", f"Exceeded max limit of {limit}")


def too_many_subscriptions(limit: int) -> RpcError:
    return RpcError(TOO_MANY_SUBSCRIPTIONS, "Too many subscriptions on the connection",
                    f"Exceeded max limit of {limit}")


def client_error(detail: str) -> RpcError:
    """A state/chain "Client error" (code 4003), e.g. unknown block or pruned state."""
    return RpcError(STATE_OTHER, f"Client error: {detail}")


def unknown_block(block_hash: bytes, reason: str = "") -> RpcError:
    text = reason or f"Header was not found in the database: 0x{block_hash.hex()}"
    return client_error(text if text.startswith("UnknownBlock") else f"UnknownBlock: {text}")


def state_discarded(block_hash: bytes, reason: str = "") -> RpcError:
    """Pruned state; clients look for the substring ``State already discarded for``."""
    text = reason if "State already discarded for" in reason else f"State already discarded for 0x{block_hash.hex()}"
    return client_error(text if text.startswith("UnknownBlock") else f"UnknownBlock: {text}")


def runtime_call_failed(detail: str) -> RpcError:
    return client_error(f"Execution failed: {detail}")


def from_backend(exc: Exception, block: bytes | None = None) -> RpcError:
    """The RPC error for a backend exception (``block`` fills in the hash when the text lacks it)."""
    if isinstance(exc, SubmitError):
        return RpcError(exc.code, exc.message, exc.data)
    if isinstance(exc, StateUnavailable):
        return state_discarded(block or b"", str(exc))
    if isinstance(exc, UnknownBlock):
        return unknown_block(block or b"", str(exc))
    if isinstance(exc, RuntimeCallFailed):
        return runtime_call_failed(str(exc))
    return internal_error(f"{type(exc).__name__}: {exc}")
