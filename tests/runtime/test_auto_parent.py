"""Auto parent delegation: root validators childkeyed to subnet owners when a subnet is registered and when
a hotkey registers on root, the opt-out call (135), and the cases left alone (opted out, the owner itself,
existing or pending children)."""

from __future__ import annotations

from runtime.pallets import subtensor
from runtime.pallets.subtensor import storage as st
from runtime.pallets.subtensor.events import AutoParentDelegationEnabledSet, NetworkAdded, SetChildren
from tests.runtime.test_subtensor_staking import err, sub_events
from tests.runtime.test_subtensor_subnets import ALICE, BOB, CHARLIE, HK_A, HK_B, HK_C, Env

FULL = 2**64 - 1
HK_E, HK_F = bytes([0x3E]) * 32, bytes([0x3F]) * 32


def root_register(env: Env, coldkey: bytes, hotkey: bytes) -> None:
    st.RegistrationsThisBlock.put(env.ext, 0, 0)  # one root registration per block at genesis
    env.call(coldkey, "root_register", hotkey=hotkey)


def register_network(env: Env, coldkey: bytes, hotkey: bytes) -> int:
    env.set_block(env.ctx.block_number + 10_000)  # past the network rate limit
    return env.register_network(coldkey, hotkey)


def test_declaration_and_opt_out_call() -> None:
    call = subtensor.PALLET.calls.by_name["set_auto_parent_delegation_enabled"]  # type: ignore[union-attr]
    assert (call.index, [a.name for a in call.args]) == (135, ["hotkey", "enabled"])
    env = Env(block=3)
    root_register(env, BOB, HK_B)
    assert st.AutoParentDelegationEnabled.get(env.ext, HK_B) is True  # the default
    env.clear_events()
    assert env.error(CHARLIE, "set_auto_parent_delegation_enabled", hotkey=HK_B, enabled=False) == err(
        "NonAssociatedColdKey")
    env.call(BOB, "set_auto_parent_delegation_enabled", hotkey=HK_B, enabled=False)
    assert st.AutoParentDelegationEnabled.get(env.ext, HK_B) is False
    assert sub_events(env) == [AutoParentDelegationEnabledSet(HK_B, False)[1]]


def test_a_new_subnet_childkeys_root_validators_to_its_owner() -> None:
    env = Env(block=3)
    root_register(env, BOB, HK_B)
    root_register(env, CHARLIE, HK_C)
    env.call(CHARLIE, "set_auto_parent_delegation_enabled", hotkey=HK_C, enabled=False)
    env.clear_events()
    n = register_network(env, ALICE, HK_A)
    assert st.ChildKeys.get(env.ext, HK_B, n) == [(FULL, HK_A)]
    assert st.ParentKeys.get(env.ext, HK_A, n) == [(FULL, HK_B)]
    assert st.ChildKeys.get(env.ext, HK_C, n) == []  # opted out
    assert not st.PendingChildKeys.exists(env.ext, n, HK_B)  # applied at once, no cooldown
    events = sub_events(env)
    assert events.index(SetChildren(HK_B, n, [(FULL, HK_A)])[1]) < events.index(NetworkAdded(n, 1)[1])


def test_a_new_root_validator_childkeys_to_every_subnet_owner_but_itself() -> None:
    env = Env(block=3)
    n1 = register_network(env, ALICE, HK_A)
    n2 = register_network(env, BOB, HK_B)
    n3 = register_network(env, BOB, HK_E)
    st.PendingChildKeys.put(env.ext, n3, HK_C, ([(FULL, HK_A)], 10**9))  # a request of its own stands
    root_register(env, CHARLIE, HK_C)
    assert st.ChildKeys.get(env.ext, HK_C, n1) == [(FULL, HK_A)]
    assert st.ChildKeys.get(env.ext, HK_C, n2) == [(FULL, HK_B)]
    assert st.ChildKeys.get(env.ext, HK_C, n3) == []
    assert st.ChildKeys.get(env.ext, HK_C, 0) == []  # never on root
    root_register(env, ALICE, HK_A)  # the owner of n1 gets no child on its own subnet
    assert st.ChildKeys.get(env.ext, HK_A, n1) == []
    assert st.ChildKeys.get(env.ext, HK_A, n2) == [(FULL, HK_B)]
    assert st.ChildKeys.get(env.ext, HK_A, n3) == [(FULL, HK_E)]


def test_existing_children_and_opted_out_root_registrations_are_left_alone() -> None:
    env = Env(block=3)
    n1 = register_network(env, ALICE, HK_A)
    n2 = register_network(env, BOB, HK_B)
    st.ChildKeys.put(env.ext, HK_C, n1, [(FULL // 2, HK_E)])  # chosen before joining root
    root_register(env, CHARLIE, HK_C)
    assert st.ChildKeys.get(env.ext, HK_C, n1) == [(FULL // 2, HK_E)]
    assert st.ChildKeys.get(env.ext, HK_C, n2) == [(FULL, HK_B)]
    # a hotkey that opted out before registering on root gets no links at all
    env.call(CHARLIE, "try_associate_hotkey", hotkey=HK_F)
    env.call(CHARLIE, "set_auto_parent_delegation_enabled", hotkey=HK_F, enabled=False)
    root_register(env, CHARLIE, HK_F)
    assert all(st.ChildKeys.get(env.ext, HK_F, n) == [] for n in (n1, n2))
