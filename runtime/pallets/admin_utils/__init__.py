"""pallet_admin_utils (index 19): root and subnet-owner setters of SubtensorModule's parameters.

    from runtime.pallets import admin_utils
    ("AdminUtils", ("sudo_set_tempo", {"netuid": 1, "tempo": 100}))   # a call value; wrap in Sudo.sudo
"""

from runtime.pallets.admin_utils import checks
from runtime.pallets.admin_utils.pallet import PALLET, PrecompileEnable, calls, errors, events

__all__ = ["PALLET", "PrecompileEnable", "calls", "checks", "errors", "events"]
