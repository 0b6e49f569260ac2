#!/usr/bin/env python3
"""Differential fuzzer: random well-typed Numba-style kernels, run by kcache and by CPython + NumPy.

Every case is a small module (helpers + an entry `k`) generated from a seeded RNG, in the styles
Numba users write: int64/float64/float32/bool scalar arithmetic with mixed types, `//` `%` `**`
with negative operands, shifts and bit operators, comparisons (chained, mixed int/float), `and`/
`or`/`not` with values, conditional expressions, abs/min/max/round/int/float/bool, math.*, for and
while loops with break/continue, accumulators, helpers calling helpers (and a bounded recursive
one), raise/assert, tuples (built, indexed, unpacked, returned), 1-D and 2-D float64/int64
arrays passed in (indexing with negative indices, slices with steps, element, slice, mask, row
and column stores with overlap, array expressions with broadcasting, np.where/maximum/sqrt/abs,
np.sum/max/min/mean/prod/var/std/median/cumsum/sort/argmax/any/all, axis reductions, methods,
np.zeros/ones/empty+fill/linspace/arange/astype/copy, for over arrays/enumerate/zip, returned
arrays), and lists of ints and floats (literals, comprehensions with conditions, append/insert/
pop/in, iteration, sum/min/max, returned lists). Options: boundscheck (raw indices then),
error_model='numpy'. Not generated: fastmath, parallel/prange, narrow int types, dicts/strings.

The oracle is the same source run by CPython, with the operators of the source rewritten (an
`ast` transform) to call small functions that keep Python's meaning but add what Numba
deliberately does differently: int64 wrap-around instead of bigints, float32 arithmetic staying
float32, ZeroDivisionError on float division by zero, int ** negative int as Numba has it, libm's
inf/nan where CPython's math module raises OverflowError/ValueError, libm (not NumPy's SIMD loops,
not CPython's own hypot) for scalar math. A value whose meaning is undefined in Numba (int(nan),
int(1e300), round(inf), an out-of-bounds index without boundscheck, the sign of a NaN) makes that
input indeterminate: skipped. KNOWN lists the divergences already reported, which --accept (and
--smoke) make the oracle follow; SMOKE_EXCLUDE the constructs smoke mode leaves out.

    difffuzz.py --seed 1 --count 200            # 200 kernels
    difffuzz.py --seed 7 --minutes 10           # as many as fit in 10 minutes
    difffuzz.py --seed 7 --case 123             # regenerate and rerun one case
    difffuzz.py --replay tests/fuzz/findings/F.py

Findings (minimised by delta debugging over statements, helpers and expressions) go to
tests/fuzz/findings/ with the seed, both results and the command that reruns them. The exit
status is 1 when there were findings. Environment: KCACHE_ENDPOINT / KCACHE_LIB as for the
package, or --kcached BIN to start a private daemon.
"""
import argparse
import ast
import ctypes
import ctypes.util
import importlib.util
import math
import operator
import pickle
import os
import pathlib
import random
import re
import select
import shutil
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import textwrap
import time
import traceback
import warnings

import numpy as np

HERE = pathlib.Path(__file__).resolve().parent
REPO = HERE.parents[1]
FINDINGS = HERE / "findings"

I64_MIN, I64_MAX = -(2 ** 63), 2 ** 63 - 1

# Constructs that smoke mode leaves out because they hit a known, reported kcache bug (see the
# finding files named). Full runs generate them.
SMOKE_EXCLUDE = {
    # Empty: the constructs excluded before (an array reduction in a range() bound with a return
    # in the body; a store whose index raises) hit bugs since fixed (findings/
    # range-header-temporary-return-panic.py, subscript-assignment-evaluation-order.py).
}


# ---------------------------------------------------------------------------------------------
# The oracle's runtime: Python's meaning plus Numba's deliberate differences.
# ---------------------------------------------------------------------------------------------

class Indeterminate(Exception):
    """The input makes the kernel's result undefined in Numba (e.g. int(nan)): skip it."""


def _wrap(v):
    if isinstance(v, bool) or not isinstance(v, int):
        return v
    v &= 0xFFFFFFFFFFFFFFFF
    return v - (1 << 64) if v >> 63 else v


def _n(x):
    """NumPy scalars to the Python scalar of the same kcache type (float32 stays float32)."""
    if isinstance(x, np.bool_):
        return bool(x)
    if isinstance(x, np.integer):
        return int(x)
    if isinstance(x, np.float64):
        return float(x)
    return x


def _is_f32(x):
    return isinstance(x, np.float32)


def _is_float(x):
    return isinstance(x, (float, np.float32))


_OPS = {"+": operator.add, "-": operator.sub, "*": operator.mul, "/": operator.truediv,
        "//": operator.floordiv, "%": operator.mod, "**": operator.pow, "&": operator.and_,
        "|": operator.or_, "^": operator.xor, "<<": operator.lshift, ">>": operator.rshift}

ERROR_MODEL = ["python"]

# Known, reported kcache divergences the oracle may be told to accept (--accept NAME, and smoke
# mode), so that a long run keeps finding new things instead of the same one. Each names the
# finding file that documents it.
KNOWN = {
    # tests/fuzz/findings/float-pow-zero-negative.py: kcache gives inf for 0.0 ** -x (llvm.pow,
    # as Numba's float ** float does); CPython raises ZeroDivisionError.
    "float_pow_zero_negative": "kcache: 0.0 ** negative is inf, not ZeroDivisionError",
    # tests/fuzz/findings/int-truediv-rounding.py: int / int converts both ints to float64
    # first (as Numba does), so |a| > 2**53 can round differently from CPython's exact quotient.
    "int_truediv_rounding": "kcache: int / int is float(a) / float(b), not the exact quotient",
    # tests/fuzz/findings/int-float-compare.py: an int compared with a float is converted to
    # float64 first (as Numba does): 2**53 + 1 == 2.0**53 is True; CPython compares exactly.
    "int_float_compare": "kcache: int <op> float compares float(int) with the float",
}
ACCEPT = set()


def _int_pow(a, b):
    if b >= 0:
        return _wrap(pow(a, b, 1 << 64))
    # Numba: an integer to a negative power is 0 unless the base is 1 or -1; 0 raises.
    if a == 0:
        if "int_pow_zero_negative" in ACCEPT:
            return 0
        if ERROR_MODEL[0] == "numpy":
            raise Indeterminate("0 ** negative under error_model=numpy")
        raise ZeroDivisionError("0 cannot be raised to a negative power")
    if a == 1:
        return 1
    if a == -1:
        return -1 if b & 1 else 1
    return 0


_LIBM = ctypes.CDLL(ctypes.util.find_library("m") or "libm.so.6")
_LIBM.pow.restype = ctypes.c_double
_LIBM.pow.argtypes = [ctypes.c_double, ctypes.c_double]
_LIBM.powf.restype = ctypes.c_float
_LIBM.powf.argtypes = [ctypes.c_float, ctypes.c_float]


_LIBM.hypot.restype = ctypes.c_double
_LIBM.hypot.argtypes = [ctypes.c_double, ctypes.c_double]
_LIBM.exp2.restype = ctypes.c_double
_LIBM.exp2.argtypes = [ctypes.c_double]
_LIBM.exp2f.restype = ctypes.c_float
_LIBM.exp2f.argtypes = [ctypes.c_float]


def _float_pow(a, b, f32, const_base=False):
    """CPython's float ** is libm's pow (with exceptions where it gives inf or nan); NumPy's
    np.power is not always libm's (5.0 ** -5.0 differs in the last bit), so libm it is."""
    if a == 0 and b < 0 and ERROR_MODEL[0] == "python" and "float_pow_zero_negative" not in ACCEPT:
        raise ZeroDivisionError("0.0 cannot be raised to a negative power")
    if const_base and "pow_const_base" in ACCEPT and a > 0:
        # LLVM's replacePowWithExp: pow(2**n, x) -> exp2(x * n) for a constant base whose
        # integer value (or reciprocal's) is a power of two greater than 1.
        m, e = math.frexp(float(a))
        if m == 0.5 and e - 1 != 0:
            n = float(e - 1)
            if f32:
                return np.float32(_LIBM.exp2f(float(np.float32(np.float32(b) * np.float32(n)))))
            return _LIBM.exp2(float(b) * n)
    if f32:
        return np.float32(_LIBM.powf(float(a), float(b)))
    return _LIBM.pow(float(a), float(b))


