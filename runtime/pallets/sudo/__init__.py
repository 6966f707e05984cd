"""pallet_sudo: one superuser key that may dispatch any call as Root (or as any signed account).

The calls are authorised by :func:`ensure_sudo`: a signed origin must be the key; Root is accepted too
(FRAME's ``ensure_signed_or_root``). The wrapped call runs in its own storage transaction, bypassing the
call filter; if it fails its changes are rolled back but the sudo call itself still succeeds, and the
outcome travels in the ``Sudid`` / ``SudoAsDone`` event. The sudo key pays no fee (``Pays::No``).

Weights are pallet_sudo's benchmarked ``SubstrateWeight`` (one ``Sudo::Key`` read, plus a write for the
key-changing calls) with node-subtensor's RocksDB weights; ``sudo`` and ``sudo_as`` add the inner call's.
"""

from __future__ import annotations

from typing import Annotated, Any

from runtime.pallets.utility import nested
from runtime.primitives.types import AccountId32, MultiAddress
from runtime.scale import Option
from runtime.support.context import Context
from runtime.support.dispatch import (
    BadOrigin, DB_READ, DB_WRITE, DispatchError, DispatchResultCodec, Origin, Pays, PostDispatchInfo, Weight,
)
from runtime.support.outer import RuntimeCallRef
from runtime.support.pallet import Pallet, PalletCalls, PalletErrors, PalletEvents
from runtime.support.storage import PalletStorage

CRATE = "pallet_sudo"

SUDO_WEIGHT = Weight(10_729_000 + DB_READ, 1_517)
SUDO_AS_WEIGHT = Weight(11_003_000 + DB_READ, 1_517)
SET_KEY_WEIGHT = Weight(9_663_000 + DB_READ + DB_WRITE, 1_517)
REMOVE_KEY_WEIGHT = Weight(9_127_000 + DB_READ + DB_WRITE, 1_517)

# -- storage, events, errors ------------------------------------------------------------------------

storage = PalletStorage("Sudo")
Key = storage.value("Key", AccountId32, docs=[" The `AccountId` of the sudo key."])

events = PalletEvents("Sudo", CRATE)
Sudid = events.event(0, "Sudid", [("sudo_result", DispatchResultCodec, "DispatchResult")],
                     [" A sudo call just took place."])
KeyChanged = events.event(1, "KeyChanged", [("old", Option(AccountId32), "Option<T::AccountId>"),
                                            ("new", AccountId32, "T::AccountId")],
                          [" The sudo key has been updated."])
KeyRemoved = events.event(2, "KeyRemoved", [], [" The key was permanently removed."])
SudoAsDone = events.event(3, "SudoAsDone", [("sudo_result", DispatchResultCodec, "DispatchResult")],
                          [" A [sudo_as](Pallet::sudo_as) call just took place."])

errors = PalletErrors("Sudo", CRATE, [("RequireSudo", "Sender must be the Sudo account.")])

# -- helpers ----------------------------------------------------------------------------------------


def key(ext: Any) -> bytes | None:
    """The current sudo key, if any."""
    return Key.get(ext)  # type: ignore[no-any-return]


def ensure_sudo(ctx: Context, origin: Origin) -> None:
    """Root, or a signed origin holding the sudo key; ``RequireSudo`` for other signers."""
    if origin.kind == "Root":
        return
    if origin.kind != "Signed" or origin.account is None:
        raise BadOrigin()
    if Key.get(ctx) != origin.account:
        raise errors.RequireSudo


def lookup(address: Any) -> bytes:
    """node-subtensor's ``AccountIdLookup``: ``Id`` and ``Address32`` resolve, the rest ``CannotLookup``."""
    kind, value = address
    if kind in ("Id", "Address32"):
        return bytes(value)
    raise DispatchError("CannotLookup")


