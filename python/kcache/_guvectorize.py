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
    names (or fixed sizes) per argument. A layout without "->" ("(n),(n),(m)") has no outputs,
    as in Numba: every argument is an input, and the kernel writes into some of them."""
    if not isinstance(layout, str) or layout.count("->") > 1:
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

    ins, _, outs = layout.replace(" ", "").partition("->")
    ins, outs = groups(ins), groups(outs)
    if not ins:
        raise ValueError("the gufunc layout %r has no input" % layout)
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
    signature to which every input casts safely. `axis=` and `axes=` say which axes of the
    operands are their core dimensions (NumPy's gufunc keywords; by default the last ones).

    An input the kernel writes (a layout without outputs, "(n),(m)") is written in place, as
    NumPy passes it: the caller's array gets the values where it has the loop's dtype (a cast
    copy's values are dropped unless the argument is in `writable_args`, Numba's option)."""

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
        writable = options.pop("writable_args", ()) or ()
        names = py_func.__code__.co_varnames[:py_func.__code__.co_argcount]
        self.writable_args = frozenset(names.index(w) if isinstance(w, str) else int(w) for w in writable)
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

    def _axes(self, axis, axes):
        """Per operand (inputs, then outputs), the tuple of its axes that are its core
        dimensions (NumPy's `axis=`/`axes=`); None where the core dimensions are the last ones."""
        cores = self.core_in + self.core_out
        if axis is not None:
            if axes is not None:
                raise TypeError("cannot specify both 'axis' and 'axes'")
            distinct = {d for c in cores for d in c}
            if len(distinct) != 1:
                raise TypeError("%s: axis can only be used with a single shared core dimension, not with the %d "
                                "distinct ones implied by signature %s." % (self.__name__, len(distinct), self.layout))
            axis = _index(axis, "axis")
            return [(axis,) if c else () for c in cores]
        if axes is None:
            return None
        if not isinstance(axes, (list, tuple)):
            raise TypeError("axes should be a list.")
        axes = list(axes)
        if len(axes) == self.nin and all(not c for c in self.core_out):
            axes += [()] * self.nout  # outputs without core dimensions may be left out
        if len(axes) != self.nargs:
            raise ValueError("The 'axes' keyword argument should be a list with %d entries (or %d when the outputs "
                             "have no core dimensions), got %d" % (self.nargs, self.nin, len(axes)))
        out = []
        for k, (entry, core) in enumerate(zip(axes, cores)):
            if not isinstance(entry, (tuple, list)):
                entry = (entry,)
            entry = tuple(_index(a, "axes") for a in entry)
            if len(entry) != len(core):
                raise ValueError("%s: axes item %d should be a tuple with a number of entries equal to the number of "
                                 "core dimensions (%d), got %d" % (self.__name__, k, len(core), len(entry)))
            out.append(entry)
        return out

    def __call__(self, *args, out=None, axis=None, axes=None):
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
        core_axes = self._axes(axis, axes)
        operands = [_operand(a) for a in args]
        k = select_loop([loop[0] for loop in self.loops], operands)
        if k is None:
            raise TypeError("%s: no signature takes the input types %s" % (self.__name__, [str(d) for d, _ in operands]))
        in_dtypes, out_dtypes, kernel = self.loops[k]
        inputs = [np.asarray(a, dtype=t) if w else np.asarray(a) for a, (_, w), t in zip(args, operands, in_dtypes)]
        # What an input the kernel writes is written into: the caller's array (a view of it with
        # the core axes last), where it has the loop's dtype or is in writable_args.
        targets = [a if (k in kernel.written and isinstance(a, np.ndarray) and a.flags.writeable
                         and (a.dtype == t or k in self.writable_args)) else None
                   for k, (a, t) in enumerate(zip(args, in_dtypes))]
        given = [o for o in outs if o is not None]
        for o in given:
            if not isinstance(o, np.ndarray):
                raise TypeError("%s(): outputs must be arrays, got %s" % (self.__name__, type(o).__name__))
            if not o.flags.writeable:
                raise ValueError("output array is read-only")
        out_views = list(outs)
        if core_axes is not None:
            inputs = [_core_last(a, ax, self.__name__) for a, ax in zip(inputs, core_axes)]
            targets = [None if a is None else _core_last(a, ax, self.__name__) for a, ax in zip(targets, core_axes)]
            out_views = [None if o is None else _core_last(o, ax, self.__name__)
                         for o, ax in zip(outs, core_axes[self.nin:])]
        sizes = {}
        loop_shapes = self._bind(inputs, self.core_in, sizes, "input")
        given_views = [o for o in out_views if o is not None]
        out_loops = self._bind(given_views, [c for c, o in zip(self.core_out, out_views) if o is not None], sizes, "output")
        loop_shape = np.broadcast_shapes(*loop_shapes, *out_loops)
        for shape in out_loops:
            if shape != loop_shape:
                raise ValueError("%s: an output's loop dimensions %s are not the broadcast shape %s" % (
                    self.__name__, shape, loop_shape))
        count = int(np.prod(loop_shape, dtype=np.int64))
        flat, writebacks = [], []
        for k, (a, core, t) in enumerate(zip(inputs, self.core_in, in_dtypes)):
            core_shape = a.shape[a.ndim - len(core):]
            if k in kernel.written:
                target = targets[k]
                if (target is not None and target.shape[:target.ndim - len(core)] == loop_shape
                        and target.dtype == t and target.flags.c_contiguous):
                    flat.append(target.reshape((count,) + core_shape))  # written in place
                    continue
                # A writable copy: the kernel's writes go back to the caller's array where
                # NumPy's would reach it (not across a broadcast, nor into a cast copy).
                copy = np.array(np.broadcast_to(a, loop_shape + core_shape), dtype=t, order="C")
                if target is not None and target.shape[:target.ndim - len(core)] == loop_shape:
                    writebacks.append((target, copy))
                flat.append(copy.reshape((count,) + core_shape))
                continue
            full = np.broadcast_to(a, loop_shape + core_shape)
            flat.append(np.ascontiguousarray(full, dtype=t).reshape((count,) + core_shape))
        results, temps = [], []
        for o, core, t in zip(out_views, self.core_out, out_dtypes):
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
        for target, copy in writebacks:
            np.copyto(target, copy, casting="unsafe")
        final = []
        for k, (o, r) in enumerate(zip(outs, results)):
            if o is None and core_axes is not None:
                # An allocated output with its core axes where `axes` puts them.
                r = _core_back(r, core_axes[self.nin + k])
            final.append(o if o is not None else r)
        if self.nout == 0:
            return ()  # what NumPy returns for a ufunc without outputs
        if self.nout == 1:
            return final[0]
        return tuple(final)

    def __repr__(self):
        return "<kcache.guvectorize %s %s>" % (self.__name__, self.layout)


def _index(value, what):
    try:
        return int(value.__index__())
    except (AttributeError, TypeError):
        raise TypeError("%s must be an integer (or a tuple of them), not %r" % (what, value)) from None


def _core_last(a, axes, name):
    """`a` with the axes `axes` (its core dimensions, in order) moved to the end."""
    if not axes:
        return a
    a = np.asarray(a) if not isinstance(a, np.ndarray) else a
    n = a.ndim
    if n < len(axes):
        raise ValueError("%s: an operand has %d dimensions, fewer than its %d core dimensions" % (name, n, len(axes)))
    normal = []
    for ax in axes:
        if not -n <= ax < n:
            raise getattr(np, "exceptions", np).AxisError(ax, n)
        normal.append(ax % n)
    if len(set(normal)) != len(normal):
        raise ValueError("%s: axes %s name one axis twice" % (name, tuple(axes)))
    return np.moveaxis(a, normal, list(range(n - len(axes), n)))


def _core_back(r, axes):
    """An allocated output (core dimensions last) with its core dimensions moved to `axes`."""
    if not axes:
        return r
    n = r.ndim
    return np.moveaxis(r, list(range(n - len(axes), n)), [ax % n for ax in axes])


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
