"""@vectorize against NumPy's result for the same element function: 0-d, 1-d, 2-d transposed,
broadcast, out=, lazy per-dtype compilation, target='parallel'."""
import math

import numpy as np
import pytest

import kcache
from kcache import vectorize


@vectorize(["float64(float64, float64)", "int64(int64, int64)"])
def hyp(a, b):
    return math.sqrt(a * a + b * b) if a >= 0 else a - b


def reference(a, b):
    return np.where(a >= 0, np.sqrt(a * a + b * b), a - b)


@pytest.mark.parametrize("make", [
    lambda r: (np.float64(3.0), np.float64(4.0)),
    lambda r: (r.standard_normal(100), r.standard_normal(100)),
    lambda r: (r.standard_normal((30, 40)).T, r.standard_normal((40, 30))),
    lambda r: (r.standard_normal((5, 1, 3)), r.standard_normal((4, 1))),
    lambda r: (r.standard_normal((6, 8))[::2, ::3], 2.5),
])
def test_matches_numpy(make):
    a, b = make(np.random.default_rng(0))
    got = hyp(a, b)
    want = reference(np.asarray(a, dtype=float), np.asarray(b, dtype=float))
    np.testing.assert_array_equal(np.asarray(got), want)
    assert np.shape(got) == np.shape(want)


def test_scalars_give_scalars_and_types_dispatch():
    assert hyp(3.0, 4.0) == 5.0
    r = hyp(np.arange(5), np.arange(5))
    assert r.dtype == np.int64            # the int64 loop, picked like a ufunc's type resolution
    out = np.empty(5)
    hyp(np.arange(5.0), np.ones(5), out=out)
    np.testing.assert_array_equal(out, reference(np.arange(5.0), np.ones(5)))


def test_lazy_vectorize_compiles_per_dtype():
    @vectorize
    def twice(x):
        return x * 2

    np.testing.assert_array_equal(twice(np.arange(4, dtype=np.int32)), np.arange(4) * 2)
    np.testing.assert_array_equal(twice(np.arange(4.0)), np.arange(4.0) * 2)
    assert len(twice.loops) == 2


def test_parallel_target():
    @vectorize(["float64(float64)"], target="parallel")
    def cube(x):
        return x * x * x

    kcache.set_num_threads(2)
    x = np.random.default_rng(1).random(100_001)
    np.testing.assert_array_equal(cube(x), x * x * x)
