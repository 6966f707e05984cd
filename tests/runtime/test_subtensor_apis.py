"""SubtensorModule's custom runtime APIs over the dev genesis: Swap prices, stake info, beta baskets."""

from __future__ import annotations

import pytest

from runtime.apis import call_api
from runtime.node_runtime import node_runtime
from runtime.pallets.subtensor import queries
from runtime.pallets.subtensor import storage as st
from runtime.pallets.subtensor.types import ZERO_ACCOUNT, safe_float
from runtime.primitives.hashing import Hasher
from runtime.primitives.keys import dev_account
from runtime.primitives.storage_keys import storage_key
from runtime.primitives.types import AccountId32
from runtime.scale import U16, U64, U64F64, Vec
from runtime.scale.fixed import Fixed
from runtime.support.context import Context

from runtime.apis.beta_basket import get_root_basket_positions
from runtime.apis.stake_info import StakeInfo
from runtime.apis.swap import SubnetPrice
from tests.runtime.test_executive import genesis_ext

ALICE = dev_account("Alice").public
RAO = 10**9


@pytest.fixture
def ctx() -> Context:
    return node_runtime().context(genesis_ext())


def call(ctx: Context, method: str, *encoded: bytes) -> bytes:
    return call_api(ctx, method, b"".join(encoded))


# -- SwapRuntimeApi -----------------------------------------------------------------------------------


def test_genesis_prices(ctx: Context) -> None:
    # Subnet 1's pool holds 10 TAO against 10 alpha: 1.0; root is always 1.0.
    assert U64.decode(call(ctx, "SwapRuntimeApi_current_alpha_price", U16.encode(1))) == RAO
    assert U64.decode(call(ctx, "SwapRuntimeApi_current_alpha_price", U16.encode(0))) == RAO
    prices = Vec(SubnetPrice).decode(call(ctx, "SwapRuntimeApi_current_alpha_price_all"))
    assert prices == [{"netuid": 0, "price": RAO}, {"netuid": 1, "price": RAO}]


def test_dynamic_price_is_tao_over_alpha_truncated(ctx: Context) -> None:
    st.SubnetTAO.put(ctx, 1, 3 * RAO)
    st.SubnetAlphaIn.put(ctx, 1, 7 * RAO)
    # U64F64 3/7 = floor(3·2^64/7) bits, × 1e9 then truncated: 0.428571428… → 428_571_428.
    assert queries.current_alpha_price(ctx, 1) == (3 << 64) // 7
    assert U64.decode(call(ctx, "SwapRuntimeApi_current_alpha_price", U16.encode(1))) == 428_571_428
    st.SubnetTAO.put(ctx, 1, 5 * RAO)
    st.SubnetAlphaIn.put(ctx, 1, 2 * RAO)
    assert queries.current_alpha_price_rao(ctx, 1) == 2_500_000_000


def test_price_edge_cases(ctx: Context) -> None:
    st.SubnetAlphaIn.put(ctx, 1, 0)  # dynamic without alpha reserve
    assert queries.current_alpha_price_rao(ctx, 1) == 0
    st.SubnetMechanism.put(ctx, 1, 0)  # non-dynamic: 1.0 whatever the reserves
    assert queries.current_alpha_price_rao(ctx, 1) == RAO
    st.SubnetMechanism.put(ctx, 1, 1)
    st.SubnetAlphaIn.put(ctx, 1, 1)
    st.SubnetTAO.put(ctx, 1, 2**64 - 1)  # saturates at u64::MAX once scaled by 1e9
    assert queries.current_alpha_price_rao(ctx, 1) == 2**64 - 1
    # An unknown subnet has mechanism 0: price 1.0 (it is not listed by current_alpha_price_all).
    assert queries.current_alpha_price_rao(ctx, 7) == RAO
    assert [p["netuid"] for p in Vec(SubnetPrice).decode(call(ctx, "SwapRuntimeApi_current_alpha_price_all"))] == [0, 1]


def test_balancer_weights_scale_the_price(ctx: Context) -> None:
    # Swap.SwapBalancer with quote weight 0.25: price = (0.75/0.25)·(y/x) = 3.0 for equal reserves.
    key = storage_key("Swap", "SwapBalancer", [(Hasher.Twox64Concat, U16.encode(1))])
    ctx.set(key, U64.encode(250_000_000_000_000_000))
    assert queries.current_alpha_price_rao(ctx, 1) == 3 * RAO
    assert queries.balancer_price(queries.DEFAULT_QUOTE_WEIGHT, 4, 1) == 1 << 62


def test_fixed_point_helpers() -> None:
    assert queries.fixed_safe_div(1 << 64, 0) == 0
    assert queries.fixed_safe_div(queries.U128_MAX, 1) == 0  # checked_div overflow → 0
    assert queries.fixed_saturating_mul(queries.U128_MAX, 2 << 64) == queries.U128_MAX
    assert queries.fixed_to_u64((5 << 64) + (1 << 63)) == 5


# -- StakeInfoRuntimeApi ------------------------------------------------------------------------------


