"""pallet_shield (index 30, ``MevShield``): MEV-shielded transactions, declared but inert on this node.

    from runtime.pallets import mev_shield
    mev_shield.NextKey.get(ext)                       # None: no key is ever announced here
    mev_shield.validate_submit_encrypted(ext, ct)     # "BadProof": clients must send unshielded
"""

from runtime.pallets.mev_shield.pallet import (
    CRATE, MAX_ENCRYPTED_CALL_SIZE, MAX_ON_INITIALIZE_WEIGHT, MLKEM768_ENC_KEY_LEN, PALLET, SHIELD_ENC_KEY_MAX,
    AuthorKeys, CounterForPendingExtrinsics, CurrentKey, ExtrinsicLifetime, HasMigrationRun, MaxExtrinsicWeight,
    MaxPendingExtrinsicsLimit, NextKey, NextKeyExpiresAt, NextPendingExtrinsicIndex, OnInitializeWeight,
    PendingExtrinsic, PendingExtrinsics, PendingKey, PendingKeyExpiresAt, ShieldEncKey, calls, errors, events,
    is_inherent, on_initialize, parse_shielded, validate_submit_encrypted, validate_unsigned,
)

__all__ = [
    "CRATE", "MAX_ENCRYPTED_CALL_SIZE", "MAX_ON_INITIALIZE_WEIGHT", "MLKEM768_ENC_KEY_LEN", "PALLET",
    "SHIELD_ENC_KEY_MAX", "AuthorKeys", "CounterForPendingExtrinsics", "CurrentKey", "ExtrinsicLifetime",
    "HasMigrationRun", "MaxExtrinsicWeight", "MaxPendingExtrinsicsLimit", "NextKey", "NextKeyExpiresAt",
    "NextPendingExtrinsicIndex", "OnInitializeWeight", "PendingExtrinsic", "PendingExtrinsics", "PendingKey",
    "PendingKeyExpiresAt", "ShieldEncKey", "calls", "errors", "events", "is_inherent", "on_initialize",
    "parse_shielded", "validate_submit_encrypted", "validate_unsigned",
]
