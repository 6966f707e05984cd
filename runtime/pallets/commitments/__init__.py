"""pallet_commitments (index 18): metadata commitments of registered hotkeys, per subnet.

    from runtime.pallets import commitments
    commitments.CommitmentOf.get(ext, netuid, hotkey)   # {"deposit", "block", "info": {"fields": [...]}}
    commitments.types.raw(b"hello")                      # ("Raw5", b"hello"), a Data field
"""

from runtime.pallets.commitments import types
from runtime.pallets.commitments.pallet import (
    PALLET, CommitmentOf, LastBondsReset, LastCommitment, MaxSpace, RevealedCommitments, TimelockedIndex,
    UsedSpaceOf, calls, commitments_of, errors, events,
)

__all__ = [
    "PALLET", "CommitmentOf", "LastBondsReset", "LastCommitment", "MaxSpace", "RevealedCommitments",
    "TimelockedIndex", "UsedSpaceOf", "calls", "commitments_of", "errors", "events", "types",
]
