"""Committing and revealing weights, as node-subtensor's ``subnets/weights.rs`` does.

Two schemes share the per-uid rate limit and ``LastUpdate`` stamp of ``set_weights``:

* **commit-reveal v2** (``commit_weights``/``reveal_weights`` and their mechanism and batch forms): a
  hotkey queues up to :data:`MAX_UNREVEALED_COMMITS` hashes in ``WeightCommits[index][hotkey]``, each
  tagged ``(hash, commit_epoch, commit_block, 0)``. It reveals the preimage exactly
  ``RevealPeriodEpochs`` epochs after the commit's epoch; later than that the commit has expired and is
  dropped from the front of the queue the next time the queue is touched. The hash is
  ``blake2_256(SCALE(hotkey, index: u16, uids, values, salt, version_key))`` with ``index`` the
  mechanism's storage index (the plain netuid for the main mechanism).
* **timelocked commits** (``commit_timelocked_weights``, ``commit_timelocked_mechanism_weights`` and the
  legacy ``commit_crv3_mechanism_weights``): an opaque drand-timelock ciphertext (at most
  :data:`MAX_CRV3_COMMIT_SIZE_BYTES` bytes, enforced when the call is decoded) is appended to
  ``TimelockedWeightCommits[index][epoch]`` as ``(hotkey, commit_block, ciphertext, reveal_round)``.
  **Revealing them is not implemented**: the reference decrypts them in ``on_initialize`` with the drand
  pulse of ``reveal_round`` (pallet_drand), which this node does not have, so stored timelocked commits are
  never turned into weights here (see ``docs/weights.md``).

Epochs are ``SubnetEpochIndex`` with a one-epoch look-ahead when an epoch is due at the current block
(:func:`.run_epoch.current_epoch_with_lookahead`), so a commit on an epoch block belongs to the next epoch.
"""

from __future__ import annotations

from typing import Any, Sequence

from runtime.pallets.subtensor import storage as st
from runtime.pallets.subtensor.errors import errors
from runtime.pallets.subtensor.events import (
    BatchCompletedWithErrors, BatchWeightItemFailed, BatchWeightsCompleted, TimelockedWeightsCommitted,
    WeightsBatchRevealed, WeightsCommitted, WeightsRevealed,
)
from runtime.pallets.subtensor.run_epoch import current_epoch_with_lookahead
from runtime.pallets.subtensor.types import storage_index
from runtime.pallets.subtensor.weights import check_rate_limit, commit_hash, do_set_weights, ensure_mechanism_exists
from runtime.pallets.subtensor.weights import set_last_update_for_uid
from runtime.primitives.hashing import blake2_256
from runtime.support.context import Context
from runtime.support.dispatch import DispatchError, Origin, ensure_signed
from runtime.support.externalities import Externalities

MAX_UNREVEALED_COMMITS = 10
"""Unrevealed commits one hotkey may hold per queue (v2) or per (index, epoch) bucket (timelocked)."""
MAX_CRV3_COMMIT_SIZE_BYTES = 5000
"""Bound of the timelocked ciphertext's ``BoundedVec<u8, ConstU32<MAX_CRV3_COMMIT_SIZE_BYTES>>``."""
LEGACY_CRV3_COMMIT_REVEAL_VERSION = 4
"""The client version ``commit_crv3_mechanism_weights`` commits under (it has no version argument)."""

_Commit = tuple[bytes, int, int, int]

__all__ = [
    "LEGACY_CRV3_COMMIT_REVEAL_VERSION", "MAX_CRV3_COMMIT_SIZE_BYTES", "MAX_UNREVEALED_COMMITS",
    "do_batch_commit_weights", "do_batch_reveal_weights", "do_commit_timelocked_weights", "do_commit_weights",
    "do_reveal_weights", "is_reveal_epoch",
]


# -- epoch windows ----------------------------------------------------------------------------------------------


