"""frame_system: accounts and nonces, block number and hashes, digest, the event log, weight accounting.

Other pallets import the functions re-exported here (``deposit_event_bytes``, reference counting,
``account_nonce``…); the executive drives the block lifecycle through :mod:`.lifecycle`.
"""

from runtime.pallets.system import storage
from runtime.pallets.system.accounts import (
    AccountData, AccountInfo, account, account_nonce, dec_consumers, dec_providers, inc_consumers,
    inc_nonce, inc_providers, is_live, put_account,
)
from runtime.pallets.system.events import deposit_event_bytes, set_phase
from runtime.pallets.system.pallet import PALLET

__all__ = [
    "AccountData", "AccountInfo", "PALLET", "account", "account_nonce", "dec_consumers", "dec_providers",
    "deposit_event_bytes", "inc_consumers", "inc_nonce", "inc_providers", "is_live", "put_account",
    "set_phase", "storage",
]
