"""NumPy inside kernels (issue 14), against NumPy itself as the oracle: arrays made in kernels
and returned, element-wise expressions with broadcasting, views and slice assignment, boolean
masks, reductions and np.dot; every dtype a function takes, empty arrays and 0-length axes,
non-contiguous inputs. A kernel is run through kcache and through CPython on copies of the same
inputs; results and the inputs afterwards must agree."""
import gc
import linecache
import resource

import numpy as np
import pytest

import kcache
from kcache import njit

FLOATS = [np.float64, np.float32]
INTS = [np.int64, np.int32, np.int16, np.int8, np.uint64, np.uint32, np.uint8]
DTYPES = FLOATS + INTS


def run_both(f, *args, rtol=0.0):
    """Runs `f` with kcache and with CPython on copies of `args`; compares everything."""
    copy = lambda a: a.copy() if isinstance(a, np.ndarray) else a  # noqa: E731
    kc_args = [copy(a) for a in args]
    py_args = [copy(a) for a in args]
    got = njit(f)(*kc_args)
    want = f(*py_args)
    same(got, want, rtol)
    for g, w in zip(kc_args, py_args):
        same(g, w, rtol)
    return got


def same(got, want, rtol=0.0):
    if isinstance(want, tuple):
        assert isinstance(got, tuple) and len(got) == len(want)
        for g, w in zip(got, want):
            same(g, w, rtol)
        return
    if isinstance(want, np.ndarray):
        assert isinstance(got, np.ndarray), (got, want)
        assert got.shape == want.shape, (got.shape, want.shape)
        assert got.dtype == want.dtype, (got.dtype, want.dtype)
        if rtol:
            np.testing.assert_allclose(got, want, rtol=rtol, equal_nan=True)
        else:
            np.testing.assert_array_equal(got, want)
        return
    if isinstance(want, (float, np.floating)) and np.isnan(want):
        assert np.isnan(got)
    elif rtol:
        assert got == pytest.approx(want, rel=rtol)
    else:
        assert got == want, (got, want)


_KERNELS = 0


def kernel(expr, params="x"):
    """`def k(<params>): return <expr>`, compiled from text registered with linecache (as a
    notebook cell is), so that kcache finds its source."""
    global _KERNELS
    _KERNELS += 1
    filename = "<kernel-%d>" % _KERNELS
    text = "import numpy as np\n\ndef k(%s):\n    return %s\n" % (params, expr)
    linecache.cache[filename] = (len(text), None, text.splitlines(True), filename)
    namespace = {}
    exec(compile(text, filename, "exec"), namespace)
    return namespace["k"]


def sample(dtype, shape=(12,), seed=3):
    rng = np.random.default_rng(seed)
    if np.issubdtype(dtype, np.floating):
        return (rng.standard_normal(shape) * 10).astype(dtype)
    info = np.iinfo(dtype)
    lo = max(info.min, -50)
    return rng.integers(lo, min(info.max, 50), shape, endpoint=True).astype(dtype)


# --- creation -------------------------------------------------------------------------------


def zeros_loop(n):
    a = np.zeros(n)
    for i in range(n):
        a[i] = i * 0.5
    return a


def zeros_2d_f32(n):
    return np.zeros((n, 3), dtype=np.float32)


def ones_int(n):
    return np.ones(n, dtype=np.int32)


def full_of(n):
    return np.full((2, n), 7)


def like(a):
    return np.zeros_like(a) + np.ones_like(a) * 2 + np.full_like(a, 3)


def empty_filled(a):
    out = np.empty_like(a)
    for i in range(a.shape[0]):
        out[i] = a[i] * 2
    return out


def arange_int(n):
    return np.arange(n)


def arange_float(n):
    return np.arange(0.5, n, 0.25)


def arange_neg(n):
    return np.arange(n, -n, -3)


def linspace_default(n):
    return np.linspace(-1.0, 2.0, n)


def linspace_noend(n):
    return np.linspace(0.0, 1.0, n, endpoint=False)


@pytest.mark.parametrize("f", [zeros_loop, zeros_2d_f32, ones_int, full_of, arange_int, arange_float,
                               arange_neg, linspace_default, linspace_noend])
@pytest.mark.parametrize("n", [0, 1, 7, 50])
def test_creation(f, n):
    run_both(f, n)


