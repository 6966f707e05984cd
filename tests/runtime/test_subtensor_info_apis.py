"""Neuron, subnet, registration and delegate runtime APIs over the dev genesis, checked against the
golden ``runtime_calls`` recorded from node-subtensor (spec 461 localnet)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from runtime.apis import call_api, resolve
from runtime.apis.neuron_info import NeuronInfo, NeuronInfoLite
from runtime.apis.subnet_info import DynamicInfo, HyperparamEntry, SubnetHyperparams, SubnetHyperparamsV2
from runtime.node_runtime import node_runtime
from runtime.pallets.subtensor import rpc_info
from runtime.pallets.subtensor import storage as st
from runtime.pallets.subtensor.types import ZERO_ACCOUNT
from runtime.primitives.keys import dev_account
from runtime.scale import U16, U64, Option, Vec
from runtime.support.context import Context
from tests.runtime.test_executive import genesis_ext

GOLDEN = Path(__file__).resolve().parents[3] / "shared" / "reference" / "localnet-spec461-golden.json"
ALICE = dev_account("Alice").public
RAO = 10**9


@pytest.fixture(scope="module")
def golden_calls() -> list[dict[str, Any]]:
    if not GOLDEN.exists():
        pytest.skip("golden recording not available")
    return json.loads(GOLDEN.read_text())["runtime_calls"]  # type: ignore[no-any-return]


@pytest.fixture
def ctx() -> Context:
    return node_runtime().context(genesis_ext())


def call(ctx: Context, method: str, *encoded: bytes) -> bytes:
    return call_api(ctx, method, b"".join(encoded))


def golden(calls: list[dict[str, Any]], api: str, method: str) -> dict[str, Any]:
    (entry,) = [c for c in calls if c["api"] == api and c["method"] == method]
    return entry


# -- golden runtime_calls -------------------------------------------------------------------------------


def test_golden_get_neurons_lite_matches_genesis(ctx: Context, golden_calls: list[dict[str, Any]]) -> None:
    entry = golden(golden_calls, "NeuronInfoRuntimeApi", "get_neurons_lite")
    theirs_raw = bytes.fromhex(entry["raw_hex"][2:])
    ours_raw = call(ctx, "NeuronInfoRuntimeApi_get_neurons_lite", bytes.fromhex(entry["encoded_params_hex"]))
    theirs, ours = Vec(NeuronInfoLite).decode(theirs_raw), Vec(NeuronInfoLite).decode(ours_raw)
    # Genesis subnet 1 holds one neuron (uid 0, the zero account, 1 alpha staked) and no epoch ran on it
    # in the recording, so every field is genesis-determined: equal values, equal bytes.
    assert ours == theirs
    assert ours_raw == theirs_raw
    assert ours[0]["hotkey"] == ours[0]["coldkey"] == ZERO_ACCOUNT
    assert ours[0]["stake"] == [(ZERO_ACCOUNT, RAO)] and ours[0]["pruning_score"] == 0xFFFF


def test_golden_get_subnet_hyperparams_matches_genesis(ctx: Context, golden_calls: list[dict[str, Any]]) -> None:
    entry = golden(golden_calls, "SubnetInfoRuntimeApi", "get_subnet_hyperparams")
    theirs_raw = bytes.fromhex(entry["raw_hex"][2:])
    ours_raw = call(ctx, "SubnetInfoRuntimeApi_get_subnet_hyperparams", bytes.fromhex(entry["encoded_params_hex"]))
    theirs, ours = Option(SubnetHyperparams).decode(theirs_raw), Option(SubnetHyperparams).decode(ours_raw)
    assert ours == theirs  # all genesis defaults (activity_cutoff = 13889 ‰ × tempo 100 = 1388)
    assert ours_raw == theirs_raw
    assert {k: ours[k] for k in entry["decoded"]} == entry["decoded"]  # the recorder's own decoding


# -- NeuronInfoRuntimeApi --------------------------------------------------------------------------------


def test_neurons_full_and_single(ctx: Context) -> None:
    full = Vec(NeuronInfo).decode(call(ctx, "NeuronInfoRuntimeApi_get_neurons", U16.encode(1)))
    lite = Vec(NeuronInfoLite).decode(call(ctx, "NeuronInfoRuntimeApi_get_neurons_lite", U16.encode(1)))
    assert len(full) == 1 and full[0]["weights"] == [] and full[0]["bonds"] == []
    assert {k: v for k, v in full[0].items() if k not in ("weights", "bonds", "stake")} == \
        {k: v for k, v in lite[0].items() if k != "stake"}
    single = Option(NeuronInfoLite).decode(call(ctx, "NeuronInfoRuntimeApi_get_neuron_lite", U16.encode(1),
                                                U16.encode(0)))
    assert single == lite[0]
    # Missing uid, missing subnet: None / empty.
    assert call(ctx, "NeuronInfoRuntimeApi_get_neuron", U16.encode(1), U16.encode(5)) == b"\x00"
    assert call(ctx, "NeuronInfoRuntimeApi_get_neuron_lite", U16.encode(9), U16.encode(0)) == b"\x00"
    assert call(ctx, "NeuronInfoRuntimeApi_get_neurons", U16.encode(9)) == b"\x00"
    assert call(ctx, "NeuronInfoRuntimeApi_get_neurons_lite", U16.encode(0)) == b"\x00"  # root: no uids


def test_neuron_reads_vectors_and_filters_zero_weights(ctx: Context) -> None:
    st.Emission.put(ctx, 1, [7])
    st.Incentive.put(ctx, 1, [123])
    st.Dividends.put(ctx, 1, [9])
    st.ValidatorPermit.put(ctx, 1, [True])
    st.LastUpdate.put(ctx, 1, [42])
    st.StakeWeight.put(ctx, 1, [500])
    st.Weights.put(ctx, 1, 0, [(0, 0), (3, 100)])
    st.Bonds.put(ctx, 1, 0, [(2, 5)])
    info = rpc_info.neuron(ctx, 1, 0)
    assert info is not None
    assert (info["emission"], info["incentive"], info["dividends"], info["last_update"]) == (7, 123, 9, 42)
    assert info["validator_permit"] and info["weights"] == [(3, 100)] and info["bonds"] == [(2, 5)]
    assert info["stake"] == [(ZERO_ACCOUNT, 500)]  # the full view reports the uid's stake weight
    assert rpc_info.neuron_lite(ctx, 1, 0)["stake"] == [(ZERO_ACCOUNT, RAO)]  # type: ignore[index]


# -- SubnetInfoRuntimeApi --------------------------------------------------------------------------------


def test_hyperparams_v2_and_v3_agree_with_v1(ctx: Context) -> None:
    v1 = Option(SubnetHyperparams).decode(call(ctx, "SubnetInfoRuntimeApi_get_subnet_hyperparams", U16.encode(1)))
    v2 = Option(SubnetHyperparamsV2).decode(call(ctx, "SubnetInfoRuntimeApi_get_subnet_hyperparams_v2",
                                                 U16.encode(1)))
    assert {k: v2[k] for k in v1} == v1
    assert v2["yuma_version"] == 2 and v2["user_liquidity_enabled"] is False
    assert v2["alpha_sigmoid_steepness"].bits == st.AlphaSigmoidSteepness.get(ctx, 1) << 32
    v3 = Option(Vec(HyperparamEntry)).decode(call(ctx, "SubnetInfoRuntimeApi_get_subnet_hyperparams_v3",
                                                  U16.encode(1)))
    entries = {e["name"].decode(): e["value"] for e in v3}
    assert entries["tempo"] == ("U16", v1["tempo"]) and entries["activity_cutoff"] == ("U64", 1388)
    assert entries["min_burn"] == ("TaoBalance", v1["min_burn"]) and entries["yuma_version"] == ("U16", 2)
    assert entries["activity_cutoff_factor"] == ("U32", 13889)
    assert [e["name"] for e in v3][:2] == [b"kappa", b"immunity_period"]
    for method in ("get_subnet_hyperparams", "get_subnet_hyperparams_v2", "get_subnet_hyperparams_v3",
                   "get_subnet_info", "get_subnet_info_v2", "get_dynamic_info", "get_subnet_state"):
        assert call(ctx, f"SubnetInfoRuntimeApi_{method}", U16.encode(9)) == b"\x00", method


def test_subnet_infos_and_dynamic_info(ctx: Context) -> None:
    _, method = resolve("SubnetInfoRuntimeApi_get_subnets_info_v2")
    infos = method.output.decode(call(ctx, "SubnetInfoRuntimeApi_get_subnets_info_v2"))
    assert [i["netuid"] for i in infos] == [0, 1]
    assert infos[1]["subnetwork_n"] == 1 and infos[1]["owner"] == ZERO_ACCOUNT and infos[1]["identity"] is None
    assert infos[0]["owner"] == ALICE  # root is owned by the sudo key on the dev chain
    dyn = Option(DynamicInfo).decode(call(ctx, "SubnetInfoRuntimeApi_get_dynamic_info", U16.encode(1)))
    assert (dyn["alpha_in"], dyn["tao_in"], dyn["alpha_out"]) == (10 * RAO, 10 * RAO, RAO)
    assert bytes(dyn["token_symbol"]) == st.TokenSymbol.get(ctx, 1)
    all_dyn = Vec(Option(DynamicInfo)).decode(call(ctx, "SubnetInfoRuntimeApi_get_all_dynamic_info"))
    assert [d["netuid"] for d in all_dyn] == [0, 1] and all_dyn[1] == dyn


def test_subnet_state_and_next_epoch(ctx: Context) -> None:
    _, method = resolve("SubnetInfoRuntimeApi_get_subnet_state")
    state = method.output.decode(call(ctx, "SubnetInfoRuntimeApi_get_subnet_state", U16.encode(1)))
    assert state["hotkeys"] == [ZERO_ACCOUNT] and state["alpha_stake"] == [RAO]
    assert state["pruning_score"] == [0xFFFF] and state["emission_history"] == []
    tempo = st.Tempo.get(ctx, 1)
    out = Option(U64).decode(call(ctx, "SubnetInfoRuntimeApi_get_next_epoch_start_block", U16.encode(1)))
    assert out == st.LastEpochBlock.get(ctx, 1) + tempo
    st.PendingEpochAt.put(ctx, 1, 5)
    assert rpc_info.next_epoch_start_block(ctx, 1) == min(5, st.LastEpochBlock.get(ctx, 1) + tempo)
    st.Tempo.put(ctx, 1, 0)
    assert call(ctx, "SubnetInfoRuntimeApi_get_next_epoch_start_block", U16.encode(1)) == b"\x00"


# -- SubnetRegistrationRuntimeApi -------------------------------------------------------------------------


def test_network_registration_cost(ctx: Context) -> None:
    from runtime.pallets.subtensor.subnets import network_lock_cost

    cost = U64.decode(call(ctx, "SubnetRegistrationRuntimeApi_get_network_registration_cost"))
    assert cost == network_lock_cost(ctx) > 0


# -- DelegateInfoRuntimeApi -------------------------------------------------------------------------------


def test_delegates(ctx: Context) -> None:
    from runtime.apis.delegate_info import DelegateInfo
    from runtime.scale import Compact, Tuple
    from runtime.pallets.subtensor.types import CompactNetUid
    from runtime.primitives.types import AlphaBalance

    assert call(ctx, "DelegateInfoRuntimeApi_get_delegates") == b"\x00"  # none at genesis
    assert call(ctx, "DelegateInfoRuntimeApi_get_delegate", ZERO_ACCOUNT) == b"\x00"
    st.Delegates.put(ctx, ZERO_ACCOUNT, 6553)  # ~10 % take
    st.Emission.put(ctx, 1, [1000])
    st.ValidatorPermit.put(ctx, 1, [True])
    (info,) = Vec(DelegateInfo).decode(call(ctx, "DelegateInfoRuntimeApi_get_delegates"))
    assert info["delegate_ss58"] == info["owner_ss58"] == ZERO_ACCOUNT and info["take"] == 6553
    assert info["nominators"] == [(ZERO_ACCOUNT, [(1, RAO)])]
    assert info["registrations"] == [1] and info["validator_permits"] == [1]
    assert info["total_daily_return"] == 1000 * 7200 // st.Tempo.get(ctx, 1)  # 7200/100 exact: 72 epochs
    assert info["return_per_1000"] == 0  # no root stake
    assert rpc_info.return_per_1000_bits(0, 10**12, 5 << 64) == 5 << 64  # 1000 TAO staked, no take
    single = Option(DelegateInfo).decode(call(ctx, "DelegateInfoRuntimeApi_get_delegate", ZERO_ACCOUNT))
    assert single == info
    rows = Vec(Tuple(DelegateInfo, Tuple(CompactNetUid, Compact(AlphaBalance)))).decode(
        call(ctx, "DelegateInfoRuntimeApi_get_delegated", ZERO_ACCOUNT))
    assert rows == [(info | {"nominators": []}, (1, RAO))]
    assert call(ctx, "DelegateInfoRuntimeApi_get_delegated", ALICE) == b"\x00"
