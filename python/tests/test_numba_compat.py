"""Numba API surface that Numba programs use and kcache follows: the entry point that
`Dispatcher.compile(sig)` returns, the `numba.core.errors` / `numba.core.types` /
`numba.extending` modules, signatures built from array and Optional types, guvectorize
layouts without `->` and the `axis=`/`axes=` keywords of gufunc calls, and typed.List keeping
its item type once emptied. Expected behaviour is Numba 0.68's (recorded here); values come
from CPython and NumPy."""
import os
import pathlib
import subprocess
import sys
import textwrap

import numpy as np
import pytest

import kcache
from kcache import float64, int64, jit, njit, typed, types


# --- Dispatcher.compile(sig) returns a callable entry point ------------------------------------

def csum(a):
    s = 0.0
    for i in range(a.shape[0]):
        for j in range(a.shape[1]):
            s += a[i, j]
    return s


def test_compile_returns_a_callable_entry_point():
    # Numba: `jit(f).compile(sig)` returns the compiled entry point, called with the arguments.
    d = jit(csum)
    entry = d.compile("float64(float64[:,::1])")
    a = np.arange(6.0).reshape(2, 3)
    assert entry(a) == csum(a) == 15.0
    assert d.compile("float64(float64[:, ::1])") is entry            # compiled once
    assert d.signatures == [(float64[:, ::1],)]
    assert "float64" in entry.signature                              # the overload's attributes
    with pytest.raises(TypeError, match="argument 0"):
        entry(np.arange(3.0))                                        # not its array type
    assert d(a) == 15.0                                              # the dispatcher still works


def axpy(a, x, y):
    return a * x + y


def test_compiled_entry_converts_scalars_and_takes_keywords():
    entry = njit(axpy).compile(float64(float64, float64, float64))
    assert entry(2, 3, 4) == 10.0 and isinstance(entry(2, 3, 4), float)
    assert entry(2.0, y=1.0, x=0.5) == axpy(2.0, 0.5, 1.0)
    ientry = njit(axpy).compile("int64(int64, int64, int64)")
    assert ientry(2, 3, 4) == 10


def test_compile_on_an_eager_dispatcher():
    d = njit("float64(float64[:, ::1])")(csum)
    entry = d.compile("float64(float64[:, ::1])")
    assert entry(np.ones((2, 2))) == 4.0
    e2 = d.compile("int64(int64[:, ::1])")
    assert e2(np.ones((2, 3), dtype=np.int64)) == 6.0
    assert len(d.signatures) == 2


# --- numba.core.errors, numba.core.types, numba.extending --------------------------------------

def test_shim_modules_load_on_attribute_access():
    # `import numba` then `numba.core.errors.TypingError`, with no import of the submodules.
    code = ("import kcache as numba\n"
            "assert numba.core.errors.TypingError is numba.TypingError\n"
            "assert numba.core.types is numba.types and numba.extending.register_jitable\n"
            "assert numba.optional(numba.float64) == numba.types.Optional(numba.float64)\n")
    env = dict(os.environ, PYTHONPATH=str(pathlib.Path(kcache.__file__).parents[1]))
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr


def test_shim_modules_under_kcache():
    import kcache.core.errors
    import kcache.core.types
    import kcache.extending

    assert kcache.core.errors.TypingError is kcache.TypingError
    assert kcache.core.types is kcache.types
    assert kcache.core.types.float64 is kcache.float64
    assert kcache.errors.TypingError is kcache.TypingError
    assert kcache.extending.register_jitable is not None
    assert issubclass(kcache.core.errors.NumbaPerformanceWarning, Warning)


@kcache.extending.register_jitable
def twice_plus_one(x):
    return 2 * x + 1


@kcache.extending.register_jitable(cache=True)
def minus_one(x):
    return x - 1


def test_register_jitable_functions_are_callable_from_python_and_kernels():
    assert twice_plus_one(3) == 7 and minus_one(3) == 2       # still plain Python functions

    def k(a):
        s = 0
        for v in a:
            s += minus_one(twice_plus_one(v))
        return s

    a = np.arange(5)
    assert njit(k)(a) == k(a) == 20


