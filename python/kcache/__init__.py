"""kcache: Numba's decorators, backed by the shared kcache daemon.

    from kcache import njit, prange, vectorize     # was: from numba import ...

Kernels are compiled once by kcached and every later process loads the stored machine code.
"""
import builtins
import ctypes
import functools
import os
import re
import time
import types as _pytypes
from _thread import allocate_lock  # not threading: NumPy does not import it, and it costs ~1 ms

import numpy as np

from . import _lib
from ._lib import lib, last_error
from ._source import KernelSource, Segment, gather, kernel_name
from ._types import Array, Scalar, Signature, from_dtype, is_signature, parse_signature, signature_text, typeof
from ._types import PROMOTE, SAFE, UNSAFE, conversion_rank
from ._types import Optional, expand_optional, optional, split_signature  # noqa: F401  (numba.optional)
from ._types import (  # noqa: F401  (Numba's type names: `from kcache import float64, int32, void`)
    b1, bool_, boolean, byte, c8, c16, cdouble, char, complex64, complex128, complex_, csingle, double, f4, f8, float32, float64, i1, i2, i4, i8, int8, int16, int32, int64,
    int_, intc, intp, long_, longlong, none, short, size_t, ssize_t, u1, u2, u4, u8, uchar, uint, uint8, uint16,
    uint32, uint64, uintc, uintp, ulong, ulonglong, ushort, void)

try:  # the call path in C (built by `make` or `pip install`); ctypes otherwise
    from . import _fast
except ImportError:  # pragma: no cover - exercised where no C compiler was available
    _fast = None

__version__ = "0.1.0"
__all__ = ["njit", "jit", "vectorize", "guvectorize", "stencil", "prange", "literal_unroll", "stats", "set_num_threads", "get_num_threads", "TypingError",
           "KcacheError", "DaemonUnavailable", "typeof", "from_dtype", "types", "typed", "config"]


def set_num_threads(n):
    """Threads that parallel kernels (prange, parallel=True) use in this process."""
    if int(n) < 1:
        raise ValueError("the number of threads must be at least 1")
    from . import config  # noqa: F401  (it reads the pool's default count, which this changes)

    lib.kc_set_num_threads(int(n))


def get_num_threads():
    return lib.kc_get_num_threads()


# Called from a kernel, the kernel asks its own runtime (not this function's source).
get_num_threads.__kcache_builtin__ = "get_num_threads"


class KcacheError(RuntimeError):
    """A failure inside kcache or kcached."""


class TypingError(Exception):
    """The kernel source was rejected: syntax, types, unsupported constructs (Numba's TypingError)."""


class DaemonUnavailable(ConnectionError):
    """kcached could not be reached (or started)."""


def prange(*args):
    """Numba's prange: a range whose iterations may run in parallel (`parallel=True`)."""
    return range(*args)


prange.__kcache_prange__ = True


def literal_unroll(container):
    """Numba's literal_unroll: in a kernel, `for x in literal_unroll(t)` runs the body once per
    item of the tuple `t`, each with the item's own type; in Python it is the container."""
    return container


literal_unroll.__kcache_builtin__ = "literal_unroll"

_MISMATCH = _fast.MISMATCH if _fast is not None else object()

_client_lock = allocate_lock()
_client = None


def _find_daemon():
    env = os.environ.get("KCACHE_DAEMON")
    if env:
        return env
    beside = os.path.join(os.path.dirname(_lib.LIB_PATH), "kcached")
    if os.path.exists(beside):
        return beside
    import shutil  # here, not at the top: `import kcache` stays a few milliseconds

    return shutil.which("kcached")


def _start_daemon():
    exe = _find_daemon()
    if not exe:
        return False
    import subprocess

    cache = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    log_dir = os.path.join(cache, "kcache")
    os.makedirs(log_dir, exist_ok=True)
    with open(os.path.join(log_dir, "kcached.log"), "ab") as log:
        subprocess.Popen([exe], stdin=subprocess.DEVNULL, stdout=log, stderr=log, start_new_session=True, close_fds=True)
    return True


def _connect():
    handle = ctypes.c_void_p()
    status = lib.kc_connect(None, ctypes.byref(handle))
    if status == _lib.KC_OK:
        return handle
    message = last_error()
    autostart = os.environ.get("KCACHE_AUTOSTART", "1") != "0" and not os.environ.get("KCACHE_ENDPOINT")
    if status == _lib.KC_ERR_CONNECT and " is not trusted: " in message:
        # Something answers at the endpoint but it is not our daemon (another user's, say):
        # starting ours cannot help, and would only wait for it to refuse that directory too.
        raise DaemonUnavailable(message)
    if status == _lib.KC_ERR_CONNECT and autostart and _start_daemon():
        deadline = time.monotonic() + 15.0
        delay = 0.01
        while time.monotonic() < deadline:
            time.sleep(delay)
            delay = min(delay * 2, 0.2)
            if lib.kc_connect(None, ctypes.byref(handle)) == _lib.KC_OK:
                return handle
        message = last_error()
    raise DaemonUnavailable(
        "%s\nStart the daemon with `kcached` (or `make run`), or point KCACHE_ENDPOINT at a running one." % message)


def _get_client():
    global _client
    if _client is None:
        with _client_lock:
            if _client is None:
                _client = _connect()
    return _client


