"""Kernels written the way Numba users write them (issue 19, item 4), timed side by side with Numba
in one process: float32 row-wise reductions with transcendental functions, sliding windows,
prefix sums, bit manipulation, a 5-point stencil, small-matrix code, integer histograms,
whole-array expressions, hashing, a value-or-None search, small allocating kernels.

  bench/.venv/bin/python bench/user_kernels.py [--profile debug]

(`make bench` runs it after run.py.) Medians of 7 alternating rounds; the section it writes into
bench/RESULTS.md names the commit and the load."""
import argparse
import math
import os
import pathlib
import sys
import tempfile
import timeit

import numpy as np

def rowmax_exp_f32(x):
    out = np.empty(x.shape[0], dtype=np.float32)
    for i in range(x.shape[0]):
        m = x[i, 0]
        for j in range(1, x.shape[1]):
            m = max(m, x[i, j])
        s = np.float32(0.0)
        for j in range(x.shape[1]):
            s += math.exp(x[i, j] - m)
        out[i] = s
    return out

def window_sum_cond(a, w, thresh):
    out = np.zeros(a.shape[0])
    s = 0.0
    for i in range(a.shape[0]):
        s += a[i]
        if i >= w:
            s -= a[i - w]
        if s > thresh:
            out[i] = s
    return out

def prefix_sum(a):
    out = np.empty_like(a)
    s = 0.0
    for i in range(a.shape[0]):
        s += a[i]
        out[i] = s
    return out

def popcount_sum(a):
    total = 0
    for v in a:
        x = v
        while x:
            x &= x - 1
            total += 1
    return total

def stencil5(u):
    out = np.zeros_like(u)
    for i in range(1, u.shape[0] - 1):
        for j in range(1, u.shape[1] - 1):
            out[i, j] = 0.25 * (u[i-1, j] + u[i+1, j] + u[i, j-1] + u[i, j+1]) - u[i, j]
    return out

def small_matmul(A, B):
    n, k = A.shape
    m = B.shape[1]
    C = np.zeros((n, m))
    for i in range(n):
        for p in range(k):
            a = A[i, p]
            for j in range(m):
                C[i, j] += a * B[p, j]
    return C

def f32_saxpy_pipeline(x, y):
    out = np.empty_like(x)
    for i in range(x.shape[0]):
        t = np.float32(2.5) * x[i] + y[i]
        out[i] = t * t if t > 0 else -t
    return out

def hist_int(a, nbins):
    h = np.zeros(nbins, dtype=np.int64)
    for v in a:
        h[v % nbins] += 1
    return h

def array_expr(a, b, c):
    return a * b + c

def reduce_max(a):
    return a.max()

def xorshift_hash(a):
    h = np.uint64(14695981039346656037)
    for v in a:
        h ^= np.uint64(v)
        h *= np.uint64(1099511628211)
        h ^= h >> np.uint64(13)
    return h

def optional_search(a, x):
    for i in range(a.shape[0]):
        if a[i] > x:
            return i
    return None

def alloc_return(x):
    out = np.empty_like(x)
    for i in range(x.shape[0]):
        out[i] = x[i] * 2.0
    return out

def cumulative_max(a):
    out = np.empty_like(a)
    m = -np.inf
    for i in range(a.size):
        m = max(m, a[i])
        out[i] = m
    return out

def dist_matrix(X):
    n = X.shape[0]
    D = np.empty((n, n))
    for i in range(n):
        for j in range(n):
            d = 0.0
            for k in range(X.shape[1]):
                t = X[i, k] - X[j, k]
                d += t * t
            D[i, j] = math.sqrt(d)
    return D

