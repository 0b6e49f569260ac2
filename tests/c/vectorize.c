/* kc_vectorize from C: an element-wise kernel over a transposed 2-D view with a broadcast row.
 * Prints the output row by row; the Rust test compares it with CPython's result. */
#include <kcache.h>
#include <stdio.h>

static const char *SOURCE =
    "def scaled_add(a, b):\n"
    "    return a * 2.0 + b\n";

int main(void) {
    kc_client *client;
    kc_kernel *kernel;
    if (kc_connect(NULL, &client) != KC_OK) { fprintf(stderr, "%s\n", kc_last_error()); return 2; }
    if (kc_vectorize(client, SOURCE, "scaled_add", "float64(float64, float64)", NULL, &kernel) != KC_OK) {
        fprintf(stderr, "%s\n", kc_last_error());
        return 3;
    }
    double m[3][4];           /* a: the transpose of m, shape (4, 3) */
    double row[3] = {100, 200, 300};
    double out[4][3];
    for (int i = 0; i < 3; i++)
        for (int j = 0; j < 4; j++) m[i][j] = i * 10 + j;
    int64_t a_shape[2] = {4, 3}, a_strides[2] = {sizeof(double), 4 * sizeof(double)};
    int64_t b_shape[1] = {3};
    int64_t o_shape[2] = {4, 3};
    kc_array a = kc_array_wrap(m, KC_FLOAT64, 2, a_shape, a_strides);
    kc_array b = kc_array_wrap(row, KC_FLOAT64, 1, b_shape, NULL);
    kc_array o = kc_array_wrap(out, KC_FLOAT64, 2, o_shape, NULL);
    const kc_array *inputs[2] = {&a, &b};
    if (kc_vectorize_call(kernel, inputs, 2, &o) != KC_OK) { fprintf(stderr, "%s\n", kc_last_error()); return 4; }
    for (int i = 0; i < 4; i++) printf("%g %g %g\n", out[i][0], out[i][1], out[i][2]);
    /* An output the float64 loop's result does not cast to (same_kind) is refused, not run. */
    int64_t ints[4][3];
    kc_array bad = kc_array_wrap(ints, KC_INT64, 2, o_shape, NULL);
    if (kc_vectorize_call(kernel, inputs, 2, &bad) != KC_ERR_INVALID) return 5;
    kc_kernel_free(kernel);
    kc_client_free(client);
    return 0;
}
