"""No stale artifact is ever served. Every corpus file is edited where the action key must
notice (a module-level number, a float literal in any function the kernel reaches, a helper's
declared signature) and each edited file is sent as it is (the C API path) to two daemons: the
session's long-lived one, which has already seen the original and every earlier edit, and a
fresh one with an empty store. A key blind to the edit would make the first serve an earlier
artifact: both must return the same bytes (same digest). Where CPython can judge the edit
(numbers and literals), the kernel's results must also match CPython on the edited source."""
import ast
import ctypes
import os
import pathlib
import shutil
import sys
import tempfile

import numpy as np
import pytest

import kcache
from kcache import _lib
from kcache._types import parse_signature

import oracle
from conftest import EXTRA_KERNELS, KERNELS, start_daemon
from test_corpus import same

FILES = sorted(p for p in KERNELS.glob("*.py") if p.name != "oracle.py") + EXTRA_KERNELS
lib = _lib.lib

_NARROWER = {"int64": "int32", "int32": "int64", "int16": "int64", "int8": "int16", "uint8": "uint16",
             "float64": "float32", "float32": "float64", "i8": "i4", "f8": "f4", "f4": "f8"}


@pytest.fixture(scope="module")
def fresh_endpoint():
    tmp = pathlib.Path(tempfile.mkdtemp(prefix="kcache-fresh-"))
    proc, endpoint = start_daemon(tmp)
    yield endpoint
    proc.terminate()
    proc.wait(10)
    shutil.rmtree(tmp, ignore_errors=True)


def connect(endpoint):
    client = ctypes.c_void_p()
    assert lib.kc_connect(endpoint.encode(), ctypes.byref(client)) == _lib.KC_OK, _lib.last_error()
    return client


def compile_file(client, text, entry):
    handle = ctypes.c_void_p()
    status = lib.kc_compile(client, text.encode(), entry.encode(), b"", None, ctypes.byref(handle))
    if status != _lib.KC_OK:
        return None, _lib.last_error()
    return handle, None


def decorated(tree):
    """Top-level functions with a Numba decorator that names a signature: (node, signature)."""
    out = []
    for node in tree.body:
        if isinstance(node, ast.FunctionDef):
            for d in node.decorator_list:
                if isinstance(d, ast.Call) and d.args and isinstance(d.args[0], ast.Constant) \
                        and isinstance(d.args[0].value, str):
                    name = d.func.id if isinstance(d.func, ast.Name) else getattr(d.func, "attr", "")
                    if name in ("njit", "jit"):
                        out.append((node, d.args[0]))
    return out


def replace_at(text, node, new):
    """`text` with the source of `node` replaced by `new` (single-line nodes)."""
    lines = text.splitlines(keepends=True)
    line = lines[node.lineno - 1]
    lines[node.lineno - 1] = line[:node.col_offset] + new + line[node.end_col_offset:]
    return "".join(lines)


def mutations(text):
    """(what, edited text, CPython can judge it) for each key-relevant edit of a file."""
    tree = ast.parse(text)
    out = []
    for stmt in tree.body:
        if isinstance(stmt, (ast.Assign, ast.AugAssign)):
            for node in ast.walk(stmt.value):
                if isinstance(node, ast.Constant) and type(node.value) in (int, float) \
                        and node.lineno == node.end_lineno:
                    if isinstance(node.value, float):
                        out.append(("module number %s" % node.value,
                                    replace_at(text, node, repr(node.value * 1.5 + 0.25)), True))
                    else:
                        # An int may size a loop or an array: compare artifacts, do not run.
                        out.append(("module int %s" % node.value, replace_at(text, node, str(node.value + 1)), False))
                    break
    for func, sig in decorated(tree):
        floats = [n for n in ast.walk(func) if isinstance(n, ast.Constant) and isinstance(n.value, float)
                  and n.lineno == n.end_lineno and n.lineno > func.lineno]
        for node in floats[:2]:
            out.append(("literal %s in %s" % (node.value, func.name),
                        replace_at(text, node, repr(node.value * 1.5 + 0.25)), True))
        ret = sig.value.split("(", 1)[0].strip()
        if ret in _NARROWER:
            edited = replace_at(text, sig, repr(_NARROWER[ret] + sig.value[len(ret):]))
            out.append(("signature of %s" % func.name, edited, False))
    return out


def load_oracle_text(text, name):
    oracle._stub_numba()
    module = type(sys)("stale_" + name)
    exec(compile(text, name + ".py", "exec"), module.__dict__)
    sys.modules.pop("numba", None)
    return module


def cases():
    for path in FILES:
        text = path.read_text()
        kernels = [n.name for n, _ in decorated(ast.parse(text))]
        entries = [k for k in kernels if "inputs_" + k in text]
        if entries:
            yield pytest.param(path, entries, id=("" if path.parent == KERNELS else "extra/") + path.stem)


@pytest.mark.parametrize("path,entries", list(cases()))
def test_edits_are_never_served_stale(path, entries, fresh_endpoint):
    text = path.read_text()
    shared = connect(os.environ["KCACHE_ENDPOINT"])
    fresh = connect(fresh_endpoint)
    try:
        sigs = {f.name: s.value for f, s in decorated(ast.parse(text))}
        # The long-lived daemon sees the original first, as a user's store would.
        for entry in entries:
            handle, err = compile_file(shared, text, entry)
            assert handle is not None, err
            lib.kc_kernel_free(handle)
        edits = mutations(text)
        if not edits:
            pytest.skip("%s has no number, float literal or narrowable signature to edit" % path.name)
        for what, edited, judge in edits:
            for entry in entries:
                a, err_a = compile_file(shared, edited, entry)
                b, err_b = compile_file(fresh, edited, entry)
                assert (a is None) == (b is None), (what, entry, err_a, err_b)
                if a is None:
                    continue
                try:
                    da, db = lib.kc_kernel_digest(a).decode(), lib.kc_kernel_digest(b).decode()
                    assert da == db, "%s, %s: the long-lived daemon served %s, a fresh compile gives %s" % (
                        path.name, what, da, db)
                    if judge:
                        run_against_cpython(a, edited, path.stem, entry, sigs[entry])
                finally:
                    lib.kc_kernel_free(a)
                    lib.kc_kernel_free(b)
    finally:
        lib.kc_client_free(shared)
        lib.kc_client_free(fresh)


def run_against_cpython(handle, text, stem, entry, signature):
    ret, argtypes = parse_signature(signature)
    # The Overload takes over the handle; keep ours alive for the caller to free.
    overload = kcache.Overload.__new__(kcache.Overload)
    overload.__init__(handle, argtypes, ret.dtype if ret is not None and ret.kind == "scalar" else None)
    try:
        ref = load_oracle_text(text, stem)
        for n in (0, 1, 17):
            want_args = getattr(ref, "inputs_" + entry)(n, np.random.default_rng(7))
            got_args = getattr(ref, "inputs_" + entry)(n, np.random.default_rng(7))
            want = getattr(ref, entry)(*want_args)
            got = overload(got_args)
            tol = 1e-12 if "parallel=True" in text else 0
            if want is not None:
                same(got, want, tol)
            for w, g in zip(want_args, got_args):
                if isinstance(w, np.ndarray):
                    same(g, w, tol)
    finally:
        overload.kernel = None
