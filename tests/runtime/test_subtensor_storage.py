"""pallet_subtensor declarations: storage/events/errors/constants against the recorded metadata, and genesis."""

from __future__ import annotations

import time
from typing import Any

import pytest

from runtime.construct import Runtime
from runtime.genesis import build_genesis
from runtime.metadata import build_v14, build_v15
from runtime.pallets import balances, subtensor
from runtime.pallets.subtensor import storage as st
from runtime.pallets.subtensor.genesis import root_owner
from runtime.pallets.subtensor.types import ZERO_ACCOUNT, safe_float
from runtime.scale import Fixed
from runtime.presets import preset_config
from runtime.primitives.keys import Keypair, dev_account
from runtime.primitives.ss58 import ss58_encode
from tests.metadata_tools import DecodedMetadata, find_by_path, masked_golden, pallet_diff
from tests.runtime.ext import TestExternalities
from tests.runtime.pallet_checks import mock_runtime

ALICE = dev_account("Alice").public
ALICE_HK = bytes.fromhex("506c5a28f51e841b4df26ace64a23d69057fefda24bc9a53cb74197f901e7128")


def _full_runtime() -> Runtime:
    """node_runtime()'s pallets with SubtensorModule at index 7 (whether or not it is wired in yet)."""
    from runtime.node_runtime import _pallets, node_runtime

    pallets = dict(_pallets())
    pallets[7] = subtensor.PALLET
    return Runtime(sorted(pallets.items()), node_runtime().version, node_runtime().extensions)


def _masked(golden: DecodedMetadata, ours: DecodedMetadata) -> dict[int, dict[str, Any]]:
    """masked_golden, with the outer enums cut to the variants our outer enums really have (a pallet
    without calls is not a RuntimeCall variant)."""
    types = masked_golden(golden, ours)
    for path in ("RuntimeCall", "RuntimeEvent", "RuntimeError"):
        our_ids = find_by_path(ours.types, f"node_subtensor_runtime::{path}")
        if not our_ids:
            continue  # V14 has no RuntimeError type
        keep = {v["name"] for v in ours.types[our_ids[0]]["def"]["variant"]["variants"]}
        for golden_id in find_by_path(golden.types, f"node_subtensor_runtime::{path}"):
            t = dict(types[golden_id])
            t["def"] = {"variant": {"variants": [v for v in t["def"]["variant"]["variants"] if v["name"] in keep]}}
            types[golden_id] = t
    return types


# -- metadata --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("version", [14, 15])
def test_subtensor_module_matches_the_golden_metadata(golden: Any, version: int) -> None:
    runtime = _full_runtime()
    ours = DecodedMetadata((build_v14 if version == 14 else build_v15)(runtime))
    theirs = DecodedMetadata(bytes.fromhex(golden["metadata"][f"v{version}_hex"][2:]))
    masked = _masked(theirs, ours)
    diffs, missing = pallet_diff(ours, theirs, "SubtensorModule", masked)
    assert diffs == []
    # Only calls remain to be implemented: every storage item, event, error and constant is declared.
    assert missing and all(m.endswith("(call)") for m in missing), [m for m in missing if "(call)" not in m]
    assert len(ours.pallets["SubtensorModule"]["storage"]["entries"]) == len(
        theirs.pallets["SubtensorModule"]["storage"]["entries"]) == 266
    # Adding the pallet leaves every other declared pallet matching too.
    for name in ours.pallets:
        assert pallet_diff(ours, theirs, name, masked)[0] == [] or name == "System", name


def test_metadata_with_subtensor_builds_quickly() -> None:
    start = time.perf_counter()
    runtime = _full_runtime()
    build_v14(runtime)
    build_v15(runtime)
    assert time.perf_counter() - start < 2.0


