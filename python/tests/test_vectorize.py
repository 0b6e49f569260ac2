"""@vectorize against NumPy's result for the same element function: 0-d, 1-d, 2-d transposed,
broadcast, out=, lazy per-dtype compilation, target='parallel'; which calls the C fast path takes
and which fall back to Python; the ctypes path without the extension."""
import math
import os
import pathlib
import subprocess
import sys
import textwrap

import numpy as np
import pytest

import kcache
from kcache import vectorize


@vectorize(["float64(float64, float64)", "int64(int64, int64)"])
def hyp(a, b):
    return math.sqrt(a * a + b * b) if a >= 0 else a - b


def reference(a, b):
    return np.where(a >= 0, np.sqrt(a * a + b * b), a - b)


@pytest.mark.parametrize("make", [
    lambda r: (np.float64(3.0), np.float64(4.0)),
    lambda r: (r.standard_normal(100), r.standard_normal(100)),
    lambda r: (r.standard_normal((30, 40)).T, r.standard_normal((40, 30))),
    lambda r: (r.standard_normal((5, 1, 3)), r.standard_normal((4, 1))),
    lambda r: (r.standard_normal((6, 8))[::2, ::3], 2.5),
])
def test_matches_numpy(make):
    a, b = make(np.random.default_rng(0))
    got = hyp(a, b)
    want = reference(np.asarray(a, dtype=float), np.asarray(b, dtype=float))
    np.testing.assert_array_equal(np.asarray(got), want)
    assert np.shape(got) == np.shape(want)


def test_scalars_give_scalars_and_types_dispatch():
    assert hyp(3.0, 4.0) == 5.0
    r = hyp(np.arange(5), np.arange(5))
    # NumPy's (and Numba's) rule: the first declared loop the inputs cast to safely. int64 casts
    # safely to float64, so the float64 loop, declared first, runs; the int64 loop never does.
    assert r.dtype == np.float64
    out = np.empty(5)
    hyp(np.arange(5.0), np.ones(5), out=out)
    np.testing.assert_array_equal(out, reference(np.arange(5.0), np.ones(5)))


def test_lazy_vectorize_compiles_per_dtype():
    @vectorize
    def twice(x):
        return x * 2

    np.testing.assert_array_equal(twice(np.arange(4, dtype=np.int32)), np.arange(4) * 2)
    np.testing.assert_array_equal(twice(np.arange(4.0)), np.arange(4.0) * 2)
    assert len(twice.loops) == 2


def test_parallel_target():
    @vectorize(["float64(float64)"], target="parallel")
    def cube(x):
        return x * x * x

    kcache.set_num_threads(2)
    x = np.random.default_rng(1).random(100_001)
    np.testing.assert_array_equal(cube(x), x * x * x)


@vectorize(["int64(int64)", "float32(float32)", "float64(float64)"])   # each dtype its own loop
def square(x):
    return x ** 2


@pytest.fixture
def no_slow_path(monkeypatch):
    """Fails any call that leaves the C fast path (kcache._fast) for Vectorized._slow_call."""
    if kcache._fast is None:
        pytest.skip("kcache._fast is not built")
    calls = []

    def counting(f):
        def slow(*args, **kwargs):
            calls.append(args)
            return type(f)._slow_call(f, *args, **kwargs)
        monkeypatch.setattr(f, "_slow_call", slow, raising=False)
        return calls

    return counting


@pytest.mark.parametrize("shape", [(), (0,), (1,), (7,), (10_000,), (3, 4), (2, 3, 4)])
@pytest.mark.parametrize("dtype", [np.float64, np.float32, np.int64])
def test_fast_path_matches_numpy(no_slow_path, shape, dtype):
    slow_calls = no_slow_path(square)
    x = np.asarray(np.random.default_rng(2).standard_normal(shape) * 100, dtype=dtype)
    got = square(x)
    if shape == ():
        assert isinstance(got, dtype) and not isinstance(got, np.ndarray)   # 0-d in, scalar out
    else:
        assert type(got) is np.ndarray and got.dtype == dtype and got.shape == shape
    np.testing.assert_array_equal(got, x ** 2)
    out = np.full(shape, 7, dtype=dtype)
    assert square(x, out=out) is out
    np.testing.assert_array_equal(out, x ** 2)
    assert square(x, out=None).shape == shape
    assert slow_calls == []