def stats():
    """The daemon's counters and store usage, as a dict."""
    out = ctypes.c_void_p()
    if lib.kc_stats_json(_get_client(), ctypes.byref(out)) != _lib.KC_OK:
        raise KcacheError(last_error())
    try:
        import json

        return json.loads(ctypes.string_at(out.value).decode())
    finally:
        lib.kc_string_free(out)


def _compile_error(status, message, source):
    if status == _lib.KC_ERR_SOURCE:
        m = re.match(r"^(\d+):(\d+): (.*)$", message, re.S)
        if m and source is not None:
            where = source.locate(int(m.group(1)), int(m.group(2)))
            if where:
                return TypingError("%s:%d:%d: %s" % (where[0], where[1], where[2], m.group(3)))
        return TypingError(message)
    if status == _lib.KC_ERR_INVALID:
        return ValueError(message)
    if status == _lib.KC_ERR_CONNECT:
        return DaemonUnavailable(message)
    return KcacheError(message)


def _runtime_error(message):
    name, _, text = message.partition(": ")
    if name == "LinAlgError":
        import numpy.linalg

        return numpy.linalg.LinAlgError(text)
    exc = getattr(builtins, name, None)
    if isinstance(exc, type) and issubclass(exc, Exception):
        return exc(text)
    return KcacheError(message)


class _ComplexStruct(ctypes.Structure):
    """A complex number as C stores it: real part, then imaginary part."""

    def __init__(self, value=0j):
        value = complex(value)
        super().__init__(value.real, value.imag)

    @property
    def value(self):
        return complex(self.re, self.im)


class _Complex64(_ComplexStruct):
    _fields_ = [("re", ctypes.c_float), ("im", ctypes.c_float)]


class _Complex128(_ComplexStruct):
    _fields_ = [("re", ctypes.c_double), ("im", ctypes.c_double)]


_CTYPES = {
    "bool": ctypes.c_bool, "int8": ctypes.c_int8, "int16": ctypes.c_int16, "int32": ctypes.c_int32,
    "int64": ctypes.c_int64, "uint8": ctypes.c_uint8, "uint16": ctypes.c_uint16, "uint32": ctypes.c_uint32,
    "uint64": ctypes.c_uint64, "float32": ctypes.c_float, "float64": ctypes.c_double,
    "complex64": _Complex64, "complex128": _Complex128,
}
# Complex scalars go through ctypes: the C call path (kcache._fast) passes real numbers only.
_COMPLEX = ("complex64", "complex128")
_FLOATS = ("float32", "float64") + _COMPLEX


# The fast path's codes for an array result and a struct one (kcache/_fast.c's RET_ARRAY,
# RET_STRUCT), and a struct's item kinds (R_SCALAR, ...).
_FAST_RET_ARRAY = 100
_FAST_RET_STRUCT = 101
_R_SCALAR, _R_ARRAY, _R_TUPLE, _R_OPTIONAL = range(4)


def _struct_items(spec, ctype):
    """A tuple or Optional result as the C call path decodes it: (kind, dtype, count, span,
    offset) in prefix order, offsets from ctypes' layout of the struct; None where that path
    does not decode it (a list, too many items, too large)."""
    items = []

    def add(spec, ctype, offset):
        at = len(items)
        if spec == "array":
            items.append((_R_ARRAY, 0, 0, 1, offset))
        elif isinstance(spec, _Optional):
            items.append((_R_OPTIONAL, 0, 0, 0, offset + ctype.has_value.offset))
            add(spec.item, ctype.value.ctype if hasattr(ctype.value, "ctype") else _result_ctype(spec.item),
                offset + ctype.value.offset)
        elif isinstance(spec, tuple):
            items.append((_R_TUPLE, 0, len(spec), 0, offset))
            for i, item in enumerate(spec):
                add(item, _result_ctype(item), offset + getattr(ctype, "f%d" % i).offset)
        elif isinstance(spec, str) and spec in _lib.DTYPE_CODES:
            items.append((_R_SCALAR, _lib.DTYPE_CODES[spec], 0, 1, offset))
        else:
            raise LookupError(spec)
        kind, dtype, count, _, off = items[at]
        items[at] = (kind, dtype, count, len(items) - at, off)

    try:
        add(spec, ctype, 0)
    except LookupError:
        return None
    if len(items) > 64 or ctypes.sizeof(ctype) > 4096:
        return None
    return items


@functools.lru_cache(maxsize=None)
def _enable_array_results():
    """Gives the C call path what it needs to hand back arrays (once, on first use)."""
    _fast.set_release(ctypes.cast(lib.kc_array_release, ctypes.c_void_p).value, np.asarray)


def _returns_value(py_func):
    """Whether the function's own body has a `return <value>` (not None): it then has a result
    to pass on besides the lists it is given."""
    import ast
    import inspect
    import textwrap

    try:
        tree = ast.parse(textwrap.dedent(inspect.getsource(py_func)))
    except (OSError, TypeError, SyntaxError):
        return True
    func = next((n for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))), None)
    if func is None:
        return True
    pending = list(func.body)
    while pending:
        node = pending.pop()
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)):
            continue
        if isinstance(node, ast.Return) and node.value is not None and not (
                isinstance(node.value, ast.Constant) and node.value.value is None):
            return True
        pending.extend(ast.iter_child_nodes(node))
    return False


