#!/usr/bin/env bash
# The local index (issue 19, target 1): a hit from C in a fresh process, connect to callable, and
# hits per second from 8 clients, with the local index (daemon L, the default) and without it
# (daemon R, --no-local-index: every hit is the Compile RPC, as before), side by side in one run,
# in alternating order. Fresh processes: bench/c/first_call.c; hit rate: bench/c/hit_rate.c
# (with the index, a process's first hit resolves, reads, verifies the BLAKE3 digest and loads
# in process (client/src/loader/image.rs); its later hits on that kernel resolve in the newest index, stat the
# artifact file and reuse the library; by RPC every hit is the round trip, verify, load, unload).
# usage: bench/local_hit.sh [RUNS] [RATE_ROUNDS]   (builds release; prints a section and writes it
#                                                   into bench/RESULTS.md, replacing its earlier version)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-21}
rounds=${2:-5}
cargo build --release --quiet -p kcache-server -p kcache-client
mkdir -p bench/build
cc -O2 -Wall -o bench/build/first_call bench/c/first_call.c -Iinclude -Ltarget/release -lkcache \
    -Wl,-rpath,"$PWD/target/release"
cc -O2 -Wall -o bench/build/hit_rate bench/c/hit_rate.c -Iinclude -Ltarget/release -lkcache -lpthread \
    -Wl,-rpath,"$PWD/target/release"

tmp=$(mktemp -d)
pids=()
cleanup() {
    for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
    wait 2>/dev/null || true
    rm -rf "$tmp"
}
trap cleanup EXIT
./target/release/kcached --listen "unix:$tmp/l/k.sock" --store "$tmp/store-l" >/dev/null &
pids+=($!)
./target/release/kcached --listen "unix:$tmp/r/k.sock" --store "$tmp/store-r" --no-local-index >/dev/null &
pids+=($!)
for d in l r; do
    for _ in $(seq 200); do [ -S "$tmp/$d/k.sock" ] && break; sleep 0.05; done
done
at() { KCACHE_ENDPOINT="unix:$tmp/$1/k.sock" ./bench/build/first_call "$2"; }
rate() { KCACHE_ENDPOINT="unix:$tmp/$1/k.sock" ./bench/build/hit_rate 8 2 | awk '{print $(NF-1)}'; }
# 8 client processes of one thread each, at once: their hits/s summed.
rate_procs() {
    for _ in $(seq 8); do KCACHE_ENDPOINT="unix:$tmp/$1/k.sock" ./bench/build/hit_rate 1 2 & done | awk '{s += $(NF-1)} END {print s}'
}
ms() { awk -v want="$1" '$1==want{print $2}'; }
# Each daemon compiles the kernel once (and initialises LLVM); the first hit publishes it on L.
for d in l r; do at "$d" bench >/dev/null; at "$d" bench >/dev/null; done

local_ms=(); rpc_ms=()
for i in $(seq "$runs"); do
    if ((i % 2)); then
        local_ms+=("$(at l bench | ms hit)")
        rpc_ms+=("$(at r bench | ms hit)")
    else
        rpc_ms+=("$(at r bench | ms hit)")
        local_ms+=("$(at l bench | ms hit)")
    fi
done
requests_l=$(./target/release/kcache --endpoint "unix:$tmp/l/k.sock" --json stats | grep -o '"requests":[0-9]*' | cut -d: -f2)
local_rate=(); rpc_rate=(); local_procs=(); rpc_procs=()
for i in $(seq "$rounds"); do
    if ((i % 2)); then
        local_rate+=("$(rate l)"); rpc_rate+=("$(rate r)")
        local_procs+=("$(rate_procs l)"); rpc_procs+=("$(rate_procs r)")
    else
        rpc_rate+=("$(rate r)"); local_rate+=("$(rate l)")
        rpc_procs+=("$(rate_procs r)"); local_procs+=("$(rate_procs l)")
    fi
done

