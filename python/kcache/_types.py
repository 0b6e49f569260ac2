"""Numba type names and signatures, on the Python side: typing arguments for lazy compilation,
checking arguments against eager signatures, and the type objects Numba programs import
(`float64`, `int32[:, ::1]`, `float64(float64[:])`), which build signatures as Numba's do."""
import re
import types

import numpy as np

# Numba's names for the scalar types kcache supports (numba.byte is uint8, numba.char int8).
ALIASES = {
    "boolean": "bool", "bool_": "bool", "bool": "bool", "b1": "bool",
    "int8": "int8", "i1": "int8", "char": "int8",
    "int16": "int16", "i2": "int16", "short": "int16",
    "int32": "int32", "i4": "int32", "intc": "int32",
    "int64": "int64", "i8": "int64", "intp": "int64", "int_": "int64", "long_": "int64", "longlong": "int64",
    "ssize_t": "int64",
    "uint8": "uint8", "u1": "uint8", "uchar": "uint8", "byte": "uint8",
    "uint16": "uint16", "u2": "uint16", "ushort": "uint16",
    "uint32": "uint32", "u4": "uint32", "uintc": "uint32",
    "uint64": "uint64", "u8": "uint64", "uintp": "uint64", "uint": "uint64", "ulong": "uint64",
    "ulonglong": "uint64", "size_t": "uint64",
    "float32": "float32", "f4": "float32", "single": "float32",
    "float64": "float64", "f8": "float64", "double": "float64", "float_": "float64",
    "complex64": "complex64", "c8": "complex64", "csingle": "complex64",
    "complex128": "complex128", "c16": "complex128", "cdouble": "complex128", "complex_": "complex128",
}

_NUMPY_SCALAR = {
    "bool": np.bool_, "int8": np.int8, "int16": np.int16, "int32": np.int32, "int64": np.int64,
    "uint8": np.uint8, "uint16": np.uint16, "uint32": np.uint32, "uint64": np.uint64,
    "float32": np.float32, "float64": np.float64, "complex64": np.complex64, "complex128": np.complex128,
}


class Type:
    """Base of kcache's type objects (Numba's `numba.types.Type`)."""


class Signature:
    """`float64(float64[:], int32)`: argument types and a return type (None: inferred, or void).
    str() is the signature string kcache and Numba accept, "float64(float64[:], int32)"."""

    def __init__(self, return_type, args):
        self.return_type = return_type
        self.args = tuple(args)

    def text(self):
        ret = "" if self.return_type is None else _result_name(self.return_type)
        return "%s(%s)" % (ret, ", ".join(a.numba() for a in self.args))

    def __str__(self):
        return self.text()

    def __repr__(self):
        # Numba's spelling: "(Array(float64, 1, 'A', False, aligned=True), int32) -> float64".
        args = ", ".join(repr(a) for a in self.args) + ("," if len(self.args) == 1 else "")
        return "(%s) -> %s" % (args, "?" if self.return_type is None else repr(self.return_type))

    def __eq__(self, other):
        return isinstance(other, Signature) and (other.return_type, other.args) == (self.return_type, self.args)

    def __hash__(self):
        return hash(("sig", self.return_type, self.args))


def _signature_of(ret, args):
    if not all(_is_type(a) for a in args):
        raise TypeError("%s(...) makes a signature and takes types, not %r" % (ret, args))
    return Signature(ret, args)


def _result_name(t):
    return "void" if isinstance(t, NoneType) else t.numba()


def _is_type(value):
    return isinstance(value, Type)


def _array_spec(key):
    """ndim and layout of `dtype[key]`, by Numba's rule (`types.Number._determine_array_spec`)."""
    def plain(s):
        return isinstance(s, slice) and s.start is None and s.stop is None

    if isinstance(key, (tuple, list)) and key and all(map(plain, key)):
        if key[0].step == 1:
            return len(key), "F"
        return len(key), "C" if key[-1].step == 1 else "A"
    if plain(key):
        return 1, "C" if key.step == 1 else "A"
    raise KeyError("Can only index kcache types with slices with no start or stop, got %r." % (key,))


