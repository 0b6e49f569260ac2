"""NumPy functions inside kernels that kcache implements in its kernel-language library
(np.clip, diff, searchsorted, unique, histogram, outer, interp, concatenate/hstack/vstack,
eye/identity, sign, round, isclose/allclose, count_nonzero, flatnonzero/nonzero, trace, take,
and a.fill), each against NumPy running the same kernel source: equal bit for bit."""
import numpy as np
import numpy.linalg as la
import pytest
from numpy.linalg import norm
from numpy.random import normal as np_normal
from numpy.random import seed as np_seed

import kcache
from kcache import njit
from test_numpy_arrays import run_both


def same(got, want):
    if isinstance(want, tuple):
        assert isinstance(got, tuple) and len(got) == len(want), (got, want)
        for g, w in zip(got, want):
            same(g, w)
        return
    want = np.asarray(want)
    got = np.asarray(got)
    assert got.dtype == want.dtype, (got.dtype, want.dtype)
    assert got.shape == want.shape, (got.shape, want.shape)
    assert np.array_equal(got, want, equal_nan=want.dtype.kind == "f"), (got, want)


def clip_both(a):
    return np.clip(a, -0.5, 0.75)


def clip_low_only(a):
    return np.clip(a, 0.0, None)


def clip_kw(a):
    return np.clip(a, a_min=-1, a_max=1)


def diff1(a):
    return np.diff(a)


def diff2(a):
    return np.diff(a, n=2)


def diff_rows(m):
    return np.diff(m)


def search_scalar(a):
    s = np.sort(a)
    return np.searchsorted(s, 0.25), np.searchsorted(s, s[3], side="right"), np.searchsorted(s, s[3])


def search_many(a):
    s = np.sort(a)
    return np.searchsorted(s, a[:5]), np.searchsorted(s, a[:5], "right")


def unique(a):
    return np.unique(np.floor(a * 3))


def histogram_default(a):
    return np.histogram(a)


def histogram_range(a):
    h, e = np.histogram(a, bins=7, range=(-1.0, 1.0))
    return h, e


def histogram_edges(a):
    return np.histogram(a, np.array([-2.0, -0.5, 0.0, 0.5, 0.5, 3.0]))


def histogram_int(k):
    return np.histogram(k, 5)


def outer(a):
    return np.outer(a[:4], a[2:5])


def interp_points(a):
    xp = np.sort(a)
    fp = xp * xp - 1.0
    return np.interp(0.1, xp, fp), np.interp(xp[2], xp, fp), np.interp(np.linspace(-3.0, 3.0, 13), xp, fp)


def interp_edges(a):
    xp = np.sort(a)
    return np.interp(np.array([-100.0, 100.0]), xp, xp, left=-7.0, right=7.0)


def concat(a):
    return np.concatenate((a[:3], a[5:], a[1:2]))


def stacks(a):
    return np.hstack((a[:2], a[2:4])), np.vstack((a[:3], a[3:6])), np.vstack((np.outer(a[:2], a[:3]), np.outer(a[:1], a[:3])))


def eyes(n):
    return np.eye(n), np.identity(3), np.eye(n, 5, 1), np.eye(n, k=-1)


def sign(a):
    # (NaN to int is undefined in C; NumPy and kcache give INT64_MIN on x86-64. Masked here.)
    return np.sign(a), np.sign(np.where(a == a, a * 4, 0.0).astype(np.int64))


def rounding(a):
    return np.round(a * 100.0, 1), np.round(a, 2), np.around(a * 1000.0, -1), np.round(a)


def closeness(a):
    b = a + 1e-9
    return np.isclose(a, b), np.allclose(a, b), np.allclose(a, a + 1.0), np.isclose(a, b, atol=0.0, rtol=0.0)


def counting(a):
    return np.count_nonzero(a > 0), np.flatnonzero(a > 0.5), np.nonzero(a < 0)[0]


def trace(a):
    m = np.outer(a[:4], a[:4])
    return np.trace(m), np.trace(m, 1), np.trace(np.ones((3, 3), dtype=np.int32))


def take(a):
    order = np.argsort(a)
    return np.take(a, order), np.take(a, np.array([-1, 0, 2]))


