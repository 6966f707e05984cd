"""Substrate's request-response substreams (``GenericCodec``) over libp2p streams.

The requester writes ``uvarint(len) ++ request`` and closes its write half; the responder answers with
``uvarint(len) ++ response`` and closes. A responder that refuses or fails closes without writing, which the
requester sees as an end of stream where the response length should be.
"""

from __future__ import annotations

import trio
from libp2p.abc import IHost, INetStream
from libp2p.custom_types import TProtocol
from libp2p.peer.id import ID

from network.framing import FrameReader, FramingError, encode_frame


class RequestFailed(Exception):
    """A request got no usable response."""


class RequestTimeout(RequestFailed):
    """No response within the protocol's timeout."""


class RequestRefused(RequestFailed):
    """The responder closed the substream without answering (refusal or error on its side)."""


class InvalidResponse(RequestFailed):
    """The response frame was malformed or over the size limit."""


async def send_request(
    host: IHost, peer_id: ID, names: tuple[str, ...], request: bytes, max_response_size: int, timeout: float
) -> bytes:
    """Open a substream on one of ``names``, send ``request`` and return the raw response payload."""
    stream: INetStream | None = None
    try:
        with trio.fail_after(timeout):
            stream = await host.new_stream(peer_id, [TProtocol(n) for n in names])
            await stream.write(encode_frame(request))
            await stream.close_write()
            response = await FrameReader(stream, max_response_size).read_frame()
    except trio.TooSlowError as exc:
        raise RequestTimeout(f"no response within {timeout} s") from exc
    except FramingError as exc:
        raise InvalidResponse(str(exc)) from exc
    except RequestFailed:
        raise
    except Exception as exc:  # noqa: BLE001 -- negotiation and stream failures come in many libp2p types
        raise RequestRefused(f"request failed: {exc}") from exc
    finally:
        if stream is not None:
            with trio.move_on_after(1):
                try:
                    await stream.close()
                except Exception:  # noqa: BLE001 -- best effort
                    pass
    if response is None:
        raise RequestRefused("the responder closed the substream without answering")
    return response


async def read_request(stream: INetStream, max_request_size: int, timeout: float) -> bytes:
    """The single request frame of an inbound request substream."""
    with trio.fail_after(timeout):
        return await FrameReader(stream, max_request_size).read_required()


async def send_response(stream: INetStream, response: bytes) -> None:
    await stream.write(encode_frame(response))
    await stream.close()