python3 - "$runs" "$rounds" "$requests_l" "${local_ms[*]}" "${rpc_ms[*]}" "${local_rate[*]}" "${rpc_rate[*]}" "${local_procs[*]}" "${rpc_procs[*]}" <<'EOF'
import os, pathlib, statistics, subprocess, sys, time
runs, rounds, requests_l = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
local_ms, rpc_ms, local_rate, rpc_rate, local_procs, rpc_procs = ([float(x) for x in s.split()] for s in sys.argv[4:10])
for name, s, n in (("local", local_ms, runs), ("rpc", rpc_ms, runs), ("local rate", local_rate, rounds),
                   ("rpc rate", rpc_rate, rounds), ("local procs", local_procs, rounds), ("rpc procs", rpc_procs, rounds)):
    if len(s) != n:
        sys.exit("local_hit.sh: %s: %d of %d runs gave a figure (a hit expected where there was none?)" % (name, len(s), n))
def row(name, v, unit, fmt):
    v = sorted(v)
    return "| %s | %s | %s | %s | %d |" % (name, fmt % statistics.median(v) + unit, fmt % v[0] + unit, fmt % v[-1] + unit, len(v))
sys.path.insert(0, "bench")
from sections import git_rev, publish
rev = git_rev()
lm, rm_, lr, rr, lp, rp = (statistics.median(s) for s in (local_ms, rpc_ms, local_rate, rpc_rate, local_procs, rpc_procs))
publish("## Local index: a hit without a round trip", [
    "Produced by `bench/local_hit.sh %d %d` on %s (kcache %s, release). Two private daemons side by side: L with "
    "the local index (the default), R with `--no-local-index` (every hit is the Compile RPC: the path before "
    "issue 19). Fresh-process rows: `bench/c/first_call.c`, one process per sample, milliseconds from the start "
    "of `kc_connect` to the kernel being callable, L and R alternating. Hit-rate rows: `bench/c/hit_rate.c 8 2`, "
    "8 threads each with its own `kc_connect`, compiling the stored kernel over and over for 2 s, and 8 such "
    "processes of one thread each at once (their rates summed), `kc_kernel_free` after each hit. By RPC (R) each "
    "hit is the round trip, BLAKE3 check, load (in process: client/src/loader/image.rs), unload; from the index (L) a process's first hit "
    "resolves, reads, checks and loads, and its later hits on the same kernel resolve the request in the "
    "daemon's newest index (one `stat` of the index), `stat` the artifact file, and reuse the library the "
    "process loaded (no read, hash or load). L and R alternate." % (
        runs, rounds, time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), rev),
    "",
    "| what | median | min | max | n |",
    "|---|---|---|---|---|",
    row("fresh C process, hit, local index (after)", local_ms, " ms", "%.3f"),
    row("fresh C process, hit, Compile RPC (before)", rpc_ms, " ms", "%.3f"),
    row("hits/s, 8 clients, local index (after)", local_rate, " /s", "%.0f"),
    row("hits/s, 8 clients, Compile RPC (before)", rpc_rate, " /s", "%.0f"),
    row("hits/s, 8 client processes, local index (after)", local_procs, " /s", "%.0f"),
    row("hits/s, 8 client processes, Compile RPC (before)", rpc_procs, " /s", "%.0f"),
    "",
    "- fresh-process hit: %.3f ms against %.3f ms (%.1fx); target ≤ 0.25 ms: %s." % (
        lm, rm_, rm_ / lm, "met" if lm <= 0.25 else "missed"),
    "- hits/s from 8 clients (threads): %.0f against %.0f (%.1fx); target ≥ 20,000/s: %s. From 8 processes: "
    "%.0f against %.0f (%.1fx): %s." % (lr, rr, lr / rr, "met" if lr >= 20000 else "missed", lp, rp, lp / rp,
                                         "met" if lp >= 20000 else "missed"),
    "- Compile RPCs daemon L answered after its warm-up and the %d fresh-process hits: %s (the warm-up's "
    "compile; the hits made none)." % (runs, requests_l),
])
EOF
