"""pallet_crowdloan: create, contribute (capped by the cap and the per-contributor maximum), withdraw,
finalize to a target or through a dispatched call (``CurrentCrowdloanId``, ``FundsNotSettled``), refund in
batches, dissolve, the creator's updates, every error, and the funds account derivation."""

from __future__ import annotations

from typing import Any

import pytest

from runtime.node_runtime import node_runtime
from runtime.pallets import balances, crowdloan
from runtime.pallets.crowdloan import pallet as cl
from runtime.pallets.crowdloan.types import funds_account
from runtime.pallets.system import accounts as system_accounts
from runtime.pallets.system import storage as system_storage
from runtime.support.context import Context
from runtime.support.dispatch import Origin
from tests.runtime.pallet_checks import PalletCalls, new_ctx

RUNTIME = node_runtime()
TAO = 10**9
CREATOR, ALICE, BOB, TARGET, POOR = (bytes([n]) * 32 for n in (1, 2, 3, 4, 5))
START = 100


@pytest.fixture
def ctx() -> Context:
    ctx = new_ctx(RUNTIME, number=START)
    balances.PALLET.genesis(ctx, {"balances": [  # type: ignore[misc]
        (CREATOR, 1_000 * TAO), (ALICE, 1_000 * TAO), (BOB, 1_000 * TAO), (POOR, 1 * TAO)]})
    return ctx


PALLET_CALLS = PalletCalls(RUNTIME, "Crowdloan", crowdloan.errors)
call, error, err, crowdloan_events = PALLET_CALLS.call, PALLET_CALLS.error, PALLET_CALLS.err, PALLET_CALLS.events


def create(ctx: Context, *, deposit: int = 10 * TAO, cap: int = 100 * TAO, end: int = START + 100,
           target: bytes | None = TARGET, inner: Any = None) -> int:
    call(ctx, CREATOR, "create", deposit=deposit, min_contribution=TAO, cap=cap, end=end, call=inner,
         target_address=target)
    return crowdloan.NextCrowdloanId.get(ctx) - 1


def free(ctx: Context, who: bytes) -> int:
    return balances.free_balance(ctx, who)


def test_funds_account_is_the_pallet_sub_account() -> None:
    assert funds_account(0) == b"modl" + b"bt/cloan" + bytes(4) + bytes(16)
    assert funds_account(258)[12:16] == (258).to_bytes(4, "little")


