"""SubtensorModule delegate takes, coldkey identities, childkey takes and child keys over the mock runtime of
``test_subtensor_subnets``: exact storage and events, every error path, the rate limits."""

from __future__ import annotations

from typing import Any

from runtime.pallets import subtensor
from runtime.pallets.subtensor import delegation
from runtime.pallets.subtensor import storage as st
import pytest

from runtime.support.dispatch import DispatchError, Origin, Pays, Weight
from tests.runtime.test_subtensor_subnets import (
    ALICE, BOB, CHARLIE, HK_A, HK_B, HK_C, HK_D, RUNTIME, Env, error_index, module_error,
)

DEFAULT_TAKE = 11_796
DELEGATE_TAKE_KEY = ("LastTxBlockDelegateTake", HK_B)


def env_with_subnet(block: int = 100) -> tuple[Env, int]:
    """Alice owns a subnet (HK_A, uid 0); Bob's HK_B is registered as uid 1."""
    env = Env(block=block)
    netuid = env.register_network(ALICE, HK_A)
    env.call(BOB, "burned_register", netuid=netuid, hotkey=HK_B)
    env.clear_events()
    return env, netuid


def module_events(env: Env) -> list[Any]:
    return [e[1] for e in env.events() if e[0] == "SubtensorModule"]


def err(name: str) -> Any:
    return module_error(error_index(name))


def test_declarations() -> None:
    calls = subtensor.PALLET.calls
    assert calls is not None
    expected = {"set_identity": (68, Pays.Yes), "increase_take": (66, Pays.No), "decrease_take": (65, Pays.No),
                "set_childkey_take": (75, Pays.Yes), "set_children": (67, Pays.Yes)}
    for name, (index, pays) in expected.items():
        assert (calls.by_name[name].index, calls.by_name[name].pays) == (index, pays), name
    assert calls.by_name["increase_take"].weight == Weight(37_710_000 + 5 * 25_000_000 + 2 * 100_000_000, 4388)
    assert calls.by_name["decrease_take"].weight == Weight(29_895_000 + 3 * 25_000_000 + 2 * 100_000_000, 4295)
    assert calls.by_name["set_identity"].weight == Weight(32_040_000 + 3 * 25_000_000 + 100_000_000, 6829)
    assert calls.by_name["set_childkey_take"].weight == Weight(53_870_000 + 7 * 25_000_000 + 2 * 100_000_000, 4498)
    assert calls.by_name["set_children"].weight == Weight(119_000_000 + 6 * 25_000_000 + 31 * 100_000_000, 0)


def test_call_encodings() -> None:
    assert RUNTIME.encode_call(("SubtensorModule", ("decrease_take", {"hotkey": HK_B, "take": 5}))) == (
        bytes([7, 65]) + HK_B + (5).to_bytes(2, "little"))
    children = [(2**63, HK_C), (7, HK_D)]
    assert RUNTIME.encode_call(("SubtensorModule", ("set_children", {"hotkey": HK_B, "netuid": 2,
                                                                      "children": children}))) == (
        bytes([7, 67]) + HK_B + (2).to_bytes(2, "little") + bytes([8]) + (2**63).to_bytes(8, "little") + HK_C
        + (7).to_bytes(8, "little") + HK_D)


# -- takes ------------------------------------------------------------------------------------------------------


def test_decrease_take() -> None:
    env, _ = env_with_subnet()
    assert not st.Delegates.exists(env.ext, HK_B)
    env.call(BOB, "decrease_take", hotkey=HK_B, take=1000)
    assert st.Delegates.get(env.ext, HK_B) == 1000
    assert st.LastRateLimitedBlock.get(env.ext, DELEGATE_TAKE_KEY) == 100
    assert module_events(env) == [("TakeDecreased", (BOB, HK_B, 1000))]
    # Must be strictly lower than the stored take, and at least MinDelegateTake.
    assert env.error(BOB, "decrease_take", hotkey=HK_B, take=1000) == err("DelegateTakeTooLow")
    st.MinDelegateTake.put(env.ext, 500)
    assert env.error(BOB, "decrease_take", hotkey=HK_B, take=499) == err("DelegateTakeTooLow")
    env.call(BOB, "decrease_take", hotkey=HK_B, take=500)
    assert st.Delegates.get(env.ext, HK_B) == 500


