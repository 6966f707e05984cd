"""SubtensorModule subnet calls: register_network(_with_identity), start_call, set_subnet_identity,
update_symbol, dissolve_network, over a mock runtime (System, Balances, SubtensorModule) with the dev
genesis of the subtensor pallet (root + the zero-owned subnet 1).

Expected values are worked out by hand from the reference's rules (see each test).
"""

from __future__ import annotations

from typing import Any

import pytest

from runtime.construct import Runtime, RuntimeVersion
from runtime.pallets import balances, subtensor, system
from runtime.pallets.subtensor import accounts, subnets
from runtime.pallets.subtensor import storage as st
from runtime.pallets.system import storage as sys_storage
from runtime.primitives.extrinsic import SUBTENSOR_EXTENSIONS
from runtime.support.dispatch import DispatchError, Origin, Pays, Weight
from runtime.support.outer import bind_runtime
from tests.runtime.ext import TestExternalities

ALICE, BOB, CHARLIE, POOR = (bytes([i]) * 32 for i in (1, 2, 3, 4))
HK_A, HK_B, HK_C, HK_D = (bytes([0x10 + i]) * 32 for i in range(4))
TAO = 10**9
RICH = 1_000_000 * TAO
MIN_LOCK = 1_000 * TAO


def _runtime() -> Runtime:
    version = RuntimeVersion("node-subtensor", "node-subtensor", 1, 461, 1, (), 1, 1)
    return Runtime([(0, system.PALLET), (5, balances.PALLET), (7, subtensor.PALLET)], version,
                   SUBTENSOR_EXTENSIONS)


RUNTIME = _runtime()


def module_error(index: int) -> Any:
    return ("Module", {"index": 7, "error": bytes([index, 0, 0, 0])})


def error_index(name: str) -> int:
    return subtensor.errors.names.index(name)


class Env:
    """The mock runtime at ``block``, Alice/Bob/Charlie rich, POOR with 10 TAO."""

    def __init__(self, block: int = 1, endowed: list[tuple[bytes, int]] | None = None) -> None:
        bind_runtime(RUNTIME.call_codec, RUNTIME.event_codec)
        self.ext = TestExternalities()
        self.ctx = RUNTIME.context(self.ext)
        balances.PALLET.genesis(self.ctx, {"balances": endowed or [  # type: ignore[misc]
            (ALICE, RICH), (BOB, RICH), (CHARLIE, RICH), (POOR, 10 * TAO)]})
        subtensor.PALLET.genesis(self.ctx, {})  # type: ignore[misc]
        self.set_block(block)

    def set_block(self, number: int) -> None:
        sys_storage.Number.put(self.ext, number)
        self.clear_events()

    def call(self, origin: Origin | bytes, name: str, **args: Any) -> Any:
        origin = Origin.signed(origin) if isinstance(origin, bytes) else origin
        self.ctx.start_transaction()
        try:
            result = RUNTIME.dispatch(self.ctx, origin, ("SubtensorModule", (name, args)))
        except DispatchError:
            self.ctx.rollback_transaction()
            raise
        self.ctx.commit_transaction()
        assert balances.try_state(self.ext) == []
        return result

    def error(self, origin: Origin | bytes, name: str, **args: Any) -> Any:
        before = self.ext.state()
        with pytest.raises(DispatchError) as info:
            self.call(origin, name, **args)
        assert self.ext.state() == before  # rolled back
        return RUNTIME.dispatch_error_value(info.value)

    def events(self) -> list[tuple[str, Any]]:
        return [r["event"] for r in sys_storage.Events.get(self.ext)]

    def clear_events(self) -> None:
        sys_storage.Events.kill(self.ext)
        sys_storage.EventCount.kill(self.ext)

    def free(self, who: bytes) -> int:
        return balances.free_balance(self.ext, who)

    def register_network(self, coldkey: bytes, hotkey: bytes) -> int:
        self.call(coldkey, "register_network", hotkey=hotkey)
        return max(netuid for (netuid,), added in st.NetworksAdded.iter(self.ext) if added
                   and st.NetworkRegisteredAt.get(self.ext, netuid) == self.ctx.block_number
                   and st.SubnetOwnerHotkey.get(self.ext, netuid) == hotkey)


def identity(name: bytes = b"my subnet", **fields: bytes) -> dict[str, bytes]:
    value = {k: b"" for k in ("subnet_name", "github_repo", "subnet_contact", "subnet_url", "discord",
                              "description", "logo_url", "additional")}
    value["subnet_name"] = name
    value.update(fields)
    return value


# -- declarations --------------------------------------------------------------------------------------------