def kc_bin(op, a, b):
    const_base = op == "**c"
    if const_base:
        op = "**"
    if isinstance(a, (np.ndarray, list)) or isinstance(b, (np.ndarray, list)):
        with np.errstate(all="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return _OPS[op](a, b)
    a, b = _n(a), _n(b)
    if not _is_float(a) and not _is_float(b):
        if op == "/":
            if b == 0:
                if ERROR_MODEL[0] == "numpy":
                    with np.errstate(all="ignore"):
                        return float(np.divide(np.float64(a), np.float64(b)))
                raise ZeroDivisionError("division by zero")
            if "int_truediv_rounding" in ACCEPT:
                return float(a) / float(b)
            return a / b
        if op in ("//", "%") and b == 0:
            if ERROR_MODEL[0] == "numpy":
                return 0
            raise ZeroDivisionError("integer division or modulo by zero")
        if op == "**":
            return _int_pow(int(a), int(b))
        if op in ("<<", ">>"):
            if b < 0:
                raise ValueError("negative shift count")
            if op == "<<":
                return _wrap(int(a) << min(int(b), 64))
            return int(a) >> min(int(b), 64)
        r = _OPS[op](a, b)
        return r if isinstance(r, bool) else _wrap(r)
    f32 = _is_f32(a) and _is_f32(b)
    if not f32:
        a, b = float(a), float(b)
    if op == "**":
        return _float_pow(a, b, f32, const_base)
    if op in ("/", "//", "%") and b == 0:
        if ERROR_MODEL[0] == "python":
            raise ZeroDivisionError("float division by zero")
        with np.errstate(all="ignore"):
            fn = {"/": np.divide, "//": np.floor_divide, "%": np.remainder}[op]
            r = fn(np.float32(a) if f32 else np.float64(a), np.float32(b) if f32 else np.float64(b))
            return r if f32 else float(r)
    if f32:
        with np.errstate(all="ignore"):
            return _OPS[op](a, b)
    try:
        return _OPS[op](a, b)
    except OverflowError:
        with np.errstate(all="ignore"):
            return float(_OPS[op](np.float64(a), np.float64(b)))


def kc_un(op, a):
    if isinstance(a, np.ndarray):
        return {"-": operator.neg, "+": operator.pos, "~": operator.invert}[op](a)
    a = _n(a)
    if op == "-":
        return _wrap(-a) if not _is_float(a) else -a
    if op == "+":
        return _wrap(+a) if not _is_float(a) else a
    if op == "~":
        return _wrap(~a)
    raise AssertionError(op)


def _cmp2(a, op, b):
    a, b = _n(a), _n(b)
    if _is_f32(a) != _is_f32(b):
        a, b = (float(a) if _is_f32(a) else a), (float(b) if _is_f32(b) else b)
    if "int_float_compare" in ACCEPT and _is_float(a) != _is_float(b):
        a, b = float(a), float(b)
    return {"<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge,
            "==": operator.eq, "!=": operator.ne}[op](a, b)


def kc_cmp(first, ops, rest):
    left = first
    for op, thunk in zip(ops, rest):
        right = thunk()
        if isinstance(left, np.ndarray) or isinstance(right, np.ndarray):
            return _OPS_CMP_ARR[op](left, right)
        if not _cmp2(left, op, right):
            return False
        left = right
    return True


_OPS_CMP_ARR = {"<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge,
                "==": operator.eq, "!=": operator.ne}


def _to_int(x):
    x = _n(x)
    if _is_float(x):
        x = float(x)
        if math.isnan(x) or math.isinf(x):
            raise Indeterminate("int of %r" % x)
        v = int(x)
        if not (I64_MIN <= v <= I64_MAX):
            raise Indeterminate("int of %r" % x)
        return v
    return int(x)


def _libm(name, args):
    if name == "hypot":  # CPython's math.hypot is its own (vector_norm), not libm's hypot
        return _LIBM.hypot(float(args[0]), float(args[1]))
    fn = getattr(math, name)
    try:
        return fn(*args)
    except (ValueError, OverflowError):
        npn = {"asin": "arcsin", "acos": "arccos", "atan": "arctan", "asinh": "arcsinh",
               "acosh": "arccosh", "atanh": "arctanh", "atan2": "arctan2", "pow": "power"}.get(name, name)
        with np.errstate(all="ignore"):
            return float(getattr(np, npn)(*[np.float64(a) for a in args]))


_MATH_INT = {"floor", "ceil", "trunc"}


def kc_call(name, *args):
    args = [_n(a) if not isinstance(a, (np.ndarray, list, tuple)) else a for a in args]
    if name == "abs":
        a = args[0]
        return _wrap(abs(a)) if not _is_float(a) else abs(a)
    if name in ("min", "max"):
        if len(args) == 1:
            r = getattr(builtins_mod, name)(args[0])
            return _n(r)
        fl = [a for a in args if _is_float(a)]
        if fl:
            if all(_is_f32(a) for a in args):
                pass
            else:
                args = [float(a) for a in args]
        r = getattr(builtins_mod, name)(*args)
        return r
    if name == "int":
        return _to_int(args[0])
    if name == "round":
        a = args[0]
        if _is_float(a):
            a = float(a)
            if math.isnan(a) or math.isinf(a):
                raise Indeterminate("round of %r" % a)
            return _to_int(float(round(a)))
        return int(a)
    if name == "float":
        return float(args[0])
    if name == "bool":
        return bool(args[0])
    if name == "sum":
        return _wrap(sum(args[0])) if not any(_is_float(_n(v)) for v in args[0]) else sum(args[0])
    if name.startswith("math."):
        fn = name[5:]
        if fn in _MATH_INT:
            a = args[0]
            if not _is_float(a):
                return int(a)
            a = float(a)
            if math.isnan(a) or math.isinf(a):
                raise Indeterminate("%s of %r" % (name, a))
            return _to_int(float(getattr(math, fn)(a)))
        if fn == "copysign" and math.isnan(float(args[1])):
            raise Indeterminate("copysign from a NaN: its sign bit is not specified")
        if fn in ("isnan", "isinf", "isfinite"):
            return getattr(math, fn)(float(args[0]))
        return _libm(fn, [float(a) for a in args])
    raise AssertionError(name)


import builtins as builtins_mod  # noqa: E402

# np.<f>(x) of a float64 scalar is libm's f in Numba (and in kcache), as math.<f> is; NumPy's
# own loops (SIMD exp, log, sin, ...) can differ from libm in the last bit. Arrays stay NumPy's.
_NP_SCALAR = {"sqrt", "exp", "log", "sin", "cos", "tan", "arctan", "tanh", "floor", "ceil", "abs"}


def kc_np1(name, fn, x):
    x = _n(x)
    if isinstance(x, float) and not isinstance(x, np.float32):
        if name == "abs":
            return abs(x)
        if name in ("floor", "ceil"):  # exact in NumPy too (and -0.0 stays -0.0)
            return float(fn(x))
        m = {"arctan": "atan"}.get(name, name)
        return float(_libm(m, [x]))
    with np.errstate(all="ignore"):
        return fn(x)

_CALLS = {"abs", "min", "max", "int", "round", "float", "bool", "sum"}
_BINOPS = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/", ast.FloorDiv: "//",
           ast.Mod: "%", ast.Pow: "**", ast.BitAnd: "&", ast.BitOr: "|", ast.BitXor: "^",
           ast.LShift: "<<", ast.RShift: ">>"}
_CMPOPS = {ast.Lt: "<", ast.LtE: "<=", ast.Gt: ">", ast.GtE: ">=", ast.Eq: "==", ast.NotEq: "!="}


def _is_constant(node):
    """An expression LLVM sees as a constant: literals, operators, math./np. calls of them."""
    for n in ast.walk(node):
        if isinstance(n, ast.Name) and n.id not in ("math", "np", "abs", "float", "int", "min", "max", "round"):
            return False
        if isinstance(n, (ast.Subscript, ast.Compare, ast.BoolOp, ast.IfExp)):
            return False
    return True


class _OracleTransform(ast.NodeTransformer):
    def _call(self, fn, args):
        return ast.Call(func=ast.Name(id=fn, ctx=ast.Load()), args=args, keywords=[])

    def visit_BinOp(self, node):
        op = _BINOPS[type(node.op)]
        if op == "**" and _is_constant(node.left):
            op = "**c"
        self.generic_visit(node)
        return self._call("kc_bin", [ast.Constant(op), node.left, node.right])

    def visit_UnaryOp(self, node):
        self.generic_visit(node)
        if isinstance(node.op, ast.Not):
            return node
        op = {ast.USub: "-", ast.UAdd: "+", ast.Invert: "~"}[type(node.op)]
        return self._call("kc_un", [ast.Constant(op), node.operand])

    def visit_AugAssign(self, node):
        self.generic_visit(node)
        load = ast.parse(ast.unparse(node.target), mode="eval").body
        value = self._call("kc_bin", [ast.Constant(_BINOPS[type(node.op)]), load, node.value])
        return ast.Assign(targets=[node.target], value=value, lineno=node.lineno)

    def visit_Compare(self, node):
        self.generic_visit(node)
        if not all(type(o) in _CMPOPS for o in node.ops):
            return node  # `in`, `is`: Python's own
        ops = ast.Tuple(elts=[ast.Constant(_CMPOPS[type(o)]) for o in node.ops], ctx=ast.Load())
        thunks = ast.Tuple(elts=[ast.Lambda(args=ast.arguments(posonlyargs=[], args=[], kwonlyargs=[],
                                                               kw_defaults=[], defaults=[]), body=c)
                                 for c in node.comparators], ctx=ast.Load())
        return self._call("kc_cmp", [node.left, ops, thunks])

    def visit_Call(self, node):
        self.generic_visit(node)
        f = node.func
        if isinstance(f, ast.Name) and f.id in _CALLS:
            return self._call("kc_call", [ast.Constant(f.id)] + node.args)
        if isinstance(f, ast.Attribute) and isinstance(f.value, ast.Name) and f.value.id == "math":
            return self._call("kc_call", [ast.Constant("math." + f.attr)] + node.args)
        if (isinstance(f, ast.Attribute) and isinstance(f.value, ast.Name) and f.value.id == "np"
                and f.attr in _NP_SCALAR and len(node.args) == 1 and not node.keywords):
            return self._call("kc_np1", [ast.Constant(f.attr), node.func] + node.args)
        return node


def oracle_module(src):
    tree = ast.fix_missing_locations(_OracleTransform().visit(ast.parse(src)))
    ns = {"kc_bin": kc_bin, "kc_un": kc_un, "kc_cmp": kc_cmp, "kc_call": kc_call, "kc_np1": kc_np1,
          "__name__": "kcfuzz_oracle"}
    exec(compile(tree, "<oracle>", "exec"), ns)
    return ns


