"""Benchmark: one Yuma epoch, the numpy core (``runtime.yuma.epoch``) against the independent scalar
reference (``tests/yuma/scalar.py``, plain Python ints) in the same run.

Workload per size (fixed seed): ``n`` uids of which ``k`` are permitted validators with random stake,
each setting dense random weights over all ``n`` uids (the usual ``set_weights`` shape) and holding
dense bonds from a previous epoch; Yuma3 with liquid alpha on (the most expensive configuration: the
sigmoid runs over all n x n pairs), default hyperparameters otherwise. Both sides are first checked
to give identical outputs. The numpy core is timed best-of-5 with ``bench.timing.per_call``; the
scalar reference once (it takes seconds; it is skipped at n=4096).

``main()`` returns a markdown table and prints nothing; running the file prints it.
"""

from __future__ import annotations

import random
import sys
import time
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.timing import per_call  # noqa: E402
from runtime.yuma import EpochInputs, epoch  # noqa: E402
from tests.yuma.scalar import scalar_epoch  # noqa: E402

SEED = 0x00E9_0C45
SIZES = [(64, 16), (256, 64), (4096, 256)]
SCALAR_MAX_N = 256


def subnet(n: int, k: int, yuma3: bool = True, liquid_alpha: bool = True) -> EpochInputs:
    """``n`` uids, validators ``0..k`` with dense weights and bonds, miners the rest."""
    rng = random.Random(SEED + n)
    block = 10_000
    stake = [rng.randint(1, 1 << 50) if i < k else rng.randint(0, 1000) for i in range(n)]
    weights = tuple(
        tuple((j, rng.randint(0, 65535)) for j in range(n)) if i < k else () for i in range(n)
    )
    bonds = tuple(
        tuple((j, rng.randint(1, 65535)) for j in range(n)) if i < k else () for i in range(n)
    )
    return EpochInputs(
        n=n,
        block=block,
        tempo=360,
        activity_cutoff=5000,
        last_update=tuple(block - rng.randint(0, 100) for _ in range(n)),
        block_at_registration=tuple(rng.randint(0, 5000) for _ in range(n)),
        alpha_stake=tuple(stake),
        tao_stake=(0,) * n,
        tao_weight=0,
        stake_threshold=0,
        validator_permit=tuple(i < k for i in range(n)),
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
        weights=weights,
        bonds=bonds,
        rao_emission=1_000_000_000,
    )


def tuple_io_time(inputs: EpochInputs) -> float:
    """Seconds spent only converting the tuple-of-tuples weights and bonds into CSR arrays and the
    new bonds back into tuples (part of the numpy core's time; a floor no kernel work removes)."""
    import sys as _sys

    import numpy as np

    ep = _sys.modules["runtime.yuma.epoch"]
    n = inputs.n
    raw = ep._sparse_u16(inputs.bonds, n)
    ema = raw.with_vals(raw.vals >> np.int64(16))  # proportions in [0, 1], as the epoch's bonds
    permits = np.ones(n, dtype=bool)

    def io() -> None:
        ep._sparse_u16(inputs.weights, n)
        ep._sparse_u16(inputs.bonds, n)
        ep._bond_rows(ema, permits, n)

    return per_call(io, min_time=0.3, repeat=5)


def main() -> str:
    lines = [
        "| n / k (Yuma3 + liquid alpha) | numpy core | of which tuple I/O | scalar reference | speed-up |",
        "|---|---:|---:|---:|---:|",
    ]
    for n, k in SIZES:
        inputs = subnet(n, k)
        fast = epoch(inputs)
        if n <= SCALAR_MAX_N:
            start = time.perf_counter()
            slow = scalar_epoch(inputs)
            t_scalar = time.perf_counter() - start
            assert fast == slow, f"numpy core and scalar reference differ at n={n}"
        t_fast = per_call(lambda: epoch(inputs), min_time=0.5 if n <= 256 else 1.0, repeat=5)
        t_io = tuple_io_time(inputs)
        head = f"| {n} / {k} | {t_fast * 1e3:.2f} ms | {t_io * 1e3:.2f} ms"
        if n <= SCALAR_MAX_N:
            lines.append(f"{head} | {t_scalar * 1e3:.0f} ms | {t_scalar / t_fast:.0f}× |")
        else:
            lines.append(f"{head} | (skipped) | – |")
    return "\n".join(lines)


if __name__ == "__main__":
    print(main())
