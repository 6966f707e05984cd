"""Differential test: the vectorised epoch (``runtime.yuma.epoch``) against the independent scalar
reference (``tests.yuma.scalar``) on random subnets. Every output must be identical."""

from __future__ import annotations

import dataclasses
import random

import numpy as np
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from runtime.yuma import EpochInputs, U16Rows, dense, epoch, epoch_general, fast
from tests.yuma.scalar import U64_MAX, scalar_epoch

FIELDS = (
    "active", "validator_permit", "incentive", "consensus", "dividends", "validator_trust",
    "stake_weight", "emission", "server_emission", "validator_emission", "bonds", "stake",
)


def random_subnet(seed: int, n: int, knobs: dict) -> EpochInputs:
    """A random but plausible subnet; ``knobs`` are the feature switches drawn by hypothesis."""
    rng = random.Random(seed)
    block = rng.randint(100, 20_000)
    tempo = rng.choice([0, 1, 10, 99, 360])
    cutoff = rng.choice([1, 500, 5000, 100_000, 100_000])

    def some_block() -> int:
        return rng.choice([0, block, block - 1, rng.randint(0, block)])

    last_update = [rng.choice([block, block - 1, rng.randint(block // 2, block), some_block()])
                   for _ in range(n)]
    registered = [rng.choice([0, rng.randint(0, block // 2), some_block()]) for _ in range(n)]
    if knobs["outdated"]:  # re-registrations in the same block as the last weights
        for i in rng.sample(range(n), k=rng.randint(0, n)):
            registered[i] = last_update[i]

    def stake_value() -> int:
        kind = rng.random()
        if kind < 0.25 and knobs["zero_stakes"]:
            return 0
        if kind < 0.5:
            return rng.randint(1, 1000)
        return rng.randint(1, 1 << rng.choice([20, 40, 54]))

    alpha = [stake_value() for _ in range(n)]
    tao = [stake_value() if knobs["tao"] else 0 for _ in range(n)]
    tao_weight = rng.choice([0, U64_MAX, rng.randint(0, U64_MAX), U64_MAX // 5]) if knobs["tao"] else 0
    threshold = 0
    if knobs["threshold"]:
        threshold = rng.choice([1, 500, 1 << 30, rng.randint(0, 1 << 54)])

    plen = rng.choice([n, n, n, rng.randint(0, n)]) if knobs["short_permits"] else n
    permits = [rng.random() < knobs["permit_p"] for _ in range(plen)]
    owner = rng.choice([None, rng.randrange(n), n + 3]) if knobs["owner"] else None

    weights = []
    for i in range(n):
        if rng.random() < 0.15:
            weights.append(())
            continue
        if knobs["dense"]:
            cols = list(range(n))
        else:
            cols = rng.sample(range(n), k=rng.randint(1, min(n, 8)))
        if knobs["unsorted"]:
            rng.shuffle(cols)
        else:
            cols.sort()
        vals = [rng.choice([0, 65535, rng.randint(1, 65535)]) if knobs["zeros"] else rng.randint(1, 65535)
                for _ in cols]
        weights.append(tuple(zip(cols, vals)))

    bonds = []
    for i in range(n):
        if rng.random() < 0.3:
            bonds.append(())
            continue
        cols = sorted(rng.sample(range(n), k=rng.randint(1, n)))
        bonds.append(tuple((j, rng.randint(1, 65535)) for j in cols))

    alpha_high = rng.randint(1638, 65535)
    alpha_low = rng.randint(1638, alpha_high)
    commits: tuple[int, ...] = ()
    if knobs["commit_reveal"]:
        commits = tuple(rng.choice([U64_MAX, some_block()]) for _ in range(rng.randint(0, n)))

    return EpochInputs(
        n=n,
        block=block,
        tempo=tempo,
        activity_cutoff=cutoff,
        last_update=tuple(last_update),
        block_at_registration=tuple(registered),
        alpha_stake=tuple(alpha),
        tao_stake=tuple(tao),
        tao_weight=tao_weight,
        stake_threshold=threshold,
        validator_permit=tuple(permits),
        max_allowed_validators=rng.choice([1, 2, n // 2 + 1, n, 64, 256]),
        kappa=rng.choice([32767, 32767, 32767, 0, 65535, rng.randint(0, 65535)]),
        bonds_penalty=rng.choice([65535, 0, rng.randint(0, 65535)]),
        bonds_moving_average=rng.choice([900_000, 0, 975_000, 1_000_000, rng.randint(0, 1_000_000)]),
        yuma3_enabled=knobs["yuma3"],
        liquid_alpha_enabled=knobs["liquid_alpha"],
        alpha_low=alpha_low,
        alpha_high=alpha_high,
        alpha_sigmoid_steepness=rng.choice([1000, 10, -500, rng.randint(-32768, 32767)]),
        last_mechanism_step_block=rng.choice([0, max(block - tempo - 1, 0), rng.randint(0, block)]),
        owner_uid=owner,
        weights=tuple(weights),
        bonds=tuple(bonds),
        rao_emission=rng.choice([1_000_000_000, 0, rng.randint(0, 1 << 50)]),
        commit_reveal_enabled=knobs["commit_reveal"],
        commit_blocks=commits,
    )


KNOBS = st.fixed_dictionaries(
    {
        "outdated": st.booleans(),
        "zero_stakes": st.booleans(),
        "tao": st.booleans(),
        "threshold": st.booleans(),
        "short_permits": st.booleans(),
        "permit_p": st.sampled_from([0.0, 0.5, 0.9, 1.0, 1.0]),
        "owner": st.booleans(),
        "dense": st.booleans(),
        "unsorted": st.booleans(),
        "zeros": st.booleans(),
        "commit_reveal": st.booleans(),
        "yuma3": st.booleans(),
        "liquid_alpha": st.booleans(),
    }
)
SIZES = st.one_of(st.integers(1, 8), st.integers(9, 24), st.sampled_from([32, 48, 64]))


def assert_same(inputs: EpochInputs, canonical: bool = False) -> None:
    """Both numpy paths equal the scalar reference; canonical inputs (sorted rows) must be taken by
    the fast path."""
    slow = scalar_epoch(inputs)
    results = {"general": epoch_general(inputs), "epoch": epoch(inputs)}
    if canonical:
        results["fast"] = fast.epoch_fast(inputs)
        prep = fast.prepare(inputs)
        block = dense.worth_it(prep, inputs.n, fill_twentieths=None)  # however sparse
        if block is not None:
            results["dense"] = dense.epoch_dense(inputs, prep, block)
    for path, got in results.items():
        for name in FIELDS:
            assert getattr(got, name) == getattr(slow, name), (path, name, getattr(got, name), getattr(slow, name))


@settings(max_examples=1000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 2**32 - 1), n=SIZES, knobs=KNOBS)
def test_numpy_core_equals_scalar_reference(seed: int, n: int, knobs: dict) -> None:
    assert_same(random_subnet(seed, n, knobs), canonical=not knobs["unsorted"])


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 2**32 - 1), n=st.integers(65, 256), knobs=KNOBS)
def test_numpy_core_equals_scalar_reference_up_to_256_uids(seed: int, n: int, knobs: dict) -> None:
    """The same property at mainnet sizes, up to 256 uids (the scalar reference takes up to a
    second here, so fewer examples)."""
    assert_same(random_subnet(seed, n, knobs), canonical=not knobs["unsorted"])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 2**32 - 1), n=SIZES, knobs=KNOBS)
def test_array_inputs_equal_tuple_inputs(seed: int, n: int, knobs: dict) -> None:
    """numpy vectors and ``U16Rows`` weights/bonds give the outputs of the tuple form."""
    inputs = random_subnet(seed, n, knobs)
    arrays = dataclasses.replace(
        inputs,
        last_update=np.array(inputs.last_update, dtype=np.uint64),
        block_at_registration=np.array(inputs.block_at_registration, dtype=np.uint64),
        alpha_stake=np.array(inputs.alpha_stake, dtype=np.uint64),
        tao_stake=np.array(inputs.tao_stake, dtype=np.uint64),
        validator_permit=np.array(inputs.validator_permit, dtype=bool),
        commit_blocks=np.array(inputs.commit_blocks, dtype=np.uint64),
        weights=U16Rows.from_rows(inputs.weights),
        bonds=U16Rows.from_rows(inputs.bonds),
    )
    want = epoch(inputs)
    assert epoch(arrays) == want
    assert epoch_general(arrays) == want


def test_scalar_reference_on_a_64_uid_yuma3_liquid_alpha_subnet() -> None:
    knobs = {k: True for k in ("outdated", "zero_stakes", "tao", "owner", "dense", "yuma3", "liquid_alpha")}
    knobs.update(threshold=False, short_permits=False, permit_p=0.9, unsorted=False, zeros=True,
                 commit_reveal=True)
    assert_same(random_subnet(7, 64, knobs), canonical=True)


# Raw-bit checks of the liquid-alpha hot path: the epoch's outputs are u16-quantised and can hide a
# one-ulp difference there, so exp and the sigmoid are also compared on raw I32F32 bits.

I32 = st.integers(-(2**63), 2**63 - 1)
NEAR = st.one_of(I32, st.integers(-(21 << 32), 21 << 32), st.integers(-(2 << 32), 2 << 32))


@settings(max_examples=300, deadline=None)
@given(xs=st.lists(NEAR, min_size=1, max_size=40))
def test_exp_safe_raw_bits(xs: list[int]) -> None:
    import numpy as np

    from runtime.yuma import fixed as fx
    from tests.yuma import scalar

    xs = xs + [0, 1 << 32, -(1 << 32), 20 << 32, -(20 << 32), 2**63 - 1, -(2**63)]
    got = fx.exp_safe(np.array(xs, dtype=np.int64)).tolist()
    assert got == [scalar.exp_safe(x) for x in xs]


UNIT = st.one_of(st.integers(0, 1 << 32), st.sampled_from([0, 1 << 31, 1 << 32, (1 << 31) - 1, (1 << 31) + 1]))


@settings(max_examples=200, deadline=None)
@given(
    rows=st.lists(st.tuples(UNIT, UNIT, UNIT), min_size=1, max_size=30),
    lo_hi=st.tuples(st.integers(1638, 65535), st.integers(1638, 65535)),
    steepness=st.one_of(st.integers(-32768, 32767), st.sampled_from([1000, 0, 100, -100, 32767, -32768])),
)
def test_alpha_sigmoid_raw_bits(rows, lo_hi, steepness) -> None:
    import numpy as np

    from runtime.yuma import math as ym
    from tests.yuma import scalar

    lo_u16, hi_u16 = min(lo_hi), max(lo_hi)
    lo = scalar.div(lo_u16 << 32, 65535 << 32)
    hi = scalar.div(hi_u16 << 32, 65535 << 32)
    c, w, b = (np.array(col, dtype=np.int64) for col in zip(*rows))
    got = ym.alpha_sigmoid(c, w, b, lo, hi, steepness << 32).tolist()
    want = [scalar.alpha_sigmoid(ci, wi, bi, lo, hi, steepness << 32) for ci, wi, bi in rows]
    assert got == want


# Raw-bit checks of the int64 fast paths of I32F32 mul and div against the scalar arithmetic.

SMALLISH = st.one_of(
    I32,
    st.integers(-(1 << 40), 1 << 40),
    st.integers(-(1 << 33), 1 << 33),
    st.integers(0, 65535).map(lambda v: v << 32),
    st.sampled_from([0, 1, -1, 1 << 32, -(1 << 32), 2**63 - 1, -(2**63), 65535 << 32]),
)


@settings(max_examples=300, deadline=None)
@given(pairs=st.lists(st.tuples(SMALLISH, SMALLISH), min_size=1, max_size=30), split=st.booleans())
def test_i32f32_mul_div_raw_bits(pairs, split) -> None:
    import numpy as np

    from runtime.yuma import fixed as fx
    from tests.yuma import scalar

    if split:  # a homogeneous array, as the epoch's hot spots have, reaches the fast paths
        pairs = [(a >> 20, b) for a, b in pairs]
    a = np.array([p[0] for p in pairs], dtype=np.int64)
    b = np.array([p[1] for p in pairs], dtype=np.int64)
    assert fx.mul(fx.I32F32, a, b).tolist() == [scalar.mul(x, y) for x, y in pairs]
    vals, ok = fx.checked_mul(fx.I32F32, a, b)
    want = [scalar.checked_mul(x, y) for x, y in pairs]
    assert ok.tolist() == [w is not None for w in want]
    assert vals.tolist() == [w or 0 for w in want]
    assert fx.div(fx.I32F32, a, b).tolist() == [scalar.div(x, y) for x, y in pairs]
    one = np.full(len(pairs), 1 << 32, dtype=np.int64)
    assert fx.div(fx.I32F32, one, b).tolist() == [scalar.div(1 << 32, y) for y in b.tolist()]


@settings(max_examples=150, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), n=st.integers(1, 12), width=st.integers(0, 14))
def test_liquid_alpha_at_entries_equals_dense_alphas(seed: int, n: int, width: int) -> None:
    """The entry-wise liquid-alpha EMA equals the dense alpha matrix fed to the sparse EMA, also for
    unsorted rows, repeated columns and columns beyond the consensus length."""
    import numpy as np

    from runtime.yuma import math as ym

    rng = random.Random(seed)

    def rand_sparse() -> ym.Sparse:
        rows = []
        for _ in range(n):
            cols = [rng.randrange(width + 3) for _ in range(rng.randint(0, 6))]
            rows.append([(j, rng.choice([0, 1 << 32, rng.randint(-(1 << 20), 1 << 33)])) for j in cols])
        return ym.Sparse.from_rows(rows)

    new, old = rand_sparse(), rand_sparse()
    consensus = np.array([rng.randint(0, 1 << 32) for _ in range(width)], dtype=np.int64)
    lo, hi = sorted(rng.randint(1 << 28, 1 << 32) for _ in range(2))
    steep = rng.choice([1000, -700, rng.randint(-32768, 32767)]) << 32
    full = ym.mat_ema_alpha_sparse(new, old, ym.liquid_alpha_values_sparse(new, old, consensus, lo, hi, steep))
    at_entries = ym.mat_ema_liquid_alpha_sparse(new, old, consensus, lo, hi, steep)
    assert at_entries.to_rows() == full.to_rows()


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 2**32 - 1), n=SIZES, knobs=KNOBS, every_cell=st.booleans())
# one uid: the consensus keys of a 1x1 block were once a view of the weights and shifted them
@example(seed=426, n=1, every_cell=False, knobs={
    "outdated": False, "zero_stakes": False, "tao": False, "threshold": False, "short_permits": False,
    "permit_p": 0.0, "owner": True, "dense": False, "unsorted": False, "zeros": False,
    "commit_reveal": False, "yuma3": True, "liquid_alpha": False})
def test_dense_block_with_dense_weights(seed: int, n: int, knobs: dict, every_cell: bool) -> None:
    """Weights over every uid (the block path's usual input): the block path, with liquid alpha
    evaluated at the entries or at every cell and the rest cleared, equals the general path."""
    from unittest import mock

    knobs = dict(knobs, dense=True, unsorted=False)
    inputs = random_subnet(seed, n, knobs)
    prep = fast.prepare(inputs)
    block = dense.worth_it(prep, n, fill_twentieths=None)
    if block is None:
        return
    with mock.patch.object(dense, "EVERY_CELL_TENTHS", 0 if every_cell else 11):
        assert dense.epoch_dense(inputs, prep, block) == epoch_general(inputs)


def test_fast_path_equals_general_path_on_300_uid_subnets() -> None:
    """Beyond the hypothesis sizes: more than 256 uids (wider slot keys in the sorted median) and
    more than 64 validators, every bond flavour, on both fast paths."""
    for yuma3, liquid in ((True, True), (True, False), (False, False)):
        knobs = {k: False for k in ("outdated", "zero_stakes", "tao", "threshold", "short_permits",
                                    "unsorted", "zeros", "commit_reveal")}
        knobs.update(permit_p=0.5, owner=True, dense=True, yuma3=yuma3, liquid_alpha=liquid)
        inputs = random_subnet(11, 300, knobs)
        want = epoch_general(inputs)
        assert fast.epoch_fast(inputs) == want
        prep = fast.prepare(inputs)
        block = dense.worth_it(prep, inputs.n, fill_twentieths=None)
        assert block is not None
        assert dense.epoch_dense(inputs, prep, block) == want
        assert epoch(inputs) == want
