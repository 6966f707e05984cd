"""The chain: block import (verify, execute, store) and block building, over the chain database.

Every block — authored here or received from a peer — enters through :meth:`Chain.import_block`:
Aura seal and slot are checked against the parent's authorities, the block is executed by the runtime
on the parent's state, its state and extrinsics roots must match the header, and header, body and
state changes are committed in one batch. Fork choice is the longest chain (first seen wins ties)
on top of the finalized block. :meth:`Chain.build_block` drives the runtime's block builder.

CPU-heavy work (execution, trie updates) happens here, synchronously; the async service calls it in a
worker thread and serialises access with a lock.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from consensus import aura as aura_rules
from consensus.state import BlockState
from runtime.construct import Runtime
from runtime.executive import (
    InvalidBlock, TransactionValidityError, apply_extrinsic, execute_block, finalize_block, initialize_block,
)
from runtime.pallets import aura as aura_pallet
from runtime.pallets import timestamp
from runtime.primitives.block import OPAQUE_BLOCK, Block, OpaqueExtrinsic
from runtime.primitives.extrinsic import UncheckedExtrinsic, encode_extrinsic
from runtime.primitives.header import Header
from runtime.primitives.keys import Keypair
from runtime.scale import Vec
from storage.block_db import BlockRecord
from storage.chain_db import ChainDatabase
from storage.errors import StateDiscarded

_BODY = Vec(OpaqueExtrinsic)


class BlockImportError(Exception):
    """A block was rejected (unknown parent, bad seal, invalid execution, root mismatch)."""


@dataclass(frozen=True, slots=True)
class ImportOutcome:
    hash: bytes
    header: Header
    is_new_best: bool
    finalized: bytes | None
    retracted: tuple[bytes, ...] = ()
    enacted: tuple[bytes, ...] = ()


@dataclass
class BuiltBlock:
    header: Header
    body: list[bytes]
    included: list[bytes] = field(default_factory=list)
    rejected: list[tuple[bytes, Any]] = field(default_factory=list)


def encode_body(extrinsics: Sequence[bytes]) -> bytes:
    return _BODY.encode(list(extrinsics))


def decode_body(raw: bytes) -> list[bytes]:
    return list(_BODY.decode(raw))


class Chain:
    """Blocks and state of one chain, with import, building and finality."""

    def __init__(self, db: ChainDatabase, runtime: Runtime, state_version: int, *,
                 instant_finality: bool = False) -> None:
        self.db = db
        self.runtime = runtime
        self.state_version = state_version
        self.instant_finality = instant_finality
        self.lock = threading.RLock()

    # -- reads ----------------------------------------------------------------------------------------

    def header(self, block_hash: bytes) -> Header | None:
        raw = self.db.blocks.header(block_hash)
        return None if raw is None else Header.decode(raw)

    def body(self, block_hash: bytes) -> list[bytes] | None:
        raw = self.db.blocks.body(block_hash)
        return None if raw is None else decode_body(raw)

    def genesis_hash(self) -> bytes:
        return self.db.blocks.genesis_hash()

    def best_hash(self) -> bytes:
        return self.db.best().hash

    def finalized_hash(self) -> bytes:
        return self.db.finalized().hash

    def state_view(self, block_hash: bytes) -> Any:
        return self.db.state_at_block(block_hash)

    def block_state(self, parent_hash: bytes) -> BlockState:
        """Fresh externalities on top of ``parent_hash``'s state."""
        view = self.db.state_at_block(parent_hash)
        return BlockState(view, self.db.state.nodes, self.db.state_root(parent_hash), self.state_version)

    # -- import ---------------------------------------------------------------------------------------

    def import_block(self, header: Header, body: Sequence[bytes], justification: bytes | None = None,
                     *, own: bool = False) -> ImportOutcome:
        """Verify, execute and store a block (see the module docstring)."""
        with self.lock:
            block_hash = header.hash
            if self.db.blocks.header(block_hash) is not None:
                raise BlockImportError(f"block 0x{block_hash.hex()} is already known")
            parent = self.header(header.parent_hash)
            if parent is None:
                raise BlockImportError(f"unknown parent 0x{header.parent_hash.hex()}")
            if header.number != parent.number + 1:
                raise BlockImportError("block number is not parent + 1")
            try:
                state = self.block_state(header.parent_hash)
            except StateDiscarded as exc:
                raise BlockImportError(str(exc)) from exc
            authorities = aura_pallet.authorities(state)
            try:
                verified = aura_rules.verify_header(header, authorities)
            except aura_rules.AuraError as exc:
                raise BlockImportError(str(exc)) from exc
            try:
                execute_block(self.runtime.context(state), verified.pre_header, list(body))
            except InvalidBlock as exc:
                raise BlockImportError(f"invalid block #{header.number}: {exc}") from exc
            record = BlockRecord(block_hash, header.parent_hash, header.number, header.encode(),
                                 encode_body(body), justification)
            best = self.db.best()
            make_best = header.number > best.number
            finalize = block_hash if (self.instant_finality and make_best) else None
            result = self.db.import_block(record, self.db.state_root(header.parent_hash), state.changes(),
                                          state_root=header.state_root, make_best=make_best,
                                          finalize=finalize)
            route = result.route
            return ImportOutcome(
                block_hash, header, make_best, finalize,
                tuple(route.retracted) if route else (),
                tuple(route.enacted) if route else (),
            )

    def finalize(self, block_hash: bytes, justification: bytes | None = None) -> None:
        with self.lock:
            self.db.finalize(block_hash, justification)

    # -- building -------------------------------------------------------------------------------------

    def build_block(self, parent_hash: bytes, timestamp_ms: int, slot: int, key: Keypair,
                    transactions: Iterable[tuple[bytes, bytes]] = (), max_extrinsics: int = 10_000) -> BuiltBlock:
        """Build and seal a block on ``parent_hash``; ``transactions`` are (hash, encoded) pairs."""
        with self.lock:
            parent = self.header(parent_hash)
            if parent is None:
                raise BlockImportError(f"unknown parent 0x{parent_hash.hex()}")
            state = self.block_state(parent_hash)
            ctx = self.runtime.context(state)
            pre = Header(parent_hash, parent.number + 1, bytes(32), bytes(32), (aura_rules.pre_digest(slot),))
            initialize_block(ctx, pre)
            now = max(timestamp_ms, timestamp.now(state) + timestamp.minimum_period())
            inherent = encode_extrinsic(UncheckedExtrinsic(
                self.runtime.encode_call(timestamp.create_inherent(now, state)), version=5))
            apply_extrinsic(ctx, inherent)
            built = BuiltBlock(pre, [inherent])
            for tx_hash, encoded in transactions:
                if len(built.body) >= max_extrinsics:
                    break
                state.start_transaction()
                try:
                    apply_extrinsic(ctx, encoded)
                except TransactionValidityError as exc:
                    state.rollback_transaction()
                    built.rejected.append((tx_hash, exc.value))
                    continue
                state.commit_transaction()
                built.body.append(encoded)
                built.included.append(tx_hash)
            header = finalize_block(ctx)
            built.header = aura_rules.seal(header, key)
            return built


def decode_block(raw: bytes) -> Block:
    return OPAQUE_BLOCK.decode(raw)  # type: ignore[no-any-return]


def open_chain(source: Any, spec: Any, runtime: Runtime, *, pruning: int | None = 256,
               instant_finality: bool = False) -> Chain:
    """Open (or initialise from ``spec``, a RawChainSpec) the chain database at ``source``."""
    header = spec.genesis_header()
    db = ChainDatabase.open(source, header.hash, spec.top, spec.state_version, pruning,
                            genesis_header=header.encode(), genesis_body=encode_body([]))
    return Chain(db, runtime, spec.state_version, instant_finality=instant_finality)
