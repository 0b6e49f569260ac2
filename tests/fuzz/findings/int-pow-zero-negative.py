"""difffuzz finding (kcache bug, wrong answer): 0 ** negative int64 returns 0.

CPython raises ZeroDivisionError ("0.0 cannot be raised to a negative power" for `0 ** -3`), and
so does Numba (int_power_impl: "0 cannot be raised to a negative power"). kcache returns 0:
kc.ipow (server/src/lower/arith.rs, int_pow) handles a negative exponent as "1 -> 1, -1 -> +-1,
anything else -> 0", without the base == 0 case (under error_model='numpy' Numba returns 0 there
too, so only the python error model needs the raise).

Suggested fix (lower/arith.rs, binary(), the integer BinOp::Pow arm): before calling kc.ipow,
under python_errors() for signed types,
    zero = icmp eq a, 0; neg = icmp slt b, 0; both = and zero, neg
    raise_if(both, "ZeroDivisionError", "0 cannot be raised to a negative power")

expected: ZeroDivisionError      got: 0
found by: --seed 1 --case 47 (minimised)
rerun: python tests/fuzz/difffuzz.py --replay tests/fuzz/findings/int-pow-zero-negative.py
"""

# --- kernel ---
def k(p0):
    p0 = p0 & 8
    return p0 ** (-3)

# --- case ---
SIGNATURE = 'int64(int64)'
OPTIONS = {}
RET = 'i'
INPUTS = [(19, )]
