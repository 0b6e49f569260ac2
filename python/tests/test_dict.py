"""Dicts inside kernels (issue 15), against CPython running the same source as the oracle:
`{}`/`dict()` typed by their stores, literals, indexing, `in`, `len`, `del`, the methods,
iteration in insertion order, keys of Python's equality (-0.0 == 0.0, 1 == 1.0), tuple keys
and values, dicts passed to helpers, `numba.typed.Dict.empty` / `typed.List` (spelled
`numba.` or `kcache.`), errors (KeyError, types kcache refuses, named by line and column) and no
leaks. Kernels are written as Numba users write them: histograms, memo tables, sparse
accumulators, grouping, unique counts."""
import gc
import linecache
import sys

import numpy as np
import pytest

import kcache
from kcache import njit, typed, types
from kcache.typed import Dict, List

from test_numpy_arrays import run_both


def test_histogram_of_an_int_array_in_first_seen_order():
    def count(a):
        counts = {}
        for x in a:
            counts[x] = counts.get(x, 0) + 1
        keys = [k for k in counts]
        values = [v for v in counts.values()]
        return keys, values, len(counts), 3 in counts, 100 not in counts
    rng = np.random.default_rng(1)
    for a in (np.array([3, 1, 3, 2, 5, 1, 3]), rng.integers(-50, 50, 1000), np.zeros(0, dtype=np.int64)):
        run_both(count, a)


def test_a_returned_dict_reaches_python_as_a_dict_in_insertion_order():
    def word_count(a):
        counts = {}
        for x in a:
            counts[x] = counts.get(x, 0) + 1
        return counts

    def both(n):
        d = {1.5: True}
        d[-2.0] = False
        return n, d, {n: n * 2}
    a = np.array([5, 3, 5, 9, 3, 5])
    got = njit(word_count)(a)
    assert got == word_count(a) and list(got.items()) == list(word_count(a).items())
    assert all(type(k) is int and type(v) is int for k, v in got.items())
    run_both(both, 4)
    assert list(njit(both)(4)[1]) == [1.5, -2.0]


def test_literals_items_pop_setdefault_and_signed_zero_keys():
    def f(x):
        d = {1: 2.0, 3: 4.0, -0.0: 1.5}
        d[0.0] += x
        t = 0.0
        for k, v in d.items():
            t += k * v
        first = (t, d[0], len(d), d.pop(1), len(d), d.pop(99, -1.0), d.setdefault(7, 8.5), d.setdefault(3, 0.0))
        keys = [k for k in d.keys()]
        values = [v for v in d.values()]
        return first, keys, values
    run_both(f, 2.5)


def test_dict_constructor_del_clear_copy_and_reinsertion_order():
    def f(n):
        d = dict()
        for i in range(n):
            d[i * 3 % 7] = i
        del d[0]
        c = d.copy()
        d[0] = -1           # back, and last: Python keeps insertion order
        d[3] = 33           # an update keeps its place
        c[100] = 5          # the copy is another dict
        order = [k for k in d]
        copied = [k * 1000 + v for k, v in c.items()]
        d.clear()
        d[9] = 9
        return order, copied, len(d), len(c), 9 in c
    run_both(f, 7)


def test_popitem_and_update():
    def f(n):
        d = {i: i * 1.5 for i in range(n)}
        last = d.popitem()
        other = {100: -1.0, 2: 9.0}
        d.update(other)
        d.update({7: 7})
        d.update({})
        d.update(d)
        lists = {1: [1], 2: [2, 2]}
        more = {2: [3], 4: [4]}
        lists.update(more)
        more[2].append(5)         # shared with lists[2] now
        k, v = lists.popitem()
        return last, [k * 1000 + v for k, v in d.items()], len(lists[2]), k, v, len(lists)

    def empty(n):
        d = {1: 1}
        d.popitem()
        return d.popitem()
    run_both(f, 5)
    with pytest.raises(KeyError, match="dictionary is empty"):
        njit(empty)(0)


def test_changing_the_size_while_iterating_raises_as_in_python():
    def grow(n):
        d = {1: 1, 2: 2}
        for k in d:
            d[k + 10] = 0
        return len(d)

    def delete_last(n):
        d = {1: 1, 2: 2}
        for i, k in enumerate(d):
            if k == 2:
                del d[k]
        return len(d)

    def items(n):
        d = {1: 1, 2: 2}
        for k, v in d.items():
            d.pop(k)
        return len(d)

    def values_only(n):
        d = {1: 1, 2: 2}
        for k in d:
            d[k] = k * n
        for k, v in d.items():
            d[k] = v + 1
        return d[1], d[2]

    def break_after(n):
        d = {1: 1, 2: 2}
        for k in d:
            d[5] = 5
            break
        else:
            d[6] = 6
        keys = [k for k in d]
        return len(d), keys

    for f in (grow, delete_last, items):
        with pytest.raises(RuntimeError, match="dictionary changed size during iteration"):
            f(3)
        with pytest.raises(RuntimeError, match="dictionary changed size during iteration"):
            njit(f)(3)
    run_both(values_only, 3)
    run_both(break_after, 3)


