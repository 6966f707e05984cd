"""pallet_multisig: threshold-1 dispatch, a 2-of-3 operation opened by hash and executed with the call,
deposits, cancel, poke_deposit, and every error the calls can raise."""

from __future__ import annotations

from typing import Any

import pytest

from runtime.node_runtime import node_runtime
from runtime.pallets import balances, multisig
from runtime.pallets.multisig import pallet as ms
from runtime.pallets.system import storage as system_storage
from runtime.primitives.hashing import blake2_256
from runtime.primitives.multisig import multi_account_id
from runtime.scale import Err, Ok
from runtime.support.context import Context
from runtime.support.dispatch import DispatchError, Origin, Weight
from tests.runtime.pallet_checks import PalletCalls, new_ctx

RUNTIME = node_runtime()
TAO = 10**9
ALICE, BOB, CHARLIE, DAVE = sorted(bytes([n]) * 32 for n in (1, 2, 3, 4))
MAX_WEIGHT = Weight(10**12, 10**6)
DEPOSIT = ms.DEPOSIT_BASE + 2 * ms.DEPOSIT_FACTOR


@pytest.fixture
def ctx() -> Context:
    ctx = new_ctx(RUNTIME, number=10)
    balances.PALLET.genesis(ctx, {"balances": [(who, 100 * TAO) for who in (ALICE, BOB, CHARLIE)]})  # type: ignore[misc]
    return ctx


def transfer(to: bytes, value: int) -> Any:
    return ("Balances", ("transfer_keep_alive", {"dest": ("Id", to), "value": value}))


PALLET_CALLS = PalletCalls(RUNTIME, "Multisig", multisig.errors)
call, error, err, multisig_events = PALLET_CALLS.call, PALLET_CALLS.error, PALLET_CALLS.err, PALLET_CALLS.events


def test_threshold_1_dispatches_from_the_shared_account(ctx: Context) -> None:
    account = multi_account_id([ALICE, BOB], 1)
    balances.PALLET.genesis(ctx, {"balances": [(account, 10 * TAO)]})  # type: ignore[misc]
    call(ctx, ALICE, "as_multi_threshold_1", other_signatories=[BOB], call=transfer(DAVE, 3 * TAO))
    assert balances.free_balance(ctx, DAVE) == 3 * TAO and balances.free_balance(ctx, account) == 7 * TAO
    # the inner call's failure is the call's result: the error a direct transfer from the account gives
    with pytest.raises(DispatchError) as direct:
        with ctx.transaction():
            ctx.dispatch(Origin.signed(account), transfer(DAVE, 100 * TAO))
    assert error(ctx, BOB, "as_multi_threshold_1", other_signatories=[ALICE],
                 call=transfer(DAVE, 100 * TAO)) == RUNTIME.dispatch_error_value(direct.value)
    assert error(ctx, ALICE, "as_multi_threshold_1", other_signatories=[], call=transfer(DAVE, 1)) == err(
        "TooFewSignatories")


def test_two_of_three_by_hash_then_with_the_call(ctx: Context) -> None:
    account = multi_account_id([ALICE, BOB, CHARLIE], 2)
    balances.PALLET.genesis(ctx, {"balances": [(account, 10 * TAO)]})  # type: ignore[misc]
    inner = transfer(DAVE, 4 * TAO)
    call_hash = blake2_256(RUNTIME.call_codec.encode(inner))
    system_storage.ExtrinsicCount.put(ctx, 3)  # the opening extrinsic is the block's fourth
    call(ctx, ALICE, "approve_as_multi", threshold=2, other_signatories=[BOB, CHARLIE], maybe_timepoint=None,
         call_hash=call_hash, max_weight=Weight())
    when = {"height": 10, "index": 3}
    assert multisig.Multisigs.get(ctx, account, call_hash) == {
        "when": when, "deposit": DEPOSIT, "depositor": ALICE, "approvals": [ALICE]}
    assert balances.reserved_balance(ctx, ALICE) == DEPOSIT
    assert multisig_events(ctx)[-1] == ("NewMultisig", {"approving": ALICE, "multisig": account,
                                                        "call_hash": call_hash})
    base = dict(threshold=2, other_signatories=[ALICE, CHARLIE], call=inner, max_weight=MAX_WEIGHT)
    assert error(ctx, BOB, "as_multi", maybe_timepoint=None, **base) == err("NoTimepoint")
    assert error(ctx, BOB, "as_multi", maybe_timepoint={"height": 10, "index": 2}, **base) == err("WrongTimepoint")
    assert error(ctx, BOB, "as_multi", maybe_timepoint=when, **{**base, "max_weight": Weight(1, 1)}) == err(
        "MaxWeightTooLow")
    assert error(ctx, ALICE, "approve_as_multi", threshold=2, other_signatories=[BOB, CHARLIE], maybe_timepoint=when,
                 call_hash=call_hash, max_weight=Weight()) == err("AlreadyApproved")
    call(ctx, BOB, "as_multi", maybe_timepoint=when, **base)
    assert balances.free_balance(ctx, DAVE) == 4 * TAO
    assert balances.reserved_balance(ctx, ALICE) == 0 and not multisig.Multisigs.exists(ctx, account, call_hash)
    assert multisig_events(ctx)[-1] == ("MultisigExecuted", {
        "approving": BOB, "timepoint": when, "multisig": account, "call_hash": call_hash, "result": Ok(())})


