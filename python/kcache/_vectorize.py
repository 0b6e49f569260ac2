"""`@vectorize`: a scalar kernel turned into an element-wise loop over arrays (a NumPy ufunc).

The element loop is kcache code too: the daemon compiles the scalar function together with a
loop over contiguous 1-D buffers, so LLVM inlines and vectorises it. Broadcasting and strided or
N-d inputs are brought to that form here (contiguous inputs need no copy)."""
import threading

import numpy as np

from . import Dispatcher, KcacheError, Overload, _MISMATCH, _clean_options, _compile, _fast, _ret_of, lib
from ._source import kernel_name
from ._types import Array, dtype_name, is_signature, parse_signature, signature_text

# dtype kinds as NumPy's legacy type resolution orders them (`dtype_kind_to_simplified_ordering`).
_KIND_ORDER = {"b": 0, "u": 1, "i": 1, "f": 2, "c": 2}
# The dtype a weak Python scalar (NEP 50) has when it is typed on its own: int64, float64, complex128.
_WEAK_DTYPE = {"i": np.dtype(np.int64), "f": np.dtype(np.float64), "c": np.dtype(np.complex128)}


def _operand(value):
    """(dtype, weak) of one ufunc input. `weak` is "i", "f" or "c" for a Python int, float or
    complex (NumPy 2's weak scalars, NEP 50), else None: arrays, NumPy scalars and Python bools
    keep their own dtype."""
    if isinstance(value, (np.ndarray, np.generic)):
        return value.dtype, None
    if isinstance(value, bool):
        return np.dtype(np.bool_), None
    if isinstance(value, int):
        return _WEAK_DTYPE["i"], "i"
    if isinstance(value, float):
        return _WEAK_DTYPE["f"], "f"
    if isinstance(value, complex):
        return _WEAK_DTYPE["c"], "c"
    return np.asarray(value).dtype, None


def _use_min_scalar(operands):
    """NumPy's `should_use_min_scalar_weak_literals`: weak scalars take any type of their kind
    unless every input is one, or they are of a higher kind than every array."""
    weak = [_KIND_ORDER["u" if w == "i" else w] for _, w in operands if w]
    strong = [_KIND_ORDER.get(d.kind, 3) for d, w in operands if not w]
    if not strong:
        return False
    return max(strong) >= max(weak, default=-1)


def _loop_accepts(loop_dtypes, operands, min_scalar):
    for want, (dtype, weak) in zip(loop_dtypes, operands):
        if weak and min_scalar:
            # `can_cast_pyscalar_scalar_to`: an int fits any integer or inexact type, a float
            # any inexact one, a complex only complex ones.
            if want.kind not in {"i": "iufc", "f": "fc", "c": "c"}[weak]:
                return False
        elif not np.can_cast(dtype, want, "safe"):
            return False
    return True


def select_loop(loops, operands):
    """The index of the loop NumPy's ufunc type resolution picks for these inputs: the first in
    declaration order that every input casts to safely (`linear_search_type_resolver`, with
    NumPy 2's rules for Python scalars). `loops` holds each loop's input dtypes; None: none fits."""
    min_scalar = _use_min_scalar(operands)
    for k, loop_dtypes in enumerate(loops):
        if _loop_accepts(loop_dtypes, operands, min_scalar):
            return k
    return None


def _loop_source(name, nargs, parallel):
    params = ", ".join("x%d" % i for i in range(nargs))
    items = ", ".join("x%d[i]" % i for i in range(nargs))
    loop = "__kc_vectorize_%s" % name
    # target="parallel": the element loop is a prange, split across the thread pool.
    iterate = "_kc_prange" if parallel else "range"
    text = (
        "\n\nfrom kcache import prange as _kc_prange\n\n"
        "def %s(%s, out):\n"
        "    for i in %s(out.shape[0]):\n"
        "        out[i] = %s(%s)\n" % (loop, params, iterate, name, items)
    )
    return loop, text


