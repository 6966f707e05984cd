"""pallet_insecure_randomness_collective_flip: low-influence (and insecure) randomness from block hashes.

Every block's ``on_initialize`` records the parent hash in ``RandomMaterial``, a ring of the last 81 block
hashes (the slot for block ``n`` is ``(n - 1) % 81`` once the ring is full). :func:`random` mixes those
hashes with a subject, as FRAME's ``Randomness::random`` does. Not for anything security relevant: block
authors can bias it.
"""

from __future__ import annotations

from typing import Any

from runtime.primitives.hashing import blake2_256
from runtime.primitives.types import H256
from runtime.scale import I8, Composite, FieldInfo, Vec, encode_compact
from runtime.support.context import Context
from runtime.support.dispatch import DB_READ, DB_WRITE, Weight
from runtime.support.externalities import Externalities
from runtime.support.pallet import Pallet
from runtime.support.storage import PalletStorage

RANDOM_MATERIAL_LEN = 81

RandomMaterialCodec = Composite("bounded_collections::bounded_vec::BoundedVec",
                                [FieldInfo(None, Vec(H256), "Vec<T>")], params=[("T", H256), ("S", None)])

storage = PalletStorage("RandomnessCollectiveFlip")
RandomMaterial = storage.value("RandomMaterial", RandomMaterialCodec, default=[], docs=[
    " Series of block headers from the last 81 blocks that acts as random seed material. This",
    " is arranged as a ring buffer with `block_number % 81` being the index into the `Vec` of",
    " the oldest hash.",
])


def _ring_index(block_number: int) -> int:
    # on_initialize first runs for block 1, which fills slot 0.
    return (block_number - 1) % RANDOM_MATERIAL_LEN


def on_initialize(ctx: Context, number: int) -> Weight:
    from runtime.pallets.system import storage as system_storage

    parent = system_storage.ParentHash.get(ctx)
    material = list(RandomMaterial.get(ctx))
    if len(material) < RANDOM_MATERIAL_LEN:
        material.append(parent)
    else:
        material[_ring_index(number)] = parent
    RandomMaterial.put(ctx, material)
    return Weight(DB_READ + DB_WRITE, 0)


def _majority(a: int, b: int, c: int) -> int:
    """Bitwise majority of three values."""
    return (a & b) | (b & c) | (a & c)


def triplet_mix(values: list[bytes]) -> bytes:
    """Mix hashes in a ternary tree of bitwise majorities (the ``safe-mix`` scheme).

    The result is the root of the largest complete tree (3, 9, 27… items); with fewer than three items
    it is the first item, as in the reference.
    """
    max_depth = 17
    levels = [[0, 0, 0] for _ in range(max_depth)]
    top = 0
    for position, value in enumerate(values):
        levels[0][position % 3] = int.from_bytes(value, "big")
        for depth in range(max_depth):
            if position % 3 != 2:
                break
            position //= 3
            if depth == max_depth - 1:
                break
            levels[depth + 1][position % 3] = _majority(*levels[depth])
            top = max(top, depth + 1)
    return levels[top][0].to_bytes(32, "big")


def random(ext: Externalities, subject: bytes) -> tuple[bytes, int]:
    """``(seed, block_number_known_from)`` for ``subject``: FRAME's ``Randomness::random``.

    The hashes are walked from the oldest (``(n - 1) % 81``, wrapping round), each hashed with its
    position and the subject; the result is valid from 81 blocks ago.
    """
    from runtime.pallets.system import storage as system_storage

    number = system_storage.Number.get(ext)
    material = RandomMaterial.get(ext)
    if not material:
        seed = bytes(32)
    else:
        start = _ring_index(number) if number > 0 else 0
        hashed = []
        for i in range(RANDOM_MATERIAL_LEN):
            h = material[(start + i) % len(material)]
            encoded = bytearray(I8.encode(i))
            encode_compact(len(subject), encoded)
            hashed.append(blake2_256(bytes(encoded) + subject + h))
        seed = triplet_mix(hashed)
    return seed, max(number - RANDOM_MATERIAL_LEN, 0)


def random_material(ext: Externalities) -> list[Any]:
    return list(RandomMaterial.get(ext))


PALLET = Pallet("RandomnessCollectiveFlip", storage=storage, on_initialize=on_initialize)

__all__ = ["PALLET", "RANDOM_MATERIAL_LEN", "RandomMaterial", "random", "random_material", "triplet_mix"]
