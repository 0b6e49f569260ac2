"""difffuzz finding (kcache bug, internal compiler error): a panic in the compiler.

A for loop whose range() bound makes an array temporary -- np.sum(a) / a.sum() / np.mean(a) of
a float array (the library's pairwise sum), np.min(a[:]), a[::2].max(), np.min(a[:-1]) -- and
whose body has a `return`, makes kcached answer INTERNAL:

    internal compiler error (panic): task N panicked with message
    "range start index 1 out of range for slice of length 0"

np.max(a) / int(a[0]) / np.prod(a) in the bound, or `break` instead of `return`, compile fine.
Likely the release of the statement's temporaries on the early-return path (the for header's
temporaries are released with an empty list of them). Rust-side slice index in the lowering of
`return` inside a for whose header owns temporaries (server/src/lower/stmt.rs, the lead's file).

expected: 2      got: KcacheError internal compiler error (panic)
found by: --seed 5 --case 52, --seed 101 cases 131, 330, 490, 584, 1168, 2460 (minimised by hand)
rerun: python tests/fuzz/difffuzz.py --replay tests/fuzz/findings/range-header-temporary-return-panic.py
"""

# --- kernel ---
import numpy as np

def k(a, x):
    for j in range(int(np.sum(a))):
        if x:
            return 2
    return 1

# --- case ---
SIGNATURE = 'int64(float64[:], int64)'
OPTIONS = {}
RET = 'i'
INPUTS = [(np.array([1.0, 2.0]), 1)]
