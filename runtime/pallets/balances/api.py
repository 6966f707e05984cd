"""Balance logic of pallet_balances (subtensor config: u64 balances, ED 500 rao, accounts in System).

Two families of operations exist, as in FRAME, and they fail differently:

* the ``fungible`` ones used by the calls (:func:`transfer`, :func:`mint_into`, :func:`burn_from`,
  :func:`balanced_withdraw`, :func:`balanced_deposit`) report ``Token``/``Arithmetic`` errors:
  ``FundsUnavailable`` for too little balance, ``NotExpendable`` when a keep-alive operation would take
  the account below the ED, ``BelowMinimum`` when a new account would receive less than the ED,
  ``Frozen``/``OnlyProvider`` for frozen funds or a needed provider reference;
* the legacy ``Currency`` ones (:func:`withdraw`, :func:`deposit_creating`,
  :func:`deposit_into_existing`, :func:`reserve`, :func:`unreserve`) report the pallet's own errors
  (``InsufficientBalance``, ``Expendability``, ``ExistentialDeposit``, ``DeadAccount``,
  ``LiquidityRestrictions``).

Every account change goes through :func:`_try_mutate_account`, which keeps the System reference
counts in step with the balance: reaching the ED adds a provider (``System.NewAccount`` for a new
account, then ``Endowed``); dropping below it removes the provider, reaps the account
(``System.KilledAccount``) and burns the remainder as dust (``DustLost``, TotalIssuance reduced).
Mutating operations run in a storage transaction, so a failure leaves no trace.

Imbalances are settled immediately: an operation that creates or destroys funds adjusts
``TotalIssuance`` itself, so ``sum(free + reserved) == TotalIssuance`` holds after each one
(:func:`try_state` checks it). The exceptions are :func:`balanced_withdraw` / :func:`balanced_deposit`,
which return the amount moved and leave issuance to the caller (transaction fees use them).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from typing import Any, TypeVar

from runtime.pallets import system
from runtime.pallets.balances import events as ev
from runtime.pallets.balances import storage
from runtime.pallets.balances.types import NEW_LOGIC_FLAG, U64_MAX
from runtime.pallets.system import storage as system_storage
from runtime.pallets.system.types import AccountData
from runtime.primitives.ss58 import account_id_from
from runtime.support.context import Context
from runtime.support.dispatch import DispatchError, arithmetic_error, token_error
from runtime.support.externalities import Externalities

EXISTENTIAL_DEPOSIT = 500
MAX_LOCKS = 50
MAX_RESERVES = 50
MAX_FREEZES = 50

EXPENDABLE, PROTECT, PRESERVE = "Expendable", "Protect", "Preserve"

R = TypeVar("R")

# -- inspection -------------------------------------------------------------------------------------


def account_data(ext: Externalities, who: bytes) -> AccountData:
    return system.account(ext, who).data


def free_balance(ext: Externalities, who: bytes) -> int:
    return account_data(ext, who).free


def reserved_balance(ext: Externalities, who: bytes) -> int:
    return account_data(ext, who).reserved


def total_balance(ext: Externalities, who: bytes) -> int:
    data = account_data(ext, who)
    return data.free + data.reserved


def total_issuance(ext: Externalities) -> int:
    return storage.TotalIssuance.get(ext)  # type: ignore[no-any-return]


def active_issuance(ext: Externalities) -> int:
    return max(total_issuance(ext) - storage.InactiveIssuance.get(ext), 0)


def _set_total_issuance(ext: Externalities, value: int) -> None:
    storage.TotalIssuance.put(ext, min(max(value, 0), U64_MAX))


def _can_dec_provider(ext: Externalities, who: bytes) -> bool:
    info = system.account(ext, who)
    return info.consumers == 0 or info.providers > 1


def reducible_balance(ext: Externalities, who: bytes, preservation: str = EXPENDABLE,
                      polite: bool = True) -> int:
    """How much of the free balance can be taken: minus freezes (unless forced) and, when the account
    must survive or its provider reference is needed, minus the existential deposit."""
    data = account_data(ext, who)
    untouchable = max(data.frozen - data.reserved, 0) if polite else 0
    providers = system.account(ext, who).providers
    if (preservation == PRESERVE
            or (preservation == PROTECT and data.free and providers == 1)
            or (preservation == EXPENDABLE and data.free and not _can_dec_provider(ext, who))):
        untouchable = max(untouchable, EXISTENTIAL_DEPOSIT)
    return max(data.free - untouchable, 0)


def usable_balance(ext: Externalities, who: bytes) -> int:
    return reducible_balance(ext, who, EXPENDABLE, True)


def can_deposit(ext: Externalities, who: bytes, amount: int, minted: bool = False) -> str:
    """``DepositConsequence`` name: Success, BelowMinimum or Overflow."""
    if amount == 0:
        return "Success"
    if minted and total_issuance(ext) + amount > U64_MAX:
        return "Overflow"
    data = account_data(ext, who)
    new_free = data.free + amount
    if new_free > U64_MAX:
        return "Overflow"
    if new_free < EXISTENTIAL_DEPOSIT:
        return "BelowMinimum"
    if data.reserved + new_free > U64_MAX:
        return "Overflow"
    return "Success"


@dataclass(frozen=True, slots=True)
class WithdrawConsequence:
    """``WithdrawConsequence``: ``kind`` is Success, ReducedToZero (with the ``dust`` lost), BalanceLow,
    WouldDie, Underflow or Frozen."""

    kind: str
    dust: int = 0

    @property
    def ok(self) -> bool:
        return self.kind in ("Success", "ReducedToZero")


def can_withdraw(ext: Externalities, who: bytes, amount: int) -> WithdrawConsequence:
    """Whether ``amount`` can leave the account (ignoring keep-alive, which callers decide)."""
    if amount == 0:
        return WithdrawConsequence("Success")
    if total_issuance(ext) < amount:
        return WithdrawConsequence("Underflow")
    data = account_data(ext, who)
    if data.free < amount:
        return WithdrawConsequence("BalanceLow")
    new_free = data.free - amount
    if amount > reducible_balance(ext, who, EXPENDABLE, True):
        return WithdrawConsequence("Frozen")
    result = WithdrawConsequence("Success")
    if new_free < EXISTENTIAL_DEPOSIT:
        if not _can_dec_provider(ext, who):
            return WithdrawConsequence("WouldDie")
        result = WithdrawConsequence("ReducedToZero", new_free)
    if new_free + data.reserved < data.frozen:
        return WithdrawConsequence("Frozen")
    return result


_WITHDRAW_ERRORS = {"BalanceLow": ("Token", "FundsUnavailable"), "WouldDie": ("Token", "OnlyProvider"),
                    "Underflow": ("Arithmetic", "Underflow"), "Overflow": ("Arithmetic", "Overflow"),
                    "Frozen": ("Token", "Frozen")}


def _withdraw_result(consequence: WithdrawConsequence, keep_nonzero: bool) -> None:
    if consequence.kind in _WITHDRAW_ERRORS:
        raise DispatchError(_WITHDRAW_ERRORS[consequence.kind])
    if consequence.kind == "ReducedToZero" and keep_nonzero:
        raise token_error("NotExpendable")


def _deposit_result(consequence: str) -> None:
    if consequence == "BelowMinimum":
        raise token_error("BelowMinimum")
    if consequence == "Overflow":
        raise arithmetic_error("Overflow")


# -- the account mutation core ----------------------------------------------------------------------


class _Account:
    """A mutable working copy of an account's balances."""

    __slots__ = ("free", "reserved", "frozen", "flags")

    def __init__(self, data: AccountData) -> None:
        self.free, self.reserved, self.frozen, self.flags = data.free, data.reserved, data.frozen, data.flags

    def data(self) -> AccountData:
        return AccountData(self.free, self.reserved, self.frozen, self.flags)


