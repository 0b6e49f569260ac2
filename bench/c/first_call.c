/* One fresh process, one kernel: connect, compile (or hit), verify, load, first call.
 * Prints the milliseconds from the start of kc_connect to the kernel being callable, and
 * whether it was a hit.
 *   usage: first_call SUFFIX                    compute_sum_SUFFIX, built in (a new SUFFIX is
 *                                               a cold compile, a repeated one a hit), called
 *          first_call FILE.py ENTRY [OPTIONS]   the entry of a source file, typed by its
 *                                               decorator (compiled and loaded, not called) */
#include <kcache.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static char *read_file(const char *path) {
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *text = malloc(n + 1);
    if (text && fread(text, 1, n, f) != (size_t)n) { free(text); text = NULL; }
    if (text) text[n] = '\0';
    fclose(f);
    return text;
}

int main(int argc, char **argv) {
    const char *suffix = argc > 1 ? argv[1] : "0";
    char builtin[512], entry_buf[128];
    const char *source = builtin, *entry = entry_buf, *signature = "float64(float64[:])", *options = NULL;
    if (argc > 2) {
        source = read_file(argv[1]);
        if (!source) { perror(argv[1]); return 1; }
        entry = argv[2];
        signature = NULL;
        options = argc > 3 ? argv[3] : NULL;
    } else {
        snprintf(entry_buf, sizeof entry_buf, "compute_sum_%s", suffix);
        snprintf(builtin, sizeof builtin,
                 "def %s(arr):\n    sum_val = 0.0\n    for i in range(len(arr)):\n        sum_val += arr[i]\n"
                 "    return sum_val\n", entry);
    }
    double data[1000];
    for (int i = 0; i < 1000; i++) data[i] = i;
    int64_t n = 1000;

    double t0 = now_ms();
    kc_client *client;
    kc_kernel *kernel;
    if (kc_connect(NULL, &client) != KC_OK || kc_compile(client, source, entry, signature, options, &kernel) != KC_OK) {
        fprintf(stderr, "%s\n", kc_last_error());
        return 1;
    }
    void *fn = kc_kernel_fn(kernel);
    double t1 = now_ms();
    const char *state = kc_kernel_cache_hit(kernel) ? "hit" : "miss";
    if (argc > 2) {
        printf("%s %.3f\n", state, t1 - t0);
        return fn ? 0 : 2;
    }
    kc_array a = kc_array_wrap(data, KC_FLOAT64, 1, &n, NULL);
    double s = ((double (*)(const kc_array *))fn)(&a);
    printf("%s %.3f %.1f\n", state, t1 - t0, s);
    return s == 499500.0 ? 0 : 2;
}
