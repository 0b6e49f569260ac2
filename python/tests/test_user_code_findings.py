"""Regressions for what probing with real-world-style Numba kernels found, each against CPython +
NumPy running the same kernel: an integer to a negative literal power, boolean-mask assignment of
an array, ordering complex numbers (was an internal error), running totals of complex arrays (was
an internal error), ravel and the nan-reductions of non-contiguous arrays, a `None` default
argument guarding an early return, and indexing with a tuple held in a variable."""
import math

import numpy as np
import pytest

import kcache
from kcache import njit
from test_numpy_arrays import run_both


def negative_literal_powers(x):
    return 2 ** -1, -4 ** -2, 10 ** 2, x ** 3


def test_literal_integer_to_a_negative_literal_power_is_a_float():
    """CPython folds `2 ** -1` into 0.5 before Numba sees it; `x ** -1` with a variable stays
    an integer in Numba (0 for x = 2), which CPython does not agree with, so it is not here."""
    got = run_both(negative_literal_powers, 3)
    assert isinstance(got[0], float) and isinstance(got[2], int)


def mask_copy(a, b):
    m = a > 0.5
    a[m] = b[m]
    return a


def mask_add(a, b):
    a[a > 0.5] += b[a > 0.5]
    return a


def mask_broadcast_one(a, b):
    a[a < 0.5] = b[:1]
    return a


def test_mask_assignment_of_an_array_takes_its_values_in_order():
    rng = np.random.default_rng(1)
    for shape in [(7,), (4, 5), (2, 3, 4)]:
        a = rng.random(shape)
        b = rng.random(shape) + 10
        run_both(mask_copy, a, b)
        run_both(mask_add, a, b)
        run_both(mask_broadcast_one, a, b.ravel())
    run_both(mask_copy, np.zeros(0), np.zeros(0))


def mask_wrong_count(a, b):
    a[a > 0.5] = b
    return a


def test_mask_assignment_with_the_wrong_count_raises_as_numpy_does():
    a, b = np.array([0.1, 0.9, 0.7]), np.array([1.0, 2.0, 3.0])
    with pytest.raises(ValueError):
        mask_wrong_count(a.copy(), b)
    with pytest.raises(ValueError):
        njit(mask_wrong_count)(a.copy(), b)


def complex_order(z):
    return z > 0.5


def test_ordering_complex_arrays_is_a_type_error_not_an_internal_one():
    with pytest.raises(kcache.TypingError, match="complex numbers are not ordered"):
        njit(complex_order)(np.array([1 + 1j, 0.2 + 0j]))


def test_running_totals_of_complex_arrays():
    z = np.array([1 + 1j, 0.2 - 3j, -2 + 0.5j, 4j])
    run_both(lambda x: np.cumsum(x), z)
    run_both(lambda x: np.cumprod(x), z)
    run_both(lambda x: np.cumsum(x, axis=0), z.reshape(2, 2))


def test_ravel_and_nan_reductions_of_non_contiguous_arrays():
    a = np.arange(12.0).reshape(3, 4)
    a[1, 2] = np.nan
    for view in (a.T, a[:, ::2], a[::-1]):
        run_both(lambda x: x.ravel(), view)
        run_both(lambda x: np.ravel(x), view)
        run_both(lambda x: (np.nanmax(x), np.nanmin(x), np.nanargmax(x), np.nanargmin(x)), view)
        run_both(lambda x, y: np.array_equal(x, y), view, view.copy())


def write_through_ravel(a):
    r = a.ravel()
    r[0] = -1.0
    return a


def test_ravel_of_a_contiguous_array_writes_through():
    run_both(write_through_ravel, np.arange(6.0).reshape(2, 3))


def weighted_sum(a, w=None):
    if w is None:
        return a.sum()
    return (a * w).sum()


def scale(a, factor=None):
    if factor is not None:
        return a * factor
    return a * 2.0


def test_none_default_argument_guarding_an_early_return():
    a = np.arange(5.0)
    f = njit(weighted_sum)
    assert f(a) == weighted_sum(a)
    assert f(a, a) == weighted_sum(a, a)
    g = njit(scale)
    np.testing.assert_array_equal(g(a), scale(a))
    np.testing.assert_array_equal(g(a, 3.0), scale(a, 3.0))


def ndindex_sum(a):
    s = 0.0
    for idx in np.ndindex(a.shape):
        s += a[idx] * (idx[0] + 1)
    return s


def tuple_store(a):
    t = (1, 2)
    a[t] = 5.0
    a[t] += 1.0
    return a[t]


