"""What the network service needs from the node, and what it reports back (small typing.Protocols).

``subtensor/`` implements these over the chain database and the import queue; ``network/`` never imports
``consensus/`` or ``storage/``. :class:`network.sync.BlockSource` (serving sync/2) lives next to the sync code.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


class ChainInfo(Protocol):
    """The chain facts our block-announce handshake carries."""

    def genesis_hash(self) -> bytes: ...

    def best(self) -> tuple[int, bytes]:
        """(number, hash) of our best block."""
        ...


class NetworkEvents(Protocol):
    """Async callbacks for what peers do; called inline from the peer's substream, so keep them short."""

    async def peer_connected(self, peer_id: str, roles: int, best_number: int, best_hash: bytes) -> None: ...

    async def peer_disconnected(self, peer_id: str) -> None: ...

    async def block_announced(self, peer_id: str, header: bytes, is_best: bool) -> None: ...

    async def transactions(self, peer_id: str, extrinsics: list[bytes]) -> None: ...

    async def grandpa_message(self, peer_id: str, message: bytes) -> None: ...


@dataclass(frozen=True, slots=True)
class PeerInfo:
    """A connected peer as ``system_peers`` shows it."""

    peer_id: str
    roles: int
    best_number: int
    best_hash: bytes