class _ReflectingOverload:
    """A call passing Python lists of numbers (Numba's reflected lists): each goes in as a 1-D
    array that a kernel-language wrapper turns into a list of the kernel's own; the wrapper
    returns the kernel's result and those lists as the kernel left them, and the caller's lists
    get their new contents (appends, pops and stores included), as Numba reflects them."""

    def __init__(self, inner, key, lists, returns):
        self.inner = inner
        self.key = key
        self.lists = lists
        self.returns = returns

    def __getattr__(self, name):
        return getattr(self.inner, name)

    def __call__(self, args):
        passed = []
        for a, t in zip(args, self.key):
            if t.kind == "list":
                passed.append(np.array(a, dtype=t.dtype_name))
            elif t.kind == "set":
                # Its items in its iteration order: the kernel adds them in that order.
                passed.append(np.array(list(a), dtype=t.dtype_name))
            elif t.kind == "dict":
                passed.append(np.array(list(a.keys()), dtype=t.key.dtype))
                passed.append(np.array(list(a.values()), dtype=t.value.dtype))
            else:
                passed.append(a)
        out = self.inner(passed)
        result, final = (out[0], out[1:]) if self.returns else (None, out)
        for k, items in zip(self.lists, final):
            if self.key[k].kind == "list":
                args[k][:] = items
            elif self.key[k].kind == "set":
                args[k].clear()
                args[k].update(items)
            else:
                args[k].clear()
                args[k].update(items)
        return result


class _WithoutFunctions:
    """A call passing functions: the kernel was compiled for them, so only the other arguments
    are passed."""

    def __init__(self, inner, kept):
        self.inner = inner
        self.kept = kept

    def __getattr__(self, name):
        return getattr(self.inner, name)

    def __call__(self, args):
        return self.inner([args[k] for k in self.kept])


class Overload:
    """One compiled specialisation: a loaded kernel and the code that marshals its arguments."""

    def __init__(self, kernel, argtypes, ret):
        self.kernel = kernel
        self.argtypes = argtypes
        self.ret = ret
        self.digest = lib.kc_kernel_digest(kernel).decode()
        self.cache_hit = bool(lib.kc_kernel_cache_hit(kernel))
        self.signature = lib.kc_kernel_signature(kernel).decode()
        self._nargs = sum(1 for t in argtypes if t.kind != "none")
        # An array result comes back as a kc_array whose buffer the kernel allocated; a tuple
        # as a C struct of its items.
        self._returns_struct = ret in ("array", "list", "dict", "set") or isinstance(ret, tuple)
        self._ret_type = _result_ctype(ret) if ret is not None else None
        # Indices among the arguments passed (a None argument is not).
        passed = [t for t in argtypes if t.kind != "none"]
        self.written = {i for i, t in enumerate(passed) if t.kind == "array" and lib.kc_kernel_writes_arg(kernel, i)}
        self.fast = None

    def enable_fast_path(self, exact):
        """Builds the C call path; `exact` (see _fast_exact) says which arguments it accepts
        only when their own type is this overload's, leaving the others to the dispatcher."""
        if _fast is None or any(t.kind in ("tuple", "none") for t in self.argtypes):
            return None
        result_items = None
        if self._returns_struct and self.ret != "array":
            result_items = _struct_items(self.ret, self._ret_type)
            if result_items is None:
                return None
        if self.ret in _COMPLEX or any(t.kind == "scalar" and t.dtype_name in _COMPLEX for t in self.argtypes):
            return None
        specs = []
        for i, t in enumerate(self.argtypes):
            if t.kind == "array":
                specs.append((1, _lib.DTYPE_CODES[t.dtype_name], t.ndim, t.layout, int(i in self.written)))
            else:
                specs.append((0, _lib.DTYPE_CODES[t.dtype_name], 0, "A", 0))
        if result_items is not None:
            _enable_array_results()
            self.fast = _fast.Overload(lib.kc_kernel_generic_fn(self.kernel), specs, _FAST_RET_STRUCT, int(exact),
                                       result_items)
            return self.fast
        if self.ret == "array":
            _enable_array_results()
            ret = _FAST_RET_ARRAY
        else:
            ret = _lib.DTYPE_CODES[self.ret] if self.ret else -1
        self.fast = _fast.Overload(lib.kc_kernel_generic_fn(self.kernel), specs, ret, int(exact))
        return self.fast

    def __call__(self, args):
        keep = []
        ptrs = (ctypes.c_void_p * max(self._nargs, 1))()
        # A None argument is not passed: the kernel was specialised for it.
        passed = [(t, a) for t, a in zip(self.argtypes, args) if t.kind != "none"]
        for i, (t, a) in enumerate(passed):
            if t.kind == "array":
                if i in self.written and not a.flags.writeable:
                    raise TypeError("argument %d is a read-only array, but the kernel writes it" % i)
                arr = _describe_array(a, t)
                keep.append(arr)
                ptrs[i] = ctypes.addressof(arr)
            elif t.kind == "tuple":
                value = _tuple_struct(a, t, keep)
                keep.append(value)
                ptrs[i] = ctypes.addressof(value)
            else:
                if isinstance(a, (float, np.floating)) and t.dtype_name not in _FLOATS:
                    a = int(a)   # an unsafe conversion a declared signature asked for (C's truncation)
                value = _CTYPES[t.dtype_name](a)
                keep.append(value)
                ptrs[i] = ctypes.addressof(value)
        ret = self._ret_type() if self._ret_type else None
        status = lib.kc_call(self.kernel, ptrs, ctypes.byref(ret) if ret is not None else None)
        if status != _lib.KC_OK:
            message = last_error()
            if status == _lib.KC_ERR_RUNTIME:
                raise _runtime_error(message)
            raise KcacheError(message)
        if ret is None:
            return None
        return _decode_result(ret, self.ret, args)

    def __del__(self):
        # (At interpreter exit the module's globals may already be gone: nothing to free then.)
        if getattr(self, "kernel", None) and lib is not None:
            lib.kc_kernel_free(self.kernel)
            self.kernel = None


