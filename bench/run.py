#!/usr/bin/env python3
"""kcache benchmark driver (run by bench/run.sh, i.e. `make bench`).

Compares, side by side in one process, the corpus kernels (tests/kernels/*.py) compiled by
kcache (a private kcached, release unless --daemon-profile says otherwise), by Numba,
hand-written C (gcc -O3 -march=native, with and without -ffast-math, through ctypes) and a
NumPy equivalent where there is one.  Engines are
interleaved round by round; every timing is time.perf_counter_ns over enough inner repetitions
to take at least --min-ms.  Also measures memory bandwidth, parallel scaling, call and prange
overheads, and import / first-call / cache-hit times in fresh processes.  Writes bench/RESULTS.md
(keeping the earlier first-call section at the end) and bench/build/results.json.
"""
import argparse
import ctypes
import datetime
import gc
import importlib.util
import json
import math
import os
import pathlib
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import traceback
import types
import uuid

ROOT = pathlib.Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
BUILD = BENCH / "build"
KERNELS = pathlib.Path(os.environ.get("KCACHE_KERNELS", ROOT / "tests" / "kernels"))
RESULTS = BENCH / "RESULTS.md"
EARLIER_HEADING = "## First call of `compute_sum`, request to callable"

ENGINES = ["kcache", "numba", "c", "c_fast", "numpy"]
LABEL = {"kcache": "kcache", "numba": "Numba", "c": "C -O3", "c_fast": "C -ffast-math", "numpy": "NumPy",
         "kcache_fm": "kcache fastmath", "numba_fm": "Numba fastmath"}

perf = time.perf_counter_ns


def log(*a):
    print(*a, flush=True)


# ------------------------------------------------------------------------------------------------
# formatting and statistics


def fmt_t(ns):
    if ns is None:
        return "—"
    if ns < 1e3:
        return "%.0f ns" % ns
    if ns < 1e6:
        return "%.3g µs" % (ns / 1e3)
    if ns < 1e9:
        return "%.3g ms" % (ns / 1e6)
    return "%.3g s" % (ns / 1e9)


def fmt_r(x, digits=2):
    return "—" if x is None else ("%.*f" % (digits, x))


def geomean(xs):
    xs = [x for x in xs if x is not None and x > 0]
    return math.exp(sum(map(math.log, xs)) / len(xs)) if xs else None


def summary(samples):
    if not samples:
        return None
    return {"median": statistics.median(samples), "min": min(samples), "max": max(samples), "n": len(samples)}


def ratio_median(a, b):
    """Median of per-round ratios a[r] / b[r]."""
    if not a or not b:
        return None
    return statistics.median(x / y for x, y in zip(a, b))


# ------------------------------------------------------------------------------------------------
# timing


def time_reps(fn, reps):
    t0 = perf()
    for _ in range(reps):
        fn()
    return (perf() - t0) / reps


def calibrate(fn, min_ns):
    """Inner repetitions so that one timed block takes at least min_ns."""
    reps = 1
    while True:
        t0 = perf()
        for _ in range(reps):
            fn()
        dt = perf() - t0
        if dt >= min_ns or reps >= 1 << 24:
            return reps
        if dt < min_ns / 64:
            reps *= 16
        else:
            reps = max(reps + 1, int(math.ceil(reps * min_ns * 1.1 / max(dt, 1))))


def interleaved(fns, rounds, min_ns, errors):
    """fns: {engine: callable}; each already warmed up.  Returns {engine: [ns per call per round]}.
    An engine that raises is dropped and its error recorded in errors[engine]."""
    reps = {}
    for e, fn in list(fns.items()):
        try:
            reps[e] = calibrate(fn, min_ns)
        except Exception as exc:  # noqa: BLE001
            errors[e] = "%s: %s" % (type(exc).__name__, exc)
    out = {e: [] for e in reps}
    gc_was = gc.isenabled()
    gc.disable()
    try:
        for r in range(rounds):
            # The order rotates from round to round, so that no engine always runs first (right
            # after another engine's threads, caches and clock state) or always last.
            order = list(reps)
            order = order[r % len(order):] + order[:r % len(order)] if order else order
            for e in order:
                if e not in reps:
                    continue
                try:
                    out[e].append(time_reps(fns[e], reps[e]))
                except Exception as exc:  # noqa: BLE001
                    errors[e] = "%s: %s" % (type(exc).__name__, exc)
                    del reps[e]
                    out.pop(e, None)
    finally:
        if gc_was:
            gc.enable()
    return out, reps


# ------------------------------------------------------------------------------------------------
# loading the corpus


def load_module(path, numba_like, tag):
    saved = sys.modules.get("numba")
    sys.modules["numba"] = numba_like
    try:
        name = "%s_%s" % (tag, pathlib.Path(path).stem)
        spec = importlib.util.spec_from_file_location(name, path)
        module = importlib.util.module_from_spec(spec)
        # Registered as an imported module would be (Numba's eager compile of the self-recursive
        # fib resolves the function through its module and fails without this).
        sys.modules[name] = module
        try:
            spec.loader.exec_module(module)
        except BaseException:
            sys.modules.pop(name, None)
            raise
        return module
    finally:
        if saved is None:
            sys.modules.pop("numba", None)
        else:
            sys.modules["numba"] = saved


def fastmath_shim(base, name):
    """A module that looks like `base` (kcache or numba) but compiles everything with fastmath=True."""
    shim = types.ModuleType(name)
    shim.prange = base.prange

    def njit(*args, **kw):
        kw["fastmath"] = True
        return base.njit(*args, **kw)

    def vectorize(*args, **kw):
        kw["fastmath"] = True
        return base.vectorize(*args, **kw)

    shim.njit = shim.jit = njit
    shim.vectorize = vectorize
    # Anything else (Numba's own lazy `from numba import ...` while the shim is installed) comes
    # from the real module.
    shim.__getattr__ = lambda attr: getattr(base, attr)
    return shim


# ------------------------------------------------------------------------------------------------
# the C library


def load_c(path):
    lib = ctypes.CDLL(str(path))
    P, I64, I32, D, INT = ctypes.c_void_p, ctypes.c_int64, ctypes.c_int32, ctypes.c_double, ctypes.c_int
    sigs = {
        "compute_sum": (D, [P, I64]),
        "saxpy": (None, [D, P, P, P, I64]),
        "power_two": (None, [P, P, I64]),
        "black_scholes": (None, [P, P, P, D, D, P, P, I64]),
        "escape_time": (I32, [D, D, I32]),
        "mandelbrot": (None, [D, D, D, D, P, I64, I64, I64, I64, I32]),
        "jacobi_sweep": (D, [P, P, I64, I64]),
        "matmul": (None, [P, P, P, I64, I64, I64]),
        "pairwise_distance": (None, [P, I64, I64, I64, I64, P]),
        "histogram": (I64, [P, I64, D, D, P, I64]),
        "parallel_sum": (D, [P, I64]),
        "parallel_sum_omp": (D, [P, I64, INT]),
        "floor_div_mod": (I64, [I64, I64]),
        "fib": (I64, [I64]),
        "collatz_steps": (I64, [I64]),
        "mixed_promotion": (D, [I64, D]),
        "add_one": (I64, [I64]),
        "stream_copy": (None, [P, P, I64]),
        "stream_scale": (None, [P, P, D, I64]),
        "stream_triad": (None, [P, P, P, D, I64]),
        "stream_read": (D, [P, I64]),
    }
    for name, (res, args) in sigs.items():
        f = getattr(lib, name)
        f.restype = res
        f.argtypes = args
    return lib


def c_closure(lib, name, a, threads=2):
    """A no-argument callable running the C version of kernel `name` on the corpus arguments `a`
    (the callable keeps the arrays alive: the C code only gets their addresses)."""
    fn = _c_closure(lib, name, a, threads)
    if fn is not None:
        fn.keep_alive = a
    return fn