def test_call_indices_weights_and_fees() -> None:
    calls = subtensor.PALLET.calls
    assert calls is not None
    subnet_calls = {
        "register": 6, "burned_register": 7, "register_network": 59, "dissolve_network": 61, "root_register": 62,
        "set_subnet_identity": 78, "register_network_with_identity": 79, "start_call": 92, "update_symbol": 112,
        "root_dissolve_network": 120, "register_limit": 134}
    # Other modules register more calls on the same table; these are the subnet/registration ones.
    assert {name: calls.by_name[name].index for name in subnet_calls} == subnet_calls
    assert all(calls.by_name[name].pays is Pays.Yes for name in subnet_calls)
    # from_parts(277_125_000, 9947) + 40 reads (25e6) + 48 writes (1e8)
    assert calls.by_name["register_network"].weight == Weight(277_125_000 + 40 * 25_000_000 + 48 * 100_000_000, 9947)
    assert calls.by_name["burned_register"].weight == Weight(336_815_000 + 34 * 25_000_000 + 29 * 100_000_000, 6148)
    assert calls.by_name["register_limit"].weight == Weight(354_200_000 + 47 * 25_000_000 + 40 * 100_000_000, 0)
    assert calls.by_name["dissolve_network"].weight == Weight(119_000_000 + 6 * 25_000_000 + 31 * 100_000_000, 0)


def test_register_network_call_encoding() -> None:
    call = ("SubtensorModule", ("register_network", {"hotkey": HK_A}))
    assert RUNTIME.encode_call(call) == bytes([7, 59]) + HK_A
    call = ("SubtensorModule", ("start_call", {"netuid": 2}))
    assert RUNTIME.encode_call(call) == bytes([7, 92, 2, 0])


# -- lock cost -------------------------------------------------------------------------------------------------


def test_lock_cost_is_the_minimum_before_the_first_registration() -> None:
    env = Env(block=5000)
    # mult = 1 and the decay only lowers it, so the minimum (1000 TAO) applies.
    assert subnets.network_lock_cost(env.ctx) == MIN_LOCK


def test_lock_cost_doubles_then_decays_linearly() -> None:
    env = Env(block=10)
    env.register_network(ALICE, HK_A)
    assert st.NetworkLastLockCost.get(env.ext) == MIN_LOCK
    assert st.LastRateLimitedBlock.get(env.ext, "NetworkLastRegistered") == 10
    per_block = MIN_LOCK // 100_800
    assert per_block == 9_920_634
    vectors = {
        10: 2 * MIN_LOCK,                                  # just registered: doubled
        1010: 2 * MIN_LOCK - 1000 * per_block,             # 1_990_079_366_000
        10 + 100_800: 2_000_000_000_000 - 999_999_907_200,  # 1_000_000_092_800
        10 + 100_801: MIN_LOCK,                            # would be 999_990_172_166: floored at the minimum
    }
    assert vectors[1010] == 1_990_079_366_000
    for block, cost in vectors.items():
        env.set_block(block)
        assert subnets.network_lock_cost(env.ctx) == cost, block


def test_lock_reduction_interval_follows_the_emission_halvings() -> None:
    env = Env()
    assert subnets.lock_reduction_interval(env.ctx) == 100_800
    # Half the supply issued: one halving, emission 0.5 TAO, interval halved.
    st.TotalIssuance.put(env.ext, 10_500_000 * TAO)
    assert subnets.block_emission_for_issuance(10_500_000 * TAO) == 500_000_000
    assert subnets.lock_reduction_interval(env.ctx) == 50_400
    assert st.BlockEmission.get(env.ext) == 500_000_000
    assert subnets.block_emission_for_issuance(10_499_999 * TAO) == TAO
    assert subnets.block_emission_for_issuance(15_750_000 * TAO) == 250_000_000
    assert subnets.block_emission_for_issuance(21_000_000 * TAO) == 0


# -- register_network -------------------------------------------------------------------------------------------


