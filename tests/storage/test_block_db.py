"""Tests for the block database and the key schema, on both key-value backends.

Blocks here are synthetic: a hash is blake2b over (parent, number, salt) and the header and
body are arbitrary bytes derived from it, since the database treats them as opaque.  The
property test at the end grows random block trees with random best/finality moves and checks
the database against a small in-test model after every step.
"""

from __future__ import annotations

import hashlib
import itertools
import shutil
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from storage import schema
from storage.block_db import BlockDatabase, BlockRecord, BlockRef, TreeRoute
from storage.errors import (
    BlockExists,
    DatabaseCorrupted,
    EmptyDatabase,
    FinalityViolation,
    ForeignDatabase,
    StorageError,
    UnknownBlock,
)
from storage.kv import KeyValueStore, MemoryKV
from storage.leveldb import LevelDBKV

ZERO = b"\x00" * 32


def make_block(
    parent: BlockRecord | None, salt: bytes = b"", justification: bytes | None = None
) -> BlockRecord:
    number = 0 if parent is None else parent.number + 1
    parent_hash = ZERO if parent is None else parent.hash
    block_hash = hashlib.blake2b(
        parent_hash + number.to_bytes(8, "big") + salt, digest_size=32
    ).digest()
    return BlockRecord(
        hash=block_hash,
        parent_hash=parent_hash,
        number=number,
        header=b"header:" + block_hash,
        body=b"body:" + block_hash,
        justification=justification,
    )


def chain(parent: BlockRecord, length: int, salt: bytes = b"") -> list[BlockRecord]:
    out: list[BlockRecord] = []
    for _ in range(length):
        parent = make_block(parent, salt)
        out.append(parent)
    return out


GENESIS = make_block(None)


class Store:
    """Opens the same underlying store repeatedly, simulating node restarts."""

    def __init__(self, backend: str, path: Path) -> None:
        self.backend = backend
        self.path = path
        self.current: KeyValueStore | None = None
        self._memory = MemoryKV()

    def open(self) -> KeyValueStore:
        if self.backend == "memory":
            self.current = self._memory
        else:
            if self.current is not None:
                self.current.close()
            self.current = LevelDBKV(self.path, sync=False)
        return self.current

    def close(self) -> None:
        if self.current is not None:
            self.current.close()


