"""The transaction pool core: validation results in, queue changes and watcher statuses out.

Sans-IO: the runtime is reached only through the injected ``validate(at_block_hash, extrinsic)``, the
chain head through ``best()`` and time through ``clock()``. Status changes go to listeners as
``(tx_hash, value, final)`` with ``value`` in Substrate's JSON form (``"ready"``,
``{"inBlock": "0x…"}``…); :class:`subtensor.txpool.service.PoolService` turns them into watcher
channels and runs validation off the event loop using the two-phase maintenance API
(:meth:`TransactionPool.begin_maintenance` / :meth:`TransactionPool.finish_maintenance`).

Behaviour follows Substrate's ``sc-transaction-pool``: invalid transactions and those evicted by the
limits are banned for ``ban_time_seconds``; included transactions are banned too, so a retracted block's
transactions come back only through the reorg path; a stale transaction (longevity elapsed) is reported
``invalid``. Two deliberate differences: a duplicate submission is always reported as already imported
(never banned), and when a block prunes a pool transaction that conflicts with an included one but is not
itself included, its watchers see ``invalid`` rather than a misleading ``inBlock``.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from runtime.executive.validity import TransactionValidityError, ValidTransaction
from runtime.primitives.extrinsic import decode_extrinsic, extrinsic_hash
from runtime.scale import DecodeError
from subtensor.txpool.errors import (
    AlreadyImported, BadFormat, ClientError, ImmediatelyDropped, InvalidTransaction, NoTagsProvided, PoolError,
    TemporarilyBanned, Unactionable, UnknownTransaction, VerificationError, validity_error,
)
from subtensor.txpool.graph import MAX_U64, BestIterator, Imported, PoolGraph, PoolTransaction

ValidateFn = Callable[[bytes, bytes], ValidTransaction]
"""``validate(at_block_hash, extrinsic)``: the runtime's verdict at that block, or TransactionValidityError."""
BestFn = Callable[[], tuple[bytes, int]]
Listener = Callable[[bytes, Any, bool], None]
SenderFn = Callable[[bytes], tuple[bytes | None, int | None]]
ValidationResult = ValidTransaction | BaseException

MiB = 1024 * 1024


@dataclass(frozen=True, slots=True)
class PoolOptions:
    """Queue limits and policies (defaults are Substrate's)."""

    ready_limit_count: int = 8192
    ready_limit_bytes: int = 20 * MiB
    future_limit_count: int = 512
    future_limit_bytes: int = 1 * MiB
    ban_time_seconds: float = 1800.0
    #: Pool transactions revalidated per imported block, least recently validated first (None = all).
    revalidation_batch: int | None = None
    #: Whether this node authors blocks (non-propagating transactions are useless otherwise).
    is_validator: bool = True
    #: Blocks an ``inBlock`` transaction waits for finality before ``finalityTimeout`` (Substrate: 512).
    finality_timeout_blocks: int = 512


def hex0x(data: bytes) -> str:
    return "0x" + data.hex()


def signed_sender(xt: bytes) -> tuple[bytes | None, int | None]:
    """The signer's account id and ``CheckNonce`` of a signed extrinsic; (None, None) when bare.

    Raises DecodeError when ``xt`` is not an extrinsic.
    """
    decoded = decode_extrinsic(xt)
    if decoded.signed is None:
        return None, None
    address = decoded.signed.address
    account = None
    if isinstance(address, tuple) and len(address) == 2 and address[0] in ("Id", "Address32"):
        account = bytes(address[1])
    nonce = decoded.signed.extra.get("CheckNonce")
    return account, nonce if isinstance(nonce, int) else None


@dataclass(slots=True)
class MaintenanceWork:
    """What :meth:`TransactionPool.begin_maintenance` leaves to validate at ``block_hash``."""

    block_hash: bytes
    number: int
    extrinsics: list[bytes] = field(default_factory=list)
    hashes: list[bytes] = field(default_factory=list)
    resubmit: set[bytes] = field(default_factory=set)  # hashes to re-import (retracted or pruned)


