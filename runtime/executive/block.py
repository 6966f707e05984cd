"""The block lifecycle (frame_executive): initialize, apply extrinsics, finalize, execute, validate.

``initialize_block`` sets up System for the new block and runs every pallet's ``on_initialize``;
``apply_extrinsic`` checks, charges and dispatches one extrinsic inside its own storage transaction;
``finalize_block`` runs ``on_finalize`` hooks and produces the header with the extrinsics root and
state root; ``execute_block`` replays a whole block and checks both roots against its header.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from runtime.primitives.extrinsic import UncheckedExtrinsic, decode_extrinsic
from runtime.primitives.header import Header, PreRuntime
from runtime.pallets.system import storage as S
from runtime.pallets.system.events import reset_events, set_phase
from runtime.pallets.system.pallet import LIMITS, ExtrinsicFailed, ExtrinsicSuccess
from runtime.scale import DecodeError
from runtime.support.context import Context
from runtime.support.dispatch import (
    DispatchClass, DispatchError, DispatchInfo, Origin, Pays, PostDispatchInfo, Weight,
    dispatch_event_info,
)
from runtime.executive import weights
from runtime.pallets import transaction_payment
from runtime.executive.checks import CheckedSigned, check_signature, prepare_signed, validate_signed
from runtime.executive.validity import TransactionValidityError, ValidTransaction, invalid, unknown

EXTRINSICS_ROOT_VERSION = 0  # V1 only from system_version 2; node-subtensor is at 1


class InvalidBlock(Exception):
    """A block failed execution: bad inherent, invalid extrinsic, or root mismatch."""


def initialize_block(ctx: Context, header: Header) -> None:
    """Prepare state for a block built on ``header.parent_hash`` (hooks included)."""
    reset_events(ctx)
    set_phase(ctx, "Initialization")
    S.Number.put(ctx, header.number)
    # Only the pre-runtime items (Substrate's extract_pre_digest): the runtime re-adds its own logs.
    S.DigestItems.put(ctx, tuple(item for item in header.digest if isinstance(item, PreRuntime)))
    S.ParentHash.put(ctx, header.parent_hash)
    if header.number > 0:
        S.BlockHash.put(ctx, header.number - 1, header.parent_hash)
    S.BlockWeight.kill(ctx)
    weights.register_extra_weight(ctx, weights.BLOCK_WEIGHTS["base_block"], DispatchClass.Mandatory)
    for _, pallet in ctx.runtime.pallets:
        if pallet.on_initialize is not None:
            used = pallet.on_initialize(ctx, header.number)
            if used:
                weights.register_extra_weight(ctx, used, DispatchClass.Mandatory)
    S.ExtrinsicWeightReclaimed.kill(ctx)
    set_phase(ctx, ("ApplyExtrinsic", 0))


def _dispatch(ctx: Context, origin: Origin, call: Any) -> tuple[PostDispatchInfo | None, DispatchError | None]:
    if not origin.is_root and not _base_call_filter(call):
        from runtime.pallets.system.pallet import errors as system_errors

        return None, system_errors.CallFiltered
    ctx.start_transaction()
    try:
        post = ctx.runtime.dispatch(ctx, origin, call)
    except DispatchError as error:
        ctx.rollback_transaction()
        return None, error
    ctx.commit_transaction()
    return post, None


def _base_call_filter(call: Any) -> bool:
    """node-subtensor's base call filter for non-Root origins (no batch directly inside a batch)."""
    try:
        from runtime.pallets.utility.nested import base_call_filter
    except ImportError:  # pragma: no cover - Utility is part of the node runtime
        return True
    return base_call_filter(call)


def extension_weight(signed: bool) -> Weight:
    """Weight of the transaction extensions themselves (charged to signed extrinsics)."""
    if not signed:
        return Weight()
    from runtime.pallets.transaction_payment import SIGNED_EXTENSIONS_WEIGHT

    return SIGNED_EXTENSIONS_WEIGHT


def dispatch_info_of(ctx: Context, call: Any, signed: bool) -> DispatchInfo:
    """The extrinsic's total dispatch info: call weight plus extension weight (FRAME's total_weight)."""
    call_info = ctx.runtime.call_info(call)
    return DispatchInfo(call_info.weight + extension_weight(signed), call_info.dispatch_class, call_info.pays_fee)


