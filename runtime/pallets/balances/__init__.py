"""pallet_balances (index 5): TAO balances kept in ``System.Account``, ED 500 rao.

Other pallets use the functions re-exported here (see :mod:`.api` for the semantics and errors)::

    from runtime.pallets import balances
    balances.free_balance(ext, who)
    balances.transfer(ctx, source, dest, value, keep_alive=True)
    balances.deposit_creating(ctx, who, value)      # mint, creating the account
    balances.withdraw(ctx, who, value, keep_alive)  # burn from an account
"""

from runtime.pallets.balances import storage
from runtime.pallets.balances.api import (
    EXISTENTIAL_DEPOSIT, EXPENDABLE, PRESERVE, PROTECT, WithdrawConsequence, account_data, active_issuance,
    balanced_deposit, balanced_withdraw, burn, burn_credit, burn_from, can_deposit, can_withdraw,
    can_withdraw_currency, decrease_balance, deposit_creating, deposit_into_existing, ensure_upgraded,
    free_balance, fungible_transfer, increase_balance, mint_into, reducible_balance, reserve,
    reserved_balance, set_balance, total_balance, total_issuance, transfer, try_state, unreserve,
    usable_balance, withdraw,
)
from runtime.pallets.balances.events import errors, events
from runtime.pallets.balances.pallet import PALLET, calls, lookup
from runtime.pallets.balances.types import TaoBalance

__all__ = [
    "EXISTENTIAL_DEPOSIT", "EXPENDABLE", "PALLET", "PRESERVE", "PROTECT", "TaoBalance", "WithdrawConsequence",
    "account_data", "active_issuance", "balanced_deposit", "balanced_withdraw", "burn", "burn_credit",
    "burn_from", "calls", "can_deposit", "can_withdraw", "can_withdraw_currency", "decrease_balance",
    "deposit_creating", "deposit_into_existing", "ensure_upgraded", "errors", "events", "free_balance",
    "fungible_transfer", "increase_balance", "lookup", "mint_into", "reducible_balance", "reserve",
    "reserved_balance", "set_balance", "storage", "total_balance", "total_issuance", "transfer", "try_state",
    "unreserve", "usable_balance", "withdraw",
]
