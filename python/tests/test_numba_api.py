"""The names a Numba program imports next to the decorators: type objects (`float64`,
`int32[:, ::1]`, `float64(float64[:])`), `types`, `config`, `typeof`, and the dispatcher's
`.compile(sig)`, so that `import kcache as numba` runs a program that uses what kcache supports.
Expected spellings and meanings are Numba 0.68's (recorded here); results come from CPython."""
import os
import pathlib
import subprocess
import sys
import textwrap

import numpy as np
import pytest

import kcache
from kcache import float32, float64, int32, int64, njit, types, vectorize, void

# Numba's name -> the NumPy type it stands for (numba 0.68: numba.byte is uint8, numba.char int8).
NUMBA_NAMES = {
    "b1": "bool", "bool_": "bool", "boolean": "bool", "byte": "uint8", "char": "int8", "double": "float64",
    "f4": "float32", "f8": "float64", "float32": "float32", "float64": "float64", "i1": "int8", "i2": "int16",
    "i4": "int32", "i8": "int64", "int16": "int16", "int32": "int32", "int64": "int64", "int8": "int8",
    "int_": "int64", "intc": "int32", "intp": "int64", "long_": "int64", "longlong": "int64", "short": "int16",
    "size_t": "uint64", "ssize_t": "int64", "u1": "uint8", "u2": "uint16", "u4": "uint32", "u8": "uint64",
    "uchar": "uint8", "uint": "uint64", "uint16": "uint16", "uint32": "uint32", "uint64": "uint64",
    "uint8": "uint8", "uintc": "uint32", "uintp": "uint64", "ulong": "uint64", "ulonglong": "uint64",
    "ushort": "uint16",
}


def test_type_names_are_numbas():
    for name, dtype in NUMBA_NAMES.items():
        for where in (kcache, kcache.types):
            t = getattr(where, name)
            assert str(t) == dtype and t.name == dtype, name
            assert t is getattr(kcache.types, name)
            assert np.dtype(t.name) == np.dtype(dtype)
    assert str(kcache.void) == str(kcache.none) == "none"
    assert kcache.types.void is kcache.void


def test_array_types_are_written_and_printed_as_in_numba():
    cases = {
        float64[:]: ("array(float64, 1d, A)", 1, "A"),
        float64[::1]: ("array(float64, 1d, C)", 1, "C"),
        float64[:, ::1]: ("array(float64, 2d, C)", 2, "C"),
        float64[::1, :]: ("array(float64, 2d, F)", 2, "F"),
        int32[:, :, :]: ("array(int32, 3d, A)", 3, "A"),
        kcache.uint8[:, :, ::1]: ("array(uint8, 3d, C)", 3, "C"),
    }
    for t, (text, ndim, layout) in cases.items():
        assert (str(t), t.ndim, t.layout) == (text, ndim, layout)
    assert repr(float64[:]) == "Array(float64, 1, 'A', False, aligned=True)"
    assert float64[:].dtype == float64
    assert types.Array(float64, 2, "C") == float64[:, ::1]
    assert hash(types.Array(float64, 2, "C")) == hash(float64[:, ::1])
    assert float64[:].copy(layout="C") == float64[::1]
    with pytest.raises(KeyError):
        float64[1:]
    assert isinstance(int32, types.Integer) and isinstance(int32, types.Number)
    assert isinstance(float32, types.Float) and not isinstance(float32, types.Integer)
    assert isinstance(kcache.boolean, types.Boolean) and not isinstance(kcache.boolean, types.Number)
    assert kcache.uint16.bitwidth == 16 and not kcache.uint16.signed and int32.signed


