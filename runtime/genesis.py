"""Genesis storage from a genesis config (the ``runtimeGenesis`` section of a plain chain spec).

The config is a JSON-style dict keyed by each pallet's lowerCamel name (``system``, ``balances``,
``aura``, ``grandpa``, ``sudo``…), as node-subtensor's chain specs write it. Every pallet with a genesis
hook builds its own part into the given externalities; System adds FRAME's fixed genesis entries.
"""

from __future__ import annotations

from typing import Any

from runtime.construct import Runtime
from runtime.support.externalities import Externalities


def config_key(pallet_name: str) -> str:
    """``SubtensorModule`` → ``subtensorModule`` (serde's camelCase of construct_runtime names)."""
    return pallet_name[:1].lower() + pallet_name[1:]


def build_genesis(ext: Externalities, runtime: Runtime, config: dict[str, Any]) -> None:
    """Write the genesis state of every pallet into ``ext`` (block number stays 0: no events)."""
    ctx = runtime.context(ext)
    for _, pallet in runtime.pallets:
        if pallet.genesis is not None:
            pallet.genesis(ctx, dict(config.get(config_key(pallet.name)) or {}))
