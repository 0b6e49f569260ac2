# NumPy functions that kcache compiles from this kernel-language source (Numba's @overload
# idea): the compiler instantiates them for the argument types of each call, like the user's
# own functions. Names start with __kc_ so that they cannot meet a user's names. NumPy's
# results are the specification; python/tests/test_library.py checks them against NumPy.
import cmath
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
    # Indices that sort a 1-D array or a list, stable (NumPy's kind="stable"; equal keys keep
    # their order).
    n = len(keys)
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


def __kc_nanquantile(a, q):
    # np.nanquantile: the quantile of the numbers that are not NaN; NaN when there are none.
    if q < 0.0 or q > 1.0:
        raise ValueError("Quantiles must be in the range [0, 1]")
    b = a.ravel()
    kept = b[~np.isnan(b)]
    if kept.size == 0:
        return np.nan
    return __kc_quantile(kept, q)


def __kc_nanpercentile(a, q):
    if q < 0.0 or q > 100.0:
        raise ValueError("Percentiles must be in the range [0, 100]")
    return __kc_nanquantile(a, q / 100.0)


def __kc_nanquantile_many(a, q):
    out = np.empty(len(q))
    for i in range(len(q)):
        out[i] = __kc_nanquantile(a, float(q[i]))
    return out


def __kc_nanpercentile_many(a, q):
    out = np.empty(len(q))
    for i in range(len(q)):
        out[i] = __kc_nanpercentile(a, float(q[i]))
    return out


def __kc_quantile_many(a, q):
    out = np.empty(len(q))
    for i in range(len(q)):
        out[i] = __kc_quantile(a, float(q[i]))
    return out


def __kc_percentile_many(a, q):
    out = np.empty(len(q))
    for i in range(len(q)):
        out[i] = __kc_percentile(a, float(q[i]))
    return out


def __kc_np_fmax(x1, x2):
    # The larger, or the one that is not NaN (NaN only where both are).
    return np.where(x1 != x1, x2, np.where(x2 != x2, x1, np.maximum(x1, x2)))


def __kc_np_fmin(x1, x2):
    return np.where(x1 != x1, x2, np.where(x2 != x2, x1, np.minimum(x1, x2)))


def __kc_np_power_int(x1, x2):
    # NumPy's integer power refuses negative exponents rather than truncating 1 / x1**-x2
    # to 0 as the ** operator of integers does.
    if x2 < 0:
        raise ValueError("Integers to negative integer powers are not allowed.")
    return x1 ** x2


def __kc_np_power_int_many(x1, x2):
    if np.any(x2 < 0):
        raise ValueError("Integers to negative integer powers are not allowed.")
    return x1 ** x2


def __kc_np_fmod_int(x1, x2):
    # C's fmod of integers: the remainder has the dividend's sign, where % gives the divisor's;
    # a zero divisor gives 0 (NumPy), as x % 1 does.
    d = x2
    if d == 0:
        d = 1
    r = x1 % d
    if r != 0 and (r < 0) != (x1 < 0):
        r = r - d
    return r


def __kc_np_fmod_int_many(x1, x2):
    # Element-wise % gives 0 for a zero divisor (NumPy's error model inside array expressions).
    r = x1 % x2
    return np.where((r != 0) & ((r < 0) != (x1 < 0)), r - x2, r)


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



# --- list methods and list operators (Python's semantics) ------------------------------------


def __kc_list_copy(lst):
    return [lst[i] for i in range(len(lst))]


def __kc_list_of(seq):
    # list(iterable) of a list, a 1-D array or a homogeneous tuple.
    return [v for v in seq]


def __kc_list_range(start, stop, step):
    return [i for i in range(start, stop, step)]


def __kc_list_reversed(lst):
    return [lst[i] for i in range(len(lst) - 1, -1, -1)]


def __kc_array_reversed(a):
    return a[::-1]


def __kc_list_index(lst, x):
    for i in range(len(lst)):
        if lst[i] == x:
            return i
    raise ValueError("list.index(x): x not in list")


def __kc_list_count(lst, x):
    n = 0
    for v in lst:
        if v == x:
            n += 1
    return n


def __kc_list_remove(lst, x):
    lst.pop(__kc_list_index(lst, x))


def __kc_list_reverse(lst):
    i = 0
    j = len(lst) - 1
    while i < j:
        lst[i], lst[j] = lst[j], lst[i]
        i += 1
        j -= 1


def __kc_list_merge_sort(lst):
    # Stable, comparing with < only, as CPython's sort does: runs of 8 by insertion, then
    # bottom-up merges through a scratch copy.
    n = len(lst)
    for lo in range(0, n, 8):
        hi = min(lo + 8, n)
        for i in range(lo + 1, hi):
            x = lst[i]
            j = i
            while j > lo:
                # (Items in variables: tuples compare only as values.)
                y = lst[j - 1]
                if not (x < y):
                    break
                lst[j] = y
                j -= 1
            lst[j] = x
    if n <= 8:
        return
    src = lst
    dst = __kc_list_copy(lst)
    width = 8
    passes = 0
    while width < n:
        for lo in range(0, n, 2 * width):
            mid = min(lo + width, n)
            hi = min(lo + 2 * width, n)
            i = lo
            j = mid
            k = lo
            while i < mid and j < hi:
                left = src[i]
                right = src[j]
                if right < left:
                    dst[k] = right
                    j += 1
                else:
                    dst[k] = left
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
        for i in range(n):
            lst[i] = src[i]


def __kc_list_sort(lst, reverse=False):
    # reverse=True keeps equal items in their order, as CPython's does (reverse, sort, reverse).
    if reverse:
        __kc_list_reverse(lst)
    __kc_list_merge_sort(lst)
    if reverse:
        __kc_list_reverse(lst)


def __kc_sorted(seq, reverse=False):
    out = [v for v in seq]
    __kc_list_sort(out, reverse)
    return out


def __kc_order_by(keys, reverse):
    # The stable order of `keys`; with reverse=True descending with equal keys in their order,
    # as CPython sorts (reverse, sort stably, reverse).
    if not reverse:
        return __kc_argsort_1d(keys)
    n = len(keys)
    backwards = __kc_argsort_1d([keys[n - 1 - i] for i in range(n)])
    order = np.empty(n, np.int64)
    for i in range(n):
        order[i] = n - 1 - backwards[n - 1 - i]
    return order


def __kc_sorted_by(seq, keys, reverse=False):
    return [seq[i] for i in __kc_order_by(keys, reverse)]


def __kc_list_sort_by(lst, keys, reverse=False):
    ordered = [lst[i] for i in __kc_order_by(keys, reverse)]
    for i in range(len(ordered)):
        lst[i] = ordered[i]


def __kc_slice_clamp(v, n, lower, upper):
    # A given bound of slice.indices(n).
    if v < 0:
        v += n
        if v < lower:
            v = lower
    elif v > upper:
        v = upper
    return v


def __kc_list_slice(lst, start, stop, step):
    n = len(lst)
    st = 1
    if step is not None:
        st = step
    if st == 0:
        raise ValueError("slice step cannot be zero")
    lower = 0
    upper = n
    if st < 0:
        lower = -1
        upper = n - 1
    if start is None:
        b = lower
        if st < 0:
            b = upper
    else:
        b = __kc_slice_clamp(start, n, lower, upper)
    if stop is None:
        e = upper
        if st < 0:
            e = lower
    else:
        e = __kc_slice_clamp(stop, n, lower, upper)
    return [lst[i] for i in range(b, e, st)]


def __kc_list_repeat(lst, times):
    n = len(lst)
    return [lst[i % n] for i in range(n * max(times, 0))]


def __kc_list_concat_as(a, b, one):
    # `one` is 1 of the common type: multiplying by it converts exactly (and keeps -0.0, NaN).
    out = [a[i] * one for i in range(len(a))]
    for v in b:
        out.append(v * one)
    return out


def __kc_list_concat(a, b):
    out = __kc_list_copy(a)
    for v in b:
        out.append(v)
    return out

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


# More distributions, by the algorithms of NumPy's legacy RandomState (which np.random.* and
# Numba use): the same draws from the same generator, so the same distributions.
def __kc_standard_gamma(shape):
    if shape == 1.0:
        return -math.log(1.0 - __kc_rng_double(0))
    if shape == 0.0:
        return 0.0
    if shape < 1.0:
        while True:
            u = __kc_rng_double(0)
            v = -math.log(1.0 - __kc_rng_double(0))
            if u <= 1.0 - shape:
                x = u ** (1.0 / shape)
                if x <= v:
                    return x
            else:
                y = -math.log((1.0 - u) / shape)
                x = (1.0 - shape + shape * y) ** (1.0 / shape)
                if x <= v + y:
                    return x
    b = shape - 1.0 / 3.0
    c = 1.0 / math.sqrt(9.0 * b)
    while True:
        x = __kc_rng_gauss(0)
        v = 1.0 + c * x
        while v <= 0.0:
            x = __kc_rng_gauss(0)
            v = 1.0 + c * x
        v = v * v * v
        u = __kc_rng_double(0)
        if u < 1.0 - 0.0331 * (x * x) * (x * x):
            return b * v
        if math.log(u) < 0.5 * x * x + b * (1.0 - v + math.log(v)):
            return b * v


def __kc_np_standard_gamma(shape):
    if shape < 0.0:
        raise ValueError("shape < 0")
    return __kc_standard_gamma(shape)


def __kc_np_gamma(shape, scale):
    if shape < 0.0:
        raise ValueError("shape < 0")
    if scale < 0.0:
        raise ValueError("scale < 0")
    return scale * __kc_standard_gamma(shape)


def __kc_np_beta(a, b):
    if a <= 0.0:
        raise ValueError("a <= 0")
    if b <= 0.0:
        raise ValueError("b <= 0")
    if a <= 1.0 and b <= 1.0:
        # Johnk's algorithm.
        while True:
            u = __kc_rng_double(0)
            v = __kc_rng_double(0)
            x = u ** (1.0 / a)
            y = v ** (1.0 / b)
            xpy = x + y
            if xpy <= 1.0 and u + v > 0.0:
                if xpy > 0.0:
                    return x / xpy
                log_x = math.log(u) / a
                log_y = math.log(v) / b
                log_m = max(log_x, log_y)
                log_x -= log_m
                log_y -= log_m
                return math.exp(log_x - math.log(math.exp(log_x) + math.exp(log_y)))
    ga = __kc_standard_gamma(a)
    gb = __kc_standard_gamma(b)
    return ga / (ga + gb)


def __kc_np_lognormal(mean, sigma):
    if sigma < 0.0:
        raise ValueError("sigma < 0")
    return math.exp(mean + sigma * __kc_rng_gauss(0))


def __kc_np_poisson(lam):
    if lam < 0.0 or lam != lam:
        raise ValueError("lam < 0 or lam is NaN")
    if lam > 9.223372006484771e18:
        raise ValueError("lam value too large")
    if lam == 0.0:
        return 0
    if lam < 10.0:
        # Multiplication of uniforms.
        enlam = math.exp(-lam)
        x = 0
        prod = 1.0
        while True:
            prod *= __kc_rng_double(0)
            if prod > enlam:
                x += 1
            else:
                return x
    # Hormann's PTRS transformed rejection.
    slam = math.sqrt(lam)
    loglam = math.log(lam)
    b = 0.931 + 2.53 * slam
    a = -0.059 + 0.02483 * b
    invalpha = 1.1239 + 1.1328 / (b - 3.4)
    vr = 0.9277 - 3.6224 / (b - 2.0)
    while True:
        u = __kc_rng_double(0) - 0.5
        v = __kc_rng_double(0)
        us = 0.5 - abs(u)
        k = math.floor((2.0 * a / us + b) * u + lam + 0.43)
        if us >= 0.07 and v <= vr:
            return k
        if k < 0 or (us < 0.013 and v > us):
            continue
        if math.log(v) + math.log(invalpha) - math.log(a / (us * us) + b) <= -lam + k * loglam - math.lgamma(k + 1.0):
            return k


def __kc_np_geometric(p):
    if p <= 0.0 or p > 1.0 or p != p:
        raise ValueError("p <= 0, p > 1 or p contains NaNs")
    if p >= 0.333333333333333333333333:
        # Search.
        x = 1
        total = p
        prod = p
        q = 1.0 - p
        u = __kc_rng_double(0)
        while u > total:
            prod *= q
            total += prod
            x += 1
        return x
    return int(math.ceil(math.log(1.0 - __kc_rng_double(0)) / math.log(1.0 - p)))


def __kc_binomial_inversion(n, p):
    q = 1.0 - p
    qn = math.exp(n * math.log(q))
    mean = n * p
    bound = min(float(n), mean + 10.0 * math.sqrt(mean * q + 1.0))
    x = 0
    px = qn
    u = __kc_rng_double(0)
    while u > px:
        x += 1
        if x > bound:
            x = 0
            px = qn
            u = __kc_rng_double(0)
        else:
            u -= px
            px = ((n - x + 1) * p * px) / (x * q)
    return x


def __kc_stirling_tail(v):
    v2 = v * v
    return (13680.0 - (462.0 - (132.0 - (99.0 - 140.0 / v2) / v2) / v2) / v2) / v / 166320.0


