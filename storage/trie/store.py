"""Where trie nodes live: the node-store interface and the result of a commit.

The trie addresses nodes by content: a node (or a V1 out-of-line value) is stored under the
blake2_256 hash of its bytes. Reading needs nothing but ``get(hash)``, which is all
:class:`NodeStore` asks for, so any key-value database (or a proof) can back a trie.

Writing is the storage layer's decision. :meth:`TrieDB.commit <storage.trie.triedb.TrieDB.commit>`
returns a :class:`CommitResult` - the root, the new entries and the released ones - and the
caller persists it; :class:`MemoryNodeStore` is the in-memory version used by tests, genesis
building and benchmarks.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Protocol


class NodeStore(Protocol):
    """Read access to trie nodes (and V1 out-of-line values) by their blake2_256 hash."""

    def get(self, key: bytes, /) -> bytes | None: ...


@dataclass(frozen=True, slots=True)
class CommitResult:
    """The outcome of :meth:`TrieDB.commit` (see the module docstring for the semantics).

    ``inserted`` maps each new hash to its bytes once; ``inserted_refs`` says how many new
    references to that hash the commit created (two identical subtrees at different
    positions are one entry in ``inserted`` but count 2).  ``removed`` already has one entry
    per dropped reference, so ``inserted_refs`` minus ``Counter(removed)`` is the exact
    per-hash change in reference counts.  Both are net of references dropped and re-created
    within the same commit.
    """

    root: bytes
    inserted: dict[bytes, bytes] = field(default_factory=dict)
    removed: list[bytes] = field(default_factory=list)
    inserted_refs: Counter[bytes] = field(default_factory=Counter)


class MemoryNodeStore:
    """A dict-backed :class:`NodeStore`, for tests, genesis building and proofs."""

    __slots__ = ("data",)

    def __init__(self, data: dict[bytes, bytes] | None = None) -> None:
        self.data: dict[bytes, bytes] = {} if data is None else data

    def get(self, key: bytes, /) -> bytes | None:
        return self.data.get(key)

    def put(self, key: bytes, value: bytes) -> None:
        self.data[key] = value

    def apply(self, result: CommitResult, *, prune: bool = False) -> None:
        """Write a commit's new nodes; with ``prune`` also delete its removed hashes.

        Pruning is only safe when no other root still references the removed nodes; this
        store keeps no reference counts.
        """
        self.data.update(result.inserted)
        if prune:
            for node_hash in result.removed:
                self.data.pop(node_hash, None)

    def __contains__(self, key: object) -> bool:
        return key in self.data

    def __len__(self) -> int:
        return len(self.data)
