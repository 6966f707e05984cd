"""Built-in genesis presets and chain specs: ``dev`` (one authority), ``local`` (Alice and Bob), as the real
localnet, and ``local<N>`` (the first N of Alice, Bob, Charlie, Dave, Eve, Ferdie; :func:`localnet_preset`).

Balances follow node-subtensor's localnet: Alice, Bob and Charlie hold 1,000,000 TAO, Dave, Eve and
Ferdie 2,000 TAO; Alice is the sudo key. Authorities use the dev accounts' sr25519 (Aura) and ed25519
(GRANDPA) keys.
"""

from __future__ import annotations

from typing import Any

from runtime.primitives.keys import Keypair, KeyType, dev_account
from runtime.primitives.ss58 import ss58_encode

RAO_PER_TAO = 10**9
AUTHORITY_NAMES = ("Alice", "Bob", "Charlie", "Dave", "Eve", "Ferdie")
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


def localnet_preset(authorities: int) -> dict[str, Any]:
    """A localnet chain spec whose first ``authorities`` dev accounts author (Aura sr25519) and vote
    (GRANDPA ed25519, weight 1), in the order Alice, Bob, Charlie, Dave, Eve, Ferdie."""
    if not 1 <= authorities <= len(AUTHORITY_NAMES):
        raise ValueError(f"a localnet has 1 to {len(AUTHORITY_NAMES)} authorities")
    return {
        "name": f"Local Testnet ({authorities} validators)",
        "id": "local_testnet",
        "chainType": "Local",
        "bootNodes": [],
        "telemetryEndpoints": None,
        "protocolId": "bittensor",
        "properties": dict(PROPERTIES),
        "codeSubstitutes": {},
        "genesis": {"runtimeGenesis": {"config": genesis_config(AUTHORITY_NAMES[:authorities])}},
    }


def preset(name: str) -> dict[str, Any] | None:
    """The plain chain-spec document of a built-in chain (``dev``, ``local``, ``local<N>``), or None."""
    if name.startswith("local") and name[5:].isdigit():
        count = int(name[5:])
        return localnet_preset(count) if 1 <= count <= len(AUTHORITY_NAMES) else None
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
