"""Every kernel file of the corpus (tests/kernels, plus the extra files named by
KCACHE_EXTRA_KERNELS) runs through kcache unchanged (numba pointed at kcache)
and matches the CPython oracle, for several input sizes including 0 and 1."""
import importlib.util
import sys

import numpy as np
import pytest

import kcache
import oracle  # tests/kernels/oracle.py

from conftest import EXTRA_KERNELS, KERNELS

FILES = sorted(p for p in KERNELS.glob("*.py") if p.name != "oracle.py") + EXTRA_KERNELS
SIZES = [0, 1, 17, 1000]
# Kernels whose floating-point sums may be reassociated (parallel reductions): relative tolerance.
TOLERANT = {"parallel_sum": 1e-12}


def load_with_kcache(path):
    saved = sys.modules.get("numba")
    sys.modules["numba"] = kcache
    try:
        spec = importlib.util.spec_from_file_location("kc_" + path.stem, path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return module
    finally:
        if saved is None:
            sys.modules.pop("numba", None)
        else:
            sys.modules["numba"] = saved


def load_oracle(path):
    oracle._stub_numba()
    spec = importlib.util.spec_from_file_location("py_" + path.stem, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    for name in ("numba", "numba.typed", "numba.types"):
        sys.modules.pop(name, None)
    return module


def cases():
    for path in FILES:
        ref = load_oracle(path)
        for name in sorted(dir(ref)):
            if name.startswith("inputs_"):
                where = "" if path.parent == KERNELS else "extra/"
                yield pytest.param(path, name[len("inputs_"):], id="%s%s::%s" % (where, path.stem, name[7:]))


def same(a, b, tol):
    if isinstance(b, tuple):
        assert isinstance(a, tuple) and len(a) == len(b), (a, b)
        for x, y in zip(a, b):
            same(x, y, tol)
    elif isinstance(a, np.ndarray):
        assert a.dtype == b.dtype and a.shape == b.shape
        if tol:
            # Relative to the largest magnitude: cancellation near zero keeps absolute errors.
            scale = float(np.abs(b).max()) if b.size else 0.0
            np.testing.assert_allclose(a, b, rtol=tol, atol=tol * scale)
        else:
            np.testing.assert_array_equal(a, b)
    elif isinstance(a, float) or isinstance(b, float):
        if tol:
            assert a == pytest.approx(b, rel=tol)
        else:
            assert float(a) == float(b) or (np.isnan(a) and np.isnan(b))
    else:
        assert a == b


@pytest.mark.parametrize("path,kernel", list(cases()))
def test_kernel_matches_cpython(path, kernel):
    ref = load_oracle(path)
    kc = load_with_kcache(path)
    for n in SIZES:
        want_args = getattr(ref, "inputs_" + kernel)(n, np.random.default_rng(12345))
        got_args = getattr(kc, "inputs_" + kernel)(n, np.random.default_rng(12345))
        want = getattr(ref, kernel)(*want_args)
        got = getattr(kc, kernel)(*got_args)
        # A file may allow a relative tolerance per kernel (RTOL = {name: tol}) where NumPy's own
        # SIMD math differs from libm by an ulp.
        tol = TOLERANT.get(kernel, 0) or getattr(ref, "RTOL", {}).get(kernel, 0)
        if isinstance(want, np.ndarray):
            same(got, want, tol)
        else:
            same(got, want, tol)
        for w, g in zip(want_args, got_args):
            if isinstance(w, np.ndarray):
                same(g, w, tol)