def run_oracle(src, entry, args, error_model):
    ERROR_MODEL[0] = error_model
    ns = oracle_module(src)
    args = copy_args(args)
    def _alarm(signum, frame):
        raise OracleTimeout()
    old = signal.signal(signal.SIGALRM, _alarm)
    signal.alarm(10)
    try:
        with np.errstate(all="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            r = ns[entry](*args)
        return ("ok", r, args)
    except OracleTimeout:
        return ("oracle-error", "OracleTimeout", "the oracle ran more than 10 s (a generator bug)")
    except Indeterminate as e:
        return ("indeterminate", str(e))
    except (ZeroDivisionError, IndexError, ValueError, OverflowError, AssertionError) as e:
        return ("raise", type(e).__name__, str(e))
    except RecursionError:
        return ("indeterminate", "recursion")
    except Exception as e:  # a generator bug (NameError, TypeError, ...)
        return ("oracle-error", type(e).__name__, str(e))
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


class OracleTimeout(Exception):
    pass


def copy_args(args):
    out = []
    for a in args:
        if isinstance(a, np.ndarray):
            out.append(a.copy(order="K"))
        elif isinstance(a, list):
            out.append(list(a))
        else:
            out.append(a)
    return tuple(out)


# ---------------------------------------------------------------------------------------------
# The generator.
# ---------------------------------------------------------------------------------------------

# Scalar types: i int64, f float64, s float32, b bool. Arrays: A float64[:], I int64[:],
# M float64[:, :] (2-D). L: a list of int64 made in the kernel. T: a (int64, float64) tuple.
SIG = {"i": "int64", "f": "float64", "s": "float32", "b": "boolean", "A": "float64[:]",
       "I": "int64[:]", "M": "float64[:, :]", "T": "Tuple(int64, float64)"}

MATH1 = ["sqrt", "exp", "log", "sin", "cos", "tan", "atan", "tanh", "fabs", "log1p", "expm1",
         "asinh", "sinh", "cosh", "log10", "log2", "erf", "asin", "acos", "atanh", "acosh"]
MATH2 = ["atan2", "hypot", "copysign", "fmod", "pow"]
NP1 = ["sqrt", "abs", "exp", "sin", "floor", "ceil", "log"]


class Ctx:
    """A scope: names by type, loop state, what the function may use."""

    def __init__(self, parent=None):
        self.vars = {} if parent is None else dict(parent.vars)
        self.in_loop = parent.in_loop if parent else False
        self.depth = parent.depth if parent else 0

    def of(self, t):
        return [n for n, ty in self.vars.items() if ty == t]


class Gen:
    def __init__(self, rng, smoke=False):
        self.r = rng
        self.smoke = smoke
        self.counter = 0
        self.helpers = []  # (name, [param types], ret type)
        self.boundscheck = False
        self.features = set()
        self.in_header = False

    def no_array_temps(self):
        return self.smoke and self.in_header and "array_reduce_in_range_header" in SMOKE_EXCLUDE

    def fresh(self, prefix="v"):
        self.counter += 1
        return "%s%d" % (prefix, self.counter)

    def chance(self, p):
        return self.r.random() < p

    # -- literals --------------------------------------------------------------------------
    def int_lit(self):
        r = self.r.random()
        if r < 0.75:
            return str(self.r.randint(-9, 9))
        if r < 0.9:
            return str(self.r.choice([10, 16, 63, 64, 100, 255, 1000003, -1000003, 2 ** 31, -(2 ** 31)]))
        return "(%s)" % self.r.choice([str(I64_MAX), str(I64_MIN + 1), "-%d" % I64_MAX + " - 1",
                                       str(2 ** 53 + 1), str(-(2 ** 53) - 1), str(2 ** 62)])

    def fvalue_lit(self):
        return self.r.choice(["1.0", "2.5", "-3.0", "0.1", "10.0"])

    def float_lit(self):
        r = self.r.random()
        if r < 0.7:
            return self.r.choice(["0.0", "-0.0", "0.5", "1.0", "-1.0", "1.5", "-2.75", "3.0", "0.1",
                                  "2.0", "-0.5", "7.25", "10.0", "-3.0"])
        if r < 0.9:
            return self.r.choice(["1e300", "-1e300", "1e-300", "5e-324", "1e16", "2.5e-8", "123456.789"])
        self.features.add("nan_inf")
        return self.r.choice(["math.inf", "-math.inf", "math.nan"])

    # -- expressions -----------------------------------------------------------------------
    def expr(self, t, ctx, d):
        g = {"i": self.iexpr, "f": self.fexpr, "s": self.sexpr, "b": self.bexpr}[t]
        return g(ctx, d)

    def leaf(self, t, ctx):
        names = ctx.of(t)
        if names and self.chance(0.75):
            return self.r.choice(names)
        if t == "i":
            return self.int_lit()
        if t == "f":
            return self.float_lit()
        if t == "s":
            return "np.float32(%s)" % self.float_lit()
        return self.r.choice(["True", "False"])

    def index(self, arr, ctx, d, axis_len=None):
        n = axis_len or "len(%s)" % arr
        e = self.iexpr(ctx, d + 1)
        if self.boundscheck and self.chance(0.3):
            self.features.add("raw_index")
            return e
        if self.chance(0.4):
            self.features.add("neg_index")
            return "-1 - (%s) %% %s" % (e, n)
        return "(%s) %% %s" % (e, n)

    def iexpr(self, ctx, d):
        r = self.r
        if d >= 4 or self.chance(0.2 + 0.1 * d):
            choices = ["leaf"] * 5
            if ctx.of("A") or ctx.of("I"):
                choices += ["len", "elem"]
            if ctx.of("L"):
                choices += ["listelem", "listlen"]
            if ctx.of("T"):
                choices += ["tup"]
            if ctx.of("M"):
                choices += ["shape"]
            c = r.choice(choices)
            if c == "len":
                return "len(%s)" % r.choice(ctx.of("A") + ctx.of("I"))
            if c == "elem" and ctx.of("I"):
                a = r.choice(ctx.of("I"))
                return "%s[%s]" % (a, self.index(a, ctx, d + 1))
            if c == "listelem":
                lst = r.choice(ctx.of("L"))
                self.features.add("list")
                return "%s[%s]" % (lst, self.index(lst, ctx, d + 1))
            if c == "listlen":
                return "len(%s)" % r.choice(ctx.of("L"))
            if c == "tup":
                self.features.add("tuple")
                return "%s[0]" % r.choice(ctx.of("T"))
            if c == "shape":
                return "%s.shape[%d]" % (r.choice(ctx.of("M")), r.randint(0, 1))
            return self.leaf("i", ctx)
        k = r.random()
        if k < 0.45:
            op = r.choice(["+", "-", "*", "//", "%", "//", "%", "**", "&", "|", "^", "<<", ">>"])
            a = self.iexpr(ctx, d + 1)
            if op == "**":
                # A constant base is left out: CPython folds `3 ** -1` into the float 0.333
                # before Numba (or kcache) sees it, which the oracle's Numba pow does not model.
                if (self.chance(0.1) and not (self.smoke and "int_pow_negative" in SMOKE_EXCLUDE)
                        and not _is_constant(ast.parse(a, mode="eval"))):
                    self.features.add("int_pow_negative")
                    b = str(r.randint(-3, -1))
                else:
                    b = self.r.choice([str(r.randint(0, 5)), "(%s) %% 5" % self.iexpr(ctx, d + 1)])
                self.features.add("int_pow")
                return "(%s) ** %s" % (a, b)
            if op in ("<<", ">>"):
                b = self.r.choice([str(r.randint(0, 70)), "(%s) %% 70" % self.iexpr(ctx, d + 1)])
                self.features.add("shift")
                return "(%s) %s %s" % (a, op, b)
            b = self.iexpr(ctx, d + 1)
            self.features.add("int_" + op)
            return "(%s) %s (%s)" % (a, op, b)
        if k < 0.55:
            return self.r.choice(["-(%s)", "~(%s)", "abs(%s)"]) % self.iexpr(ctx, d + 1)
        if k < 0.63:
            fn = r.choice(["min", "max"])
            n = r.randint(2, 3)
            return "%s(%s)" % (fn, ", ".join(self.iexpr(ctx, d + 1) for _ in range(n)))
        if k < 0.72:
            self.features.add("float_to_int")
            form = r.choice(["int(%s)", "round(%s)", "math.floor(%s)", "math.ceil(%s)", "math.trunc(%s)"])
            return form % self.fexpr(ctx, d + 1)
        if k < 0.76:
            return "int(%s)" % self.bexpr(ctx, d + 1)
        if k < 0.82:
            self.features.add("ifexp")
            return "(%s if %s else %s)" % (self.iexpr(ctx, d + 1), self.bexpr(ctx, d + 1), self.iexpr(ctx, d + 1))
        if k < 0.86:
            self.features.add("and_or_value")
            return "(%s %s %s)" % (self.iexpr(ctx, d + 1), r.choice(["and", "or"]), self.iexpr(ctx, d + 1))
        if k < 0.93:
            h = [x for x in self.helpers if x[2] == "i"]
            if h:
                name, params, _ = r.choice(h)
                self.features.add("helper_call")
                if name == "rec":  # bounded depth
                    return "rec((%s) %% 12, %s)" % (self.iexpr(ctx, d + 1), self.iexpr(ctx, d + 1))
                return "%s(%s)" % (name, ", ".join(self.expr(p, ctx, d + 1) for p in params))
        if ctx.of("I") and self.chance(0.7) and not self.no_array_temps():
            a = r.choice(ctx.of("I"))
            self.features.add("int_array_reduce")
            return r.choice(["np.sum(%s)", "%s.sum()", "np.max(%s)", "np.min(%s)", "%s.max()"]) % self.arr_view(a)
        if ctx.of("L"):
            self.features.add("list")
            return r.choice(["sum(%s)", "len(%s)", "max(%s)", "min(%s)"]) % r.choice(ctx.of("L"))
        return self.leaf("i", ctx)

    def arr_view(self, a):
        """The array itself or a non-empty view of it (reductions of empty views raise)."""
        r = self.r.random()
        if r < 0.6:
            return a
        self.features.add("slice")
        return "%s%s" % (a, self.r.choice(["[::-1]", "[::2]", "[1:]", "[:-1]", "[-2:]", "[::-2]", "[:]"]))

    def fexpr(self, ctx, d):
        r = self.r
        if d >= 4 or self.chance(0.2 + 0.1 * d):
            choices = ["leaf"] * 5
            if ctx.of("A"):
                choices += ["elem", "elem"]
            if ctx.of("M"):
                choices += ["elem2"]
            if ctx.of("T"):
                choices += ["tup"]
            c = r.choice(choices)
            if c == "elem":
                a = r.choice(ctx.of("A"))
                return "%s[%s]" % (a, self.index(a, ctx, d + 1))
            if c == "elem2":
                m = r.choice(ctx.of("M"))
                self.features.add("array2d")
                return "%s[%s, %s]" % (m, self.index(m, ctx, d + 1, "%s.shape[0]" % m),
                                       self.index(m, ctx, d + 1, "%s.shape[1]" % m))
            if c == "tup":
                self.features.add("tuple")
                return "%s[1]" % r.choice(ctx.of("T"))
            return self.leaf("f", ctx)
        k = r.random()
        if k < 0.4:
            op = r.choice(["+", "-", "*", "/", "//", "%", "**", "+", "*", "/"])
            # mixed: one side may be an int
            ia, ib = self.chance(0.25), self.chance(0.25)
            a = self.iexpr(ctx, d + 1) if ia else self.fexpr(ctx, d + 1)
            b = self.iexpr(ctx, d + 1) if ib else self.fexpr(ctx, d + 1)
            if ia and ib:
                a = "float(%s)" % a  # one side at least is a float
            if ia or ib:
                self.features.add("mixed_int_float")
            if op == "**":
                self.features.add("float_pow")
            self.features.add("float_" + op)
            return "(%s) %s (%s)" % (a, op, b)
        if k < 0.45:
            self.features.add("int_truediv")
            return "(%s) / (%s)" % (self.iexpr(ctx, d + 1), self.iexpr(ctx, d + 1))
        if k < 0.52:
            return self.r.choice(["-(%s)", "abs(%s)"]) % self.fexpr(ctx, d + 1)
        if k < 0.6:
            fn = r.choice(["min", "max"])
            items = [self.fexpr(ctx, d + 1)] + [self.fexpr(ctx, d + 1) if self.chance(0.7) else self.iexpr(ctx, d + 1)
                                                for _ in range(r.randint(1, 2))]
            r.shuffle(items)
            self.features.add("minmax_float")
            return "%s(%s)" % (fn, ", ".join(items))
        if k < 0.68:
            self.features.add("math")
            if self.chance(0.7):
                return "math.%s(%s)" % (r.choice(MATH1), self.fexpr(ctx, d + 1))
            return "math.%s(%s, %s)" % (r.choice(MATH2), self.fexpr(ctx, d + 1), self.fexpr(ctx, d + 1))
        if k < 0.71:
            self.features.add("np_scalar")
            return "np.%s(%s)" % (r.choice(NP1), self.fexpr(ctx, d + 1))
        if k < 0.75:
            return "float(%s)" % self.iexpr(ctx, d + 1)
        if k < 0.78 and not (self.smoke and "float32" in SMOKE_EXCLUDE):
            self.features.add("float32")
            if self.chance(0.5):  # float32 with int64 or float64 is float64 (Numba's promotion)
                self.features.add("float32_mixed")
                other = self.iexpr(ctx, d + 1) if self.chance(0.5) else self.fexpr(ctx, d + 1)
                parts = [self.sexpr(ctx, d + 1), other]
                r.shuffle(parts)
                return "(%s) %s (%s)" % (parts[0], r.choice(["+", "-", "*", "/", "//", "%"]), parts[1])
            return "float(%s)" % self.sexpr(ctx, d + 1)
        if k < 0.83:
            self.features.add("ifexp")
            return "(%s if %s else %s)" % (self.fexpr(ctx, d + 1), self.bexpr(ctx, d + 1), self.fexpr(ctx, d + 1))
        if k < 0.86:
            self.features.add("and_or_value")
            return "(%s %s %s)" % (self.fexpr(ctx, d + 1), r.choice(["and", "or"]), self.fexpr(ctx, d + 1))
        if k < 0.91:
            h = [x for x in self.helpers if x[2] == "f"]
            if h:
                name, params, _ = r.choice(h)
                self.features.add("helper_call")
                return "%s(%s)" % (name, ", ".join(self.expr(p, ctx, d + 1) for p in params))
        if ctx.of("A") and self.chance(0.8) and not self.no_array_temps():
            a = r.choice(ctx.of("A"))
            self.features.add("array_reduce")
            if self.chance(0.3):
                self.features.add("array_library")
                b = r.choice(ctx.of("A"))
                # (np.dot is not here: NumPy's is BLAS's ddot, whose summation order kcache
                # does not promise to follow, so its last bits legitimately differ.)
                return r.choice(["np.cumsum(%s)[-1]" % a, "np.linspace(0.0, %s, len(%s))[-1]" % (self.fvalue_lit(), a),
                                 "float(np.arange(len(%s))[-1])" % a, "np.abs(%s).copy()[0]" % a,
                                 "float(np.sum(%s.astype(np.float32)))" % a, "np.sort(%s)[0]" % a,
                                 "np.median(%s)" % a, "np.var(%s)" % a, "np.std(%s)" % a,
                                 "float(np.argmax(%s))" % a, "float(np.argmin(%s))" % a,
                                 "np.sum(%s[%s > 0.0])" % (a, a), "np.sum(np.where(%s > %s, %s, %s))" % (a, b, a, b)])
            form = r.choice(["np.sum(%s)", "%s.sum()", "np.max(%s)", "np.min(%s)", "np.mean(%s)", "%s.mean()",
                             "%s.min()", "np.prod(%s)"])
            return form % self.arr_view(a)
        if ctx.of("M") and self.chance(0.7) and not self.no_array_temps():
            m = r.choice(ctx.of("M"))
            self.features.add("array2d")
            if self.chance(0.4):
                self.features.add("axis_reduce")
                return r.choice(["np.sum(%s, axis=0)[0]", "%s.sum(axis=1)[-1]", "np.max(%s, axis=1)[0]",
                                 "np.mean(%s, axis=0)[-1]", "np.min(%s, axis=0)[0]", "np.cumsum(%s)[-1]",
                                 "(%s * 2.0 + %s[0]).sum()", "np.prod(%s[:, 0])"]).replace("%s", m)
            return r.choice(["np.sum(%s)", "%s.max()", "np.sum(%s[%d])", "np.sum(%s.T[0])", "np.mean(%s)"]).replace(
                "%d", "0") % m
        return self.leaf("f", ctx)

    def sexpr(self, ctx, d):
        r = self.r
        self.features.add("float32")
        if d >= 3 or self.chance(0.3):
            names = ctx.of("s")
            if names and self.chance(0.7):
                return r.choice(names)
            return "np.float32(%s)" % (self.float_lit() if self.chance(0.7) else self.fexpr(ctx, d + 1))
        k = r.random()
        if k < 0.6:
            op = r.choice(["+", "-", "*", "/", "//", "%", "*", "+"])
            return "(%s) %s (%s)" % (self.sexpr(ctx, d + 1), op, self.sexpr(ctx, d + 1))
        if k < 0.7:
            return r.choice(["-(%s)", "abs(%s)", "np.sqrt(%s)"]) % self.sexpr(ctx, d + 1)
        if k < 0.8:
            return "%s(%s, %s)" % (r.choice(["min", "max"]), self.sexpr(ctx, d + 1), self.sexpr(ctx, d + 1))
        return "np.float32(%s)" % self.fexpr(ctx, d + 1)

    def bexpr(self, ctx, d):
        r = self.r
        if d >= 4 or self.chance(0.15 + 0.1 * d):
            return self.leaf("b", ctx)
        k = r.random()
        if k < 0.45:
            t = r.choice(["i", "i", "f", "f", "mixed", "s"])
            if t == "s" and self.smoke and "float32" in SMOKE_EXCLUDE:
                t = "f"
            ops = ["<", "<=", ">", ">=", "==", "!="]
            if t == "mixed":
                self.features.add("cmp_mixed")
                parts = [self.iexpr(ctx, d + 1), self.fexpr(ctx, d + 1)]
                r.shuffle(parts)
            else:
                n = 2 if self.chance(0.7) else 3
                if n == 3:
                    self.features.add("cmp_chain")
                parts = [self.expr(t, ctx, d + 1) for _ in range(n)]
            out = parts[0]
            for p in parts[1:]:
                out += " %s %s" % (r.choice(ops), p)
            return "(%s)" % out
        if k < 0.55:
            return "not (%s)" % self.bexpr(ctx, d + 1)
        if k < 0.7:
            self.features.add("and_or")
            return "(%s %s %s)" % (self.bexpr(ctx, d + 1), r.choice(["and", "or"]), self.bexpr(ctx, d + 1))
        if k < 0.8:
            return "bool(%s)" % self.expr(r.choice("if"), ctx, d + 1)
        if k < 0.88:
            if ctx.of("A") and self.chance(0.3) and not self.no_array_temps():
                self.features.add("array_bool_reduce")
                a = r.choice(ctx.of("A"))
                return r.choice(["np.any(%s > %s)", "np.all(%s >= %s)", "(%s < %s).any()"]) % (a, self.fexpr(ctx, d + 1))
            self.features.add("math")
            return "math.%s(%s)" % (r.choice(["isnan", "isinf", "isfinite"]), self.fexpr(ctx, d + 1))
        if k < 0.93:
            self.features.add("bool_ops")
            return "(%s) %s (%s)" % (self.bexpr(ctx, d + 1), r.choice(["&", "|", "^"]), self.bexpr(ctx, d + 1))
        return "(%s %% 2 == 0)" % self.iexpr(ctx, d + 1)

    # -- statements ------------------------------------------------------------------------
    def convert(self, t, e, et):
        """e (of type et) as a value of type t."""
        if t == et:
            return e
        if t == "f":
            return "float(%s)" % e
        if t == "s":
            return "np.float32(%s)" % e
        if t == "i":
            return "int(%s)" % e
        return "bool(%s)" % e

    def block(self, ctx, n, indent, ret):
        lines = []
        for _ in range(n):
            lines += self.stmt(ctx, indent, ret)
        return lines or [indent + "pass"]

    def stmt(self, ctx, ind, ret):
        r = self.r
        k = r.random()
        deep = ctx.depth >= 2
        if k < 0.25:
            t = r.choice("iiffbs") if not (self.smoke and "float32" in SMOKE_EXCLUDE) else r.choice("iiffb")
            name = self.fresh()
            line = "%s%s = %s" % (ind, name, self.expr(t, ctx, 0))
            ctx.vars[name] = t
            return [line]
        if k < 0.38:
            names = [n for n, t in ctx.vars.items() if t in "ifs" and n[0] not in "pwj"]
            if names:
                n = r.choice(names)
                t = ctx.vars[n]
                self.features.add("accumulator")
                if t == "i":
                    op = r.choice(["+=", "-=", "*=", "//=", "%=", "^=", "|="])
                    return ["%s%s %s %s" % (ind, n, op, self.iexpr(ctx, 1))]
                if t == "f":
                    op = r.choice(["+=", "-=", "*=", "/="])
                    e = self.fexpr(ctx, 1) if self.chance(0.7) else self.iexpr(ctx, 1)
                    return ["%s%s %s %s" % (ind, n, op, e)]
                return ["%s%s %s %s" % (ind, n, r.choice(["+=", "*=", "-="]), self.sexpr(ctx, 1))]
        if k < 0.45:
            names = [n for n, t in ctx.vars.items() if t in "ifb" and n[0] not in "wj"]
            if names:
                n = r.choice(names)
                return ["%s%s = %s" % (ind, n, self.expr(ctx.vars[n], ctx, 0))]
        if k < 0.55 and not deep:
            self.features.add("if")
            c = Ctx(ctx)
            c.depth += 1
            lines = ["%sif %s:" % (ind, self.bexpr(ctx, 0))] + self.block(c, r.randint(1, 3), ind + "    ", ret)
            if self.chance(0.3):
                self.features.add("elif")
                c = Ctx(ctx)
                c.depth += 1
                lines += ["%selif %s:" % (ind, self.bexpr(ctx, 0))] + self.block(c, r.randint(1, 2), ind + "    ", ret)
            if self.chance(0.5):
                c = Ctx(ctx)
                c.depth += 1
                lines += ["%selse:" % ind] + self.block(c, r.randint(1, 2), ind + "    ", ret)
            return lines
        if k < 0.65 and not deep:
            self.features.add("for_range")
            c = Ctx(ctx)
            c.depth += 1
            c.in_loop = True
            v = self.fresh("j")
            form = r.random()
            self.in_header = True
            if form < 0.4:
                rng = "range((%s) %% 9)" % self.iexpr(ctx, 1)
            elif form < 0.6:
                rng = "range(%s, (%s) %% 7)" % (r.randint(-3, 2), self.iexpr(ctx, 1))
            elif form < 0.75:
                self.features.add("range_step")
                rng = "range((%s) %% 8, %d, %d)" % (self.iexpr(ctx, 1), r.randint(-4, 0), r.choice([-1, -2, -3]))
            elif form < 0.9 and (ctx.of("A") or ctx.of("I")):
                rng = "range(len(%s))" % r.choice(ctx.of("A") + ctx.of("I"))
            else:
                rng = "range(%d, %d, %d)" % (r.randint(-5, 0), r.randint(1, 9), r.randint(1, 3))
            self.in_header = False
            c.vars[v] = "i"
            head = []
            if self.chance(0.4):
                self.features.add("break_continue")
                head = ["%sif %s:" % (ind + "    ", self.bexpr(c, 1)),
                        "%s%s" % (ind + "        ", r.choice(["break", "continue"]))]
            body = self.block(c, r.randint(1, 4), ind + "    ", ret)
            if head and self.chance(0.5):
                body = head + body
            else:
                body = body + head
            return ["%sfor %s in %s:" % (ind, v, rng)] + body
        if k < 0.7 and not deep:
            self.features.add("while")
            c = Ctx(ctx)
            c.depth += 1
            c.in_loop = True
            w = self.fresh("w")
            c.vars[w] = "i"
            lines = ["%s%s = 0" % (ind, w), "%swhile %s < %d:" % (ind, w, r.randint(0, 8)),
                     "%s    %s += 1" % (ind, w)]
            if self.chance(0.5):
                self.features.add("break_continue")
                lines += ["%s    if %s:" % (ind, self.bexpr(c, 1)), "%s        %s" % (ind, r.choice(["break", "continue"]))]
            lines += self.block(c, r.randint(1, 3), ind + "    ", ret)
            return lines
        if k < 0.75 and (ctx.of("A") or ctx.of("I")):
            self.features.add("array_store")
            a = r.choice(ctx.of("A") + ctx.of("I"))
            t = "f" if a in ctx.of("A") else "i"
            op = r.choice(["=", "=", "+="])
            if self.smoke and "store_index_raises" in SMOKE_EXCLUDE:
                # The index is computed first, into a name, so the target cannot raise.
                name = self.fresh()
                line = "%s%s = (%s) %% len(%s)" % (ind, name, self.iexpr(ctx, 1), a)
                ctx.vars[name] = "i"
                return [line, "%s%s[%s] %s %s" % (ind, a, name, op, self.expr(t, ctx, 1))]
            return ["%s%s[%s] %s %s" % (ind, a, self.index(a, ctx, 1), op, self.expr(t, ctx, 1))]
        if k < 0.775 and (ctx.of("A") or ctx.of("M")) and self.chance(0.6):
            self.features.add("slice_assign")
            if ctx.of("M") and self.chance(0.4):
                m = r.choice(ctx.of("M"))
                return [r.choice(["%s%s[%s, :] = %s" % (ind, m, self.index(m, ctx, 1, "%s.shape[0]" % m), self.fexpr(ctx, 2)),
                                  "%s%s[:, %s] += %s" % (ind, m, self.index(m, ctx, 1, "%s.shape[1]" % m), self.fexpr(ctx, 2)),
                                  "%s%s[%s, %s] = %s" % (ind, m, self.index(m, ctx, 1, "%s.shape[0]" % m),
                                                         self.index(m, ctx, 1, "%s.shape[1]" % m), self.fexpr(ctx, 2))])]
            if not ctx.of("A"):
                return []
            a = r.choice(ctx.of("A"))
            return [r.choice(["%s%s[1:] = %s[:-1]" % (ind, a, a), "%s%s[:-1] = %s[1:]" % (ind, a, a),
                              "%s%s[:] = %s[::-1]" % (ind, a, a), "%s%s[%s > %s] = %s" % (ind, a, a, self.fexpr(ctx, 2), self.fexpr(ctx, 2)),
                              "%s%s[::2] = %s" % (ind, a, self.fexpr(ctx, 2)), "%s%s[1:] += %s[:-1]" % (ind, a, a)])]
        if k < 0.79 and (ctx.of("A") or ctx.of("I")) and not (ctx.depth >= 2):
            self.features.add("array_iteration")
            a = r.choice(ctx.of("A") + ctx.of("I"))
            t = "f" if a in ctx.of("A") else "i"
            acc = self.fresh()
            x, i = self.fresh("x"), self.fresh("j")
            c = Ctx(ctx)
            c.depth += 1
            c.vars[x] = t
            form = r.random()
            if form < 0.4:
                head = "for %s in %s:" % (x, a)
            elif form < 0.7:
                c.vars[i] = "i"
                head = "for %s, %s in enumerate(%s):" % (i, x, a)
            else:
                b = r.choice(ctx.of("A") + ctx.of("I"))
                y = self.fresh("x")
                c.vars[y] = "f" if b in ctx.of("A") else "i"
                head = "for %s, %s in zip(%s, %s):" % (x, y, a, b)
            lines = ["%s%s = %s" % (ind, acc, "0.0" if t == "f" else "0"), ind + head,
                     "%s    %s = %s * %s + %s" % (ind, acc, acc, r.choice(["2", "3", "-1"]), self.expr(t, c, 2))]
            ctx.vars[acc] = t
            return lines
        if k < 0.8 and ctx.of("A"):
            self.features.add("array_expr")
            a = r.choice(ctx.of("A"))
            b = r.choice(ctx.of("A"))
            name = self.fresh("arr")
            form = r.choice(["%s * %s + %s", "%s - %s * %s", "np.sqrt(np.abs(%s)) + %s * %s", "(%s + %s) / %s",
                             "np.where(%s > %s, %s, 0.0)", "np.maximum(%s, %s) * %s", "%s[::-1] * %s - %s"])
            fx = "(%s)" % self.fexpr(ctx, 2)
            e = form % tuple(r.choice([a, b, fx]) if i != 0 else a for i in range(3))
            ctx.vars[name] = "A"
            return ["%s%s = %s" % (ind, name, e)]
        if k < 0.84 and ctx.depth == 0:
            name = self.fresh("arr")
            n = self.r.choice(["len(%s)" % x for x in ctx.of("A") + ctx.of("I")] or ["3"])
            self.features.add("array_alloc")
            form = r.random()
            j = self.fresh("j")
            c = Ctx(ctx)
            c.vars[j] = "i"
            if form < 0.4:
                lines = ["%s%s = np.zeros(%s)" % (ind, name, n)]
            elif form < 0.6:
                lines = ["%s%s = np.ones(%s) * %s" % (ind, name, n, self.fexpr(ctx, 2))]
            elif form < 0.8:
                lines = ["%s%s = np.empty(%s)" % (ind, name, n)]
            else:
                src = r.choice(ctx.of("A") or ["np.zeros(3)"])
                lines = ["%s%s = %s.copy()" % (ind, name, src)]
            lines += ["%sfor %s in range(len(%s)):" % (ind, j, name),
                      "%s    %s[%s] = %s" % (ind, name, j, self.fexpr(c, 1))]
            ctx.vars[name] = "A"
            return lines
        if k < 0.88 and ctx.depth == 0 and not (self.smoke and "list" in SMOKE_EXCLUDE):
            self.features.add("list")
            name = self.fresh("lst")
            if self.chance(0.25):
                self.features.add("list_float")
                lines = ["%s%s = [%s]" % (ind, name, ", ".join(self.fexpr(ctx, 2) for _ in range(r.randint(1, 3))))]
                lines += [r.choice(["%s%s.append(%s)" % (ind, name, self.fexpr(ctx, 2)),
                                    "%s%s.insert(0, %s)" % (ind, name, self.fexpr(ctx, 2))])]
                v = self.fresh()
                lines += ["%s%s = %s" % (ind, v, r.choice(["%s.pop()" % name, "sum(%s)" % name, "max(%s)" % name,
                                                           "%s[-1]" % name, "float(%s in %s)" % (self.fexpr(ctx, 2), name)]))]
                ctx.vars[v] = "f"
                ctx.vars[name] = "LF"
                return lines
            if self.chance(0.5):
                lines = ["%s%s = [%s]" % (ind, name, ", ".join(self.iexpr(ctx, 2) for _ in range(r.randint(1, 4))))]
            else:
                j = self.fresh("j")
                c = Ctx(ctx)
                c.vars[j] = "i"
                self.features.add("list_comp")
                cond = (" if %s" % self.bexpr(c, 2)) if self.chance(0.3) else ""
                lines = ["%s%s = [%s for %s in range(1, %d)%s]" % (ind, name, self.iexpr(c, 2), j, r.randint(2, 6), cond)]
                lines += ["%s%s.append(%s)" % (ind, name, self.iexpr(ctx, 2))]  # never empty
            if self.chance(0.5):
                lines.append("%s%s.append(%s)" % (ind, name, self.iexpr(ctx, 2)))
            if self.chance(0.4):
                acc = self.fresh()
                x = self.fresh("x")
                lines += ["%s%s = 0" % (ind, acc), "%sfor %s in %s:" % (ind, x, name),
                          "%s    %s = %s * 3 + %s" % (ind, acc, acc, x)]
                ctx.vars[acc] = "i"
            ctx.vars[name] = "L"
            return lines
        if k < 0.92 and not (self.smoke and "tuple" in SMOKE_EXCLUDE):
            self.features.add("tuple")
            name = self.fresh("t")
            lines = ["%s%s = (%s, %s)" % (ind, name, self.iexpr(ctx, 1), self.fexpr(ctx, 1))]
            if self.chance(0.5):
                p, q = self.fresh(), self.fresh()
                lines.append("%s%s, %s = %s" % (ind, p, q, name))
                ctx.vars[p] = "i"
                ctx.vars[q] = "f"
            ctx.vars[name] = "T"
            return lines
        if k < 0.935 and ctx.depth > 0 and self.chance(0.3):
            self.features.add("raise")
            if self.chance(0.5):
                return ["%sif %s:" % (ind, self.bexpr(ctx, 2)), "%s    raise ValueError(\"fuzz\")" % ind]
            return ["%sassert %s" % (ind, self.bexpr(ctx, 2))]
        if k < 0.97 and ctx.depth > 0:
            self.features.add("early_return")
            return ["%sif %s:" % (ind, self.bexpr(ctx, 1)), "%s    return %s" % (ind, self.ret_expr(ret, ctx))]
        t = r.choice("if")
        name = self.fresh()
        line = "%s%s = %s" % (ind, name, self.expr(t, ctx, 0))
        ctx.vars[name] = t
        return [line]

    def ret_expr(self, ret, ctx):
        if ret in "ifsb":
            return self.expr(ret, ctx, 0)
        if ret == "T":
            return "(%s, %s)" % (self.iexpr(ctx, 1), self.fexpr(ctx, 1))
        if ret == "A":
            arrs = ctx.of("A")
            if arrs and self.chance(0.8):
                a = self.r.choice(arrs)
                return self.r.choice([a, a + " * 2.0", "%s + (%s)" % (a, self.fexpr(ctx, 2)), a + "[::-1].copy()"])
            return "np.zeros(3)"
        if ret == "L":
            ls = ctx.of("L")
            if ls:
                return self.r.choice(ls)
            return "[%s]" % self.iexpr(ctx, 1)
        raise AssertionError(ret)

    def function(self, name, params, ret, nstmts):
        ctx = Ctx()
        for p, t in params:
            ctx.vars[p] = t
        body = self.block(ctx, nstmts, "    ", ret)
        body.append("    return %s" % self.ret_expr(ret, ctx))
        return ["def %s(%s):" % (name, ", ".join(p for p, _ in params))] + body

    def module(self):
        r = self.r
        lines = ["import math", "import numpy as np", ""]
        for h in range(r.randint(0, 2)):
            name = "h%d" % h
            ps = [("p%d" % i, r.choice("iifb")) for i in range(r.randint(1, 3))]
            ret = r.choice("if")
            lines += self.function(name, ps, ret, r.randint(1, 4)) + [""]
            self.helpers.append((name, [t for _, t in ps], ret))
        if self.chance(0.12):
            self.features.add("recursion")
            lines += ["def rec(n, x):", "    if n <= 0:", "        return x",
                      "    return rec(n - 1, x * 2 + n) %s 1000003" % r.choice(["%", "//"]), ""]
            self.helpers.append(("rec", ["i", "i"], "i"))
        nparam = r.randint(1, 4)
        kinds = "iiiffbsAAIM" if not (self.smoke and "float32" in SMOKE_EXCLUDE) else "iiiffbAAIM"
        params = [("p%d" % i, r.choice(kinds)) for i in range(nparam)]
        ret = r.choice("iiffbsTAL")
        if ret == "s" and self.smoke and "float32" in SMOKE_EXCLUDE:
            ret = "f"
        if any(t in "AIM" for _, t in params):
            self.features.add("array_arg")
        lines += self.function("k", params, ret, r.randint(2, 7))
        src = "\n".join(lines) + "\n"
        if ret == "L":
            sig = None  # lazy: the list's type is inferred
        else:
            sig = "%s(%s)" % (SIG[ret], ", ".join(SIG[t] for _, t in params))
        return src, params, ret, sig

    # -- inputs ------------------------------------------------------------------------------
    def value(self, t, n, shape):
        r = self.r
        if t == "i":
            x = r.random()
            if x < 0.7:
                return r.randint(-20, 20)
            if x < 0.85:
                return r.choice([0, 1, -1, 2 ** 31, -(2 ** 31), 10 ** 9])
            return r.choice([I64_MAX, I64_MIN, 2 ** 53 + 1, -(2 ** 53) - 1, 3 ** 39])
        if t == "f":
            return self.fvalue()
        if t == "s":
            with np.errstate(all="ignore"):
                return np.float32(self.fvalue())
        if t == "b":
            return r.random() < 0.5
        if t == "A":
            return np.array([self.fvalue(small=True) for _ in range(n)])
        if t == "I":
            return np.array([r.randint(-50, 50) for _ in range(n)], dtype=np.int64)
        if t == "M":
            return np.array([[self.fvalue(small=True) for _ in range(shape[1])] for _ in range(shape[0])])
        raise AssertionError(t)

    def fvalue(self, small=False):
        r = self.r
        x = r.random()
        if x < 0.6 or small and x < 0.95:
            return r.choice([round(r.uniform(-10, 10), r.randint(0, 3)), float(r.randint(-5, 5)), r.uniform(-3, 3)])
        if x < 0.8:
            return r.choice([0.0, -0.0, 0.5, -1.5, 1e-8, 1e10])
        return r.choice([1e300, -1e300, 5e-324, math.inf, -math.inf, math.nan, 2.0 ** 63, -(2.0 ** 63) - 4096])


def generate(seed, case, smoke=False):
    rng = random.Random("%s:%s" % (seed, case))
    g = Gen(rng, smoke)
    if rng.random() < 0.12:
        g.boundscheck = True
    src, params, ret, sig = g.module()
    opts = {}
    if g.boundscheck:
        opts["boundscheck"] = True
    if rng.random() < 0.12:
        opts["error_model"] = "numpy"
        g.features.add("error_model_numpy")
    inputs = []
    for _ in range(4):
        n = rng.randint(1, 7)
        shape = (rng.randint(1, 4), rng.randint(1, 4))
        inputs.append(tuple(g.value(t, n, shape) for _, t in params))
    return {"src": src, "entry": "k", "sig": sig, "opts": opts, "inputs": inputs,
            "features": sorted(g.features), "ret": ret, "seed": seed, "case": case}


# ---------------------------------------------------------------------------------------------
# The kcache side, in a worker process (a crash or hang of a kernel must not end the run).
# ---------------------------------------------------------------------------------------------

def _send(f, obj):
    data = pickle.dumps(obj)
    f.write(struct.pack("<Q", len(data)) + data)
    f.flush()


def _recv(f):
    head = f.read(8)
    if len(head) < 8:
        raise EOFError
    (n,) = struct.unpack("<Q", head)
    data = f.read(n)
    if len(data) < n:
        raise EOFError
    return pickle.loads(data)


def worker_main(workdir):
    """The kcache side: `difffuzz.py --worker DIR`, jobs in and results out as pickles."""
    proto_in = os.fdopen(os.dup(0), "rb")
    proto_out = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)  # anything the kernels' host prints goes to stderr, not into the protocol
    sys.path.insert(0, str(REPO / "python"))
    sys.path.insert(0, workdir)
    import kcache
    n = 0
    while True:
        try:
            job = _recv(proto_in)
        except EOFError:
            return
        n += 1
        modname = "kcfuzz_%d_%d" % (os.getpid(), n)
        path = os.path.join(workdir, modname + ".py")
        with open(path, "w") as f:
            f.write(job["src"])
        out = []
        try:
            spec = importlib.util.spec_from_file_location(modname, path)
            mod = importlib.util.module_from_spec(spec)
            spec.loader.exec_module(mod)
            dec = kcache.njit(job["sig"], **job["opts"]) if job["sig"] else kcache.njit(**job["opts"])
            fn = dec(getattr(mod, job["entry"]))
            for args in job["inputs"]:
                args = copy_args(args)
                try:
                    r = fn(*args)
                    if isinstance(r, np.ndarray):
                        r = np.array(r, copy=True)
                    out.append(("ok", r, args))
                except (ZeroDivisionError, IndexError, ValueError, OverflowError, AssertionError) as e:
                    out.append(("raise", type(e).__name__, str(e)))
                except Exception as e:
                    out.append(("error", type(e).__name__, str(e)[:2000]))
            reply = ("done", out)
        except Exception as e:
            reply = ("compile", type(e).__name__, str(e)[:4000])
        finally:
            try:
                os.unlink(path)
            except OSError:
                pass
        _send(proto_out, reply)