def is_reveal_epoch(ext: Externalities, netuid: int, commit_epoch: int, block: int) -> bool:
    """The current epoch (with look-ahead) is exactly ``commit_epoch + RevealPeriodEpochs``."""
    return current_epoch_with_lookahead(ext, netuid, block) == commit_epoch + st.RevealPeriodEpochs.get(ext, netuid)


def _load_commits(ext: Externalities, index: int, hotkey: bytes) -> list[_Commit] | None:
    stored = st.WeightCommits.try_get(ext, index, hotkey)
    return None if stored is None else [(bytes(c[0]), int(c[1]), int(c[2]), int(c[3])) for c in stored]


def _drop_expired(ext: Externalities, netuid: int, block: int, commits: list[_Commit]) -> list[bytes]:
    """Pop commits whose reveal epoch has passed off the front of the queue (in place); their hashes.

    Only the front is inspected, as the reference does: a queue is in commit order, so epochs only grow.
    """
    period = st.RevealPeriodEpochs.get(ext, netuid)
    now = current_epoch_with_lookahead(ext, netuid, block)
    expired = []
    while commits and now > commits[0][1] + period:
        expired.append(commits.pop(0)[0])
    return expired


def _queue_for_reveal(ext: Externalities, netuid: int, index: int, hotkey: bytes,
                      block: int) -> tuple[list[_Commit], list[bytes]]:
    """The checks every reveal starts with: commit-reveal on, a queue exists; then the queue with expired
    commits dropped, and the hashes that were dropped (so a late reveal can say ExpiredWeightCommit)."""
    if not st.CommitRevealWeightsEnabled.get(ext, netuid):
        raise errors.CommitRevealDisabled
    commits = _load_commits(ext, index, hotkey)
    if commits is None:
        raise errors.NoWeightsCommitFound
    return commits, _drop_expired(ext, netuid, block, commits)


def _store_commits(ext: Externalities, index: int, hotkey: bytes, commits: list[_Commit]) -> None:
    """Write the queue back, removing the entry when it is empty (``try_mutate_exists`` semantics)."""
    if commits:
        st.WeightCommits.put(ext, index, hotkey, commits)
    else:
        st.WeightCommits.kill(ext, index, hotkey)


def _registered_uid(ext: Externalities, netuid: int, hotkey: bytes) -> int:
    uid = st.Uids.try_get(ext, netuid, hotkey)
    if uid is None:
        raise errors.HotKeyNotRegisteredInSubNet
    return int(uid)


# -- commit-reveal v2: commits ----------------------------------------------------------------------------------


def do_commit_weights(ctx: Context, origin: Origin, netuid: int, mecid: int, hash_: bytes) -> None:
    """Queue a weights hash for the signer on (netuid, mecid), tagged with the current epoch and block.

    Raises MechanismDoesNotExist, CommitRevealDisabled, HotKeyNotRegisteredInSubNet,
    CommittingWeightsTooFast (the ``set_weights`` rate limit on this mechanism) or TooManyUnrevealedCommits
    (10 unexpired commits already queued), in that order.
    """
    ext = ctx.ext
    ensure_mechanism_exists(ext, netuid, mecid)
    index = storage_index(netuid, mecid)
    hotkey = ensure_signed(origin)
    if not st.CommitRevealWeightsEnabled.get(ext, netuid):
        raise errors.CommitRevealDisabled
    uid = _registered_uid(ext, netuid, hotkey)
    block = ctx.block_number
    if not check_rate_limit(ext, index, uid, block):
        raise errors.CommittingWeightsTooFast
    epoch = current_epoch_with_lookahead(ext, netuid, block)
    commits = _load_commits(ext, index, hotkey) or []
    _drop_expired(ext, netuid, block, commits)
    if len(commits) >= MAX_UNREVEALED_COMMITS:
        raise errors.TooManyUnrevealedCommits
    commits.append((bytes(hash_), epoch, block, 0))  # the 4th field is a retired reveal-block bound
    st.WeightCommits.put(ext, index, hotkey, commits)
    ctx.deposit_event(WeightsCommitted(hotkey, index, bytes(hash_)))
    set_last_update_for_uid(ext, index, uid, block)


