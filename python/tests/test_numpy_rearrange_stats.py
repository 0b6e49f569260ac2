"""More NumPy functions from kcache's kernel-language library (server/src/builtins/library.py):
counting and binning (bincount, digitize), rearranging (tril/triu, flip, roll, repeat, tile,
diag, kron, meshgrid, stacks), signals (convolve, trapezoid, polyval, cross), statistics that
skip NaN, cov/corrcoef, and np.linalg's det/inv/solve. NumPy is the oracle: bitwise where kcache
computes in NumPy's order, to a few ulps where NumPy calls BLAS or LAPACK."""
import math

import numpy as np
import pytest

from kcache import njit

from test_numpy_arrays import DTYPES, FLOATS, INTS, kernel, run_both, sample


def close(got, want, rtol=1e-12):
    if isinstance(want, tuple):
        assert isinstance(got, tuple) and len(got) == len(want)
        for g, w in zip(got, want):
            close(g, w, rtol)
        return
    want = np.asarray(want)
    got = np.asarray(got)
    assert got.shape == want.shape, (got.shape, want.shape)
    if want.ndim > 0:
        # (Scalar results reach Python as Python numbers, as Numba's do.)
        assert got.dtype == want.dtype, (got.dtype, want.dtype)
    np.testing.assert_allclose(got, want, rtol=rtol, atol=rtol)


@pytest.mark.parametrize("dtype", INTS)
def test_bincount(dtype):
    x = np.abs(sample(dtype, (40,))) % 9
    run_both(kernel("np.bincount(x)"), x)
    run_both(kernel("np.bincount(x, minlength=20)"), x)
    run_both(kernel("np.bincount(x[:0])"), x)
    w = np.linspace(0.0, 1.0, 40)
    run_both(kernel("np.bincount(x, w)", "x, w"), x, w)
    run_both(kernel("np.bincount(x, weights=w, minlength=3)", "x, w"), x, w)


def test_bincount_errors():
    with pytest.raises(ValueError, match="negative"):
        njit(kernel("np.bincount(x)"))(np.array([1, -1]))


@pytest.mark.parametrize("dtype", DTYPES)
def test_rearrangements_every_dtype(dtype):
    m = sample(dtype, (4, 5))
    v = sample(dtype, (7,))
    # One kernel per dtype and layout returns every result (a compile per expression is slow).
    matrix_exprs, vector_exprs = [], []
    for expr in ["np.tril(x)", "np.tril(x, 1)", "np.tril(x, -2)", "np.triu(x)", "np.triu(x, 2)",
                 "np.triu(x, -1)", "np.flip(x)", "np.flipud(x)", "np.fliplr(x)", "np.roll(x, 2)",
                 "np.roll(x, -7)", "np.diag(x)", "np.diag(x, 1)", "np.diag(x, -2)", "np.repeat(x, 2)",
                 "np.argwhere(x > 0)", "np.kron(x, x[:2, :2])"]:
        matrix_exprs.append(expr)
    for expr in ["np.flip(x)", "np.flipud(x)", "np.roll(x, 3)", "np.roll(x, 0)", "np.diag(x)",
                 "np.diag(x, -1)", "np.repeat(x, 3)", "np.tile(x, 2)", "np.tile(x, 0)",
                 "np.argwhere(x)", "np.kron(x, x[:3])", "np.meshgrid(x, x[:3])",
                 "np.column_stack((x, x * 2))", "np.stack((x, x, x))"]:
        vector_exprs.append(expr)
    for exprs, arg in [(matrix_exprs, m), (vector_exprs, v)]:
        f = kernel(", ".join(exprs))
        run_both(f, arg)
        run_both(f, arg[..., ::2])
    run_both(kernel("np.roll(x, 2), np.argwhere(x), np.flip(x)"), v[:0])


@pytest.mark.parametrize("dtype", DTYPES)
def test_broadcast_to(dtype):
    v = sample(dtype, (3,))
    run_both(kernel("np.broadcast_to(x, (2, 3)), np.broadcast_to(x, (4, 2, 3)), np.broadcast_to(x, 3), "
                    "np.broadcast_to(x[:1], (2, 5)), np.broadcast_to(x.reshape(3, 1), (3, 4)), "
                    "np.broadcast_to(x[0], (2, 2))"), v)
    run_both(kernel("np.broadcast_to(x, (2, 3))"), v[::-1])
    with pytest.raises(ValueError):
        njit(kernel("np.broadcast_to(x, (3, 2))"))(v)