def _options_string(options):
    parts = []
    for k, v in sorted(options.items()):
        if isinstance(v, bool):
            v = "true" if v else "false"
        parts.append("%s=%s" % (k, v))
    return ",".join(parts)


_KNOWN_OPTIONS = {"parallel", "fastmath", "error_model", "boundscheck"}
_IGNORED_OPTIONS = {"cache", "nogil", "nopython", "inline", "forceobj", "looplift", "target"}


def _clean_options(options):
    out = {}
    for k, v in options.items():
        if k in _KNOWN_OPTIONS:
            if v is not None:
                out[k] = v
        elif k in _IGNORED_OPTIONS:
            if k == "nopython" and v is False:
                raise ValueError("kcache compiles nopython code only (nopython=False is not supported)")
        else:
            raise TypeError("unexpected keyword argument %r" % k)
    return out


def _compile(py_func, dispatcher_type, entry, signature, options, extra_source="", extra_segments=(), source=None):
    if source is None:
        source = gather(py_func, dispatcher_type)
    if extra_segments:
        # Errors in appended functions point at their own files and lines too.
        source = KernelSource(source.text, list(source.segments) + list(extra_segments))
    text = source.text + extra_source
    handle = ctypes.c_void_p()
    status = lib.kc_compile(_get_client(), text.encode(), entry.encode(), signature.encode(),
                            _options_string(options).encode() or None, ctypes.byref(handle))
    if status != _lib.KC_OK:
        raise _compile_error(status, last_error(), source)
    return handle


class _KernelArray:
    """Holds the reference to a buffer that a kernel returned; the NumPy array made from it
    keeps it as its base, so the buffer is released when the last view of it is gone. An array
    the kernel did not allocate (an argument, or a view of one, returned) has no owner: the
    holder keeps the call's arguments alive instead, so that it never outlives their memory."""

    __slots__ = ("__array_interface__", "_kc", "_arguments")

    _TYPESTR = None

    @classmethod
    def wrap(cls, kc, arguments):
        if cls._TYPESTR is None:
            cls._TYPESTR = {code: np.dtype(name if name != "bool" else np.bool_).str
                            for name, code in _lib.DTYPE_CODES.items()}
        holder = cls()
        holder._kc = kc
        holder._arguments = None if kc.owner else arguments
        n = kc.ndim
        holder.__array_interface__ = {
            "shape": tuple(kc.shape[:n]),
            "strides": tuple(kc.strides[:n]),
            "typestr": cls._TYPESTR[kc.dtype],
            "data": (kc.data or 0, False),
            "version": 3,
        }
        return np.asarray(holder)

    def __del__(self):
        kc = getattr(self, "_kc", None)
        if kc is not None and kc.owner and lib is not None:
            lib.kc_array_release(ctypes.byref(kc))


def memory_stats():
    """(buffers, bytes) that kernels allocated in this process and that are not freed yet."""
    buffers, nbytes = ctypes.c_int64(), ctypes.c_int64()
    lib.kc_memory_stats(ctypes.byref(buffers), ctypes.byref(nbytes))
    return buffers.value, nbytes.value


class _Optional(tuple):
    """The spec of an Optional result: a value or None (written as `(has_value, value)`).

    Never equal to the 1-tuple it holds: the specs key caches of result layouts, and an
    optional(int64) sharing the layout of a tuple of one int64 read results wrongly."""

    @property
    def item(self):
        return self[0]

    def __eq__(self, other):
        return type(other) is _Optional and tuple.__eq__(self, other)

    def __ne__(self, other):
        return not self == other

    def __hash__(self):
        return hash(("optional",) + tuple(self))


def _parse_result(text):
    """The daemon's encoding of a result type: None, a dtype name, "array", an _Optional, or a
    tuple of those."""
    if text in ("none", ""):
        return None
    if text.startswith("optional(") and text.endswith(")"):
        return _Optional((_parse_result(text[9:-1]),))
    if text.startswith("array("):
        return "array"
    if text.startswith("list("):
        return "list"
    if text.startswith("dict("):
        return "dict"
    if text.startswith("set("):
        return "set"
    if text.startswith("tuple(") and text.endswith(")"):
        inner, items, depth, start = text[6:-1], [], 0, 0
        if not inner:
            return ()
        for i, c in enumerate(inner):
            depth += (c == "(") - (c == ")")
            if c == ";" and depth == 0:
                items.append(_parse_result(inner[start:i]))
                start = i + 1
        items.append(_parse_result(inner[start:]))
        return tuple(items)
    return text


def _ret_of(handle):
    return _parse_result(lib.kc_kernel_result_type(handle).decode())