def test_storage_keys_match_the_recording(golden: Any) -> None:
    recorded = {(q["storage_function"], tuple(q["params"])): q["key_hex"] for q in golden["storage_values"]
                if q["pallet"] == "SubtensorModule"}
    assert recorded
    for (name, params), key in recorded.items():
        assert "0x" + st.ITEMS[name].key(*params).hex() == key
    (keys_map,) = [q for q in golden["query_maps"] if q["storage_function"] == "Keys"]
    assert "0x" + st.Keys.key(1).hex() == keys_map["prefix_hex"]


def test_sdk_reads_resolve() -> None:
    """The items bittensor 11.3.0 needs to connect are declared (TokenSymbol above all)."""
    for name in ("TokenSymbol", "SubnetworkN", "NetworksAdded", "Tempo", "SubnetTAO", "TotalNetworks", "Keys",
                 "Uids", "SubnetOwner", "SubnetOwnerHotkey", "Burn", "Delegates", "StakingHotkeys"):
        assert name in st.ITEMS
    assert st.TokenSymbol.default == "𝜏".encode()


# -- types -----------------------------------------------------------------------------------------------


def test_safe_float_normalizes_like_the_reference() -> None:
    assert safe_float(0) == {"mantissa": 0, "exponent": 0}
    assert safe_float(1_000_000_000) == {"mantissa": 10**21, "exponent": -12}
    assert safe_float(1) == {"mantissa": 10**21, "exponent": -21}
    assert safe_float(123) == {"mantissa": 123 * 10**18, "exponent": -18}
    assert st.AlphaV2.value.encode(safe_float(7)).hex() == (7 * 10**20).to_bytes(16, "little").hex() + \
        (-20).to_bytes(8, "little", signed=True).hex()


def test_fixed_point_defaults() -> None:
    assert isinstance(st.SubnetMovingAlpha.default, Fixed)
    assert st.RootClaimableThreshold.default.to_fraction() == 500_000
    assert st.AlphaValues.default == (45875, 58982)


def test_root_owner_is_alice_and_alice_hk_in_fast_mode() -> None:
    assert root_owner() == (ALICE, ALICE_HK)
    assert Keypair.from_uri("//Alice_hk").public == ALICE_HK
    assert ss58_encode(ALICE_HK) == "5Dt9sidKJJxfvznECukm6ptHMWP7AykqkooeZijhDfBQFDqe"


# -- genesis ---------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def genesis_ext() -> TestExternalities:
    runtime = mock_runtime((5, balances.PALLET), (7, subtensor.PALLET))
    ext = TestExternalities()
    build_genesis(ext, runtime, {"balances": {"balances": [[ss58_encode(ALICE), 10**15]]}})
    return ext


def test_genesis_root_network(genesis_ext: TestExternalities) -> None:
    ext = genesis_ext
    assert st.TotalNetworks.get(ext) == 2
    assert st.NetworksAdded.get(ext, 0) is True
    assert st.SubnetOwner.get(ext, 0) == ALICE
    assert st.SubnetOwnerHotkey.get(ext, 0) == ALICE_HK
    assert st.SubnetworkN.try_get(ext, 0) == 0  # written explicitly
    assert (st.MaxAllowedUids.get(ext, 0), st.MaxAllowedValidators.get(ext, 0)) == (64, 64)
    assert st.MinAllowedWeights.try_get(ext, 0) == 0
    assert st.Tempo.get(ext, 0) == 100
    assert st.NetworkRegistrationAllowed.try_get(ext, 0) is True
    assert st.TargetRegistrationsPerInterval.get(ext, 0) == 1
    assert st.TokenSymbol.get(ext, 0) == "Τ".encode() == b"\xce\xa4"
    assert st.SubnetMechanism.try_get(ext, 0) is None  # root stays stable (mechanism 0)