class Worker:
    def __init__(self, timeout):
        self.timeout = timeout
        self.dir = tempfile.mkdtemp(prefix="kcfuzz-")
        self.proc = None

    def start(self):
        self.proc = subprocess.Popen([sys.executable, str(pathlib.Path(__file__).resolve()), "--worker", self.dir],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)

    def run(self, job):
        if self.proc is None or self.proc.poll() is not None:
            self.start()
        try:
            _send(self.proc.stdin, job)
        except (BrokenPipeError, OSError):
            return self._died()
        ready, _, _ = select.select([self.proc.stdout], [], [], self.timeout)
        if not ready:
            self.kill()
            return ("hang", "no answer in %d s" % self.timeout)
        try:
            return _recv(self.proc.stdout)
        except (EOFError, OSError, pickle.UnpicklingError):
            return self._died()

    def _died(self):
        try:
            code = self.proc.wait(5)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            code = self.proc.wait()
        self.proc = None
        return ("crash", "worker died (exit %s)" % code)

    def kill(self):
        if self.proc is not None:
            self.proc.kill()
            self.proc.wait()
            self.proc = None

    def close(self):
        self.kill()
        shutil.rmtree(self.dir, ignore_errors=True)


# ---------------------------------------------------------------------------------------------
# Comparing.
# ---------------------------------------------------------------------------------------------

