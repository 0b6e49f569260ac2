"""difffuzz finding (kcache bug, WRONG ANSWER in the last bits): 8.0 ** x is exp2(3 * x).

With a constant base that is a power of two other than 2 and 4 -- 8.0, 32.0, 64.0, 0.125, ...,
also math.pow(8.0, x) and np.float32(8.0) ** x -- LLVM's optimiser rewrites llvm.pow(2**n, x) as
llvm.exp2(n * x) (LibCallSimplifier::replacePowWithExp; kcache inspect --opt-llvm shows
`%exp2 = tail call double @llvm.exp2.f64(double %mul)`). n * x is rounded first, so the result
is off by one or more ulps from pow (CPython's float ** and math.pow, libm's pow):

    8.0 ** 4.8     CPython 21618.81761010309       kcache 21618.817610103077
    32.0 ** 1.1    CPython 45.25483399593906       kcache 45.254833995939045
    0.125 ** 4.8   CPython 4.625599873383785e-05   kcache 4.625599873383788e-05
    float32 8 ** 4.8  NumPy 21618.826             kcache 21618.826171875

Fix (server/src/lower/arith.rs BinOp::Pow on floats, and math.pow in builtins/math.rs): call
libm's pow through a declaration LLVM does not treat as the builtin (`nobuiltin` on the call
site), or pass the base through an opaque value; error_model/fastmath=False must keep pow.
Numba (llvm.pow too) has the same problem, but the README promises CPython's results.

expected: 21618.81761010309      got: 21618.817610103077
found by: --seed 202 --case 586 (minimised by hand)
rerun: python tests/fuzz/difffuzz.py --replay tests/fuzz/findings/pow-constant-power-of-two-base.py
"""

# --- kernel ---
def k(b):
    return 8.0 ** b

# --- case ---
SIGNATURE = 'float64(float64)'
OPTIONS = {}
RET = 'f'
INPUTS = [(4.8, )]
