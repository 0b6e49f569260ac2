#!/usr/bin/env bash
# Fails when a test reads a path outside the repository: a fresh clone has nothing beside it,
# so every test must read the in-repo corpus (tests/kernels) or a temporary directory. Files
# from outside come in only through KCACHE_EXTRA_KERNELS, which the Makefile sets.
set -euo pipefail
cd "$(dirname "$0")/.."
test_files=$(git ls-files -- 'tests/*.rs' 'tests/**/*.rs' 'server/tests/**' 'client/tests/**' \
    'python/tests/**' 'tests/c/**' 'bench/*.py' 'bench/*.sh' | grep -v '^tests/kernels/')
# Two levels up from a crate, the folder beside the checkout, a home or work directory, or
# Python's REPO.parent all lie outside the repository.
pattern='\.\./\.\.|\.\./shared|shared/kernels|/work/|/home/|/root/|REPO\.parent|parents\[[3-9]\]'
if hits=$(grep -nE "$pattern" $test_files); then
    echo "check-test-paths: tests must not read paths outside the repository:" >&2
    echo "$hits" >&2
    exit 1
fi
echo "check-test-paths: ok ($(echo "$test_files" | wc -l) files)"
