"""Complex numbers in kernels (complex64/complex128 scalars and arrays, cmath, NumPy's functions
on complex values), each against CPython + NumPy running the same kernel source. Arithmetic is
CPython's and NumPy's to the last bit; transcendental functions call glibc's complex functions
(what NumPy's complex loops call), which CPython's own cmath may differ from in the last bits."""
import cmath
import math

import numpy as np
import pytest

import kcache
from kcache import njit


def close(got, want, ulps=4):
    got, want = np.asarray(got), np.asarray(want)
    assert got.dtype == want.dtype, (got.dtype, want.dtype)
    assert got.shape == want.shape
    eps = np.finfo(want.real.dtype).eps
    for g, w in ((got.real, want.real), (got.imag, want.imag)) if want.dtype.kind == "c" else ((got, want),):
        same = (g == w) | (np.isnan(g) & np.isnan(w))
        with np.errstate(invalid="ignore"):
            near = np.abs(g - w) <= ulps * eps * np.maximum(np.abs(w), 1.0)
        assert np.all(same | near), (got, want)


def exact(got, want):
    got, want = np.asarray(got), np.asarray(want)
    assert got.dtype == want.dtype, (got.dtype, want.dtype)
    assert np.array_equal(got, want, equal_nan=True), (got, want)


# --- scalars -----------------------------------------------------------------------------------

def arith(a, b):
    z = complex(a, b)
    w = 1.5 - 2j
    return z + w, z - w, z * w, z / w, -z, z * 2, 2.5 / z, z ** 2, z ** 3, z ** -2, z ** 0


def parts(z):
    return z.real, z.imag, z.conjugate(), abs(z)


def compare(z, w):
    return z == w, z != w, z == z, (z + 0j) == z.real


def mixed(z, i, x):
    return z + i, i * z, z / x, x - z


def truthy(z):
    if z:
        return 1
    return 0


@pytest.mark.parametrize("a,b", [(0.5, -1.25), (3.0, 4.0), (-2e100, 1e-300), (0.0, 1.0), (1e-310, -3.0)])
def test_arithmetic_is_cpythons_to_the_bit(a, b):
    got = njit(arith)(a, b)
    want = arith(a, b)
    for g, w in zip(got, want):
        assert type(g) is complex
        exact(g, w)


def test_parts_compare_and_mixed_types():
    for z in (3 + 4j, -0.5 - 0.0j, complex(float("inf"), 1.0)):
        exact(njit(parts)(z), parts(z))
        assert njit(compare)(z, 1 + 1j) == compare(z, 1 + 1j)
    for g, w in zip(njit(mixed)(1 - 2j, 7, 0.25), mixed(1 - 2j, 7, 0.25)):
        exact(g, w)
    assert njit(truthy)(0j) == 0 and njit(truthy)(1e-300j) == 1


def test_complex64_stays_single_precision():
    def f(z, x):
        return z * x + z / x - z

    z, x = np.complex64(1.5 - 0.25j), np.float32(3.0)
    k = njit(f)
    got = k(z, x)
    want = f(z, x)
    assert want.dtype == np.complex64 and k.signatures == [(kcache.complex64, kcache.float32)]
    # As Numba, the result comes back as a Python complex (holding the complex64 value).
    assert type(got) is complex and got == complex(want)


def cmath_all(a, b):
    z = complex(a, b)
    return (cmath.exp(z), cmath.log(z), cmath.log(z, 3.0), cmath.log10(z), cmath.sqrt(z), cmath.sin(z),
            cmath.cos(z), cmath.tan(z), cmath.asin(z), cmath.acos(z), cmath.atan(z), cmath.sinh(z),
            cmath.cosh(z), cmath.tanh(z), cmath.asinh(z), cmath.acosh(z), cmath.atanh(z))


@pytest.mark.parametrize("a,b", [(0.3, 0.4), (-1.5, 2.0), (2.0, -0.1), (0.0, 0.5)])
def test_cmath_functions(a, b):
    for g, w in zip(njit(cmath_all)(a, b), cmath_all(a, b)):
        close(g, w)


def test_cmath_predicates_polar_rect_and_constants():
    def f(z):
        r, phi = cmath.polar(z)
        w = cmath.rect(r, phi)
        return (cmath.phase(z), r, phi, w, cmath.sqrt(-4.0), cmath.pi, cmath.inf)

    for z in (1 + 1j, -2 - 0.5j, -3 + 0j, 1e-300 - 1e300j):
        for g, w in zip(njit(f)(z), f(z)):
            close(g, w)

    def g(z):
        return cmath.phase(z), cmath.isnan(z), cmath.isinf(z), cmath.isfinite(z)

    for z in (1 + 1j, complex(math.inf, 0.0), complex(0.0, math.nan), complex(-math.inf, math.inf)):
        got, want = njit(g)(z), g(z)
        close(got[0], want[0])
        assert got[1:] == want[1:]