class Scalar(Type):
    """A scalar type: `kcache.float64`, `kcache.int32`, ... `float64[:]` is a 1-d array type,
    `float64(float64[:])` a signature, `float64(2.5)` a NumPy float64 (as in Numba)."""
    kind = "scalar"

    def __new__(cls, dtype):
        name = ALIASES.get(getattr(dtype, "name", dtype), dtype)
        if cls is Scalar:  # the class Numba has for this kind of type
            cls = (Boolean if name == "bool" else Float if name in ("float32", "float64")
                   else Complex if name in ("complex64", "complex128") else Integer)
        return super().__new__(cls)

    def __init__(self, dtype):
        self.dtype = ALIASES.get(getattr(dtype, "name", dtype), dtype)
        if self.dtype not in _NUMPY_SCALAR:
            raise TypeError("kcache has no scalar type %r" % (dtype,))

    @property
    def name(self):
        return self.dtype

    @property
    def dtype_name(self):
        return self.dtype

    @property
    def bitwidth(self):
        return 8 if self.dtype == "bool" else np.dtype(self.dtype).itemsize * 8

    def numba(self):
        return self.dtype

    def __call__(self, *args):
        if not args or all(_is_type(a) for a in args):
            return Signature(self, args)
        if len(args) == 1:
            return _NUMPY_SCALAR[self.dtype](args[0])
        raise TypeError("%s() takes types (a signature) or one value (a cast)" % self.dtype)

    def __getitem__(self, key):
        ndim, layout = _array_spec(key)
        return Array(self, ndim, layout)

    def __eq__(self, other):
        return isinstance(other, Scalar) and other.dtype == self.dtype

    def __hash__(self):
        return hash(("s", self.dtype))

    def __repr__(self):
        return self.dtype


class Boolean(Scalar):
    """`boolean` (`bool_`, `b1`)."""


class Number(Scalar):
    """Integer and floating-point types."""


class Integer(Number):
    """`int8` ... `uint64` (`intp`, `uintp`, ...)."""

    @property
    def signed(self):
        return self.dtype.startswith("int")


class Float(Number):
    """`float32`, `float64`."""


class Complex(Number):
    """`complex64`, `complex128`."""


class NoneType(Type):
    """`void` / `none`: the return type of a function that returns nothing."""
    kind = "none"
    name = "none"

    def numba(self):
        # As a result type it means void; as an argument's, a None passed (kcached reads both).
        return "none"

    def __call__(self, *args):
        if not all(_is_type(a) for a in args):
            raise TypeError("void(...) takes types")
        return Signature(self, args)

    def __eq__(self, other):
        return isinstance(other, NoneType)

    def __hash__(self):
        return hash("none")

    def __repr__(self):
        return "none"


class Array(Type):
    """An array type: `Array(float64, 2, "C")`, written `float64[:, ::1]`; `dtype` is its
    element type (a Scalar)."""
    kind = "array"

    def __init__(self, dtype, ndim, layout, readonly=False):
        self.dtype = dtype if isinstance(dtype, Scalar) else Scalar(dtype)
        if self.dtype.dtype not in _NUMPY_SCALAR:
            raise TypeError("kcache has no arrays of %r" % (dtype,))
        if layout not in ("C", "F", "A"):
            raise ValueError("layout must be 'C', 'F' or 'A', not %r" % (layout,))
        self.ndim = int(ndim)
        self.layout = layout
        self.readonly = bool(readonly)

    @property
    def dtype_name(self):
        return self.dtype.dtype

    @property
    def name(self):
        return str(self)

    def numba(self):
        if self.layout == "C":
            dims = [":"] * (self.ndim - 1) + ["::1"]
        elif self.layout == "F":
            dims = ["::1"] + [":"] * (self.ndim - 1)
        else:
            dims = [":"] * self.ndim
        return "%s[%s]" % (self.dtype_name, ", ".join(dims))

    def copy(self, dtype=None, ndim=None, layout=None, readonly=None):
        return Array(self.dtype if dtype is None else dtype, self.ndim if ndim is None else ndim,
                     self.layout if layout is None else layout, self.readonly if readonly is None else readonly)

    def __call__(self, *args):
        # `float64[:](float64[:], float64)`: a signature returning this array type (as in Numba).
        return _signature_of(self, args)

    def accepts(self, arr):
        # A scalar where an earlier call passed an array asks for another specialisation.
        if not isinstance(arr, np.ndarray):
            return False
        if dtype_name(arr.dtype) != self.dtype_name:
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
        return hash(("a", self.dtype_name, self.ndim, self.layout, self.readonly))

    def __str__(self):
        ro = "readonly " if self.readonly else ""
        return "%sarray(%s, %dd, %s)" % (ro, self.dtype_name, self.ndim, self.layout)

    def __repr__(self):
        return "Array(%s, %d, %r, %s, aligned=True)" % (self.dtype_name, self.ndim, self.layout, self.readonly)