@pytest.mark.parametrize("dtype", [np.float64, np.float32, np.int32])
def test_var_and_std_along_an_axis(dtype):
    m = sample(dtype, (5, 12))
    close(njit(kernel("np.var(x, axis=0), np.std(x, axis=1), x.var(axis=1, ddof=1), x.std(axis=0, ddof=2)"))(m),
          (np.var(m, axis=0), np.std(m, axis=1), m.var(axis=1, ddof=1), m.std(axis=0, ddof=2)),
          rtol=1e-5 if dtype == np.float32 else 1e-12)


def test_concatenate_along_an_axis_and_hstack_of_matrices():
    a = np.arange(6.0).reshape(2, 3)
    b = np.arange(6.0, 15.0).reshape(3, 3).T[:2]  # another layout
    run_both(kernel("np.concatenate((x, y), axis=1), np.concatenate((x, y), axis=0), np.concatenate((x, y), axis=-1), "
                    "np.hstack((x, y)), np.concatenate((x[0], y[0]), axis=0)", "x, y"), a, b)
    with pytest.raises(ValueError):
        njit(kernel("np.concatenate((x, y), axis=2)", "x, y"))(a, b)
    with pytest.raises(ValueError):
        njit(kernel("np.concatenate((x, y.T), axis=1)", "x, y"))(a, b)


def test_percentiles_and_quantiles_of_several_q():
    x = sample(np.float64, (11,))
    q = np.array([0.0, 0.1, 0.5, 0.9, 1.0])
    close(njit(kernel("np.percentile(x, [25, 50, 75]), np.quantile(x, q), np.percentile(x, q * 100)", "x, q"))(x, q),
          (np.percentile(x, [25, 50, 75]), np.quantile(x, q), np.percentile(x, q * 100)))


def nditer_total(a):
    s = 0.0
    for v in np.nditer(a):
        s += v * 2
    return s


def rows_from_tuples(n):
    out = np.empty((n, 2))
    for i in range(n):
        out[i] = (i, i * 2.5)
    out[0, :] = (7, 8)
    return out


def arrays_of_tuples(x, y):
    p = (x, y, 1)
    return np.array(p), np.array((x, y)) * 2, np.array((1, 2), dtype=np.float32), np.asarray((x, 3))


def test_nditer_tuple_stores_and_arrays_of_tuples():
    m = sample(np.float64, (3, 4))
    run_both(nditer_total, m[:, ::-1])
    run_both(rows_from_tuples, 3)
    run_both(arrays_of_tuples, 1.5, 2.0)
    with pytest.raises(ValueError):
        njit(short_row)(np.zeros((2, 3)))


def short_row(out):
    out[0] = (1, 2)


def test_fmax_and_fmin_of_arrays_skip_nan():
    a = np.array([[1.0, np.nan], [3.0, 0.1]])
    b = np.array([[np.nan, np.nan], [1.0, 5.0]])
    run_both(kernel("np.fmax(x, y), np.fmin(x, 0.5), np.fmax(0.2, y), np.fmin(x, y)", "x, y"), a, b)


def test_flip_is_a_view_as_in_numpy():
    def f(x):
        y = np.flip(x)
        y[0] = 100.0
        return x
    run_both(f, np.arange(5.0))


@pytest.mark.parametrize("dtype", DTYPES)
def test_signals_every_dtype(dtype):
    a = sample(dtype, (9,))
    exprs = []
    for expr in ["np.convolve(x, x[:3])", "np.convolve(x[:2], x)", "np.cross(x[:3], x[3:6])",
                 "np.cross(x[:6].reshape(2, 3), x[3:9].reshape(2, 3))", "np.polyval(x[:4], x)",
                 "np.digitize(x, np.array([-3, 0, 4]))",
                 "np.digitize(x, np.array([5, 1, -2]), right=True)", "np.digitize(x[2], np.array([-3, 0, 4]))"]:
        exprs.append(expr)
    run_both(kernel(", ".join(exprs)), a)
    if dtype in (np.float64, np.int64):
        # A scalar x of a narrower type: NumPy computes in x's type, Numba's scalars in 64 bits.
        run_both(kernel("np.polyval(x[:4], x[5])"), a)


