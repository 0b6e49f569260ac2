/* Hand-written C references for the kernel corpus (the corpus in /work/shared/kernels), loaded by
 * bench/run.py through ctypes.  Built twice by bench/run.sh:
 *   build/kernels_o3.so    gcc -O3 -march=native            (strict IEEE, like Numba's default)
 *   build/kernels_fast.so  gcc -O3 -march=native -ffast-math
 * both with -fopenmp (only parallel_sum_omp uses it).
 *
 * Each function follows the Python file's semantics: same loop order, same accumulation order,
 * same math calls.  2-D arrays are passed as a base pointer plus element strides so that strided
 * inputs work as in the Python versions (the corpus generators produce contiguous ones). */
#include <math.h>
#include <stdint.h>
#include <stddef.h>
#include <omp.h>

/* compute_sum.py */
double compute_sum(const double *arr, int64_t n) {
    double sum_val = 0.0;
    for (int64_t i = 0; i < n; i++) sum_val += arr[i];
    return sum_val;
}

/* saxpy.py */
void saxpy(double a, const double *x, const double *y, double *out, int64_t n) {
    for (int64_t i = 0; i < n; i++) out[i] = a * x[i] + y[i];
}

/* power_two.py (the float64 loop of the @vectorize: x ** 2 is x * x) */
void power_two(const double *x, double *out, int64_t n) {
    for (int64_t i = 0; i < n; i++) out[i] = x[i] * x[i];
}

/* black_scholes.py */
static inline double norm_cdf(double x) { return 0.5 * (1.0 + erf(x / sqrt(2.0))); }

void black_scholes(const double *spot, const double *strike, const double *years, double rate, double vol,
                   double *call, double *put, int64_t n) {
    for (int64_t i = 0; i < n; i++) {
        double s = spot[i];
        double k = strike[i];
        double t = years[i];
        double sqrt_t = sqrt(t);
        double d1 = (log(s / k) + (rate + 0.5 * vol * vol) * t) / (vol * sqrt_t);
        double d2 = d1 - vol * sqrt_t;
        double discount = exp(-rate * t);
        call[i] = s * norm_cdf(d1) - k * discount * norm_cdf(d2);
        put[i] = k * discount * norm_cdf(-d2) - s * norm_cdf(-d1);
    }
}

/* mandelbrot.py */
int32_t escape_time(double cr, double ci, int32_t max_iter) {
    double zr = 0.0, zi = 0.0;
    for (int32_t n = 0; n < max_iter; n++) {
        double zr2 = zr * zr;
        double zi2 = zi * zi;
        if (zr2 + zi2 > 4.0) return n;
        zi = 2.0 * zr * zi + ci;
        zr = zr2 - zi2 + cr;
    }
    return max_iter;
}

/* image is int32[:, :]; s0, s1 are strides in elements */
void mandelbrot(double xmin, double xmax, double ymin, double ymax, int32_t *image, int64_t height, int64_t width,
                int64_t s0, int64_t s1, int32_t max_iter) {
    double dx = (xmax - xmin) / (double)width;
    double dy = (ymax - ymin) / (double)height;
    for (int64_t y = 0; y < height; y++) {
        double ci = ymin + (double)y * dy;
        for (int64_t x = 0; x < width; x++) image[y * s0 + x * s1] = escape_time(xmin + (double)x * dx, ci, max_iter);
    }
}

/* jacobi2d.py: grid and out are C-contiguous rows x cols */
double jacobi_sweep(const double *grid, double *out, int64_t rows, int64_t cols) {
    double delta = 0.0;
    for (int64_t i = 1; i < rows - 1; i++) {
        for (int64_t j = 1; j < cols - 1; j++) {
            double v = 0.25 * (grid[(i - 1) * cols + j] + grid[(i + 1) * cols + j] + grid[i * cols + j - 1] +
                               grid[i * cols + j + 1]);
            double d = fabs(v - grid[i * cols + j]);
            if (d > delta) delta = d;
            out[i * cols + j] = v;
        }
    }
    return delta;
}

/* matmul.py, serial, i-k-j order; A is n x m, B is m x p, C is n x p, all C-contiguous */
void matmul(const double *A, const double *B, double *C, int64_t n, int64_t m, int64_t p) {
    for (int64_t i = 0; i < n; i++) {
        double *c = C + i * p;
        for (int64_t j = 0; j < p; j++) c[j] = 0.0;
        for (int64_t k = 0; k < m; k++) {
            double a = A[i * m + k];
            const double *b = B + k * p;
            for (int64_t j = 0; j < p; j++) c[j] += a * b[j];
        }
    }
}