class Tuple(Type):
    """A tuple of scalars, arrays and tuples (Numba's `Tuple`/`UniTuple`); passed to a kernel as
    a C struct of its items."""
    kind = "tuple"

    def __init__(self, items):
        self.items = tuple(items)

    @property
    def name(self):
        return str(self)

    def numba(self):
        return "Tuple(%s)" % ", ".join(t.numba() for t in self.items)

    def __call__(self, *args):
        return _signature_of(self, args)

    def accepts(self, value):
        if not isinstance(value, tuple) or len(value) != len(self.items):
            return False
        for t, v in zip(self.items, value):
            if t.kind == "array":
                if not (isinstance(v, np.ndarray) and t.accepts(v)):
                    return False
            elif t.kind == "tuple":
                if not t.accepts(v):
                    return False
            elif isinstance(v, (np.ndarray, tuple)):
                return False
        return True

    def __eq__(self, other):
        return isinstance(other, Tuple) and other.items == self.items

    def __hash__(self):
        return hash(("t",) + self.items)

    def __str__(self):
        return "Tuple(%s)" % ", ".join(str(t) for t in self.items)

    __repr__ = __str__


class Optional(Type):
    """Numba's `types.Optional(T)` (`types.optional`, `numba.optional`): a T or None. As a
    result type kcached compiles it as is; as an argument type the dispatcher compiles one
    specialisation for a T and one for None, and picks by the value passed (Numba passes both
    through one)."""
    kind = "optional"

    def __init__(self, typ):
        if isinstance(typ, str):
            typ = parse_type(typ)
        if not isinstance(typ, (Scalar, Array, Tuple)):
            raise TypeError("kcache has Optional types of scalars, arrays and tuples, not %r" % (typ,))
        self.type = typ

    @property
    def name(self):
        return str(self)

    def numba(self):
        return "optional(%s)" % self.type.numba()

    def __call__(self, *args):
        return _signature_of(self, args)

    def __eq__(self, other):
        return isinstance(other, Optional) and other.type == self.type

    def __hash__(self):
        return hash(("optional", self.type))

    def __str__(self):
        return "OptionalType(%s)" % self.type

    __repr__ = __str__


optional = Optional


def expand_optional(args):
    """The argument type lists a signature with Optional arguments stands for: each Optional
    argument as its type, then as None (the value case first)."""
    combos = [[]]
    for t in args:
        if isinstance(t, Optional):
            combos = [c + [t.type] for c in combos] + [c + [none] for c in combos]
        else:
            combos = [c + [t] for c in combos]
    return combos


class _Reflected(Type):
    """A Python container of numbers passed to a kernel, reflected as Numba reflects it: the
    kernel gets a container of its own holding the items, and what the kernel leaves in it is
    written back into the caller's when the call returns. `kind` names the container."""

    def __init__(self, item):
        self.item = item if isinstance(item, Scalar) else Scalar(item)

    @property
    def dtype_name(self):
        return self.item.dtype

    @property
    def name(self):
        return str(self)

    def numba(self):
        return "reflected %s(%s)" % (self.kind, self.item.dtype)

    def __eq__(self, other):
        return type(other) is type(self) and other.item == self.item

    def __hash__(self):
        return hash(("reflected", self.kind, self.item))

    def __str__(self):
        return self.numba()

    __repr__ = __str__


