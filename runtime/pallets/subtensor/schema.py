"""The ``SubtensorModule`` storage prefix and the key shapes its maps use.

Every storage item of the pallet is declared on :data:`storage` by the topic modules
(``storage_staking``, ``storage_subnets``, ``storage_neurons``, ``storage_funds``), in the order
node-subtensor's metadata lists them. Map keys name their hasher: netuids and uids are ``Identity``
(the key bytes are readable in the raw key), accounts ``Blake2_128Concat``; a few maps use
``Twox64Concat`` as the reference does.
"""

from __future__ import annotations

from runtime.pallets.subtensor.types import H160, AccountId32, BytesVec, NetUid, NetUidStorageIndex, RateLimitKey
from runtime.primitives.hashing import Hasher
from runtime.scale import U16, U32, U64
from runtime.support.storage import PalletStorage

storage = PalletStorage("SubtensorModule")

NETUID = (Hasher.Identity, NetUid)
NETUID_BLAKE = (Hasher.Blake2_128Concat, NetUid)
NETUID_TWOX = (Hasher.Twox64Concat, NetUid)
NETUID_INDEX = (Hasher.Identity, NetUidStorageIndex)
"""``NetUidStorageIndex`` (mechanism * 4096 + netuid) of per-mechanism items."""
NETUID_INDEX_TWOX = (Hasher.Twox64Concat, NetUidStorageIndex)
UID = (Hasher.Identity, U16)
UID_TWOX = (Hasher.Twox64Concat, U16)
ACCOUNT = (Hasher.Blake2_128Concat, AccountId32)
ACCOUNT_ID = (Hasher.Identity, AccountId32)
ACCOUNT_TWOX = (Hasher.Twox64Concat, AccountId32)
EPOCH_TWOX = (Hasher.Twox64Concat, U64)
LEASE_ID = (Hasher.Twox64Concat, U32)
INDEX = (Hasher.Identity, U64)
RAW_KEY = (Hasher.Identity, BytesVec)
EVM_ADDRESS = (Hasher.Twox64Concat, H160)
RATE_LIMIT_KEY = (Hasher.Identity, RateLimitKey)
