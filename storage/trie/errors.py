"""Typed failures of the state trie.

Everything the trie package raises on bad data derives from :class:`TrieError`, so callers
(the block importer, the RPC layer serving proofs) can catch one type and still tell the
cases apart:

* :class:`NodeDecodeError` - bytes that are not a valid node encoding (truncated input,
  an unknown header, a length that runs past the end, trailing garbage).
* :class:`MissingNode` - a node or out-of-line value referenced by hash is not in the node
  store; for a database this means corruption or pruned state.
* :class:`InvalidProof` - a read proof that cannot establish a value or an absence under
  the claimed root (a needed node is missing, or a node in it fails to decode).

Programming errors (wrong argument types, an unsupported state version) stay ordinary
``ValueError``/``TypeError``.
"""

from __future__ import annotations


class TrieError(Exception):
    """Base class of all trie failures caused by the data rather than by the caller."""


class NodeDecodeError(TrieError):
    """The bytes are not a well-formed Substrate trie node."""


class MissingNode(TrieError):
    """A node (or V1 out-of-line value) referenced by hash is absent from the store."""

    def __init__(self, node_hash: bytes, what: str = "node") -> None:
        super().__init__(f"missing trie {what} 0x{node_hash.hex()}")
        self.node_hash = node_hash


class InvalidProof(TrieError):
    """A read proof does not prove anything about the requested key under the given root."""
