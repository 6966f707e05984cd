"""runtime.apis.subtensor_extra over the dev genesis: swap simulations, pruning candidate, subnet accounts,
auto-stake destinations, block emission and stake fees — all through ``state_call`` encoding."""

from __future__ import annotations

import pytest

from runtime.apis import call_api, load_all
from runtime.node_runtime import node_runtime
from runtime.pallets.subtensor import storage as st
from runtime.pallets.swap.engine import SimSwapResult
from runtime.primitives.keys import dev_account
from runtime.primitives.types import AccountId32
from runtime.scale import U16, U64, Option, Tuple
from runtime.support.context import Context
from tests.runtime.test_executive import genesis_ext

ALICE = dev_account("Alice").public
BOB = dev_account("Bob").public
RAO = 10**9
FEE_RATE = 33  # Swap FeeRate default, parts of 65535


@pytest.fixture
def ctx() -> Context:
    return node_runtime().context(genesis_ext())


def call(ctx: Context, method: str, *encoded: bytes) -> bytes:
    return call_api(ctx, method, b"".join(encoded))


def sim(ctx: Context, direction: str, netuid: int, amount: int) -> dict[str, int]:
    return SimSwapResult.decode(call(ctx, f"SwapRuntimeApi_sim_swap_{direction}", U16.encode(netuid),
                                     U64.encode(amount)))  # type: ignore[no-any-return]


def test_methods_are_added_to_the_existing_apis() -> None:
    apis = load_all()
    assert {"current_alpha_price", "sim_swap_tao_for_alpha", "sim_swap_alpha_for_tao"} <= set(apis["SwapRuntimeApi"].methods)
    assert {"get_subnet_info", "get_subnet_to_prune", "get_subnet_account_id", "get_coldkey_auto_stake_hotkey",
            "get_block_emission"} <= set(apis["SubnetInfoRuntimeApi"].methods)
    assert {"get_stake_info_for_coldkey", "get_stake_fee"} <= set(apis["StakeInfoRuntimeApi"].methods)
    # The earlier declaration (with its docs) is the one in the registry.
    assert apis["SwapRuntimeApi"].docs


# -- SwapRuntimeApi -----------------------------------------------------------------------------------


def test_sim_swap_tao_for_alpha_is_constant_product_minus_fee(ctx: Context) -> None:
    root = ctx.ext.storage_root()
    fee = RAO * FEE_RATE // 65535
    net = RAO - fee
    out = 10 * RAO * net // (10 * RAO + net)  # x·y = k on the 10/10 pool, rounded down
    assert (fee, out) == (503_547, 908_674_735)
    assert sim(ctx, "tao_for_alpha", 1, RAO) == {
        "tao_amount": net, "alpha_amount": out, "tao_fee": fee, "alpha_fee": 0,
        "tao_slippage": 0, "alpha_slippage": RAO - out}  # price 1.0: 1 TAO would buy 1 alpha without slippage
    assert ctx.ext.storage_root() == root  # a simulation leaves no trace (not even the lazy pool init)


def test_sim_swap_alpha_for_tao_mirrors_the_buy(ctx: Context) -> None:
    root = ctx.ext.storage_root()
    assert sim(ctx, "alpha_for_tao", 1, RAO) == {
        "tao_amount": 908_674_735, "alpha_amount": 999_496_453, "tao_fee": 0, "alpha_fee": 503_547,
        "tao_slippage": RAO - 908_674_735, "alpha_slippage": 0}
    assert ctx.ext.storage_root() == root


def test_sim_swap_root_unknown_and_failing(ctx: Context) -> None:
    # Root is not dynamic: 1:1, no fee, no slippage.
    assert sim(ctx, "tao_for_alpha", 0, 5 * RAO) == {
        "tao_amount": 5 * RAO, "alpha_amount": 5 * RAO, "tao_fee": 0, "alpha_fee": 0, "tao_slippage": 0,
        "alpha_slippage": 0}
    assert sim(ctx, "alpha_for_tao", 0, 7)["tao_amount"] == 7
    zeros = dict.fromkeys(["tao_amount", "alpha_amount", "tao_fee", "alpha_fee", "tao_slippage", "alpha_slippage"], 0)
    # No such subnet: the (non-dynamic) swap succeeds with nothing paid in or out, while the price reads
    # 1.0, so the whole no-slippage amount shows up as slippage (as in the reference).
    assert sim(ctx, "tao_for_alpha", 9, RAO) == {**zeros, "alpha_slippage": RAO}
    assert sim(ctx, "alpha_for_tao", 9, RAO) == {**zeros, "tao_slippage": RAO}
    # More than 1000× the input reserve: SwapInputTooLarge → all zeros.
    assert sim(ctx, "tao_for_alpha", 1, 10_011 * RAO) == zeros
    assert sim(ctx, "alpha_for_tao", 1, 10_011 * RAO) == zeros