def same_float(g, w, f32=False):
    g, w = float(g), float(w)
    if math.isnan(w) or math.isnan(g):
        return math.isnan(w) and math.isnan(g)
    return g == w and math.copysign(1, g) == math.copysign(1, w)


def same_value(got, want, ret=None):
    """Exact: ints bitwise, floats bitwise up to NaN payload, arrays by dtype/shape/elements."""
    if isinstance(want, tuple):
        return isinstance(got, tuple) and len(got) == len(want) and all(
            same_value(g, w) for g, w in zip(got, want))
    if isinstance(want, list):
        return isinstance(got, list) and len(got) == len(want) and all(same_value(g, w) for g, w in zip(got, want))
    if isinstance(want, np.ndarray):
        if not isinstance(got, np.ndarray) or got.shape != want.shape or got.dtype != want.dtype:
            return False
        if want.dtype.kind == "f":
            wn, gn = np.isnan(want), np.isnan(got)
            return bool(np.array_equal(wn, gn) and np.array_equal(got[~gn], want[~wn])
                        and np.array_equal(np.signbit(got[~gn]), np.signbit(want[~wn])))
        return bool(np.array_equal(got, want))
    w = _n(want)
    g = _n(got)
    if isinstance(w, bool) or isinstance(g, bool):
        return isinstance(g, bool) and isinstance(w, bool) and g == w
    if _is_float(w) or _is_float(g):
        if ret == "s" and not (_is_f32(w) or _is_float(w)):
            return False
        return _is_float(g) and _is_float(w) and same_float(g, w)
    return isinstance(g, int) and isinstance(w, int) and g == w


