"""prange and parallel=True: reductions of every operator, thread counts, trip counts, and
several host threads calling one parallel kernel at once."""
import os
import time

import numpy as np
import pytest

import kcache
from conftest import in_threads
from kcache import njit, prange

THREADS = [1, 2, 7]
TRIPS = [0, 1, 3, 1000]


@pytest.fixture(autouse=True)
def restore_threads():
    before = kcache.get_num_threads()
    yield
    kcache.set_num_threads(before)


@njit(parallel=True)
def red_add(a):
    s = 0.0
    for i in prange(len(a)):
        s += a[i]
    return s


@njit(parallel=True)
def red_sub(a):
    s = 100
    for i in prange(len(a)):
        s -= a[i]
    return s


@njit(parallel=True)
def red_mul(a):
    p = 1.0
    for i in prange(len(a)):
        p *= a[i]
    return p


@njit(parallel=True)
def red_div(a):
    q = 1.0
    for i in prange(len(a)):
        q /= a[i]
    return q


@njit(parallel=True)
def red_min(a):
    m = 1e300
    for i in prange(len(a)):
        m = min(m, a[i])
    return m


@njit(parallel=True)
def red_max_int(a):
    m = -(2 ** 62)
    for i in prange(len(a)):
        m = max(m, a[i])
    return m


@njit(parallel=True)
def red_explicit(a):
    s = 0
    for i in prange(len(a)):
        s = s + a[i] * 2
    return s


@njit(parallel=True)
def fill(out):
    for i in prange(out.shape[0]):
        out[i] = i * i


@pytest.mark.parametrize("threads", THREADS)
@pytest.mark.parametrize("n", TRIPS)
def test_reductions_match_serial(threads, n):
    kcache.set_num_threads(threads)
    rng = np.random.default_rng(n + threads)
    f = rng.uniform(0.5, 1.5, n)
    ints = rng.integers(-1000, 1000, n)
    assert red_add(f) == pytest.approx(red_add.py_func(f), rel=1e-12)
    assert red_sub(ints) == red_sub.py_func(ints)
    assert red_mul(f) == pytest.approx(red_mul.py_func(f), rel=1e-12)
    assert red_div(f) == pytest.approx(red_div.py_func(f), rel=1e-12)
    assert red_min(f) == red_min.py_func(f)
    assert red_max_int(ints) == red_max_int.py_func(ints)
    assert red_explicit(ints) == red_explicit.py_func(ints)
    out = np.zeros(n, dtype=np.int64)
    fill(out)
    np.testing.assert_array_equal(out, np.arange(n) ** 2)


def thread_names():
    names = []
    for t in os.listdir("/proc/self/task"):
        try:
            names.append(open("/proc/self/task/%s/comm" % t).read().strip())
        except OSError:
            pass
    return names


def test_workers_really_run():
    kcache.set_num_threads(2)
    # The caller runs the chunks no worker has claimed yet, so a region can end before the
    # worker it started has been scheduled (and named itself): wait for it, not for the region.
    deadline = time.monotonic() + 10
    while True:
        assert red_add(np.ones(100_000)) == 100_000.0
        names = thread_names()
        if "kcache-worker" in names or time.monotonic() > deadline:
            break
        time.sleep(0.01)
    assert "kcache-worker" in names, names


def test_four_host_threads_at_once():
    kcache.set_num_threads(2)
    a = np.random.default_rng(9).random(200_000)
    expected = a.sum()

    def body():
        assert red_add(a) == pytest.approx(expected, rel=1e-12)

    in_threads(body)