def test_create_checks_and_stores(ctx: Context) -> None:
    base = dict(deposit=10 * TAO, min_contribution=TAO, cap=100 * TAO, end=START + 100, call=None,
                target_address=TARGET)
    assert error(ctx, CREATOR, "create", **{**base, "deposit": 10 * TAO - 1}) == err("DepositTooLow")
    assert error(ctx, CREATOR, "create", **{**base, "cap": 10 * TAO}) == err("CapTooLow")
    assert error(ctx, CREATOR, "create", **{**base, "min_contribution": TAO // 10 - 1}) == err(
        "MinimumContributionTooLow")
    assert error(ctx, CREATOR, "create", **{**base, "target_address": None}) == err("InvalidFinalizationConfig")
    remark = ("System", ("remark", {"remark": b"x"}))
    assert error(ctx, CREATOR, "create", **{**base, "call": remark}) == err("InvalidFinalizationConfig")
    assert error(ctx, CREATOR, "create", **{**base, "end": START}) == err("CannotEndInPast")
    assert error(ctx, CREATOR, "create", **{**base, "end": START + 49}) == err("BlockDurationTooShort")
    assert error(ctx, CREATOR, "create", **{**base, "end": START + 20_001}) == err("BlockDurationTooLong")
    assert error(ctx, POOR, "create", **base) == err("InsufficientBalance")
    too_big = ("System", ("remark", {"remark": b"x" * 200}))  # over 128 encoded bytes: needs a preimage
    assert error(ctx, CREATOR, "create", **{**base, "target_address": None, "call": too_big}) == err(
        "CallUnavailable")
    call(ctx, CREATOR, "create", **base)
    info = crowdloan.Crowdloans.get(ctx, 0)
    assert info == {"creator": CREATOR, "deposit": 10 * TAO, "min_contribution": TAO, "end": START + 100,
                    "cap": 100 * TAO, "funds_account": funds_account(0), "raised": 10 * TAO,
                    "target_address": TARGET, "call": None, "finalized": False, "contributors_count": 1}
    assert crowdloan.NextCrowdloanId.get(ctx) == 1
    assert crowdloan.Contributions.get(ctx, 0, CREATOR) == 10 * TAO
    assert free(ctx, funds_account(0)) == 10 * TAO and free(ctx, CREATOR) == 990 * TAO
    assert system_accounts.account(ctx, funds_account(0)).providers == 2  # the pallet's and the balance's
    assert ("Created", {"crowdloan_id": 0, "creator": CREATOR, "end": START + 100, "cap": 100 * TAO}) in \
        crowdloan_events(ctx)


def test_contribute_is_capped_and_counts_contributors(ctx: Context) -> None:
    cid = create(ctx)
    assert error(ctx, ALICE, "contribute", crowdloan_id=7, amount=TAO) == err("InvalidCrowdloanId")
    assert error(ctx, ALICE, "contribute", crowdloan_id=cid, amount=TAO - 1) == err("ContributionTooLow")
    assert error(ctx, POOR, "contribute", crowdloan_id=cid, amount=2 * TAO) == err("InsufficientBalance")
    call(ctx, ALICE, "contribute", crowdloan_id=cid, amount=50 * TAO)
    call(ctx, ALICE, "contribute", crowdloan_id=cid, amount=5 * TAO)
    call(ctx, BOB, "contribute", crowdloan_id=cid, amount=80 * TAO)  # only 35 TAO left before the cap
    info = crowdloan.Crowdloans.get(ctx, cid)
    assert info["raised"] == 100 * TAO and info["contributors_count"] == 3
    assert crowdloan.Contributions.get(ctx, cid, ALICE) == 55 * TAO
    assert crowdloan.Contributions.get(ctx, cid, BOB) == 35 * TAO and free(ctx, BOB) == 965 * TAO
    assert ("Contributed", {"crowdloan_id": cid, "contributor": BOB, "amount": 35 * TAO}) in crowdloan_events(ctx)
    assert error(ctx, ALICE, "contribute", crowdloan_id=cid, amount=TAO) == err("CapRaised")
    cid2 = create(ctx)
    system_storage.Number.put(ctx, START + 100)
    assert error(ctx, ALICE, "contribute", crowdloan_id=cid2, amount=TAO) == err("ContributionPeriodEnded")


def test_maximum_contribution(ctx: Context) -> None:
    cid = create(ctx)
    assert error(ctx, ALICE, "set_max_contribution", crowdloan_id=cid, new_max_contribution=20 * TAO) == err(
        "InvalidOrigin")
    assert error(ctx, CREATOR, "set_max_contribution", crowdloan_id=cid, new_max_contribution=5 * TAO) == err(
        "MaximumContributionTooLow")  # below the creator's own 10 TAO
    call(ctx, CREATOR, "set_max_contribution", crowdloan_id=cid, new_max_contribution=20 * TAO)
    assert crowdloan.MaxContributions.get(ctx, cid) == 20 * TAO
    call(ctx, ALICE, "contribute", crowdloan_id=cid, amount=15 * TAO)
    call(ctx, ALICE, "contribute", crowdloan_id=cid, amount=15 * TAO)  # 5 TAO left to Alice's maximum
    assert crowdloan.Contributions.get(ctx, cid, ALICE) == 20 * TAO
    assert error(ctx, ALICE, "contribute", crowdloan_id=cid, amount=TAO) == err("MaxContributionReached")
    assert error(ctx, CREATOR, "update_min_contribution", crowdloan_id=cid, new_min_contribution=21 * TAO) == err(
        "MinimumContributionTooHigh")
    call(ctx, CREATOR, "set_max_contribution", crowdloan_id=cid, new_max_contribution=None)
    assert not crowdloan.MaxContributions.exists(ctx, cid)
    assert ("MaxContributionUpdated", {"crowdloan_id": cid, "new_max_contribution": None}) in crowdloan_events(ctx)


def test_withdraw_keeps_the_deposit(ctx: Context) -> None:
    cid = create(ctx)
    call(ctx, ALICE, "contribute", crowdloan_id=cid, amount=30 * TAO)
    call(ctx, CREATOR, "contribute", crowdloan_id=cid, amount=5 * TAO)
    assert error(ctx, BOB, "withdraw", crowdloan_id=cid) == err("NoContribution")
    call(ctx, ALICE, "withdraw", crowdloan_id=cid)
    assert free(ctx, ALICE) == 1_000 * TAO and not crowdloan.Contributions.exists(ctx, cid, ALICE)
    call(ctx, CREATOR, "withdraw", crowdloan_id=cid)  # only the 5 TAO over the deposit
    assert crowdloan.Contributions.get(ctx, cid, CREATOR) == 10 * TAO
    assert error(ctx, CREATOR, "withdraw", crowdloan_id=cid) == err("DepositCannotBeWithdrawn")
    info = crowdloan.Crowdloans.get(ctx, cid)
    assert info["raised"] == 10 * TAO and info["contributors_count"] == 1


def test_finalize_to_a_target(ctx: Context) -> None:
    cid = create(ctx)
    call(ctx, ALICE, "contribute", crowdloan_id=cid, amount=50 * TAO)
    assert error(ctx, CREATOR, "finalize", crowdloan_id=cid) == err("CapNotRaised")
    call(ctx, BOB, "contribute", crowdloan_id=cid, amount=40 * TAO)
    assert error(ctx, ALICE, "finalize", crowdloan_id=cid) == err("InvalidOrigin")
    call(ctx, CREATOR, "finalize", crowdloan_id=cid)
    assert free(ctx, TARGET) == 100 * TAO and free(ctx, funds_account(cid)) == 0
    assert crowdloan.Crowdloans.get(ctx, cid)["finalized"] is True
    assert ("Finalized", {"crowdloan_id": cid}) in crowdloan_events(ctx)
    for name in ("finalize", "withdraw", "refund", "dissolve"):
        assert error(ctx, CREATOR, name, crowdloan_id=cid) == err("AlreadyFinalized")


def test_finalize_dispatches_the_call_which_must_spend_the_funds(ctx: Context) -> None:
    # the call runs as the creator, so a transfer from the creator leaves the raised funds where they are
    pay = ("Balances", ("transfer_allow_death", {"dest": ("Id", TARGET), "value": TAO}))
    cid = create(ctx, target=None, inner=pay)
    stored = crowdloan.Crowdloans.get(ctx, cid)["call"]
    assert stored == ("Inline", RUNTIME.call_codec.encode(pay))
    call(ctx, ALICE, "contribute", crowdloan_id=cid, amount=90 * TAO)
    assert error(ctx, CREATOR, "finalize", crowdloan_id=cid) == err("FundsNotSettled")
    assert free(ctx, funds_account(cid)) == 100 * TAO and not crowdloan.CurrentCrowdloanId.exists(ctx)
    assert crowdloan.Crowdloans.get(ctx, cid)["finalized"] is False


def test_finalize_call_sees_the_crowdloan_being_finalized(ctx: Context, monkeypatch: pytest.MonkeyPatch) -> None:
    """A call that drains the crowdloan account (as a leased-network registration does) finalizes it;
    ``CurrentCrowdloanId`` is set while it runs and cleared after."""
    seen: list[Any] = []

    def drain(c: Context, origin: Origin, call_value: Any) -> tuple[Any, Any]:
        seen.append((origin.account, crowdloan.CurrentCrowdloanId.try_get(c)))
        info = crowdloan.Crowdloans.get(c, crowdloan.CurrentCrowdloanId.get(c))
        balances.fungible_transfer(c, info["funds_account"], TARGET, info["raised"], balances.EXPENDABLE)
        return None, None

    remark = ("System", ("remark", {"remark": b"lease"}))
    cid = create(ctx, target=None, inner=remark)
    call(ctx, ALICE, "contribute", crowdloan_id=cid, amount=90 * TAO)
    monkeypatch.setattr(cl.nested, "dispatch", drain)
    call(ctx, CREATOR, "finalize", crowdloan_id=cid)
    assert seen == [(CREATOR, cid)]
    assert free(ctx, TARGET) == 100 * TAO and not crowdloan.CurrentCrowdloanId.exists(ctx)
    assert crowdloan.Crowdloans.get(ctx, cid)["finalized"] is True


def test_refund_in_batches_then_dissolve(ctx: Context, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cl, "REFUND_CONTRIBUTORS_LIMIT", 1)
    cid = create(ctx)
    call(ctx, ALICE, "contribute", crowdloan_id=cid, amount=20 * TAO)
    call(ctx, BOB, "contribute", crowdloan_id=cid, amount=30 * TAO)
    assert error(ctx, ALICE, "refund", crowdloan_id=cid) == err("InvalidOrigin")
    assert error(ctx, CREATOR, "dissolve", crowdloan_id=cid) == err("NotReadyToDissolve")
    call(ctx, CREATOR, "refund", crowdloan_id=cid)
    assert crowdloan_events(ctx)[-1] == ("PartiallyRefunded", {"crowdloan_id": cid})
    call(ctx, CREATOR, "refund", crowdloan_id=cid)
    assert crowdloan_events(ctx)[-1] == ("AllRefunded", {"crowdloan_id": cid})
    assert free(ctx, ALICE) == free(ctx, BOB) == 1_000 * TAO
    info = crowdloan.Crowdloans.get(ctx, cid)
    assert info["raised"] == 10 * TAO and info["contributors_count"] == 1
    assert error(ctx, ALICE, "dissolve", crowdloan_id=cid) == err("InvalidOrigin")
    call(ctx, CREATOR, "dissolve", crowdloan_id=cid)
    assert free(ctx, CREATOR) == 1_000 * TAO
    assert not crowdloan.Crowdloans.exists(ctx, cid) and not crowdloan.Contributions.exists(ctx, cid, CREATOR)
    assert system_accounts.account(ctx, funds_account(cid)).providers == 0  # the account is gone
    assert crowdloan_events(ctx)[-1] == ("Dissolved", {"crowdloan_id": cid})


def test_creator_updates(ctx: Context) -> None:
    cid = create(ctx)
    call(ctx, ALICE, "contribute", crowdloan_id=cid, amount=20 * TAO)
    assert error(ctx, ALICE, "update_cap", crowdloan_id=cid, new_cap=200 * TAO) == err("InvalidOrigin")
    assert error(ctx, CREATOR, "update_cap", crowdloan_id=cid, new_cap=29 * TAO) == err("CapTooLow")
    call(ctx, CREATOR, "update_cap", crowdloan_id=cid, new_cap=30 * TAO)
    assert error(ctx, CREATOR, "update_end", crowdloan_id=cid, new_end=START + 10) == err("BlockDurationTooShort")
    call(ctx, CREATOR, "update_end", crowdloan_id=cid, new_end=START + 500)
    assert error(ctx, CREATOR, "update_min_contribution", crowdloan_id=cid, new_min_contribution=1) == err(
        "MinimumContributionTooLow")
    call(ctx, CREATOR, "update_min_contribution", crowdloan_id=cid, new_min_contribution=2 * TAO)
    info = crowdloan.Crowdloans.get(ctx, cid)
    assert (info["cap"], info["end"], info["min_contribution"]) == (30 * TAO, START + 500, 2 * TAO)
    assert crowdloan_events(ctx)[-3:] == [
        ("CapUpdated", {"crowdloan_id": cid, "new_cap": 30 * TAO}),
        ("EndUpdated", {"crowdloan_id": cid, "new_end": START + 500}),
        ("MinContributionUpdated", {"crowdloan_id": cid, "new_min_contribution": 2 * TAO})]


def test_contributor_limit(ctx: Context, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cl, "MAX_CONTRIBUTORS", 2)
    cid = create(ctx)
    call(ctx, ALICE, "contribute", crowdloan_id=cid, amount=TAO)
    assert error(ctx, BOB, "contribute", crowdloan_id=cid, amount=TAO) == err("MaxContributorsReached")
