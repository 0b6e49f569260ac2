"""`kcache.typed`: the constructors of `numba.typed` that kernels call, so that a kernel written
for Numba (`from numba import typed, types` → `from kcache import typed, types`) also runs as
plain Python. Inside a kernel `Dict.empty(key_type, value_type)`, `Dict()`, `List()` and
`List.empty_list(item_type)` make kcache's own dicts and lists; in Python they are a `dict` and
a `list`. A List of numbers passed to a kernel is a reflected list (its new contents come
back); passing a Dict in is not supported yet."""

__all__ = ["Dict", "List"]


class Dict(dict):
    """A `dict`, with `numba.typed.Dict`'s constructor."""

    # The declared types (Dict.empty), which a kernel it is passed to types it by.
    _kc_types = None

    @classmethod
    def empty(cls, key_type, value_type, n_keys=0):
        d = cls()
        d._kc_types = (key_type, value_type)
        return d


class List(list):
    """A `list`, with `numba.typed.List`'s constructor."""

    _kc_types = None

    @classmethod
    def empty_list(cls, item_type, allocated=0):
        lst = cls()
        lst._kc_types = (item_type,)
        return lst
