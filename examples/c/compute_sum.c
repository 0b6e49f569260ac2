/* Sums a 1,000,000-element array with a kernel compiled by kcached.
 *
 *   make example && ./build/compute_sum        (kcached must be running: `make run`)
 *
 * The first run compiles the kernel; later runs, and runs after kcached restarts, are served
 * from the daemon's store. */
#include <kcache.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static const char *SOURCE =
    "def compute_sum(arr):\n"
    "    sum_val = 0.0\n"
    "    for i in range(len(arr)):\n"
    "        sum_val += arr[i]\n"
    "    return sum_val\n";

static double now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

int main(void) {
    const int64_t n = 1000000;
    double *data = malloc(n * sizeof *data);
    if (!data) return 1;
    for (int64_t i = 0; i < n; i++) data[i] = (double)(i % 1000) * 0.25;

    double t0 = now_ms();
    kc_client *client;
    if (kc_connect(NULL, &client) != KC_OK) {
        fprintf(stderr, "connect: %s\n", kc_last_error());
        return 2;
    }
    kc_kernel *kernel;
    kc_status st = kc_compile(client, SOURCE, "compute_sum", "float64(float64[:])", NULL, &kernel);
    if (st != KC_OK) {
        fprintf(stderr, "compile (status %d): %s\n", (int)st, kc_last_error());
        return 3;
    }
    double t1 = now_ms();

    /* The typed entry: arrays by pointer to kc_array, the result by value. */
    double (*compute_sum)(const kc_array *) = (double (*)(const kc_array *))kc_kernel_fn(kernel);
    kc_array arr = kc_array_wrap(data, KC_FLOAT64, 1, &n, NULL);
    double sum = compute_sum(&arr);

    /* The checked generic entry gives the same answer. */
    double checked = 0.0;
    const void *args[] = {&arr};
    if (kc_call(kernel, args, &checked) != KC_OK) {
        fprintf(stderr, "call: %s\n", kc_last_error());
        return 4;
    }

    printf("sum = %.17g\n", sum);
    printf("checked = %.17g\n", checked);
    printf("%s in %.3f ms (digest %.16s..., %s)\n", kc_kernel_cache_hit(kernel) ? "hit" : "miss",
           t1 - t0, kc_kernel_digest(kernel), kc_kernel_signature(kernel));
    kc_kernel_free(kernel);
    kc_client_free(client);
    free(data);
    return sum == checked ? 0 : 5;
}
