"""difffuzz finding (difference from CPython, same as Numba's float ** float): 0.0 ** -x is inf.

CPython raises ZeroDivisionError for 0.0 ** negative (and 0 ** -1e300); kcache lowers float `**`
to llvm.pow (server/src/lower/arith.rs, BinOp::Pow on floats) and returns inf, as Numba's
float ** float does. (Numba's float ** int goes through int_power_impl, whose 1.0 / 0.0 raises.)
Reported, not fixed: whether kcache follows CPython here is the lead's call.

expected (CPython): ZeroDivisionError      got: inf (the store into arr2 and return 1e-300)
found by: --seed 1 --case 10 (minimised)
rerun: python tests/fuzz/difffuzz.py --replay tests/fuzz/findings/float-pow-zero-negative.py
"""

# --- kernel ---
import numpy as np

def k(p0):
    arr2 = np.empty(3)
    for j3 in range(1):
        arr2[j3] = j3 ** (-1e+300)
    return 1e-300

# --- case ---
SIGNATURE = 'float32(float32)'
OPTIONS = {}
RET = 's'
INPUTS = [(np.float32(-4.0), )]