def do_batch_commit_weights(ctx: Context, origin: Origin, netuids: Sequence[int],
                            hashes: Sequence[bytes]) -> None:
    """``commit_weights`` on each subnet's main mechanism in turn, continuing on errors.

    Failures are reported after the loop (BatchCompletedWithErrors once, then BatchWeightItemFailed per
    failed netuid in batch order); BatchWeightsCompleted always closes the batch. Only unequal input
    lengths (InputLengthsUnequal) fail the call itself.
    """
    hotkey = ensure_signed(origin)
    if len(netuids) != len(hashes):
        raise errors.InputLengthsUnequal
    failures: list[tuple[int, DispatchError]] = []
    for netuid, hash_ in zip(netuids, hashes):
        try:
            # every check precedes the first write, so a failed item leaves no state behind
            do_commit_weights(ctx, origin, int(netuid), 0, hash_)
        except DispatchError as error:
            failures.append((int(netuid), error))
    if failures:
        ctx.deposit_event(BatchCompletedWithErrors())
        for netuid, error in failures:
            ctx.deposit_event(BatchWeightItemFailed(netuid, ctx.runtime.dispatch_error_value(error)))
    ctx.deposit_event(BatchWeightsCompleted(list(netuids), hotkey))


# -- commit-reveal v2: reveals ----------------------------------------------------------------------------------


def do_reveal_weights(ctx: Context, origin: Origin, netuid: int, mecid: int, uids: Sequence[int],
                      values: Sequence[int], salt: Sequence[int], version_key: int) -> None:
    """Reveal one queued commit in its reveal epoch, dropping it and every older one, and set the weights.

    Raises SubnetNotExists, CommitRevealDisabled, NoWeightsCommitFound (no queue, or nothing left once
    expired commits are dropped and the hash is not among them), ExpiredWeightCommit (the hash matches a
    dropped commit), InvalidRevealCommitHashNotMatch, RevealTooEarly, or any ``set_weights`` error.
    """
    ext = ctx.ext
    if not st.NetworksAdded.get(ext, netuid):
        raise errors.SubnetNotExists
    index = storage_index(netuid, mecid)
    hotkey = ensure_signed(origin)
    block = ctx.block_number
    commits, expired = _queue_for_reveal(ext, netuid, index, hotkey, block)
    provided = commit_hash(hotkey, index, uids, values, salt, version_key)
    if not commits:
        raise errors.ExpiredWeightCommit if provided in expired else errors.NoWeightsCommitFound
    position = next((i for i, c in enumerate(commits) if c[0] == provided), None)
    if position is None:
        raise errors.ExpiredWeightCommit if provided in expired else errors.InvalidRevealCommitHashNotMatch
    if not is_reveal_epoch(ext, netuid, commits[position][1], block):
        raise errors.RevealTooEarly
    _store_commits(ext, index, hotkey, commits[position + 1:])
    do_set_weights(ctx, origin, netuid, mecid, uids, values, version_key)
    ctx.deposit_event(WeightsRevealed(hotkey, index, provided))