def _needs_overload(x):
    raise NotImplementedError


@kcache.extending.overload(_needs_overload)
def _ov_needs_overload(x):
    def impl(x):
        return x
    return impl


@kcache.extending.intrinsic
def _an_intrinsic(typingctx, x):
    return None


def test_extension_decorators_import_and_fail_clearly_in_kernels():
    # Accepted at import time, the decorated function returned unchanged.
    assert _ov_needs_overload.__name__ == "_ov_needs_overload"
    assert _an_intrinsic.__name__ == "_an_intrinsic"
    assert kcache.extending.overload_method(object, "foo")(axpy) is axpy
    assert kcache.extending.overload(np.sum)(axpy) is axpy        # a NumPy function: nothing marked

    def calls_overloaded(x):
        return _needs_overload(x)

    def calls_intrinsic(x):
        return _an_intrinsic(x)

    with pytest.raises(kcache.TypingError, match="_needs_overload.*@overload"):
        njit(calls_overloaded)(1)
    with pytest.raises(kcache.TypingError, match="_an_intrinsic.*@intrinsic"):
        njit(calls_intrinsic)(1)


def test_get_cython_function_address_raises_import_error():
    with pytest.raises(ImportError, match="Cython"):
        kcache.extending.get_cython_function_address("scipy.special.cython_special", "gamma")