def test_memo_table_shared_with_a_recursive_helper():
    def fib_memo(n, memo):
        if n in memo:
            return memo[n]
        r = n if n < 2 else fib_memo(n - 1, memo) + fib_memo(n - 2, memo)
        memo[n] = r
        return r

    def fibs(n):
        memo = Dict.empty(key_type=types.int64, value_type=types.int64)
        return fib_memo(n, memo), len(memo)
    run_both(fibs, 80)


def test_sparse_accumulator_with_tuple_keys():
    def accumulate(rows, cols, vals):
        acc = {}
        for i in range(len(rows)):
            key = (rows[i], cols[i])
            acc[key] = acc.get(key, 0.0) + vals[i]
        total = 0.0
        for (r, c), v in acc.items():
            total += (r * 10 + c) * v
        firsts = [r * 10 + c for r, c in acc]
        return len(acc), total, (1, 2) in acc, firsts
    rng = np.random.default_rng(7)
    rows, cols = rng.integers(0, 6, 300), rng.integers(0, 6, 300)
    run_both(accumulate, rows, cols, rng.random(300))


def test_grouping_by_key_with_tuple_values():
    def groups(keys, x):
        stats = typed.Dict.empty(types.int64, types.UniTuple(types.float64, 2))
        for i in range(len(keys)):
            g = keys[i]
            if g not in stats:
                stats[g] = (0.0, 0.0)
            s, c = stats[g]
            stats[g] = (s + x[i], c + 1.0)
        groups = [g for g in stats]
        means = [s / c for s, c in stats.values()]
        return groups, means
    rng = np.random.default_rng(3)
    run_both(groups, rng.integers(0, 9, 200), rng.random(200))


def test_unique_values_and_bool_keys():
    def uniques(a):
        seen = {}
        for x in a:
            seen[x] = True
        flags = {True: 0, False: 0}
        for x in a:
            flags[x > 0.5] += 1
        return len(seen), flags[True], flags[False], [k for k in seen]
    run_both(uniques, np.array([0.25, 0.75, 0.25, 1.0, -0.0, 0.0]))


def test_int_keys_meet_float_keys_as_python_compares_them():
    def f(n):
        d = {1: 10}
        d[2.5] = 20          # the keys become floats: 1 and 1.0 are one key
        d[1.0] += 1
        return d[1], len(d), 2.5 in d, 2 in d, [v for v in d.values()]
    run_both(f, 0)


def test_degree_count_of_a_graph_edge_list():
    def degrees(src, dst):
        deg = {}
        weight = Dict.empty(key_type=types.Tuple((types.int64, types.int64)), value_type=types.float64)
        for i in range(len(src)):
            deg[src[i]] = deg.get(src[i], 0) + 1
            deg[dst[i]] = deg.get(dst[i], 0) + 1
            e = (min(src[i], dst[i]), max(src[i], dst[i]))
            weight[e] = weight.get(e, 0.0) + 1.0
        best = -1
        most = 0
        for v, d in deg.items():
            if d > most:
                best, most = v, d
        return best, most, len(weight)
    rng = np.random.default_rng(11)
    run_both(degrees, rng.integers(0, 30, 400), rng.integers(0, 30, 400))


def test_graph_adjacency_as_a_dict_of_lists():
    def bfs_order(src, dst, start):
        adj = {}
        for i in range(len(src)):
            if src[i] not in adj:
                adj[src[i]] = [dst[i]]
            else:
                adj[src[i]].append(dst[i])
            adj.setdefault(dst[i], [-1]).append(src[i])
        seen = {start: 0}
        order = [start]
        k = 0
        while k < len(order):
            u = order[k]
            k += 1
            if u in adj:
                for v in adj[u]:
                    if v >= 0 and v not in seen:
                        seen[v] = seen[u] + 1
                        order.append(v)
        lengths = [len(adj[u]) for u in adj.keys()]
        return order, lengths, seen
    rng = np.random.default_rng(2)
    run_both(bfs_order, rng.integers(0, 25, 60), rng.integers(0, 25, 60), 3)


