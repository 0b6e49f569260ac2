"""Optional values (Numba's OptionalType): functions that return a value on some paths and None on
others, variables None on some paths, `is None` tests, and the conversion back to a value where
one is needed. Each kernel runs under CPython too, on the same arguments: CPython is the oracle."""
import io
import math

import numpy as np
import pytest

import kcache
from kcache import njit


def find(a, x):
    for i in range(a.shape[0]):
        if a[i] == x:
            return i
    return None


def positive(x):
    if x > 0:
        return x


def smallest(a):
    best = None
    for v in a:
        if best is None or v < best:
            best = v
    return best


def first_above(a, x):
    for i in range(a.shape[0]):
        if a[i] > x:
            return (i, a[i])
    return None


def use_find(a, x):
    r = find(a, x)
    if r is None:
        return -1
    return r * 2


def sum_positive(a):
    total = 0.0
    for i in range(a.shape[0]):
        r = positive(a[i])
        if r is not None:
            total += r
    return total


def last_negative(a):
    idx = None
    for i in range(len(a)):
        if a[i] < 0:
            idx = i
    if idx is None:
        return -1
    return idx


def widened(a):
    # None, then an int, then a float: Optional(float64).
    m = None
    for i in range(a.shape[0]):
        if m is None:
            m = 0
        if a[i] > m:
            m = a[i]
    return m


def truth(a, x):
    r = find(a, x)
    if r:
        return 1
    return 0


def chained(a, x):
    r = find(a, x)
    if r is not None and r > 1:
        return math.sqrt(r)
    return 0.0


def either(flag, x):
    y = None
    if flag:
        y = x * 2
    else:
        y = None
    return y


def recursive_search(a, x, lo, hi):
    if lo >= hi:
        return None
    mid = (lo + hi) // 2
    if a[mid] == x:
        return mid
    if a[mid] < x:
        return recursive_search(a, x, mid + 1, hi)
    return recursive_search(a, x, lo, mid)


def bsearch(a, x):
    return recursive_search(a, x, 0, a.shape[0])


def in_tuple(a, x):
    return a.shape[0], find(a, x)


def while_optional(a):
    i = 0
    hit = None
    while hit is None and i < a.shape[0]:
        if a[i] % 7 == 0:
            hit = a[i]
        i += 1
    return hit


def float32_optional(a):
    out = None
    for v in a:
        if v > np.float32(1.5):
            out = v
    return out


def bool_optional(x):
    if x > 0:
        return x > 10
    return None


A = np.array([3.0, -1.0, 4.0, 1.0, -5.0, 4.0])
I = np.array([5, 9, 14, 3, 21], dtype=np.int64)
CASES = [
    (find, (A, 4.0)), (find, (A, 7.0)), (find, (np.zeros(0), 1.0)),
    (positive, (2.5,)), (positive, (-1.0,)), (positive, (3,)), (positive, (0,)),
    (smallest, (A,)), (smallest, (np.zeros(0),)), (smallest, (I,)),
    (first_above, (A, 3.5)), (first_above, (A, 9.0)),
    (use_find, (A, 1.0)), (use_find, (A, 8.0)),
    (sum_positive, (A,)),
    (last_negative, (A,)), (last_negative, (np.ones(3),)),
    (widened, (A,)), (widened, (np.zeros(0),)), (widened, (-A,)),
    (truth, (A, 3.0)), (truth, (A, -1.0)), (truth, (A, 11.0)),
    (chained, (A, 1.0)), (chained, (A, -1.0)), (chained, (A, 42.0)),
    (either, (True, 3)), (either, (False, 3)),
    (bsearch, (np.arange(0.0, 50.0, 2.0), 18.0)), (bsearch, (np.arange(0.0, 50.0, 2.0), 19.0)),
    (in_tuple, (A, -5.0)), (in_tuple, (A, 6.0)),
    (while_optional, (I,)), (while_optional, (I[:2],)),
    (float32_optional, (np.array([1.0, 2.0, 0.5], dtype=np.float32),)),
    (float32_optional, (np.array([1.0], dtype=np.float32),)),
    (bool_optional, (20,)), (bool_optional, (5,)), (bool_optional, (-5,)),
]


def _plain(v):
    """A result as plain Python values (NumPy scalars compare by value and type class)."""
    if isinstance(v, tuple):
        return tuple(_plain(x) for x in v)
    if isinstance(v, np.generic):
        return v.item()
    return v


@pytest.mark.parametrize("fn,args", CASES, ids=lambda c: getattr(c, "__name__", ""))
def test_optional_matches_cpython(fn, args):
    want = _plain(fn(*args))
    got = njit(fn)(*args)
    assert got == want and type(got) is type(want), (got, want)


def test_float32_optional_keeps_float32_value():
    got = njit(float32_optional)(np.array([1.0, 2.25], dtype=np.float32))
    assert got == 2.25


def test_signature_reports_optional():
    k = njit(find)
    k(A, 4.0)
    out = io.StringIO()
    k.inspect_types(file=out)
    assert "find OptionalType(int64)(array(float64, 1d, C), float64)" in out.getvalue()


def unwrap_none(a):
    return find(a, 99.0) + 1


def unwrap_in_call(a):
    return math.sqrt(find(a, 99.0))


