#!/usr/bin/env bash
# Installs what building and testing kcache needs, when it is missing. Safe to run again.
# Debian packages: LLVM 19 (inkwell links libLLVM-19), Polly (llvm-config lists it), zstd/zlib,
# a C compiler and binutils' ld (kcached links kernels with it), valgrind (the tests leak-check
# the C example whose kernels return arrays), and redis-server: the shared-tier tests start
# private ones on free ports or sockets (the package's own service, if it runs, is not used);
# cmake: the install test builds the examples with find_package(kcache).
set -euo pipefail

packages=(llvm-19-dev libpolly-19-dev libzstd-dev zlib1g-dev build-essential binutils pkg-config valgrind redis-server cmake)
missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
    echo "install-deps: installing ${missing[*]}"
    sudo=""
    if [ "$(id -u)" != 0 ]; then sudo="sudo"; fi
    $sudo apt-get update
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y --no-install-recommends "${missing[@]}"
fi

if ! command -v cargo >/dev/null 2>&1; then
    echo "install-deps: cargo is missing; install Rust (https://rustup.rs) and run again" >&2
    exit 1
fi
