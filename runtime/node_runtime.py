"""node-subtensor's runtime: the pallet list with the real pallet indices.

Indices are those of ``construct_runtime!`` in node-subtensor (holes at 8–10, 17, 24 stay holes), so
calls, events and module errors carry the same indices as on the real chain.
"""

from __future__ import annotations

from functools import lru_cache

from runtime.construct import Runtime, RuntimeVersion
from runtime.primitives.extrinsic import SUBTENSOR_EXTENSIONS
from runtime.support.pallet import Pallet
from runtime.version import runtime_version


def _pallets() -> list[tuple[int, Pallet]]:
    from runtime.pallets import (
        admin_utils, aura, balances, commitments, crowdloan, grandpa, mev_shield, multisig,
        randomness_collective_flip, subtensor, sudo, swap, system, timestamp, transaction_payment, utility,
    )

    return [
        (0, system.PALLET),
        (1, randomness_collective_flip.PALLET),
        (2, timestamp.PALLET),
        (3, aura.PALLET),
        (4, grandpa.PALLET),
        (5, balances.PALLET),
        (6, transaction_payment.PALLET),
        (7, subtensor.PALLET),
        (11, utility.PALLET),
        (12, sudo.PALLET),
        (13, multisig.PALLET),
        (18, commitments.PALLET),
        (19, admin_utils.PALLET),
        (27, crowdloan.PALLET),
        (28, swap.PALLET),
        (30, mev_shield.PALLET),
    ]


def node_runtime() -> Runtime:
    """The assembled runtime, made current: built once (pallets are immutable declarations), and re-bound on
    every call so codecs that refer to ``RuntimeEvent``/``RuntimeCall`` resolve to it even after a test built
    another (mock) runtime in the same process."""
    return _node_runtime().bind()


@lru_cache(maxsize=1)
def _node_runtime() -> Runtime:
    v = runtime_version()
    version = RuntimeVersion(v["spec_name"], v["impl_name"], v["authoring_version"], v["spec_version"],
                             v["impl_version"], tuple(v["apis"]), v["transaction_version"], v["system_version"])
    return Runtime(_pallets(), version, SUBTENSOR_EXTENSIONS)
