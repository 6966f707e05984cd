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


def test_bonds_seven_epochs():
    s = SimSubnet(tempo=1, max_allowed_validators=8, block=1)
    for st in [1, 2, 3, 4, 0, 0, 0, 0]:
        s.register(st)
    s.epoch()
    assert s.permits == [True] * 4 + [False] * 4

    def col(j):
        return [s.bond(i, j) for i in range(4)]

    s.block = 2
    for uid in range(4):
        s.set_weights(uid, [4, 5, 6, 7], [M // 4, M // 2, (M // 4) * 3, M])
    assert s.weights[0] == [(4, 16383), (5, 32767), (6, 49149), (7, 65535)]
    out = s.epoch()
    assert col(4) == [16383, 32767, 49151, 65535]
    assert out.emission == (
        49999998, 99999999, 150000000, 200000001, 49998779, 100000610, 149996337, 200004272,
    )
    s.block = 3
    s.set_weights(0, [0], [M])
    s.epoch()
    assert col(4) == [14582, 32767, 49151, 65535]
    s.block = 4
    s.set_weights(1, [1], [M])
    s.epoch()
    assert col(4) == [12603, 28321, 49151, 65535]
    s.block = 5
    s.set_weights(2, [2], [M])
    s.epoch()
    assert col(7) == [12602, 28320, 49150, 65535]
    s.block = 6
    s.set_weights(2, [7], [M])
    s.epoch()
    assert col(7) == [10951, 24609, 49150, 65535]
    s.block = 7
    s.epoch()
    assert col(7) == [9559, 21482, 49150, 65535]
    s.block = 8
    s.epoch()
    assert col(7) == [8376, 18824, 49150, 65535]


# ---------------------------------------------------------------------------------------------
# Yuma3 scenarios (setup_yuma_3_scenario): dividends asserted as in the reference, u16 -> I32F32
# proportion within 1e-3 of the f32 target.
# ---------------------------------------------------------------------------------------------


def _yuma3(stakes, liquid=True) -> SimSubnet:
    s = SimSubnet(
        tempo=1, block=1, kappa=M // 2, bonds_penalty=0, bonds_moving_average=975_000,
        max_allowed_validators=3, yuma3=True, liquid_alpha=liquid, alpha_values=(6553, 19660),
        steepness=1000,
    )
    for st in stakes:
        s.register(st)
    s.block += 1
    s.epoch()
    return s


def _run_yuma3(s: SimSubnet, schedule, targets, servers=(3, 4)):
    from runtime.yuma.math import u16_proportion_to_fixed
    from tests.yuma.helpers import f32

    import numpy as np

    for e, target in enumerate(targets):
        rows = schedule(e)
        if rows is not None:
            for uid, row in enumerate(rows):
                s.set_weights(uid, list(servers), row)
        s.block += 1
        out = s.epoch()
        got = u16_proportion_to_fixed(np.array(out.dividends[: len(target)]))
        for g, t in zip(got.tolist(), target):
            assert abs(g - f32(t)) <= f32(1e-3), (e, out.dividends, target)


def test_yuma_3_kappa_moves_first():
    s = _yuma3([8, 1, 1, 0, 0])
    A, B = [M, 0], [0, M]

    def schedule(e):
        return {0: [A, A, A], 1: [B, A, A], 2: [B, B, A], 3: [B, B, B]}.get(e)

    targets = [
        [0.8000, 0.1000, 0.1000], [1.0000, 0.0000, 0.0000], [0.9382, 0.0618, 0.0000],
        [0.8819, 0.0773, 0.0407], [0.8564, 0.0844, 0.0592], [0.8418, 0.0884, 0.0697],
    ]
    _run_yuma3(s, schedule, targets)


def test_yuma_3_one_epoch_switch():
    s = _yuma3([33, 33, 34, 0, 0])
    A, B = [M, 0], [0, M]
    targets = [
        [0.33, 0.33, 0.34], [0.33, 0.33, 0.34], [0.3782, 0.3782, 0.2436],
        [0.3628, 0.3628, 0.2745], [0.3541, 0.3541, 0.2917], [0.3487, 0.3487, 0.3026],
    ]
    _run_yuma3(s, lambda e: [A, A, B] if e == 2 else [A, A, A], targets)


def test_yuma_3_liquid_alpha_disabled():
    s = _yuma3([33, 33, 34, 0, 0], liquid=False)
    A, B = [M, 0], [0, M]
    targets = [
        [0.33, 0.33, 0.34], [0.33, 0.33, 0.34], [0.3734, 0.3734, 0.2532],
        [0.3611, 0.3611, 0.2779], [0.3541, 0.3541, 0.2919], [0.3495, 0.3495, 0.3009],
    ]
    _run_yuma3(s, lambda e: [A, A, B] if e == 2 else [A, A, A], targets)


# --- more reference vectors: test_512_graph, Yuma3 kappa-moves-second/last and stable miner -----


@pytest.mark.parametrize("interleave", [0, 1, 2])
@pytest.mark.parametrize("server_self", [False, True])
def test_512_graph(interleave: int, server_self: bool):
    """TV-3: 64 validators with 328_125_000_000_000 stake each, 448 servers with none; uniform
    weights; three epochs at block 1 (bonds all masked: last_tempo 0 <= registration block 0)."""
    import random

    n, v = 512, 64
    if interleave == 0:
        validators = list(range(v))
    elif interleave == 1:
        validators = [i for i in range(n) if i % (n // v) == 0]
    else:
        validators = random.Random(512).sample(range(n), v)
    vset = set(validators)
    servers = [i for i in range(n) if i not in vset]
    s = SimSubnet(tempo=65534, max_allowed_validators=v)
    for uid in range(n):
        s.register(328_125_000_000_000 if uid in vset else 0)
    s.epoch()  # block 0: permits
    s.block = 1
    for uid in validators:
        s.set_weights(uid, servers, [M // n] * len(servers))
    if server_self:
        for uid in servers:
            s.set_weights(uid, [uid], [M])
    for _ in range(3):
        out = s.epoch()
    validator, server = validators[0], servers[0]
    for uid in validators:
        assert (out.consensus[uid], out.incentive[uid], out.dividends[uid]) == (0, 0, 1023)
        assert out.emission[uid] == 7_812_500
        assert s.bond(uid, validator) == 0 and s.bond(uid, server) == M
    for uid in servers:
        assert (out.consensus[uid], out.incentive[uid], out.dividends[uid]) == (146, 146, 0)
        assert out.emission[uid] == 1_116_071
        assert s.bond(uid, validator) == 0 and s.bond(uid, server) == 0


def _check_bonds(s: SimSubnet, epoch_no: int, targets, servers) -> None:
    """Bonds as stored (u16) read back as ``u16 / 65535`` proportions, within 1e-3 of the targets
    (the reference's own bond check is vacuous, see spec TV-7; these hold nonetheless)."""
    from runtime.yuma.math import u16_proportion_to_fixed
    from tests.yuma.helpers import f32

    import numpy as np

    for uid, row in enumerate(targets):
        got = u16_proportion_to_fixed(np.array([s.bond(uid, j) for j in servers]))
        for g, t in zip(got.tolist(), row):
            assert abs(g - f32(t)) <= f32(1e-3), (epoch_no, uid, got.tolist(), row)


def _run_yuma3_with_bonds(s, schedule, dividends, bonds, servers):
    from runtime.yuma.math import u16_proportion_to_fixed
    from tests.yuma.helpers import f32

    import numpy as np

    for e, (target, bond_targets) in enumerate(zip(dividends, bonds)):
        rows = schedule(e)
        if rows is not None:
            for uid, row in enumerate(rows):
                s.set_weights(uid, list(servers), row)
        s.block += 1
        out = s.epoch()
        got = u16_proportion_to_fixed(np.array(out.dividends[: len(target)]))
        for g, t in zip(got.tolist(), target):
            assert abs(g - f32(t)) <= f32(1e-3), (e, out.dividends, target)
        _check_bonds(s, e, bond_targets, servers)


def test_yuma_3_kappa_moves_second():
    s = _yuma3([8, 1, 1, 0, 0])
    A, B = [M, 0], [0, M]

    def schedule(e):
        return {0: [A, A, A], 1: [A, B, A], 2: [B, B, A], 3: [B, B, B]}.get(e)

    dividends = [
        [0.8000, 0.1000, 0.1000], [0.8446, 0.0498, 0.1056], [0.6868, 0.3132, 0.0000],
        [0.7421, 0.2090, 0.0489], [0.7625, 0.1706, 0.0669], [0.7730, 0.1508, 0.0762],
    ]
    bonds = [
        [[0.1013, 0.0000], [0.1013, 0.0000], [0.1013, 0.0000]],
        [[0.1924, 0.0000], [0.0908, 0.2987], [0.1924, 0.0000]],
        [[0.1715, 0.1013], [0.0815, 0.3697], [0.4336, 0.0000]],
        [[0.1531, 0.1924], [0.0731, 0.4336], [0.3608, 0.1013]],
        [[0.1369, 0.2742], [0.0656, 0.4910], [0.3103, 0.1924]],
        [[0.1225, 0.3478], [0.0588, 0.5426], [0.2712, 0.2742]],
    ]
    _run_yuma3_with_bonds(s, schedule, dividends, bonds, (3, 4))


def test_yuma_3_kappa_moves_last():
    s = _yuma3([8, 1, 1, 0, 0])
    A, B = [M, 0], [0, M]

    def schedule(e):
        return {0: [A, A, A], 1: [A, B, A], 2: [A, B, B], 3: [B, B, B]}.get(e)

    dividends = [
        [0.8000, 0.1000, 0.1000], [0.8446, 0.0498, 0.1056], [0.8966, 0.0333, 0.0701],
        [0.4663, 0.3210, 0.2127], [0.5976, 0.2340, 0.1683], [0.6592, 0.1932, 0.1475],
    ]
    bonds = [
        [[0.1013, 0.0000], [0.1013, 0.0000], [0.1013, 0.0000]],
        [[0.1924, 0.0000], [0.0908, 0.2987], [0.1924, 0.0000]],
        [[0.2742, 0.0000], [0.0815, 0.5081], [0.1715, 0.2987]],
        [[0.2416, 0.1013], [0.0731, 0.5580], [0.1531, 0.3697]],
        [[0.2141, 0.1924], [0.0656, 0.6028], [0.1369, 0.4336]],
        [[0.1903, 0.2742], [0.0588, 0.6430], [0.1225, 0.4910]],
    ]
    _run_yuma3_with_bonds(s, schedule, dividends, bonds, (3, 4))


def test_yuma_3_stable_miner():
    s = _yuma3([8, 1, 1, 0, 0, 0])
    H = M // 2
    A, B = [H, 0, H], [0, H, H]

    def schedule(e):
        return {0: [A, A, A], 1: [A, B, A], 2: [B, B, A], 3: [B, B, B]}.get(e)

    dividends = [
        [0.8000, 0.1000, 0.1000], [0.8226, 0.0745, 0.1028], [0.7750, 0.1685, 0.0565],
        [0.7864, 0.1372, 0.0764], [0.7912, 0.1241, 0.0847], [0.7937, 0.1173, 0.0890],
    ]
    bonds = [
        [[0.0507, 0.0000, 0.0507], [0.0507, 0.0000, 0.0507], [0.0507, 0.0000, 0.0507]],
        [[0.0962, 0.0000, 0.0962], [0.0455, 0.1000, 0.0962], [0.0962, 0.0000, 0.0962]],
        [[0.0863, 0.0507, 0.1371], [0.0408, 0.1405, 0.1371], [0.1770, 0.0000, 0.1371]],
        [[0.0774, 0.0962, 0.1739], [0.0367, 0.1770, 0.1739], [0.1579, 0.0507, 0.1739]],
        [[0.0694, 0.1371, 0.2069], [0.0329, 0.2097, 0.2069], [0.1411, 0.0962, 0.2069]],
        [[0.0623, 0.1739, 0.2366], [0.0296, 0.2391, 0.2366], [0.1263, 0.1371, 0.2366]],
    ]
    _run_yuma3_with_bonds(s, schedule, dividends, bonds, (3, 4, 5))


@pytest.mark.parametrize("interleave", [0, 1, 2])
@pytest.mark.parametrize("network_n,validators_n", [(2, 1), (4, 2), (8, 4)])
@pytest.mark.parametrize("assignment", [0, 1])
def test_validator_permits(interleave: int, network_n: int, validators_n: int, assignment: int):
    """The reference's test_validator_permits: permits follow the top-k stake above the threshold,
    and move to the servers once they out-stake the validators."""
    import random

    if interleave == 0:
        validators = list(range(validators_n))
    elif interleave == 1:
        validators = [i for i in range(network_n) if i % (network_n // validators_n) == 0]
    else:
        validators = random.Random(network_n * 10 + assignment).sample(range(network_n), validators_n)
    servers = [i for i in range(network_n) if i not in validators]
    stake = [0] * network_n
    for uid in validators:
        stake[uid] = uid + network_n if assignment == 1 else 1
    for uid in servers:
        stake[uid] = uid if assignment == 1 else 0
    s = SimSubnet(tempo=65534, max_allowed_validators=validators_n, stake_threshold=validators_n)
    for uid in range(network_n):
        s.register(stake[uid])
    out = s.epoch()
    for uid in validators:
        assert out.validator_permit[uid] == (stake[uid] >= validators_n)
    for uid in servers:
        assert not out.validator_permit[uid]
    for uid in servers:
        s.stake[uid] += 2 * network_n
    s.block = 1
    out = s.epoch()
    for uid in validators:
        assert not out.validator_permit[uid]
    for uid in servers:
        assert out.validator_permit[uid] == (stake[uid] + 2 * network_n >= validators_n)
