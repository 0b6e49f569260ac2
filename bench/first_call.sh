#!/usr/bin/env bash
# Cold compile and warm hit of compute_sum, request to callable, each in a fresh C process;
# cold compiles of the corpus's black_scholes (strict and fastmath) the same way.
# usage: bench/first_call.sh [RUNS]     (builds release first; writes nothing, prints a table)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-21}
cargo build --release --quiet -p kcache-server -p kcache-client
mkdir -p build
cc -O2 -o build/first_call bench/c/first_call.c -Iinclude -Ltarget/release -lkcache -Wl,-rpath,"$PWD/target/release"
tmp=$(mktemp -d)
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -rf "$tmp"' EXIT
./target/release/kcached --listen "unix:$tmp/k.sock" --store "$tmp/store" >/dev/null &
pid=$!
for _ in $(seq 100); do [ -S "$tmp/k.sock" ] && break; sleep 0.05; done
export KCACHE_ENDPOINT="unix:$tmp/k.sock"
./build/first_call warmup >/dev/null   # the daemon's first compile initialises LLVM
cold=(); hit=()
for i in $(seq "$runs"); do
    cold+=("$(./build/first_call "cold$i" | awk '$1=="miss"{print $2}')")
done
for i in $(seq "$runs"); do
    hit+=("$(./build/first_call cold1 | awk '$1=="hit"{print $2}')")
done
stats() { python3 -c 'import sys,statistics as s; v=sorted(map(float,sys.argv[1:])); print(f"median {s.median(v):.3f} ms  min {v[0]:.3f}  max {v[-1]:.3f}  (n={len(v)})")' "$@"; }
bs=(); bsf=()
for i in $(seq "$runs"); do
    # A new name per run keeps every compile cold.
    sed "s/black_scholes/black_scholes_$i/; s/norm_cdf/norm_cdf_$i/g" tests/kernels/black_scholes.py > "$tmp/bs.py"
    bs+=("$(./build/first_call "$tmp/bs.py" "black_scholes_$i" | awk '$1=="miss"{print $2}')")
    sed "s/black_scholes/black_scholes_fm_$i/; s/norm_cdf/norm_cdf_fm_$i/g" tests/kernels/black_scholes.py > "$tmp/bs.py"
    bsf+=("$(./build/first_call "$tmp/bs.py" "black_scholes_fm_$i" fastmath=true | awk '$1=="miss"{print $2}')")
done
# The first compile of a daemon that has just started (its socket has appeared): what an
# autostarted client gets. A fresh daemon and store per sample.
first=()
for i in $(seq "$(( (runs + 2) / 3 ))"); do
    mkdir "$tmp/f$i"
    ./target/release/kcached --listen "unix:$tmp/f$i/k.sock" --store "$tmp/f$i/store" >/dev/null 2>&1 &
    fpid=$!
    for _ in $(seq 400); do [ -S "$tmp/f$i/k.sock" ] && break; sleep 0.005; done
    first+=("$(KCACHE_ENDPOINT="unix:$tmp/f$i/k.sock" ./build/first_call "first$i" | awk '$1=="miss"{print $2}')")
    kill $fpid; wait $fpid 2>/dev/null || true
done
echo "first compile of a fresh daemon:   $(stats "${first[@]}")"
echo "cold compile, request to callable: $(stats "${cold[@]}")"
echo "warm hit in a fresh process:       $(stats "${hit[@]}")"
echo "black_scholes cold compile:        $(stats "${bs[@]}")"
echo "black_scholes fastmath, cold:      $(stats "${bsf[@]}")"
echo "daemon stage times (last cold compile):"
./target/release/kcache --json compile <(printf 'def compute_sum_stage(arr):\n    sum_val = 0.0\n    for i in range(len(arr)):\n        sum_val += arr[i]\n    return sum_val\n') --entry compute_sum_stage --sig 'float64(float64[:])'
