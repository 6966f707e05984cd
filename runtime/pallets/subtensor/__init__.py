"""pallet_subtensor (index 7, ``SubtensorModule``): storage, events, errors, constants and genesis.

Other code reads and writes its storage through :mod:`.storage`::

    from runtime.pallets import subtensor
    subtensor.storage.TokenSymbol.get(ext, netuid)
    subtensor.storage.SubnetOwner.get(ext, netuid)
"""

from runtime.pallets.subtensor import storage, types
from runtime.pallets.subtensor.errors import errors
from runtime.pallets.subtensor.events import events
from runtime.pallets.subtensor.pallet import PALLET, PALLET_INDEX

__all__ = ["PALLET", "PALLET_INDEX", "errors", "events", "storage", "types"]
