"""np.linalg inside kernels beyond det/inv/solve (those are in test_numpy_rearrange_stats.py):
cholesky, qr, eigvalsh/eigh, svd, lstsq, pinv, matrix_power, slogdet, matrix_rank, cond,
norm(ord=2/-2) and eigvals (compared as sorted complex values), from kcache's kernel-language library (server/src/builtins/library.py).
NumPy (LAPACK) is the oracle, to a tight tolerance: kcache computes in float64 like
numpy.linalg (also for float32 input, rounded to float32 at the end) but by other algorithms
(Householder QR as LAPACK's, Jacobi rotations for eigh and svd), so the last bits differ.
Eigenvectors and singular vectors are compared up to each column's sign: LAPACK's signs follow
from its algorithm, not from a rule that another algorithm could reproduce."""
import numpy as np
import numpy.linalg as la
import pytest
from numpy.linalg import eigh, svd

from kcache import njit

from test_numpy_arrays import kernel

RTOL = {np.float64: 1e-10, np.float32: 2e-5}


def rng(seed=7):
    return np.random.default_rng(seed)


def check(got, want, dtype, scale=1.0):
    """Same shape and dtype, values within the dtype's tolerance relative to `scale` (the
    size of the quantity, e.g. the largest singular value)."""
    want = np.asarray(want)
    got = np.asarray(got)
    assert got.shape == want.shape, (got.shape, want.shape)
    if want.ndim > 0:
        assert got.dtype == want.dtype, (got.dtype, want.dtype)
    tol = RTOL[dtype]
    np.testing.assert_allclose(got, want, rtol=tol, atol=tol * scale)


def same_up_to_column_sign(got, want, dtype, scale=1.0):
    """Columns equal up to a sign per column (eigen/singular vectors)."""
    got = np.asarray(got)
    want = np.asarray(want)
    assert got.shape == want.shape and got.dtype == want.dtype
    for j in range(want.shape[1]):
        k = np.argmax(np.abs(want[:, j]))
        s = 1.0 if np.sign(got[k, j]) == np.sign(want[k, j]) else -1.0
        check(s * got[:, j], want[:, j], dtype, scale)


def spd(n, seed=1):
    a = rng(seed).standard_normal((n, n))
    return a @ a.T + n * np.eye(n)


def sym(n, seed=2):
    a = rng(seed).standard_normal((n, n))
    return a + a.T


DTYPES = [np.float64, np.float32]
SHAPES = [(1, 1), (3, 3), (6, 4), (4, 6), (8, 8), (12, 5)]


@pytest.mark.parametrize("dtype", DTYPES)
def test_cholesky(dtype):
    f = kernel("np.linalg.cholesky(x)")
    for n in [1, 2, 5, 9]:
        a = spd(n).astype(dtype)
        check(njit(f)(a), f(a), dtype, np.abs(f(a)).max())
    # Only the lower triangle is read (NumPy's UPLO='L'); non-contiguous input.
    a = spd(6)
    b = np.tril(a) + np.triu(rng(3).standard_normal((6, 6)), 1)
    check(njit(f)(b), f(b), np.float64, 10.0)
    big = np.asfortranarray(spd(7))
    check(njit(f)(big), f(big), np.float64, 10.0)
    check(njit(f)(spd(10)[::2, ::2]), f(spd(10)[::2, ::2]), np.float64, 10.0)


def test_cholesky_errors():
    f = njit(kernel("np.linalg.cholesky(x)"))
    with pytest.raises(np.linalg.LinAlgError, match="not positive definite"):
        f(np.array([[1.0, 2.0], [2.0, 1.0]]))
    with pytest.raises(np.linalg.LinAlgError, match="square"):
        f(np.ones((2, 3)))


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("shape", SHAPES)
def test_qr_matches_numpy_with_signs(dtype, shape):
    a = (rng(11).standard_normal(shape) * 3).astype(dtype)
    f = kernel("np.linalg.qr(x)")
    q, r = njit(f)(a)
    want_q, want_r = f(a)
    check(q, want_q, dtype)
    check(r, want_r, dtype, np.abs(want_r).max())
    # Non-contiguous input: a transposed view.
    q, r = njit(f)(a.T)
    want_q, want_r = f(a.T)
    check(q, want_q, dtype)
    check(r, want_r, dtype, np.abs(want_r).max())


