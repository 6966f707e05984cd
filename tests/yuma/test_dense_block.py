"""``dense.Block.load`` against a plain construction: any canonical rows (columns beyond ``n`` dropped),
a row mask, full rows (contiguous or not), with and without the presence block."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from runtime.yuma import U16Rows
from runtime.yuma.dense import Block


@st.composite
def cases(draw: st.DrawFn) -> tuple[int, list[list[tuple[int, int]]], list[bool], list[int]]:
    n = draw(st.integers(1, 12))
    full_only = draw(st.booleans())
    rows = []
    for _ in range(n):
        kind = draw(st.sampled_from(["empty", "full", "some"] if not full_only else ["empty", "full"]))
        if kind == "empty":
            cols: list[int] = []
        elif kind == "full":
            cols = list(range(n))
        else:
            cols = sorted(draw(st.sets(st.integers(0, n + 3), max_size=n + 3)))
        rows.append([(c, draw(st.integers(0, 65535))) for c in cols])
    mask = draw(st.lists(st.booleans(), min_size=n, max_size=n))
    extra = draw(st.lists(st.integers(0, n - 1), max_size=3))  # rows in the block without entries
    return n, rows, mask, extra


@settings(max_examples=300, deadline=None)
@given(case=cases(), use_mask=st.booleans(), presence=st.booleans())
def test_load_equals_a_plain_construction(case: tuple, use_mask: bool, presence: bool) -> None:
    n, rows, mask, extra = case
    taken = [i for i in range(n) if rows[i] and (mask[i] or not use_mask)]
    in_use = sorted(set(taken) | set(extra))
    slot = np.full(n, -1, dtype=np.int64)
    slot[in_use] = np.arange(len(in_use))
    block = Block(np.array(in_use, dtype=np.int64), slot)
    vals, present = block.load(U16Rows.from_rows(rows), n, np.array(mask) if use_mask else None, presence)
    want = np.zeros((len(in_use), n), dtype=np.int64)
    want_present = np.zeros((len(in_use), n), dtype=bool)
    for i in taken:
        for c, v in rows[i]:
            if c < n:
                want[slot[i], c] = v
                want_present[slot[i], c] = True
    assert vals.tolist() == want.tolist()
    assert (present is None) == (not presence)
    if present is not None:
        assert present.tolist() == want_present.tolist()
