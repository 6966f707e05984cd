"""pallet_balances storage, in metadata order (doc lines are the recorded chain's metadata).

node-subtensor keeps balances in ``System.Account`` (``AccountStore = System``), so ``Balances.Account``
is declared for metadata but never written.
"""

from __future__ import annotations

from runtime.pallets.balances.types import FreezesVec, HoldsVec, LocksVec, ReservesVec, TaoBalance
from runtime.pallets.system.types import AccountData
from runtime.primitives.hashing import Hasher
from runtime.primitives.types import AccountId32
from runtime.support.storage import PalletStorage

storage = PalletStorage("Balances")
_KEY = [(Hasher.Blake2_128Concat, AccountId32)]

TotalIssuance = storage.value("TotalIssuance", TaoBalance, default=0,
                              docs=[" The total units issued in the system."])
InactiveIssuance = storage.value("InactiveIssuance", TaoBalance, default=0,
                                 docs=[" The total units of outstanding deactivated balance in the system."])
Account = storage.map("Account", _KEY, AccountData.SCALE, default=AccountData(), docs=[  # type: ignore[attr-defined]
    " The Balances pallet example of storing the balance of an account.", "", " # Example", "",
    " ```nocompile", "  impl pallet_balances::Config for Runtime {",
    "    type AccountStore = StorageMapShim<Self::Account<Runtime>, frame_system::Provider<Runtime>, "
    "AccountId, Self::AccountData<Balance>>",
    "  }", " ```", "", " You can also store the balance of an account in the `System` pallet.", "",
    " # Example", "", " ```nocompile", "  impl pallet_balances::Config for Runtime {",
    "   type AccountStore = System", "  }", " ```", "",
    " But this comes with tradeoffs, storing account balances in the system pallet stores",
    " `frame_system` data alongside the account data contrary to storing account balances in the",
    " `Balances` pallet, which uses a `StorageMap` to store balances data only.",
    " NOTE: This is only used in the case that this pallet is used to store balances."])
Locks = storage.map("Locks", _KEY, LocksVec, default=[], docs=[
    " Any liquidity locks on some account balances.",
    " NOTE: Should only be accessed when setting, changing and freeing a lock.", "",
    " Use of locks is deprecated in favour of freezes. See `https://github.com/paritytech/substrate/pull/12951/`"])
Reserves = storage.map("Reserves", _KEY, ReservesVec, default=[], docs=[
    " Named reserves on some account balances.", "",
    " Use of reserves is deprecated in favour of holds. See `https://github.com/paritytech/substrate/pull/12951/`"])
Holds = storage.map("Holds", _KEY, HoldsVec, default=[], docs=[" Holds on account balances."])
Freezes = storage.map("Freezes", _KEY, FreezesVec, default=[], docs=[" Freeze locks on account balances."])
