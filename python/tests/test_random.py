"""Random numbers in kernels (issue 15): np.random.* with NumPy's legacy RandomState algorithms
and Python's random.* with CPython's, on each thread's own generators (as Numba does). A
seeded kernel gives the very numbers NumPy and CPython give for the same seed; the generators
are independent of NumPy's and Python's global ones; unseeded draws have the right
distributions."""
import random

import numpy as np
import pytest

import kcache
from kcache import njit

from test_numpy_arrays import same


def np_draws(seed, n):
    np.random.seed(seed)
    a = np.random.random()
    b = np.random.random(3)
    c = np.random.rand(2, 2)
    d = np.random.randn(4)
    e = np.random.normal(1.5, 2.0, 3)
    f = np.random.uniform(-1.0, 3.0, size=(2, 3))
    g = np.random.randint(0, 10, 5)
    h = np.random.randint(5)
    i = np.random.randint(-3, 2 ** 40)
    j = np.random.standard_normal()
    k = np.random.exponential(2.0, 3)
    x = np.arange(n) * 1.0
    np.random.shuffle(x)
    p = np.random.permutation(7)
    q = np.random.choice(x)
    r = np.random.choice(10, 4)
    return a, b, c, d, e, f, g, h, i, j, k, x, p, q, r


def py_draws(seed, n):
    random.seed(seed)
    a = random.random()
    b = random.randint(1, 6)
    c = random.uniform(2.0, 4.0)
    d = random.gauss(0.5, 2.0)
    e = random.gauss()
    f = random.normalvariate(1.0, 0.5)
    g = random.expovariate(3.0)
    h = random.randrange(10, 100, 7)
    i = random.randrange(50)
    j = random.getrandbits(45)
    xs = [t for t in range(n)]
    random.shuffle(xs)
    k = random.choice(xs)
    return a, b, c, d, e, f, g, h, i, j, xs, k


@pytest.mark.parametrize("seed", [0, 1, 42, 2 ** 32 - 1])
def test_seeded_numpy_draws_are_numpys(seed):
    got = njit(np_draws)(seed, 20)
    want = np_draws(seed, 20)
    same(got, want)


@pytest.mark.parametrize("seed", [0, 7, -3, 2 ** 40 + 5])
def test_seeded_python_draws_are_cpythons(seed):
    got = njit(py_draws)(seed, 20)
    want = py_draws(seed, 20)
    same(got, want)


def test_kernel_generators_are_independent_of_the_global_ones():
    def draw():
        return np.random.random(), random.random()
    np.random.seed(5)
    random.seed(5)
    njit(np_draws)(123, 5)
    njit(py_draws)(123, 5)
    # Python's generators did not move.
    want = draw()
    np.random.seed(5)
    random.seed(5)
    assert draw() == want


def test_unseeded_draws_have_the_right_distributions():
    def stats(n):
        u = np.random.random(n)
        z = np.random.standard_normal(n)
        k = np.random.randint(0, 4, n)
        r = 0.0
        for _ in range(n):
            r += random.random()
        return u.mean(), z.mean(), z.std(), (k == 3).mean(), r / n
    u, zm, zs, k3, r = njit(stats)(200_000)
    assert abs(u - 0.5) < 0.01 and abs(r - 0.5) < 0.01
    assert abs(zm) < 0.01 and abs(zs - 1.0) < 0.01
    assert abs(k3 - 0.25) < 0.01


def test_errors_are_numpys():
    with pytest.raises(ValueError):
        njit(lambda s: np.random.seed(s))(-1)
    with pytest.raises(ValueError):
        njit(lambda a, b: np.random.randint(a, b))(5, 5)
    with pytest.raises(IndexError):
        njit(lambda n: random.choice([t for t in range(n)]))(0)


def more_distributions(seed, n):
    np.random.seed(seed)
    return (np.random.poisson(3.0, n), np.random.poisson(25.0, n), np.random.geometric(0.5, n),
            np.random.geometric(0.1, n), np.random.gamma(2.5, 2.0, n), np.random.gamma(0.5, 1.0, n),
            np.random.standard_gamma(1.0, n), np.random.beta(2.0, 3.0, n), np.random.beta(0.5, 0.5, n),
            np.random.lognormal(0.0, 0.5, n), np.random.binomial(10, 0.3, n), np.random.binomial(50, 0.9, n),
            np.random.choice(np.arange(10.0, 20.0), 4, replace=False), np.random.choice(10, size=3, replace=False),
            np.random.poisson(), np.random.binomial(7, 0.5), np.random.gamma(3.0))


@pytest.mark.parametrize("seed", [0, 42])
def test_more_seeded_distributions_are_numpys(seed):
    got, want = njit(more_distributions)(seed, 2000), more_distributions(seed, 2000)
    for g, w in zip(got, want):
        np.testing.assert_array_equal(g, w)
        assert np.asarray(g).dtype == np.asarray(w).dtype


def large_binomials(n):
    np.random.seed(5)
    return np.random.binomial(1000, 0.4, n), np.random.binomial(200, 0.7, n), np.random.binomial(100, 0.5)


def test_binomials_with_many_expected_successes_are_numpys():
    # BTPE (more than 30 expected successes or failures), drawn as NumPy draws it.
    for g, w in zip(njit(large_binomials)(5000), large_binomials(5000)):
        np.testing.assert_array_equal(g, w)
    with pytest.raises(ValueError, match="larger sample"):
        njit(too_many)(np.arange(3.0))


def too_many(a):
    return np.random.choice(a, 5, replace=False)


def heavy_tails(seed, n):
    # numba-stats' _rvs style: legacy RandomState streams, so the draws are NumPy's own.
    np.random.seed(seed)
    return (np.random.laplace(1.0, 2.0, n), np.random.gumbel(0.5, 1.5, n), np.random.logistic(size=n),
            np.random.standard_t(3.5, n), np.random.standard_t(0.7, n), np.random.chisquare(4.0, n),
            np.random.standard_cauchy(n), np.random.weibull(1.5, n), np.random.pareto(2.0, n),
            np.random.laplace(), np.random.standard_t(5.0), np.random.chisquare(1.0))


@pytest.mark.parametrize("seed", [1, 7])
def test_heavy_tailed_seeded_distributions_are_numpys(seed):
    got, want = njit(heavy_tails)(seed, 1500), heavy_tails(seed, 1500)
    for k, (g, w) in enumerate(zip(got, want)):
        np.testing.assert_allclose(g, w, rtol=1e-13, err_msg="draw %d" % k)
