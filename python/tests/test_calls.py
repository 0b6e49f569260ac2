"""Calls between functions of a kernel's source (issue 14): keyword arguments, defaults (also
of the kernel itself, called with fewer arguments), keyword-only parameters, and the errors
Python gives for a bad binding. CPython runs the same source as the oracle."""
import math

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


def sum_of_squares(a):
    def sq(x):
        return x * x
    s = 0.0
    for v in a:
        s += sq(v)
    return s


def scaled_pair(a, k):
    def scale(x):
        return x * k
    return scale(a[0]) + scale(a[1])


def window_means(a, w):
    def mean_around(i):
        lo = max(i - w, 0)
        hi = min(i + w + 1, a.shape[0])
        return a[lo:hi].mean()
    out = np.empty_like(a)
    for i in range(a.shape[0]):
        out[i] = mean_around(i)
    return out


def reads_current_value(a):
    def shifted(x):
        return x + offset
    offset = 10.0
    r = shifted(a[0])
    offset = 20.0
    return r + shifted(a[1])


def helpers_with_defaults(a, t):
    def above(x):
        return x > t

    def weight(x, p=2):
        return abs(x) ** p
    s = 0.0
    for v in a:
        s += weight(v) if above(v) else weight(v, p=1)
    return s


@pytest.mark.parametrize("fn,args", [
    (sum_of_squares, (np.array([1.5, -2.0, 3.0]),)),
    (scaled_pair, (np.array([1.5, -2.0]), 3.0)),
    (window_means, (np.arange(7.0) ** 2, 2)),
    (reads_current_value, (np.array([1.0, 2.0]),)),
    (helpers_with_defaults, (np.array([1.5, -2.0, 3.0, 0.5]), 0.7)),
], ids=lambda c: getattr(c, "__name__", ""))
def test_functions_defined_inside_a_kernel(fn, args):
    run_both(fn, *args)


def doubly_nested(x):
    k = 3.0

    def f(y):
        def g(z):
            return z * k + 1
        return g(y) + g(2 * y)
    return f(x)


def test_functions_nest_to_any_depth_and_read_the_outer_variables():
    run_both(doubly_nested, 1.5)


def rounded(x, n):
    return round(x, n)


@pytest.mark.parametrize("x,n", [(0.125, 2), (1234.5678, -2), (2.5, 0), (-3.14159, 3), (17, -1), (25, -1),
                                 (-35, -1), (123, 2), (1e300, 5), (float("inf"), 2)])
def test_round_with_ndigits(x, n):
    got = njit(rounded)(x, n)
    want = round(x, n)
    assert got == want and type(got) is type(want), (got, want)


def test_round_with_ndigits_rounds_the_scaled_value_as_numba_does():
    # 2.675 * 100 is exactly 267.5 in binary: Numba and NumPy give 2.68, CPython's decimal
    # rounding 2.67 (a documented difference).
    assert njit(rounded)(2.675, 2) == 2.68 == np.round(2.675, 2)


def fnv1a(a):
    h = np.uint64(14695981039346656037)
    for v in a:
        h ^= np.uint64(v)
        h *= np.uint64(1099511628211)
    return h


def test_literals_past_int64_are_uint64():
    data = np.arange(5)
    h = 14695981039346656037
    for v in data:
        h = ((h ^ int(v)) * 1099511628211) % 2 ** 64
    assert njit(fnv1a)(data) == h


def is_close(x, y):
    return math.isclose(x, y), math.isclose(x, x + 1e-12), math.isclose(math.inf, math.inf), math.isclose(0.0, 1e-300)


def test_math_isclose_with_its_defaults():
    for x, y in [(1.0, 1.0 + 1e-10), (1.0, 1.1), (-0.0, 0.0), (1e300, 1e300 * (1 + 1e-10))]:
        assert njit(is_close)(x, y) == is_close(x, y)


def choose_array(u, v, k):
    src = u if k % 2 == 0 else v
    return src.sum()


def choose_tuple(a, flag):
    t = (a, 1) if flag else (a * 2, 2)
    return t[0].sum() * t[1]


def choose_none(x):
    r = None if x < 0 else x * 2
    if r is None:
        return -1.0
    return r


def choose_view(a, k):
    b = a[::2] if k else a
    return b.sum()


@pytest.mark.parametrize("fn,args", [
    (choose_array, (np.arange(4.0), np.arange(5.0) * 2, 3)), (choose_array, (np.arange(4.0), np.arange(5.0), 2)),
    (choose_tuple, (np.arange(3.0), True)), (choose_tuple, (np.arange(3.0), False)),
    (choose_none, (-1.0,)), (choose_none, (2.0,)), (choose_view, (np.arange(6.0), 1)), (choose_view, (np.arange(6.0), 0)),
], ids=lambda c: getattr(c, "__name__", ""))
def test_conditional_expressions_choose_arrays_tuples_and_none(fn, args):
    run_both(fn, *args)


def two_defs_of_one_name(x):
    if x > 0:
        def g(y):
            return y + 1
    else:
        def g(y):
            return y - 1
    return g(x) * 10 + g(0)


