"""SubtensorModule root-claim calls of spec 461: ``claim_root`` (121), ``sudo_set_root_claim_threshold``
(124) and ``claim_root_with_hotkey`` (148). Logic: :mod:`.root_claim`.

Weights: spec 461 declares the claims with a work-envelope formula we do not model; the figure here
is the reference's per-subnet claim benchmark (60 M ref-time, 6,987 proof, 7 reads, 5 writes) for one
claim, an estimate. The threshold setter is the reference's 5.711 M + 1 write, operational.
"""

from __future__ import annotations

from typing import Annotated, Any

from runtime.pallets.subtensor import root_claim
from runtime.pallets.subtensor.calls import (
    calls, ACCOUNT_ARG as _ACCOUNT, NETUID_ARG as _NETUID, U64_ARG as _U64,
)
from runtime.pallets.subtensor.types import NetUid
from runtime.scale import BTreeSet
from runtime.support.context import Context
from runtime.support.dispatch import DispatchClass, Origin, benchmarked, ensure_signed

CLAIM_ROOT_WEIGHT = benchmarked(60_000_000, 6_987, 7, 5)
SUDO_SET_ROOT_CLAIM_THRESHOLD_WEIGHT = benchmarked(5_711_000, 0, 0, 1)

_SUBNETS = Annotated[Any, BTreeSet(NetUid), "BTreeSet<NetUid>"]


@calls.call(121, weight=CLAIM_ROOT_WEIGHT)
def claim_root(ctx: Context, origin: Origin, subnets: _SUBNETS) -> None:
    """Claim the signer's root dividends through every hotkey it stakes to, as root TAO stake.

    `subnets` is ignored (kept so pre-basket call data still decodes), as in spec 461."""
    coldkey = ensure_signed(origin)
    del subnets
    root_claim.do_root_claim(ctx, coldkey)


@calls.call(124, weight=SUDO_SET_ROOT_CLAIM_THRESHOLD_WEIGHT, dispatch_class=DispatchClass.Operational)
def sudo_set_root_claim_threshold(ctx: Context, origin: Origin, netuid: _NETUID, new_value: _U64) -> None:
    """Set the dust threshold below which a claim is skipped; only `netuid` 0 (root) is accepted."""
    root_claim.do_set_root_claim_threshold(ctx, origin, netuid, new_value)


@calls.call(148, weight=CLAIM_ROOT_WEIGHT)
def claim_root_with_hotkey(ctx: Context, origin: Origin, hotkey: _ACCOUNT) -> None:
    """Claim the signer's root dividends through one validator `hotkey` only."""
    coldkey = ensure_signed(origin)
    root_claim.do_root_claim(ctx, coldkey, [hotkey])


__all__ = ["claim_root", "claim_root_with_hotkey", "sudo_set_root_claim_threshold"]