/* pairwise.py: X is float64[:, :] (element strides xs0, xs1), D is n x n C-contiguous */
void pairwise_distance(const double *X, int64_t n, int64_t k, int64_t xs0, int64_t xs1, double *D) {
    for (int64_t i = 0; i < n; i++) {
        for (int64_t j = 0; j < n; j++) {
            double acc = 0.0;
            for (int64_t d = 0; d < k; d++) {
                double t = X[i * xs0 + d * xs1] - X[j * xs0 + d * xs1];
                acc += t * t;
            }
            D[i * n + j] = sqrt(acc);
        }
    }
}

/* Python's float floor division (CPython float_floor_div), as `(v - lo) // width` in histogram.py */
static inline double py_floordiv(double vx, double wx) {
    double mod = fmod(vx, wx);
    double div = (vx - mod) / wx;
    if (mod != 0.0) {
        if ((wx < 0) != (mod < 0)) div -= 1.0;
    }
    double floordiv;
    if (div != 0.0) {
        floordiv = floor(div);
        if (div - floordiv > 0.5) floordiv += 1.0;
    } else {
        floordiv = copysign(0.0, vx / wx);
    }
    return floordiv;
}

/* histogram.py */
int64_t histogram(const double *values, int64_t n, double lo, double hi, int64_t *counts, int64_t nbins) {
    double width = (hi - lo) / (double)nbins;
    int64_t outside = 0;
    for (int64_t i = 0; i < n; i++) {
        double v = values[i];
        if (v < lo || v >= hi) {
            outside += 1;
            continue;
        }
        int64_t b = (int64_t)py_floordiv(v - lo, width);
        if (b >= nbins) b = nbins - 1;
        counts[b] += 1;
    }
    return outside;
}

/* parallel_sum.py: serial (the same loop as compute_sum) and an OpenMP reduction over nthreads */
double parallel_sum(const double *arr, int64_t n) {
    double sum_val = 0.0;
    for (int64_t i = 0; i < n; i++) sum_val += arr[i];
    return sum_val;
}

double parallel_sum_omp(const double *arr, int64_t n, int nthreads) {
    double sum_val = 0.0;
#pragma omp parallel for reduction(+ : sum_val) num_threads(nthreads) schedule(static)
    for (int64_t i = 0; i < n; i++) sum_val += arr[i];
    return sum_val;
}

/* python_semantics.py */
int64_t floor_div_mod(int64_t a, int64_t b) {
    int64_t q = a / b, r = a % b;
    if (r != 0 && ((r < 0) != (b < 0))) {
        q -= 1;
        r += b;
    }
    return q * 1000 + r;
}

int64_t fib(int64_t n) {
    if (n < 2) return n;
    return fib(n - 1) + fib(n - 2);
}

int64_t collatz_steps(int64_t n) {
    int64_t steps = 0;
    while (n != 1) {
        if (n % 2 == 0)
            n = n / 2;
        else
            n = 3 * n + 1;
        steps += 1;
    }
    return steps;
}

double mixed_promotion(int64_t k, double x) {
    double acc = 0.0;
    for (int64_t i = 0; i < k; i++) {
        if (i % 3 == 0 && !(i % 2 == 0))
            acc += x;
        else if (i > 5 || x < 0.0)
            acc -= 1;
        else
            acc += (double)i / 2.0;
    }
    return acc;
}

/* The trivial scalar kernel for the call-overhead probe: f(x) = x + 1 */
int64_t add_one(int64_t x) { return x + 1; }

/* STREAM-like bandwidth probes (a[], b[], c[] of n doubles). */
void stream_copy(double *a, const double *b, int64_t n) {
    for (int64_t i = 0; i < n; i++) a[i] = b[i];
}

void stream_scale(double *a, const double *b, double s, int64_t n) {
    for (int64_t i = 0; i < n; i++) a[i] = s * b[i];
}

void stream_triad(double *a, const double *b, const double *c, double s, int64_t n) {
    for (int64_t i = 0; i < n; i++) a[i] = b[i] + s * c[i];
}

/* Read-only probe: a sum with 8 independent accumulators, so it is bandwidth- not latency-bound. */
double stream_read(const double *a, int64_t n) {
    double s[8] = {0, 0, 0, 0, 0, 0, 0, 0};
    int64_t i = 0;
    for (; i + 8 <= n; i += 8)
        for (int j = 0; j < 8; j++) s[j] += a[i + j];
    for (; i < n; i++) s[0] += a[i];
    return ((s[0] + s[1]) + (s[2] + s[3])) + ((s[4] + s[5]) + (s[6] + s[7]));
}
