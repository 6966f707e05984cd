"""bittensor 11.3.0 (the SDK and its btcli) against a dev node: balances, a transfer to finality, blocks."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from runtime.primitives.keys import Keypair, dev_account
from tests.clients.conftest import RunningNode

pytestmark = pytest.mark.slow


@dataclass(frozen=True)
class DevSigner:
    """A bittensor ``Signer`` backed by our own sr25519 key pair."""

    pair: Keypair

    @property
    def ss58_address(self) -> str:
        return self.pair.ss58_address

    @property
    def public_key(self) -> bytes:
        return self.pair.public

    @property
    def crypto_type(self) -> int:
        return 1

    def sign(self, payload: bytes) -> bytes:
        return self.pair.sign(payload)


@dataclass(frozen=True)
class DevWallet:
    coldkey: DevSigner
    coldkeypub: DevSigner
    hotkey: DevSigner


def _wallet(name: str) -> DevWallet:
    signer = DevSigner(dev_account(name))
    return DevWallet(signer, signer, signer)


def test_balance_transfer_and_blocks(dev_node: RunningNode, tmp_path: Path) -> None:
    os.environ["BITTENSOR_RUNTIME_CACHE_DIR"] = str(tmp_path / "cache")
    import bittensor as bt
    from bittensor.intents.transfer import Transfer

    dest = dev_account("Bob").derive("//bt-transfer")

    async def scenario() -> tuple[int, object, int, int, int]:
        async with bt.Client(dev_node.ws_url) as client:
            block = await client.block()
            before = await client.balances.get(dev_account("Alice").ss58_address)
            result = await client.execute(Transfer(dest.ss58_address, 2), _wallet("Bob"))
            after = await client.balances.get(dest.ss58_address)
            return block, result, int(before.rao), int(after.rao), await client.block()

    block, result, alice_before, dest_after, later = asyncio.run(scenario())
    assert block >= 1 and later > block
    assert alice_before == 1_000_000 * 10**9
    assert result.success, result.message  # type: ignore[attr-defined]
    assert dest_after == 2 * 10**9
    events = {e["event_id"]: e["attributes"] for e in result.events}  # type: ignore[attr-defined]
    assert events["Transfer"]["to"] == dest.ss58_address and events["Transfer"]["amount"] == 2 * 10**9
    assert int(result.fee.rao) == events["TransactionFeePaid"]["actual_fee"] > 0  # type: ignore[attr-defined]


def test_btcli_wallet_balance(dev_node: RunningNode, tmp_path: Path) -> None:
    env = {**os.environ, "BITTENSOR_RUNTIME_CACHE_DIR": str(tmp_path / "cache"), "HOME": str(tmp_path)}
    btcli = Path(sys.executable).parent / "btcli"
    proc = subprocess.run([str(btcli), "wallet", "balance", dev_account("Alice").ss58_address,
                           "--network", dev_node.ws_url], capture_output=True, text=True, timeout=120, env=env)
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
    assert "1,000,000" in proc.stdout or "1000000" in proc.stdout
