"""`numba.extending`, as far as kcache can follow it.

`register_jitable` works: the function stays a plain Python function, and a kernel that calls it
compiles its source with the kernel (as kcache compiles every Python function a kernel calls).
`overload`, `overload_method`, `overload_attribute`, `intrinsic` and the other decorators of
Numba's extension API are accepted at import time and return what they decorate unchanged,
so that a module using them imports; kcache does not run them (its daemon compiles the
Numba subset from source and has no typing or lowering hooks), so a kernel that calls something
only they implement fails with a TypingError that says so."""
import kcache as _kcache


def _decorator(arg, options, wrap):
    """`@deco` and `@deco(...)`: `wrap(func)` either way."""
    if callable(arg) and not options:
        return wrap(arg)
    return wrap


def register_jitable(*args, **kwargs):
    """`@register_jitable` / `@register_jitable(cache=True)`: the function, callable from Python
    and from kernels (kcache compiles the Python functions kernels call from their source)."""
    if len(args) == 1 and callable(args[0]) and not kwargs:
        return args[0]
    return lambda f: f


def _mark_unsupported(func, how):
    try:
        func.__kcache_unsupported__ = how
    except (AttributeError, TypeError):  # a builtin or NumPy function: nothing to mark
        pass
    return func


def overload(func, jit_options=None, strict=True, inline="never", prefer_literal=False, **kwargs):
    """`@overload(func)`: the implementation generator is returned unchanged and not run. When
    `func` is a Python function, a kernel calling it fails saying it is implemented by
    @overload (kcache would otherwise compile its Python body)."""
    def wrap(impl):
        _mark_unsupported(func, "@overload (numba.extending), implemented by %s" % getattr(impl, "__name__", impl))
        return impl

    return wrap


def overload_method(typ, attr, **kwargs):
    """`@overload_method(SomeType, "name")`: returned unchanged (kcache does not run it)."""
    return lambda impl: impl


def overload_attribute(typ, attr, **kwargs):
    """`@overload_attribute(SomeType, "name")`: returned unchanged (kcache does not run it)."""
    return lambda impl: impl


def overload_classmethod(typ, attr, **kwargs):
    return lambda impl: impl


def intrinsic(*args, **kwargs):
    """`@intrinsic` / `@intrinsic(prefer_literal=True)`: returned unchanged; a kernel calling it
    fails with a TypingError (kcache does not generate LLVM IR from Python)."""
    return _decorator(args[0] if args else None, kwargs,
                      lambda f: _mark_unsupported(f, "@intrinsic (numba.extending)"))


def generated_jit(*args, **kwargs):
    raise NotImplementedError("kcache does not support generated_jit (Numba removed it in 0.59; use @overload)")


def _returns_its_argument(*args, **kwargs):
    """A registration decorator of Numba's extension API (typeof_impl.register(T),
    register_model(T), box(T), unbox(T), lower_builtin(...), type_callable(f), ...): accepted,
    returned unchanged, never run."""
    if len(args) == 1 and callable(args[0]) and not kwargs and not isinstance(args[0], type):
        return args[0]
    return lambda f: f


class _Registry:
    """`typeof_impl`, `lower_builtin`, ...: `.register(...)` and calling both decorate."""

    def __init__(self, name):
        self.__name__ = name

    def register(self, *args, **kwargs):
        return lambda f: f

    def __call__(self, *args, **kwargs):
        return lambda f: f


typeof_impl = _Registry("typeof_impl")
lower_builtin = _Registry("lower_builtin")
lower_cast = _Registry("lower_cast")
lower_getattr = _Registry("lower_getattr")
lower_getattr_generic = _Registry("lower_getattr_generic")
lower_setattr = _Registry("lower_setattr")
type_callable = _returns_its_argument
register_model = _returns_its_argument
box = _returns_its_argument
unbox = _returns_its_argument
infer_getattr = _returns_its_argument


def make_attribute_wrapper(typeclass, struct_attr, python_attr):
    """Accepted and not run (kcache has no extension types)."""


def get_cython_function_address(module_name, function_name):
    """Numba gives the address of a Cython function for kernels to call through ctypes; kcache
    compiles kernels in a separate daemon and cannot call into Cython modules."""
    raise ImportError("kcache cannot call Cython functions from kernels: get_cython_function_address(%r, %r) "
                      "is not supported" % (module_name, function_name))


class NativeValue:
    """Numba's unboxing result (accepted so that extension modules import; never used)."""

    def __init__(self, value, is_error=None, cleanup=None):
        self.value = value
        self.is_error = is_error
        self.cleanup = cleanup


class _Models:
    """`numba.extending.models` (`models.StructModel`, ...): placeholders for class bodies."""

    class StructModel:
        def __init__(self, dmm, fe_type, members):
            self._members = members

    class OpaqueModel:
        def __init__(self, dmm, fe_type):
            pass

    class PrimitiveModel:
        def __init__(self, dmm, fe_type, be_type):
            pass


models = _Models()
types = _kcache.types
TypingError = _kcache.TypingError

__all__ = ["register_jitable", "overload", "overload_method", "overload_attribute", "overload_classmethod",
           "intrinsic", "get_cython_function_address", "typeof_impl", "lower_builtin", "lower_cast",
           "lower_getattr", "lower_getattr_generic", "lower_setattr", "type_callable", "register_model", "box",
           "unbox", "infer_getattr", "make_attribute_wrapper", "NativeValue", "models"]
