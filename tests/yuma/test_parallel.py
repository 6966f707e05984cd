"""``runtime.yuma.parallel``: slices run on worker threads cover the work exactly once, errors
surface, and an epoch's outputs do not depend on the number of threads."""

from __future__ import annotations

import threading

import numpy as np
import pytest

from runtime.yuma import dense, epoch, fast, parallel
from tests.yuma.scalar import scalar_epoch
from tests.yuma.test_differential import FIELDS, random_subnet


@pytest.fixture
def threads(monkeypatch: pytest.MonkeyPatch) -> None:
    """Two workers, and threads for any size of input."""
    monkeypatch.setattr(parallel, "WORKERS", 2)
    monkeypatch.setattr(parallel, "MIN_PARALLEL", 1)


def visits(total: int, chunk: int, meet: bool = False) -> tuple[list[int], set[int]]:
    """The indices ``run_slices`` hands out and the threads that took them. With ``meet``, each
    thread's first slice waits for the other thread's, so both must take part."""
    seen: list[int] = []
    idents: set[int] = set()
    lock = threading.Lock()
    barrier = threading.Barrier(2, timeout=10)

    def work(part: slice) -> None:
        with lock:
            first = threading.get_ident() not in idents
            seen.extend(range(total)[part])
            idents.add(threading.get_ident())
        if meet and first:
            barrier.wait()

    parallel.run_slices(work, total, chunk)
    return sorted(seen), idents


@pytest.mark.usefixtures("threads")
def test_every_index_once_across_threads() -> None:
    for total, chunk in [(10, 3), (1000, 7), (65, 64)]:
        seen, idents = visits(total, chunk, meet=True)
        assert seen == list(range(total)) and len(idents) == 2
    for total, chunk in [(1, 1), (64, 64)]:  # one slice: nothing to share
        seen, idents = visits(total, chunk)
        assert seen == list(range(total)) and idents == {threading.get_ident()}


@pytest.mark.usefixtures("threads")
def test_map_slices_returns_results_in_slice_order() -> None:
    import time

    def work(part: slice) -> list[int]:
        time.sleep(0.001 * (part.start % 3))  # finish out of order
        return list(range(100)[part])

    results = parallel.map_slices(work, 100, 7)
    assert [x for chunk in results for x in chunk] == list(range(100))
    assert len(results) == 15


def test_small_inputs_and_one_worker_stay_on_the_calling_thread(monkeypatch: pytest.MonkeyPatch) -> None:
    seen, idents = visits(1000, 7)  # below MIN_PARALLEL
    assert seen == list(range(1000)) and idents == {threading.get_ident()}
    monkeypatch.setattr(parallel, "MIN_PARALLEL", 1)
    monkeypatch.setattr(parallel, "WORKERS", 1)
    seen, idents = visits(1000, 7)
    assert seen == list(range(1000)) and idents == {threading.get_ident()}


@pytest.mark.usefixtures("threads")
@pytest.mark.parametrize("failing", [0, 50, 90])
def test_an_error_in_any_slice_is_raised_after_the_others_finish(failing: int) -> None:
    done: list[int] = []

    def work(part: slice) -> None:
        if part.start == failing:  # the thread that hits it stops; the other takes what is left
            raise ValueError(f"slice {failing}")
        done.append(part.start)

    with pytest.raises(ValueError, match=f"slice {failing}"):
        parallel.run_slices(work, 100, 10)
    assert sorted(done) == [start for start in range(0, 100, 10) if start != failing]


KNOBS = {
    "outdated": True, "zero_stakes": False, "tao": True, "threshold": False, "short_permits": False,
    "permit_p": 1.0, "owner": True, "dense": True, "unsorted": False, "zeros": True,
    "commit_reveal": False, "yuma3": True, "liquid_alpha": True,
}


CONFIGS = [(1, True, True), (2, True, True), (3, True, False), (4, False, False)]


@pytest.mark.parametrize(("seed", "yuma3", "liquid"), CONFIGS)
def test_epoch_on_two_threads_equals_the_scalar_reference(
    monkeypatch: pytest.MonkeyPatch, seed: int, yuma3: bool, liquid: bool
) -> None:
    inputs = random_subnet(seed, 96, {**KNOBS, "yuma3": yuma3, "liquid_alpha": liquid})
    want = scalar_epoch(inputs)
    one = epoch(inputs)
    monkeypatch.setattr(parallel, "WORKERS", 2)
    monkeypatch.setattr(parallel, "MIN_PARALLEL", 1)
    monkeypatch.setattr(parallel, "SLICE_CELLS", 64)  # many slices, both threads busy
    monkeypatch.setattr("runtime.yuma.fast.MEDIAN_CHUNK", 64)
    pools: list[int] = []
    executor = parallel._executor
    monkeypatch.setattr(parallel, "_executor", lambda size: pools.append(size) or executor(size))
    monkeypatch.setattr(dense, "EVERY_CELL_TENTHS", 0)  # the block path evaluates every cell
    prep = fast.prepare(inputs)
    block = dense.worth_it(prep, inputs.n, fill_twentieths=None)
    assert block is not None
    results = {"epoch": epoch(inputs), "entries": fast.epoch_entries(inputs, prep),
               "block": dense.epoch_dense(inputs, prep, block)}
    for path, got in results.items():
        for name in FIELDS:
            assert getattr(got, name) == getattr(one, name) == getattr(want, name), (path, name)
    assert pools  # the work was handed to a second thread


@pytest.mark.usefixtures("threads")
@pytest.mark.parametrize("shape", ["entries", "block"])
def test_liquid_ema_raw_bits_on_threads(monkeypatch: pytest.MonkeyPatch, shape: str) -> None:
    """The EMA values themselves (the epoch's outputs are u16-quantised and could hide an ulp): the
    table's cells, the cells settled by the series after all slices ran, and a reference that takes
    the series everywhere agree bit for bit."""
    import dataclasses

    from runtime.yuma import fastalpha
    from runtime.yuma import fastbonds as fb

    monkeypatch.setattr(parallel, "SLICE_CELLS", 512)
    rng = np.random.default_rng(5)
    rows, n = 40, 300
    weight = rng.integers(0, 1 << 24, size=(rows, n))
    bond = rng.integers(0, (1 << 32) + 1, size=(rows, n))
    consensus = rng.integers(0, 1 << 24, size=(1, n))
    inputs = dataclasses.replace(random_subnet(1, 8, KNOBS), alpha_sigmoid_steepness=1000)
    k, lo, hi = fb.liquid_alpha_parameters(inputs)
    x = fb.sigmoid_argument(weight, bond, consensus, k)
    want = fb.ema_values(weight, bond, fastalpha.sigmoid_alpha_exact(x, hi - lo, lo))
    if shape == "entries":
        got = fb.liquid_ema(inputs, weight.reshape(-1), bond.reshape(-1), np.repeat(consensus, rows, 0).reshape(-1))
        got = got.reshape(rows, n)
    else:
        got = fb.liquid_ema(inputs, weight, bond, consensus)
    assert np.array_equal(got, want)
    _, undecided = fastalpha.sigmoid_alpha_table(x.reshape(-1), hi - lo, lo)
    assert 0 < undecided.size < x.size  # both the table and the series were used
