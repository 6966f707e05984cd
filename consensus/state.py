"""Block execution state: the runtime's externalities over a stored parent state.

:class:`BlockState` is the storage overlay (pending changes, nested transactions) on top of a parent
block's committed state view; its ``storage_root`` applies the pending changes to the parent's trie
in memory (nothing is written) so the runtime can put the root in the header it builds. The same
changes are then committed by the chain database on import.
"""

from __future__ import annotations

from collections.abc import Sequence

from storage.overlay import Overlay, StateReader
from storage.trie.root import ordered_trie_root
from storage.trie.store import NodeStore
from storage.trie.triedb import TrieDB


class BlockState(Overlay):
    """Externalities for executing one block on top of ``parent_root``."""

    def __init__(self, reader: StateReader, nodes: NodeStore, parent_root: bytes, version: int) -> None:
        super().__init__(reader)
        self._nodes = nodes
        self.parent_root = parent_root
        self.version = version

    def storage_root(self) -> bytes:
        trie = TrieDB(self._nodes, self.parent_root, version=self.version)
        for key, value in self.current_changes().items():
            if value is None:
                trie.remove(key)
            else:
                trie.insert(key, value)
        return trie.commit().root

    def ordered_trie_root(self, values: Sequence[bytes], version: int) -> bytes:
        return ordered_trie_root(list(values), version)

    def current_changes(self) -> dict[bytes, bytes | None]:
        """Pending changes even while storage transactions are open (the root is taken mid-block)."""
        return {key: self._changes[key] for key in self._sorted}
