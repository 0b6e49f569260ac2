"""Tuples and iteration in kernels (issue 14): tuple values (literals, a.shape, items by constant
and computed index, slices, comparisons, unpacking, nested), tuples passed to and returned from
functions and kernels (with arrays inside: their buffers stay alive and are released), and loops
over enumerate, zip, tuples and arrays with unpacking targets. CPython runs the same source on
copies of the inputs as the oracle."""
import gc

import numpy as np
import pytest

import kcache
from kcache import literal_unroll, njit

from test_numpy_arrays import run_both, same


def test_return_scalar_tuple():
    def f(a, b):
        return a + b, a * b, a > b
    assert run_both(f, 3, 4) == (7, 12, False)
    run_both(f, 2.5, -1.0)


def test_divmod_style_pairs_and_swap():
    def f(n):
        a, b = 0, 1
        for _ in range(n):
            a, b = b, a + b
        q, r = n // 3, n % 3
        return (a, b), (q, r)
    run_both(f, 30)


def test_shape_as_a_value():
    def f(x):
        s = x.shape
        n, m = s
        t = x.shape[::-1]
        return s, t, len(s), s[-1], s[0] * s[1] == x.size, n + m
    run_both(f, np.zeros((3, 5)))


def test_computed_index_into_uniform_tuple():
    def f(x, k):
        s = x.shape
        total = 0
        for d in range(len(s)):
            total += s[d] * (d + 1)
        return total + s[k] + s[-1 - k]
    run_both(f, np.zeros((2, 3, 4)), 1)
    with pytest.raises(IndexError):
        njit(f)(np.zeros((2, 3, 4)), 7)


def test_tuple_comparisons():
    def f(a, b):
        return a.shape == b.shape, a.shape != b.shape, (1, 2.0) == (1, 2), (1, 2) == (1, 2, 3)
    run_both(f, np.zeros((2, 3)), np.zeros((2, 3)))
    run_both(f, np.zeros((2, 3)), np.zeros((3, 2)))


def test_tuples_into_and_out_of_functions():
    def stats(x):
        return x.min(), x.max(), x.sum()

    def norm(x, lohi):
        lo, hi = lohi
        return (x - lo) / (hi - lo)

    def f(x):
        lo, hi, _ = stats(x)
        return norm(x, (lo, hi))
    run_both(f, np.array([3.0, 1.0, 4.0, 1.0, 5.0]))


def test_return_arrays_in_tuples():
    def f(n):
        a = np.arange(n)
        b = np.ones((2, n), dtype=np.float32)
        return a, (b, a[::2]), n
    before = kcache.memory_stats()
    for _ in range(50):
        run_both(f, 5)
    gc.collect()
    assert kcache.memory_stats() == before


def test_unified_tuple_variable_converts_items():
    def f(flag):
        if flag:
            t = (1, 2)
        else:
            t = (1.5, 2)
        return t
    run_both(f, True)
    run_both(f, False)


def test_enumerate_and_zip():
    def f(x, y):
        s = 0.0
        for i, v in enumerate(x):
            s += i * v
        for a, b in zip(x, y):
            s += a * b
        for k, (a, b) in enumerate(zip(x, y[1:]), 10):
            s += k * (a - b)
        for i, j in zip(range(3, 100, 7), range(len(x), 0, -1)):
            s += i * j
        return s
    run_both(f, np.arange(6.0), np.arange(8.0) * 0.5)


def test_iterate_tuples_and_rows():
    def f(m):
        total = 0.0
        for d in m.shape:
            total += d
        for w in (0.5, 0.25, 0.125):
            total += w
        for i, row in enumerate(m):
            for j, v in enumerate(row):
                total += (i + 1) * (j + 2) * v
        for r in range(m.shape[0]):
            a, b = m[r, 0], m[r, 1]
            total += a - b
        return total
    run_both(f, np.arange(12.0).reshape(4, 3))


def test_tuples_in_prange_bodies():
    def f(x):
        n, = x.shape
        out = np.empty(n)
        for i in kcache.prange(n):
            lo, hi = (x[i], x[i] * 2)
            pair = (lo, hi)
            out[i] = pair[0] + pair[1]
        return out
    got = njit(parallel=True)(f)(np.arange(1000.0))
    np.testing.assert_array_equal(got, np.arange(1000.0) * 3)


def test_tuple_errors_name_the_construct():
    def assign_item(x):
        s = x.shape
        s[0] = 1
        return s

    def mixed_computed(k):
        t = (1, 2.5)
        return t[k]

    def out_of_range(x):
        return x.shape[2]

    for f, args, words in [
        (assign_item, (np.zeros(3),), "immutable"),
        (mixed_computed, (0,), "different types"),
        (out_of_range, (np.zeros((2, 2)),), "out of range"),
    ]:
        with pytest.raises(kcache.TypingError) as e:
            njit(f)(*args)
        assert words in str(e.value)