@pytest.mark.parametrize("dtype", DTYPES)
def test_like_and_copies(dtype):
    a = sample(dtype)
    run_both(like, a)
    run_both(empty_filled, a)
    run_both(lambda x: x.copy(), a)
    run_both(lambda x: x.astype(np.float64), a)
    run_both(lambda x: x[::-2].copy(), a)


# Float to integer casts out of the target's range: NumPy's cast loops are C casts, which on
# x86-64 wrap (truncation through cvttsd2si, whose out-of-range and NaN result is INT_MIN, then
# the low bits), not saturate. In-range values truncate toward zero.
OUT_OF_RANGE = [-2.7, 300.5, 200.0, -129.9, 65537.25, -1.0, 0.0, -0.0, 2.9, -2.9, 1e10, -3e9, np.inf,
                -np.inf, np.nan, 2.0**63, 1e20, -1e20, 2.0**64 + 4096, 5e9, -2147483648.9, 2147483647.9,
                -9.3e18, 1.8e19]


@pytest.mark.parametrize("dtype", [np.int8, np.uint8, np.int16, np.uint16, np.int32, np.uint32, np.int64,
                                   np.uint64])
@pytest.mark.parametrize("src", FLOATS)
def test_float_to_int_casts_wrap_as_numpy_does(dtype, src):
    values = OUT_OF_RANGE
    if dtype == np.uint32:
        # NumPy's vectorised uint32 loop gives other values than its scalar one beyond
        # int32's negative range and uint32's positive one; kcache gives the scalar loop's.
        values = [v for v in values if -2.0**31 < v < 2.0**32]
    run_both(lambda x: x.astype(dtype), np.array(values).astype(src))


def test_float_to_small_int_scalar_casts_wrap_as_numba_does():
    # NumPy raises on np.uint8(-2.7) (a Python int out of range); Numba converts as C does.
    f = njit(lambda x: (np.uint8(x), np.int8(x), np.uint16(x), np.int16(x)))
    assert f(-2.7) == (254, -2, 65534, -2)
    assert f(300.5) == (44, 44, 300, 300)


# --- element-wise expressions ---------------------------------------------------------------


def axpb(a, b, c):
    return a * b + c


def mixed(a, b):
    return (a - b) / (np.abs(b) + 1) ** 2


def compare(a, b):
    return (a > b) & (a != 0)


@pytest.mark.parametrize("dtype", DTYPES)
def test_arithmetic_every_dtype(dtype):
    a, b, c = sample(dtype, seed=1), sample(dtype, seed=2), sample(dtype, seed=3)
    run_both(axpb, a, b, c)
    run_both(compare, a, b)
    if not np.issubdtype(dtype, np.unsignedinteger):
        run_both(lambda x: -x, a)
    if np.issubdtype(dtype, np.floating):
        run_both(mixed, a, b, rtol=1e-6 if dtype == np.float32 else 0)


def test_array_with_scalar_keeps_numbas_dtype():
    f32 = sample(np.float32)
    got = run_both(lambda a: a * 2.0 + 1, f32)
    assert got.dtype == np.float32
    i32 = sample(np.int32)
    assert run_both(lambda a: a * 3 - 1, i32).dtype == np.int32
    assert run_both(lambda a: a / 2, i32).dtype == np.float64


def bcast(a, row, col):
    return a + row * col


def test_broadcasting():
    a = sample(np.float64, (4, 5))
    row = sample(np.float64, (5,))
    col = sample(np.float64, (4, 1))
    run_both(bcast, a, row, col)
    with pytest.raises(ValueError):
        njit(bcast)(a, sample(np.float64, (3,)), col)


@pytest.mark.parametrize("name", ["sqrt", "exp", "log1p", "sin", "tanh", "floor", "abs", "fabs", "isnan"])
@pytest.mark.parametrize("dtype", [np.float64, np.float32, np.int64])
def test_ufuncs_over_arrays(name, dtype):
    a = np.abs(sample(dtype)) + 1
    f = kernel("np.%s(x)" % name)
    got = run_both(f, a, rtol=1e-6 if dtype == np.float32 else 1e-15)
    assert got.dtype == getattr(np, name)(a).dtype


