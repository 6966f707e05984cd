"""The pool's dependency graph: ready and future queues keyed by tags (no validation, no events, no IO).

A transaction *requires* and *provides* opaque tags. It is **ready** when every tag it requires is
provided by a ready transaction (tags already satisfied on chain are not listed: the runtime leaves them
out of ``requires``, and tags of transactions just included in a block are stripped from the pool's
copies), and **future** otherwise. Each tag has at most one ready provider: a newcomer that provides a
tag already provided replaces the holders only if its priority is strictly higher than theirs combined.

Block building walks the ready set with :class:`BestIterator`: highest priority first among the
transactions whose ready dependencies have already been yielded, the older one first on ties.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from subtensor.txpool.errors import AlreadyImported, CycleDetected, PoolError, TooLowPriority

MAX_U64 = (1 << 64) - 1


@dataclass(eq=False, slots=True)
class PoolTransaction:
    """A validated transaction as the pool keeps it (``requires`` shrinks as tags land on chain)."""

    hash: bytes
    data: bytes
    priority: int
    requires: tuple[bytes, ...]
    provides: tuple[bytes, ...]
    valid_till: int = MAX_U64
    propagate: bool = True
    sender: bytes | None = None
    nonce: int | None = None
    validated_at: int = 0
    insertion_id: int = 0
    source: str = "External"

    @property
    def size(self) -> int:
        return len(self.data)


@dataclass(slots=True)
class Imported:
    """What one import did: where the transaction went and what it moved around."""

    hash: bytes
    ready: bool
    promoted: list[bytes] = field(default_factory=list)  # futures that became ready
    failed: list[bytes] = field(default_factory=list)  # futures that could not be promoted (discarded)
    removed: list[PoolTransaction] = field(default_factory=list)  # replaced (usurped) transactions


@dataclass(slots=True)
class PruneResult:
    pruned: list[PoolTransaction]  # ready transactions providing the pruned tags (and spent ancestors)
    promoted: list[Imported]
    failed: list[bytes]  # futures made obsolete (they provide a pruned tag) or failing promotion


class PoolGraph:
    """Ready and future queues with their tag indexes."""

    def __init__(self) -> None:
        self.ready: dict[bytes, PoolTransaction] = {}
        self.future: dict[bytes, PoolTransaction] = {}
        self.provided: dict[bytes, bytes] = {}  # tag -> hash of its ready provider
        self.required_by: dict[bytes, set[bytes]] = {}  # tag -> hashes (ready or future) requiring it
        self.ready_bytes = 0
        self.future_bytes = 0
        self._recently_pruned: list[set[bytes]] = [set(), set()]
        self._pruned_slot = 0
        self._next_id = 0

    # -- queries --------------------------------------------------------------------------------------

    def __contains__(self, tx_hash: bytes) -> bool:
        return tx_hash in self.ready or tx_hash in self.future

    def __len__(self) -> int:
        return len(self.ready) + len(self.future)

    def get(self, tx_hash: bytes) -> PoolTransaction | None:
        return self.ready.get(tx_hash) or self.future.get(tx_hash)

    def all(self) -> Iterator[PoolTransaction]:
        yield from self.ready.values()
        yield from self.future.values()

    def best(self) -> BestIterator:
        return BestIterator(self)

    # -- import ---------------------------------------------------------------------------------------

    def import_(self, tx: PoolTransaction) -> Imported:
        """Add to ready (promoting futures it unlocks) or to future; TooLowPriority/CycleDetected."""
        if tx.hash in self:
            raise AlreadyImported(tx.hash)
        if not tx.insertion_id:
            self._next_id += 1
            tx.insertion_id = self._next_id
        else:
            self._next_id = max(self._next_id, tx.insertion_id)
        pruned = self._recently_pruned[0] | self._recently_pruned[1]
        if pruned:
            tx.requires = tuple(t for t in tx.requires if t not in pruned)
        self._index(tx)
        if not self._satisfied(tx):
            self.future[tx.hash] = tx
            self.future_bytes += tx.size
            return Imported(tx.hash, ready=False)
        return self._import_to_ready(tx)

    def _satisfied(self, tx: PoolTransaction) -> bool:
        return all(tag in self.provided for tag in tx.requires)

    def _import_to_ready(self, tx: PoolTransaction) -> Imported:
        """``tx`` is indexed and in neither queue; on error it leaves the graph."""
        result = Imported(tx.hash, ready=True)
        stack = [tx]
        first = True
        while stack:
            current = stack.pop()
            try:
                replaced = self._insert_ready(current)
            except TooLowPriority:
                self._unindex(current)
                if first:
                    raise
                result.removed.append(current)
                first = False
                continue
            if not first:
                result.promoted.append(current.hash)
            if replaced:
                gone = {r.hash for r in replaced}
                result.promoted = [h for h in result.promoted if h not in gone]
                result.removed.extend(replaced)
            first = False
            stack.extend(self._take_unlocked(current.provides))
        if any(r.hash == tx.hash for r in result.removed):
            # A promoted future pushed out the transaction that unlocked it: a dependency cycle.
            self._remove_ready_subtree(result.promoted)
            raise CycleDetected()
        return result

    def _insert_ready(self, tx: PoolTransaction) -> list[PoolTransaction]:
        conflicts = {self.provided[tag] for tag in tx.provides if tag in self.provided}
        replaced: list[PoolTransaction] = []
        if conflicts:
            old = min(MAX_U64, sum(self.ready[h].priority for h in conflicts))
            if old >= tx.priority:
                raise TooLowPriority(old, tx.priority)
            replaced = self._remove_ready_subtree(conflicts, keep=frozenset(tx.provides))
        self.ready[tx.hash] = tx
        self.ready_bytes += tx.size
        for tag in tx.provides:
            self.provided[tag] = tx.hash
        return replaced

    def _take_unlocked(self, tags: Iterable[bytes]) -> list[PoolTransaction]:
        """Futures whose requirements are now all provided, taken out of the future queue."""
        out = []
        for tag in tags:
            for h in list(self.required_by.get(tag, ())):
                tx = self.future.get(h)
                if tx is not None and self._satisfied(tx):
                    del self.future[h]
                    self.future_bytes -= tx.size
                    out.append(tx)
        return out

    # -- removal --------------------------------------------------------------------------------------

    def _remove_ready_subtree(
        self, hashes: Iterable[bytes], keep: frozenset[bytes] = frozenset()
    ) -> list[PoolTransaction]:
        """Remove ready transactions and the ready ones depending on them (except through ``keep`` tags)."""
        removed = []
        stack = list(hashes)
        while stack:
            h = stack.pop()
            tx = self.ready.pop(h, None)
            if tx is None:
                continue
            self.ready_bytes -= tx.size
            for tag in tx.provides:
                if self.provided.get(tag) == h:
                    del self.provided[tag]
                if tag not in keep:
                    stack.extend(d for d in self.required_by.get(tag, ()) if d in self.ready)
            self._unindex(tx)
            removed.append(tx)
        return removed

    def remove_subtree(self, hashes: Iterable[bytes]) -> list[PoolTransaction]:
        """Remove transactions and every ready transaction depending on them; returns all removed."""
        hashes = list(hashes)
        removed = self._remove_ready_subtree(hashes)
        for h in hashes:
            tx = self.future.pop(h, None)
            if tx is not None:
                self.future_bytes -= tx.size
                self._unindex(tx)
                removed.append(tx)
        return removed

    def prune_tags(self, tags: Iterable[bytes]) -> PruneResult:
        """Tags are now satisfied on chain: drop their providers, unblock whoever waited on them."""
        tagset = set(tags)
        obsolete = [h for h, tx in self.future.items() if any(p in tagset for p in tx.provides)]
        failed: list[bytes] = []
        for h in obsolete:
            tx = self.future.pop(h)
            self.future_bytes -= tx.size
            self._unindex(tx)
            failed.append(h)
        pruned: list[PoolTransaction] = []
        queue = list(tagset)
        while queue:
            h = self.provided.get(queue.pop())
            tx = self.ready.pop(h, None) if h is not None else None
            if tx is None:
                continue
            self.ready_bytes -= tx.size
            for tag in tx.provides:
                if self.provided.get(tag) == tx.hash:
                    del self.provided[tag]
            self._unindex(tx)
            pruned.append(tx)
            # Its ready ancestors were necessarily included too once nothing else depends on them.
            for tag in tx.requires:
                prev = self.provided.get(tag)
                if prev is not None and not self._has_ready_dependents(prev):
                    queue.extend(self.ready[prev].provides)
        satisfied = tagset | {tag for tx in pruned for tag in tx.provides}
        for tag in satisfied:
            for h in self.required_by.pop(tag, ()):
                tx = self.get(h)
                if tx is not None:
                    tx.requires = tuple(t for t in tx.requires if t != tag)
        self._pruned_slot ^= 1
        self._recently_pruned[self._pruned_slot] = satisfied
        promoted: list[Imported] = []
        for h in list(self.future):
            tx = self.future.get(h)
            if tx is None or not self._satisfied(tx):
                continue
            del self.future[h]
            self.future_bytes -= tx.size
            try:
                promoted.append(self._import_to_ready(tx))
            except PoolError:
                failed.append(h)
        return PruneResult(pruned, promoted, failed)

    def _has_ready_dependents(self, h: bytes) -> bool:
        tx = self.ready[h]
        return any(
            d in self.ready
            for tag in tx.provides if self.provided.get(tag) == h
            for d in self.required_by.get(tag, ())
        )

    def enforce_limits(
        self, ready_count: int, ready_bytes: int, future_count: int, future_bytes: int
    ) -> list[PoolTransaction]:
        """Evict until within limits: lowest-priority (then oldest) ready subtrees, then oldest futures."""
        removed: list[PoolTransaction] = []
        while self.ready and (len(self.ready) > ready_count or self.ready_bytes > ready_bytes):
            worst = min(self.ready.values(), key=lambda t: (t.priority, t.insertion_id))
            removed += self.remove_subtree([worst.hash])
        while self.future and (len(self.future) > future_count or self.future_bytes > future_bytes):
            worst = min(self.future.values(), key=lambda t: t.insertion_id)
            removed += self.remove_subtree([worst.hash])
        return removed

    def clear_recently_pruned(self) -> None:
        self._recently_pruned = [set(), set()]

    # -- index ----------------------------------------------------------------------------------------

    def _index(self, tx: PoolTransaction) -> None:
        for tag in tx.requires:
            self.required_by.setdefault(tag, set()).add(tx.hash)

    def _unindex(self, tx: PoolTransaction) -> None:
        for tag in tx.requires:
            waiting = self.required_by.get(tag)
            if waiting is not None:
                waiting.discard(tx.hash)
                if not waiting:
                    del self.required_by[tag]


class BestIterator:
    """Ready transactions in inclusion order: a snapshot, so the pool may change while it is consumed.

    ``report_invalid(tx)`` tells the iterator the block builder could not apply ``tx``: the transactions
    depending on it are then skipped.
    """

    def __init__(self, graph: PoolGraph) -> None:
        self._txs = dict(graph.ready)
        self._unlocks: dict[bytes, list[bytes]] = {}
        self._waiting: dict[bytes, int] = {}
        self._skip: set[bytes] = set()
        self._heap: list[tuple[int, int, bytes]] = []
        for tx in self._txs.values():
            deps = {graph.provided[tag] for tag in tx.requires if tag in graph.provided}
            deps.discard(tx.hash)
            if deps:
                self._waiting[tx.hash] = len(deps)
                for d in deps:
                    self._unlocks.setdefault(d, []).append(tx.hash)
            else:
                self._heap.append((-tx.priority, tx.insertion_id, tx.hash))
        heapq.heapify(self._heap)

    def __iter__(self) -> BestIterator:
        return self

    def __next__(self) -> PoolTransaction:
        while self._heap:
            _, _, h = heapq.heappop(self._heap)
            if h in self._skip:
                continue
            for d in self._unlocks.get(h, ()):
                self._waiting[d] -= 1
                if self._waiting[d] == 0:
                    dep = self._txs[d]
                    heapq.heappush(self._heap, (-dep.priority, dep.insertion_id, d))
            return self._txs[h]
        raise StopIteration

    def report_invalid(self, tx: PoolTransaction | bytes) -> None:
        stack = [tx if isinstance(tx, bytes) else tx.hash]
        while stack:
            h = stack.pop()
            for d in self._unlocks.get(h, ()):
                if d not in self._skip:
                    self._skip.add(d)
                    stack.append(d)


__all__ = ["MAX_U64", "BestIterator", "Imported", "PoolGraph", "PoolTransaction", "PruneResult"]
