"""U16Rows: the CSR form of weight/bond rows behaves as the tuple-of-tuples form it replaces."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from runtime.yuma import U16Rows

ROWS = st.lists(
    st.lists(st.tuples(st.integers(0, 4095), st.integers(0, 65535)), max_size=6).map(tuple),
    max_size=8,
).map(tuple)


@given(rows=ROWS)
def test_round_trip_and_sequence_protocol(rows: tuple) -> None:
    m = U16Rows.from_rows(rows)
    assert m.to_tuples() == rows
    assert len(m) == len(rows)
    assert list(m) == list(rows)
    assert all(m[i] == rows[i] for i in range(len(rows)))
    if rows:
        assert m[-1] == rows[-1]
        assert m[1:] == rows[1:]
    assert m == rows and rows == m
    assert m == [list(r) for r in rows]
    assert hash(m) == hash(rows)
    assert U16Rows.from_rows(m) is m


@given(rows=ROWS, n=st.integers(0, 10))
def test_head_truncates_or_pads(rows: tuple, n: int) -> None:
    want = (rows + ((),) * n)[:n]
    assert U16Rows.from_rows(rows).head(n) == want


def test_inequality() -> None:
    m = U16Rows.from_rows((((1, 2),), ((3, 4),)))
    assert m != (((1, 2),), ((3, 5),))
    assert m != (((1, 2),),)
    assert m != U16Rows.from_rows((((1, 2),), ((3, 5),)))
    assert m == U16Rows(np.array([0, 1, 2]), np.array([1, 3]), np.array([2, 4]))
    assert (m == 5) is False


def test_index_errors_and_validation() -> None:
    m = U16Rows.empty(2)
    assert m == ((), ())
    with pytest.raises(IndexError):
        m[2]
    with pytest.raises(ValueError):
        U16Rows(np.array([1, 2]), np.array([0]), np.array([0]))  # does not start at 0
    with pytest.raises(ValueError):
        U16Rows(np.array([0, 2]), np.array([0]), np.array([0]))  # too few entries
    with pytest.raises(ValueError):
        U16Rows(np.array([0, 2, 1]), np.array([0, 1]), np.array([0, 1]))  # decreasing


@given(rows=ROWS, n=st.integers(0, 10), shuffle=st.randoms(use_true_random=False))
def test_from_scale_decodes_storage_values(rows: tuple, n: int, shuffle) -> None:
    from runtime.scale.collections import Tuple, Vec
    from runtime.scale.primitives import U16

    codec = Vec(Tuple(U16, U16))
    items = [(uid, codec.encode(list(row))) for uid, row in enumerate(rows)]
    shuffle.shuffle(items)  # storage iterates by hashed key, not by uid
    want = (rows + ((),) * n)[:n]
    assert U16Rows.from_scale(n, items) == want


def test_from_scale_rejects_a_truncated_value() -> None:
    with pytest.raises(ValueError):
        U16Rows.from_scale(2, [(0, bytes([8, 1, 0, 2]))])  # two pairs announced, one present
