"""@stencil (issue 15), against NumPy written out by hand as the oracle: relative indices, the
border at cval, neighbourhoods from the indices or given, several arrays and scalars, called
from Python and from jitted code (also parallel=True)."""
import numpy as np
import pytest

import kcache
from kcache import njit, stencil


@stencil
def laplace(a):
    return 0.25 * (a[0, 1] + a[1, 0] + a[0, -1] + a[-1, 0]) - a[0, 0]


def laplace_numpy(a):
    out = np.zeros_like(a, dtype=np.float64)
    out[1:-1, 1:-1] = 0.25 * (a[1:-1, 2:] + a[2:, 1:-1] + a[1:-1, :-2] + a[:-2, 1:-1]) - a[1:-1, 1:-1]
    return out


@stencil(cval=-1.0)
def forward_diff(x, h):
    return (x[1] - x[0]) / h


@stencil(neighborhood=((-2, 0),))
def trailing_mean(x):
    total = 0.0
    for k in range(-2, 1):
        total += x[k]
    return total / 3


@stencil
def blend(a, b):
    if a[0, 0] > b[0, 0]:
        return a[0, 0] - b[0, 1]
    return b[0, 0] + a[-1, 0]


def test_stencil_called_from_python():
    a = np.arange(30.0).reshape(5, 6) ** 1.5
    np.testing.assert_array_equal(laplace(a), laplace_numpy(a))
    x = np.linspace(0.0, 2.0, 9) ** 2
    want = np.full_like(x, -1.0)
    want[:-1] = (x[1:] - x[:-1]) / 0.25
    np.testing.assert_array_equal(forward_diff(x, 0.25), want)
    want = np.zeros_like(x)
    for i in range(2, x.size):
        want[i] = (0.0 + x[i - 2] + x[i - 1] + x[i]) / 3
    np.testing.assert_array_equal(trailing_mean(x), want)


def test_stencil_called_from_jitted_code_serial_and_parallel():
    def smooth(a, steps):
        for _ in range(steps):
            a = a + 0.1 * laplace(a)
        return a

    def smooth_numpy(a, steps):
        for _ in range(steps):
            a = a + 0.1 * laplace_numpy(a)
        return a
    a = np.random.default_rng(1).random((40, 33))
    want = smooth_numpy(a, 5)
    np.testing.assert_array_equal(njit(smooth)(a, 5), want)
    np.testing.assert_array_equal(njit(parallel=True)(smooth)(a, 5), want)


def test_two_arrays_and_branches():
    rng = np.random.default_rng(2)
    a, b = rng.random((6, 7)), rng.random((6, 7))
    want = np.zeros_like(a)
    for i in range(1, 6):
        for j in range(0, 6):
            want[i, j] = a[i, j] - b[i, j + 1] if a[i, j] > b[i, j] else b[i, j] + a[i - 1, j]
    np.testing.assert_array_equal(blend(a, b), want)


def test_integer_kernels_keep_their_type_and_small_arrays_are_all_border():
    @stencil
    def count_up(m):
        return m[0, 0] + m[1, 1]
    m = np.arange(12).reshape(3, 4)
    got = count_up(m)
    assert got.dtype == np.int64
    np.testing.assert_array_equal(got[:2, :3], m[:2, :3] + m[1:, 1:])
    assert (got[2] == 0).all() and (got[:, 3] == 0).all()
    assert (laplace(np.ones((2, 2))) == 0).all()


def test_a_variable_index_needs_a_neighborhood():
    with pytest.raises(TypeError, match="neighborhood"):
        @stencil
        def bad(x):
            k = 1
            return x[k]


def wave_steps(u, steps):
    # The style of numba-examples' wave-2d and harris: the stencil writes into a preallocated
    # array with out=, whose border keeps what it held.
    v = np.full_like(u, 7.0)
    for _ in range(steps):
        laplace(u, out=v)
        u, v = v, u
    return u


def test_out_writes_the_interior_and_keeps_the_border():
    a = np.arange(30.0).reshape(5, 6) ** 1.5
    out = np.full_like(a, 7.0)
    got = laplace(a, out=out)
    want = np.full_like(a, 7.0)
    want[1:-1, 1:-1] = laplace_numpy(a)[1:-1, 1:-1]
    np.testing.assert_array_equal(out, want)
    assert got is out or np.shares_memory(got, out)
    ints = np.zeros((5, 6), dtype=np.int32)
    laplace(a, out=ints)   # stored with the out array's dtype, as a NumPy assignment would
    np.testing.assert_array_equal(ints[1:-1, 1:-1], want[1:-1, 1:-1].astype(np.int32))
    u = np.random.default_rng(3).random((12, 9))
    want = wave_steps(u.copy(), 3)
    np.testing.assert_array_equal(njit(wave_steps)(u.copy(), 3), want)
    np.testing.assert_array_equal(njit(parallel=True)(wave_steps)(u.copy(), 3), want)