def test_genesis_subnet_one(genesis_ext: TestExternalities) -> None:
    ext, zero = genesis_ext, ZERO_ACCOUNT
    assert st.NetworksAdded.get(ext, 1) is True
    assert st.SubnetMechanism.get(ext, 1) == 1
    assert (st.SubnetTAO.get(ext, 1), st.SubnetAlphaIn.get(ext, 1)) == (10_000_000_000, 10_000_000_000)
    assert st.SubnetAlphaOut.get(ext, 1) == 1_000_000_000
    assert st.SubnetOwner.try_get(ext, 1) == zero
    assert st.SubnetOwnerHotkey.try_get(ext, 1) is None  # the reference sets it for root only
    assert st.Owner.try_get(ext, zero) == zero
    assert (st.MaxAllowedUids.get(ext, 1), st.MaxAllowedValidators.get(ext, 1)) == (256, 64)
    assert st.MinAllowedWeights.try_get(ext, 1) == 0
    assert st.Tempo.get(ext, 1) == 100
    assert st.NetworkRegistrationAllowed.try_get(ext, 1) is True
    assert (st.SubnetLocked.get(ext, 1), st.LargestLocked.get(ext, 1)) == (1, 1)
    assert st.TokenSymbol.get(ext, 1) == "α".encode()
    assert st.SubtokenEnabled.try_get(ext, 1) is None
    # Stake of the zero hotkey on itself.
    assert st.AlphaV2.get(ext, zero, zero, 1) == safe_float(10**9)
    assert st.TotalHotkeySharesV2.get(ext, zero, 1) == safe_float(10**9)
    assert st.TotalHotkeyAlpha.get(ext, zero, 1) == 10**9
    assert st.StakingHotkeys.get(ext, zero) == [zero]
    # Neuron uid 0.
    assert st.SubnetworkN.get(ext, 1) == 1
    assert st.Keys.try_get(ext, 1, 0) == zero and st.Uids.get(ext, 1, zero) == 0
    assert st.IsNetworkMember.get(ext, zero, 1) is True
    assert st.BlockAtRegistration.try_get(ext, 1, 0) == 0
    assert st.Active.get(ext, 1) == [True] and st.ValidatorPermit.get(ext, 1) == [False]
    for vector in (st.Emission, st.Consensus, st.Dividends, st.ValidatorTrust):
        assert vector.get(ext, 1) == [0], vector.name
    assert st.Incentive.get(ext, 1) == [0] and st.LastUpdate.get(ext, 1) == [0]


def test_genesis_issuance_and_start_call_delay(genesis_ext: TestExternalities) -> None:
    assert st.TotalIssuance.try_get(genesis_ext) == 0  # no subtensorModule section: put(0)
    assert st.StartCallDelay.try_get(genesis_ext) is None
    ext = TestExternalities()
    runtime = mock_runtime((5, balances.PALLET), (7, subtensor.PALLET))
    build_genesis(ext, runtime, {"subtensorModule": {"balancesIssuance": 5, "startCallDelay": 7}})
    assert (st.TotalIssuance.get(ext), st.StartCallDelay.get(ext)) == (5, 7)


def test_dev_genesis_includes_subtensor_entries() -> None:
    from storage.overlay import MemoryState, Overlay

    overlay = Overlay(MemoryState())
    build_genesis(overlay, _full_runtime(), preset_config("dev"))  # type: ignore[arg-type]
    state = {k: v for k, v in overlay.changes().items() if v is not None}
    assert state[st.TokenSymbol.key(0)] == b"\x08\xce\xa4"
    assert state[st.Keys.key(1, 0)] == bytes(32)
    assert state[st.Tempo.key(1)] == b"\x64\x00"
    assert state[st.TotalNetworks.key()] == b"\x02\x00"


def test_dev_chain_spec_includes_subtensor_entries() -> None:
    from runtime.node_runtime import node_runtime
    from subtensor.chain_spec import load_chain_spec

    if "SubtensorModule" not in node_runtime().by_name:
        pytest.skip("SubtensorModule is not in node_runtime() yet")
    _, raw = load_chain_spec("dev")
    top = raw.top
    assert top[st.TokenSymbol.key(1)] == b"\x08\xce\xb1"
    assert top[st.NetworksAdded.key(0)] == b"\x01"
