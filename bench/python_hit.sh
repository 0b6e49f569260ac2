#!/usr/bin/env bash
# Python's latency (issue 19, target 2): `import kcache` with NumPy already imported, and decorate +
# first call of a kernel the daemon has stored (a hit), in fresh processes, for the Python package
# of an earlier commit (BASE, default the one before this work) and of the working tree, side by
# side in one run, in alternating order, over the same libkcache and one private daemon.
# Bytecode is cached (in a temporary PYTHONPYCACHEPREFIX, written by a first run of each), as an
# installed package's is: PYTHONDONTWRITEBYTECODE would time the compilation of the package's
# source instead.
# usage: bench/python_hit.sh [RUNS] [BASE]   (builds release; prints a section and writes it into
#                                            bench/RESULTS.md, replacing its earlier version)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-21}
base=${2:-deb9b43}
py=${KCACHE_PYTHON:-$PWD/.venv/bin/python}
cargo build --release --quiet -p kcache-server -p kcache-client

tmp=$(mktemp -d)
pid=
cleanup() {
    [ -n "$pid" ] && kill "$pid" 2>/dev/null || true
    wait 2>/dev/null || true
    rm -rf "$tmp"
}
trap cleanup EXIT
mkdir -p "$tmp/base"
git archive "$base" python/kcache | tar -x -C "$tmp/base"
cp python/kcache/_fast*.so "$tmp/base/python/kcache/" 2>/dev/null || true
./target/release/kcached --listen "unix:$tmp/d/k.sock" --store "$tmp/store" >/dev/null 2>&1 &
pid=$!
for _ in $(seq 200); do [ -S "$tmp/d/k.sock" ] && break; sleep 0.05; done
cat >"$tmp/child.py" <<'EOF'
import time
import numpy as np
t0 = time.perf_counter()
import kcache
t1 = time.perf_counter()
a = np.arange(1000.0)
t2 = time.perf_counter()


@kcache.njit("float64(float64[:])")
def python_hit_sum(arr):
    s = 0.0
    for i in range(len(arr)):
        s += arr[i]
    return s


r = python_hit_sum(a)
t3 = time.perf_counter()
assert r == 499500.0
print("%.4f %.4f" % ((t1 - t0) * 1e3, (t3 - t2) * 1e3))
EOF
export KCACHE_ENDPOINT="unix:$tmp/d/k.sock" KCACHE_LIB="$PWD/target/release/libkcache.so" \
    PYTHONPYCACHEPREFIX="$tmp/pyc" KCACHE_AUTOSTART=0
unset PYTHONDONTWRITEBYTECODE
child() { PYTHONPATH="$1" "$py" "$tmp/child.py"; }
# The first runs compile the kernel (a miss) and write the bytecode.
for p in "$tmp/base/python" "$PWD/python"; do child "$p" >/dev/null; child "$p" >/dev/null; done
: >"$tmp/out"
for i in $(seq "$runs"); do
    if ((i % 2)); then order="base now"; else order="now base"; fi
    for w in $order; do
        if [ "$w" = base ]; then p="$tmp/base/python"; else p="$PWD/python"; fi
        echo "$w $(child "$p")" >>"$tmp/out"
    done
done

"$py" - "$runs" "$base" "$tmp/out" <<'EOF'
import statistics, sys, time
runs, base, out = int(sys.argv[1]), sys.argv[2], sys.argv[3]
data = {"base": ([], []), "now": ([], [])}
for line in open(out):
    who, imp, call = line.split()
    data[who][0].append(float(imp))
    data[who][1].append(float(call))
sys.path.insert(0, "bench")
from sections import git_rev, publish
def row(name, v):
    return "| %s | %.2f ms | %.2f ms | %.2f ms | %d |" % (name, statistics.median(v), min(v), max(v), len(v))
bi, bc = data["base"]
ni, nc = data["now"]
mi, mc = statistics.median(ni), statistics.median(nc)
publish("## Python: import and first call of a stored kernel", [
    "Produced by `bench/python_hit.sh %d %s` on %s (kcache %s, release libkcache). Fresh Python processes, "
    "the package of `%s` (before) and of this tree (after) alternating, both over this tree's libkcache and "
    "one private daemon (with its local index); bytecode cached, as an installed package's is. 'import' is "
    "`import kcache` with NumPy already imported; 'first call' is decorating `float64(float64[:])` compute_sum "
    "(stored by the daemon: a hit) and calling it once, including the connection and the load." % (
        runs, base, time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), git_rev(), base),
    "",
    "| what | median | min | max | n |",
    "|---|---|---|---|---|",
    row("import kcache, NumPy imported (before)", bi),
    row("import kcache, NumPy imported (after)", ni),
    row("decorate + first call, stored kernel (before)", bc),
    row("decorate + first call, stored kernel (after)", nc),
    "",
    "- import: %.2f ms; target ≤ 5 ms: %s. Decorate + first call: %.2f ms; target ≤ 0.5 ms: %s." % (
        mi, "met" if mi <= 5 else "missed", mc, "met" if mc <= 0.5 else "missed"),
])
EOF