def fill(a):
    b = np.empty_like(a)
    b.fill(2.5)
    c = np.zeros((2, 3), dtype=np.int32)
    c.fill(7)
    return b, c


CASES = [clip_both, clip_low_only, clip_kw, diff1, diff2, search_scalar, search_many, unique, histogram_default,
         histogram_range, histogram_edges, outer, interp_points, interp_edges, concat, stacks, sign, rounding,
         closeness, counting, trace, take, fill]


@pytest.mark.parametrize("func", CASES, ids=[f.__name__ for f in CASES])
@pytest.mark.parametrize("seed", [0, 1])
def test_against_numpy(func, seed):
    r = np.random.default_rng(seed)
    a = np.round(r.standard_normal(11), 3)
    a[4] = 0.5  # an exact edge and a repeated value
    a[7] = 0.5
    same(njit(func)(a), func(a))


def test_with_nan_and_special_values():
    a = np.array([0.5, np.nan, -1.5, 2.5, np.nan, 0.5, -0.0, 3.25, 1e-300, -7.0, 0.125])
    for func in (clip_both, unique, sign, rounding, counting, take):
        same(njit(func)(a), func(a))


def test_matrices_and_integers():
    m = np.arange(12.0).reshape(3, 4) ** 1.5
    same(njit(diff_rows)(m), diff_rows(m))
    same(njit(eyes)(4), eyes(4))
    k = np.array([3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5], dtype=np.int64)
    same(njit(histogram_int)(k), histogram_int(k))


def test_errors_as_numpy_gives_them():
    with pytest.raises(ValueError):
        njit(histogram_default)(np.array([0.0, np.inf]))
    with pytest.raises(IndexError):
        njit(take)(np.array([1.0]))


def minimum_of_none(a):
    return np.minimum(a, None)


def compare_with_none(a):
    return a > None


def test_none_in_element_wise_code_is_a_type_error():
    # Used to be an internal compiler error (a panic in the array-expression builder).
    import kcache
    for func in (minimum_of_none, compare_with_none):
        with pytest.raises(kcache.TypingError):
            njit(func)(np.ones(3))


def fancy_read(a):
    order = np.argsort(a)
    picks = np.array([0, -1, 3], dtype=np.int32)
    return a[order], a[picks], a[order][::-1]


def fancy_write(a):
    b = a.copy()
    b[np.argsort(a)] = 0.0
    return b


def fancy_write_2d(m):
    m[:, np.array([0, 1])] = 0.0
    return m


def fancy_nd_reads(X, T, idx, labels):
    ks = [2, 0]
    return (X[idx], X[idx, :], X[labels == 1], X[:, np.array([2, 0, 2])], X[idx, np.array([0, 1, 2, 0])],
            X[idx, 1], X[1, np.array([2, -1])], X[[4, 0]], X[:, [1]], T[idx[1:3]], T[labels[:4] == 0], X[labels == 1].mean(axis=0),
            np.arange(5.0)[ks])


def fancy_nd_writes(X, idx, labels):
    Y = X.copy()
    Y[idx] = -1.0
    Y[labels == 0] += 10.0
    Y[np.array([0, 1])] = X[np.array([3, 4])]
    Y[labels == 1] = X[0]
    Y[idx[:2]] *= 2.0
    return Y


def test_fancy_indexing_reads_and_writes():
    a = np.array([0.5, -1.25, 2.0, 3.5, -0.75, 0.1])
    same(njit(fancy_read)(a), fancy_read(a))
    same(njit(fancy_write)(a), fancy_write(a))
    import kcache
    # Columns of an N-d array: refused by name, never a store lost into a copy.
    with pytest.raises(kcache.TypingError, match="fancy indexing"):
        njit(fancy_write_2d)(np.ones((3, 2)))


