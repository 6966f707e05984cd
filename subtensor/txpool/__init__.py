"""The transaction pool: a sans-IO core (:class:`TransactionPool`) and its trio service (:class:`PoolService`).

Block building: ``pool.ready()`` yields ready :class:`PoolTransaction` values (``.data`` is the
extrinsic) in inclusion order; call ``report_invalid(tx)`` on the iterator for a transaction that
failed to apply so its dependents are skipped. After import: ``on_block_imported``; on finality:
``on_block_finalized``.
"""

from subtensor.txpool.errors import PoolError
from subtensor.txpool.graph import BestIterator, PoolTransaction
from subtensor.txpool.pool import MaintenanceWork, PoolOptions, TransactionPool, signed_sender
from subtensor.txpool.service import PoolService

__all__ = [
    "BestIterator", "MaintenanceWork", "PoolError", "PoolOptions", "PoolService", "PoolTransaction",
    "TransactionPool", "signed_sender",
]