def _store(ctx: Context, who: bytes, data: AccountData | None) -> None:
    """System's ``StoredMap::try_mutate_exists`` write-back: keep the data only while the account lives."""
    info = system.account(ctx, who)
    if info.providers > 0 or info.sufficients > 0:
        system.put_account(ctx, who, replace(info, data=data or AccountData()))
    else:
        system_storage.Account.kill(ctx, who)


def ensure_upgraded(ctx: Context, who: bytes) -> bool:
    """Move an account to the holds/freezes logic (sets the flag); True if it needed upgrading."""
    info = system.account(ctx, who)
    data = info.data
    if data.flags & NEW_LOGIC_FLAG:
        return False
    data = replace(data, flags=data.flags | NEW_LOGIC_FLAG)
    if data.reserved and not data.frozen:
        if info.providers == 0:
            data = replace(data, free=max(data.free, EXISTENTIAL_DEPOSIT))
            system.inc_providers(ctx, who)
        system.inc_consumers(ctx, who)
    _store(ctx, who, data)
    ctx.deposit_event(ev.Upgraded(who=who))
    return True


def _try_mutate_account(ctx: Context, who: bytes, f: Callable[[_Account, bool], R]) -> tuple[R, int | None]:
    """Apply ``f(account, is_new)`` and fix up references, storage and events; returns (result, dust).

    The dust (a non-zero free balance below the ED of an account that got reaped) is *not* yet
    removed from TotalIssuance; callers hand it to :func:`_handle_dust`.
    """
    with ctx.transaction():
        ensure_upgraded(ctx, who)
        current = account_data(ctx, who)
        is_new = current == AccountData()
        account = _Account(current)
        did_provide = account.free >= EXISTENTIAL_DEPOSIT
        did_consume = not is_new and bool(account.reserved or account.frozen)

        result = f(account, is_new)

        does_provide = account.free >= EXISTENTIAL_DEPOSIT
        does_consume = bool(account.reserved or account.frozen)
        if not did_provide and does_provide:
            system.inc_providers(ctx, who)
        if did_consume and not does_consume:
            system.dec_consumers(ctx, who)
        if not did_consume and does_consume:
            system.inc_consumers(ctx, who)
        if does_consume and system.account(ctx, who).consumers == 0:
            system.inc_consumers(ctx, who)  # failsafe, as upstream
        if did_provide and not does_provide:
            system.dec_providers(ctx, who)  # may reap the account, so it goes last

        endowed = account.free if is_new else None
        dust: int | None = None
        if account.free < EXISTENTIAL_DEPOSIT and account.reserved == 0:
            dust = account.free or None
            _store(ctx, who, None)
        else:
            _store(ctx, who, account.data())
        if endowed is not None:
            ctx.deposit_event(ev.Endowed(account=who, free_balance=endowed))
        if dust is not None:
            ctx.deposit_event(ev.DustLost(account=who, amount=dust))
    return result, dust