def coerce_want(want, ret):
    """The oracle's value as the declared return type (what Numba's return conversion does)."""
    w = _n(want)
    if ret == "i" and isinstance(w, (int, bool)):
        return int(w)
    if ret == "f" and isinstance(w, (int, bool, float, np.float32)):
        return float(w)
    if ret == "s" and isinstance(w, (int, bool, float, np.float32)):
        return np.float32(w)
    if ret == "b" and isinstance(w, (int, bool, float, np.float32)):
        return bool(w)
    if ret == "T" and isinstance(want, tuple) and len(want) == 2:
        a, b = _n(want[0]), _n(want[1])
        return (int(a) if isinstance(a, (int, bool)) else a, float(b) if isinstance(b, (int, bool, float, np.float32)) else b)
    return want


def compare(case, oracle_results, kc):
    """Returns (kind, detail) for the first disagreement, or None."""
    if kc[0] in ("hang", "crash"):
        return (kc[0], kc[1]), None
    if kc[0] == "compile":
        # The kind keeps the message's gist (digits dropped) so minimising stays on this error.
        gist = re.sub(r"\S*\.py:[0-9]+:[0-9]+:\s*", "", kc[2].split("\n")[0])
        gist = re.sub(r"[0-9]+", "N", gist)
        gist = re.sub(r"^.*?(internal compiler error|INTERNAL|TypingError|not supported|unsupported)", r"\1", gist)
        return ("compile:%s:%s" % (kc[1], gist[:90]), kc[2]), None
    for i, (want, got) in enumerate(zip(oracle_results, kc[1])):
        if want[0] in ("indeterminate",):
            continue
        if want[0] == "raise" and want[1] == "IndexError" and not case["opts"].get("boundscheck"):
            continue  # out of bounds without boundscheck: undefined in Numba and kcache
        if want[0] == "oracle-error":
            return ("oracle-error:%s" % want[1], want[2]), i
        if got[0] == "error":
            return ("kcache-error:%s" % got[1], got[2]), i
        if want[0] == "raise" or got[0] == "raise":
            if want[0] != got[0] or want[1] != got[1]:
                return ("exception", "want %r got %r" % (want[:2], got[:2])), i
            continue
        w = coerce_want(want[1], case["ret"])
        if not same_value(got[1], w, case["ret"]):
            return ("wrong-value", "want %r got %r" % (w, got[1])), i
        for ga, wa in zip(got[2], want[2]):
            if isinstance(wa, np.ndarray) and not same_value(ga, wa):
                return ("wrong-arg-after", "want %r got %r" % (wa, ga)), i
    return None


