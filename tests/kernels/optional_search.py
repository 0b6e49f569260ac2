"""Functions that return a value or None (Numba's OptionalType), as search and validation code
is written: the first match or None, a ratio that is None when undefined, a running best that
starts as None, and a caller that tests `is None`."""
import numpy as np
from numba import njit


@njit
def first_index_above(a, threshold):
    for i in range(a.shape[0]):
        if a[i] > threshold:
            return i
    return None


@njit
def safe_ratio(a, b):
    den = b.sum()
    if den == 0.0:
        return None
    return a.sum() / den


@njit
def closest_to_zero(a):
    best = None
    for v in a:
        if best is None or abs(v) < abs(best):
            best = v
    return best


@njit
def count_crossings(a, levels):
    hits = 0
    for j in range(levels.shape[0]):
        k = first_index_above(a, levels[j])
        if k is not None:
            hits += k
        else:
            hits -= 1
    return hits


def inputs_first_index_above(n, rng):
    return (rng.standard_normal(n), 1.5)


def inputs_safe_ratio(n, rng):
    return (rng.standard_normal(n), np.zeros(n) if n % 2 else rng.random(n))


def inputs_closest_to_zero(n, rng):
    return (rng.standard_normal(n),)


def inputs_count_crossings(n, rng):
    return (rng.standard_normal(n), np.linspace(-1.0, 4.0, 7))
