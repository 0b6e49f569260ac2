"""The kernel text kcache sends: found from the function's code object in the usual layouts,
from the whole-module parse in the others, with the user's line numbers either way."""
import importlib.util
import sys

import numpy as np
import pytest

import kcache
from kcache import _source


def load(tmp_path, name, text, encoding="utf-8"):
    path = tmp_path / (name + ".py")
    path.write_bytes(text.encode(encoding))
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def quick_calls(monkeypatch):
    """Records whether the code-object path found each function's text."""
    calls = []
    original = _source._quick_function_text

    def spy(func, lines):
        result = original(func, lines)
        calls.append((func.__name__, result is not None))
        return result

    monkeypatch.setattr(_source, "_quick_function_text", spy)
    return calls


LAYOUTS = '''\
import kcache


@kcache.njit(
    "float64(float64)",
    fastmath=False,
)
def multi_line_decorator(x):
    return (x +
            1.0
            )


def trailing_pass(a, out):
    if a > 0:
        out[0] = 1
    else:
        pass
    # a comment after the body


def wrapper():
    def inner(y):
        # form feed \x0c and line separator \u2028 in a comment do not end lines
        return y * 2
    return inner
'''


def test_code_object_path_covers_the_usual_layouts(tmp_path, quick_calls):
    m = load(tmp_path, "layouts", LAYOUTS)
    assert m.multi_line_decorator(1.5) == 2.5
    out = np.zeros(1, dtype=np.int64)
    kcache.njit("void(int64, int64[:])")(m.trailing_pass)(3, out)
    assert out[0] == 1
    assert kcache.njit("int64(int64)")(m.wrapper())(21) == 42
    assert quick_calls and all(found for _, found in quick_calls), quick_calls


def test_line_numbers_point_into_the_users_file(tmp_path):
    m = load(tmp_path, "errors", LAYOUTS.replace("return y * 2", "return y * undefined_name"))
    with pytest.raises(kcache.TypingError) as err:
        kcache.njit("int64(int64)")(m.wrapper())
    line = LAYOUTS.split("\n").index("        return y * 2") + 1
    assert "errors.py:%d" % line in str(err.value), str(err.value)


def test_declared_encoding_is_honoured(tmp_path, quick_calls):
    text = "# -*- coding: latin-1 -*-\n# caf\xe9\nimport kcache\n\n\ndef f(x):\n    return x + 1\n"
    m = load(tmp_path, "latin", text, encoding="latin-1")
    assert kcache.njit("int64(int64)")(m.f)(1) == 2


def test_lambdas_compile_as_numba_compiles_them(tmp_path):
    m = load(tmp_path, "lam", "import kcache\nadd = (lambda x: x + 1)\n\n\ndef add(y):\n    return y\n")
    # `add` was rebound to the def; a lambda is found from its code object and compiled as a def.
    lam = (lambda x: x + 1)
    assert kcache.njit("int64(int64)")(lam)(1) == 2
    two = (lambda a, b: a * b), (lambda a, b: a - b)
    assert kcache.njit(two[1])(7, 2) == 5
    assert kcache.njit("int64(int64)")(m.add)(5) == 5


def test_source_from_linecache_when_there_is_no_file(monkeypatch):
    """Notebook cells and consoles register their text in linecache under a fake name."""
    import linecache
    text = "def cell_kernel(x):\n    return x * 3\n"
    name = "<ipython-input-7-kcache>"
    code = compile(text, name, "exec")
    linecache.cache[name] = (len(text), None, text.splitlines(True), name)
    ns = {}
    exec(code, ns)
    try:
        assert kcache.njit("int64(int64)")(ns["cell_kernel"])(4) == 12
    finally:
        del linecache.cache[name]


def test_code_cpython_leaves_out_as_unreachable_is_sent(tmp_path):
    """CPython drops what follows `if 1: return` (and `while 1:`, `if not False:`) from the
    bytecode, so the code object's positions end early; the text must still be the whole
    function (the differential fuzzer's tests/fuzz/findings/if-constant-condition-falls-off-end.py:
    the trailing return was cut, and kcached refused the kernel as falling off the end)."""
    m = load(tmp_path, "unreachable_tail", "def k(x):\n    if 1:\n        return 5\n    return 6\n\n\n"
                                             "def w(x):\n    while 1:\n        return x\n    y = 2\n    return y\n")
    text = _source.gather(m.k, kcache.Dispatcher).text
    assert "return 6" in text
    assert kcache.njit("int64(float64)")(m.k)(1.0) == 5
    assert kcache.njit("int64(int64)")(m.w)(7) == 7


def test_functions_and_numbers_of_another_module_by_attribute(tmp_path, monkeypatch):
    """numba-stats calls `_expon._cdf1(z)` after `from . import expon as _expon`: the jitted
    function (and plain functions and numbers) of the other module travel with the kernel."""
    pkg = tmp_path / "statspkg"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    (pkg / "expon.py").write_text(
        "import numpy as np\nfrom kcache import njit\n\nSCALE = 2.0\n\n\n@njit\ndef _cdf1(z):\n"
        "    return -np.expm1(-z)\n\n\ndef plain(z):\n    return z * SCALE\n")
    (pkg / "trunc.py").write_text(
        "import numpy as np\nfrom kcache import njit\nfrom . import expon as _expon\n\n\n@njit\n"
        "def cdf(x, lo, hi):\n    out = np.empty_like(x)\n    a = _expon._cdf1(lo)\n"
        "    b = _expon._cdf1(hi)\n    for i in range(x.shape[0]):\n"
        "        out[i] = (_expon._cdf1(x[i]) - a) / (b - a) + _expon.plain(1.0) * _expon.SCALE\n"
        "    return out\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    import importlib
    trunc = importlib.import_module("statspkg.trunc")
    x = np.linspace(0.5, 1.5, 5)
    np.testing.assert_array_equal(trunc.cdf(x, 0.2, 2.0), trunc.cdf.py_func(x, 0.2, 2.0))


def test_closure_variables_resolve_and_shadow_the_modules_globals(tmp_path):
    # A helper and a number captured from the enclosing function, one of them shadowing a global
    # of the same name: the closure's value wins, as in Python; other globals still resolve.
    module = load(tmp_path, "closures", (
        "import kcache\n"
        "import numpy as np\n"
        "scale = 100.0\n"
        "offset = 0.5\n"
        "def make(scale):\n"
        "    @kcache.njit\n"
        "    def helper(x):\n"
        "        return x * scale + offset\n"
        "    @kcache.njit\n"
        "    def kernel(a):\n"
        "        s = 0.0\n"
        "        for i in range(a.shape[0]):\n"
        "            s += helper(a[i])\n"
        "        return s\n"
        "    return kernel\n"
    ))
    a = np.arange(4.0)
    assert module.make(3.0)(a) == sum(x * 3.0 + 0.5 for x in a)
    assert module.make(-1.0)(a) == sum(x * -1.0 + 0.5 for x in a)
    assert module.scale == 100.0