def test_fancy_indexing_of_nd_arrays():
    r = np.random.default_rng(11)
    X = np.round(r.standard_normal((5, 3)), 2)
    T = np.round(r.standard_normal((4, 2, 3)), 2)
    idx = np.array([4, 0, -1, 2])
    labels = np.array([1, 0, 1, 1, 0])
    same(njit(fancy_nd_reads)(X, T, idx, labels), fancy_nd_reads(X, T, idx, labels))
    same(njit(fancy_nd_reads)(X[:, ::-1], T, idx, labels), fancy_nd_reads(X[:, ::-1], T, idx, labels))
    same(njit(fancy_nd_writes)(X, idx, labels), fancy_nd_writes(X, idx, labels))
    for bad_idx, bad_labels in [(np.array([5]), labels), (idx, labels[:4])]:
        with pytest.raises(IndexError):
            njit(fancy_nd_reads)(X, T, bad_idx, bad_labels)


def arg_along_axes(m):
    return np.argmax(m, axis=0), np.argmax(m, axis=1), m.argmin(axis=0), np.argmin(m, 1), m.argmax(axis=-1)


def test_argmax_argmin_along_an_axis():
    r = np.random.default_rng(7)
    m = np.round(r.standard_normal((5, 4)), 1)
    m[2, 1] = m[0, 1]  # ties: the first wins
    same(njit(arg_along_axes)(m), arg_along_axes(m))
    m[3, 2] = np.nan  # NaN wins, as in NumPy
    same(njit(arg_along_axes)(m), arg_along_axes(m))


def norms(a):
    m = np.outer(a, a[:3])
    return np.linalg.norm(a), norm(m), la.norm(a[::2])


def test_linalg_norm():
    a = np.array([0.5, -1.25, 2.0, 3.5, -0.75, 0.1, 4.0])
    got, want = njit(norms)(a), norms(a)
    # NumPy's dot is BLAS's: the same sum in another order, so equal to the last bits or so.
    np.testing.assert_allclose(got, want, rtol=1e-14)


def drawn(n):
    np_seed(5)
    return np_normal(0.0, 1.0, n)


def test_numpy_submodule_members_imported_by_name():
    # `from numpy.random import normal` used to reach kcached as `from numpy import normal`.
    got = njit(drawn)(4)
    np.random.seed(5)
    same(got, np.random.normal(0.0, 1.0, 4))


def nested_literals(x):
    m = np.array([[1.0, 2.0, x], [3.0, 4.0, 5.0]])
    k = np.array(((1, 2), (3, 4), (5, 6)), dtype=np.int32)
    c = np.array([[[1, 2]], [[3, 4]]])
    return m, k, c, m @ np.array([1.0, 0.5, 0.25])


def where_one(a):
    return np.where(a > 0)[0]


def divmods(a, b):
    return divmod(a, b), divmod(-7, 2), divmod(7.5, -2.0), divmod(int(a), 3)


def test_nested_literals_where_and_divmod():
    same(njit(nested_literals)(2.5), nested_literals(2.5))
    a = np.array([0.5, -1.25, 2.0, 3.5, -0.75, 0.1])
    same(njit(where_one)(a), where_one(a))
    got, want = njit(divmods)(7.25, 1.5), divmods(7.25, 1.5)
    assert got == want, (got, want)
    with pytest.raises(ZeroDivisionError):
        njit(divmods)(1.0, 0.0)


def logical_arrays(a):
    return (np.logical_and(a > 0, a < 1).sum(), np.logical_or(a < -1, a > 1).any(),
            np.logical_xor(a > 0, a > 0.5).sum(), np.logical_not(a > 0).sum(),
            np.logical_and(a, 1).sum(), np.logical_not(a).sum())


def logical_scalars(x, y):
    return np.logical_and(x, y), np.logical_or(x, 0), np.logical_not(y), np.logical_xor(x > 1, y)


def test_logical_functions_of_arrays_and_scalars():
    a = np.array([-2.0, -0.5, 0.0, 0.3, 0.7, 1.5, 0.5])
    same(njit(logical_arrays)(a), logical_arrays(a))
    for x, y in [(2.0, 0.0), (0.0, 3.0), (1.5, 2.5)]:
        assert njit(logical_scalars)(x, y) == tuple(bool(v) for v in logical_scalars(x, y))