def _handle_dust(ctx: Context, dust: int | None) -> None:
    """Dust removal is ``()`` in subtensor: the dust is destroyed (TotalIssuance goes down)."""
    if dust:
        _set_total_issuance(ctx, total_issuance(ctx) - min(dust, EXISTENTIAL_DEPOSIT - 1))


def _mutate_handling_dust(ctx: Context, who: bytes, f: Callable[[_Account, bool], R]) -> R:
    result, dust = _try_mutate_account(ctx, who, f)
    _handle_dust(ctx, dust)
    return result


# -- fungible::Unbalanced ---------------------------------------------------------------------------


def write_balance(ctx: Context, who: bytes, amount: int) -> int | None:
    """Force the free balance (never below what a forced, expendable withdrawal could reach)."""
    max_reduction = reducible_balance(ctx, who, EXPENDABLE, polite=False)

    def apply(account: _Account, _: bool) -> None:
        if max(account.free - amount, 0) > max_reduction:
            raise ev.errors.InsufficientBalance
        account.free = amount

    _, dust = _try_mutate_account(ctx, who, apply)
    return dust


def decrease_balance(ctx: Context, who: bytes, amount: int, *, exact: bool, preservation: str,
                     polite: bool = True) -> int:
    old = free_balance(ctx, who)
    free = reducible_balance(ctx, who, preservation, polite)
    if not exact:
        amount = min(amount, free)
    elif free < amount:
        raise token_error("FundsUnavailable")
    if amount > old:
        raise token_error("FundsUnavailable")
    new = old - amount
    _handle_dust(ctx, write_balance(ctx, who, new))
    return old - new


