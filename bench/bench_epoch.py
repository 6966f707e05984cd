"""Benchmark: one Yuma epoch, the numpy core (``runtime.yuma.epoch``) against the independent scalar
reference (``tests/yuma/scalar.py``, plain Python ints) in the same run.

Workload per size (fixed seed): ``n`` uids of which ``k`` are permitted validators with random stake,
each setting dense random weights over all ``n`` uids (the usual ``set_weights`` shape, sorted uids)
and holding dense bonds from a previous epoch. Three configurations: Yuma3 with liquid alpha (the
default table; the most expensive: one exp series per bond entry), Yuma3 with a fixed alpha, and
classic Yuma. Every configuration is first checked to give identical outputs on the dense-block
path (the one ``epoch`` takes for these inputs), the entries path, the general path and (n <= 256)
the scalar reference.

Times are the fastest single call within a time budget (at least 5, at n=4096 at least 3 calls):
the machine is shared, and the minimum is the least disturbed number. The scalar reference runs once,
so its time (and the speed-up) moves with the machine's load.

Columns: the numpy core with CSR inputs (``U16Rows`` weights/bonds, numpy vectors; what a research
tool or the storage reader passes) on one thread (``parallel.WORKERS = 1``) and on the default
number of worker threads (the machine's cores, at most 4), with the tuple-of-tuples inputs (``(uid, u16)`` pairs, converted
on the way in), and the scalar reference (timed once; skipped above n = 256 unless the environment
sets ``BENCH_EPOCH_SCALAR_MAX_N=4096``: then it also runs, and is compared, at 4096 uids, which
takes several minutes).

Allocator: on this CI kind (a Firecracker VM) a page fault costs microseconds, and glibc's default
malloc returns the ~128 KB temporaries of a 256-uid epoch to the kernel after each use, so every
fresh temporary faults again. ``main`` therefore measures twice: with the default allocator, then
after ``mallopt`` keeps freed memory (``M_TRIM_THRESHOLD`` 256 MB, ``M_MMAP_THRESHOLD`` 32 MB,
``M_TOP_PAD`` 64 MB; the same as starting the process with ``MALLOC_TRIM_THRESHOLD_=268435456
MALLOC_MMAP_THRESHOLD_=33554432 MALLOC_TOP_PAD_=67108864``). Nothing else differs.

Random u16 bonds on every cell are not a state the chain reaches (Yuma3 bond rows sum to at most 1),
and liquid alpha's cost depends on how far the bonds are from the weights, so a second table runs the
4096-uid subnets again on the bonds six epochs on the same weights leave.

``main()`` returns markdown tables and prints nothing; running the file prints them.
"""

from __future__ import annotations

import dataclasses
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np  # noqa: E402

from runtime.yuma import EpochInputs, U16Rows, epoch, epoch_general  # noqa: E402
from runtime.yuma import dense, fast, parallel  # noqa: E402
from runtime.yuma.fast import epoch_fast  # noqa: E402
from subtensor.allocator import keep_freed_memory  # noqa: E402
from tests.yuma.scalar import scalar_epoch  # noqa: E402

SEED = 0x00E9_0C45
SIZES = [(64, 16), (256, 64), (4096, 256)]
CONFIGS = {"Yuma3 + liquid alpha": (True, True), "Yuma3, fixed alpha": (True, False), "classic Yuma": (False, False)}
# the scalar reference takes seconds at n=4096 (minutes with liquid alpha): skipped there unless asked
SCALAR_MAX_N = int(os.environ.get("BENCH_EPOCH_SCALAR_MAX_N", "256"))
STEADY_EPOCHS = 6


def dense_rows(rng: np.random.Generator, n: int, k: int, low: int) -> U16Rows:
    """Rows ``0..k`` holding every uid ``0..n`` with a random u16 in ``[low, 65535]``; the rest empty."""
    indptr = np.zeros(n + 1, dtype=np.int64)
    indptr[1 : k + 1] = np.arange(1, k + 1) * n
    indptr[k + 1 :] = k * n
    indices = np.tile(np.arange(n, dtype=np.int64), k)
    return U16Rows(indptr, indices, rng.integers(low, 65536, size=k * n, dtype=np.int64))