class ReflectedList(_Reflected):
    """A Python list of numbers passed to a kernel (Numba's reflected list)."""
    kind = "list"


class FunctionArg(Type):
    """A function passed to a kernel (a kcache dispatcher, or a plain Python function): the
    kernel is compiled for that function, as Numba compiles a callee once per function it is
    given; equal only to the same function."""
    kind = "function"

    def __init__(self, py_func):
        self.py_func = py_func

    def __eq__(self, other):
        return isinstance(other, FunctionArg) and other.py_func is self.py_func

    def __hash__(self):
        return hash(("function", id(self.py_func)))

    def numba(self):
        return "function(%s)" % getattr(self.py_func, "__name__", "?")

    __str__ = numba

    def __repr__(self):
        return "FunctionArg(%s)" % getattr(self.py_func, "__name__", "?")


class ReflectedDict(Type):
    """A Python dict (or `typed.Dict`) of numbers to numbers passed to a kernel: the kernel gets
    a dict of its own with the same entries, and the caller's dict gets the entries the kernel
    left when the call returns (Numba's typed.Dict is shared by reference; this is what the
    caller sees of it)."""
    kind = "dict"

    def __init__(self, key, value):
        self.key = key if isinstance(key, Scalar) else Scalar(key)
        self.value = value if isinstance(value, Scalar) else Scalar(value)

    @property
    def name(self):
        return str(self)

    def numba(self):
        return "DictType(%s, %s)" % (self.key.dtype, self.value.dtype)

    def __eq__(self, other):
        return isinstance(other, ReflectedDict) and (other.key, other.value) == (self.key, self.value)

    def __hash__(self):
        return hash(("dict", self.key, self.value))

    def __str__(self):
        return self.numba()

    __repr__ = __str__


class ReflectedSet(_Reflected):
    """A Python set of numbers passed to a kernel (Numba's reflected set): the kernel's set has
    the same items, added in the caller's set's iteration order."""
    kind = "set"


def _list_item_type(value):
    """The item type of a list argument (NumPy's choice for np.array(value)), or a TypeError
    naming what kcache cannot pass."""
    if not value:
        raise TypeError("kcache cannot type an empty list argument (as Numba cannot): give it an item, or "
                        "pass a NumPy array")
    kinds = set()
    for v in value:
        if isinstance(v, (bool, np.bool_)):
            kinds.add("bool")
        elif isinstance(v, (int, np.integer)):
            kinds.add("int")
        elif isinstance(v, (float, np.floating)):
            kinds.add("float")
        elif isinstance(v, (complex, np.complexfloating)):
            kinds.add("complex")
        else:
            raise TypeError("kcache passes lists of numbers to kernels, not lists holding %s (pass a NumPy "
                            "array, or make the list inside the kernel)" % type(v).__name__)
    if kinds == {"bool"}:
        return Scalar("bool")
    if "complex" in kinds:
        return Scalar("complex128")
    if "float" in kinds:
        return Scalar("float64")
    if "bool" in kinds:
        raise TypeError("kcache cannot pass a list mixing booleans and numbers")
    return Scalar("int64")


def UniTuple(dtype, count):  # noqa: N802 (Numba's name)
    """`UniTuple(int64, 3)`: a tuple of `count` items of one type."""
    return Tuple([dtype] * count)


_DTYPE_NAMES = {}


def dtype_name(dtype):
    # Cached by the dtype object: NumPy's dtype.name is a Python-level property that costs
    # microseconds, and the call path asks for it once per array argument.
    try:
        return _DTYPE_NAMES[dtype]
    except (KeyError, TypeError):
        name = np.dtype(dtype).name
        try:
            _DTYPE_NAMES[dtype] = name
        except TypeError:
            pass
        return name


