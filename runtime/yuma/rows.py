"""``U16Rows``: sparse rows of ``(uid, u16)`` pairs held as CSR arrays.

``Weights`` and ``Bonds`` rows are ``Vec<(u16, u16)>`` per uid in the reference. Holding a subnet's rows
as tuples of tuples costs a Python object per pair (a million at n=4096), which is more than the epoch's
arithmetic; ``U16Rows`` keeps them as three integer arrays instead:

* ``indptr`` (``rows + 1`` entries, ``indptr[0] == 0``): row ``i`` is ``indptr[i]:indptr[i+1]``;
* ``indices``: the uid of every entry, in stored order;
* ``values``: the u16 value of every entry.

It is also an immutable ``Sequence`` of rows, each row a tuple of ``(uid, value)`` int pairs, and it
compares equal to any sequence of such rows, so code written for the tuple form keeps working. The
epoch accepts it for ``EpochInputs.weights`` / ``bonds`` and returns it as ``EpochOutputs.bonds``.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import overload

import numpy as np

from runtime.scale.primitives import decode_compact

__all__ = ["U16Rows", "RowPairs"]

RowPairs = tuple[tuple[int, int], ...]


@dataclass(frozen=True, eq=False)
class U16Rows(Sequence[RowPairs]):
    """Sparse u16 rows as CSR arrays (``int64``); see the module docstring."""

    indptr: np.ndarray
    indices: np.ndarray
    values: np.ndarray

    def __post_init__(self) -> None:
        indptr = np.ascontiguousarray(self.indptr, dtype=np.int64)
        indices = np.ascontiguousarray(self.indices, dtype=np.int64)
        values = np.ascontiguousarray(self.values, dtype=np.int64)
        if indptr.ndim != 1 or indptr.size == 0 or int(indptr[0]) != 0:
            raise ValueError("indptr must be a non-empty vector starting at 0")
        if indices.shape != values.shape or indices.ndim != 1 or int(indptr[-1]) != indices.size:
            raise ValueError("indices and values must be vectors of indptr[-1] entries")
        if indptr.size > 1 and bool(np.any(indptr[1:] < indptr[:-1])):
            raise ValueError("indptr must be non-decreasing")
        object.__setattr__(self, "indptr", indptr)
        object.__setattr__(self, "indices", indices)
        object.__setattr__(self, "values", values)

    # -- construction ------------------------------------------------------------------------

    @staticmethod
    def from_rows(rows: Sequence[Sequence[tuple[int, int]]]) -> "U16Rows":
        """From rows of ``(uid, value)`` pairs (a ``U16Rows`` is returned as is)."""
        if isinstance(rows, U16Rows):
            return rows
        lengths = np.fromiter((len(r) for r in rows), dtype=np.int64, count=len(rows))
        indptr = np.zeros(len(rows) + 1, dtype=np.int64)
        np.cumsum(lengths, out=indptr[1:])
        total = int(indptr[-1])
        flat = np.fromiter(
            itertools.chain.from_iterable(itertools.chain.from_iterable(rows)),
            dtype=np.int64,
            count=2 * total,
        ).reshape(total, 2)
        return U16Rows(indptr, flat[:, 0], flat[:, 1])

    @staticmethod
    def from_scale(n: int, rows: Iterable[tuple[int, bytes]]) -> "U16Rows":
        """``n`` rows from SCALE-encoded ``Vec<(u16, u16)>`` values by uid (the raw ``Weights``/
        ``Bonds`` storage values): each decoded with one ``frombuffer`` instead of a Python tuple
        per pair. Rows at or beyond ``n`` are skipped, missing rows are empty, a repeated uid keeps
        its last value. Raises ``ValueError`` on a value of the wrong length."""
        decoded: dict[int, np.ndarray] = {}
        for uid, raw in rows:
            if not 0 <= uid < n:
                continue
            count, pos = decode_compact(raw, 0)
            if len(raw) - pos != 4 * count:
                raise ValueError(f"row {uid}: {len(raw) - pos} bytes for {count} (u16, u16) pairs")
            decoded[uid] = np.frombuffer(raw, dtype="<u2", offset=pos, count=2 * count)
        lengths = np.zeros(n, dtype=np.int64)
        for uid, pairs in decoded.items():
            lengths[uid] = pairs.size // 2
        indptr = np.zeros(n + 1, dtype=np.int64)
        np.cumsum(lengths, out=indptr[1:])
        flat = np.zeros(2 * int(indptr[-1]), dtype=np.int64)
        for uid, pairs in decoded.items():
            flat[2 * indptr[uid] : 2 * indptr[uid + 1]] = pairs
        return U16Rows(indptr, flat[0::2], flat[1::2])

    @staticmethod
    def empty(rows: int) -> "U16Rows":
        """``rows`` empty rows."""
        return U16Rows(np.zeros(rows + 1, np.int64), np.zeros(0, np.int64), np.zeros(0, np.int64))

    def head(self, n: int) -> "U16Rows":
        """Exactly ``n`` rows: the first ``n``, padded with empty rows."""
        rows = len(self)
        if rows == n:
            return self
        if rows > n:
            end = int(self.indptr[n])
            return U16Rows(self.indptr[: n + 1], self.indices[:end], self.values[:end])
        pad = np.full(n - rows, self.indptr[-1], dtype=np.int64)
        return U16Rows(np.concatenate([self.indptr, pad]), self.indices, self.values)

    # -- sequence protocol -------------------------------------------------------------------

    def __len__(self) -> int:
        return self.indptr.size - 1

    @overload
    def __getitem__(self, i: int) -> RowPairs: ...

    @overload
    def __getitem__(self, i: slice) -> tuple[RowPairs, ...]: ...

    def __getitem__(self, i: int | slice) -> RowPairs | tuple[RowPairs, ...]:
        if isinstance(i, slice):
            return tuple(self[k] for k in range(*i.indices(len(self))))
        rows = len(self)
        if i < 0:
            i += rows
        if not 0 <= i < rows:
            raise IndexError("row index out of range")
        s, e = int(self.indptr[i]), int(self.indptr[i + 1])
        return tuple(zip(self.indices[s:e].tolist(), self.values[s:e].tolist()))

    def __iter__(self) -> Iterator[RowPairs]:
        cols = self.indices.tolist()
        vals = self.values.tolist()
        ptr = self.indptr.tolist()
        for s, e in zip(ptr, ptr[1:]):
            yield tuple(zip(cols[s:e], vals[s:e]))

    def to_tuples(self) -> tuple[RowPairs, ...]:
        """The rows as a tuple of tuples of ``(uid, value)`` pairs."""
        return tuple(self)

    # -- comparison --------------------------------------------------------------------------

    def __eq__(self, other: object) -> bool:
        if isinstance(other, U16Rows):
            return (
                np.array_equal(self.indptr, other.indptr)
                and np.array_equal(self.indices, other.indices)
                and np.array_equal(self.values, other.values)
            )
        if isinstance(other, Sequence) and not isinstance(other, (str, bytes)):
            if len(other) != len(self):
                return False
            return all(mine == tuple(map(tuple, theirs)) for mine, theirs in zip(self, other))
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self.to_tuples())

    def __repr__(self) -> str:
        return f"U16Rows(rows={len(self)}, entries={self.indices.size})"
