"""@guvectorize, in the forms Numba users write it, against the same kernel run by CPython in a
reference outer loop (NumPy's generalized-ufunc rules: core dimensions last, the outer ones
broadcast): scalar and array cores, reductions to `()`, matrix products, several signatures,
outputs passed in, broadcasting, target='parallel', and the errors NumPy gives."""
import math

import numpy as np
import pytest

from kcache import guvectorize
from kcache._guvectorize import parse_layout


def reference(py_func, layout, args, out_dtypes):
    """Runs `py_func` (plain Python) once per outer index, as NumPy defines a gufunc call."""
    core_in, core_out = parse_layout(layout)
    arrays = [np.asarray(a) for a in args]
    sizes = {}
    loops = []
    for a, core in zip(arrays, core_in):
        split = a.ndim - len(core)
        for d, n in zip(core, a.shape[split:]):
            sizes.setdefault(d, n)
        loops.append(a.shape[:split])
    loop_shape = np.broadcast_shapes(*loops)
    full = [np.broadcast_to(a, loop_shape + a.shape[a.ndim - len(c):]) for a, c in zip(arrays, core_in)]
    outs = [np.zeros(loop_shape + tuple(sizes[d] for d in c), dtype=t) for c, t in zip(core_out, out_dtypes)]
    for idx in np.ndindex(*loop_shape):
        items = [f[idx] if c else f[idx][()] for f, c in zip(full, core_in)]
        views = [o[idx] if c else o[idx].reshape(1) for o, c in zip(outs, core_out)]
        # A 0-d output is written through a 1-element view of it: copy back.
        py_func(*items, *views)
        for o, v, c in zip(outs, views, core_out):
            if not c:
                o[idx] = v[0]
    return outs[0] if len(outs) == 1 else tuple(outs)


def add_scalar(x, y, res):
    for i in range(x.shape[0]):
        res[i] = x[i] + y


def row_stats(x, total, peak):
    s = 0.0
    m = -math.inf
    for i in range(x.shape[0]):
        s += x[i]
        m = max(m, x[i])
    total[0] = s
    peak[0] = m


def copy_row(x, res):
    res[:] = x


def matmul(a, b, out):
    m, n = a.shape
    p = b.shape[1]
    for i in range(m):
        for j in range(p):
            acc = 0.0
            for k in range(n):
                acc += a[i, k] * b[k, j]
            out[i, j] = acc


def moving_mean(x, window, out):
    acc = 0.0
    for i in range(x.shape[0]):
        acc += x[i]
        if i >= window:
            acc -= x[i - window]
            out[i] = acc / window
        else:
            out[i] = acc / (i + 1)


g_add = guvectorize(["void(float64[:], float64, float64[:])", "void(int64[:], int64, int64[:])"], "(n),()->(n)")(add_scalar)
g_stats = guvectorize(["void(float64[:], float64[:], float64[:])"], "(n)->(),()")(row_stats)
g_matmul = guvectorize(["void(float64[:, :], float64[:, :], float64[:, :])"], "(m,n),(n,p)->(m,p)")(matmul)
g_moving = guvectorize(["void(float32[:], int64, float32[:])", "void(float64[:], int64, float64[:])"],
                       "(n),()->(n)", target="parallel")(moving_mean)


def test_scalar_core_broadcast_over_rows():
    r = np.random.default_rng(1)
    x = r.standard_normal((4, 7))
    y = r.standard_normal(4)  # one scalar per row
    got = g_add(x, y)
    np.testing.assert_array_equal(got, reference(add_scalar, "(n),()->(n)", [x, y], [np.float64]))
    # A Python scalar broadcasts to every row; 1-D input has no loop dimensions.
    np.testing.assert_array_equal(g_add(x, 2.5), x + 2.5)
    np.testing.assert_array_equal(g_add(x[0], 1.0), x[0] + 1.0)


def test_signature_is_chosen_by_input_dtypes():
    # As NumPy chooses: the first loop every input casts to safely (int64 does to float64).
    x = np.arange(12, dtype=np.int64).reshape(3, 4)
    got = g_add(x, np.int64(5))
    assert got.dtype == np.float64
    np.testing.assert_array_equal(got, x + 5)
    assert g_add.types == ["dd->d", np.dtype(np.int64).char * 2 + "->" + np.dtype(np.int64).char]
    ints_first = guvectorize(["void(int64[:], int64, int64[:])", "void(float64[:], float64, float64[:])"],
                             "(n),()->(n)")(add_scalar)
    got = ints_first(x, 5)
    assert got.dtype == np.int64
    np.testing.assert_array_equal(got, x + 5)
    assert ints_first(x + 0.5, 1.0).dtype == np.float64


def test_two_scalar_outputs_of_a_reduction():
    r = np.random.default_rng(2)
    x = r.standard_normal((3, 5, 9))
    total, peak = g_stats(x)
    want_total, want_peak = reference(row_stats, "(n)->(),()", [x], [np.float64, np.float64])
    assert total.shape == (3, 5)
    np.testing.assert_array_equal(total, want_total)
    np.testing.assert_array_equal(peak, want_peak)


def test_matrix_core_with_broadcast_stack():
    r = np.random.default_rng(3)
    a = r.standard_normal((5, 3, 4))
    b = r.standard_normal((4, 2))
    got = g_matmul(a, b)
    np.testing.assert_array_equal(got, reference(matmul, "(m,n),(n,p)->(m,p)", [a, b], [np.float64]))
    np.testing.assert_allclose(got, a @ b, rtol=1e-12)


def test_outputs_passed_in_also_strided():
    r = np.random.default_rng(4)
    x = r.standard_normal((6, 8))
    out = np.empty((6, 8))
    assert g_add(x, 1.0, out) is out
    np.testing.assert_array_equal(out, x + 1.0)
    strided = np.zeros((8, 6)).T  # not C-contiguous: filled through a temporary
    g_add(x, 2.0, out=strided)
    np.testing.assert_array_equal(strided, x + 2.0)


def test_parallel_target_and_float32():
    r = np.random.default_rng(5)
    x = r.standard_normal((64, 200)).astype(np.float32)
    got = g_moving(x, 5)
    assert got.dtype == np.float32
    # Numba's typing: `acc = 0.0` is float64 and float32 items widen into it; the result is
    # rounded to float32 when stored. (CPython with NumPy 2 would keep acc in float32.)
    want = reference(moving_mean, "(n),()->(n)", [x.astype(np.float64), 5], [np.float64]).astype(np.float32)
    np.testing.assert_array_equal(got, want)
    x64 = x.astype(np.float64)
    np.testing.assert_array_equal(g_moving(x64, 3), reference(moving_mean, "(n),()->(n)", [x64, 3], [np.float64]))


def test_core_dimension_mismatch_and_bad_layouts():
    with pytest.raises(ValueError, match="core dimension"):
        g_matmul(np.ones((3, 4)), np.ones((5, 2)))
    with pytest.raises(ValueError, match="dimensions"):
        g_matmul(np.ones(3), np.ones((3, 2)))
    with pytest.raises(ValueError):
        parse_layout("(n)(m)->()")
    with pytest.raises(ValueError, match="not an input"):
        parse_layout("(n)->(m)")
    with pytest.raises(TypeError, match="returns nothing"):
        guvectorize(["float64(float64[:], float64[:])"], "(n)->(n)")(copy_row)
