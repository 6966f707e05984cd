"""SubtensorModule genesis: the root network and the zero-owned subnet 1, as node-subtensor builds them.

The genesis build runs on every chain, with or without a ``subtensorModule`` section in the chain spec.
Its config (serde camelCase of the Rust ``GenesisConfig``)::

    {"balancesIssuance": 0, "startCallDelay": null, "stakes": []}

``balancesIssuance`` is written to ``SubtensorModule.TotalIssuance`` (the localnet spec has no section,
so it is 0); ``startCallDelay`` overrides ``StartCallDelay`` when given; ``stakes`` is accepted and
ignored (the reference build does not read it either).

This is the fast-runtime build (the localnet's): the root subnet is owned by Alice with the hotkey
``//Alice_hk``; a production build would leave both at the zero account.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from runtime.pallets.subtensor import storage as st
from runtime.pallets.subtensor.types import ROOT_NETUID, ZERO_ACCOUNT, safe_float, storage_index
from runtime.pallets.system import storage as system_storage
from runtime.primitives.keys import Keypair, dev_account
from runtime.support.externalities import Externalities

FAST_RUNTIME = True
"""The localnet runs node-subtensor built with ``fast-runtime``; genesis owners follow it."""

GENESIS_NETUID = 1
GENESIS_POOL_TAO = 10_000_000_000
"""TAO and alpha reserves of subnet 1's pool (10 TAO each)."""
GENESIS_STAKE = 1_000_000_000
"""Alpha staked by the zero hotkey on itself on subnet 1 (also SubnetAlphaOut)."""


@lru_cache(maxsize=1)
def root_owner() -> tuple[bytes, bytes]:
    """(coldkey, hotkey) owning the root subnet: Alice and ``//Alice_hk`` (fast), zero accounts (prod)."""
    if not FAST_RUNTIME:
        return ZERO_ACCOUNT, ZERO_ACCOUNT
    return dev_account("Alice").public, Keypair.from_uri("//Alice_hk").public


def symbol_for_subnet(netuid: int) -> bytes:
    """The default token symbol of a netuid (UTF-8), for the genesis subnets only.

    node-subtensor looks symbols up in a fixed table indexed by netuid; genesis needs the first two
    entries (root "Τ", a capital tau, and subnet 1 "α"). Later subnets get theirs from the subnet code.
    """
    return {0: "Τ", 1: "α"}[netuid].encode()


def _add_root_network(ext: Externalities) -> None:
    owner, owner_hotkey = root_owner()
    root = ROOT_NETUID
    st.NetworksAdded.put(ext, root, True)
    st.TotalNetworks.mutate(ext, lambda n: min(n + 1, 0xFFFF))
    st.SubnetOwner.put(ext, root, owner)
    st.SubnetOwnerHotkey.put(ext, root, owner_hotkey)
    st.SubnetworkN.put(ext, root, 0)
    st.MaxAllowedUids.put(ext, root, 64)
    st.MaxAllowedValidators.put(ext, root, 64)
    st.MinAllowedWeights.put(ext, root, 0)
    st.Tempo.put(ext, root, 100)
    st.NetworkRegistrationAllowed.put(ext, root, True)
    st.TargetRegistrationsPerInterval.put(ext, root, 1)
    st.TokenSymbol.put(ext, root, symbol_for_subnet(root))


def _add_subnet_one(ext: Externalities) -> None:
    """Subnet 1: dynamic, owned by the zero account, whose hotkey (also zero) is neuron uid 0."""
    netuid, hotkey = GENESIS_NETUID, ZERO_ACCOUNT
    st.SubnetMechanism.put(ext, netuid, 1)
    st.Owner.put(ext, hotkey, hotkey)
    st.SubnetAlphaIn.put(ext, netuid, GENESIS_POOL_TAO)
    st.SubnetTAO.put(ext, netuid, GENESIS_POOL_TAO)
    st.NetworksAdded.put(ext, netuid, True)
    st.TotalNetworks.mutate(ext, lambda n: min(n + 1, 0xFFFF))
    st.SubnetworkN.put(ext, netuid, 0)
    st.MaxAllowedUids.put(ext, netuid, 256)
    st.MaxAllowedValidators.put(ext, netuid, 64)
    st.MinAllowedWeights.put(ext, netuid, 0)
    st.Tempo.put(ext, netuid, 100)
    st.NetworkRegistrationAllowed.put(ext, netuid, True)
    st.SubnetOwner.put(ext, netuid, hotkey)
    st.SubnetLocked.put(ext, netuid, 1)
    st.LargestLocked.put(ext, netuid, 1)
    # The owner's initial stake: one share pool entry worth GENESIS_STAKE alpha.
    st.AlphaV2.put(ext, hotkey, hotkey, netuid, safe_float(GENESIS_STAKE))
    st.TotalHotkeyAlpha.put(ext, hotkey, netuid, GENESIS_STAKE)
    st.TotalHotkeySharesV2.put(ext, hotkey, netuid, safe_float(GENESIS_STAKE))
    st.SubnetAlphaOut.put(ext, netuid, GENESIS_STAKE)
    staking_hotkeys = st.StakingHotkeys.get(ext, hotkey)
    if hotkey not in staking_hotkeys:
        st.StakingHotkeys.put(ext, hotkey, [*staking_hotkeys, hotkey])

    # Neuron uid 0 = the zero hotkey, with one entry in every per-uid vector.
    block = system_storage.Number.get(ext)
    index = storage_index(netuid)
    st.SubnetworkN.put(ext, netuid, 1)
    st.Active.append(ext, netuid, True)
    st.Emission.append(ext, netuid, 0)
    st.Consensus.append(ext, netuid, 0)
    st.Incentive.append(ext, index, 0)
    st.Dividends.append(ext, netuid, 0)
    st.LastUpdate.append(ext, index, block)
    st.ValidatorTrust.append(ext, netuid, 0)
    st.ValidatorPermit.append(ext, netuid, False)
    st.Keys.put(ext, netuid, 0, hotkey)
    st.Uids.put(ext, netuid, hotkey, 0)
    st.BlockAtRegistration.put(ext, netuid, 0, block)
    st.IsNetworkMember.put(ext, hotkey, netuid, True)
    st.TokenSymbol.put(ext, netuid, symbol_for_subnet(netuid))


def genesis(ctx: Any, config: dict[str, Any]) -> None:
    """Build SubtensorModule's genesis state into ``ctx`` (see the module docstring for ``config``)."""
    st.TotalIssuance.put(ctx, int(config.get("balancesIssuance") or 0))
    start_call_delay = config.get("startCallDelay")
    if start_call_delay is not None:
        st.StartCallDelay.put(ctx, int(start_call_delay))
    _add_root_network(ctx)
    _add_subnet_one(ctx)
