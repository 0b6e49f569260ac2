"""Lazy and eager dispatch, argument checking and error mapping."""
import math
import os

import numpy as np
import pytest

import kcache
from kcache import njit

SCALE = 3


@njit
def scaled_total(a):
    t = 0
    for i in range(a.shape[0]):
        t += a[i] * SCALE
    return t


def test_lazy_dispatch_one_overload_per_type_and_layout():
    a = np.arange(10, dtype=np.int64)
    assert scaled_total(a) == 135
    assert scaled_total(a.astype(np.float64)) == 135.0
    assert scaled_total(a.astype(np.int32)) == 135
    assert scaled_total(a[::2]) == sum(range(0, 10, 2)) * 3   # strided: layout A
    assert scaled_total(np.arange(10, dtype=np.int64)) == 135  # same type: no new overload
    keys = [tuple(map(repr, k)) for k in scaled_total.signatures]
    assert len(keys) == 4, keys
    assert scaled_total.py_func(a) == scaled_total(a)


@njit("float64(float64[::1], int64)")
def eager(a, k):
    return a[k] * 2.0


def test_eager_signature_checks_arguments():
    a = np.arange(4, dtype=np.float64)
    assert eager(a, 3) == 6.0
    assert eager(a, -1) == 6.0          # negative indices wrap
    with pytest.raises(TypeError, match="argument 0 \\(a\\)"):
        eager(a.astype(np.int64), 1)
    with pytest.raises(TypeError, match="argument 0 \\(a\\)"):
        eager(np.ones((2, 2)), 1)
    with pytest.raises(TypeError, match="argument 0 \\(a\\)"):
        eager(a[::2], 1)                # not C-contiguous


def test_two_dimensional_layouts():
    @njit
    def corner_sum(m):
        rows, cols = m.shape
        return m[0, 0] + m[rows - 1, cols - 1] + m[-1, 0]

    m = np.arange(12.0).reshape(3, 4)
    for view in (m, np.asfortranarray(m), m[:, ::2], m.T):
        expected = view[0, 0] + view[-1, -1] + view[-1, 0]
        assert corner_sum(view) == expected


def test_kernel_errors_are_python_exceptions():
    @njit
    def div(a, b):
        return a // b

    assert div(7, 2) == 3
    with pytest.raises(ZeroDivisionError):
        div(1, 0)

    @njit(boundscheck=True)
    def get(a, i):
        return a[i]

    with pytest.raises(IndexError):
        get(np.zeros(3), 5)
    assert get(np.arange(3.0), -1) == 2.0


def test_typing_error_points_at_the_users_file_and_line():
    @njit
    def bad(a):
        x = 1.0
        return x + a.nonexistent_attribute

    with pytest.raises(kcache.TypingError) as info:
        bad(np.zeros(2))
    msg = str(info.value)
    assert "test_dispatch.py:" in msg
    line = int(msg.split("test_dispatch.py:")[1].split(":")[0])
    assert line == bad.py_func.__code__.co_firstlineno + 3, msg


def test_callees_globals_and_math():
    def helper(x):
        return math.sqrt(x) + SCALE

    @njit
    def use_helper(x):
        return helper(x) * 2

    assert use_helper(16.0) == (math.sqrt(16.0) + SCALE) * 2


def test_stats_is_a_dict():
    s = kcache.stats()
    assert s["compiles"] >= 1 and "hits" in s and "store_entries" in s


def test_fastmath_division_by_zero_in_a_loop_still_raises():
    @njit(fastmath=True)
    def ratios(a, b, out):
        for i in range(len(a)):
            out[i] = a[i] / b[i]

    a = np.ones(64)
    b = np.ones(64)
    out = np.empty(64)
    ratios(a, b, out)
    np.testing.assert_array_equal(out, a / b)
    b[40] = 0.0
    with pytest.raises(ZeroDivisionError):
        ratios(a, b, out)


