"""Epoch vectors from the reference's tests/epoch.rs, bit-exact (spec TV-1..TV-7)."""

from __future__ import annotations

import dataclasses

import pytest

from runtime.yuma import EpochInputs, epoch
from tests.yuma.sim import SimSubnet

M = 65535


def test_10_graph_emergency_mode():
    s = SimSubnet(tempo=65534)
    for _ in range(10):
        s.register(1)
    s.block = 1
    for i in range(10):
        s.set_weights(i, [i], [M])
    out = s.epoch()
    assert out.consensus == (0,) * 10 and out.incentive == (0,) * 10
    assert out.dividends == (0,) * 10
    assert out.emission == (99_999_999,) * 10


def test_zero_weights():
    s = SimSubnet(tempo=65534, max_allowed_validators=100)
    s.register(1)
    s.register(0)
    out = s.epoch()  # block 0: no weights
    assert out.emission == (1_000_000_000, 0)
    s.block = 1
    s.set_weights(1, [1], [M])  # self-weight only
    assert s.epoch().emission == (1_000_000_000, 0)
    s.block = 2
    s.set_weights(0, [1], [M])
    s.replace_uid(1, 0)  # re-registered in the same block: the weight is outdated
    assert s.epoch().emission == (1_000_000_000, 0)
    s.block = 3
    s.set_weights(0, [1], [M])
    assert s.epoch().emission == (500_000_000, 500_000_000)


def test_active_stake():
    s = SimSubnet(tempo=1, max_allowed_validators=4)
    for _ in range(4):
        s.register(1)
    s.epoch()  # block 0: permits
    s.block = 1
    for uid in (0, 1):
        s.set_weights(uid, [2, 3], [M // 2, M // 2])
    out = s.epoch()
    assert out.dividends[:2] == (32767, 32767)
    assert out.emission == (250_000_000,) * 4
    for v in (0, 1):
        assert [s.bond(v, j) for j in range(4)] == [0, 0, M, M]

    s.block = 5002
    s.set_weights(0, [2, 3], [M // 2, M // 2])
    out = s.epoch()
    assert (out.dividends[0], out.emission[0]) == (36044, 274_999_999)
    assert (out.dividends[1], out.emission[1]) == (29490, 224_999_999)
    assert [s.bond(0, j) for j in (2, 3)] == [M, M]
    assert [s.bond(1, j) for j in (2, 3)] == [53619, 53619]

    s.set_weights(1, [2, 3], [M // 2, M // 2])  # at block 5002
    s.block = 5003
    out = s.epoch()
    assert (out.dividends[0], out.emission[0]) == (35716, 272_501_132)
    assert (out.dividends[1], out.emission[1]) == (29818, 227_498_866)
    assert [s.bond(0, j) for j in (2, 3)] == [M, M]
    assert [s.bond(1, j) for j in (2, 3)] == [54712, 54712]


def test_outdated_weights():
    s = SimSubnet(tempo=0, max_allowed_validators=4, block=1)  # tempo 0: cutoff 1, last_tempo = block
    for _ in range(4):
        s.register(1)
    s.epoch()
    s.block = 2
    for uid in (0, 1):
        s.set_weights(uid, [2, 3], [2 * (M // 3), M // 3])
    for uid in (2, 3):
        s.set_weights(uid, [uid], [M])
    assert s.weights[0] == [(2, 65535), (3, 32768)]
    out = s.epoch()
    assert out.emission == (250_000_000, 250_000_000, 333_331_637, 166_668_361)
    # a new key (no stake) takes uid 3 in this block; uid 0 re-sets its weights a block later
    s.replace_uid(3, 0)
    s.block = 3
    s.set_weights(0, [2, 3], [2 * (M // 3), M // 3])
    out = s.epoch()
    assert (out.dividends[0], out.emission[0]) == (32767, 250_000_000)
    assert (s.bond(0, 2), s.bond(0, 3)) == (M, M)
