"""The SubtensorModule pallet declaration (index 7): storage, events, errors, constants and genesis.

Calls are not declared yet: the metadata test lists them as not implemented.
"""

from __future__ import annotations

from runtime.pallets.subtensor import storage as subtensor_storage
from runtime.pallets.subtensor.constants import CONSTANTS
from runtime.pallets.subtensor.errors import errors
from runtime.pallets.subtensor.events import events
from runtime.pallets.subtensor.genesis import genesis
from runtime.support.pallet import Pallet

PALLET_INDEX = 7

PALLET = Pallet("SubtensorModule", storage=subtensor_storage.storage, events=events, errors=errors,
                constants=CONSTANTS, genesis=genesis)