def test_take_ownership_errors() -> None:
    env, _ = env_with_subnet()
    for call in ("decrease_take", "increase_take"):
        assert env.error(BOB, call, hotkey=HK_C, take=1) == err("HotKeyAccountNotExists")
        assert env.error(CHARLIE, call, hotkey=HK_B, take=1) == err("NonAssociatedColdKey")
    assert error_index("NonAssociatedColdKey") == 7 and error_index("HotKeyAccountNotExists") == 5


def test_take_guard_checks_bounds_before_ownership() -> None:
    """``CheckDelegateTake`` (a dispatch guard) checks the bounds first, then ownership, then the body runs."""
    env, _ = env_with_subnet()
    st.MinDelegateTake.put(env.ext, 100)
    for call in ("decrease_take", "increase_take"):
        assert env.error(CHARLIE, call, hotkey=HK_C, take=99) == err("DelegateTakeTooLow")
        assert env.error(CHARLIE, call, hotkey=HK_C, take=DEFAULT_TAKE + 1) == err("DelegateTakeTooHigh")
        assert env.error(CHARLIE, call, hotkey=HK_C, take=100) == err("HotKeyAccountNotExists")
    # decrease_take above the maximum: the guard's DelegateTakeTooHigh, not the body's DelegateTakeTooLow.
    env.call(BOB, "decrease_take", hotkey=HK_B, take=5000)
    assert env.error(BOB, "decrease_take", hotkey=HK_B, take=DEFAULT_TAKE + 1) == err("DelegateTakeTooHigh")
    assert [error_index(n) for n in ("DelegateTakeTooLow", "DelegateTakeTooHigh", "DelegateTxRateLimitExceeded")] == [
        49, 50, 34]


def test_increase_take_and_rate_limit() -> None:
    env, _ = env_with_subnet()
    # No stored take and no stamp yet: any take up to MaxDelegateTake.
    env.call(BOB, "increase_take", hotkey=HK_B, take=5000)
    assert st.Delegates.get(env.ext, HK_B) == 5000
    assert st.LastRateLimitedBlock.get(env.ext, DELEGATE_TAKE_KEY) == 100
    assert module_events(env) == [("TakeIncreased", (BOB, HK_B, 5000))]
    assert env.error(BOB, "increase_take", hotkey=HK_B, take=5000) == err("DelegateTakeTooLow")
    assert env.error(BOB, "increase_take", hotkey=HK_B, take=DEFAULT_TAKE + 1) == err("DelegateTakeTooHigh")
    # Rate limit: more than TxDelegateTakeRateLimit (216000) blocks must pass.
    assert env.error(BOB, "increase_take", hotkey=HK_B, take=6000) == err("DelegateTxRateLimitExceeded")
    env.set_block(100 + 216_000)
    assert env.error(BOB, "increase_take", hotkey=HK_B, take=6000) == err("DelegateTxRateLimitExceeded")
    env.set_block(100 + 216_001)
    env.call(BOB, "increase_take", hotkey=HK_B, take=6000)
    assert st.Delegates.get(env.ext, HK_B) == 6000


def test_decrease_stamps_the_increase_rate_limit() -> None:
    env, _ = env_with_subnet()
    env.call(BOB, "decrease_take", hotkey=HK_B, take=100)
    env.set_block(200)
    assert env.error(BOB, "increase_take", hotkey=HK_B, take=200) == err("DelegateTxRateLimitExceeded")
    st.TxDelegateTakeRateLimit.put(env.ext, 0)
    env.call(BOB, "increase_take", hotkey=HK_B, take=200)
    assert st.Delegates.get(env.ext, HK_B) == 200


# -- identity ---------------------------------------------------------------------------------------------------


def identity(**fields: bytes) -> dict[str, bytes]:
    value = {k: b"" for k in ("name", "url", "github_repo", "image", "discord", "description", "additional")}
    value.update(fields)
    return value


def call_set_identity(env: Env, coldkey: bytes, ident: dict[str, bytes]) -> None:
    """``Env.call`` takes the call name as ``name``, which clashes with the identity's ``name`` field."""
    env.ctx.start_transaction()
    try:
        RUNTIME.dispatch(env.ctx, Origin.signed(coldkey), ("SubtensorModule", ("set_identity", ident)))
    except DispatchError:
        env.ctx.rollback_transaction()
        raise
    env.ctx.commit_transaction()