def test_readonly_arrays_cannot_be_written():
    @njit
    def scale(a, k):
        for i in range(len(a)):
            a[i] *= k

    @njit
    def total(a):
        s = 0.0
        for i in range(len(a)):
            s += a[i]
        return s

    a = np.ones(4)
    a.flags.writeable = False
    assert total(a) == 4.0            # reading is fine
    with pytest.raises(TypeError, match="read-only"):
        scale(a, 2.0)
    b = np.ones(4)
    scale(b, 2.0)
    assert b.sum() == 8.0


def test_inspect_methods():
    @njit("float64(float64[::1])")
    def total(a):
        s = 0.0
        for i in range(len(a)):
            s += a[i]
        return s

    import io
    buf = io.StringIO()
    total.inspect_types(file=buf)
    assert "s: float64" in buf.getvalue()
    llvm = total.inspect_llvm()
    asm = total.inspect_asm()
    assert len(llvm) == 1 and "define" in next(iter(llvm.values()))
    assert "vaddsd" in next(iter(asm.values()))


def test_strides_must_be_multiples_of_the_element_size():
    @njit("float64(float64[:])")
    def first(a):
        return a[0] + a[1]

    buf = np.zeros(64, dtype=np.uint8)
    odd = np.ndarray(shape=(3,), dtype=np.float64, buffer=buf, strides=(12,))
    with pytest.raises(TypeError, match="multiples"):
        first(odd)
    assert first(np.arange(6.0)[::2]) == 2.0


def copied(x):
    return x.copy()


def transposed(m):
    return m.copy().T


ARRAY_RESULT_DTYPES = [np.bool_, np.int8, np.int16, np.int32, np.int64, np.uint8, np.uint16, np.uint32,
                       np.uint64, np.float32, np.float64, np.complex64, np.complex128]


def _fast_only(dispatcher, monkeypatch):
    """Fails a call that leaves the C path for the Python one (once the overload exists)."""
    def slow(*args, **kwargs):
        raise AssertionError("took the Python call path")
    monkeypatch.setattr(dispatcher, "_call_slow", slow, raising=False)


@pytest.mark.parametrize("dtype", ARRAY_RESULT_DTYPES, ids=lambda d: np.dtype(d).name)
def test_array_results_take_the_c_path(dtype, monkeypatch):
    if kcache._fast is None:
        pytest.skip("kcache._fast is not built")
    k = njit(copied)
    x = (np.arange(7) % 3).astype(dtype)
    for arg in (x, x[:0]):
        k(arg)
    _fast_only(k, monkeypatch)
    for arg in (x, x[:0], x[2:]):
        got = k(arg)
        want = copied(arg)
        assert got.dtype == want.dtype and got.shape == want.shape and got.flags.writeable
        np.testing.assert_array_equal(got, want)
        got[...] = 0      # its own memory


def test_array_results_keep_layout_and_release_their_buffers(monkeypatch):
    if kcache._fast is None:
        pytest.skip("kcache._fast is not built")
    k = njit(transposed)
    m = np.arange(12.0).reshape(3, 4)
    k(m)
    _fast_only(k, monkeypatch)
    got = k(m)
    assert got.flags.f_contiguous and not got.flags.c_contiguous
    np.testing.assert_array_equal(got, m.T)
    view = got[1:, ::2]
    del got
    np.testing.assert_array_equal(view, m.T[1:, ::2])   # a view keeps the buffer alive
    del view
    import gc
    gc.collect()
    before = kcache.memory_stats()
    for _ in range(20000):
        k(m)
    gc.collect()
    assert kcache.memory_stats() == before


FALLBACK_SCRIPT = r"""
import numpy as np
import kcache
from kcache import njit

def f(x):
    return x * 2, x.T.copy().T, x[:, ::2]

for dtype in (np.bool_, np.int8, np.int64, np.uint64, np.float32, np.complex128):
    x = (np.arange(12) % 3).astype(dtype).reshape(3, 4)
    a, b, c = njit(f)(x)
    for got, want in zip((a, b, c), f(x)):
        assert got.dtype == want.dtype and got.shape == want.shape and got.flags.writeable, (got, want)
        assert got.flags.c_contiguous == want.flags.c_contiguous, (got.flags, want.flags)
        np.testing.assert_array_equal(got, want)
print("ok")
"""