def test_register_network_happy_path() -> None:
    env = Env(block=7)
    subnet_account = accounts.subnet_account_id(2)
    assert subnet_account == b"modlsubtensr\x02\x00" + bytes(18)
    env.call(ALICE, "register_network", hotkey=HK_A)
    ext, netuid = env.ext, 2  # subnet 1 exists at genesis: the first user subnet is 2
    # Lock: 1000 TAO moved to the subnet account.
    assert env.free(ALICE) == RICH - MIN_LOCK
    assert env.free(subnet_account) == MIN_LOCK
    # Network records.
    assert st.NetworksAdded.get(ext, netuid) is True
    assert st.TotalNetworks.get(ext) == 3
    assert st.SubnetMechanism.get(ext, netuid) == 1
    assert st.NetworkRegisteredAt.get(ext, netuid) == 7
    assert st.RegisteredSubnetCounter.get(ext, netuid) == 1
    assert st.Tempo.get(ext, netuid) == 10
    assert st.LastEpochBlock.get(ext, netuid) == 7 - 2 % 10
    assert st.TokenSymbol.get(ext, netuid) == "β".encode()
    assert st.SubnetOwner.get(ext, netuid) == ALICE
    assert st.SubnetOwnerHotkey.get(ext, netuid) == HK_A
    # Hyperparameters written explicitly.
    assert (st.MaxAllowedUids.get(ext, netuid), st.MaxAllowedValidators.get(ext, netuid),
            st.MinAllowedWeights.get(ext, netuid), st.ImmunityPeriod.get(ext, netuid)) == (256, 64, 1, 5000)
    assert st.Burn.get(ext, netuid) == TAO
    assert st.Yuma3On.get(ext, netuid) is True
    for item in (st.Kappa, st.ActivityCutoff, st.RegistrationsThisInterval, st.NetworkRegistrationAllowed):
        assert item.exists(ext, netuid), item.name
    assert st.SubnetEmissionEnabled.get(ext, netuid) is False
    assert not st.SubtokenEnabled.get(ext, netuid) and st.FirstEmissionBlockNumber.get(ext, netuid) is None
    # Pool: the whole lock at the median price of subnet 1 (10 TAO / 10 alpha = 1.0).
    assert st.SubnetTAO.get(ext, netuid) == MIN_LOCK
    assert st.SubnetAlphaIn.get(ext, netuid) == MIN_LOCK
    assert st.SubnetAlphaOut.get(ext, netuid) == 0
    assert st.SubnetLocked.get(ext, netuid) == MIN_LOCK
    assert st.RAORecycledForRegistration.get(ext, netuid) == 0
    assert st.TotalStake.get(ext) == MIN_LOCK
    assert st.NetworkLastLockCost.get(ext) == MIN_LOCK
    # Owner hotkey: bound to Alice and uid 0.
    assert st.Owner.get(ext, HK_A) == ALICE
    assert st.OwnedHotkeys.get(ext, ALICE) == [HK_A] and st.StakingHotkeys.get(ext, ALICE) == [HK_A]
    assert st.SubnetworkN.get(ext, netuid) == 1
    assert st.Keys.get(ext, netuid, 0) == HK_A and st.Uids.get(ext, netuid, HK_A) == 0
    assert st.IsNetworkMember.get(ext, HK_A, netuid) is True
    assert st.BlockAtRegistration.get(ext, netuid, 0) == 7
    assert st.LastUpdate.get(ext, netuid) == [7]
    assert st.Active.get(ext, netuid) == [True] and st.ValidatorPermit.get(ext, netuid) == [False]
    assert st.Emission.get(ext, netuid) == [0] and st.Incentive.get(ext, netuid) == [0]
    sub = [e for e in env.events() if e[0] == "SubtensorModule"]
    assert sub == [
        ("SubtensorModule", ("RegistrationAllowed", (2, True))),
        ("SubtensorModule", ("MaxAllowedUidsSet", (2, 256))),
        ("SubtensorModule", ("MaxAllowedValidatorsSet", (2, 64))),
        ("SubtensorModule", ("MinAllowedWeightSet", (2, 1))),
        ("SubtensorModule", ("ImmunityPeriodSet", (2, 5000))),
        ("SubtensorModule", ("SubnetOwnerHotkeySet", (2, HK_A))),
        ("SubtensorModule", ("NetworkAdded", (2, 1))),
    ]
    assert ("Balances", ("Transfer", {"from": ALICE, "to": subnet_account, "amount": MIN_LOCK})) in env.events()


def test_register_network_with_identity_and_next_symbols() -> None:
    env = Env()
    st.NetworkRateLimit.put(env.ext, 0)
    env.call(ALICE, "register_network_with_identity", hotkey=HK_A, identity=identity(b"alpha"))
    assert st.SubnetIdentitiesV3.get(env.ext, 2) == identity(b"alpha")
    assert ("SubtensorModule", ("SubnetIdentitySet", 2)) in env.events()
    # Symbol 3 is taken by an update: subnet 3 gets the first free symbol after root's.
    env.call(ALICE, "update_symbol", netuid=2, symbol="γ".encode())
    env.call(BOB, "register_network_with_identity", hotkey=HK_B, identity=None)
    assert st.TokenSymbol.get(env.ext, 3) == "β".encode()
    assert not st.SubnetIdentitiesV3.exists(env.ext, 3)
    # The second lock is doubled (same block, no decay) and priced at the median of subnets 1 and 2.
    assert st.SubnetLocked.get(env.ext, 3) == 2 * MIN_LOCK
    assert env.free(BOB) == RICH - 2 * MIN_LOCK


