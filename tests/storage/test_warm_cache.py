"""The import fast paths keep state in memory between blocks; none of it may change results.

* the warm trie of :class:`~storage.state_db.StateDatabase` (the last commit's trie, kept
  with only its top levels decoded, deeper nodes re-read by hash) - across forks, reorgs,
  finality that abandons the warm state, and batches that are discarded;
* its node cache, which must keep the latest commit's nodes while the warm trie needs them;
* :meth:`TrieDB.commit` with ``keep_levels``;
* the fast node decoder, which must agree with the strict one on every input.

The levels kept are lowered in these tests so that small states exercise the collapsing.
"""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from storage import state_db
from storage.block_db import BlockRecord
from storage.errors import FinalityViolation, StateRootMismatch
from storage.state_db import NodeChanges, StateDatabase
from storage.trie import MemoryNodeStore, TrieDB, trie_root
from storage.trie._node import Node, _fast_node, node_from_encoding
from storage.trie.codec import Branch, HashedValue, Leaf, decode_parts, encode_node

from .chain_sim import GENESIS_HASH, build_block, make_header, open_db
from .test_trie_codec import nodes as codec_nodes

from .conftest import Factory  # noqa: E402 - the make_kv fixture lives in conftest.py


@pytest.fixture(params=[1, 2])
def warm_levels(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> int:
    monkeypatch.setattr(state_db, "_WARM_LEVELS", request.param)
    return int(request.param)


def _model_module():  # type: ignore[no-untyped-def]
    from . import test_chain_db

    return test_chain_db


@pytest.mark.parametrize("pruning", [2, None])
def test_chain_with_collapsed_warm_trie(make_kv: Factory, warm_levels: int, pruning: int | None) -> None:
    """Forks, reorgs, finality and pruning, checked against closed-form roots each step."""
    db = open_db(make_kv(), pruning)
    m = _model_module().Model(db, seed=21)
    tip = GENESIS_HASH
    for _ in range(4):
        tip = m.child(tip, make_best=True)
    fork = m.child(m.db.blocks.parent_hash(tip), salt=b"f")
    fork = m.child(fork, salt=b"f")
    m.check()
    db.set_best(fork)  # reorg onto the fork; the warm trie is on the other chain
    for _ in range(3):
        fork = m.child(fork, make_best=True)
        m.check()
    db.finalize(db.blocks.parent_hash(fork))
    m.check()
    for i in range(5):
        fork = m.child(fork, make_best=True, finalize=fork if i % 2 else None)
    m.check()


def test_discarded_import_leaves_no_warm_trie(make_kv: Factory, warm_levels: int) -> None:
    db = open_db(make_kv(), 2)
    m = _model_module().Model(db, seed=22)
    a1 = m.child(GENESIS_HASH, make_best=True)
    parent_root = db.state_root(a1)
    changes = {b"k\x01": b"x" * 40, b"\x01\x01": None}
    header = make_header(2, a1, b"\x00" * 32)
    record = BlockRecord(b"\x09" * 32, a1, 2, header, b"")
    with pytest.raises(StateRootMismatch):
        db.import_block(record, parent_root, changes, state_root=b"\x00" * 32)
    assert db.state._warm is None
    # Finality that would abandon the block being imported: computed, then discarded.
    side = m.child(GENESIS_HASH, salt=b"s", make_best=True)
    with pytest.raises(FinalityViolation):
        m.child(a1, salt=b"t", finalize=side)
    assert db.state._warm is None
    m.states.pop(next(reversed(m.states)))  # the block that was never written
    db.set_best(a1)
    tip = a1
    for _ in range(3):
        tip = m.child(tip, make_best=True)
    m.check()


def test_warm_trie_dropped_when_its_state_is_pruned(make_kv: Factory, warm_levels: int) -> None:
    db = open_db(make_kv(), 1)
    m = _model_module().Model(db, seed=23)
    a1 = m.child(GENESIS_HASH, make_best=True)
    b1 = m.child(GENESIS_HASH, salt=b"b")
    b2 = m.child(b1, salt=b"b")  # the warm trie now stands on b2's state
    assert db.state._warm is not None and db.state._warm.root == db.state_root(b2)
    db.finalize(a1)  # abandons b1 and b2
    assert not db.has_state(b2)
    assert db.state._warm is None
    tip = a1
    for _ in range(3):
        tip = m.child(tip, make_best=True, finalize=tip)
    m.check()


def test_uncommitted_parents_with_tiny_node_cache(
    make_kv: Factory, warm_levels: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Children built on parents whose batch is still open re-read collapsed nodes from the
    node cache, which must therefore never evict the latest commit's nodes."""
    monkeypatch.setattr(state_db, "_CACHE_LIMIT", 5)
    kv = make_kv()
    db = StateDatabase(kv, pruning=None)
    rng = random.Random(24)
    state = {rng.randbytes(rng.choice([1, 2, 32])): rng.randbytes(rng.choice([1, 40])) for _ in range(300)}
    with kv.write_batch() as batch:
        acc = NodeChanges()
        root = db.genesis(state, acc, batch).root
        db.flush(acc, batch)
    with kv.write_batch() as batch:
        for _ in range(4):
            changes: dict[bytes, bytes | None] = {}
            for key in rng.sample(sorted(state), 20):
                changes[key] = None if rng.random() < 0.3 else rng.randbytes(rng.choice([2, 50]))
            for _ in range(20):
                changes[rng.randbytes(rng.choice([2, 32]))] = rng.randbytes(5)
            acc = NodeChanges()
            root = db.commit_block(root, changes, acc).root
            db.flush(acc, batch)
            for key, value in changes.items():
                if value is None:
                    state.pop(key, None)
                else:
                    state[key] = value
            assert root == trie_root(state, 1)
    view = StateDatabase(kv, pruning=None).state_at(root)
    assert dict(view.items()) == state


@pytest.mark.parametrize("version", [0, 1])
def test_commit_keep_levels(version: int) -> None:
    rng = random.Random(25)
    store = MemoryNodeStore()
    trie = TrieDB(store, version=version)
    state: dict[bytes, bytes] = {}
    for block in range(12):
        for _ in range(60):
            key = rng.randbytes(rng.choice([1, 2, 3, 32]))
            if state and rng.random() < 0.3:
                key = rng.choice(sorted(state))
                trie.remove(key)
                state.pop(key)
            else:
                value = rng.randbytes(rng.choice([0, 3, 40]))
                trie.insert(key, value)
                state[key] = value
        levels = 1 + block % 3
        result = trie.commit(keep_levels=levels)
        store.apply(result)
        assert result.root == trie_root(state, version)
        assert dict(TrieDB(store, result.root, version=version).items()) == state
        assert _max_loaded_depth(trie._root) <= _max_inline_depth_allowance(levels)
    with pytest.raises(ValueError):
        trie.commit(keep_levels=0)


def _max_loaded_depth(handle: object, depth: int = 0) -> int:
    """Deepest level holding a decoded node that is referenced by hash (not inline)."""
    if not isinstance(handle, Node) or handle.children is None:
        return depth - 1 if not isinstance(handle, Node) else depth
    deepest = depth
    for child in handle.children:
        if isinstance(child, Node):
            inline = child.enc is not None and len(child.enc) < 32
            if not inline:
                deepest = max(deepest, _max_loaded_depth(child, depth + 1))
    return deepest


def _max_inline_depth_allowance(levels: int) -> int:
    return levels - 1


@settings(max_examples=300, deadline=None)
@given(codec_nodes)
def test_fast_decoder_agrees_on_valid_nodes(node: object) -> None:
    encoding = encode_node(node)  # type: ignore[arg-type]
    _assert_same(encoding)


@st.composite
def _mutated_encodings(draw: st.DrawFn) -> bytes:
    """A valid node encoding with one byte replaced, or truncated."""
    encoding = encode_node(draw(codec_nodes))
    at = draw(st.integers(0, len(encoding) - 1))
    if draw(st.booleans()):
        return encoding[:at]
    return encoding[:at] + bytes((draw(st.integers(0, 255)),)) + encoding[at + 1 :]


@settings(max_examples=600, deadline=None)
@given(st.one_of(st.binary(max_size=120), _mutated_encodings()))
def test_fast_decoder_agrees_on_arbitrary_bytes(data: bytes) -> None:
    _assert_same(data)


def _assert_same(data: bytes) -> None:
    """Where the fast path answers at all, it agrees with the strict decoder (which the
    general path of ``node_from_encoding`` uses for everything else)."""
    node = _fast_node(data)
    if node is None:
        return
    expected = decode_parts(data)  # must not raise: the fast path accepted the input
    assert expected is not None and node.enc == data
    partial, raw, hashed, refs = expected
    assert node.partial == partial
    if raw is None:
        assert node.value is None
    elif hashed:
        assert getattr(node.value, "hash", None) == raw and node.vstored == raw
    else:
        assert node.value == raw and node.vstored is None
    if refs is None:
        assert node.children is None
    else:
        assert node.children == refs  # the fast path only takes all-hash children


def test_fast_decoder_covers_the_common_shapes() -> None:
    leaf = encode_node(Leaf(b"\x01\x02\x03", b"v"))
    hashed_leaf = encode_node(Leaf(b"\x01", HashedValue(b"\x07" * 32)))
    branch = encode_node(Branch(b"\x05", tuple(b"\x09" * 32 if i % 3 else None for i in range(16))))
    for encoding in (leaf, hashed_leaf, branch):
        assert _fast_node(encoding) is not None
        _assert_same(encoding)
    node = node_from_encoding(branch)
    assert node is not None and node.children is not None and node.children[1] == b"\x09" * 32
