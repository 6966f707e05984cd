"""LevelDB backend for :class:`storage.kv.KeyValueStore`, built on plyvel.

One LevelDB database holds everything.  Substrate-style "columns" (headers, bodies, the
canonical index, trie nodes, ...) are separated by the key prefixes defined in
:mod:`storage.schema` rather than by separate databases, because a LevelDB write batch is
atomic only within one database: keeping all columns in one keyspace is what lets a block
import (block data plus, later, its state changes) land in a single atomic batch.

Durability: batches are written with ``sync=True`` by default, so a committed block import
survives a power loss (LevelDB fsyncs its log before returning).  Bulk loaders and tests can
pass ``sync=False`` to trade that guarantee for speed; a crash may then lose the most recent
batches, but never applies part of one.  Single ``put``/``delete`` calls are never synced;
anything that must be durable should go through a batch.

plyvel's own failures are translated into :mod:`storage.errors` types so callers never
need to import plyvel.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import plyvel

from storage.errors import DatabaseCorrupted, StorageError, StoreClosed
from storage.kv import BatchBase, WriteBatch, check_key, check_value, prefix_upper_bound

__all__ = ["LevelDBKV"]


class _LevelDBBatch(BatchBase):
    """Wraps a plyvel write batch; ``commit`` is a single atomic ``WriteBatch::Write``."""

    __slots__ = ("_owner", "_batch")

    def __init__(self, owner: LevelDBKV, sync: bool) -> None:
        super().__init__()
        self._owner = owner
        # transaction=True only matters for plyvel's own context-manager use; we call
        # write() ourselves, but keep it so the batch is never flushed implicitly.
        self._batch = owner._handle().write_batch(transaction=True, sync=sync)

    def put(self, key: bytes, value: bytes) -> None:
        # BatchBase.put with the checks inlined: block imports put ~15k entries per batch.
        if self._spent:
            self._ensure_open()
        if type(key) is not bytes or not key:
            check_key(key)
        if type(value) is not bytes:
            check_value(value)
        self._batch.put(key, value)

    def _put(self, key: bytes, value: bytes) -> None:
        self._batch.put(key, value)

    def _delete(self, key: bytes) -> None:
        self._batch.delete(key)

    def _apply(self) -> None:
        self._owner._handle()  # a closed database must fail loudly, not crash in C
        try:
            self._batch.write()
        except plyvel.CorruptionError as exc:
            raise DatabaseCorrupted(str(exc)) from exc
        except plyvel.Error as exc:
            raise StorageError(f"leveldb batch write failed: {exc}") from exc

    def _drop(self) -> None:
        # Free the buffered operations early; plyvel refuses even this once the database
        # is closed, and then there is nothing left to protect anyway.
        if not self._owner._db.closed:
            self._batch.clear()


class LevelDBKV:
    """A :class:`KeyValueStore` backed by a LevelDB directory at ``path``."""

    __slots__ = ("_db", "_sync", "path")

    def __init__(
        self,
        path: str | os.PathLike[str],
        create_if_missing: bool = True,
        *,
        sync: bool = True,
        lru_cache_size: int | None = None,
        bloom_filter_bits: int = 10,
    ) -> None:
        self.path = os.fspath(path)
        self._sync = sync
        try:
            self._db = plyvel.DB(
                self.path,
                create_if_missing=create_if_missing,
                lru_cache_size=lru_cache_size,
                bloom_filter_bits=bloom_filter_bits,
            )
        except plyvel.CorruptionError as exc:
            raise DatabaseCorrupted(f"{self.path}: {exc}") from exc
        except plyvel.Error as exc:
            # Missing directory without create_if_missing, or the LOCK is held by another
            # process (plyvel.IOError derives from plyvel.Error).
            raise StorageError(f"cannot open leveldb at {self.path}: {exc}") from exc

    @property
    def sync(self) -> bool:
        """Whether batches are fsynced on commit unless overridden per batch."""
        return self._sync

    def _handle(self) -> plyvel.DB:
        if self._db.closed:
            raise StoreClosed(f"leveldb at {self.path} is closed")
        return self._db

    def get(self, key: bytes) -> bytes | None:
        check_key(key)
        value: bytes | None = self._handle().get(key)
        return value

    def get_many(self, keys: list[bytes]) -> list[bytes | None]:
        """``[get(k) for k in keys]`` in one call (pass keys sorted for locality)."""
        for key in keys:
            if type(key) is not bytes or not key:
                check_key(key)
        get = self._handle().get
        return [get(key) for key in keys]

    def put(self, key: bytes, value: bytes) -> None:
        check_key(key)
        check_value(value)
        self._handle().put(key, value)

    def delete(self, key: bytes) -> None:
        check_key(key)
        self._handle().delete(key)

    def iterate(
        self, prefix: bytes = b"", start: bytes | None = None
    ) -> Iterator[tuple[bytes, bytes]]:
        db = self._handle()
        low = prefix if start is None or start < prefix else start
        stop = prefix_upper_bound(prefix)
        # The plyvel iterator is created here, not lazily in a generator, so its implicit
        # snapshot is taken when iterate() is called (the documented contract).
        if low:
            it = db.iterator(start=low, stop=stop, include_start=True, include_stop=False)
        else:
            it = db.iterator(stop=stop, include_stop=False)
        return self._drain(it, prefix)

    @staticmethod
    def _drain(it: Any, prefix: bytes) -> Iterator[tuple[bytes, bytes]]:
        try:
            for key, value in it:
                # Only needed when the prefix has no finite upper bound (all 0xff).
                if not key.startswith(prefix):
                    break
                yield key, value
        finally:
            it.close()

    def write_batch(self, sync: bool | None = None) -> WriteBatch:
        """A new batch; ``sync`` overrides the store default for this batch only."""
        return _LevelDBBatch(self, self._sync if sync is None else sync)

    def close(self) -> None:
        if not self._db.closed:
            self._db.close()

    def __enter__(self) -> LevelDBKV:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()