def test_qr_special_columns():
    f = kernel("np.linalg.qr(x)")
    # A column already zero below the diagonal (tau = 0: R keeps its sign), a zero column, ints.
    # (Not rank-deficient ones beyond that: there Q's last columns are rounding noise.)
    for a in [np.array([[-2.0, 1.0], [0.0, 3.0]]), np.array([[0.0, 1.0], [0.0, 2.0], [0.0, 5.0]]),
              np.array([[2, 1, 0], [1, 3, 1], [0, 1, 4], [1, 0, 1]])]:
        q, r = njit(f)(a)
        want_q, want_r = f(a)
        check(q, want_q, np.float64, 10.0)
        check(r, want_r, np.float64, 10.0)


@pytest.mark.parametrize("dtype", DTYPES)
def test_eigvalsh_and_eigh(dtype):
    fw = kernel("np.linalg.eigvalsh(x)")
    fv = kernel("np.linalg.eigh(x)")
    for n in [1, 2, 3, 7, 12]:
        a = sym(n).astype(dtype)
        want_w = fw(a)
        scale = np.abs(want_w).max()
        check(njit(fw)(a), want_w, dtype, scale)
        w, v = njit(fv)(a)
        want_w, want_v = fv(a)
        check(w, want_w, dtype, scale)
        same_up_to_column_sign(v, want_v, dtype)
        # A V = V diag(w), orthonormal V.
        check((a.astype(np.float64) @ v - v * w).astype(dtype), np.zeros_like(v), dtype, scale)
        check(v.T @ v, np.eye(n, dtype=dtype), dtype)


def test_eigh_reads_lower_triangle_and_strided():
    f = kernel("np.linalg.eigh(x)")
    a = sym(6)
    b = np.tril(a) + np.triu(np.full((6, 6), 99.0), 1)
    w, v = njit(f)(b)
    want_w, want_v = f(b)
    check(w, want_w, np.float64, 10.0)
    same_up_to_column_sign(v, want_v, np.float64)
    s = sym(10)[::2, 1::2]
    s = s + s.T
    w, v = njit(f)(s)
    want_w, want_v = f(s)
    check(w, want_w, np.float64, 10.0)
    same_up_to_column_sign(v, want_v, np.float64)
    # Repeated eigenvalues: the values match; the vectors span the same spaces.
    d = np.diag([2.0, 1.0, 2.0, 3.0])
    check(njit(kernel("np.linalg.eigvalsh(x)"))(d), np.linalg.eigvalsh(d), np.float64)
    with pytest.raises(np.linalg.LinAlgError, match="square"):
        njit(f)(np.ones((2, 3)))


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("shape", SHAPES)
def test_svd(dtype, shape):
    a = (rng(5).standard_normal(shape) * 2).astype(dtype)
    fs = kernel("np.linalg.svd(x, compute_uv=False)")
    want_s = fs(a)
    scale = want_s[0]
    check(njit(fs)(a), want_s, dtype, scale)
    for full in [False, True]:
        f = kernel("np.linalg.svd(x, full_matrices=%s)" % full)
        u, s, vt = njit(f)(a)
        want_u, want_s, want_vt = f(a)
        check(s, want_s, dtype, scale)
        k = min(shape)
        # Columns of U / rows of Vt that belong to singular values: up to sign.
        same_up_to_column_sign(u[:, :k], want_u[:, :k], dtype)
        same_up_to_column_sign(vt[:k].T, want_vt[:k].T, dtype)
        # Full matrices: the completion is orthonormal (any basis is NumPy's up to rotation).
        assert u.shape == want_u.shape and vt.shape == want_vt.shape
        check(u.T @ u, np.eye(u.shape[1], dtype=dtype), dtype)
        check(vt @ vt.T, np.eye(vt.shape[0], dtype=dtype), dtype)
    # The default is full_matrices=True; the transposed view is non-contiguous.
    f = kernel("np.linalg.svd(x)")
    u, s, vt = njit(f)(a.T)
    check(s, f(a.T)[1], dtype, scale)
    check((u[:, :len(s)] * s) @ vt[:len(s)], a.T, dtype, scale)


