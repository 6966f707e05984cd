"""Dispatching calls carried inside other calls (Utility's batches, Sudo): weighing, filtering, results.

A call that wraps other calls weighs its own cost plus theirs, so pre-dispatch weighing needs the inner
calls' declarations. Weight functions only receive the call's arguments, so :func:`call_info` finds the
declaring pallet by name among the loaded pallet modules (a stopgap until the runtime offers call
weighing to pallets).

:func:`dispatch` runs one inner call in its own storage transaction (rolled back if it fails), optionally
through node-subtensor's base call filter (``NoNestingCallFilter``: no batch inside a batch), and reports
``(post_info, error)`` instead of raising.
"""

from __future__ import annotations

import sys
from typing import Any

from runtime.scale import Err, Ok
from runtime.support.context import Context
from runtime.support.dispatch import DispatchError, DispatchInfo, Origin, PostDispatchInfo, Weight
from runtime.support.pallet import Pallet

_PALLETS: dict[str, Pallet] = {}
BATCH_CALLS = frozenset({"batch", "batch_all", "force_batch"})


def _find_pallet(name: str) -> Pallet:
    pallet = _PALLETS.get(name)
    if pallet is not None:
        return pallet
    for module in list(sys.modules.values()):
        for value in list(getattr(module, "__dict__", {}).values()):
            if isinstance(value, Pallet) and value.calls is not None:
                _PALLETS.setdefault(value.name, value)
    try:
        return _PALLETS[name]
    except KeyError:
        raise LookupError(f"no loaded pallet named {name!r}") from None


def call_info(call: Any) -> DispatchInfo:
    """Weight, class and fee flag of a runtime call value ``(pallet, (call, args))``."""
    pallet_name, inner = call
    call_name, args = (inner, {}) if isinstance(inner, str) else inner  # argument-less calls decode bare
    calls = _find_pallet(pallet_name).calls
    assert calls is not None
    definition = calls.by_name[call_name]
    return DispatchInfo(definition.weight_of(args or {}), definition.dispatch_class, definition.pays)


def actual_weight(info: DispatchInfo, post: PostDispatchInfo | None) -> Weight:
    """FRAME's ``extract_actual_weight``: the reported weight, capped by the declared one."""
    if post is None or post.actual_weight is None:
        return info.weight
    return post.actual_weight.min(info.weight)


def is_batch(call: Any) -> bool:
    pallet_name, inner = call
    call_name = inner if isinstance(inner, str) else inner[0]
    return bool(pallet_name == "Utility" and call_name in BATCH_CALLS)


def base_call_filter(call: Any) -> bool:
    """node-subtensor's ``NoNestingCallFilter``: a batch may not directly contain another batch.

    Applies to every dispatch from a non-Root origin (top-level signed extrinsics included); Root
    bypasses it. A rejected call fails with ``System.CallFiltered``.
    """
    if not is_batch(call):
        return True
    return not any(is_batch(inner) for inner in call[1][1]["calls"])


def call_filtered() -> DispatchError:
    from runtime.pallets.system.pallet import errors as system_errors

    return system_errors.CallFiltered


def dispatch(ctx: Context, origin: Origin, call: Any, *, bypass_filter: bool = False
             ) -> tuple[PostDispatchInfo | None, DispatchError | None]:
    """Run ``call`` in its own storage transaction; returns ``(post_info, None)`` or ``(None, error)``.

    Unless ``bypass_filter`` (FRAME's ``dispatch_bypass_filter``), a non-Root origin goes through
    :func:`base_call_filter` first.
    """
    if not bypass_filter and not origin.is_root and not base_call_filter(call):
        return None, call_filtered()
    try:
        with ctx.transaction():
            post = ctx.dispatch(origin, call)
    except DispatchError as error:
        return None, error
    return post, None


def with_post_info(error: DispatchError, weight: Weight) -> DispatchError:
    """Attach the weight actually used to a failing call's error (FRAME's ``DispatchErrorWithPostInfo``)."""
    error.post_info = PostDispatchInfo(actual_weight=weight)  # type: ignore[attr-defined]
    return error


def reported_weight(post: PostDispatchInfo | None, error: DispatchError | None) -> Weight | None:
    """FRAME's ``get_result_weight``: the actual weight a dispatch reported, failed or not (None if none)."""
    if error is not None:
        info = getattr(error, "post_info", None)
        return None if info is None else info.actual_weight
    return None if post is None else post.actual_weight


def result_value(ctx: Context, error: DispatchError | None) -> Any:
    """The ``DispatchResult`` value of a dispatch, as events carry it."""
    return Ok(None) if error is None else Err(ctx.runtime.dispatch_error_value(error))