def from_dtype(dtype):
    """The kcache scalar type of a NumPy dtype (Numba's `from_dtype`)."""
    name = dtype_name(dtype)
    if name not in _NUMPY_SCALAR:
        raise TypeError("kcache has no type for the dtype %s" % name)
    return Scalar(name)


def _int_type(value):
    """Numba's type of a Python int: int64, or uint64 for 2**63 ..< 2**64."""
    bits = value.bit_length() if value >= 0 else (-value - 1).bit_length()
    if bits < 64:
        return "int64"
    if bits == 64 and value >= 0:
        return "uint64"
    raise ValueError("Int value is too large: %s" % value)


# How a scalar argument converts to a parameter of another scalar type, in Numba's ranks (its
# typeconv rules, closed over chains: a chain ranks as its worst step): the dispatcher picks the
# overload with the fewest unsafe, then safe, then promoting conversions, and a lazy dispatcher
# compiles a new overload rather than convert unsafely.
EXACT, PROMOTE, SAFE, UNSAFE = 0, 1, 2, 3


def _conversion_ranks():
    rank = {}

    def rule(a, b, forward, backward=None):
        rank[a, b] = forward
        if backward is not None:
            rank[b, a] = backward

    rule("bool", "int8", SAFE, UNSAFE)
    rule("bool", "uint8", SAFE, UNSAFE)
    for a, b in [("int8", "int16"), ("uint8", "uint16"), ("int16", "int32"), ("uint16", "uint32"),
                 ("int32", "int64"), ("uint32", "uint64"), ("float32", "float64"), ("complex64", "complex128")]:
        rule(a, b, PROMOTE, UNSAFE)
    for a, b in [("uint8", "int16"), ("uint16", "int32"), ("uint32", "int64"), ("int16", "float32"),
                 ("int32", "float64")]:
        rule(a, b, SAFE, UNSAFE)
    rule("int64", "float64", UNSAFE, UNSAFE)
    rule("uint64", "float64", UNSAFE, UNSAFE)
    rule("float32", "complex64", SAFE)
    rule("float64", "complex128", SAFE)
    names = list(_NUMPY_SCALAR)
    for name in names:
        rank[name, name] = EXACT
    for via in names:
        for a in names:
            for b in names:
                if (a, via) in rank and (via, b) in rank:
                    chained = max(rank[a, via], rank[via, b])
                    if chained < rank.get((a, b), UNSAFE + 1):
                        rank[a, b] = chained
    return rank


_CONVERSION = {}


def conversion_rank(src, dst):
    """EXACT, PROMOTE, SAFE or UNSAFE for a `src` scalar passed as `dst`; None where Numba has
    no conversion (complex to real). The table is made on first use: `import kcache` stays
    quick, and most programs never pick among overloads."""
    if not _CONVERSION:
        _CONVERSION.update(_conversion_ranks())
    return _CONVERSION.get((src, dst))


