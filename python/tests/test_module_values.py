"""Module-level values and declared helper signatures through the Python package: the source
kcache gathers from live objects must mean what Numba makes of them (issue 12)."""
import numpy as np

from kcache import njit

EPS = np.float32(1e-6)
SMALL = np.int8(100)
N = 1
N += 10


@njit("int8(int64)")
def narrow(x):
    return x


@njit("int64(int64)")
def wide(x):
    return x


@njit
def through_narrow(x):
    return narrow(x)


@njit
def through_wide(x):
    return wide(x)


def test_a_helpers_declared_signature_converts_its_result():
    # Numba: the helper's declared int8 result wraps 300 to 44.
    assert through_narrow(300) == 44
    assert through_wide(300) == 300


@njit
def squared_gap(a):
    d = a[0] - a[1]
    return d * d + EPS


def test_a_float32_global_keeps_float32_arithmetic():
    got = squared_gap(np.array([1.1, 0.3], dtype=np.float32))
    d = np.float32(1.1) - np.float32(0.3)
    assert got == float(d * d + EPS) == 0.6400010585784912


@njit
def int8_global_sum(x):
    return SMALL + SMALL + x


def test_integer_numpy_globals_follow_numbas_integer_typing():
    # The globals are int8, and Numba does int8 + int8 in intp (NumPy would wrap to -56).
    assert int8_global_sum(0) == 200


@njit
def plus_n(x):
    return x + N


def test_updated_module_values():
    assert plus_n(1) == 12


COEFS = (1.0, -2.0, 0.5)
LIMITS = (np.int32(3), 7)


@njit
def horner(x):
    s = 0.0
    for c in COEFS:
        s = s * x + c
    return s


@njit
def limits_and_first_coefficient(x):
    lo, hi = LIMITS
    return min(max(x, lo), hi) * COEFS[0], len(COEFS)


def test_module_level_tuples_of_numbers_are_frozen():
    assert horner(2.0) == horner.py_func(2.0) == 0.5
    assert limits_and_first_coefficient(10) == limits_and_first_coefficient.py_func(10) == (7.0, 3)
    assert limits_and_first_coefficient(1) == (3.0, 3)