def __kc_binomial_btpe(n, p):
    # Kachitvichyanukul and Schmeiser's BTPE (p <= 0.5), as NumPy's legacy generator draws it:
    # a triangle, two parallelograms and two exponential tails, with a squeeze before the exact
    # test, so the same uniforms give the same variates.
    r = min(p, 1.0 - p)
    q = 1.0 - r
    fm = n * r + r
    m = int(math.floor(fm))
    p1 = math.floor(2.195 * math.sqrt(n * r * q) - 4.6 * q) + 0.5
    xm = m + 0.5
    xl = xm - p1
    xr = xm + p1
    c = 0.134 + 20.5 / (15.3 + m)
    a = (fm - xl) / (fm - xl * r)
    laml = a * (1.0 + a / 2.0)
    a = (xr - fm) / (xr * q)
    lamr = a * (1.0 + a / 2.0)
    p2 = p1 * (1.0 + 2.0 * c)
    p3 = p2 + c / laml
    p4 = p3 + c / lamr
    nrq = n * r * q
    while True:
        u = __kc_rng_double(0) * p4
        v = __kc_rng_double(0)
        if u <= p1:
            return int(math.floor(xm - p1 * v + u))
        if u <= p2:
            x = xl + (u - p1) / c
            v = v * c + 1.0 - abs(m - x + 0.5) / p1
            if v > 1.0:
                continue
            y = int(math.floor(x))
        elif u <= p3:
            if v == 0.0:
                continue
            y = int(math.floor(xl + math.log(v) / laml))
            if y < 0:
                continue
            v = v * (u - p2) * laml
        else:
            if v == 0.0:
                continue
            y = int(math.floor(xr - math.log(v) / lamr))
            if y > n:
                continue
            v = v * (u - p3) * lamr
        k = abs(y - m)
        if k > 20 and k < nrq / 2.0 - 1:
            rho = (k / nrq) * ((k * (k / 3.0 + 0.625) + 0.16666666666666666) / nrq + 0.5)
            t = -k * k / (2 * nrq)
            big_a = -math.inf if v == 0.0 else math.log(v)
            if big_a < t - rho:
                return y
            if big_a > t + rho:
                continue
            x1 = y + 1.0
            f1 = m + 1.0
            z = n + 1.0 - m
            w = n - y + 1.0
            bound = (xm * math.log(f1 / x1) + (n - m + 0.5) * math.log(z / w) + (y - m) * math.log(w * r / (x1 * q))
                     + __kc_stirling_tail(f1) + __kc_stirling_tail(z) + __kc_stirling_tail(x1) + __kc_stirling_tail(w))
            if big_a > bound:
                continue
            return y
        s = r / q
        a = s * (n + 1)
        f = 1.0
        if m < y:
            for i in range(m + 1, y + 1):
                f *= a / i - s
        elif m > y:
            for i in range(y + 1, m + 1):
                f /= a / i - s
        if v > f:
            continue
        return y


def __kc_np_binomial(n, p):
    if n < 0:
        raise ValueError("n < 0")
    if p < 0.0 or p > 1.0 or p != p:
        raise ValueError("p < 0, p > 1 or p is NaN")
    if n == 0 or p == 0.0:
        return 0
    if p == 1.0:
        return n
    flip = p > 0.5
    pp = 1.0 - p if flip else p
    if n * pp <= 30.0:
        x = __kc_binomial_inversion(n, pp)
    else:
        x = __kc_binomial_btpe(n, pp)
    return n - x if flip else x


def __kc_np_poisson_array(lam, shape):
    out = np.empty(shape, np.int64)
    flat = out.reshape(-1)
    for i in range(flat.size):
        flat[i] = __kc_np_poisson(lam)
    return out


def __kc_np_binomial_array(n, p, shape):
    out = np.empty(shape, np.int64)
    flat = out.reshape(-1)
    for i in range(flat.size):
        flat[i] = __kc_np_binomial(n, p)
    return out


def __kc_np_geometric_array(p, shape):
    out = np.empty(shape, np.int64)
    flat = out.reshape(-1)
    for i in range(flat.size):
        flat[i] = __kc_np_geometric(p)
    return out


def __kc_np_gamma_array(shape_, scale, shape):
    out = np.empty(shape)
    flat = out.reshape(-1)
    for i in range(flat.size):
        flat[i] = __kc_np_gamma(shape_, scale)
    return out


def __kc_np_laplace(loc, scale):
    if scale < 0.0:
        raise ValueError("scale < 0")
    while True:
        u = __kc_rng_double(0)
        if u >= 0.5:
            return loc - scale * math.log(2.0 - u - u)
        if u > 0.0:
            return loc + scale * math.log(u + u)


def __kc_np_gumbel(loc, scale):
    if scale < 0.0:
        raise ValueError("scale < 0")
    while True:
        u = 1.0 - __kc_rng_double(0)
        if u < 1.0:
            return loc - scale * math.log(-math.log(u))


def __kc_np_logistic(loc, scale):
    if scale < 0.0:
        raise ValueError("scale < 0")
    while True:
        u = __kc_rng_double(0)
        if u > 0.0:
            return loc + scale * math.log(u / (1.0 - u))


def __kc_np_standard_t(df):
    if df <= 0.0:
        raise ValueError("df <= 0")
    num = __kc_rng_gauss(0)
    denom = __kc_standard_gamma(df / 2.0)
    return math.sqrt(df / 2.0) * num / math.sqrt(denom)


def __kc_np_chisquare(df):
    if df <= 0.0:
        raise ValueError("df <= 0")
    return 2.0 * __kc_standard_gamma(df / 2.0)


def __kc_np_standard_cauchy():
    return __kc_rng_gauss(0) / __kc_rng_gauss(0)


def __kc_np_weibull(a):
    if a < 0.0:
        raise ValueError("a < 0")
    if a == 0.0:
        return 0.0
    return math.pow(-math.log(1.0 - __kc_rng_double(0)), 1.0 / a)


def __kc_np_pareto(a):
    if a <= 0.0:
        raise ValueError("a <= 0")
    return math.exp(-math.log(1.0 - __kc_rng_double(0)) / a) - 1.0


def __kc_np_laplace_array(loc, scale, shape):
    out = np.empty(shape)
    flat = out.reshape(-1)
    for i in range(flat.size):
        flat[i] = __kc_np_laplace(loc, scale)
    return out


def __kc_np_gumbel_array(loc, scale, shape):
    out = np.empty(shape)
    flat = out.reshape(-1)
    for i in range(flat.size):
        flat[i] = __kc_np_gumbel(loc, scale)
    return out


def __kc_np_logistic_array(loc, scale, shape):
    out = np.empty(shape)
    flat = out.reshape(-1)
    for i in range(flat.size):
        flat[i] = __kc_np_logistic(loc, scale)
    return out


def __kc_np_standard_t_array(df, shape):
    out = np.empty(shape)
    flat = out.reshape(-1)
    for i in range(flat.size):
        flat[i] = __kc_np_standard_t(df)
    return out


def __kc_np_chisquare_array(df, shape):
    out = np.empty(shape)
    flat = out.reshape(-1)
    for i in range(flat.size):
        flat[i] = __kc_np_chisquare(df)
    return out


def __kc_np_standard_cauchy_array(shape):
    out = np.empty(shape)
    flat = out.reshape(-1)
    for i in range(flat.size):
        flat[i] = __kc_np_standard_cauchy()
    return out


def __kc_np_weibull_array(a, shape):
    out = np.empty(shape)
    flat = out.reshape(-1)
    for i in range(flat.size):
        flat[i] = __kc_np_weibull(a)
    return out


def __kc_np_pareto_array(a, shape):
    out = np.empty(shape)
    flat = out.reshape(-1)
    for i in range(flat.size):
        flat[i] = __kc_np_pareto(a)
    return out


def __kc_np_standard_gamma_array(shape_, shape):
    out = np.empty(shape)
    flat = out.reshape(-1)
    for i in range(flat.size):
        flat[i] = __kc_np_standard_gamma(shape_)
    return out


def __kc_np_beta_array(a, b, shape):
    out = np.empty(shape)
    flat = out.reshape(-1)
    for i in range(flat.size):
        flat[i] = __kc_np_beta(a, b)
    return out


def __kc_np_lognormal_array(mean, sigma, shape):
    out = np.empty(shape)
    flat = out.reshape(-1)
    for i in range(flat.size):
        flat[i] = __kc_np_lognormal(mean, sigma)
    return out


def __kc_np_choice_without_replacement(a, size):
    n = a.shape[0]
    if size > n:
        raise ValueError("Cannot take a larger sample than population when 'replace=False'")
    if size < 0:
        raise ValueError("negative dimensions are not allowed")
    order = __kc_np_permutation(n)
    out = np.empty(size, a.dtype)
    for i in range(size):
        out[i] = a[order[i]]
    return out


def __kc_np_choice_range_without_replacement(n, size):
    return __kc_np_choice_without_replacement(np.arange(n), size)


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


# NumPy functions called as np.<name>: infer/numpy/library.rs picks the variant by argument
# kinds and binds NumPy's keyword names (`range=` arrives as `bounds`).


def __kc_np_clip(a, a_min, a_max):
    # np.clip is minimum(maximum(a, a_min), a_max), NaN propagating, with a_min or a_max None.
    if a_min is None:
        return np.minimum(a, a_max)
    elif a_max is None:
        return np.maximum(a, a_min)
    else:
        return np.minimum(np.maximum(a, a_min), a_max)


def __kc_np_diff(a, n=1):
    if n < 0:
        raise ValueError("order must be non-negative")
    out = a[:]
    for _ in range(n):
        out = out[1:] - out[:-1]
    return out.copy()


def __kc_np_diff_2d(a, n=1):
    if n < 0:
        raise ValueError("order must be non-negative")
    out = a[:, :]
    for _ in range(n):
        out = out[:, 1:] - out[:, :-1]
    return out.copy()


# NumPy refuses `-` of booleans; its diff of a bool array compares neighbours instead.
def __kc_np_diff_bool(a, n=1):
    if n < 0:
        raise ValueError("order must be non-negative")
    out = a[:]
    for _ in range(n):
        out = out[1:] != out[:-1]
    return out.copy()


def __kc_np_diff_bool_2d(a, n=1):
    if n < 0:
        raise ValueError("order must be non-negative")
    out = a[:, :]
    for _ in range(n):
        out = out[:, 1:] != out[:, :-1]
    return out.copy()


def __kc_np_searchsorted_left(a, v):
    lo = 0
    hi = a.shape[0]
    while lo < hi:
        mid = (lo + hi) >> 1
        if __kc_lt(a[mid], v):
            lo = mid + 1
        else:
            hi = mid
    return lo


def __kc_np_searchsorted_right(a, v):
    lo = 0
    hi = a.shape[0]
    while lo < hi:
        mid = (lo + hi) >> 1
        if __kc_lt(v, a[mid]):
            hi = mid
        else:
            lo = mid + 1
    return lo


def __kc_np_searchsorted_many(a, v, right):
    out = np.empty(v.shape, np.int64)
    flat = out.reshape(-1)
    i = 0
    for x in v.flat:
        if right:
            flat[i] = __kc_np_searchsorted_right(a, x)
        else:
            flat[i] = __kc_np_searchsorted_left(a, x)
        i += 1
    return out


def __kc_np_searchsorted_left_many(a, v):
    return __kc_np_searchsorted_many(a, v, False)


def __kc_np_searchsorted_right_many(a, v):
    return __kc_np_searchsorted_many(a, v, True)


def __kc_np_unique(a):
    # Sorted distinct values of the flattened array; NaNs (sorted last) count once, as NumPy's
    # equal_nan=True does.
    s = np.sort(a.flatten())
    n = s.shape[0]
    count = 0
    for i in range(n):
        if i == 0 or (s[i] != s[i - 1] and not (s[i] != s[i] and s[i - 1] != s[i - 1])):
            count += 1
    out = np.empty(count, s.dtype)
    k = 0
    for i in range(n):
        if i == 0 or (s[i] != s[i - 1] and not (s[i] != s[i] and s[i - 1] != s[i - 1])):
            out[k] = s[i]
            k += 1
    return out


def __kc_np_histogram(a, bins=10, bounds=None):
    # NumPy's equal-width path (numpy/lib/_histograms_impl.py): the same edges (linspace), the
    # same index arithmetic and the same corrections within an ulp of an edge.
    if bins < 1:
        raise ValueError("`bins` must be positive, when an integer")
    flat = a.flatten()
    if bounds is None:
        if flat.shape[0] == 0:
            first = 0.0
            last = 1.0
        else:
            first = float(flat.min())
            last = float(flat.max())
            if not (math.isfinite(first) and math.isfinite(last)):
                raise ValueError("autodetected range of [min, max] is not finite")
    else:
        first = float(bounds[0])
        last = float(bounds[1])
        if first > last:
            raise ValueError("max must be larger than min in range parameter.")
        if not (math.isfinite(first) and math.isfinite(last)):
            raise ValueError("supplied range is not finite")
    if first == last:
        first = first - 0.5
        last = last + 0.5
    edges = np.linspace(first, last, bins + 1)
    for i in range(bins):
        if edges[i] >= edges[i + 1]:
            raise ValueError("Too many bins for data range.")
    denom = last - first
    hist = np.zeros(bins, np.int64)
    for x0 in flat:
        x = float(x0)
        if x >= first and x <= last:
            k = int(((x - first) / denom) * bins)
            if k == bins:
                k -= 1
            if x < edges[k]:
                k -= 1
            if x >= edges[k + 1] and k != bins - 1:
                k += 1
            hist[k] += 1
    return hist, edges


