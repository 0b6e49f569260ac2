"""Black-Scholes over arrays, returning the call and put prices as new arrays: whole-array
expressions with np.log/np.sqrt/np.exp and a helper that fills np.empty_like with math.erf."""
import math

import numpy as np
from numba import njit

# NumPy's exp/log over arrays may differ from libm by an ulp (SIMD implementations).
RTOL = {"black_scholes_arrays": 1e-13}


@njit
def cnd(d):
    out = np.empty_like(d)
    for i in range(d.size):
        out[i] = 0.5 * (1.0 + math.erf(d[i] / math.sqrt(2.0)))
    return out


@njit
def black_scholes_arrays(S, K, T, r, sigma):
    sqrt_t = np.sqrt(T)
    d1 = (np.log(S / K) + (r + 0.5 * sigma * sigma) * T) / (sigma * sqrt_t)
    d2 = d1 - sigma * sqrt_t
    discount = K * np.exp(-r * T)
    call = S * cnd(d1) - discount * cnd(d2)
    put = call - S + discount
    return call, put


def inputs_black_scholes_arrays(n, rng):
    return (rng.uniform(5.0, 30.0, n), rng.uniform(1.0, 100.0, n), rng.uniform(0.25, 10.0, n), 0.02, 0.30)
