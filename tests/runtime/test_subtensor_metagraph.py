"""SubnetInfoRuntimeApi metagraph methods over the dev genesis (subnet 1: one neuron, reserves 10/10/1)."""

from __future__ import annotations

from typing import Any

import pytest

from runtime.apis import call_api
from runtime.apis.metagraph import Metagraph, SelectiveMetagraph
from runtime.node_runtime import node_runtime
from runtime.pallets.subtensor import metagraph_info
from runtime.pallets.subtensor import storage as st
from runtime.pallets.subtensor.types import ZERO_ACCOUNT
from runtime.primitives.keys import dev_account
from runtime.scale import U8, U16, Option, Vec
from runtime.support.context import Context
from tests.runtime.test_executive import genesis_ext

RAO = 10**9
ALICE = dev_account("Alice").public
BOB = dev_account("Bob").public


@pytest.fixture
def ctx() -> Context:
    return node_runtime().context(genesis_ext())


def metagraph(ctx: Context, netuid: int) -> dict[str, Any] | None:
    return Option(Metagraph).decode(call_api(ctx, "SubnetInfoRuntimeApi_get_metagraph", U16.encode(netuid)))


def selective(ctx: Context, netuid: int, indexes: list[int], mecid: int | None = None) -> dict[str, Any] | None:
    if mecid is None:
        raw = call_api(ctx, "SubnetInfoRuntimeApi_get_selective_metagraph",
                       U16.encode(netuid) + Vec(U16).encode(indexes))
    else:
        raw = call_api(ctx, "SubnetInfoRuntimeApi_get_selective_mechagraph",
                       U16.encode(netuid) + U8.encode(mecid) + Vec(U16).encode(indexes))
    return Option(SelectiveMetagraph).decode(raw)


def test_field_tables_agree() -> None:
    names = [f.name for f in SelectiveMetagraph.fields]
    assert names == [name for name, _ in metagraph_info.SELECTIVE_FIELDS] and len(names) == 77
    assert names[72:74] == ["validators", "commitments"] and names[-1] == "collateral_earned"
    assert [f.name for f in Metagraph.fields] == [n for n in names if n not in ("validators", "commitments")]


def test_genesis_metagraph_of_subnet_1(ctx: Context) -> None:
    m = metagraph(ctx, 1)
    assert m is not None
    assert m["netuid"] == 1 and m["symbol"] == list("α".encode()) and m["identity"] is None
    assert (m["tempo"], m["block"], m["last_step"], m["blocks_since_last_step"]) == (100, 0, 0, 0)
    assert (m["alpha_in"], m["tao_in"], m["alpha_out"]) == (10 * RAO, 10 * RAO, RAO)
    assert m["moving_price"].bits == 0 and m["subnet_emission"] == m["pending_root_emission"] == 0
    assert (m["num_uids"], m["max_uids"], m["max_weights_limit"]) == (1, 256, 0xFFFF)
    assert m["activity_cutoff"] == metagraph_info.rpc_info.activity_cutoff_blocks(ctx, 1)
    assert (m["alpha_high"], m["alpha_low"]) == tuple(reversed(st.AlphaValues.get(ctx, 1)))
    assert m["hotkeys"] == m["coldkeys"] == [ZERO_ACCOUNT] and m["identities"] == [None]
    assert m["axons"][0]["ip"] == 0 and m["active"] == [True] and m["validator_permit"] == [False]
    assert m["pruning_score"] == m["trust"] == m["rank"] == []
    assert m["alpha_stake"] == m["total_stake"] == [RAO] and m["tao_stake"] == [0]
    assert m["tao_dividends_per_hotkey"] == m["alpha_dividends_per_hotkey"] == [(ZERO_ACCOUNT, 0)]
    assert m["collateral_locked"] == m["collateral_min"] == m["collateral_earned"] == [0]


def test_missing_subnet_is_none(ctx: Context) -> None:
    assert metagraph(ctx, 7) is None
    assert selective(ctx, 7, [0, 1]) is None and selective(ctx, 7, [0], mecid=0) is None
    raw = call_api(ctx, "SubnetInfoRuntimeApi_get_mechagraph", U16.encode(1) + U8.encode(1))
    assert Option(Metagraph).decode(raw) is None  # one mechanism only


def test_all_metagraphs_and_mechagraphs(ctx: Context) -> None:
    everything = Vec(Option(Metagraph)).decode(call_api(ctx, "SubnetInfoRuntimeApi_get_all_metagraphs", b""))
    netuids = [n for n in metagraph_info.queries.all_subnet_netuids(ctx) if st.NetworksAdded.get(ctx, n)]
    assert [m["netuid"] for m in everything] == netuids and 1 in netuids
    assert everything[netuids.index(1)] == metagraph(ctx, 1)
    mecha = Vec(Option(Metagraph)).decode(call_api(ctx, "SubnetInfoRuntimeApi_get_all_mechagraphs", b""))
    assert mecha == everything  # one mechanism per subnet: storage index = netuid


def test_selective_filters_indexes(ctx: Context) -> None:
    s = selective(ctx, 1, [1, 2, 8, 52, 67, 500])
    assert s is not None
    assert {k for k, v in s.items() if v is not None} == {"netuid", "name", "symbol", "tempo", "hotkeys", "alpha_stake"}
    assert s["netuid"] == 0  # index 0 not requested: the default (root) netuid
    assert (s["tempo"], s["hotkeys"], s["alpha_stake"]) == (100, [ZERO_ACCOUNT], [RAO])
    full = metagraph(ctx, 1)
    every = selective(ctx, 1, list(range(77)))
    assert every is not None and full is not None
    assert {k: v for k, v in every.items() if k in full} == full
    assert every["validators"] == [] and every["commitments"] == []
    mech = selective(ctx, 1, [59, 62], mecid=0)
    assert mech is not None and mech["netuid"] == 1 and (mech["last_update"], mech["incentives"]) == ([0], [0])


def test_stake_weights_follow_children_and_tao_weight(ctx: Context) -> None:
    hotkey = ZERO_ACCOUNT
    st.TotalHotkeyAlpha.put(ctx, hotkey, 0, 4 * RAO)  # root stake counts as TAO stake
    st.ChildKeys.put(ctx, hotkey, 1, [(((1 << 64) - 1) // 2, BOB)])  # half of it to a child
    total, alpha, tao = metagraph_info.MetagraphView(ctx, 1).stakes
    assert alpha[0] == RAO // 2 and tao[0] == 2 * RAO
    weight = metagraph_info.tao_weight_i64f64(ctx)
    assert total[0] == ((alpha[0] << 64) + ((tao[0] << 64) * weight >> 64)) >> 64
    st.ValidatorPermit.put(ctx, 1, [True])
    assert metagraph_info.validators(metagraph_info.MetagraphView(ctx, 1)) == [0]
    st.StakeThreshold.put(ctx, 10**18)
    assert metagraph_info.validators(metagraph_info.MetagraphView(ctx, 1)) == []