def test_array_results_without_numpys_c_api_take_the_buffer_protocol(tmp_path):
    # The C path makes result arrays with NumPy's C API table; without it (an unknown NumPy),
    # it hands NumPy the buffer instead. Both must give the same arrays.
    if kcache._fast is None:
        pytest.skip("kcache._fast is not built")
    import subprocess
    import sys
    script = tmp_path / "fallback.py"
    script.write_text(FALLBACK_SCRIPT)
    out = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=120,
                         env=dict(os.environ, KCACHE_FAST_NO_NUMPY_API="1",
                                  PYTHONPATH=os.path.dirname(os.path.dirname(kcache.__file__))))
    assert out.returncode == 0 and out.stdout.strip() == "ok", out.stderr[-2000:]


def returns_its_argument(a):
    a += 1.0
    return a


def returns_views_of_arguments(a, b):
    return a[1:], (b[::2], a)


def test_a_returned_argument_keeps_its_memory_alive():
    # An array the kernel did not allocate (an argument, a view of one) lives in the caller's
    # memory: the result must keep that memory alive after the caller drops the argument.
    k, kv = njit(returns_its_argument), njit(returns_views_of_arguments)
    for _ in range(2):      # the first call compiles (Python path), the second takes the C one
        got = k(np.arange(1000.0))
        view, (strided, whole) = kv(np.arange(500.0), np.arange(600.0) * 2)
        junk = [np.full(1000, 7.0) for _ in range(50)]      # reuse the freed memory, if any
        np.testing.assert_array_equal(got, np.arange(1000.0) + 1.0)
        np.testing.assert_array_equal(view, np.arange(1.0, 500.0))
        np.testing.assert_array_equal(strided, np.arange(0.0, 1200.0, 4.0))
        np.testing.assert_array_equal(whole, np.arange(500.0))
        del junk


def tuple_result(a):
    return a.min(), a.argmax(), a > 0, (a.sum(), np.int32(3), np.float32(0.5)), True


def first_above(a, x):
    for i in range(a.shape[0]):
        if a[i] > x:
            return i
    return None


def range_or_none(n):
    if n <= 0:
        return None
    return np.arange(n)


@pytest.mark.parametrize("fn,args", [
    (tuple_result, (np.array([1.0, -2.0, 3.0]),)), (first_above, (np.array([1.0, -2.0, 3.0]), 2.0)),
    (first_above, (np.array([1.0, -2.0, 3.0]), 5.0)), (range_or_none, (4,)), (range_or_none, (0,)),
], ids=lambda c: getattr(c, "__name__", ""))
def test_tuple_and_optional_results_take_the_c_path(fn, args, monkeypatch):
    if kcache._fast is None:
        pytest.skip("kcache._fast is not built")
    k = njit(fn)
    k(*args)
    _fast_only(k, monkeypatch)

    def plain(v):
        if isinstance(v, tuple):
            return tuple(plain(x) for x in v)
        return v.tolist() if isinstance(v, np.ndarray) else v

    got = k(*args)
    assert plain(got) == plain(fn(*args))
    assert type(got) is type(fn(*args)) or isinstance(got, np.ndarray)
    before = kcache.memory_stats()
    for _ in range(5000):
        k(*args)
    import gc
    gc.collect()
    assert kcache.memory_stats() == before


def plus_one(x):
    return x + 1


def identity(x):
    return x


def add_two(x, y):
    return x + y


def scale_into(a, k):
    out = np.empty_like(a)
    for i in range(a.shape[0]):
        out[i] = a[i] * k
    return out