def subnet(n: int, k: int, yuma3: bool = True, liquid_alpha: bool = True) -> EpochInputs:
    """``n`` uids, validators ``0..k`` with dense weights and bonds, miners the rest (array inputs)."""
    rng = np.random.default_rng(SEED + n)
    block = 10_000
    stake = np.where(np.arange(n) < k, rng.integers(1, 1 << 50, n), rng.integers(0, 1001, n))
    return EpochInputs(
        n=n,
        block=block,
        tempo=360,
        activity_cutoff=5000,
        last_update=(block - rng.integers(0, 101, n)).astype(np.uint64),
        block_at_registration=rng.integers(0, 5001, n).astype(np.uint64),
        alpha_stake=stake.astype(np.uint64),
        tao_stake=np.zeros(n, dtype=np.uint64),
        tao_weight=0,
        stake_threshold=0,
        validator_permit=np.arange(n) < k,
        max_allowed_validators=k,
        kappa=32767,
        bonds_penalty=65535,
        bonds_moving_average=900_000,
        yuma3_enabled=yuma3,
        liquid_alpha_enabled=liquid_alpha,
        alpha_low=45875,
        alpha_high=58982,
        alpha_sigmoid_steepness=1000,
        last_mechanism_step_block=block - 361,
        owner_uid=0,
        weights=dense_rows(rng, n, k, 0),
        bonds=dense_rows(rng, n, k, 1),
        rao_emission=1_000_000_000,
    )


def as_tuples(inputs: EpochInputs) -> EpochInputs:
    """The same inputs in the first version's form: tuples of ints and of ``(uid, u16)`` pairs."""
    def ints(v: np.ndarray) -> tuple:
        return tuple(np.asarray(v).tolist())

    return dataclasses.replace(
        inputs,
        last_update=ints(inputs.last_update),
        block_at_registration=ints(inputs.block_at_registration),
        alpha_stake=ints(inputs.alpha_stake),
        tao_stake=ints(inputs.tao_stake),
        validator_permit=ints(inputs.validator_permit),
        weights=U16Rows.from_rows(inputs.weights).to_tuples(),
        bonds=U16Rows.from_rows(inputs.bonds).to_tuples(),
    )


def check(inputs: EpochInputs, n: int) -> float | None:
    """Assert the paths agree; the scalar reference's seconds (None when skipped)."""
    fast = epoch(inputs)  # the dense-block path (validators weight every uid)
    assert fast == epoch(as_tuples(inputs)), f"tuple and array inputs differ at n={n}"
    assert fast == epoch_fast(inputs), f"dense-block and entries paths differ at n={n}"
    if n > SCALAR_MAX_N:
        return None
    assert fast == epoch_general(inputs), f"fast and general paths differ at n={n}"
    start = time.perf_counter()
    slow = scalar_epoch(inputs)
    seconds = time.perf_counter() - start
    assert fast == slow, f"numpy core and scalar reference differ at n={n}"
    return seconds


def best_call(fn: Callable[[], object], budget: float, at_least: int) -> float:
    """The fastest single call of ``fn`` within ``budget`` seconds (at least ``at_least`` calls): on a
    shared machine the minimum is the number least disturbed by other processes."""
    best = float("inf")
    calls = 0
    deadline = time.perf_counter() + budget
    while calls < at_least or time.perf_counter() < deadline:
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
        calls += 1
    return best


def one_thread(fn: Callable[[], object]) -> Callable[[], object]:
    """``fn`` with ``parallel.WORKERS`` at 1 while it runs."""
    def call() -> object:
        workers = parallel.WORKERS
        parallel.WORKERS = 1
        try:
            return fn()
        finally:
            parallel.WORKERS = workers

    return call


def table(scalar: dict[tuple[str, int], float | None]) -> str:
    lines = [
        f"| configuration | n / k | numpy, CSR inputs, 1 thread | numpy, CSR inputs, {parallel.WORKERS} threads "
        "| numpy, tuple inputs | scalar reference | speed-up (CSR) |",
        "|---|---|---:|---:|---:|---:|---:|",
    ]
    for config, (yuma3, liquid) in CONFIGS.items():
        for n, k in SIZES:
            inputs = subnet(n, k, yuma3, liquid)
            tuples = as_tuples(inputs)
            budget = 1.0 if n <= 256 else 2.0
            t_one = best_call(one_thread(lambda: epoch(inputs)), budget, 5)
            t_csr = best_call(lambda: epoch(inputs), budget, 5)
            t_tuple = best_call(lambda: epoch(tuples), budget, 3)
            t_scalar = scalar.get((config, n))
            ref = f"{t_scalar * 1e3:.0f} ms | {t_scalar / t_csr:.0f}×" if t_scalar else "(skipped) | –"
            lines.append(f"| {config} | {n} / {k} | {t_one * 1e3:.2f} ms | {t_csr * 1e3:.2f} ms "
                         f"| {t_tuple * 1e3:.2f} ms | {ref} |")
    return "\n".join(lines)