@pytest.mark.parametrize("fn", [unwrap_none, unwrap_in_call])
def test_using_none_as_a_value_raises_type_error(fn):
    with pytest.raises(TypeError, match="expected int64, got None"):
        njit(fn)(A)
    # Where a value is found, the same kernel works.
    assert njit(fn)(A * 0 + 99.0) == fn(A * 0 + 99.0)


def optional_list(n):
    if n > 0:
        return [1.0, 2.0]
    return None


def declared_int(a, x):
    for i in range(a.shape[0]):
        if a[i] == x:
            return i
    return None


def test_optional_list_result_is_a_list_or_none():
    assert njit(optional_list)(3) == [1.0, 2.0]
    assert njit(optional_list)(0) is None


def list_or_none_inside(n):
    # A list that stays a list (not the entry's result) cannot be None.
    r = optional_list(n)
    return 0 if r is None else len(r)


def test_optional_list_inside_is_refused_clearly():
    with pytest.raises(kcache.TypingError, match="Optionals of scalars, arrays and tuples of them"):
        njit(list_or_none_inside)(3)


def maybe_range(n):
    if n <= 0:
        return None
    return np.arange(n)


def accumulate_rows(x):
    result = None
    for i in range(x.shape[0]):
        if result is None:
            result = np.zeros(x.shape[1])
        result += x[i]
    return result


def rows_total(x):
    r = accumulate_rows(x)
    if r is None:
        return -1.0
    return r.sum()


def pick_view(a, b, flag):
    out = None
    if flag:
        out = a
    else:
        out = b[::2]
    return out


X = np.arange(12.0).reshape(4, 3)
ARRAY_CASES = [(maybe_range, (5,)), (maybe_range, (0,)), (accumulate_rows, (X,)), (accumulate_rows, (X[:0],)),
               (rows_total, (X,)), (rows_total, (X[:0],)), (pick_view, (X[0], X[1], True)),
               (pick_view, (X[0], X[1], False))]


@pytest.mark.parametrize("fn,args", ARRAY_CASES, ids=lambda c: getattr(c, "__name__", ""))
def test_optional_arrays_match_cpython(fn, args):
    want = fn(*args)
    got = njit(fn)(*args)
    if want is None or np.isscalar(want):
        assert got == want
    else:
        assert isinstance(got, np.ndarray) and got.dtype == want.dtype
        np.testing.assert_array_equal(got, want)


def test_optional_arrays_do_not_leak():
    before = kcache.memory_stats()
    kernels = [(njit(fn), args) for fn, args in ARRAY_CASES]
    for _ in range(500):
        for k, args in kernels:
            k(*args)
    import gc
    gc.collect()
    assert kcache.memory_stats() == before


def declared_falls_off(x):
    if x > 0:
        return x


def test_declared_result_without_none_is_refused():
    with pytest.raises(kcache.TypingError, match=r"test_optional.py:\d+:\d+: .*signature returns int64 but this returns None"):
        njit("int64(float64[:], float64)")(declared_int)(A, 4.0)
    with pytest.raises(kcache.TypingError, match="declared to return int64 but falls off the end"):
        njit("int64(int64)")(declared_falls_off)(3)


def test_many_calls_do_not_leak():
    k = njit(find)
    before = kcache.memory_stats()
    for _ in range(2000):
        k(A, 4.0)
        k(A, 8.0)
    assert kcache.memory_stats() == before


def or_zero(x):
    if x is None:
        return 0
    return x + 1


def pass_optional(a, v):
    # The callee gets the Optional itself (as Numba passes it) and tests it.
    return or_zero(find(a, v))


def twice(x):
    return x * 2


def pass_optional_as_value(a, v):
    return twice(find(a, v))


@pytest.mark.parametrize("v", [4.0, 99.0])
def test_optional_passed_to_a_function(v):
    assert njit(pass_optional)(A, v) == pass_optional(A, v)


def test_optional_passed_where_a_value_is_needed_raises():
    assert njit(pass_optional_as_value)(A, 4.0) == 4
    with pytest.raises(TypeError, match="expected int64, got None"):
        njit(pass_optional_as_value)(A, 99.0)


@njit("int64(int64)")
def declared_twice(x):
    return x * 2


def pass_optional_to_declared(a, v):
    return declared_twice(find(a, v))


def test_optional_passed_to_a_declared_signature_is_converted():
    assert njit(pass_optional_to_declared)(A, 4.0) == 4
    with pytest.raises(TypeError, match="expected int64, got None"):
        njit(pass_optional_to_declared)(A, 99.0)


def maybe_index(a, x):
    for i in range(a.shape[0]):
        if a[i] == x:
            return i
    return None


def one_tuple(a, x):
    return (a.shape[0] + x,)


def test_an_optional_and_a_one_tuple_of_the_same_type_keep_their_own_layouts():
    # The result specs optional(int64) and tuple(int64) once shared a cached layout (the
    # Optional's spec compared equal to the 1-tuple), so whichever came second read garbage.
    a = np.array([3, 1, 4])
    for first, second in [(maybe_index, one_tuple), (one_tuple, maybe_index)]:
        for f in (first, second):
            k = njit(f)
            for x in (1, 7):
                assert k(a, x) == f(a, x)
