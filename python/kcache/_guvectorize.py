"""`@guvectorize`: a kernel over core dimensions ("(n),(n)->()"), looped over the outer
(broadcast) dimensions of its arguments, as a NumPy generalized ufunc.

The outer loop is kcache code too: the daemon compiles the kernel together with a loop that
calls it on views of the arguments (`a[i]`, `out[i:i + 1]`), so the kernel is inlined and no
Python runs per element. Broadcasting and strided inputs are brought to that form here: each
argument becomes a C-contiguous array of shape (loop count,) + its core shape."""
import re
import threading

import numpy as np

from . import Dispatcher, KcacheError, Overload, _clean_options, _compile
from ._source import kernel_name
from ._types import Array, is_signature, parse_signature
from ._vectorize import _operand, select_loop

_GROUP = re.compile(r"\(([^()]*)\)")
_DIM = re.compile(r"^(?:[A-Za-z_][A-Za-z0-9_]*|\d+)$")


def parse_layout(layout):
    """([input core dims], [output core dims]) of "(m,n),(n,p)->(m,p)": a tuple of dimension
    names (or fixed sizes) per argument."""
    if not isinstance(layout, str) or layout.count("->") != 1:
        raise ValueError("a gufunc layout looks like '(n),(n)->()', not %r" % (layout,))

    def groups(text):
        found = _GROUP.findall(text)
        if ",".join("(%s)" % g for g in found) != text:
            raise ValueError("cannot parse the gufunc layout %r" % layout)
        dims = [tuple(d for d in g.split(",") if d) for g in found]
        for d in (d for g in dims for d in g):
            if not _DIM.match(d):
                raise ValueError("bad dimension %r in the gufunc layout %r" % (d, layout))
        return dims

    ins, outs = layout.replace(" ", "").split("->")
    ins, outs = groups(ins), groups(outs)
    if not outs:
        raise ValueError("the gufunc layout %r has no output" % layout)
    known = {d for g in ins for d in g}
    for d in (d for g in outs for d in g):
        if not d.isdigit() and d not in known:
            raise ValueError("output dimension %r of %r is not an input's (kcache cannot size it)" % (d, layout))
    return ins, outs


def _loop_source(name, passes, parallel):
    """The outer loop: `passes[k]` says how argument k reaches the kernel ("item": `a[i]`, a
    scalar or a view of one less dimension; "slice": `a[i:i + 1]`, a 1-element array)."""
    params = ", ".join("a%d" % k for k in range(len(passes)))
    items = ", ".join(("a%d[i]" if p == "item" else "a%d[i:i + 1]") % k for k, p in enumerate(passes))
    loop = "__kc_guvectorize_%s" % name
    iterate = "_kc_prange" if parallel else "range"
    text = (
        "\n\nfrom kcache import prange as _kc_prange\n\n"
        "def %s(%s):\n"
        "    for i in %s(a0.shape[0]):\n"
        "        %s(%s)\n" % (loop, params, iterate, name, items)
    )
    return loop, text


def _dtype(name):
    return np.dtype(np.bool_ if name == "bool" else name)


