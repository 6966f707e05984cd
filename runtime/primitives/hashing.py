"""The hash functions of Substrate, and the storage hashers built from them.

Substrate uses two hash families. BLAKE2b (from :mod:`hashlib`) is the cryptographic one: block and
extrinsic hashes, account derivations and the ``Blake2_*`` storage hashers. xxHash64 is the fast,
non-cryptographic one: ``twox128(pallet) ++ twox128(item)`` prefixes every FRAME storage key, and
``Twox64Concat`` hashes keys an attacker cannot choose. The wider "twox" variants are not a distinct
algorithm: ``twoxN`` runs xxh64 with seeds ``0, 1, …`` and concatenates each 8-byte digest written
little-endian (Substrate's ``sp_crypto_hashing`` does exactly this).

A storage *hasher* maps an already SCALE-encoded key to the bytes placed in the storage key. The
``*Concat`` hashers (and ``Identity``) append the encoded key after the hash so that a key can be read
back when iterating a map; :attr:`Hasher.concat_len` says how many hash bytes precede it.
:class:`Hasher` members carry the index they have in runtime metadata (``StorageHasher`` enum).
"""

from __future__ import annotations

import enum
import hashlib
from collections.abc import Callable

import xxhash

__all__ = [
    "Hasher",
    "blake2_128",
    "blake2_128_concat",
    "blake2_256",
    "blake2_512",
    "identity",
    "twox128",
    "twox256",
    "twox64",
    "twox64_concat",
]


def _blake2(data: bytes, size: int) -> bytes:
    # Unkeyed BLAKE2b with a truncated digest size, as sp_crypto_hashing does (not a truncation of the
    # 64-byte digest: the output size is part of the BLAKE2 parameter block).
    return hashlib.blake2b(data, digest_size=size).digest()


def blake2_128(data: bytes) -> bytes:
    """BLAKE2b with a 16-byte digest."""
    return _blake2(data, 16)


def blake2_256(data: bytes) -> bytes:
    """BLAKE2b with a 32-byte digest (Substrate's default hash)."""
    return _blake2(data, 32)


def blake2_512(data: bytes) -> bytes:
    """BLAKE2b with its full 64-byte digest."""
    return _blake2(data, 64)


def _twox(data: bytes, rounds: int) -> bytes:
    # xxh64 exposes its digest big-endian; Substrate writes the u64 little-endian.
    return b"".join(
        xxhash.xxh64_intdigest(data, seed=seed).to_bytes(8, "little") for seed in range(rounds)
    )


def twox64(data: bytes) -> bytes:
    """xxHash64 (seed 0), 8 bytes little-endian."""
    return _twox(data, 1)


def twox128(data: bytes) -> bytes:
    """Two xxHash64 rounds (seeds 0 and 1), 16 bytes."""
    return _twox(data, 2)


def twox256(data: bytes) -> bytes:
    """Four xxHash64 rounds (seeds 0 to 3), 32 bytes."""
    return _twox(data, 4)


def blake2_128_concat(data: bytes) -> bytes:
    """The ``Blake2_128Concat`` storage hasher: ``blake2_128(data) ++ data``."""
    return blake2_128(data) + data


def twox64_concat(data: bytes) -> bytes:
    """The ``Twox64Concat`` storage hasher: ``twox64(data) ++ data``."""
    return twox64(data) + data


def identity(data: bytes) -> bytes:
    """The ``Identity`` storage hasher: the encoded key itself."""
    return bytes(data)


class Hasher(enum.Enum):
    """A FRAME storage hasher, valued by its index in the metadata ``StorageHasher`` enum."""

    Blake2_128 = 0
    Blake2_256 = 1
    Blake2_128Concat = 2
    Twox128 = 3
    Twox256 = 4
    Twox64Concat = 5
    Identity = 6

    def hash(self, data: bytes) -> bytes:
        """Apply this hasher to an already SCALE-encoded key."""
        return _HASH_FUNCTIONS[self](data)

    @property
    def concat_len(self) -> int | None:
        """Bytes of hash before the encoded key, or ``None`` when the key cannot be recovered."""
        return _CONCAT_LENGTHS.get(self)

    @property
    def is_reversible(self) -> bool:
        """Whether the encoded key can be read back from the hashed bytes."""
        return self in _CONCAT_LENGTHS

    @property
    def hash_len(self) -> int | None:
        """Length of the hashed output for the opaque hashers, ``None`` for the concatenating ones."""
        return _OPAQUE_LENGTHS.get(self)


_HASH_FUNCTIONS: dict[Hasher, Callable[[bytes], bytes]] = {
    Hasher.Blake2_128: blake2_128,
    Hasher.Blake2_256: blake2_256,
    Hasher.Blake2_128Concat: blake2_128_concat,
    Hasher.Twox128: twox128,
    Hasher.Twox256: twox256,
    Hasher.Twox64Concat: twox64_concat,
    Hasher.Identity: identity,
}

_CONCAT_LENGTHS: dict[Hasher, int] = {
    Hasher.Blake2_128Concat: 16,
    Hasher.Twox64Concat: 8,
    Hasher.Identity: 0,
}

_OPAQUE_LENGTHS: dict[Hasher, int] = {
    Hasher.Blake2_128: 16,
    Hasher.Blake2_256: 32,
    Hasher.Twox128: 16,
    Hasher.Twox256: 32,
}