def __kc_np_histogram_edges(a, bins, bounds=None):
    # Given edges: bin k holds edges[k] <= x < edges[k + 1], the last one also its right edge.
    nb = bins.shape[0] - 1
    if nb < 1:
        raise ValueError("`bins` must have at least two edges")
    for i in range(nb):
        if bins[i] > bins[i + 1]:
            raise ValueError("`bins` must increase monotonically, when an array")
    hist = np.zeros(nb, np.int64)
    for x in a.flat:
        if x >= bins[0] and x <= bins[nb]:
            k = __kc_np_searchsorted_right(bins, x) - 1
            if k == nb:
                k -= 1
            hist[k] += 1
    return hist, bins.copy()


def __kc_np_outer(a, b):
    return a.flatten().reshape(-1, 1) * b.flatten().reshape(1, -1)


def __kc_np_interp_check(xp, fp):
    n = xp.shape[0]
    if n == 0:
        raise ValueError("array of sample points is empty")
    if fp.shape[0] != n:
        raise ValueError("fp and xp are not of the same length.")


def __kc_np_interp_at(x, xp, fp, lval, rval):
    # numpy/_core/src/multiarray/compiled_base.c (arr_interp), for one x.
    n = xp.shape[0]
    xv = float(x)
    if n == 1:
        if xv < xp[0]:
            return lval
        if xv > xp[0]:
            return rval
        return float(fp[0])
    if xv > xp[n - 1]:
        return rval
    if xv < xp[0]:
        return lval
    if xv != xv:
        return xv
    j = __kc_np_searchsorted_right(xp, xv) - 1
    if j >= n - 1:
        return float(fp[n - 1])
    if xp[j] == xv:
        return float(fp[j])
    slope = (float(fp[j + 1]) - float(fp[j])) / (float(xp[j + 1]) - float(xp[j]))
    res = slope * (xv - float(xp[j])) + float(fp[j])
    if res != res:
        res = slope * (xv - float(xp[j + 1])) + float(fp[j + 1])
        if res != res and fp[j] == fp[j + 1]:
            res = float(fp[j])
    return res


def __kc_np_interp(x, xp, fp, left=None, right=None):
    # (A None parameter cannot be passed on: each function reads its own.)
    __kc_np_interp_check(xp, fp)
    lval = float(fp[0])
    if left is not None:
        lval = float(left)
    rval = float(fp[xp.shape[0] - 1])
    if right is not None:
        rval = float(right)
    return __kc_np_interp_at(x, xp, fp, lval, rval)


def __kc_np_interp_many(x, xp, fp, left=None, right=None):
    __kc_np_interp_check(xp, fp)
    lval = float(fp[0])
    if left is not None:
        lval = float(left)
    rval = float(fp[xp.shape[0] - 1])
    if right is not None:
        rval = float(right)
    out = np.empty(x.shape, np.float64)
    flat = out.reshape(-1)
    i = 0
    for v in x.flat:
        flat[i] = __kc_np_interp_at(v, xp, fp, lval, rval)
        i += 1
    return out


def __kc_np_concatenate(arrays, axis=0):
    if axis != 0 and axis != -1:
        raise ValueError("axis is out of bounds for arrays of dimension 1")
    n = 0
    for a in arrays:
        n += a.shape[0]
    out = np.empty(n, arrays[0].dtype)
    k = 0
    for a in arrays:
        m = a.shape[0]
        out[k:k + m] = a
        k += m
    return out


def __kc_np_vstack(arrays):
    n = 0
    cols = arrays[0].shape[1]
    for a in arrays:
        if a.shape[1] != cols:
            raise ValueError("all the input array dimensions except for the concatenation axis must match exactly")
        n += a.shape[0]
    out = np.empty((n, cols), arrays[0].dtype)
    k = 0
    for a in arrays:
        m = a.shape[0]
        out[k:k + m, :] = a
        k += m
    return out


def __kc_np_hstack_2d(arrays):
    rows = arrays[0].shape[0]
    n = 0
    for a in arrays:
        if a.shape[0] != rows:
            raise ValueError("all the input array dimensions except for the concatenation axis must match exactly")
        n += a.shape[1]
    out = np.empty((rows, n), arrays[0].dtype)
    k = 0
    for a in arrays:
        m = a.shape[1]
        out[:, k:k + m] = a
        k += m
    return out


def __kc_np_concatenate_2d(arrays, axis=0):
    if axis == 0 or axis == -2:
        return __kc_np_vstack(arrays)
    if axis == 1 or axis == -1:
        return __kc_np_hstack_2d(arrays)
    raise ValueError("axis is out of bounds for arrays of dimension 2")


def __kc_np_vstack_rows(arrays):
    cols = arrays[0].shape[0]
    out = np.empty((len(arrays), cols), arrays[0].dtype)
    k = 0
    for a in arrays:
        if a.shape[0] != cols:
            raise ValueError("all the input array dimensions except for the concatenation axis must match exactly")
        out[k, :] = a
        k += 1
    return out


def __kc_np_split(ary, indices_or_sections, axis=0):
    # np.split into equal parts: a list of views of `ary` along its first axis.
    if indices_or_sections > 0 and ary.shape[0] % indices_or_sections != 0:
        raise ValueError("array split does not result in an equal division")
    return __kc_np_array_split(ary, indices_or_sections, axis)


def __kc_np_array_split(ary, indices_or_sections, axis=0):
    # NumPy's array_split: the first n % sections parts have one more item.
    if axis != 0:
        raise NotImplementedError("np.split and np.array_split along an axis other than 0")
    sections = indices_or_sections
    if sections <= 0:
        raise ValueError("number sections must be larger than 0.")
    n = ary.shape[0]
    each = n // sections
    extras = n % sections
    return [ary[i * each + min(i, extras):(i + 1) * each + min(i + 1, extras)] for i in range(sections)]


def __kc_split_edge(indices, i, n):
    if i < 0:
        return 0
    if i >= len(indices):
        return n
    return indices[i]


def __kc_np_split_at(ary, indices_or_sections, axis=0):
    # Split points, as slices take them (negative from the end, past the end clipped).
    if axis != 0:
        raise NotImplementedError("np.split and np.array_split along an axis other than 0")
    n = ary.shape[0]
    m = len(indices_or_sections)
    return [ary[__kc_split_edge(indices_or_sections, i - 1, n):__kc_split_edge(indices_or_sections, i, n)]
            for i in range(m + 1)]


def __kc_np_array_of_rows(rows, one):
    # np.array of a list of rows (lists of numbers or 1-D arrays): a 2-D array of `one`'s
    # type; rows of different lengths are refused, as NumPy 2 refuses ragged nested sequences.
    n = len(rows)
    cols = 0
    if n > 0:
        cols = len(rows[0])
    like = np.array([one])
    out = np.empty((n, cols), like.dtype)
    for i in range(n):
        r = rows[i]
        if len(r) != cols:
            raise ValueError("setting an array element with a sequence. The requested array has an inhomogeneous shape after 1 dimensions.")
        for j in range(cols):
            out[i, j] = r[j]
    return out


def __kc_np_eye(N, M=None, k=0):
    cols = N
    if M is not None:
        cols = M
    out = np.zeros((N, cols))
    for i in range(N):
        j = i + k
        if j >= 0 and j < cols:
            out[i, j] = 1.0
    return out


def __kc_np_sign(a):
    out = np.empty_like(a)
    flat = out.reshape(-1)
    i = 0
    for x in a.flat:
        if x > 0:
            flat[i] = 1
        elif x < 0:
            flat[i] = -1
        elif x == 0:
            flat[i] = 0
        else:
            flat[i] = x
        i += 1
    return out


def __kc_np_round(a, decimals=0):
    # NumPy's rounding of floats: scale by 10**decimals, round half to even, scale back.
    out = np.empty_like(a)
    flat = out.reshape(-1)
    i = 0
    if decimals >= 0:
        f = 10.0 ** decimals
        for x in a.flat:
            flat[i] = np.rint(x * f) / f
            i += 1
    else:
        f = 10.0 ** (-decimals)
        for x in a.flat:
            flat[i] = np.rint(x / f) * f
            i += 1
    return out


def __kc_np_sign_int(x):
    if x > 0:
        return 1
    elif x < 0:
        return -1
    return 0


def __kc_np_sign_float(x):
    # NaN and zeros are x itself (NaN propagates).
    if x > 0:
        return 1.0
    elif x < 0:
        return -1.0
    return x * 1.0


def __kc_np_round_scalar(x, decimals=0):
    # As __kc_np_round, without the shortcuts of Python's round(): np.round(1e300, 5) moves x.
    if decimals >= 0:
        f = 10.0 ** decimals
        return np.rint(x * f) / f
    f = 10.0 ** (-decimals)
    return np.rint(x / f) * f


def __kc_np_round_int(x, decimals=0):
    return __kc_round_int(x, decimals)


def __kc_np_isclose(a, b, rtol=1e-05, atol=1e-08, equal_nan=False):
    close = np.abs(a - b) <= atol + rtol * np.abs(b)
    # Infinities are close only to themselves.
    return (close & np.isfinite(a) & np.isfinite(b)) | ((a == b) & ~(np.isfinite(a) & np.isfinite(b))) | (equal_nan & np.isnan(a) & np.isnan(b))


def __kc_np_allclose(a, b, rtol=1e-05, atol=1e-08, equal_nan=False):
    return bool(np.all(__kc_np_isclose(a, b, rtol, atol, equal_nan)))


def __kc_np_count_nonzero(a):
    c = 0
    for x in a.flat:
        if x != 0:
            c += 1
    return c


def __kc_np_flatnonzero(a):
    out = np.empty(__kc_np_count_nonzero(a), np.int64)
    k = 0
    i = 0
    for x in a.flat:
        if x != 0:
            out[k] = i
            k += 1
        i += 1
    return out


def __kc_np_nonzero(a):
    return (__kc_np_flatnonzero(a),)


def __kc_np_nonzero_2d(a):
    n = __kc_np_count_nonzero(a)
    rows = np.empty(n, np.int64)
    cols = np.empty(n, np.int64)
    k = 0
    for i in range(a.shape[0]):
        for j in range(a.shape[1]):
            if a[i, j] != 0:
                rows[k] = i
                cols[k] = j
                k += 1
    return rows, cols


def __kc_np_nonzero_3d(a):
    n = __kc_np_count_nonzero(a)
    first = np.empty(n, np.int64)
    second = np.empty(n, np.int64)
    third = np.empty(n, np.int64)
    k = 0
    for i in range(a.shape[0]):
        for j in range(a.shape[1]):
            for m in range(a.shape[2]):
                if a[i, j, m] != 0:
                    first[k] = i
                    second[k] = j
                    third[k] = m
                    k += 1
    return first, second, third


def __kc_np_trace(a, offset=0):
    s = 0
    for i in range(a.shape[0]):
        j = i + offset
        if j >= 0 and j < a.shape[1]:
            s += a[i, j]
    return s


def __kc_np_take(a, indices):
    flat = a.flatten()
    n = flat.shape[0]
    out = np.empty(indices.shape[0], flat.dtype)
    for i in range(indices.shape[0]):
        j = indices[i]
        if j < -n or j >= n:
            raise IndexError("index out of bounds for the array")
        out[i] = flat[j]
    return out


def __kc_put_scalar(a, indices, v):
    # a[indices] = v of a 1-D array.
    n = a.shape[0]
    for i in range(indices.shape[0]):
        j = indices[i]
        if j < -n or j >= n:
            raise IndexError("index out of bounds for the array")
        a[j] = v


def __kc_mask_put(a, mask, v):
    # a[mask] = v with a 1-D v: the k-th element where the mask holds (in C order) gets v[k],
    # or every one v[0] when v has one element, as NumPy assigns.
    if mask.shape != a.shape:
        raise IndexError("boolean index did not match indexed array")
    count = 0
    for idx in np.ndindex(a.shape):
        if mask[idx]:
            count += 1
    if v.shape[0] != count and v.shape[0] != 1:
        raise ValueError("NumPy boolean array indexing assignment cannot assign the input values to the output values where the mask is true")
    k = 0
    for idx in np.ndindex(a.shape):
        if mask[idx]:
            if v.shape[0] == 1:
                a[idx] = v[0]
            else:
                a[idx] = v[k]
            k += 1


def __kc_put_array(a, indices, v):
    # a[indices] = v of a 1-D array, v one value per index (or one value for all).
    n = a.shape[0]
    m = indices.shape[0]
    if v.ndim != 1 or (v.shape[0] != m and v.shape[0] != 1):
        raise ValueError("shape mismatch: value array could not be broadcast to indexing result shape")
    for i in range(m):
        j = indices[i]
        if j < -n or j >= n:
            raise IndexError("index out of bounds for the array")
        if v.shape[0] == m:
            a[j] = v[i]
        else:
            a[j] = v[0]


def __kc_np_argbest_1d(v, largest):
    # NumPy's argmax/argmin: the first NaN wins, else the first best value.
    best = 0
    for i in range(v.shape[0]):
        x = v[i]
        if x != x:
            return i
        if largest:
            if x > v[best]:
                best = i
        elif x < v[best]:
            best = i
    return best


def __kc_np_argbest_2d(a, axis, largest):
    if a.shape[axis] == 0:
        raise ValueError("attempt to get argmax of an empty sequence")
    if axis == 0:
        out = np.empty(a.shape[1], np.int64)
        for j in range(a.shape[1]):
            out[j] = __kc_np_argbest_1d(a[:, j], largest)
    else:
        out = np.empty(a.shape[0], np.int64)
        for j in range(a.shape[0]):
            out[j] = __kc_np_argbest_1d(a[j, :], largest)
    return out


