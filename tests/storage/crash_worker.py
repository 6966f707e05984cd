"""Child process for the crash test: import synthetic blocks into a LevelDB chain forever.

Run as ``python -m tests.storage.crash_worker <db path> <seed>``.  It resumes from whatever
the database holds, extends the best chain, finalizes every few blocks (which prunes), and
now and then builds a competing block and reorganises onto it.  The parent process kills it
with SIGKILL at a random moment.
"""

from __future__ import annotations

import random
import sys

from storage.errors import FinalityViolation, StateDiscarded

from .chain_sim import build_block, open_db, random_changes

PRUNING = 4


def main(path: str, seed: int) -> None:
    db = open_db(path, PRUNING)  # sync=True: every batch is durable, as on a real node
    rng = random.Random(seed)
    while True:
        best = db.best()
        roll = rng.random()
        if roll < 0.15 and best.number > db.finalized().number + 1:
            # A sibling of the best block, then a reorg onto it.
            parent = db.blocks.parent_hash(best.hash)
            assert parent is not None
            fork = build_block(db, parent, random_changes(rng, rng.randint(1, 40)), salt=rng.randbytes(4))
            db.set_best(fork)
            continue
        finalize = None
        if roll > 0.7 and best.number >= 2:
            finalize = db.blocks.hash_at(best.number - 2)
        try:
            build_block(
                db,
                best.hash,
                random_changes(rng, rng.randint(1, 40)),
                salt=rng.randbytes(4),
                make_best=True,
                finalize=finalize,
            )
        except (FinalityViolation, StateDiscarded):
            raise


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))
