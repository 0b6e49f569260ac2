"""Numba type names and signatures, on the Python side: typing arguments for lazy compilation
and checking arguments against eager signatures."""
import re

import numpy as np

ALIASES = {
    "boolean": "bool", "bool_": "bool", "bool": "bool", "b1": "bool",
    "int8": "int8", "i1": "int8", "byte": "int8",
    "int16": "int16", "i2": "int16",
    "int32": "int32", "i4": "int32", "intc": "int32",
    "int64": "int64", "i8": "int64", "intp": "int64", "int_": "int64",
    "uint8": "uint8", "u1": "uint8", "uchar": "uint8",
    "uint16": "uint16", "u2": "uint16",
    "uint32": "uint32", "u4": "uint32", "uintc": "uint32",
    "uint64": "uint64", "u8": "uint64", "uintp": "uint64",
    "float32": "float32", "f4": "float32", "single": "float32",
    "float64": "float64", "f8": "float64", "double": "float64", "float_": "float64",
}


class Scalar:
    kind = "scalar"

    def __init__(self, dtype):
        self.dtype = dtype

    def numba(self):
        return self.dtype

    def __eq__(self, other):
        return isinstance(other, Scalar) and other.dtype == self.dtype

    def __hash__(self):
        return hash(("s", self.dtype))

    def __repr__(self):
        return self.dtype


class Array:
    kind = "array"

    def __init__(self, dtype, ndim, layout, readonly=False):
        self.dtype = dtype
        self.ndim = ndim
        self.layout = layout
        self.readonly = readonly

    def numba(self):
        if self.layout == "C":
            dims = [":"] * (self.ndim - 1) + ["::1"]
        elif self.layout == "F":
            dims = ["::1"] + [":"] * (self.ndim - 1)
        else:
            dims = [":"] * self.ndim
        return "%s[%s]" % (self.dtype, ", ".join(dims))

    def accepts(self, arr):
        if arr.dtype.name != self.dtype and not (self.dtype == "bool" and arr.dtype == np.bool_):
            return False
        if arr.ndim != self.ndim:
            return False
        if self.layout == "C":
            return arr.flags.c_contiguous
        if self.layout == "F":
            return arr.flags.f_contiguous
        return True

    def __eq__(self, other):
        return isinstance(other, Array) and (other.dtype, other.ndim, other.layout, other.readonly) == (
            self.dtype, self.ndim, self.layout, self.readonly)

    def __hash__(self):
        return hash(("a", self.dtype, self.ndim, self.layout, self.readonly))

    def __repr__(self):
        ro = "readonly " if self.readonly else ""
        return "%sarray(%s, %dd, %s)" % (ro, self.dtype, self.ndim, self.layout)


def dtype_name(dtype):
    name = np.dtype(dtype).name
    return "bool" if name == "bool" else name


def typeof(value):
    """The kcache type of a call argument, as Numba's typeof would see it."""
    if isinstance(value, np.ndarray):
        name = dtype_name(value.dtype)
        if name not in ALIASES.values():
            raise TypeError("arrays of dtype %s are not supported by kcache" % value.dtype)
        if value.ndim == 0:
            raise TypeError("0-d arrays are not supported as kernel arguments; pass a scalar")
        if value.flags.c_contiguous:
            layout = "C"
        elif value.flags.f_contiguous:
            layout = "F"
        else:
            layout = "A"
        return Array(name, value.ndim, layout, readonly=not value.flags.writeable)
    if isinstance(value, (bool, np.bool_)):
        return Scalar("bool")
    if isinstance(value, int):
        return Scalar("int64")
    if isinstance(value, float):
        return Scalar("float64")
    if isinstance(value, np.generic):
        name = dtype_name(value.dtype)
        if name in ALIASES.values():
            return Scalar(name)
    raise TypeError("kcache cannot pass a value of type %s to a kernel" % type(value).__name__)


_TYPE = re.compile(r"\s*([A-Za-z_][A-Za-z0-9_.]*)\s*(\[[^\]]*\])?\s*")


def parse_type(text):
    m = _TYPE.fullmatch(text)
    if not m:
        raise TypeError("cannot parse the type %r" % text)
    name = m.group(1).split(".")[-1]
    if name in ("void", "none"):
        return None
    if name not in ALIASES:
        raise TypeError("unknown type %r in signature" % name)
    dtype = ALIASES[name]
    if not m.group(2):
        return Scalar(dtype)
    dims = [d.strip() for d in m.group(2)[1:-1].split(",")]
    layout = "A"
    if dims[-1] == "::1":
        layout = "C"
    elif dims[0] == "::1":
        layout = "F"
    return Array(dtype, len(dims), layout)


def split_signature(sig):
    """'float64(float64[:], int64)' -> ('float64', ['float64[:]', 'int64'])."""
    sig = sig.strip()
    open_at = sig.index("(")
    ret = sig[:open_at].strip() or None
    inner = sig[open_at + 1:sig.rindex(")")]
    args, depth, cur = [], 0, ""
    for ch in inner:
        if ch == "[":
            depth += 1
        elif ch == "]":
            depth -= 1
        if ch == "," and depth == 0:
            if cur.strip():
                args.append(cur.strip())
            cur = ""
        else:
            cur += ch
    if cur.strip():
        args.append(cur.strip())
    return ret, args


def parse_signature(sig):
    ret, args = split_signature(sig)
    return (parse_type(ret) if ret else None), [parse_type(a) for a in args]
