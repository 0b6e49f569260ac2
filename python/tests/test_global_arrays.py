"""Module-level NumPy arrays read by kernels (lookup tables, filter weights, small matrices):
frozen into the kernel as Numba freezes them, read with NumPy's values, dtypes and shapes,
writes refused; a changed table is a different kernel (a new compile, never the old values)."""
import importlib.util
import textwrap

import numpy as np
import pytest

import kcache
from kcache import njit, prange

WEIGHTS = np.array([0.25, 0.5, 0.25])
TABLE = np.array([[1, 2, 3], [4, 5, 6]], dtype=np.int32)
THIRDS = (np.arange(6, dtype=np.float32) / 3).reshape(2, 3)
FLAGS = np.array([True, False, True])
SPECIAL = np.array([np.inf, -np.inf, np.nan, -0.0, 1e-310])


def smooth(a):
    out = np.empty(a.shape[0] - 2)
    for i in range(out.shape[0]):
        s = 0.0
        for k in range(WEIGHTS.shape[0]):
            s += WEIGHTS[k] * a[i + k]
        out[i] = s
    return out


def lookup(i, j):
    return TABLE[i, j] + TABLE.sum() + THIRDS[i, j] * 2 + FLAGS[j]


def specials(k):
    return SPECIAL[k]


def scaled(a):
    out = np.empty_like(a)
    for i in prange(a.shape[0]):
        out[i] = a[i] * WEIGHTS[i % 3]
    return out


def writes(a):
    w = WEIGHTS
    w[0] = 1.0
    return a


def test_global_arrays_read_as_numpy_has_them():
    a = np.linspace(0.0, 3.0, 9)
    np.testing.assert_array_equal(njit(smooth)(a), smooth(a))
    for i in range(2):
        for j in range(3):
            assert njit(lookup)(i, j) == lookup(i, j)
    for k in range(5):
        np.testing.assert_array_equal(njit(specials)(k), specials(k))
    np.testing.assert_array_equal(njit(parallel=True)(scaled)(a), scaled(a))


def test_writing_a_global_array_is_refused():
    with pytest.raises(kcache.TypingError, match="constant in kernels"):
        njit(writes)(np.ones(3))


def test_a_changed_table_is_a_new_kernel(tmp_path):
    def load(values):
        path = tmp_path / "table_kernel.py"
        path.write_text(textwrap.dedent("""
            import numpy as np
            from kcache import njit
            T = np.array(%s)

            @njit("float64(int64)")
            def pick(i):
                return T[i] * 2.0
        """ % values))
        spec = importlib.util.spec_from_file_location("table_kernel_%d" % abs(hash(values)), path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return module.pick

    assert load("[1.0, 2.0, 3.0]")(2) == 6.0
    assert load("[1.0, 2.0, 30.0]")(2) == 60.0
