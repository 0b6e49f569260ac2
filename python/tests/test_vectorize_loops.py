"""Which loop a @vectorize function runs, against NumPy: the first declared loop, in declaration
order, to which every input casts safely (NumPy's ufunc type resolution, which Numba's
@vectorize inherits by building a real ufunc), with NumPy 2's rules for Python scalars (NEP 50);
in the Python path, the C fast path and with a positional output. Oracles: real NumPy ufuncs
(np.add, for a ufunc declaring np.add's loops in np.add's order) and np.can_cast."""
import itertools
import math

import numpy as np
import pytest

import kcache
from kcache import vectorize

DTYPES = [np.dtype(t) for t in (np.bool_, np.int8, np.uint8, np.int16, np.uint16, np.int32, np.uint32,
                                np.int64, np.uint64, np.float32, np.float64)]


def sinc(x):
    if x == 0:
        return 1.0
    return math.sin(x * math.pi) / (x * math.pi)


def test_issue_sinc_example():
    """Issue 12: on float32 input, ['f8(f8)', 'f4(f4)'] runs the float64 loop (Numba: float64)."""
    x = np.linspace(-3, 3, 5).astype(np.float32)
    f8_first = vectorize(["f8(f8)", "f4(f4)"])(sinc)
    got = f8_first(x)
    assert got.dtype == np.float64
    np.testing.assert_array_equal(got, [sinc(float(v)) for v in x])    # computed in float64
    f4_first = vectorize(["f4(f4)", "f8(f8)"])(sinc)
    assert f4_first(x).dtype == np.float32
    assert f4_first(x.astype(np.float64)).dtype == np.float64
    # The same on every path: out=, a positional out, 0-d input, a strided view, a scalar.
    out = np.empty(5)
    assert f8_first(x, out) is out
    np.testing.assert_array_equal(out, got)
    assert f8_first(x[::2]).dtype == np.float64
    assert type(f8_first(np.float32(0.5))) is np.float64
    assert type(f8_first(np.array(0.5, dtype=np.float32))) is np.float64


def reference_loop(loops, args):
    """What NumPy 2's linear_search_type_resolver picks, written from np.can_cast: the index of
    the first loop whose every input the argument casts to safely. A Python int or float is a
    weak scalar when some array-like argument is of at least its kind (bool < int < float):
    then an int fits any integer or float loop type and a float any float one; else it is int64
    or float64."""
    def order(kind):
        return {"b": 0, "u": 1, "i": 1, "f": 2}[kind]

    weak = [type(a) in (int, float) for a in args]
    strong_kinds = [order(np.asarray(a).dtype.kind) for a, w in zip(args, weak) if not w]
    weak_kinds = [1 if type(a) is int else 2 for a, w in zip(args, weak) if w]
    min_scalar = bool(strong_kinds) and max(strong_kinds) >= max(weak_kinds, default=-1)
    for k, loop in enumerate(loops):
        ok = True
        for a, w, t in zip(args, weak, loop):
            if w and min_scalar:
                ok = t.kind in ("iuf" if type(a) is int else "f")
            else:
                ok = np.can_cast(np.asarray(a).dtype, t, "safe")
            if not ok:
                break
        if ok:
            return k
    return None


@pytest.fixture
def no_slow_path(monkeypatch):
    if kcache._fast is None:
        pytest.skip("kcache._fast is not built")

    def counting(f):
        calls = []

        def slow(*args, **kwargs):
            calls.append(args)
            return type(f)._slow_call(f, *args, **kwargs)
        monkeypatch.setattr(f, "_slow_call", slow, raising=False)
        return calls

    return counting


def _add(a, b):
    return a + b


# np.add's own loops, in np.add's order, for the dtypes kcache has: np.add is the oracle.
ADD_LIKE = vectorize(["b1(b1, b1)", "i1(i1, i1)", "u1(u1, u1)", "i2(i2, i2)", "u2(u2, u2)", "i4(i4, i4)",
                      "u4(u4, u4)", "i8(i8, i8)", "u8(u8, u8)", "f4(f4, f4)", "f8(f8, f8)"])(_add)


@pytest.mark.parametrize("da", DTYPES, ids=str)
def test_add_like_ufunc_matches_np_add_for_every_dtype_pair(da):
    for db in DTYPES:
        a = np.arange(6).astype(da)
        b = (np.arange(6) % 3).astype(db)
        want = np.add(a, b)
        got = ADD_LIKE(a, b)
        assert got.dtype == want.dtype, (da, db)
        np.testing.assert_array_equal(got, want)
        # 0-d arrays and NumPy scalars keep their dtype (NumPy 2: no value-based casting).
        got0 = ADD_LIKE(a[1], b[1:2])
        assert got0.dtype == np.add(a[1], b[1:2]).dtype, (da, db)
        assert type(ADD_LIKE(a[2], b[2])) is type(np.add(a[2], b[2])), (da, db)


@pytest.mark.parametrize("scalar", [1, 2, 1.5, True, 0])
def test_python_scalars_follow_nep50(scalar):
    for dt in DTYPES:
        a = np.arange(4).astype(dt)
        for args in ((a, scalar), (scalar, a), (a[0], scalar), (scalar, a[:1])):
            want = np.add(*args)
            got = ADD_LIKE(*args)
            assert np.asarray(got).dtype == np.asarray(want).dtype, (args, want, got)
            np.testing.assert_array_equal(got, want)
    assert type(ADD_LIKE(scalar, scalar)) is type(np.add(scalar, scalar))
    assert type(ADD_LIKE(scalar, 2.5)) is type(np.add(scalar, 2.5))