def test_typed_dict_of_lists_and_of_arrays():
    def f(n):
        groups = Dict.empty(key_type=types.int64, value_type=types.ListType(types.float64))
        rows = Dict.empty(key_type=types.int64, value_type=types.float64[:])
        for i in range(n):
            if i % 3 not in groups:
                groups[i % 3] = List.empty_list(types.float64)
            groups[i % 3].append(i * 0.5)
            rows[i % 4] = np.arange(i + 1.0)
        first = groups.pop(0)
        c = groups.copy()
        c[7] = [1.0]
        del rows[1]
        total = 0.0
        for k in rows:
            total += rows[k].sum() * k
        shared = groups[1]
        shared.append(100.0)   # the dict's list is shared, as in Python
        groups.clear()
        return first, total, len(c), c[1], len(groups), shared
    run_both(f, 10)


def test_weighted_graph_as_a_dict_of_dicts():
    def weights(src, dst, w):
        g = Dict.empty(key_type=types.int64, value_type=types.DictType(types.int64, types.float64))
        for i in range(len(src)):
            if src[i] not in g:
                g[src[i]] = Dict.empty(key_type=types.int64, value_type=types.float64)
            inner = g[src[i]]
            inner[dst[i]] = inner.get(dst[i], 0.0) + w[i]
        rows = {}
        for u in g:
            rows[u] = {v: x * 2 for v, x in g[u].items()}
        g2 = g.copy()
        del g[src[0]]
        total = 0.0
        for u in g2:
            total += sum(g2[u].values()) * u
        return len(g), len(g2), total, [len(rows[u]) for u in rows]
    rng = np.random.default_rng(4)
    run_both(weights, rng.integers(0, 10, 200), rng.integers(0, 10, 200), rng.random(200))


def test_many_inserts_and_deletes():
    def churn(a):
        d = {}
        for i in range(len(a)):
            d[a[i]] = i
        for i in range(0, len(a), 2):
            d.pop(a[i], -1)
        s = 0
        for k, v in d.items():
            s = (s * 1000003 + k * 31 + v) % 1000000007
        return len(d), s
    rng = np.random.default_rng(5)
    run_both(churn, rng.integers(0, 20000, 30000))


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_random_operation_sequences_match_cpython(seed):
    def replay(ops, keys, vals):
        d = {}
        acc = 0.0
        for i in range(len(ops)):
            k = keys[i]
            op = ops[i]
            if op == 0:
                d[k] = vals[i]
            elif op == 1:
                if k in d:
                    del d[k]
            elif op == 2:
                acc += d.pop(k, -1.0)
            elif op == 3:
                acc += d.setdefault(k, vals[i])
            elif op == 4:
                acc += d.get(k, 0.5) * i
            elif op == 5 and len(d) > 0:
                kk, vv = d.popitem()
                acc += kk * vv
            elif op == 6 and i % 50 == 0:
                c = d.copy()
                d.clear()
                d.update(c)
        return acc, list(d), list(d.values())
    rng = np.random.default_rng(seed)
    n = 4000
    key_range = [8, 300, 100000][seed]
    ops = rng.choice(7, n, p=[0.4, 0.15, 0.1, 0.1, 0.15, 0.05, 0.05])
    run_both(replay, ops, rng.integers(-key_range, key_range, n), rng.random(n))


def test_a_dict_read_in_a_parallel_loop():
    def f(a):
        table = {i: i * 0.5 for i in range(10)}
        out = np.zeros(len(a))
        for i in kcache.prange(len(a)):
            out[i] = table.get(a[i], -1.0) + (a[i] in table)
        return out
    a = np.arange(-5, 15)
    got = njit(parallel=True)(f)(a)
    want = np.array([{i: i * 0.5 for i in range(10)}.get(x, -1.0) + (x in range(10)) for x in a])
    np.testing.assert_array_equal(got, want)


def test_a_helper_fills_a_dict_it_is_given_and_another_makes_one():
    def fill(d, n):
        for i in range(n):
            d[i] = i * 0.5

    def make(n):
        d = {0: 0.0}
        fill(d, n)
        return d

    def f(n):
        d = make(n)
        return len(d), d[n - 1], [k for k in d]
    run_both(f, 6)


def test_dict_comprehensions_and_list_of_a_dict():
    def f(a, n):
        squares = {i: i * i for i in range(n) if i % 3 != 1}
        where = {x: i for i, x in enumerate(a)}
        keys = list(squares)
        values = list(squares.values())
        pairs = list(where.items())
        copy = list(keys)
        copy.append(-1)
        return keys, values, len(pairs), pairs[0][0], pairs[-1][1], len(copy), len(keys), where
    run_both(f, np.array([4.5, 2.0, 4.5, 7.0]), 10)


