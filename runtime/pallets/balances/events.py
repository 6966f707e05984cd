"""pallet_balances events and errors (indices and doc lines as in node-subtensor's metadata)."""

from __future__ import annotations

from runtime.pallets.balances.types import BalanceStatus, TaoBalance
from runtime.primitives.types import AccountId32
from runtime.support.pallet import PalletErrors, PalletEvents

CRATE = "pallet_balances"
PARAMS = ("T", "I")

_WHO = ("who", AccountId32, "T::AccountId")
_AMOUNT = ("amount", TaoBalance, "T::Balance")

events = PalletEvents("Balances", CRATE, PARAMS)
Endowed = events.event(0, "Endowed", [("account", AccountId32, "T::AccountId"),
                                      ("free_balance", TaoBalance, "T::Balance")],
                       [" An account was created with some free balance."])
DustLost = events.event(1, "DustLost", [("account", AccountId32, "T::AccountId"), _AMOUNT],
                        [" An account was removed whose balance was non-zero but below ExistentialDeposit,",
                         " resulting in an outright loss."])
Transfer = events.event(2, "Transfer", [("from", AccountId32, "T::AccountId"), ("to", AccountId32, "T::AccountId"),
                                        _AMOUNT], [" Transfer succeeded."])
BalanceSet = events.event(3, "BalanceSet", [_WHO, ("free", TaoBalance, "T::Balance")],
                          [" A balance was set by root."])
Reserved = events.event(4, "Reserved", [_WHO, _AMOUNT],
                        [" Some balance was reserved (moved from free to reserved)."])
Unreserved = events.event(5, "Unreserved", [_WHO, _AMOUNT],
                          [" Some balance was unreserved (moved from reserved to free)."])
ReserveRepatriated = events.event(6, "ReserveRepatriated", [
    ("from", AccountId32, "T::AccountId"), ("to", AccountId32, "T::AccountId"), _AMOUNT,
    ("destination_status", BalanceStatus, "Status")],
    [" Some balance was moved from the reserve of the first account to the second account.",
     " Final argument indicates the destination balance type."])
Deposit = events.event(7, "Deposit", [_WHO, _AMOUNT], [" Some amount was deposited (e.g. for transaction fees)."])
Withdraw = events.event(8, "Withdraw", [_WHO, _AMOUNT],
                        [" Some amount was withdrawn from the account (e.g. for transaction fees)."])
Slashed = events.event(9, "Slashed", [_WHO, _AMOUNT],
                       [" Some amount was removed from the account (e.g. for misbehavior)."])
Minted = events.event(10, "Minted", [_WHO, _AMOUNT], [" Some amount was minted into an account."])
Burned = events.event(11, "Burned", [_WHO, _AMOUNT], [" Some amount was burned from an account."])
Suspended = events.event(12, "Suspended", [_WHO, _AMOUNT],
                         [" Some amount was suspended from an account (it can be restored later)."])
Restored = events.event(13, "Restored", [_WHO, _AMOUNT], [" Some amount was restored into an account."])
Upgraded = events.event(14, "Upgraded", [_WHO], [" An account was upgraded."])
Issued = events.event(15, "Issued", [_AMOUNT],
                      [" Total issuance was increased by `amount`, creating a credit to be balanced."])
Rescinded = events.event(16, "Rescinded", [_AMOUNT],
                         [" Total issuance was decreased by `amount`, creating a debt to be balanced."])
Locked = events.event(17, "Locked", [_WHO, _AMOUNT], [" Some balance was locked."])
Unlocked = events.event(18, "Unlocked", [_WHO, _AMOUNT], [" Some balance was unlocked."])
Frozen = events.event(19, "Frozen", [_WHO, _AMOUNT], [" Some balance was frozen."])
Thawed = events.event(20, "Thawed", [_WHO, _AMOUNT], [" Some balance was thawed."])
TotalIssuanceForced = events.event(21, "TotalIssuanceForced", [("old", TaoBalance, "T::Balance"),
                                                               ("new", TaoBalance, "T::Balance")],
                                   [" The `TotalIssuance` was forcefully changed."])

errors = PalletErrors("Balances", CRATE, [
    ("VestingBalance", "Vesting balance too high to send value."),
    ("LiquidityRestrictions", "Account liquidity restrictions prevent withdrawal."),
    ("InsufficientBalance", "Balance too low to send value."),
    ("ExistentialDeposit", "Value too low to create account due to existential deposit."),
    ("Expendability", "Transfer/payment would kill account."),
    ("ExistingVestingSchedule", "A vesting schedule already exists for this account."),
    ("DeadAccount", "Beneficiary account must pre-exist."),
    ("TooManyReserves", "Number of named reserves exceed `MaxReserves`."),
    ("TooManyHolds", "Number of holds exceed `VariantCountOf<T::RuntimeHoldReason>`."),
    ("TooManyFreezes", "Number of freezes exceed `MaxFreezes`."),
    ("IssuanceDeactivated", "The issuance cannot be modified since it is already deactivated."),
    ("DeltaZero", "The delta cannot be zero."),
], PARAMS)
