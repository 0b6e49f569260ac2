"""Histograms as users write them: bin edges from np.linspace over the data's range, counts in a
new int64 array, both returned as a tuple; and a 2-D variant with np.searchsorted-free binning."""
import numpy as np
from numba import njit


@njit
def histogram_edges(x, nbins):
    lo = x.min()
    hi = x.max()
    edges = np.linspace(lo, hi, nbins + 1)
    counts = np.zeros(nbins, dtype=np.int64)
    width = edges[1] - edges[0]
    for v in x:
        b = int((v - lo) / width)
        if b >= nbins:
            b = nbins - 1
        counts[b] += 1
    return counts, edges


@njit
def histogram2d(x, y, nx, ny):
    h = np.zeros((nx, ny), dtype=np.int32)
    x0, x1 = x.min(), x.max()
    y0, y1 = y.min(), y.max()
    for a, b in zip(x, y):
        i = min(int((a - x0) / (x1 - x0) * nx), nx - 1)
        j = min(int((b - y0) / (y1 - y0) * ny), ny - 1)
        h[i, j] += 1
    return h


def inputs_histogram_edges(n, rng):
    return (rng.standard_normal(n + 2), 10)


def inputs_histogram2d(n, rng):
    return (rng.standard_normal(n + 2), rng.random(n + 2), 4, 5)
