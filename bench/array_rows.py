"""The array rows of issue 14 on their own, side by side in one run: `a.sum()`, `a.max()`, `a.min()`
and `a * b + c` into a new array, for kcache, Numba and NumPy, float64 and float32, 1e4 to 1e7
elements. Each engine is warmed up, then every round times each engine in turn (blocks of at least
20 ms); figures are medians of the rounds, ratios medians of per-round ratios.

usage: bench/.venv/bin/python bench/array_rows.py [--rounds N]
(needs a kcached: KCACHE_ENDPOINT, or this starts a private one from target/release)"""
import argparse
import os
import pathlib
import socket
import statistics
import subprocess
import sys
import tempfile
import time

import numpy as np
import numba

REPO = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "python"))


def start_daemon():
    tmp = pathlib.Path(tempfile.mkdtemp(prefix="kcache-bench-"))
    sock = tmp / "k.sock"
    proc = subprocess.Popen([str(REPO / "target/release/kcached"), "--listen", "unix:%s" % sock,
                             "--store", str(tmp / "store")], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(400):
        try:
            s = socket.socket(socket.AF_UNIX)
            s.connect(str(sock))
            s.close()
            break
        except OSError:
            time.sleep(0.025)
    os.environ.update(KCACHE_ENDPOINT="unix:%s" % sock, KCACHE_AUTOSTART="0",
                      KCACHE_LIB=str(REPO / "target/release/libkcache.so"))
    return proc


def array_sum(a):
    return a.sum()


def array_max(a):
    return a.max()


def array_min(a):
    return a.min()


def fused_triad(a, b, c):
    return a * b + c


def block(f, args, min_s):
    reps, t = 1, 0.0
    while True:
        t0 = time.perf_counter()
        for _ in range(reps):
            f(*args)
        t = time.perf_counter() - t0
        if t >= min_s:
            return t / reps
        reps *= 2


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=9)
    ap.add_argument("--min-ms", type=float, default=20.0)
    opts = ap.parse_args()
    daemon = None if os.environ.get("KCACHE_ENDPOINT") else start_daemon()
    import kcache
    rng = np.random.default_rng(0)
    rows = []
    for name, fn, nargs in (("a.sum()", array_sum, 1), ("a.max()", array_max, 1), ("a.min()", array_min, 1),
                            ("a * b + c", fused_triad, 3)):
        for dtype in (np.float64, np.float32):
            for n in (10_000, 1_000_000, 10_000_000):
                args = tuple(rng.standard_normal(n).astype(dtype) for _ in range(nargs))
                engines = {"kcache": kcache.njit(fn), "Numba": numba.njit(fn), "NumPy": fn}
                want = fn(*args)
                for e, f in engines.items():
                    got = f(*args)
                    if e == "kcache" and not np.array_equal(np.asarray(got), np.asarray(want)):
                        print("MISMATCH", name, dtype.__name__, n, file=sys.stderr)
                times = {e: [] for e in engines}
                for r in range(opts.rounds):
                    order = list(engines)[r % 3:] + list(engines)[:r % 3]
                    for e in order:
                        times[e].append(block(engines[e], args, opts.min_ms / 1e3))
                med = {e: statistics.median(v) for e, v in times.items()}
                ratio = {e: statistics.median(k / o for k, o in zip(times["kcache"], times[e]))
                         for e in ("Numba", "NumPy")}
                spread = max(max(v) / min(v) for v in times.values())
                rows.append((name, dtype.__name__, n, med, ratio, spread))
    print("| expression | dtype | n | kcache | Numba | NumPy | kcache/Numba | kcache/NumPy | max/min |")
    print("|---|---|---|---|---|---|---|---|---|")
    for name, dt, n, med, ratio, spread in rows:
        fmt = lambda s: "%.3g ms" % (s * 1e3) if s >= 1e-3 else "%.3g µs" % (s * 1e6)  # noqa: E731
        print("| `%s` | %s | %s | %s | %s | %s | %.2f | %.2f | %.2f |" % (
            name, dt, format(n, ","), fmt(med["kcache"]), fmt(med["Numba"]), fmt(med["NumPy"]),
            ratio["Numba"], ratio["NumPy"], spread))
    print("\nload average at the end: %s" % " ".join("%.2f" % x for x in os.getloadavg()))
    if daemon:
        daemon.terminate()


if __name__ == "__main__":
    main()
