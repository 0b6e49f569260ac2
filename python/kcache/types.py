"""`kcache.types`: the part of `numba.types` that kcache supports — the scalar types under
Numba's names (`types.float64`, `types.intp`, `types.boolean`, ...), `types.void`/`types.none`,
`types.Array(dtype, ndim, layout)`, `types.Tuple([...])`/`types.UniTuple(dtype, n)`,
`types.Optional(T)`/`types.optional(T)`,
`types.ListType(item)`/`types.DictType(key, value)` (a typed dict's value type, inside
kernels) and the base classes to test against."""
from ._types import Array, Boolean, Complex, Float, Integer, NoneType, Number, Scalar, Signature, Tuple, Type  # noqa: F401
from ._types import Optional, UniTuple, optional  # noqa: F401
from ._types import (  # noqa: F401
    b1, bool_, boolean, byte, c8, c16, cdouble, char, complex64, complex128, complex_, csingle, double, f4, f8, float32, float64, i1, i2, i4, i8, int8, int16, int32, int64,
    int_, intc, intp, long_, longlong, none, short, size_t, ssize_t, u1, u2, u4, u8, uchar, uint, uint8, uint16,
    uint32, uint64, uintc, uintp, ulong, ulonglong, ushort, void)

# Numba's sets of types by kind.
signed_domain = frozenset([int8, int16, int32, int64])
unsigned_domain = frozenset([uint8, uint16, uint32, uint64])
integer_domain = signed_domain | unsigned_domain
real_domain = frozenset([float32, float64])
complex_domain = frozenset([complex64, complex128])


class DictType(Type):
    """Numba's `types.DictType(key_type, value_type)`: the type of a typed dict, named where a
    kernel makes a dict of dicts."""
    kind = "dict"

    def __init__(self, key_type, value_type):
        self.key_type = key_type
        self.value_type = value_type

    def __repr__(self):
        return "DictType[%s,%s]" % (self.key_type, self.value_type)


class ListType(Type):
    """Numba's `types.ListType(item_type)`: the type of a typed list, named where a kernel makes
    a `typed.Dict.empty(key_type, value_type=types.ListType(...))`."""
    kind = "list"

    def __init__(self, item_type):
        self.item_type = item_type

    def __repr__(self):
        return "ListType[%s]" % (self.item_type,)
