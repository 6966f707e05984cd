"""The chain: block import (verify, execute, store) and block building, over the chain database.

Every block — authored here or received from a peer — enters through :meth:`Chain.import_block`:
Aura seal and slot are checked against the parent's authorities, the block is executed by the runtime
on the parent's state, its state and extrinsics roots must match the header, and header, body and
state changes are committed in one batch. Fork choice is the longest chain (first seen wins ties)
on top of the finalized block: a block that does not descend from it is refused, and finalizing a
block on another fork first moves the best block to the longest chain containing it.
:meth:`Chain.build_block` drives the runtime's block builder.

GRANDPA: the chain keeps the client's authority-set tracker (:attr:`Chain.grandpa`), fed with every
imported header (``FRNK`` change digests) and every finalization. A block imported with a
justification has it verified against the current set and is finalized with it; a block that enacts
a scheduled change but came without one is flagged (:attr:`ImportOutcome.needs_justification`). The
chain also answers the voter's queries (:class:`consensus.grandpa.environment.VoterChain`).

CPU-heavy work (execution, trie updates) happens here, synchronously; the async service calls it in a
worker thread and serialises access with a lock.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from consensus import aura as aura_rules
from consensus.grandpa.authorities import AuthoritySet, AuthoritySetTracker, EnactedChange
from consensus.grandpa.justification import JustificationError, verify_justification
from consensus.state import BlockState
from runtime.construct import Runtime
from runtime.executive import (
    InvalidBlock, TransactionValidityError, apply_extrinsic, execute_block, finalize_block, initialize_block,
)
from runtime.pallets import aura as aura_pallet
from runtime.pallets import grandpa as grandpa_pallet
from runtime.pallets import timestamp
from runtime.primitives.block import OPAQUE_BLOCK, Block, OpaqueExtrinsic
from runtime.primitives.extrinsic import UncheckedExtrinsic, encode_extrinsic
from runtime.primitives.header import Header
from runtime.primitives.keys import Keypair
from runtime.scale import Vec
from storage.block_db import BlockRecord
from storage.chain_db import ChainDatabase
from storage.errors import StateDiscarded, StorageError

_BODY = Vec(OpaqueExtrinsic)

if TYPE_CHECKING:
    from consensus.mev_shield import ShieldAuthor


class BlockImportError(Exception):
    """A block was rejected (unknown parent, bad seal, invalid execution, root mismatch)."""


class UnimportableBlock(BlockImportError):
    """A block that is not invalid, only not importable here and now: already known, unknown parent, or on a
    fork that does not contain the finalized block. The peer that sent it is not at fault."""


@dataclass(frozen=True, slots=True)
class ImportOutcome:
    hash: bytes
    header: Header
    is_new_best: bool
    finalized: bytes | None
    retracted: tuple[bytes, ...] = ()
    enacted: tuple[bytes, ...] = ()
    #: the block enacts a GRANDPA authority change but came without a justification (ask peers for one)
    needs_justification: bool = False
    #: the author sealed another header for the same slot (log it; do not re-announce the block)
    equivocation: aura_rules.Equivocation | None = None
    #: a GRANDPA authority set change this import or finalization enacted
    set_change: EnactedChange | None = None
    #: a justification came with the block but did not verify (it was dropped)
    bad_justification: bool = False


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
                 instant_finality: bool = False, grandpa_state: bytes | None = None) -> None:
        self.db = db
        self.runtime = runtime
        self.state_version = state_version
        self.instant_finality = instant_finality
        self.lock = threading.RLock()
        self.equivocations = aura_rules.EquivocationDetector()
        #: GRANDPA authority sets; restored from ``grandpa_state`` (:meth:`AuthoritySetTracker.encode`) or
        #: taken from the runtime's ``Grandpa.Authorities`` at the finalized block (set id: ``CurrentSetId``).
        self.grandpa = (AuthoritySetTracker.decode(grandpa_state) if grandpa_state is not None
                        else self._grandpa_from_state())

    def _grandpa_from_state(self) -> AuthoritySetTracker:
        view = self.state_view(self.finalized_hash())
        authorities = tuple(grandpa_pallet.authorities(view))
        set_id = grandpa_pallet.current_set_id(view)
        if not authorities:  # a chain without GRANDPA keys: an inert placeholder set
            return AuthoritySetTracker(AuthoritySet(set_id, ((bytes(32), 1),)))
        return AuthoritySetTracker(AuthoritySet(set_id, authorities))

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

    # -- what the GRANDPA voter asks (consensus.grandpa.environment.VoterChain) ---------------------------

    def is_descendant(self, ancestor: bytes, block: bytes) -> bool:
        try:
            return self.db.blocks.is_descendant(ancestor, block)
        except StorageError:
            return False

    def is_descendant_or_self(self, ancestor: bytes, block: bytes) -> bool:
        return (ancestor == block and self.db.blocks.contains(block)) or self.is_descendant(ancestor, block)

    def ancestry(self, base: bytes, block: bytes) -> list[bytes] | None:
        try:
            route = self.db.blocks.tree_route(base, block)
        except StorageError:
            return None
        if route.retracted or route.common.hash != base or not route.enacted:
            return None
        return list(reversed(route.enacted))

    def best_chain_containing(self, block: bytes) -> tuple[bytes, int] | None:
        """The best block if it contains ``block``, else the highest leaf that does (None: abandoned)."""
        best = self.db.best()
        if self.is_descendant_or_self(block, best.hash):
            return best.hash, best.number
        finalized = self.db.finalized().hash
        if not self.is_descendant_or_self(finalized, block):
            return None
        for leaf in self.db.blocks.leaves():
            if self.is_descendant_or_self(block, leaf.hash):
                return leaf.hash, leaf.number
        return None

    def finalized(self) -> tuple[bytes, int]:
        ref = self.db.finalized()
        return ref.hash, ref.number

    def authority_set(self) -> AuthoritySet:
        return self.grandpa.current

    def vote_limit(self, block: bytes) -> int | None:
        return self.grandpa.vote_limit(block, self.is_descendant_or_self)

    def block_state(self, parent_hash: bytes) -> BlockState:
        """Fresh externalities on top of ``parent_hash``'s state."""
        view = self.db.state_at_block(parent_hash)
        return BlockState(view, self.db.state.nodes, self.db.state_root(parent_hash), self.state_version)

    # -- import ---------------------------------------------------------------------------------------

    def import_block(self, header: Header, body: Sequence[bytes], justification: bytes | None = None,
                     *, own: bool = False, now_slot: int | None = None) -> ImportOutcome:
        """Verify, execute and store a block (see the module docstring).

        ``justification`` is a SCALE ``GrandpaJustification`` for this block: if it verifies against
        the current GRANDPA set the block is stored with it and finalized in the same batch; if not,
        the block is imported without it (``bad_justification``), as Substrate does.
        """
        with self.lock:
            block_hash = header.hash
            parent = self._check_parent(header)
            try:
                state = self.block_state(header.parent_hash)
            except StateDiscarded as exc:
                raise BlockImportError(str(exc)) from exc
            authorities = aura_pallet.authorities(state)
            try:
                verified = aura_rules.verify_header(header, authorities, now_slot)
            except aura_rules.AuraError as exc:
                raise BlockImportError(str(exc)) from exc
            equivocation = self.equivocations.check(verified.slot, verified.author, block_hash)
            try:
                execute_block(self.runtime.context(state), verified.pre_header, list(body))
            except InvalidBlock as exc:
                raise BlockImportError(f"invalid block #{header.number}: {exc}") from exc
            justified = justification is not None and self._justification_ok(header, justification)
            record = BlockRecord(block_hash, header.parent_hash, header.number, header.encode(),
                                 encode_body(body), justification if justified else None)
            best = self.db.best()
            make_best = justified or header.number > best.number
            finalize = block_hash if justified or (self.instant_finality and make_best) else None
            result = self.db.import_block(record, self.db.state_root(parent.hash), state.changes(),
                                          state_root=header.state_root, make_best=make_best,
                                          finalize=finalize)
            set_change = self._track_grandpa(header, make_best, finalize is not None)
            needs = finalize is None and self.grandpa.enacts_standard_change(
                block_hash, header.number, self.is_descendant_or_self)
            route = result.route
            return ImportOutcome(
                block_hash, header, make_best, finalize,
                tuple(route.retracted) if route else (),
                tuple(route.enacted) if route else (),
                needs_justification=needs, equivocation=equivocation, set_change=set_change,
                bad_justification=justification is not None and not justified,
            )

    def _check_parent(self, header: Header) -> Header:
        if self.db.blocks.header(header.hash) is not None:
            raise UnimportableBlock(f"block 0x{header.hash.hex()} is already known")
        parent = self.header(header.parent_hash)
        if parent is None:
            raise UnimportableBlock(f"unknown parent 0x{header.parent_hash.hex()}")
        if header.number != parent.number + 1:
            raise BlockImportError("block number is not parent + 1")
        if not self.is_descendant_or_self(self.finalized_hash(), parent.hash):
            raise UnimportableBlock(f"block #{header.number} does not descend from the finalized block")
        return parent

    def _justification_ok(self, header: Header, justification: bytes) -> bool:
        try:
            verify_justification(justification, header.hash, header.number, self.grandpa.current,
                                 self.is_descendant)
        except JustificationError:
            return False
        return True

    def _track_grandpa(self, header: Header, is_best: bool, finalized: bool) -> EnactedChange | None:
        self.grandpa.note_header(header, self.is_descendant_or_self)
        change = None
        if is_best:
            change = self.grandpa.apply_forced_changes(header.hash, header.number, self.is_descendant_or_self)
        if finalized:
            change = self.grandpa.apply_finality(header.hash, header.number, self.is_descendant_or_self) or change
        return change

    def finalize(self, block_hash: bytes, justification: bytes | None = None) -> EnactedChange | None:
        """Finalize a block (storing its justification), first making its chain the best if needed.

        Returns the GRANDPA authority set change this enacts, if any.
        """
        with self.lock:
            number = self.db.blocks.number(block_hash)
            if number is None:
                raise BlockImportError(f"cannot finalize unknown block 0x{block_hash.hex()}")
            if self.db.blocks.hash_at(number) != block_hash:
                head = self.best_chain_containing(block_hash)
                if head is None:
                    raise BlockImportError(f"block #{number} is not on a chain containing the finalized block")
                self.db.set_best(head[0])  # finality wins over length: reorg onto the finalized chain
            self.db.finalize(block_hash, justification)
            return self.grandpa.apply_finality(block_hash, number, self.is_descendant_or_self)

    # -- building -------------------------------------------------------------------------------------

    def build_block(self, parent_hash: bytes, timestamp_ms: int, slot: int, key: Keypair,
                    transactions: Iterable[tuple[bytes, bytes]] = (), max_extrinsics: int = 10_000,
                    shield: ShieldAuthor | None = None) -> BuiltBlock:
        """Build and seal a block on ``parent_hash``; ``transactions`` are (hash, encoded) pairs.

        ``shield`` (the MEV shield's author side) adds its key inherent, holds back wrappers encrypted
        to another author's key and puts each unshielded inner extrinsic right after its wrapper.
        """
        with self.lock:
            parent = self.header(parent_hash)
            if parent is None:
                raise BlockImportError(f"unknown parent 0x{parent_hash.hex()}")
            state = self.block_state(parent_hash)
            session = shield.start(state) if shield is not None else None  # reads the parent's keys
            ctx = self.runtime.context(state)
            pre = Header(parent_hash, parent.number + 1, bytes(32), bytes(32), (aura_rules.pre_digest(slot),))
            initialize_block(ctx, pre)
            now = max(timestamp_ms, timestamp.now(state) + timestamp.minimum_period())
            inherent = encode_extrinsic(UncheckedExtrinsic(
                self.runtime.encode_call(timestamp.create_inherent(now, state)), version=5))
            apply_extrinsic(ctx, inherent)
            built = BuiltBlock(pre, [inherent])
            for extra in session.inherents() if session is not None else ():
                if _try_apply(ctx, state, extra):  # a failing optional inherent is dropped, as Substrate does
                    built.body.append(extra)
            for tx_hash, encoded in transactions:
                if len(built.body) >= max_extrinsics:
                    break
                follow = session.screen(encoded) if session is not None else []
                if follow is None:
                    continue  # stays in the pool
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
                built.body.extend(inner for inner in follow if _try_apply(ctx, state, inner))
            header = finalize_block(ctx)
            built.header = aura_rules.seal(header, key)
            return built


def _try_apply(ctx: Any, state: BlockState, encoded: bytes) -> bool:
    """Apply an author-supplied extrinsic in its own storage transaction; False, leaving no trace, if invalid."""
    state.start_transaction()
    try:
        apply_extrinsic(ctx, encoded)
    except TransactionValidityError:
        state.rollback_transaction()
        return False
    state.commit_transaction()
    return True


def decode_block(raw: bytes) -> Block:
    return OPAQUE_BLOCK.decode(raw)  # type: ignore[no-any-return]


def open_chain(source: Any, spec: Any, runtime: Runtime, *, pruning: int | None = 256,
               instant_finality: bool = False, grandpa_state: bytes | None = None) -> Chain:
    """Open (or initialise from ``spec``, a RawChainSpec) the chain database at ``source``.

    ``grandpa_state`` restores the GRANDPA authority-set tracker saved from ``chain.grandpa.encode()``.
    """
    header = spec.genesis_header()
    db = ChainDatabase.open(source, header.hash, spec.top, spec.state_version, pruning,
                            genesis_header=header.encode(), genesis_body=encode_body([]))
    return Chain(db, runtime, spec.state_version, instant_finality=instant_finality, grandpa_state=grandpa_state)