@pytest.mark.parametrize("dtype", FLOATS)
def test_trapezoid(dtype):
    y = sample(dtype, (30,))
    x = np.sort(sample(dtype, (30,), seed=8))
    for name in ["trapezoid"] + (["trapz"] if hasattr(np, "trapz") else []):
        exprs = [f"np.{name}(y)", f"np.{name}(y, x)", f"np.{name}(y[:1])"]
        if dtype == np.float64:
            # (dx is a float64 in a kernel: float32 data with a dx gives float64, as in Numba.)
            exprs.append(f"np.{name}(y, dx=0.5)")
        for expr in exprs:
            f = kernel(expr, "y, x")
            close(njit(f)(y, x), f(y, x), rtol=1e-5 if dtype == np.float32 else 1e-12)


def test_heaviside_and_ptp():
    x = np.array([-1.5, 0.0, 2.0, np.nan, -0.0])
    run_both(kernel("np.heaviside(x, 0.5), np.heaviside(x[0], 1.0), np.heaviside(x[1], 0.25)"), x)
    run_both(kernel("np.heaviside(x, 0.5)"), np.array([-2, 0, 3]))
    for dtype in DTYPES:
        run_both(kernel("np.ptp(x)"), sample(dtype, (3, 4)))


@pytest.mark.parametrize("dtype", FLOATS)
def test_nan_statistics(dtype):
    a = sample(dtype, (13,))
    a[[2, 5, 11]] = np.nan
    for expr in ["np.nansum(x)", "np.nanprod(x[:5])", "np.nanmax(x)", "np.nanmin(x)", "np.nanargmax(x)",
                 "np.nanargmin(x)"]:
        run_both(kernel(expr), a)
        run_both(kernel(expr), a.reshape(1, 13)[:, ::2])
    for expr in ["np.nanmean(x)", "np.nanvar(x)", "np.nanstd(x)"]:
        f = kernel(expr)
        np.testing.assert_allclose(njit(f)(a), f(a), rtol=1e-6 if dtype == np.float32 else 1e-13)
    with pytest.raises(ValueError, match="All-NaN"):
        njit(kernel("np.nanargmax(x)"))(np.array([np.nan, np.nan]))
    with np.errstate(all="ignore"), pytest.warns(RuntimeWarning):
        want = np.nanmax(np.array([np.nan]))
    assert np.isnan(want) and np.isnan(njit(kernel("np.nanmax(x)"))(np.array([np.nan])))


def test_nan_statistics_of_integers_are_the_plain_ones():
    a = sample(np.int32, (10,))
    for expr in ["np.nansum(x)", "np.nanmax(x)", "np.nanmin(x)", "np.nanargmin(x)", "np.nanmean(x)"]:
        run_both(kernel(expr), a)


@pytest.mark.parametrize("dtype", [np.float64, np.float32, np.int64])
def test_cov_and_corrcoef(dtype):
    m = sample(dtype, (3, 8))
    f = kernel("np.cov(x), np.cov(x[0], x[1]), np.corrcoef(x), np.corrcoef(x[0], x[2]), np.cov(x, ddof=0)")
    close(njit(f)(m), f(m))


def test_linalg_det_inv_solve():
    rng = np.random.default_rng(4)
    for n in [1, 2, 3, 5, 8]:
        a = rng.standard_normal((n, n))
        b = rng.standard_normal(n)
        bm = rng.standard_normal((n, 3))
        f = kernel("np.linalg.det(a), np.linalg.inv(a), np.linalg.solve(a, b), np.linalg.solve(a, bm)",
                   "a, b, bm")
        close(njit(f)(a, b, bm), f(a, b, bm), rtol=1e-9)
        close(njit(f)(a.T, b, bm), f(a.T, b, bm), rtol=1e-9)
    ints = np.array([[2, 1], [1, 3]])
    close(njit(kernel("np.linalg.det(x), np.linalg.inv(x)"))(ints), (np.linalg.det(ints), np.linalg.inv(ints)))


def test_linalg_errors_are_numpys():
    singular = np.array([[1.0, 2.0], [2.0, 4.0]])
    assert njit(kernel("np.linalg.det(x)"))(singular) == 0.0
    for expr in ["np.linalg.inv(x)", "np.linalg.solve(x, x[0])"]:
        with pytest.raises(np.linalg.LinAlgError, match="singular"):
            njit(kernel(expr))(singular)
    with pytest.raises(np.linalg.LinAlgError, match="square"):
        njit(kernel("np.linalg.inv(x)"))(np.ones((2, 3)))


def test_newaxis_and_degrees():
    def f(a):
        return a[:, np.newaxis] * a[np.newaxis, :], np.degrees(a), np.deg2rad(a), math.degrees(a[0]), math.radians(a[1])
    run_both(f, np.array([0.5, -2.0, 3.25]))


