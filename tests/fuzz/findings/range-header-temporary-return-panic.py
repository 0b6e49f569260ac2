"""difffuzz finding (kcache bug, internal compiler error): a panic in the compiler.

A for loop whose range() bound makes an array temporary -- np.sum(a) / a.sum() / np.mean(a) of
a float array (the library's pairwise sum), np.min(a[:]), a[::2].max(), np.min(a[:-1]) -- and
whose body has a `return`, makes kcached answer INTERNAL:

    internal compiler error (panic): task N panicked with message
    "range start index 1 out of range for slice of length 0"

np.max(a) / int(a[0]) / np.prod(a) in the bound, or `break` instead of `return`, compile fine;
`if`/`while` conditions with temporaries are fine (they are hoisted). An array temporary in any
part of the bound does it (also `range(h(np.any(a > 0)))`). ~25 hits in 45 minutes of fuzzing.

Cause (server/src/lower/stmt.rs, Stmt::Return, and lower/memory.rs release_temps): a return
calls `release_temps(0)`, which *drains* every live temporary, the enclosing for header's
included, out of `self.temps`. The return's block is terminated, but the `if` around it is not:
when the `if` statement ends, `block()` calls `release_temps(mark)` with the mark it took before
the statement (1: the header's temporary was live) on a now empty list, and `drain(1..)` panics.
(Without the panic the header's temporary would also be leaked on the loop's normal exit.)
Suggested fix: on a return, release the live temporaries on that path only, without removing
them from the list the enclosing statements still own:

    Stmt::Return(value) => { ...
        let live = self.temps.clone();
        for (t, ty) in &live { self.release_value(t, ty); }
        self.ret(MODULE_STATUS_OK);

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
