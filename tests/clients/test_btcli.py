"""btcli against a dev node: bittensor 11.3.0's ``btcli`` (subnets list/show, subnet create + start,
stake add/remove in the clear) and bittensor-cli 9.23's ``btcli s list`` (from its own venv).

The wallet is written with bittensor's own keyfile API (unencrypted, so nothing prompts): coldkey
``//Bob``, hotkey ``//Bob//btcli`` (Bob, not Alice: Alice authors the dev blocks and so earns fees back,
which would blur the balance checks). Every command runs with a throw-away HOME and runtime cache.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from substrateinterface import SubstrateInterface

from runtime.primitives.keys import Keypair
from tests.clients.conftest import RunningNode, start_node, stop_node

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[2]
BTCLI = Path(sys.executable).parent / "btcli"
LEGACY_VENV = REPO / ".cache" / "btcli-9.23"
LEGACY_VERSION = "bittensor-cli==9.23.2"
ZERO_SS58 = "5C4hrfjw9DjXZTzV3MwzrrAr9P1MJhSrvWGWqi1eSuyUpnhM"
"""The zero account: owner (cold and hot) of genesis subnet 1."""
ALICE_SS58 = "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY"
ALICE_HK_SS58 = Keypair.from_uri("//Alice_hk").ss58_address
"""Owner hotkey of the root subnet (the fast-runtime genesis)."""


@pytest.fixture(scope="module")
def dev_node(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningNode]:
    """Instant sealing: blocks only when a transaction arrives, so stake earns no emission between two reads
    and the amounts below are exactly what the swaps gave."""
    node = start_node(tmp_path_factory.mktemp("btcli-node"), "--sealing", "instant", wait_block=False)
    with SubstrateInterface(url=node.ws_url) as substrate:  # one block to start from (9.23 needs a parent)
        substrate.rpc_request("engine_createBlock", [True, True, None])
    try:
        yield node
    finally:
        stop_node(node)


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A HOME holding the ``bob`` wallet (coldkey //Bob, hotkey //Bob//btcli, both unencrypted)."""
    home = tmp_path_factory.mktemp("btcli-home")
    script = (
        "import sys\n"
        "from bittensor.keyfiles import Keypair\n"
        "from bittensor.wallet import Wallet\n"
        "w = Wallet('bob', 'default', path=sys.argv[1])\n"
        "cold, hot = Keypair.create_from_uri('//Bob'), Keypair.create_from_uri('//Bob//btcli')\n"
        "w._set_coldkey(cold, False, True, False, None)\n"
        "w._set_coldkeypub(cold, True)\n"
        "w._set_hotkey(hot, False, True, False, None)\n"
        "w._set_hotkeypub(hot, True)\n"
        "print(cold.ss58_address, hot.ss58_address)\n"
    )
    out = subprocess.run([sys.executable, "-c", script, str(home / "wallets")], capture_output=True, text=True,
                         check=True, timeout=60).stdout.split()
    assert out == [Keypair.from_uri("//Bob").ss58_address, Keypair.from_uri("//Bob//btcli").ss58_address]
    return home


def run(cli: Path, home: Path, node: RunningNode, *args: str, wallet: bool = False) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "HOME": str(home), "BITTENSOR_RUNTIME_CACHE_DIR": str(home / "runtime-cache"),
           "COLUMNS": "200", "NO_COLOR": "1"}
    extra = ["-w", "bob", "--wallet-path", str(home / "wallets")] if wallet else []
    proc = subprocess.run([str(cli), *args, *extra, "--network", node.ws_url], capture_output=True, text=True,
                          timeout=180, env=env, stdin=subprocess.DEVNULL)
    assert proc.returncode == 0, f"{args} exited {proc.returncode}:\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}"
    return proc


def run_json(home: Path, node: RunningNode, *args: str, wallet: bool = False) -> Any:
    return json.loads(run(BTCLI, home, node, *args, "--json", wallet=wallet).stdout)


def test_subnets_list(dev_node: RunningNode, home: Path) -> None:
    table = run(BTCLI, home, dev_node, "subnets", "list").stdout
    assert "2 subnets" in table and "1 neurons" in table
    assert "0 (root)" in table
    records = {r["netuid"]: r for r in run_json(home, dev_node, "subnets", "list")}
    assert sorted(records) == [0, 1]
    root, one = records[0], records[1]
    assert (root["symbol"], root["tempo"], root["neurons"], root["max_neurons"]) == ("τ", 100, 0, 64)
    assert root["price_tao_per_alpha"] is None
    # Subnet 1: the genesis pool holds 10 TAO against 10 alpha (price 1); one neuron (the zero hotkey).
    assert (one["symbol"], one["tempo"], one["neurons"], one["max_neurons"]) == ("α", 100, 1, 256)
    assert one["price_tao_per_alpha"] == 1.0
    assert one["emission_tao_per_day"] == 0.0


def test_subnets_show(dev_node: RunningNode, home: Path) -> None:
    one = run_json(home, dev_node, "subnets", "show", "1")
    assert one["owner_coldkey"] == one["owner_hotkey"] == ZERO_SS58
    assert (one["registered_at"], one["tempo"], one["neurons"], one["max_neurons"]) == (0, 100, 1, 256)
    assert 0 < one["burn_tao"] <= 0.1  # Burn's default 0.1 TAO, decaying from the first epochs on
    root = run_json(home, dev_node, "subnets", "show", "0")
    assert (root["owner_coldkey"], root["owner_hotkey"]) == (ALICE_SS58, ALICE_HK_SS58)
    assert (root["neurons"], root["max_neurons"]) == (0, 64)
    text = run(BTCLI, home, dev_node, "subnets", "show", "1").stdout
    assert "subnet 1" in text and ZERO_SS58 in text and "1/256" in text