class GUFunc:
    """A generalized ufunc: `f(x, y)` allocates and returns the outputs, `f(x, y, out)` or
    `f(x, y, out=out)` fills them. The loop is chosen as NumPy chooses one: the first declared
    signature to which every input casts safely."""

    def __init__(self, py_func, signatures, layout, options):
        self.py_func = py_func
        self.__name__ = py_func.__name__
        self.__doc__ = py_func.__doc__
        self.layout = layout
        self.core_in, self.core_out = parse_layout(layout)
        self.nin, self.nout = len(self.core_in), len(self.core_out)
        self.nargs = self.nin + self.nout
        if py_func.__code__.co_argcount != self.nargs:
            raise TypeError("%s takes %d arguments, but the layout %r has %d" % (
                self.__name__, py_func.__code__.co_argcount, layout, self.nargs))
        self.target = options.pop("target", "cpu")
        if self.target not in ("cpu", "parallel"):
            raise ValueError("kcache supports target='cpu' and target='parallel', not %r" % self.target)
        self._options = _clean_options(options)
        if self.target == "parallel":
            self._options["parallel"] = True
        self.loops = []  # (input dtypes, output dtypes, Overload, ndims of the wrapper's arrays)
        self._lock = threading.Lock()
        if not signatures:
            raise TypeError("@guvectorize needs signatures, e.g. ['void(float64[:], float64[:])']")
        for sig in signatures:
            self._add_loop(sig)

    def _add_loop(self, sig):
        ret, args = parse_signature(sig)
        if ret is not None:
            raise TypeError("a @guvectorize kernel returns nothing (void) and writes its outputs: %r" % (sig,))
        if len(args) != self.nargs:
            raise TypeError("the signature %r has %d arguments; the layout %r has %d" % (
                str(sig), len(args), self.layout, self.nargs))
        passes, wrapped = [], []
        for k, (t, core) in enumerate(zip(args, self.core_in + self.core_out)):
            output = k >= self.nin
            ndim = t.ndim if t.kind == "array" else 0
            if t.kind not in ("array", "scalar"):
                raise TypeError("argument %d of %r is neither a scalar nor an array" % (k, str(sig)))
            if output and t.kind != "array":
                raise TypeError("output %d of %r must be an array (a scalar output is written as "
                                "out[0])" % (k - self.nin, str(sig)))
            if ndim == len(core):
                passes.append("item")
            elif ndim == 1 and not core:
                passes.append("slice")
            else:
                raise TypeError("argument %d of %r has %d dimensions but its layout %r has %d" % (
                    k, str(sig), ndim, "(%s)" % ",".join(core), len(core)))
            wrapped.append(len(core) + 1)
        name = kernel_name(self.py_func)
        loop, extra = _loop_source(name, passes, self.target == "parallel")
        wrapper_types = [Array(t.dtype_name, n, "C") for t, n in zip(args, wrapped)]
        wrapper_sig = "void(%s)" % ", ".join(w.numba() for w in wrapper_types)
        handle = _compile(self.py_func, Dispatcher, loop, wrapper_sig, self._options, extra_source=extra)
        dtypes = [_dtype(t.dtype_name) for t in args]
        self.loops.append((tuple(dtypes[:self.nin]), tuple(dtypes[self.nin:]), Overload(handle, wrapper_types, None)))

    @property
    def types(self):
        return ["".join(d.char for d in ins) + "->" + "".join(d.char for d in outs) for ins, outs, _ in self.loops]

    @property
    def ntypes(self):
        return len(self.loops)

    def _bind(self, arrays, cores, sizes, what):
        """Splits each array's shape into loop and core dimensions, binding the core names."""
        loop_shapes = []
        for k, (a, core) in enumerate(zip(arrays, cores)):
            if a.ndim < len(core):
                raise ValueError("%s: %s %d has %d dimensions, its core %r needs %d" % (
                    self.__name__, what, k, a.ndim, "(%s)" % ",".join(core), len(core)))
            split = a.ndim - len(core)
            for d, n in zip(core, a.shape[split:]):
                want = int(d) if d.isdigit() else sizes.setdefault(d, n)
                if n != want:
                    raise ValueError("%s: %s %d has a mismatch in its core dimension %r: %d, expected %d" % (
                        self.__name__, what, k, d, n, want))
            loop_shapes.append(a.shape[:split])
        return loop_shapes

    def __call__(self, *args, out=None):
        if len(args) == self.nargs:
            if out is not None:
                raise TypeError("cannot specify 'out' as both a positional and keyword argument")
            args, outs = args[:self.nin], list(args[self.nin:])
        elif len(args) == self.nin:
            outs = [None] * self.nout if out is None else list(out if isinstance(out, tuple) else (out,))
        else:
            raise TypeError("%s() takes %d or %d arguments (%d given)" % (self.__name__, self.nin, self.nargs, len(args)))
        if len(outs) != self.nout:
            raise TypeError("%s() has %d outputs, %d given" % (self.__name__, self.nout, len(outs)))
        operands = [_operand(a) for a in args]
        k = select_loop([loop[0] for loop in self.loops], operands)
        if k is None:
            raise TypeError("%s: no signature takes the input types %s" % (self.__name__, [str(d) for d, _ in operands]))
        in_dtypes, out_dtypes, kernel = self.loops[k]
        inputs = [np.asarray(a, dtype=t) if w else np.asarray(a) for a, (_, w), t in zip(args, operands, in_dtypes)]
        sizes = {}
        loop_shapes = self._bind(inputs, self.core_in, sizes, "input")
        given = [o for o in outs if o is not None]
        for o in given:
            if not isinstance(o, np.ndarray):
                raise TypeError("%s(): outputs must be arrays, got %s" % (self.__name__, type(o).__name__))
            if not o.flags.writeable:
                raise ValueError("output array is read-only")
        out_loops = self._bind([o for o in outs if o is not None],
                               [c for c, o in zip(self.core_out, outs) if o is not None], sizes, "output")
        loop_shape = np.broadcast_shapes(*loop_shapes, *out_loops)
        for o, shape in zip(given, out_loops):
            if shape != loop_shape:
                raise ValueError("%s: an output's loop dimensions %s are not the broadcast shape %s" % (
                    self.__name__, shape, loop_shape))
        count = int(np.prod(loop_shape, dtype=np.int64))
        flat = []
        for a, core, t in zip(inputs, self.core_in, in_dtypes):
            core_shape = a.shape[a.ndim - len(core):]
            full = np.broadcast_to(a, loop_shape + core_shape)
            flat.append(np.ascontiguousarray(full, dtype=t).reshape((count,) + core_shape))
        results, temps = [], []
        for o, core, t in zip(outs, self.core_out, out_dtypes):
            core_shape = tuple(int(d) if d.isdigit() else sizes[d] for d in core)
            if o is not None and o.dtype == t and o.flags.c_contiguous:
                result = o
            else:
                if o is not None and not np.can_cast(t, o.dtype, "same_kind"):
                    raise TypeError("Cannot cast %r output from %r to %r with casting rule 'same_kind'" % (
                        self.__name__, t, o.dtype))
                result = np.zeros(loop_shape + core_shape, dtype=t)
                if o is not None:
                    temps.append((o, result))
            results.append(result)
            flat.append(result.reshape((count,) + core_shape))
        if count:
            kernel(flat)
        for o, result in temps:
            o[...] = result
        final = [o if o is not None else r for o, r in zip(outs, results)]
        if self.nout == 1:
            return final[0]
        return tuple(final)

    def __repr__(self):
        return "<kcache.guvectorize %s %s>" % (self.__name__, self.layout)


def guvectorize(signatures, layout, target="cpu", **options):
    """Numba's @guvectorize: `@guvectorize(["void(float64[:], float64, float64[:])"], "(n),()->(n)")`.
    The kernel writes its outputs (a scalar output `()` is declared `float64[:]` and written as
    `out[0]`); kcache compiles the outer loop over the broadcast dimensions with it."""
    if callable(signatures) and not is_signature(signatures):
        raise TypeError("@guvectorize needs its signatures and layout: @guvectorize([...], '(n)->()')")
    sigs = [signatures] if is_signature(signatures) else list(signatures or [])

    def wrap(func):
        return GUFunc(func, sigs, layout, dict(options, target=target))

    return wrap


__all__ = ["guvectorize", "GUFunc", "parse_layout", "KcacheError"]