def settled(inputs: EpochInputs, epochs: int = STEADY_EPOCHS) -> EpochInputs:
    """``inputs`` with the bonds the epoch itself leaves after ``epochs`` epochs on these weights (a
    state the chain reaches; random u16 bonds on every cell are not one: Yuma3 bond rows sum to at
    most 1)."""
    for _ in range(epochs):
        inputs = dataclasses.replace(inputs, bonds=epoch(inputs).bonds)
    return inputs


def settled_table(n: int = 4096, k: int = 256) -> str:
    """The 4096-uid epoch on bonds from earlier epochs, against the random bonds of the main table."""
    lines = [
        f"| configuration | bonds | 1 thread | {parallel.WORKERS} threads |",
        "|---|---|---:|---:|",
    ]
    for config, (yuma3, liquid) in CONFIGS.items():
        first = subnet(n, k, yuma3, liquid)
        for label, inputs in (("random u16", first), (f"after {STEADY_EPOCHS} epochs", settled(first))):
            assert epoch(inputs) == one_thread(lambda: epoch(inputs))(), f"threads change {config}"
            assert epoch(inputs) == epoch_fast(inputs), f"dense-block and entries paths differ: {config}"
            t_one = best_call(one_thread(lambda: epoch(inputs)), 2.0, 3)
            t_many = best_call(lambda: epoch(inputs), 2.0, 3)
            lines.append(f"| {config} | {label} | {t_one * 1e3:.1f} ms | {t_many * 1e3:.1f} ms |")
    return "\n".join(lines)


FILLS = [0.25, 0.5, 0.75, 0.95, 1.0]


def partial_rows(rng: np.random.Generator, n: int, k: int, fill: float, low: int) -> U16Rows:
    """Rows ``0..k`` each holding a random ``fill`` share of the uids ``0..n`` (sorted), random u16 values."""
    width = max(1, round(n * fill))
    cols = [np.sort(rng.choice(n, size=width, replace=False)) for _ in range(k)]
    indptr = np.zeros(n + 1, dtype=np.int64)
    indptr[1 : k + 1] = np.arange(1, k + 1) * width
    indptr[k + 1 :] = k * width
    indices = np.concatenate(cols).astype(np.int64)
    return U16Rows(indptr, indices, rng.integers(low, 65536, size=indices.size, dtype=np.int64))


def fill_table(n: int = 4096, k: int = 256) -> str:
    """Both fast paths on weights and bonds that fill a share of the validators' rows, and the one
    ``epoch`` picks (``dense.FILL_TWENTIETHS``): evidence for the threshold."""
    lines = [
        "| configuration | filled | dense-block path | entries path | `epoch` takes |",
        "|---|---:|---:|---:|---|",
    ]
    for config, (yuma3, liquid) in CONFIGS.items():
        for fill in FILLS:
            rng = np.random.default_rng(SEED + int(fill * 100))
            inputs = dataclasses.replace(subnet(n, k, yuma3, liquid), weights=partial_rows(rng, n, k, fill, 0),
                                         bonds=partial_rows(rng, n, k, fill, 1))
            prep = fast.prepare(inputs)
            block = dense.worth_it(prep, n, fill_twentieths=None)
            assert block is not None and dense.epoch_dense(inputs, prep, block) == fast.epoch_entries(inputs, prep)
            t_dense = best_call(lambda: dense.epoch_dense(inputs, prep, block), 1.0, 3)
            t_entries = best_call(lambda: fast.epoch_entries(inputs, prep), 1.0, 3)
            taken = "dense block" if dense.block_for(inputs, prep) is not None else "entries"
            lines.append(f"| {config} | {fill:.0%} | {t_dense * 1e3:.1f} ms | {t_entries * 1e3:.1f} ms | {taken} |")
    return "\n".join(lines)


def main() -> str:
    scalar = {}
    for config, (yuma3, liquid) in CONFIGS.items():
        for n, k in SIZES:
            scalar[(config, n)] = check(subnet(n, k, yuma3, liquid), n)
    out = ["Default allocator:", "", table(scalar)]
    if keep_freed_memory():
        out += ["", "glibc keeping freed memory (mallopt):", "", table(scalar)]
    out += ["", f"4096 / 256 on the bonds earlier epochs leave (mallopt; {parallel.WORKERS} threads by default):",
            "", settled_table()]
    out += ["", "The two fast paths at 4096 / 256 by how much of the validators' rows the weights and bonds fill "
            "(mallopt):", "", fill_table()]
    return "\n".join(out)


if __name__ == "__main__":
    print(main())