def test_register_network_errors() -> None:
    env = Env(block=100)
    e = env.error
    long_name = identity(b"x" * 257)
    assert e(ALICE, "register_network_with_identity", hotkey=HK_A, identity=long_name) == module_error(
        error_index("InvalidIdentity"))
    assert e(POOR, "register_network", hotkey=HK_D) == module_error(error_index("CannotAffordLockCost"))
    assert e(ALICE, "register_network", hotkey=accounts.subnet_account_id(1)) == module_error(
        error_index("CannotUseSystemAccount"))
    env.register_network(ALICE, HK_A)
    assert e(BOB, "register_network", hotkey=HK_A) == module_error(error_index("NonAssociatedColdKey"))
    env.set_block(100 + 7199)
    assert e(BOB, "register_network", hotkey=HK_B) == module_error(error_index("NetworkTxRateLimitExceeded"))
    env.set_block(100 + 7200)
    env.call(BOB, "register_network", hotkey=HK_B)
    st.NetworkRegistrationStartBlock.put(env.ext, 10**6)
    st.NetworkRateLimit.put(env.ext, 0)
    assert e(CHARLIE, "register_network", hotkey=HK_C) == module_error(error_index("SubNetRegistrationDisabled"))
    st.NetworkRegistrationStartBlock.kill(env.ext)
    # At the subnet limit with every subnet still immune: nothing to prune.
    st.SubnetLimit.put(env.ext, 3)
    assert e(CHARLIE, "register_network", hotkey=HK_C) == module_error(error_index("SubnetLimitReached"))
    assert e(Origin.root(), "register_network", hotkey=HK_C) == "BadOrigin"


def test_register_network_prunes_the_cheapest_subnet_and_reuses_its_netuid() -> None:
    env = Env(block=1)
    st.NetworkRateLimit.put(env.ext, 0)
    env.register_network(ALICE, HK_A)   # netuid 2
    env.register_network(BOB, HK_B)     # netuid 3
    st.SubnetLimit.put(env.ext, 3)
    st.NetworkImmunityPeriod.put(env.ext, 10)
    env.set_block(20)
    # Subnet 1 (registered at 0) and 2, 3 (at 1) are past immunity. Moving prices: 3 is cheapest.
    from runtime.scale import I96F32
    st.SubnetMovingPrice.put(env.ext, 1, I96F32.from_int(2))
    st.SubnetMovingPrice.put(env.ext, 2, I96F32.from_int(1))
    st.SubnetMovingPrice.put(env.ext, 3, I96F32.from_bits(1 << 31))  # 0.5
    assert subnets.network_to_prune(env.ctx) == 3
    env.call(CHARLIE, "register_network", hotkey=HK_C)
    assert st.SubnetOwner.get(env.ext, 3) == CHARLIE and st.SubnetOwnerHotkey.get(env.ext, 3) == HK_C
    assert st.Keys.get(env.ext, 3, 0) == HK_C and not st.Uids.exists(env.ext, 3, HK_B)
    assert not st.IsNetworkMember.get(env.ext, HK_B, 3)
    subs = [e for e in env.events() if e[0] == "SubtensorModule"]
    assert subs[0] == ("SubtensorModule", ("NetworkRemoved", 3))
    assert subs[-1] == ("SubtensorModule", ("NetworkAdded", (3, 1)))
    assert st.TotalNetworks.get(env.ext) == 4


# -- start_call, identity, symbols, dissolve ------------------------------------------------------------------


def test_start_call() -> None:
    env = Env(block=5)
    netuid = env.register_network(ALICE, HK_A)
    st.StartCallDelay.put(env.ext, 3)
    e = env.error
    assert e(ALICE, "start_call", netuid=9) == module_error(error_index("SubnetNotExists"))
    assert e(BOB, "start_call", netuid=netuid) == "BadOrigin"
    assert e(ALICE, "start_call", netuid=netuid) == module_error(error_index("NeedWaitingMoreBlocksToStarCall"))
    env.set_block(8)
    env.call(ALICE, "start_call", netuid=netuid)
    assert st.FirstEmissionBlockNumber.get(env.ext, netuid) == 9
    assert st.SubtokenEnabled.get(env.ext, netuid) is True
    assert env.events() == [("SubtensorModule", ("FirstEmissionBlockNumberSet", (netuid, 9)))]
    assert e(ALICE, "start_call", netuid=netuid) == module_error(error_index("FirstEmissionBlockNumberAlreadySet"))