def test_exceptions_in_a_prange_body():
    @njit(parallel=True)
    def div_all(a, d):
        s = 0
        for i in prange(len(a)):
            s += a[i] // d
        return s

    with pytest.raises(ZeroDivisionError):
        div_all(np.arange(100), 0)
    assert div_all(np.arange(100), 7) == sum(x // 7 for x in range(100))


def test_parallel_false_runs_prange_as_range():
    @njit
    def serial(a):
        s = 0.0
        for i in prange(len(a)):
            s += a[i]
        return s

    a = np.random.default_rng(4).random(1000)
    expected = 0.0
    for v in a.tolist():
        expected += v
    assert serial(a) == expected


def test_nested_prange_and_early_exit_are_correct():
    @njit(parallel=True)
    def nested(m):
        s = 0.0
        for i in prange(m.shape[0]):
            for j in prange(m.shape[1]):
                s += m[i, j]
        return s

    @njit(parallel=True)
    def first_negative(a):
        for i in prange(len(a)):
            if a[i] < 0:
                return i
        return -1

    m = np.random.default_rng(5).random((30, 40))
    assert nested(m) == pytest.approx(m.sum(), rel=1e-12)
    a = np.ones(100)
    a[37] = -1
    assert first_negative(a) == 37


def test_thread_count_api():
    kcache.set_num_threads(3)
    assert kcache.get_num_threads() == 3
    with pytest.raises(ValueError):
        kcache.set_num_threads(0)


def test_many_short_regions_back_to_back():
    # Workers that wake late must never run a newer region's chunks with an older body.
    kcache.set_num_threads(2)
    small = np.arange(64, dtype=np.float64)
    other = np.arange(96, dtype=np.int64)
    for _ in range(3000):
        assert red_add(small) == 2016.0
        assert red_sub(other) == 100 - 4560


# A body with a loop in it may cost anything per iteration, so it is split from two iterations
# up (a light body, like those above, runs on the calling thread below MIN_LIGHT_CHUNK
# iterations per chunk): these kernels take the pool at every size.
@njit(parallel=True)
def heavy_add(a):
    s = 0.0
    for i in prange(len(a)):
        for _ in range(1):
            s += a[i]
    return s


@njit(parallel=True)
def heavy_min_fill(a, out):
    m = 1e300
    for i in prange(len(a)):
        for _ in range(1):
            out[i] = a[i] * 2.0
            m = min(m, a[i])
    return m


@njit(parallel=True)
def heavy_div(a, d):
    s = 0
    for i in prange(len(a)):
        for _ in range(1):
            s += a[i] // d[i]
    return s


@njit(parallel=True)
def light_div(a, d):
    s = 0
    for i in prange(len(a)):
        s += a[i] // d[i]
    return s


@njit("float64(float64[:])", parallel=True)
def inner_parallel_sum(a):
    s = 0.0
    for i in prange(len(a)):
        s += a[i]
    return s


@njit(parallel=True)
def calls_a_parallel_kernel(m):
    out = np.zeros(m.shape[0])
    for i in prange(m.shape[0]):
        out[i] = inner_parallel_sum(m[i])
    return out


@njit(parallel=True)
def empty_region(n):
    for i in prange(n):
        pass
    return i


@pytest.mark.parametrize("threads", THREADS)
@pytest.mark.parametrize("n", [0, 1, 2, 3, 5, 1000])
def test_pool_regions_of_every_size(threads, n):
    kcache.set_num_threads(threads)
    a = np.arange(n, dtype=np.float64) + 0.5
    assert heavy_add(a) == pytest.approx(a.sum(), rel=1e-12)
    out = np.zeros(n)
    assert heavy_min_fill(a, out) == (a.min() if n else 1e300)
    np.testing.assert_array_equal(out, a * 2.0)


@pytest.mark.parametrize("threads", [1, 2, 3])
@pytest.mark.parametrize("n", [4095, 4096, 8191, 8192, 8193, 12289, 100_000])
def test_light_bodies_around_the_split_threshold(threads, n):
    kcache.set_num_threads(threads)
    a = np.arange(n, dtype=np.float64)
    assert red_add(a) == pytest.approx(a.sum(), rel=1e-12)
    assert red_min(a + 3.0) == 3.0
    out = np.zeros(n, dtype=np.int64)
    fill(out)
    np.testing.assert_array_equal(out, np.arange(n) ** 2)


def test_many_short_pool_regions_back_to_back():
    kcache.set_num_threads(2)
    small = np.arange(3, dtype=np.float64)
    other = np.arange(64, dtype=np.float64)
    for _ in range(3000):
        assert heavy_add(small) == 3.0
        assert heavy_add(other) == 2016.0


@pytest.mark.parametrize("threads", [1, 2])
@pytest.mark.parametrize("n", [2, 5, 20_000])
@pytest.mark.parametrize("kernel", [heavy_div, light_div], ids=["pool", "inline"])
def test_an_exception_in_any_chunk_is_raised(kernel, n, threads):
    kcache.set_num_threads(threads)
    a = np.arange(n, dtype=np.int64)
    for zero_at in sorted({0, n // 2, n - 1}):
        d = np.ones(n, dtype=np.int64)
        d[zero_at] = 0
        with pytest.raises(ZeroDivisionError):
            kernel(a, d)
    # The pool is usable after a failed region.
    assert kernel(a, np.ones(n, dtype=np.int64)) == a.sum()


def test_parallel_kernel_called_from_a_prange_body():
    kcache.set_num_threads(2)
    m = np.random.default_rng(11).random((7, 20_000))
    got = calls_a_parallel_kernel(m)
    np.testing.assert_allclose(got, m.sum(axis=1), rtol=1e-12)


def test_an_empty_region_leaves_the_loop_variable_as_range_does():
    assert empty_region(5) == 4
    assert empty_region(100_000) == 99_999


def threads_seen(n):
    return kcache.get_num_threads() * 100 + n


def test_get_num_threads_inside_a_kernel_is_the_callers_setting():
    f = njit(threads_seen)
    before = kcache.get_num_threads()
    try:
        for t in (1, 2):
            kcache.set_num_threads(t)
            assert f(3) == t * 100 + 3
    finally:
        kcache.set_num_threads(before)


def any_above(a, t):
    found = False
    for i in prange(a.shape[0]):
        if a[i] > t:
            found = True
    return found


def min_by_comparison(a):
    m = a[0]
    for i in prange(a.shape[0]):
        if a[i] < m:
            m = a[i]
    return m


def row_norms(a):
    out = np.empty(a.shape[0])
    for i in prange(a.shape[0]):
        acc = 0.0
        for j in range(a.shape[1]):
            acc += a[i, j] * a[i, j]
        out[i] = acc
    return out


def test_variables_shared_with_the_code_around_a_prange_keep_pythons_result():
    """Not reductions, read after the loop: Numba leaves them undefined, kcache runs the loop
    serially (was: the iterations' assignments were lost, `found` stayed False)."""
    rng = np.random.default_rng(12)
    a = rng.random(20001)
    for f, args in [(any_above, (a, 0.9999)), (any_above, (a, 2.0)), (min_by_comparison, (a,)),
                    (min_by_comparison, (rng.integers(-50, 50, 999),))]:
        assert njit(parallel=True)(f)(*args) == f(*args)
    parallel = njit(parallel=True)(row_norms)
    m = rng.random((300, 5))
    np.testing.assert_array_equal(parallel(m), row_norms(m))
    assert any("prange" in ir for ir in parallel.inspect_llvm().values())   # still a parallel region


def append_in_prange(n):
    found = [0]
    for i in prange(n):
        if i % 7 == 0:
            found.append(i)
    return len(found), sum(found)


def store_in_prange(n):
    d = {0: 0}
    for i in prange(n):
        d[i % 1000] = i % 1000
    return len(d)


def private_lists(a):
    out = np.empty(a.shape[0])
    for i in prange(a.shape[0]):
        row = [a[i, j] * 2.0 for j in range(a.shape[1])]
        out[i] = sum(row)
    return out


def test_lists_and_dicts_resized_in_a_prange_are_not_raced():
    """Appending to a list made outside the loop crashed the process now and then (two
    threads growing one buffer); such a loop now runs serially."""
    for _ in range(5):
        assert njit(parallel=True)(append_in_prange)(30000) == append_in_prange(30000)
        assert njit(parallel=True)(store_in_prange)(30000) == 1000
    a = np.random.default_rng(2).random((5000, 4))
    parallel = njit(parallel=True)(private_lists)
    np.testing.assert_array_equal(parallel(a), private_lists(a))
    assert any("prange" in ir for ir in parallel.inspect_llvm().values())   # each iteration's own list


def add_in_prange(a):
    seen = set()
    for i in prange(a.shape[0]):
        seen.add(a[i] % 97)
    return len(seen)


def test_a_set_filled_in_a_prange_is_not_raced():
    a = np.arange(50000)
    for _ in range(3):
        assert njit(parallel=True)(add_in_prange)(a) == 97
