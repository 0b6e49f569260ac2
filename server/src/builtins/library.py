# NumPy functions that kcache compiles from this kernel-language source (Numba's @overload
# idea): the compiler instantiates them for the argument types of each call, like the user's
# own functions. Names start with __kc_ so that they cannot meet a user's names. NumPy's
# results are the specification; python/tests/test_library.py checks them against NumPy.
import math

import numpy as np


def __kc_lt(a, b):
    # NumPy's sort order: NaN after every number.
    return a < b or (b != b and a == a)


def __kc_sort_run(v, lo, hi):
    # Insertion sort of v[lo:hi] (stable).
    for i in range(lo + 1, hi):
        x = v[i]
        j = i
        while j > lo and __kc_lt(x, v[j - 1]):
            v[j] = v[j - 1]
            j -= 1
        v[j] = x


def __kc_merge_sort(v):
    # Stable sort of a 1-D array in place: insertion-sorted runs of 16, then bottom-up merges.
    n = v.shape[0]
    for lo in range(0, n, 16):
        __kc_sort_run(v, lo, min(lo + 16, n))
    if n <= 16:
        return
    src = v
    dst = np.empty_like(v)
    width = 16
    passes = 0
    while width < n:
        for lo in range(0, n, 2 * width):
            mid = min(lo + width, n)
            hi = min(lo + 2 * width, n)
            i = lo
            j = mid
            k = lo
            while i < mid and j < hi:
                if __kc_lt(src[j], src[i]):
                    dst[k] = src[j]
                    j += 1
                else:
                    dst[k] = src[i]
                    i += 1
                k += 1
            while i < mid:
                dst[k] = src[i]
                i += 1
                k += 1
            while j < hi:
                dst[k] = src[j]
                j += 1
                k += 1
        src, dst = dst, src
        width *= 2
        passes += 1
    if passes % 2 == 1:
        # After an odd number of passes the result is in the scratch array.
        v[:] = src


def __kc_argsort_1d(keys):
    # Indices that sort a 1-D array, stable (NumPy's kind="stable"; equal keys keep their order).
    n = keys.shape[0]
    idx = np.arange(n)
    for lo in range(0, n, 16):
        hi = min(lo + 16, n)
        for i in range(lo + 1, hi):
            x = idx[i]
            j = i
            while j > lo and __kc_lt(keys[x], keys[idx[j - 1]]):
                idx[j] = idx[j - 1]
                j -= 1
            idx[j] = x
    src = idx
    dst = np.empty(n, np.int64)
    width = 16
    while width < n:
        for lo in range(0, n, 2 * width):
            mid = min(lo + width, n)
            hi = min(lo + 2 * width, n)
            i = lo
            j = mid
            k = lo
            while i < mid and j < hi:
                if __kc_lt(keys[src[j]], keys[src[i]]):
                    dst[k] = src[j]
                    j += 1
                else:
                    dst[k] = src[i]
                    i += 1
                k += 1
            while i < mid:
                dst[k] = src[i]
                i += 1
                k += 1
            while j < hi:
                dst[k] = src[j]
                j += 1
                k += 1
        src, dst = dst, src
        width *= 2
    return src


def __kc_sort_inplace(a):
    # a.sort(): every 1-D lane along the last axis, sorted in place.
    if a.size == 0:
        return
    m = a.shape[-1]
    work = a.copy()
    rows = work.reshape(-1, m)
    for r in range(rows.shape[0]):
        __kc_merge_sort(rows[r])
    a[...] = work


def __kc_sort(a):
    # np.sort(a): a sorted copy along the last axis.
    out = a.copy()
    if out.size == 0:
        return out
    rows = out.reshape(-1, a.shape[-1])
    for r in range(rows.shape[0]):
        __kc_merge_sort(rows[r])
    return out


def __kc_argsort(a):
    # np.argsort(a) of a 1-D array.
    return __kc_argsort_1d(a)


def __kc_argsort_flat(a):
    # np.argsort(a, axis=None): indices into the flattened array.
    return __kc_argsort_1d(a.flatten())


def __kc_median(a):
    # np.median(a) of the whole array: the middle value, or the mean of the two middle values;
    # NaN when the array holds one.
    n = a.size
    if n == 0:
        return np.nan
    s = a.flatten()
    __kc_merge_sort(s)
    last = s[n - 1]
    if last != last:
        return np.nan
    half = n // 2
    if n % 2 == 1:
        return s[half] + 0.0
    return (s[half - 1] + 0.0 + s[half]) / 2.0


def __kc_median_f32(a):
    # np.median of float32 data stays float32, as NumPy's mean of float32 values does.
    n = a.size
    if n == 0:
        return np.float32(np.nan)
    s = a.flatten()
    __kc_merge_sort(s)
    last = s[n - 1]
    if last != last:
        return np.float32(np.nan)
    half = n // 2
    if n % 2 == 1:
        return s[half]
    return (s[half - 1] + s[half]) / np.float32(2.0)


def __kc_quantile_sorted(s, q):
    # NumPy's "linear" method on sorted data s (no NaN) at q in [0, 1].
    n = s.shape[0]
    virtual = (n - 1) * q
    prev = math.floor(virtual)
    if prev < 0:
        prev = 0.0
    if prev > n - 1:
        prev = n - 1.0
    below = int(prev)
    above = min(below + 1, n - 1)
    gamma = virtual - prev
    a = s[below] + 0.0
    b = s[above] + 0.0
    diff = b - a
    if gamma >= 0.5:
        return b - diff * (1.0 - gamma)
    return a + diff * gamma


def __kc_quantile(a, q):
    # np.quantile(a, q) of the whole array with a scalar q.
    if q < 0.0 or q > 1.0:
        raise ValueError("Quantiles must be in the range [0, 1]")
    n = a.size
    if n == 0:
        raise IndexError("cannot take a quantile of an empty array")
    s = a.flatten()
    __kc_merge_sort(s)
    last = s[n - 1]
    if last != last:
        return np.nan
    return __kc_quantile_sorted(s, q)


def __kc_percentile(a, q):
    # np.percentile(a, q) of the whole array with a scalar q.
    if q < 0.0 or q > 100.0:
        raise ValueError("Percentiles must be in the range [0, 100]")
    return __kc_quantile(a, q / 100.0)
