"""The kernel source sent to kcached: the decorated function, the functions it calls, and the
numeric globals and modules they use, gathered from the live objects so that kernels defined in
a module, a script or a notebook cell all work."""
import keyword
import linecache
import math
import re
import types

import numpy as np

_MODULES = {"math", "cmath", "numpy", "numba", "kcache", "random"}
# The most items of a global array sent with a kernel (kcached's bound too).
_MAX_FROZEN_ITEMS = 1 << 16


class Segment:
    """Where a function's text sits in the generated source, and where it came from."""

    def __init__(self, start, nlines, filename, first_line, indent):
        self.start = start
        self.nlines = nlines
        self.filename = filename
        self.first_line = first_line
        self.indent = indent


class KernelSource:
    def __init__(self, text, segments):
        self.text = text
        self.segments = segments

    def locate(self, line, column):
        """Maps a line:column of the generated text to the user's file:line:column."""
        for seg in self.segments:
            if seg.start <= line < seg.start + seg.nlines:
                return seg.filename, seg.first_line + (line - seg.start), column + seg.indent
        return None


def _code_names(code):
    names = set(code.co_names)
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            names |= _code_names(const)
    return names


_TREES = {}


def _module_tree(filename, lines):
    """The parsed file (cached while its text is unchanged): inspect.getsource tokenizes with
    large regular expressions that cost milliseconds on first use, ast does not."""
    import ast
    text = "".join(lines)
    key = (filename, hash(text))
    tree = _TREES.get(key)
    if tree is None:
        tree = ast.parse(text)
        _TREES[key] = tree
    return tree


def _last_line(code):
    """The last source line the code object (and the functions nested in it) spans."""
    if hasattr(code, "co_positions"):
        ends = [end for _, end, _, _ in code.co_positions() if end is not None]
    else:
        ends = [line for _, _, line in code.co_lines() if line is not None]
    last = max(ends, default=code.co_firstlineno)
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            last = max(last, _last_line(const))
    return last


def _opens_def(line, name):
    """Whether `line` starts `def name(` (string tests: a new regular expression per function
    cost more to compile than all the rest of gathering)."""
    rest = line.lstrip()
    if rest.startswith("async"):
        rest = rest[5:].lstrip()
    if not rest.startswith("def") or rest[3:4] not in (" ", "\t"):
        return False
    rest = rest[3:].lstrip()
    return rest.startswith(name) and rest[len(name):].lstrip().startswith("(")


def _quick_function_text(func, lines):
    """The function's text found from its code object alone, without parsing anything:
    co_firstlineno is the first decorator line, the `def` of this name is the first line from
    there that opens one, and the bytecode's positions give the last line (what they leave out
    at the end, comments and a bare `pass`, has no effect). None sends the caller to the
    whole-module parse, which handles every other layout."""
    import textwrap
    code = func.__code__
    first = code.co_firstlineno
    name = func.__name__
    def_line = next((n for n in range(first, min(first + 64, len(lines) + 1)) if _opens_def(lines[n - 1], name)),
                    None)
    if def_line is None:
        return None
    last = _last_line(code)
    # CPython leaves code it proves unreachable out of the bytecode (what follows `if 1:
    # return x`, `while 1:`, `if not False:` ...), so the positions can end before the function
    # does: a deeper-indented line after them sends the caller to the parse.
    def_indent = len(lines[def_line - 1]) - len(lines[def_line - 1].lstrip())
    for line in lines[last:]:
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        if len(line) - len(line.lstrip()) > def_indent:
            return None
        break
    body = lines[def_line - 1:last]
    text = textwrap.dedent("".join(body))
    if not _opens_def(text, name):
        return None
    indent = len(body[0]) - len(body[0].lstrip())
    return text.rstrip() + "\n", def_line, indent


_CODING = re.compile(rb"^[ \t\f]*#.*?coding[:=]")