def set_identity_error(env: Env, coldkey: bytes, ident: dict[str, bytes]) -> Any:
    before = env.ext.state()
    with pytest.raises(DispatchError) as info:
        call_set_identity(env, coldkey, ident)
    assert env.ext.state() == before
    return RUNTIME.dispatch_error_value(info.value)


def test_set_identity() -> None:
    env, _ = env_with_subnet()
    ident = identity(name=b"bob", url=b"https://bob.example", github_repo=b"bob/repo", description=b"d")
    call_set_identity(env, BOB, ident)
    assert st.IdentitiesV2.get(env.ext, BOB) == ident
    assert module_events(env) == [("ChainIdentitySet", BOB)]
    # Overwritable.
    call_set_identity(env, BOB, identity(name=b"bob2"))
    assert st.IdentitiesV2.get(env.ext, BOB)["name"] == b"bob2"


def test_set_identity_errors() -> None:
    env, netuid = env_with_subnet()
    # Charlie owns no registered hotkey.
    assert set_identity_error(env, CHARLIE, identity(name=b"c")) == err("HotKeyNotRegisteredInNetwork")
    for field, limit in delegation.IDENTITY_LIMITS.items():
        assert set_identity_error(env, BOB, identity(**{field: bytes(limit + 1)})) == err("InvalidIdentity")
        call_set_identity(env, BOB, identity(**{field: bytes(limit)}))
    assert error_index("InvalidIdentity") == 73
    # An owned hotkey that is not registered anywhere does not count.
    st.IsNetworkMember.put(env.ext, HK_B, netuid, False)
    assert set_identity_error(env, BOB, identity()) == err("HotKeyNotRegisteredInNetwork")


# -- childkey take ----------------------------------------------------------------------------------------------


def test_set_childkey_take_and_rate_limit() -> None:
    env, netuid = env_with_subnet()
    env.call(BOB, "set_childkey_take", hotkey=HK_B, netuid=netuid, take=1000)
    assert st.ChildkeyTake.get(env.ext, HK_B, netuid) == 1000
    assert st.TransactionKeyLastBlock.get(env.ext, HK_B, netuid, 1) == 100
    assert module_events(env) == [("ChildKeyTakeSet", (HK_B, 1000))]
    # Raising within TxChildkeyTakeRateLimit (5 blocks) fails; lowering is always allowed.
    env.set_block(104)
    assert env.error(BOB, "set_childkey_take", hotkey=HK_B, netuid=netuid, take=1001) == err(
        "TxChildkeyTakeRateLimitExceeded")
    env.call(BOB, "set_childkey_take", hotkey=HK_B, netuid=netuid, take=900)
    assert st.TransactionKeyLastBlock.get(env.ext, HK_B, netuid, 1) == 104
    env.set_block(109)
    env.call(BOB, "set_childkey_take", hotkey=HK_B, netuid=netuid, take=2000)
    assert st.ChildkeyTake.get(env.ext, HK_B, netuid) == 2000


def test_set_childkey_take_errors() -> None:
    env, netuid = env_with_subnet()
    assert env.error(CHARLIE, "set_childkey_take", hotkey=HK_B, netuid=netuid, take=1) == err("NonAssociatedColdKey")
    assert env.error(BOB, "set_childkey_take", hotkey=HK_B, netuid=netuid, take=DEFAULT_TAKE + 1) == err(
        "InvalidChildkeyTake")
    st.MinChildkeyTake.put(env.ext, 10)
    st.MinChildkeyTakePerSubnet.put(env.ext, netuid, 20)
    assert env.error(BOB, "set_childkey_take", hotkey=HK_B, netuid=netuid, take=19) == err("InvalidChildkeyTake")
    env.call(BOB, "set_childkey_take", hotkey=HK_B, netuid=netuid, take=20)
    assert delegation.childkey_take(env.ext, HK_B, netuid) == 20
    assert [error_index(n) for n in ("InvalidChildkeyTake", "TxChildkeyTakeRateLimitExceeded")] == [71, 72]


# -- children ---------------------------------------------------------------------------------------------------


