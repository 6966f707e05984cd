"""The reference's math unit vectors (pallets/subtensor/src/tests/math.rs), bit-exact where the
reference asserts equality and within its epsilon where it compares approximately."""

from __future__ import annotations

import numpy as np

from runtime.yuma import fixed as fx
from runtime.yuma import math as ym
from runtime.yuma.math import Sparse
from tests.yuma.helpers import assert_close, assert_sparse_close, f32, f64, mat, sparse, vec

ONE = fx.I32F32.one
T = fx.I32F32


def eps(x: float) -> int:
    return f64(x)


def test_vec_max_upscale_to_u16():
    cases = [
        ([], []),
        ([0.0], [0]),
        ([0.0, 0.0], [0, 0]),
        ([0.0, 1.0], [0, 65535]),
        ([0.0, 0.000000001], [0, 65535]),
        ([0.0, 0.000016, 1.0], [0, 1, 65535]),
        ([0.000000001, 0.000000001], [65535, 65535]),
        (
            [0.000001, 0.000006, 0.000007, 0.0001, 0.001, 0.01, 0.1, 0.2, 0.3, 0.4],
            [0, 1, 1, 16, 164, 1638, 16384, 32768, 49151, 65535],
        ),
        ([0.0, 1.0, 65535.0], [0, 1, 65535]),
        ([0.0, 0.5, 1.0, 1.5, 2.0, 32768.0], [0, 1, 2, 3, 4, 65535]),
        ([0.0, 0.5, 1.0, 1.5, 2.0, 32768.0, 32769.0], [0, 1, 2, 3, 4, 65533, 65535]),
    ]
    for xs, target in cases:
        assert ym.vec_max_upscale_to_u16(vec(xs)).tolist() == target, xs
    for big in [16384, 32768, 32769, 65535]:
        assert ym.vec_max_upscale_to_u16(np.array([big * ONE])).tolist() == [65535]
    assert ym.vec_max_upscale_to_u16(np.array([T.max_raw])).tolist() == [65535]
    x = np.array([0, ONE, 32768 * ONE, 32769 * ONE, T.max_raw])
    assert ym.vec_max_upscale_to_u16(x).tolist() == [0, 0, 1, 1, 65535]


def test_math_is_topk():
    assert ym.is_topk(vec([]), 5).tolist() == []
    x = vec([0, 1, 2, 3, 4, 5, 6, 7, 8, 9])
    assert ym.is_topk(x, 0).tolist() == [False] * 10
    assert ym.is_topk(x, 5).tolist() == [False] * 5 + [True] * 5
    assert ym.is_topk(x, 10).tolist() == [True] * 10
    assert ym.is_topk(x, 100).tolist() == [True] * 10
    assert ym.is_topk(vec([9, 8, 7, 6, 5, 4, 3, 2, 1, 0]), 5).tolist() == [True] * 5 + [False] * 5
    alt = [True, False] * 5
    assert ym.is_topk(vec([9, 0, 8, 1, 7, 2, 6, 3, 5, 4]), 5).tolist() == alt
    assert ym.is_topk(vec([0.9, 0, 0.8, 0.1, 0.7, 0.2, 0.6, 0.3, 0.5, 0.4]), 5).tolist() == alt
    ties = vec([0, 1, 2, 3, 4, 5, 5, 5, 5, 6])
    assert ym.is_topk(ties, 5).tolist() == [False] * 5 + [True] * 5
    assert ym.is_topk_nonzero(vec([5, 5, 5]), 2).tolist() == [False, True, True]
    assert ym.is_topk_nonzero(vec([0, 1, 0]), 5).tolist() == [False, True, False]


