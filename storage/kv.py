"""The key-value contract every storage backend satisfies, plus an in-memory backend.

The block database and (later) the state database are written against
:class:`KeyValueStore`, a small ordered byte map: point reads and writes, ascending
iteration over a key prefix, and :class:`WriteBatch` objects that apply many writes
all-or-nothing.  Batches are how a block import stays atomic: the block database, and later
the state database, add their writes to one batch and the caller commits it once, so a crash
leaves either the whole block or none of it.

Semantics shared by all backends (``tests/storage/test_kv.py`` checks them on each):

* keys and values are ``bytes``; values may be empty, keys may not be.
* ``iterate(prefix, start)`` yields ``(key, value)`` pairs in ascending bytewise key order,
  restricted to keys beginning with ``prefix`` and ``>= start`` (``start`` is a full key,
  not a suffix of the prefix).  The pairs are those present when ``iterate`` was called;
  writes made while iterating are not observed (LevelDB iterators read a snapshot, and the
  memory backend copies the range so that both behave the same).
* a batch records operations in order (a later write to a key wins).  ``commit()`` applies
  them atomically and spends the batch.  Used as a context manager, a batch commits on a
  clean exit and is discarded if the block raises, so an exception leaves nothing written.
  Reads never see uncommitted batch contents.

:class:`MemoryKV` keeps a dict for lookups and a sorted key list (maintained with
:mod:`bisect`) for ordered iteration; it is the backend for tests and ephemeral nodes.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterator
from types import TracebackType
from typing import Protocol, Self, runtime_checkable

from storage.errors import StoreClosed

__all__ = ["KeyValueStore", "WriteBatch", "MemoryKV", "prefix_upper_bound"]


@runtime_checkable
class WriteBatch(Protocol):
    """A group of writes applied atomically by :meth:`commit`."""

    def put(self, key: bytes, value: bytes) -> None: ...

    def delete(self, key: bytes) -> None: ...

    def commit(self) -> None: ...

    def discard(self) -> None: ...

    def __enter__(self) -> Self: ...

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...


@runtime_checkable
class KeyValueStore(Protocol):
    """An ordered byte map with atomic write batches."""

    def get(self, key: bytes) -> bytes | None: ...

    def get_many(self, keys: list[bytes]) -> list[bytes | None]: ...

    def put(self, key: bytes, value: bytes) -> None: ...

    def delete(self, key: bytes) -> None: ...

    def iterate(
        self, prefix: bytes = b"", start: bytes | None = None
    ) -> Iterator[tuple[bytes, bytes]]: ...

    def write_batch(self) -> WriteBatch: ...

    def close(self) -> None: ...


def prefix_upper_bound(prefix: bytes) -> bytes | None:
    """The smallest key greater than every key starting with ``prefix``.

    ``None`` means no such bound exists (empty prefix, or all ``0xff`` bytes), i.e. iterate
    to the end of the keyspace.
    """
    trimmed = prefix.rstrip(b"\xff")
    if not trimmed:
        return None
    return trimmed[:-1] + bytes([trimmed[-1] + 1])


def check_key(key: bytes) -> None:
    """Reject non-bytes and empty keys early, before anything reaches a batch or backend."""
    if not isinstance(key, bytes):
        raise TypeError(f"key must be bytes, not {type(key).__name__}")
    if not key:
        raise ValueError("empty key")


def check_value(value: bytes) -> None:
    if not isinstance(value, bytes):
        raise TypeError(f"value must be bytes, not {type(value).__name__}")


class BatchBase:
    """Shared bookkeeping for batches: the spent flag and context-manager behaviour.

    Subclasses implement ``_put``, ``_delete``, ``_apply`` (the atomic write) and may
    override ``_drop`` (release buffered operations).
    """

    __slots__ = ("_spent",)

    def __init__(self) -> None:
        self._spent = False

    def _ensure_open(self) -> None:
        if self._spent:
            raise StoreClosed("write batch already committed or discarded")

    def put(self, key: bytes, value: bytes) -> None:
        self._ensure_open()
        check_key(key)
        check_value(value)
        self._put(key, value)

    def delete(self, key: bytes) -> None:
        self._ensure_open()
        check_key(key)
        self._delete(key)

    def commit(self) -> None:
        self._ensure_open()
        # Mark spent only after a successful apply so a failed write can be retried or
        # discarded explicitly.
        self._apply()
        self._spent = True
        self._drop()

    def discard(self) -> None:
        if not self._spent:
            self._spent = True
            self._drop()

    def __enter__(self) -> Self:
        self._ensure_open()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if exc_type is not None:
            self.discard()
        elif not self._spent:
            self.commit()

    def _put(self, key: bytes, value: bytes) -> None:
        raise NotImplementedError

    def _delete(self, key: bytes) -> None:
        raise NotImplementedError

    def _apply(self) -> None:
        raise NotImplementedError

    def _drop(self) -> None:
        pass


class _MemoryBatch(BatchBase):
    """Buffers operations as a key -> value-or-None map (None meaning delete)."""

    __slots__ = ("_store", "_ops")

    def __init__(self, store: MemoryKV) -> None:
        super().__init__()
        self._store = store
        self._ops: dict[bytes, bytes | None] = {}

    def _put(self, key: bytes, value: bytes) -> None:
        # Re-insert so that the dict order stays "last write last"; only the final
        # operation per key matters for the result anyway.
        self._ops.pop(key, None)
        self._ops[key] = value

    def _delete(self, key: bytes) -> None:
        self._ops.pop(key, None)
        self._ops[key] = None

    def _apply(self) -> None:
        # Everything was validated on the way in and the loop below cannot fail part-way
        # (no I/O, no user code), which is what makes the memory batch atomic.
        self._store._apply(self._ops)

    def _drop(self) -> None:
        self._ops = {}


class MemoryKV:
    """An in-memory :class:`KeyValueStore`: a dict plus a sorted key index."""

    __slots__ = ("_data", "_keys", "_closed")

    def __init__(self) -> None:
        self._data: dict[bytes, bytes] = {}
        self._keys: list[bytes] = []
        self._closed = False

    def _ensure_open(self) -> None:
        if self._closed:
            raise StoreClosed("memory store is closed")

    def get(self, key: bytes) -> bytes | None:
        self._ensure_open()
        check_key(key)
        return self._data.get(key)

    def get_many(self, keys: list[bytes]) -> list[bytes | None]:
        """``[get(k) for k in keys]`` in one call."""
        self._ensure_open()
        for key in keys:
            check_key(key)
        data = self._data
        return [data.get(key) for key in keys]

    def put(self, key: bytes, value: bytes) -> None:
        self._ensure_open()
        check_key(key)
        check_value(value)
        self._apply({key: value})

    def delete(self, key: bytes) -> None:
        self._ensure_open()
        check_key(key)
        self._apply({key: None})

    def iterate(
        self, prefix: bytes = b"", start: bytes | None = None
    ) -> Iterator[tuple[bytes, bytes]]:
        self._ensure_open()
        low = prefix if start is None or start < prefix else start
        lo = bisect.bisect_left(self._keys, low)
        bound = prefix_upper_bound(prefix)
        hi = len(self._keys) if bound is None else bisect.bisect_left(self._keys, bound)
        # Copy the range now: iteration must not observe later writes (see module docs).
        data = self._data
        return iter([(k, data[k]) for k in self._keys[lo:hi]])

    def write_batch(self) -> WriteBatch:
        self._ensure_open()
        return _MemoryBatch(self)

    def close(self) -> None:
        self._closed = True

    def __len__(self) -> int:
        return len(self._data)

    def _apply(self, ops: dict[bytes, bytes | None]) -> None:
        self._ensure_open()
        data, keys = self._data, self._keys
        for key, value in ops.items():
            if value is None:
                if key in data:
                    del data[key]
                    del keys[bisect.bisect_left(keys, key)]
            else:
                if key not in data:
                    bisect.insort(keys, key)
                data[key] = value