def test_sum_min_max_over_a_dict_and_its_views():
    def f(a):
        d = {}
        for x in a:
            d[x] = d.get(x, 0.0) + 0.25
        return sum(d), min(d), max(d), sum(d.values()), max(d.values()), len(d.keys()), 3 in d.keys()
    run_both(f, np.array([3, -1, 7, 3, 3, 10]))


def test_typed_list_constructors():
    def f(n):
        a = List()
        for i in range(n):
            a.append(i * 2)
        b = List.empty_list(types.float64)
        for x in a:
            b.append(x / 4)
        c = typed.List.empty_list(item_type=types.int32)
        c.append(7)
        return a, b, len(c)
    run_both(f, 5)


NUMBA_SPELLED = """
import numpy as np
import numba
from numba import typed, types
from numba.typed import Dict, List


def k(a):
    d = numba.typed.Dict.empty(key_type=numba.types.int64, value_type=types.float64)
    e = typed.Dict.empty(types.int64, numba.float64)
    f = Dict.empty(key_type=types.int64, value_type=types.int64)
    lst = List.empty_list(types.int64)
    for x in a:
        d[x] = d.get(x, 0.0) + 0.5
        e[x] = 1.0
        f[x] = 2
        lst.append(x)
    return len(d), d[a[0]], len(e) + len(f), len(lst)
"""


def test_numba_spelled_typed_containers(monkeypatch):
    filename = "<numba-typed>"
    linecache.cache[filename] = (len(NUMBA_SPELLED), None, NUMBA_SPELLED.splitlines(True), filename)
    # CPython runs the same text with kcache standing in for numba.
    monkeypatch.setitem(sys.modules, "numba", kcache)
    monkeypatch.setitem(sys.modules, "numba.typed", kcache.typed)
    monkeypatch.setitem(sys.modules, "numba.types", kcache.types)
    namespace = {}
    exec(compile(NUMBA_SPELLED, filename, "exec"), namespace)
    run_both(namespace["k"], np.array([4, 2, 4, 9]))


def test_missing_keys_raise_key_error():
    def get(n):
        d = {1: 1.0}
        return d[n]

    def pop(n):
        d = {1: 1.0}
        return d.pop(n)

    def delete(n):
        d = {1: 1.0}
        del d[n]
        return len(d)

    def bump(n):
        d = {1: 1}
        d[n] += 1
        return d[1]
    for f in (get, pop, delete, bump):
        with pytest.raises(KeyError, match="2"):
            f(2)
        with pytest.raises(KeyError, match="2"):
            njit(f)(2)
        assert njit(f)(1) == f(1)

    def float_key(x):
        d = {1.5: 1}
        return d[x]

    def tuple_key(n):
        d = {(1, 2): 1}
        return d[(n, n)]
    with pytest.raises(KeyError, match=r"^'2\.5'$"):
        njit(float_key)(2.5)
    with pytest.raises(KeyError, match="key not found"):
        njit(tuple_key)(3)


@pytest.mark.parametrize("body, message", [
    ("d = {}\n    d[a] = 1\n    return len(d)", r":5:5: .*dict keys of type array"),
    ("d = {1j: 1}\n    return len(d)", r":4:10: .*dict keys of type complex128"),
    ("d = {1: (a, 1)}\n    return len(d)", r":4:13: .*dict values of type Tuple\(array"),
    ("d = {1: [1]}\n    return d.get(1)", r":5:12: .*dict.get\(k\) of a dict of list\(int64\): give a default"),
    ("d = {(1, 2): 2}\n    return d", r"returning a dict of Tuple\(int64, int64\)"),
    ("d = {}\n    return d[1]", r"types of this empty dict are unknown"),
    ("d = {1: [1]}\n    return d.get(1, [2])", r"dict.get with a default on a dict of list\(int64\)"),
    ("d = {1: [1]}\n    x = [2.5]\n    d[2] = x\n    return 1", r"cannot hold this list\(float64\)"),
    ("d = {1: 2}\n    return d.fromkeys(d)", r"the dict method 'fromkeys'"),
    ("d = {1: 2}\n    d.update(a)\n    return 1", r"dict.update with array"),
    ("return list(a.reshape(3, 1))", r"list\(\) of array"),
])
def test_what_kcache_refuses_is_named_with_line_and_column(body, message):
    filename = "<dict-refused-%d>" % abs(hash(body))
    text = "import numpy as np\n\ndef k(a):\n    %s\n" % body
    linecache.cache[filename] = (len(text), None, text.splitlines(True), filename)
    namespace = {}
    exec(compile(text, filename, "exec"), namespace)
    with pytest.raises(kcache.TypingError, match=message):
        njit(namespace["k"])(np.zeros(3))


