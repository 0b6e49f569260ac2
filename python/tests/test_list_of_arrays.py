"""Lists whose items are arrays, and lists of lists (Numba's reflected lists allow both in
nopython code), against CPython + NumPy as the oracle: comprehensions of arrays, append /
store / pop / insert / extend / clear, iteration, np.split and np.array_split, np.concatenate
and friends of a list, np.array of a list of lists, a list stored into an array row; and the
references the list holds to its arrays: no leaks, no use after free."""
import gc
import resource

import numpy as np
import pytest

import kcache
from kcache import njit

from test_numpy_arrays import run_both


def test_list_of_arrays_comprehension_append_and_item_store():
    def f(n):
        xs = [np.zeros(3) for _ in range(n)]
        xs.append(np.ones(3))
        xs[0][1] = 5.0
        return np.concatenate(xs), len(xs), xs[-1].sum()
    for n in (1, 2, 7):
        run_both(f, n)


def test_split_and_array_split():
    def g(a):
        parts = np.split(a, 4)
        return parts[1]

    def uneven(a):
        parts = np.array_split(a, 3)
        return len(parts), parts[0], parts[1], parts[2]

    def at(a):
        parts = np.split(a, [2, 5])
        return len(parts), parts[0], parts[1], parts[2]

    def rows(m):
        top, bottom = 0.0, 0.0
        parts = np.split(m, 2)
        top = parts[0].sum()
        bottom = parts[1].sum()
        return top, bottom, parts[1]
    a = np.arange(12.0)
    run_both(g, a)
    run_both(uneven, np.arange(10.0))
    run_both(at, np.arange(9.0))
    run_both(rows, np.arange(12.0).reshape(4, 3))
    with pytest.raises(ValueError, match="equal division"):
        njit(g)(np.arange(10.0))


def test_array_of_list_of_lists():
    def h(n):
        return np.array([[i * 1.0 + j for j in range(3)] for i in range(n)])

    def ints(n):
        rows = [[i * j for j in range(4)] for i in range(n)]
        return np.array(rows), len(rows[1]), rows[2][3]

    def of_arrays(n):
        rows = [np.arange(3.0) * i for i in range(n)]
        return np.array(rows)
    for n in (1, 3, 5):
        run_both(h, n)
        run_both(of_arrays, n)
    run_both(ints, 4)

    def ragged(n):
        rows = [[1.0] * (i + 1) for i in range(n)]
        return np.array(rows)
    with pytest.raises(ValueError):
        ragged(3)   # NumPy 2 refuses ragged nested sequences too
    with pytest.raises(ValueError, match="inhomogeneous"):
        njit(ragged)(3)


def test_list_stored_into_an_array_row():
    def k(a, b):
        idx = np.empty((3, 2))
        idx[0] = [a, b]
        idx[1] = [b, a]
        idx[2] = [1, 2]
        return idx
    run_both(k, 1.5, -2.0)


def sum_all(arrs):
    total = 0.0
    for a in arrs:
        total += a.sum()
    return total


def test_iterate_a_list_of_arrays_and_pass_it_to_a_helper():
    inner = njit(sum_all)

    def m(n):
        arrs = [np.arange(float(i + 1)) for i in range(n)]
        return inner(arrs)

    def direct(n):
        arrs = [np.arange(float(i + 1)) for i in range(n)]
        total = 0.0
        for a in arrs:
            total += a.sum()
        return total
    assert njit(m)(4) == sum_all([np.arange(float(i + 1)) for i in range(4)])
    run_both(direct, 6)


def test_stacking_a_list_of_arrays():
    def f(n):
        xs = [np.arange(3.0) + i for i in range(n)]
        ms = [np.ones((2, 2)) * i for i in range(n)]
        return (np.concatenate(xs), np.vstack(xs), np.hstack(xs), np.stack(xs),
                np.concatenate(ms), np.concatenate(ms, axis=1), np.vstack(ms), np.hstack(ms), np.stack(ms),
                np.column_stack(xs), np.dstack(ms))
    run_both(f, 3)


def test_list_of_arrays_methods_keep_items_alive():
    def f(n):
        xs = []
        for i in range(n):
            xs.append(np.full(2, float(i)))
        first = xs[0]
        xs[0] = np.ones(2) * 10.0      # the old item stays alive in `first`
        popped = xs.pop()
        xs.insert(1, popped * 2.0)
        ys = [np.zeros(1)]
        ys.clear()
        ys.extend(xs)
        ys.append(ys[0])                # grows: the item read is held across the move
        for _ in range(10):
            xs.append(xs[-1] + 1.0)
        zs = xs.copy()
        xs[1][0] = -7.0                 # shared with zs
        return first, popped, len(xs), np.concatenate(xs), np.concatenate(ys), np.concatenate(zs)
    gc.collect()
    live = kcache.memory_stats()[0]
    for n in (1, 3, 9):
        run_both(f, n)
    gc.collect()
    assert kcache.memory_stats()[0] == live


def test_lists_of_lists():
    def f(n):
        ls = [[float(i)] for i in range(n)]
        ls.append([1.0, 2.0, 3.0])
        ls[0].append(9.0)
        row = ls.pop()
        total = 0.0
        for r in ls:
            for x in r:
                total += x
        return ls[0][1], len(ls[0]), len(ls), row[2], total, np.array(row)
    run_both(f, 4)


