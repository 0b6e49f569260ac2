/* Cache hits per second: THREADS threads, each with its own connection, compile the same stored
 * kernel over and over for SECONDS. Each hit is the full client path: Compile RPC (hit),
 * BLAKE3 verification of the artifact and loading it (in process, client/src/loader/image.rs), then unloading it.
 * usage: hit_rate [THREADS] [SECONDS] */
#include <kcache.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static const char *SOURCE =
    "def compute_sum(arr):\n    sum_val = 0.0\n    for i in range(len(arr)):\n        sum_val += arr[i]\n"
    "    return sum_val\n";
static double seconds = 3.0;

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void *worker(void *arg) {
    long *count = arg;
    kc_client *client;
    if (kc_connect(NULL, &client) != KC_OK) { fprintf(stderr, "%s\n", kc_last_error()); exit(1); }
    double end = now() + seconds;
    while (now() < end) {
        kc_kernel *k;
        if (kc_compile(client, SOURCE, "compute_sum", "float64(float64[:])", NULL, &k) != KC_OK) {
            fprintf(stderr, "%s\n", kc_last_error());
            exit(1);
        }
        if (!kc_kernel_cache_hit(k)) { fprintf(stderr, "expected a hit\n"); exit(1); }
        kc_kernel_free(k);
        (*count)++;
    }
    kc_client_free(client);
    return NULL;
}

int main(int argc, char **argv) {
    int threads = argc > 1 ? atoi(argv[1]) : 8;
    if (argc > 2) seconds = atof(argv[2]);
    kc_client *client;
    kc_kernel *k;
    if (kc_connect(NULL, &client) != KC_OK ||
        kc_compile(client, SOURCE, "compute_sum", "float64(float64[:])", NULL, &k) != KC_OK) {
        fprintf(stderr, "%s\n", kc_last_error());
        return 1;
    }
    kc_kernel_free(k);
    pthread_t tid[64];
    long counts[64] = {0};
    double t0 = now();
    for (int i = 0; i < threads && i < 64; i++) pthread_create(&tid[i], NULL, worker, &counts[i]);
    long total = 0;
    for (int i = 0; i < threads && i < 64; i++) {
        pthread_join(tid[i], NULL);
        total += counts[i];
    }
    double elapsed = now() - t0;
    printf("%d clients: %ld hits in %.2f s = %.0f hits/s\n", threads, total, elapsed, total / elapsed);
    return 0;
}
