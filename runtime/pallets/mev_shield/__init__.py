"""pallet_shield (index 30, ``MevShield``): MEV-shielded transactions.

    from runtime.pallets import mev_shield
    mev_shield.NextKey.get(ext)                              # the key users encrypt to (N+2 author's)
    mev_shield.create_inherent(enc_key)                      # the author's announce_next_key call
    mev_shield.try_decode_shielded_tx(runtime, encoded)      # a pool wrapper's ShieldedTransaction
    mev_shield.is_shielded_using_current_key(ext, key_hash)  # for the author building on ext?
    mev_shield.try_unshield_tx(runtime, dec_key, shielded)   # the inner extrinsic, or None
"""

from runtime.pallets.mev_shield.pallet import (
    CRATE, FAILED_SHIELDED_TX_PARSING, MAX_ENCRYPTED_CALL_SIZE, MAX_ON_INITIALIZE_WEIGHT, MLKEM768_ENC_KEY_LEN,
    PALLET, SHIELD_ENC_KEY_MAX, AuthorKeys, CounterForPendingExtrinsics, CurrentKey, ExtrinsicLifetime,
    HasMigrationRun, MaxExtrinsicWeight, MaxPendingExtrinsicsLimit, NextKey, NextKeyExpiresAt,
    NextPendingExtrinsicIndex, OnInitializeWeight, PendingExtrinsic, PendingExtrinsics, PendingKey,
    PendingKeyExpiresAt, ShieldEncKey, calls, create_inherent, errors, events, is_inherent, on_initialize,
    validate_submit_encrypted,
)
from runtime.pallets.mev_shield.shielded import (
    MLKEM768_SEED_LEN, ShieldedTransaction, is_shielded_using_current_key, try_decode_shielded_tx,
    try_unshield_tx, unshield,
)

__all__ = [
    "CRATE", "FAILED_SHIELDED_TX_PARSING", "MAX_ENCRYPTED_CALL_SIZE", "MAX_ON_INITIALIZE_WEIGHT",
    "MLKEM768_ENC_KEY_LEN", "MLKEM768_SEED_LEN", "PALLET", "SHIELD_ENC_KEY_MAX", "AuthorKeys",
    "CounterForPendingExtrinsics", "CurrentKey", "ExtrinsicLifetime", "HasMigrationRun", "MaxExtrinsicWeight",
    "MaxPendingExtrinsicsLimit", "NextKey", "NextKeyExpiresAt", "NextPendingExtrinsicIndex",
    "OnInitializeWeight", "PendingExtrinsic", "PendingExtrinsics", "PendingKey", "PendingKeyExpiresAt",
    "ShieldEncKey", "ShieldedTransaction", "calls", "create_inherent", "errors", "events", "is_inherent",
    "is_shielded_using_current_key", "on_initialize", "try_decode_shielded_tx", "try_unshield_tx", "unshield",
    "validate_submit_encrypted",
]
