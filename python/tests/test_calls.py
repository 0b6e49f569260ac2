"""Calls between functions of a kernel's source (issue 14): keyword arguments, defaults (also
of the kernel itself, called with fewer arguments), keyword-only parameters, and the errors
Python gives for a bad binding. CPython runs the same source as the oracle."""
import numpy as np
import pytest

import kcache
from kcache import njit

from test_numpy_arrays import run_both


def clip(x, lo=0.0, hi=1.0):
    return min(max(x, lo), hi)


def smooth(a, *, eps=1e-3, scale=2):
    return (a + eps) * scale


def test_keywords_and_defaults_between_functions():
    def f(x):
        s = 0.0
        for v in x:
            s += clip(v) + clip(v, hi=0.5) + clip(v, -1.0, hi=3.0) + clip(hi=2.0, x=v, lo=1.0)
            s += smooth(v) + smooth(v, scale=3) + smooth(a=v, eps=0.5)
        return s
    run_both(f, np.linspace(-2.0, 4.0, 13))


def test_kernel_called_with_fewer_arguments_uses_its_defaults():
    def f(x, power=2, offset=0.5):
        return (x ** power).sum() + offset
    g = njit(f)
    x = np.arange(5.0)
    assert g(x) == f(x)
    assert g(x, 3) == f(x, 3)
    assert g(x, 3, 1.5) == f(x, 3, 1.5)


def test_bad_bindings_are_type_errors():
    def too_many(x):
        return clip(x, 0.0, 1.0, 2.0)

    def unknown_kw(x):
        return clip(x, top=1.0)

    def twice(x):
        return clip(x, 0.0, lo=1.0)

    def missing(x):
        return clip()

    for f, words in [
        (too_many, "takes 3 positional arguments but 4 were given"),
        (unknown_kw, "unexpected keyword argument 'top'"),
        (twice, "multiple values for argument 'lo'"),
        (missing, "missing required argument 'x'"),
    ]:
        with pytest.raises(kcache.TypingError) as e:
            njit(f)(0.5)
        assert words in str(e.value)


def test_python_callers_pass_keywords():
    """Keyword arguments from Python bind as in Python (they were once dropped silently)."""
    def f(x, power=2, offset=0.5):
        return (x ** power).sum() + offset
    g = njit(f)
    x = np.arange(5.0)
    assert g(x, offset=1.0) == f(x, offset=1.0)
    assert g(x, power=3) == f(x, power=3)
    assert g(offset=2.0, x=x, power=1) == f(offset=2.0, x=x, power=1)
    with pytest.raises(TypeError):
        g(x, colour=1)
    with pytest.raises(TypeError):
        g(x, 2, power=3)
    eager = njit("float64(float64[:], int64, float64)")(f)
    assert eager(x, offset=4.0, power=1) == f(x, offset=4.0, power=1)


@kcache.vectorize(["float64(float64, float64)"])
def relative_difference(a, b):
    return abs(a - b) / max(abs(a), abs(b), 1e-12)


def test_jitted_code_calls_a_vectorized_function_on_scalars():
    def total(x, y):
        s = 0.0
        for i in range(x.size):
            s += relative_difference(x[i], y[i])
        return s
    x = np.arange(1.0, 9.0)
    got = njit(total)(x, x[::-1].copy())
    want = sum(abs(a - b) / max(abs(a), abs(b), 1e-12) for a, b in zip(x, x[::-1]))
    assert got == want


def test_swapping_array_elements_through_a_tuple():
    def bubble(a):
        n = a.size
        for i in range(n):
            for j in range(n - 1 - i):
                if a[j] > a[j + 1]:
                    a[j], a[j + 1] = a[j + 1], a[j]
        m = np.arange(6).reshape(2, 3)
        m[0, 0], m[1, 2] = m[1, 2], m[0, 0]
        m[0], m[1] = m[1].copy(), m[0].copy()
        return a, m
    run_both(bubble, np.array([3.0, 1.0, 2.0, -5.0, 0.5]))


def fill(x, out=None, scale=None):
    if out is None:
        out = np.empty_like(x)
    if scale is not None:
        for i in range(x.size):
            out[i] = x[i] * scale
    else:
        for i in range(x.size):
            out[i] = x[i]
    return out


def test_none_defaults_and_is_none_tests():
    """Numba's idiom: a parameter defaulting to None, tested with `is None` (a constant per
    specialisation; only the branch that runs is typed)."""
    def f(x):
        a = fill(x)
        b = fill(x, scale=2.0)
        c = np.zeros_like(x)
        fill(x, c, 3.0)
        d = None
        if d is None:
            d = 1.5
        return a, b, c, d
    run_both(f, np.arange(4.0))
    g = njit(fill)
    np.testing.assert_array_equal(g(np.arange(3.0)), np.arange(3.0))
    np.testing.assert_array_equal(g(np.arange(3.0), scale=0.5), np.arange(3.0) * 0.5)


def test_return_none_is_a_void_return():
    def f(a):
        if a.size == 0:
            return None
        a[0] = 1.0
        return
    x = np.zeros(2)
    njit(f)(x)
    assert x[0] == 1.0
