"""The fast path's bounded kernels and its sorted weighted median, against the general helpers and the
scalar reference on raw bits, at and around the edges of their preconditions."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from runtime.yuma import fast
from runtime.yuma import kernels as kn
from runtime.yuma import math as ym
from tests.yuma import scalar

ONE = 1 << 32
UNIT = st.one_of(st.integers(0, ONE), st.sampled_from([0, 1, ONE, ONE - 1, ONE // 2, (ONE // 2) - 1]))


@settings(max_examples=300, deadline=None)
@given(pairs=st.lists(st.tuples(UNIT, UNIT), min_size=1, max_size=40), scalar_a=st.booleans())
def test_mul_unit_is_the_saturating_product(pairs: list, scalar_a: bool) -> None:
    a = [p[0] for p in pairs]
    b = np.array([p[1] for p in pairs], dtype=np.int64)
    if scalar_a:
        assert kn.mul_unit(a[0], b).tolist() == [scalar.mul(a[0], y) for y in b.tolist()]
    else:
        got = kn.mul_unit(np.array(a, dtype=np.int64), b).tolist()
        assert got == [scalar.mul(x, y) for x, y in pairs]


@settings(max_examples=300, deadline=None)
@given(
    pairs=st.lists(st.tuples(UNIT, st.integers(1, 1 << 40)), min_size=1, max_size=40),
    scalar_den=st.booleans(),
)
def test_div_unit_is_safe_div_for_shares(pairs: list, scalar_den: bool) -> None:
    pairs = [(num, max(den, num) if num else den) for num, den in pairs]  # num <= den
    num = np.array([p[0] for p in pairs], dtype=np.int64)
    if scalar_den:
        den = max(p[1] for p in pairs)
        assert kn.div_unit(num, den).tolist() == [scalar.div(x, den) for x in num.tolist()]
    else:
        den_arr = np.array([p[1] for p in pairs], dtype=np.int64)
        assert kn.div_unit(num, den_arr).tolist() == [scalar.div(x, y) for x, y in pairs]


@given(xs=st.lists(st.integers(0, 2 * ONE), min_size=1, max_size=20))
def test_div_unit_above_one_falls_back_exactly(xs: list) -> None:
    total = sum(xs) or 1
    got = kn.div_unit(np.array(xs, dtype=np.int64), total).tolist()
    assert got == [scalar.div(x, total) for x in xs]


@given(xs=st.lists(st.integers(0, (1 << 62) - ONE), min_size=1, max_size=40))
def test_recip_one_plus_is_saturating_div(xs: list) -> None:
    xs = xs + [0, ONE, 2**62 - ONE - 1, ONE * ONE // 4]
    got = kn.recip_one_plus(np.array(xs, dtype=np.int64)).tolist()
    assert got == [scalar.sat_div(ONE, scalar.add(ONE, x)) for x in xs]


@given(xs=st.lists(st.integers(0, 1 << 46), min_size=1, max_size=40))
def test_p2u16_matches_reference(xs: list) -> None:
    assert kn.p2u16(np.array(xs, dtype=np.int64)).tolist() == [scalar.p2u16(x) for x in xs]


@given(
    ps=st.lists(UNIT, min_size=1, max_size=30),
    emission=st.one_of(st.integers(0, (1 << 64) - 1), st.sampled_from([0, (1 << 64) - 1, 10**9])),
)
def test_to_rao_is_the_i96f32_product(ps: list, emission: int) -> None:
    got = kn.to_rao(np.array(ps, dtype=np.int64), emission).tolist()
    want = [min((p * (emission << 32)) >> 64, (1 << 64) - 1) for p in ps]
    assert got == want


# The sorted weighted median (one sort per column) against the quickselect it replaces.

STAKES = st.lists(st.one_of(st.integers(0, ONE), st.just(0), st.integers(1, 5)), min_size=1, max_size=12)


@settings(max_examples=400, deadline=None)
@given(
    stakes=STAKES,
    data=st.data(),
    kappa=st.one_of(st.integers(0, ONE), st.sampled_from([0, ONE, ONE // 2, scalar.div(32767 << 32, 65535 << 32)])),
)
def test_sorted_median_equals_quickselect(stakes: list, data: st.DataObject, kappa: int) -> None:
    k = len(stakes)
    columns = data.draw(st.integers(1, 6))
    levels = data.draw(st.lists(st.integers(0, ONE), min_size=1, max_size=4))  # ties are likely
    scores = [[data.draw(st.sampled_from(levels + [0])) for _ in range(k)] for _ in range(columns)]
    stake = kn.normalize(np.array(stakes, dtype=np.int64))
    rows, cols, vals = [], [], []
    for i in range(k):
        for j in range(columns):
            if scores[j][i] or data.draw(st.booleans()):  # an explicit zero or no entry: both score 0
                rows.append(i)
                cols.append(j)
                vals.append(scores[j][i])
    entries = kn.Entries(np.array(rows, np.int64), np.array(cols, np.int64), np.array(vals, np.int64))
    got = fast._consensus(stake, entries, columns, kappa)
    sparse = ym.Sparse.from_entries(k, entries.rows, entries.cols, entries.vals)
    want = ym.weighted_median_col_sparse(stake, sparse, columns, kappa)
    assert got.tolist() == want.tolist()


@settings(max_examples=200, deadline=None)
@given(
    n=st.integers(1, 6),
    rows=st.lists(st.tuples(st.integers(0, 5), st.lists(st.integers(0, 5), max_size=6), st.booleans()), max_size=6),
    data=st.data(),
)
def test_dense_block_shortcuts_equal_scatter_and_gather(n: int, rows: list, data: st.DataObject) -> None:
    # rows given as (row, columns, full?): a full row holds every column, so some inputs are dense blocks
    entries: dict[int, list[int]] = {}
    for r, cs, full in rows:
        if r < n:
            entries[r] = list(range(n)) if full else sorted({c for c in cs if c < n})
    rr = [r for r in sorted(entries) for _ in entries[r]]
    cc = [c for r in sorted(entries) for c in entries[r]]
    vals = data.draw(st.lists(st.integers(0, ONE), min_size=len(cc), max_size=len(cc)))
    e = kn.Entries(np.array(rr, dtype=np.int64), np.array(cc, dtype=np.int64), np.array(vals, dtype=np.int64))
    x = np.array(data.draw(st.lists(st.integers(0, ONE), min_size=n, max_size=n)), dtype=np.int64)
    dense = bool(cc) and all(len(v) in (0, n) for v in entries.values())  # empty rows do not count
    assert (kn.dense_height(e, n) > 0) == dense
    sums = [0] * n
    top = [0] * n
    for c, v in zip(cc, vals):
        sums[c] += v
        top[c] = max(top[c], v)
    assert kn.col_totals(e, n).tolist() == sums
    assert kn.col_max(e, n).tolist() == top
    assert kn.at_cols(e, x, n).tolist() == [int(x[c]) for c in cc]


def _entries_of(n: int, spec: dict[int, tuple[bool, list[int]]], vals: list[int]) -> kn.Entries:
    rr = [r for r in sorted(spec) for _ in (range(n) if spec[r][0] else sorted(set(spec[r][1])))]
    cc = [c for r in sorted(spec) for c in (range(n) if spec[r][0] else sorted(set(spec[r][1])))]
    return kn.Entries(np.array(rr, dtype=np.int64), np.array(cc, dtype=np.int64),
                      np.array(vals[: len(cc)] + [1] * (len(cc) - len(vals)), dtype=np.int64))


ROW_SPEC = st.dictionaries(st.integers(0, 4), st.tuples(st.booleans(), st.lists(st.integers(0, 4), max_size=5)),
                           max_size=5)


@settings(max_examples=300, deadline=None)
@given(n=st.integers(1, 5), a=ROW_SPEC, b=ROW_SPEC,
       va=st.lists(st.integers(0, ONE), max_size=25), vb=st.lists(st.integers(0, ONE), max_size=25))
def test_union_adds_over_the_union_of_entries(n: int, a: dict, b: dict, va: list, vb: list) -> None:
    # full rows make dense blocks, so the block shortcut and the general accumulator are both taken
    from runtime.yuma import fastbonds as fb

    a = {r: (full, [c for c in cs if c < n]) for r, (full, cs) in a.items() if r < n}
    b = {r: (full, [c for c in cs if c < n]) for r, (full, cs) in b.items() if r < n}
    ea, eb = _entries_of(n, a, va), _entries_of(n, b, vb)
    want: dict[tuple[int, int], int] = {}
    for e in (ea, eb):
        for r, c, v in zip(e.rows.tolist(), e.cols.tolist(), e.vals.tolist()):
            want[(r, c)] = want.get((r, c), 0) + v
    got = fb.union(ea, eb, n)
    expected = sorted((rc, v) for rc, v in want.items() if v > 0)
    assert list(zip(zip(got.rows.tolist(), got.cols.tolist()), got.vals.tolist())) == expected


@settings(max_examples=300, deadline=None)
@given(n=st.integers(1, 5), a=ROW_SPEC, b=ROW_SPEC, va=st.lists(st.integers(0, ONE), max_size=25))
def test_lookup_reads_values_at_other_entries(n: int, a: dict, b: dict, va: list) -> None:
    from runtime.yuma import fastbonds as fb

    a = {r: (full, [c for c in cs if c < n]) for r, (full, cs) in a.items() if r < n}
    b = {r: (full, [c for c in cs if c < n]) for r, (full, cs) in b.items() if r < n}
    m, at = _entries_of(n, a, va), _entries_of(n, b, [])
    table = dict(zip(zip(m.rows.tolist(), m.cols.tolist()), m.vals.tolist()))
    want = [table.get(rc, 0) for rc in zip(at.rows.tolist(), at.cols.tolist())]
    assert fb.lookup(m, at, n).tolist() == want
