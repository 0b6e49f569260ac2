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
    """A `list`, with `numba.typed.List`'s constructor. As numba.typed.List, it keeps its item
    type once it has held items: emptied again, it is still a list of that type (a kernel it is
    passed to is compiled for it, where a plain empty list cannot be typed)."""

    _kc_types = None

    def _keep_type(self):
        # Before items go: the type they give the list (what kcache types a list argument by).
        if self._kc_types is None and len(self):
            from ._types import _list_item_type

            try:
                self._kc_types = (_list_item_type(self),)
            except TypeError:  # not a list of numbers: nothing kcache could type it by
                pass

    def clear(self):
        self._keep_type()
        list.clear(self)

    def pop(self, *args):
        self._keep_type()
        return list.pop(self, *args)

    def remove(self, value):
        self._keep_type()
        list.remove(self, value)

    def __delitem__(self, key):
        self._keep_type()
        list.__delitem__(self, key)

    def __setitem__(self, key, value):
        if isinstance(key, slice):
            self._keep_type()
        list.__setitem__(self, key, value)

    def __imul__(self, n):
        self._keep_type()
        return list.__imul__(self, n)

    @classmethod
    def empty_list(cls, item_type, allocated=0):
        lst = cls()
        lst._kc_types = (item_type,)
        return lst