def __kc_np_argmax_2d(a, axis):
    return __kc_np_argbest_2d(a, axis, True)


def __kc_np_argmin_2d(a, axis):
    return __kc_np_argbest_2d(a, axis, False)


def __kc_np_linalg_norm(x):
    # NumPy's default norm (2-norm of a vector, Frobenius of a matrix): sqrt(dot(x, x)) of the
    # flattened array; NumPy's dot is BLAS's, so the last bits may differ by its summation order.
    f = x.flatten()
    return math.sqrt(np.dot(f, f))


def __kc_np_linalg_norm_vector_ord(x, ord):
    # NumPy's vector norms by ord, computed as numpy/linalg does (so the same bits).
    if ord == np.inf:
        return np.abs(x).max() * 1.0
    if ord == -np.inf:
        return np.abs(x).min() * 1.0
    if ord == 0:
        return (x != 0).sum() * 1.0
    if ord == 1:
        return np.sum(np.abs(x)) * 1.0
    if ord == 2:
        return math.sqrt(np.dot(x, x))
    return np.sum(np.abs(x) ** ord) ** (1.0 / ord)


def __kc_np_linalg_norm_matrix_ord(x, ord):
    # Induced matrix norms of ord 1, -1, inf, -inf (column and row sums of |x|), 2 and -2
    # (singular values).
    if ord == 1:
        return np.abs(x).sum(axis=0).max() * 1.0
    if ord == -1:
        return np.abs(x).sum(axis=0).min() * 1.0
    if ord == np.inf:
        return np.abs(x).sum(axis=1).max() * 1.0
    if ord == -np.inf:
        return np.abs(x).sum(axis=1).min() * 1.0
    if ord == 2 or ord == -2:
        # The largest or smallest singular value (kcache's Jacobi SVD, see __kc_linalg_svd).
        s = __kc_linalg_svdvals(x)
        return s[0] * 1.0 if ord == 2 else s[s.shape[0] - 1] * 1.0
    raise ValueError("kcache computes matrix norms of ord 1, -1, 2, -2, inf and -inf")


def __kc_np_sinc(x):
    # NumPy's formula: pi * x, with 1e-20 standing in for 0.
    y = math.pi * (1.0e-20 if x == 0 else x)
    return math.sin(y) / y


def __kc_np_sinc_many(a):
    out = np.empty(a.shape)
    flat = out.reshape(-1)
    i = 0
    for x in a.flat:
        flat[i] = __kc_np_sinc(x)
        i += 1
    return out


def __kc_np_nanmedian(a):
    # The median of the numbers that are not NaN; NaN when there are none (NumPy warns).
    b = a.ravel()
    kept = b[~np.isnan(b)]
    if kept.size == 0:
        return np.nan
    return np.median(kept)


def __kc_divmod(a, b):
    # Python's divmod: floor quotient and remainder with the divisor's sign.
    return a // b, a % b


def __kc_round_float(x, ndigits):
    # round(x, n) of a float: scaled by 10**n and rounded half to even, as Numba and NumPy do;
    # CPython rounds the exact decimal value instead, which differs only where x * 10**n lands
    # within an ulp of a half.
    if ndigits >= 0:
        f = 10.0 ** ndigits
        y = x * f
        if not math.isfinite(y):
            return x * 1.0
        z = np.rint(y)
        # Nothing to round off: x as it is (dividing back could move it by an ulp).
        if z == y:
            return x * 1.0
        return z / f
    f = 10.0 ** (-ndigits)
    return np.rint(x / f) * f


def __kc_round_int(x, ndigits):
    # round(n, d) of an integer: n itself for d >= 0, else to a multiple of 10**-d, half to even.
    if ndigits >= 0:
        return x
    if ndigits < -18:
        return 0 * x
    p = 10 ** (-ndigits)
    q = x // p
    twice = 2 * (x - q * p)
    if twice > p or (twice == p and q % 2 == 1):
        q += 1
    return q * p


def __kc_math_isclose(a, b):
    # math.isclose with its defaults (rel_tol=1e-09, abs_tol=0.0): infinities only equal.
    if a == b:
        return True
    if math.isinf(a) or math.isinf(b):
        return False
    diff = abs(b - a)
    return diff <= abs(1e-09 * b) or diff <= abs(1e-09 * a)


def __kc_gcd(a, b):
    # math.gcd: the greatest common divisor, never negative (gcd(0, 0) is 0).
    a = abs(a)
    b = abs(b)
    while b != 0:
        a, b = b, a % b
    return a


def __kc_mask_rows_at_col_2d(a, mask, j):
    # a[mask, j]: column j of the rows the mask keeps, in order (a new array).
    if mask.shape[0] != a.shape[0]:
        raise IndexError("boolean index did not match indexed array along axis 0")
    n = 0
    for i in range(mask.shape[0]):
        if mask[i]:
            n += 1
    out = np.empty(n, dtype=a.dtype)
    k = 0
    for i in range(mask.shape[0]):
        if mask[i]:
            out[k] = a[i, j]
            k += 1
    return out


def __kc_nditer_same_shape(a, b):
    # np.nditer((a, b)) pairs elements of equal shapes only: kcache does not broadcast them.
    if a.ndim != b.ndim or a.shape != b.shape:
        raise ValueError("np.nditer of arrays of different shapes (kcache does not broadcast them)")


def __kc_unpack_checked(v, n):
    # `a, b = v` of a 1-D array: Python's errors for a length that is not the targets' count.
    if v.shape[0] > n:
        raise ValueError("too many values to unpack")
    if v.shape[0] < n:
        raise ValueError("not enough values to unpack")
    return v


def __kc_ldexp(x, n):
    # math.ldexp: x * 2**n, rounded once (musl's scalbn: scale in exact steps, then one
    # multiplication that lands in the subnormal range only at the end). Overflow gives inf,
    # as C's ldexp does (CPython raises OverflowError there).
    y = float(x)
    if n > 1023:
        y *= 8.98846567431158e307
        n -= 1023
        if n > 1023:
            y *= 8.98846567431158e307
            n -= 1023
            if n > 1023:
                n = 1023
    elif n < -1022:
        # 2**-1022 * 2**53: the last step's result is below 2**-53 of the scale, no double rounding.
        y *= 2.004168360008973e-292
        n += 1022 - 53
        if n < -1022:
            y *= 2.004168360008973e-292
            n += 1022 - 53
            if n < -1022:
                n = -1022
    return y * 2.0 ** n


def __kc_frexp(x):
    # math.frexp: (m, e) with x == m * 2**e and 0.5 <= |m| < 1; (x, 0) for 0, inf and nan.
    x = float(x)
    if x == 0.0 or x != x or x - x != 0.0:
        return x, 0
    m = abs(x)
    e = 0
    if m < 2.2250738585072014e-308:
        m *= 18014398509481984.0
        e = -54
    k = int(math.floor(math.log2(m))) + 1
    m = __kc_ldexp(m, -k)
    while m >= 1.0:
        m *= 0.5
        k += 1
    while m < 0.5:
        m *= 2.0
        k -= 1
    return math.copysign(m, x), e + k


def __kc_cmath_polar(z):
    z = complex(z)
    return abs(z), cmath.phase(z)


def __kc_cmath_rect(r, phi):
    # CPython's rect for finite arguments.
    return complex(r * math.cos(phi), r * math.sin(phi))


# --- array construction and rearrangement ----------------------------------------------------


def __kc_np_square(x):
    return x * x


def __kc_np_reciprocal(x):
    return 1.0 / x


def __kc_np_bincount(x, weights=None, minlength=0):
    if minlength < 0:
        raise ValueError("'minlength' must not be negative")
    n = minlength
    for v in x:
        if v < 0:
            raise ValueError("'list' argument must have no negative elements")
        if int(v) + 1 > n:
            n = int(v) + 1
    if weights is None:
        counts = np.zeros(n, np.int64)
        for v in x:
            counts[v] += 1
        return counts
    else:
        if weights.shape[0] != x.shape[0]:
            raise ValueError("The weights and list don't have the same length.")
        sums = np.zeros(n, np.float64)
        for i in range(x.shape[0]):
            sums[x[i]] += weights[i]
        return sums


def __kc_np_tril(m, k=0):
    out = m.copy()
    for i in range(m.shape[0]):
        for j in range(max(i + k + 1, 0), m.shape[1]):
            out[i, j] = 0
    return out


def __kc_np_triu(m, k=0):
    out = m.copy()
    for i in range(m.shape[0]):
        for j in range(min(i + k, m.shape[1])):
            out[i, j] = 0
    return out


def __kc_np_flip_1d(m):
    return m[::-1]


def __kc_np_flip_2d(m):
    return m[::-1, ::-1]


def __kc_np_flipud(m):
    return m[::-1]


def __kc_np_fliplr(m):
    return m[:, ::-1]


def __kc_np_roll(a, shift):
    # Without an axis NumPy rolls the flattened array and gives it the input's shape back.
    flat = a.flatten()
    shape = a.shape
    n = flat.shape[0]
    out = np.empty_like(flat)
    if n > 0:
        s = shift % n
        out[s:] = flat[:n - s]
        out[:s] = flat[n - s:]
    return out.reshape(shape)


def __kc_np_trapezoid(y, x=None, dx=None):
    if x is None:
        if dx is None:
            # NumPy's 1.0 * (...) is exact, and leaving it out keeps float32 data float32.
            return ((y[1:] + y[:-1]) / 2.0).sum()
        else:
            return (dx * (y[1:] + y[:-1]) / 2.0).sum()
    else:
        if x.shape[0] != y.shape[0]:
            raise ValueError("x and y must have the same length")
        return (np.diff(x) * (y[1:] + y[:-1]) / 2.0).sum()


def __kc_np_convolve(a, v):
    # mode='full', as Numba supports it: out[k] = sum over j of a[j] * v[k - j].
    if a.shape[0] == 0:
        raise ValueError("a cannot be empty")
    if v.shape[0] == 0:
        raise ValueError("v cannot be empty")
    n = a.shape[0]
    m = v.shape[0]
    out = np.zeros(n + m - 1, (a[:1] * v[:1]).dtype)
    for k in range(n + m - 1):
        acc = out[k]
        for j in range(max(0, k - m + 1), min(n, k + 1)):
            acc += a[j] * v[k - j]
        out[k] = acc
    return out


def __kc_np_cross_1d(a, b):
    if a.shape[0] != 3 or b.shape[0] != 3:
        raise ValueError("incompatible dimensions for cross product (dimension must be 3)")
    out = np.empty(3, (a[:1] * b[:1]).dtype)
    out[0] = a[1] * b[2] - a[2] * b[1]
    out[1] = a[2] * b[0] - a[0] * b[2]
    out[2] = a[0] * b[1] - a[1] * b[0]
    return out


def __kc_np_cross_2d(a, b):
    if a.shape[1] != 3 or b.shape[1] != 3:
        raise ValueError("incompatible dimensions for cross product (dimension must be 3)")
    if a.shape[0] != b.shape[0]:
        raise ValueError("operands could not be broadcast together")
    out = np.empty((a.shape[0], 3), (a[:1, :1] * b[:1, :1]).dtype)
    for i in range(a.shape[0]):
        out[i] = __kc_np_cross_1d(a[i], b[i])
    return out


def __kc_np_diag_of_vector(v, k=0):
    n = v.shape[0] + abs(k)
    out = np.zeros((n, n), v.dtype)
    for i in range(v.shape[0]):
        if k >= 0:
            out[i, i + k] = v[i]
        else:
            out[i - k, i] = v[i]
    return out


def __kc_np_diag_of_matrix(m, k=0):
    rows = m.shape[0]
    cols = m.shape[1]
    if k >= 0:
        n = max(min(rows, cols - k), 0)
    else:
        n = max(min(rows + k, cols), 0)
    out = np.empty(n, m.dtype)
    for i in range(n):
        if k >= 0:
            out[i] = m[i, i + k]
        else:
            out[i] = m[i - k, i]
    return out


def __kc_np_repeat(a, repeats):
    if repeats < 0:
        raise ValueError("negative dimensions are not allowed")
    flat = a.flatten()
    out = np.empty(flat.shape[0] * repeats, flat.dtype)
    k = 0
    for v in flat:
        for _ in range(repeats):
            out[k] = v
            k += 1
    return out


def __kc_np_tile(a, reps):
    n = a.shape[0]
    out = np.empty(n * max(reps, 0), a.dtype)
    for r in range(max(reps, 0)):
        out[r * n:(r + 1) * n] = a
    return out


def __kc_np_argwhere(a):
    count = 0
    for v in a.flat:
        if v != 0:
            count += 1
    out = np.empty((count, a.ndim), np.int64)
    shape = a.shape
    k = 0
    i = 0
    for v in a.flat:
        if v != 0:
            rest = i
            for d in range(a.ndim - 1, -1, -1):
                out[k, d] = rest % shape[d]
                rest //= shape[d]
            k += 1
        i += 1
    return out


def __kc_np_polyval(p, x):
    # NumPy's Horner loop from zeros_like(x) (so the result has x's shape and the common dtype).
    y = np.zeros_like(x * p[:1].sum())
    for c in p:
        y = y * x + c
    return y


def __kc_np_polyval_scalar(p, x):
    y = 0 * (x * p[:1].sum())
    for c in p:
        y = y * x + c
    return y