def test_svd_rank_deficient():
    a = np.outer(np.arange(1.0, 5.0), np.arange(1.0, 4.0))  # rank 1
    u, s, vt = njit(kernel("np.linalg.svd(x, full_matrices=False)"))(a)
    check(s, np.linalg.svd(a, compute_uv=False), np.float64, s[0])
    check(u.T @ u, np.eye(3), np.float64)
    check((u * s) @ vt, a, np.float64, s[0])
    z = np.zeros((3, 2))
    u, s, vt = njit(kernel("np.linalg.svd(x)"))(z)
    check(s, np.zeros(2), np.float64)
    check(u.T @ u, np.eye(3), np.float64)
    check(vt @ vt.T, np.eye(2), np.float64)


@pytest.mark.parametrize("dtype", DTYPES)
def test_lstsq(dtype):
    r = rng(9)
    f = kernel("np.linalg.lstsq(a, b)", "a, b")
    fr = kernel("np.linalg.lstsq(a, b, rcond=1e-3)", "a, b")
    for m, n in [(8, 3), (3, 3), (3, 6), (1, 1)]:
        a = r.standard_normal((m, n)).astype(dtype)
        for b in [r.standard_normal(m).astype(dtype), r.standard_normal((m, 2)).astype(dtype)]:
            for g in [f, fr]:
                x, res, rank, s = njit(g)(a, b)
                wx, wres, wrank, ws = g(a, b)
                check(x, wx, dtype, np.abs(wx).max())
                check(res, wres, dtype, np.abs(b).max() ** 2)
                assert rank == wrank
                check(s, ws, dtype, ws[0])
    # Rank-deficient: rank < n, no residuals; the minimum-norm solution.
    a = np.outer(np.arange(1.0, 7.0), [1.0, 2.0, 3.0])
    b = np.arange(6.0)
    x, res, rank, s = njit(f)(a, b)
    wx, wres, wrank, ws = f(a, b)
    check(x, wx, np.float64, 1.0)
    assert rank == wrank == 1 and res.shape == wres.shape == (0,)
    with pytest.raises(np.linalg.LinAlgError, match="Incompatible"):
        njit(f)(a, np.ones(5))


@pytest.mark.parametrize("dtype", DTYPES)
def test_pinv(dtype):
    f = kernel("np.linalg.pinv(x)")
    for shape in [(3, 3), (6, 4), (4, 6)]:
        a = rng(13).standard_normal(shape).astype(dtype)
        want = f(a)
        check(njit(f)(a), want, dtype, np.abs(want).max())
        check(njit(f)(a.T), f(a.T), dtype, np.abs(want).max())
    a = np.outer(np.arange(1.0, 5.0), np.arange(1.0, 4.0))
    check(njit(f)(a), f(a), np.float64, 1.0)
    g = kernel("np.linalg.pinv(x, 1e-2)")
    a = np.diag([1.0, 1e-3, 2.0])
    check(njit(g)(a), g(a), np.float64, 1.0)


def test_matrix_power():
    f = kernel("np.linalg.matrix_power(x, n)", "x, n")
    a = rng(17).standard_normal((4, 4)) / 2
    for n in [0, 1, 2, 3, 4, 5, 7, 12, -1, -3]:
        want = f(a, n)
        check(njit(f)(a, n), want, np.float64, np.abs(want).max())
        check(njit(f)(a.astype(np.float32), n), f(a.astype(np.float32), n), np.float32,
              np.abs(want).max())
    ints = np.array([[1, 1], [1, 0]])
    for n in [0, 1, 2, 3, 10, 30]:
        got = njit(f)(ints, n)
        assert got.dtype == f(ints, n).dtype and (got == f(ints, n)).all()
    with pytest.raises(ValueError):
        njit(f)(ints, -1)
    with pytest.raises(np.linalg.LinAlgError, match="square"):
        njit(f)(np.ones((2, 3)), 2)


@pytest.mark.parametrize("dtype", DTYPES + [np.int64])
def test_slogdet(dtype):
    f = kernel("np.linalg.slogdet(x)")
    for n in [1, 3, 6]:
        a = (rng(n).standard_normal((n, n)) * 4).astype(dtype)
        sign, logdet = njit(f)(a)
        want_sign, want_logdet = f(a)
        assert sign == want_sign
        tol = RTOL.get(dtype, 1e-10)
        assert abs(logdet - want_logdet) <= tol * max(1.0, abs(want_logdet))
    sign, logdet = njit(f)(np.array([[1.0, 2.0], [2.0, 4.0]]))
    assert sign == 0.0 and logdet == -np.inf


