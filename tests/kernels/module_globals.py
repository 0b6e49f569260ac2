"""Module-level values the way real programs set them: a constant updated after it is first
set, a table of coefficients summed in a loop, a setting chosen by an `if`, NumPy scalar
constants in a float32 pipeline, and helpers whose declared signatures convert their results."""
import math

import numpy as np
from numba import njit

N_TERMS = 4
N_TERMS += 2
E_APPROX = 0.0
for _k in range(N_TERMS):
    E_APPROX += 1.0 / math.factorial(_k)

USE_CLAMP = True
if USE_CLAMP:
    LIMIT = 10.0
else:
    LIMIT = 1e300

EPS = np.float32(1e-6)
HALF = np.float32(0.5)
BINS = 2 ** 4
MASK = BINS - 1


@njit("int8(int64)")
def to_int8(x):
    return x


@njit("float32(float32)")
def halve(x):
    return x * HALF


@njit("float64(float64[:])")
def clamped_series(a):
    s = 0.0
    for i in range(a.shape[0]):
        v = a[i] * E_APPROX
        if v > LIMIT:
            v = LIMIT
        elif v < -LIMIT:
            v = -LIMIT
        s += v
    return s


@njit("float32(float32[::1])")
def smooth_energy(a):
    s = np.float32(0.0)
    for i in range(a.shape[0] - 1):
        d = a[i + 1] - a[i]
        s += halve(d * d) + EPS
    return s


@njit("int64(int64[:])")
def wrapped_bucket_sum(a):
    total = 0
    for i in range(a.shape[0]):
        total += to_int8(a[i] * 37) & MASK
    return total


def inputs_clamped_series(n, rng):
    return (rng.standard_normal(n) * 5.0,)


def inputs_smooth_energy(n, rng):
    return (rng.standard_normal(n).astype(np.float32),)


def inputs_wrapped_bucket_sum(n, rng):
    return (rng.integers(-1000, 1000, n),)
