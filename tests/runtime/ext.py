"""A test externalities (FRAME's ``new_test_ext``): the storage overlay over an in-memory state.

Storage roots are computed in closed form from the merged state, which makes them an independent check
of whatever incremental root the node computes.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from storage.overlay import MemoryState, Overlay
from storage.trie.root import ordered_trie_root, trie_root


class TestExternalities(Overlay):
    """Overlay + closed-form roots; ``state_version`` selects the trie layout of storage_root."""

    __test__ = False  # not a pytest class

    def __init__(self, items: Mapping[bytes, bytes] | None = None, state_version: int = 1) -> None:
        self._base = dict(items or {})
        super().__init__(MemoryState(self._base))
        self.state_version = state_version

    def state(self) -> dict[bytes, bytes]:
        """The full current state (committed base plus pending changes)."""
        merged = dict(self._base)
        for key, value in self.changes().items():
            if value is None:
                merged.pop(key, None)
            else:
                merged[key] = value
        return merged

    def storage_root(self) -> bytes:
        return trie_root(self.state(), self.state_version)

    def ordered_trie_root(self, values: Sequence[bytes], version: int) -> bytes:
        return ordered_trie_root(list(values), version)

    def commit_all(self) -> "TestExternalities":
        """A fresh externalities whose committed state is this one's current state (next block)."""
        return TestExternalities(self.state(), self.state_version)