def test_matrix_rank_and_cond():
    rank = njit(kernel("np.linalg.matrix_rank(x)"))
    cond = njit(kernel("np.linalg.cond(x)"))
    cases = [rng(3).standard_normal((5, 5)), np.outer(np.arange(1.0, 5.0), np.arange(1.0, 4.0)),
             np.zeros((3, 3)), np.eye(4)[:, :3], rng(4).standard_normal((3, 7)).astype(np.float32),
             np.diag([1.0, 1e-20, 3.0])]
    for a in cases:
        assert rank(a) == np.linalg.matrix_rank(a)
        want = np.linalg.cond(a)
        got = cond(a)
        if np.isinf(want) or want > 1e15:
            assert got > 1e15
        else:
            assert abs(got - want) <= 1e-9 * want if a.dtype == np.float64 else 1e-4 * want
    assert rank(np.array([0.0, 0.0])) == 0 and rank(np.array([0.0, 3.0])) == 1
    tol = njit(kernel("np.linalg.matrix_rank(x, 1.5)"))
    assert tol(np.diag([1.0, 2.0, 3.0])) == 2


def test_norm_ord_2():
    f = kernel("np.linalg.norm(x, 2), np.linalg.norm(x, -2)")
    a = rng(21).standard_normal((5, 3))
    got = njit(f)(a)
    want = f(a)
    for g, w in zip(got, want):
        assert abs(g - w) <= 1e-12 * want[0]


def _via_imports(a):
    q, r = la.qr(a)
    w, v = eigh(a @ a.T)
    return q @ r, w, svd(a, False, False), np.linalg.svd(a, compute_uv=True, full_matrices=False)[1]


def test_from_import_positional_options_and_fortran_order():
    a = np.asfortranarray(rng(23).standard_normal((5, 5)))
    got = njit(_via_imports)(a)
    want = _via_imports(a)
    check(got[0], want[0], np.float64, 5.0)
    for g, w in zip(got[1:], want[1:]):
        check(g, w, np.float64, np.abs(w).max())


def test_non_finite_and_empty_inputs_as_numpys():
    nan = np.array([[1.0, np.nan], [np.nan, 2.0]])
    inf = np.array([[1.0, np.inf], [np.inf, 2.0]])
    for expr in ["np.linalg.eigvalsh(x)", "np.linalg.eigh(x)", "np.linalg.cholesky(x)",
                 "np.linalg.svd(x, compute_uv=False)", "np.linalg.pinv(x)", "np.linalg.cond(x)",
                 "np.linalg.matrix_rank(x)", "np.linalg.slogdet(x)"]:
        f = kernel(expr)
        for a in [nan, inf, np.zeros((0, 0))]:
            try:
                want = f(a)
            except np.linalg.LinAlgError as e:
                with pytest.raises(np.linalg.LinAlgError, match=str(e)[:10]):
                    njit(f)(a)
                continue
            got = njit(f)(a)
            for g, w in zip(got if isinstance(want, tuple) else [got],
                            want if isinstance(want, tuple) else [want]):
                np.testing.assert_array_equal(np.asarray(g), np.asarray(w))


def sorted_complex(w):
    w = np.asarray(w, np.complex128)
    return w[np.lexsort((w.imag, w.real))]


@pytest.mark.parametrize("dtype", DTYPES)
def test_eigvals_real_matrices(dtype):
    f = kernel("np.linalg.eigvals(x)")
    cases = [rng(s).standard_normal((n, n)) for s, n in [(1, 1), (2, 2), (3, 3), (4, 5), (5, 8), (6, 13)]]
    cases += [sym(6), np.array([[0.0, -1.0], [1.0, 0.0]]), np.diag([3.0, 1.0, 2.0]),
              np.triu(rng(8).standard_normal((5, 5))), rng(9).standard_normal((9, 9)).T]
    for a in cases:
        a = a.astype(dtype)
        got = njit(f)(a)
        want = f(a)
        assert got.dtype == (np.complex64 if dtype == np.float32 else np.complex128)
        scale = max(1.0, np.abs(want).max())
        np.testing.assert_allclose(sorted_complex(got), sorted_complex(want), rtol=RTOL[dtype] * 10,
                                   atol=RTOL[dtype] * 10 * scale)
    with pytest.raises(np.linalg.LinAlgError, match="square"):
        njit(f)(np.ones((2, 3)))
    with pytest.raises(np.linalg.LinAlgError, match="infs or NaNs"):
        njit(f)(np.array([[1.0, np.nan], [0.0, 1.0]]))