def test_set_children_applies_at_once_before_start_call() -> None:
    env, netuid = env_with_subnet()
    assert not st.SubtokenEnabled.get(env.ext, netuid)
    children = [(2**63, HK_D), (2**62, HK_C)]
    env.call(BOB, "set_children", hotkey=HK_B, netuid=netuid, children=children)
    # Stored sorted by child account; each child lists the parent.
    assert st.ChildKeys.get(env.ext, HK_B, netuid) == [(2**62, HK_C), (2**63, HK_D)]
    assert st.ParentKeys.get(env.ext, HK_C, netuid) == [(2**62, HK_B)]
    assert st.ParentKeys.get(env.ext, HK_D, netuid) == [(2**63, HK_B)]
    assert not st.PendingChildKeys.exists(env.ext, netuid, HK_B)
    assert st.TransactionKeyLastBlock.get(env.ext, HK_B, netuid, 0) == 100
    assert module_events(env) == [("SetChildren", (HK_B, netuid, children))]
    # Replacing: HK_D is dropped (its ParentKeys entry removed), HK_C's proportion updated.
    env.set_block(250)
    env.call(BOB, "set_children", hotkey=HK_B, netuid=netuid, children=[(5, HK_C)])
    assert st.ChildKeys.get(env.ext, HK_B, netuid) == [(5, HK_C)]
    assert st.ParentKeys.get(env.ext, HK_C, netuid) == [(5, HK_B)]
    assert not st.ParentKeys.exists(env.ext, HK_D, netuid)
    # An empty list revokes every child.
    env.set_block(400)
    env.call(BOB, "set_children", hotkey=HK_B, netuid=netuid, children=[])
    assert not st.ChildKeys.exists(env.ext, HK_B, netuid)
    assert not st.ParentKeys.exists(env.ext, HK_C, netuid)


def test_set_children_is_scheduled_after_start_call() -> None:
    env, netuid = env_with_subnet()
    st.SubtokenEnabled.put(env.ext, netuid, True)
    children = [(1000, HK_C)]
    env.call(BOB, "set_children", hotkey=HK_B, netuid=netuid, children=children)
    cooldown = 100 + st.PendingChildKeyCooldown.get(env.ext)
    assert st.PendingChildKeys.get(env.ext, netuid, HK_B) == (children, cooldown)
    assert not st.ChildKeys.exists(env.ext, HK_B, netuid)
    assert module_events(env) == [("SetChildrenScheduled", (HK_B, netuid, cooldown, children))]
    # The epoch step applies it only once the cooldown block has passed.
    env.set_block(cooldown)
    delegation.do_set_pending_children(env.ctx, netuid)
    assert st.PendingChildKeys.exists(env.ext, netuid, HK_B)
    env.set_block(cooldown + 1)
    delegation.do_set_pending_children(env.ctx, netuid)
    assert not st.PendingChildKeys.exists(env.ext, netuid, HK_B)
    assert st.ChildKeys.get(env.ext, HK_B, netuid) == children
    assert st.ParentKeys.get(env.ext, HK_C, netuid) == [(1000, HK_B)]
    assert module_events(env) == [("SetChildren", (HK_B, netuid, children))]


def test_set_children_rate_limit() -> None:
    env, netuid = env_with_subnet()
    env.call(BOB, "set_children", hotkey=HK_B, netuid=netuid, children=[(1, HK_C)])
    env.set_block(249)
    assert env.error(BOB, "set_children", hotkey=HK_B, netuid=netuid, children=[(2, HK_C)]) == err(
        "TxRateLimitExceeded")
    env.set_block(250)
    env.call(BOB, "set_children", hotkey=HK_B, netuid=netuid, children=[(2, HK_C)])
    assert st.ChildKeys.get(env.ext, HK_B, netuid) == [(2, HK_C)]