def test_numpy_functions_of_complex_scalars():
    def f(z):
        return np.exp(z), np.abs(z), np.angle(z), np.conj(z), np.real(z), np.imag(z), np.sqrt(z)

    z = 0.7 - 1.9j
    for g, w in zip(njit(f)(z), f(z)):
        close(g, w)


def test_mandelbrot_escape_counts():
    def mandel(x, y, max_iter):
        c = complex(x, y)
        z = 0j
        for i in range(max_iter):
            z = z * z + c
            if abs(z) > 2.0:
                return i
        return max_iter

    k = njit(mandel)
    for x in np.linspace(-2, 1, 13):
        for y in np.linspace(-1.2, 1.2, 9):
            assert k(x, y, 100) == mandel(x, y, 100)


def test_errors_are_pythons():
    def div(z, w):
        return z / w

    with pytest.raises(ZeroDivisionError, match="complex division by zero"):
        njit(div)(1 + 1j, 0j)

    def order(z, w):
        return z < w

    with pytest.raises(kcache.TypingError, match="not ordered"):
        njit(order)(1j, 2j)

    def realfn(z):
        return math.sqrt(z)

    with pytest.raises(kcache.TypingError, match="complex number"):
        njit(realfn)(1j)

    def to_int(z):
        return int(z)

    with pytest.raises(kcache.TypingError, match="real number"):
        njit(to_int)(1j)

    def floordiv(z):
        return z // 2

    with pytest.raises(kcache.TypingError, match="//"):
        njit(floordiv)(1j)


# --- arrays ------------------------------------------------------------------------------------

RNG = np.random.default_rng(7)
A = RNG.standard_normal(9) + 1j * RNG.standard_normal(9)
B = RNG.standard_normal(9) + 1j * RNG.standard_normal(9)


def expr(a, b):
    return a * b + 1j, a / b, a - 2.0 * b, -a


def reductions(a):
    return a.sum(), np.sum(a), a.mean(), a.prod(), np.dot(a, a[::-1])


def elementwise(a):
    return np.abs(a), np.exp(a), np.conj(a), a.real, a.imag, np.real(a), np.angle(a), a == a[::-1]


@pytest.mark.parametrize("dtype", [np.complex128, np.complex64])
def test_array_expressions(dtype):
    a, b = A.astype(dtype), B.astype(dtype)
    # NumPy's SIMD complex loops may fuse multiply-adds: within an ulp or two of them.
    for g, w in zip(njit(expr)(a, b), expr(a, b)):
        close(g, w, ulps=2)
    # Scalar results come back as Python complex numbers (as Numba boxes them).
    for g, w in zip(njit(reductions)(a), reductions(a)):
        assert type(g) is complex
        close(np.asarray(g, dtype=w.dtype), w, ulps=16)
    for g, w in zip(njit(elementwise)(a), elementwise(a)):
        close(g, w) if np.asarray(w).dtype.kind in "fc" else exact(g, w)


def test_real_and_imag_are_views_a_kernel_can_write():
    def zero_imag(a):
        a.imag[:] = 0.0
        a.real[1] = 42.0

    a = A.copy()
    want = A.copy()
    zero_imag(want)
    njit(zero_imag)(a)
    exact(a, want)


def test_allocating_and_returning_complex_arrays():
    def dft(x):
        n = x.shape[0]
        out = np.zeros(n, dtype=np.complex128)
        for k in range(n):
            s = 0j
            for t in range(n):
                s += x[t] * cmath.exp(-2j * cmath.pi * k * t / n)
            out[k] = s
        return out

    for x in (RNG.standard_normal(16), A):
        close(njit(dft)(x), dft(x), ulps=64)
        close(njit(dft)(x), np.fft.fft(x), ulps=2 ** 12)

    def grid(n):
        out = np.empty((n, 3), dtype=np.complex64)
        out[:] = 1 + 2j
        out[0, 1] = 5j
        return out

    exact(njit(grid)(4), grid(4))


def test_complex_signatures():
    k = njit("complex128(complex128[:], complex128)")(lambda a, z: (a * z).sum())
    close(k(A, 2 - 1j), (A * (2 - 1j)).sum(), ulps=16)
    assert kcache.complex128 == kcache.c16 and str(kcache.complex64[:]) == "array(complex64, 1d, A)"
