"""Iteration the Python way: enumerate and zip over arrays, tuples returned from helpers and
unpacked, np.ndindex over a shape, a.flat, keyword and default arguments between functions."""
import numpy as np
from numba import njit


@njit
def minmax(a):
    lo = a[0]
    hi = a[0]
    for v in a:
        if v < lo:
            lo = v
        elif v > hi:
            hi = v
    return lo, hi


@njit
def scale(a, lo=0.0, hi=1.0, clip=True):
    out = np.empty(a.shape, dtype=np.float64)
    for idx, v in enumerate(a.flat):
        t = (v - lo) / (hi - lo) if hi > lo else 0.0
        if clip:
            t = min(max(t, 0.0), 1.0)
        out.ravel()[idx] = t
    return out


@njit
def weighted_stats(values, weights):
    lo, hi = minmax(values)
    norm = scale(values, lo=lo, hi=hi)
    total = 0.0
    wsum = 0.0
    for v, w in zip(norm, weights):
        total += v * w
        wsum += w
    best = -1
    for i, (v, w) in enumerate(zip(values, weights)):
        if best < 0 or v * w > values[best] * weights[best]:
            best = i
    return total / wsum, best, (lo, hi)


@njit
def grid_sum(m):
    s = 0
    for i, j in np.ndindex(m.shape):
        s += m[i, j] * (i + 1) - j
    rows, cols = m.shape
    return s, rows * cols


def inputs_weighted_stats(n, rng):
    return (rng.standard_normal(n + 1), rng.random(n + 1) + 0.1)


def inputs_grid_sum(n, rng):
    return (rng.integers(-5, 5, (min(n, 20) + 1, 4)),)
