"""Benchmark: one block whose ``on_initialize`` runs two subnet epochs on 256-uid subnets.

State (built once in the tests' in-memory overlay, ``tests.runtime.ext.TestExternalities``): two
emitting dynamic subnets (owner hotkey at uid 0), each with 256 uids of which 64 are staked validators
setting dense weights over all 256 uids; tempo 5, both epochs due at the same block; default
hyperparameters (``MaxEpochsPerBlock`` allows both) unless a row says otherwise. Warm-up epochs at
blocks 15 (permits) and 20 (dense bonds for every validator) make the timed epoch at block 25 a
steady-state one.

Timed, each inside a storage transaction that is rolled back afterwards (so every run sees the same
state; the rollback is not timed), best of several runs:

* ``on_initialize`` at block 24 (coinbase only: emission, injection, pending maps, prices);
* ``on_initialize`` at block 25 (the same plus two epochs, their storage writes and the payouts);
* for one of the subnets at block 25: reading the epoch inputs from storage (``run_epoch.epoch_inputs``:
  ``Weights``/``Bonds`` raw into ``U16Rows``), the pure ``epoch`` on them, and ``run_epoch.run_epoch``
  as a whole (inputs, epoch, the terms and their storage writes; no payout);
* the payout of both subnets is what block 25 costs beyond block 24 and the two ``run_epoch`` calls.

``main()`` returns a markdown table and prints nothing; running the file prints it.
"""

from __future__ import annotations

import random
import sys
import time
from collections.abc import Callable
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from runtime.pallets.subtensor import block_step, registration, run_epoch  # noqa: E402
from runtime.pallets.subtensor import storage as st  # noqa: E402
from runtime.pallets.subtensor.types import storage_index  # noqa: E402
from runtime.scale import I96F32  # noqa: E402
from runtime.yuma import U16Rows, epoch  # noqa: E402
from tests.runtime.test_subtensor_subnets import ALICE, BOB, HK_A, HK_B, Env  # noqa: E402

TAO = 10**9
N, K = 256, 64
TEMPO = 5
SEED = 0xB10C


def build(liquid_alpha: bool) -> tuple[Env, list[int]]:
    """Two subnets due at block 25 (see the module docstring); their netuids."""
    env = Env(block=10)
    st.NetworkRateLimit.put(env.ext, 0)  # two registrations in one block
    rng = random.Random(SEED)
    netuids = []
    for owner, owner_hotkey, tag in ((ALICE, HK_A, 0x40), (BOB, HK_B, 0x80)):
        netuid = env.register_network(owner, owner_hotkey)
        ext = env.ext
        st.Tempo.put(ext, netuid, TEMPO)
        st.LastEpochBlock.put(ext, netuid, 10)
        st.CommitRevealWeightsEnabled.put(ext, netuid, False)
        st.MaxAllowedValidators.put(ext, netuid, K)
        st.FirstEmissionBlockNumber.put(ext, netuid, 10)
        st.SubtokenEnabled.put(ext, netuid, True)
        st.SubnetEmissionEnabled.put(ext, netuid, True)
        st.SubnetMovingPrice.put(ext, netuid, I96F32.from_int(1))
        if liquid_alpha:
            st.Yuma3On.put(ext, netuid, True)
            st.LiquidAlphaOn.put(ext, netuid, True)
        for uid in range(1, N):
            hotkey = bytes([tag + uid // 256, uid % 256]) * 16
            registration.append_neuron(ext, netuid, hotkey, 10)
            if uid <= K:
                st.TotalHotkeyAlpha.put(ext, hotkey, netuid, rng.randint(1, 1_000_000) * TAO)
        index = storage_index(netuid)
        for uid in range(1, K + 1):
            st.Weights.put(ext, index, uid, [(j, rng.randint(0, 65535)) for j in range(N)])
        st.LastUpdate.put(ext, index, [11] * N)
        netuids.append(netuid)
    for block in range(11, 25):  # warm-up epochs: 15 grants the permits, 20 writes dense bonds
        env.set_block(block)
        block_step.on_initialize(env.ctx, block)
    env.set_block(25)
    return env, netuids


def best_of(env: Env, block: int, runs: int) -> float:
    """Best seconds of ``on_initialize(block)``, each run rolled back."""
    env.set_block(block)
    best = float("inf")
    for _ in range(runs):
        env.ctx.start_transaction()
        start = time.perf_counter()
        block_step.on_initialize(env.ctx, block)
        best = min(best, time.perf_counter() - start)
        env.ctx.rollback_transaction()
    return best


def best(fn: Callable[[], object], runs: int) -> float:
    out = float("inf")
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        out = min(out, time.perf_counter() - start)
    return out


def measure(liquid_alpha: bool, runs: int = 9) -> list[float]:
    env, netuids = build(liquid_alpha)
    # both epochs fire at 25
    before = [st.SubnetEpochIndex.get(env.ext, x) for x in netuids]
    env.ctx.start_transaction()
    block_step.on_initialize(env.ctx, 25)
    fired = [st.SubnetEpochIndex.get(env.ext, x) for x in netuids]
    env.ctx.rollback_transaction()
    assert fired == [b + 1 for b in before], (before, fired)
    assert all(st.Bonds.get(env.ext, storage_index(x), 1) for x in netuids)  # warm-up wrote bonds

    t_coinbase = best_of(env, 24, runs)
    t_block = best_of(env, 25, runs)
    env.set_block(25)
    inputs = run_epoch.epoch_inputs(env.ext, netuids[0], 0, 10**9, 25)
    assert isinstance(inputs.weights, U16Rows) and len(inputs.bonds[1]) > N // 2  # raw reader, bonds in use
    t_read = best(lambda: run_epoch.epoch_inputs(env.ext, netuids[0], 0, 10**9, 25), runs)
    t_epoch = best(lambda: epoch(inputs), runs)

    def one_run_epoch() -> None:
        env.ctx.start_transaction()
        try:
            run_epoch.run_epoch(env.ctx, netuids[0], 10**9)
        finally:
            env.ctx.rollback_transaction()

    t_run_epoch = best(one_run_epoch, runs)
    return [t_coinbase, t_block, t_read, t_epoch, t_run_epoch]


def main() -> str:
    lines = [
        "| subnets (2 × 256 uids, 64 validators) | block 24: coinbase only | block 25: coinbase + 2 epochs "
        "| one epoch: `epoch_inputs` | `epoch()` on them | one `run_epoch` (inputs, epoch, writes) |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for label, liquid in (("default hyperparameters", False), ("Yuma3 + liquid alpha", True)):
        times = measure(liquid)
        cells = " | ".join(f"{t * 1e3:.1f} ms" for t in times)
        lines.append(f"| {label} | {cells} |")
    return "\n".join(lines)


if __name__ == "__main__":
    print(main())