@pytest.fixture(params=["memory", "leveldb"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    s = Store(request.param, tmp_path / "db")
    yield s
    s.close()


@pytest.fixture
def db(store: Store) -> BlockDatabase:
    return BlockDatabase.initialize(store.open(), GENESIS)


def canonical_hashes(db: BlockDatabase) -> list[bytes]:
    best = db.best()
    out = [db.hash_at(n) for n in range(best.number + 1)]
    assert db.hash_at(best.number + 1) is None
    assert all(h is not None for h in out)
    return out  # type: ignore[return-value]


# --- schema ------------------------------------------------------------------------------


def test_no_prefix_is_a_prefix_of_another() -> None:
    prefixes = schema.ALL_PREFIXES
    assert len(set(prefixes)) == len(prefixes)
    for a, b in itertools.permutations(prefixes, 2):
        assert not b.startswith(a), (a, b)
    metas = [schema.META_BEST, schema.META_FINALIZED, schema.META_GENESIS, schema.META_VERSION]
    for a, b in itertools.permutations(metas, 2):
        assert not b.startswith(a), (a, b)
    assert all(m.startswith(schema.META) for m in metas)


def test_number_encoding_orders_bytewise() -> None:
    numbers = [0, 1, 255, 256, 65535, 2**32, 2**64 - 1]
    encoded = [schema.encode_number(n) for n in numbers]
    assert encoded == sorted(encoded)
    assert [schema.decode_number(e) for e in encoded] == numbers
    with pytest.raises(ValueError):
        schema.encode_number(-1)
    with pytest.raises(ValueError):
        schema.encode_number(2**64)
    assert schema.decode_block_info(schema.encode_block_info(7, b"p" * 32)) == (7, b"p" * 32)


# --- basics ---------------------------------------------------------------------------------


def test_genesis_initialization(db: BlockDatabase) -> None:
    g = BlockRef(GENESIS.hash, 0)
    assert db.best() == g and db.finalized() == g
    assert db.genesis_hash() == GENESIS.hash
    assert db.leaves() == (g,)
    assert db.stale_leaves() == ()
    assert db.hash_at(0) == GENESIS.hash and db.hash_at(1) is None and db.hash_at(-1) is None
    assert db.header(GENESIS.hash) == GENESIS.header
    assert db.body(GENESIS.hash) == GENESIS.body
    assert db.justification(GENESIS.hash) is None
    assert db.number(GENESIS.hash) == 0 and db.parent_hash(GENESIS.hash) == ZERO
    assert GENESIS.hash in db


def test_initialize_rules(store: Store) -> None:
    kv = store.open()
    with pytest.raises(ValueError):
        BlockDatabase.initialize(kv, make_block(GENESIS))
    BlockDatabase.initialize(kv, GENESIS)
    with pytest.raises(StorageError):
        BlockDatabase.initialize(kv, GENESIS)


def test_block_record_validation() -> None:
    with pytest.raises(ValueError):
        BlockRecord(b"a", b"a", 1, b"", b"")
    with pytest.raises(ValueError):
        BlockRecord(b"a", b"b", -1, b"", b"")
    with pytest.raises(TypeError):
        BlockRecord(b"a", b"b", 1, "header", b"")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        BlockRecord(b"a", b"b", 1, b"", b"", justification="j")  # type: ignore[arg-type]


def test_linear_chain(db: BlockDatabase) -> None:
    blocks = chain(GENESIS, 5)
    for i, block in enumerate(blocks):
        route = db.import_block(block, make_best=True)
        assert route == TreeRoute((), BlockRef((([GENESIS] + blocks)[i]).hash, i), (block.hash,))
    tip = blocks[-1]
    assert db.best() == BlockRef(tip.hash, 5)
    assert canonical_hashes(db) == [GENESIS.hash] + [b.hash for b in blocks]
    assert db.leaves() == (BlockRef(tip.hash, 5),)
    route = db.tree_route(GENESIS.hash, tip.hash)
    assert route.retracted == () and route.common == BlockRef(GENESIS.hash, 0)
    assert route.enacted == tuple(b.hash for b in blocks)
    back = db.tree_route(tip.hash, GENESIS.hash)
    assert back.retracted == tuple(b.hash for b in reversed(blocks)) and back.enacted == ()
    assert db.tree_route(tip.hash, tip.hash) == TreeRoute((), BlockRef(tip.hash, 5), ())
    assert db.is_descendant(GENESIS.hash, tip.hash)
    assert db.is_descendant(blocks[1].hash, blocks[3].hash)
    assert not db.is_descendant(tip.hash, GENESIS.hash)
    assert not db.is_descendant(tip.hash, tip.hash)
    assert db.header(blocks[2].hash) == blocks[2].header
    assert db.number(blocks[2].hash) == 3


def test_import_without_best_then_jump(db: BlockDatabase) -> None:
    blocks = chain(GENESIS, 4)
    for block in blocks:
        assert db.import_block(block) is None
    assert db.best() == BlockRef(GENESIS.hash, 0)
    assert db.hash_at(1) is None
    route = db.set_best(blocks[-1].hash)
    assert route.enacted == tuple(b.hash for b in blocks)
    assert canonical_hashes(db) == [GENESIS.hash] + [b.hash for b in blocks]
    # Moving best back to an ancestor trims the canonical index.
    route = db.set_best(blocks[1].hash)
    assert route.retracted == (blocks[3].hash, blocks[2].hash) and route.enacted == ()
    assert canonical_hashes(db) == [GENESIS.hash, blocks[0].hash, blocks[1].hash]


def build_fork(db: BlockDatabase) -> tuple[list[BlockRecord], list[BlockRecord], list[BlockRecord]]:
    """genesis - c1 - c2 then branch A (a3..a5) made best, branch B (b3..b6) imported only."""
    trunk = chain(GENESIS, 2)
    a = chain(trunk[-1], 3, b"A")
    b = chain(trunk[-1], 4, b"B")
    for block in trunk + a:
        db.import_block(block, make_best=True)
    for block in b:
        db.import_block(block)
    return trunk, a, b


def test_fork_and_reorg(db: BlockDatabase) -> None:
    trunk, a, b = build_fork(db)
    assert {leaf.hash for leaf in db.leaves()} == {a[-1].hash, b[-1].hash}
    assert db.leaves()[0] == BlockRef(b[-1].hash, 6)  # highest first
    assert db.best().hash == a[-1].hash

    route = db.tree_route(a[-1].hash, b[-1].hash)
    assert route.common == BlockRef(trunk[-1].hash, 2)
    assert route.retracted == tuple(x.hash for x in reversed(a))
    assert route.enacted == tuple(x.hash for x in b)
    assert not db.is_descendant(a[0].hash, b[-1].hash)
    assert db.is_descendant(trunk[0].hash, b[-1].hash)

    assert db.set_best(b[-1].hash) == route
    assert canonical_hashes(db) == [GENESIS.hash] + [x.hash for x in trunk + b]

    # Back to the shorter branch: the index loses height 6.
    back = db.set_best(a[-1].hash)
    assert back.retracted == tuple(x.hash for x in reversed(b))
    assert back.enacted == tuple(x.hash for x in a)
    assert canonical_hashes(db) == [GENESIS.hash] + [x.hash for x in trunk + a]


def test_import_with_make_best_on_other_fork(db: BlockDatabase) -> None:
    trunk, a, b = build_fork(db)
    extra = make_block(b[-1], b"B")
    route = db.import_block(extra, make_best=True)
    assert route is not None
    assert route.retracted == tuple(x.hash for x in reversed(a))
    assert route.enacted == tuple(x.hash for x in b) + (extra.hash,)
    assert canonical_hashes(db) == [GENESIS.hash] + [x.hash for x in trunk + b] + [extra.hash]
    assert b[-1].hash not in {leaf.hash for leaf in db.leaves()}


def test_finalize_and_stale_leaves(db: BlockDatabase) -> None:
    trunk, a, b = build_fork(db)
    with pytest.raises(FinalityViolation):
        db.finalize(b[0].hash)  # not canonical
    db.finalize(a[0].hash, justification=b"grandpa")
    assert db.finalized() == BlockRef(a[0].hash, 3)
    assert db.justification(a[0].hash) == b"grandpa"
    assert db.stale_leaves() == (BlockRef(b[-1].hash, 6),)
    # Nothing was pruned.
    assert db.header(b[-1].hash) == b[-1].header and db.body(b[0].hash) == b[0].body
    with pytest.raises(FinalityViolation):
        db.finalize(trunk[0].hash)  # backwards
    db.finalize(a[0].hash)  # idempotent
    with pytest.raises(FinalityViolation):
        db.set_best(b[-1].hash)  # would revert finalized a3
    with pytest.raises(FinalityViolation):
        db.set_best(trunk[-1].hash)  # below finality
    with pytest.raises(FinalityViolation):
        db.import_block(make_block(b[-1], b"B"))  # stale fork
    with pytest.raises(FinalityViolation):
        db.import_block(make_block(trunk[-1], b"C"))
    assert db.best().hash == a[-1].hash
    # Extending the finalized chain is still fine, and finality can reach best.
    db.import_block(make_block(a[0], b"A2"))
    db.finalize(a[-1].hash)
    assert db.finalized() == db.best()
    assert {leaf.hash for leaf in db.stale_leaves()} == {b[-1].hash, make_block(a[0], b"A2").hash}
    db.set_justification(a[1].hash, b"late")
    assert db.justification(a[1].hash) == b"late"


def test_unknown_blocks(db: BlockDatabase) -> None:
    missing = b"\x42" * 32
    assert db.header(missing) is None and db.body(missing) is None
    assert db.justification(missing) is None and db.number(missing) is None
    assert db.parent_hash(missing) is None and missing not in db
    for call in (
        lambda: db.tree_route(GENESIS.hash, missing),
        lambda: db.tree_route(missing, GENESIS.hash),
        lambda: db.is_descendant(missing, GENESIS.hash),
        lambda: db.set_best(missing),
        lambda: db.finalize(missing),
        lambda: db.set_justification(missing, b"j"),
    ):
        with pytest.raises(UnknownBlock) as info:
            call()
        assert info.value.block_hash == missing
    orphan = make_block(make_block(GENESIS, b"x"))
    with pytest.raises(UnknownBlock):
        db.import_block(orphan)


def test_duplicate_and_misnumbered_imports(db: BlockDatabase) -> None:
    block = make_block(GENESIS)
    db.import_block(block)
    with pytest.raises(BlockExists):
        db.import_block(block)
    bad = BlockRecord(b"\x01" * 32, GENESIS.hash, 5, b"h", b"b")
    with pytest.raises(ValueError):
        db.import_block(bad)
    assert db.leaves() == (BlockRef(block.hash, 1),)


def test_import_shares_caller_batch(db: BlockDatabase) -> None:
    block = make_block(GENESIS, justification=b"j")
    state_key = schema.trie_node_key(b"\x07" * 32)
    with pytest.raises(RuntimeError):
        with db.kv.write_batch() as batch:
            db.import_block(block, batch, make_best=True)
            batch.put(state_key, b"node")
            raise RuntimeError("state execution failed")
    assert block.hash not in db and db.kv.get(state_key) is None
    assert db.best().hash == GENESIS.hash and db.leaves() == (BlockRef(GENESIS.hash, 0),)

    batch = db.write_batch()
    db.import_block(block, batch, make_best=True)
    batch.put(state_key, b"node")
    assert block.hash not in db  # not committed yet
    batch.commit()
    assert db.best() == BlockRef(block.hash, 1) and db.kv.get(state_key) == b"node"
    assert db.justification(block.hash) == b"j"


# --- opening ----------------------------------------------------------------------------------


def test_reopen_restores_state(store: Store) -> None:
    db = BlockDatabase.initialize(store.open(), GENESIS)
    trunk, a, b = build_fork(db)
    db.finalize(trunk[-1].hash)
    db.set_best(b[-1].hash)
    reopened = BlockDatabase.open(store.open(), expected_genesis=GENESIS.hash)
    assert reopened.best() == BlockRef(b[-1].hash, 6)
    assert reopened.finalized() == BlockRef(trunk[-1].hash, 2)
    assert canonical_hashes(reopened) == [GENESIS.hash] + [x.hash for x in trunk + b]
    assert {leaf.hash for leaf in reopened.leaves()} == {a[-1].hash, b[-1].hash}
    # Resume importing on the restored chain.
    nxt = make_block(b[-1], b"B")
    reopened.import_block(nxt, make_best=True)
    again = BlockDatabase.open_or_initialize(store.open(), GENESIS)
    assert again.best() == BlockRef(nxt.hash, 7)


def test_open_empty_and_open_or_initialize(store: Store) -> None:
    kv = store.open()
    with pytest.raises(EmptyDatabase):
        BlockDatabase.open(kv)
    db = BlockDatabase.open_or_initialize(kv, GENESIS)
    assert db.best().hash == GENESIS.hash


def test_foreign_genesis(store: Store) -> None:
    BlockDatabase.initialize(store.open(), GENESIS)
    other = make_block(None, b"other chain")
    with pytest.raises(ForeignDatabase) as info:
        BlockDatabase.open(store.open(), expected_genesis=other.hash)
    assert info.value.found == GENESIS.hash and info.value.expected == other.hash
    with pytest.raises(ForeignDatabase):
        BlockDatabase.open_or_initialize(store.open(), other)
    BlockDatabase.open(store.open())  # no expectation: opens fine


def _corrupt_best_header(kv: KeyValueStore, tip: BlockRecord) -> None:
    kv.delete(schema.header_key(tip.hash))


def _corrupt_best_pointer(kv: KeyValueStore, tip: BlockRecord) -> None:
    kv.put(schema.META_BEST, b"\x99" * 32)


def _corrupt_missing_finalized(kv: KeyValueStore, tip: BlockRecord) -> None:
    kv.delete(schema.META_FINALIZED)


def _corrupt_canonical_gap(kv: KeyValueStore, tip: BlockRecord) -> None:
    kv.delete(schema.canonical_key(tip.number))


def _corrupt_canonical_overhang(kv: KeyValueStore, tip: BlockRecord) -> None:
    kv.put(schema.canonical_key(tip.number + 1), b"\x98" * 32)


def _corrupt_version(kv: KeyValueStore, tip: BlockRecord) -> None:
    kv.put(schema.META_VERSION, schema.encode_version(99))


def _corrupt_genesis_meta(kv: KeyValueStore, tip: BlockRecord) -> None:
    kv.delete(schema.META_GENESIS)


def _corrupt_block_info(kv: KeyValueStore, tip: BlockRecord) -> None:
    kv.put(schema.block_info_key(tip.hash), b"\x01")


def _corrupt_finalized_above_best(kv: KeyValueStore, tip: BlockRecord) -> None:
    kv.put(schema.META_BEST, tip.parent_hash)
    kv.delete(schema.canonical_key(tip.number))


@pytest.mark.parametrize(
    "corrupt",
    [
        _corrupt_best_header,
        _corrupt_best_pointer,
        _corrupt_missing_finalized,
        _corrupt_canonical_gap,
        _corrupt_canonical_overhang,
        _corrupt_version,
        _corrupt_genesis_meta,
        _corrupt_block_info,
        _corrupt_finalized_above_best,
    ],
)
def test_corrupted_meta(
    store: Store, corrupt: Callable[[KeyValueStore, BlockRecord], None]
) -> None:
    db = BlockDatabase.initialize(store.open(), GENESIS)
    blocks = chain(GENESIS, 3)
    for block in blocks:
        db.import_block(block, make_best=True)
    db.finalize(blocks[-1].hash)
    corrupt(store.open(), blocks[-1])
    with pytest.raises(DatabaseCorrupted):
        BlockDatabase.open(store.open(), expected_genesis=GENESIS.hash)


# --- property test: random block trees --------------------------------------------------------

_step = st.tuples(
    st.sampled_from(["import", "import_best", "best", "finalize"]),
    st.integers(min_value=0, max_value=10_000),
)


class Model:
    """The block tree kept in plain Python, as the reference for the database."""

    def __init__(self) -> None:
        self.blocks: dict[bytes, BlockRecord] = {GENESIS.hash: GENESIS}
        self.order: list[bytes] = [GENESIS.hash]
        self.best = GENESIS.hash
        self.finalized = GENESIS.hash

    def ancestry(self, block_hash: bytes) -> list[bytes]:
        """Block, parent, ..., genesis."""
        out = [block_hash]
        while self.blocks[out[-1]].number > 0:
            out.append(self.blocks[out[-1]].parent_hash)
        return out

    def leaves(self) -> set[bytes]:
        parents = {b.parent_hash for b in self.blocks.values()}
        return set(self.blocks) - parents


def check(db: BlockDatabase, model: Model) -> None:
    walked = list(reversed(model.ancestry(model.best)))
    assert canonical_hashes(db) == walked
    assert db.best().hash == model.best and db.finalized().hash == model.finalized
    assert {leaf.hash for leaf in db.leaves()} == model.leaves()
    stale = {h for h in model.leaves() if model.finalized not in model.ancestry(h)}
    assert {leaf.hash for leaf in db.stale_leaves()} == stale


@pytest.mark.parametrize("backend", ["memory", "leveldb"])
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(steps=st.lists(_step, min_size=1, max_size=30))
def test_random_fork_trees(backend: str, steps: list[tuple[str, int]]) -> None:
    tmp = tempfile.mkdtemp()
    kv: KeyValueStore = MemoryKV() if backend == "memory" else LevelDBKV(tmp, sync=False)
    try:
        db = BlockDatabase.initialize(kv, GENESIS)
        model = Model()
        for i, (op, pick) in enumerate(steps):
            target = model.order[pick % len(model.order)]
            fin_in_lineage = model.finalized in model.ancestry(target)
            if op in ("import", "import_best"):
                block = make_block(model.blocks[target], salt=i.to_bytes(2, "big"))
                if not fin_in_lineage:
                    with pytest.raises(FinalityViolation):
                        db.import_block(block, make_best=op == "import_best")
                    continue
                route = db.import_block(block, make_best=op == "import_best")
                model.blocks[block.hash] = block
                model.order.append(block.hash)
                if op == "import_best":
                    assert route is not None and route.enacted[-1] == block.hash
                    model.best = block.hash
            elif op == "best":
                if not fin_in_lineage:
                    with pytest.raises(FinalityViolation):
                        db.set_best(target)
                    continue
                old = model.ancestry(model.best)
                new = model.ancestry(target)
                common = next(h for h in old if h in set(new))
                route = db.set_best(target)
                assert route.common.hash == common
                assert list(route.retracted) == old[: old.index(common)]
                assert list(route.enacted) == list(reversed(new[: new.index(common)]))
                model.best = target
            else:
                canonical = model.ancestry(model.best)
                ok = target in canonical and fin_in_lineage
                if not ok:
                    with pytest.raises(FinalityViolation):
                        db.finalize(target)
                    continue
                db.finalize(target)
                model.finalized = target
            check(db, model)
        # Reopening sees the same tree.
        check(BlockDatabase.open(kv, expected_genesis=GENESIS.hash), model)
    finally:
        kv.close()
        shutil.rmtree(tmp, ignore_errors=True)