@functools.lru_cache(maxsize=None)
def _result_ctype(spec):
    """The ctypes type a result of `spec` is written as: a C struct for a tuple (natural
    alignment, as the kernel lays it out)."""
    if spec in ("array", "list", "set"):
        return _lib.KcArray
    if isinstance(spec, _Optional):
        fields = [("has_value", ctypes.c_bool), ("value", _result_ctype(spec.item))]
        return type("KcOptional", (ctypes.Structure,), {"_fields_": fields})
    if spec == "dict":
        return _result_ctype(("array", "array"))
    if isinstance(spec, tuple):
        fields = [("f%d" % i, _result_ctype(item)) for i, item in enumerate(spec)]
        return type("KcTuple", (ctypes.Structure,), {"_fields_": fields})
    return _CTYPES[spec]


def _describe_array(a, t):
    if not a.dtype.isnative:
        # Kernels read native numbers: a big-endian array's bytes would be read as garbage.
        raise TypeError("arrays in non-native byte order (%s) are not supported by kcache: pass "
                        "a.astype(a.dtype.newbyteorder('='))" % a.dtype.str)
    arr = _lib.KcArray()
    arr.data = a.ctypes.data
    arr.ndim = a.ndim
    for d in range(a.ndim):
        arr.shape[d] = a.shape[d]
        arr.strides[d] = a.strides[d]
    arr.dtype = _lib.DTYPE_CODES[t.dtype_name]
    return arr


@functools.lru_cache(maxsize=None)
def _tuple_ctype(t):
    """One ctypes class per tuple type (a nested struct's field takes only its own class)."""
    if t.kind == "tuple":
        fields = [("f%d" % i, _tuple_ctype(item)) for i, item in enumerate(t.items)]
        return type("KcTupleArg", (ctypes.Structure,), {"_fields_": fields})
    return _lib.KcArray if t.kind == "array" else _CTYPES[t.dtype_name]


def _tuple_struct(value, t, keep):
    """A tuple argument as the C struct the kernel reads (arrays described, kept alive)."""
    struct = _tuple_ctype(t)()
    for i, (item_t, v) in enumerate(zip(t.items, value)):
        if item_t.kind == "array":
            keep.append(v)
            setattr(struct, "f%d" % i, _describe_array(v, item_t))
        elif item_t.kind == "tuple":
            setattr(struct, "f%d" % i, _tuple_struct(v, item_t, keep))
        elif item_t.dtype_name in _COMPLEX:
            setattr(struct, "f%d" % i, _CTYPES[item_t.dtype_name](v))
        else:
            setattr(struct, "f%d" % i, _CTYPES[item_t.dtype_name](v).value)
    return struct


def _decode_result(value, spec, arguments):
    """A result as Python sees it: arrays become NumPy arrays that own the kernel's buffer."""
    if spec == "array":
        return _KernelArray.wrap(value, arguments)
    if spec == "list":
        # A list the kernel returned comes as an array of its items: Python gets a list.
        return _KernelArray.wrap(value, arguments).tolist()
    if isinstance(spec, _Optional):
        return _decode_result(value.value, spec.item, arguments) if value.has_value else None
    if spec == "set":
        # A set comes as an array of its items: Python gets a set.
        return set(_KernelArray.wrap(value, arguments).tolist())
    if spec == "dict":
        # A dict comes as its keys and its values (in insertion order): Python gets a dict.
        keys, values = _decode_result(value, ("list", "list"), arguments)
        return dict(zip(keys, values))
    if isinstance(spec, tuple):
        return tuple(_decode_result(getattr(value, "f%d" % i), item, arguments) for i, item in enumerate(spec))
    return value.value if hasattr(value, "value") else value


def _fast_exact(eager, overloads):
    """What a fast path's arguments must match exactly (kcache._fast's EXACT_LAYOUT = 1,
    EXACT_SCALARS = 2): everything for lazy dispatch, which compiles an overload per argument
    type; the scalars' own types once an eager dispatcher has several overloads to pick from;
    nothing for one declared signature, which converts what it is given, as Numba's does."""
    if not eager:
        return 3
    return 2 if overloads > 1 else 0