def limits(x, a):
    return (np.finfo(np.float64).eps * x, np.finfo(np.float32).eps, np.finfo(np.float32).max, np.finfo(np.float64).tiny,
            np.finfo(a.dtype).eps, np.finfo(x).resolution, np.finfo(np.float64).min, np.iinfo(np.int32).max,
            np.iinfo(np.uint64).max, np.iinfo(np.int8).min, np.iinfo(np.int64).min, np.iinfo(np.uint16).bits)


def dtype_branch(a):
    if a.dtype == np.float64:
        return 1
    elif a.dtype != np.float32:
        return 2
    return 0


def test_type_limits_and_dtype_comparisons():
    for a in (np.zeros(2), np.zeros(2, np.float32)):
        # (Values: a float32 scalar result reaches Python as a float, as Numba's does.)
        got, want = njit(limits)(2.0, a), limits(2.0, a)
        assert len(got) == len(want) and all(g == w for g, w in zip(got, want)), (got, want)
    for dtype in (np.float64, np.float32, np.int32):
        assert njit(dtype_branch)(np.zeros(2, dtype)) == dtype_branch(np.zeros(2, dtype))


def int_powers(a, b, e):
    return np.power(a, 2), np.power(a, b), np.power(3, e), np.power(a, e), np.pow(b, 0)


def int_power_of(a, b):
    return np.power(a, b)


def test_integer_power_stays_integer():
    a = np.array([2, -3, 0, 7, 1], dtype=np.int64)
    b = np.array([3, 2, 5, 0, 9], dtype=np.int64)
    same(njit(int_powers)(a, b, 4), int_powers(a, b, 4))
    small = np.array([2, 5, 11], dtype=np.uint8)
    same(njit(int_power_of)(small, 3), int_power_of(small, 3))
    i32 = np.array([-2, 5, 11], dtype=np.int32)
    same(njit(int_power_of)(i32, i32 % 4), int_power_of(i32, i32 % 4))
    # Float arguments are still NumPy's float loop.
    same(njit(int_power_of)(a, 0.5), int_power_of(a, 0.5))


def test_integer_power_to_a_negative_power_raises_as_numpy_does():
    a = np.array([2, 3], dtype=np.int64)
    for args in [(a, -1), (a, np.array([1, -2])), (3, -2)]:
        with pytest.raises(ValueError, match="Integers to negative integer powers are not allowed."):
            int_power_of(*args)
        with pytest.raises(ValueError, match="Integers to negative integer powers are not allowed."):
            njit(int_power_of)(*args)


def int_fmods(a, b, s, t):
    return np.fmod(a, b), np.fmod(a, s), np.fmod(s, b), np.fmod(s, t), np.fmod(7, 0), np.fmod(-7, 3)


def test_integer_fmod_is_c_fmod():
    # The remainder takes the dividend's sign (not the divisor's, as %); a zero divisor gives 0.
    a = np.array([7, -7, 7, -7, 7, 0, -9, 9], dtype=np.int64)
    b = np.array([3, 3, -3, -3, 0, 5, 3, -4], dtype=np.int64)
    for s, t in [(-7, 3), (7, -3), (7, 0), (-8, 4)]:
        same(njit(int_fmods)(a, b, s, t), int_fmods(a, b, s, t))
    for dt in (np.int32, np.uint8, np.int16):
        x, y = np.array([7, 9, 100], dtype=dt), np.array([3, 0, 7], dtype=dt)
        same(njit(int_fmods)(x, y, 5, 2), int_fmods(x, y, 5, 2))


def nep50_float32(a):
    # Python floats are weak (NEP 50): these stay float32.
    return (np.clip(a, 0.2, 0.8), np.maximum(a, 0.5), np.minimum(0.5, a), np.where(a > 0.3, a, 0.0),
            np.fmax(a, 0.5), np.arctan2(a, 2.0), np.hypot(a, 1.5), np.power(a, 2), np.power(a, 0.5),
            np.copysign(a, -1.0), np.fmod(a, 0.25), np.clip(a, 0, 1))


