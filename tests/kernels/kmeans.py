"""Lloyd's k-means in the style of tutorials: distances with array expressions on row views,
labels in a new int64 array, per-cluster sums in np.zeros((k, d)), returned as a tuple."""
import numpy as np
from numba import njit


@njit
def assign(points, centers):
    n = points.shape[0]
    labels = np.empty(n, dtype=np.int64)
    for i in range(n):
        best = 0
        best_d = np.inf
        for c in range(centers.shape[0]):
            d = ((points[i] - centers[c]) ** 2).sum()
            if d < best_d:
                best_d = d
                best = c
        labels[i] = best
    return labels


@njit
def kmeans(points, init, iters):
    centers = init.copy()
    k, dim = centers.shape
    labels = assign(points, centers)
    for _ in range(iters):
        sums = np.zeros((k, dim))
        counts = np.zeros(k)
        for i, lab in enumerate(labels):
            sums[lab] += points[i]
            counts[lab] += 1
        for c in range(k):
            if counts[c] > 0:
                centers[c] = sums[c] / counts[c]
        labels = assign(points, centers)
    inertia = 0.0
    for i in range(points.shape[0]):
        inertia += ((points[i] - centers[labels[i]]) ** 2).sum()
    return centers, labels, inertia


def inputs_kmeans(n, rng):
    pts = rng.standard_normal((n + 3, 2))
    return (pts, pts[:3].copy(), 4)
