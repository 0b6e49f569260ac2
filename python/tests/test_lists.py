"""Lists inside kernels (issue 15), against CPython as the oracle: literals, comprehensions
(nested, with conditions, their own scope), append/pop/insert/extend/clear, len, indexing,
iteration, lists shared by reference, lists passed to helpers and returned (a Python list),
np.array(list), and no leaks."""
import gc

import numpy as np
import pytest

import kcache
from kcache import njit

from test_numpy_arrays import run_both


def test_literals_append_pop_insert_extend():
    def f(n):
        a = [1.5, 2.0, -3.0]
        b = []
        for i in range(n):
            b.append(i * i)
        b.insert(0, -1)
        b.insert(-1, 99)
        b.insert(100, 7)
        last = b.pop()
        first = b.pop(0)
        b.extend([5, 6])
        total = 0.0
        for x in a:
            total += x
        for k in range(len(b)):
            total += b[k] * (k + 1)
        b[1] = b[-1] + 1
        return total, last, first, len(b), b[1], b[-2]
    for n in (0, 1, 5, 40):
        run_both(f, n)


def test_comprehensions():
    def f(x, n):
        squares = [v * v for v in x]
        evens = [i for i in range(n) if i % 2 == 0 if i % 3 != 0]
        pairs = [i * 10 + j for i in range(3) for j in range(i)]
        i = 100  # the comprehensions' own i does not leak out
        s = 0.0
        for v in squares:
            s += v
        return s, len(evens), sum(evens), pairs, i, [float(t) for t in evens]
    run_both(f, np.arange(5.0), 20)


def test_lists_are_shared_by_reference_and_passed_to_helpers():
    def push_twice(lst, v):
        lst.append(v)
        lst.append(v * 2)
        return len(lst)

    def f(n):
        a = [0]
        b = a
        for i in range(n):
            push_twice(b, i)
        return a, len(a), len(b)
    run_both(f, 4)


def test_list_to_array_and_back():
    def f(x):
        picked = []
        for v in x:
            if v > 0:
                picked.append(v)
        arr = np.array(picked)
        as32 = np.array(picked, dtype=np.float32)
        return arr * 2, as32, picked
    run_both(f, np.array([1.0, -2.0, 3.0, 0.0, 5.5]))
    run_both(f, np.array([-1.0]))


def test_lists_of_tuples_and_iteration():
    def f(n):
        pts = [(i, i * 0.5) for i in range(n)]
        pts.append((100, 1.5))
        total = 0.0
        for k, (i, x) in enumerate(pts):
            total += k * i + x
        a, b = pts.pop()
        return total, a, b, len(pts)
    run_both(f, 6)


def test_min_max_sum_and_membership():
    def f(n):
        xs = [((i * 7919) % 13) - 6 for i in range(n)]
        return min(xs), max(xs), sum(xs), 3 in xs, 100 not in xs, 2.5 in (1.0, 2.5)
    run_both(f, 25)


def test_list_errors_are_python_errors():
    def pop_empty(n):
        a = [1]
        a.pop()
        return a.pop()

    def out_of_range(n):
        a = [1, 2, 3]
        return a[n]
    with pytest.raises(IndexError, match="pop from empty list"):
        njit(pop_empty)(1)
    with pytest.raises(IndexError, match="list index out of range"):
        njit(out_of_range)(3)
    assert njit(out_of_range)(-3) == 1


def test_no_leaks():
    def f(n):
        a = [i for i in range(n)]
        for i in range(n):
            a.append(i)
        b = a
        b.pop()
        return np.array(a).sum()
    g = njit(f)
    g(10)
    gc.collect()
    before = kcache.memory_stats()
    for _ in range(2000):
        g(50)
    gc.collect()
    assert kcache.memory_stats() == before


def test_unsupported_list_uses_are_named():
    def mixed(n):
        return [1.0, (1, 2)]

    def unknown(n):
        a = []
        return a[0]
    for f, words in [(mixed, "cannot hold"), (unknown, "unknown")]:
        with pytest.raises(kcache.TypingError) as e:
            njit(f)(1)
        assert words in str(e.value)