def __kc_np_kron_1d(a, b):
    m = b.shape[0]
    out = np.empty(a.shape[0] * m, (a[:1] * b[:1]).dtype)
    for i in range(a.shape[0]):
        for j in range(m):
            out[i * m + j] = a[i] * b[j]
    return out


def __kc_np_kron_2d(a, b):
    p = b.shape[0]
    q = b.shape[1]
    out = np.empty((a.shape[0] * p, a.shape[1] * q), (a[:1, :1] * b[:1, :1]).dtype)
    for i in range(a.shape[0]):
        for j in range(a.shape[1]):
            for k in range(p):
                for m in range(q):
                    out[i * p + k, j * q + m] = a[i, j] * b[k, m]
    return out


def __kc_np_meshgrid(x, y):
    # indexing='xy': both results have shape (len(y), len(x)).
    xs = x.flatten()
    ys = y.flatten()
    gx = np.empty((ys.shape[0], xs.shape[0]), xs.dtype)
    gy = np.empty((ys.shape[0], xs.shape[0]), ys.dtype)
    for i in range(ys.shape[0]):
        gx[i, :] = xs
        gy[i, :] = ys[i]
    return gx, gy


def __kc_np_stack_columns(arrays):
    rows = arrays[0].shape[0]
    out = np.empty((rows, len(arrays)), arrays[0].dtype)
    k = 0
    for a in arrays:
        if a.shape[0] != rows:
            raise ValueError("all the input array dimensions except for the concatenation axis must match exactly")
        out[:, k] = a
        k += 1
    return out


def __kc_np_stack_matrices(arrays):
    # np.stack of 2-D arrays: a new first axis.
    rows = arrays[0].shape[0]
    cols = arrays[0].shape[1]
    out = np.empty((len(arrays), rows, cols), arrays[0].dtype)
    k = 0
    for a in arrays:
        if a.shape[0] != rows or a.shape[1] != cols:
            raise ValueError("all input arrays must have the same shape")
        out[k] = a
        k += 1
    return out


def __kc_np_dstack_matrices(arrays):
    # np.dstack of 2-D arrays: stacked along a new third axis.
    rows = arrays[0].shape[0]
    cols = arrays[0].shape[1]
    out = np.empty((rows, cols, len(arrays)), arrays[0].dtype)
    k = 0
    for a in arrays:
        if a.shape[0] != rows or a.shape[1] != cols:
            raise ValueError("all the input array dimensions except for the concatenation axis must match exactly")
        out[:, :, k] = a
        k += 1
    return out


# --- statistics ------------------------------------------------------------------------------


def __kc_np_cov_rows(m, ddof=1):
    # Rows are variables, columns observations (NumPy's rowvar=True).
    x = m.astype(np.float64)
    n = x.shape[1]
    centered = np.empty_like(x)
    for i in range(x.shape[0]):
        centered[i, :] = x[i, :] - x[i, :].mean()
    fact = n - ddof
    return np.dot(centered, centered.T) * (1.0 / fact)


def __kc_np_cov_pair(x, y, ddof=1):
    return __kc_np_cov_rows(np.vstack((x.astype(np.float64), y.astype(np.float64))), ddof)


def __kc_np_corr_of(c):
    d = np.sqrt(np.diag(c))
    out = c / d.reshape(-1, 1)
    out = out / d.reshape(1, -1)
    return np.clip(out, -1.0, 1.0)


def __kc_np_corrcoef_rows(m):
    return __kc_np_corr_of(__kc_np_cov_rows(m))


def __kc_np_corrcoef_pair(x, y):
    return __kc_np_corr_of(__kc_np_cov_pair(x, y))


def __kc_np_ptp(a):
    return a.max() - a.min()


def __kc_np_nan_zeroed(a, fill):
    out = a.flatten()
    for i in range(out.shape[0]):
        if out[i] != out[i]:
            out[i] = fill
    return out


def __kc_np_nansum(a):
    return __kc_np_nan_zeroed(a, 0).sum()


def __kc_np_nanprod(a):
    return __kc_np_nan_zeroed(a, 1).prod()


def __kc_np_nan_count(a):
    n = 0
    for v in a.flat:
        if v == v:
            n += 1
    return n


def __kc_np_nanmean(a):
    n = __kc_np_nan_count(a)
    if n == 0:
        # NumPy warns "Mean of empty slice" and gives NaN.
        return np.nan
    return __kc_np_nansum(a) / n


def __kc_np_nanvar(a, ddof=0):
    n = __kc_np_nan_count(a)
    if n - ddof <= 0:
        return np.nan
    mean = __kc_np_nansum(a) / n
    acc = 0.0
    for v in a.flat:
        if v == v:
            d = v - mean
            acc += d * d
    return acc / (n - ddof)


def __kc_np_nanstd(a, ddof=0):
    return math.sqrt(__kc_np_nanvar(a, ddof))


def __kc_np_nanbest(a, largest):
    # NaNs are skipped; an array of NaNs only gives NaN (NumPy warns), an empty one raises.
    if a.size == 0:
        raise ValueError("zero-size array to reduction operation which has no identity")
    found = False
    first = a.ravel()[0]
    best = first
    for v in a.flat:
        if v == v:
            if not found:
                best = v
                found = True
            elif largest:
                if v > best:
                    best = v
            elif v < best:
                best = v
    if not found:
        return first
    return best


def __kc_np_nanmax(a):
    return __kc_np_nanbest(a, True)


def __kc_np_nanmin(a):
    return __kc_np_nanbest(a, False)


def __kc_np_nanargbest(a, largest):
    if a.size == 0:
        raise ValueError("All-NaN slice encountered")
    best = -1
    i = 0
    best_value = a.ravel()[0]
    for v in a.flat:
        if v == v:
            if best < 0:
                best = i
                best_value = v
            elif largest:
                if v > best_value:
                    best = i
                    best_value = v
            elif v < best_value:
                best = i
                best_value = v
        i += 1
    if best < 0:
        raise ValueError("All-NaN slice encountered")
    return best


def __kc_np_nanargmax(a):
    return __kc_np_nanargbest(a, True)


def __kc_np_nanargmin(a):
    return __kc_np_nanargbest(a, False)


def __kc_np_digitize_one(x, bins, right):
    n = bins.shape[0]
    increasing = n < 2 or bins[0] <= bins[n - 1]
    if increasing:
        if right:
            return __kc_np_searchsorted_left(bins, x)
        return __kc_np_searchsorted_right(bins, x)
    rev = bins[::-1]
    if right:
        return n - __kc_np_searchsorted_right(rev, x)
    return n - __kc_np_searchsorted_left(rev, x)


def __kc_np_digitize(x, bins, right=False):
    return __kc_np_digitize_one(x, bins, right)


def __kc_np_digitize_many(x, bins, right=False):
    out = np.empty(x.shape, np.int64)
    flat = out.reshape(-1)
    i = 0
    for v in x.flat:
        flat[i] = __kc_np_digitize_one(v, bins, right)
        i += 1
    return out


def __kc_np_heaviside_one(x, h0):
    if x != x:
        return x * 1.0
    if x < 0:
        return 0.0 * h0
    if x > 0:
        return 1.0 + 0.0 * h0
    return h0 * 1.0


def __kc_np_heaviside(x, h0):
    return __kc_np_heaviside_one(x, h0)


def __kc_np_heaviside_many(x, h0):
    out = np.empty(x.shape, (x.flat[:1] * 1.0 * h0).dtype)
    flat = out.reshape(-1)
    i = 0
    for v in x.flat:
        flat[i] = __kc_np_heaviside_one(v, h0)
        i += 1
    return out


# --- linear algebra (LU with partial pivoting, as LAPACK's getrf; the last bits may differ) -----


def __kc_linalg_square(a):
    if a.shape[0] != a.shape[1]:
        raise LinAlgError("Last 2 dimensions of the array must be square")


def __kc_linalg_lu(a):
    # LU of a float64 copy in place; returns (lu, pivots, sign, singular).
    lu = a.astype(np.float64)
    n = lu.shape[0]
    piv = np.arange(n)
    sign = 1.0
    singular = False
    for k in range(n):
        p = k
        best = abs(lu[k, k])
        for i in range(k + 1, n):
            v = abs(lu[i, k])
            if v > best:
                best = v
                p = i
        if best == 0.0:
            singular = True
            continue
        if p != k:
            for j in range(n):
                lu[k, j], lu[p, j] = lu[p, j], lu[k, j]
            piv[k], piv[p] = piv[p], piv[k]
            sign = -sign
        inv = 1.0 / lu[k, k]
        for i in range(k + 1, n):
            f = lu[i, k] * inv
            lu[i, k] = f
            if f != 0.0:
                for j in range(k + 1, n):
                    lu[i, j] -= f * lu[k, j]
    return lu, piv, sign, singular


def __kc_linalg_det(a):
    __kc_linalg_square(a)
    lu, piv, sign, singular = __kc_linalg_lu(a)
    if singular:
        return 0.0
    d = sign
    for i in range(lu.shape[0]):
        d *= lu[i, i]
    return d


def __kc_linalg_lu_solve(lu, piv, b):
    # b is 2-D (n, k); returns x with A x = b.
    n = lu.shape[0]
    x = np.empty((n, b.shape[1]), np.float64)
    for i in range(n):
        x[i, :] = b[piv[i], :]
    for c in range(b.shape[1]):
        for i in range(n):
            s = x[i, c]
            for j in range(i):
                s -= lu[i, j] * x[j, c]
            x[i, c] = s
        for i in range(n - 1, -1, -1):
            s = x[i, c]
            for j in range(i + 1, n):
                s -= lu[i, j] * x[j, c]
            x[i, c] = s / lu[i, i]
    return x


def __kc_linalg_inv(a):
    __kc_linalg_square(a)
    lu, piv, sign, singular = __kc_linalg_lu(a)
    if singular:
        raise LinAlgError("Matrix is singular to machine precision.")
    return __kc_linalg_lu_solve(lu, piv, np.eye(a.shape[0]))


def __kc_linalg_solve_matrix(a, b):
    __kc_linalg_square(a)
    if b.shape[0] != a.shape[0]:
        raise LinAlgError("Incompatible array sizes, a and b.")
    lu, piv, sign, singular = __kc_linalg_lu(a)
    if singular:
        raise LinAlgError("Matrix is singular to machine precision.")
    return __kc_linalg_lu_solve(lu, piv, b.astype(np.float64))


def __kc_linalg_solve_vector(a, b):
    return __kc_linalg_solve_matrix(a, b.reshape(-1, 1).copy())[:, 0].copy()


# --- more of np.linalg: Cholesky, Householder QR, Jacobi eigh and SVD, and what rests on them ---
# numpy.linalg computes in float64 for float32 input too and rounds the results to float32;
# so does this code (every helper works on a float64 copy; __kc_linalg_as rounds the result).
# NumPy calls LAPACK; kcache has none, so these are the classic algorithms written out. QR is
# Householder the LAPACK way (dgeqr2/dorg2r), so Q and R equal NumPy's with their signs. The
# eigenvectors of eigh and singular vectors of svd come from Jacobi rotations: each column is
# NumPy's up to its sign (LAPACK's signs depend on its algorithm and blocking, not on a rule).


def __kc_linalg_as(x, a):
    # x (computed in float64) in NumPy's result dtype for input `a`: float32 stays float32.
    if a.dtype == np.float32:
        return x.astype(np.float32)
    return x


def __kc_linalg_as2(x, a, b):
    # The result dtype for two inputs: float32 only when both are float32 (numpy.linalg's
    # _commonType).
    # (Two returning tests: each is decided when typing and prunes what follows it.)
    if a.dtype != np.float32:
        return x
    if b.dtype != np.float32:
        return x
    return x.astype(np.float32)


def __kc_linalg_norm2(x, lo, hi, j):
    # The 2-norm of x[lo:hi, j], scaled as BLAS's dnrm2 is so that squares cannot overflow.
    scale = 0.0
    for i in range(lo, hi):
        v = abs(x[i, j])
        if v != v:
            return v
        scale = max(scale, v)
    if scale == 0.0 or scale == np.inf:
        return scale
    s = 0.0
    for i in range(lo, hi):
        t = x[i, j] / scale
        s += t * t
    return scale * math.sqrt(s)


def __kc_linalg_cholesky(a):
    # Cholesky-Banachiewicz from the lower triangle only (NumPy's UPLO='L'); the upper triangle
    # of the result is zero, as NumPy's.
    __kc_linalg_square(a)
    x = a.astype(np.float64)
    n = x.shape[0]
    low = np.zeros((n, n))
    for j in range(n):
        d = x[j, j]
        for k in range(j):
            d -= low[j, k] * low[j, k]
        # NaN is not caught here, as LAPACK's potrf does not: it spreads into the result.
        if d <= 0.0:
            raise LinAlgError("Matrix is not positive definite")
        d = math.sqrt(d)
        low[j, j] = d
        for i in range(j + 1, n):
            s = x[i, j]
            for k in range(j):
                s -= low[i, k] * low[j, k]
            low[i, j] = s / d
    return __kc_linalg_as(low, a)


