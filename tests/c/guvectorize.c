/* kc_guvectorize from C: a moving average over the rows of a strided 3-D array with a
 * broadcast window, and a matrix-vector product "(m,n),(n)->(m)" over a batch. Prints the
 * outputs; the Rust test compares them with what the same kernels give in CPython. */
#include <kcache.h>
#include <stdio.h>

static const char *SOURCE =
    "def moving_sum(a, w, out):\n"
    "    n = a.shape[0]\n"
    "    for i in range(n):\n"
    "        s = 0.0\n"
    "        for j in range(max(0, i - w + 1), i + 1):\n"
    "            s += a[j]\n"
    "        out[i] = s\n"
    "\n"
    "def matvec(m, v, out):\n"
    "    for i in range(m.shape[0]):\n"
    "        acc = 0.0\n"
    "        for j in range(v.shape[0]):\n"
    "            acc += m[i, j] * v[j]\n"
    "        out[i] = acc\n"
    "\n"
    "def norm(v, out):\n"
    "    out[0] = (v * v).sum() ** 0.5\n";

static int fail(int code) {
    fprintf(stderr, "%s\n", kc_last_error());
    return code;
}

int main(void) {
    kc_client *client;
    kc_kernel *msum, *mv, *nrm;
    if (kc_connect(NULL, &client) != KC_OK) return fail(2);
    if (kc_guvectorize(client, SOURCE, "moving_sum", "void(float64[:], int64, float64[:])", "(n),()->(n)",
                       NULL, &msum) != KC_OK)
        return fail(3);
    if (kc_guvectorize(client, SOURCE, "matvec", "void(float64[:, :], float64[:], float64[:])", "(m,n),(n)->(m)",
                       NULL, &mv) != KC_OK)
        return fail(4);
    if (kc_guvectorize(client, SOURCE, "norm", "void(float64[:], float64[:])", "(n)->()", NULL, &nrm) != KC_OK)
        return fail(5);

    /* moving_sum over a (2, 3, 5) view that takes every other element of its last axis. */
    double data[2][3][10];
    for (int i = 0; i < 2; i++)
        for (int j = 0; j < 3; j++)
            for (int k = 0; k < 10; k++) data[i][j][k] = i * 100 + j * 10 + k;
    int64_t a_shape[3] = {2, 3, 5}, a_strides[3] = {30 * 8, 10 * 8, 2 * 8};
    kc_array a = kc_array_wrap(data, KC_FLOAT64, 3, a_shape, a_strides);
    int64_t windows[3] = {1, 2, 3}; /* broadcast along the first loop dimension */
    int64_t w_shape[1] = {3};
    kc_array w = kc_array_wrap(windows, KC_INT64, 1, w_shape, NULL);
    double sums[2][3][5];
    int64_t s_shape[3] = {2, 3, 5};
    kc_array s = kc_array_wrap(sums, KC_FLOAT64, 3, s_shape, NULL);
    const kc_array *margs[3] = {&a, &w, &s};
    if (kc_guvectorize_call(msum, margs, 3) != KC_OK) return fail(6);
    for (int i = 0; i < 2; i++)
        for (int j = 0; j < 3; j++)
            printf("%g %g %g %g %g\n", sums[i][j][0], sums[i][j][1], sums[i][j][2], sums[i][j][3], sums[i][j][4]);

    /* matvec over a batch of 4 (2, 3) matrices and one vector. */
    double mats[4][2][3], vec[3] = {1.0, -2.0, 0.5}, prods[4][2];
    for (int b = 0; b < 4; b++)
        for (int i = 0; i < 2; i++)
            for (int j = 0; j < 3; j++) mats[b][i][j] = b + i * 3 + j;
    int64_t m_shape[3] = {4, 2, 3}, v_shape[1] = {3}, p_shape[2] = {4, 2};
    kc_array m = kc_array_wrap(mats, KC_FLOAT64, 3, m_shape, NULL);
    kc_array v = kc_array_wrap(vec, KC_FLOAT64, 1, v_shape, NULL);
    kc_array p = kc_array_wrap(prods, KC_FLOAT64, 2, p_shape, NULL);
    const kc_array *vargs[3] = {&m, &v, &p};
    if (kc_guvectorize_call(mv, vargs, 3) != KC_OK) return fail(7);
    for (int b = 0; b < 4; b++) printf("%g %g\n", prods[b][0], prods[b][1]);

    /* norm of one vector (no loop dimension) into a one-element output: a loop of one. */
    kc_array one = kc_array_wrap(vec, KC_FLOAT64, 1, v_shape, NULL);
    double r = 0.0;
    int64_t r_shape[1] = {1};
    kc_array res = kc_array_wrap(&r, KC_FLOAT64, 1, r_shape, NULL);
    const kc_array *nargs_[2] = {&one, &res};
    if (kc_guvectorize_call(nrm, nargs_, 2) != KC_OK) return fail(8);
    printf("%.17g\n", r);

    /* Refused, nothing run: a core size that disagrees (n = 3 and n = 2), a wrong dtype, a
     * wrong count, a negative extent, and a layout that does not fit the signature. */
    int64_t v2_shape[1] = {2};
    kc_array v2 = kc_array_wrap(vec, KC_FLOAT64, 1, v2_shape, NULL);
    const kc_array *bad[3] = {&m, &v2, &p};
    if (kc_guvectorize_call(mv, bad, 3) != KC_ERR_INVALID) return 9;
    kc_array wi = kc_array_wrap(windows, KC_INT64, 1, v_shape, NULL);
    const kc_array *bad2[3] = {&m, &wi, &p};
    if (kc_guvectorize_call(mv, bad2, 3) != KC_ERR_INVALID) return 10;
    if (kc_guvectorize_call(mv, bad, 2) != KC_ERR_INVALID) return 11;
    int64_t neg_shape[2] = {-4, 2};
    kc_array pneg = kc_array_wrap(prods, KC_FLOAT64, 2, neg_shape, NULL);
    const kc_array *bad3[3] = {&m, &v, &pneg};
    if (kc_guvectorize_call(mv, bad3, 3) != KC_ERR_INVALID) return 13;
    kc_kernel *k;
    if (kc_guvectorize(client, SOURCE, "norm", "void(float64[:], float64[:])", "(n),(n)->()", NULL, &k) !=
        KC_ERR_INVALID)
        return 12;
    printf("refused: %s\n", kc_last_error());

    kc_kernel_free(msum);
    kc_kernel_free(mv);
    kc_kernel_free(nrm);
    kc_client_free(client);
    return 0;
}