def test_where_and_minimum():
    a, b = sample(np.float64), sample(np.float64, seed=9)
    run_both(lambda x, y: np.where(x > y, x, y * 2), a, b)
    run_both(lambda x, y: np.maximum(x, y) - np.minimum(x, 0.5), a, b)
    i, j = sample(np.int32), sample(np.int32, seed=8)
    assert run_both(lambda x, y: np.maximum(x, y), i, j).dtype == np.int32


def test_non_contiguous_inputs():
    big = sample(np.float64, (6, 8))
    run_both(lambda x: x[:, 1] * 2 + x[:, 3], big)
    run_both(lambda x: x[::2, ::3] + 1, big)
    run_both(lambda x: x.T.sum(axis=0), big)
    # NumPy lays `x.T * 2` out in Fortran order (kcache's results are C-ordered), and sums a
    # column of it pairwise where kcache accumulates it in order: the last bit may differ.
    run_both(lambda x: (x.T * 2).sum(axis=0), big, rtol=1e-15)


def test_empty_arrays_and_zero_length_axes():
    run_both(axpb, np.zeros(0), np.zeros(0), np.zeros(0))
    run_both(lambda x: x * 2, np.zeros((0, 3)))
    run_both(lambda x: x.sum(), np.zeros((3, 0)))
    run_both(lambda x: x[5:2], np.arange(10.0))


# --- views and stores -----------------------------------------------------------------------


def views(a):
    return a[1] + a[:, 2].sum() + a[1:, ::2].sum() + a[-1, -1]


def jacobi(u):
    new = u.copy()
    new[1:-1, 1:-1] = 0.25 * (u[:-2, 1:-1] + u[2:, 1:-1] + u[1:-1, :-2] + u[1:-1, 2:])
    return new


def shifted(a):
    a[1:] = a[:-1]
    return a


def masked(a):
    a[a < 0] = 0.0
    b = a[a > 1.0]
    return b


def in_place(a, b):
    a += b
    a[::2] *= 2
    return a


def row_loop(a):
    s = 0.0
    for row in a:
        s += row.max()
    return s


def transposes(a):
    return a.T[1] + a.transpose()[2] + a.reshape(-1)[:3].sum() + a.ravel()[4]


@pytest.mark.parametrize("f", [views, jacobi, masked, row_loop, transposes])
def test_views(f):
    run_both(f, sample(np.float64, (5, 6)))


def test_overlapping_slice_assignment_reads_old_values():
    run_both(shifted, np.arange(10.0))
    run_both(in_place, np.arange(10.0), np.ones(10))


def test_out_of_bounds_view_raises():
    with pytest.raises(IndexError):
        njit(lambda a: a[7])(np.zeros((3, 2)))


def test_reshape_of_strided_array_is_refused():
    with pytest.raises(NotImplementedError):
        njit(lambda a: a.reshape(-1))(np.zeros((4, 4))[:, ::2])


# --- reductions and dot ---------------------------------------------------------------------


REDUCTIONS = ["sum", "prod", "min", "max", "argmin", "argmax", "mean", "var", "std", "any", "all"]


@pytest.mark.parametrize("name", REDUCTIONS)
@pytest.mark.parametrize("dtype", [np.float64, np.float32, np.int64, np.int32, np.uint8])
def test_reductions(name, dtype):
    a = sample(dtype, (37,))
    if name == "prod":
        a = (a % 3 + 1).astype(dtype)
    rtol = 1e-5 if dtype == np.float32 and name in ("var", "std", "mean") else 0
    run_both(kernel("x.%s()" % name), a, rtol=rtol)
    run_both(kernel("np.%s(x)" % name), a, rtol=rtol)


def test_float_sums_are_numpys_pairwise_sums():
    for n in [1, 7, 8, 9, 127, 128, 129, 1000, 100_000]:
        a = sample(np.float64, (n,), seed=n)
        run_both(lambda x: x.sum(), a)
        run_both(lambda x: x.mean(), a)
    m = sample(np.float64, (37, 53))
    run_both(lambda x: x.sum(), m)
    run_both(lambda x: x.sum(axis=1), m)
    run_both(lambda x: x.sum(axis=0), m)
    run_both(lambda x: x.T.sum(), m)


@pytest.mark.parametrize("name", ["sum", "min", "max", "prod", "mean", "any", "all"])
def test_reductions_along_an_axis(name):
    a = sample(np.float64, (4, 6))
    for axis in (0, 1, -1):
        run_both(kernel("np.%s(x, axis=%d)" % (name, axis)), a, rtol=1e-15)