def evaluate(case, worker):
    oracle = [run_oracle(case["src"], case["entry"], a, case["opts"].get("error_model", "python"))
              for a in case["inputs"]]
    if all(o[0] in ("indeterminate",) for o in oracle):
        return None, oracle, None
    if any(o[0] == "oracle-error" for o in oracle):
        i = next(j for j, o in enumerate(oracle) if o[0] == "oracle-error")
        return (("oracle-error:%s" % oracle[i][1], oracle[i][2]), i), oracle, None
    job = {k: case[k] for k in ("src", "entry", "sig", "opts", "inputs")}
    kc = worker.run(job)
    if kc[0] in ("crash", "hang") and len(case["inputs"]) > 1:
        # Which input? One whose result is undefined (deep recursion, ...) is no finding.
        for i, (o, a) in enumerate(zip(oracle, case["inputs"])):
            one = worker.run(dict(job, inputs=[a]))
            if one[0] in ("crash", "hang"):
                if o[0] == "indeterminate":
                    return None, oracle, kc
                return ((one[0], "%s on input %d" % (one[1], i)), i), oracle, kc
    res = compare(case, oracle, kc)
    return res, oracle, kc


# ---------------------------------------------------------------------------------------------
# Minimising: delta debugging over statements, helpers and expressions, keeping the failure kind.
# ---------------------------------------------------------------------------------------------

def _kind_of(res):
    return None if res is None else res[0][0]


def minimise(case, kind, worker, budget_s=90, max_tries=600):
    deadline = time.monotonic() + budget_s
    tries = [0]
    best = dict(case)

    def still_fails(src, inputs):
        if time.monotonic() > deadline or tries[0] >= max_tries:
            return False
        tries[0] += 1
        try:
            ast.parse(src)
        except SyntaxError:
            return False
        cand = dict(best, src=src, inputs=inputs)
        try:
            res, _, _ = evaluate(cand, worker)
        except Exception:
            return False
        return _kind_of(res) == kind

    # The one failing input first.
    res, _, _ = evaluate(best, worker)
    if res is not None and res[1] is not None and len(best["inputs"]) > 1:
        one = [best["inputs"][res[1]]]
        if still_fails(best["src"], one):
            best["inputs"] = one

    changed = True
    while changed and time.monotonic() < deadline and tries[0] < max_tries:
        changed = False
        # 1. statements (and whole helper functions), last first.
        tree = ast.parse(best["src"])
        stmt_lists = []
        for node in ast.walk(tree):
            for field in ("body", "orelse"):
                body = getattr(node, field, None)
                if isinstance(body, list) and body and isinstance(body[0], ast.stmt):
                    stmt_lists.append((node, field))
        for node, field in stmt_lists:
            body = getattr(node, field)
            for i in range(len(body) - 1, -1, -1):
                if isinstance(body[i], (ast.Import,)):
                    continue
                if isinstance(node, ast.FunctionDef) and field == "body" and i == len(body) - 1:
                    continue  # a function keeps its final return
                old = getattr(node, field)
                new = old[:i] + old[i + 1:]
                if not new and field == "body":
                    new = [ast.Pass()]
                setattr(node, field, new)
                src = ast.unparse(tree) + "\n"
                if still_fails(src, best["inputs"]):
                    best["src"] = src
                    changed = True
                else:
                    setattr(node, field, old)
                # a compound statement: try its body in its place
                s = old[i] if i < len(old) else None
                if s is not None and isinstance(s, (ast.If, ast.For, ast.While)) and getattr(node, field) is old:
                    inner = [x for x in s.body if not isinstance(x, (ast.Break, ast.Continue))]
                    setattr(node, field, old[:i] + inner + old[i + 1:])
                    src = ast.unparse(tree) + "\n"
                    if still_fails(src, best["inputs"]):
                        best["src"] = src
                        changed = True
                    else:
                        setattr(node, field, old)
        # 2. expressions: replace a node by one of its sub-expressions or a small constant.
        tree = ast.parse(best["src"])
        exprs = [n for n in ast.walk(tree) if isinstance(n, (ast.BinOp, ast.UnaryOp, ast.Call, ast.Compare,
                                                               ast.BoolOp, ast.IfExp))]
        for node in exprs:
            subs = [c for c in ast.iter_child_nodes(node) if isinstance(c, ast.expr)
                    and not isinstance(c, (ast.Attribute,)) and not (isinstance(node, ast.Call) and c is node.func)]
            # Only replacements that keep the node's type (a constant of another type could move
            # the kernel into Numba's type unification, where Python differs by design).
            if isinstance(node, ast.Call) and not (isinstance(node.func, ast.Name) and node.func.id in ("abs", "min", "max")):
                subs = []
            if isinstance(node, (ast.Compare, ast.BoolOp)) or (isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not)):
                subs += [ast.Constant(True), ast.Constant(False)]
            for sub in subs:
                if time.monotonic() > deadline or tries[0] >= max_tries:
                    break
                src = _replace(tree, node, sub)
                if src is not None and still_fails(src, best["inputs"]):
                    best["src"] = src
                    changed = True
                    break
            if changed:
                break
    best["minimise_tries"] = tries[0]
    return best


