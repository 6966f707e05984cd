"""Peers found by discovery (py-libp2p's mDNS), turned into dial targets for the network service.

py-libp2p announces what mDNS finds through a process-wide ``peerDiscovery`` event, called from zeroconf's own
thread. :class:`DiscoveredPeers` subscribes to it while the service runs and keeps a thread-safe queue of
``/ip4/…/tcp/…/p2p/12D3KooW…`` addresses; the service's connection loop drains it on the trio thread and dials
them like bootnodes (same backoff, same bans). Several services in one process each see every discovery and
skip their own peer id.
"""

from __future__ import annotations

import logging
from collections import deque
from types import TracebackType
from typing import Any

from libp2p.discovery.events.peerDiscovery import peerDiscovery

logger = logging.getLogger("network")


class DiscoveredPeers:
    """A context manager collecting discovered peers' dialable TCP addresses."""

    def __init__(self, local_peer_id: str) -> None:
        self.local_peer_id = local_peer_id
        self._queue: deque[tuple[str, str]] = deque(maxlen=1024)  # appends and pops are thread-safe

    def __enter__(self) -> DiscoveredPeers:
        peerDiscovery.register_peer_discovered_handler(self.on_discovered)
        return self

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None,
                 trace: TracebackType | None) -> None:
        peerDiscovery.unregister_peer_discovered_handler(self.on_discovered)

    def on_discovered(self, info: Any) -> None:
        """libp2p's handler (any thread): keep the first TCP address of a peer other than us."""
        peer_id = info.peer_id.pretty()
        if peer_id == self.local_peer_id:
            return
        for address in info.addrs:
            text = str(address)
            if "/tcp/" in text and "/ws" not in text:
                self._queue.append((peer_id, text if "/p2p/" in text else f"{text}/p2p/{peer_id}"))
                return

    def drain(self) -> list[tuple[str, str]]:
        """(peer id, multiaddr) pairs found since the last call (trio thread)."""
        found: list[tuple[str, str]] = []
        while self._queue:
            found.append(self._queue.popleft())
        return found