def _c_closure(lib, name, a, threads):
    p = lambda x: x.ctypes.data  # noqa: E731
    if name in ("compute_sum",):
        f, x, n = lib.compute_sum, p(a[0]), a[0].size
        return lambda: f(x, n)
    if name == "parallel_sum":
        f, x, n = lib.parallel_sum_omp, p(a[0]), a[0].size
        return lambda: f(x, n, threads)
    if name == "saxpy":
        s, x, y, out = a
        f, px, py, po, n = lib.saxpy, p(x), p(y), p(out), x.size
        return lambda: f(s, px, py, po, n)
    if name == "power_two":
        x, out = a
        f, px, po, n = lib.power_two, p(x), p(out), x.size
        return lambda: f(px, po, n)
    if name == "black_scholes":
        spot, strike, years, rate, vol, call, put = a
        f = lib.black_scholes
        ptrs = (p(spot), p(strike), p(years), rate, vol, p(call), p(put), spot.size)
        return lambda: f(*ptrs)
    if name == "escape_time":
        f = lib.escape_time
        return lambda: f(*a)
    if name == "mandelbrot":
        xmin, xmax, ymin, ymax, img, mi = a
        f = lib.mandelbrot
        args = (xmin, xmax, ymin, ymax, p(img), img.shape[0], img.shape[1], img.strides[0] // 4, img.strides[1] // 4, mi)
        return lambda: f(*args)
    if name == "jacobi_sweep":
        g, out = a
        assert g.flags.c_contiguous and out.flags.c_contiguous
        f, args = lib.jacobi_sweep, (p(g), p(out), g.shape[0], g.shape[1])
        return lambda: f(*args)
    if name == "matmul":
        A, B, C = a
        f, args = lib.matmul, (p(A), p(B), p(C), A.shape[0], A.shape[1], B.shape[1])
        return lambda: f(*args)
    if name == "pairwise_distance":
        X, Dm = a
        f, args = lib.pairwise_distance, (p(X), X.shape[0], X.shape[1], X.strides[0] // 8, X.strides[1] // 8, p(Dm))
        return lambda: f(*args)
    if name == "histogram":
        values, lo, hi, counts = a
        f, args = lib.histogram, (p(values), values.size, lo, hi, p(counts), counts.size)
        return lambda: f(*args)
    if name in ("floor_div_mod", "fib", "collatz_steps", "mixed_promotion"):
        f = getattr(lib, name)
        return lambda: f(*a)
    return None


def numpy_closure(np, name, a):
    if name in ("compute_sum", "parallel_sum"):
        x = a[0]
        return lambda: x.sum()
    if name == "saxpy":
        s, x, y, out = a

        def saxpy_np():
            np.multiply(x, s, out=out)
            np.add(out, y, out=out)
        return saxpy_np
    if name == "power_two":
        x, out = a
        return lambda: np.square(x, out=out)
    if name == "fused_triad":
        x, y, z = a
        return lambda: x * y + z
    if name == "array_sum":
        return a[0].sum
    if name == "array_max":
        return a[0].max
    if name == "alloc_square":
        return lambda: np.square(a[0])
    return None


# ------------------------------------------------------------------------------------------------
# the kernel table

# kernel -> (file, sizes); sizes of None mean the generator ignores n (scalar kernels).
def kernel_plan(quick):
    big = 10_000_000
    plan = [
        ("compute_sum", "compute_sum.py", [10_000, big]),
        ("saxpy", "saxpy.py", [10_000, big]),
        ("power_two", "power_two.py", [10_000, big]),
        ("parallel_sum", "parallel_sum.py", [10_000, big]),
        ("histogram", "histogram.py", [10_000, big]),
        ("black_scholes", "black_scholes.py", [10_000, 1_000_000]),   # 1e6: ~60 ms a call in Numba
        ("mandelbrot", "mandelbrot.py", [10_000, 1_000_000]),         # 50x100 and 500x1000 pixels, 100 it
        ("jacobi_sweep", "jacobi2d.py", [10_000, big]),               # 100^2 and 3162^2
        ("matmul", "matmul.py", [10_000, big]),                       # 22^3 and 215^3
        ("pairwise_distance", "pairwise.py", [10_000, 4_000_000]),    # 100 and 2000 points
        ("fused_triad", "array_exprs.py", [10_000, big]),           # a * b + c into a new array
        ("array_sum", "array_exprs.py", [10_000, big]),
        ("array_max", "array_exprs.py", [10_000, big]),
        ("alloc_square", "array_exprs.py", [10_000, big]),          # np.empty_like + loop, returned
        ("escape_time", "mandelbrot.py", [None]),
        ("floor_div_mod", "python_semantics.py", [None]),
        ("fib", "python_semantics.py", [None]),
        ("collatz_steps", "python_semantics.py", [None]),
        ("mixed_promotion", "python_semantics.py", [None]),
    ]
    if quick:
        plan = [(k, f, [s if s is None or s <= 10_000 else s // 10 for s in sizes]) for k, f, sizes in plan]
    return plan


def shape_of(name, n, a):
    if n is None:
        return "scalar args %s" % (tuple(a),)
    if name == "mandelbrot":
        return "%dx%d px" % a[4].shape
    if name in ("jacobi_sweep", "matmul"):
        return "%dx%d" % a[0].shape
    if name == "pairwise_distance":
        return "%d points" % a[0].shape[0]
    return "n=%s" % format(n, ",")


def prepare_args(np, name, a):
    """Corpus arguments, adjusted for the benchmark: power_two gets a preallocated output array."""
    a = tuple(a)
    if name == "power_two":
        return (a[0], np.empty_like(a[0]))
    return a


def copy_args(np, a):
    return tuple(x.copy() if isinstance(x, np.ndarray) else x for x in a)


def py_closure(kernel, name, a):
    if name == "power_two":
        x, out = a
        return lambda: kernel(x, out=out)
    return lambda: kernel(*a)


def compare(np, name, ref, got, loose):
    """Compares the (return value, argument arrays) of two engines.  Returns (status, detail)."""
    rret, rargs = ref
    gret, gargs = got
    pairs = []
    if rret is not None or gret is not None:
        pairs.append(("return", np.asarray(rret, dtype=float if isinstance(rret, float) else None), np.asarray(gret)))
    for i, (r, g) in enumerate(zip(rargs, gargs)):
        if isinstance(r, np.ndarray):
            pairs.append(("arg%d" % i, r, g))
    bitwise = True
    worst = 0.0
    for what, r, g in pairs:
        r = np.asarray(r)
        g = np.asarray(g)
        if r.shape != g.shape:
            return "MISMATCH", "%s: shape %s vs %s" % (what, r.shape, g.shape)
        if np.array_equal(r, g, equal_nan=r.dtype.kind == "f"):
            continue
        bitwise = False
        if r.dtype.kind in "iub" and g.dtype.kind in "iub":
            return "MISMATCH", "%s: integers differ (%d of %d elements)" % (what, int(np.sum(r != g)), r.size)
        rf = r.astype(np.float64)
        gf = g.astype(np.float64)
        if rf.size:
            # normwise: the largest difference relative to the largest magnitude in the array
            with np.errstate(all="ignore"):
                err = float(np.nanmax(np.abs(rf - gf))) / max(float(np.nanmax(np.abs(rf))), 1e-300)
            if np.isnan(rf).sum() != np.isnan(gf).sum():
                err = float("inf")
            worst = max(worst, err)
    if bitwise:
        return "bitwise", ""
    if worst <= loose:
        return "close", "largest difference %.1e of the largest value" % worst
    return "MISMATCH", "largest difference %.1e of the largest value" % worst


# tolerance (relative) under which a non-bitwise result counts as "close" rather than a mismatch
LOOSE = {"parallel_sum": 1e-9, "black_scholes": 1e-9}


def run_kernels(np, mods, clib, plan, rounds, min_ns, res):
    rows = []
    for name, fname, sizes in plan:
        for n in sizes:
            row = {"kernel": name, "n": n, "errors": {}, "check": {}}
            rows.append(row)
            try:
                gen = None
                for eng in ("numba", "kcache"):
                    m = mods.get((eng, fname))
                    if isinstance(m, types.ModuleType):
                        gen = getattr(m, "inputs_" + name)
                        break
                if gen is None:
                    raise RuntimeError("no engine could load %s" % fname)
                base = prepare_args(np, name, gen(n if n is not None else 0, np.random.default_rng(12345)))
                row["shape"] = shape_of(name, n, base)
                log("  %-18s %s" % (name, row["shape"]))
                fns, outcomes = {}, {}
                for eng in ENGINES:
                    try:
                        a = copy_args(np, base)
                        if eng in ("kcache", "numba"):
                            m = mods.get((eng, fname))
                            if not isinstance(m, types.ModuleType):
                                raise RuntimeError("load failed: %s" % m)
                            fn = py_closure(getattr(m, name), name, a)
                        elif eng in ("c", "c_fast"):
                            fn = c_closure(clib[eng], name, a)
                        else:
                            fn = numpy_closure(np, name, a)
                        if fn is None:
                            continue
                        ret = fn()  # the warm-up call, on fresh inputs: checked below
                        outcomes[eng] = (ret, copy_args(np, a))
                        fns[eng] = fn
                    except Exception as exc:  # noqa: BLE001
                        row["errors"][eng] = "%s: %s" % (type(exc).__name__, str(exc).splitlines()[0] if str(exc) else "")
                        log("    %s failed: %s" % (eng, row["errors"][eng]))
                ref_eng = "numba" if "numba" in outcomes else ("c" if "c" in outcomes else None)
                if ref_eng:
                    for eng, got in outcomes.items():
                        if eng == ref_eng:
                            continue
                        if eng == "numpy":
                            continue  # NumPy's pairwise sums are not bit-comparable; not checked
                        loose = 1e-6 if eng == "c_fast" else LOOSE.get(name, 0.0)
                        row["check"][eng] = compare(np, name, outcomes[ref_eng], got, loose)
                    row["check_ref"] = ref_eng
                samples, reps = interleaved(fns, rounds, min_ns, row["errors"])
                row["samples"] = samples
                row["reps"] = reps
                row["stats"] = {e: summary(s) for e, s in samples.items()}
                row["ratio_numba"] = ratio_median(samples.get("kcache"), samples.get("numba"))
                row["ratio_c"] = ratio_median(samples.get("kcache"), samples.get("c"))
                row["ratio_c_fast"] = ratio_median(samples.get("kcache"), samples.get("c_fast"))
                row["ratio_numpy"] = ratio_median(samples.get("kcache"), samples.get("numpy"))
                log("    " + "  ".join("%s %s" % (e, fmt_t(row["stats"][e]["median"])) for e in samples)
                    + "   kcache/Numba %s  kcache/C %s" % (fmt_r(row["ratio_numba"]), fmt_r(row["ratio_c"])))
                del fns, outcomes, base
            except Exception as exc:  # noqa: BLE001
                row["errors"]["harness"] = "%s: %s" % (type(exc).__name__, exc)
                log("    harness error: %s" % traceback.format_exc())
            gc.collect()
    res["kernels"] = rows


def run_fastmath(np, kc, nb, clib, quick, rounds, min_ns, res):
    """compute_sum and black_scholes compiled with fastmath=True (kcache and Numba) against gcc -ffast-math."""
    mods = {}
    for eng, base in (("kcache_fm", kc), ("numba_fm", nb)):
        for fname in ("compute_sum.py", "black_scholes.py"):
            try:
                mods[(eng, fname)] = load_module(KERNELS / fname, fastmath_shim(base, "numba"), eng)
            except Exception as exc:  # noqa: BLE001
                mods[(eng, fname)] = "%s: %s" % (type(exc).__name__, exc)
        # compute_sum typed for a C-contiguous array (float64[::1]) instead of the corpus's float64[:]
        m = mods.get((eng, "compute_sum.py"))
        try:
            if not isinstance(m, types.ModuleType):
                raise RuntimeError("load failed: %s" % m)
            ns = types.ModuleType("%s_compute_sum_contig" % eng)
            ns.compute_sum = base.njit("float64(float64[::1])", fastmath=True)(m.compute_sum.py_func)
            ns.inputs_compute_sum = m.inputs_compute_sum
            mods[(eng, "compute_sum[::1]")] = ns
        except Exception as exc:  # noqa: BLE001
            mods[(eng, "compute_sum[::1]")] = "%s: %s" % (type(exc).__name__, exc)
    rows = []
    plan = [("compute_sum", "compute_sum.py", [10_000, 10_000_000]),
            ("black_scholes", "black_scholes.py", [10_000, 1_000_000]),
            ("compute_sum", "compute_sum[::1]", [10_000, 10_000_000])]
    if quick:
        plan = [(k, f, [s if s <= 10_000 else s // 10 for s in sz]) for k, f, sz in plan]
    for name, fname, sizes in plan:
        for n in sizes:
            row = {"kernel": name, "n": n, "errors": {}, "check": {}, "variant": fname}
            rows.append(row)
            m0 = mods.get(("numba_fm", fname))
            if not isinstance(m0, types.ModuleType):
                m0 = mods.get(("kcache_fm", fname))
            if not isinstance(m0, types.ModuleType):
                row["errors"]["harness"] = str(mods.get(("kcache_fm", fname)))
                continue
            base = m0.__dict__["inputs_" + name](n, np.random.default_rng(12345))
            row["shape"] = shape_of(name, n, base)
            log("  %-18s %s (fastmath)" % (name, row["shape"]))
            fns, outcomes = {}, {}
            for eng in ("kcache_fm", "numba_fm", "c_fast", "c"):
                try:
                    a = copy_args(np, base)
                    if eng in ("kcache_fm", "numba_fm"):
                        m = mods[(eng, fname)]
                        if not isinstance(m, types.ModuleType):
                            raise RuntimeError("load failed: %s" % m)
                        fn = py_closure(getattr(m, name), name, a)
                    else:
                        fn = c_closure(clib[eng], name, a)
                    outcomes[eng] = (fn(), copy_args(np, a))
                    fns[eng] = fn
                except Exception as exc:  # noqa: BLE001
                    row["errors"][eng] = "%s: %s" % (type(exc).__name__, exc)
            if "c" in outcomes:
                for eng in ("kcache_fm", "numba_fm", "c_fast"):
                    if eng in outcomes:
                        row["check"][eng] = compare(np, name, outcomes["c"], outcomes[eng], 1e-6)
            samples, reps = interleaved(fns, rounds, min_ns, row["errors"])
            row["samples"] = samples
            row["stats"] = {e: summary(s) for e, s in samples.items()}
            row["ratio_c_fast"] = ratio_median(samples.get("kcache_fm"), samples.get("c_fast"))
            row["ratio_numba_fm"] = ratio_median(samples.get("kcache_fm"), samples.get("numba_fm"))
            row["numba_ratio_c_fast"] = ratio_median(samples.get("numba_fm"), samples.get("c_fast"))
            log("    " + "  ".join("%s %s" % (e, fmt_t(row["stats"][e]["median"])) for e in samples)
                + "   kcache-fm/C-fm %s" % fmt_r(row["ratio_c_fast"]))
    res["fastmath"] = rows


def run_bandwidth(np, clib, quick, rounds, min_ns, res):
    n = 2_000_000 if quick else 40_000_000
    log("  STREAM-like probes on %s doubles per array" % format(n, ","))
    a = np.zeros(n)
    b = np.random.default_rng(1).random(n)
    c = np.random.default_rng(2).random(n)
    L = clib["c"]
    pa, pb, pc = a.ctypes.data, b.ctypes.data, c.ctypes.data
    probes = {
        "read (sum, 8 accumulators)": (lambda: L.stream_read(pa, n), 8),
        "copy a = b": (lambda: L.stream_copy(pa, pb, n), 16),
        "scale a = s*b": (lambda: L.stream_scale(pa, pb, 3.0, n), 16),
        "triad a = b + s*c": (lambda: L.stream_triad(pa, pb, pc, 3.0, n), 24),
        "NumPy copy (np.copyto)": (lambda: np.copyto(a, b), 16),
    }
    fns = {k: v[0] for k, v in probes.items()}
    for f in fns.values():
        f()
    errors = {}
    samples, _ = interleaved(fns, rounds, min_ns, errors)
    out = {}
    for k, s in samples.items():
        bpe = probes[k][1]
        gbs = [bpe * n / t for t in s]  # bytes/ns == GB/s
        out[k] = {"bytes_per_elem": bpe, "gbs_median": statistics.median(gbs), "gbs_max": max(gbs),
                  "gbs_min": min(gbs), "time": summary(s)}
        log("    %-28s %.1f GB/s (best %.1f)" % (k, out[k]["gbs_median"], out[k]["gbs_max"]))
    res["bandwidth"] = {"n": n, "probes": out, "errors": errors}


def run_parallel(np, kc, nb, mods, clib, quick, rounds, min_ns, res):
    n = 1_000_000 if quick else 10_000_000
    out = {"n": n, "errors": {}}
    fname = "parallel_sum.py"
    x = np.random.default_rng(12345).random(n)
    fns = {}
    km = mods.get(("kcache", fname))
    nm = mods.get(("numba", fname))
    for t in (1, 2):
        if isinstance(km, types.ModuleType):
            f = km.parallel_sum

            def kfn(f=f, t=t):
                kc.set_num_threads(t)
                return f(x)
            fns["kcache %d thread%s" % (t, "s" if t > 1 else "")] = kfn
        if isinstance(nm, types.ModuleType):
            g = nm.parallel_sum

            def nfn(g=g, t=t):
                nb.set_num_threads(t)
                return g(x)
            fns["Numba %d thread%s" % (t, "s" if t > 1 else "")] = nfn
        L = clib["c"]

        def cfn(t=t, L=L):
            return L.parallel_sum_omp(x.ctypes.data, n, t)
        fns["C OpenMP %d thread%s" % (t, "s" if t > 1 else "")] = cfn
    order = sorted(fns, key=lambda k: (k.split()[0] != "kcache", k.split()[0] != "Numba", k))
    fns = {k: fns[k] for k in order}
    for k, f in list(fns.items()):
        try:
            f()
        except Exception as exc:  # noqa: BLE001
            out["errors"][k] = "%s: %s" % (type(exc).__name__, exc)
            del fns[k]
    samples, _ = interleaved(fns, rounds, min_ns, out["errors"])
    try:
        kc.set_num_threads(2)
        nb.set_num_threads(2)
    except Exception:  # noqa: BLE001
        pass
    out["stats"] = {k: summary(s) for k, s in samples.items()}
    out["samples"] = samples
    for eng in ("kcache", "Numba", "C OpenMP"):
        s1, s2 = samples.get("%s 1 thread" % eng), samples.get("%s 2 threads" % eng)
        if s1 and s2:
            out.setdefault("speedup", {})[eng] = ratio_median(s1, s2)
    for k, s in out["stats"].items():
        log("    %-20s %s" % (k, fmt_t(s["median"])))
    log("    speedups: %s" % out.get("speedup"))
    res["parallel"] = out


def run_overheads(np, kc, nb, mods, clib, rounds, min_ns, res):
    out = {"errors": {}}
    ek = mods.get(("kcache", "extra"))
    en = mods.get(("numba", "extra"))
    L = clib["c"]

    def plain_add_one(x):
        return x + 1

    # per-call cost of a trivial scalar kernel
    fns = {}
    N = 2000
    if isinstance(ek, types.ModuleType):
        f = ek.add_one

        def kf(f=f):
            for _ in range(N):
                f(1)
        fns["kcache"] = kf
    if isinstance(en, types.ModuleType):
        g = en.add_one

        def nf(g=g):
            for _ in range(N):
                g(1)
        fns["Numba"] = nf
    cf = L.add_one

    def cfun():
        for _ in range(N):
            cf(1)
    fns["ctypes (C)"] = cfun

    def pyf():
        for _ in range(N):
            plain_add_one(1)
    fns["plain Python function"] = pyf

    def empty():
        for _ in range(N):
            pass
    fns["empty loop"] = empty
    for k, f in list(fns.items()):
        try:
            f()
        except Exception as exc:  # noqa: BLE001
            out["errors"][k] = "%s: %s" % (type(exc).__name__, exc)
            del fns[k]
    samples, _ = interleaved(fns, rounds, min_ns, out["errors"])
    out["call"] = {k: summary([t / N for t in s]) for k, s in samples.items()}
    for k, s in out["call"].items():
        log("    call %-24s %s" % (k, fmt_t(s["median"])))

    # prange region overhead
    fns = {}
    a2 = np.zeros(2)
    for eng, m in (("kcache", ek), ("Numba", en)):
        if not isinstance(m, types.ModuleType):
            continue
        fns["%s empty prange(2)" % eng] = (lambda m=m: m.empty_prange(2))
        fns["%s prange touch (n=2)" % eng] = (lambda m=m: m.prange_touch(a2))
        fns["%s prange touch, inner loop (n=2)" % eng] = (lambda m=m: m.prange_pool_touch(a2))
        fns["%s serial touch (n=2)" % eng] = (lambda m=m: m.serial_touch(a2))
    for k, f in list(fns.items()):
        try:
            f()
        except Exception as exc:  # noqa: BLE001
            out["errors"][k] = "%s: %s" % (type(exc).__name__, exc)
            del fns[k]
    samples, _ = interleaved(fns, rounds, min_ns, out["errors"])
    out["prange"] = {k: summary(s) for k, s in samples.items()}
    for k, s in out["prange"].items():
        log("    %-32s %s" % (k, fmt_t(s["median"])))
    res["overheads"] = out


# ------------------------------------------------------------------------------------------------
# fresh processes

CHILD_IMPORT = r"""
import time
t00 = time.perf_counter_ns()
{pre}
t0 = time.perf_counter_ns()
import {mod}
t1 = time.perf_counter_ns()
print((t1 - t0) / 1e6)
"""

CHILD_FIRST = r"""
import importlib, json, sys, time
import numpy as np
import {engine} as engine
sys.modules["numba"] = engine
sys.path.insert(0, {moddir!r})
arr = np.arange(1000.0)
t_init = time.perf_counter_ns()
# The engine's one-time initialisation, timed on its own: kcache connects to the daemon, Numba
# builds its CPU target (what its first compile or cache load would otherwise do).
if {engine!r} == "kcache":
    engine._get_client()
else:
    from numba.core.registry import cpu_target
    cpu_target.target_context.refresh()
    cpu_target.typing_context.refresh()
t0 = time.perf_counter_ns()
m = importlib.import_module({modname!r})
f = getattr(m, {name!r})
r = f(arr)
t1 = time.perf_counter_ns()
hit = None
try:
    if {engine!r} == "kcache":
        hit = all(ov.cache_hit for ov in f.overloads.values())
    else:
        hit = sum(f.stats.cache_hits.values()) > 0
except Exception:
    pass
print(json.dumps({{"ms": (t1 - t_init) / 1e6, "after_init_ms": (t1 - t0) / 1e6, "init_ms": (t0 - t_init) / 1e6,
                  "result": float(r), "hit": hit}}))
"""

SUM_MODULE = '''from numba import njit, prange


@njit("float64(float64[:])"{opts})
def {name}(arr):
    sum_val = 0.0
    for i in {rng}(len(arr)):
        sum_val += arr[i]
    return sum_val
'''


def child_env():
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT / "python") + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    return env


def run_child(code, env):
    t0 = perf()
    p = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=300)
    wall = (perf() - t0) / 1e6
    if p.returncode != 0:
        raise RuntimeError("child failed (rc %d): %s" % (p.returncode, p.stderr.strip().splitlines()[-1:] or p.stderr))
    return p.stdout.strip().splitlines()[-1], wall


def run_fresh(runs, tmp, res):
    env = child_env()
    out = {"errors": {}}

    def group(series):
        """series: [(key, make_code(i), parse)]; run i of every series, then run i+1 (interleaved)."""
        data = {key: ([], [], []) for key, _, _ in series}
        dead = set()
        for i in range(runs):
            for key, make_code, parse in series:
                if key in dead:
                    continue
                try:
                    line, wall = run_child(make_code(i), env)
                    v = parse(line)
                except Exception as exc:  # noqa: BLE001
                    out["errors"][key] = "%s: %s" % (type(exc).__name__, exc)
                    log("    %s failed: %s" % (key, out["errors"][key]))
                    dead.add(key)
                    continue
                vals, walls, extra = data[key]
                if isinstance(v, dict):
                    extra.append(v)
                    v = v["ms"]
                vals.append(v)
                walls.append(wall)
        for key, _, _ in series:
            vals, walls, extra = data[key]
            out[key] = {"ms": summary(vals), "wall_ms": summary(walls), "samples": vals, "extra": extra}
            if vals:
                ai = [e["after_init_ms"] for e in extra if "after_init_ms" in e]
                log("    %-58s median %7.2f ms (min %.2f, max %.2f)%s  process %.0f ms" % (
                    key, statistics.median(vals), min(vals), max(vals),
                    ("  after init %.2f ms" % statistics.median(ai)) if ai else "", statistics.median(walls)))

    # imports
    for pre, tag in (("", ""), ("import numpy", " (NumPy already imported)")):
        group([("import kcache" + tag, lambda i, pre=pre: CHILD_IMPORT.format(pre=pre, mod="kcache"), float),
               ("import numba" + tag, lambda i, pre=pre: CHILD_IMPORT.format(pre=pre, mod="numba"), float)])

    mdir = pathlib.Path(tmp) / "modules"
    mdir.mkdir(exist_ok=True)

    def module_file(kind, name, opts, rng="range"):
        path = mdir / ("%s_%s.py" % (kind, name))
        path.write_text(SUM_MODULE.format(name=name, opts=opts, rng=rng))
        return path

    def first_code(engine, path, name):
        return CHILD_FIRST.format(engine=engine, moddir=str(path.parent), modname=path.stem, name=name)

    tag = uuid.uuid4().hex[:10]
    for label, opts, rng in (("compute_sum", "", "range"), ("parallel_sum", ", parallel=True", "prange")):
        # kcache: a new function name per run (a miss in the daemon), then the same file again (a hit)
        names = ["%s_%s_%d" % (label, tag, i) for i in range(runs)]
        paths = [module_file("kc", nm, opts, rng) for nm in names]
        npaths = [module_file("nb", nm, opts, rng) for nm in names]
        cname = "%s_cached_%s" % (label, tag)
        cpath = module_file("nbc", cname, opts + ", cache=True", rng)
        try:
            run_child(first_code("numba", cpath, cname), env)  # populates Numba's cache
        except Exception as exc:  # noqa: BLE001
            out["errors"]["Numba cache populate " + label] = str(exc)
        group([
            ("kcache first call %s, cold (daemon never saw it)" % label,
             lambda i, pt=paths, nm=names: first_code("kcache", pt[i], nm[i]), json.loads),
            ("kcache first call %s, warm (daemon hit)" % label,
             lambda i, pt=paths, nm=names: first_code("kcache", pt[i], nm[i]), json.loads),
            ("Numba first call %s (no cache)" % label,
             lambda i, pt=npaths, nm=names: first_code("numba", pt[i], nm[i]), json.loads),
            ("Numba first call %s, cache=True hit" % label,
             lambda i, pt=cpath, nm=cname: first_code("numba", pt, nm), json.loads),
        ])
    # The C client, request to callable, as bench/first_call.sh measures it.
    first_call = BUILD / "first_call"
    if first_call.exists():
        def c_run(args):
            p = subprocess.run([str(first_call)] + args, capture_output=True, text=True, env=env, timeout=300)
            if p.returncode != 0:
                raise RuntimeError("first_call failed: %s" % p.stderr.strip())
            return float(p.stdout.split()[1])

        def black_scholes_file(label):
            path = mdir / ("bs_%s.py" % label)
            text = (KERNELS / "black_scholes.py").read_text()
            path.write_text(text.replace("black_scholes(", "black_scholes_%s(" % label)
                            .replace("norm_cdf", "norm_cdf_%s" % label))
            return [str(path), "black_scholes_%s" % label]

        c_series = [
            ("C first call compute_sum, cold", lambda i: ["c%s_%d" % (tag, i)]),
            ("C first call compute_sum, warm (daemon hit)", lambda i: ["c%s_%d" % (tag, i)]),
            ("C first call black_scholes, cold", lambda i: black_scholes_file("%s_%d" % (tag, i))),
            ("C first call black_scholes fastmath, cold",
             lambda i: black_scholes_file("fm_%s_%d" % (tag, i)) + ["fastmath=true"]),
        ]
        data = {key: [] for key, _ in c_series}
        for i in range(runs):
            for key, make_args in c_series:
                try:
                    data[key].append(c_run(make_args(i)))
                except Exception as exc:  # noqa: BLE001
                    out["errors"][key] = "%s: %s" % (type(exc).__name__, exc)
        for key, vals in data.items():
            if vals:
                out[key] = {"ms": summary(vals), "samples": vals}
                log("    %-58s median %7.2f ms (min %.2f, max %.2f)" % (key, statistics.median(vals), min(vals), max(vals)))
    res["fresh"] = out


# ------------------------------------------------------------------------------------------------
# machine and versions


def machine_info(np, nb):
    info = {"nproc": os.cpu_count()}
    try:
        info["nproc"] = int(subprocess.run(["nproc"], capture_output=True, text=True).stdout.strip())
    except Exception:  # noqa: BLE001
        pass
    try:
        cpu = pathlib.Path("/proc/cpuinfo").read_text()
        m = re.search(r"^model name\s*:\s*(.*)$", cpu, re.M)
        info["cpu"] = m.group(1).strip() if m else "?"
        m = re.search(r"^flags\s*:\s*(.*)$", cpu, re.M)
        flags = set(m.group(1).split()) if m else set()
        info["simd"] = " ".join(f for f in ("sse4_2", "avx", "avx2", "fma", "avx512f") if f in flags)
    except OSError:
        info["cpu"] = "?"
    try:
        mem = pathlib.Path("/proc/meminfo").read_text()
        info["mem_gib"] = int(re.search(r"MemTotal:\s*(\d+)", mem).group(1)) / 2**20
    except Exception:  # noqa: BLE001
        pass
    try:
        info["loadavg"] = pathlib.Path("/proc/loadavg").read_text().split()[:3]
    except OSError:
        pass
    info["kernel"] = platform.release()
    info["python"] = platform.python_version()
    info["numpy"] = np.__version__
    info["numba"] = nb.__version__
    try:
        import llvmlite
        info["llvmlite"] = llvmlite.__version__
    except Exception:  # noqa: BLE001
        pass
    try:
        info["gcc"] = subprocess.run(["gcc", "--version"], capture_output=True, text=True).stdout.splitlines()[0]
    except Exception:  # noqa: BLE001
        info["gcc"] = "?"
    try:
        rev = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True,
                             text=True).stdout.strip()
        dirty = subprocess.run(["git", "-C", str(ROOT), "status", "--porcelain", "--untracked-files=no"],
                               capture_output=True, text=True).stdout.strip()
        info["git"] = rev + (" (+ uncommitted changes)" if dirty else "")
    except Exception:  # noqa: BLE001
        info["git"] = "?"
    return info


# ------------------------------------------------------------------------------------------------
# the report


def earlier_section():
    """The earlier first-call section, verbatim (from the heading to the end of the current file)."""
    if not RESULTS.exists():
        return None
    text = RESULTS.read_text()
    i = text.find(EARLIER_HEADING)
    if i < 0:
        return None
    return text[i:].rstrip("\n") + "\n"


def md_table(header, rows):
    out = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    for r in rows:
        out.append("| " + " | ".join(str(c) for c in r) + " |")
    return "\n".join(out)


def stat_cell(stats, e):
    s = stats.get(e) if stats else None
    return fmt_t(s["median"]) if s else "—"


def spread(stats):
    worst = None
    for s in (stats or {}).values():
        if s and s["min"] > 0:
            r = s["max"] / s["min"]
            worst = r if worst is None else max(worst, r)
    return worst


def error_cell(row, e):
    err = row["errors"].get(e)
    if err:
        return "error"
    return None


def targets_and_report(res, args, elapsed_s):
    info = res["machine"]
    rows = [r for r in res["kernels"] if r.get("stats")]
    L = []
    w = L.append
    w("# kcache benchmarks")
    w("")
    w("Produced by `make bench` (bench/run.sh: release build, bench/.venv with NumPy and Numba from PyPI, "
      "C references built with gcc, then `bench/.venv/bin/python bench/run.py%s`)." %
      ((" " + " ".join(args.passthrough)) if args.passthrough else ""))
    w("")
    w("- date: %s (run took %.0f s)" % (res["date"], elapsed_s))
    w("- machine: %s, nproc %s, %.1f GiB RAM, SIMD: %s, Linux %s; load average at start %s" % (
        info.get("cpu"), info.get("nproc"), info.get("mem_gib", 0), info.get("simd"), info.get("kernel"),
        " ".join(info.get("loadavg", []))))
    w("- kcache %s (%s kcached and release libkcache.so from target/release, private daemon with an empty store "
      "over a Unix socket); Python %s, NumPy %s, Numba %s (llvmlite %s, threading layer `%s`), %s" % (
          info.get("git"), args.daemon_profile, info.get("python"), info.get("numpy"), info.get("numba"),
          info.get("llvmlite"), res.get("numba_threading_layer"), info.get("gcc")))
    w("- C references (bench/c/kernels.c, called through ctypes): 'C -O3' is `gcc -O3 -march=native "
      "-ffp-contract=off` (strict IEEE, no FMA fusion, so results match Python's and Numba's bit for bit); "
      "'C -ffast-math' is `gcc -O3 -march=native -ffast-math`.")
    w("- threads: kcache %s, Numba %s (defaults); the C references are serial except parallel_sum (OpenMP, "
      "2 threads); matmul is `parallel=True` in the corpus, so kcache and Numba use 2 threads there and C one. "
      "`OMP_WAIT_POLICY=%s` for Numba's OpenMP layer and the C OpenMP code: with libgomp's default spinning, "
      "every parallel region took ~8 ms on this 2-core machine whenever another process was running "
      "(kcache's workers spin at most 50 µs after a region, yielding the core after the first 5 µs, then "
      "sleep on a condition variable)."
      % (res.get("kcache_threads"), res.get("numba_threads"), os.environ.get("OMP_WAIT_POLICY")))
    w("- method: every engine is warmed up with one call, then %d rounds; in each round every engine runs "
      "in turn (kcache, Numba, C -O3, C -ffast-math, NumPy, the starting engine rotating from round to round), each timed with `time.perf_counter_ns` over "
      "enough back-to-back calls to take at least %.0f ms. Figures are medians of the per-round times; "
      "ratios are medians of the per-round ratios. All engines are called from Python (kcache and Numba "
      "through their dispatchers, C through ctypes), so the small sizes include each one's call overhead." % (
          args.rounds, args.min_ms))
    w("- noise: the machine has 2 cores and other work (Rust builds) may run at the same time; timings are "
      "noisy. Quote medians; the min–max spread per row is in the detail table.")
    w("")

    # ---- targets
    tgt = []
    r_all = [r["ratio_numba"] for r in rows if r.get("ratio_numba") is not None]
    over = [r for r in rows if r.get("ratio_numba") is not None and r["ratio_numba"] > 1.0]
    no_ratio = [r for r in res["kernels"] if r.get("ratio_numba") is None]
    gm = geomean(r_all)
    arr_rows = [r for r in rows if r["n"] is not None and r.get("ratio_numba") is not None]
    gm_arr = geomean([r["ratio_numba"] for r in arr_rows])
    big_rows = [r for r in arr_rows if r["n"] > 10_000]
    gm_big = geomean([r["ratio_numba"] for r in big_rows])
    desc = "%d of %d rows ≤ 1.00" % (len(r_all) - len(over), len(r_all))
    if over:
        desc += "; over: " + ", ".join("%s %s (%.2f)" % (r["kernel"], r["shape"], r["ratio_numba"]) for r in over)
    if no_ratio:
        desc += "; no ratio (an engine failed): " + ", ".join("%s %s" % (r["kernel"], r.get("shape", r["n"]))
                                                               for r in no_ratio)
    tgt.append(("every kernel kcache/Numba ≤ 1.00", desc, "met" if not over and not no_ratio else "missed"))
    tgt.append(("geometric mean kcache/Numba ≤ 0.90",
                "%s over all %d rows (array kernels only: %s; large sizes only: %s)" % (
                    fmt_r(gm), len(r_all), fmt_r(gm_arr), fmt_r(gm_big)),
                "met" if gm is not None and gm <= 0.90 else "missed"))
    fm = {(r["variant"], r["n"]): r for r in res.get("fastmath", [])}
    big_cs = max((n for k, n in fm if k == "compute_sum.py"), default=None)
    big_bs = max((n for k, n in fm if k == "black_scholes.py"), default=None)
    cs = fm.get(("compute_sum.py", big_cs), {}).get("ratio_c_fast")
    bs = fm.get(("black_scholes.py", big_bs), {}).get("ratio_c_fast")
    cs_small = fm.get(("compute_sum.py", 10_000), {}).get("ratio_c_fast")
    cs_contig = fm.get(("compute_sum[::1]", big_cs), {}).get("ratio_c_fast")
    tgt.append(("fastmath compute_sum within 10% of gcc -ffast-math",
                "kcache fastmath / C -ffast-math = %s at n=%s (%s at n=10,000); typed `float64[::1]` "
                "instead of the corpus's `float64[:]`: %s" % (
                    fmt_r(cs), format(big_cs or 0, ","), fmt_r(cs_small), fmt_r(cs_contig)),
                "met" if cs is not None and cs <= 1.10 else "missed"))
    tgt.append(("black_scholes fastmath within 1.5x of gcc -ffast-math",
                "kcache fastmath / C -ffast-math = %s at n=%s" % (fmt_r(bs), format(big_bs or 0, ",")),
                "met" if bs is not None and bs <= 1.5 else "missed"))
    bw = res.get("bandwidth_use", {})
    stream_ok = [v for k, v in bw.items() if v.get("counts")]
    stream_desc = ", ".join("%s %.0f%% of %s" % (k, v["pct"], v["probe"]) for k, v in bw.items() if v.get("counts"))
    tgt.append(("streaming kernels ≥ 90% of memory bandwidth (kcache, large n)", stream_desc or "not measured",
                "met" if stream_ok and all(v["pct"] >= 90 for v in stream_ok) else "missed"))
    fr = res.get("fresh", {})
    cold = (fr.get("kcache first call compute_sum, cold (daemon never saw it)") or {}).get("ms")
    warm = (fr.get("kcache first call compute_sum, warm (daemon hit)") or {}).get("ms")
    c_cold = (fr.get("C first call compute_sum, cold") or {}).get("ms")
    c_warm = (fr.get("C first call compute_sum, warm (daemon hit)") or {}).get("ms")
    c_bs = (fr.get("C first call black_scholes, cold") or {}).get("ms")

    def med(s):
        return fmt_t(s["median"] * 1e6) if s else "—"

    tgt.append(("cold compile of compute_sum, request to callable ≤ 15 ms",
                "%s median from C (connect + compile + load); from Python (import the module, decorate, "
                "compile, first call): %s" % (med(c_cold), med(cold)),
                "met" if c_cold and c_cold["median"] <= 15 else "missed"))
    tgt.append(("cold compile of black_scholes ≤ 40 ms", "%s median from C" % med(c_bs),
                "met" if c_bs and c_bs["median"] <= 40 else "missed"))
    tgt.append(("warm hit in a fresh process ≤ 1 ms",
                "%s median from C (connect + compile hit + verify + load); from Python (import the module, "
                "decorate, hit, first call): %s" % (med(c_warm), med(warm)),
                "met" if c_warm and c_warm["median"] <= 1 else "missed"))
    by_row = {(r["kernel"], r["n"]): r for r in rows}
    biggest = max((r["n"] for r in rows if r["kernel"] == "fused_triad"), default=None)

    def ratios(kernel):
        r = by_row.get((kernel, biggest), {})
        return r.get("ratio_numpy"), r.get("ratio_numba")
    triad_np, triad_nb = ratios("fused_triad")
    tgt.append(("`a * b + c` over %s elements ≥ 1.4x faster than NumPy and ≤ Numba" % format(biggest or 0, ","),
                "kcache/NumPy %s (%s faster), kcache/Numba %s" % (
                    fmt_r(triad_np), "%.2fx" % (1 / triad_np) if triad_np else "—", fmt_r(triad_nb)),
                "met" if triad_np and triad_nb and triad_np <= 1 / 1.4 and triad_nb <= 1.0 else "missed"))
    sum_np, _ = ratios("array_sum")
    max_np, _ = ratios("array_max")
    tgt.append(("`a.sum()`, `a.max()` within 10% of NumPy's own (large n)",
                "kcache/NumPy: sum %s, max %s" % (fmt_r(sum_np), fmt_r(max_np)),
                "met" if sum_np and max_np and sum_np <= 1.10 and max_np <= 1.10 else "missed"))
    _, alloc_nb = ratios("alloc_square")
    small_alloc = by_row.get(("alloc_square", 10_000), {}).get("ratio_numba")
    tgt.append(("allocating kernel (`np.empty_like` + loop, returned) ≤ Numba",
                "kcache/Numba %s at n=%s, %s at n=10,000" % (fmt_r(alloc_nb), format(biggest or 0, ","),
                                                             fmt_r(small_alloc)),
                "met" if alloc_nb and small_alloc and alloc_nb <= 1.0 and small_alloc <= 1.0 else "missed"))
    w("## Targets")
    w("")
    w(md_table(["target", "measured", "status"], tgt))
    w("")

    # ---- headline table
    w("## Kernels: medians and ratios")
    w("")
    w("kcache/Numba and kcache/C are medians of per-round ratios (below 1 means kcache is faster); C is "
      "the -O3 build (strict IEEE, like kcache's and Numba's defaults). power_two is called with `out=` on "
      "every engine (no allocation in the loop); NumPy equivalents: `a.sum()`, `np.multiply`/`np.add` with "
      "`out=`, `np.square(x, out=)`; for the array rows `a * b + c`, `a.sum()`, `a.max()`, `np.square(x)` "
      "(each allocating its result as the kernels do).")
    w("")
    hdr = ["kernel", "size", "kcache", "Numba", "C -O3", "C -ffast-math", "NumPy", "kcache/Numba", "kcache/C",
           "results vs Numba"]
    trs = []
    for r in res["kernels"]:
        st = r.get("stats", {})
        cells = []
        for e in ENGINES:
            if e in r["errors"]:
                cells.append("error")
            else:
                cells.append(stat_cell(st, e))
        chk = r.get("check", {}).get("kcache")
        chk_s = "—" if not chk else (chk[0] + (" (%s)" % chk[1] if chk[1] else ""))
        trs.append([r["kernel"], r.get("shape", r["n"])] + cells + [
            ("**%s**" % fmt_r(r.get("ratio_numba"))) if r.get("ratio_numba") and r["ratio_numba"] > 1 else
            fmt_r(r.get("ratio_numba")), fmt_r(r.get("ratio_c")), chk_s])
    w(md_table(hdr, trs))
    w("")
    w("Geometric mean of kcache/Numba: %s over all rows, %s over the array kernels, %s over the large sizes. "
      "Geometric mean of kcache/C -O3: %s over the rows with a C version." % (
          fmt_r(gm), fmt_r(gm_arr), fmt_r(gm_big),
          fmt_r(geomean([r.get("ratio_c") for r in rows if r.get("ratio_c")]))))
    w("")
    errs = [(r["kernel"], r.get("shape", r["n"]), e, m) for r in res["kernels"] for e, m in r["errors"].items()]
    if errs:
        w("Errors:")
        w("")
        for k, s, e, m in errs:
            w("- %s %s, %s: `%s`" % (k, s, LABEL.get(e, e), m.replace("`", "'")[:300]))
        w("")
    mism = [(r["kernel"], r.get("shape"), e, c) for r in res["kernels"] for e, c in r.get("check", {}).items()
            if c[0] == "MISMATCH"]
    kc_mism = [m for m in mism if m[2] == "kcache"]
    other = [m for m in mism if m[2] != "kcache"]
    w("Result checks: each engine's warm-up call runs on fresh inputs and is compared with Numba's: "
      "bitwise, or 'close' when the largest difference is within 1e-9 of the largest value (parallel_sum, "
      "whose reduction order differs between engines, and black_scholes) or 1e-6 for C -ffast-math. "
      "kcache: %s. Other engines: %s." % (
          ("MISMATCHES: " + "; ".join("%s %s: %s" % (k, s, c[1]) for k, s, e, c in kc_mism)) if kc_mism
          else "no mismatches, every row bitwise or close",
          ("; ".join("%s %s %s: %s" % (k, s, LABEL.get(e, e), c[1]) for k, s, e, c in other)
           + (" (expected where -ffast-math contracts or reorders)" if all(e == "c_fast" for _, _, e, _ in other)
              else "")) if other else "no mismatches"))
    w("")

    # ---- detail table
    w("### Detail: min–max per engine and repetitions")
    w("")
    hdr = ["kernel", "size"] + [LABEL[e] for e in ENGINES] + ["kcache/C -ffast-math", "kcache/NumPy",
                                                             "worst max/min"]
    trs = []
    for r in rows:
        st = r["stats"]
        cells = []
        for e in ENGINES:
            s = st.get(e)
            cells.append("%s–%s (×%d)" % (fmt_t(s["min"]), fmt_t(s["max"]), r["reps"][e]) if s else "—")
        trs.append([r["kernel"], r["shape"]] + cells + [fmt_r(r.get("ratio_c_fast")), fmt_r(r.get("ratio_numpy")),
                                                       fmt_r(spread(st))])
    w(md_table(hdr, trs))
    w("")

    # ---- fastmath
    w("## fastmath")
    w("")
    w("The corpus files loaded a third time with `njit` wrapped to pass `fastmath=True` (so black_scholes' "
      "helper `norm_cdf` is fastmath too), for kcache and for Numba, against the gcc -ffast-math build. "
      "The `float64[::1]` rows compile compute_sum's `py_func` again with a C-contiguous signature "
      "(`njit(\"float64(float64[::1])\", fastmath=True)`): with the corpus's any-layout `float64[:]` the "
      "element stride is a run-time value, which can keep the reduction from vectorising.")
    w("")
    hdr = ["kernel", "size", "kcache fastmath", "Numba fastmath", "C -ffast-math", "C -O3",
           "kcache-fm / C-fm", "kcache-fm / Numba-fm", "Numba-fm / C-fm", "kcache-fm result vs C -O3"]
    trs = []
    for r in res.get("fastmath", []):
        st = r.get("stats", {})
        chk = r.get("check", {}).get("kcache_fm")
        label = r["kernel"] + (" (`float64[::1]`)" if r.get("variant", "").endswith("[::1]") else "")
        trs.append([label, r.get("shape", r["n"])] +
                   ["error" if e in r["errors"] else stat_cell(st, e) for e in ("kcache_fm", "numba_fm", "c_fast", "c")]
                   + [fmt_r(r.get("ratio_c_fast")), fmt_r(r.get("ratio_numba_fm")), fmt_r(r.get("numba_ratio_c_fast")),
                      "—" if not chk else chk[0] + (" (%s)" % chk[1] if chk[1] else "")])
    w(md_table(hdr, trs))
    for r in res.get("fastmath", []):
        for e, m in r["errors"].items():
            w("")
            w("- %s %s, %s: `%s`" % (r["kernel"], r.get("shape"), LABEL.get(e, e), m[:300]))
    w("")

    # ---- bandwidth
    b = res.get("bandwidth", {})
    w("## Memory bandwidth")
    w("")
    w("STREAM-like probes from the C -O3 library (one thread, %s doubles per array, bytes counted STREAM's way: "
      "no write-allocate traffic), timed like the kernels:" % format(b.get("n", 0), ","))
    w("")
    w(md_table(["probe", "bytes/element", "median GB/s", "min–max GB/s"],
               [[k, v["bytes_per_elem"], "%.1f" % v["gbs_median"], "%.1f–%.1f" % (v["gbs_min"], v["gbs_max"])]
                for k, v in b.get("probes", {}).items()]))
    w("")
    w("'NumPy copy' is glibc's memcpy, which uses non-temporal stores at this size (no write-allocate "
      "read), so it shows more than the probes with ordinary stores; the kernels use ordinary stores and "
      "are compared with those.")
    w("")
    w("The streaming kernels at their large size against the matching probe (medians). Only kcache rows "
      "count for the target; strict-FP compute_sum is a serial chain of dependent adds (latency-bound in "
      "every engine), so the fastmath compute_sum with the corpus's signature stands for it:")
    w("")
    w(md_table(["kernel", "engine", "bytes/element", "GB/s", "probe", "% of probe", "counts for the target"],
               [[v["kernel"], v["engine"], v["bpe"], "%.1f" % v["gbs"], v["probe"], "%.0f%%" % v["pct"],
                 "yes" if v.get("counts") else "no (%s)" % v.get("why", "")] for v in bw.values()] +
               [[v["kernel"], v["engine"], v["bpe"], "%.1f" % v["gbs"], v["probe"], "%.0f%%" % v["pct"], "—"]
                for v in res.get("bandwidth_peers", [])]))
    w("")

    # ---- parallel
    p = res.get("parallel", {})
    w("## Parallel")
    w("")
    w("parallel_sum on %s doubles, thread count set before each timed block (`kcache.set_num_threads`, "
      "`numba.set_num_threads`, OpenMP `num_threads`), all six interleaved:" % format(p.get("n", 0), ","))
    w("")
    w(md_table(["engine", "median", "min–max"],
               [[k, fmt_t(s["median"]), "%s–%s" % (fmt_t(s["min"]), fmt_t(s["max"]))]
                for k, s in p.get("stats", {}).items()]))
    w("")
    w("Speed-up 1 → 2 threads (median of per-round ratios): " + ", ".join(
        "%s %.2fx" % (k, v) for k, v in p.get("speedup", {}).items()) + ".")
    for k, m in p.get("errors", {}).items():
        w("")
        w("- %s: `%s`" % (k, m[:300]))
    w("")

    # ---- overheads
    o = res.get("overheads", {})
    w("## Call overhead and prange overhead")
    w("")
    w("Per call of `add_one(x) = x + 1` (`int64(int64)`) from a Python loop of 2000 calls (the loop itself is "
      "the 'empty loop' row; it is included in the others):")
    w("")
    w(md_table(["caller", "per call", "min–max"],
               [[k, fmt_t(s["median"]), "%s–%s" % (fmt_t(s["min"]), fmt_t(s["max"]))]
                for k, s in o.get("call", {}).items()]))
    w("")
    w("A parallel region with almost no work: `for i in prange(n): pass` with n=2, and `a[i] += 1.0` over a "
      "2-element array with prange (`parallel=True`) and with range (serial), per call from Python. 'inner "
      "loop' wraps the update in `for _ in range(1)`: kcache runs a straight-line body of fewer than 4096 "
      "iterations per thread on the calling thread, and a body with a loop in it on the pool from 2 iterations "
      "up, so that row is what handing a region to kcache's workers costs:")
    w("")
    pr = o.get("prange", {})
    trs = [[k, fmt_t(s["median"]), "%s–%s" % (fmt_t(s["min"]), fmt_t(s["max"]))] for k, s in pr.items()]
    w(md_table(["kernel", "per call", "min–max"], trs))
    w("")
    for eng in ("kcache", "Numba"):
        a_, b_ = pr.get("%s prange touch (n=2)" % eng), pr.get("%s serial touch (n=2)" % eng)
        c_ = pr.get("%s prange touch, inner loop (n=2)" % eng)
        if a_ and b_:
            w("- %s: the parallel region costs %s per call over the serial loop%s; a call with one 1-D array "
              "argument and almost no work (serial touch) costs %s." % (
                  eng, fmt_t(a_["median"] - b_["median"]),
                  ", %s with the inner loop" % fmt_t(c_["median"] - b_["median"]) if c_ else "",
                  fmt_t(b_["median"])))
    ep = {eng: pr.get("%s empty prange(2)" % eng) for eng in ("kcache", "Numba")}
    calls = o.get("call", {})
    if all(ep.values()) and calls.get("kcache") and calls.get("Numba"):
        w("- empty `prange(2)`: kcache %s, Numba %s, against a plain scalar call of %s and %s: an engine near "
          "its plain call cost has dropped the empty region altogether." % (
              fmt_t(ep["kcache"]["median"]), fmt_t(ep["Numba"]["median"]), fmt_t(calls["kcache"]["median"]),
              fmt_t(calls["Numba"]["median"])))
    w("- Numba's region cost is with `OMP_WAIT_POLICY=PASSIVE` (see the top): its workers sleep between "
      "regions and are woken through the kernel; with libgomp's default spinning it is a few µs less on "
      "an idle machine, and ~8 ms on a busy one.")
    for k, m in o.get("errors", {}).items():
        w("")
        w("- %s: `%s`" % (k, m[:300]))
    w("")

    # ---- fresh processes
    w("## Fresh processes")
    w("")
    w("Each figure is the median over %d fresh Python processes (min–max in brackets). Import times are "
      "measured inside the child around the import statement; first-call times from just before loading a "
      "generated module holding one eagerly-typed kernel (`float64(float64[:])`, a unique function name per "
      "process so kcache's cold runs are real misses) to the first call returning, after `import numpy` and "
      "the engine's import. 'after engine init' leaves out the engine's one-time set-up, timed separately in "
      "the same process: kcache's connection to the daemon, Numba's CPU target and typing registries (`cpu_target.target_context.refresh()`, `typing_context.refresh()`). "
      "'process' is the whole child process as seen by the parent (interpreter start, imports, the work, "
      "exit). Rows starting with 'C' are the C client in fresh processes (bench/c/first_call.c, the same "
      "number of runs): from `kc_connect` to the kernel being callable, timed inside the program; "
      "black_scholes is the corpus file with its functions renamed per run, so every run is a cold "
      "compile." % args.fresh_runs)
    w("")
    trs = []
    for k, v in fr.items():
        if k == "errors" or not isinstance(v, dict) or not v.get("ms"):
            continue
        s = v["ms"]
        hits = [e.get("hit") for e in v.get("extra", [])]
        ai = [e["after_init_ms"] for e in v.get("extra", []) if "after_init_ms" in e]
        trs.append([k, "%.2f ms (%.2f–%.2f)" % (s["median"], s["min"], s["max"]),
                    ("%.2f ms" % statistics.median(ai)) if ai else "",
                    ("%.0f ms" % v["wall_ms"]["median"]) if v.get("wall_ms") else "",
                    "" if not hits else ("all hits" if all(hits) else ("no hits" if not any(hits) else "%d/%d hits" % (
                        sum(bool(h) for h in hits), len(hits))))])
    w(md_table(["what", "median (min–max)", "of which after engine init", "process", "cache"], trs))
    for k, m in fr.get("errors", {}).items():
        w("")
        w("- %s: `%s`" % (k, m[:300]))
    w("")

    # ---- daemon
    st = res.get("kcache_stats")
    if st:
        w("kcached counters at the end of the run: `%s`" % json.dumps(st, sort_keys=True)[:1200])
        w("")

    # ---- noise
    sp = [spread(r.get("stats")) for r in rows]
    sp = [x for x in sp if x]
    w("## Noise")
    w("")
    if sp:
        w("Worst max/min spread of any engine per kernel row: median %.2fx, largest %.2fx (%s). "
          "Load average before the run: %s; after: %s. Ratios taken round by round cancel part of the "
          "drift, which is why they are quoted instead of ratios of medians." % (
              statistics.median(sp), max(sp),
              max(rows, key=lambda r: spread(r.get("stats")) or 0)["kernel"],
              " ".join(info.get("loadavg", [])), " ".join(res.get("loadavg_end", []))))
    w("")

    # ---- earlier
    w("## Earlier measurements")
    w("")
    w("Kept verbatim from the previous version of this file.")
    w("")
    return "\n".join(L) + "\n"


def bandwidth_use(res):
    """kcache's streaming kernels at the large size as GB/s and % of the matching probe."""
    probes = res.get("bandwidth", {}).get("probes", {})
    match = {"compute_sum": ("read (sum, 8 accumulators)", 8), "saxpy": ("triad a = b + s*c", 24),
             "power_two": ("scale a = s*b", 16)}
    out, peers = {}, []

    def add(kernel, eng, t_ns, n, counts, why="", peer=False, suffix=""):
        probe, bpe = match[kernel]
        if probe not in probes:
            return
        gbs = bpe * n / t_ns
        v = {"kernel": kernel, "engine": LABEL.get(eng, eng) + suffix, "bpe": bpe,
             "gbs": gbs, "probe": probe, "pct": 100 * gbs / probes[probe]["gbs_median"], "counts": counts, "why": why}
        if peer:
            peers.append(v)
        else:
            out["%s (%s)" % (kernel, LABEL.get(eng, eng) + suffix)] = v

    for r in res.get("kernels", []):
        if r["kernel"] in match and r["n"] and r["n"] > 10_000 and r.get("stats"):
            for eng in ("kcache",):
                s = r["stats"].get(eng)
                if s:
                    strict_sum = r["kernel"] == "compute_sum"
                    add(r["kernel"], eng, s["median"], r["n"], not strict_sum,
                        "strict-FP sum: FP-add latency bound, see the fastmath row" if strict_sum else "")
            for eng in ("numba", "c", "numpy"):
                s = r["stats"].get(eng)
                if s:
                    add(r["kernel"], eng, s["median"], r["n"], False, peer=True)
    for r in res.get("fastmath", []):
        if r["kernel"] == "compute_sum" and r["n"] > 10_000 and r.get("stats"):
            contig = r["variant"].endswith("[::1]")
            s = r["stats"].get("kcache_fm")
            if s:
                add("compute_sum", "kcache_fm", s["median"], r["n"], not contig, peer=contig,
                    suffix=", float64[::1]" if contig else "")
            for eng in ("numba_fm",) + (() if contig else ("c_fast",)):
                s = r["stats"].get(eng)
                if s:
                    add("compute_sum", eng, s["median"], r["n"], False, peer=True,
                        suffix=", float64[::1]" if contig else "")
    res["bandwidth_use"] = out
    res["bandwidth_peers"] = peers


# ------------------------------------------------------------------------------------------------


def start_daemon(tmp, profile="release"):
    exe = ROOT / "target" / profile / "kcached"
    sock = pathlib.Path(tmp) / "k.sock"
    logf = open(pathlib.Path(tmp) / "kcached.log", "wb")
    def die_with_parent():
        # PR_SET_PDEATHSIG (1) = SIGTERM: the private daemon goes away even if this driver crashes.
        try:
            ctypes.CDLL(None).prctl(1, 15, 0, 0, 0)
        except Exception:  # noqa: BLE001
            pass

    proc = subprocess.Popen([str(exe), "--listen", "unix:%s" % sock, "--store", str(pathlib.Path(tmp) / "store")],
                            stdin=subprocess.DEVNULL, stdout=logf, stderr=logf, preexec_fn=die_with_parent)
    deadline = time.monotonic() + 30
    while not sock.exists():
        if proc.poll() is not None:
            raise RuntimeError("kcached exited with %s; log: %s" % (
                proc.returncode, (pathlib.Path(tmp) / "kcached.log").read_text()[-2000:]))
        if time.monotonic() > deadline:
            proc.kill()
            raise RuntimeError("kcached did not create %s" % sock)
        time.sleep(0.02)
    return proc, sock


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=9)
    ap.add_argument("--min-ms", type=float, default=20.0, help="minimum duration of one timed block")
    ap.add_argument("--fresh-runs", type=int, default=7)
    ap.add_argument("--quick", action="store_true", help="smaller sizes, 3 rounds, 5 ms blocks (debugging)")
    ap.add_argument("--only", default="", help="comma-separated sections: kernels,fastmath,bandwidth,parallel,"
                                               "overheads,fresh (default all)")
    ap.add_argument("--out", default=str(RESULTS))
    ap.add_argument("--daemon-profile", default="release", help="the build of kcached (debug compiles the same "
                    "kernel code through the same LLVM pipeline, only the compiling is slower)")
    args = ap.parse_args()
    args.passthrough = sys.argv[1:]
    if args.quick:
        args.rounds = min(args.rounds, 3)
        args.min_ms = min(args.min_ms, 5.0)
        args.fresh_runs = min(args.fresh_runs, 3)
    sections = set(filter(None, args.only.split(","))) or {"kernels", "fastmath", "bandwidth", "parallel",
                                                          "overheads", "fresh"}
    min_ns = args.min_ms * 1e6
    out_path = pathlib.Path(args.out)
    earlier = earlier_section()
    if earlier is None and out_path == RESULTS:
        sys.exit("bench/RESULTS.md has no section %r to keep; refusing to overwrite it" % EARLIER_HEADING)

    # OpenMP (Numba's `omp` threading layer and the C parallel_sum) must sleep, not spin, between
    # regions: on this 2-core machine with other work running, a spinning thread made every region
    # wait for a scheduler tick (about 8 ms per call).  Read by libgomp when it loads, below.
    os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
    t_start = time.monotonic()
    tmp = tempfile.mkdtemp(prefix="kcache-bench-")
    proc = None
    try:
        proc, sock = start_daemon(tmp, args.daemon_profile)
        os.environ["KCACHE_ENDPOINT"] = "unix:%s" % sock
        os.environ["KCACHE_LIB"] = str(ROOT / "target" / "release" / "libkcache.so")
        os.environ["KCACHE_AUTOSTART"] = "0"
        os.environ["NUMBA_CACHE_DIR"] = str(pathlib.Path(tmp) / "numba-cache")
        sys.path.insert(0, str(ROOT / "python"))
        import numpy as np
        import numba as nb
        import kcache as kc
        res = {"date": datetime.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z"),
               "machine": machine_info(np, nb)}
        log("kcache bench: %s, nproc %s, numba %s, numpy %s" % (
            res["machine"]["cpu"], res["machine"]["nproc"], nb.__version__, np.__version__))

        clib = {"c": load_c(BUILD / "kernels_o3.so"), "c_fast": load_c(BUILD / "kernels_fast.so")}
        # The -ffast-math library must not have switched the process to flush-to-zero.
        if not (np.array([5e-324]) * np.array([1.0]))[0] > 0:
            sys.exit("denormals are flushed to zero in this process: rebuild bench/build/kernels_fast.so "
                     "without linking crtfastmath (see bench/run.sh)")

        # load every corpus file with each engine
        files = sorted({f for _, f, _ in kernel_plan(False)})
        mods = {}
        for eng, base in (("kcache", kc), ("numba", nb)):
            for fname in files:
                t0 = perf()
                try:
                    mods[(eng, fname)] = load_module(KERNELS / fname, base, eng)
                except Exception as exc:  # noqa: BLE001
                    mods[(eng, fname)] = "%s: %s" % (type(exc).__name__, exc)
                    log("  loading %s with %s failed: %s" % (fname, eng, mods[(eng, fname)]))
                res.setdefault("load_ms", {})["%s %s" % (eng, fname)] = (perf() - t0) / 1e6
            try:
                mods[(eng, "extra")] = load_module(BENCH / "extra_kernels.py", base, eng)
            except Exception as exc:  # noqa: BLE001
                mods[(eng, "extra")] = "%s: %s" % (type(exc).__name__, exc)
                log("  loading extra_kernels.py with %s failed: %s" % (eng, mods[(eng, "extra")]))
        res["load_errors"] = {"%s %s" % k: v for k, v in mods.items() if isinstance(v, str)}
        m = mods.get(("numba", "parallel_sum.py"))
        if isinstance(m, types.ModuleType):
            m.parallel_sum(np.ones(10))
            try:
                res["numba_threading_layer"] = nb.threading_layer()
            except Exception:  # noqa: BLE001
                res["numba_threading_layer"] = "?"
        res["kcache_threads"] = kc.get_num_threads()
        res["numba_threads"] = nb.get_num_threads()
        log("corpus loaded (kcache %.1f s, Numba %.1f s)" % (
            sum(v for k, v in res["load_ms"].items() if k.startswith("kcache")) / 1e3,
            sum(v for k, v in res["load_ms"].items() if k.startswith("numba")) / 1e3))

        plan = kernel_plan(args.quick)
        if "kernels" in sections:
            log("kernels (%d rounds, >= %.0f ms blocks)" % (args.rounds, args.min_ms))
            run_kernels(np, mods, clib, plan, args.rounds, min_ns, res)
        if "fastmath" in sections:
            log("fastmath")
            run_fastmath(np, kc, nb, clib, args.quick, args.rounds, min_ns, res)
        if "bandwidth" in sections:
            log("bandwidth")
            run_bandwidth(np, clib, args.quick, args.rounds, min_ns, res)
        bandwidth_use(res)
        if "parallel" in sections:
            log("parallel")
            run_parallel(np, kc, nb, mods, clib, args.quick, args.rounds, min_ns, res)
        if "overheads" in sections:
            log("overheads")
            run_overheads(np, kc, nb, mods, clib, args.rounds, min_ns, res)
        if "fresh" in sections:
            log("fresh processes (%d each)" % args.fresh_runs)
            run_fresh(args.fresh_runs, tmp, res)
        try:
            res["kcache_stats"] = kc.stats()
        except Exception as exc:  # noqa: BLE001
            res["kcache_stats"] = {"error": str(exc)}
        try:
            res["loadavg_end"] = pathlib.Path("/proc/loadavg").read_text().split()[:3]
        except OSError:
            pass
        res.setdefault("kernels", [])
        elapsed = time.monotonic() - t_start
        BUILD.mkdir(exist_ok=True)
        with open(BUILD / "results.json", "w") as f:
            json.dump(res, f, indent=1, default=str)
        text = targets_and_report(res, args, elapsed)
        if earlier:
            text += earlier
        tmp_out = out_path.with_suffix(".md.tmp")
        tmp_out.write_text(text)
        os.replace(tmp_out, out_path)
        log("wrote %s (%.0f s)" % (out_path, elapsed))
    finally:
        if proc is not None:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
