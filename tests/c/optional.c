/* An Optional result (a kernel that returns None on some paths) through kc_call: the result
 * is the struct { uint8_t has_value; T value; }. Prints what CPython prints for the same
 * calls ("None" or the value) for the test to compare. */
#include <kcache.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

static const char *SOURCE =
    "def find(a, x):\n"
    "    for i in range(a.shape[0]):\n"
    "        if a[i] == x:\n"
    "            return i\n"
    "    return None\n"
    "def smallest(a):\n"
    "    best = None\n"
    "    for v in a:\n"
    "        if best is None or v < best:\n"
    "            best = v\n"
    "    return best\n";

static int check(kc_status st, const char *what) {
    if (st != KC_OK) {
        fprintf(stderr, "%s: %s\n", what, kc_last_error());
        return 1;
    }
    return 0;
}

struct optional_i64 {
    uint8_t has_value;
    int64_t value;
};

struct optional_f64 {
    uint8_t has_value;
    double value;
};

int main(void) {
    kc_client *client;
    if (check(kc_connect(NULL, &client), "connect")) return 2;
    kc_kernel *find, *smallest;
    if (check(kc_compile(client, SOURCE, "find", "optional(int64)(float64[:], float64)", NULL, &find), "compile find"))
        return 3;
    if (check(kc_compile(client, SOURCE, "smallest", "(float64[:])", NULL, &smallest), "compile smallest")) return 3;
    if (strcmp(kc_kernel_result_type(find), "optional(int64)") != 0 ||
        kc_kernel_result_size(find) != sizeof(struct optional_i64) ||
        strcmp(kc_kernel_result_type(smallest), "optional(float64)") != 0) {
        fprintf(stderr, "result types: %s (%zu bytes), %s\n", kc_kernel_result_type(find),
                kc_kernel_result_size(find), kc_kernel_result_type(smallest));
        return 4;
    }

    double data[] = {3.0, -1.0, 4.0, 1.0};
    int64_t n = 4, empty_n = 0;
    kc_array arr = kc_array_wrap(data, KC_FLOAT64, 1, &n, NULL);
    kc_array empty = kc_array_wrap(data, KC_FLOAT64, 1, &empty_n, NULL);
    double targets[] = {4.0, 7.0};
    for (int t = 0; t < 2; t++) {
        struct optional_i64 r;
        memset(&r, 0xAB, sizeof r);
        const void *args[] = {&arr, &targets[t]};
        if (check(kc_call(find, args, &r), "kc_call find")) return 5;
        if (r.has_value)
            printf("%lld\n", (long long)r.value);
        else
            printf("None\n");
    }
    const kc_array *inputs[] = {&arr, &empty};
    for (int t = 0; t < 2; t++) {
        struct optional_f64 r;
        const void *args[] = {inputs[t]};
        if (check(kc_call(smallest, args, &r), "kc_call smallest")) return 5;
        if (r.has_value)
            printf("%.17g\n", r.value);
        else
            printf("None\n");
    }
    kc_kernel_free(find);
    kc_kernel_free(smallest);
    kc_client_free(client);
    return 0;
}
