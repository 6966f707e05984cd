"""The executive end to end: a dev genesis, real blocks, the golden transfer, and invalid extrinsics."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from runtime.executive import (
    InvalidBlock, TransactionValidityError, apply_extrinsic, execute_block, finalize_block, initialize_block,
    validate_transaction,
)
from runtime.genesis import build_genesis
from runtime.node_runtime import node_runtime
from runtime.pallets import aura, timestamp
from runtime.pallets.system import storage as S
from runtime.presets import genesis_config
from runtime.primitives.era import Era
from runtime.primitives.extrinsic import ChainContext, UncheckedExtrinsic, decode_extrinsic, encode_extrinsic
from runtime.primitives.header import AURA_ENGINE_ID, Header, PreRuntime
from runtime.primitives.keys import dev_account
from runtime.primitives.signing import sign_extrinsic
from runtime.scale import U64, Err, Ok
from runtime.support.context import Context
from runtime.version import SPEC_VERSION, TRANSACTION_VERSION

from tests.runtime.ext import TestExternalities
from tests.runtime.pallet_checks import events

ALICE, BOB = dev_account("Alice"), dev_account("Bob")
SLOT_MS = 250
T0 = 1_789_516_218_750  # the recorded block's timestamp, on a slot boundary


def unhex(s: str) -> bytes:
    return bytes.fromhex(s.removeprefix("0x"))


def genesis_ext() -> TestExternalities:
    ext = TestExternalities()
    build_genesis(ext, node_runtime(), genesis_config(("Alice",)))
    return ext.commit_all()


def start_block(ext: TestExternalities, number: int, parent: bytes, now: int, authored: bool = True) -> Context:
    """Initialize a block; an authored block carries the Aura slot and the timestamp inherent."""
    ctx = node_runtime().context(ext)
    digest = (PreRuntime(AURA_ENGINE_ID, U64.encode(now // SLOT_MS)),) if authored else ()
    initialize_block(ctx, Header(parent, number, bytes(32), bytes(32), digest))
    if not authored:
        return ctx
    call = node_runtime().encode_call(timestamp.create_inherent(now))
    assert apply_extrinsic(ctx, encode_extrinsic(UncheckedExtrinsic(call, version=5))) == Ok(Ok(None))
    return ctx


def transfer_call(dest: bytes, amount: int, keep_alive: bool = True) -> bytes:
    name = "transfer_keep_alive" if keep_alive else "transfer_allow_death"
    return node_runtime().encode_call(("Balances", (name, {"dest": ("Id", dest), "value": amount})))


def chain_context(ctx: Context) -> ChainContext:
    return ChainContext(SPEC_VERSION, TRANSACTION_VERSION, S.BlockHash.get(ctx, 0))


def test_blocks_execute_and_reexecute_to_the_same_roots() -> None:
    ext = genesis_ext()
    genesis_hash = Header(bytes(32), 0, ext.storage_root(), bytes(32)).hash
    ctx = start_block(ext, 1, genesis_hash, T0)
    xt = encode_extrinsic(sign_extrinsic(ALICE, transfer_call(BOB.public, 10**9), chain_context(ctx), nonce=0))
    assert apply_extrinsic(ctx, xt) == Ok(Ok(None))
    header = finalize_block(ctx)
    assert header.number == 1 and header.parent_hash == genesis_hash
    body = [encode_extrinsic(UncheckedExtrinsic(node_runtime().encode_call(timestamp.create_inherent(T0)),
                                                version=5)), xt]
    replay = node_runtime().context(genesis_ext())
    execute_block(replay, header, body)
    assert replay.storage_root() == header.state_root
    with pytest.raises(InvalidBlock):
        execute_block(node_runtime().context(genesis_ext()), replace(header, state_root=bytes(32)), body)
    with pytest.raises(InvalidBlock):
        execute_block(node_runtime().context(genesis_ext()), header, body[:1])


def test_golden_transfer_events_and_fee(golden: Any) -> None:
    """The recorded Alice→Bob transfer, applied on a dev state that shares the recording's genesis hash."""
    ext = genesis_ext()
    # The recording shows no fee deposit to an author: replay without one, so the fee is burned.
    ctx = start_block(ext, 67, unhex(golden["block"]["raw"]["block"]["header"]["parentHash"]), T0,
                      authored=False)
    S.BlockHash.put(ctx, 0, unhex(golden["network"]["genesis_hash"]))  # the signature commits to it
    raw = unhex(golden["block"]["raw"]["block"]["extrinsics"][2])
    S.Events.kill(ctx)
    S.EventCount.kill(ctx)
    before = S.Account.get(ctx, ALICE.public).data.free
    assert apply_extrinsic(ctx, raw) == Ok(Ok(None))
    fee = golden["receipt"]["total_fee_amount"]
    assert fee == 166_247
    assert S.Account.get(ctx, ALICE.public).data.free == before - 10**9 - fee
    recorded = [e for e in golden["receipt"]["triggered_events"]]
    ours = events(ctx)
    assert [(e[0], e[1][0]) for e in ours] == [(e["module_id"], e["event_id"]) for e in recorded]
    assert ours[0][1][1] == {"who": ALICE.public, "amount": fee}
    assert ours[1][1][1] == {"from": ALICE.public, "to": BOB.public, "amount": 10**9}
    assert ours[3][1][1] == {"who": ALICE.public, "actual_fee": fee, "tip": 0}
    info = ours[4][1][1]["dispatch_info"]
    weight = recorded[4]["attributes"]["dispatch_info"]["weight"]
    assert (info["weight"].ref_time, info["weight"].proof_size) == (weight["ref_time"], weight["proof_size"])
    assert (info["class"], info["pays_fee"]) == ("Normal", "Yes")