# -- SubnetInfoRuntimeApi -----------------------------------------------------------------------------


def prune(ctx: Context) -> int | None:
    return Option(U16).decode(call(ctx, "SubnetInfoRuntimeApi_get_subnet_to_prune"))  # type: ignore[no-any-return]


def test_subnet_to_prune(ctx: Context) -> None:
    assert prune(ctx) is None  # subnet 1 is within its immunity period at genesis; root is never pruned
    st.NetworkImmunityPeriod.put(ctx, 0)
    assert prune(ctx) == 1
    # A stable subnet (moving price 1.0) outranks subnet 1 (moving price 0): subnet 1 stays the candidate.
    st.NetworksAdded.put(ctx, 2, True)
    assert prune(ctx) == 1
    st.NetworksAdded.put(ctx, 1, False)
    assert prune(ctx) == 2
    st.NetworkImmunityPeriod.put(ctx, 10)
    assert prune(ctx) is None


def test_subnet_account_id(ctx: Context) -> None:
    def account(netuid: int) -> bytes | None:
        return Option(AccountId32).decode(call(ctx, "SubnetInfoRuntimeApi_get_subnet_account_id",  # type: ignore[no-any-return]
                                               U16.encode(netuid)))

    assert account(1) == b"modl" + b"subtensr" + (1).to_bytes(2, "little") + bytes(18)
    assert account(0) == b"modlsubtensr" + bytes(20)
    assert account(7) is None


def test_coldkey_auto_stake_hotkey(ctx: Context) -> None:
    def hotkey(netuid: int) -> bytes | None:
        return Option(AccountId32).decode(call(ctx, "SubnetInfoRuntimeApi_get_coldkey_auto_stake_hotkey",  # type: ignore[no-any-return]
                                               AccountId32.encode(ALICE), U16.encode(netuid)))

    assert hotkey(1) is None
    st.AutoStakeDestination.put(ctx, ALICE, 1, BOB)
    assert hotkey(1) == BOB
    assert hotkey(0) is None


def test_block_emission_follows_total_issuance(ctx: Context) -> None:
    def emission() -> int:
        return U64.decode(call(ctx, "SubnetInfoRuntimeApi_get_block_emission"))  # type: ignore[no-any-return]

    root = ctx.ext.storage_root()
    assert emission() == RAO
    assert ctx.ext.storage_root() == root  # BlockEmission is not written
    for issuance, expected in [(10_500_000 * RAO - 1, RAO), (10_500_000 * RAO, RAO // 2),
                               (15_750_000 * RAO, RAO // 4), (21_000_000 * RAO, 0)]:
        st.TotalIssuance.put(ctx, issuance)
        assert emission() == expected, issuance


# -- StakeInfoRuntimeApi ------------------------------------------------------------------------------

Position = Option(Tuple(AccountId32, U16))


def stake_fee(ctx: Context, origin: tuple[bytes, int] | None, destination: tuple[bytes, int] | None,
              amount: int) -> int:
    return U64.decode(call(ctx, "StakeInfoRuntimeApi_get_stake_fee", Position.encode(origin),  # type: ignore[no-any-return]
                           AccountId32.encode(ALICE), Position.encode(destination), AccountId32.encode(BOB),
                           U64.encode(amount)))


def test_stake_fee(ctx: Context) -> None:
    fee = RAO * FEE_RATE // 65535
    assert stake_fee(ctx, None, (ALICE, 1), RAO) == fee  # add stake on subnet 1
    assert stake_fee(ctx, (ALICE, 1), None, RAO) == fee  # remove stake from subnet 1
    assert stake_fee(ctx, (ALICE, 0), (BOB, 1), RAO) == fee  # the destination's subnet decides
    assert stake_fee(ctx, (ALICE, 1), (BOB, 0), RAO) == 0  # root has no swap fee
    assert stake_fee(ctx, (ALICE, 1), (BOB, 1), RAO) == fee  # another hotkey on the same subnet
    assert stake_fee(ctx, (ALICE, 1), (ALICE, 1), RAO) == 0  # same position
    assert stake_fee(ctx, None, None, RAO) == 0
