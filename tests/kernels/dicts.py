"""Dicts inside kernels, as Numba users write them: value counts of an int array, per-group
means through numba.typed.Dict.empty, a memo table of Collatz chain lengths, duplicate
COO entries summed under tuple keys, connected components over a dict of adjacency lists.
Iteration follows insertion order, as in CPython."""
import numpy as np
from numba import njit, typed, types


@njit("int64(int64[:], int64[:], int64[:])")
def value_counts(a, keys_out, counts_out):
    counts = {}
    for x in a:
        counts[x] = counts.get(x, 0) + 1
    k = 0
    for key, c in counts.items():
        if k < keys_out.shape[0]:
            keys_out[k] = key
            counts_out[k] = c
        k += 1
    return len(counts)


def inputs_value_counts(n, rng):
    return (rng.integers(-20, 20, n), np.zeros(64, np.int64), np.zeros(64, np.int64))


@njit("float64(int64[:], float64[:], float64[:])")
def group_means(groups, x, out):
    sums = typed.Dict.empty(key_type=types.int64, value_type=types.float64)
    counts = typed.Dict.empty(key_type=types.int64, value_type=types.int64)
    for i in range(groups.shape[0]):
        g = groups[i]
        sums[g] = sums.get(g, 0.0) + x[i]
        counts[g] = counts.get(g, 0) + 1
    total = 0.0
    for g in sums:
        m = sums[g] / counts[g]
        if 0 <= g < out.shape[0]:
            out[g] = m
        total += m
    return total


def inputs_group_means(n, rng):
    return (rng.integers(0, 12, n), rng.random(n), np.zeros(12))


@njit("int64(int64)")
def longest_collatz(n):
    memo = {1: 1}
    best = 0
    arg = 0
    for start in range(1, n + 1):
        x = start
        steps = 0
        while x not in memo:
            x = x // 2 if x % 2 == 0 else 3 * x + 1
            steps += 1
        total = steps + memo[x]
        y = start
        s = total
        while y not in memo:
            memo[y] = s
            s -= 1
            y = y // 2 if y % 2 == 0 else 3 * y + 1
        if total > best:
            best = total
            arg = start
    return arg * 1000 + best


def inputs_longest_collatz(n, rng):
    return (n,)


@njit("float64(int64[:], int64[:], float64[:], float64[:])")
def coo_sum_duplicates(rows, cols, vals, y):
    acc = {}
    for i in range(rows.shape[0]):
        key = (rows[i], cols[i])
        acc[key] = acc.get(key, 0.0) + vals[i]
    for (r, c), v in acc.items():
        y[r] += v * (c + 1)
    return float(len(acc))


def inputs_coo_sum_duplicates(n, rng):
    return (rng.integers(0, 8, n), rng.integers(0, 8, n), rng.random(n), np.zeros(8))


@njit("int64(int64[:], int64[:], int64[:])")
def components(src, dst, label):
    adj = {}
    for i in range(src.shape[0]):
        adj.setdefault(src[i], [src[i]]).append(dst[i])
        adj.setdefault(dst[i], [dst[i]]).append(src[i])
    count = 0
    for start in adj:
        if label[start] >= 0:
            continue
        stack = [start]
        label[start] = count
        while len(stack) > 0:
            u = stack.pop()
            for v in adj[u]:
                if label[v] < 0:
                    label[v] = count
                    stack.append(v)
        count += 1
    return count


def inputs_components(n, rng):
    m = max(n // 10, 1)
    return (rng.integers(0, 64, m), rng.integers(0, 64, m), np.full(64, -1, np.int64))
