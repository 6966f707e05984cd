"""Acceptance: Yuma epochs driven through the bittensor 11.3.0 SDK on a manually sealed dev node.

A subnet (commit-reveal off, tempo 12, pool emission on) with one staked validator and two miners, all
set up with the SDK; the validator signs ``set_weights`` with its hotkey through the SDK. Then blocks are
sealed one by one (``engine_createBlock``) through two epochs: the first with the new weights, the second
with the bonds the first formed. For each epoch the chain's results — incentive, dividends, consensus and
permits from the SDK's metagraph, validator trust and emission from storage — must equal
:func:`runtime.yuma.epoch` applied to inputs the test reads itself with py-substrate-interface at the
epoch block's parent: the storage items ``run_epoch.epoch_inputs`` reads (``on_initialize`` changes none
of them before the epoch runs). The quiet blocks between also check the issuance: each mints the block
emission, and both TotalIssuance counters grow by it less what the coinbase recycled.
"""

from __future__ import annotations

import asyncio
import json
import os
import threading
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from runtime.primitives.keys import dev_account
from runtime.yuma import EpochInputs, EpochOutputs, epoch
from tests.clients.conftest import RunningNode, start_node, stop_node
from tests.clients.test_bittensor_sdk import DevSigner, DevWallet, _wallet

pytestmark = pytest.mark.slow

TAO = 10**9
TEMPO = 12


# -- a manually sealed node -------------------------------------------------------------------------------------


def rpc(node: RunningNode, method: str, params: list[Any]) -> Any:
    body = json.dumps({"jsonrpc": "2.0", "id": 1, "method": method, "params": params}).encode()
    request = urllib.request.Request(node.http_url, data=body, headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as response:
        reply = json.loads(response.read())
    if "error" in reply:
        raise AssertionError(f"{method}: {reply['error']}")
    return reply["result"]


class Sealer:
    """Seals a block every ``period`` seconds in a thread until paused; :meth:`seal` seals one on demand."""

    def __init__(self, node: RunningNode, period: float = 0.15) -> None:
        self.node, self.period = node, period
        self._lock = threading.Lock()
        self._running = threading.Event()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True)

    def seal(self) -> str:
        with self._lock:
            return str(rpc(self.node, "engine_createBlock", [True, True, None])["hash"])

    def _loop(self) -> None:
        while not self._stop.is_set():
            if self._running.wait(0.05):
                self.seal()
                time.sleep(self.period)

    def start(self) -> None:
        self._running.set()
        if not self._thread.is_alive():
            self._thread.start()

    def pause(self) -> None:
        self._running.clear()
        with self._lock:  # wait out a seal in progress
            pass

    def stop(self) -> None:
        self._stop.set()
        self._running.clear()
        self._thread.join(timeout=10)


@pytest.fixture(scope="module")
def manual_node(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningNode]:
    node = start_node(tmp_path_factory.mktemp("epoch"), "--sealing", "manual", wait_block=False)
    try:
        yield node
    finally:
        stop_node(node)


# -- reading the epoch's inputs with py-substrate-interface --------------------------------------------------------


class ChainReader:
    """SubtensorModule storage at one block hash, decoded by py-substrate-interface from the node's metadata."""

    def __init__(self, url: str, block_hash: str) -> None:
        from substrateinterface import SubstrateInterface

        self.substrate = SubstrateInterface(url=url, ss58_format=42)
        self.block_hash = block_hash

    def get(self, item: str, *keys: Any) -> Any:
        return self.substrate.query("SubtensorModule", item, list(keys), block_hash=self.block_hash).value

    def rows(self, item: str, index: int, n: int) -> tuple[tuple[tuple[int, int], ...], ...]:
        """``Weights``/``Bonds`` rows 0..n in stored order, columns ≥ n dropped (as the epoch reads them)."""
        rows: list[tuple[tuple[int, int], ...]] = [() for _ in range(n)]
        for uid, row in self.substrate.query_map("SubtensorModule", item, [index], block_hash=self.block_hash):
            if uid.value < n:
                rows[uid.value] = tuple((int(j), int(v)) for j, v in row.value if j < n)
        return tuple(rows)

    def close(self) -> None:
        self.substrate.close()


