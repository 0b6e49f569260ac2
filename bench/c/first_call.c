/* One fresh process, one kernel: connect, compile (or hit), verify, load, first call.
 * Prints the milliseconds from the start of kc_connect to the kernel being callable, and
 * whether it was a hit.  usage: first_call SUFFIX   (the entry is compute_sum_SUFFIX, so a
 * new SUFFIX is a cold compile and a repeated one is a hit) */
#include <kcache.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

int main(int argc, char **argv) {
    const char *suffix = argc > 1 ? argv[1] : "0";
    char source[512], entry[128];
    snprintf(entry, sizeof entry, "compute_sum_%s", suffix);
    snprintf(source, sizeof source,
             "def %s(arr):\n    sum_val = 0.0\n    for i in range(len(arr)):\n        sum_val += arr[i]\n"
             "    return sum_val\n", entry);
    double data[1000];
    for (int i = 0; i < 1000; i++) data[i] = i;
    int64_t n = 1000;

    double t0 = now_ms();
    kc_client *client;
    kc_kernel *kernel;
    if (kc_connect(NULL, &client) != KC_OK || kc_compile(client, source, entry, "float64(float64[:])", NULL, &kernel) != KC_OK) {
        fprintf(stderr, "%s\n", kc_last_error());
        return 1;
    }
    double (*fn)(const kc_array *) = (double (*)(const kc_array *))kc_kernel_fn(kernel);
    double t1 = now_ms();
    kc_array a = kc_array_wrap(data, KC_FLOAT64, 1, &n, NULL);
    double s = fn(&a);
    printf("%s %.3f %.1f\n", kc_kernel_cache_hit(kernel) ? "hit" : "miss", t1 - t0, s);
    return s == 499500.0 ? 0 : 2;
}
