"""SubtensorModule calls for serving, delegate takes, identities and child keys, registered on the shared
:data:`runtime.pallets.subtensor.calls.calls` table (imported by :mod:`.pallet`).

Indices, argument names and types follow the recorded metadata; weights are pallet_subtensor's
benchmarked ``SubstrateWeight`` values (spec 425) with RocksDB read/write weights. Serving and the
delegate-take calls are free (``Pays::No``), the others pay. The logic lives in :mod:`.serving` and
:mod:`.delegation`.
"""

from __future__ import annotations

from typing import Annotated

from runtime.pallets.subtensor import delegation, serving
from runtime.pallets.subtensor.calls import (
    calls, NETUID_ARG as _NETUID, ACCOUNT_ARG as _ACCOUNT, BYTES_ARG as _BYTES,
)
from runtime.pallets.subtensor.types import ChildList, PerU16
from runtime.scale import U8, U16, U32, U128
from runtime.support.context import Context
from runtime.support.dispatch import Origin, Pays, benchmarked

SERVE_AXON_WEIGHT = benchmarked(31_278_000, 4178, 3, 1)
SERVE_AXON_TLS_WEIGHT = benchmarked(30_617_000, 4149, 3, 1)
SERVE_PROMETHEUS_WEIGHT = benchmarked(29_294_000, 4277, 3, 1)
SET_IDENTITY_WEIGHT = benchmarked(32_040_000, 6829, 3, 1)
INCREASE_TAKE_WEIGHT = benchmarked(37_710_000, 4388, 5, 2)
DECREASE_TAKE_WEIGHT = benchmarked(29_895_000, 4295, 3, 2)
SET_CHILDKEY_TAKE_WEIGHT = benchmarked(53_870_000, 4498, 7, 2)
SET_CHILDREN_WEIGHT = benchmarked(119_000_000, 0, 6, 31)
"""Not benchmarked in the reference: a fixed estimate."""

_TAKE = Annotated[int, PerU16, "PerU16"]
_U8 = Annotated[int, U8, "u8"]
_U16 = Annotated[int, U16, "u16"]
_U32 = Annotated[int, U32, "u32"]
_U128 = Annotated[int, U128, "u128"]
_CHILDREN = Annotated[list, ChildList, "Vec<(u64, T::AccountId)>"]


@calls.call(4, weight=SERVE_AXON_WEIGHT, pays=Pays.No)
def serve_axon(ctx: Context, origin: Origin, netuid: _NETUID, version: _U32, ip: _U128, port: _U16, ip_type: _U8,
               protocol: _U8, placeholder1: _U8, placeholder2: _U8) -> None:
    """Publish the signing hotkey's axon endpoint on `netuid` (rate-limited by `ServingRateLimit`)."""
    serving.do_serve_axon(ctx, origin, netuid, version, ip, port, ip_type, protocol, placeholder1, placeholder2,
                          None)


@calls.call(40, weight=SERVE_AXON_TLS_WEIGHT, pays=Pays.No)
def serve_axon_tls(ctx: Context, origin: Origin, netuid: _NETUID, version: _U32, ip: _U128, port: _U16,
                   ip_type: _U8, protocol: _U8, placeholder1: _U8, placeholder2: _U8, certificate: _BYTES) -> None:
    """`serve_axon`, also storing the neuron's TLS certificate (algorithm byte, then the public key)."""
    serving.do_serve_axon(ctx, origin, netuid, version, ip, port, ip_type, protocol, placeholder1, placeholder2,
                          certificate)


@calls.call(5, weight=SERVE_PROMETHEUS_WEIGHT, pays=Pays.No)
def serve_prometheus(ctx: Context, origin: Origin, netuid: _NETUID, version: _U32, ip: _U128, port: _U16,
                     ip_type: _U8) -> None:
    """Publish the signing hotkey's prometheus endpoint on `netuid`."""
    serving.do_serve_prometheus(ctx, origin, netuid, version, ip, port, ip_type)


@calls.call(68, weight=SET_IDENTITY_WEIGHT)
def set_identity(ctx: Context, origin: Origin, name: _BYTES, url: _BYTES, github_repo: _BYTES, image: _BYTES,
                 discord: _BYTES, description: _BYTES, additional: _BYTES) -> None:
    """Set the signing coldkey's identity; one of its hotkeys must be registered on some subnet."""
    delegation.do_set_identity(ctx, origin, {
        "name": name, "url": url, "github_repo": github_repo, "image": image, "discord": discord,
        "description": description, "additional": additional})


@calls.call(66, weight=INCREASE_TAKE_WEIGHT, pays=Pays.No)
def increase_take(ctx: Context, origin: Origin, hotkey: _ACCOUNT, take: _TAKE) -> None:
    """Raise the delegate take of a hotkey the signer owns (rate-limited by `TxDelegateTakeRateLimit`)."""
    delegation.do_increase_take(ctx, origin, hotkey, take)


@calls.call(65, weight=DECREASE_TAKE_WEIGHT, pays=Pays.No)
def decrease_take(ctx: Context, origin: Origin, hotkey: _ACCOUNT, take: _TAKE) -> None:
    """Lower the delegate take of a hotkey the signer owns."""
    delegation.do_decrease_take(ctx, origin, hotkey, take)


@calls.call(75, weight=SET_CHILDKEY_TAKE_WEIGHT)
def set_childkey_take(ctx: Context, origin: Origin, hotkey: _ACCOUNT, netuid: _NETUID, take: _TAKE) -> None:
    """Set the share a child hotkey keeps of what its parents' stake earns on `netuid`."""
    delegation.do_set_childkey_take(ctx, origin, hotkey, netuid, take)


@calls.call(67, weight=SET_CHILDREN_WEIGHT)
def set_children(ctx: Context, origin: Origin, hotkey: _ACCOUNT, netuid: _NETUID, children: _CHILDREN) -> None:
    """Schedule (or, before the subnet starts, apply) the hotkey's child keys with stake proportions."""
    delegation.do_schedule_children(ctx, origin, hotkey, netuid, children)


__all__ = [
    "decrease_take", "increase_take", "serve_axon", "serve_axon_tls", "serve_prometheus", "set_childkey_take",
    "set_children", "set_identity",
]