class Dispatcher(_fast.DispatcherBase if _fast is not None else object):
    """A compiled function: one overload per argument type signature, as Numba's dispatcher.
    Calls go through the C base (kcache._fast) when it is built: it tries each overload's
    checked call path and comes back to `_call_slow` only to pick or compile another."""

    def __init__(self, py_func, signatures, options):
        # njit of something already jitted compiles its Python function again, with these options.
        while isinstance(getattr(py_func, "py_func", None), _pytypes.FunctionType) and not isinstance(
                py_func, _pytypes.FunctionType):
            py_func = py_func.py_func
        self.py_func = py_func
        self.__name__ = py_func.__name__
        self.__doc__ = py_func.__doc__
        self.__wrapped__ = py_func
        self.targetoptions = dict(options)
        self._options = _clean_options(options)
        self._eager = bool(signatures)
        # The signatures callees' calls are converted by (an Optional argument: its two cases).
        self._declared = [text for sig in signatures for _, text in _specialisations(sig)]
        self.overloads = {}
        self._entries = {}
        self._fast_calls = ()
        self._lock = allocate_lock()
        for sig in signatures:
            self._compile_signature(sig)

    def _compile_signature(self, sig):
        """Compiles a signature (both cases of each Optional argument); [(key, Overload)]."""
        out = []
        for args, text in _specialisations(sig):
            key = tuple(args)
            ov = self.overloads.get(key)
            if ov is None:
                handle = _compile(self.py_func, Dispatcher, kernel_name(self.py_func), text, self._options)
                ov = Overload(handle, args, _ret_of(handle))
                self.overloads[key] = ov
                self._add_fast(ov)
            out.append((key, ov))
        return out

    def _add_fast(self, ov):
        if self._eager and len(self.overloads) == 2:
            # A second overload: the first's fast path converted any Python scalar; now the
            # best match must be chosen, so both take only scalars of their own types.
            self._fast_calls = ()
            for other in self.overloads.values():
                if other is not ov:
                    self._append_fast(other)
        self._append_fast(ov)

    def _append_fast(self, ov):
        exact = _fast_exact(self._eager, len(self.overloads))
        fast = ov.enable_fast_path(exact=exact)
        if fast is not None:
            self._fast_calls = self._fast_calls + (fast,)

    @property
    def signatures(self):
        return list(self.overloads.keys())

    def compile(self, sig):
        """Compiles the signature now (Numba's `Dispatcher.compile`): "float64(float64[:])",
        `float64(float64[:])` or a tuple of argument types. The overload joins `.signatures`;
        a signature compiled before is not compiled again. Returns the compiled entry point,
        called with the arguments as Numba's is: `dispatcher.compile(sig)(a, b)`."""
        _, args = parse_signature(sig)
        key = tuple(args)
        with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                entry = CompiledEntry(self, self._compile_signature(sig))
                self._entries[key] = entry
        return entry

    def _match(self, args, key):
        """The overload Numba's dispatcher would pick for arguments of types `key`: the one
        needing the fewest unsafe, then safe, then promoting scalar conversions. A lazy
        dispatcher takes no unsafe conversion and no tie (it compiles a new overload instead);
        for declared signatures a tie is an error, as in Numba."""
        best, best_rating, tied = None, None, []
        for types, ov in self.overloads.items():
            rating = self._rating(types, args, key)
            if rating is None:
                continue
            if best is None or rating < best_rating:
                best, best_rating, tied = ov, rating, [types]
            elif rating == best_rating:
                tied.append(types)
        if len(tied) > 1:
            if not self._eager:
                return None
            raise TypeError("Ambiguous overloading for %s %s:\n%s" % (
                self.__name__, "(%s)" % ", ".join(str(t) for t in key),
                "\n".join("(%s)" % ", ".join(str(t) for t in types) for types in tied)))
        return best

    def _rating(self, types, args, key):
        if len(types) != len(args):
            return None
        unsafe = safe = promote = 0
        for t, a, at in zip(types, args, key):
            if t.kind == "none" or a is None:
                if not (t.kind == "none" and a is None):
                    return None
            elif t.kind in ("array", "tuple"):
                if not t.accepts(a):
                    return None
                if at != t:
                    safe += 1
            elif t.kind != "scalar" or at.kind != "scalar":
                return None
            else:
                rank = conversion_rank(at.dtype_name, t.dtype_name)
                if rank is None or (rank == UNSAFE and not self._eager):
                    return None
                unsafe += rank == UNSAFE
                safe += rank == SAFE
                promote += rank == PROMOTE
        return (unsafe, safe, promote)

    def _mismatch(self, args):
        for key in self.overloads:
            if len(key) != len(args):
                return TypeError("%s() takes %d arguments (%d given)" % (self.__name__, len(key), len(args)))
            for i, (t, a) in enumerate(zip(key, args)):
                if t.kind == "array" and not (isinstance(a, np.ndarray) and t.accepts(a)):
                    got = typeof(a) if isinstance(a, (np.ndarray, np.generic, int, float, bool)) else type(a).__name__
                    return TypeError("%s(): argument %d (%s) must be %s, got %s" % (
                        self.__name__, i, self._param_name(i), t, got))
                if t.kind == "scalar" and isinstance(a, np.ndarray):
                    return TypeError("%s(): argument %d (%s) must be a %s scalar, got an array" % (
                        self.__name__, i, self._param_name(i), t.dtype_name))
        return TypeError("No matching definition for argument type(s) %s of %s" % (
            ", ".join(str(typeof(a)) for a in args), self.__name__))

    def _param_name(self, i):
        names = self.py_func.__code__.co_varnames[:self.py_func.__code__.co_argcount]
        return names[i] if i < len(names) else "?"

    if _fast is None:
        def __call__(self, *args, **kwargs):
            if kwargs:
                return self._call_keywords(*args, **kwargs)
            return self._call_slow(args)

    def _call_keywords(self, *args, **kwargs):
        """Binds keyword arguments to positions as Python does (TypeError for a bad binding);
        parameters left out before the last one given take their defaults."""
        import inspect

        bound = inspect.signature(self.py_func).bind(*args, **kwargs)
        params = list(inspect.signature(self.py_func).parameters.values())
        if any(p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD) for p in params):
            raise TypeError("%s(): kcache does not compile *args or **kwargs" % self.__name__)
        last = max(i for i, p in enumerate(params) if p.name in bound.arguments)
        positional = []
        for p in params[:last + 1]:
            if p.kind == p.KEYWORD_ONLY:
                raise TypeError("%s(): kcache kernels take keyword-only parameters from other "
                                "kernels only" % self.__name__)
            positional.append(bound.arguments[p.name] if p.name in bound.arguments else p.default)
        return self(*positional)

    def _call_slow(self, args):
        key = tuple(typeof(a) for a in args)
        ov = self.overloads.get(key)
        reflected = any(t.kind in ("list", "dict", "set", "function") for t in key)
        if ov is None and not reflected:
            ov = self._match(args, key)
        if ov is None:
            if self._eager:
                raise self._mismatch(args)
            with self._lock:
                ov = self.overloads.get(key)
                if ov is None:
                    if any(t.kind == "function" for t in key):
                        ov = self._compile_with_functions(key)
                    elif reflected:
                        ov = self._compile_reflecting(key)
                    else:
                        sig = "(%s)" % ", ".join(t.numba() for t in key)
                        handle = _compile(self.py_func, Dispatcher, kernel_name(self.py_func), sig, self._options)
                        ov = Overload(handle, list(key), _ret_of(handle))
                        self._add_fast(ov)
                    self.overloads[key] = ov
        return ov(args)

    def _compile_reflecting(self, key):
        """The overload for a call passing Python lists (see _ReflectingOverload)."""
        name = kernel_name(self.py_func)
        wrapper = "__kc_reflect_%s" % name
        lists = [k for k, t in enumerate(key) if t.kind in ("list", "dict", "set")]
        passed = ", ".join("l%d" % k if k in lists else "p%d" % k for k in range(len(key)))
        made = ""
        for k in lists:
            if key[k].kind == "list":
                made += "    l%d = [v for v in p%d]\n" % (k, k)
            elif key[k].kind == "set":
                made += "    l%d = set(p%d)\n" % (k, k)
            else:
                # keys in p<k>k, values in p<k>v: the dict typed by its first store.
                made += "    l%d = {}\n    for i in range(p%dk.shape[0]):\n        l%d[p%dk[i]] = p%dv[i]\n" % (
                    k, k, k, k, k)
        back = ", ".join("l%d" % k for k in lists)
        returns = _returns_value(self.py_func)
        if returns:
            body = "    return (%s(%s), %s)\n" % (name, passed, back)
        else:
            body = "    %s(%s)\n    return (%s,)\n" % (name, passed, back)
        params = []
        inner_types = []
        for k, t in enumerate(key):
            if t.kind == "dict":
                params += ["p%dk" % k, "p%dv" % k]
                inner_types += [Array(t.key.dtype, 1, "C"), Array(t.value.dtype, 1, "C")]
            else:
                params.append("p%d" % k)
                inner_types.append(Array(t.dtype_name, 1, "C") if t.kind in ("list", "set") else t)
        extra = "\n\ndef %s(%s):\n%s%s" % (wrapper, ", ".join(params), made, body)
        sig = "(%s)" % ", ".join(t.numba() for t in inner_types)
        handle = _compile(self.py_func, Dispatcher, wrapper, sig, self._options, extra_source=extra)
        return _ReflectingOverload(Overload(handle, inner_types, _ret_of(handle)), key, lists, returns)

    def _compile_with_functions(self, key):
        """The overload for a call passing functions (kcache dispatchers or Python functions): a
        kernel-language wrapper calls the kernel with those functions by name, their source
        appended, and the daemon compiles the kernel for them (as Numba compiles a callee once
        per function it is given). The functions are not passed at run time."""
        if any(t.kind in ("list", "dict", "set") for t in key):
            raise TypeError("%s(): kcache cannot pass functions and Python lists or dicts in one call yet"
                            % self.__name__)
        name = kernel_name(self.py_func)
        wrapper = "__kc_with_functions_%s" % name
        extra, params, call_args, kept, segments = "", [], [], [], []
        main_source = gather(self.py_func, Dispatcher)
        main = main_source.text
        for k, t in enumerate(key):
            if t.kind == "function":
                source = gather(t.py_func, Dispatcher)
                shift = (main + extra + "\n\n").count("\n")
                segments += [Segment(s.start + shift, s.nlines, s.filename, s.first_line, s.indent)
                             for s in source.segments]
                extra += "\n\n" + source.text
                call_args.append(kernel_name(t.py_func))
            else:
                params.append("p%d" % k)
                call_args.append("p%d" % k)
                kept.append(k)
        extra += "\n\ndef %s(%s):\n    return %s(%s)\n" % (wrapper, ", ".join(params), name, ", ".join(call_args))
        inner_types = [key[k] for k in kept]
        sig = "(%s)" % ", ".join(t.numba() for t in inner_types)
        handle = _compile(self.py_func, Dispatcher, wrapper, sig, self._options, extra_source=extra,
                          extra_segments=segments, source=main_source)
        return _WithoutFunctions(Overload(handle, inner_types, _ret_of(handle)), kept)

    def _inspect(self, kind, signature=None):
        keys = [signature] if signature is not None else list(self.overloads)
        out = {}
        for key in keys:
            ov = self.overloads[key]
            sig = "(%s)" % ", ".join(t.numba() for t in key)
            source = gather(self.py_func, Dispatcher)
            text = ctypes.c_void_p()
            status = lib.kc_inspect(_get_client(), source.text.encode(), kernel_name(self.py_func).encode(), sig.encode(),
                                    _options_string(self._options).encode() or None, kind, ctypes.byref(text))
            if status != _lib.KC_OK:
                raise _compile_error(status, last_error(), source)
            try:
                out[ov.signature] = ctypes.string_at(text.value).decode()
            finally:
                lib.kc_string_free(text)
        return out

    def inspect_types(self, signature=None, file=None):
        """Prints the typed IR of each overload (every variable and expression with its type)."""
        import sys
        for sig, text in self._inspect(_lib.KC_INSPECT_TYPES, signature).items():
            print("%s %s\n%s" % (self.__name__, sig, text), file=file or sys.stdout)

    def inspect_llvm(self, signature=None):
        """LLVM IR after optimisation, by overload signature."""
        return self._inspect(_lib.KC_INSPECT_OPT_LLVM, signature)

    def inspect_asm(self, signature=None):
        """Assembly, by overload signature."""
        return self._inspect(_lib.KC_INSPECT_ASM, signature)

    def __repr__(self):
        return "<kcache.Dispatcher %s>" % self.__name__