def test_float32_arrays_with_python_numbers_stay_float32():
    a = np.array([0.1, 0.5, 0.9, -1.25, 3.0], dtype=np.float32)
    got, want = njit(nep50_float32)(a), nep50_float32(a)
    for g, w in zip(got, want):
        assert g.dtype == w.dtype == np.float32
        # NumPy's float32 atan2 and hypot are its own SIMD code, not the C library's.
        np.testing.assert_allclose(g, w, rtol=4e-7, equal_nan=True)


def scalar_numpy_forms(x):
    return np.sign(x), np.round(x, 1), np.around(x, 2), np.round(x), np.round(x, -1), np.nextafter(x, 1.0)


@pytest.mark.parametrize("x", [2.25, -2.5, 0.5, 1.5, 1.005, -0.0, 0.0, 1e300, -7.35, np.inf, np.nan, 75.0])
def test_scalar_sign_round_nextafter_floats(x):
    same(njit(scalar_numpy_forms)(x), scalar_numpy_forms(x))


def scalar_int_forms(x):
    return np.sign(x), np.round(x), np.round(x, 2), np.round(x, -1), np.around(x, -2), np.nextafter(x, 0)


@pytest.mark.parametrize("x", [0, 7, -3, 75, 65, -75, 250, 1234])
def test_scalar_sign_round_nextafter_ints(x):
    same(njit(scalar_int_forms)(x), scalar_int_forms(x))


def nextafter_arrays(a):
    return np.nextafter(a, 0.0), np.nextafter(a, np.inf), np.nextafter(a.astype(np.float32), np.float32(2.0))


def test_nextafter_of_arrays():
    a = np.array([0.5, -1.0, 0.0, 3.25, np.nan])
    same(njit(nextafter_arrays)(a), nextafter_arrays(a))


def diff_bools(a):
    b = a > 0
    return np.diff(b), np.diff(b, 2), np.diff(b[::2]), np.diff(b[:0]), np.diff(b.reshape(2, -1)), np.diff(b.reshape(2, -1), n=2)


def test_diff_of_bools_compares_neighbours():
    a = np.array([0.5, -1.0, 2.0, 3.0, -0.5, 0.0, 1.0, -2.0])
    same(njit(diff_bools)(a), diff_bools(a))


def arg_along_the_only_axis(a):
    return np.argmax(a, axis=0), np.argmin(a, axis=0), a.argmax(axis=-1), np.argmin(a, 0), np.argmax(a[::-2], axis=0)


@pytest.mark.parametrize("dtype", [np.float64, np.float32, np.int64, np.int8, np.uint16, np.bool_])
def test_argmax_argmin_of_a_vector_along_axis_0(dtype):
    a = np.array([3, 1, 4, 1, 5, 9, 2, 6], dtype=dtype)
    got, want = njit(arg_along_the_only_axis)(a), arg_along_the_only_axis(a)
    assert got == want, (got, want)


def arrays_of_int_tuples(a, n):
    m = a.reshape(2, -1)
    return np.array(a.shape), np.array(m.shape), np.array((n, 3)), np.array(m[:, ::2].shape), np.array((1.5, n))


def test_np_array_of_shapes_and_int_tuples():
    a = np.arange(6.0)
    same(njit(arrays_of_int_tuples)(a, 4), arrays_of_int_tuples(a, 4))
    same(njit(arrays_of_int_tuples)(a[:0], 0), arrays_of_int_tuples(a[:0], 0))


def nonzeros(a):
    m = a.reshape(3, 4)
    t = a.reshape(2, 3, 2)
    return (np.nonzero(a), np.nonzero(m), np.nonzero(t), m.nonzero(), t.nonzero(), a.nonzero(), np.nonzero(m.T),
            np.nonzero(m[::2, 1:]), np.nonzero(m[:0]), np.flatnonzero(m.T), np.argwhere(m.T), np.where(m != 0))


@pytest.mark.parametrize("dtype", [np.float64, np.float32, np.int64, np.int16, np.uint8, np.bool_, np.complex128])
def test_nonzero_of_nd_arrays(dtype):
    a = np.array([0, 1, 0, 2, 3, 0, 0, 4, 5, 0, 6, 0]).astype(dtype)
    same(njit(nonzeros)(a), nonzeros(a))
    z = np.zeros(12, dtype)
    same(njit(nonzeros)(z), nonzeros(z))