def increase_balance(ctx: Context, who: bytes, amount: int, *, exact: bool) -> int:
    old = free_balance(ctx, who)
    new = old + amount
    if new > U64_MAX:
        if exact:
            raise arithmetic_error("Overflow")
        new = U64_MAX
    if new < EXISTENTIAL_DEPOSIT:
        if exact:
            raise token_error("BelowMinimum")
        return 0
    if new == old:
        return 0
    _handle_dust(ctx, write_balance(ctx, who, new))
    return new - old


# -- fungible::Mutate / Balanced --------------------------------------------------------------------


def fungible_transfer(ctx: Context, source: bytes, dest: bytes, amount: int, preservation: str) -> int:
    """``fungible::Mutate::transfer``: the transfer calls' semantics (Token errors, ``Transfer`` event)."""
    with ctx.transaction():
        _withdraw_result(can_withdraw(ctx, source, amount), keep_nonzero=preservation != EXPENDABLE)
        _deposit_result(can_deposit(ctx, dest, amount))
        decrease_balance(ctx, source, amount, exact=False, preservation=preservation, polite=True)
        try:
            increase_balance(ctx, dest, amount, exact=False)
        except DispatchError:
            pass  # cannot happen after can_deposit; upstream ignores it too
        ctx.deposit_event(ev.Transfer(from_=source, to=dest, amount=amount))
    return amount


def transfer(ctx: Context, source: bytes, dest: bytes, value: int, keep_alive: bool) -> None:
    """Move ``value`` from ``source`` to ``dest`` (``Currency::transfer``: a no-op for zero or self).

    Fails with Token(FundsUnavailable) when the balance is too low, Token(NotExpendable) when
    ``keep_alive`` and the source would drop below the ED, Token(BelowMinimum) when ``dest`` is new and
    ``value`` is below the ED. Without keep-alive the source may be reaped (its dust is burned).
    """
    if value == 0 or source == dest:
        return
    fungible_transfer(ctx, source, dest, value, PRESERVE if keep_alive else EXPENDABLE)


def mint_into(ctx: Context, who: bytes, amount: int) -> int:
    """Create ``amount`` new funds in ``who`` (``Minted``); fails below the ED for a new account."""
    with ctx.transaction():
        if total_issuance(ctx) + amount > U64_MAX:
            raise arithmetic_error("Overflow")
        actual = increase_balance(ctx, who, amount, exact=True)
        _set_total_issuance(ctx, total_issuance(ctx) + actual)
        ctx.deposit_event(ev.Minted(who=who, amount=amount))
    return actual


def burn_from(ctx: Context, who: bytes, amount: int, *, keep_alive: bool = False, exact: bool = True,
              polite: bool = True) -> int:
    """Destroy ``amount`` of ``who``'s funds (``Burned``); the account may be reaped unless keep-alive."""
    preservation = PRESERVE if keep_alive else EXPENDABLE
    with ctx.transaction():
        actual = min(reducible_balance(ctx, who, preservation, polite), amount)
        if actual != amount and exact:
            raise token_error("FundsUnavailable")
        actual = decrease_balance(ctx, who, actual, exact=False, preservation=preservation, polite=polite)
        _set_total_issuance(ctx, total_issuance(ctx) - actual)
        ctx.deposit_event(ev.Burned(who=who, amount=actual))
    return actual


def balanced_withdraw(ctx: Context, who: bytes, amount: int, *, exact: bool = True,
                      preservation: str = EXPENDABLE, polite: bool = True) -> int:
    """``Balanced::withdraw``: take funds out (``Withdraw`` event) *without* touching TotalIssuance.

    The caller owns the resulting credit: pay it to someone with :func:`balanced_deposit`, or destroy
    it with :func:`burn_credit`.
    """
    with ctx.transaction():
        taken = decrease_balance(ctx, who, amount, exact=exact, preservation=preservation, polite=polite)
        ctx.deposit_event(ev.Withdraw(who=who, amount=taken))
    return taken