def dispatch_inner(ctx: Context, origin: Origin, call: Any) -> Any:
    """Dispatch ``call`` (filter bypassed) in its own storage transaction; the ``DispatchResult`` value."""
    _, error = nested.dispatch(ctx, origin, call, bypass_filter=True)
    return nested.result_value(ctx, error)


def _plus_inner(own: Weight) -> Any:
    return lambda args: own + nested.call_info(args["call"]).weight


# -- calls ------------------------------------------------------------------------------------------

calls = PalletCalls(CRATE)
_CALL = Annotated[Any, RuntimeCallRef, "Box<<T as Config>::RuntimeCall>"]
_LOOKUP = Annotated[Any, MultiAddress, "AccountIdLookupOf<T>"]
_WEIGHT = Annotated[Weight, Weight.SCALE, "Weight"]  # type: ignore[attr-defined]
_NO_FEE = PostDispatchInfo(pays_fee=Pays.No)


@calls.call(0, weight=_plus_inner(SUDO_WEIGHT))
def sudo(ctx: Context, origin: Origin, call: _CALL) -> PostDispatchInfo:
    """Authenticates the sudo key and dispatches a function call with `Root` origin."""
    ensure_sudo(ctx, origin)
    ctx.deposit_event(Sudid(sudo_result=dispatch_inner(ctx, Origin.root(), call)))
    return _NO_FEE


@calls.call(1, weight=lambda args: args["weight"])
def sudo_unchecked_weight(ctx: Context, origin: Origin, call: _CALL, weight: _WEIGHT) -> PostDispatchInfo:
    """Authenticates the sudo key and dispatches a function call with `Root` origin.
    This function does not check the weight of the call, and instead allows the
    Sudo user to specify the weight of the call.

    The dispatch origin for this call must be _Signed_."""
    ensure_sudo(ctx, origin)
    ctx.deposit_event(Sudid(sudo_result=dispatch_inner(ctx, Origin.root(), call)))
    return _NO_FEE


@calls.call(2, weight=SET_KEY_WEIGHT)
def set_key(ctx: Context, origin: Origin, new: _LOOKUP) -> PostDispatchInfo:
    """Authenticates the current sudo key and sets the given AccountId (`new`) as the new sudo
    key."""
    ensure_sudo(ctx, origin)
    account = lookup(new)
    ctx.deposit_event(KeyChanged(old=Key.get(ctx), new=account))
    Key.put(ctx, account)
    return _NO_FEE


@calls.call(3, weight=_plus_inner(SUDO_AS_WEIGHT))
def sudo_as(ctx: Context, origin: Origin, who: _LOOKUP, call: _CALL) -> PostDispatchInfo:
    """Authenticates the sudo key and dispatches a function call with `Signed` origin from
    a given account.

    The dispatch origin for this call must be _Signed_."""
    ensure_sudo(ctx, origin)
    account = lookup(who)
    ctx.deposit_event(SudoAsDone(sudo_result=dispatch_inner(ctx, Origin.signed(account), call)))
    return _NO_FEE


@calls.call(4, weight=REMOVE_KEY_WEIGHT)
def remove_key(ctx: Context, origin: Origin) -> PostDispatchInfo:
    """Permanently removes the sudo key.

    **This cannot be un-done.**"""
    ensure_sudo(ctx, origin)
    ctx.deposit_event(KeyRemoved())
    Key.kill(ctx)
    return _NO_FEE


def genesis(ctx: Context, config: dict[str, Any]) -> None:
    """``{"key": ss58 | hex | bytes | None}`` — the genesis sudo key, if any."""
    from runtime.primitives.ss58 import account_id_from

    if config.get("key"):
        Key.put(ctx, account_id_from(config["key"]))


PALLET = Pallet("Sudo", storage=storage, calls=calls, events=events, errors=errors, genesis=genesis)

__all__ = [
    "Key", "KeyChanged", "KeyRemoved", "PALLET", "Sudid", "SudoAsDone", "calls", "dispatch_inner", "ensure_sudo",
    "errors", "events", "key", "lookup",
]