def typeof(value):
    """The kcache type of a call argument, as Numba's typeof would see it."""
    if isinstance(value, np.ndarray):
        name = dtype_name(value.dtype)
        if name not in ALIASES.values():
            raise TypeError("arrays of dtype %s are not supported by kcache" % value.dtype)
        if value.ndim == 0:
            raise TypeError("0-d arrays are not supported as kernel arguments; pass a scalar")
        if not value.dtype.isnative:
            raise TypeError("arrays in non-native byte order (%s) are not supported by kcache: pass "
                            "a.astype(a.dtype.newbyteorder('='))" % value.dtype.str)
        if value.flags.c_contiguous:
            layout = "C"
        elif value.flags.f_contiguous:
            layout = "F"
        else:
            layout = "A"
        return Array(name, value.ndim, layout, readonly=not value.flags.writeable)
    if value is None:
        # A None argument: the kernel is specialised for it (`if x is None:` is decided).
        return none
    if isinstance(value, tuple):
        return Tuple([typeof(v) for v in value])
    if isinstance(value, (bool, np.bool_)):
        return Scalar("bool")
    if isinstance(value, int):
        return Scalar(_int_type(value))
    if isinstance(value, float):
        return Scalar("float64")
    if isinstance(value, complex):
        return Scalar("complex128")
    if isinstance(value, np.generic):
        name = dtype_name(value.dtype)
        if name in ALIASES.values():
            return Scalar(name)
    py_func = getattr(value, "py_func", None)
    if isinstance(py_func, types.FunctionType):
        return FunctionArg(py_func)
    if isinstance(value, types.FunctionType):
        return FunctionArg(value)
    declared = getattr(value, "_kc_types", None)
    if isinstance(value, list):
        if declared and isinstance(declared[0], Scalar):
            return ReflectedList(declared[0])
        return ReflectedList(_list_item_type(value))
    if isinstance(value, set):
        if not value:
            raise TypeError("kcache cannot type an empty set argument (as Numba cannot): give it an item, or "
                            "make the set inside the kernel")
        try:
            return ReflectedSet(_list_item_type(list(value)))
        except TypeError as e:
            raise TypeError("kcache passes sets of numbers to kernels (%s)" % e) from None
    if isinstance(value, dict):
        if declared and all(isinstance(t, Scalar) for t in declared):
            return ReflectedDict(*declared)
        if not value:
            raise TypeError("kcache cannot type an empty dict argument: give it an entry, or make the dict "
                            "inside the kernel")
        try:
            return ReflectedDict(_list_item_type(list(value.keys())), _list_item_type(list(value.values())))
        except TypeError as e:
            raise TypeError("kcache passes dicts of numbers to numbers to kernels (%s)" % e) from None
    raise TypeError("kcache cannot pass a value of type %s to a kernel" % type(value).__name__)


_TYPE = re.compile(r"\s*([A-Za-z_][A-Za-z0-9_.]*)\s*(\[[^\]]*\])?\s*")
# str() of an array type, as Numba prints it: "array(float64, 1d, A)", "array(int32, 2d, C)".
_ARRAY_TEXT = re.compile(r"\s*(?:readonly\s+)?array\(\s*([A-Za-z_][A-Za-z0-9_.]*)\s*,\s*(\d+)d\s*,\s*([CFA])\s*\)\s*")


def _split_items(inner):
    items, depth, cur = [], 0, ""
    for ch in inner:
        if ch in "[(":
            depth += 1
        elif ch in "])":
            depth -= 1
        if ch == "," and depth == 0:
            items.append(cur.strip())
            cur = ""
        else:
            cur += ch
    if cur.strip():
        items.append(cur.strip())
    return items


def parse_type(text):
    stripped = text.strip()
    for head in ("optional(", "Optional(", "OptionalType("):
        if stripped.startswith(head) and stripped.endswith(")"):
            inner = parse_type(stripped[len(head):-1])
            if inner is None:
                raise TypeError("cannot parse the type %r: an Optional of None" % text)
            return Optional(inner)
    for head, uniform in (("UniTuple(", True), ("Tuple(", False)):
        if stripped.startswith(head) and stripped.endswith(")"):
            inner = stripped[len(head):-1].strip()
            if uniform:
                item, _, count = inner.replace(" x ", ",").rpartition(",")
                return UniTuple(parse_type(item), int(count))
            if inner.startswith("(") and inner.endswith(")"):
                inner = inner[1:-1]
            return Tuple([parse_type(t) for t in _split_items(inner)])
    m = _ARRAY_TEXT.fullmatch(text)
    if m:
        name = m.group(1).split(".")[-1]
        if name not in ALIASES:
            raise TypeError("unknown type %r in signature" % name)
        return Array(ALIASES[name], int(m.group(2)), m.group(3))
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
    if any(d not in (":", "::1") for d in dims):
        raise TypeError("cannot parse the type %r: each dimension is ':' or '::1'" % text)
    layout = "A"
    if dims[-1] == "::1":
        layout = "C"
    if dims[0] == "::1" and len(dims) > 1:
        layout = "F"
    if "::1" in dims[1:-1] or (len(dims) > 1 and dims[0] == dims[-1] == "::1"):
        raise TypeError("cannot parse the type %r: '::1' marks the first (F) or the last (C) dimension" % text)
    return Array(dtype, len(dims), layout)