def test_more_list_of_arrays_operations():
    def empty_then_append():
        xs = []
        xs.append(np.zeros(3))
        xs.append(np.arange(6.0)[::2])      # a strided view: the items' type widens to layout A
        return np.concatenate(xs), len(xs[1])

    def matrices(n):
        xs = [np.ones((2, 3)) * i for i in range(n)]
        xs[1][1, 2] = 7.0
        ys = xs[1:3]
        zs = xs + ys
        ws = ys * 2
        return xs[1][1, 2], len(zs), len(ws), np.stack(ws).sum()

    def rows_grow(n):
        ls = [[0.0] * 3 for _ in range(n)]
        ls[1][2] = 5.0
        for r in ls:
            r.append(1.0)
        return np.array(ls), np.array(ls, dtype=np.int32)

    def pops(n):
        t = 0.0
        for i in range(n):
            xs = [np.arange(4.0), np.arange(4.0) * i]
            p = xs.pop()
            t += p[3]
        return t
    run_both(empty_then_append)
    run_both(matrices, 4)
    run_both(rows_grow, 3)
    run_both(pops, 5)


def grow(xs):
    xs.append(np.full(2, 3.0))
    return len(xs)


def test_a_helper_appends_to_the_callers_list_of_arrays():
    inner = njit(grow)

    def f(n):
        xs = [np.zeros(2) for _ in range(n)]
        k = inner(xs)
        return k, np.concatenate(xs)
    k, joined = njit(f)(3)
    assert k == 4
    np.testing.assert_array_equal(joined, [0.0] * 6 + [3.0, 3.0])


def test_an_exception_releases_lists_of_arrays():
    def f(n):
        xs = [np.zeros(2) for _ in range(n)]
        for i in range(n):
            if i == 2:
                raise ValueError("boom")
        return len(xs)
    kernel = njit(f)
    with pytest.raises(ValueError):
        kernel(4)
    gc.collect()
    live = kcache.memory_stats()[0]
    for _ in range(100):
        with pytest.raises(ValueError, match="boom"):
            kernel(4)
    gc.collect()
    assert kcache.memory_stats()[0] == live


def test_returning_a_list_of_arrays_is_refused_clearly():
    def f(n):
        return [np.zeros(2) for _ in range(n)]
    with pytest.raises(kcache.TypingError, match="returning a list of array"):
        njit(f)(2)


def test_lists_of_arrays_do_not_leak():
    def f(n):
        xs = [np.zeros(64) for _ in range(n)]
        xs.append(np.ones(64))
        xs[0] = xs[1] + 1.0
        ls = [[1.0, 2.0] for _ in range(n)]
        ls.append([3.0])
        p = xs.pop(0)
        parts = np.split(np.arange(8.0), 2)
        return p.sum() + len(ls) + np.concatenate(xs).sum() + parts[1][0]
    kernel = njit(f)
    kernel(4)
    gc.collect()
    buffers0, _ = kcache.memory_stats()
    rss0 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    for _ in range(20_000):
        kernel(4)
    gc.collect()
    buffers, nbytes = kcache.memory_stats()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    assert buffers == buffers0, (buffers0, buffers, nbytes)
    # 20,000 calls leaking their ~10 buffers (>= 600 bytes each) would take over 100 MB.
    assert rss - rss0 < 8 * 1024, (rss0, rss)


def test_passing_a_python_list_of_arrays_is_refused_clearly():
    with pytest.raises(TypeError, match="not lists holding ndarray"):
        njit(sum_all)([np.zeros(2), np.ones(2)])


def test_a_list_item_keeps_the_item_type_its_list_was_made_with():
    def shared(n):
        ls = [[1.0]]
        e = []
        ls.append(e)
        for i in range(n):
            e.append(i * 0.5)      # e is a list of float64 from here on: so is ls[1]
        return len(ls[1]), ls[1][-1]

    def undecided():
        ls = [[1.0]]
        e = []
        ls.append(e)               # e's own type stays undecided: ls[1] is a list of float64
        ls[1].append(2.0)
        ls[1].append(3.0)
        ls[1].append(4.0)
        ls[1].append(5.0)
        ls[1].append(6.0)          # past the first items buffer
        return ls[1][0] + ls[1][4], len(ls[1])

    def wider():
        ls = [[1]]
        ls[0].append(1.5)          # the inner list is a list of int64 already
        return ls[0][1]

    def other_type():
        ls = [[1.0]]
        ints = [1, 2]
        ls.append(ints)
        return len(ls)
    run_both(shared, 3)
    run_both(undecided)
    for f, words in ((wider, "cannot hold"),
                     (other_type, "cannot be stored into a list of")):
        with pytest.raises(kcache.TypingError, match=words):
            njit(f)()


def test_enumerate_and_zip_over_split_parts():
    def f(a):
        parts = np.array_split(a, 3)
        t = 0.0
        for i, p in enumerate(parts):
            t += i * p.sum()
        for p, q in zip(parts, parts[1:]):
            t += p[0] * q[0]
        return t, np.asarray(parts[1:]), list(parts)[0]
    run_both(f, np.arange(10.0))
