"""The database layout: every key prefix and key builder in one place.

All data lives in one ordered keyspace (see :mod:`storage.leveldb` for why).  Each kind of
record gets a short prefix acting as a column; the key builders below are the only code
that should assemble keys, so the layout can be read, reviewed and versioned here.  No
prefix may be a prefix of another, otherwise a prefix scan of one column would wander into
the other (``tests/storage/test_block_db.py`` asserts this).

Block columns (written by :mod:`storage.block_db`):

=================  ===========================  ============================================
prefix             key                          value
=================  ===========================  ============================================
``h`` HEADER       ``h ‖ block hash``           SCALE header exactly as the caller gave it
``b`` BODY         ``b ‖ block hash``           the body blob (the caller's encoding)
``j`` JUSTIFICATN  ``j ‖ block hash``           justification bytes, only if one is known
``n`` BLOCK_INFO   ``n ‖ block hash``           ``number (u64 BE) ‖ parent hash``
``c`` CANONICAL    ``c ‖ number (u64 BE)``      hash of the canonical block at that height
``l`` LEAF         ``l ‖ block hash``           ``number (u64 BE)``; blocks with no children
``m`` META         ``m ‖ name``                 see the META_* keys below
=================  ===========================  ============================================

Numbers are fixed-width big-endian so that bytewise key order equals numeric order, which
makes the canonical index iterable from any height.  BLOCK_INFO is the "hash → number"
lookup; it carries the parent hash too so chain walks (tree routes, reorgs, ancestry) never
decode the opaque SCALE header.

Meta keys: best block hash, finalized block hash, genesis hash, and the schema version
(u32 BE) so that a future layout change is detected on open instead of misread.

State columns (written by :mod:`storage.state_db` and :mod:`storage.chain_db`):

=================  ===========================  ============================================
prefix             key                          value
=================  ===========================  ============================================
``t`` TRIE_NODE    ``t ‖ node hash``            trie node encoding (or V1 out-of-line value)
``r`` REFCOUNT     ``r ‖ node hash``            u32 BE reference count (pruning mode only)
``s`` FLAT_STATE   ``s ‖ storage key``          value in the *finalized* block's state
``u`` JOURNAL      ``u ‖ number ‖ block hash``  :class:`storage.journal.Journal` encoding
=================  ===========================  ============================================

Reference counts: a node's count is the number of references to it from the trie versions
that may still be needed - increased by the ``inserted_refs`` of the block that created the
references, decreased when the references die (the removals of a canonical block, applied
once its parent's state leaves the pruning window; or the insertions of a block on an
abandoned fork).  A node and its count are deleted together when the count reaches zero,
so in pruning mode ``t`` holds exactly the nodes reachable from retained state roots.
Archive mode keeps no counts and deletes nothing.

Further meta keys: the pruning mode (``archive`` or ``pruned``; switching between them would
leave counts missing, so it is refused), the trie state version (u32 BE), and the hash of
the block whose state the flat index holds (always the finalized block).
"""

from __future__ import annotations

from typing import Final

__all__ = [
    "HEADER",
    "BODY",
    "JUSTIFICATION",
    "BLOCK_INFO",
    "CANONICAL",
    "LEAF",
    "META",
    "TRIE_NODE",
    "REFCOUNT",
    "FLAT_STATE",
    "JOURNAL",
    "ALL_PREFIXES",
    "META_BEST",
    "META_FINALIZED",
    "META_GENESIS",
    "META_VERSION",
    "META_PRUNING",
    "META_STATE_VERSION",
    "META_FLAT",
    "SCHEMA_VERSION",
    "NUMBER_WIDTH",
    "encode_number",
    "decode_number",
    "header_key",
    "body_key",
    "justification_key",
    "block_info_key",
    "canonical_key",
    "leaf_key",
    "trie_node_key",
    "refcount_key",
    "flat_state_key",
    "journal_key",
    "journal_prefix",
    "encode_block_info",
    "decode_block_info",
    "encode_version",
    "decode_version",
]

