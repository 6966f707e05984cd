"""SubtensorModule calls: their indices, arguments, weights and fee flags as node-subtensor declares them.

Only subnet creation and neuron registration are declared so far; the logic lives in :mod:`.subnets`
and :mod:`.registration`. Weights are the benchmarked ``SubstrateWeight`` values of pallet_subtensor
(spec 425) with node-subtensor's RocksDB read/write weights; every call here pays a fee.

Arguments the reference ignores keep their metadata names (``block_number``, ``coldkey``…).
"""

from __future__ import annotations

from typing import Annotated, Any

from runtime.pallets.subtensor import registration, subnets
from runtime.pallets.subtensor.types import AccountId32, BytesVec, NetUid, SubnetIdentityV3
from runtime.scale import U64, Option
from runtime.support.context import Context
from runtime.support.dispatch import Origin, benchmarked, ensure_root
from runtime.support.pallet import PalletCalls

REGISTER_WEIGHT = benchmarked(349_872_000, 6148, 34, 29)
BURNED_REGISTER_WEIGHT = benchmarked(336_815_000, 6148, 34, 29)
ROOT_REGISTER_WEIGHT = benchmarked(103_934_000, 4981, 19, 16)
REGISTER_NETWORK_WEIGHT = benchmarked(277_125_000, 9947, 40, 48)
REGISTER_NETWORK_WITH_IDENTITY_WEIGHT = benchmarked(275_041_000, 9883, 39, 47)
DISSOLVE_NETWORK_WEIGHT = benchmarked(119_000_000, 0, 6, 31)
SET_SUBNET_IDENTITY_WEIGHT = benchmarked(17_513_000, 4060, 1, 1)
START_CALL_WEIGHT = benchmarked(39_454_000, 4583, 5, 2)
UPDATE_SYMBOL_WEIGHT = benchmarked(28_313_000, 9074, 4, 1)
REGISTER_LIMIT_WEIGHT = benchmarked(354_200_000, 0, 47, 40)

calls = PalletCalls("pallet_subtensor")

# Argument annotations shared by every module that declares SubtensorModule calls.
NETUID_ARG = Annotated[int, NetUid, "NetUid"]
ACCOUNT_ARG = Annotated[bytes, AccountId32, "T::AccountId"]
BYTES_ARG = Annotated[bytes, BytesVec, "Vec<u8>"]
U64_ARG = Annotated[int, U64, "u64"]
_NETUID, _ACCOUNT, _BYTES, _U64 = NETUID_ARG, ACCOUNT_ARG, BYTES_ARG, U64_ARG
_IDENTITY = Annotated[Any, Option(SubnetIdentityV3), "Option<SubnetIdentityOfV3>"]


@calls.call(6, weight=REGISTER_WEIGHT)
def register(ctx: Context, origin: Origin, netuid: _NETUID, block_number: _U64, nonce: _U64, work: _BYTES,
             hotkey: _ACCOUNT, coldkey: _ACCOUNT) -> None:
    """Register `hotkey` on `netuid` by burning the registration price; the signer (coldkey) pays.

    Proof-of-work registration is gone: `block_number`, `nonce`, `work` and `coldkey` are ignored."""
    registration.do_register(ctx, origin, netuid, hotkey)


@calls.call(7, weight=BURNED_REGISTER_WEIGHT)
def burned_register(ctx: Context, origin: Origin, netuid: _NETUID, hotkey: _ACCOUNT) -> None:
    """Register `hotkey` on `netuid` by burning the registration price; the signer (coldkey) pays."""
    registration.do_register(ctx, origin, netuid, hotkey)


@calls.call(59, weight=REGISTER_NETWORK_WEIGHT)
def register_network(ctx: Context, origin: Origin, hotkey: _ACCOUNT) -> None:
    """Create a subnet owned by the signer, locking the network lock cost; `hotkey` becomes uid 0."""
    subnets.do_register_network(ctx, origin, hotkey, subnets.DYNAMIC_MECHANISM, None)


@calls.call(61, weight=DISSOLVE_NETWORK_WEIGHT)
def dissolve_network(ctx: Context, origin: Origin, coldkey: _ACCOUNT, netuid: _NETUID) -> None:
    """Remove a subnet (root only); `coldkey` is ignored."""
    ensure_root(origin)
    subnets.do_dissolve_network(ctx, netuid)


@calls.call(62, weight=ROOT_REGISTER_WEIGHT)
def root_register(ctx: Context, origin: Origin, hotkey: _ACCOUNT) -> None:
    """Register `hotkey` on the root subnet (no burn); it becomes a delegate."""
    registration.do_root_register(ctx, origin, hotkey)


@calls.call(78, weight=SET_SUBNET_IDENTITY_WEIGHT)
def set_subnet_identity(ctx: Context, origin: Origin, netuid: _NETUID, subnet_name: _BYTES, github_repo: _BYTES,
                        subnet_contact: _BYTES, subnet_url: _BYTES, discord: _BYTES, description: _BYTES,
                        logo_url: _BYTES, additional: _BYTES) -> None:
    """Set the identity of a subnet; the signer must own it."""
    identity = {"subnet_name": subnet_name, "github_repo": github_repo, "subnet_contact": subnet_contact,
                "subnet_url": subnet_url, "discord": discord, "description": description, "logo_url": logo_url,
                "additional": additional}
    subnets.do_set_subnet_identity(ctx, origin, netuid, identity)


@calls.call(79, weight=REGISTER_NETWORK_WITH_IDENTITY_WEIGHT)
def register_network_with_identity(ctx: Context, origin: Origin, hotkey: _ACCOUNT, identity: _IDENTITY) -> None:
    """`register_network`, also setting the subnet's identity when one is given."""
    subnets.do_register_network(ctx, origin, hotkey, subnets.DYNAMIC_MECHANISM, identity)


@calls.call(92, weight=START_CALL_WEIGHT)
def start_call(ctx: Context, origin: Origin, netuid: _NETUID) -> None:
    """Start a subnet's emission (and enable its subtoken); the signer must own the subnet."""
    subnets.do_start_call(ctx, origin, netuid)


@calls.call(112, weight=UPDATE_SYMBOL_WEIGHT)
def update_symbol(ctx: Context, origin: Origin, netuid: _NETUID, symbol: _BYTES) -> None:
    """Change a subnet's token symbol to an unused one of the built-in table (owner or root)."""
    subnets.do_update_symbol(ctx, origin, netuid, symbol)


@calls.call(120, weight=DISSOLVE_NETWORK_WEIGHT)
def root_dissolve_network(ctx: Context, origin: Origin, netuid: _NETUID) -> None:
    """Remove a subnet (root only)."""
    ensure_root(origin)
    subnets.do_dissolve_network(ctx, netuid)


@calls.call(134, weight=REGISTER_LIMIT_WEIGHT)
def register_limit(ctx: Context, origin: Origin, netuid: _NETUID, hotkey: _ACCOUNT, limit_price: _U64) -> None:
    """`burned_register`, failing if the registration price exceeds `limit_price`."""
    registration.do_register_limit(ctx, origin, netuid, hotkey, limit_price)


__all__ = ["calls"]
