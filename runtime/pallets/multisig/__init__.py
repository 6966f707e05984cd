"""pallet_multisig (index 13): dispatch from an account controlled by a threshold of signatories.

    from runtime.pallets import multisig
    multisig.Multisigs.get(ext, multisig_account, call_hash)   # {"when", "deposit", "depositor", "approvals"}
"""

from runtime.pallets.multisig.pallet import PALLET, Multisigs, Timepoint, calls, errors, events

__all__ = ["PALLET", "Multisigs", "Timepoint", "calls", "errors", "events"]
