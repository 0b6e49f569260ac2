"""difffuzz finding (kcache bug, WRONG ANSWER): `a[i] = v` evaluates the index before the value.

Python evaluates the right-hand side of an assignment first, then the target's object and
subscript (Numba follows the bytecode, so it does the same). kcache evaluates the target's index
first. Visible when the value's evaluation raises or has an effect the index depends on:

    def h(a):
        a[0] = 2.0
        return 0.0

    def k(a):                       # a = [1.0, 2.0, 3.0]
        a[int(a[0])] = h(a)         # CPython: h runs, then a[2] = 0.0; kcache: a[1] = 0.0
        return a[1]                 # CPython 2.0, kcache 0.0

and `a[1 // x] = a[5]` (boundscheck=True, x = 0) raises ZeroDivisionError in kcache where
CPython raises IndexError. The lowering of Stmt assignment to a subscript (lower/stmt.rs, the
lead's file) should evaluate the value before the target's index expressions (or inference
should hoist the value into a temporary when the index is not a plain name or constant).

expected: 2.0      got: 0.0
found by: --seed 202 --case 3066 (minimised; the raising form), the effect form by hand
rerun: python tests/fuzz/difffuzz.py --replay tests/fuzz/findings/subscript-assignment-evaluation-order.py
"""

# --- kernel ---
def h(a):
    a[0] = 2.0
    return 0.0

def k(a):
    a[int(a[0])] = h(a)
    return a[1]

# --- case ---
SIGNATURE = 'float64(float64[:])'
OPTIONS = {}
RET = 'f'
INPUTS = [(np.array([1.0, 2.0, 3.0]), )]
