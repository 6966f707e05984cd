"""Reference counts reported by trie commits are exact, even with duplicate subtrees.

A reference-counting store applies ``inserted_refs`` (+) and ``removed`` (-) after every
commit and deletes hashes whose count reaches zero.  Whatever the sequence of updates, the
store must then hold exactly the nodes of the closed-form trie, with exactly the closed-form
per-hash reference counts.  Values are drawn from a tiny alphabet so identical leaves (and
identical out-of-line values) at different positions are common.
"""

from __future__ import annotations

from collections import Counter

from hypothesis import given, settings
from hypothesis import strategies as st

from storage.trie import MemoryNodeStore, TrieDB, trie_root_nodes_and_refs

keys = st.binary(min_size=1, max_size=3)
values = st.sampled_from([b"", b"a", b"b" * 40, b"c" * 40, b"d" * 31])


@settings(max_examples=150, deadline=None)
@given(
    st.lists(st.tuples(keys, st.one_of(st.none(), values)), max_size=60),
    st.sampled_from([0, 1]),
    st.integers(min_value=1, max_value=5),
)
def test_refcounts_match_closed_form(
    ops: list[tuple[bytes, bytes | None]], version: int, every: int
) -> None:
    store = MemoryNodeStore()
    counts: Counter[bytes] = Counter()
    trie = TrieDB(store, version=version)
    model: dict[bytes, bytes] = {}

    def commit_and_check() -> None:
        result = trie.commit()
        for node_hash, count in result.inserted_refs.items():
            assert count > 0 and node_hash in result.inserted
            counts[node_hash] += count
            store.data[node_hash] = result.inserted[node_hash]
        assert set(result.inserted) == set(result.inserted_refs)
        for node_hash in result.removed:
            counts[node_hash] -= 1
            assert counts[node_hash] >= 0
            if counts[node_hash] == 0:
                del counts[node_hash]
                del store.data[node_hash]
        root, nodes, refs = trie_root_nodes_and_refs(model, version)
        assert result.root == root
        assert store.data == nodes
        assert counts == refs

    for step, (key, value) in enumerate(ops):
        if value is None:
            model.pop(key, None)
            trie.remove(key)
        else:
            model[key] = value
            trie.insert(key, value)
        if step % every == 0:
            commit_and_check()
    commit_and_check()