def _specialisations(sig):
    """[(argument types, signature text for kcached)] of a signature: one, or with Optional
    arguments one per case (each such argument as its type, or None)."""
    text = signature_text(sig)
    _, args = parse_signature(sig)
    if not any(isinstance(t, Optional) for t in args):
        return [(list(args), text)]
    head = split_signature(text)[0] or ""
    return [(combo, "%s(%s)" % (head, ", ".join(t.numba() for t in combo))) for combo in expand_optional(args)]


class CompiledEntry:
    """What `Dispatcher.compile(sig)` returns, Numba's compiled entry point: called with the
    arguments (`entry(a, b)`), it runs that signature's overload, converting scalars to the
    signature's types; arrays must be of its array types. Other attributes are the overload's
    (`signature`, `digest`, ...)."""

    def __init__(self, dispatcher, overloads):
        self._dispatcher = dispatcher
        self._overloads = overloads  # [(key, Overload)]: one, or one per Optional argument case

    @property
    def py_func(self):
        return self._dispatcher.py_func

    def __getattr__(self, name):
        if name.startswith("_"):
            raise AttributeError(name)
        return getattr(self._overloads[0][1], name)

    def __call__(self, *args, **kwargs):
        d = self._dispatcher
        if kwargs or len(args) < len(self._overloads[0][0]):
            import inspect

            bound = inspect.signature(d.py_func).bind(*args, **kwargs)
            bound.apply_defaults()
            args = tuple(bound.args)
        for key, ov in self._overloads:
            if len(key) != len(args):
                raise TypeError("%s() takes %d arguments (%d given)" % (d.__name__, len(key), len(args)))
            if any((t.kind == "none") != (a is None) for t, a in zip(key, args)):
                continue
            if ov.fast is not None:
                result = ov.fast(*args)
                if result is not _MISMATCH:
                    return result
            for i, (t, a) in enumerate(zip(key, args)):
                if t.kind in ("array", "tuple") and not t.accepts(a):
                    got = typeof(a) if isinstance(a, (np.ndarray, np.generic, int, float, bool, tuple)) else type(a).__name__
                    raise TypeError("%s(): argument %d (%s) must be %s, got %s" % (
                        d.__name__, i, d._param_name(i), t, got))
                if t.kind == "scalar" and isinstance(a, (np.ndarray, tuple)):
                    raise TypeError("%s(): argument %d (%s) must be a %s scalar, got %s" % (
                        d.__name__, i, d._param_name(i), t.dtype_name, type(a).__name__))
            return ov(list(args))
        raise TypeError("%s(): None passed where the signature %s takes a value" % (
            d.__name__, self._overloads[0][1].signature))

    def __repr__(self):
        return "<kcache compiled %s %s>" % (self._dispatcher.__name__, self._overloads[0][1].signature)