def balanced_deposit(ctx: Context, who: bytes, amount: int, *, exact: bool = True) -> int:
    """``Balanced::deposit``: add funds (``Deposit`` event, even for 0) *without* touching TotalIssuance."""
    with ctx.transaction():
        added = increase_balance(ctx, who, amount, exact=exact)
        ctx.deposit_event(ev.Deposit(who=who, amount=added))
    return added


def burn_credit(ctx: Context, amount: int) -> None:
    """Drop a credit nobody received: the funds leave TotalIssuance."""
    _set_total_issuance(ctx, total_issuance(ctx) - amount)


# -- Currency (legacy) ------------------------------------------------------------------------------


def withdraw(ctx: Context, who: bytes, value: int, keep_alive: bool) -> int:
    """``Currency::withdraw`` and drop the imbalance: remove ``value`` and reduce TotalIssuance.

    Fails with InsufficientBalance, Expendability (keep-alive would kill the account) or
    LiquidityRestrictions (frozen funds).
    """
    if value == 0:
        return 0

    def apply(account: _Account, _: bool) -> None:
        if account.free < value:
            raise ev.errors.InsufficientBalance
        new_free = account.free - value
        if keep_alive and new_free < EXISTENTIAL_DEPOSIT <= account.free:
            raise ev.errors.Expendability
        if new_free < account.frozen:
            raise ev.errors.LiquidityRestrictions
        account.free = new_free
        ctx.deposit_event(ev.Withdraw(who=who, amount=value))

    with ctx.transaction():
        _mutate_handling_dust(ctx, who, apply)
        _set_total_issuance(ctx, total_issuance(ctx) - value)
    return value


def can_withdraw_currency(ext: Externalities, who: bytes, value: int, keep_alive: bool) -> bool:
    """Whether :func:`withdraw` would succeed."""
    data = account_data(ext, who)
    if value == 0:
        return True
    if data.free < value:
        return False
    new_free = data.free - value
    if keep_alive and new_free < EXISTENTIAL_DEPOSIT <= data.free:
        return False
    return new_free >= data.frozen


def burn(ctx: Context, who: bytes, value: int, keep_alive: bool) -> int:
    """Alias of :func:`withdraw` for pallets that remove funds from circulation."""
    return withdraw(ctx, who, value, keep_alive)


def deposit_creating(ctx: Context, who: bytes, value: int) -> int:
    """``Currency::deposit_creating``: add new funds, creating the account if needed; returns the amount
    added (0 if it could not be done, e.g. below the ED for a new account). TotalIssuance grows."""
    if value == 0:
        return 0

    def apply(account: _Account, is_new: bool) -> int:
        if is_new and value < EXISTENTIAL_DEPOSIT:
            raise ev.errors.ExistentialDeposit
        if account.free + value > U64_MAX:
            return 0
        account.free += value
        ctx.deposit_event(ev.Deposit(who=who, amount=value))
        return value

    try:
        with ctx.transaction():
            added = _mutate_handling_dust(ctx, who, apply)
            _set_total_issuance(ctx, total_issuance(ctx) + added)
    except DispatchError:
        return 0
    return added


def deposit_into_existing(ctx: Context, who: bytes, value: int) -> int:
    """``Currency::deposit_into_existing``: like :func:`deposit_creating` but fails with DeadAccount."""
    if value == 0:
        return 0

    def apply(account: _Account, is_new: bool) -> int:
        if is_new:
            raise ev.errors.DeadAccount
        if account.free + value > U64_MAX:
            raise arithmetic_error("Overflow")
        account.free += value
        ctx.deposit_event(ev.Deposit(who=who, amount=value))
        return value

    with ctx.transaction():
        added = _mutate_handling_dust(ctx, who, apply)
        _set_total_issuance(ctx, total_issuance(ctx) + added)
    return added