def _source_lines(func):
    """The lines of the function's file. Reading it directly is a tenth of what linecache's
    first use costs (tokenize's encoding detection); linecache stays the source for what is
    not a plain UTF-8 file: notebook cells and consoles register there, zip imports, and
    files that declare another encoding."""
    filename = func.__code__.co_filename
    cached = linecache.cache.get(filename)
    if cached and len(cached) > 2:
        return cached[2]
    try:
        with open(filename, "rb") as f:
            raw = f.read()
        head = raw.split(b"\n", 2)[:2]
        if any(_CODING.match(line) for line in head):
            raise ValueError("declared encoding")
        text = raw.decode("utf-8")
    except (OSError, ValueError):
        return linecache.getlines(filename, func.__globals__)
    # Lines as the tokenizer counts them: split at newlines only (str.splitlines would also
    # split at form feeds and U+2028 inside comments and strings, shifting every line number).
    parts = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n").split("\n")
    lines = [line + "\n" for line in parts[:-1]]
    if parts[-1]:
        lines.append(parts[-1])
    return lines


def _lambda_text(func, name, lines):
    """A lambda as `def <name>(args): return (<body>)`: the lambda on its first line whose
    parameters are the code's."""
    import ast
    code = func.__code__
    params = list(code.co_varnames[:code.co_argcount])
    source = "".join(lines)
    column = _lambda_column(code)
    candidates = [node for node in ast.walk(_module_tree(code.co_filename, lines))
                  if isinstance(node, ast.Lambda) and node.lineno == code.co_firstlineno
                  and [a.arg for a in node.args.args] == params]
    # The one whose body holds the code's first column.
    candidates.sort(key=lambda n: (not (n.body.col_offset <= column and (n.body.end_lineno > n.body.lineno
                                                                         or column < n.body.end_col_offset)),
                                   n.col_offset))
    for node in candidates[:1]:
        body = ast.get_source_segment(source, node.body)
        if body is not None:
            text = "def %s(%s):\n    return (%s)\n" % (name, ", ".join(params), body.replace("\n", " "))
            return text, code.co_firstlineno, 0
    raise TypeError("kcache cannot find the source of this lambda (line %d)" % code.co_firstlineno)


def _function_text(func, name=None):
    import ast
    import textwrap
    code = func.__code__
    lines = _source_lines(func)
    if not lines:
        raise TypeError("kcache needs the source of %r, and %s has none" % (func.__name__, code.co_filename))
    name = name or kernel_name(func)
    if func.__name__ == "<lambda>":
        return _lambda_text(func, name, lines)
    if name != func.__name__:
        # A function bound under another name: its def line renamed.
        text, def_line, indent = _function_text(func)
        return re.sub(r"\bdef\s+%s\b" % re.escape(func.__name__), "def " + name, text, count=1), def_line, indent
    quick = _quick_function_text(func, lines)
    if quick is not None:
        return quick
    node = None
    for candidate in ast.walk(_module_tree(code.co_filename, lines)):
        if isinstance(candidate, (ast.FunctionDef, ast.AsyncFunctionDef)) and candidate.name == func.__name__:
            first = min([d.lineno for d in candidate.decorator_list] + [candidate.lineno])
            if first == code.co_firstlineno or candidate.lineno == code.co_firstlineno:
                node = candidate
                break
    if node is None:
        raise TypeError("kcache can only compile functions defined with def (not %r)" % func.__name__)
    # Decorators are Python-side: the signature and options travel in the request.
    body = lines[node.lineno - 1:node.end_lineno]
    first = body[0]
    indent = len(first) - len(first.lstrip())
    text = textwrap.dedent("".join(body))
    return text.rstrip() + "\n", node.lineno, indent


def _literal(value):
    """Source text that evaluates to `value` with the type Numba gives it: NumPy scalars keep
    their own type (a frozen `np.float32` global makes float32 arithmetic), arrays their dtype
    and shape."""
    if isinstance(value, np.ndarray):
        def nested(v):
            if isinstance(v, list):
                return "[%s]" % ", ".join(nested(x) for x in v)
            return _literal(v)
        return "_kc_np.array(%s, dtype=_kc_np.%s)" % (nested(value.tolist()), value.dtype.name)
    if isinstance(value, np.generic) and not isinstance(value, np.float64):
        kind = type(value).__name__
        if isinstance(value, np.bool_):
            return "_kc_np.bool_(%s)" % bool(value)
        if isinstance(value, np.integer):
            return "_kc_np.%s(%d)" % (kind, int(value))
        return "_kc_np.%s(%s)" % (kind, _literal(float(value)))
    if isinstance(value, tuple):
        return "(%s)" % "".join(_literal(v) + ", " for v in value)
    if isinstance(value, bool):
        return "True" if value else "False"
    if isinstance(value, int):
        return str(int(value))
    value = float(value)
    if math.isnan(value):
        return "_kc_math.nan"
    if math.isinf(value):
        return "_kc_math.inf" if value > 0 else "-_kc_math.inf"
    return repr(value)


