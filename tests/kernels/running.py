"""Running statistics with np.cumsum and slices: a moving average, a cumulative maximum drawdown
written with a loop over enumerate, and a prefix-sum based range query."""
import numpy as np
from numba import njit


@njit
def moving_average(x, w):
    c = np.cumsum(x)
    out = np.empty(x.size - w + 1)
    out[0] = c[w - 1] / w
    out[1:] = (c[w:] - c[:-w]) / w
    return out


@njit
def max_drawdown(prices):
    peak = prices[0]
    worst = 0.0
    worst_at = 0
    for i, p in enumerate(prices):
        if p > peak:
            peak = p
        dd = (peak - p) / peak
        if dd > worst:
            worst = dd
            worst_at = i
    return worst, worst_at


@njit
def range_sums(values, starts, stops):
    prefix = np.zeros(values.size + 1, dtype=values.dtype)
    prefix[1:] = np.cumsum(values)
    out = np.empty(starts.size, dtype=values.dtype)
    for k, (a, b) in enumerate(zip(starts, stops)):
        out[k] = prefix[b] - prefix[a]
    return out


def inputs_moving_average(n, rng):
    return (rng.standard_normal(n + 5), 5)


def inputs_max_drawdown(n, rng):
    return (np.cumprod(1.0 + rng.normal(0.0, 0.01, n + 1)) * 100.0,)


def inputs_range_sums(n, rng):
    starts = rng.integers(0, n + 1, 7)
    return (rng.integers(-100, 100, n + 1), starts, np.minimum(starts + 3, n + 1))