class Vectorized(_fast.UfuncBase if _fast is not None else object):
    """A ufunc-like callable: `f(a, b)`, `f(a, b, out)` or `f(a, b, out=out)`. The loop is chosen
    as a NumPy ufunc chooses it: the first declared loop to which every input casts safely.
    With kcache._fast built, the C base runs the common call (same-shape C-contiguous arrays
    whose dtypes the chosen loop takes exactly, out absent or of the loop's output dtype) and
    comes back to `_slow_call` for everything else."""

    # A jitted function that calls this one compiles its Python source with it: element-wise
    # over arrays (the source carries `@vectorize` and the declared loops), directly on scalars.
    __kcache_inline_source__ = True
    __kcache_ufunc__ = True

    def __init__(self, py_func, signatures, options):
        self.py_func = py_func
        self.__name__ = py_func.__name__
        self.__doc__ = py_func.__doc__
        self._options = _clean_options(options)
        self.target = options.get("target", "cpu")
        if self.target not in ("cpu", "parallel"):
            raise ValueError("kcache supports target='cpu' and target='parallel', not %r" % self.target)
        if self.target == "parallel":
            self._options["parallel"] = True
        self.nin = py_func.__code__.co_argcount
        self.nout = 1
        self.nargs = self.nin + 1
        self.loops = []  # (input dtypes, output dtype, Overload)
        self._declared = [signature_text(sig) for sig in signatures]
        self._fast_calls = ()  # (the loop's C call path, output dtype), in the order of self.loops
        self._lock = threading.Lock()
        for sig in signatures:
            ret, args = parse_signature(sig)
            if ret is None or any(a.kind != "scalar" for a in args) or ret.kind != "scalar":
                raise TypeError("@vectorize signatures take and return scalars: %r" % (sig,))
            if len(args) != self.nin:
                raise TypeError("%s takes %d arguments, but the signature %r has %d" % (
                    self.__name__, self.nin, str(sig), len(args)))
            self._add_loop([a.dtype_name for a in args], ret.dtype_name)

    def _add_loop(self, in_dtypes, out_dtype):
        loop_name, extra = _loop_source(kernel_name(self.py_func), len(in_dtypes), self.target == "parallel")
        if out_dtype is None:
            # Lazy: the scalar kernel's inferred return type gives the output dtype.
            handle = _compile(self.py_func, Dispatcher, kernel_name(self.py_func), "(%s)" % ", ".join(in_dtypes), self._options)
            out_dtype = _ret_of(handle)
            lib.kc_kernel_free(handle)
            if out_dtype is None:
                raise TypeError("%s returns nothing; a vectorized function must return a scalar" % self.__name__)
        sig = "void(%s, %s[::1])" % (", ".join("%s[::1]" % d for d in in_dtypes), out_dtype)
        handle = _compile(self.py_func, Dispatcher, loop_name, sig, self._options, extra_source=extra)
        argtypes = [Array(d, 1, "C") for d in in_dtypes] + [Array(out_dtype, 1, "C")]
        overload = Overload(handle, argtypes, None)
        overload.enable_fast_path(exact=False)
        loop = (tuple(np.dtype(d if d != "bool" else np.bool_) for d in in_dtypes), np.dtype(out_dtype if out_dtype != "bool" else np.bool_), overload)
        self.loops.append(loop)
        if overload.fast is not None:
            self._fast_calls = self._fast_calls + ((overload.fast, loop[1]),)
        return loop

    @property
    def types(self):
        return ["".join(d.char for d in ins) + "->" + out.char for ins, out, _ in self.loops]

    @property
    def ntypes(self):
        return len(self.loops)

    def _select(self, operands):
        k = select_loop([loop[0] for loop in self.loops], operands)
        return None if k is None else self.loops[k]

    if _fast is None:
        def __call__(self, *args, out=None):
            return self._slow_call(*args, out=out)

    def _slow_call(self, *args, out=None):
        if len(args) == self.nin + 1:
            # NumPy's positional output: f(x, y, out).
            if out is not None:
                raise TypeError("cannot specify 'out' as both a positional and keyword argument")
            args, out = args[:-1], args[-1]
        if len(args) != self.nin:
            raise TypeError("%s() takes %d arguments (%d given)" % (self.__name__, self.nin, len(args)))
        if isinstance(out, tuple) and len(out) == 1:
            out = out[0]
        if out is not None:
            if not isinstance(out, np.ndarray):
                raise TypeError("%s(): out must be an array, got %s" % (self.__name__, type(out).__name__))
            if not out.flags.writeable:
                raise ValueError("output array is read-only")
        operands = [_operand(a) for a in args]
        loop = self._select(operands)
        if loop is None:
            with self._lock:
                loop = self._select(operands)
                if loop is None:
                    if self.loops and self._eager_only():
                        raise TypeError("ufunc %r not supported for the input types %s" % (
                            self.__name__, [str(d) for d, _ in operands]))
                    if any(w == "c" or d.kind == "c" for d, w in operands):
                        raise TypeError("%s: kcache has no complex numbers" % self.__name__)
                    # Lazy: a loop for the inputs' own types, Python int and float as int64 and
                    # float64 (as Numba's DUFunc compiles them).
                    loop = self._add_loop([dtype_name(d) for d, _ in operands], None)
        in_dtypes, out_dtype, kernel = loop
        if out is not None and not np.can_cast(out_dtype, out.dtype, "same_kind"):
            raise TypeError("Cannot cast ufunc %r output from %r to %r with casting rule 'same_kind'" % (
                self.__name__, out_dtype, out.dtype))
        # Python scalars become 0-d arrays of the loop's type; an int out of its range raises
        # OverflowError, as in NumPy 2.
        arrays = [np.asarray(a, dtype=t) if w else np.asarray(a) for a, (_, w), t in zip(args, operands, in_dtypes)]
        shape = np.broadcast_shapes(*[a.shape for a in arrays])
        flat = [np.ascontiguousarray(np.broadcast_to(a, shape), dtype=t).reshape(-1) for a, t in zip(arrays, in_dtypes)]
        direct = out is not None and out.shape == shape and out.dtype == out_dtype and out.flags.c_contiguous
        result = out if direct else np.empty(shape, dtype=out_dtype)
        if kernel.fast is not None:
            if kernel.fast(*flat, result.reshape(-1)) is _MISMATCH:
                raise KcacheError("%s: the loop refused its own arguments" % self.__name__)
        else:
            kernel(flat + [result.reshape(-1)])
        if out is not None and not direct:
            out[...] = result
            result = out
        if out is None and result.ndim == 0:
            return result[()]
        return result

    def _eager_only(self):
        return getattr(self, "_eager", False)

    def __repr__(self):
        return "<kcache.vectorize %s>" % self.__name__


def vectorize(signatures=None, target="cpu", **options):
    """Numba's @vectorize: `@vectorize(["float64(float64)", "float32(float32)"])`, or bare
    `@vectorize` / `@vectorize()` to compile per input dtype on first use."""
    if callable(signatures) and not is_signature(signatures):
        return Vectorized(signatures, [], {})
    sigs = [signatures] if is_signature(signatures) else list(signatures or [])

    def wrap(func):
        v = Vectorized(func, sigs, dict(options, target=target) if target != "cpu" else options)
        v._eager = bool(sigs)
        return v

    return wrap