def appends(a, b, x):
    m = a.reshape(2, -1)
    return (np.append(a, b), np.append(a, x), np.append(m, b), np.append(a[::-2], b[1:]), np.append(a[:0], b[:0]),
            np.append(m.T, x), np.append(a, b, axis=0), np.append(m, b.reshape(2, -1), axis=0),
            np.append(m, b.reshape(2, -1), axis=1), np.append(m.T, b.reshape(-1, 2), 0), np.append(m[:, :0], m, axis=-1))


@pytest.mark.parametrize("dtypes", [(np.float64, np.float64), (np.int64, np.float32), (np.int32, np.int64),
                                    (np.uint8, np.int8), (np.float32, np.int16), (np.bool_, np.bool_),
                                    (np.complex128, np.float64), (np.uint64, np.int64)])
@pytest.mark.parametrize("x", [3, 2.5, True])
def test_append(dtypes, x):
    a = np.array([0, 1, 2, 3, 4, 5]).astype(dtypes[0])
    b = np.array([6, 7, 0, 9, 1, 1]).astype(dtypes[1])
    same(njit(appends)(a, b, x), appends(a, b, x))


def expand_dims_by_keyword(a):
    m = a.reshape(2, -1)
    return (np.expand_dims(a, axis=1), np.expand_dims(a, axis=0), np.expand_dims(a[::2], axis=-1),
            np.expand_dims(m, axis=1), np.expand_dims(m, 2), np.expand_dims(m.T, axis=0), np.expand_dims(a[:0], axis=1))


def test_expand_dims_with_the_axis_keyword():
    a = np.arange(6.0)
    same(njit(expand_dims_by_keyword)(a), expand_dims_by_keyword(a))


def averages(a, w):
    return (np.average(a), np.average(a, weights=w), np.average(a[::2], weights=w[1::2]), np.average(a, None, w),
            np.average(a.reshape(2, -1).T, weights=w.reshape(2, -1).T))


@pytest.mark.parametrize("dtypes", [(np.float64, np.float64), (np.float32, np.float32), (np.int64, np.float64),
                                    (np.int32, np.int16), (np.float32, np.int64), (np.float32, np.int8),
                                    (np.bool_, np.bool_), (np.uint8, np.float32)])
def test_average_with_weights(dtypes):
    a = np.array([0.5, 1, 2.25, 3, 4, 5.75, 1, 0]).astype(dtypes[0])
    w = np.array([1, 2, 0.5, 3, 1, 1, 2, 4]).astype(dtypes[1])
    got, want = njit(averages)(a, w), averages(a, w)
    for g, w_ in zip(got, want):
        assert np.asarray(g).dtype == w_.dtype or (w_.dtype == np.float32 and isinstance(g, float)), (g, w_)
        assert g == w_, (got, want)


def average_errors(a, w):
    return np.average(a, weights=w)


def test_average_errors():
    with pytest.raises(ZeroDivisionError):
        njit(average_errors)(np.ones(3), np.zeros(3))
    with pytest.raises(TypeError):
        njit(average_errors)(np.ones(3), np.ones(2))


def spaces(x, y, n):
    return (np.logspace(x, y, n), np.logspace(-1.5, 3, 11), np.logspace(1, 1, 1), np.logspace(0, 1, 0),
            np.logspace(x, y), np.geomspace(x, y, n), np.geomspace(-2, -1000.0, 7), np.geomspace(3, 1, 4),
            np.geomspace(1, 1, 1), np.geomspace(2.0, 5.0, 0), np.geomspace(x, y, num=n))


@pytest.mark.parametrize("x, y, n", [(1.0, 100.0, 5), (0.5, 3.25, 17), (2, 7, 3), (1e-3, 1e3, 50), (4.0, -2.0, 6)])
def test_logspace_and_geomspace(x, y, n):
    got, want = njit(spaces)(x, y, n), spaces(x, y, n)
    for g, w in zip(got, want):
        assert g.dtype == w.dtype and g.shape == w.shape, (g, w)
        # kcache's pow and log10 are the C library's; NumPy's float64 power and log10 on AVX-512
        # machines are SIMD routines an ulp or so off them (geomspace compounds the two).
        np.testing.assert_array_max_ulp(g, w, 4)