def inputs():
    rng = np.random.default_rng(0)
    return [
        ("rowmax_exp_f32", rowmax_exp_f32, (rng.standard_normal((2000, 64)).astype(np.float32),)),
        ("window_sum_cond", window_sum_cond, (rng.standard_normal(200000), 16, 1.0)),
        ("prefix_sum", prefix_sum, (rng.standard_normal(200000),)),
        ("popcount_sum", popcount_sum, (rng.integers(0, 2**40, 50000),)),
        ("stencil5", stencil5, (rng.standard_normal((300, 300)),)),
        ("small_matmul", small_matmul, (rng.standard_normal((8, 8)), rng.standard_normal((8, 8)))),
        ("f32_saxpy_pipeline", f32_saxpy_pipeline, (rng.standard_normal(200000).astype(np.float32), rng.standard_normal(200000).astype(np.float32))),
        ("hist_int", hist_int, (rng.integers(0, 1000, 200000), 64)),
        ("array_expr", array_expr, tuple(rng.standard_normal(200000) for _ in range(3))),
        ("reduce_max", reduce_max, (rng.standard_normal(200000),)),
        ("xorshift_hash", xorshift_hash, (rng.integers(0, 1000, 200000),)),
        ("optional_search", optional_search, (rng.standard_normal(100000), 4.0)),
        ("alloc_return_small", alloc_return, (rng.standard_normal(100),)),
        ("cumulative_max", cumulative_max, (rng.standard_normal(200000),)),
        ("dist_matrix", dist_matrix, (rng.standard_normal((200, 3)),)),
    ]


def main():
    ap = argparse.ArgumentParser(description="user-style kernels, kcache vs Numba")
    root = pathlib.Path(__file__).resolve().parents[1]
    ap.add_argument("--profile", default="release", help="the build whose kcached and libkcache run (the "
                    "kernels' code is the same LLVM pipeline in either; debug only slows compiling)")
    ap.add_argument("--rounds", type=int, default=7)
    args = ap.parse_args()
    sys.path.insert(0, str(root / "bench"))
    sys.path.insert(0, str(root / "python"))
    from run import start_daemon
    from sections import git_rev, publish
    tmp = tempfile.mkdtemp(prefix="kcache-user-kernels-")
    proc, sock = start_daemon(tmp, args.profile)
    try:
        os.environ.update(KCACHE_ENDPOINT="unix:%s" % sock, KCACHE_LIB=str(root / "target" / args.profile / "libkcache.so"), KCACHE_AUTOSTART="0")
        import numba
        import kcache
        lines = ["Command: `bench/.venv/bin/python bench/user_kernels.py --profile %s` at %s (Numba %s). Time per call, "
                 "median of %d rounds alternating the engines; ratio = kcache / Numba (below 1: kcache is "
                 "faster)." % (args.profile, git_rev(), numba.__version__, args.rounds), "",
                 "Medians only here (min and max are not kept for this table).", "",
                 "| kernel | Numba | kcache | ratio | same result |", "|---|---|---|---|---|"]
        for name, f, fargs in inputs():
            nb, kc = numba.njit(f), kcache.njit(f)
            r1, r2 = nb(*fargs), kc(*fargs)
            same = (r1 is None and r2 is None) or bool(np.allclose(np.asarray(r1, dtype=float),
                                                                   np.asarray(r2, dtype=float), rtol=1e-4))
            number = 1
            while timeit.timeit(lambda: nb(*fargs), number=number) < 0.02:
                number *= 4
            tn, tk = [], []
            for _ in range(args.rounds):
                tn.append(timeit.timeit(lambda: nb(*fargs), number=number) / number)
                tk.append(timeit.timeit(lambda: kc(*fargs), number=number) / number)
            mn, mk = sorted(tn)[len(tn) // 2], sorted(tk)[len(tk) // 2]
            lines.append("| %s | %.3g us | %.3g us | %.2f | %s |" % (name, mn * 1e6, mk * 1e6, mk / mn, same))
        publish("## User-style kernels against Numba (issue 19)", lines, spread=False)
    finally:
        proc.terminate()
        proc.wait()


if __name__ == "__main__":
    main()
