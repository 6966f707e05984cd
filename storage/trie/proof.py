"""Read proofs, in the form Substrate serves them from ``state_getReadProof``.

A read proof is an unordered, de-duplicated list of raw node encodings: everything a lookup
of the requested keys reads from the database. That is the root node, every node referenced
by hash along each key's path (inline children travel inside their parent), and, under
state version 1, the out-of-line value of each key whose value is stored by hash.

A verifier indexes the proof by blake2_256 of each entry and repeats the lookup from the
root. Because every reference is a hash (or an inline encoding that is itself covered by its
parent's hash), a lookup that completes proves either the value or the key's absence: the
path ends at a missing child slot or a diverging partial key. If the walk needs an entry that
is not in the proof - the root node included - or an entry fails to decode, the proof is
rejected with :class:`~storage.trie.errors.InvalidProof`. Extra entries are ignored.
"""

from __future__ import annotations

from typing import Callable, Iterable

from .codec import EMPTY_ROOT, HASH_LENGTH, blake2_256, decode_parts, key_to_nibbles
from .errors import InvalidProof, MissingNode, NodeDecodeError
from .triedb import NodeStore, TrieDB

#: Fetches a node or value by hash; raises if it is unavailable.
_Fetch = Callable[[bytes, str], bytes]


def _lookup(fetch: _Fetch, root: bytes, key: bytes) -> bytes | None:
    """Walk from ``root`` to ``key`` reading encodings through ``fetch``.

    Decoding errors propagate as :class:`NodeDecodeError`; the caller decides what they mean.
    """
    if root == EMPTY_ROOT:
        return None
    path = key_to_nibbles(key)
    parts = decode_parts(fetch(root, "node"))
    depth = 0
    while parts is not None:
        partial, value, hashed, children = parts
        if not path.startswith(partial, depth):
            return None  # the path diverges inside this node's partial key
        depth += len(partial)
        if depth == len(path):
            if value is None:
                return None
            return fetch(value, "value") if hashed else value
        if children is None:
            return None
        ref = children[path[depth]]
        if ref is None:
            return None
        depth += 1
        parts = decode_parts(fetch(ref, "node") if len(ref) == HASH_LENGTH else ref)
        if parts is None:
            raise NodeDecodeError("the empty node cannot be a child")
    # Only a non-empty-root trie reaches here, and its root node decoded as empty.
    raise NodeDecodeError("a non-empty root decodes to the empty node")


def generate_proof(store_or_trie: NodeStore | TrieDB, root: bytes, keys: Iterable[bytes]) -> list[bytes]:
    """The read proof for ``keys`` under ``root``.

    ``store_or_trie`` is a node store or a :class:`TrieDB`. A committed ``TrieDB`` whose root is
    ``root`` answers from its loaded nodes; otherwise the proof is read from the store (a
    trie's own store for an older root). Raises :class:`MissingNode` if the store lacks a
    node the lookups need.
    """
    collected: dict[bytes, bytes] = {}
    if isinstance(store_or_trie, TrieDB):
        if root == store_or_trie.root and not store_or_trie.is_dirty:
            for key in keys:
                store_or_trie.record_path(key, collected)
            return list(collected.values())
        store: NodeStore = store_or_trie.store
    else:
        store = store_or_trie

    def fetch(node_hash: bytes, what: str) -> bytes:
        data = collected.get(node_hash)
        if data is None:
            data = store.get(node_hash)
            if data is None:
                raise MissingNode(node_hash, what)
            collected[node_hash] = data
        return data

    for key in keys:
        _lookup(fetch, root, key)
    return list(collected.values())


def _index(proof: Iterable[bytes]) -> dict[bytes, bytes]:
    return {blake2_256(entry): bytes(entry) for entry in proof}


def _verify_indexed(root: bytes, index: dict[bytes, bytes], key: bytes) -> bytes | None:
    def fetch(node_hash: bytes, what: str) -> bytes:
        data = index.get(node_hash)
        if data is None:
            raise InvalidProof(f"proof lacks the {what} 0x{node_hash.hex()}")
        return data

    try:
        return _lookup(fetch, root, key)
    except NodeDecodeError as exc:
        raise InvalidProof(f"undecodable node in proof: {exc}") from exc


def verify_proof(root: bytes, proof_nodes: Iterable[bytes], key: bytes) -> bytes | None:
    """The value of ``key`` under ``root`` as proven by ``proof_nodes``; ``None`` if absent.

    Raises :class:`InvalidProof` if the proof does not settle the question.
    """
    return _verify_indexed(root, _index(proof_nodes), key)


def read_proof_check(root: bytes, proof: Iterable[bytes], keys: Iterable[bytes]) -> dict[bytes, bytes | None]:
    """Check a multi-key read proof; map each key to its proven value (or ``None``)."""
    index = _index(proof)
    return {key: _verify_indexed(root, index, key) for key in keys}