def test_declared_overloads_pick_the_best_match_not_the_first():
    """Numba ranks conversions (exact, promote, safe, unsafe): a Python float goes to the
    float64 overload even when float32 is declared first, an int that needs 64 bits to int64."""
    f = njit(["float32(float32)", "float64(float64)"])(identity)
    assert f(0.1) == 0.1 and f(np.float64(0.1)) == 0.1
    assert f(np.float32(0.1)) == np.float32(0.1)
    add = njit(["(float32, float32)", "(float64, float64)"])(add_two)
    assert add(np.float32(1), np.float32(2 ** -25)) == 1.0
    assert add(1, 2 ** -25) == 1.0000000298023224   # Numba's own test of this rule
    add = njit(["(int64, int64)", "(float64, float64)"])(add_two)
    assert add(1, 2) == 3 and add(1.5, 2.5) == 4.0 and add(np.int32(1), 2.5) == 3.5
    with pytest.raises(TypeError, match="No matching definition"):
        add(1j, 1j)
    assert njit("(int64, int64)")(add_two)(1.5, 2.5) == 3   # unsafe, but the only one declared
    g = njit(["int32(int32)", "int64(int64)"])(identity)
    assert g(2 ** 40) == 2 ** 40
    assert g(np.int32(7)) == 7
    h = njit(["float64(float64)"])(identity)
    assert h(2) == 2.0 and h(True) == 1.0   # one declared signature converts what it is given


def test_declared_overloads_that_tie_are_ambiguous():
    f = njit(["(float32, float64)", "(float64, float32)", "(int64, int64)"])(add_two)
    with pytest.raises(TypeError, match="Ambiguous overloading"):
        f(1.0, 2.0)   # Numba's own example: one unsafe conversion either way


def test_lazy_dispatch_compiles_rather_than_narrows():
    f = njit(plus_one)
    assert f(np.uint8(250)) == 251
    assert f(1000) == 1001                    # int64 does not fit uint8: a new overload
    assert f(np.int32(5)) == 6                # int32 promotes to the int64 overload
    assert f(np.int64(2 ** 40)) == 2 ** 40 + 1
    assert f(2 ** 63) == 2.0 ** 63   # uint64 + int64 is float64 in Numba, as in NumPy
    assert njit(identity)(2 ** 63) == 2 ** 63   # uint64, not int64's wrap-around
    with pytest.raises(ValueError, match="too large"):
        f(2 ** 64 + 5)
    h = njit(plus_one)
    assert h(np.int32(1)) == 2 and h(np.int64(1)) == 2
    assert h(np.uint8(1)) == 2 and h(np.int16(1)) == 2   # ties between int32 and int64: compiled
    g = njit(plus_one)
    assert g(np.float32(1.5)) == 2.5
    assert g(0.1) == 1.1                      # float64 does not narrow to the float32 overload
    s = njit(scale_into)
    a = np.arange(4.0)
    np.testing.assert_array_equal(s(a, 2), a * 2)
    np.testing.assert_array_equal(s(a, 0.5), a * 0.5)   # a float after an int: its own overload


@njit(["float32(float32)", "float64(float64)"])
def third(x):
    return x / 3


def calls_third(i, f):
    return third(i), third(f)


def test_calls_between_kernels_rank_declared_signatures_like_numba():
    # int32 -> float64 is safe, int32 -> float32 unsafe: float64, not the first declared.
    got = njit(calls_third)(np.int32(1), np.float32(1.0))
    assert got[0] == 1 / 3 and got[1] == float(np.float32(1) / np.float32(3))


def sum_of(a):
    return a.sum()


def test_arrays_in_non_native_byte_order_are_refused_not_misread():
    big = np.arange(5, dtype=">f8")
    for f in (njit(scaled_total), njit("float64(float64[:])")(sum_of)):
        with pytest.raises(TypeError, match="byte order"):
            f(big)
    assert njit(scaled_total)(big.astype(big.dtype.newbyteorder("="))) == 30.0
