"""difffuzz finding (difference from CPython, same as Numba): int / int rounds twice.

CPython's int / int is the correctly rounded exact quotient; kcache (like Numba) converts both
ints to float64 first, so a numerator beyond 2**53 is rounded before the division:
-9007199254740993 / 3 is -3002399751580331.0 in CPython, -3002399751580330.5 in kcache. Only
|int| > 2**53 is affected. The README promises "Python semantics for /": either say that ints
beyond 2**53 are converted first (as Numba), or divide exactly (two-step correction).

expected (CPython): -3002399751580331.0      got: -3002399751580330.5
found by: --seed 101 --case 2193 and 2341 (minimised)
rerun: python tests/fuzz/difffuzz.py --replay tests/fuzz/findings/int-truediv-rounding.py
"""

# --- kernel ---
def k(a):
    return a / 3

# --- case ---
SIGNATURE = 'float64(int64)'
OPTIONS = {}
RET = 'f'
INPUTS = [(-9007199254740993, )]