def test_stake_info_of_genesis_owner(ctx: Context) -> None:
    rows = Vec(StakeInfo).decode(call(ctx, "StakeInfoRuntimeApi_get_stake_info_for_coldkey", ZERO_ACCOUNT))
    assert rows == [{"hotkey": ZERO_ACCOUNT, "coldkey": ZERO_ACCOUNT, "netuid": 1, "stake": RAO, "locked": 0,
                     "emission": 0, "tao_emission": 0, "drain": 0, "is_registered": True}]
    assert Vec(StakeInfo).decode(call(ctx, "StakeInfoRuntimeApi_get_stake_info_for_coldkey", ALICE)) == []
    batch = call(ctx, "StakeInfoRuntimeApi_get_stake_info_for_coldkeys", Vec(AccountId32).encode([ALICE, ZERO_ACCOUNT]))
    assert batch[:1] == b"\x08"  # two coldkeys, in request order
    assert queries.stake_info_for_coldkeys(ctx, [ALICE, ZERO_ACCOUNT])[0] == (ALICE, [])
    assert queries.stake_info_for_coldkeys(ctx, [ALICE, ZERO_ACCOUNT])[1][1] == rows
    assert call(ctx, "StakeInfoRuntimeApi_get_stake_info_for_coldkeys", Vec(AccountId32).encode([])) == b"\x00"


def test_stake_info_for_one_position(ctx: Context) -> None:
    out = call(ctx, "StakeInfoRuntimeApi_get_stake_info_for_hotkey_coldkey_netuid", ALICE, ALICE, U16.encode(1))
    assert out[:1] == b"\x01"  # always Some, zero stake included
    assert StakeInfo.decode(out[1:]) == {
        "hotkey": ALICE, "coldkey": ALICE, "netuid": 1, "stake": 0, "locked": 0, "emission": 0,
        "tao_emission": 0, "drain": 0, "is_registered": False}


def test_share_pool_value(ctx: Context) -> None:
    hot, cold = ZERO_ACCOUNT, ALICE
    # V2 shares: Alice holds 1/4 of the pool's shares of 1000 alpha.
    st.AlphaV2.put(ctx, hot, cold, 1, safe_float(RAO))
    st.TotalHotkeySharesV2.put(ctx, hot, 1, safe_float(4 * RAO))
    st.TotalHotkeyAlpha.put(ctx, hot, 1, 1000)
    assert queries.stake_for_hotkey_and_coldkey_on_subnet(ctx, hot, cold, 1) == 250
    # Truncation: 333_333_333 of 1_333_333_333 shares of 1000 alpha is 249.99… → 249.
    st.AlphaV2.put(ctx, hot, cold, 1, safe_float(RAO // 3))
    st.TotalHotkeySharesV2.put(ctx, hot, 1, safe_float(4 * RAO // 3))
    assert queries.stake_for_hotkey_and_coldkey_on_subnet(ctx, hot, cold, 1) == 249
    # The legacy U64F64 maps win over V2 when present: 1.5 of 3 shares of 901 alpha → 450 (truncated).
    st.Alpha.put(ctx, hot, cold, 1, Fixed(3 << 63, 64))
    st.TotalHotkeyShares.put(ctx, hot, 1, U64F64.from_int(3))
    st.TotalHotkeyAlpha.put(ctx, hot, 1, 901)
    assert queries.stake_for_hotkey_and_coldkey_on_subnet(ctx, hot, cold, 1) == 450
    st.StakingHotkeys.put(ctx, cold, [hot])
    st.AlphaDividendsPerSubnet.put(ctx, 1, hot, 77)
    [row] = queries.stake_info_for_coldkeys(ctx, [cold])[0][1]
    assert (row["stake"], row["emission"], row["is_registered"]) == (450, 77, True)


def test_safe_float_arithmetic() -> None:
    assert queries.safe_float_new(10**22) is None
    assert queries.safe_float_new(1) == (10**21, -21)
    assert queries.safe_float_to_u64(queries.safe_float_new(123) or queries.ZERO) == 123
    third = queries.safe_float_div((10**21, -21), (3 * 10**20, -20)) or queries.ZERO
    assert third == (333_333_333_333_333_333_333, -21)
    assert queries.safe_float_to_u64(queries.safe_float_from_fixed((7 << 64) + (1 << 63))) == 7
    assert queries.safe_float_mul_div((10**21, -21), (10**21, -21), queries.ZERO) is None


# -- BetaBasketRuntimeApi -----------------------------------------------------------------------------


def test_root_basket_without_funds(ctx: Context) -> None:
    assert U64.decode(call(ctx, "BetaBasketRuntimeApi_get_root_basket_owed", ALICE)) == 0
    assert call(ctx, "BetaBasketRuntimeApi_get_root_basket_positions", ALICE) == b"\x00"
    # The genesis owner stakes to the zero hotkey, which has no fund shares: nothing owed.
    assert U64.decode(call(ctx, "BetaBasketRuntimeApi_get_root_basket_owed", ZERO_ACCOUNT)) == 0
    assert get_root_basket_positions(ctx, ZERO_ACCOUNT) == []


def test_root_basket_with_a_fund_is_refused(ctx: Context) -> None:
    st.BasketShares.put(ctx, ZERO_ACCOUNT, 5)
    with pytest.raises(queries.BasketValuationUnsupported):
        queries.root_basket_owed(ctx, ZERO_ACCOUNT)
    assert queries.mul_div_u64(3, 4, 0) == 0 and queries.mul_div_u64(2**63, 4, 1) == 2**64 - 1
