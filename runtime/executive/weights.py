"""CheckWeight: per-extrinsic and per-block weight and length limits (frame_system::CheckWeight).

An extrinsic's weight counts its call weight plus the class's ``base_extrinsic``. Normal transactions
may fill 75% of the block; Operational ones the whole block; Mandatory (inherents) are never refused.
"""

from __future__ import annotations

from typing import Any

from runtime.pallets.system import storage as system_storage
from runtime.pallets.system.pallet import LIMITS, block_length_value, block_weights_value
from runtime.support.dispatch import DispatchClass, DispatchInfo, Weight
from runtime.support.externalities import Externalities
from runtime.executive.validity import invalid

_CLASS_KEY = {DispatchClass.Normal: "normal", DispatchClass.Operational: "operational",
              DispatchClass.Mandatory: "mandatory"}
BLOCK_WEIGHTS = block_weights_value()
BLOCK_LENGTH = block_length_value()


def extrinsic_weight(info: DispatchInfo) -> Weight:
    """Call weight plus the base weight every extrinsic of its class pays."""
    return info.weight + BLOCK_WEIGHTS["per_class"][_CLASS_KEY[info.dispatch_class]]["base_extrinsic"]


def check_extrinsic_fits(ext: Externalities, info: DispatchInfo, length: int) -> None:
    """Validation: the extrinsic alone must fit its class's per-extrinsic and length limits."""
    key = _CLASS_KEY[info.dispatch_class]
    if length > BLOCK_LENGTH["max"][key]:
        raise invalid("ExhaustsResources")
    limit = BLOCK_WEIGHTS["per_class"][key]["max_extrinsic"]
    if limit is not None and not extrinsic_weight(info).all_lte(limit):
        raise invalid("ExhaustsResources")


def note_extrinsic_weight(ext: Externalities, info: DispatchInfo, length: int) -> None:
    """Application: add the extrinsic to the block totals, refusing what would overflow them."""
    key = _CLASS_KEY[info.dispatch_class]
    all_len = (system_storage.AllExtrinsicsLen.get(ext) or 0) + length
    if info.dispatch_class is not DispatchClass.Mandatory and all_len > BLOCK_LENGTH["max"][key]:
        raise invalid("ExhaustsResources")
    per_class: dict[str, Any] = dict(system_storage.BlockWeight.get(ext))
    new_class_weight = per_class[key] + extrinsic_weight(info)
    max_total = BLOCK_WEIGHTS["per_class"][key]["max_total"]
    if info.dispatch_class is not DispatchClass.Mandatory and max_total is not None:
        if not new_class_weight.all_lte(max_total):
            raise invalid("ExhaustsResources")
    per_class[key] = new_class_weight
    system_storage.BlockWeight.put(ext, per_class)
    system_storage.AllExtrinsicsLen.put(ext, all_len)


def register_extra_weight(ext: Externalities, weight: Weight, dispatch_class: DispatchClass) -> None:
    """Add weight without checks (block base weight and hooks, FRAME's ``register_extra_weight_unchecked``)."""
    per_class: dict[str, Any] = dict(system_storage.BlockWeight.get(ext))
    key = _CLASS_KEY[dispatch_class]
    per_class[key] = per_class[key] + weight
    system_storage.BlockWeight.put(ext, per_class)


def reclaim(ext: Externalities, info: DispatchInfo, unspent: Weight) -> None:
    """Give back weight a call did not use (post-dispatch correction)."""
    if unspent.ref_time == 0 and unspent.proof_size == 0:
        return
    per_class: dict[str, Any] = dict(system_storage.BlockWeight.get(ext))
    key = _CLASS_KEY[info.dispatch_class]
    per_class[key] = per_class[key].saturating_sub(unspent)
    system_storage.BlockWeight.put(ext, per_class)


__all__ = ["BLOCK_LENGTH", "BLOCK_WEIGHTS", "LIMITS", "check_extrinsic_fits", "extrinsic_weight",
           "note_extrinsic_weight", "reclaim", "register_extra_weight"]
