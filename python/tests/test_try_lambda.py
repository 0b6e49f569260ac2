"""try/except/else/finally, lambdas bound to names and functions nested at any depth, each
kernel run by kcache and by CPython on the same inputs (CPython is the oracle)."""
import gc
import linecache

import numpy as np
import pytest

import conftest  # noqa: F401  (the daemon)
import kcache
from kcache import njit, prange


def safe_ratio(a, b):
    out = np.empty(a.shape[0])
    for i in range(a.shape[0]):
        try:
            out[i] = float(a[i]) // float(b[i])
        except Exception:
            out[i] = -1.0
    return out


def first_bad_index(a, idx):
    total = 0.0
    bad = -1
    for k in range(idx.shape[0]):
        try:
            if idx[k] >= a.shape[0]:
                raise IndexError("past the end")
            total += a[idx[k]]
        except:  # noqa: E722
            bad = k
            break
    return total, bad


def helper_raises(x):
    if x < 0:
        raise ValueError("negative")
    return x * 2.0


def through_a_callee(a):
    s = 0.0
    caught = 0
    for v in a:
        try:
            s += helper_raises(v)
        except Exception:
            caught += 1
    return s, caught


def else_and_finally(a):
    log = np.zeros(4, dtype=np.int64)
    try:
        x = float(a[0]) / float(a[1])
    except Exception:
        log[0] += 1
        x = 0.0
    else:
        log[1] += 1
    finally:
        log[2] += 1
    log[3] = 7
    return x, log


def finally_then_propagates(a):
    log = np.zeros(2, dtype=np.int64)
    try:
        try:
            log[0] = 1
            raise IndexError("inner")
        finally:
            log[1] = 5
    except Exception:
        log[0] += 10
    return log


def reraise(n):
    try:
        if n > 2:
            raise KeyError("big")
    except Exception:
        if n > 5:
            raise
        return -1
    return n


def returns_from_both(n):
    try:
        if n == 0:
            raise ZeroDivisionError("zero")
        return 10 // n
    except Exception:
        return -99


def dict_lookup(keys, probes):
    d = {}
    for k in keys:
        d[k] = k * 1.5
    s = 0.0
    missing = 0
    for p in probes:
        try:
            s += d[p]
        except Exception:
            missing += 1
    return s, missing


def array_alloc_in_try(n):
    total = 0.0
    for i in range(n):
        try:
            t = np.arange(i + 1) * 2.0
            if i % 3 == 0:
                raise ValueError("skip")
            total += t.sum()
        except Exception:
            total -= 1.0
    return total


def lambdas(a):
    sq = lambda x: x * x  # noqa: E731
    scale = 3.0
    lin = lambda x, y: scale * x + y  # noqa: E731
    s = 0.0
    for v in a:
        s += lin(sq(v), 1.0)
    return s


def nested_twice(a, k):
    def outer(x):
        def inner(y):
            return y * k + 1.0
        return inner(x) + inner(2.0 * x)
    s = 0.0
    for v in a:
        s += outer(v)
    return s


def lambda_in_nested(a):
    def apply(v):
        f = lambda t: t - 0.5  # noqa: E731
        return f(v) * 2.0
    return np.array([apply(v) for v in a])


CASES = [
    (safe_ratio, (np.array([4.0, 3.0, 5.0, 8.0]), np.array([2.0, 0.0, 2.0, 0.0]))),
    (first_bad_index, (np.arange(5.0), np.array([1, 2, 9, 3]))),
    (first_bad_index, (np.arange(5.0), np.array([1, 2, 3]))),
    (through_a_callee, (np.array([1.0, -2.0, 3.0, -0.5]),)),
    (else_and_finally, (np.array([1.0, 2.0]),)),
    (finally_then_propagates, (np.zeros(1),)),
    (reraise, (1,)),
    (reraise, (4,)),
    (returns_from_both, (0,)),
    (returns_from_both, (3,)),
    (dict_lookup, (np.array([1, 2, 3]), np.array([2, 5, 3, 7]))),
    (array_alloc_in_try, (10,)),
    (lambdas, (np.linspace(0, 1, 7),)),
    (nested_twice, (np.arange(4.0), 3.0)),
    (lambda_in_nested, (np.arange(3.0),)),
]


def same(got, want):
    if isinstance(want, tuple):
        assert isinstance(got, tuple) and len(got) == len(want)
        for g, w in zip(got, want):
            same(g, w)
    else:
        np.testing.assert_array_equal(np.asarray(got), np.asarray(want))


@pytest.mark.parametrize("fn,args", CASES, ids=lambda x: getattr(x, "__name__", "args") if callable(x) else "")
def test_matches_cpython(fn, args):
    same(njit(fn)(*args), fn(*args))


def test_uncaught_and_reraised_exceptions_reach_the_caller():
    with pytest.raises(KeyError, match="big"):
        njit(reraise)(9)
    with pytest.raises(KeyError, match="big"):
        reraise(9)
    # What a try body allocated before its exception is released when the handler runs.
    f = njit(array_alloc_in_try)
    f(30)
    gc.collect()
    before = kcache.memory_stats()
    for _ in range(20):
        assert f(30) == array_alloc_in_try(30)
    gc.collect()
    assert kcache.memory_stats() == before


def catch_in_a_prange_body(a, b):
    out = np.zeros(a.shape[0])
    for i in prange(a.shape[0]):
        try:
            out[i] = float(a[i]) // float(b[i])
        except Exception:
            out[i] = np.nan
    return out


def test_a_try_in_a_parallel_loop_body():
    src_fn = catch_in_a_prange_body
    a = np.arange(1, 20001, dtype=np.int64)
    b = np.where(a % 7 == 0, 0, 3).astype(np.int64)
    want = src_fn(a.astype(np.float64), b.astype(np.float64))
    got = njit(parallel=True)(src_fn)(a.astype(np.float64), b.astype(np.float64))
    np.testing.assert_array_equal(got, want)


@pytest.mark.parametrize("body,words", [
    ("    try:\n        x = 1\n    except ValueError:\n        x = 2\n    return x\n", "catching one exception class"),
    ("    try:\n        x = 1\n    except Exception as e:\n        x = 2\n    return x\n", "binding the caught exception"),
    ("    try:\n        x = 1\n    except Exception:\n        x = 2\n    except:\n        x = 3\n    return x\n",
     "a second except clause"),
    ("    for i in range(3):\n        try:\n            break\n        finally:\n            a[0] = 1\n    return 0\n",
     "inside a try that has a finally"),
    ("    raise\n", "bare 'raise' outside an except block"),
])
def test_what_is_refused_is_named(body, words):
    filename = "<try-refused-%d>" % abs(hash(body))
    text = "def k(a):\n" + body
    linecache.cache[filename] = (len(text), None, text.splitlines(True), filename)
    namespace = {}
    exec(compile(text, filename, "exec"), namespace)
    with pytest.raises(kcache.TypingError, match=words):
        njit(namespace["k"])(np.zeros(3))


def test_a_bare_raise_in_a_prange_body_inside_an_except_block_is_refused():
    def k(a):
        try:
            a[0] = 1.0 / a[1]
        except Exception:
            for i in prange(a.shape[0]):
                if a[i] < 0:
                    raise
        return a[0]
    with pytest.raises(kcache.TypingError, match="in a prange body inside one"):
        njit(parallel=True)(k)(np.zeros(3))
