"""Whole-array code as NumPy users write it, also the benchmark's array rows: a three-operand
expression returning a new array, reductions, and an allocating kernel (np.empty_like + loop)."""
import numpy as np
from numba import njit


@njit
def fused_triad(a, b, c):
    return a * b + c


@njit
def array_sum(a):
    return a.sum()


@njit
def array_max(a):
    return a.max()


@njit
def alloc_square(x):
    out = np.empty_like(x)
    for i in range(x.shape[0]):
        out[i] = x[i] * x[i]
    return out


@njit
def centered_norms(m):
    centered = m - m.mean(axis=0)
    return np.sqrt((centered ** 2).sum(axis=1))


def inputs_fused_triad(n, rng):
    return (rng.standard_normal(n), rng.standard_normal(n), rng.standard_normal(n))


def inputs_array_sum(n, rng):
    return (rng.standard_normal(n),)


def inputs_array_max(n, rng):
    # max of an empty array raises (ValueError in NumPy and kcache alike): one element at least.
    return (rng.standard_normal(n + 1),)


def inputs_alloc_square(n, rng):
    return (rng.standard_normal(n),)


def inputs_centered_norms(n, rng):
    return (rng.standard_normal((n + 1, 3)),)
