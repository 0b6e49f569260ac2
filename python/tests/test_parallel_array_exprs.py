"""Whole-array expressions in parallel=True kernels: the fused element loop is split over the
thread pool (above a size threshold); every element is computed as the serial loop computes it,
so results equal the serial kernel's (and NumPy's, for these operations) to the last bit."""
import numpy as np
import pytest

import kcache
from conftest import in_threads
from kcache import njit

THREADS = [1, 2, 3]
SIZES = [0, 1, 7, 4096, 8192, 8193, 100_000]


@pytest.fixture(autouse=True)
def restore_threads():
    before = kcache.get_num_threads()
    yield
    kcache.set_num_threads(before)


def axpb(a, b, c):
    return a * b + c


def sqrt_plus(a):
    return np.sqrt(a) + 1.0


def mixed(a, b, x):
    return np.where(a > b, a - b * x, np.exp(-a) / (b + 1.0))


def store_into(out, a, b):
    out[:] = a * 2.0 + b


def inplace(out, a):
    out += a * 3.0


def int_ops(a, b):
    return (a * 3 + b) // 7 - (a % 5)


par = {f.__name__: njit(parallel=True)(f) for f in (axpb, sqrt_plus, mixed, store_into, inplace, int_ops)}
ser = {f.__name__: njit(f) for f in (axpb, sqrt_plus, mixed, store_into, inplace, int_ops)}


def same(x, y):
    assert x.shape == y.shape and x.dtype == y.dtype
    assert x.tobytes() == y.tobytes()


@pytest.mark.parametrize("threads", THREADS)
@pytest.mark.parametrize("n", SIZES)
def test_elementwise_1d_matches_serial_and_numpy(threads, n):
    kcache.set_num_threads(threads)
    rng = np.random.default_rng(n)
    a, b, c = rng.random(n), rng.random(n), rng.random(n)
    for name, args in (("axpb", (a, b, c)), ("sqrt_plus", (a,)), ("mixed", (a, b, 0.5))):
        got = par[name](*args)
        same(got, ser[name](*args))
        np.testing.assert_allclose(got, globals()[name](*args), rtol=1e-15, atol=0)
    same(par["axpb"](a, b, c), a * b + c)
    same(par["sqrt_plus"](a), np.sqrt(a) + 1.0)
    ia, ib = rng.integers(-1000, 1000, n), rng.integers(-1000, 1000, n)
    same(par["int_ops"](ia, ib), int_ops(ia, ib))


@pytest.mark.parametrize("threads", THREADS)
@pytest.mark.parametrize("shape", [(0, 5), (1, 1), (3, 4), (300, 300), (2, 70_000)])
def test_2d_contiguous_and_not(threads, shape):
    kcache.set_num_threads(threads)
    rng = np.random.default_rng(sum(shape))
    a, b, c = rng.random(shape), rng.random(shape), rng.random(shape)
    same(par["axpb"](a, b, c), a * b + c)
    # Transposed (F-ordered) and strided views take the loop nest, split by rows.
    at, bt, ct = a.T, b.T, c.T
    same(par["axpb"](at, bt, ct), at * bt + ct)
    big = rng.random((shape[0], 2 * shape[1]))
    view = big[:, ::2]
    same(par["axpb"](view, b, c), view * b + c)
    same(par["sqrt_plus"](view), np.sqrt(view) + 1.0)


@pytest.mark.parametrize("threads", THREADS)
@pytest.mark.parametrize("n", [1, 5, 100_000])
def test_non_contiguous_1d(threads, n):
    kcache.set_num_threads(threads)
    rng = np.random.default_rng(3)
    base = rng.random(3 * n)
    a = base[::3]
    b = base[1::3][::-1]
    same(par["axpb"](a, b, 2.0), a * b + 2.0)
    same(par["sqrt_plus"](a), np.sqrt(a) + 1.0)


@pytest.mark.parametrize("threads", THREADS)
def test_broadcasting(threads):
    kcache.set_num_threads(threads)
    rng = np.random.default_rng(5)
    m = rng.random((400, 300))
    row = rng.random(300)
    col = rng.random((400, 1))
    same(par["axpb"](m, row, col), m * row + col)
    same(par["axpb"](row, m, 1.5), row * m + 1.5)
    got = par["mixed"](m, row, 2.0)
    same(got, ser["mixed"](m, row, 2.0))
    # NumPy's own exp (its AVX-512 loop where the CPU has one) may differ from libm's in the
    # last bit, so against NumPy the comparison allows an ulp or two.
    np.testing.assert_allclose(got, np.where(m > row, m - row * 2.0, np.exp(-m) / (row + 1.0)), rtol=1e-15, atol=0)
    with pytest.raises(ValueError):
        par["axpb"](m, rng.random(299), 1.0)
    with pytest.raises(ValueError):
        par["axpb"](rng.random(100_000), rng.random(99_999), 1.0)


