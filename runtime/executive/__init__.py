"""frame_executive: block lifecycle and transaction validity for the assembled runtime."""

from runtime.executive.block import (
    InvalidBlock, apply_extrinsic, execute_block, finalize_block, initialize_block, validate_transaction,
)
from runtime.executive.validity import TransactionValidityError, ValidTransaction

__all__ = [
    "InvalidBlock", "TransactionValidityError", "ValidTransaction", "apply_extrinsic", "execute_block",
    "finalize_block", "initialize_block", "validate_transaction",
]
