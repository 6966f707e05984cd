"""The Substrate base-16 Patricia-Merkle trie (state versions V0 and V1).

* :mod:`.codec` - node encoding and decoding, nibble helpers, blake2_256;
* :mod:`.root` - closed-form roots of whole mappings (genesis, extrinsics roots);
* :mod:`.triedb` - the incremental trie over a node store, for block import;
* :mod:`.proof` - read proofs as served by ``state_getReadProof``;
* :mod:`.errors` - the exception hierarchy (:class:`TrieError` and its subclasses).

Like the rest of ``storage`` this package is bytes in, bytes out, and imports nothing from
the rest of the project.
"""

from .codec import EMPTY_ROOT, blake2_256, decode_node, encode_node
from .errors import InvalidProof, MissingNode, NodeDecodeError, TrieError
from .proof import generate_proof, read_proof_check, verify_proof
from .root import (
    genesis_state_root,
    ordered_trie_root,
    trie_root,
    trie_root_and_nodes,
    trie_root_nodes_and_refs,
)
from .triedb import CommitResult, MemoryNodeStore, NodeStore, TrieDB, TrieMut

__all__ = [
    "EMPTY_ROOT",
    "CommitResult",
    "InvalidProof",
    "MemoryNodeStore",
    "MissingNode",
    "NodeDecodeError",
    "NodeStore",
    "TrieDB",
    "TrieError",
    "TrieMut",
    "blake2_256",
    "decode_node",
    "encode_node",
    "generate_proof",
    "genesis_state_root",
    "ordered_trie_root",
    "read_proof_check",
    "trie_root",
    "trie_root_and_nodes",
    "trie_root_nodes_and_refs",
    "verify_proof",
]