def test_c_client_reads_a_tuple_result(tmp_path):
    """kc_kernel_result_type / kc_kernel_result_size describe the struct kc_call writes."""
    from kcache import _lib
    import ctypes

    src = "def f(n):\n    return n * 2, n > 3, n * 0.5\n"
    handle = ctypes.c_void_p()
    status = _lib.lib.kc_compile(kcache._get_client(), src.encode(), b"f", b"(int32,)", None, ctypes.byref(handle))
    assert status == _lib.KC_OK, kcache.last_error()
    try:
        assert _lib.lib.kc_kernel_result_type(handle) == b"tuple(int64;bool;float64)"
        assert _lib.lib.kc_kernel_result_size(handle) == 24

        class Out(ctypes.Structure):
            _fields_ = [("a", ctypes.c_int64), ("b", ctypes.c_bool), ("c", ctypes.c_double)]
        out = Out()
        n = ctypes.c_int32(5)
        args = (ctypes.c_void_p * 1)(ctypes.addressof(n))
        assert _lib.lib.kc_call(handle, args, ctypes.byref(out)) == _lib.KC_OK
        assert (out.a, out.b, out.c) == (10, True, 2.5)
    finally:
        _lib.lib.kc_kernel_free(handle)


def test_same_helper_compares_tuples():
    same((1, (np.arange(2),)), (1, (np.arange(2),)))


def test_ndindex_ndenumerate_and_flat():
    def f(m):
        total = 0.0
        for idx in np.ndindex(m.shape):
            total += m[idx[0], idx[1]] * (idx[0] + 2 * idx[1])
        for i, j in np.ndindex(*m.shape):
            total -= m[i, j] * 0.5
        for k, l in np.ndindex(2, 3):
            total += k * 10 + l
        for (i, j), v in np.ndenumerate(m):
            total += (i - j) * v
        for v in m.T.flat:
            total = total * 0.9 + v
        out = np.empty_like(m)
        for (i, j), v in np.ndenumerate(m[:, ::-1]):
            out[i, j] = v * 2
        return total, out
    run_both(f, np.arange(12.0).reshape(3, 4))
    run_both(f, np.zeros((0, 4)))


def test_ndindex_of_three_dims_and_break():
    def f(a):
        count = 0
        for i, j, k in np.ndindex(a.shape):
            if a[i, j, k] > 20:
                break
            count += i * 100 + j * 10 + k
        return count
    run_both(f, np.arange(60).reshape(3, 4, 5))


def test_ranges_as_values_and_reversed():
    def f(n, flag):
        r = range(2, n, 3)
        if flag:
            r = range(n)
        total = len(r) * 1000 + len(range(n, 0, -2))
        for i in r:
            total += i
        for i in reversed(range(1, n, 4)):
            total = total * 3 % 1000003 + i
        for i in reversed(r):
            total = total * 7 % 1000003 + i
        for k, i in enumerate(reversed(range(n))):
            total += k * i
        return total
    for n in (0, 1, 5, 17):
        run_both(f, n, True)
        run_both(f, n, False)


def test_range_value_misuse_is_refused():
    def g(n):
        r = range(n)
        return r

    with pytest.raises(kcache.TypingError) as e:
        njit(g)(3)
    assert "range" in str(e.value)


def test_tuples_as_kernel_arguments():
    """Tuples passed in from Python (lazily typed, and by an eager signature), with arrays and
    nested tuples inside; the C struct is built per call."""
    def f(shape, scale, arrays):
        n, m = shape
        a, (b, k) = arrays
        out = np.zeros((n, m))
        for i in range(n):
            for j in range(m):
                out[i, j] = scale * (a[i] + b[j]) + k
        return out, shape

    run_both(f, (3, 4), 0.5, (np.arange(3.0), (np.arange(4.0) * 2, 7)))
    g = njit(f)
    # Another tuple type compiles another specialisation.
    run_both(f, (2, 2), 1.5, (np.arange(2.0), (np.ones(2), 1.25)))
    assert len(g.overloads) <= 2

    def total(t):
        return t[0] + t[1] * t[2]
    eager = njit("float64(UniTuple(float64, 3))")(total)
    assert eager((1.0, 2.0, 3.0)) == 7.0
    typed = njit(kcache.types.float64(kcache.types.UniTuple(kcache.types.float64, 3)))(total)
    assert typed((1.0, 2.0, 4.0)) == 9.0


def test_signature_strings_with_tuple_types():
    from kcache._types import parse_signature, Tuple, Scalar, Array
    f64, i64 = Scalar("float64"), Scalar("int64")
    assert parse_signature("UniTuple(float64, 2)(float64[:], Tuple(int64, float64))") == (
        Tuple([f64, f64]), [Array("float64", 1, "A"), Tuple([i64, f64])])

    def minmax(x):
        return x.min(), x.max()
    g = njit("UniTuple(float64, 2)(float64[::1])")(minmax)
    assert g(np.array([3.0, -1.0, 2.0])) == (-1.0, 3.0)


def unrolled_totals(a, b, c):
    out = 0.0
    for arr in kcache.literal_unroll((a, b, c)):
        out += arr.sum() * arr.ndim
    return out


def unrolled_numbers(t):
    s = 0.0
    for v in literal_unroll(t):
        s += v
    else:
        s += 100
    return s


def unrolled_break(t):
    for v in literal_unroll(t):
        if v > 1:
            break
    return 0


def test_literal_unroll_runs_the_body_once_per_item_type():
    a, b, c = np.arange(4.0), np.arange(6, dtype=np.int32).reshape(2, 3), np.ones(3, dtype=np.float32)
    assert njit(unrolled_totals)(a, b, c) == unrolled_totals(a, b, c)
    assert njit(unrolled_numbers)((1, 2.5, 3)) == unrolled_numbers((1, 2.5, 3))
    assert njit(unrolled_numbers)((1, 2, 3)) == unrolled_numbers((1, 2, 3))
    with pytest.raises(kcache.TypingError, match="break or continue in a literal_unroll loop"):
        njit(unrolled_break)((1, 2.0))
