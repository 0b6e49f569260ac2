"""`@vectorize`: a scalar kernel turned into an element-wise loop over arrays (a NumPy ufunc).

The element loop is kcache code too: the daemon compiles the scalar function together with a
loop over contiguous 1-D buffers, so LLVM inlines and vectorises it. Broadcasting and strided or
N-d inputs are brought to that form here (contiguous inputs need no copy)."""
import threading

import numpy as np

from . import Dispatcher, KcacheError, Overload, _MISMATCH, _clean_options, _compile, _fast, _ret_of, lib
from ._types import parse_signature


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
    """A ufunc-like callable: `f(a, b, out=None)`. With kcache._fast built, the C base runs the
    common call (same-shape C-contiguous arrays whose dtypes a loop takes exactly, out= absent or
    fitting) and comes back to `_slow_call` for everything else."""

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
        self.loops = []  # (input dtypes, output dtype, Overload)
        self._fast_calls = ()  # (the loop's C call path, output dtype), in the order of self.loops
        self._lock = threading.Lock()
        for sig in signatures:
            ret, args = parse_signature(sig)
            if ret is None or any(a.kind != "scalar" for a in args) or ret.kind != "scalar":
                raise TypeError("@vectorize signatures take and return scalars: %r" % sig)
            self._add_loop([a.dtype for a in args], ret.dtype)

    def _add_loop(self, in_dtypes, out_dtype):
        loop_name, extra = _loop_source(self.__name__, len(in_dtypes), self.target == "parallel")
        if out_dtype is None:
            # Lazy: the scalar kernel's inferred return type gives the output dtype.
            handle = _compile(self.py_func, Dispatcher, self.__name__, "(%s)" % ", ".join(in_dtypes), self._options)
            out_dtype = _ret_of(lib.kc_kernel_signature(handle).decode())
            lib.kc_kernel_free(handle)
            if out_dtype is None:
                raise TypeError("%s returns nothing; a vectorized function must return a scalar" % self.__name__)
        sig = "void(%s, %s[::1])" % (", ".join("%s[::1]" % d for d in in_dtypes), out_dtype)
        handle = _compile(self.py_func, Dispatcher, loop_name, sig, self._options, extra_source=extra)
        from ._types import Array
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

    def _select(self, dtypes):
        for loop in self.loops:
            if all(a == b for a, b in zip(dtypes, loop[0])):
                return loop
        for loop in self.loops:
            if all(np.can_cast(a, b, "safe") for a, b in zip(dtypes, loop[0])):
                return loop
        return None

    if _fast is None:
        def __call__(self, *args, out=None):
            return self._slow_call(*args, out=out)

    def _slow_call(self, *args, out=None):
        if len(args) != self.nin:
            raise TypeError("%s() takes %d arguments (%d given)" % (self.__name__, self.nin, len(args)))
        if isinstance(out, tuple) and len(out) == 1:
            out = out[0]
        if out is not None:
            if not isinstance(out, np.ndarray):
                raise TypeError("%s(): out= must be an array, got %s" % (self.__name__, type(out).__name__))
            if not out.flags.writeable:
                raise ValueError("output array is read-only")
        arrays = [np.asarray(a) for a in args]
        # Python scalars take the smallest fitting NumPy type, as ufunc dispatch does for 0-d values.
        dtypes = [np.result_type(a) if isinstance(a, (int, float, bool)) else arr.dtype for a, arr in zip(args, arrays)]
        loop = self._select(dtypes)
        if loop is None:
            with self._lock:
                loop = self._select(dtypes)
                if loop is None:
                    if self.loops and self._eager_only():
                        raise TypeError("ufunc %r not supported for the input types %s" % (self.__name__, [str(d) for d in dtypes]))
                    loop = self._add_loop([str(d) if d != np.bool_ else "bool" for d in dtypes], None)
        in_dtypes, out_dtype, kernel = loop
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
    if callable(signatures):
        return Vectorized(signatures, [], {})
    sigs = [signatures] if isinstance(signatures, str) else list(signatures or [])

    def wrap(func):
        v = Vectorized(func, sigs, dict(options, target=target) if target != "cpu" else options)
        v._eager = bool(sigs)
        return v

    return wrap