def do_batch_reveal_weights(ctx: Context, origin: Origin, netuid: int, uids_list: Sequence[Sequence[int]],
                            values_list: Sequence[Sequence[int]], salts_list: Sequence[Sequence[int]],
                            version_keys: Sequence[int]) -> None:
    """Reveal several main-mechanism commits at once, all or nothing.

    Every reveal is validated before any is applied (a hash neither queued nor expired is
    InvalidRevealCommitHashNotMatch, one outside its reveal epoch RevealTooEarly); then each matching
    commit is removed (only that one: unlike ``reveal_weights`` older commits stay queued) and its weights
    are set. One WeightsBatchRevealed event lists the revealed hashes.
    """
    ext = ctx.ext
    if not st.NetworksAdded.get(ext, netuid):
        raise errors.SubnetNotExists
    count = len(uids_list)
    if not count == len(values_list) == len(salts_list) == len(version_keys):
        raise errors.InputLengthsUnequal
    hotkey = ensure_signed(origin)
    block = ctx.block_number
    commits, expired = _queue_for_reveal(ext, netuid, netuid, hotkey, block)
    reveals = [(list(uids), list(values), int(key), commit_hash(hotkey, netuid, uids, values, salt, key))
               for uids, values, salt, key in zip(uids_list, values_list, salts_list, version_keys)]
    for *_, provided in reveals:
        match = next((c for c in commits if c[0] == provided), None)
        if match is None:
            raise errors.ExpiredWeightCommit if provided in expired else errors.InvalidRevealCommitHashNotMatch
        if not is_reveal_epoch(ext, netuid, match[1], block):
            raise errors.RevealTooEarly
    revealed: list[bytes] = []
    for uids, values, key, provided in reveals:
        position = next((i for i, c in enumerate(commits) if c[0] == provided), None)
        if position is None:  # the same preimage twice in one batch: the first reveal consumed it
            raise errors.ExpiredWeightCommit if provided in expired else errors.InvalidRevealCommitHashNotMatch
        del commits[position]
        do_set_weights(ctx, origin, netuid, 0, uids, values, key)
        revealed.append(provided)
    _store_commits(ext, netuid, hotkey, commits)
    ctx.deposit_event(WeightsBatchRevealed(hotkey, netuid, revealed))


# -- timelocked commits (commit-reveal v3/v4) -------------------------------------------------------------------


def do_commit_timelocked_weights(ctx: Context, origin: Origin, netuid: int, mecid: int, commit: bytes,
                                 reveal_round: int, commit_reveal_version: int) -> None:
    """Store a drand-timelocked weights ciphertext in ``TimelockedWeightCommits[index][epoch]``.

    Raises MechanismDoesNotExist, CommitRevealDisabled, IncorrectCommitRevealVersion (the client version
    differs from ``CommitRevealWeightsVersion``), HotKeyNotRegisteredInSubNet, CommittingWeightsTooFast or
    TooManyUnrevealedCommits (10 of the signer's commits already in this epoch's bucket), in that order.
    The event carries ``blake2_256`` of the raw ciphertext bytes. Nothing here reveals the commit: that
    needs the drand pulse of ``reveal_round``, which this node does not track.
    """
    ext = ctx.ext
    ensure_mechanism_exists(ext, netuid, mecid)
    index = storage_index(netuid, mecid)
    hotkey = ensure_signed(origin)
    if not st.CommitRevealWeightsEnabled.get(ext, netuid):
        raise errors.CommitRevealDisabled
    if commit_reveal_version != st.CommitRevealWeightsVersion.get(ext):
        raise errors.IncorrectCommitRevealVersion
    uid = _registered_uid(ext, netuid, hotkey)
    block = ctx.block_number
    if not check_rate_limit(ext, index, uid, block):
        raise errors.CommittingWeightsTooFast
    epoch = current_epoch_with_lookahead(ext, netuid, block)
    bucket: list[Any] = list(st.TimelockedWeightCommits.get(ext, index, epoch))
    if sum(1 for entry in bucket if bytes(entry[0]) == hotkey) >= MAX_UNREVEALED_COMMITS:
        raise errors.TooManyUnrevealedCommits
    ciphertext = bytes(commit)
    bucket.append((hotkey, block, ciphertext, reveal_round))
    st.TimelockedWeightCommits.put(ext, index, epoch, bucket)
    ctx.deposit_event(TimelockedWeightsCommitted(hotkey, index, blake2_256(ciphertext), reveal_round))
    set_last_update_for_uid(ext, index, uid, block)