@pytest.mark.parametrize("dtype", DTYPES)
def test_operator_ufuncs_are_the_operators(dtype):
    a = sample(dtype, (3, 4))
    b = sample(dtype, (4,), seed=9)
    b[b == 0] = 1
    exprs = ["np.add(x, y)", "np.subtract(x, y)", "np.multiply(x, y)", "np.divide(x, y)", "np.true_divide(x, 2)",
             "np.greater(x, y)", "np.less_equal(x, y)", "np.equal(x, x)", "np.not_equal(x, y)", "np.square(x)",
             "np.negative(x)", "np.positive(x)", "np.add(x[0, 0], y[1])", "np.greater(x[0, 1], y[0])",
             "np.floor_divide(x, y)", "np.mod(x, y)", "np.remainder(x, 3)"]
    if np.issubdtype(dtype, np.integer):
        exprs += ["np.bitwise_and(x, 3)", "np.bitwise_or(x, y)", "np.bitwise_xor(x, y)", "np.invert(x)",
                  "np.left_shift(np.abs(x) % 8, 2)", "np.right_shift(np.abs(x), 1)"]
    else:
        exprs += ["np.reciprocal(x + 100.0)"]
    with np.errstate(all="ignore"):
        run_both(kernel(", ".join(exprs), "x, y"), a, b)


def test_sets_selection_and_shape_helpers():
    a = np.array([5, 1, 3, 3, 9, -2, 7, 1])
    b = np.array([3, 7, 8, 1, 1])
    run_both(kernel("np.isin(x, y), np.intersect1d(x, y), np.union1d(x, y), np.setdiff1d(x, y)",
                    "x, y"), a, b)
    run_both(kernel("np.unravel_index(7, (3, 4)), np.unravel_index(x[4], (10,)), np.unravel_index(25, (2, 3, 5))"), a)
    m = np.arange(12.0).reshape(3, 4)
    run_both(kernel("np.rot90(x), np.swapaxes(x, 0, 1), np.swapaxes(x, 1, 1), np.vdot(x, x), np.inner(x[0], x[1])"), m)
    v = np.array([2.0, -1.0, 4.0])
    run_both(kernel("np.expand_dims(x, 0), np.expand_dims(x, 1), np.expand_dims(x, -1), np.atleast_2d(x)"), v)
    run_both(kernel("np.array_equal(x, y), np.array_equal(x, x), np.array_equal(x, x[:2])", "x, y"), v, v * 2)
    # np.partition: the kth element in place and each side on its side (NumPy leaves their order open).
    f = njit(kernel("np.partition(x, 3), x[np.argpartition(x, 3)]"))
    a = np.array([9.0, -1.0, 4.0, 4.0, 0.5, 7.0, 2.0])
    for got in f(a):
        assert got[3] == np.sort(a)[3] and (got[:3] <= got[3]).all() and (got[4:] >= got[3]).all()
    with pytest.raises(ValueError, match="out of bounds"):
        njit(kernel("np.unravel_index(12, (3, 4))"))(a)


def test_ddof_dtype_and_library_dtype_keywords():
    a = sample(np.float64, (20,))
    i = sample(np.int32, (20,))
    run_both(kernel("np.std(x, ddof=1), x.var(ddof=1), np.var(x, ddof=0), x.std(ddof=2)"), a)
    run_both(kernel("np.var(x, ddof=1), np.sum(x, dtype=np.float64), x.sum(dtype=np.int64), np.mean(x, dtype=np.float32)"), i)
    run_both(kernel("np.eye(x, dtype=np.int64), np.identity(x, dtype=np.float32), np.eye(x, 4, 1, dtype=np.bool_)"), 3)


def test_empty_inputs_give_numpys_values():
    e = np.zeros(0)
    with np.errstate(all="ignore"), pytest.warns(RuntimeWarning):
        want = (np.nanmean(e), np.var(e, ddof=1), np.partition(e, 0), np.bincount(e.astype(np.int64)), np.diag(e),
                np.kron(e, e), np.trapezoid(e), np.roll(e, 3), np.isin(e, e), np.var(np.ones(2), ddof=2))
    f = kernel("np.nanmean(x), np.var(x, ddof=1), np.partition(x, 0), np.bincount(x.astype(np.int64)), np.diag(x), "
               "np.kron(x, x), np.trapezoid(x), np.roll(x, 3), np.isin(x, x), np.var(np.ones(2), ddof=2)")
    got = njit(f)(e)
    assert len(got) == len(want)
    for g, w in zip(got, want):
        np.testing.assert_array_equal(g, w)
