"""Helpers shared by the chain database tests and the crash worker.

Synthetic blocks: the header is ``number (u64 BE) ‖ parent hash ‖ state root ‖ salt`` and the
block hash is its blake2_256, so the state root a header claims can be read back without any
runtime codec.  Changes are deterministic pseudo-random functions of a seed.
"""

from __future__ import annotations

import random

from storage.block_db import BlockRecord
from storage.chain_db import ChainDatabase
from storage.kv import KeyValueStore
from storage.schema import TRIE_NODE
from storage.trie import EMPTY_ROOT, blake2_256, trie_root
from storage.trie.codec import HASH_LENGTH, decode_parts

GENESIS_STORAGE = {bytes([i]) * (1 + i % 3): bytes([i]) * (i % 50) for i in range(1, 60)}


def make_header(number: int, parent: bytes, state_root: bytes, salt: bytes = b"") -> bytes:
    return number.to_bytes(8, "big") + parent + state_root + salt


def header_state_root(header: bytes) -> bytes:
    return header[40:72]


GENESIS_HEADER = make_header(0, bytes(32), trie_root(GENESIS_STORAGE, 1))
GENESIS_HASH = blake2_256(GENESIS_HEADER)


def random_changes(rng: random.Random, count: int) -> dict[bytes, bytes | None]:
    """Changes over a bounded key space, so keys get overwritten and deleted often."""
    changes: dict[bytes, bytes | None] = {}
    for _ in range(count):
        key = rng.choice([b"\x01", b"\x02\x02", b"k"]) + rng.randbytes(1) * rng.choice([1, 2])
        if rng.random() < 0.25:
            changes[key] = None
        else:
            changes[key] = rng.randbytes(rng.choice([0, 4, 31, 32, 33, 60]))
    return changes


def open_db(source: object, pruning: int | None, **kwargs: object) -> ChainDatabase:
    return ChainDatabase.open(
        source,  # type: ignore[arg-type]
        GENESIS_HASH,
        GENESIS_STORAGE,
        1,
        pruning,
        genesis_header=GENESIS_HEADER,
        **kwargs,  # type: ignore[arg-type]
    )


def build_block(
    db: ChainDatabase,
    parent: bytes,
    changes: dict[bytes, bytes | None],
    *,
    salt: bytes = b"",
    make_best: bool = False,
    finalize: bytes | None = None,
    finalize_self: bool = False,
) -> bytes:
    """Import a child of ``parent`` whose header carries the real state root."""
    number = db.blocks.number(parent)
    assert number is not None
    parent_root = db.state_root(parent)
    # Compute the root on a throw-away batch first so the header can carry it.
    root = _dry_root(db, parent_root, changes)
    header = make_header(number + 1, parent, root, salt)
    record = BlockRecord(blake2_256(header), parent, number + 1, header, b"body" + salt)
    if finalize_self:
        finalize = record.hash
    result = db.import_block(
        record, parent_root, changes, state_root=root, make_best=make_best, finalize=finalize
    )
    assert result.state_root == root
    return record.hash


def _dry_root(db: ChainDatabase, parent_root: bytes, changes: dict[bytes, bytes | None]) -> bytes:
    from storage.state_db import NodeChanges

    return db.state.commit_block(parent_root, changes, NodeChanges()).root


def reachable_nodes(kv: KeyValueStore, roots: set[bytes]) -> set[bytes]:
    """Every stored hash (nodes and out-of-line values) reachable from ``roots``."""
    seen: set[bytes] = set()
    stack = [r for r in roots if r != EMPTY_ROOT]

    def visit(encoding: bytes) -> None:
        parts = decode_parts(encoding)
        if parts is None:
            return
        _partial, value, hashed, children = parts
        if hashed and value is not None:
            seen.add(value)
        for ref in children or ():
            if ref is None:
                continue
            if len(ref) == HASH_LENGTH:
                stack.append(ref)
            else:
                visit(ref)

    while stack:
        node_hash = stack.pop()
        if node_hash in seen:
            continue
        seen.add(node_hash)
        encoding = kv.get(TRIE_NODE + node_hash)
        assert encoding is not None, f"node 0x{node_hash.hex()} missing"
        visit(encoding)
    return seen


def stored_nodes(kv: KeyValueStore) -> set[bytes]:
    return {key[1:] for key, _ in kv.iterate(TRIE_NODE)}