def _lambda_column(code):
    """The column where a lambda's body starts (several lambdas may share a line)."""
    # (RESUME and the like sit at column 0 with no extent.)
    cols = [p[2] for p in code.co_positions()
            if p[0] == code.co_firstlineno and p[2] is not None and (p[2], p[3]) != (0, 0)]
    return min(cols) if cols else 0


def kernel_name(func):
    """The name a function is compiled under: its own, or for a lambda one made from its place."""
    if func.__name__ == "<lambda>":
        code = func.__code__
        return "_kc_lambda_%d_%d" % (code.co_firstlineno, _lambda_column(code))
    return func.__name__


def _module_members(func, name, module):
    """(attr, value) of each `name.attr` that `func` reads, where `name` is `module` and the
    value is something a kernel can take from another module: a function (jitted or not) or a
    number. Empty when any other attribute is read (the daemon then names the module)."""
    import ast
    try:
        text, _, _ = _function_text(func)
        tree = ast.parse(text)
    except (TypeError, SyntaxError, OSError):
        return []
    found = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == name:
            member = getattr(module, node.attr, None)
            usable = (callable(member) and (isinstance(getattr(member, "py_func", None), types.FunctionType)
                                            or isinstance(member, types.FunctionType))) or (
                isinstance(member, (bool, int, float, np.bool_, np.integer, np.floating)))
            if not usable:
                return []
            found[node.attr] = member
    return sorted(found.items())