def set_balance(ctx: Context, who: bytes, new_free: int) -> int:
    """Set the free balance (below the ED means zero, reaping the account), adjusting TotalIssuance;
    returns the new free balance. This is ``force_set_balance`` without its event."""
    new_free = 0 if new_free < EXISTENTIAL_DEPOSIT else new_free

    def apply(account: _Account, _: bool) -> int:
        old = account.free
        account.free = new_free
        return old

    with ctx.transaction():
        old_free = _mutate_handling_dust(ctx, who, apply)
        _set_total_issuance(ctx, total_issuance(ctx) + new_free - old_free)
    return new_free


def reserve(ctx: Context, who: bytes, value: int) -> None:
    """Move ``value`` from free to reserved (``Reserved``)."""
    if value == 0:
        return

    def apply(account: _Account, _: bool) -> None:
        if account.free < value:
            raise ev.errors.InsufficientBalance
        if account.reserved + value > U64_MAX:
            raise arithmetic_error("Overflow")
        account.free -= value
        account.reserved += value
        if account.free < account.frozen:
            raise ev.errors.LiquidityRestrictions

    with ctx.transaction():
        _mutate_handling_dust(ctx, who, apply)
        ctx.deposit_event(ev.Reserved(who=who, amount=value))


def unreserve(ctx: Context, who: bytes, value: int) -> int:
    """Move up to ``value`` from reserved back to free (``Unreserved``); returns what could not be."""
    if value == 0:
        return 0
    if total_balance(ctx, who) == 0:
        return value

    def apply(account: _Account, _: bool) -> int:
        actual = min(account.reserved, value)
        account.reserved -= actual
        account.free = min(account.free + actual, U64_MAX)
        return actual

    try:
        actual = _mutate_handling_dust(ctx, who, apply)
    except DispatchError:
        return value
    ctx.deposit_event(ev.Unreserved(who=who, amount=actual))
    return value - actual


# -- genesis and invariants -------------------------------------------------------------------------


def build_genesis(ctx: Context, balances: Iterable[tuple[Any, int]]) -> None:
    """Endow the genesis accounts: free balance, one provider each, TotalIssuance = their sum."""
    entries = [(account_id_from(who) if isinstance(who, str) else bytes(who), int(amount))
               for who, amount in balances]
    seen: set[bytes] = set()
    for who, amount in entries:
        if amount < EXISTENTIAL_DEPOSIT:
            raise ValueError("the balance of any account should always be at least the existential deposit.")
        if who in seen:
            raise ValueError(f"duplicate balances in genesis: 0x{who.hex()}")
        seen.add(who)
    _set_total_issuance(ctx, sum(amount for _, amount in entries))
    for who, amount in entries:
        system.inc_providers(ctx, who)
        _store(ctx, who, AccountData(free=amount))


def try_state(ext: Externalities) -> list[str]:
    """Invariant violations (empty when consistent): issuance equals the sum of all balances, every
    live account holds at least the ED or some reserve, and locks/freezes are reflected in ``frozen``."""
    problems = []
    total = 0
    for (who,), info in system_storage.Account.iter(ext):
        data = info.data
        total += data.free + data.reserved
        if data.free and data.free < EXISTENTIAL_DEPOSIT and not data.reserved:
            problems.append(f"0x{who.hex()}: free {data.free} below the existential deposit")
        if (data.free or data.reserved) and info.providers == 0 and info.sufficients == 0:
            problems.append(f"0x{who.hex()}: balance without a provider reference")
    issuance = total_issuance(ext)
    if total != issuance:
        problems.append(f"TotalIssuance {issuance} != sum of balances {total}")
    for (who,), locks in storage.Locks.iter(ext):
        if max((lock["amount"] for lock in locks), default=0) > account_data(ext, who).frozen:
            problems.append(f"0x{who.hex()}: lock above the frozen balance")
    for (who,), freezes in storage.Freezes.iter(ext):
        if len(freezes) > MAX_FREEZES or max((f["amount"] for f in freezes), default=0) > account_data(ext, who).frozen:
            problems.append(f"0x{who.hex()}: bad freezes")
    return problems