def __kc_linalg_householder(a):
    # LAPACK's dgeqr2 on a float64 copy: column j's reflector H = I - tau v v^T (v[j] = 1, the
    # rest of v stored below the diagonal) maps the column to (beta, 0, ...). dlarfg's choice
    # beta = -sign(alpha) * norm avoids cancellation and fixes the signs of R's diagonal; a
    # column already zero below the diagonal gets tau = 0 (H = I), its diagonal kept as it is.
    r = a.astype(np.float64)
    m = r.shape[0]
    n = r.shape[1]
    k = min(m, n)
    tau = np.zeros(k)
    for j in range(k):
        xnorm = __kc_linalg_norm2(r, j + 1, m, j)
        if xnorm == 0.0:
            continue
        alpha = r[j, j]
        h = math.hypot(alpha, xnorm)
        beta = -h if alpha >= 0.0 else h
        tau[j] = (beta - alpha) / beta
        scal = 1.0 / (alpha - beta)
        for i in range(j + 1, m):
            r[i, j] *= scal
        r[j, j] = beta
        # H applied to the columns right of j: c -= tau * v * (v . c).
        for c in range(j + 1, n):
            w = r[j, c]
            for i in range(j + 1, m):
                w += r[i, j] * r[i, c]
            w *= tau[j]
            r[j, c] -= w
            for i in range(j + 1, m):
                r[i, c] -= r[i, j] * w
    return r, tau


def __kc_linalg_qr(a):
    # np.linalg.qr(a) (mode 'reduced'): Q (m, k) with orthonormal columns and R (k, n) upper
    # triangular, k = min(m, n). Q is formed as LAPACK's dorg2r does, applying the reflectors
    # in reverse order to the first k columns of the identity.
    r, tau = __kc_linalg_householder(a)
    m = r.shape[0]
    n = r.shape[1]
    k = min(m, n)
    q = np.zeros((m, k))
    for j in range(k - 1, -1, -1):
        for c in range(j + 1, k):
            w = q[j, c]
            for i in range(j + 1, m):
                w += r[i, j] * q[i, c]
            w *= tau[j]
            q[j, c] -= w
            for i in range(j + 1, m):
                q[i, c] -= r[i, j] * w
        q[j, j] = 1.0 - tau[j]
        for i in range(j + 1, m):
            q[i, j] = -tau[j] * r[i, j]
    upper = np.zeros((k, n))
    for i in range(k):
        for j in range(i, n):
            upper[i, j] = r[i, j]
    return __kc_linalg_as(q, a), __kc_linalg_as(upper, a)


def __kc_linalg_rotation(theta):
    # tan of the Jacobi angle that zeroes an off-diagonal entry, theta = (a_qq - a_pp) / (2 a_pq):
    # the smaller root of t^2 + 2 theta t - 1 = 0 (|angle| <= pi/4, so the rotation converges).
    if abs(theta) > 1e150:
        return 0.5 / theta
    t = 1.0 / (abs(theta) + math.sqrt(theta * theta + 1.0))
    return -t if theta < 0.0 else t


def __kc_linalg_rotate_columns(m, p, q, c, s):
    # Columns p and q of m become c * col_p - s * col_q and s * col_p + c * col_q.
    for k in range(m.shape[0]):
        mp = m[k, p]
        mq = m[k, q]
        m[k, p] = c * mp - s * mq
        m[k, q] = s * mp + c * mq


def __kc_linalg_jacobi_eigh(a):
    # Cyclic Jacobi on the symmetric matrix of a's lower triangle (NumPy's UPLO='L'): rotations
    # until every off-diagonal entry is negligible against its diagonal pair (|a_pq| <=
    # eps * sqrt(|a_pp a_qq|), the relative criterion that keeps small eigenvalues accurate) or
    # against the whole matrix (eps^2 * ||A||_F, below any eigenvalue's rounding). Returns the
    # eigenvalues ascending and the eigenvectors as columns in the same order.
    __kc_linalg_square(a)
    n = a.shape[0]
    x = np.empty((n, n))
    for i in range(n):
        for j in range(i + 1):
            x[i, j] = a[i, j]
            x[j, i] = a[i, j]
    v = np.eye(n)
    if not np.isfinite(x).all():
        # LAPACK's result for NaN or infinity is NaN throughout (no error), and rotations
        # would not converge on them.
        return np.full(n, np.nan), np.full((n, n), np.nan)
    eps = 2.220446049250313e-16
    frob = 0.0
    for i in range(n):
        for j in range(n):
            frob += x[i, j] * x[i, j]
    floor = eps * eps * math.sqrt(frob)
    converged = False
    for sweep in range(100):
        rotated = False
        for p in range(n - 1):
            for q in range(p + 1, n):
                apq = x[p, q]
                app = x[p, p]
                aqq = x[q, q]
                if apq == 0.0 or abs(apq) <= floor or abs(apq) <= eps * math.sqrt(abs(app)) * math.sqrt(abs(aqq)):
                    continue
                rotated = True
                t = __kc_linalg_rotation((aqq - app) / (2.0 * apq))
                c = 1.0 / math.sqrt(t * t + 1.0)
                s = t * c
                __kc_linalg_rotate_columns(x, p, q, c, s)
                for k in range(n):
                    xpk = x[p, k]
                    xqk = x[q, k]
                    x[p, k] = c * xpk - s * xqk
                    x[q, k] = s * xpk + c * xqk
                # The pair's own entries from the exact formulas (the updates above round them).
                x[p, q] = 0.0
                x[q, p] = 0.0
                x[p, p] = app - t * apq
                x[q, q] = aqq + t * apq
                __kc_linalg_rotate_columns(v, p, q, c, s)
        if not rotated:
            converged = True
            break
    if not converged:
        raise LinAlgError("Eigenvalues did not converge")
    w = np.empty(n)
    for i in range(n):
        w[i] = x[i, i]
    order = __kc_argsort_1d(w)
    ws = np.empty(n)
    vs = np.empty((n, n))
    for j in range(n):
        ws[j] = w[order[j]]
        for i in range(n):
            vs[i, j] = v[i, order[j]]
    return ws, vs


def __kc_linalg_eigvalsh(a):
    w, v = __kc_linalg_jacobi_eigh(a)
    return __kc_linalg_as(w, a)


def __kc_linalg_eigh(a):
    w, v = __kc_linalg_jacobi_eigh(a)
    return __kc_linalg_as(w, a), __kc_linalg_as(v, a)


def __kc_linalg_complete(q, filled):
    # Fills the columns of q (m, w <= m) that `filled` marks False with unit vectors orthogonal
    # to every other column (Gram-Schmidt, twice, of the standard basis vector that keeps the
    # most of its length): the orthonormal completion LAPACK gives full U/V^T and the singular
    # vectors of zero singular values (any orthonormal completion is as valid as NumPy's).
    m = q.shape[0]
    w = q.shape[1]
    for j in range(w):
        if filled[j]:
            continue
        best = -1.0
        pick = 0
        for i in range(m):
            left = 1.0
            for c in range(w):
                if filled[c]:
                    left -= q[i, c] * q[i, c]
            if left > best:
                best = left
                pick = i
        u = np.zeros(m)
        u[pick] = 1.0
        for again in range(2):
            for c in range(w):
                if filled[c]:
                    d = 0.0
                    for i in range(m):
                        d += q[i, c] * u[i]
                    for i in range(m):
                        u[i] -= d * q[i, c]
        norm = math.sqrt(np.dot(u, u))
        for i in range(m):
            q[i, j] = u[i] / norm
        filled[j] = True


def __kc_linalg_jacobi_svd(a, full):
    # One-sided (Hestenes) Jacobi SVD: rotate pairs of columns of X (X = A, or A^T when A is
    # wide, so that X is tall) until every pair is orthogonal to working precision
    # (|x_p . x_q| <= eps ||x_p|| ||x_q||); then X = U diag(s) and the rotations' product is V.
    # Singular values come out to high relative accuracy. Returns u, s (descending), vt in
    # float64; full=True completes u and vt to square orthogonal matrices.
    m = a.shape[0]
    n = a.shape[1]
    wide = m < n
    x = a.T.astype(np.float64) if wide else a.astype(np.float64)
    rows = x.shape[0]
    cols = x.shape[1]
    v = np.eye(cols)
    # NumPy's (LAPACK's dgesdd's) answers to non-finite input: NaN raises, infinity gives NaN.
    if np.isnan(x).any():
        raise LinAlgError("SVD did not converge")
    if not np.isfinite(x).all():
        k = min(m, n)
        um = m if full else k
        vn = n if full else k
        return np.full((m, um), np.nan), np.full(k, np.nan), np.full((vn, n), np.nan)
    eps = 2.220446049250313e-16
    converged = False
    for sweep in range(100):
        rotated = False
        for p in range(cols - 1):
            for q in range(p + 1, cols):
                alpha = 0.0
                beta = 0.0
                gamma = 0.0
                for i in range(rows):
                    alpha += x[i, p] * x[i, p]
                    beta += x[i, q] * x[i, q]
                    gamma += x[i, p] * x[i, q]
                if gamma == 0.0 or abs(gamma) <= eps * math.sqrt(alpha) * math.sqrt(beta):
                    continue
                rotated = True
                t = __kc_linalg_rotation((beta - alpha) / (2.0 * gamma))
                c = 1.0 / math.sqrt(t * t + 1.0)
                sn = t * c
                __kc_linalg_rotate_columns(x, p, q, c, sn)
                __kc_linalg_rotate_columns(v, p, q, c, sn)
        if not rotated:
            converged = True
            break
    if not converged:
        raise LinAlgError("SVD did not converge")
    sig = np.empty(cols)
    for j in range(cols):
        sig[j] = __kc_linalg_norm2(x, 0, rows, j)
    order = __kc_argsort_1d(-sig)
    s = np.empty(cols)
    # The tall factor: X's columns normalised, in the order of s; square when full.
    width = rows if full else cols
    u = np.zeros((rows, width))
    filled = np.zeros(width, np.bool_)
    vs = np.empty((cols, cols))
    for j in range(cols):
        o = order[j]
        s[j] = sig[o]
        if s[j] > 0.0:
            for i in range(rows):
                u[i, j] = x[i, o] / s[j]
            filled[j] = True
        for i in range(cols):
            vs[i, j] = v[i, o]
    __kc_linalg_complete(u, filled)
    if wide:
        # A^T = U S V^T, so A = V S U^T.
        return vs, s, u.T.copy()
    return u, s, vs.T.copy()


def __kc_linalg_hessenberg(a):
    # Householder reduction to upper Hessenberg form (similar to a, so the same eigenvalues),
    # as LAPACK's dgehrd does before its QR iteration.
    h = a.astype(np.float64)
    n = h.shape[0]
    v = np.zeros(n)
    for k in range(n - 2):
        xnorm = __kc_linalg_norm2(h, k + 2, n, k)
        if xnorm == 0.0:
            continue
        alpha = h[k + 1, k]
        beta = -math.hypot(alpha, xnorm) if alpha >= 0.0 else math.hypot(alpha, xnorm)
        tau = (beta - alpha) / beta
        v[k + 1] = 1.0
        for i in range(k + 2, n):
            v[i] = h[i, k] / (alpha - beta)
        # H = I - tau v v^T from the left (rows k+1..) and from the right (columns k+1..).
        for j in range(k, n):
            w = 0.0
            for i in range(k + 1, n):
                w += v[i] * h[i, j]
            w *= tau
            for i in range(k + 1, n):
                h[i, j] -= w * v[i]
        for i in range(n):
            w = 0.0
            for j in range(k + 1, n):
                w += h[i, j] * v[j]
            w *= tau
            for j in range(k + 1, n):
                h[i, j] -= w * v[j]
        for i in range(k + 2, n):
            h[i, k] = 0.0
    return h


