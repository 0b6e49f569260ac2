"""Small kernels for the overhead probes in bench/run.py.  Loaded like the corpus files: once with
`numba` pointing at kcache and once with the real Numba."""
from numba import njit, prange


@njit("int64(int64)")
def add_one(x):
    return x + 1


@njit("void(int64)", parallel=True)
def empty_prange(n):
    for i in prange(n):
        pass


@njit("void(float64[::1])", parallel=True)
def prange_touch(a):
    for i in prange(a.shape[0]):
        a[i] += 1.0


# The inner loop makes the body's cost per iteration unknown to kcache, so even 2 iterations
# go to the thread pool: what handing a region to the workers costs.
@njit("void(float64[::1])", parallel=True)
def prange_pool_touch(a):
    for i in prange(a.shape[0]):
        for _ in range(1):
            a[i] += 1.0


@njit("void(float64[::1])")
def serial_touch(a):
    for i in range(a.shape[0]):
        a[i] += 1.0
