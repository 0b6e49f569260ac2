"""N-body integration in the NumPy style: np.zeros_like accumulators, row views of a 2-D
position array, in-place updates of rows and whole arrays, energies reduced along an axis."""
import numpy as np
from numba import njit


@njit
def accelerations(pos, mass, eps):
    n = pos.shape[0]
    acc = np.zeros_like(pos)
    for i in range(n):
        for j in range(n):
            if i != j:
                d = pos[j] - pos[i]
                r2 = (d ** 2).sum() + eps * eps
                acc[i] += mass[j] * d / r2 ** 1.5
    return acc


@njit
def simulate(pos, vel, mass, dt, steps):
    pos = pos.copy()
    vel = vel.copy()
    for _ in range(steps):
        a = accelerations(pos, mass, 0.01)
        vel += a * dt
        pos += vel * dt
    kinetic = 0.5 * (mass * (vel ** 2).sum(axis=1)).sum()
    return pos, vel, kinetic


def inputs_simulate(n, rng):
    m = min(n, 12) + 2
    return (rng.standard_normal((m, 3)), rng.standard_normal((m, 3)) * 0.1, rng.random(m) + 0.5, 0.01, 5)


def inputs_accelerations(n, rng):
    m = min(n, 30)
    return (rng.standard_normal((m, 3)), rng.random(m), 0.05)