def test_signatures_from_type_objects():
    sig = float64(float64[:], int32)
    assert sig.args == (float64[:], int32) and sig.return_type == float64
    assert str(sig) == "float64(float64[:], int32)"
    assert repr(sig) == "(Array(float64, 1, 'A', False, aligned=True), int32) -> float64"
    assert str(void(float64[:, ::1])) == "void(float64[:, ::1])"
    assert str(float64()) == "float64()"
    assert sig == float64(float64[:], int32)
    # Called on a value rather than on types, a type casts, as Numba's do.
    assert type(float64(2.5)) is np.float64 and float64(2.5) == 2.5
    assert type(int32(3.7)) is np.int32 and int32(3.7) == 3
    assert type(kcache.boolean(1)) is np.bool_


def total(a):
    s = 0.0
    for i in range(a.shape[0]):
        s += a[i]
    return s


def scale(a, k):
    for i in range(a.shape[0]):
        for j in range(a.shape[1]):
            a[i, j] *= k


@pytest.mark.parametrize("sig", [
    float64(float64[:]),
    "float64(float64[:])",
    str(float64(float64[:])),
    "float64(%s)" % float64[:],                 # Numba's str() of an array type inside a string
    "f8(array(float64, 1d, A))",
    (float64[:],),                              # argument types only: the return type is inferred
    "(float64[:],)",
])
def test_njit_takes_every_spelling_of_a_signature(sig):
    f = njit(sig)(total)
    a = np.arange(5.0)
    assert f(a) == total(a)
    assert f.signatures == [(float64[:],)]


def test_njit_with_a_list_of_type_signatures_and_void():
    f = njit([float64(float64[:]), float32(float32[:])])(total)
    assert f.signatures == [(float64[:],), (float32[:],)]
    assert f(np.arange(4, dtype=np.float32)) == 6.0
    g = kcache.jit(void(float64[:, ::1], float64), nopython=True)(scale)
    m = np.ones((2, 3))
    assert g(m, 2.5) is None and (m == 2.5).all()


def test_dispatcher_compile_adds_a_signature():
    f = njit(total)
    assert f.signatures == []
    ov = f.compile("float64(float64[::1])")
    assert f.signatures == [(float64[::1],)]
    assert f.compile(float64(float64[::1])) is ov          # compiled once
    f.compile((float32[::1],))
    assert f.signatures == [(float64[::1],), (float32[::1],)]
    a = np.arange(6.0)
    assert f(a) == 15.0 and f(a.astype(np.float32)) == 15.0
    assert len(f.signatures) == 2                          # the calls found what compile() made
    g = njit("float64(float64[:])")(total)                 # eager dispatchers take more too
    g.compile("int64(int64[:])")
    assert g(np.arange(4)) == 6 and g.signatures == [(float64[:],), (int64[:],)]
    with pytest.raises(TypeError):
        f.compile("float64(notatype[:])")
    with pytest.raises(kcache.TypingError):
        njit(scale).compile("void(float64[:, ::1], float64, float64)")


def test_typeof_is_numbas():
    cases = [
        (np.zeros(3), "array(float64, 1d, C)"), (1, "int64"), (1.0, "float64"), (np.float32(1), "float32"),
        (np.zeros((2, 2)).T, "array(float64, 2d, F)"), (True, "bool"), (np.zeros((3, 4))[:, ::2], "array(float64, 2d, A)"),
        (np.arange(3, dtype=np.uint16), "array(uint16, 1d, C)"),
    ]
    for value, text in cases:
        assert str(kcache.typeof(value)) == text
    assert kcache.typeof(np.zeros(3)) == float64[::1]
    assert kcache.from_dtype(np.dtype("f4")) is not None and kcache.from_dtype(np.dtype("f4")) == float32


def test_config_matches_the_thread_pool_of_a_fresh_process():
    code = ("import kcache; from kcache import config; "
            "print(config.NUMBA_NUM_THREADS, config.NUMBA_DEFAULT_NUM_THREADS, kcache.get_num_threads(), "
            "config.DISABLE_JIT)")
    env = dict(os.environ, PYTHONPATH=str(pathlib.Path(kcache.__file__).parents[1]))
    for threads in (None, "3"):
        if threads:
            env["KCACHE_NUM_THREADS"] = threads
        else:
            env.pop("KCACHE_NUM_THREADS", None)
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=60)
        assert out.returncode == 0, out.stderr
        n, default, pool, disable = out.stdout.split()
        assert n == default == pool and disable == "False"
        if threads:
            assert n == threads


