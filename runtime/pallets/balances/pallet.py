"""pallet_balances calls, constants and the pallet declaration (call indices as in node-subtensor)."""

from __future__ import annotations

from typing import Annotated, Any

from runtime.pallets.balances import api, weights
from runtime.pallets.balances import storage as balances_storage
from runtime.pallets.balances.events import CRATE, PARAMS, errors, events
from runtime.pallets.balances.events import BalanceSet, TotalIssuanceForced
from runtime.pallets.balances.types import AdjustmentDirection, CompactBalance, TaoBalance
from runtime.primitives.types import AccountId32, MultiAddress
from runtime.scale import U32, Bool, Vec
from runtime.support.context import Context
from runtime.support.dispatch import (
    DispatchError, Origin, Pays, PostDispatchInfo, ensure_root, ensure_signed,
)
from runtime.support.pallet import ConstantDef, Pallet, PalletCalls

Address = Annotated[Any, MultiAddress, "AccountIdLookupOf<T>"]
Balance = Annotated[int, CompactBalance, "T::Balance"]


def lookup(address: Any) -> bytes:
    """subtensor's ``AccountIdLookup``: only ``MultiAddress::Id`` resolves."""
    if isinstance(address, tuple) and address[0] == "Id":
        return bytes(address[1])
    raise DispatchError("CannotLookup")


calls = PalletCalls(CRATE, params=PARAMS)


@calls.call(0, weight=weights.TRANSFER_ALLOW_DEATH)
def transfer_allow_death(ctx: Context, origin: Origin, dest: Address, value: Balance) -> None:
    """Transfer free balance to another account; the sender may be reaped if it drops below the ED."""
    source = ensure_signed(origin)
    api.fungible_transfer(ctx, source, lookup(dest), value, api.EXPENDABLE)


@calls.call(2, weight=weights.FORCE_TRANSFER)
def force_transfer(ctx: Context, origin: Origin, source: Address, dest: Address, value: Balance) -> None:
    """Root moves free balance between any two accounts (allow-death semantics)."""
    ensure_root(origin)
    api.fungible_transfer(ctx, lookup(source), lookup(dest), value, api.EXPENDABLE)


@calls.call(3, weight=weights.TRANSFER_KEEP_ALIVE)
def transfer_keep_alive(ctx: Context, origin: Origin, dest: Address, value: Balance) -> None:
    """Transfer free balance, failing rather than taking the sender below the ED."""
    source = ensure_signed(origin)
    api.fungible_transfer(ctx, source, lookup(dest), value, api.PRESERVE)


@calls.call(4, weight=weights.TRANSFER_ALL)
def transfer_all(ctx: Context, origin: Origin, dest: Address,
                 keep_alive: Annotated[bool, Bool, "bool"]) -> None:
    """Send everything transferable (keeping the ED back when ``keep_alive``)."""
    source = ensure_signed(origin)
    preservation = api.PRESERVE if keep_alive else api.EXPENDABLE
    amount = api.reducible_balance(ctx, source, preservation, polite=True)
    api.fungible_transfer(ctx, source, lookup(dest), amount, preservation)


@calls.call(5, weight=weights.FORCE_UNRESERVE)
def force_unreserve(ctx: Context, origin: Origin, who: Address,
                    amount: Annotated[int, TaoBalance, "T::Balance"]) -> None:
    """Root releases reserved balance of an account."""
    ensure_root(origin)
    api.unreserve(ctx, lookup(who), amount)


@calls.call(6, weight=lambda args: weights.upgrade_accounts(len(args["who"])))
def upgrade_accounts(ctx: Context, origin: Origin,
                     who: Annotated[list[bytes], Vec(AccountId32), "Vec<T::AccountId>"]) -> PostDispatchInfo:
    """Move accounts to the current balance logic; free of charge if at least 90% needed it."""
    ensure_signed(origin)
    if not who:
        return PostDispatchInfo(pays_fee=Pays.Yes)
    upgraded = sum(1 for account in who if api.ensure_upgraded(ctx, bytes(account)))
    # Perbill::from_rational(upgraded, len) >= 90%: compare in parts per billion, rounded down.
    share = upgraded * 1_000_000_000 // len(who)
    return PostDispatchInfo(pays_fee=Pays.No if share >= 900_000_000 else Pays.Yes)


