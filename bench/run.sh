#!/usr/bin/env bash
# kcache benchmarks: kcache vs Numba vs C (gcc -O3 -march=native, with and without -ffast-math) vs NumPy.
# usage: bench/run.sh [run.py options]   (`make bench`; options e.g. --quick, --only kernels,fastmath)
# Writes bench/RESULTS.md (the earlier first-call section is kept at the end) and bench/build/results.json,
# then bench/remote_hit.sh adds the shared-cache section.
set -euo pipefail
cd "$(dirname "$0")/.."

cargo build --release --workspace

# A separate virtual environment with NumPy and Numba from PyPI (not the test venv).
venv=bench/.venv
if ! "$venv/bin/python" -c 'import numba, numpy' >/dev/null 2>&1; then
    rm -rf "$venv"
    python3 -m venv "$venv"
    "$venv/bin/python" -m pip install --quiet --upgrade pip
    "$venv/bin/python" -m pip install --quiet numba numpy
fi
"$venv/bin/python" -c 'import numba, numpy; print("numba", numba.__version__, "numpy", numpy.__version__)'

# The C references.  The strict build adds -ffp-contract=off: gcc's default (fast) fuses a*b + c into
# an FMA, which Python semantics (and Numba, and kcache without fastmath) do not; with it, saxpy,
# matmul, pairwise and 11 of 5000 mandelbrot pixels came out different from Numba's.
# The -ffast-math build is compiled with -ffast-math but linked without it: linking a shared library
# with -ffast-math (gcc 12) pulls in crtfastmath.o, which would switch the whole Python process to
# flush-to-zero and change the other engines' results.
mkdir -p bench/build
cflags=(-O3 -march=native -fPIC -fopenmp -Wall)
gcc "${cflags[@]}" -ffp-contract=off -c bench/c/kernels.c -o bench/build/kernels_o3.o
gcc "${cflags[@]}" -ffast-math -c bench/c/kernels.c -o bench/build/kernels_fast.o
gcc -shared -fopenmp -o bench/build/kernels_o3.so bench/build/kernels_o3.o -lm
gcc -shared -fopenmp -o bench/build/kernels_fast.so bench/build/kernels_fast.o -lm

# The C client's first call (fresh processes, request to callable).
cc -O2 -Wall -o bench/build/first_call bench/c/first_call.c -Iinclude -Ltarget/release -lkcache \
    -Wl,-rpath,"$PWD/target/release"

"$venv/bin/python" bench/run.py "$@"

# The shared tier: a remote hit against a cold compile and a local hit (its own section at the
# end of RESULTS.md, which run.py keeps).
./bench/remote_hit.sh

# The local index (issue 19): a fresh-process hit and hits/s with and without it (its own section).
./bench/local_hit.sh

# Kernels in the styles users write, against Numba (issue 19): its own section.
"$venv/bin/python" bench/user_kernels.py