# --- column prefixes -------------------------------------------------------------------

HEADER: Final = b"h"
BODY: Final = b"b"
JUSTIFICATION: Final = b"j"
BLOCK_INFO: Final = b"n"
CANONICAL: Final = b"c"
LEAF: Final = b"l"
META: Final = b"m"

# State columns.
TRIE_NODE: Final = b"t"
REFCOUNT: Final = b"r"
FLAT_STATE: Final = b"s"
JOURNAL: Final = b"u"

ALL_PREFIXES: Final[tuple[bytes, ...]] = (
    HEADER,
    BODY,
    JUSTIFICATION,
    BLOCK_INFO,
    CANONICAL,
    LEAF,
    META,
    TRIE_NODE,
    REFCOUNT,
    FLAT_STATE,
    JOURNAL,
)

# --- meta keys ---------------------------------------------------------------------------

META_BEST: Final = META + b"best"
META_FINALIZED: Final = META + b"finalized"
META_GENESIS: Final = META + b"genesis"
META_VERSION: Final = META + b"version"
META_PRUNING: Final = META + b"pruning"
META_STATE_VERSION: Final = META + b"state_version"
META_FLAT: Final = META + b"flat"

# Bump when the layout changes incompatibly; BlockDatabase.open refuses other versions.
SCHEMA_VERSION: Final = 2

# --- numbers -----------------------------------------------------------------------------

# u64 like Substrate's BlockNumber storage; wide enough that it never wraps in practice.
NUMBER_WIDTH: Final = 8


def encode_number(number: int) -> bytes:
    """Fixed-width big-endian block number (order-preserving)."""
    if not 0 <= number < 1 << (8 * NUMBER_WIDTH):
        raise ValueError(f"block number out of range: {number}")
    return number.to_bytes(NUMBER_WIDTH, "big")


def decode_number(data: bytes) -> int:
    if len(data) != NUMBER_WIDTH:
        raise ValueError(f"block number must be {NUMBER_WIDTH} bytes, got {len(data)}")
    return int.from_bytes(data, "big")


def encode_version(version: int) -> bytes:
    return version.to_bytes(4, "big")


def decode_version(data: bytes) -> int:
    if len(data) != 4:
        raise ValueError(f"schema version must be 4 bytes, got {len(data)}")
    return int.from_bytes(data, "big")


# --- key builders ------------------------------------------------------------------------


def header_key(block_hash: bytes) -> bytes:
    return HEADER + block_hash


def body_key(block_hash: bytes) -> bytes:
    return BODY + block_hash


def justification_key(block_hash: bytes) -> bytes:
    return JUSTIFICATION + block_hash


def block_info_key(block_hash: bytes) -> bytes:
    return BLOCK_INFO + block_hash


def canonical_key(number: int) -> bytes:
    return CANONICAL + encode_number(number)


def leaf_key(block_hash: bytes) -> bytes:
    return LEAF + block_hash


def trie_node_key(node_hash: bytes) -> bytes:
    return TRIE_NODE + node_hash


def refcount_key(node_hash: bytes) -> bytes:
    return REFCOUNT + node_hash


def flat_state_key(storage_key: bytes) -> bytes:
    return FLAT_STATE + storage_key


def journal_prefix(number: int) -> bytes:
    """All journals of blocks at one height, for pruning a height at a time."""
    return JOURNAL + encode_number(number)


def journal_key(number: int, block_hash: bytes) -> bytes:
    return journal_prefix(number) + block_hash


# --- value codecs --------------------------------------------------------------------------


def encode_block_info(number: int, parent_hash: bytes) -> bytes:
    return encode_number(number) + parent_hash


def decode_block_info(data: bytes) -> tuple[int, bytes]:
    """``(number, parent_hash)``; raises ValueError if the record is truncated."""
    if len(data) < NUMBER_WIDTH:
        raise ValueError("block info record truncated")
    return decode_number(data[:NUMBER_WIDTH]), data[NUMBER_WIDTH:]
