"""Run every benchmark (or the ones named on the command line) and print their tables.

    python -m bench            # all
    python -m bench codec trie # some
"""

from __future__ import annotations

import importlib
import sys

BENCHES = ["codec", "trie", "storage", "rpc", "epoch", "block", "sync"]


def run(names: list[str]) -> None:
    for name in names or BENCHES:
        module = importlib.import_module(f"bench.bench_{name}")
        print(f"## {name}\n")
        print(module.main())
        print()


if __name__ == "__main__":
    run(sys.argv[1:])
