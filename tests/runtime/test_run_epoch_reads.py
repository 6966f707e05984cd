"""``run_epoch``'s optimised storage reads and writes against the straightforward ones.

``epoch_inputs`` reads ``Keys`` in one pass and ``Weights``/``Bonds`` as raw values into ``U16Rows``;
here a reference reader written the plain way (per-uid typed ``get`` calls, rows decoded into tuples
with columns ``≥ n`` dropped) must give an equal ``EpochInputs`` on random subnets with the awkward
cases in them: uids without a hotkey, ``Keys`` entries and rows at uids ``≥ n``, columns ``≥ n``,
unsorted and repeated columns, and commit-reveal on.
"""

from __future__ import annotations

import random

import pytest

from runtime.pallets.subtensor import registration, run_epoch
from runtime.pallets.subtensor import storage as st
from runtime.pallets.subtensor.metagraph_info import inherited_alpha, inherited_tao
from runtime.pallets.subtensor.rpc_info import activity_cutoff_blocks
from runtime.pallets.subtensor.types import storage_index
from runtime.yuma import EpochInputs, U16Rows, epoch
from tests.runtime.test_subtensor_subnets import ALICE, HK_A, Env

TAO = 10**9


def reference_inputs(ext: object, netuid: int, mecid: int, rao_emission: int, block: int) -> EpochInputs:
    """The plain reader: every per-uid item by its own typed ``get``, rows decoded into tuples."""
    index = storage_index(netuid, mecid)
    n = st.SubnetworkN.get(ext, netuid)
    hotkeys = [st.Keys.try_get(ext, netuid, uid) for uid in range(n)]

    def rows(item: object) -> tuple:
        out: list[tuple] = [() for _ in range(n)]
        for (_, uid), row in item.iter(ext, index):  # type: ignore[attr-defined]
            if uid < n:
                out[uid] = tuple((int(j), int(v)) for j, v in row if j < n)
        return tuple(out)

    uid_of = {hotkey: int(uid) for (_, uid), hotkey in st.Keys.iter(ext, netuid)}
    owner_hotkey = st.SubnetOwnerHotkey.try_get(ext, netuid)
    owner_uid = None if owner_hotkey is None else st.Uids.try_get(ext, netuid, owner_hotkey)
    alpha_low, alpha_high = st.AlphaValues.get(ext, netuid)
    commit_reveal = bool(st.CommitRevealWeightsEnabled.get(ext, netuid))
    return EpochInputs(
        n=n, block=block, tempo=st.Tempo.get(ext, netuid), activity_cutoff=activity_cutoff_blocks(ext, netuid),
        last_update=tuple(st.LastUpdate.get(ext, index)),
        block_at_registration=tuple(st.BlockAtRegistration.get(ext, netuid, uid) if hk is not None else 0
                                    for uid, hk in enumerate(hotkeys)),
        alpha_stake=tuple(inherited_alpha(ext, hk, netuid) if hk is not None else 0 for hk in hotkeys),
        tao_stake=tuple(inherited_tao(ext, hk, netuid) if hk is not None else 0 for hk in hotkeys),
        tao_weight=st.TaoWeight.get(ext), stake_threshold=st.StakeThreshold.get(ext),
        validator_permit=tuple(st.ValidatorPermit.get(ext, netuid)),
        max_allowed_validators=st.MaxAllowedValidators.get(ext, netuid), kappa=st.Kappa.get(ext, netuid),
        bonds_penalty=st.BondsPenalty.get(ext, netuid), bonds_moving_average=st.BondsMovingAverage.get(ext, netuid),
        yuma3_enabled=bool(st.Yuma3On.get(ext, netuid)), liquid_alpha_enabled=bool(st.LiquidAlphaOn.get(ext, netuid)),
        alpha_low=alpha_low, alpha_high=alpha_high, alpha_sigmoid_steepness=st.AlphaSigmoidSteepness.get(ext, netuid),
        last_mechanism_step_block=st.LastMechansimStepBlock.get(ext, netuid),
        owner_uid=None if owner_uid is None else int(owner_uid),
        weights=rows(st.Weights), bonds=rows(st.Bonds), rao_emission=rao_emission,
        commit_reveal_enabled=commit_reveal,
        commit_blocks=(run_epoch._commit_blocks(ext, netuid, index, n, uid_of, block) if commit_reveal else ()),
    )