def test_math_normalize_family():
    x = vec([1.0, 10.0, 30.0])
    assert_close(ym.normalize(x), vec([0.0243902437, 0.243902437, 0.7317073171]), eps(0.0001))
    assert ym.normalize(vec([0.0, 0.0])).tolist() == [0, 0]
    assert ym.normalize(np.zeros(0, np.int64)).tolist() == []
    x64 = fx.from_int(fx.I64F64, [1, 10, 30])
    got = ym.normalize_64(x64)
    assert sum(int(v) for v in got) <= fx.I64F64.one
    assert all(abs(int(g) - (k << 64) // 41) <= 1 for g, k in zip(got, [1, 10, 30]))


def test_math_inplace_row_normalize_sparse():
    v = [0, 1, 0, 2, 0, 3, 4, 0, 1, 0, 2, 0, 3, 0, 1, 0, 0, 2, 0, 3, 4, 0,
         10, 0, 100, 1000, 0, 10000, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1]
    t = [0, 0.1, 0, 0.2, 0, 0.3, 0.4, 0, 0.166666, 0, 0.333333, 0, 0.5, 0, 0.1, 0, 0, 0.2,
         0, 0.3, 0.4, 0, 0.0009, 0, 0.009, 0.09, 0, 0.9, 0, 0, 0, 0, 0, 0, 0, 0.142857,
         0.142857, 0.142857, 0.142857, 0.142857, 0.142857, 0.142857]
    assert_sparse_close(ym.row_normalize_sparse(sparse(v, 6)), sparse(t, 6), eps(0.0001))
    z = [0.0] * 12
    assert_sparse_close(ym.row_normalize_sparse(sparse(z, 3)), sparse(z, 3))


def test_math_inplace_col_normalize_and_max_upscale_sparse():
    v = [0, 1, 0, 2, 0, 3, 4, 0, 1, 0, 2, 0, 3, 0, 1, 0, 0, 2, 0, 3, 4, 0,
         10, 0, 100, 1000, 0, 10000, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1]
    t = [0, 0.1, 0, 0.2, 0, 0.3, 0.4, 0, 0.166666, 0, 0.333333, 0, 0.5, 0, 0.1, 0, 0, 0.2,
         0, 0.3, 0.4, 0, 0.0009, 0, 0.009, 0.09, 0, 0.9, 0, 0, 0, 0, 0, 0, 0, 0.142857,
         0.142857, 0.142857, 0.142857, 0.142857, 0.142857, 0.142857]
    got = ym.col_normalize_sparse(sparse(v, 6, True), 6)
    assert_sparse_close(got, sparse(t, 6, True), eps(0.0001))
    up = [0, 0.25, 0, 0.5, 0, 0.75, 1, 0, 0.333333, 0, 0.666666, 0, 1, 0, 0.25, 0, 0, 0.5,
          0, 0.75, 1, 0, 0.001, 0, 0.01, 0.1, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1]
    got = ym.col_max_upscale_sparse(sparse(v, 6, True), 6)
    assert_sparse_close(got, sparse(up, 6, True), eps(0.0001))
    z = [0.0] * 12
    assert_sparse_close(ym.col_normalize_sparse(sparse(z, 3), 6), sparse(z, 3))
    assert_sparse_close(ym.col_max_upscale_sparse(sparse(z, 3), 6), sparse(z, 3))
    single = Sparse.from_rows([[(0, 0)]])
    assert ym.col_max_upscale_sparse(single, 1).to_rows() == [[(0, 0)]]
    assert ym.col_normalize_sparse(Sparse.empty(0), 0).to_rows() == []


def test_math_inplace_mask_vector():
    x = vec([0.1, 0.2, 0.3])
    assert ym.mask_vector([True, False, True], x).tolist() == [0, f32(0.2), 0]
    assert ym.mask_vector([], x).tolist() == x.tolist()
    assert ym.mask_vector([False], x).tolist() == [f32(0.1), 0, 0]  # missing counts as masked


def test_math_mask_diag_sparse():
    v = [1, 2, 3, 4, 5, 6, 7, 8, 9]
    assert_sparse_close(ym.mask_diag_sparse(sparse(v, 3)), sparse([0, 2, 3, 4, 0, 6, 7, 8, 0], 3))
    assert_sparse_close(ym.mask_diag_sparse(sparse([1, 0, 0, 0, 5, 0, 0, 0, 9], 3)), sparse([0] * 9, 3))
    for i in range(3):
        target = [0, 2, 3, 4, 0, 6, 7, 8, 0]
        target[i * 3 + i] = v[i * 3 + i]
        assert_sparse_close(ym.mask_diag_sparse(sparse(v, 3), i), sparse(target, 3))


def test_math_mask_rows_sparse():
    v = [1, 2, 3, 4, 5, 6, 7, 8, 9]
    got = ym.mask_rows_sparse([False, True, False], sparse(v, 3))
    assert_sparse_close(got, sparse([1, 2, 3, 0, 0, 0, 7, 8, 9], 3))
    got = ym.mask_rows_sparse([False], sparse(v, 3))  # missing mask entries count as masked
    assert_sparse_close(got, sparse([1, 2, 3, 0, 0, 0, 0, 0, 0], 3))


def test_math_vec_mask_sparse_matrix():
    v = [1, 2, 3, 4, 5, 6, 7, 8, 9]
    got = ym.vec_mask_sparse_matrix(sparse(v, 3), [1, 2, 3], [1, 2, 3], lambda a, b: a == b)
    assert_sparse_close(got, sparse([0, 2, 3, 4, 0, 6, 7, 8, 0], 3))
    got = ym.vec_mask_sparse_matrix(sparse(v, 3), [1, 2, 3], [1, 2, 3], lambda a, b: a < b)
    assert_sparse_close(got, sparse([1, 0, 0, 4, 5, 0, 7, 8, 9], 3))
    got = ym.vec_mask_sparse_matrix(sparse([0] * 9, 3), [1, 2, 3], [1, 2, 3], lambda a, b: a == b)
    assert_sparse_close(got, sparse([0] * 9, 3))


def test_math_vec_mul_and_mat_vec_mul_sparse():
    x = vec([1, 2, 3, 4])
    assert ym.vec_mul(x, x).tolist() == vec([1, 4, 9, 16]).tolist()
    assert ym.vec_mul(vec([]), x).tolist() == []
    assert ym.vec_mul(vec([0] * 8), x).tolist() == [0] * 4
    m = sparse([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12], 4)
    assert_sparse_close(ym.mat_vec_mul_sparse(m, vec([1, 2, 3])),
                        sparse([1, 4, 9, 4, 10, 18, 7, 16, 27, 10, 22, 36], 4))
    assert_sparse_close(ym.mat_vec_mul_sparse(m, vec([1, 0, 0])),
                        sparse([1, 0, 0, 4, 0, 0, 7, 0, 0, 10, 0, 0], 4))
    assert ym.mat_vec_mul_sparse(m, vec([])).to_rows() == [[], [], [], []]


def test_math_row_hadamard_and_row_sum_sparse():
    x = vec([1, 2, 3, 4])
    cases = [
        ([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12], [1, 2, 3, 8, 10, 12, 21, 24, 27, 40, 44, 48]),
        ([0, 2, 3, 4, 0, 6, 7, 8, 0, 10, 11, 12], [0, 2, 3, 8, 0, 12, 21, 24, 0, 40, 44, 48]),
        ([0] * 12, [0] * 12),
    ]
    for m, t in cases:
        assert_sparse_close(ym.row_hadamard_sparse(sparse(m, 4), x), sparse(t, 4))
    sums = [
        ([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12], [6, 15, 24, 33]),
        ([0, 2, 3, 4, 0, 6, 7, 8, 0, 10, 11, 12], [5, 10, 15, 33]),
        ([1, 2, 3, 0, 0, 0, 7, 8, 9, 10, 11, 12], [6, 0, 24, 33]),
        ([0] * 12, [0, 0, 0, 0]),
    ]
    for m, t in sums:
        assert ym.row_sum_sparse(sparse(m, 4)).tolist() == vec(t).tolist()


def test_math_sparse_matmul_and_transpose():
    x = vec([1, 2, 3, 4])
    for m, t in [
        ([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12], [70, 80, 90]),
        ([0, 2, 3, 4, 0, 6, 7, 8, 0, 10, 11, 12], [69, 70, 63]),
        ([0] * 12, [0, 0, 0]),
    ]:
        assert ym.matmul_sparse(sparse(m, 4), x, 3).tolist() == vec(t).tolist()
        assert ym.matmul(mat(m, 4), x).tolist() == vec(t).tolist()
    x = vec([1, 2, 3])
    for m, t in [
        ([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12], [14, 32, 50, 68]),
        ([0, 2, 3, 4, 0, 6, 7, 8, 0, 10, 11, 12], [13, 22, 23, 68]),
        ([0] * 12, [0, 0, 0, 0]),
    ]:
        assert ym.matmul_transpose_sparse(sparse(m, 4), x).tolist() == vec(t).tolist()
        assert ym.matmul_transpose(mat(m, 4), x).tolist() == vec(t).tolist()


def test_math_col_clip_sparse():
    th = vec([0, 5, 12])
    cases = [
        ([0, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12], [0, 2, 3, 0, 5, 6, 0, 5, 9, 0, 5, 12]),
        ([0, 2, 3, 4, 5, 6, 0, 0, 0, 10, 11, 12], [0, 2, 3, 0, 5, 6, 0, 0, 0, 0, 5, 12]),
        ([0] * 12, [0] * 12),
    ]
    for m, t in cases:
        assert_sparse_close(ym.col_clip_sparse(sparse(m, 4), th), sparse(t, 4))


def _median(stake, score, majority=0.51):
    stake = vec(stake)
    minority = ONE - f32(majority)
    total = ym.vsum(stake)
    return ym.weighted_median(stake, vec(score), np.arange(len(stake)), minority, 0, total)


def test_math_weighted_median():
    assert _median([], []) == 0
    st = ym.normalize(vec([0.51]))
    assert ym.weighted_median(st, vec([1.0]), [0], ONE - f32(0.51), 0, ym.vsum(st)) == ONE
    assert _median([0.49, 0.51], [0.5, 1.0]) == ONE
    assert _median([0.51, 0.49], [0.5, 1.0]) == f32(0.5)
    assert _median([0.49, 0.0, 0.51], [0.5, 0.7, 1.0]) == ONE
    assert _median([0.49, 0.01, 0.5], [0.5, 0.7, 1.0]) == f32(0.7)
    assert _median([0.49, 0.51, 0.0], [0.5, 0.7, 1.0]) == f32(0.7)
    assert _median([0.0, 0.49, 0.51], [0.5, 0.7, 1.0]) == ONE
    assert _median([0.0, 0.49, 0.0, 0.51], [0.5, 0.5, 1.0, 1.0]) == ONE
    assert _median([0.2] * 5, [0.8, 0.2, 1.0, 0.6, 0.4]) == f32(0.6)
    assert _median([0.1] * 10, [0.8, 0.8, 0.2, 0.2, 1.0, 1.0, 0.6, 0.6, 0.4, 0.4]) == f32(0.6)


def test_math_weighted_median_col_and_sparse():
    assert ym.weighted_median_col_sparse(vec([]), Sparse.from_rows([[]]), 0, f32(0.5)).tolist() == []
    z = [0.0] * 4
    assert ym.weighted_median_col(vec([0, 0]), mat(z, 2), f32(0.5)).tolist() == [0, 0]
    assert ym.weighted_median_col_sparse(vec([0, 0]), sparse(z, 2), 2, f32(0.5)).tolist() == [0, 0]
    w = [0, 0.1, 0, 0, 0.2, 0.4, 0, 0.3, 0.1, 0, 0.4, 0.5]
    stake = vec([0, 0.75, 0.25, 0])
    for majority, target in [(0.24, [0, 0.3, 0.4]), (0.26, [0, 0.2, 0.4]), (0.76, [0, 0.2, 0.1])]:
        assert ym.weighted_median_col(stake, mat(w, 4), f32(majority)).tolist() == vec(target).tolist()
        got = ym.weighted_median_col_sparse(stake, sparse(w, 4), 3, f32(majority))
        assert got.tolist() == vec(target).tolist()
    w = [0, 0.1, 0, 0, 0.2, 0.4, 0, 0.3, 0.1, 0, 0, 0.5]
    stake = vec([0, 0.3, 0.2, 0.5])
    assert ym.weighted_median_col(stake, mat(w, 4), f32(0.51)).tolist() == vec([0, 0, 0.4]).tolist()
    got = ym.weighted_median_col_sparse(stake, sparse(w, 4), 3, f32(0.51))
    assert got.tolist() == vec([0, 0, 0.4]).tolist()


def test_math_interpolate_sparse():
    e = Sparse.from_rows([[]])
    assert ym.interpolate_sparse(e, e, 0, 0).to_rows() == [[]]
    m1, m2 = sparse([0.0], 1), sparse([1.0], 1)
    assert_sparse_close(ym.interpolate_sparse(m1, m2, 1, 0), sparse([0.0], 1))
    assert_sparse_close(ym.interpolate_sparse(m1, m2, 1, f64(0.5)), sparse([0.5], 1))
    assert_sparse_close(ym.interpolate_sparse(m1, m2, 1, ONE), sparse([1.0], 1))
    z = sparse([0.0] * 12, 4)
    assert_sparse_close(ym.interpolate_sparse(z, z, 3, 0), z)
    assert_sparse_close(ym.interpolate_sparse(z, z, 3, ONE), z)
    m1 = sparse([1, 0, 100, 1000, 10000, 100000], 3)
    m2 = sparse([10, 100, 1000, 10000, 100000, 0], 3)
    assert_sparse_close(ym.interpolate_sparse(m1, m2, 2, 0), m1)
    got = ym.interpolate_sparse(m1, m2, 2, f64(0.9))
    assert_sparse_close(got, sparse([9.1, 90, 910, 9100, 91000, 10000], 3), eps(0.0001))
    ones = sparse([1.0] * 12, 4)
    assert_sparse_close(ym.interpolate_sparse(z, ones, 3, 0), z)
    for ratio, t in [(0.000000001, 0.000000001), (0.5, 0.5), (0.9999998808, 0.999_999_9)]:
        got = ym.interpolate_sparse(z, ones, 3, f64(ratio))
        assert_sparse_close(got, sparse([t] * 12, 4))
    assert_sparse_close(ym.interpolate_sparse(z, ones, 3, ONE), ones)


def test_math_sparse_mat_ema_alpha():
    alphas = mat([0.1] * 12, 4)
    cases = [
        ([0.1, 0.2, 3.0, 0.04, 0.05, 0.06, 0.07, 0.08, 0.09, 0.10, 0.11, 0.12],
         [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12],
         [0.19, 0.38, 1, 0.43599, 0.545, 0.65399, 0.763, 0.87199, 0.981, 1, 1, 1], 1e-4),
        ([0.001, 0.002, 0.003, 0.004, 0.05, 0.006, 0.007, 0.008, 0.009, 0.010, 0.011, 0.012],
         [0.1, 0.2, 3.0, 0.04, 0.05, 0.06, 0.07, 0.08, 0.09, 0.10, 0.11, 0.12],
         [0.0109, 0.0218, 0.30270, 0.007599, 0.05, 0.01139, 0.0133, 0.01519, 0.017, 0.01899,
          0.02089, 0.0227], 1e-4),
        ([0.0] * 12,
         [0.1, 0.2, 3.0, 0.04, 0.05, 0.06, 0.07, 0.08, 0.09, 0.10, 0.11, 0.12],
         [0.01, 0.02, 0.3, 0.00399, 0.005, 0.00599, 0.007, 0.00799, 0.009, 0.01, 0.011, 0.01199],
         1e-4),
        ([0.0] * 12, [0.0] * 12, [0.0] * 12, 1e-4),
        # the sparse drop: the old bond at (0, 0) vanishes because new row 0 has no entry there
        ([1.0] + [0.0] * 11, [0.0] * 4 + [2.0] + [0.0] * 7, [0.0] * 4 + [0.2] + [0.0] * 7, 1e-1),
    ]
    for old, new, target, tol in cases:
        got = ym.mat_ema_alpha_sparse(sparse(new, 4), sparse(old, 4), alphas)
        assert_sparse_close(got, sparse(target, 4), eps(tol))


def test_mat_ema_alpha_sparse_small_cases():
    assert ym.mat_ema_alpha_sparse(Sparse.empty(0), Sparse.empty(0), np.zeros((0, 0), np.int64)).to_rows() == []
    new = Sparse.from_rows([[(0, ONE)]])
    old = Sparse.from_rows([[(0, 2 * ONE)]])
    for alpha in [[[f64(0.5)]], [[f64(0.1), 0]], [[ONE, 0]]]:
        got = ym.mat_ema_alpha_sparse(new, old, np.array(alpha, dtype=np.int64))
        assert got.to_rows() == [[(0, ONE)]]
    new = Sparse.from_rows([[(0, ONE), (1, 2 * ONE)], [(0, 3 * ONE), (1, 4 * ONE)]])
    old = Sparse.from_rows([[(0, 5 * ONE), (1, 6 * ONE)], [(0, 7 * ONE), (1, 8 * ONE)]])
    alpha = np.array([[f64(0.1), f64(0.2)]] * 2, dtype=np.int64)
    got = ym.mat_ema_alpha_sparse(new, old, alpha)
    assert got.to_rows() == [[(0, ONE), (1, ONE)], [(0, ONE), (1, ONE)]]


def test_mat_ema_sparse_union_and_order():
    new = Sparse.from_rows([[(1, ONE)], []])
    old = Sparse.from_rows([[(0, ONE)], [(1, ONE)]])
    a = f64(0.1)
    got = ym.mat_ema_sparse(new, old, a).to_rows()
    one_minus = ONE - a
    assert got == [[(0, one_minus), (1, a)], [(1, one_minus)]]


def test_fixed_conversions():
    for v in [0, 65535 // 2, 65535]:
        assert int(fx.to_int(T, fx.from_int(T, [v]), 0, 65535)[0]) == v
    assert ym.fixed_proportion_to_u16(np.array([0])).tolist() == [0]
    assert ym.fixed_proportion_to_u16(np.array([65535 * ONE])).tolist() == [65535]
    assert ym.fixed_proportion_to_u16(np.array([ONE // 64, ONE // 4, 3 * ONE // 4])).tolist() == [1023, 16383, 49151]
    assert ym.u16_proportion_to_fixed(np.array([0, 65535])).tolist() == [0, ONE]
    assert ym.u16_to_fixed(np.array([0, 32767, 65535])).tolist() == [0, 32767 * ONE, 65535 * ONE]


def test_liquid_alpha_sigmoid_samples():
    lo = int(ym.u16_proportion_to_fixed(np.array([45875]))[0])
    hi = int(ym.u16_proportion_to_fixed(np.array([58982]))[0])
    # d = 0, 0.5, 1 with the default steepness 1000 (k = -10)
    w = np.array([0, ONE // 2, ONE])
    got = ym.alpha_sigmoid(np.zeros(3, np.int64), w, np.zeros(3, np.int64), lo, hi, 1000 * ONE)
    approx = [round(float(fx.to_rational(T, g)), 5) for g in got]
    assert approx == [0.70135, 0.80001, 0.89867]
