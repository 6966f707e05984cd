"""A deterministic in-memory GRANDPA network for tests: block trees, voters and a message router."""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field

from consensus.grandpa.authorities import AuthoritySet, AuthoritySetTracker
from consensus.grandpa.justification import verify_justification
from consensus.grandpa.voter import Broadcast, Finalized, Output, Report, SendTo, Voter, VoterConfig
from runtime.primitives.header import Header
from tests.consensus.grandpa_helpers import KEYS, make_header


class TreeChain:
    """A block tree implementing :class:`~consensus.grandpa.environment.VoterChain`.

    Best block: the highest (first seen wins ties) among blocks descending from the finalized block.
    """

    def __init__(self, genesis: Header, authorities: AuthoritySet) -> None:
        self.headers: dict[bytes, Header] = {genesis.hash: genesis}
        self.order: list[bytes] = [genesis.hash]
        self.fin: tuple[bytes, int] = (genesis.hash, 0)
        self.tracker = AuthoritySetTracker(authorities)
        self.justifications: dict[bytes, bytes] = {}
        self.preferred: bytes | None = None  # a test may pin the best chain to a fork

    def import_header(self, header: Header) -> None:
        if header.hash in self.headers:
            return
        self.headers[header.hash] = header
        self.order.append(header.hash)
        self.tracker.note_header(header, self.is_descendant_or_self)

    def is_descendant_or_self(self, ancestor: bytes, block: bytes) -> bool:
        return ancestor == block or self.is_descendant(ancestor, block)

    def is_descendant(self, ancestor: bytes, block: bytes) -> bool:
        return self.ancestry(ancestor, block) is not None

    def ancestry(self, base: bytes, block: bytes) -> list[bytes] | None:
        base_header = self.headers.get(base)
        current = self.headers.get(block)
        if base_header is None or current is None:
            return None
        route = []
        while current.number > base_header.number:
            route.append(current.hash)
            parent = self.headers.get(current.parent_hash)
            if parent is None:
                return None
            current = parent
        return route if current.hash == base and route else None

    def best(self) -> tuple[bytes, int]:
        if self.preferred is not None and self.is_descendant_or_self(self.fin[0], self.preferred):
            head = self._head_of(self.preferred)
            return head, self.headers[head].number
        leaves = [h for h in self.order if self.is_descendant_or_self(self.fin[0], h)]
        top = max(leaves, key=lambda h: (self.headers[h].number, -self.order.index(h)))
        return top, self.headers[top].number

    def _head_of(self, block: bytes) -> bytes:
        children = [h for h in self.order if self.is_descendant(block, h)]
        if not children:
            return block
        return max(children, key=lambda h: (self.headers[h].number, -self.order.index(h)))

    def best_chain_containing(self, block: bytes) -> tuple[bytes, int] | None:
        if block not in self.headers:
            return None
        best = self.best()
        if self.is_descendant_or_self(block, best[0]):
            return best
        head = self._head_of(block)
        return head, self.headers[head].number

    def finalized(self) -> tuple[bytes, int]:
        return self.fin

    def header(self, block: bytes) -> Header | None:
        return self.headers.get(block)

    def authority_set(self) -> AuthoritySet:
        return self.tracker.current

    def vote_limit(self, block: bytes) -> int | None:
        return self.tracker.vote_limit(block, self.is_descendant_or_self)

    def finalize(self, block: bytes, number: int, justification: bytes) -> None:
        verify_justification(justification, block, number, self.tracker.current, self.is_descendant)
        assert number > self.fin[1] and self.is_descendant(self.fin[0], block), "finality moved off its chain"
        self.fin = (block, number)
        self.justifications[block] = justification
        self.tracker.apply_finality(block, number, self.is_descendant_or_self)


@dataclass
class Node:
    name: str
    chain: TreeChain
    voter: Voter
    finalized: list[tuple[bytes, int]] = field(default_factory=list)
    reports: list[Report] = field(default_factory=list)


class Network:
    """N nodes sharing blocks; gossip goes through one FIFO queue; ``silent`` nodes neither send nor hear."""

    def __init__(self, names: tuple[str, ...], voters: tuple[str, ...] | None = None,
                 config: VoterConfig | None = None) -> None:
        self.genesis = make_header(None)
        self.authorities = AuthoritySet(0, tuple((KEYS[n].public, 1) for n in (voters or names)))
        self.now = 0
        self.config = config or VoterConfig(gossip_duration_ms=100, rebroadcast_ms=800, catch_up_timeout_ms=1000)
        self.nodes: dict[str, Node] = {}
        for name in names:
            chain = TreeChain(self.genesis, self.authorities)
            self.nodes[name] = Node(name, chain, Voter(chain, KEYS[name], self.now, self.config))
        self.silent: set[str] = set()
        self.queue: deque[tuple[str, str | None, bytes]] = deque()  # (from, to or None for all, data)
        self.tip = self.genesis
        self.sent: list[tuple[str, str | None, bytes]] = []  # everything that went on the wire

    def handle(self, node: Node, outputs: list[Output]) -> None:
        for out in outputs:
            if isinstance(out, (Broadcast, SendTo)):
                if node.name not in self.silent:
                    message = (node.name, str(out.peer) if isinstance(out, SendTo) else None, out.data)
                    self.queue.append(message)
                    self.sent.append(message)
            elif isinstance(out, Finalized):
                node.chain.finalize(out.hash, out.number, out.justification)
                node.finalized.append((out.hash, out.number))
            elif isinstance(out, Report):
                node.reports.append(out)

    def deliver_all(self, limit: int = 100_000) -> None:
        while self.queue and limit:
            limit -= 1
            sender, to, data = self.queue.popleft()
            for name, node in self.nodes.items():
                if name == sender or name in self.silent or (to is not None and to != name):
                    continue
                self.handle(node, node.voter.on_message(sender, data, self.now))

    def add_block(self, parent: Header | None = None, logs: tuple = (), salt: int = 0,  # type: ignore[type-arg]
                  to: tuple[str, ...] | None = None) -> Header:
        header = make_header(parent or self.tip, salt, logs)
        if parent is None or parent.hash == self.tip.hash:
            self.tip = header
        for name in to or tuple(self.nodes):
            node = self.nodes[name]
            node.chain.import_header(header)
            self.handle(node, node.voter.on_block_imported(self.now))
        self.deliver_all()
        return header

    def run(self, ms: int, step: int = 50, block_every: int | None = None) -> None:
        end = self.now + ms
        while self.now < end:
            self.now += step
            if block_every and self.now % block_every == 0:
                self.add_block()
            for node in self.nodes.values():
                self.handle(node, node.voter.on_tick(self.now))
            self.deliver_all()

    def finalized_numbers(self) -> dict[str, int]:
        return {name: node.chain.fin[1] for name, node in self.nodes.items()}

    def assert_consistent(self) -> None:
        """No two nodes finalized different blocks at one height."""
        by_height: dict[int, bytes] = {}
        for node in self.nodes.values():
            chain_fin = node.chain.fin[0]
            for block_hash, number in node.finalized:
                assert node.chain.is_descendant_or_self(block_hash, chain_fin)
                assert by_height.setdefault(number, block_hash) == block_hash, f"conflict at #{number}"