def random_subnet(seed: int) -> tuple[Env, int]:
    rng = random.Random(seed)
    env = Env(block=10)
    netuid = env.register_network(ALICE, HK_A)
    ext = env.ext
    index = storage_index(netuid)
    n = rng.randint(20, 60)
    hotkeys = [bytes([0x30 + seed % 64, uid]) * 16 for uid in range(1, n)]
    for hotkey in hotkeys:
        registration.append_neuron(ext, netuid, hotkey, rng.randint(1, 10))
        if rng.random() < 0.5:
            st.TotalHotkeyAlpha.put(ext, hotkey, netuid, rng.randint(1, 10**6) * TAO)
        if rng.random() < 0.2:
            st.TotalHotkeyAlpha.put(ext, hotkey, 0, rng.randint(1, 10**6) * TAO)
    assert st.SubnetworkN.get(ext, netuid) == n
    parent, child = hotkeys[0], hotkeys[1]  # some stake flows through a child key
    st.ChildKeys.put(ext, parent, netuid, [(2**63, child)])
    st.ParentKeys.put(ext, child, netuid, [(2**63, parent)])
    for uid in rng.sample(range(1, n), 3):  # uids without a hotkey
        st.Keys.kill(ext, netuid, uid)
    st.Keys.put(ext, netuid, n + 2, b"\xee" * 32)  # a key beyond n (ignored for inputs, kept for terms)
    st.Keys.put(ext, netuid, 300, hotkeys[2])  # a duplicate hotkey whose later storage entry wins
    for item in (st.Weights, st.Bonds):
        for uid in [*rng.sample(range(n), rng.randint(1, n)), n, n + 5, 257]:
            row = [(rng.randrange(n), rng.randint(0, 65535)) for _ in range(rng.randint(0, n))]
            if rng.random() < 0.7:
                row = sorted(dict(row).items())  # the canonical shape set_weights stores
            if rng.random() < 0.3:
                row.append((n + rng.randint(0, 3), 7))  # a column at or beyond n
            item.put(ext, index, uid, row)
    st.LastUpdate.put(ext, index, [rng.randint(0, 20) for _ in range(n - rng.randint(0, 3))])
    st.ValidatorPermit.put(ext, netuid, [rng.random() < 0.5 for _ in range(n)])
    st.CommitRevealWeightsEnabled.put(ext, netuid, seed % 2 == 0)
    st.TimelockedWeightCommits.put(ext, index, 0, [(hotkeys[3], 9, b"", 0), (hotkeys[4], 8, b"", 0)])
    st.WeightCommits.put(ext, index, hotkeys[5], [(b"\x01" * 32, 0, 7, 9)])
    st.Yuma3On.put(ext, netuid, seed % 3 == 0)
    st.LiquidAlphaOn.put(ext, netuid, seed % 4 == 0)
    return env, netuid


@pytest.mark.parametrize("seed", range(8))
def test_optimised_epoch_inputs_equal_the_plain_reader(seed: int) -> None:
    env, netuid = random_subnet(seed)
    expected = reference_inputs(env.ext, netuid, 0, 10**9, 15)
    got = run_epoch.epoch_inputs(env.ext, netuid, 0, 10**9, 15)
    assert isinstance(got.weights, U16Rows) and isinstance(got.bonds, U16Rows)
    assert got.weights.to_tuples() == expected.weights and got.bonds.to_tuples() == expected.bonds
    assert any(expected.weights) and any(expected.bonds)
    assert got == expected
    assert epoch(got) == epoch(expected)
    assert run_epoch._epoch_inputs(env.ext, netuid, 0, 10**9, 15)[1] == run_epoch.keyed_uids(env.ext, netuid)


def test_rows_beyond_n_columns_are_dropped_row_by_row() -> None:
    env, netuid = random_subnet(1)
    ext, index = env.ext, storage_index(netuid)
    n = st.SubnetworkN.get(ext, netuid)
    st.Weights.put(ext, index, 0, [(n, 1), (0, 2), (n + 1, 3), (1, 4)])
    st.Weights.put(ext, index, 1, [(n, 9)])
    st.Weights.kill(ext, index, 2)
    st.Weights.put(ext, index, 3, [(2, 5), (n + 9, 6)])
    weights = run_epoch.epoch_inputs(ext, netuid, 0, 0, 15).weights
    assert weights[0] == ((0, 2), (1, 4)) and weights[1] == () and weights[2] == () and weights[3] == ((2, 5),)


@pytest.mark.parametrize("netuid_kind", ["subnet", "root"])
def test_inherited_stakes_equal_metagraph_info(netuid_kind: str) -> None:
    env, netuid = random_subnet(3)
    ext = env.ext
    rng = random.Random(9)
    target = netuid if netuid_kind == "subnet" else 0
    hotkeys = [bytes([0x50, i]) * 16 for i in range(12)]
    for hotkey in hotkeys:
        for stake_netuid in (target, 0):
            if rng.random() < 0.7:
                st.TotalHotkeyAlpha.put(ext, hotkey, stake_netuid, rng.randint(0, 2**64 - 1))
    for i in range(0, 8, 2):  # chains and fan-in: parents give to children on ``target``
        parent, child = hotkeys[i], hotkeys[i + 1]
        proportion = rng.choice((0, 1, 2**63, 2**64 - 1, rng.randint(0, 2**64 - 1)))
        st.ChildKeys.put(ext, parent, target, [(proportion, child), (rng.randint(0, 2**62), hotkeys[10])])
        st.ParentKeys.put(ext, child, target, [(proportion, parent)])
    st.ParentKeys.put(ext, hotkeys[10], target, [(2**62, hotkeys[0]), (2**61, hotkeys[2])])
    keyed: list[bytes | None] = [*hotkeys, None]
    alpha, tao = run_epoch._inherited_stakes(ext, target, keyed)
    assert alpha == tuple(inherited_alpha(ext, hk, target) if hk else 0 for hk in keyed)
    assert tao == tuple(inherited_tao(ext, hk, target) if hk else 0 for hk in keyed)
    assert any(alpha) and any(tao)


def test_packed_vectors_equal_the_codec_and_reject_what_it_rejects() -> None:
    from tests.runtime.ext import TestExternalities
    ext = TestExternalities()
    rng = random.Random(4)
    cases = [(st.Active, [rng.random() < 0.5 for _ in range(300)], "?"),
             (st.Emission, [rng.randint(0, 2**64 - 1) for _ in range(70)], "Q"),
             (st.Consensus, [rng.randint(0, 65535) for _ in range(256)], "H"),
             (st.StakeWeight, [], "H")]
    for item, values, fmt in cases:
        run_epoch._put_vec(ext, item, 7, values, fmt)
        assert ext.get(item.key(7)) == item.value.encode(values)
    with pytest.raises(Exception):
        run_epoch._put_vec(ext, st.Consensus, 8, [1, 65536], "H")  # out of range: the codec's error
    assert ext.get(st.Consensus.key(8)) is None
