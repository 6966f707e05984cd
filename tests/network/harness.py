"""In-process test nodes: a NetworkService on 127.0.0.1 with an in-memory chain and recorded events."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

import trio

from network.config import NetworkConfig
from network.service import NetworkService
from runtime.primitives.header import Header

GENESIS = Header(parent_hash=bytes(32), number=0, state_root=b"\x01" * 32, extrinsics_root=b"\x02" * 32)


def make_chain(length: int, genesis: Header = GENESIS) -> list[Header]:
    """A linear chain of ``length`` headers after genesis (index = block number)."""
    headers = [genesis]
    for number in range(1, length + 1):
        headers.append(
            Header(
                parent_hash=headers[-1].hash, number=number,
                state_root=number.to_bytes(32, "little"), extrinsics_root=bytes(32),
            )
        )
    return headers


def extrinsic(payload: bytes) -> bytes:
    """An opaque extrinsic encoding: compact length (single-byte mode) then the payload."""
    assert len(payload) < 64
    return bytes([len(payload) << 2]) + payload


@dataclass
class MemoryChain:
    """ChainInfo + BlockSource over a list of headers, with bodies and justifications by number."""

    headers: list[Header]
    bodies: dict[int, list[bytes]] = field(default_factory=dict)
    justifications_by_number: dict[int, list[tuple[bytes, bytes]]] = field(default_factory=dict)

    def genesis_hash(self) -> bytes:
        return self.headers[0].hash

    def best(self) -> tuple[int, bytes]:
        return len(self.headers) - 1, self.headers[-1].hash

    def hash_at(self, number: int) -> bytes | None:
        return self.headers[number].hash if 0 <= number < len(self.headers) else None

    def number_of(self, block_hash: bytes) -> int | None:
        for header in self.headers:
            if header.hash == block_hash:
                return header.number
        return None

    def header(self, block_hash: bytes) -> bytes | None:
        number = self.number_of(block_hash)
        return None if number is None else self.headers[number].encode()

    def body(self, block_hash: bytes) -> list[bytes] | None:
        number = self.number_of(block_hash)
        return None if number is None else self.bodies.get(number, [])

    def justifications(self, block_hash: bytes) -> list[tuple[bytes, bytes]] | None:
        number = self.number_of(block_hash)
        return None if number is None else self.justifications_by_number.get(number)


@dataclass
class Recorder:
    """NetworkEvents that records every callback."""

    connected: list[tuple[str, int, int, bytes]] = field(default_factory=list)
    disconnected: list[str] = field(default_factory=list)
    announces: list[tuple[str, bytes, bool]] = field(default_factory=list)
    transactions_seen: list[tuple[str, list[bytes]]] = field(default_factory=list)
    grandpa: list[tuple[str, bytes]] = field(default_factory=list)

    async def peer_connected(self, peer_id: str, roles: int, best_number: int, best_hash: bytes) -> None:
        self.connected.append((peer_id, roles, best_number, best_hash))

    async def peer_disconnected(self, peer_id: str) -> None:
        self.disconnected.append(peer_id)

    async def block_announced(self, peer_id: str, header: bytes, is_best: bool) -> None:
        self.announces.append((peer_id, header, is_best))

    async def transactions(self, peer_id: str, extrinsics: list[bytes]) -> None:
        self.transactions_seen.append((peer_id, extrinsics))

    async def grandpa_message(self, peer_id: str, message: bytes) -> None:
        self.grandpa.append((peer_id, message))


@dataclass
class Node:
    service: NetworkService
    chain: MemoryChain
    events: Recorder

    @property
    def peer_id(self) -> str:
        return self.service.local_peer_id

    @property
    def address(self) -> str:
        return self.service.listen_addresses()[0]


def seed(index: int) -> bytes:
    return index.to_bytes(32, "big")


@asynccontextmanager
async def start_node(
    index: int, chain: MemoryChain, *, bootnodes: tuple[str, ...] = (), **config: Any
) -> AsyncIterator[Node]:
    cfg = NetworkConfig(
        node_key=seed(index), genesis_hash=chain.genesis_hash(), listen_addresses=("/ip4/127.0.0.1/tcp/0",),
        bootnodes=bootnodes, **config,
    )
    events = Recorder()
    service = NetworkService(cfg, chain, chain, events)
    async with trio.open_nursery() as nursery:
        await nursery.start(service.run)
        yield Node(service, chain, events)
        nursery.cancel_scope.cancel()


async def wait_for(predicate: Callable[[], bool], timeout: float = 5.0) -> None:
    with trio.fail_after(timeout):
        while not predicate():
            await trio.sleep(0.02)