def read_epoch_inputs(chain: ChainReader, netuid: int, block: int, rao_emission: int) -> EpochInputs:
    n = chain.get("SubnetworkN", netuid)
    hotkeys = [chain.get("Keys", netuid, uid) for uid in range(n)]
    for hotkey in hotkeys:  # without child keys the inherited stakes are the hotkey's own
        assert chain.get("ChildKeys", hotkey, netuid) == [] and chain.get("ParentKeys", hotkey, netuid) == []
    tempo = chain.get("Tempo", netuid)
    owner = chain.get("SubnetOwnerHotkey", netuid)
    alpha_low, alpha_high = chain.get("AlphaValues", netuid)
    last_update = list(chain.get("LastUpdate", netuid))
    return EpochInputs(
        n=n, block=block, tempo=tempo,
        activity_cutoff=max(chain.get("ActivityCutoffFactorMilli", netuid) * tempo // 1000, 1),
        last_update=tuple(last_update + [0] * (n - len(last_update))),
        block_at_registration=tuple(chain.get("BlockAtRegistration", netuid, uid) for uid in range(n)),
        alpha_stake=tuple(chain.get("TotalHotkeyAlpha", hk, netuid) for hk in hotkeys),
        tao_stake=tuple(chain.get("TotalHotkeyAlpha", hk, 0) for hk in hotkeys),
        tao_weight=chain.get("TaoWeight"),
        stake_threshold=chain.get("StakeThreshold"),
        validator_permit=tuple(chain.get("ValidatorPermit", netuid)),
        max_allowed_validators=chain.get("MaxAllowedValidators", netuid),
        kappa=chain.get("Kappa", netuid),
        bonds_penalty=chain.get("BondsPenalty", netuid),
        bonds_moving_average=chain.get("BondsMovingAverage", netuid),
        yuma3_enabled=bool(chain.get("Yuma3On", netuid)),
        liquid_alpha_enabled=bool(chain.get("LiquidAlphaOn", netuid)),
        alpha_low=alpha_low, alpha_high=alpha_high,
        alpha_sigmoid_steepness=chain.get("AlphaSigmoidSteepness", netuid),
        last_mechanism_step_block=chain.get("LastMechansimStepBlock", netuid),
        owner_uid=hotkeys.index(owner) if owner in hotkeys else None,
        weights=chain.rows("Weights", netuid, n),
        bonds=chain.rows("Bonds", netuid, n),
        rao_emission=rao_emission,
        commit_reveal_enabled=bool(chain.get("CommitRevealWeightsEnabled", netuid)),
    )


def pending_alpha(chain: ChainReader, netuid: int) -> int:
    """What the epoch will distribute so far: the pending server, validator and root alpha."""
    return sum(chain.get(item, netuid) for item in ("PendingServerEmission", "PendingValidatorEmission",
                                                    "PendingRootAlphaDivs"))


# -- the scenario ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ObservedEpoch:
    """One epoch as the chain ran it, and as :func:`epoch` computes it from the chain's inputs."""

    inputs: EpochInputs
    expected: EpochOutputs
    metagraph: Any
    validator_trust: list[int]
    stored_emission: list[int]


@dataclass(frozen=True)
class QuietBlock:
    """A sealed block without extrinsics (only inherents) and what it did to the issuance."""

    minted: int
    deposited: int
    parent_issuance: int
    subtensor_issuance_delta: int
    balances_issuance_delta: int


@dataclass(frozen=True)
class Scenario:
    netuid: int
    validator_uid: int
    miner_uids: list[int]
    epochs: list[ObservedEpoch]
    quiet_blocks: list[QuietBlock]


def _setup_subnet(node: RunningNode, tmp_path: Path) -> tuple[int, int, list[int]]:
    """Subnet, validator (10 TAO staked, a permit from one epoch) and two miners; the validator's weights
    on the miners set through the SDK. Blocks are sealed by a background thread meanwhile."""
    os.environ["BITTENSOR_RUNTIME_CACHE_DIR"] = str(tmp_path / "cache")
    import bittensor as bt
    from bittensor._generated import calls
    from bittensor.intents.registration import RegisterSubnet, StartCall
    from bittensor.intents.staking import AddStake
    from bittensor.intents.transfer import Transfer

    charlie = dev_account("Charlie")
    cold = charlie.derive("//epoch_owner")
    owner = DevWallet(DevSigner(cold), DevSigner(cold), DevSigner(charlie.derive("//epoch_owner_hot")))
    validator_hot, miner_hots = charlie.derive("//validator"), [charlie.derive(f"//miner{i}") for i in range(2)]
    validator = DevWallet(DevSigner(cold), DevSigner(cold), DevSigner(validator_hot))

    async def sudo(client: Any, call: Any) -> None:
        inner = await client.compose(call)
        result = await client.submit_call(calls.Sudo.sudo(call=inner), _wallet("Alice"))
        assert result.success, result.message

    async def query(client: Any, item: str, params: list[Any]) -> Any:
        return await client.query(("SubtensorModule", item), params)

    async def scenario() -> tuple[int, int, list[int]]:
        async with bt.Client(node.ws_url) as client:
            assert (await client.execute(Transfer(cold.ss58_address, 5000), _wallet("Charlie"))).success
            # the hotkey signs its own weights, so it needs an account (it pays no fee: Pays::No)
            assert (await client.execute(Transfer(validator_hot.ss58_address, 1), _wallet("Charlie"))).success
            await sudo(client, calls.AdminUtils.sudo_set_network_rate_limit(rate_limit=0))
            await sudo(client, calls.AdminUtils.sudo_set_admin_freeze_window(window=0))
            registered = await client.execute(RegisterSubnet(), owner)
            assert registered.success, registered.message
            netuid = registered.data["netuid"]
            assert (await client.execute(StartCall(netuid), owner)).success
            # plain set_weights needs commit-reveal off; the SDK would otherwise send timelocked commits,
            # which this node stores but cannot reveal (no drand)
            await sudo(client, calls.AdminUtils.sudo_set_commit_reveal_weights_enabled(netuid=netuid, enabled=False))
            await sudo(client, calls.AdminUtils.sudo_set_weights_set_rate_limit(netuid=netuid,
                                                                                 weights_set_rate_limit=0))
            await sudo(client, calls.AdminUtils.sudo_set_tempo(netuid=netuid, tempo=TEMPO))
            # new subnets start without pool-side TAO emission; with it the block's TAO enters the subnet
            await sudo(client, calls.AdminUtils.sudo_set_subnet_emission_enabled(netuid=netuid, enabled=True))
            # liquid alpha, the epoch's most involved bond path (the alpha table and its series fallback)
            await sudo(client, calls.AdminUtils.sudo_set_liquid_alpha_enabled(netuid=netuid, enabled=True))
            uids = []
            for hot in [validator_hot, *miner_hots]:
                call = calls.SubtensorModule.burned_register(netuid=netuid, hotkey=hot.ss58_address)
                result = await client.submit_call(call, owner)
                assert result.success, result.message
                uids.append(int(await query(client, "Uids", [netuid, hot.ss58_address])))
            staked = await client.execute(AddStake(validator_hot.ss58_address, netuid, 10), owner)
            assert staked.success, staked.message
            # one epoch hands out validator permits by stake; then the validator may weigh the miners
            start = int(await query(client, "SubnetEpochIndex", [netuid]))
            while int(await query(client, "SubnetEpochIndex", [netuid])) == start:
                await asyncio.sleep(0.2)
            graph = await client.subnets.metagraph(netuid, commitments=False)
            assert graph is not None and graph.neurons[uids[0]].validator_permit
            # The SetWeights intent preflights `SubnetEpochConsensus`, a storage item newer than spec 461
            # (the recorded node has none either), so submit the same call through the generic path.
            call = calls.SubtensorModule.set_weights(netuid=netuid, dests=uids[1:], weights=[1, 3], version_key=0)
            result = await client.submit_call(call, validator, signer="hotkey")
            assert result.success, result.message
            return netuid, uids[0], uids[1:]

    return asyncio.run(scenario())


def _metagraph(node: RunningNode, netuid: int, block: int) -> Any:
    import bittensor as bt

    async def read() -> Any:
        async with bt.Client(node.ws_url) as client:
            return await client.subnets.metagraph(netuid, block=block, commitments=False)

    return asyncio.run(read())


def _seal_until_epoch(sealer: Sealer, chain: ChainReader, netuid: int, hashes: list[str]) -> None:
    """Seal blocks (appending their hashes) until ``SubnetEpochIndex`` moves; the last hash is the epoch's."""
    chain.block_hash = hashes[-1]
    start = chain.get("SubnetEpochIndex", netuid)
    for _ in range(3 * TEMPO):
        hashes.append(sealer.seal())
        chain.block_hash = hashes[-1]
        if chain.get("SubnetEpochIndex", netuid) != start:
            return
    pytest.fail("the subnet's epoch never ran")


def _observe_epoch(node: RunningNode, chain: ChainReader, netuid: int, hashes: list[str]) -> ObservedEpoch:
    """The epoch at ``hashes[-1]``, recomputed from the inputs at its parent ``hashes[-2]``.

    The alpha it distributes is what was pending at the parent plus the epoch block's own share, a
    constant per-block amount (alpha out less the owner cut) measured between the parent's parent and
    the parent — both quiet blocks, so nothing else moved the pending maps.
    """
    epoch_hash, parent_hash, grandparent_hash = hashes[-1], hashes[-2], hashes[-3]
    epoch_block = int(rpc(node, "chain_getHeader", [epoch_hash])["number"], 16)
    chain.block_hash = grandparent_hash
    before = pending_alpha(chain, netuid)
    chain.block_hash = parent_hash
    at_parent = pending_alpha(chain, netuid)
    inputs = read_epoch_inputs(chain, netuid, epoch_block, at_parent + (at_parent - before))
    chain.block_hash = epoch_hash
    return ObservedEpoch(inputs, epoch(inputs), _metagraph(node, netuid, epoch_block),
                         list(chain.get("ValidatorTrust", netuid)), list(chain.get("Emission", netuid)))


def _quiet_block(chain: ChainReader, parent_hash: str, block_hash: str) -> QuietBlock:
    events = [e.value["event"] for e in chain.substrate.get_events(block_hash=block_hash)]
    assert not any(e["module_id"] == "System" and e["event_id"] == "ExtrinsicSuccess"
                   and e["attributes"]["dispatch_info"]["class"] == "Normal" for e in events), "not a quiet block"

    def amounts(event_id: str) -> int:
        return sum(int(e["attributes"]["amount"]) for e in events
                   if e["module_id"] == "Balances" and e["event_id"] == event_id)

    def issuances(at: str) -> tuple[int, int]:
        chain.block_hash = at
        balances = chain.substrate.query("Balances", "TotalIssuance", block_hash=at).value
        return int(chain.get("TotalIssuance")), int(balances)

    (sub_before, bal_before), (sub_after, bal_after) = issuances(parent_hash), issuances(block_hash)
    return QuietBlock(amounts("Issued"), amounts("Deposit"), bal_before, sub_after - sub_before,
                      bal_after - bal_before)


@pytest.fixture(scope="module")
def scenario(manual_node: RunningNode, tmp_path_factory: pytest.TempPathFactory) -> Scenario:
    sealer = Sealer(manual_node)
    sealer.start()
    try:
        netuid, validator_uid, miner_uids = _setup_subnet(manual_node, tmp_path_factory.mktemp("sdk"))
    finally:
        sealer.pause()
    chain = ChainReader(manual_node.ws_url, rpc(manual_node, "chain_getBlockHash", []))
    try:
        hashes = [chain.block_hash]
        epochs = []
        for _ in range(2):  # the first epoch with the weights, then one with the bonds it formed
            _seal_until_epoch(sealer, chain, netuid, hashes)
            assert len(hashes) >= 3 and hashes[-3] != hashes[0], "no quiet block before the epoch"
            epochs.append(_observe_epoch(manual_node, chain, netuid, hashes))
        quiet = [_quiet_block(chain, parent, block) for parent, block in zip(hashes[1:], hashes[2:])]
    finally:
        sealer.stop()
        chain.close()
    return Scenario(netuid, validator_uid, miner_uids, epochs, quiet)


def _u16(fraction: float) -> int:
    """The SDK's metagraph scores are PerU16 values over 65535; recover the integer exactly."""
    return round(fraction * 65535)


def test_sdk_weights_reach_the_epoch(scenario: Scenario) -> None:
    first, second = scenario.epochs
    v, (m0, m1) = scenario.validator_uid, scenario.miner_uids
    # set_weights [1, 3] is stored max-upscaled: 21845 : 65535
    assert first.inputs.weights[v] == ((m0, 21845), (m1, 65535))
    assert first.inputs.validator_permit[v]
    assert first.inputs.yuma3_enabled and first.inputs.liquid_alpha_enabled
    assert first.inputs.bonds[v] == () and second.inputs.bonds[v] != ()  # the first epoch formed bonds


def test_epoch_scores_equal_yuma_on_the_chain_inputs(scenario: Scenario) -> None:
    v, (m0, m1) = scenario.validator_uid, scenario.miner_uids
    for observed in scenario.epochs:
        expected, neurons = observed.expected, observed.metagraph.neurons
        assert [nr.uid for nr in neurons] == list(range(observed.inputs.n))
        assert [_u16(nr.incentive) for nr in neurons] == list(expected.incentive)
        assert [_u16(nr.dividends) for nr in neurons] == list(expected.dividends)
        assert [_u16(nr.consensus) for nr in neurons] == list(expected.consensus)
        assert observed.validator_trust == list(expected.validator_trust)
        assert [nr.validator_permit for nr in neurons] == list(expected.validator_permit)
        # not a degenerate epoch: the miners earn in the validator's 1:3 ratio, the validator divides
        assert expected.incentive[m1] > expected.incentive[m0] > 0
        assert expected.dividends[v] > 0 and expected.validator_trust[v] > 0


def test_epoch_emission_equals_yuma_on_the_pending_alpha(scenario: Scenario) -> None:
    for observed in scenario.epochs:
        assert observed.inputs.rao_emission > 0
        assert observed.stored_emission == list(observed.expected.emission)
        assert [int(nr.emission.rao) for nr in observed.metagraph.neurons] == list(observed.expected.emission)
        assert sum(observed.expected.emission) <= observed.inputs.rao_emission


def test_total_issuance_moves_by_block_emission_less_recycled(scenario: Scenario) -> None:
    """Per quiet block: the mint is the halving curve's block emission (1 TAO below 10.5M TAO issued);
    what is not recycled stays as TAO deposited to subnet accounts, and both issuance counters move by
    exactly that."""
    assert scenario.quiet_blocks
    for block in scenario.quiet_blocks:
        assert block.parent_issuance < 21_000_000 * TAO // 2
        assert block.minted == TAO
        recycled = block.minted - block.deposited
        assert 0 <= recycled <= block.minted
        assert block.balances_issuance_delta == block.minted - recycled
        assert block.subtensor_issuance_delta == block.balances_issuance_delta