@pytest.mark.parametrize("threads", THREADS)
@pytest.mark.parametrize("n", [0, 1, 9, 100_000])
def test_stores_into_existing_arrays(threads, n):
    kcache.set_num_threads(threads)
    rng = np.random.default_rng(7)
    a, b = rng.random(n), rng.random(n)
    out = np.empty(n)
    par["store_into"](out, a, b)
    same(out, a * 2.0 + b)
    out2 = rng.random(n)
    expected = out2 + a * 3.0
    par["inplace"](out2, a)
    same(out2, expected)
    # Overlapping source and destination read the old values, as NumPy does.
    x = rng.random(n + 1)
    expected = x.copy()
    expected[1:] = x[:-1] * 2.0 + x[:-1]
    par["store_into"](x[1:], x[:-1], x[:-1])
    same(x, expected)


def test_an_error_inside_a_parallel_region_is_raised():
    @njit(parallel=True)
    def guarded(a, d):
        out = a * 2.0
        for i in range(len(d)):
            if d[i] == 0:
                raise ValueError("zero")
        return out + d

    kcache.set_num_threads(2)
    a = np.ones(100_000)
    d = np.ones(100_000)
    same(guarded(a, d), a * 2.0 + d)
    d[77_777] = 0
    with pytest.raises(ValueError):
        guarded(a, d)


def test_array_expression_inside_a_prange_body_stays_correct():
    from kcache import prange

    @njit(parallel=True)
    def rows(m):
        out = np.empty_like(m)
        for i in prange(m.shape[0]):
            out[i] = np.sqrt(m[i]) * 2.0 + 1.0
        return out

    kcache.set_num_threads(2)
    m = np.random.default_rng(8).random((50, 20_000))
    same(rows(m), np.sqrt(m) * 2.0 + 1.0)


def test_thread_counts_change_between_calls():
    a = np.random.default_rng(9).random(50_000)
    expected = par["axpb"](a, a, a)
    for t in (1, 2, 5, 1, 2):
        kcache.set_num_threads(t)
        same(par["axpb"](a, a, a), expected)


def total(a):
    return a.sum()


def mean_of(a):
    return np.mean(a)


def sum_of_expr(a, b):
    return np.sum(a * b + 1.0)


@pytest.mark.parametrize("threads", THREADS)
@pytest.mark.parametrize("n", [0, 1, 7, 128, 129, 8191, 8192, 8193, 100_000, 1_000_003])
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_float_sums_are_numpys_to_the_bit(threads, n, dtype):
    kcache.set_num_threads(threads)
    rng = np.random.default_rng(n)
    a = (rng.random(n) * 1e3 - 400.0).astype(dtype)
    b = rng.random(n).astype(dtype)
    for f in (total, mean_of, sum_of_expr):
        args = (a, b) if f is sum_of_expr else (a,)
        if f is mean_of and n == 0:
            continue
        got = njit(parallel=True)(f)(*args)
        expected = np.asarray(f(*args))
        # A float32 result may come back as a Python float: exact either way.
        assert np.asarray(got, dtype=expected.dtype).tobytes() == expected.tobytes(), f.__name__
    # Strided and 2-D data take NumPy's buffered path, which stays serial.
    m = a[: (n // 2) * 2].reshape(-1, 2) if n >= 2 else a.reshape(-1, 1)
    assert njit(parallel=True)(total)(m.T) == m.T.sum()
    assert njit(parallel=True)(total)(a[::3]) == a[::3].sum()


def test_host_threads_calling_parallel_expressions_at_once():
    kcache.set_num_threads(2)
    rng = np.random.default_rng(12)
    a, b, c = rng.random(200_000), rng.random(200_000), rng.random(200_000)
    expected = a * b + c
    expected_sum = a.sum()
    f, g = par["axpb"], njit(parallel=True)(total)

    def body():
        same(f(a, b, c), expected)
        assert g(a) == expected_sum

    in_threads(body, rounds=30)