def test_set_children_errors() -> None:
    env, netuid = env_with_subnet()
    assert env.error(BOB, "set_children", hotkey=HK_B, netuid=0, children=[]) == err(
        "RegistrationNotPermittedOnRootSubnet")
    assert env.error(BOB, "set_children", hotkey=HK_B, netuid=99, children=[]) == err("SubnetNotExists")
    assert env.error(CHARLIE, "set_children", hotkey=HK_B, netuid=netuid, children=[]) == err("NonAssociatedColdKey")
    assert env.error(BOB, "set_children", hotkey=HK_B, netuid=netuid, children=[(1, HK_C), (2, HK_C)]) == err(
        "DuplicateChild")
    assert env.error(BOB, "set_children", hotkey=HK_B, netuid=netuid, children=[(1, HK_B)]) == err("InvalidChild")
    six = [(1, bytes([0x60 + i]) * 32) for i in range(6)]
    assert env.error(BOB, "set_children", hotkey=HK_B, netuid=netuid, children=six) == err("TooManyChildren")
    assert env.error(BOB, "set_children", hotkey=HK_B, netuid=netuid,
                     children=[(2**64 - 1, HK_C), (1, HK_D)]) == err("ProportionOverflow")
    # A parent of HK_B cannot become its child.
    st.ParentKeys.put(env.ext, HK_B, netuid, [(10, HK_C)])
    assert env.error(BOB, "set_children", hotkey=HK_B, netuid=netuid, children=[(1, HK_C)]) == err(
        "ChildParentInconsistency")
    st.ParentKeys.kill(env.ext, HK_B, netuid)
    # Stake threshold (the subnet owner hotkey is exempt; an empty list always passes).
    st.StakeThreshold.put(env.ext, 1)
    assert env.error(BOB, "set_children", hotkey=HK_B, netuid=netuid, children=[(1, HK_C)]) == err(
        "NotEnoughStakeToSetChildkeys")
    env.call(BOB, "set_children", hotkey=HK_B, netuid=netuid, children=[])
    env.call(ALICE, "set_children", hotkey=HK_A, netuid=netuid, children=[(1, HK_C)])
    assert st.ChildKeys.get(env.ext, HK_A, netuid) == [(1, HK_C)]
    assert [error_index(n) for n in ("InvalidChild", "DuplicateChild", "ProportionOverflow", "TooManyChildren",
                                     "TxRateLimitExceeded", "ChildParentInconsistency")] == [60, 61, 62, 63, 64, 123]


def test_set_children_stake_threshold_uses_the_tao_value_of_all_alpha() -> None:
    env, netuid = env_with_subnet()
    # Alpha on the dynamic subnet is priced by its pool (SubnetTAO / SubnetAlphaIn at equal weights),
    # root alpha at 1.0; the sum of U64F64 values is truncated.
    st.TotalHotkeyAlpha.put(env.ext, HK_B, netuid, 10**9)
    st.TotalHotkeyAlpha.put(env.ext, HK_B, 0, 5)
    price = delegation.queries.current_alpha_price(env.ext, netuid)
    assert price > 1 << 64  # the registration burn bought alpha: above 1 TAO per alpha
    total = delegation.total_stake_for_hotkey(env.ext, HK_B)
    assert total == (10**9 * price + (5 << 64)) >> 64
    st.StakeThreshold.put(env.ext, total + 1)
    assert env.error(BOB, "set_children", hotkey=HK_B, netuid=netuid, children=[(1, HK_C)]) == err(
        "NotEnoughStakeToSetChildkeys")
    st.StakeThreshold.put(env.ext, total)
    env.call(BOB, "set_children", hotkey=HK_B, netuid=netuid, children=[(2, HK_C)])
    assert st.ChildKeys.get(env.ext, HK_B, netuid) == [(2, HK_C)]


def test_parents_are_kept_in_step_when_a_child_sets_children() -> None:
    env, netuid = env_with_subnet()
    # HK_A (Alice) takes HK_B as child; then HK_B takes HK_C: HK_B's parent link to HK_A is rewritten as is.
    env.call(ALICE, "set_children", hotkey=HK_A, netuid=netuid, children=[(7, HK_B)])
    env.call(BOB, "set_children", hotkey=HK_B, netuid=netuid, children=[(9, HK_C)])
    assert st.ChildKeys.get(env.ext, HK_A, netuid) == [(7, HK_B)]
    assert st.ParentKeys.get(env.ext, HK_B, netuid) == [(7, HK_A)]
    assert st.ChildKeys.get(env.ext, HK_B, netuid) == [(9, HK_C)]
    assert st.ParentKeys.get(env.ext, HK_C, netuid) == [(9, HK_B)]
    # HK_B cannot take its own parent as a child.
    env.set_block(300)
    assert env.error(BOB, "set_children", hotkey=HK_B, netuid=netuid, children=[(1, HK_A)]) == err(
        "ChildParentInconsistency")