def test_python_int_out_of_range_for_the_loop_raises_overflow_like_numpy():
    a = np.arange(4, dtype=np.uint8)
    for value in (300, -1):
        with pytest.raises(OverflowError):
            np.add(a, value)
        with pytest.raises(OverflowError):
            ADD_LIKE(a, value)
    with pytest.raises(OverflowError):
        ADD_LIKE(np.arange(3, dtype=np.int8), 2**40)
    np.testing.assert_array_equal(ADD_LIKE(a, 255), np.add(a, 255))


def _ident(x):
    return x


ORDERS = [
    ["f8", "f4"],
    ["f4", "f8"],
    ["i8", "f4", "i2", "f8"],
    ["u1", "i1", "u4", "f4", "i8", "u8", "f8"],
    ["b1", "u2", "i4", "f8", "i1", "f4"],
    ["i1", "i4"],        # int64, uint32, ... have no loop: a TypeError, as NumPy's
]


@pytest.mark.parametrize("order", ORDERS, ids=lambda o: ",".join(o))
def test_first_safe_loop_in_declaration_order(order, no_slow_path):
    f = vectorize(["%s(%s)" % (t, t) for t in order])(_ident)
    loops = [(np.dtype(t),) for t in order]
    slow_calls = no_slow_path(f)
    for dt in DTYPES:
        x = np.arange(5).astype(dt)
        k = reference_loop(loops, [x])
        before = len(slow_calls)
        if k is None:
            with pytest.raises(TypeError):
                f(x)
            continue
        got = f(x)
        assert got.dtype == loops[k][0], (dt, order)
        np.testing.assert_array_equal(got, x.astype(loops[k][0]))
        # The C fast path runs the chosen loop when it takes the input as it is, and never a
        # later loop that takes it as it is: the cast is the slow path's.
        assert len(slow_calls) == before + (loops[k][0] != dt), (dt, order)
        for scalar in (3, 2.5):
            k = reference_loop(loops, [scalar])
            if k is not None:
                assert type(f(scalar)) is loops[k][0].type


def test_fast_path_cast_table_is_numpys():
    if kcache._fast is None:
        pytest.skip("kcache._fast is not built")
    names = ["bool", "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64", "float32", "float64"]
    for (i, a), (j, b) in itertools.product(enumerate(names), repeat=2):
        assert kcache._fast.safe_cast(i, j) == np.can_cast(np.dtype(a), np.dtype(b), "safe"), (a, b)


def test_lazy_vectorize_reuses_a_loop_the_inputs_cast_to():
    f = vectorize(_ident)
    assert f(np.arange(3.0)).dtype == np.float64
    assert f(np.arange(3, dtype=np.float32)).dtype == np.float64      # float32 casts to the float64 loop
    assert f(np.arange(3, dtype=np.int32)).dtype == np.float64
    assert f.types == ["d->d"]
    assert f(np.arange(3, dtype=np.uint64)).dtype == np.float64
    g = vectorize(_add)
    assert g(np.arange(3, dtype=np.int8), 1).dtype == np.int64         # compiles int8, int64 (Numba: 'bl->l')
    assert g(np.arange(3, dtype=np.int8), 1).dtype == np.int64
    assert g.types == ["bl->l"]


def test_positional_out():
    f = vectorize(["f8(f8, f8)", "i8(i8, i8)"])(_add)
    a, b = np.arange(6.0), np.ones(6)
    for out in (np.empty(6), np.empty(12)[::2], np.empty((2, 6)), np.empty(6, dtype=np.float32)):
        want = np.broadcast_to(np.add(a, b), out.shape).astype(out.dtype)
        assert f(a, b, out) is out
        np.testing.assert_array_equal(out, want)
        out[...] = 0
        assert f(a, b, out=out) is out
        np.testing.assert_array_equal(out, want)
    out = np.empty(6)
    assert f(a, 1.0, out) is out and (out == a + 1).all()
    assert f(a, b, None).shape == (6,)
    with pytest.raises(TypeError):
        f(a, b, out, out=out)
    with pytest.raises(TypeError):
        f(a, b, out, out)
    g = vectorize(["f8(f8)"])(_ident)
    o = np.empty(3)
    assert g(np.arange(3.0), o) is o and (o == np.arange(3.0)).all()


def test_positional_out_on_the_fast_path(no_slow_path):
    f = vectorize(["f8(f8, f8)"])(_add)
    slow_calls = no_slow_path(f)
    a, b, out = np.arange(6.0), np.ones(6), np.empty(6)
    assert f(a, b, out) is out
    np.testing.assert_array_equal(out, a + b)
    assert slow_calls == []
    ro = np.empty(6)
    ro.flags.writeable = False
    with pytest.raises(ValueError, match="read-only"):
        f(a, b, ro)


def test_output_casting_is_same_kind_as_numpy():
    f = vectorize(["f8(f8, f8)"])(_add)
    a = np.arange(4.0)
    out = np.empty(4, dtype=np.int64)
    with pytest.raises(TypeError):
        np.add(a, a, out=out)
    with pytest.raises(TypeError):
        f(a, a, out=out)
    with pytest.raises(TypeError):
        f(a, a, out)
    i = vectorize(["i8(i8, i8)"])(_add)
    small = np.empty(4, dtype=np.int8)                 # int64 -> int8 is same_kind: allowed
    assert i(np.arange(4), np.arange(4), small) is small and (small == np.arange(4) * 2).all()


def test_kcache_types_as_vectorize_signatures():
    f = vectorize([kcache.float64(kcache.float64), kcache.float32(kcache.float32)])(sinc)
    assert f.types == ["d->d", "f->f"]
    assert f(np.ones(3, dtype=np.float32)).dtype == np.float64
    g = vectorize(kcache.int32(kcache.int32, kcache.int32))(_add)
    assert g.types == ["ii->i"]