def test_fast_path_in_place_and_readonly_inputs(no_slow_path):
    slow_calls = no_slow_path(square)
    x = np.arange(10.0)
    x.flags.writeable = False
    out = np.empty(10)
    square(x, out=out)
    np.testing.assert_array_equal(out, x ** 2)
    square(out, out=out)
    np.testing.assert_array_equal(out, x ** 4)
    assert slow_calls == []


def test_fast_path_two_inputs_and_kernel_errors(no_slow_path):
    @vectorize(["int64(int64, int64)", "float64(float64, float64)"])
    def floordiv(a, b):
        return a // b

    slow_calls = no_slow_path(floordiv)
    a, b = np.arange(1, 9), np.arange(1, 9)[::-1].copy()
    np.testing.assert_array_equal(floordiv(a, b), a // b)
    np.testing.assert_array_equal(floordiv(a * 0.5, b * 1.0), (a * 0.5) // b)
    b[3] = 0
    with pytest.raises(ZeroDivisionError):
        floordiv(a, b)
    with pytest.raises(ZeroDivisionError):
        floordiv(a, b, out=np.empty(8, dtype=np.int64))
    with pytest.raises(ZeroDivisionError):
        floordiv(1.0 * a, 1.0 * b)
    assert slow_calls == []
    with pytest.raises(ZeroDivisionError):     # the same error through the slow path (broadcast)
        floordiv(a, np.int64(0))


def test_readonly_out_is_rejected():
    x = np.arange(6.0)
    for out in (np.zeros(6), np.zeros(12)[::2], np.zeros((2, 6))):   # fast, strided, broadcast
        out.flags.writeable = False
        with pytest.raises(ValueError, match="read-only"):
            square(x, out=out)
        assert not out.any()


def test_fallback_cases_match_numpy(no_slow_path):
    slow_calls = no_slow_path(hyp)
    r = np.random.default_rng(3)
    a, b = r.standard_normal((4, 6)), r.standard_normal((4, 6))
    cases = [
        ((a, b[0]), None),                                   # broadcasting
        ((a.astype(np.float32), b), None),                   # casting float32 -> float64 loop
        ((a.astype(np.int32), b.astype(np.int32)), None),    # int32 -> the float64 loop (declared first)
        ((a.T, b.T), None),                                  # Fortran order
        ((a[:, ::2], b[:, ::2]), None),                      # strided
        ((a, 2.5), None),                                    # a Python scalar
        ((np.float64(3.0), b), None),                        # a NumPy scalar
        ((a.astype(">f8"), b), None),                        # non-native byte order
        ((a, b), np.empty((4, 6), dtype=np.float32)),        # out= of another dtype
        ((a, b), np.empty((6, 4)).T),                        # non-contiguous out=
        ((a[0], b[0]), np.empty((4, 6))),                    # out= broadcast over
        ((a.view(np.matrix), b), None),                      # an ndarray subclass
    ]
    for args, out in cases:
        want = reference(*[np.asarray(x, dtype=np.float64) for x in args])
        want = np.broadcast_to(want, out.shape) if out is not None else want
        before = len(slow_calls)
        got = hyp(*args, out=out)
        assert len(slow_calls) == before + 1
        if out is not None:
            assert got is out
            got = out.astype(np.float64)
            want = want.astype(out.dtype).astype(np.float64)
        np.testing.assert_array_equal(np.asarray(got), want)
    assert hyp(3.0, 4.0) == 5.0
    np.testing.assert_array_equal(hyp(a, b, out=(np.empty((4, 6)),)), reference(a, b))
    with pytest.raises(TypeError):
        hyp(a)
    with pytest.raises(TypeError):
        hyp(a, b, where=True)


def test_lazy_loop_joins_the_fast_path(no_slow_path):
    @vectorize
    def inc(x):
        return x + 1

    slow_calls = no_slow_path(inc)
    x = np.arange(5, dtype=np.int16)
    np.testing.assert_array_equal(inc(x), x + 1)     # compiles the int16 loop on the slow path
    np.testing.assert_array_equal(inc(x), x + 1)     # then calls it from C
    assert len(slow_calls) == 1 and inc.types == ["h->l"]    # int16 + 1 is int64, as in Numba


def test_ctypes_fallback_without_the_extension(tmp_path):
    script = tmp_path / "no_fast.py"   # kcache reads the kernel's source from its file
    script.write_text(textwrap.dedent("""
        import sys
        sys.modules["kcache._fast"] = None
        import numpy as np
        import kcache
        assert kcache._fast is None

        @kcache.vectorize(["float64(float64)"])
        def sq(x):
            return x * x

        @kcache.vectorize(["float64(float64)", "float32(float32)"])
        def sq2(x):
            return x * x

        x, o = np.arange(6.0), np.empty(6)
        assert sq(x, out=o) is o and (o == x * x).all()
        o2 = np.empty(6)
        assert sq(x, o2) is o2 and (o2 == x * x).all()                     # positional out
        assert sq2(np.arange(3, dtype=np.float32)).dtype == np.float64      # the first loop that fits
        assert (sq(x.reshape(2, 3)) == (x * x).reshape(2, 3)).all()
        assert sq(np.float64(3.0)) == 9.0 and sq(2) == 4.0
        o.flags.writeable = False
        try:
            sq(x, out=o)
            raise SystemExit("read-only out= accepted")
        except ValueError:
            print("ok")
    """))
    env = dict(os.environ, PYTHONPATH=str(pathlib.Path(kcache.__file__).parents[1]))
    p = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, env=env, timeout=120)
    assert p.returncode == 0 and p.stdout.strip() == "ok", p.stderr


@vectorize(nopython=True)
def cnd(d):
    # numba-examples' blackscholes_pa: a ufunc whose body uses math, called from njit on arrays.
    k = 1.0 / (1.0 + 0.2316419 * math.fabs(d))
    ret = 0.3989422804014327 * math.exp(-0.5 * d * d) * (k * (0.31938153 + k * -0.356563782))
    if d > 0:
        ret = 1.0 - ret
    return ret


def black_scholes_like(s, x, t):
    d1 = (np.log(s / x) + 0.5 * t) / np.sqrt(t)
    return s * cnd(d1) - x * cnd(d1 - np.sqrt(t)) + hyp(s, 2.0) - cnd(0.5)


def test_vectorized_functions_called_from_jitted_code_on_arrays():
    rng = np.random.default_rng(4)
    s, x, t = rng.random(9) * 50 + 5, rng.random(9) * 50 + 5, rng.random(9) + 0.25
    got = kcache.njit(black_scholes_like)(s, x, t)
    want = black_scholes_like(s, x, t)   # the kcache ufuncs from Python: NumPy's ufunc rules
    np.testing.assert_allclose(got, want, rtol=1e-15)
    py = s * np.vectorize(cnd.py_func)(d1 := (np.log(s / x) + 0.5 * t) / np.sqrt(t)) - x * np.vectorize(
        cnd.py_func)(d1 - np.sqrt(t)) + np.hypot(s, 2.0) - cnd.py_func(0.5)
    np.testing.assert_allclose(got, py, rtol=1e-14)
    got2 = kcache.njit(parallel=True)(black_scholes_like)(s[:, None] + x, x, t)
    np.testing.assert_allclose(got2, black_scholes_like(s[:, None] + x, x, t), rtol=1e-15)
