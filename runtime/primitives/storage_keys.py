"""FRAME storage keys: how a pallet's storage item and its map keys become a key in the state trie.

Every FRAME storage item lives under ``twox128(pallet) ++ twox128(item)``. A plain value is stored at
exactly that prefix. A map appends, for each of its keys, ``hasher(SCALE(key))``: one part for a
``StorageMap``, two for a ``StorageDoubleMap``, any number for a ``StorageNMap``. Because all of those
shapes reduce to "prefix plus a list of (hasher, encoded key)", :func:`storage_key` takes the key parts
already SCALE-encoded and needs no codec; the caller (which knows the types from metadata) encodes them.

Going back, :func:`decode_key_parts` splits a full key into the encoded key parts. That is only
possible for the hashers that keep the key in clear (``Blake2_128Concat``, ``Twox64Concat``,
``Identity``), and only when the length of each encoded part is known, except the last, which may simply
take the rest. The recovered parts are checked against their hash prefixes, so a wrong guess at a length
fails loudly instead of producing plausible garbage.

A few keys are not FRAME items at all: the runtime code, heap pages and the extrinsic index are stored
under fixed, well-known raw keys, and child tries are rooted under :data:`CHILD_STORAGE_DEFAULT_PREFIX`.
"""

from __future__ import annotations

from collections.abc import Sequence

from runtime.primitives.errors import StorageKeyError
from runtime.primitives.hashing import Hasher, twox128

__all__ = [
    "CHILD_STORAGE_DEFAULT_PREFIX",
    "CODE",
    "EXTRINSIC_INDEX",
    "HEAP_PAGES",
    "PREFIX_LEN",
    "STORAGE_VERSION_SUFFIX",
    "decode_key_parts",
    "hash_key_parts",
    "pallet_prefix",
    "pallet_storage_version_key",
    "storage_key",
    "storage_prefix",
]

#: The runtime Wasm blob.
CODE = b":code"
#: The number of Wasm heap pages the runtime gets.
HEAP_PAGES = b":heappages"
#: The index of the extrinsic being applied (set by the executive during block execution).
EXTRINSIC_INDEX = b":extrinsic_index"
#: Where default child tries are rooted in the top trie.
CHILD_STORAGE_DEFAULT_PREFIX = b":child_storage:default:"
#: The item name under which FRAME keeps each pallet's on-chain storage version.
STORAGE_VERSION_SUFFIX = b":__STORAGE_VERSION__:"

#: Length of ``storage_prefix(pallet, item)``: two twox128 hashes.
PREFIX_LEN = 32


def _name(value: str | bytes, what: str) -> bytes:
    if isinstance(value, str):
        return value.encode("utf-8")
    if isinstance(value, (bytes, bytearray, memoryview)):
        return bytes(value)
    raise StorageKeyError(f"{what} name must be str or bytes, not {type(value).__name__}")


def pallet_prefix(pallet: str | bytes) -> bytes:
    """``twox128(pallet)``: the prefix shared by every storage item of one pallet."""
    return twox128(_name(pallet, "pallet"))


def storage_prefix(pallet: str | bytes, item: str | bytes) -> bytes:
    """``twox128(pallet) ++ twox128(item)``: the key of a plain value and the prefix of a map."""
    return pallet_prefix(pallet) + twox128(_name(item, "storage item"))


def hash_key_parts(keys: Sequence[tuple[Hasher, bytes]]) -> bytes:
    """The part of a map key after the prefix: each encoded key part passed through its hasher."""
    out = bytearray()
    for index, part in enumerate(keys):
        try:
            hasher, encoded = part
        except (TypeError, ValueError) as exc:
            raise StorageKeyError(f"key part {index} is not a (Hasher, bytes) pair") from exc
        if not isinstance(hasher, Hasher):
            raise StorageKeyError(f"key part {index}: {hasher!r} is not a Hasher")
        if not isinstance(encoded, (bytes, bytearray, memoryview)):
            raise StorageKeyError(f"key part {index} must be SCALE-encoded bytes")
        out += hasher.hash(bytes(encoded))
    return bytes(out)


def storage_key(
    pallet: str | bytes, item: str | bytes, keys: Sequence[tuple[Hasher, bytes]] = ()
) -> bytes:
    """The full storage key of a value, map, double map or N-map entry.

    ``keys`` lists ``(hasher, SCALE-encoded key)`` in declaration order; leave it empty for a plain value
    or pass a leading subset of a map's keys to get the prefix for iterating over the rest.
    """
    return storage_prefix(pallet, item) + hash_key_parts(keys)


def pallet_storage_version_key(pallet: str | bytes) -> bytes:
    """Where FRAME stores a pallet's ``StorageVersion`` (a little-endian u16)."""
    return pallet_prefix(pallet) + twox128(STORAGE_VERSION_SUFFIX)


def decode_key_parts(
    key: bytes,
    prefix_len: int,
    hashers_and_lengths: Sequence[tuple[Hasher, int | None]],
    *,
    check_hashes: bool = True,
) -> list[bytes]:
    """Recover the SCALE-encoded key parts of a full storage key.

    ``prefix_len`` bytes are skipped first (usually :data:`PREFIX_LEN`). Each entry of
    ``hashers_and_lengths`` gives a part's hasher and the length of its encoding; ``None`` means "the rest
    of the key" and is allowed only for the last part. With ``check_hashes`` each recovered part must hash
    to the bytes in front of it. Raises :class:`StorageKeyError` for a non-reversible hasher, a key that
    is too short, a hash mismatch, or bytes left over.
    """
    if not isinstance(key, (bytes, bytearray, memoryview)):
        raise StorageKeyError(f"a storage key is bytes, not {type(key).__name__}")
    key = bytes(key)
    if isinstance(prefix_len, bool) or not isinstance(prefix_len, int) or prefix_len < 0:
        raise StorageKeyError(f"prefix length must be a non-negative int, got {prefix_len!r}")
    if len(key) < prefix_len:
        raise StorageKeyError(f"key of {len(key)} bytes is shorter than its {prefix_len}-byte prefix")

    parts: list[bytes] = []
    pos = prefix_len
    last = len(hashers_and_lengths) - 1
    for index, spec in enumerate(hashers_and_lengths):
        try:
            hasher, length = spec
        except (TypeError, ValueError) as exc:
            raise StorageKeyError(f"key part {index} is not a (Hasher, length) pair") from exc
        if not isinstance(hasher, Hasher):
            raise StorageKeyError(f"key part {index}: {hasher!r} is not a Hasher")
        hash_len = hasher.concat_len
        if hash_len is None:
            raise StorageKeyError(f"key part {index} uses {hasher.name}, which cannot be reversed")
        if length is None:
            if index != last:
                raise StorageKeyError(f"only the last key part may have an unknown length (part {index})")
            length = len(key) - pos - hash_len
            if length < 0:
                raise StorageKeyError(f"key too short for the {hasher.name} hash of part {index}")
        if isinstance(length, bool) or not isinstance(length, int) or length < 0:
            raise StorageKeyError(f"key part {index}: invalid encoded length {length!r}")
        end = pos + hash_len + length
        if end > len(key):
            raise StorageKeyError(
                f"key too short: part {index} needs bytes {pos}..{end}, the key has {len(key)}"
            )
        encoded = key[pos + hash_len : end]
        if check_hashes and hasher.hash(encoded) != key[pos:end]:
            raise StorageKeyError(f"key part {index} does not match its {hasher.name} hash")
        parts.append(encoded)
        pos = end
    if pos != len(key):
        raise StorageKeyError(f"{len(key) - pos} trailing bytes after the last key part")
    return parts