def test_geomspace_of_zero_raises():
    with pytest.raises(ValueError, match="zero"):
        njit(spaces)(0.0, 1.0, 3)


def nan_to_nums(a):
    return (np.nan_to_num(a), np.nan_to_num(a, nan=1.5, posinf=2.0, neginf=-3.0), np.nan_to_num(a[::-2], posinf=9),
            np.nan_to_num(a.reshape(2, -1).T), np.nan_to_num(a[:0]), np.nan_to_num(a, copy=True, neginf=0.0))


@pytest.mark.parametrize("dtype", [np.float64, np.float32, np.complex128, np.int64, np.uint8, np.bool_])
def test_nan_to_num(dtype):
    values = [1.0, np.nan, -np.inf, 0.0, np.inf, -2.5] if np.dtype(dtype).kind in "fc" else [1, 0, 3, 7, 0, 2]
    a = np.array(values).astype(dtype)
    if dtype is np.complex128:
        a = a + 1j * a[::-1]
    same(njit(nan_to_nums)(a), nan_to_nums(a))


def nan_to_num_in_place(a, x):
    b = np.nan_to_num(a, copy=False, nan=-1.0)
    return b, np.nan_to_num(x), np.nan_to_num(x, nan=4.0, posinf=5.0)


def test_nan_to_num_in_place_and_of_scalars():
    for x in (np.nan, np.inf, -np.inf, 2.5):
        a = np.array([np.nan, 1.0, np.inf])
        b = a.copy()
        same(njit(nan_to_num_in_place)(a, x), nan_to_num_in_place(b, x))
        same(a, b)


def ufuncs_into(a, b, o, o2):
    np.sqrt(a, out=o)
    np.add(o, b, o)                 # positional out, in place
    r = np.multiply(a, 2.0, out=o2)
    np.negative(r, out=(r,))        # NumPy's tuple form
    np.abs(r, out=r)
    np.maximum(o, 1.5, out=o)
    np.greater(a, 0.5, out=o2)      # bool results stored as 0.0 / 1.0
    return o, o2, r


def ufunc_into_broadcast(row, out):
    # The inputs broadcast to out's shape; the call's value is out itself.
    return np.exp(row, out=out)


def test_ufuncs_with_out_store_into_it():
    rng = np.random.default_rng(5)
    a, b = rng.random(7), rng.random(7)
    run_both(ufuncs_into, a, b, np.zeros(7), np.zeros(7))
    got = njit(ufunc_into_broadcast)(np.arange(3.0), np.zeros((1, 3)))
    np.testing.assert_array_equal(got, np.exp(np.arange(3.0))[None, :])
    ints = np.zeros(4, dtype=np.int64)
    run_both(lambda x, y, o: np.add(x, y, out=o), np.arange(4), np.arange(4), ints)
    with pytest.raises(kcache.TypingError, match="same_kind"):
        njit(lambda x, o: np.sqrt(x, out=o))(np.arange(4.0), ints)


def nan_percentiles(a, q, qs):
    return np.nanpercentile(a, q), np.nanquantile(a, q / 100), np.nanpercentile(a, qs)


def test_nanpercentile_and_nanquantile_skip_nans():
    a = np.array([3.0, np.nan, 1.0, 7.5, np.nan, -2.0])
    run_both(nan_percentiles, a, 75.0, np.array([0.0, 50.0, 100.0]))
    run_both(nan_percentiles, a.reshape(2, 3), 10.0, np.array([25.0]))
    got = njit(nan_percentiles)(np.full(3, np.nan), 50.0, np.array([50.0]))
    assert np.isnan(got[0]) and np.isnan(got[2][0])


def partition_two(a, lo, hi):
    p = np.partition(a, kth=np.array([lo, hi]))
    return p[lo], p[hi], np.partition(a, kth=lo)[lo]


def test_partition_with_several_kth_places_them():
    a = np.random.default_rng(8).random(11)
    run_both(partition_two, a, 2, 8)
    with pytest.raises(ValueError):
        njit(partition_two)(a, 2, 11)