def apply_extrinsic(ctx: Context, encoded: bytes) -> Any:
    """Apply one extrinsic; returns the ``ApplyExtrinsicResult`` value.

    ``("Ok", None)``-style results are expressed with runtime.scale's Ok/Err: ``Ok(Ok(None))`` on success,
    ``Ok(Err(dispatch_error))`` when dispatch failed (fees still charged), and raises
    :class:`TransactionValidityError` when the extrinsic is invalid (nothing is changed).
    """
    from runtime.scale import Err, Ok

    runtime = ctx.runtime
    try:
        xt = decode_extrinsic(encoded, runtime.extensions)
        call = runtime.decode_call(xt.call)
    except DecodeError as exc:
        raise invalid("Call") from exc
    call_info = runtime.call_info(call)
    ext_weight = extension_weight(xt.signed is not None)
    info = DispatchInfo(call_info.weight + ext_weight, call_info.dispatch_class, call_info.pays_fee)
    length = len(encoded)
    index = S.ExtrinsicCount.get(ctx) or 0

    ctx.start_transaction()  # checks and fee withdrawal must leave no trace when they fail
    try:
        if xt.signed is None:
            if info.dispatch_class is not DispatchClass.Mandatory:
                raise unknown("NoUnsignedValidator")
            origin, who, withdrawn, tip = Origin.none(), None, 0, 0
            weights.note_extrinsic_weight(ctx, info, length)
        else:
            who = check_signature(ctx, xt)
            if info.dispatch_class is DispatchClass.Mandatory:
                raise invalid("BadMandatory")
            checked = CheckedSigned(who, xt.signed.extra, call, info, length)
            validate_signed(ctx, checked)
            withdrawn = prepare_signed(ctx, checked)
            origin, tip = Origin.signed(who), xt.signed.extra.get("ChargeTransactionPayment", 0)
    except TransactionValidityError:
        ctx.rollback_transaction()
        raise
    ctx.commit_transaction()

    S.ExtrinsicData.put(ctx, index, encoded)
    set_phase(ctx, ("ApplyExtrinsic", index))
    post, error = _dispatch(ctx, origin, call)
    if error is not None and info.dispatch_class is DispatchClass.Mandatory:
        raise invalid("BadMandatory")
    actual = transaction_payment.actual_weight(call_info, post) + ext_weight
    weights.reclaim(ctx, info, info.weight.saturating_sub(actual))
    pays = transaction_payment.actual_pays(info, post)
    if who is not None:
        transaction_payment.correct_and_deposit_fee(
            ctx, who, info, replace(post or PostDispatchInfo(), actual_weight=actual, pays_fee=pays), length,
            tip, withdrawn, block_author(ctx))
    event_info = dispatch_event_info(weights.extrinsic_weight(DispatchInfo(actual, info.dispatch_class)),
                                     info.dispatch_class, pays)
    if error is None:
        ctx.deposit_event(ExtrinsicSuccess(dispatch_info=event_info))
    else:
        ctx.deposit_event(ExtrinsicFailed(dispatch_error=runtime.dispatch_error_value(error),
                                          dispatch_info=event_info))
    S.ExtrinsicCount.put(ctx, index + 1)
    set_phase(ctx, ("ApplyExtrinsic", index + 1))
    if error is None:
        return Ok(Ok(None))
    return Ok(Err(runtime.dispatch_error_value(error)))


def block_author(ctx: Context) -> bytes | None:
    """The Aura author of the block being built (from the slot in the pre-runtime digest)."""
    try:
        from runtime.pallets import aura
    except ImportError:  # pragma: no cover - Aura always present in the node runtime
        return None
    return aura.author(ctx)


def finalize_block(ctx: Context) -> Header:
    """Run on_finalize hooks and build the header (state root last, as FRAME does)."""
    number = S.Number.get(ctx)
    set_phase(ctx, "Finalization")
    for _, pallet in ctx.runtime.pallets:
        if pallet.on_finalize is not None:
            pallet.on_finalize(ctx, number)
    S.ExecutionPhase.kill(ctx)
    S.AllExtrinsicsLen.kill(ctx)
    S.InherentsApplied.kill(ctx)
    count = S.ExtrinsicCount.take(ctx) or 0
    extrinsics = [S.ExtrinsicData.take(ctx, i) for i in range(count)]
    extrinsics_root = ctx.ordered_trie_root(extrinsics, EXTRINSICS_ROOT_VERSION)
    to_remove = number - LIMITS.block_hash_count - 1
    if to_remove > 0:
        S.BlockHash.kill(ctx, to_remove)
    digest = S.DigestItems.get(ctx)
    parent_hash = S.ParentHash.get(ctx)
    return Header(parent_hash, number, ctx.storage_root(), extrinsics_root, digest)


def execute_block(ctx: Context, header: Header, extrinsics: Sequence[bytes]) -> None:
    """Re-execute a block (header without seal) and check its roots; raises InvalidBlock."""
    try:
        initialize_block(ctx, replace(header, state_root=bytes(32), extrinsics_root=bytes(32)))
        for position, encoded in enumerate(extrinsics):
            try:
                apply_extrinsic(ctx, encoded)
            except TransactionValidityError as exc:
                raise InvalidBlock(f"extrinsic {position} is invalid: {exc.value}") from exc
        produced = finalize_block(ctx)
    except InvalidBlock:
        raise
    except Exception as exc:  # a pallet's consistency check failed (FRAME would panic)
        raise InvalidBlock(f"block execution failed: {exc}") from exc
    if produced.extrinsics_root != header.extrinsics_root:
        raise InvalidBlock("extrinsics root mismatch")
    if produced.state_root != header.state_root:
        raise InvalidBlock("state root mismatch")
    if produced.digest != header.digest:
        raise InvalidBlock("digest mismatch")


def validate_transaction(ctx: Context, source: str, encoded: bytes, block_hash: bytes) -> ValidTransaction:
    """Pool validation against the state after ``block_hash`` (the caller discards all changes)."""
    runtime = ctx.runtime
    parent_number = S.Number.get(ctx)
    initialize_for_validation(ctx, parent_number + 1, block_hash)
    try:
        xt: UncheckedExtrinsic = decode_extrinsic(encoded, runtime.extensions)
        call = runtime.decode_call(xt.call)
    except DecodeError as exc:
        raise invalid("Call") from exc
    info = dispatch_info_of(ctx, call, xt.signed is not None)
    if info.dispatch_class is DispatchClass.Mandatory:
        raise invalid("MandatoryValidation")
    if xt.signed is None:
        raise unknown("NoUnsignedValidator")
    who = check_signature(ctx, xt)
    return validate_signed(ctx, CheckedSigned(who, xt.signed.extra, call, info, len(encoded)))


def initialize_for_validation(ctx: Context, number: int, parent_hash: bytes) -> None:
    """FRAME validates as if in a fresh block on top of ``parent_hash`` (no hooks run)."""
    S.Number.put(ctx, number)
    S.ParentHash.put(ctx, parent_hash)
    S.BlockHash.put(ctx, number - 1, parent_hash)