def count_into(d, a):
    for v in a:
        d[v] = d.get(v, 0) + 1
    if 0 in d:
        del d[0]
    return len(d)


def weighted(d):
    s = 0.0
    for k, v in d.items():
        s += k * v
    return s


def test_python_dicts_are_passed_in_and_get_the_kernels_entries_back():
    a = np.array([1, 2, 2, 3, 0, 0])
    for start in ({1: 5}, {0: 1, 7: 2}, typed.Dict.empty(types.int64, types.int64)):
        got, want = type(start)(start), dict(start)
        if isinstance(start, typed.Dict):
            got = typed.Dict.empty(types.int64, types.int64)
        assert njit(count_into)(got, a) == count_into(want, a)
        assert got == want and list(got) == list(want)
    assert njit(weighted)({1: 0.5, 2: 1.5}) == weighted({1: 0.5, 2: 1.5})
    floats = typed.Dict.empty(types.float64, types.float64)
    floats[2.0] = 1.0
    assert njit(weighted)(floats) == 2.0


def test_dicts_kcache_cannot_pass_are_refused_clearly():
    def f(d):
        return len(d)
    for value, words in (({}, "empty dict"), ({1: "a"}, "dicts of numbers"), ({(1, 2): 3}, "dicts of numbers")):
        with pytest.raises(TypeError, match=words):
            njit(f)(value)
    with pytest.raises(TypeError, match="empty list"):
        njit(f)(typed.List())


def test_no_leaks():
    def f(n):
        d = {}
        for i in range(n):
            d[i % 17] = d.get(i % 17, 0) + i
        c = d.copy()
        del c[0]
        keys = [k for k in c]
        s = 0
        for k, v in d.items():
            s += k * v
        lists = {}
        for i in range(n):
            lists.setdefault(i % 5, [0]).append(i)
            lists[i % 7] = [i, i]
        arrays = {0: np.zeros(3)}
        arrays[0] = np.ones(4)
        arrays[1] = arrays[0]
        other = lists.copy()
        other.update(lists)
        item = other.popitem()
        popped = other.pop(1)
        del other[2]
        lists.clear()
        x = arrays[1]
        lit = {1: [i for i in range(3)], 2: [5]}
        squares = {i: [i, i] for i in range(4)}
        for k in lit:
            lit[k] = lit[k]
        nested = {0: {1: 1.0}}
        nested[1] = {2: 2.0, 3: 3.0}
        nested[0] = nested[1]
        cp = nested.copy()
        del cp[0]
        inner = nested.pop(1)
        nested.clear()
        s += len(inner) + len(cp[1])
        return s + len(keys) + len(other) + len(popped) + x.sum() + len(item[1]) + len(lit[1]) + len(squares)
    g = njit(f)
    assert g(100) == f(100)
    gc.collect()
    before = kcache.memory_stats()
    for _ in range(500):
        g(100)
    gc.collect()
    assert kcache.memory_stats() == before


def count_then_lookup(keys, q):
    d = {}
    for k in keys:
        d[k] = d.get(k, 0) + 1
    r = d.get(q)
    if r is None:
        return -1
    return r


def sum_present(keys):
    d = {}
    for k in keys:
        d[k] = k * 0.5
    out = 0.0
    for q in range(10):
        v = d.get(q)
        if v is not None:
            out += v
    return out


def literal_get(q):
    return {1: 2.5, 3: 4.5}.get(q)


def pair_get(keys, q):
    d = {}
    for k in keys:
        d[k] = (k * 2, k * 0.25)
    p = d.get(q)
    if p is None:
        return -1.0
    a, b = p
    return a + b


@pytest.mark.parametrize("fn,args", [
    (count_then_lookup, (np.array([1, 3, 3, 7, 1, 1]), 1)), (count_then_lookup, (np.array([1, 3]), 5)),
    (sum_present, (np.array([1, 3, 3, 7, 12]),)), (literal_get, (3,)), (literal_get, (2,)),
    (pair_get, (np.array([1, 4, 9]), 4)), (pair_get, (np.array([1, 4, 9]), 5)),
], ids=lambda c: getattr(c, "__name__", ""))
def test_get_without_a_default_is_an_optional(fn, args):
    assert njit(fn)(*args) == fn(*args)