def _reject(ctx: Context, raw: bytes) -> Any:
    with pytest.raises(TransactionValidityError) as exc:
        apply_extrinsic(ctx, raw)
    return exc.value.value


def test_invalid_extrinsics_get_the_exact_validity_error() -> None:
    ext = genesis_ext()
    genesis_hash = Header(bytes(32), 0, ext.storage_root(), bytes(32)).hash
    ctx = start_block(ext, 1, genesis_hash, T0)
    cc = chain_context(ctx)
    call = transfer_call(BOB.public, 10**9)

    def signed(**kw: Any) -> bytes:
        return encode_extrinsic(sign_extrinsic(kw.pop("key", ALICE), kw.pop("call", call), kw.pop("cc", cc),
                                               **{"nonce": 0, **kw}))

    tampered = bytearray(signed())
    tampered[40] ^= 1  # inside the signature
    assert _reject(ctx, bytes(tampered)) == ("Invalid", "BadProof")
    assert _reject(ctx, signed(cc=ChainContext(SPEC_VERSION, TRANSACTION_VERSION, bytes(32)))) == ("Invalid", "BadProof")
    assert _reject(ctx, signed(cc=ChainContext(SPEC_VERSION + 1, TRANSACTION_VERSION, cc.genesis_hash))) == \
        ("Invalid", "BadProof")
    assert _reject(ctx, signed(nonce=5)) == ("Invalid", "Future")
    pauper = dev_account("Ferdie").derive("//pauper")
    assert _reject(ctx, signed(key=pauper)) == ("Invalid", "Payment")
    unsigned = encode_extrinsic(UncheckedExtrinsic(call))
    assert _reject(ctx, unsigned) == ("Unknown", "NoUnsignedValidator")
    # A mortal era whose birth block is unknown (the chain is at block 1; birth would be block 0 of a
    # period that started before genesis is fine, so ask for a birth hash that does not exist).
    assert _reject(ctx, signed(era=Era.mortal(64, 1), era_birth_hash=bytes(32))) in (
        ("Invalid", "BadProof"), ("Invalid", "AncientBirthBlock"))
    huge = node_runtime().encode_call(("System", ("remark", {"remark": b"x" * (8 * 1024 * 1024)})))
    assert _reject(ctx, signed(call=huge)) == ("Invalid", "ExhaustsResources")
    assert _reject(ctx, b"\x10\x84\x00") == ("Invalid", "Call")
    # The good one applies, then the same nonce is stale.
    assert apply_extrinsic(ctx, signed()) == Ok(Ok(None))
    assert _reject(ctx, signed()) == ("Invalid", "Stale")


def test_expired_era_is_ancient_birth_block() -> None:
    ext = genesis_ext()
    ctx = start_block(ext, 1, Header(bytes(32), 0, ext.storage_root(), bytes(32)).hash, T0)
    cc = chain_context(ctx)
    xt = sign_extrinsic(ALICE, transfer_call(BOB.public, 1), cc, nonce=0, era=Era.mortal(4, 1),
                        era_birth_hash=S.BlockHash.get(ctx, 0))
    raw = encode_extrinsic(xt)
    # Move the chain far ahead: the era's period has passed and its birth hash has been pruned.
    S.Number.put(ctx, 5000)
    assert _reject(ctx, raw) == ("Invalid", "AncientBirthBlock")