@pytest.mark.parametrize("dtype", DTYPES + [np.bool_])
@pytest.mark.parametrize("name", ["cumsum", "cumprod"])
def test_running_totals(name, dtype):
    """cumsum/cumprod: NumPy's accumulator dtypes, sequential order (bitwise equal floats),
    whole array (flattened) and along each axis, non-contiguous input, empty input."""
    a = sample(dtype, (5, 7)) if dtype != np.bool_ else sample(np.int8, (5, 7)) > 0
    if name == "cumprod" and dtype != np.bool_:
        a = (a % 3 + 1).astype(dtype)
    run_both(kernel("x.%s()" % name), a)
    run_both(kernel("np.%s(x)" % name), a[::2, 1::3])
    for axis in (0, 1, -1):
        run_both(kernel("np.%s(x, axis=%d)" % (name, axis)), a)
    run_both(kernel("x.%s()" % name), a[:0])


def test_reductions_of_empty_arrays():
    with pytest.raises(ValueError):
        njit(lambda a: a.max())(np.zeros(0))
    with pytest.raises(ValueError):
        njit(lambda a: a.argmin())(np.zeros(0))
    assert njit(lambda a: a.sum())(np.zeros(0)) == 0.0


def test_nan_handling_matches_numpy():
    a = np.array([1.0, np.nan, 3.0, np.nan])
    run_both(lambda x: x.max(), a)
    run_both(lambda x: x.argmax(), a)
    run_both(lambda x: x.argmin(), a)