@calls.call(8, weight=weights.FORCE_SET_BALANCE)
def force_set_balance(ctx: Context, origin: Origin, who: Address, new_free: Balance) -> None:
    """Root sets an account's free balance (below the ED means zero: the account is reaped)."""
    ensure_root(origin)
    account = lookup(who)
    free = api.set_balance(ctx, account, new_free)
    ctx.deposit_event(BalanceSet(who=account, free=free))


@calls.call(9, weight=weights.FORCE_ADJUST_TOTAL_ISSUANCE)
def force_adjust_total_issuance(ctx: Context, origin: Origin,
                                direction: Annotated[str, AdjustmentDirection, "AdjustmentDirection"],
                                delta: Balance) -> None:
    """Root raises or lowers TotalIssuance by a non-zero ``delta`` (saturating)."""
    ensure_root(origin)
    if delta <= 0:
        raise errors.DeltaZero
    old = api.total_issuance(ctx)
    new = min(old + delta, api.U64_MAX) if direction == "Increase" else max(old - delta, 0)
    if balances_storage.InactiveIssuance.get(ctx) > new:
        raise errors.IssuanceDeactivated
    balances_storage.TotalIssuance.put(ctx, new)
    ctx.deposit_event(TotalIssuanceForced(old=old, new=new))


@calls.call(10, weight=lambda args: weights.burn(args["keep_alive"]))
def burn(ctx: Context, origin: Origin, value: Balance, keep_alive: Annotated[bool, Bool, "bool"]) -> None:
    """Destroy some of the caller's free balance, reducing TotalIssuance."""
    source = ensure_signed(origin)
    api.burn_from(ctx, source, value, keep_alive=keep_alive, exact=True, polite=True)


# -- constants, genesis -----------------------------------------------------------------------------

CONSTANTS = (
    ConstantDef("ExistentialDeposit", TaoBalance, api.EXISTENTIAL_DEPOSIT, (
        " The minimum amount required to keep an account open. MUST BE GREATER THAN ZERO!", "",
        " If you *really* need it to be zero, you can enable the feature `insecure_zero_ed` for",
        " this pallet. However, you do so at your own risk: this will open up a major DoS vector.",
        " In case you have multiple sources of provider references, you may also get unexpected",
        " behaviour if you set this to zero.", "",
        " Bottom line: Do yourself a favour and make it at least one!")),
    ConstantDef("MaxLocks", U32, api.MAX_LOCKS, (
        " The maximum number of locks that should exist on an account.",
        " Not strictly enforced, but used for weight estimation.", "",
        " Use of locks is deprecated in favour of freezes. See `https://github.com/paritytech/substrate/pull/12951/`")),
    ConstantDef("MaxReserves", U32, api.MAX_RESERVES, (
        " The maximum number of named reserves that can exist on an account.", "",
        " Use of reserves is deprecated in favour of holds. See `https://github.com/paritytech/substrate/pull/12951/`")),
    ConstantDef("MaxFreezes", U32, api.MAX_FREEZES, (
        " The maximum number of individual freeze locks that can exist on an account at any time.",)),
)


def genesis(ctx: Context, config: dict[str, Any]) -> None:
    """``{"balances": [[account, amount], ...]}`` (accounts as SS58 strings or 32 bytes)."""
    api.build_genesis(ctx, config.get("balances") or [])


PALLET = Pallet("Balances", storage=balances_storage.storage, calls=calls, events=events, errors=errors,
                constants=CONSTANTS, genesis=genesis)