def test_shims_through_sys_modules_numba(tmp_path):
    # `sys.modules["numba"] = kcache`, then Numba's own import lines (in a fresh interpreter).
    code = textwrap.dedent("""
        import sys
        import numpy as np
        import kcache
        sys.modules["numba"] = kcache
        import numba
        from numba.extending import overload, register_jitable, intrinsic, get_cython_function_address
        from numba.core.errors import TypingError
        from numba.core import types
        import numba.core.types
        from numba import njit

        @register_jitable
        def helper(x):
            return x * 3

        @njit
        def k(a):
            return helper(a.sum())

        assert TypingError is kcache.TypingError and numba.core.errors.TypingError is TypingError
        assert types is kcache.types and numba.core.types is kcache.types
        print(k(np.arange(4.0)), types.float64[:](types.float64[:]))
    """)
    script = tmp_path / "numba_program.py"
    script.write_text(code)
    env = dict(os.environ, PYTHONPATH=str(pathlib.Path(kcache.__file__).parents[1]))
    out = subprocess.run([sys.executable, str(script)], env=env, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["18.0", "float64[:](float64[:])"]


# --- signatures from type objects --------------------------------------------------------------

def scale(a, k):
    return a * k


def test_array_types_make_signatures():
    sig = float64[:](float64[:], float64)
    assert isinstance(sig, kcache.Signature)
    assert sig.return_type == float64[:] and sig.args == (float64[:], float64)
    assert str(sig) == "float64[:](float64[:], float64)"
    f = njit(sig)(scale)
    a = np.arange(4.0)
    np.testing.assert_array_equal(f(a, 2.0), scale(a, 2.0))
    assert f.signatures == [(float64[:], float64)]
    g = njit(int64[:, ::1](int64[:, ::1]))(lambda a: a + 1)
    np.testing.assert_array_equal(g(np.ones((2, 2), dtype=np.int64)), np.full((2, 2), 2))
    t = types.UniTuple(float64, 2)(float64)
    assert t.return_type == types.UniTuple(float64, 2)
    with pytest.raises(TypeError):
        float64[:](3)


def square(x):
    return x * x


def test_scalar_types_make_signatures():
    f = njit(kcache.float64(kcache.float64))(square)
    assert f(3) == 9.0 and f(1.5) == 2.25
    assert njit(types.int64(types.int64))(square)(7) == 49


def plus_one_or_default(x):
    if x is None:
        return -1.0
    return x + 1


def find(a, v):
    for i in range(a.shape[0]):
        if a[i] == v:
            return i
    return None


def test_optional_types():
    opt = kcache.optional(float64)
    assert opt == types.optional(types.float64) == types.Optional(float64)
    assert str(opt) == "OptionalType(float64)"
    # An Optional argument takes a value or None (Numba compiles one overload for both).
    f = njit(float64(opt))(plus_one_or_default)
    assert f(2.0) == plus_one_or_default(2.0) == 3.0
    assert f(None) == plus_one_or_default(None) == -1.0
    assert f(4) == 5.0
    # As a result type (also spelt in a signature string).
    a = np.arange(4.0)
    for sig in (types.optional(types.int64)(types.float64[:], types.float64),
                "optional(int64)(float64[:], float64)", "OptionalType(int64)(float64[:], float64)"):
        g = njit(sig)(find)
        assert g(a, 2.0) == find(a, 2.0) == 2
        assert g(a, 9.0) is None and find(a, 9.0) is None
    # The entry point of a compiled Optional signature takes both as well.
    e = njit(plus_one_or_default).compile(float64(opt))
    assert e(1.0) == 2.0 and e(None) == -1.0


def calls_declared_optional(x):
    return _declared_optional(x) * 2


@njit(float64(kcache.optional(float64)))
def _declared_optional(x):
    if x is None:
        return 0.0
    return x


def test_kernel_calling_a_function_declared_with_an_optional_argument():
    assert njit(calls_declared_optional)(1.5) == calls_declared_optional(1.5) == 3.0


# --- typed.List keeps its item type ------------------------------------------------------------

def append_and_count(lst):
    lst.append(2.5)
    return len(lst)


@pytest.mark.parametrize("empty", [
    lambda l: (l.pop(), l.pop()), lambda l: l.clear(), lambda l: l.__delitem__(slice(None)),
    lambda l: l.__setitem__(slice(None), []), lambda l: l.remove(l[0]) or l.remove(l[0]),
])
def test_typed_list_emptied_keeps_its_item_type(empty):
    # numba.typed.List: typed by its first items, still that type once empty again.
    lst = typed.List()
    lst.append(1.0)
    lst.append(2.0)
    empty(lst)
    assert len(lst) == 0
    assert kcache.typeof(lst) == kcache.typeof([1.0])
    assert njit(append_and_count)(lst) == 1 and list(lst) == [2.5]


def test_plain_empty_list_is_still_refused():
    with pytest.raises(TypeError, match="empty list"):
        njit(append_and_count)(typed.List())
    with pytest.raises(TypeError, match="empty list"):
        njit(append_and_count)([])


def empties(lst):
    while len(lst):
        lst.pop()
    return 0


def test_typed_list_emptied_by_a_kernel_keeps_its_item_type():
    lst = typed.List([1, 2, 3])
    njit(empties)(lst)
    assert list(lst) == []
    assert kcache.typeof(lst) == kcache.typeof([1])
    lst.append(7)
    assert njit(empties)(lst) == 0


# --- guvectorize: layouts without "->", axis= and axes= ----------------------------------------

def _grouped_sum(values, labels, out):
    for i in range(values.shape[0]):
        out[labels[i]] += values[i]


def _grouped_sum_reference(values, labels, ngroups):
    out = np.zeros(values.shape[:-1] + (ngroups,))
    for idx in np.ndindex(*values.shape[:-1]):
        for v, g in zip(values[idx], labels):
            out[idx + (g,)] += v
    return out


def test_layout_without_arrow_writes_into_its_last_input():
    # Numba: with no "->" every argument is an input and the kernel writes into one of them
    # (numbagg's grouped functions); NumPy returns () for a ufunc without outputs.
    from kcache import guvectorize

    g = guvectorize([(float64[:], int64[:], float64[:])], "(a),(a),(z)")(_grouped_sum)
    assert (g.nin, g.nout) == (3, 0)
    values = np.arange(6.0)
    labels = np.array([0, 1, 0, 2, 1, 0])
    out = np.zeros(3)
    assert g(values, labels, out) == ()
    np.testing.assert_array_equal(out, _grouped_sum_reference(values, labels, 3))
    # Looped over outer dimensions, into a C- or a non-contiguous array, in place.
    values2 = np.arange(12.0).reshape(2, 6)
    for out2 in (np.zeros((2, 3)), np.zeros((3, 2)).T, np.zeros((2, 6))[:, ::2]):
        g(values2, labels, out2)
        np.testing.assert_array_equal(out2, _grouped_sum_reference(values2, labels, 3))
    # axes= puts the core dimension elsewhere (here the first axis of each operand).
    values3 = np.arange(12.0).reshape(6, 2)
    out3 = np.zeros((3, 2))
    g(values3, labels, out3, axes=[(0,), (0,), (0,)])
    np.testing.assert_array_equal(out3, _grouped_sum_reference(values3.T, labels, 3).T)
    # A cast copy's values are dropped, as NumPy drops them (Numba's writable_args keeps them).
    out32 = np.zeros(3, dtype=np.float32)
    g(values, labels, out32)
    np.testing.assert_array_equal(out32, np.zeros(3))


def _replace_2nd(x_t, y_1):
    for t in range(0, x_t.shape[0], 2):
        x_t[t] = y_1[0]


def test_update_inplace_and_writable_args():
    # Numba's own test (numba/tests/npyufunc/test_update_inplace.py).
    from kcache import guvectorize

    expected = np.zeros(10)
    expected[::2] = 2
    g = guvectorize(["void(f8[:], f8[:])"], "(t),()")(_replace_2nd)
    x = np.zeros(10)
    g(x, 2)
    np.testing.assert_array_equal(x, expected)
    x4 = np.zeros(10, "f4")
    g(x4, 2)
    np.testing.assert_array_equal(x4, np.zeros(10))               # f4: a cast copy, dropped
    for writable in ((0,), ("x_t",)):
        gw = guvectorize(["void(f8[:], f8[:])"], "(t),()", writable_args=writable)(_replace_2nd)
        x4 = np.zeros(10, "f4")
        gw(x4, 2)
        np.testing.assert_array_equal(x4, expected)


def _move_sum(a, window, out):
    s = 0.0
    for i in range(a.shape[0]):
        s += a[i]
        if i >= window:
            s -= a[i - window]
        out[i] = s


def _total(a, res):
    res[0] = 0.0
    for i in range(a.shape[0]):
        res[0] += a[i]


def test_gufunc_axis_and_axes_keywords():
    # NumPy's gufunc keywords: axis=k makes axis k every operand's (single, shared) core dimension.
    from kcache import guvectorize

    move_sum = guvectorize(["void(float64[:], int64, float64[:])"], "(n),()->(n)")(_move_sum)
    total = guvectorize(["void(float64[:], float64[:])"], "(n)->()")(_total)
    a = np.arange(24.0).reshape(2, 3, 4)
    for axis in (-1, 0, 1, 2, -2):
        want = np.moveaxis(move_sum(np.moveaxis(a, axis, -1), 2), -1, axis)
        np.testing.assert_array_equal(move_sum(a, 2, axis=axis), want)
        np.testing.assert_array_equal(total(a, axis=axis), a.sum(axis=axis))
    np.testing.assert_array_equal(move_sum(a, 2, axes=[(0,), (), (0,)]), move_sum(a, 2, axis=0))
    np.testing.assert_array_equal(total(a, axes=[1]), a.sum(axis=1))           # outputs () left out
    np.testing.assert_array_equal(total(a, axes=[(1,), ()]), a.sum(axis=1))
    out = np.zeros_like(a)
    assert move_sum(a, 2, out=out, axis=1) is out
    np.testing.assert_array_equal(out, move_sum(a, 2, axis=1))
    with pytest.raises(TypeError, match="axis can only be used with a single shared core dimension"):
        guvectorize([(float64[:], int64[:], float64[:])], "(a),(a),(z)")(_grouped_sum)(
            np.ones(3), np.zeros(3, dtype=np.int64), np.zeros(1), axis=0)
    with pytest.raises(TypeError, match="both"):
        total(a, axis=0, axes=[0])
    with pytest.raises(Exception, match="out of bounds"):
        total(a, axis=3)
