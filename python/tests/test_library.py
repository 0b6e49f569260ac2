"""NumPy functions kcache compiles from its kernel-language library (server/src/builtins/
library.py): np.sort / a.sort() / np.argsort / np.median / np.percentile / np.quantile, against
NumPy itself. Sorts are stable and put NaN last, as NumPy's do."""
import numpy as np
import pytest

import kcache
from kcache import njit

from test_numpy_arrays import DTYPES, kernel, run_both, sample

SIZES = [0, 1, 2, 15, 16, 17, 31, 32, 33, 64, 65, 1000]


@pytest.mark.parametrize("dtype", DTYPES)
def test_sort_every_dtype_and_size(dtype):
    for n in SIZES:
        a = sample(dtype, (n,), seed=n)
        run_both(kernel("np.sort(x)"), a)
        run_both(kernel("np.argsort(x, kind='stable')"), a)


def test_sort_with_nans_2d_noncontiguous_and_in_place():
    a = np.array([3.0, np.nan, -1.0, 2.0, np.nan, -np.inf, 0.0, np.inf])
    run_both(kernel("np.sort(x)"), a)
    run_both(kernel("np.argsort(x)"), a)
    m = sample(np.float64, (5, 40))
    run_both(kernel("np.sort(x)"), m)
    run_both(kernel("np.sort(x, axis=-1)"), m[:, ::3])
    run_both(kernel("np.sort(x, axis=None)"), m.T)
    run_both(kernel("np.argsort(x, axis=None, kind='stable')"), m)

    def in_place(x):
        x.sort()
        x[1:4].sort()
        return x

    def rows_in_place(m):
        m[:, 1:].sort()
        return m.sum()
    run_both(in_place, sample(np.int32, (50,)))
    run_both(rows_in_place, sample(np.float64, (6, 37)))


def test_argsort_is_stable_with_ties():
    a = np.array([2, 1, 2, 1, 0, 2, 1] * 9, dtype=np.int64)
    got = njit(lambda x: np.argsort(x))(a)
    np.testing.assert_array_equal(got, np.argsort(a, kind="stable"))


@pytest.mark.parametrize("dtype", DTYPES)
def test_median_every_dtype(dtype):
    for n in [1, 2, 3, 16, 17, 100, 101]:
        run_both(kernel("np.median(x)"), sample(dtype, (n,), seed=n))
    run_both(kernel("np.median(x)"), sample(dtype, (4, 7))[:, ::2])


def test_median_nan_and_empty():
    run_both(kernel("np.median(x)"), np.array([1.0, np.nan, 3.0]))
    with np.errstate(all="ignore"), pytest.warns(RuntimeWarning):
        run_both(kernel("np.median(x)"), np.zeros(0))


@pytest.mark.parametrize("dtype", [np.float64, np.int64, np.int32, np.uint8])
def test_percentile_and_quantile(dtype):
    rng = np.random.default_rng(5)
    for n in [1, 2, 5, 10, 101]:
        a = sample(dtype, (n,), seed=n)
        for q in list(rng.uniform(0, 100, 12)) + [0.0, 25.0, 50.0, 100.0]:
            run_both(kernel("np.percentile(x, q)", "x, q"), a, float(q))
            run_both(kernel("np.quantile(x, q)", "x, q"), a, float(q) / 100.0)
    run_both(kernel("np.percentile(x, q)", "x, q"), np.array([1.0, np.nan]), 50.0)


def test_bad_quantiles_raise_as_numpy_does():
    with pytest.raises(ValueError):
        njit(lambda x, q: np.percentile(x, q))(np.arange(3.0), 101.0)
    with pytest.raises(ValueError):
        njit(lambda x, q: np.quantile(x, q))(np.arange(3.0), -0.5)


def test_unsupported_axes_are_named():
    with pytest.raises(kcache.TypingError) as e:
        njit(lambda m: np.sort(m, axis=0))(np.zeros((2, 2)))
    assert "axis" in str(e.value)