def _signature_list(sig):
    if sig is None:
        return []
    if is_signature(sig):
        return [sig]
    sigs = list(sig)
    for s in sigs:
        if not is_signature(s):
            raise TypeError("a signature is a string such as 'float64(float64[:])' or built from kcache's types "
                            "such as float64(float64[:]), not %r" % (s,))
    return sigs


def njit(*args, **options):
    """Compiles a function with kcached. `@njit`, `@njit("float64(float64[:])")`,
    `@njit(["sig1", "sig2"], fastmath=True, parallel=True, error_model="numpy", boundscheck=True)`."""
    if len(args) == 1 and callable(args[0]) and not options:
        return Dispatcher(args[0], [], {})
    sigs = _signature_list(args[0] if args else options.pop("signature_or_function", None))

    def wrap(func):
        return Dispatcher(func, sigs, options)

    return wrap


def jit(*args, **options):
    """Numba's jit in nopython mode (the only mode kcache has)."""
    return njit(*args, **options)


def __getattr__(name):
    # @vectorize, @stencil, `kcache.types`, `kcache.typed`, `kcache.config` and the shims of
    # Numba's modules (`core`, `extending`, `errors`) load on first use: `import kcache` stays a
    # few milliseconds.
    if name in ("types", "typed", "config", "core", "extending", "errors"):
        import importlib  # (not `from . import`: that asks this function again)

        return importlib.import_module("." + name, __name__)
    if name == "vectorize":
        from ._vectorize import vectorize

        return vectorize
    if name == "stencil":
        from ._stencil import stencil

        return stencil
    if name == "guvectorize":
        from ._guvectorize import guvectorize

        return guvectorize
    raise AttributeError("module 'kcache' has no attribute %r" % name)