def test_set_subnet_identity() -> None:
    env = Env()
    netuid = env.register_network(ALICE, HK_A)
    env.clear_events()
    fields = identity(b"name", github_repo=b"gh", discord=b"d" * 256, description=b"x" * 1024)
    env.call(ALICE, "set_subnet_identity", netuid=netuid, **fields)
    assert st.SubnetIdentitiesV3.get(env.ext, netuid) == fields
    assert env.events() == [("SubtensorModule", ("SubnetIdentitySet", netuid))]
    assert env.error(BOB, "set_subnet_identity", netuid=netuid, **fields) == module_error(
        error_index("NotSubnetOwner"))
    assert env.error(ALICE, "set_subnet_identity", netuid=netuid, **identity(b"n", discord=b"d" * 257)) == (
        module_error(error_index("InvalidIdentity")))


def test_update_symbol() -> None:
    env = Env()
    netuid = env.register_network(ALICE, HK_A)
    env.clear_events()
    e = env.error
    assert e(BOB, "update_symbol", netuid=netuid, symbol="δ".encode()) == "BadOrigin"
    assert e(ALICE, "update_symbol", netuid=netuid, symbol=b"zz") == module_error(error_index("SymbolDoesNotExist"))
    assert e(ALICE, "update_symbol", netuid=netuid, symbol="Τ".encode()) == module_error(
        error_index("SymbolDoesNotExist"))  # root's symbol is not in the choosable table
    assert e(ALICE, "update_symbol", netuid=netuid, symbol="α".encode()) == module_error(
        error_index("SymbolAlreadyInUse"))
    env.call(ALICE, "update_symbol", netuid=netuid, symbol="δ".encode())
    env.call(Origin.root(), "update_symbol", netuid=netuid, symbol="ε".encode())
    assert st.TokenSymbol.get(env.ext, netuid) == "ε".encode()
    assert env.events()[-1] == ("SubtensorModule", ("SymbolUpdated", {"netuid": netuid, "symbol": "ε".encode()}))


def test_dissolve_network() -> None:
    env = Env()
    netuid = env.register_network(ALICE, HK_A)
    env.call(ALICE, "set_subnet_identity", netuid=netuid, **identity())
    env.clear_events()
    e = env.error
    assert e(ALICE, "dissolve_network", coldkey=ALICE, netuid=netuid) == "BadOrigin"
    assert e(Origin.root(), "root_dissolve_network", netuid=0) == module_error(error_index("SubnetNotExists"))
    assert e(Origin.root(), "root_dissolve_network", netuid=42) == module_error(error_index("SubnetNotExists"))
    st.Weights.put(env.ext, 0, 0, [(netuid, 5), (1, 3)])  # a root weight on the subnet is zeroed
    env.call(Origin.root(), "dissolve_network", coldkey=BOB, netuid=netuid)
    ext = env.ext
    assert st.Weights.get(ext, 0, 0) == [(netuid, 0), (1, 3)]
    assert not st.NetworksAdded.exists(ext, netuid) and st.TotalNetworks.get(ext) == 2
    assert not st.Keys.exists(ext, netuid, 0) and not st.Uids.exists(ext, netuid, HK_A)
    assert not st.IsNetworkMember.exists(ext, HK_A, netuid)
    assert not st.TokenSymbol.exists(ext, netuid) and not st.SubnetIdentitiesV3.exists(ext, netuid)
    assert not st.LastUpdate.exists(ext, netuid) and not st.Burn.exists(ext, netuid)
    assert env.events() == [("SubtensorModule", ("SubnetIdentityRemoved", netuid)),
                            ("SubtensorModule", ("NetworkRemoved", netuid))]
    assert subnets.next_netuid(ext) == netuid


def test_median_price_and_symbol_helpers() -> None:
    env = Env()
    assert subnets.median_subnet_alpha_price(env.ext) == 1 << 64  # subnet 1: 10 TAO / 10 alpha
    st.NetworksAdded.put(env.ext, 5, True)
    st.SubnetMechanism.put(env.ext, 5, 1)
    st.SubnetTAO.put(env.ext, 5, 3 * TAO)
    st.SubnetAlphaIn.put(env.ext, 5, TAO)
    # Two prices (1.0 and 3.0): their mean.
    assert subnets.median_subnet_alpha_price(env.ext) == 2 << 64
    assert len(subnets.SYMBOLS) == 439 and subnets.SYMBOLS[90] == "\u1680".encode()
    assert subnets.symbol_for_subnet(500) == subnets.DEFAULT_SYMBOL
