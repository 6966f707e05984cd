"""Fixtures shared by the storage tests: stores on both backends."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from storage.kv import KeyValueStore, MemoryKV
from storage.leveldb import LevelDBKV

Factory = Callable[[], KeyValueStore]


@pytest.fixture(params=["memory", "leveldb"])
def make_kv(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Factory]:
    opened: list[KeyValueStore] = []

    def factory() -> KeyValueStore:
        kv: KeyValueStore = MemoryKV() if request.param == "memory" else LevelDBKV(tmp_path / f"db{len(opened)}", sync=False)
        opened.append(kv)
        return kv

    yield factory
    for kv in opened:
        kv.close()
