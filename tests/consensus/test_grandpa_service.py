"""The trio GRANDPA service: four voters over in-memory channels finalize on their chains; one alone at once."""

from __future__ import annotations

from collections.abc import Callable

import trio
import trio.testing

from runtime.primitives.header import Header
from consensus.grandpa.service import GrandpaService
from consensus.grandpa.voter import Voter, VoterConfig
from tests.consensus.grandpa_helpers import KEYS, make_header, voter_set
from tests.consensus.grandpa_sim import TreeChain

FOUR = ("Alice", "Bob", "Charlie", "Dave")


class MockClock:
    def now_ms(self) -> int:
        return int(trio.current_time() * 1000)


class Hub:
    """In-memory gossip: one inbound channel per node; ``report`` calls are recorded."""

    def __init__(self, names: tuple[str, ...]) -> None:
        self.channels = {n: trio.open_memory_channel[tuple[str, bytes]](1000) for n in names}
        self.reports: list[tuple[str, str, int]] = []

    def endpoint(self, name: str) -> "Endpoint":
        return Endpoint(self, name)


class Endpoint:
    def __init__(self, hub: Hub, name: str) -> None:
        self.hub, self.name = hub, name

    def broadcast(self, data: bytes) -> None:
        for other, (send, _) in self.hub.channels.items():
            if other != self.name:
                send.send_nowait((self.name, data))

    def send(self, peer_id: object, data: bytes) -> None:
        self.hub.channels[str(peer_id)][0].send_nowait((self.name, data))

    def report(self, peer_id: object, change: int, reason: str) -> None:
        self.hub.reports.append((self.name, str(peer_id), change))


class Target:
    def __init__(self, chain: TreeChain) -> None:
        self.chain = chain
        self.calls = 0

    def finalize(self, block_hash: bytes, justification: bytes | None = None) -> None:
        assert justification is not None
        self.calls += 1
        self.chain.finalize(block_hash, self.chain.headers[block_hash].number, justification)


def run_network(names: tuple[str, ...], blocks: int, seconds: float,
                on_block: Callable[[dict[str, TreeChain], Header], None] | None = None,
                ) -> tuple[dict[str, TreeChain], Hub]:
    genesis = make_header(None)
    chains = {n: TreeChain(genesis, voter_set(names)) for n in names}
    hub = Hub(names)

    async def main() -> None:
        services = {}
        async with trio.open_nursery() as nursery:
            for name in names:
                voter = Voter(chains[name], KEYS[name], 0, VoterConfig(gossip_duration_ms=200))
                service = GrandpaService(voter, hub.endpoint(name), Target(chains[name]), hub.channels[name][1],
                                         tick_ms=50, clock=MockClock(), finalize_in_thread=False)
                services[name] = service
                nursery.start_soon(service.run)
            tip = genesis
            for _ in range(blocks):
                await trio.sleep(0.5)
                tip = make_header(tip)
                for name in names:
                    chains[name].import_header(tip)
                    services[name].notify_block_imported()
                await trio.sleep(0.01)  # well before any round timer (2Δ = 400 ms)
                if on_block is not None:
                    on_block(chains, tip)
            await trio.sleep(seconds)
            nursery.cancel_scope.cancel()

    trio.run(main, clock=trio.testing.MockClock(autojump_threshold=0))
    return chains, hub


def test_four_services_finalize_over_channels() -> None:
    chains, hub = run_network(FOUR, blocks=6, seconds=3)
    assert {c.fin[1] for c in chains.values()} == {6}
    assert len({c.fin[0] for c in chains.values()}) == 1
    assert not hub.reports


def test_single_service_finalizes_each_block_on_import() -> None:
    seen = []

    def check(chains: dict[str, TreeChain], tip: Header) -> None:
        seen.append(chains["Alice"].fin == (tip.hash, tip.number))

    chains, _ = run_network(("Alice",), blocks=3, seconds=0, on_block=check)
    assert seen == [True, True, True] and chains["Alice"].fin[1] == 3