def test_pool_validation_tags_priority_and_longevity() -> None:
    ext = genesis_ext()
    genesis_hash = Header(bytes(32), 0, ext.storage_root(), bytes(32)).hash
    base = node_runtime().context(ext)
    cc = ChainContext(SPEC_VERSION, TRANSACTION_VERSION, genesis_hash)
    call = transfer_call(BOB.public, 10**9)

    def validate(raw: bytes) -> Any:
        ctx = node_runtime().context(TestExternalities(ext.state()))
        return validate_transaction(ctx, "External", raw, genesis_hash)

    del base
    valid = validate(encode_extrinsic(sign_extrinsic(ALICE, call, cc, nonce=0, era=Era.mortal(64, 0),
                                                     era_birth_hash=genesis_hash)))
    assert valid.provides == [ALICE.public + (0).to_bytes(4, "little")]
    # Validated as if in block 1: the era (birth 0, period 64) has 63 blocks left.
    assert valid.requires == [] and valid.priority == 1 and valid.longevity == 63
    future = validate(encode_extrinsic(sign_extrinsic(ALICE, call, cc, nonce=3)))
    assert future.requires == [ALICE.public + (2).to_bytes(4, "little")]
    inherent = encode_extrinsic(UncheckedExtrinsic(node_runtime().encode_call(timestamp.create_inherent(T0)), version=5))
    with pytest.raises(TransactionValidityError) as exc:
        validate(inherent)
    assert exc.value.value == ("Invalid", "MandatoryValidation")
    with pytest.raises(TransactionValidityError) as exc:
        validate(encode_extrinsic(UncheckedExtrinsic(call)))
    assert exc.value.value == ("Unknown", "NoUnsignedValidator")


def test_failed_dispatch_still_charges_fees_and_rolls_back() -> None:
    ext = genesis_ext()
    ctx = start_block(ext, 1, Header(bytes(32), 0, ext.storage_root(), bytes(32)).hash, T0)
    cc = chain_context(ctx)
    # Bob sends (Alice authors the block and would get her own fee back).
    before = S.Account.get(ctx, BOB.public)
    too_much = transfer_call(ALICE.public, 10**30 % (1 << 64))
    result = apply_extrinsic(ctx, encode_extrinsic(sign_extrinsic(BOB, too_much, cc, nonce=0)))
    assert isinstance(result.value, Err)
    after = S.Account.get(ctx, BOB.public)
    assert after.nonce == before.nonce + 1 and after.data.free < before.data.free
    names = [(e[0], e[1][0]) for e in events(ctx)]
    assert ("System", "ExtrinsicFailed") in names and ("Balances", "Transfer") not in names


def test_aura_author_from_digest() -> None:
    ext = genesis_ext()
    ctx = start_block(ext, 1, bytes(32), T0)
    assert aura.author(ctx) == ALICE.public
    assert decode_extrinsic(encode_extrinsic(UncheckedExtrinsic(b"\x00\x00"))).version == 4


def test_nested_batch_from_a_signed_origin_is_filtered() -> None:
    ext = genesis_ext()
    ctx = start_block(ext, 1, Header(bytes(32), 0, ext.storage_root(), bytes(32)).hash, T0)
    remark = ("System", ("remark", {"remark": b"x"}))
    nested = ("Utility", ("batch", {"calls": [("Utility", ("batch", {"calls": [remark]}))]}))
    raw = encode_extrinsic(sign_extrinsic(BOB, node_runtime().encode_call(nested), chain_context(ctx), nonce=0))
    result = apply_extrinsic(ctx, raw)
    assert result == Ok(Err(("Module", {"index": 0, "error": bytes([5, 0, 0, 0])})))  # System.CallFiltered


def test_block_without_timestamp_inherent_is_invalid() -> None:
    ext = genesis_ext()
    genesis_hash = Header(bytes(32), 0, ext.storage_root(), bytes(32)).hash
    digest = (PreRuntime(AURA_ENGINE_ID, U64.encode(T0 // SLOT_MS)),)
    with pytest.raises(InvalidBlock):
        execute_block(node_runtime().context(ext), Header(genesis_hash, 1, bytes(32), bytes(32), digest), [])


def test_signed_call_without_arguments_dispatches() -> None:
    """A call with no arguments decodes to its bare name and must still dispatch (Sudo.remove_key)."""
    ext = genesis_ext()
    ctx = start_block(ext, 1, Header(bytes(32), 0, ext.storage_root(), bytes(32)).hash, T0)
    call = node_runtime().encode_call(("Sudo", "remove_key"))
    assert node_runtime().decode_call(call) == ("Sudo", "remove_key")
    raw = encode_extrinsic(sign_extrinsic(ALICE, call, chain_context(ctx), nonce=0))
    assert apply_extrinsic(ctx, raw) == Ok(Ok(None))
    from runtime.pallets import sudo

    assert sudo.Key.get(ctx) is None


def test_signed_sudo_from_a_non_sudo_key_is_bad_signer() -> None:
    ext = genesis_ext()
    ctx = start_block(ext, 1, Header(bytes(32), 0, ext.storage_root(), bytes(32)).hash, T0)
    remark = ("System", ("remark", {"remark": b"x"}))
    call = node_runtime().encode_call(("Sudo", ("sudo", {"call": remark})))
    assert _reject(ctx, encode_extrinsic(sign_extrinsic(BOB, call, chain_context(ctx), nonce=0))) == \
        ("Invalid", "BadSigner")
    assert apply_extrinsic(ctx, encode_extrinsic(sign_extrinsic(ALICE, call, chain_context(ctx), nonce=0))) == \
        Ok(Ok(None))
