"""`@stencil`, as Numba has it: a kernel written with relative indices (`a[0, 1]`, `a[-1, 0]`)
becomes a function over whole arrays whose border, where the neighbourhood does not fit, is
`cval` (0). The decorator rewrites the kernel into two functions in the kernel language: the
body at a point (relative indices made absolute) and a driver that loops over the interior
(its outer loop a `prange`, parallel inside `parallel=True` kernels). Jitted code calling the
stencil compiles the driver; calling it from Python compiles the driver on its own."""
import ast
import inspect
import linecache
import textwrap

from ._source import kernel_name

_COUNTER = [0]


class StencilError(TypeError):
    pass


def _constant(node, params):
    """The int a relative index stands for (literals, unary minus, + and - of those)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, int) and not isinstance(node.value, bool):
        return node.value
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
        v = _constant(node.operand, params)
        return None if v is None else (-v if isinstance(node.op, ast.USub) else v)
    if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Add, ast.Sub)):
        a, b = _constant(node.left, params), _constant(node.right, params)
        if a is None or b is None:
            return None
        return a + b if isinstance(node.op, ast.Add) else a - b
    return None


class _Relative(ast.NodeTransformer):
    """Rewrites `a[i, j]` of the relatively indexed parameters to `a[__kc_i0 + i, ...]` and
    collects the extent of every index."""

    def __init__(self, relative, params):
        self.relative = relative
        self.params = params
        self.ndim = None
        self.low = []
        self.high = []
        self.unknown = False

    def visit_Subscript(self, node):
        self.generic_visit(node)
        if not (isinstance(node.value, ast.Name) and node.value.id in self.relative):
            return node
        index = node.slice
        elts = list(index.elts) if isinstance(index, ast.Tuple) else [index]
        if self.ndim is None:
            self.ndim = len(elts)
            self.low = [0] * self.ndim
            self.high = [0] * self.ndim
        elif len(elts) != self.ndim:
            raise StencilError("stencil indices must all have %d dimensions" % self.ndim)
        new = []
        for d, e in enumerate(elts):
            k = _constant(e, self.params)
            if k is None:
                self.unknown = True
            else:
                self.low[d] = min(self.low[d], k)
                self.high[d] = max(self.high[d], k)
            new.append(ast.BinOp(left=ast.Name(id="__kc_i%d" % d, ctx=ast.Load()), op=ast.Add(), right=e))
        node.slice = ast.Tuple(elts=new, ctx=ast.Load()) if len(new) > 1 else new[0]
        return node


def expand(func, neighborhood=None, cval=0, standard_indexing=()):
    """The source text of the body and driver functions for stencil kernel `func`, and the
    driver's name (the kernel's own)."""
    name = kernel_name(func)
    source = textwrap.dedent(inspect.getsource(func))
    tree = ast.parse(source)
    fn = tree.body[0]
    if not isinstance(fn, ast.FunctionDef):
        raise StencilError("@stencil decorates a function")
    fn.decorator_list = []
    params = [a.arg for a in fn.args.args]
    if not params:
        raise StencilError("a stencil kernel takes at least one array")
    relative = [p for p in params if p not in set(standard_indexing)]
    rewrite = _Relative(set(relative), params)
    fn = rewrite.visit(fn)
    ndim = rewrite.ndim
    if neighborhood is not None:
        neighborhood = [tuple(n) for n in neighborhood]
        ndim = len(neighborhood)
        low = [n[0] for n in neighborhood]
        high = [n[1] for n in neighborhood]
    elif rewrite.unknown:
        raise StencilError("a stencil index that is not a constant needs neighborhood=((lo, hi), ...)")
    elif ndim is None:
        raise StencilError("the stencil kernel indexes none of its arrays")
    else:
        low, high = rewrite.low, rewrite.high
    body_name = "%s__kc_body" % name
    fn.name = body_name
    fn.args.args = [ast.arg(arg="__kc_i%d" % d) for d in range(ndim)] + fn.args.args
    body_src = ast.unparse(fn)
    first = relative[0]
    args = ", ".join(params)
    at_origin = ", ".join(["0"] * ndim)
    lines = ["def %s(%s):" % (name, args),
             "    __kc_out = __kc_stencil_output(%s.shape, %r, %s(%s, %s))" % (first, cval, body_name, at_origin, args)]
    indent = "    "
    for d in range(ndim):
        loop = "__kc_prange" if d == 0 else "range"
        lines.append("%sfor __kc_i%d in %s(%d, %s.shape[%d] - %d):" % (indent, d, loop, -low[d], first, d, high[d]))
        indent += "    "
    index = ", ".join("__kc_i%d" % d for d in range(ndim))
    lines.append("%s__kc_out[%s] = %s(%s, %s)" % (indent, index, body_name, index, args))
    lines.append("    return __kc_out")
    # With out=, Numba writes the interior into `out` and leaves its border as it was: the
    # same loops without the allocation. The stencil itself picks one driver or the other
    # (`out is None` is decided when the kernel is compiled).
    loops = lines[2:]
    allocating = ["def %s__kc_alloc(%s):" % (name, args), lines[1]] + loops
    into = ["def %s__kc_into(%s, __kc_out):" % (name, args)] + loops
    driver = ["def %s(%s, out=None):" % (name, args),
              "    if out is None:",
              "        return %s__kc_alloc(%s)" % (name, args),
              "    return %s__kc_into(%s, out)" % (name, args)]
    return "\n\n\n".join([body_src] + ["\n".join(f) for f in (allocating, into, driver)]) + "\n", name


class Stencil:
    """What `@stencil` makes: call it on arrays (from Python or from jitted code)."""

    __kcache_inline_source__ = True

    def __init__(self, func, options):
        from . import njit, prange

        unknown = set(options) - {"neighborhood", "cval", "standard_indexing", "func_or_mode"}
        if unknown:
            raise TypeError("stencil() got unexpected options %s" % sorted(unknown))
        if options.get("func_or_mode", "constant") != "constant":
            raise StencilError("kcache supports func_or_mode='constant' only")
        self.kernel = func
        self.__name__ = func.__name__
        self.__doc__ = func.__doc__
        text, name = expand(func, options.get("neighborhood"), options.get("cval", 0),
                            options.get("standard_indexing", ()))
        _COUNTER[0] += 1
        filename = "<kcache-stencil-%d %s>" % (_COUNTER[0], name)
        linecache.cache[filename] = (len(text), None, text.splitlines(True), filename)
        namespace = dict(func.__globals__)
        namespace["__kc_prange"] = prange
        exec(compile(text, filename, "exec"), namespace)
        # The driver, under the kernel's name: what jitted callers compile with theirs.
        self.py_func = namespace[name]
        self._dispatcher = njit(self.py_func)

    def __call__(self, *args, out=None):
        return self._dispatcher(*args, out)


def stencil(func=None, **options):
    """Numba's `@stencil` / `@stencil(neighborhood=..., cval=..., standard_indexing=...)`."""
    if func is not None and callable(func):
        return Stencil(func, options)

    def wrap(f):
        return Stencil(f, options)
    return wrap
