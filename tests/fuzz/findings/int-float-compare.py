"""difffuzz finding (difference from CPython, same as Numba): int == float compares in float64.

CPython compares an int with a float exactly; kcache (like Numba) converts the int to float64
first, so ints beyond 2**53 compare equal to a float they are not equal to:
(2**53 + 1) == 2.0**53 is False in CPython and True in kcache (likewise <, <=, ...). The README
promises Python semantics for comparisons: either say ints beyond 2**53 are converted first, or
compare exactly (convert, and on equality compare the int with the float's integer value).

expected (CPython): False      got: True
found by: hand-written after the int / int divergence (int-truediv-rounding.py)
rerun: python tests/fuzz/difffuzz.py --replay tests/fuzz/findings/int-float-compare.py
"""

# --- kernel ---
def k(a, b):
    return a == b

# --- case ---
SIGNATURE = 'boolean(int64, float64)'
OPTIONS = {}
RET = 'b'
INPUTS = [(9007199254740993, 9007199254740992.0, )]