def _replace(tree, target, sub):
    class R(ast.NodeTransformer):
        def visit(self, node):
            if node is target:
                return sub
            return super().visit(node)
    import copy
    t2 = copy.deepcopy(tree)
    # deepcopy loses identity: find the target by position in a parallel walk
    nodes1 = list(ast.walk(tree))
    nodes2 = list(ast.walk(t2))
    idx = nodes1.index(target)
    tgt2 = nodes2[idx]
    sub2 = copy.deepcopy(sub)

    class R2(ast.NodeTransformer):
        def generic_visit(self, node):
            for field, old in ast.iter_fields(node):
                if isinstance(old, list):
                    for i, v in enumerate(old):
                        if v is tgt2:
                            old[i] = sub2
                        elif isinstance(v, ast.AST):
                            self.generic_visit(v)
                elif isinstance(old, ast.AST):
                    if old is tgt2:
                        setattr(node, field, sub2)
                    else:
                        self.generic_visit(old)
            return node
    R2().generic_visit(t2)
    try:
        return ast.unparse(ast.fix_missing_locations(t2)) + "\n"
    except Exception:
        return None


# ---------------------------------------------------------------------------------------------
# Findings.
# ---------------------------------------------------------------------------------------------

def lit(v):
    if isinstance(v, np.ndarray):
        return "np.array(%r, dtype=np.%s)" % (v.tolist(), v.dtype.name)
    if isinstance(v, np.float32):
        return "np.float32(%s)" % lit(float(v))
    if isinstance(v, float):
        if math.isnan(v):
            return "math.nan"
        if math.isinf(v):
            return "math.inf" if v > 0 else "-math.inf"
        return repr(v)
    if isinstance(v, tuple):
        return "(%s)" % "".join(lit(x) + ", " for x in v)
    return repr(v)


def write_finding(case, res, oracle, kc, minimised, outdir):
    outdir.mkdir(parents=True, exist_ok=True)
    kind = res[0][0]
    slug = re.sub(r"[^a-z0-9]+", "-", kind.split(":")[0].lower() + "-" + ":".join(kind.split(":")[1:2]).lower()).strip("-")
    path = outdir / ("seed%s-case%s-%s.py" % (case["seed"], case["case"], slug))
    m = minimised
    i = res[1] if res[1] is not None else 0

    def clean(text):
        return str(text)[:3000].replace('"""', "'''").replace("\\", "\\\\")

    o = oracle[i] if oracle and i < len(oracle) else None
    g = kc[1][i] if kc and kc[0] == "done" and i < len(kc[1]) else kc
    lines = ['"""difffuzz finding: %s' % kind, "",
             "seed %s, case %s; features: %s" % (case["seed"], case["case"], ", ".join(case["features"])),
             "signature: %s   options: %r" % (m["sig"], m["opts"]),
             "detail: %s" % clean(res[0][1]),
             "CPython oracle: %s" % clean(o[:3] if o and o[0] != "ok" else (o[:2] if o else None)),
             "kcache:         %s" % clean(g[:3] if g and g[0] not in ("ok", "done") else (g[:2] if g else None)),
             "",
             "rerun (the original case):  python tests/fuzz/difffuzz.py --seed %s --case %s" % (case["seed"], case["case"]),
             "rerun (this minimised file): python tests/fuzz/difffuzz.py --replay %s" % path.relative_to(REPO)
             if str(path).startswith(str(REPO)) else "rerun: python tests/fuzz/difffuzz.py --replay %s" % path,
             '"""', "", "# --- kernel ---"]
    lines.append(m["src"].rstrip())
    lines += ["", "# --- case ---",
              "SIGNATURE = %r" % m["sig"], "OPTIONS = %r" % m["opts"], "RET = %r" % m["ret"],
              "INPUTS = [%s]" % ", ".join(lit(a) for a in m["inputs"]), ""]
    path.write_text("\n".join(lines) + "\n")
    return path


def load_finding(path):
    text = pathlib.Path(path).read_text()
    src, _, tail = text.partition("# --- case ---")
    src = src.split("# --- kernel ---", 1)[1].lstrip("\n")
    ns = {"np": np, "math": math, "inf": math.inf, "nan": math.nan}
    exec(tail, ns)
    return {"src": src, "entry": "k", "sig": ns["SIGNATURE"], "opts": ns["OPTIONS"], "ret": ns["RET"],
            "inputs": ns["INPUTS"], "features": [], "seed": "replay", "case": pathlib.Path(path).stem}


# ---------------------------------------------------------------------------------------------
# Driver.
# ---------------------------------------------------------------------------------------------

def start_private_daemon(binary):
    tmp = pathlib.Path(tempfile.mkdtemp(prefix="kcfuzz-daemon-"))
    os.chmod(tmp, 0o700)
    sock = tmp / "kcached.sock"
    proc = subprocess.Popen([binary, "--listen", "unix:%s" % sock, "--store", str(tmp / "store")],
                            stdout=subprocess.DEVNULL, stderr=open(tmp / "log", "w"))
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            s = socket.socket(socket.AF_UNIX)
            s.connect(str(sock))
            s.close()
            return proc, "unix:%s" % sock, tmp
        except OSError:
            if proc.poll() is not None:
                raise RuntimeError("kcached exited with %s" % proc.returncode)
            time.sleep(0.05)
    raise RuntimeError("kcached did not start")


def run(args):
    outdir = pathlib.Path(args.findings)
    daemon = None
    if args.kcached:
        daemon = start_private_daemon(args.kcached)
        os.environ["KCACHE_ENDPOINT"] = daemon[1]
    os.environ.setdefault("KCACHE_AUTOSTART", "0")
    worker = Worker(args.timeout)
    stats = {"cases": 0, "inputs": 0, "indeterminate": 0, "findings": 0, "compiled": 0}
    kinds = {}
    errors = {}
    t0 = time.monotonic()
    found = []
    try:
        if args.replay:
            cases = [load_finding(args.replay)]
        elif args.case is not None:
            cases = [generate(args.seed, args.case, args.smoke)]
        else:
            cases = None
        i = 0
        while True:
            if cases is not None:
                if i >= len(cases):
                    break
                case = cases[i]
            else:
                if args.count is not None and i >= args.count:
                    break
                if args.minutes is not None and time.monotonic() - t0 > args.minutes * 60:
                    break
                case = generate(args.seed, i, args.smoke)
            i += 1
            res, oracle, kc = evaluate(case, worker)
            stats["cases"] += 1
            stats["inputs"] += len(case["inputs"])
            stats["indeterminate"] += sum(o[0] == "indeterminate" for o in oracle)
            stats["compiled"] += kc is not None
            if args.verbose or args.replay or args.case is not None:
                print("--- case %s:%s %s" % (case["seed"], case["case"], " ".join(case["features"])))
                print(case["src"])
                for o, a in zip(oracle, case["inputs"]):
                    print("  input %s -> oracle %r" % (lit(a), o[:2]))
                if kc is not None:
                    print("  kcache: %r" % (kc[:2] if kc[0] != "done" else [x[:2] for x in kc[1]],))
            if res is None:
                continue
            kind = res[0][0]
            kinds[kind] = kinds.get(kind, 0) + 1
            stats["findings"] += 1
            print("FINDING %s:%s %s: %s" % (case["seed"], case["case"], kind, res[0][1][:300]), flush=True)
            gist = re.sub(r"[0-9]+", "N", re.sub(r"\S*\.py:[0-9]+:[0-9]+:\s*", "", res[0][1]))[:120]
            errors[gist] = errors.get(gist, 0) + 1
            if errors[gist] > 1 and kind.startswith(("compile", "kcache-error")) and not args.all_findings:
                print("  (the same error as an earlier finding of this run: not written again)")
                continue
            if args.no_write:
                found.append((case, res))
                continue
            m = case
            if not args.no_minimise and kind not in ("hang",):
                try:
                    m = minimise(case, kind, worker, budget_s=args.minimise_seconds)
                except Exception:
                    traceback.print_exc()
                    m = case
                res2, oracle2, kc2 = evaluate(m, worker)
                if _kind_of(res2) != kind:
                    m, res2 = case, res
                path = write_finding(case, res2, oracle2, kc2, m, outdir)
            else:
                path = write_finding(case, res, oracle, kc, m, outdir)
            found.append((case, res))
            print("  -> %s" % path, flush=True)
    finally:
        worker.close()
        if daemon is not None:
            daemon[0].terminate()
            daemon[0].wait(10)
            shutil.rmtree(daemon[2], ignore_errors=True)
    dt = time.monotonic() - t0
    print("difffuzz: seed %s: %d kernels (%d through kcache), %d inputs (%d indeterminate) in %.1f s; %d findings %s" % (
        args.seed, stats["cases"], stats["compiled"], stats["inputs"], stats["indeterminate"], dt, stats["findings"],
        kinds or ""))
    return found


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--seed", default="1")
    p.add_argument("--count", type=int)
    p.add_argument("--minutes", type=float)
    p.add_argument("--case", type=int, help="run only this case of --seed")
    p.add_argument("--replay", help="rerun a finding file")
    p.add_argument("--smoke", action="store_true", help="leave out the constructs of known, reported bugs")
    p.add_argument("--accept", action="append", default=[], choices=sorted(KNOWN) + ["all"],
                   help="accept this known kcache divergence in the oracle (smoke mode accepts all)")
    p.add_argument("--findings", default=str(FINDINGS))
    p.add_argument("--no-minimise", action="store_true")
    p.add_argument("--all-findings", action="store_true", help="write repeated compile errors too")
    p.add_argument("--no-write", action="store_true", help="report findings, write no files")
    p.add_argument("--minimise-seconds", type=float, default=90)
    p.add_argument("--timeout", type=int, default=60, help="seconds for one kernel's compile and calls")
    p.add_argument("--kcached", help="start a private daemon from this binary")
    p.add_argument("-v", "--verbose", action="store_true")
    p.add_argument("--worker", help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    if args.worker:
        worker_main(args.worker)
        return 0
    if args.count is None and args.minutes is None and args.case is None and not args.replay:
        args.count = 100
    if args.replay:
        args.no_write = True
    ACCEPT.update(KNOWN if (args.smoke or "all" in args.accept) else args.accept)
    found = run(args)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