def test_float_min_max_over_vector_blocks_and_tails():
    """Contiguous float min/max run in 64-byte vector blocks plus a scalar tail: every size
    around the block edges, a NaN in the blocks or in the tail, infinities, float32, strided
    and 2-D views (the element-by-element path)."""
    for dtype in (np.float64, np.float32):
        for n in [1, 2, 7, 31, 32, 33, 63, 64, 65, 127, 129, 1000, 4099]:
            a = sample(dtype, (n,), seed=n)
            run_both(lambda x: x.max(), a)
            run_both(lambda x: x.min(), a)
            run_both(lambda x: (np.max(x), np.min(x)), -a)
            for where in {0, n // 2, n - 1}:
                b = a.copy()
                b[where] = np.nan
                run_both(lambda x: (x.max(), x.min()), b)
        a = sample(dtype, (100,), seed=3)
        a[17], a[70] = np.inf, -np.inf
        run_both(lambda x: (x.max(), x.min()), a)
        run_both(lambda x: (x.max(), x.min()), a[::3])
        m = sample(dtype, (9, 40), seed=4)
        run_both(lambda x: (x.max(), x.min()), m)
        run_both(lambda x: (x.max(), x.min()), m.T)
        run_both(lambda x: (x.max(), x.min()), m[:, 1:])


def test_dot():
    a, b = sample(np.float64, (3, 4)), sample(np.float64, (4, 5))
    v, w = sample(np.float64, (4,)), sample(np.float64, (4,), seed=5)
    run_both(lambda x, y: np.dot(x, y), a, b, rtol=1e-12)
    run_both(lambda x, y: x @ y, a, v, rtol=1e-12)
    run_both(lambda x, y: np.dot(x, y), v, w, rtol=1e-12)
    with pytest.raises(ValueError):
        njit(lambda x, y: np.dot(x, y))(a, a)


def lagged_differences(a, w, k):
    """Index arithmetic with run-time operands: `a[i - w]` reaches back past the start (negative
    indices count from the end, as Python's do) until `i >= w`, `a[i + k]` with a negative `k`."""
    out = np.zeros(a.shape[0])
    s = 0.0
    for i in range(a.shape[0]):
        s += a[i] - a[i - w]
        if i >= w:
            s -= a[i - w] * 0.5
        out[i] = s + a[i + k]
    return out


@pytest.mark.parametrize("w, k", [(3, -2), (0, 0), (7, -7), (1, -10)])
def test_index_arithmetic_with_runtime_operands_keeps_negative_indices(w, k):
    a = np.arange(10.0) ** 2
    np.testing.assert_array_equal(njit(lagged_differences)(a, w, k), lagged_differences(a, w, k))


# --- memory ---------------------------------------------------------------------------------


def allocate_and_discard(n):
    a = np.empty(n)
    for i in range(n):
        a[i] = i
    b = a[1:] * 2.0
    c = b.reshape(-1)
    return c.sum() + np.zeros(3).sum()


def test_no_leak_over_100000_calls():
    f = njit(allocate_and_discard)
    kept = njit(lambda n: np.arange(n) * 2)
    f(10)
    kept(3)
    gc.collect()
    buffers0, _ = kcache.memory_stats()
    rss0 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    for _ in range(100_000):
        f(10)
    for _ in range(20_000):
        r = kept(64)
    del r
    gc.collect()
    buffers, nbytes = kcache.memory_stats()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    assert buffers == buffers0, (buffers0, buffers, nbytes)
    # Peak RSS grows by less than what 100,000 leaked buffers would take (>= 8 MB).
    assert rss - rss0 < 8 * 1024, (rss0, rss)


@njit
def _borrow_sum(a):
    return a.sum()


@njit
def _borrow_identity(a):
    return a


@njit
def _borrow_rebind(a):
    a = a[1:] * 2.0
    return a.sum()


@njit
def _borrow_into_list(a):
    items = [a, a[::2]]
    return items


@njit
def _borrow_tuple(pair):
    x, y = pair
    return x.sum() + y.sum()


@njit
def _borrow_raises(a, limit):
    if a.sum() > limit:
        raise ValueError("too large")
    return a.size


@njit
def _borrow_depth(a, k):
    if k == 0:
        return a.sum()
    return _borrow_depth(a[1:], k - 1) + a[0]


def borrowed_parameters(n):
    """Arrays this kernel allocates, lent to kernels that read, return, rebind, store, unpack,
    raise past and recurse on their parameters: a parameter a kernel never rebinds borrows the
    caller's reference instead of counting one of its own."""
    a = np.arange(n) * 1.0
    total = _borrow_sum(a) + _borrow_sum(np.ones(n))
    same = _borrow_identity(a * 2.0)
    total += same.sum() + _borrow_rebind(a)
    kept = _borrow_into_list(np.arange(n) * 3.0)
    total += kept[0].sum() + kept[1].sum()
    total += _borrow_tuple((a, np.ones(3)))
    try:
        _borrow_raises(np.ones(n), 0.5)
    except Exception:
        total += 1000.0
    total += _borrow_raises(a[:2], 1e9)
    total += _borrow_depth(np.arange(n) * 1.0, 3)
    return total


def test_borrowed_parameters_keep_counts_and_values():
    f = njit(borrowed_parameters)
    a = np.arange(10) * 1.0
    reference = (
        a.sum() + 10.0 + (a * 2.0).sum() + (a[1:] * 2.0).sum()
        + (np.arange(10) * 3.0).sum() + (np.arange(10) * 3.0)[::2].sum()
        + a.sum() + 3.0 + 1000.0 + 2 + (np.arange(10) * 1.0)[3:].sum() + 0.0 + 1.0 + 2.0
    )
    assert f(10) == reference
    gc.collect()
    live0 = kcache.memory_stats()[0]
    for _ in range(2000):
        assert f(10) == reference
    gc.collect()
    assert kcache.memory_stats()[0] == live0
    # A returned parameter outlives the call that lent it.
    g = njit(lambda n: _borrow_identity(np.arange(n) * 1.0))
    r = g(5)
    gc.collect()
    np.testing.assert_array_equal(r, np.arange(5) * 1.0)


def test_large_buffers_reused_after_release_are_never_shared_or_dirty():
    """Freed blocks of 1 MB and more are kept for the next allocation of the same size: a
    reused block must not leak its old contents into np.zeros, and a block still referenced
    (an array the caller holds, a view of it) must never be handed out again."""
    n = 300_000  # 2.4 MB of float64
    full = njit(lambda n, v: np.full(n, v))
    zeros = njit(lambda n: np.zeros(n))
    ones_view = njit(lambda n: np.ones(n)[1:])
    gc.collect()
    live0 = kcache.memory_stats()[0]
    for _ in range(3):
        a = full(n, 7.0)
        assert (a == 7.0).all()
        del a
        z = zeros(n)
        assert not z.any()
        del z
    held = [full(n, float(i)) for i in range(5)]
    views = [ones_view(n) for _ in range(3)]
    more = [full(n, 9.0) for _ in range(5)]
    for i, h in enumerate(held):
        assert (h == float(i)).all()
    for v in views:
        assert v.shape == (n - 1,) and (v == 1.0).all()
    assert all((m == 9.0).all() for m in more)
    del held, views, more, h, v
    gc.collect()
    assert kcache.memory_stats()[0] == live0


def test_returned_arrays_outlive_the_kernel_and_views_keep_the_base():
    f = njit(lambda n: np.arange(n) * 1.5)
    a = f(1000)
    view = a[10:20]
    del a
    gc.collect()
    np.testing.assert_array_equal(view, np.arange(10, 20) * 1.5)
    buffers, _ = kcache.memory_stats()
    del view
    gc.collect()
    assert kcache.memory_stats()[0] == buffers - 1


def flat_squares(x):
    out = np.empty_like(x)
    for i in range(x.size):
        out.flat[i] = x.flat[i] * x.flat[i]
    return out


def flat_ends(x):
    x.flat[3] += 1.5
    return x.flat[-1] + x.flat[0]


@pytest.mark.parametrize("shape", [(5,), (3, 4), (2, 3, 2), (0, 3)])
def test_flat_indexing_reads_and_writes_in_c_order(shape):
    x = np.arange(float(np.prod(shape))).reshape(shape) + 1.0
    run_both(flat_squares, x)
    if x.size > 3:
        run_both(flat_ends, x)
    run_both(flat_squares, np.arange(10.0)[::3])       # a strided 1-D array


def test_flat_of_a_non_contiguous_array_is_refused_at_run_time():
    m = np.arange(12.0).reshape(3, 4)
    with pytest.raises(NotImplementedError, match="non-contiguous"):
        njit(flat_squares)(m.T)


def scatter_scalar(a, idx):
    a[idx] = -1.0
    return a


def scatter_values(a, idx, v):
    a[idx] = v
    return a


def scatter_add(a, idx):
    a[idx] += 10.0
    return a


def inverse_permutation(x, perm):
    out = np.empty_like(x)
    out[perm] = x
    return out


IDX = np.array([0, 3, -1, 3])


@pytest.mark.parametrize("fn,args", [
    (scatter_scalar, (np.arange(6.0), IDX)),
    (scatter_values, (np.arange(6.0), IDX, np.array([5.0, 6.0, 7.0, 8.0]))),
    (scatter_values, (np.arange(6), IDX.astype(np.int32), np.array([9]))),
    (scatter_add, (np.arange(6.0), IDX)),
    (inverse_permutation, (np.arange(6.0) * 2, np.array([5, 4, 0, 2, 1, 3]))),
    (scatter_scalar, (np.arange(6.0), np.zeros(0, dtype=np.int64))),
], ids=lambda c: getattr(c, "__name__", ""))
def test_stores_through_an_integer_index_array(fn, args):
    run_both(fn, *args)


def test_stores_through_an_index_array_check_bounds_and_shapes():
    with pytest.raises(IndexError, match="out of bounds"):
        njit(scatter_scalar)(np.arange(6.0), np.array([7]))
    with pytest.raises(ValueError, match="shape mismatch"):
        njit(scatter_values)(np.arange(6.0), IDX, np.ones(3))


def bits_of(a):
    # Bit tricks real code does: a float's bits as an integer, bytes of an array.
    u = a.view(np.uint64)
    return u[0] >> np.uint64(52), a.view(np.int64)[-1], a.view(np.uint8).shape, a.view(np.float32)


def write_through_view(a):
    b = a.view(np.int32)
    b[0] = 7
    return a


def test_view_reinterprets_the_bytes():
    a = np.array([1.5, -2.0, 3.25])
    run_both(bits_of, a)
    run_both(write_through_view, np.zeros(3, dtype=np.uint32))
    run_both(lambda m: m.view(np.int16).sum(axis=1), np.arange(12, dtype=np.int32).reshape(3, 4))
    with pytest.raises(ValueError):
        njit(lambda x: x.view(np.float64))(np.zeros(3, dtype=np.int32))   # 12 bytes: not a whole float64
    with pytest.raises(ValueError):
        njit(lambda x: x.view(np.int32))(np.zeros((3, 4))[:, ::2])        # strided last axis