class TransactionPool:
    """Validated transactions by tags, with bans, limits, statuses and block maintenance."""

    def __init__(
        self,
        validate: ValidateFn,
        best: BestFn,
        options: PoolOptions = PoolOptions(),
        *,
        clock: Callable[[], float] = time.monotonic,
        sender_of: SenderFn = signed_sender,
    ) -> None:
        self._validate = validate
        self._best = best
        self.options = options
        self._clock = clock
        self._sender_of = sender_of
        self._graph = PoolGraph()
        self._bans: dict[bytes, float] = {}
        self._listeners: list[Listener] = []
        self._state: dict[bytes, str] = {}  # last "ready"/"future" announced per transaction
        self._in_block: OrderedDict[bytes, list[bytes]] = OrderedDict()  # block -> txs awaiting finality

    # -- listeners ------------------------------------------------------------------------------------

    def add_listener(self, listener: Listener) -> None:
        self._listeners.append(listener)

    def remove_listener(self, listener: Listener) -> None:
        self._listeners.remove(listener)

    def _emit(self, tx_hash: bytes, value: Any, final: bool = False) -> None:
        if value in ("ready", "future"):
            if self._state.get(tx_hash) == value:
                return
            self._state[tx_hash] = value
        elif final or (isinstance(value, dict) and ("inBlock" in value or "retracted" in value)):
            self._state.pop(tx_hash, None)
        for listener in list(self._listeners):
            listener(tx_hash, value, final)

    def _fire_imported(self, imported: Imported) -> None:
        if not imported.ready:
            self._emit(imported.hash, "future")
            return
        self._emit(imported.hash, "ready")
        for h in imported.failed:
            self._emit(h, "invalid", True)
        for tx in imported.removed:
            self._emit(tx.hash, {"usurped": hex0x(imported.hash)}, True)
        for h in imported.promoted:
            self._emit(h, "ready")

    def on_broadcasted(self, propagated: Mapping[bytes, Sequence[str]]) -> None:
        """The network sent these transactions to these peers."""
        for tx_hash, peers in propagated.items():
            self._emit(tx_hash, {"broadcast": list(peers)})

    # -- bans -----------------------------------------------------------------------------------------

    def ban(self, hashes: Iterable[bytes]) -> None:
        now = self._clock()
        for h in hashes:
            self._bans[h] = now

    def is_banned(self, tx_hash: bytes) -> bool:
        since = self._bans.get(tx_hash)
        if since is None:
            return False
        if self._clock() - since >= self.options.ban_time_seconds:
            del self._bans[tx_hash]
            return False
        return True

    def clear_expired_bans(self) -> None:
        now = self._clock()
        limit = self.options.ban_time_seconds
        self._bans = {h: t for h, t in self._bans.items() if now - t < limit}

    # -- queries --------------------------------------------------------------------------------------

    def __contains__(self, tx_hash: bytes) -> bool:
        return tx_hash in self._graph

    def __len__(self) -> int:
        return len(self._graph)

    def get(self, tx_hash: bytes) -> PoolTransaction | None:
        return self._graph.get(tx_hash)

    def best(self) -> tuple[bytes, int]:
        """The block new submissions are validated at: (hash, number)."""
        return self._best()

    def ready(self) -> BestIterator:
        """Ready transactions in block-building order (a snapshot; ``report_invalid`` skips dependents)."""
        return self._graph.best()

    def pending(self) -> list[bytes]:
        """``author_pendingExtrinsics``: the ready extrinsics in inclusion order."""
        return [tx.data for tx in self._graph.best()]

    def futures(self) -> list[PoolTransaction]:
        return list(self._graph.future.values())

    def status(self) -> dict[str, int]:
        g = self._graph
        return {"ready": len(g.ready), "ready_bytes": g.ready_bytes,
                "future": len(g.future), "future_bytes": g.future_bytes}

    def account_next_index(self, account: bytes, chain_nonce: int) -> int:
        """``chain_nonce`` advanced past every consecutive nonce ``account`` has in the pool."""
        nonces = {tx.nonce for tx in self._graph.all() if tx.sender == account and tx.nonce is not None}
        index = chain_nonce
        while index in nonces:
            index += 1
        return index

    # -- submission -----------------------------------------------------------------------------------

    def check_format(self, xt: bytes, *, watch: bool = False) -> None:
        """Raise the author RPC's decode error (1001 when watching, else a 1040 client error)."""
        try:
            self._sender_of(xt)
        except (DecodeError, ValueError, IndexError) as exc:
            raise (BadFormat if watch else ClientError)(str(exc)) from exc

    def check_known(self, tx_hash: bytes) -> None:
        if tx_hash in self._graph:
            raise AlreadyImported(tx_hash)
        if self.is_banned(tx_hash):
            raise TemporarilyBanned()

    def run_validate(self, at: bytes, xt: bytes) -> ValidationResult:
        """The runtime's verdict as a value (exceptions are returned, not raised); thread-safe if validate is."""
        try:
            return self._validate(at, xt)
        except Exception as exc:  # noqa: BLE001 - the verdict, whatever it is, is handled by the caller
            return exc

    def submit(self, xt: bytes, *, watch: bool = False) -> bytes:
        """Decode, check, validate at the best block and import; returns the hash or raises PoolError."""
        self.check_format(xt, watch=watch)
        tx_hash = extrinsic_hash(xt)
        self.check_known(tx_hash)
        at_hash, at_number = self._best()
        return self.import_validated(xt, self.run_validate(at_hash, xt), at_number, tx_hash=tx_hash)

    def import_validated(
        self, xt: bytes, result: ValidationResult, at_number: int, *,
        tx_hash: bytes | None = None, source: str = "External",
    ) -> bytes:
        """Import ``xt`` given its validation result at block ``at_number``; raises PoolError."""
        tx_hash = tx_hash if tx_hash is not None else extrinsic_hash(xt)
        tx = self._make_tx(xt, tx_hash, result, at_number, source)
        if not tx.propagate and not self.options.is_validator:
            raise Unactionable()
        self.check_known(tx_hash)
        imported = self._graph.import_(tx)
        self._fire_imported(imported)
        if tx_hash in self._enforce_limits():
            raise ImmediatelyDropped()
        return tx_hash

    def _make_tx(
        self, xt: bytes, tx_hash: bytes, result: ValidationResult, at_number: int, source: str
    ) -> PoolTransaction:
        if isinstance(result, TransactionValidityError):
            error = validity_error(result.value)
            if isinstance(error, InvalidTransaction):
                self.ban([tx_hash])
            else:
                self._emit(tx_hash, "invalid", True)
            raise error
        if isinstance(result, PoolError):
            raise result
        if isinstance(result, BaseException):
            raise VerificationError(f"{type(result).__name__}: {result}") from result
        if not result.provides:
            self.ban([tx_hash])
            raise NoTagsProvided()
        try:
            sender, nonce = self._sender_of(xt)
        except (DecodeError, ValueError, IndexError):
            sender, nonce = None, None
        return PoolTransaction(
            hash=tx_hash, data=bytes(xt), priority=result.priority,
            requires=tuple(dict.fromkeys(result.requires)), provides=tuple(dict.fromkeys(result.provides)),
            valid_till=min(MAX_U64, at_number + result.longevity), propagate=result.propagate,
            sender=sender, nonce=nonce, validated_at=at_number, source=source,
        )

    def _enforce_limits(self) -> set[bytes]:
        o = self.options
        removed = self._graph.enforce_limits(
            o.ready_limit_count, o.ready_limit_bytes, o.future_limit_count, o.future_limit_bytes)
        hashes = {tx.hash for tx in removed}
        self.ban(hashes)
        for tx in removed:
            self._emit(tx.hash, "dropped", True)
        return hashes

    # -- removal --------------------------------------------------------------------------------------

    def remove_invalid(self, hashes: Iterable[bytes]) -> list[bytes]:
        """Remove (and ban) these transactions and the ones depending on them; all are reported invalid."""
        hashes = list(hashes)
        self.ban(hashes)
        removed = self._graph.remove_subtree(hashes)
        for tx in removed:
            self._emit(tx.hash, "invalid", True)
        return [tx.hash for tx in removed]

    def remove(self, hashes: Sequence[bytes]) -> list[bytes]:
        """``author_removeExtrinsic``."""
        return self.remove_invalid(hashes)

    # -- block maintenance ----------------------------------------------------------------------------

    def on_block_imported(
        self,
        block_hash: bytes,
        number: int,
        extrinsic_hashes: Iterable[bytes],
        retracted_extrinsics: Iterable[bytes] = (),
        retracted_blocks: Iterable[bytes] = (),
    ) -> None:
        """A new best block: prune what it included, re-add a reorg's retracted extrinsics, revalidate.

        Call once per newly enacted block, oldest first; pass the retracted blocks (and their
        extrinsics) of a reorg with the first enacted block. Validation runs inline here; see
        begin/finish_maintenance to run it elsewhere.
        """
        work = self.begin_maintenance(block_hash, number, extrinsic_hashes, retracted_extrinsics, retracted_blocks)
        results = [self.run_validate(work.block_hash, xt) for xt in work.extrinsics]
        self.finish_maintenance(work, results)

    def begin_maintenance(
        self,
        block_hash: bytes,
        number: int,
        extrinsic_hashes: Iterable[bytes],
        retracted_extrinsics: Iterable[bytes] = (),
        retracted_blocks: Iterable[bytes] = (),
    ) -> MaintenanceWork:
        """The synchronous part of block maintenance; returns the extrinsics to validate at ``block_hash``."""
        graph = self._graph
        work = MaintenanceWork(block_hash, number)
        for retracted in retracted_blocks:
            for h in self._in_block.pop(retracted, ()):
                self._emit(h, {"retracted": hex0x(retracted)})
        included = list(dict.fromkeys(extrinsic_hashes))
        included_set = set(included)
        tags = [tag for h in included if (tx := graph.get(h)) is not None for tag in tx.provides]
        # Included transactions are banned so revalidation or gossip cannot bring them back.
        self.ban(included)
        pruned = graph.prune_tags(tags)
        for h in included:
            if h in graph:  # included while we held no tags for it (should not happen; be safe)
                graph.remove_subtree([h])
        for h in included:
            self._emit(h, {"inBlock": hex0x(block_hash)})
        if included:
            self._in_block[block_hash] = included
            while len(self._in_block) > self.options.finality_timeout_blocks:
                old_block, txs = self._in_block.popitem(last=False)
                for h in txs:
                    self._emit(h, {"finalityTimeout": hex0x(old_block)}, True)
        for imported in pruned.promoted:
            self._fire_imported(imported)
        for h in pruned.failed:
            if h not in included_set:
                self._emit(h, "dropped", True)
        # Pruned but not included (a conflicting transaction won): try again at the new block.
        for tx in pruned.pruned:
            if tx.hash not in included_set:
                self._state.pop(tx.hash, None)
                work.extrinsics.append(tx.data)
                work.hashes.append(tx.hash)
                work.resubmit.add(tx.hash)
        # Reorg: transactions of retracted blocks that this block did not include come back.
        for xt in retracted_extrinsics:
            h = extrinsic_hash(xt)
            if h in included_set or h in graph or h in work.resubmit:
                continue
            self._bans.pop(h, None)
            work.extrinsics.append(xt)
            work.hashes.append(h)
            work.resubmit.add(h)
        # Longevity: transactions valid only up to this block are stale.
        stale = [tx.hash for tx in graph.all() if tx.valid_till <= number]
        if stale:
            self.remove_invalid(stale)
        candidates = sorted(graph.all(), key=lambda t: (t.validated_at, t.insertion_id))
        if self.options.revalidation_batch is not None:
            candidates = candidates[: self.options.revalidation_batch]
        for tx in candidates:
            work.extrinsics.append(tx.data)
            work.hashes.append(tx.hash)
        self.clear_expired_bans()
        return work

    def finish_maintenance(self, work: MaintenanceWork, results: Sequence[ValidationResult]) -> None:
        """Apply the validation results of :meth:`begin_maintenance`'s work (the pool may have changed)."""
        if len(results) != len(work.extrinsics):
            raise ValueError("one validation result per extrinsic")
        graph = self._graph
        invalid: list[bytes] = []
        changed: dict[bytes, PoolTransaction] = {}
        resubmits: list[tuple[bytes, bytes, ValidationResult]] = []
        for xt, h, result in zip(work.extrinsics, work.hashes, results):
            if h in work.resubmit:
                resubmits.append((xt, h, result))
                continue
            tx = graph.get(h)
            if tx is None:
                continue
            if isinstance(result, TransactionValidityError):
                if result.value[0] == "Invalid":
                    invalid.append(h)
                continue  # unknown validity: keep what we have
            if not isinstance(result, ValidTransaction):
                continue  # the runtime call failed: keep what we have
            if not result.provides:
                invalid.append(h)
                continue
            requires = tuple(dict.fromkeys(result.requires))
            provides = tuple(dict.fromkeys(result.provides))
            tx.valid_till = min(MAX_U64, work.number + result.longevity)
            tx.validated_at = work.number
            tx.propagate = result.propagate
            if (result.priority, set(requires), set(provides)) != (tx.priority, set(tx.requires), set(tx.provides)):
                changed[h] = PoolTransaction(
                    hash=h, data=tx.data, priority=result.priority, requires=requires, provides=provides,
                    valid_till=tx.valid_till, propagate=tx.propagate, sender=tx.sender, nonce=tx.nonce,
                    validated_at=work.number, insertion_id=tx.insertion_id, source=tx.source)
        if invalid:
            self.ban(invalid)
            invalid_set = set(invalid)
            for tx in graph.remove_subtree(invalid):
                if tx.hash in invalid_set:
                    self._emit(tx.hash, "invalid", True)
                else:  # a dependent may still be valid on its own: re-import it as it is
                    changed.setdefault(tx.hash, tx)
        if changed:
            self._reimport(changed)
        for xt, h, result in resubmits:
            if h in graph:
                continue
            try:
                self.import_validated(xt, result, work.number, tx_hash=h, source="InBlock")
            except (AlreadyImported, TemporarilyBanned, UnknownTransaction):
                pass  # still pooled, or unknown validity (already reported invalid)
            except PoolError:
                self._emit(h, "invalid", True)
        self._enforce_limits()

    def _reimport(self, updates: dict[bytes, PoolTransaction]) -> None:
        """Take ``updates`` (and whatever depends on them) out and import them again with the new values."""
        graph = self._graph
        batch: dict[bytes, PoolTransaction] = {}
        for h, tx in updates.items():
            for removed in graph.remove_subtree([h]):
                batch[removed.hash] = updates.get(removed.hash, removed)
            batch.setdefault(h, tx)
        for tx in sorted(batch.values(), key=lambda t: t.insertion_id):
            if tx.hash in graph:
                continue
            try:
                imported = graph.import_(tx)
            except PoolError:
                self._emit(tx.hash, "invalid", True)
                continue
            self._emit(tx.hash, "ready" if imported.ready else "future")  # only changes are announced
            for h in imported.promoted:
                self._emit(h, "ready")
            for r in imported.removed:
                self._emit(r.hash, "dropped", True)

    def on_block_finalized(self, block_hash: bytes, included_hashes: Iterable[bytes] = ()) -> None:
        """``block_hash`` is final: its transactions' watchers get ``finalized`` (their last status).

        ``included_hashes`` (the block's extrinsic hashes) also covers transactions whose ``inBlock`` this
        pool did not announce, e.g. blocks imported during a major sync.
        """
        hashes = list(dict.fromkeys([*self._in_block.pop(block_hash, ()), *included_hashes]))
        stray = [tx for h in hashes if (tx := self._graph.get(h)) is not None]
        if stray:  # finalized without our having seen the block as best: prune as an import would
            self.ban(tx.hash for tx in stray)
            pruned = self._graph.prune_tags(tag for tx in stray for tag in tx.provides)
            for imported in pruned.promoted:
                self._fire_imported(imported)
        for h in hashes:
            self._emit(h, {"finalized": hex0x(block_hash)}, True)


__all__ = ["MaintenanceWork", "PoolOptions", "TransactionPool", "ValidateFn", "hex0x", "signed_sender"]
