"""pallet_crowdloan (index 27): crowdfunding up to a cap, finalized by paying a target or dispatching a call.

    from runtime.pallets import crowdloan
    crowdloan.Crowdloans.get(ext, 0)      # {"creator", "deposit", "cap", "raised", "call", ...}
    crowdloan.types.funds_account(0)      # the account holding crowdloan 0's funds
"""

from runtime.pallets.crowdloan import types
from runtime.pallets.crowdloan.pallet import (
    PALLET, Contributions, CrowdloanInfo, Crowdloans, CurrentCrowdloanId, MaxContributions, NextCrowdloanId, calls,
    errors, events,
)

__all__ = [
    "PALLET", "Contributions", "CrowdloanInfo", "Crowdloans", "CurrentCrowdloanId", "MaxContributions",
    "NextCrowdloanId", "calls", "errors", "events", "types",
]
