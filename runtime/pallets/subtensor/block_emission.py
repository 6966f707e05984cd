"""The per-block TAO emission and its mint: node-subtensor's ``coinbase/block_emission.rs`` and the credit
half of ``coinbase/tao.rs`` at HEAD (spec ``yuma-epoch-and-emission.md`` §1.1 step 2 and §4.1).

* :func:`get_block_emission_for_issuance` is the halving curve, ``floor(1e9 / 2^k)`` with
  ``k = floor(log2(1 / (1 − I/21e15)))``, computed the reference's way in ``I96F32`` (the log2 counts
  halvings of ``y`` with substrate-fixed's rounding right shift). It also overwrites ``BlockEmission``
  — for every caller, so a subnet's alpha emission can end up there, as in the reference.
* :func:`mint_tao` caps the amount at ``21e15 − Balances::total_issuance``, adds it to SubtensorModule's
  ``TotalIssuance`` and issues a Balances credit (Balances ``TotalIssuance`` up, ``Issued`` event).
* A credit is a plain amount (:class:`TaoCredit`): :func:`spend_tao` resolves part of it into an
  account (a Balances ``Deposit``), :func:`recycle_credit` gives the rest back — SubtensorModule's
  ``TotalIssuance`` goes down and dropping the credit lowers Balances' issuance (no event).
"""

from __future__ import annotations

from dataclasses import dataclass

from runtime.pallets import balances
from runtime.pallets.balances.events import Issued
from runtime.pallets.balances import storage as balances_storage
from runtime.pallets.subtensor import storage as st
from runtime.support.context import Context
from runtime.support.dispatch import DispatchError
from runtime.support.externalities import Externalities

TOTAL_SUPPLY = 21_000_000_000_000_000
"""``TotalSupply`` / ``MAX_TAO_ISSUANCE``: 21M TAO in rao."""
DEFAULT_BLOCK_EMISSION = 1_000_000_000
"""``DefaultBlockEmission``: 1 TAO per block before the first halving."""
U64_MAX = (1 << 64) - 1
_F = 32  # I96F32 fraction bits
_ONE = 1 << _F
_TWO = 2 << _F

__all__ = [
    "DEFAULT_BLOCK_EMISSION", "TOTAL_SUPPLY", "TaoCredit", "calculate_block_emission", "get_block_emission",
    "block_emission_curve", "get_block_emission_for_issuance", "halvings", "merge_credit", "mint_tao", "recycle_credit", "spend_tao",
    "withdraw_tao_as_credit",
]


class EmissionError(ArithmeticError):
    """``"Logarithm calculation failed"``: a checked step of the curve overflowed or divided by zero."""


def _log2_floor(y_bits: int) -> int:
    """The integer part of substrate-fixed's ``log2`` for ``y ≥ 1`` (I96F32 bits): the number of halvings,
    each a right shift that rounds half up, until ``y < 2``. The fraction loop after it never changes
    the integer part, so it is not run."""
    k = 0
    while y_bits >= _TWO:
        k += 1
        y_bits = (y_bits >> 1) + (y_bits & 1)
    return k


def halvings(issuance: int) -> int:
    """``k = floor(log2(1 / (1 − issuance/21e15)))`` in I96F32, for ``issuance < TotalSupply``."""
    x = ((issuance << _F) << _F) // (TOTAL_SUPPLY << _F)  # checked_div: the divisor is non-zero
    one_minus_x = _ONE - x
    if one_minus_x <= 0:  # checked_sub cannot fail here, but a zero divisor below would
        raise EmissionError("Logarithm calculation failed")
    y = (_ONE << _F) // one_minus_x
    if y >= 1 << 127:
        raise EmissionError("Logarithm calculation failed")
    return _log2_floor(y)


