"""print() inside kernels: what CPython prints for the same call, written to the process's
standard output (file descriptor 1) when the line ends; lines from parallel threads whole."""
import numpy as np
import pytest

import kcache
from kcache import njit, prange


def show(n, x, z, f32):
    print("n =", n, "x =", x, True, z, f32)
    for i in range(n):
        print(i, i * 0.5, -i, sep=", ", end=";\n")
    print()
    print(1e20, -0.0, 1e-5, 123456789.125, 1e16, 2j, complex(1.5, -2.0), x > 0, flush=True)
    return n


def test_print_matches_cpython(capfd):
    args = (3, 0.1, 1 + 2j, np.float32(0.1))
    njit(show)(*args)
    got = capfd.readouterr().out
    # Numba prints a float32 as the float64 it widens to, as Python prints float(np.float32(x)).
    show(args[0], args[1], args[2], float(args[3]))
    want = capfd.readouterr().out
    assert got == want


def test_lines_from_threads_stay_whole(capfd):
    def par(n):
        for i in prange(n):
            print("item", i, "of", n)

    njit(parallel=True)(par)(200)
    lines = capfd.readouterr().out.splitlines()
    assert sorted(lines) == sorted("item %d of 200" % i for i in range(200))


def test_printing_an_array_is_refused_clearly():
    def f(a):
        print(a)

    with pytest.raises(kcache.TypingError, match=r"print\(\) of array"):
        njit(f)(np.zeros(3))
