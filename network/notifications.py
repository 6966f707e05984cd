"""Substrate's notification substreams over libp2p streams (``sc-network``'s ``notifications`` protocol).

A notification protocol has a main name plus fallback names, a handshake and a maximum message size.

* The opener negotiates one of the names, writes ``uvarint(len) ++ handshake`` and waits for the receiver's
  handshake; from then on only the opener writes, one ``uvarint(len) ++ message`` frame per notification.
* The receiver reads the opener's handshake, may refuse by closing, else replies with its own handshake and then
  only reads.
* Substreams are unidirectional, so each side of a peering opens its own outbound substream; closing the write
  side means "done".

This module has the mechanics only (open, accept, frames); what a handshake means is up to the service.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass

import trio
from libp2p.abc import IHost, INetStream
from libp2p.custom_types import TProtocol
from libp2p.peer.id import ID

from network.config import MAX_HANDSHAKE_SIZE
from network.framing import FrameReader, FramingError, encode_frame


class NotificationError(Exception):
    """A notification substream failed (negotiation, handshake or transport)."""


class HandshakeFailed(NotificationError):
    """The remote closed or broke the substream before its handshake arrived."""


@dataclass(frozen=True, slots=True)
class NotificationProtocol:
    """A notification protocol: ``key`` is our short name (e.g. ``"block-announces"``)."""

    key: str
    names: tuple[str, ...]
    max_notification_size: int
    max_handshake_size: int = MAX_HANDSHAKE_SIZE

    @property
    def protocol_ids(self) -> list[TProtocol]:
        return [TProtocol(name) for name in self.names]


class OutboundSubstream:
    """Our sending half of a notification substream, after both handshakes."""

    def __init__(self, stream: INetStream, reader: FrameReader, remote_handshake: bytes) -> None:
        self.stream = stream
        self.remote_handshake = remote_handshake
        self._reader = reader

    @property
    def protocol_name(self) -> str:
        return str(self.stream.get_protocol())

    async def send(self, message: bytes) -> None:
        # One write per frame, so concurrent senders cannot interleave partial frames.
        await self.stream.write(encode_frame(message))

    async def wait_closed(self) -> None:
        """Return once the remote closes (or resets) the substream; the receiver must never write data."""
        try:
            await self._reader.read_frame()
        except Exception:  # noqa: BLE001 -- any failure (EOF, reset, stray data) means the substream is gone
            pass

    async def close(self) -> None:
        # Shielded so a cancelled owner still sends the FIN instead of leaking a half-open substream.
        with trio.CancelScope(shield=True), trio.move_on_after(1):
            try:
                await self.stream.close()
            except Exception:  # noqa: BLE001 -- closing a broken stream is best effort
                pass


class InboundSubstream:
    """The receiving half: the opener's handshake, then its notifications."""

    def __init__(self, stream: INetStream, reader: FrameReader, remote_handshake: bytes, max_size: int) -> None:
        self.stream = stream
        self.remote_handshake = remote_handshake
        self._reader = reader
        self._reader.max_size = max_size

    @property
    def protocol_name(self) -> str:
        return str(self.stream.get_protocol())

    async def messages(self) -> AsyncIterator[bytes]:
        """Yield notifications until the opener closes; framing errors propagate (typed)."""
        while True:
            frame = await self._reader.read_frame()
            if frame is None:
                return
            yield frame


async def open_outbound(
    host: IHost, peer_id: ID, protocol: NotificationProtocol, handshake: bytes, timeout: float = 10.0
) -> OutboundSubstream:
    """Negotiate one of the protocol's names, send our handshake and wait for the remote one."""
    try:
        with trio.fail_after(timeout):
            stream = await host.new_stream(peer_id, protocol.protocol_ids)
            reader = FrameReader(stream, protocol.max_handshake_size)
            await stream.write(encode_frame(handshake))
            remote = await reader.read_frame()
    except trio.TooSlowError as exc:
        raise HandshakeFailed(f"{protocol.key}: handshake timed out") from exc
    except FramingError as exc:
        raise HandshakeFailed(f"{protocol.key}: bad handshake frame: {exc}") from exc
    except Exception as exc:  # noqa: BLE001 -- libp2p raises many unrelated types for refusals and resets
        raise NotificationError(f"{protocol.key}: could not open substream: {exc}") from exc
    if remote is None:
        raise HandshakeFailed(f"{protocol.key}: substream refused")
    return OutboundSubstream(stream, reader, remote)


async def read_inbound_handshake(
    stream: INetStream, protocol: NotificationProtocol, timeout: float = 10.0
) -> tuple[FrameReader, bytes]:
    """Read the opener's handshake from an inbound substream."""
    reader = FrameReader(stream, protocol.max_handshake_size)
    try:
        with trio.fail_after(timeout):
            handshake = await reader.read_required()
    except trio.TooSlowError as exc:
        raise HandshakeFailed(f"{protocol.key}: inbound handshake timed out") from exc
    return reader, handshake


async def accept_inbound(
    stream: INetStream, reader: FrameReader, remote_handshake: bytes, protocol: NotificationProtocol,
    our_handshake: bytes,
) -> InboundSubstream:
    """Reply with our handshake; the substream then carries the opener's notifications."""
    await stream.write(encode_frame(our_handshake))
    return InboundSubstream(stream, reader, remote_handshake, protocol.max_notification_size)


async def refuse_inbound(stream: INetStream) -> None:
    """Refuse a substream: reset it without answering the handshake."""
    with trio.CancelScope(shield=True), trio.move_on_after(1):
        try:
            await stream.reset()
        except Exception:  # noqa: BLE001 -- best effort on an already-broken stream
            pass
