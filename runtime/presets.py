"""Built-in genesis presets and chain specs: ``dev`` (one authority) and ``local`` (Alice and Bob), as the real localnet.

Balances follow node-subtensor's localnet: Alice, Bob and Charlie hold 1,000,000 TAO, Dave, Eve and
Ferdie 2,000 TAO; Alice is the sudo key. Authorities use the dev accounts' sr25519 (Aura) and ed25519
(GRANDPA) keys.
"""

from __future__ import annotations

from typing import Any

from runtime.primitives.keys import Keypair, KeyType, dev_account
from runtime.primitives.ss58 import ss58_encode

RAO_PER_TAO = 10**9
RICH = ("Alice", "Bob", "Charlie")
FUNDED = ("Dave", "Eve", "Ferdie")
PROPERTIES = {"ss58Format": 42, "tokenDecimals": 9, "tokenSymbol": "TAO"}


def _address(name: str) -> str:
    return dev_account(name).ss58_address


def _grandpa_address(name: str) -> str:
    return ss58_encode(Keypair.from_uri(f"//{name}", KeyType.Ed25519).public)


def genesis_config(authorities: tuple[str, ...]) -> dict[str, Any]:
    """The ``runtimeGenesis`` config of a localnet with the given authority names."""
    balances = [[_address(n), 1_000_000 * RAO_PER_TAO] for n in RICH]
    balances += [[_address(n), 2_000 * RAO_PER_TAO] for n in FUNDED]
    return {
        "system": {},
        "balances": {"balances": balances},
        "aura": {"authorities": [_address(n) for n in authorities]},
        "grandpa": {"authorities": [[_grandpa_address(n), 1] for n in authorities]},
        "sudo": {"key": _address("Alice")},
    }


PRESET_NAMES = ("development", "local_testnet")


def preset_config(name: str) -> dict[str, Any] | None:
    """The genesis config of a named preset (GenesisBuilder's preset ids), or None."""
    if name in ("development", "dev"):
        return genesis_config(("Alice",))
    if name in ("local_testnet", "local"):
        return genesis_config(("Alice", "Bob"))
    return None


def preset(name: str) -> dict[str, Any] | None:
    """The plain chain-spec document of a built-in chain, or None."""
    if name == "dev":
        authorities: tuple[str, ...] = ("Alice",)
        chain_type, spec_name, spec_id = "Development", "Development", "dev"
    elif name == "local":
        authorities = ("Alice", "Bob")
        chain_type, spec_name, spec_id = "Local", "Local Testnet", "local_testnet"
    else:
        return None
    return {
        "name": spec_name,
        "id": spec_id,
        "chainType": chain_type,
        "bootNodes": [],
        "telemetryEndpoints": None,
        "protocolId": "bittensor",
        "properties": dict(PROPERTIES),
        "codeSubstitutes": {},
        "genesis": {"runtimeGenesis": {"config": genesis_config(authorities)}},
    }