def _legacy_btcli() -> Path:
    """bittensor-cli 9.23 in its own venv under .cache/ (its ``btcli`` clashes with bittensor 11.3.0's)."""
    exe = LEGACY_VENV / "bin" / "btcli"
    if exe.exists():
        return exe
    steps = [[sys.executable, "-m", "venv", str(LEGACY_VENV)],
             [str(LEGACY_VENV / "bin" / "pip"), "install", "-q", LEGACY_VERSION]]
    for step in steps:
        proc = subprocess.run(step, capture_output=True, text=True, timeout=900)
        if proc.returncode != 0 or (step is steps[-1] and not exe.exists()):
            pytest.skip(f"could not install {LEGACY_VERSION} into {LEGACY_VENV}: {proc.stderr[-1000:]}")
    return exe


def test_bittensor_cli_9_23_subnets_list(dev_node: RunningNode, home: Path) -> None:
    exe = _legacy_btcli()
    out = run(exe, home, dev_node, "s", "list").stdout
    assert "Subnets" in out
    rows = {line.split("│")[0].strip(): line for line in out.splitlines() if "│" in line}
    assert {"0", "1"} <= set(rows), out
    assert "τ 10.00, 10.00 α" in rows["1"]  # subnet 1's genesis pool (TAO in, alpha in)
    assert "1.0000 τ/α" in rows["1"]
    assert re.search(r"\b\d+/100\b", rows["1"])  # tempo: blocks since the last epoch / tempo


def _alpha_on(home: Path, node: RunningNode, netuid: int) -> float:
    """Alpha staked on ``netuid`` per ``stake list`` (which reads StakeInfoRuntimeApi's stake availability)."""
    rows = [r for r in run_json(home, node, "stake", "list", wallet=True) if r["netuid"] == netuid]
    for row in rows:  # no locks, no miner collateral: all of it can be unstaked
        assert (row["locked_amount"], row["available_amount"]) == (0.0, row["stake_amount"]), row
    return sum(r["stake_amount"] for r in rows)


def _free_rao(home: Path, node: RunningNode) -> int:
    """The coldkey's free balance in rao, from the exact text (``τ998,994.068976549``)."""
    whole, _, frac = run_json(home, node, "wallet", "balance", wallet=True)["free"].lstrip("τ").partition(".")
    return int(whole.replace(",", "")) * 10**9 + int(frac.ljust(9, "0"))


def test_stake_add_and_remove(dev_node: RunningNode, home: Path) -> None:
    clear = ("--no-mev-shield", "-y")
    created = run_json(home, dev_node, "subnets", "create", *clear, wallet=True)
    assert created["success"], created
    netuid = 2  # the first netuid after genesis's 0 and 1
    listed = {r["netuid"]: r for r in run_json(home, dev_node, "subnets", "list")}
    assert listed[netuid]["neurons"] == 1  # the owner hotkey
    assert listed[netuid]["price_tao_per_alpha"] == 1.0  # the lock (1000 TAO) buys 1000 alpha
    started = run_json(home, dev_node, "hparams", "start", "--netuid", str(netuid), *clear, wallet=True)
    assert started["success"], started

    free_before = _free_rao(home, dev_node)
    added = run_json(home, dev_node, "stake", "add", "--netuid", str(netuid), "--amount", "10", *clear,
                     wallet=True)
    assert added["success"], added
    free_after = _free_rao(home, dev_node)
    assert free_before - free_after == 10 * 10**9 + round(added["fee_tao"] * 10**9)
    staked = _alpha_on(home, dev_node, netuid)
    # 10 TAO into a 1000/1000 pool: 1000·10/1010 ≈ 9.901 alpha, less the 0.05 % swap fee.
    assert 9.85 < staked < 9.91
    legacy = LEGACY_VENV / "bin" / "btcli"  # installed by the 9.23 test above when it could be
    if legacy.exists():  # 9.23's stake list also reads StakeInfoRuntimeApi.get_coldkey_lock
        out = run(legacy, home, dev_node, "st", "list", "--wallet-name", "bob", "--wallet-path",
                  str(home / "wallets"), "--no-prompt").stdout
        row = next(line for line in out.splitlines() if line.split("│")[0].strip() == str(netuid))
        assert f"{staked:.2f} β" in row, out

    removed = run_json(home, dev_node, "stake", "remove", "--netuid", str(netuid), "--amount", "4", *clear,
                       wallet=True)
    assert removed["success"], removed
    assert _alpha_on(home, dev_node, netuid) == pytest.approx(staked - 4, abs=1e-8)
    assert _free_rao(home, dev_node) - free_after > 3 * 10**9  # about 4 alpha's worth came back

    text = run(BTCLI, home, dev_node, "stake", "remove", "--netuid", str(netuid), "--all", *clear, wallet=True)
    assert "unstake ALL alpha" in text.stdout
    assert _alpha_on(home, dev_node, netuid) == 0