def __kc_linalg_hqr(a):
    # Eigenvalues of the upper Hessenberg `a` (destroyed) by Francis's implicitly double-shifted
    # QR iteration (the EISPACK hqr algorithm, as in Numerical Recipes): deflating at negligible
    # subdiagonal entries, one real root or a 2x2 block (a real pair or a complex-conjugate
    # pair) at a time, with exceptional shifts after 10 and 20 stalled iterations.
    n = a.shape[0]
    wr = np.zeros(n)
    wi = np.zeros(n)
    anorm = 0.0
    for i in range(n):
        for j in range(max(i - 1, 0), n):
            anorm += abs(a[i, j])
    nn = n - 1
    t = 0.0
    while nn >= 0:
        its = 0
        while True:
            l = nn
            while l >= 1:
                s = abs(a[l - 1, l - 1]) + abs(a[l, l])
                if s == 0.0:
                    s = anorm
                if abs(a[l, l - 1]) + s == s:
                    a[l, l - 1] = 0.0
                    break
                l -= 1
            x = a[nn, nn]
            if l == nn:
                wr[nn] = x + t
                wi[nn] = 0.0
                nn -= 1
                break
            y = a[nn - 1, nn - 1]
            w = a[nn, nn - 1] * a[nn - 1, nn]
            if l == nn - 1:
                p = 0.5 * (y - x)
                q = p * p + w
                z = math.sqrt(abs(q))
                x += t
                if q >= 0.0:
                    z = p + (z if p >= 0.0 else -z)
                    wr[nn - 1] = x + z
                    wr[nn] = x + z
                    if z != 0.0:
                        wr[nn] = x - w / z
                    wi[nn - 1] = 0.0
                    wi[nn] = 0.0
                else:
                    wr[nn - 1] = x + p
                    wr[nn] = x + p
                    wi[nn - 1] = -z
                    wi[nn] = z
                nn -= 2
                break
            if its == 60:
                raise LinAlgError("Eigenvalues did not converge")
            if its == 10 or its == 20:
                t += x
                for i in range(nn + 1):
                    a[i, i] -= x
                s = abs(a[nn, nn - 1]) + abs(a[nn - 1, nn - 2])
                x = 0.75 * s
                y = x
                w = -0.4375 * s * s
            its += 1
            # The double shift, and the place to start: two consecutive small subdiagonals.
            m = nn - 2
            p = 0.0
            q = 0.0
            r = 0.0
            while m >= l:
                z = a[m, m]
                r = x - z
                s = y - z
                p = (r * s - w) / a[m + 1, m] + a[m, m + 1]
                q = a[m + 1, m + 1] - z - r - s
                r = a[m + 2, m + 1]
                s = abs(p) + abs(q) + abs(r)
                p /= s
                q /= s
                r /= s
                if m == l:
                    break
                u = abs(a[m, m - 1]) * (abs(q) + abs(r))
                v = abs(p) * (abs(a[m - 1, m - 1]) + abs(z) + abs(a[m + 1, m + 1]))
                if u + v == v:
                    break
                m -= 1
            for i in range(m + 2, nn + 1):
                a[i, i - 2] = 0.0
                if i != m + 2:
                    a[i, i - 3] = 0.0
            # The double QR step by 3x3 Householder reflectors chasing the bulge.
            for k in range(m, nn):
                if k != m:
                    p = a[k, k - 1]
                    q = a[k + 1, k - 1]
                    r = 0.0
                    if k != nn - 1:
                        r = a[k + 2, k - 1]
                    x = abs(p) + abs(q) + abs(r)
                    if x != 0.0:
                        p /= x
                        q /= x
                        r /= x
                s = math.sqrt(p * p + q * q + r * r)
                if p < 0.0:
                    s = -s
                if s != 0.0:
                    if k == m:
                        if l != m:
                            a[k, k - 1] = -a[k, k - 1]
                    else:
                        a[k, k - 1] = -s * x
                    p += s
                    x = p / s
                    y = q / s
                    z = r / s
                    q /= p
                    r /= p
                    for j in range(k, nn + 1):
                        p = a[k, j] + q * a[k + 1, j]
                        if k != nn - 1:
                            p += r * a[k + 2, j]
                            a[k + 2, j] -= p * z
                        a[k + 1, j] -= p * y
                        a[k, j] -= p * x
                    mmin = nn if nn < k + 3 else k + 3
                    for i in range(l, mmin + 1):
                        p = x * a[i, k] + y * a[i, k + 1]
                        if k != nn - 1:
                            p += z * a[i, k + 2]
                            a[i, k + 2] -= p * r
                        a[i, k + 1] -= p * q
                        a[i, k] -= p
    return wr, wi


def __kc_linalg_eigvals(a):
    # np.linalg.eigvals of a real matrix, always complex here (NumPy's dtype is real when every
    # eigenvalue is, a type that depends on the values); the order may differ from LAPACK's.
    __kc_linalg_square(a)
    n = a.shape[0]
    if not np.isfinite(a).all():
        raise LinAlgError("Array must not contain infs or NaNs")
    wr, wi = __kc_linalg_hqr(__kc_linalg_hessenberg(a))
    out = np.empty(n, np.complex128)
    for i in range(n):
        out[i] = wr[i] + wi[i] * 1j
    if a.dtype == np.float32:
        return out.astype(np.complex64)
    return out

def __kc_linalg_svd(a, full_matrices=True):
    # np.linalg.svd(a, full_matrices) -> (U, S, Vh); compute_uv=False is __kc_linalg_svdvals
    # (picked in library.rs, as it changes the result's type).
    u, s, vt = __kc_linalg_jacobi_svd(a, full_matrices)
    return __kc_linalg_as(u, a), __kc_linalg_as(s, a), __kc_linalg_as(vt, a)


def __kc_linalg_svdvals(a, full_matrices=True):
    u, s, vt = __kc_linalg_jacobi_svd(a, False)
    return __kc_linalg_as(s, a)


def __kc_linalg_lstsq_cut(rcond):
    # LAPACK's dgelsd treats singular values <= cut * s[0] as zero: a negative rcond means eps.
    # (rcond=None, NumPy's eps * max(m, n), is decided by the callers: None is no value here.)
    return rcond * 1.0 if rcond >= 0 else 2.220446049250313e-16


def __kc_linalg_lstsq_matrix(a, b, rcond=None):
    # np.linalg.lstsq through the SVD, as LAPACK's dgelsd. Returns (x, residuals, rank, s);
    # residuals are the squared 2-norms of b - a x per column when rank == n < m, else an
    # empty array, as NumPy's.
    cut = 2.220446049250313e-16 * max(a.shape[0], a.shape[1])
    if rcond is not None:
        cut = __kc_linalg_lstsq_cut(rcond)
    return __kc_linalg_lstsq(a, b, cut)


def __kc_linalg_lstsq_vector(a, b, rcond=None):
    # A 1-D b: x is 1-D; residuals keep their shape (1,) (NumPy does not squeeze them).
    cut = 2.220446049250313e-16 * max(a.shape[0], a.shape[1])
    if rcond is not None:
        cut = __kc_linalg_lstsq_cut(rcond)
    x, resid, rank, s = __kc_linalg_lstsq(a, b.reshape(-1, 1).copy(), cut)
    return x[:, 0].copy(), resid, rank, s


def __kc_linalg_lstsq(a, b, cut):
    m = a.shape[0]
    n = a.shape[1]
    if b.shape[0] != m:
        raise LinAlgError("Incompatible dimensions")
    u, s, vt = __kc_linalg_jacobi_svd(a, False)
    k = s.shape[0]
    rank = 0
    for i in range(k):
        if s[i] > cut * s[0]:
            rank += 1
    bf = b.astype(np.float64)
    nrhs = bf.shape[1]
    x = np.zeros((n, nrhs))
    for c in range(nrhs):
        # x = V_r diag(1/s_r) U_r^T b over the rank's singular triplets.
        for j in range(rank):
            d = 0.0
            for i in range(m):
                d += u[i, j] * bf[i, c]
            d /= s[j]
            for i in range(n):
                x[i, c] += vt[j, i] * d
    resid = np.zeros(nrhs if rank == n and m > n else 0)
    if rank == n and m > n:
        for c in range(nrhs):
            total = 0.0
            for i in range(m):
                e = bf[i, c]
                for j in range(n):
                    e -= a[i, j] * x[j, c]
                total += e * e
            resid[c] = total
    return __kc_linalg_as2(x, a, b), __kc_linalg_as2(resid, a, b), rank, __kc_linalg_as2(s, a, b)


def __kc_linalg_pinv(a, rcond=None):
    # np.linalg.pinv: V diag(1/s) U^T over the singular values above rcond * max(s) (NumPy's
    # default rcond is 1e-15).
    cut = 1e-15 if rcond is None else rcond
    u, s, vt = __kc_linalg_jacobi_svd(a, False)
    m = a.shape[0]
    n = a.shape[1]
    k = s.shape[0]
    out = np.zeros((n, m))
    top = s[0] if k > 0 else 0.0
    if top != top:
        # Infinite entries: NaN singular values, and NumPy's pinv is NaN throughout.
        return __kc_linalg_as(np.full((n, m), np.nan), a)
    for j in range(k):
        if s[j] > cut * top:
            inv = 1.0 / s[j]
            for r in range(n):
                f = vt[j, r] * inv
                for c in range(m):
                    out[r, c] += f * u[c, j]
    return __kc_linalg_as(out, a)


def __kc_linalg_matrix_power(a, n):
    # NumPy's order of products: n <= 3 directly, else binary decomposition (squaring z each
    # step, multiplying it into the result for each set bit). A negative n inverts first.
    __kc_linalg_square(a)
    if n < 0:
        return __kc_linalg_power_of(__kc_linalg_as(__kc_linalg_inv(a), a), -n)
    return __kc_linalg_power_of(a, n)


def __kc_linalg_matrix_power_int(a, n):
    # Integer matrices stay integer for n >= 0; NumPy's negative powers are float (inv), a
    # type that would depend on n's value, so kcache refuses them.
    __kc_linalg_square(a)
    if n < 0:
        raise ValueError("kcache: np.linalg.matrix_power of an integer matrix needs n >= 0")
    return __kc_linalg_power_of(a, n)


def __kc_linalg_power_of(a, n):
    z = a.copy()
    if n == 0:
        out = np.zeros(z.shape, z.dtype)
        for i in range(z.shape[0]):
            out[i, i] = 1
        return out
    if n <= 3:
        r = z
        for i in range(n - 1):
            r = np.dot(r, z)
        return r
    result = z
    first = True
    while True:
        bit = n % 2
        n = n // 2
        if bit == 1:
            if first:
                result = z
                first = False
            else:
                result = np.dot(result, z)
        if n == 0:
            break
        z = np.dot(z, z)
    return result


def __kc_linalg_slogdet(a):
    # (sign, log|det|) from the LU factors; a singular matrix gives (0.0, -inf) as NumPy's.
    __kc_linalg_square(a)
    lu, piv, sign, singular = __kc_linalg_lu(a)
    if singular:
        return 0.0, -np.inf
    logdet = 0.0
    for i in range(lu.shape[0]):
        d = lu[i, i]
        if d < 0.0:
            sign = -sign
        logdet += math.log(abs(d))
    return sign, logdet


def __kc_linalg_matrix_rank(A, tol=None):
    # Singular values above tol (default S.max() * max(M, N) * eps of A's float dtype).
    s = __kc_linalg_as(__kc_linalg_jacobi_svd(A, False)[1], A)
    eps = 1.1920928955078125e-07 if A.dtype == np.float32 else 2.220446049250313e-16
    top = 0.0
    for i in range(s.shape[0]):
        top = max(top, s[i] * 1.0)
    cut = top * max(A.shape[0], A.shape[1]) * eps
    if tol is not None:
        cut = tol
    rank = 0
    for i in range(s.shape[0]):
        if s[i] > cut:
            rank += 1
    return rank


def __kc_linalg_matrix_rank_vector(A, tol=None):
    # A 1-D array has rank 1 unless it is all zeros.
    for i in range(A.shape[0]):
        if A[i] != 0:
            return 1
    return 0


def __kc_linalg_cond(x):
    # The 2-norm condition number s_max / s_min; a singular matrix's is inf (NumPy turns the
    # 0/0 of a zero matrix, and the NaN of infinite entries, into inf as well).
    if x.shape[0] == 0 or x.shape[1] == 0:
        raise LinAlgError("cond is not defined on empty arrays")
    s = __kc_linalg_as(__kc_linalg_jacobi_svd(x, False)[1], x)
    lo = s[s.shape[0] - 1] * 1.0
    # (NaN singular values come from infinite entries here: NaN ones raise in the SVD.)
    if lo == 0.0 or lo != lo:
        return np.inf
    return s[0] / lo



# --- sets, selection, shape helpers ----------------------------------------------------------


def __kc_unravel_check(index, size):
    if index < 0 or index >= size:
        raise ValueError("index is out of bounds for array with the given size")


def __kc_np_unravel_index_1(index, shape):
    __kc_unravel_check(index, shape[0])
    return (index,)


def __kc_np_unravel_index_2(index, shape):
    __kc_unravel_check(index, shape[0] * shape[1])
    return index // shape[1], index % shape[1]


def __kc_np_unravel_index_3(index, shape):
    __kc_unravel_check(index, shape[0] * shape[1] * shape[2])
    rest = index // shape[2]
    return rest // shape[1], rest % shape[1], index % shape[2]


def __kc_np_isin(element, test_elements):
    s = np.sort(test_elements.flatten())
    out = np.empty(element.shape, np.bool_)
    flat = out.reshape(-1)
    i = 0
    for v in element.flat:
        k = __kc_np_searchsorted_left(s, v)
        flat[i] = k < s.shape[0] and s[k] == v
        i += 1
    return out


def __kc_np_intersect1d(a, b):
    ua = np.unique(a)
    ub = np.unique(b)
    keep = __kc_np_isin(ua, ub)
    return ua[keep]


def __kc_np_setdiff1d(a, b):
    ua = np.unique(a)
    keep = ~__kc_np_isin(ua, np.unique(b))
    return ua[keep]


def __kc_np_union1d(a, b):
    return np.unique(np.concatenate((a.flatten(), b.flatten())))


def __kc_np_partition(a, kth):
    # A sorted copy is a valid partition for every kth (NumPy's introselect leaves the other
    # elements in an unspecified order, so only the kth place and the two sides are defined).
    n = a.shape[0]
    if n > 0 and (kth < -n or kth >= n):
        raise ValueError("kth out of bounds")
    return np.sort(a)


def __kc_np_partition_many(a, kth):
    # Several kth at once (numbagg's nanquantile): the sorted copy is a partition for all of them.
    n = a.shape[0]
    for k in kth:
        if n > 0 and (k < -n or k >= n):
            raise ValueError("kth out of bounds")
    return np.sort(a)


def __kc_np_argpartition(a, kth):
    n = a.shape[0]
    if n > 0 and (kth < -n or kth >= n):
        raise ValueError("kth out of bounds")
    return np.argsort(a, kind="stable")


def __kc_np_rot90(m):
    return m[:, ::-1].T


def __kc_np_swapaxes_2d(a, axis1, axis2):
    if axis1 % 2 == axis2 % 2:
        return a[:, :]
    else:
        return a.T