def test_import_kcache_as_numba_runs_a_numba_program(tmp_path):
    """A program written for Numba, with only the import changed."""
    script = tmp_path / "numba_program.py"
    script.write_text(textwrap.dedent("""
        import math
        import numpy as np
        import kcache as numba
        from kcache import njit, prange, types, config, float64, intp

        @numba.njit(numba.float64(numba.float64[:]))
        def total(a):
            s = 0.0
            for i in range(a.shape[0]):
                s += a[i]
            return s

        @njit((types.float64[:, ::1], types.intp), parallel=True)
        def row_sums(m, n):
            out = 0.0
            for i in prange(n):
                for j in range(m.shape[1]):
                    out += m[i, j]
            return out

        @numba.vectorize([float64(float64, float64), numba.float32(numba.float32, numba.float32)])
        def hypot(x, y):
            return math.sqrt(x * x + y * y)

        @numba.jit(nopython=True, cache=True)
        def count(n):
            c = 0
            for i in range(n):
                if i % 3 == 0:
                    c += 1
            return c

        count.compile(numba.int64(numba.int64))
        numba.set_num_threads(min(2, config.NUMBA_NUM_THREADS))
        a = np.arange(10.0)
        m = np.arange(12.0).reshape(3, 4)
        print(total(a), row_sums(m, intp(3)), hypot(np.float32(3), np.float32(4)).dtype, hypot(3.0, 4.0),
              count(100), numba.get_num_threads() >= 1, config.DISABLE_JIT, numba.typeof(m))
    """))
    env = dict(os.environ, PYTHONPATH=str(pathlib.Path(kcache.__file__).parents[1]))
    p = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, env=env, timeout=120)
    assert p.returncode == 0, p.stderr
    want = "%r %r %s %r %d True False array(float64, 2d, C)" % (
        45.0, 66.0, "float64", 5.0, sum(1 for i in range(100) if i % 3 == 0))
    assert p.stdout.strip() == want


def test_import_kcache_stays_light():
    """The new names are plain objects: importing kcache (after NumPy) loads no heavy module."""
    code = ("import sys, numpy; before = set(sys.modules); import kcache; "
            "print(' '.join(sorted(set(sys.modules) - before)))")
    env = dict(os.environ, PYTHONPATH=str(pathlib.Path(kcache.__file__).parents[1]))
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=60)
    assert out.returncode == 0, out.stderr
    loaded = set(out.stdout.split())
    assert "kcache" in loaded
    # kcache.types and kcache.config load when first named; threading is NumPy's to import.
    assert not loaded & {"numba", "inspect", "ast", "typing", "dis", "tokenize", "ctypes.util", "unittest",
                         "kcache.types", "kcache.config", "threading"}


def test_config_and_types_load_when_named():
    # The pool's default thread count holds even when set_num_threads runs before config is named.
    code = ("import kcache, sys; kcache.set_num_threads(1); from kcache import config, types; import kcache as k; "
            "print(config.NUMBA_DEFAULT_NUM_THREADS, k.types.float64 is k.float64, k.config is config, "
            "'kcache.types' in sys.modules)")
    env = dict(os.environ, PYTHONPATH=str(pathlib.Path(kcache.__file__).parents[1]), KCACHE_NUM_THREADS="3")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["3", "True", "True", "True"]


def test_vectorize_signature_objects_and_the_issue_dtype_rule():
    @vectorize([float64(float64), float32(float32)])
    def half(x):
        return x / 2

    assert half(np.ones(3, dtype=np.float32)).dtype == np.float64
