"""The three examples of the Numba optimisation article, with only the import line changed."""
import numpy as np

from kcache import njit, prange, vectorize


@njit
def compute_sum(arr):
    sum_val = 0.0
    for i in range(len(arr)):
        sum_val += arr[i]
    return sum_val


@njit(parallel=True)
def parallel_sum(arr):
    sum_val = 0.0
    for i in prange(len(arr)):
        sum_val += arr[i]
    return sum_val


@vectorize(["float64(float64)", "float32(float32)", "int64(int64)"])
def power_two(x):
    return x ** 2


def test_compute_sum():
    a = np.random.default_rng(1).random(100_000)
    expected = 0.0
    for v in a.tolist():
        expected += v
    assert compute_sum(a) == expected


def test_parallel_sum():
    a = np.random.default_rng(2).random(100_000)
    assert abs(parallel_sum(a) - a.sum()) <= 1e-9 * a.size


def test_power_two():
    x = np.random.default_rng(3).random(10_000)
    np.testing.assert_array_equal(power_two(x), x ** 2)
    # The first declared loop that float32 casts to safely is float64's: Numba gives float64 too.
    assert power_two(x.astype(np.float32)).dtype == np.float64
    np.testing.assert_array_equal(power_two(np.arange(10)), np.arange(10) ** 2)
    assert power_two(3.0) == 9.0
