"""difffuzz finding (kcache bug, WRONG ANSWER): a comprehension's int items read as float64 bits.

A list made by a comprehension of int64 values, later given a float (`lst.append(1.0)`), is
typed list(float64), but the items the comprehension stored are the int64 bit patterns: they
read back as denormals (3 -> 1.5e-323). A list literal `[x, x]` widened the same way is right
(3.0), and `lst[0] = 2.5` on the comprehension list is refused ("a list of int64 cannot hold
float64"), so only the comprehension + append path is wrong. Numba types the comprehension
list(int64) and converts the appended 1.0 to 1; CPython keeps [3, 3, 1.0]. Either is a right
answer here (sum 7 or 7.0); 1.0 is not. The comprehension's element conversion to the unified
type is missing (infer/list.rs + the comprehension lowering).

expected: [3, 3, 1.0] (sum 7.0)      got: [1.5e-323, 1.5e-323, 1.0] (sum 1.0)
found by: --seed 101 --case 1180 (minimised, then by hand)
rerun: python tests/fuzz/difffuzz.py --replay tests/fuzz/findings/list-comprehension-widened-by-append.py
"""

# --- kernel ---
def k(x):
    lst = [x for j in range(2)]
    lst.append(1.0)
    return sum(lst)

# --- case ---
SIGNATURE = 'float64(int64)'
OPTIONS = {}
RET = 'f'
INPUTS = [(3, )]