def split_signature(sig):
    """'float64(float64[:], int64)' -> ('float64', ['float64[:]', 'int64'])."""
    sig = sig.strip()
    # The argument list is the parenthesised group that ends the string (a return type such as
    # "UniTuple(float64, 2)" has parentheses of its own).
    depth, open_at = 0, None
    for i in range(len(sig) - 1, -1, -1):
        if sig[i] in ")]":
            depth += 1
        elif sig[i] in "([":
            depth -= 1
            if depth == 0:
                open_at = i
                break
    if open_at is None or not sig.endswith(")"):
        raise TypeError("cannot parse the signature %r" % sig)
    ret = sig[:open_at].strip() or None
    inner = sig[open_at + 1:sig.rindex(")")]
    return ret, [a for a in _split_items(inner) if a]


def parse_signature(sig):
    """(return type or None, [argument types]) of a signature string, a Signature object or a
    tuple of argument types (Numba accepts all three)."""
    if isinstance(sig, Signature):
        ret = sig.return_type
        return (None if isinstance(ret, NoneType) else ret), list(sig.args)
    if isinstance(sig, tuple) and all(_is_type(a) for a in sig):
        return None, list(sig)
    if not isinstance(sig, str):
        raise TypeError("a signature is a string such as 'float64(float64[:])' or built from kcache's types, "
                        "not %r" % (sig,))
    parsed = _PARSED.get(sig)
    if parsed is None:
        if "(" not in sig or ")" not in sig:
            raise TypeError("cannot parse the signature %r" % sig)
        ret, args = split_signature(sig)
        parsed = _PARSED[sig] = ((parse_type(ret) if ret else None), tuple(parse_type(a) for a in args))
    return parsed[0], list(parsed[1])


# Signature strings already parsed: a dispatcher reads its declared signature several times
# on the way to its first call (its text, its Optional cases, the overload's key), and types
# are immutable.
_PARSED = {}


def is_signature(value):
    """A single signature (string, Signature, or tuple of argument types), not a list of them."""
    return isinstance(value, (str, Signature)) or (isinstance(value, tuple) and all(_is_type(a) for a in value))


def signature_text(sig):
    """The canonical signature string sent to kcached: "float64(float64[:], int64)", "(int32)",
    "void(float64[::1])", whatever spelling or type objects the caller used."""
    if isinstance(sig, str) and "(" in sig:
        ret_text = split_signature(sig)[0]
        ret, args = parse_signature(sig)
        head = "" if ret_text is None else ("void" if ret is None else ret.numba())
    elif isinstance(sig, Signature):
        args = sig.args
        head = "" if sig.return_type is None else _result_name(sig.return_type)
    else:
        ret, args = parse_signature(sig)
        head = ""
    return "%s(%s)" % (head, ", ".join(a.numba() for a in args))


# The type objects, under every name Numba gives them (`from kcache import float64, int32[:]`).
void = none = NoneType()
boolean = bool_ = b1 = Scalar("bool")
int8 = i1 = char = Scalar("int8")
int16 = i2 = short = Scalar("int16")
int32 = i4 = intc = Scalar("int32")
int64 = i8 = intp = int_ = long_ = longlong = ssize_t = Scalar("int64")
uint8 = u1 = uchar = byte = Scalar("uint8")
uint16 = u2 = ushort = Scalar("uint16")
uint32 = u4 = uintc = Scalar("uint32")
uint64 = u8 = uintp = uint = ulong = ulonglong = size_t = Scalar("uint64")
float32 = f4 = Scalar("float32")
float64 = f8 = double = Scalar("float64")
complex64 = c8 = csingle = Scalar("complex64")
complex128 = c16 = cdouble = complex_ = Scalar("complex128")

TYPE_NAMES = sorted(set(ALIASES) - {"bool", "single", "float_"}) + ["void", "none"]