def test_two_nested_defs_of_one_name_are_refused_not_confused():
    # Which one runs is decided at run time: refused by name, never the wrong one silently.
    with pytest.raises(kcache.TypingError, match="second nested function named 'g'"):
        njit(two_defs_of_one_name)(3)


def squared(x):
    return x * x


def integrate(f, a, b, n):
    h = (b - a) / n
    s = 0.5 * (f(a) + f(b))
    for i in range(1, n):
        s += f(a + i * h)
    return s * h


def newton(f, df, x0, iters):
    x = x0
    for _ in range(iters):
        x = x - f(x) / df(x)
    return x


def apply_all(f, a):
    out = np.empty_like(a)
    for i in range(a.shape[0]):
        out[i] = f(a[i])
    return out


def twice(f, x):
    return apply_all(f, apply_all(f, x))


def integrate_a_module_function(n):
    return integrate(squared, 0.0, 1.0, n)


def integrate_a_lambda(n):
    return integrate(lambda t: math.sin(t) * 2.0, 0.0, math.pi, n)


def root_by_newton(x0):
    g = lambda x: x * x - 2.0  # noqa: E731

    def dg(x):
        return 2.0 * x
    return newton(g, dg, x0, 20)


def passed_on_and_by_keyword(a):
    return twice(squared, a) + apply_all(f=lambda v: v + 1.0, a=a)


def reading_the_callers_variables(a, c):
    def shift(v):
        return v - c
    return apply_all(shift, a).sum() + integrate(lambda t: t * c, 0.0, 1.0, 10)


def a_lambda_per_iteration(n):
    total = 0.0
    for k in range(1, n):
        total += integrate(lambda t: t ** k, 0.0, 1.0, 20)
    return total


@pytest.mark.parametrize("fn,args", [
    (integrate_a_module_function, (100,)), (integrate_a_lambda, (50,)), (root_by_newton, (1.0,)),
    (passed_on_and_by_keyword, (np.arange(4.0),)), (reading_the_callers_variables, (np.arange(3.0), 2.0)),
    (a_lambda_per_iteration, (4,)),
], ids=lambda c: getattr(c, "__name__", ""))
def test_functions_passed_as_arguments(fn, args):
    run_both(fn, *args)


def cubed(x):
    return x * x * x


def test_functions_passed_from_python():
    jitted_integrate, jitted_square = njit(integrate), njit(squared)
    assert jitted_integrate(jitted_square, 0.0, 1.0, 100) == integrate(squared, 0.0, 1.0, 100)
    # A plain Python function and a lambda are compiled with the kernel as well; each function
    # gets its own specialisation, and a second call reuses it.
    assert jitted_integrate(cubed, 0.0, 1.0, 100) == integrate(cubed, 0.0, 1.0, 100)
    assert jitted_integrate(lambda t: math.cos(t), 0.0, 1.0, 50) == integrate(lambda t: math.cos(t), 0.0, 1.0, 50)
    assert jitted_integrate(cubed, 0.0, 2.0, 10) == integrate(cubed, 0.0, 2.0, 10)
    a = np.arange(4.0)
    np.testing.assert_array_equal(njit(apply_all)(jitted_square, a), apply_all(squared, a))
    np.testing.assert_array_equal(njit(apply_all)(cubed, a), apply_all(cubed, a))


def takes_a_string(x):
    return x + "a"


def test_an_error_in_a_passed_function_names_its_own_line():
    line = takes_a_string.__code__.co_firstlineno + 1
    with pytest.raises(kcache.TypingError, match=r"test_calls\.py:%d:\d+: unsupported: strings" % line):
        njit(apply_all)(takes_a_string, np.arange(3.0))
    with pytest.raises(TypeError, match="builtin_function_or_method"):
        njit(apply_all)(math.sin, np.arange(3.0))


def depth(n):
    if n == 0:
        return 0
    return 1 + depth(n - 1)


def depth_in_prange(counts):
    out = np.empty(counts.shape[0], dtype=np.int64)
    for i in kcache.prange(counts.shape[0]):
        out[i] = depth(counts[i])
    return out


def test_unbounded_recursion_raises_recursion_error_instead_of_crashing():
    """A recursive function checks the stack on entry: past the thread's stack (less a margin)
    it raises RecursionError, as Python does, where the process used to die of SIGSEGV."""
    f = njit("int64(int64)")(depth)
    assert f(50000) == 50000                      # deep, but within the stack
    with pytest.raises(RecursionError):
        f(10 ** 8)
    assert f(10) == 10                            # and the process goes on
    import threading
    caught = []
    t = threading.Thread(target=lambda: caught.append(pytest.raises(RecursionError, f, 10 ** 8)))
    t.start()
    t.join()
    assert caught
    p = njit(parallel=True)(depth_in_prange)
    np.testing.assert_array_equal(p(np.array([3, 1000, 7])), [3, 1000, 7])
    with pytest.raises(RecursionError):
        p(np.array([5, 10 ** 8]))
