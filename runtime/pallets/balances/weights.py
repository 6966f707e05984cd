"""Call weights of pallet_balances as node-subtensor declares them.

node-subtensor uses ``pallet_balances::weights::SubstrateWeight<Runtime>`` from its polkadot-sdk fork.
That file of the pinned fork could not be read; the values below are the upstream polkadot-sdk benchmark
results (``substrate/frame/balances/src/weights.rs``, benchmarked 2024-05-06) with subtensor's
``RuntimeDbWeight`` (read 25_000_000, write 100_000_000 ref_time). Treat them as unverified against the
fork, except through the one recorded data point: the golden ``payment_info`` of a
``transfer_keep_alive`` reports 224_051_000 / 7_791, which is this call weight (163_159_000 / 3_593) plus
the transaction extensions' weight that FRAME adds to every signed extrinsic's ``DispatchInfo``
(see ``runtime.pallets.transaction_payment.SIGNED_EXTENSIONS_WEIGHT``).
"""

from __future__ import annotations

from runtime.pallets.system.pallet import LIMITS
from runtime.support.dispatch import Weight

ACCOUNT_PROOF = 2_603  # System.Account max-encoded-len proof per account touched


def _rw(ref_time: int, proof: int, reads: int = 0, writes: int = 0) -> Weight:
    return Weight(ref_time + reads * LIMITS.db_read + writes * LIMITS.db_write, proof)


TRANSFER_ALLOW_DEATH = _rw(48_363_000, 3_593, 1, 1)
TRANSFER_KEEP_ALIVE = _rw(38_159_000, 3_593, 1, 1)
FORCE_SET_BALANCE_CREATING = _rw(14_687_000, 3_593, 1, 1)
FORCE_SET_BALANCE_KILLING = _rw(19_929_000, 3_593, 1, 1)
FORCE_TRANSFER = _rw(49_944_000, 6_196, 2, 2)
TRANSFER_ALL = _rw(47_385_000, 3_593, 1, 1)
FORCE_UNRESERVE = _rw(17_233_000, 3_593, 1, 1)
FORCE_ADJUST_TOTAL_ISSUANCE = Weight(6_594_000, 0)
BURN_ALLOW_DEATH = Weight(30_968_000, 0)
BURN_KEEP_ALIVE = Weight(20_711_000, 0)

# force_set_balance is declared with the larger of its two benchmarks (creating vs killing).
FORCE_SET_BALANCE = Weight(max(FORCE_SET_BALANCE_CREATING.ref_time, FORCE_SET_BALANCE_KILLING.ref_time),
                           max(FORCE_SET_BALANCE_CREATING.proof_size, FORCE_SET_BALANCE_KILLING.proof_size))


def upgrade_accounts(count: int) -> Weight:
    """Linear in the number of accounts: one read and write of System.Account each."""
    return Weight(16_588_000 + count * (13_973_659 + LIMITS.db_read + LIMITS.db_write),
                  990 + count * ACCOUNT_PROOF)


def burn(keep_alive: bool) -> Weight:
    # Upstream pairs the weights the other way round from their names (keep_alive=true is charged the
    # allow-death benchmark); node-subtensor inherits that, so it is reproduced here.
    return BURN_ALLOW_DEATH if keep_alive else BURN_KEEP_ALIVE
