"""pallet_insecure_randomness_collective_flip: the 81-hash ring and the triplet-mixed seed."""

from __future__ import annotations

from typing import Any

import pytest

from runtime.pallets import randomness_collective_flip as flip
from runtime.pallets.system import storage as system_storage
from runtime.primitives.hashing import blake2_256
from runtime.support.context import Context

from tests.runtime.pallet_checks import mock_runtime, new_ctx, pallet_metadata_diff

RUNTIME = mock_runtime((1, flip.PALLET))


def h(n: int) -> bytes:
    return n.to_bytes(32, "big")


def run_blocks(ctx: Context, first: int, last: int) -> None:
    for number in range(first, last + 1):
        system_storage.Number.put(ctx, number)
        system_storage.ParentHash.put(ctx, h(number))
        assert flip.on_initialize(ctx, number).ref_time == 25_000_000 + 100_000_000


@pytest.fixture
def ctx() -> Context:
    return new_ctx(RUNTIME)


def test_parent_hashes_fill_then_wrap(ctx: Context) -> None:
    run_blocks(ctx, 1, 81)
    assert flip.random_material(ctx) == [h(n) for n in range(1, 82)]
    run_blocks(ctx, 82, 83)  # block 82 overwrites slot (82 - 1) % 81 = 0
    material = flip.random_material(ctx)
    assert len(material) == 81
    assert material[:3] == [h(82), h(83), h(3)]


def test_triplet_mix_is_bitwise_majority_tree() -> None:
    def mix(values: list[int]) -> int:
        return int.from_bytes(flip.triplet_mix([h(v) for v in values]), "big")

    assert [mix(t) for t in ([0, 1, 1], [1, 0, 0], [2, 0, 2], [1, 1, 1])] == [1, 0, 2, 1]
    assert mix([0, 0, 0, 0, 0, 1, 0, 1, 0]) == 0
    assert mix([0, 1, 1, 1, 0, 0, 1, 0, 1]) == 1
    assert mix([1, 1, 0, 1, 1, 1, 0, 0, 0]) == 1
    assert mix([0, 0, 0, 0, 0, 1, 0, 1, 0, 0, 1, 1, 1, 0, 0, 1, 0, 1, 1, 1, 0, 1, 1, 1, 0, 0, 0]) == 1
    assert mix([1, 0]) == 1 and mix([0, 1]) == 0  # no complete triple: the first item


def test_random_before_any_material(ctx: Context) -> None:
    assert flip.random(ctx, b"x") == (bytes(32), 0)


def test_random_mixes_subject_and_ring(ctx: Context) -> None:
    run_blocks(ctx, 1, 3)
    seed, known_since = flip.random(ctx, b"subject")
    assert known_since == 0
    # Block 3 starts at ring slot 2; the 3 stored hashes are cycled to 81 items.
    hashes = [blake2_256(bytes([i]) + b"\x1c" + b"subject" + h([1, 2, 3][(2 + i) % 3])) for i in range(81)]
    assert seed == flip.triplet_mix(hashes)
    assert flip.random(ctx, b"other")[0] != seed
    run_blocks(ctx, 4, 100)
    assert flip.random(ctx, b"subject")[1] == 100 - 81


def test_metadata_matches_golden(golden: Any) -> None:
    assert pallet_metadata_diff(flip.PALLET, golden, 1) == []