def __kc_np_expand_dims_1d(a, axis):
    if axis == 0 or axis == -2:
        return a[np.newaxis, :]
    elif axis == 1 or axis == -1:
        return a[:, np.newaxis]
    else:
        raise ValueError("axis is out of bounds for array of dimension 2")
        return a[np.newaxis, :]


def __kc_np_expand_dims_2d(a, axis):
    if axis == 0 or axis == -3:
        return a[np.newaxis, :, :]
    elif axis == 1 or axis == -2:
        return a[:, np.newaxis, :]
    elif axis == 2 or axis == -1:
        return a[:, :, np.newaxis]
    else:
        raise ValueError("axis is out of bounds for array of dimension 3")
        return a[np.newaxis, :, :]


# np.append's arguments arrive converted to the result dtype (NumPy's promotion), see library.rs.
def __kc_np_append(arr, values, axis=None):
    a = arr.ravel()
    v = values.ravel()
    out = np.empty(a.shape[0] + v.shape[0], a.dtype)
    out[:a.shape[0]] = a
    out[a.shape[0]:] = v
    return out


def __kc_np_append_scalar(arr, values, axis=None):
    a = arr.ravel()
    out = np.empty(a.shape[0] + 1, a.dtype)
    out[:a.shape[0]] = a
    out[a.shape[0]] = values
    return out


def __kc_np_append_axis_1d(arr, values, axis):
    if axis != 0 and axis != -1:
        raise ValueError("axis is out of bounds for array of dimension 1")
    return __kc_np_append(arr, values)


def __kc_np_append_axis_2d(arr, values, axis):
    if axis == 0 or axis == -2:
        if arr.shape[1] != values.shape[1]:
            raise ValueError("all the input array dimensions except for the concatenation axis must match exactly")
        n = arr.shape[0]
        out = np.empty((n + values.shape[0], arr.shape[1]), arr.dtype)
        out[:n, :] = arr
        out[n:, :] = values
        return out
    if axis == 1 or axis == -1:
        if arr.shape[0] != values.shape[0]:
            raise ValueError("all the input array dimensions except for the concatenation axis must match exactly")
        n = arr.shape[1]
        out = np.empty((arr.shape[0], n + values.shape[1]), arr.dtype)
        out[:, :n] = arr
        out[:, n:] = values
        return out
    raise ValueError("axis is out of bounds for array of dimension 2")


# The arguments arrive converted to NumPy's result dtype (float64 at least for integers).
def __kc_np_average(a, axis=None, weights=None):
    if weights is None:
        return np.mean(a)
    if a.shape != weights.shape:
        raise TypeError("Axis must be specified when shapes of a and weights differ.")
    scl = weights.sum()
    if scl == 0.0:
        raise ZeroDivisionError("Weights sum to zero, can't be normalized")
    return (a * weights).sum() / scl


def __kc_np_logspace(start, stop, num=50):
    return np.power(10.0, np.linspace(start, stop, num))


def __kc_np_geomspace(start, stop, num=50):
    if start == 0 or stop == 0:
        raise ValueError("Geometric sequence cannot include zero")
    # NumPy's steps: rotate start to positive, space the logarithms, pin the ends exactly.
    sign = 1.0
    if start < 0:
        sign = -1.0
    lo = start / sign
    hi = stop / sign
    out = np.power(10.0, np.linspace(np.log10(lo), np.log10(hi), num))
    if num > 0:
        out[0] = lo
        if num > 1:
            out[num - 1] = hi
    return out * sign


def __kc_nan_to_num_of(v, nan, hi, lo):
    if v != v:
        return nan
    if v == np.inf:
        return hi
    if v == -np.inf:
        return lo
    return v


def __kc_np_nan_to_num(x, copy=True, nan=0.0, posinf=None, neginf=None):
    hi = np.finfo(x.dtype).max
    if posinf is not None:
        hi = posinf
    lo = np.finfo(x.dtype).min
    if neginf is not None:
        lo = neginf
    out = x.copy()
    flat = out.ravel()
    for i in range(flat.shape[0]):
        flat[i] = __kc_nan_to_num_of(flat[i], nan, hi, lo)
    if not copy:
        x[...] = out
    return out


def __kc_np_nan_to_num_complex(x, copy=True, nan=0.0, posinf=None, neginf=None):
    hi = np.finfo(x.real.dtype).max
    if posinf is not None:
        hi = posinf
    lo = np.finfo(x.real.dtype).min
    if neginf is not None:
        lo = neginf
    out = x.copy()
    flat = out.ravel()
    for i in range(flat.shape[0]):
        z = flat[i]
        flat[i] = complex(__kc_nan_to_num_of(z.real, nan, hi, lo), __kc_nan_to_num_of(z.imag, nan, hi, lo))
    if not copy:
        x[...] = out
    return out


# Integers and booleans have no NaN or infinity: NumPy returns them as they are.
def __kc_np_nan_to_num_exact(x, copy=True, nan=0.0, posinf=None, neginf=None):
    return x.copy()


def __kc_np_nan_to_num_scalar(x, copy=True, nan=0.0, posinf=None, neginf=None):
    hi = np.finfo(np.float64).max
    if posinf is not None:
        hi = posinf
    lo = np.finfo(np.float64).min
    if neginf is not None:
        lo = neginf
    return __kc_nan_to_num_of(x, nan, hi, lo)


def __kc_np_atleast_2d_of_vector(a):
    return a[np.newaxis, :]


def __kc_np_vdot(a, b):
    return np.dot(a.flatten(), b.flatten())


def __kc_np_inner(a, b):
    return np.dot(a, b)


def __kc_np_array_equal(a, b):
    if a.shape != b.shape:
        return False
    fa = a.ravel()
    fb = b.ravel()
    for i in range(a.size):
        if fa[i] != fb[i]:
            return False
    return True


def __kc_np_var_ddof(a, ddof):
    # NumPy's order: the mean from the pairwise sum, then the pairwise sum of squared deviations.
    n = a.size
    if n == 0:
        return np.nan
    mean = a.sum() / n
    d = a - mean
    s = (d * d).sum()
    if n - ddof <= 0:
        # NumPy divides by zero here (and warns): infinity, or NaN for a zero sum.
        if s > 0:
            return np.inf
        return np.nan
    return s / (n - ddof)


def __kc_np_std_ddof(a, ddof):
    return np.sqrt(__kc_np_var_ddof(a, ddof))


# --- fancy indexing of N-d arrays: rows, columns, index pairs, row masks (new arrays, as NumPy's) --


def __kc_fancy_at(i, n):
    if i < -n or i >= n:
        raise IndexError("index out of bounds for the array")
    if i < 0:
        return i + n
    return i


def __kc_take_rows_2d(a, idx):
    n = a.shape[0]
    out = np.empty((idx.shape[0], a.shape[1]), a.dtype)
    for k in range(idx.shape[0]):
        out[k, :] = a[__kc_fancy_at(idx[k], n), :]
    return out


def __kc_take_rows_3d(a, idx):
    n = a.shape[0]
    out = np.empty((idx.shape[0], a.shape[1], a.shape[2]), a.dtype)
    for k in range(idx.shape[0]):
        out[k, :, :] = a[__kc_fancy_at(idx[k], n), :, :]
    return out


def __kc_take_cols_2d(a, idx):
    n = a.shape[1]
    out = np.empty((a.shape[0], idx.shape[0]), a.dtype)
    for k in range(idx.shape[0]):
        out[:, k] = a[:, __kc_fancy_at(idx[k], n)]
    return out


def __kc_take_pairs_2d(a, rows, cols):
    if rows.shape[0] != cols.shape[0]:
        raise IndexError("shape mismatch: indexing arrays could not be broadcast together")
    out = np.empty(rows.shape[0], a.dtype)
    for k in range(rows.shape[0]):
        out[k] = a[__kc_fancy_at(rows[k], a.shape[0]), __kc_fancy_at(cols[k], a.shape[1])]
    return out


def __kc_put_pairs_2d(a, rows, cols, v):
    # a[rows, cols] = v: one value per (row, col) pair, or one for all; a repeated pair keeps
    # the last.
    if rows.shape[0] != cols.shape[0]:
        raise IndexError("shape mismatch: indexing arrays could not be broadcast together")
    n = rows.shape[0]
    if v.shape[0] != n and v.shape[0] != 1:
        raise ValueError("shape mismatch: value array could not be broadcast to indexing result shape")
    for k in range(n):
        i = __kc_fancy_at(rows[k], a.shape[0])
        j = __kc_fancy_at(cols[k], a.shape[1])
        if v.shape[0] == n:
            a[i, j] = v[k]
        else:
            a[i, j] = v[0]


def __kc_put_pairs_2d_scalar(a, rows, cols, v):
    if rows.shape[0] != cols.shape[0]:
        raise IndexError("shape mismatch: indexing arrays could not be broadcast together")
    for k in range(rows.shape[0]):
        a[__kc_fancy_at(rows[k], a.shape[0]), __kc_fancy_at(cols[k], a.shape[1])] = v


def __kc_mask_count(mask, n):
    if mask.shape[0] != n:
        raise IndexError("boolean index did not match indexed array along axis 0")
    count = 0
    for m in mask:
        if m:
            count += 1
    return count


def __kc_mask_rows_2d(a, mask):
    out = np.empty((__kc_mask_count(mask, a.shape[0]), a.shape[1]), a.dtype)
    k = 0
    for i in range(a.shape[0]):
        if mask[i]:
            out[k, :] = a[i, :]
            k += 1
    return out


def __kc_mask_rows_3d(a, mask):
    out = np.empty((__kc_mask_count(mask, a.shape[0]), a.shape[1], a.shape[2]), a.dtype)
    k = 0
    for i in range(a.shape[0]):
        if mask[i]:
            out[k, :, :] = a[i, :, :]
            k += 1
    return out


def __kc_put_rows_2d(a, idx, v):
    # a[idx] = v: v a scalar or one row for every index.
    n = a.shape[0]
    for k in range(idx.shape[0]):
        a[__kc_fancy_at(idx[k], n), :] = v


def __kc_put_rows_each_2d(a, idx, v):
    # a[idx] = v with v of shape (len(idx), columns): row k goes to a[idx[k]].
    n = a.shape[0]
    if v.shape[0] != idx.shape[0] and v.shape[0] != 1:
        raise ValueError("shape mismatch: value array could not be broadcast to indexing result shape")
    for k in range(idx.shape[0]):
        if v.shape[0] == 1:
            a[__kc_fancy_at(idx[k], n), :] = v[0, :]
        else:
            a[__kc_fancy_at(idx[k], n), :] = v[k, :]


def __kc_put_mask_rows_2d(a, mask, v):
    __kc_mask_count(mask, a.shape[0])
    for i in range(a.shape[0]):
        if mask[i]:
            a[i, :] = v


def __kc_put_mask_rows_each_2d(a, mask, v):
    # a[mask] = v with one row of v for every selected row, in order.
    count = __kc_mask_count(mask, a.shape[0])
    if v.shape[0] != count and v.shape[0] != 1:
        raise ValueError("shape mismatch: value array could not be broadcast to indexing result shape")
    k = 0
    for i in range(a.shape[0]):
        if mask[i]:
            if v.shape[0] == 1:
                a[i, :] = v[0, :]
            else:
                a[i, :] = v[k, :]
            k += 1


def __kc_take_rows_at_col_2d(a, idx, j):
    # a[idx, j]
    n = a.shape[0]
    col = __kc_fancy_at(j, a.shape[1])
    out = np.empty(idx.shape[0], a.dtype)
    for k in range(idx.shape[0]):
        out[k] = a[__kc_fancy_at(idx[k], n), col]
    return out


def __kc_take_in_row_2d(a, i, idx):
    # a[i, idx]
    row = __kc_fancy_at(i, a.shape[0])
    n = a.shape[1]
    out = np.empty(idx.shape[0], a.dtype)
    for k in range(idx.shape[0]):
        out[k] = a[row, __kc_fancy_at(idx[k], n)]
    return out


# np.broadcast_to: NumPy's is a read-only view with zero strides; kcache's is a copy with the
# same shape and values (a kernel cannot write through NumPy's, so only memory differs).
def __kc_np_broadcast_to_1(array, shape):
    out = np.empty(shape, array.dtype)
    out[:] = array
    return out


def __kc_np_broadcast_to_2(array, shape):
    out = np.empty(shape, array.dtype)
    out[:, :] = array
    return out


def __kc_np_broadcast_to_3(array, shape):
    out = np.empty(shape, array.dtype)
    out[:, :, :] = array
    return out


def __kc_np_broadcast_scalar(array, shape):
    return np.full(shape, array)


# var/std of a 2-D array along an axis, as NumPy computes them: the mean along the axis, then the
# mean of the squared deviations, divided by max(n - ddof, 0) (inf or nan past it, as NumPy's).
def __kc_np_var_axis0(a, ddof):
    mean = a.mean(axis=0)
    d = a - mean
    return (d * d).sum(axis=0) / max(a.shape[0] - ddof, 0)


def __kc_np_var_axis1(a, ddof):
    mean = a.mean(axis=1)
    column = mean.reshape(mean.shape[0], 1)
    d = a - column
    return (d * d).sum(axis=1) / max(a.shape[1] - ddof, 0)


def __kc_np_std_axis0(a, ddof):
    return np.sqrt(__kc_np_var_axis0(a, ddof))


def __kc_np_std_axis1(a, ddof):
    return np.sqrt(__kc_np_var_axis1(a, ddof))
