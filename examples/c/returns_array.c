/* A kernel that allocates and returns arrays: z-scores of a vector, returned with its mean and
 * standard deviation as a tuple, and a cumulative sum returned as a plain array.
 *
 *   make example && ./build/returns_array        (kcached must be running: `make run`)
 *
 * Arrays a kernel returns live in buffers the kernel allocated: the caller owns one reference
 * and drops it with kc_array_release. kc_memory_stats counts what is still alive, so the
 * program checks that everything it got back was released. */
#include <kcache.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *SOURCE =
    "import numpy as np\n"
    "\n"
    "def zscore(x):\n"
    "    m = x.mean()\n"
    "    s = x.std()\n"
    "    return (x - m) / s, m, s\n"
    "\n"
    "def running_total(x):\n"
    "    return np.cumsum(x)\n";

/* The result of zscore as kc_call writes it: a C struct of the tuple's items in order. */
typedef struct {
    kc_array z;
    double mean;
    double std;
} zscore_result;

int main(void) {
    enum { N = 1000, CALLS = 2000 };
    double data[N];
    for (int i = 0; i < N; i++) data[i] = sin(i * 0.1) * 10.0 + i * 0.01;
    int64_t n = N;
    kc_array x = kc_array_wrap(data, KC_FLOAT64, 1, &n, NULL);

    kc_client *client;
    if (kc_connect(NULL, &client) != KC_OK) {
        fprintf(stderr, "connect: %s\n", kc_last_error());
        return 2;
    }
    kc_kernel *zscore, *total;
    if (kc_compile(client, SOURCE, "zscore", "(float64[::1],)", NULL, &zscore) != KC_OK ||
        kc_compile(client, SOURCE, "running_total", "float64[::1](float64[::1])", NULL, &total) != KC_OK) {
        fprintf(stderr, "compile: %s\n", kc_last_error());
        return 3;
    }
    if (strcmp(kc_kernel_result_type(zscore), "tuple(array(float64,1,C);float64;float64)") != 0 ||
        kc_kernel_result_size(zscore) != sizeof(zscore_result)) {
        fprintf(stderr, "unexpected result type %s (%zu bytes)\n", kc_kernel_result_type(zscore),
                kc_kernel_result_size(zscore));
        return 4;
    }

    const void *args[] = {&x};
    double checksum = 0.0;
    for (int call = 0; call < CALLS; call++) {
        zscore_result r;
        kc_array c;
        if (kc_call(zscore, args, &r) != KC_OK || kc_call(total, args, &c) != KC_OK) {
            fprintf(stderr, "call: %s\n", kc_last_error());
            return 5;
        }
        const double *z = r.z.data;
        const double *cs = c.data;
        checksum += z[N - 1] + cs[N - 1] * 1e-6;
        if (call == 0)
            printf("mean = %.17g\nstd = %.17g\nz[0] = %.17g\nz[%d] = %.17g\ncumsum[%d] = %.17g\n", r.mean,
                   r.std, z[0], N - 1, z[N - 1], N - 1, cs[N - 1]);
        kc_array_release(&r.z);
        kc_array_release(&c);
    }
    /* A result nobody asks for (ret NULL) is dropped by kc_call itself. */
    if (kc_call(total, args, NULL) != KC_OK) return 6;

    int64_t buffers, bytes;
    kc_memory_stats(&buffers, &bytes);
    printf("calls = %d, checksum = %.17g\nlive buffers after release = %lld (%lld bytes)\n", CALLS, checksum,
           (long long)buffers, (long long)bytes);
    kc_kernel_free(zscore);
    kc_kernel_free(total);
    kc_client_free(client);
    return buffers == 0 && bytes == 0 ? 0 : 7;
}
