"""The SubtensorModule pallet declaration (index 7): storage, calls, events, errors, constants and genesis.

Only some calls are declared yet (see :mod:`.calls`): the metadata test lists the others as not implemented.
"""

from __future__ import annotations

from runtime.pallets.subtensor import block_step
from runtime.pallets.subtensor import storage as subtensor_storage
from runtime.pallets.subtensor.calls import calls
from runtime.pallets.subtensor.constants import CONSTANTS
from runtime.pallets.subtensor.errors import errors
from runtime.pallets.subtensor.events import events
from runtime.pallets.subtensor.genesis import genesis
from runtime.support.pallet import Pallet

PALLET_INDEX = 7

PALLET = Pallet("SubtensorModule", storage=subtensor_storage.storage, calls=calls, events=events, errors=errors,
                constants=CONSTANTS, genesis=genesis, on_initialize=block_step.on_initialize)
from runtime.pallets.subtensor import calls_coldkey  # noqa: F401  registers the coldkey-swap calls
from runtime.pallets.subtensor import calls_extra  # noqa: F401  registers the spec-461 additions
from runtime.pallets.subtensor import calls_misc  # noqa: F401  registers these calls
from runtime.pallets.subtensor import calls_root_claim  # noqa: F401  registers the root-claim calls
from runtime.pallets.subtensor import voting_power  # noqa: F401  registers the voting-power calls
from runtime.pallets.subtensor import calls_staking  # noqa: F401  registers the staking calls
from runtime.pallets.subtensor import calls_swap_hotkey  # noqa: F401  registers swap_hotkey
from runtime.pallets.subtensor import calls_weights  # noqa: F401  registers the weights calls
