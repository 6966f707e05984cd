"""pallet_transaction_payment: the fee model, fee charging and refunds, API shapes and metadata."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from runtime.executive.validity import TransactionValidityError
from runtime.pallets import balances
from runtime.pallets import transaction_payment as tp
from runtime.pallets.transaction_payment import storage as tp_storage
from runtime.support.dispatch import DispatchClass, DispatchInfo, Origin, Pays, PostDispatchInfo, Weight
from tests.runtime.test_balances import ALICE, BOB, CHARLIE, ED, RUNTIME, Env, ev, golden, pallet_shape_diffs  # noqa: F401

GOLDEN_WEIGHT = Weight(224_051_000, 7_791)  # payment_info of the golden transfer_keep_alive
GOLDEN_INFO = DispatchInfo(GOLDEN_WEIGHT, DispatchClass.Normal, Pays.Yes)
GOLDEN_LENGTH = 144
GOLDEN_FEE = 166_247


@pytest.fixture
def env() -> Env:
    return Env([(ALICE, 10**12), (BOB, 10_000)])


def test_golden_transfer_fee() -> None:
    env = Env()
    details = tp.compute_fee_details(env.ext, GOLDEN_LENGTH, GOLDEN_INFO, 0)
    assert details.inclusion_fee == tp.InclusionFee(base_fee=54_078, len_fee=144, adjusted_weight_fee=112_025)
    assert details.final_fee == GOLDEN_FEE
    assert tp.compute_fee(env.ext, GOLDEN_LENGTH, GOLDEN_INFO, 0) == GOLDEN_FEE
    assert tp.compute_fee(env.ext, GOLDEN_LENGTH, GOLDEN_INFO, 10) == GOLDEN_FEE + 10


def test_weight_to_fee_rounds_to_nearest_ties_down() -> None:
    assert tp.weight_to_fee(Weight(1_000, 0)) == 0  # 0.5 → 0
    assert tp.weight_to_fee(Weight(1_001, 0)) == 1  # 0.5005 → 1
    assert tp.weight_to_fee(Weight(3_000, 0)) == 1  # 1.5 → 1
    assert tp.weight_to_fee(Weight(108_157_000, 0)) == 54_078
    assert tp.weight_to_fee(Weight(10**18, 0)) == 4_000_000_000_000 // 2_000  # capped at the block limit


def test_pays_no_and_multiplier() -> None:
    env = Env()
    free = DispatchInfo(GOLDEN_WEIGHT, DispatchClass.Normal, Pays.No)
    assert tp.compute_fee_details(env.ext, GOLDEN_LENGTH, free, 7) == tp.FeeDetails(None, 7)
    tp_storage.NextFeeMultiplier.put(env.ext, 2 * tp.FIXED_U128_ONE)
    assert tp.compute_fee(env.ext, GOLDEN_LENGTH, GOLDEN_INFO, 0) == 54_078 + 144 + 2 * 112_025


def test_golden_fee_events_without_author(env: Env) -> None:
    issuance = env.issuance()
    withdrawn = tp.withdraw_fee(env.ctx, ALICE, GOLDEN_FEE, 0)
    assert withdrawn == GOLDEN_FEE
    # dispatched directly: the withdrawn fee is an outstanding credit until it is settled below
    RUNTIME.dispatch(env.ctx, Origin.signed(ALICE), ("Balances", ("transfer_keep_alive",
                                                                  {"dest": ("Id", BOB), "value": 1_000_000_000})))
    post = PostDispatchInfo(actual_weight=GOLDEN_WEIGHT, pays_fee=Pays.Yes)
    assert tp.correct_and_deposit_fee(env.ctx, ALICE, GOLDEN_INFO, post, GOLDEN_LENGTH, 0, withdrawn, None) == \
        GOLDEN_FEE
    assert env.events() == [  # the golden receipt's events, in order
        ev("Balances", "Withdraw", who=ALICE, amount=GOLDEN_FEE),
        ev("Balances", "Transfer", **{"from": ALICE, "to": BOB, "amount": 1_000_000_000}),
        ev("Balances", "Deposit", who=ALICE, amount=0),
        ev("TransactionPayment", "TransactionFeePaid", who=ALICE, actual_fee=GOLDEN_FEE, tip=0),
    ]
    assert env.issuance() == issuance - GOLDEN_FEE  # no author: the fee is burned
    assert balances.try_state(env.ext) == []


def test_fee_goes_to_author_and_overestimate_is_refunded(env: Env) -> None:
    issuance = env.issuance()
    fee = tp.compute_fee(env.ctx, GOLDEN_LENGTH, GOLDEN_INFO, 5)
    withdrawn = tp.withdraw_fee(env.ctx, ALICE, fee, 5)
    post = PostDispatchInfo(actual_weight=Weight(108_000_000, 0), pays_fee=Pays.Yes)
    actual = tp.correct_and_deposit_fee(env.ctx, ALICE, GOLDEN_INFO, post, GOLDEN_LENGTH, 5, withdrawn, CHARLIE)
    assert actual == 54_078 + 144 + 54_000 + 5
    assert env.events()[1:] == [
        ev("Balances", "Deposit", who=ALICE, amount=fee - actual),
        ev("System", "NewAccount", account=CHARLIE),
        ev("Balances", "Endowed", account=CHARLIE, free_balance=actual),
        ev("Balances", "Deposit", who=CHARLIE, amount=actual),
        ev("TransactionPayment", "TransactionFeePaid", who=ALICE, actual_fee=actual, tip=5),
    ]
    assert env.free(CHARLIE) == actual and env.issuance() == issuance
    assert balances.try_state(env.ext) == []


def test_pays_no_after_dispatch_refunds_all_but_tip(env: Env) -> None:
    withdrawn = tp.withdraw_fee(env.ctx, ALICE, tp.compute_fee(env.ctx, 100, GOLDEN_INFO, 3), 3)
    post = PostDispatchInfo(actual_weight=None, pays_fee=Pays.No)
    assert tp.correct_and_deposit_fee(env.ctx, ALICE, GOLDEN_INFO, post, 100, 3, withdrawn, None) == 3
    assert env.free(ALICE) == 10**12 - 3


def test_unpayable_fee_is_invalid_payment(env: Env) -> None:
    before = env.ext.state()
    assert tp.can_withdraw_fee(env.ext, BOB, 9_500) and not tp.can_withdraw_fee(env.ext, BOB, 9_501)
    with pytest.raises(TransactionValidityError) as info:
        tp.withdraw_fee(env.ctx, BOB, 9_501, 0)  # the payer must stay alive
    assert info.value.value == ("Invalid", "Payment")
    with pytest.raises(TransactionValidityError):
        tp.withdraw_fee(env.ctx, CHARLIE, 1, 0)
    assert env.ext.state() == before
    assert tp.withdraw_fee(env.ctx, CHARLIE, 0, 0) == 0
    assert tp.withdraw_fee(env.ctx, BOB, 9_500, 0) == 9_500 and env.free(BOB) == ED


def test_zero_fee_still_reports_fee_paid(env: Env) -> None:
    info = DispatchInfo(GOLDEN_WEIGHT, DispatchClass.Normal, Pays.No)
    tp.correct_and_deposit_fee(env.ctx, BOB, info, None, 100, 0, 0, CHARLIE)
    assert env.events() == [ev("TransactionPayment", "TransactionFeePaid", who=BOB, actual_fee=0, tip=0)]


def test_runtime_api_shapes() -> None:
    env = Env()
    value = tp.query_info(env.ext, GOLDEN_INFO, GOLDEN_LENGTH)
    assert value == {"weight": GOLDEN_WEIGHT, "class": "Normal", "partial_fee": GOLDEN_FEE}
    encoded = tp.RuntimeDispatchInfoCodec.encode(value)
    assert tp.RuntimeDispatchInfoCodec.decode(encoded) == {"weight": GOLDEN_WEIGHT, "class": "Normal",
                                                          "partial_fee": GOLDEN_FEE}
    assert tp.query_info(env.ext, GOLDEN_INFO, GOLDEN_LENGTH, signed=False)["partial_fee"] == 0
    details = tp.query_fee_details(env.ext, GOLDEN_INFO, GOLDEN_LENGTH)
    raw = tp.FeeDetailsCodec.encode(details.value())
    assert raw == bytes([1]) + (54_078).to_bytes(8, "little") + (144).to_bytes(8, "little") + \
        (112_025).to_bytes(8, "little") + bytes(8)
    assert tp.FeeDetailsCodec.encode(tp.query_fee_details(env.ext, GOLDEN_INFO, 1, signed=False).value()) == bytes(9)


def test_genesis_marks_v2_with_unit_multiplier() -> None:
    env = Env()
    assert tp_storage.StorageVersion.get(env.ext) == "V1Ancient"
    tp.PALLET.genesis(env.ctx, {})  # type: ignore[misc]
    assert tp_storage.StorageVersion.get(env.ext) == "V2"
    assert tp_storage.NextFeeMultiplier.get(env.ext) == tp.FIXED_U128_ONE


def test_transaction_payment_metadata_matches_golden(golden: Any) -> None:  # noqa: F811
    assert pallet_shape_diffs(tp.PALLET, 6, golden) == []
    assert tp_storage.NextFeeMultiplier.default_bytes == (10**18).to_bytes(16, "little")


def test_signed_extension_weight_reproduces_golden_total() -> None:
    call = replace(GOLDEN_INFO, weight=Weight(163_159_000, 3_593) + tp.SIGNED_EXTENSIONS_WEIGHT)
    assert call.weight == GOLDEN_WEIGHT