def gather(func, dispatcher_type):
    """Builds the source for `func` and everything it reaches. Each function is emitted under
    the name the code that calls it uses (a helper bound as `g = njit(f)` is `def g` here)."""
    functions = []
    seen = set()
    constants = {}
    modules = {}
    members = {}
    # Signatures a dispatcher declares convert the arguments and result of calls to it (Numba
    # compiles only those), so they travel with its source.
    declared = {}
    ufuncs = {}  # name -> declared signatures of the @vectorize functions called
    # `mod.f(...)` of a jitted function or number of another module (numba-stats' `_expon._cdf1`):
    # the function's text, per function name, gets `mod__f` for `mod.f` (see _module_members).
    renames = {}

    def visit(f, as_name):
        if as_name in seen:
            return
        seen.add(as_name)
        functions.append((f, as_name))
        g = f.__globals__
        if f.__code__.co_freevars:
            # Closure variables (a helper defined in the enclosing function) resolve like globals.
            # Copied only then: a notebook's globals can hold thousands of names.
            g = dict(g)
            for name, cell in zip(f.__code__.co_freevars, f.__closure__ or ()):
                try:
                    g[name] = cell.cell_contents
                except ValueError:
                    pass
        for name in sorted(_code_names(f.__code__) | set(f.__code__.co_freevars)):
            if name not in g:
                continue
            value = g[name]
            if getattr(value, "__kcache_prange__", False):
                members[name] = ("kcache", "prange")
            elif getattr(value, "__kcache_builtin__", None):
                members[name] = ("kcache", value.__kcache_builtin__)
            elif getattr(value, "__kcache_unsupported__", None) and isinstance(value, types.FunctionType):
                from . import TypingError

                raise TypingError("%s:%d: %s() calls %s, which is defined with %s: kcache compiles kernels from "
                                  "Python source and does not run Numba's extension API" % (
                                      f.__code__.co_filename, f.__code__.co_firstlineno, f.__name__, name,
                                      value.__kcache_unsupported__))
            elif isinstance(value, dispatcher_type):
                declared[name] = getattr(value, "_declared", [])
                visit(value.py_func, name)
            elif getattr(value, "__kcache_inline_source__", False):
                if getattr(value, "__kcache_ufunc__", False):
                    ufuncs[name] = list(getattr(value, "_declared", []))
                visit(value.py_func, name)
            elif isinstance(value, types.FunctionType):
                visit(value, name)
            elif isinstance(value, types.ModuleType) and value.__name__.split(".")[0] not in _MODULES and (
                    found := _module_members(f, name, value)):
                for attr, member in found:
                    alias = "%s__%s" % (name, attr)
                    renames.setdefault(as_name, []).append((name, attr, alias))
                    if isinstance(member, dispatcher_type) or getattr(member, "__kcache_inline_source__", False):
                        if isinstance(member, dispatcher_type):
                            declared[alias] = getattr(member, "_declared", [])
                        if getattr(member, "__kcache_ufunc__", False):
                            ufuncs[alias] = list(getattr(member, "_declared", []))
                        visit(member.py_func, alias)
                    elif isinstance(member, types.FunctionType):
                        visit(member, alias)
                    else:
                        constants[alias] = member
            elif isinstance(value, types.ModuleType):
                # Every module the kernel names is sent, the ones kernels cannot use too: the
                # daemon then says which module it is, instead of "name is not defined". Names
                # that are not Python's (pytest's `@pytest_ar` in rewritten asserts) stay out.
                if value.__name__.split(".")[0] in _MODULES or (
                        name.isidentifier() and not keyword.iskeyword(name)
                        and all(p.isidentifier() for p in value.__name__.split("."))):
                    modules[name] = value.__name__
            elif isinstance(value, (bool, int, float, np.bool_, np.integer, np.floating)):
                constants[name] = value
            elif (isinstance(value, tuple) and len(value) <= _MAX_FROZEN_ITEMS
                  and all(isinstance(v, (bool, int, float, np.bool_, np.integer, np.floating)) for v in value)):
                # A tuple of numbers (coefficients, limits): frozen like a number.
                constants[name] = value
            elif (isinstance(value, np.ndarray) and value.dtype.kind in "biuf" and value.dtype.itemsize <= 8
                  and 0 < value.size <= _MAX_FROZEN_ITEMS and value.ndim >= 1):
                # A global array is a constant in Numba's kernels: its values travel in the source.
                constants[name] = value
            else:
                module = getattr(value, "__module__", None) or ""
                owner = "numpy" if isinstance(value, np.ufunc) or module.startswith("numpy") else module
                # numpy.random and numpy.linalg keep their submodule (kcached knows both).
                if module in ("numpy.random", "numpy.linalg"):
                    owner = module
                elif owner.split(".")[0] in _MODULES:
                    owner = owner.split(".")[0]
                if owner.split(".")[0] in _MODULES and hasattr(value, "__name__"):
                    members[name] = (owner, value.__name__)

    entry = kernel_name(func)
    own = func.__globals__.get(func.__name__)
    if isinstance(own, dispatcher_type) and own.py_func is func:
        declared[entry] = getattr(own, "_declared", [])
    visit(func, entry)
    header = ["import math as _kc_math", "import numpy as _kc_np", "from kcache import njit as _kc_njit"]
    if ufuncs:
        header.append("from kcache import vectorize as _kc_vectorize")
    for alias, module in sorted(modules.items()):
        header.append("import %s as %s" % (module, alias))
    for alias, (module, member) in sorted(members.items()):
        header.append("from %s import %s as %s" % (module, member, alias))
    for name, value in sorted(constants.items()):
        header.append("%s = %s" % (name, _literal(value)))
    text = "\n".join(header) + "\n\n"
    segments = []
    for f, name in functions:
        body, def_line, indent = _function_text(f, name)
        for module, attr, alias in renames.get(name, ()):
            # Same line count: the segment's line mapping (error positions) still holds.
            body = re.sub(r"\b%s\s*\.\s*%s\b" % (re.escape(module), re.escape(attr)), alias, body)
        if name in ufuncs:
            text += "@_kc_vectorize(%r)\n" % (ufuncs[name],)
        elif declared.get(name):
            text += "@_kc_njit(%r)\n" % ([str(s) for s in declared[name]],)
        start = text.count("\n") + 1
        segments.append(Segment(start, body.count("\n"), f.__code__.co_filename, def_line, indent))
        text += body + "\n\n"
    return KernelSource(text, segments)
