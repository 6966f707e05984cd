"""Builders for the reference tests' literals: Rust builds fixed-point values from f32/f64 literals
(``I32F32::from_num``), which rounds the float's exact binary value to nearest, ties to even."""

from __future__ import annotations

from fractions import Fraction

import numpy as np

from runtime.yuma import fixed as fx
from runtime.yuma.math import Sparse

T = fx.I32F32


def f32(x: float) -> int:
    """Raw I32F32 bits of ``I32F32::from_num(x as f32)``."""
    return fx.from_rational(T, Fraction(float(np.float32(x))))


def f64(x: float) -> int:
    """Raw I32F32 bits of ``I32F32::from_num(x as f64)``."""
    return fx.from_rational(T, Fraction(x))


def vec(xs: list[float]) -> np.ndarray:
    """``vec_to_fixed`` (f32 literals)."""
    return np.array([f32(x) for x in xs], dtype=np.int64)


def mat(xs: list[float], rows: int) -> np.ndarray:
    """``vec_to_mat_fixed(xs, rows, false)``."""
    return vec(xs).reshape(rows, -1)


def sparse(xs: list[float], rows: int, transpose: bool = False) -> Sparse:
    """``vec_to_sparse_mat_fixed``: positive entries only."""
    cols = len(xs) // rows
    out = []
    if transpose:
        for c in range(cols):
            out.append([(r, f32(xs[r * cols + c])) for r in range(rows) if xs[r * cols + c] > 0])
    else:
        for r in range(rows):
            out.append([(c, f32(xs[r * cols + c])) for c in range(cols) if xs[r * cols + c] > 0])
    return Sparse.from_rows(out)


def assert_close(a, b, eps: int = 0) -> None:
    """Elementwise |a - b| <= eps on raw bits (eps 0: exact)."""
    a = np.asarray(a, dtype=object)
    b = np.asarray(b, dtype=object)
    assert a.shape == b.shape, (a.shape, b.shape)
    diff = [abs(int(x) - int(y)) for x, y in zip(a.reshape(-1), b.reshape(-1))]
    assert all(d <= eps for d in diff), (a.tolist(), b.tolist())


def assert_sparse_close(a: Sparse, b: Sparse, eps: int = 0) -> None:
    """Same rows, same columns in the same order, values within eps."""
    ra, rb = a.to_rows(), b.to_rows()
    assert len(ra) == len(rb), (ra, rb)
    for x, y in zip(ra, rb):
        assert [j for j, _ in x] == [j for j, _ in y], (ra, rb)
        assert all(abs(v - w) <= eps for (_, v), (_, w) in zip(x, y)), (ra, rb)