def ndindex_scale(a):
    for idx in np.ndindex(a.shape):
        a[idx] = a[idx] * 2.0 + idx[-1]
    return a


def test_indexing_with_a_tuple_in_a_variable():
    run_both(ndindex_sum, np.arange(6.0).reshape(2, 3))
    run_both(ndindex_sum, np.arange(24.0).reshape(2, 3, 4)[:, ::2])
    run_both(ndindex_sum, np.arange(5.0))
    run_both(tuple_store, np.arange(12.0).reshape(3, 4))
    run_both(ndindex_scale, np.arange(24.0).reshape(2, 3, 4))


def test_array_methods_that_are_numpy_functions():
    a = np.array([0.5, -1.2, 3.3, 0.0, 2.25])
    run_both(lambda x: x.clip(0.0, 1.0), a)
    run_both(lambda x: x.clip(0.0, 1.0), a[::2])
    run_both(lambda x: x.round(1), a)
    run_both(lambda x: x.repeat(2), a)
    run_both(lambda x: x.take(np.array([0, 2, -1])), a)
    run_both(lambda x: x.trace(), np.arange(9.0).reshape(3, 3))
    run_both(lambda x: x.conj(), a + 1j * a[::-1])
    run_both(lambda x: x.conjugate(), a)
    run_both(lambda x: (x.nbytes, x[::2].nbytes), a.astype(np.float32))
    run_both(lambda x: x[1].item() * 2, a)


def tuple_concat(a, n):
    s = a.shape + (n,)
    t = (1, 2) + s
    return t, (0,) + (n, n)


def test_tuple_concatenation():
    got = run_both(tuple_concat, np.zeros((2, 3)), 4)
    assert got == ((1, 2, 2, 3, 4), (0, 4, 4))


def put_pairs(b, rows, cols, v):
    b[rows, cols] = v
    return b


def add_pairs(b, rows, cols, v):
    b[rows, cols] += v
    return b


def test_stores_through_two_index_arrays():
    rows, cols = np.array([0, 1, 2, -1]), np.array([1, 2, 0, 0])
    b = np.arange(12.0).reshape(3, 4)
    run_both(put_pairs, b, rows, cols, -1.0)
    run_both(put_pairs, b, rows, cols, np.array([10.0, 20.0, 30.0, 40.0]))
    run_both(add_pairs, b, rows, cols, 0.5)
    run_both(add_pairs, b, rows, cols, np.array([1.0, 2.0, 3.0, 4.0]))
    with pytest.raises(IndexError):
        njit(put_pairs)(b.copy(), np.array([5]), np.array([0]), 1.0)


def test_a_module_kernels_cannot_use_is_named():
    import heapq

    def push(a):
        h = [0.0]
        heapq.heappush(h, a[0])
        return h[0]

    with pytest.raises(kcache.TypingError, match="module 'heapq', which kernels cannot use"):
        njit(push)(np.ones(3))


def test_comprehensions_over_the_rows_of_a_2d_array():
    x = np.arange(6.0).reshape(2, 3)
    run_both(lambda m: [r.sum() for r in m], x)
    run_both(lambda m: [r.max() * i for i, r in enumerate(m)], x)
    run_both(lambda m: sum([r[0] for r in m]), x)


def test_real_and_imag_of_real_and_complex_arrays():
    a = np.array([0.5, -1.2, 3.3])
    run_both(lambda x: (np.real(x), np.imag(x)), a)
    run_both(lambda x: (np.real(x), np.imag(x)), a + 2j * a)


@pytest.mark.parametrize("p", [1, 2, 0, 3, 0.5, np.inf, -np.inf])
def test_vector_norms_by_ord(p):
    run_both(lambda x, o: np.linalg.norm(x, o), np.array([0.5, -1.2, 3.3, 0.0, -4.0]), p)


@pytest.mark.parametrize("p", [1, -1, np.inf, -np.inf])
def test_matrix_norms_by_ord(p):
    run_both(lambda x, o: np.linalg.norm(x, o), np.arange(12.0).reshape(3, 4) - 5, p)


def test_sinc_and_nanmedian():
    a = np.array([0.5, -1.2, 3.3, 0.0, -4.0, np.nan])
    run_both(lambda x: np.sinc(x), a)
    run_both(lambda x: np.sinc(x[1]) + np.sinc(x[3]), a)
    run_both(lambda x: np.sinc(x), np.arange(6).reshape(2, 3))
    run_both(lambda x: np.nanmedian(x), a)
    run_both(lambda x: np.nanmedian(x), a[:5].reshape(5, 1).T)
    with pytest.warns(RuntimeWarning):
        run_both(lambda x: np.nanmedian(x), np.full(3, np.nan))