def test_a_failing_call_is_reported_not_raised(ctx: Context) -> None:
    inner = transfer(DAVE, 50 * TAO)  # the multisig account holds nothing
    account = multi_account_id([ALICE, BOB], 2)
    call(ctx, ALICE, "as_multi", threshold=2, other_signatories=[BOB], maybe_timepoint=None, call=inner,
         max_weight=Weight())
    when = multisig.Multisigs.get(ctx, account, blake2_256(RUNTIME.call_codec.encode(inner)))["when"]
    call(ctx, BOB, "as_multi", threshold=2, other_signatories=[ALICE], maybe_timepoint=when, call=inner,
         max_weight=MAX_WEIGHT)
    executed = multisig_events(ctx)[-1]
    assert executed[0] == "MultisigExecuted" and isinstance(executed[1]["result"], Err)
    assert balances.reserved_balance(ctx, ALICE) == 0  # the deposit comes back all the same


def test_three_of_three_records_approvals_in_order(ctx: Context) -> None:
    inner = transfer(DAVE, TAO)
    call_hash = blake2_256(RUNTIME.call_codec.encode(inner))
    account = multi_account_id([ALICE, BOB, CHARLIE], 3)
    call(ctx, CHARLIE, "approve_as_multi", threshold=3, other_signatories=[ALICE, BOB], maybe_timepoint=None,
         call_hash=call_hash, max_weight=Weight())
    when = multisig.Multisigs.get(ctx, account, call_hash)["when"]
    call(ctx, ALICE, "as_multi", threshold=3, other_signatories=[BOB, CHARLIE], maybe_timepoint=when, call=inner,
         max_weight=MAX_WEIGHT)  # two of three: recorded, not executed
    assert multisig.Multisigs.get(ctx, account, call_hash)["approvals"] == [ALICE, CHARLIE]
    assert multisig_events(ctx)[-1][0] == "MultisigApproval"


def test_signatory_checks(ctx: Context) -> None:
    h = bytes(32)
    args = dict(maybe_timepoint=None, call_hash=h, max_weight=Weight())
    assert error(ctx, ALICE, "approve_as_multi", threshold=1, other_signatories=[BOB], **args) == err(
        "MinimumThreshold")
    assert error(ctx, ALICE, "approve_as_multi", threshold=2, other_signatories=[CHARLIE, BOB], **args) == err(
        "SignatoriesOutOfOrder")
    assert error(ctx, ALICE, "approve_as_multi", threshold=2, other_signatories=[ALICE, BOB], **args) == err(
        "SenderInSignatories")
    too_many = sorted(bytes([200, i]) + bytes(30) for i in range(ms.MAX_SIGNATORIES))
    assert error(ctx, ALICE, "approve_as_multi", threshold=2, other_signatories=too_many, **args) == err(
        "TooManySignatories")
    assert error(ctx, ALICE, "approve_as_multi", threshold=2, other_signatories=[BOB],
                 **{**args, "maybe_timepoint": {"height": 1, "index": 0}}) == err("UnexpectedTimepoint")


def test_cancel_and_poke_deposit(ctx: Context, monkeypatch: pytest.MonkeyPatch) -> None:
    h = blake2_256(b"some call")
    account = multi_account_id([ALICE, BOB], 2)
    call(ctx, ALICE, "approve_as_multi", threshold=2, other_signatories=[BOB], maybe_timepoint=None, call_hash=h,
         max_weight=Weight())
    when = multisig.Multisigs.get(ctx, account, h)["when"]
    post = call(ctx, ALICE, "poke_deposit", threshold=2, other_signatories=[BOB], call_hash=h)
    assert post.pays_fee.name == "Yes" and multisig_events(ctx)[-1][0] == "NewMultisig"  # unchanged: no event
    monkeypatch.setattr(ms, "DEPOSIT_FACTOR", ms.DEPOSIT_FACTOR * 2)
    assert error(ctx, BOB, "poke_deposit", threshold=2, other_signatories=[ALICE], call_hash=h) == err("NotOwner")
    post = call(ctx, ALICE, "poke_deposit", threshold=2, other_signatories=[BOB], call_hash=h)
    new = ms.DEPOSIT_BASE + 4 * (ms.DEPOSIT_FACTOR // 2)
    assert post.pays_fee.name == "No" and balances.reserved_balance(ctx, ALICE) == new
    assert multisig_events(ctx)[-1] == ("DepositPoked", {"who": ALICE, "call_hash": h, "old_deposit": DEPOSIT,
                                                         "new_deposit": new})
    assert error(ctx, BOB, "cancel_as_multi", threshold=2, other_signatories=[ALICE], timepoint=when,
                 call_hash=h) == err("NotOwner")
    assert error(ctx, ALICE, "cancel_as_multi", threshold=2, other_signatories=[BOB],
                 timepoint={"height": 9, "index": 0}, call_hash=h) == err("WrongTimepoint")
    call(ctx, ALICE, "cancel_as_multi", threshold=2, other_signatories=[BOB], timepoint=when, call_hash=h)
    assert balances.reserved_balance(ctx, ALICE) == 0 and not multisig.Multisigs.exists(ctx, account, h)
    assert multisig_events(ctx)[-1] == ("MultisigCancelled", {"cancelling": ALICE, "timepoint": when,
                                                              "multisig": account, "call_hash": h})
    assert error(ctx, ALICE, "cancel_as_multi", threshold=2, other_signatories=[BOB], timepoint=when,
                 call_hash=h) == err("NotFound")
