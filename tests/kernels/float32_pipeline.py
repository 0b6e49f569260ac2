"""A float32 image pipeline: float32 constants, a 5-point blur through slices into
np.empty_like, clipping with np.minimum/np.maximum, a running total with np.cumsum, all staying
float32 as NumPy keeps it."""
import numpy as np
from numba import njit


@njit
def blur(img):
    out = img.copy()
    out[1:-1, 1:-1] = (img[:-2, 1:-1] + img[2:, 1:-1] + img[1:-1, :-2] + img[1:-1, 2:] + img[1:-1, 1:-1]) * np.float32(0.2)
    return out


@njit
def pipeline(img, gain, lo, hi):
    b = blur(img) * gain
    c = np.minimum(np.maximum(b, lo), hi)
    rows = c.sum(axis=1)
    return c, np.cumsum(rows), c.itemsize


def inputs_blur(n, rng):
    return (rng.random((min(n, 50) + 2, 9)).astype(np.float32),)


def inputs_pipeline(n, rng):
    return (rng.random((min(n, 50) + 2, 6)).astype(np.float32), np.float32(1.5), np.float32(0.1), np.float32(1.2))
