"""Every SubtensorModule storage item, importable from one place::

    from runtime.pallets.subtensor import storage
    storage.TokenSymbol.get(ext, netuid)          # b"\\xce\\xb1" for netuid 1
    storage.SubnetTAO.put(ext, netuid, 10**10)
    storage.Keys.get(ext, netuid, uid)            # hotkey of a uid

The items are declared by topic in the ``storage_*`` modules (metadata order); :data:`storage` is the
pallet's :class:`PalletStorage` holding them all.
"""

from __future__ import annotations

from runtime.pallets.subtensor.schema import storage
from runtime.pallets.subtensor.storage_staking import *  # noqa: F401,F403 - part 1 (metadata order)
from runtime.pallets.subtensor.storage_subnets import *  # noqa: F401,F403 - part 2
from runtime.pallets.subtensor.storage_neurons import *  # noqa: F401,F403 - part 3
from runtime.pallets.subtensor.storage_funds import *  # noqa: F401,F403 - part 4

ITEMS = {item.name: item for item in storage.items}
"""Storage entries by name (e.g. for RPC helpers that look items up by their metadata name)."""