def test_stack_and_dstack_of_matrices():
    a = np.arange(6.0).reshape(2, 3)
    b = a * 10
    run_both(lambda x, y: np.stack((x, y)), a, b)
    run_both(lambda x, y: np.stack((x, y.T.T, x)), a, b[:, ::-1])
    run_both(lambda x, y: np.dstack((x, y)), a, b)
    run_both(lambda x, y: np.stack((x, y)), a.astype(np.int32), b.astype(np.int32))
    with pytest.raises(ValueError):
        njit(lambda x, y: np.stack((x, y)))(a, b[:, :2].copy())


def test_lists_of_arrays_where_numpy_takes_a_sequence():
    a = np.array([0.5, -1.2, 3.3])
    run_both(lambda x: np.concatenate([x, x[::-1], x * 2]), a)
    run_both(lambda x: np.vstack([x, x]), a)
    run_both(lambda x: np.array([x, x * 2]), a)
    run_both(lambda x: np.array((x, x + 1)), a.astype(np.int32))
    with pytest.raises(ValueError):
        njit(lambda x: np.array([x, x[:2]]))(a)


def frexp_ldexp(x, n):
    m, e = math.frexp(x)
    return m, e, math.ldexp(m, e), math.ldexp(x, n)


def test_math_frexp_and_ldexp_are_exact():
    for x in [0.0, -0.0, 1.0, 0.5, -3.75, 1e-310, 5e-324, -2.2250738585072014e-308, 1.7976931348623157e308,
              math.pi, 1e300, float("inf"), -float("inf")]:
        for n in [0, 1, -1, 60, -1074, -1100, 1000, -2000]:
            try:
                math.ldexp(x, n)
            except OverflowError:
                continue   # CPython raises where C's ldexp (and Numba) give inf
            run_both(frexp_ldexp, x, n)
    got = njit(frexp_ldexp)(float("nan"), 3)
    assert math.isnan(got[0]) and got[1] == 0


def cast_like(x, v):
    # numba-stats' `type(scale)(1) / scale`, and a NumPy dtype's scalar type.
    return type(x)(v) / x


def cast_like_array(a, v):
    return a.dtype.type(v) + a[0]


def test_the_type_of_a_value_converts_like_it():
    assert run_both(cast_like, 4.0, 1) == 0.25
    got = njit(cast_like)(np.float32(3.0), 1)
    assert got == float(np.float32(1) / np.float32(3)) and got != 1 / 3   # computed in float32
    assert njit(cast_like)(np.int32(4), 2) == 0.5
    got = njit(cast_like_array)(np.arange(3, dtype=np.float32), 2.5)
    assert got == 2.5
    assert njit(cast_like_array)(np.arange(1, 4, dtype=np.int16), 7.9) == 8


def unpack_pair(arr):
    a, b = arr
    return a + b


def unpack_rows(points):
    total = 0.0
    for x, y, z in points:
        total += x * y - z
    p, q = points[0, :2]
    return total + p / q


def test_unpacking_a_vector_as_python_iterates_it():
    assert run_both(unpack_pair, np.array([1.5, 2.25])) == 3.75
    assert run_both(unpack_pair, np.array([3, 4], dtype=np.int32)) == 7
    run_both(unpack_rows, np.random.default_rng(2).random((5, 3)))
    for bad in (np.arange(3.0), np.arange(1.0)):
        with pytest.raises(ValueError, match="values to unpack"):
            njit(unpack_pair)(bad)


def extend_with_iterables(n, a):
    out = []
    out.extend(range(n))
    out.extend(range(10, 4, -2))
    out.extend(a)
    out.extend((7, 8))
    out.extend(out)
    return out[n - 1], len(out), sum(out)


def test_list_extend_takes_any_iterable():
    run_both(extend_with_iterables, 5, np.array([3, 1, 4]))


def halve_until(x, n):
    for _ in range(n):
        x = x / 2        # an int parameter becomes a float: one float64 variable, as in Numba
    return x


def scaled_flag(flag, k):
    flag = flag * 2.5
    k = float(k)
    return flag + k / 3


def widen_tuple(t):
    t = (t[0] * 1.5, t[1])
    return t[0] + t[1]


def calls_halve(a):
    return halve_until(a[0], 3) + scaled_flag(True, 4)