def block_emission_curve(issuance: int) -> int:
    """The emission per block at ``issuance`` (rao or alpha units), without touching storage.

    ``multiplier = 2^k`` (saturating), ``percentage = 1 / multiplier`` (safe_div, 0 once it underflows at
    k ≥ 33), ``emission = floor(percentage × 1e9)``.
    """
    if issuance >= TOTAL_SUPPLY:
        return 0
    k = halvings(issuance)
    multiplier = min(_ONE << k, (1 << 127) - 1)
    percentage = (_ONE << _F) // multiplier
    return min((percentage * (DEFAULT_BLOCK_EMISSION << _F)) >> _F >> _F, U64_MAX)


def get_block_emission_for_issuance(ext: Externalities, issuance: int) -> int:
    """:func:`block_emission_curve` at ``issuance``; writes ``BlockEmission`` if it changed."""
    emission = block_emission_curve(issuance)
    if issuance >= TOTAL_SUPPLY:
        return emission
    if st.BlockEmission.get(ext) != emission:
        st.BlockEmission.put(ext, emission)
    return emission


def calculate_block_emission(ext: Externalities) -> int:
    """The TAO emission for SubtensorModule's ``TotalIssuance``; no mint."""
    return get_block_emission_for_issuance(ext, st.TotalIssuance.get(ext))


# -- credits -----------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TaoCredit:
    """An unbalanced amount of freshly issued TAO (``Credit<AccountId, Balances>``)."""

    amount: int

    def peek(self) -> int:
        return self.amount


def mint_tao(ctx: Context, amount: int) -> TaoCredit:
    """Issue at most ``21e15 − Balances::total_issuance`` rao; SubtensorModule's ``TotalIssuance`` follows."""
    current = balances.total_issuance(ctx)
    to_issue = min(amount, max(TOTAL_SUPPLY - current, 0))
    st.TotalIssuance.put(ctx, min(st.TotalIssuance.get(ctx) + to_issue, U64_MAX))
    if to_issue == 0:  # Balanced::issue of nothing: no storage change, no event
        return TaoCredit(0)
    new = min(current + to_issue, U64_MAX)
    balances_storage.TotalIssuance.put(ctx, new)
    ctx.deposit_event(Issued(amount=new - current))
    return TaoCredit(new - current)


def get_block_emission(ctx: Context) -> TaoCredit:
    """``get_block_emission``: compute this block's TAO emission and mint it (nothing on failure or 0)."""
    try:
        amount = calculate_block_emission(ctx)
    except EmissionError:
        return TaoCredit(0)
    return mint_tao(ctx, amount) if amount else TaoCredit(0)


def spend_tao(ctx: Context, account: bytes, credit: TaoCredit, part: int) -> tuple[bool, TaoCredit]:
    """Resolve ``part`` of ``credit`` into ``account``; ``(True, remainder)`` or ``(False, credit)``.

    Overspending is refused; a deposit the account cannot take (e.g. a new account below the ED) leaves
    the whole credit unspent, as ``Balanced::resolve`` hands it back.
    """
    if credit.amount < part:
        return False, credit
    try:
        balances.balanced_deposit(ctx, account, part, exact=True)
    except DispatchError:
        return False, credit
    return True, TaoCredit(credit.amount - part)


def withdraw_tao_as_credit(ctx: Context, account: bytes, amount: int) -> TaoCredit | None:
    """Take ``amount`` back out of ``account`` as credit (undoing a spend; issuance unchanged), or None."""
    try:
        balances.balanced_withdraw(ctx, account, amount, exact=True, preservation=balances.EXPENDABLE)
    except DispatchError:
        return None
    return TaoCredit(amount)


def merge_credit(a: TaoCredit, b: TaoCredit) -> TaoCredit:
    return TaoCredit(a.amount + b.amount)


def recycle_credit(ctx: Context, credit: TaoCredit) -> None:
    """Give unspent credit back: both issuances go down by its amount."""
    if credit.amount:
        st.TotalIssuance.put(ctx, max(st.TotalIssuance.get(ctx) - credit.amount, 0))
        balances.burn_credit(ctx, credit.amount)
