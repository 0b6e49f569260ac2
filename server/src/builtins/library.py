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


def __kc_sum(seq):
    # sum(iterable): left to right from 0, as CPython adds.
    total = 0
    for x in seq:
        total = total + x
    return total


def __kc_max_seq(seq):
    # max(iterable): the first item no later item is greater than (CPython's comparisons).
    n = len(seq)
    if n == 0:
        raise ValueError("max() arg is an empty sequence")
    best = seq[0]
    for i in range(1, n):
        if seq[i] > best:
            best = seq[i]
    return best


def __kc_min_seq(seq):
    n = len(seq)
    if n == 0:
        raise ValueError("min() arg is an empty sequence")
    best = seq[0]
    for i in range(1, n):
        if seq[i] < best:
            best = seq[i]
    return best


def __kc_contains(seq, x):
    # x in seq
    for v in seq:
        if v == x:
            return True
    return False


# Random numbers. Generator 0 is np.random's (NumPy's legacy RandomState algorithms), 1 is
# Python's random module's; each thread has its own (the host's), as in Numba.

def __kc_np_seed(seed):
    if seed < 0 or seed > 4294967295:
        raise ValueError("Seed must be between 0 and 2**32 - 1")
    __kc_rng_seed(0, seed)


def __kc_masked(generator, rng):
    # A uniform integer in [0, rng] by NumPy's masked rejection (random_interval).
    if rng == 0:
        return 0
    mask = rng
    mask |= mask >> 1
    mask |= mask >> 2
    mask |= mask >> 4
    mask |= mask >> 8
    mask |= mask >> 16
    mask |= mask >> 32
    if rng <= 4294967295:
        value = __kc_rng_u32(generator) & mask
        while value > rng:
            value = __kc_rng_u32(generator) & mask
        return value
    value = ((__kc_rng_u32(generator) << 32) | __kc_rng_u32(generator)) & mask
    while value > rng:
        value = ((__kc_rng_u32(generator) << 32) | __kc_rng_u32(generator)) & mask
    return value


def __kc_np_randint(low, high):
    if low >= high:
        raise ValueError("low >= high")
    return low + __kc_masked(0, high - low - 1)


def __kc_np_randint_array(low, high, shape):
    if low >= high:
        raise ValueError("low >= high")
    out = np.empty(shape, np.int64)
    flat = out.reshape(-1)
    for i in range(flat.size):
        flat[i] = low + __kc_masked(0, high - low - 1)
    return out


def __kc_np_random():
    return __kc_rng_double(0)


def __kc_np_random_array(shape):
    out = np.empty(shape)
    flat = out.reshape(-1)
    for i in range(flat.size):
        flat[i] = __kc_rng_double(0)
    return out


def __kc_np_uniform(low, high):
    return low + (high - low) * __kc_rng_double(0)


def __kc_np_uniform_array(low, high, shape):
    out = np.empty(shape)
    flat = out.reshape(-1)
    for i in range(flat.size):
        flat[i] = low + (high - low) * __kc_rng_double(0)
    return out


def __kc_np_normal(loc, scale):
    if scale < 0.0:
        raise ValueError("scale < 0")
    return loc + scale * __kc_rng_gauss(0)


def __kc_np_normal_array(loc, scale, shape):
    if scale < 0.0:
        raise ValueError("scale < 0")
    out = np.empty(shape)
    flat = out.reshape(-1)
    for i in range(flat.size):
        flat[i] = loc + scale * __kc_rng_gauss(0)
    return out


def __kc_np_exponential(scale):
    if scale < 0.0:
        raise ValueError("scale < 0")
    return scale * -math.log(1.0 - __kc_rng_double(0))


def __kc_np_exponential_array(scale, shape):
    out = np.empty(shape)
    flat = out.reshape(-1)
    for i in range(flat.size):
        flat[i] = __kc_np_exponential(scale)
    return out


def __kc_np_shuffle(a):
    # RandomState.shuffle of a 1-D array: Fisher-Yates from the end.
    for i in range(a.shape[0] - 1, 0, -1):
        j = __kc_masked(0, i)
        a[i], a[j] = a[j], a[i]


def __kc_np_permutation(n):
    a = np.arange(n)
    __kc_np_shuffle(a)
    return a


def __kc_np_permuted_copy(a):
    out = a.copy()
    __kc_np_shuffle(out)
    return out


def __kc_np_choice(a):
    return a[__kc_np_randint(0, a.shape[0])]


def __kc_np_choice_array(a, shape):
    out = np.empty(shape, a.dtype)
    flat = out.reshape(-1)
    for i in range(flat.size):
        flat[i] = a[__kc_np_randint(0, a.shape[0])]
    return out


def __kc_py_seed(seed):
    __kc_rng_seed(1, abs(seed))


def __kc_py_getrandbits(k):
    # CPython's getrandbits for 0 < k <= 63: 32-bit words, least significant first.
    if k <= 32:
        return __kc_rng_u32(1) >> (32 - k)
    low = __kc_rng_u32(1)
    high = __kc_rng_u32(1) >> (64 - k)
    return (high << 32) | low


def __kc_py_randbelow(n):
    k = 0
    m = n
    while m > 0:
        k += 1
        m >>= 1
    r = __kc_py_getrandbits(k)
    while r >= n:
        r = __kc_py_getrandbits(k)
    return r


def __kc_py_randrange(start, stop, step):
    if step == 1:
        width = stop - start
        if width <= 0:
            raise ValueError("empty range for randrange()")
        return start + __kc_py_randbelow(width)
    if step > 0:
        n = (stop - start + step - 1) // step
    elif step < 0:
        n = (stop - start + step + 1) // step
    else:
        raise ValueError("zero step for randrange()")
    if n <= 0:
        raise ValueError("empty range for randrange()")
    return start + step * __kc_py_randbelow(n)


def __kc_py_randint(a, b):
    return __kc_py_randrange(a, b + 1, 1)


def __kc_py_random():
    return __kc_rng_double(1)


def __kc_py_uniform(a, b):
    return a + (b - a) * __kc_rng_double(1)


def __kc_py_gauss(mu, sigma):
    return mu + __kc_rng_gauss(1) * sigma


def __kc_py_normalvariate(mu, sigma):
    # Kinderman and Monahan, as CPython's random.normalvariate.
    magic = 4 * math.exp(-0.5) / math.sqrt(2.0)
    while True:
        u1 = __kc_rng_double(1)
        u2 = 1.0 - __kc_rng_double(1)
        z = magic * (u1 - 0.5) / u2
        zz = z * z / 4.0
        if zz <= -math.log(u2):
            break
    return mu + z * sigma


def __kc_py_expovariate(lambd):
    return -math.log(1.0 - __kc_rng_double(1)) / lambd


def __kc_py_shuffle(x):
    for i in range(len(x) - 1, 0, -1):
        j = __kc_py_randbelow(i + 1)
        x[i], x[j] = x[j], x[i]


def __kc_py_choice(seq):
    if len(seq) == 0:
        raise IndexError("Cannot choose from an empty sequence")
    return seq[__kc_py_randbelow(len(seq))]