def test_a_parameter_assigned_a_wider_type_converts_its_argument():
    """Was a wrong answer: the int's bits were read as a float (12 -> 1e-323)."""
    assert run_both(halve_until, 12, 3) == 1.5
    assert run_both(scaled_flag, True, 4) == 2.5 + 4 / 3
    assert run_both(scaled_flag, np.int8(3), np.uint16(7)) == 7.5 + 7 / 3
    assert run_both(calls_halve, np.array([12, 5])) == 1.5 + 2.5 + 4 / 3
    assert run_both(widen_tuple, (3, 4)) == 8.5


def generic_by_dtype(x):
    # numba-examples' simd notebook and numbagg write dtype-generic code this way.
    dt = x.dtype
    out = np.zeros(x.shape[0], dtype=dt)
    for i in range(x.shape[0]):
        out[i] = dt.type(2) * x[i]
    flag = 1 if dt == np.float32 else 0
    return out, flag, dt.itemsize, x.dtype.itemsize, np.finfo(dt).eps


def test_a_name_bound_to_a_dtype():
    run_both(generic_by_dtype, np.arange(4, dtype=np.float32))
    run_both(generic_by_dtype, np.arange(4.0))
    with pytest.raises(kcache.TypingError, match="dtype 'dt' as a value"):
        njit(dtype_escapes)(np.arange(3.0))


def dtype_escapes(x):
    dt = x.dtype
    return dt


def nditer_pairs(a, b):
    # numba-benchmark's bench_iterating: np.nditer over a tuple of arrays.
    t = 0
    for u, v in np.nditer((a, b)):
        t += u.item() * v.item()
    return t


def test_nditer_of_several_arrays_pairs_their_elements():
    run_both(nditer_pairs, np.arange(3), np.arange(3))
    run_both(nditer_pairs, np.arange(6.0).reshape(2, 3), np.ones((2, 3)).T.copy().T)
    with pytest.raises(ValueError):
        njit(nditer_pairs)(np.arange(3), np.arange(4))
    with pytest.raises(ValueError):
        njit(nditer_pairs)(np.arange(6).reshape(2, 3), np.arange(6))


def scalar_type_in_a_name(x):
    T = np.float32
    return T(x) * T(3), T(0.1) == np.float32(0.1), T(0.1) == 0.1


def test_a_numpy_scalar_type_held_in_a_name_converts():
    got = njit(scalar_type_in_a_name)(0.5)
    assert got == (1.5, True, False)   # T(0.1) is a float32: not equal to the float64 0.1


def by_kind(a):
    # Dtype-generic code (numbagg): branches on the dtype's kind, decided when typed.
    if a.dtype.kind == "f":
        fill = np.nan
    else:
        fill = 0.0
    return fill, a.dtype.kind != "i", np.issubdtype(a.dtype, np.floating), np.issubdtype(a.dtype, np.integer), \
        np.issubdtype(a.dtype, np.signedinteger), np.issubdtype(a.dtype, np.number), np.issubdtype(a.dtype, np.float32)


def test_dtype_kind_and_issubdtype_are_known_when_typed():
    for dtype in (np.float64, np.float32, np.int32, np.uint8, np.bool_, np.complex128):
        got = njit(by_kind)(np.zeros(2, dtype=dtype))
        want = by_kind(np.zeros(2, dtype=dtype))
        assert (np.isnan(got[0]) and np.isnan(want[0])) or got[0] == want[0]
        assert got[1:] == want[1:], dtype


def order_pair(arr):
    # numba-examples' mergesort: a conditional expression of tuples unpacked into two stores.
    if arr.size == 2:
        a, b = arr
        arr[0], arr[1] = ((a, b) if a <= b else (b, a))
    lo, hi = (arr[0], arr[-1]) if arr[0] < arr[-1] else (arr[-1], arr[0])
    return arr, lo, hi


def test_a_conditional_of_tuples_unpacked():
    run_both(order_pair, np.array([3.0, 1.0]))
    run_both(order_pair, np.array([1, 3]))
    run_both(order_pair, np.array([5.0, 2.0, 4.0]))


def kmeans_update(A, labels, k):
    # numba-examples' k-means: a masked column of the points of one cluster.
    return np.array([[np.sum(A[labels == i, j]) / np.sum(labels == i) for j in range(A.shape[1])]
                     for i in range(k)])


def test_mask_rows_at_one_column():
    rng = np.random.default_rng(6)
    A = rng.random((40, 3))
    labels = rng.integers(0, 4, 40)
    run_both(kmeans_update, A, labels, 4)
    run_both(lambda a, m: a[m, -1], A, A[:, 0] > 0.5)
    with pytest.raises(IndexError):
        njit(lambda a, m: a[m, 0])(A, np.ones(3, dtype=np.bool_))
